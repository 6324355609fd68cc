package dev.loss4j.kernel;

/**
 * The loops of the binary losses (BCE, BCEWithLogits, SoftMargin, MultiLabelSoftMargin) over contiguous
 * arrays of one shape, one loop per loss and precision.
 *
 * <p>The contract of the elementwise methods is that of {@link RegressionKernels}: they return the sum of
 * the per-element losses, or, when {@code each} is not null, write each loss there and return 0; where
 * {@code gx}/{@code gy} are not null they write d loss / d input (target) times {@code scale} (1/N for a
 * mean). Values are computed in double and rounded on store; float32 loops round the intermediates whose
 * float32 overflow PyTorch shows (soft margin's {@code exp(-x y)}). Blocks follow {@link Parallel}; each
 * runs {@link SimdBinary}'s loop when {@link Vectorization#ENABLED}, else the scalar loop here, and both
 * give every element the same bits.
 *
 * <p>The logistic losses share one decomposition: with {@code e = exp(-|x|)} and {@code L = log1p(e)},
 * {@code softplus(-x) = max(-x, 0) + L = -log sigmoid(x)}, {@code softplus(x) = max(x, 0) + L}, and
 * {@code sigmoid(|x|) = 1 / (1 + e)}, {@code sigmoid(-|x|) = e / (1 + e)}: one exponential and one log1p
 * give the loss and the gradient, without overflow at any logit.
 */
public final class BinaryKernels {
  private BinaryKernels() {}

  /** ATen's {@code EPSILON} of the BCE backward, a float constant: {@code 1e-12f}. */
  public static final double BCE_EPSILON = (double) 1e-12f;

  // ---- exp, log, log1p of these loops and ProbabilisticKernels': SimdMath's scalar twins of SimdBinary's ----

  static double exp(double v) {
    return SimdMath.exp(v);
  }

  static double log(double v) {
    return SimdMath.log(v);
  }

  static double log1p(double v) {
    return SimdMath.log1p(v);
  }

  /** {@code sigmoid(x)} from {@code e = exp(-|x|)} and {@code r = 1 / (1 + e)}. */
  static double sigmoid(double x, double e, double r) {
    return x >= 0 ? r : e * r;
  }

  /** Rounds to float32. */
  private static double f32(double v) {
    return (float) v;
  }

  // ---- BCE: -w [y log x + (1 - y) log(1 - x)], each log clamped at -100 --------------------------------

  /** True when every element is in [0, 1] (NaN is not). */
  public static boolean probabilities(float[] x) {
    boolean ok = true;
    for (float v : x) {
      ok &= v >= 0 && v <= 1;
    }
    return ok;
  }

  public static boolean probabilities(double[] x) {
    boolean ok = true;
    for (double v : x) {
      ok &= v >= 0 && v <= 1;
    }
    return ok;
  }

  /**
   * BCE of probabilities {@code x} in [0, 1] against {@code y}, weighted by {@code w} (same length, or
   * null): d/dx {@code w (x - y) / max((1 - x) x, 1e-12)}, d/dy {@code w (log(1 - x) - log x)}.
   */
  public static double bce(float[] x, float[] y, float[] w, float[] each, float[] gx, float[] gy, double scale) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdBinary.bceBlock(x, y, w, each, gx, gy, scale, from, to)
        : bceBlock(x, y, w, each, gx, gy, scale, from, to));
  }

  public static double bce(double[] x, double[] y, double[] w, double[] each, double[] gx, double[] gy,
      double scale) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdBinary.bceBlock(x, y, w, each, gx, gy, scale, from, to)
        : bceBlock(x, y, w, each, gx, gy, scale, from, to));
  }

  static double bceValue(double y, double logX, double log1mX) {
    return (y - 1) * Math.max(log1mX, -100) - y * Math.max(logX, -100);
  }

  static double bceGradInput(double x, double y) {
    return (x - y) / Math.max((1 - x) * x, BCE_EPSILON);
  }

  static double bceBlock(float[] x, float[] y, float[] w, float[] each, float[] gx, float[] gy, double scale,
      int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      double xi = x[i];
      double yi = y[i];
      double wi = w == null ? 1 : w[i];
      double lx = log(xi);
      double l1 = log(1 - xi);
      double l = bceValue(yi, lx, l1) * wi;
      if (each != null) {
        each[i] = (float) l;
      } else {
        s += l;
      }
      if (gx != null) {
        gx[i] = (float) (bceGradInput(xi, yi) * wi * scale);
      }
      if (gy != null) {
        gy[i] = (float) ((l1 - lx) * wi * scale);
      }
    }
    return s;
  }

  static double bceBlock(double[] x, double[] y, double[] w, double[] each, double[] gx, double[] gy,
      double scale, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      double xi = x[i];
      double yi = y[i];
      double wi = w == null ? 1 : w[i];
      double lx = log(xi);
      double l1 = log(1 - xi);
      double l = bceValue(yi, lx, l1) * wi;
      if (each != null) {
        each[i] = l;
      } else {
        s += l;
      }
      if (gx != null) {
        gx[i] = bceGradInput(xi, yi) * wi * scale;
      }
      if (gy != null) {
        gy[i] = (l1 - lx) * wi * scale;
      }
    }
    return s;
  }

  // ---- BCEWithLogits: (1 - y) x + lw softplus(-x), lw = (p - 1) y + 1 ----------------------------------

  /**
   * BCE on logits {@code x} against {@code y}, with an optional weight {@code w} and positive weight
   * {@code pw}, each null or of a length L dividing {@code x.length} and read at {@code i % L} (a full
   * tensor, a (C) vector over the last dimension, or a single value). Without {@code pw}: d/dx
   * {@code w (sigmoid(x) - y)}, d/dy {@code -w x}; with it: d/dx {@code w [(p y + 1 - y) sigmoid(x) - p y]},
   * d/dy {@code w [p softplus(-x) - softplus(x)]}.
   */
  public static double bceWithLogits(float[] x, float[] y, float[] w, float[] pw, float[] each, float[] gx,
      float[] gy, double scale) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdBinary.bceWithLogitsBlock(x, y, w, pw, each, gx, gy, scale, from, to)
        : bceWithLogitsBlock(x, y, w, pw, each, gx, gy, scale, from, to));
  }

  public static double bceWithLogits(double[] x, double[] y, double[] w, double[] pw, double[] each,
      double[] gx, double[] gy, double scale) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdBinary.bceWithLogitsBlock(x, y, w, pw, each, gx, gy, scale, from, to)
        : bceWithLogitsBlock(x, y, w, pw, each, gx, gy, scale, from, to));
  }

  /** The loss at one element; {@code p} is ignored unless {@code pos}. */
  static double bceWithLogitsValue(double x, double y, double p, boolean pos, double spNeg) {
    return pos ? (1 - y) * x + ((p - 1) * y + 1) * spNeg : (1 - y) * x + spNeg;
  }

  static double bceWithLogitsGradInput(double y, double p, boolean pos, double sig) {
    return pos ? (p * y + 1 - y) * sig - p * y : sig - y;
  }

  static double bceWithLogitsGradTarget(double x, double p, boolean pos, double spNeg, double spPos) {
    return pos ? p * spNeg - spPos : -x;
  }

  static double bceWithLogitsBlock(float[] x, float[] y, float[] w, float[] pw, float[] each, float[] gx,
      float[] gy, double scale, int from, int to) {
    boolean pos = pw != null;
    int wl = w == null ? 1 : w.length;
    int pl = pos ? pw.length : 1;
    int wj = from % wl;
    int pj = from % pl;
    double s = 0;
    for (int i = from; i < to; i++) {
      double xi = x[i];
      double yi = y[i];
      double wi = w == null ? 1 : w[wj];
      double p = pos ? pw[pj] : 1;
      double e = exp(-Math.abs(xi));
      double lp = log1p(e);
      double spNeg = Math.max(-xi, 0) + lp;
      double l = bceWithLogitsValue(xi, yi, p, pos, spNeg) * wi;
      if (each != null) {
        each[i] = (float) l;
      } else {
        s += l;
      }
      if (gx != null) {
        double sig = sigmoid(xi, e, 1 / (1 + e));
        gx[i] = (float) (bceWithLogitsGradInput(yi, p, pos, sig) * wi * scale);
      }
      if (gy != null) {
        double spPos = Math.max(xi, 0) + lp;
        gy[i] = (float) (bceWithLogitsGradTarget(xi, p, pos, spNeg, spPos) * wi * scale);
      }
      wj = ++wj == wl ? 0 : wj;
      pj = ++pj == pl ? 0 : pj;
    }
    return s;
  }

  static double bceWithLogitsBlock(double[] x, double[] y, double[] w, double[] pw, double[] each, double[] gx,
      double[] gy, double scale, int from, int to) {
    boolean pos = pw != null;
    int wl = w == null ? 1 : w.length;
    int pl = pos ? pw.length : 1;
    int wj = from % wl;
    int pj = from % pl;
    double s = 0;
    for (int i = from; i < to; i++) {
      double xi = x[i];
      double yi = y[i];
      double wi = w == null ? 1 : w[wj];
      double p = pos ? pw[pj] : 1;
      double e = exp(-Math.abs(xi));
      double lp = log1p(e);
      double spNeg = Math.max(-xi, 0) + lp;
      double l = bceWithLogitsValue(xi, yi, p, pos, spNeg) * wi;
      if (each != null) {
        each[i] = l;
      } else {
        s += l;
      }
      if (gx != null) {
        double sig = sigmoid(xi, e, 1 / (1 + e));
        gx[i] = bceWithLogitsGradInput(yi, p, pos, sig) * wi * scale;
      }
      if (gy != null) {
        double spPos = Math.max(xi, 0) + lp;
        gy[i] = bceWithLogitsGradTarget(xi, p, pos, spNeg, spPos) * wi * scale;
      }
      wj = ++wj == wl ? 0 : wj;
      pj = ++pj == pl ? 0 : pj;
    }
    return s;
  }

  // ---- SoftMargin: log(1 + exp(-y x)), d/dx -y exp(-y x) / (1 + exp(-y x)) -------------------------------

  /**
   * Soft margin of {@code x} against {@code y}; only the input gradient exists. The float32 loop rounds
   * {@code -x y} and {@code exp(-x y)} to float32, so the loss is inf and the gradient NaN past
   * {@code -x y} of about 88.72, as in PyTorch's float32 kernel (float64 overflows past about 709.8).
   */
  public static double softMargin(float[] x, float[] y, float[] each, float[] gx, double scale) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdBinary.softMarginBlock(x, y, each, gx, scale, from, to)
        : softMarginBlock(x, y, each, gx, scale, from, to));
  }

  public static double softMargin(double[] x, double[] y, double[] each, double[] gx, double scale) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdBinary.softMarginBlock(x, y, each, gx, scale, from, to)
        : softMarginBlock(x, y, each, gx, scale, from, to));
  }

  static double softMarginBlock(float[] x, float[] y, float[] each, float[] gx, double scale, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      double yi = y[i];
      double e = f32(exp(f32(-(double) x[i] * yi)));
      double l = log1p(e);
      if (each != null) {
        each[i] = (float) l;
      } else {
        s += l;
      }
      if (gx != null) {
        gx[i] = (float) (yi * e * -scale / (e + 1));
      }
    }
    return s;
  }

  static double softMarginBlock(double[] x, double[] y, double[] each, double[] gx, double scale, int from,
      int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      double yi = y[i];
      double e = exp(-x[i] * yi);
      double l = log1p(e);
      if (each != null) {
        each[i] = l;
      } else {
        s += l;
      }
      if (gx != null) {
        gx[i] = yi * e * -scale / (e + 1);
      }
    }
    return s;
  }

  // ---- MultiLabelSoftMargin: per row, (1/C) sum_c w_c [y softplus(-x) + (1 - y) softplus(x)] ----------

  /**
   * MultiLabelSoftMargin over {@code rows} rows of {@code classes} logits, with an optional per-class weight
   * {@code w} (length {@code classes}, or null). Each row's loss is its weighted sum rounded to the array's
   * precision, divided by {@code classes}; written into {@code each[row]} when {@code each} is not null,
   * else summed (in row order) and returned. Where {@code gx}/{@code gy} are not null they receive
   * {@code w [(1 - y) sigmoid(x) - y sigmoid(-x)]} and {@code w [softplus(-x) - softplus(x)]} times
   * {@code scale}, plus +0 (an exact zero is +0, as autograd's sum of two products gives).
   */
  public static double multilabelSoftMargin(float[] x, float[] y, float[] w, int classes, float[] each,
      float[] gx, float[] gy, double scale) {
    int rows = classes == 0 ? 0 : x.length / classes;
    return Parallel.sumRows(rows, classes, (r0, r1) -> {
      double s = 0;
      for (int r = r0; r < r1; r++) {
        int from = r * classes;
        double sum = Vectorization.ENABLED
            ? SimdBinary.multilabelSoftMarginRow(x, y, w, gx, gy, scale, from, classes)
            : multilabelSoftMarginRow(x, y, w, gx, gy, scale, from, classes);
        double perRow = (float) sum / (double) classes;
        if (each != null) {
          each[r] = (float) perRow;
        } else {
          s += perRow;
        }
      }
      return s;
    });
  }

  public static double multilabelSoftMargin(double[] x, double[] y, double[] w, int classes, double[] each,
      double[] gx, double[] gy, double scale) {
    int rows = classes == 0 ? 0 : x.length / classes;
    return Parallel.sumRows(rows, classes, (r0, r1) -> {
      double s = 0;
      for (int r = r0; r < r1; r++) {
        int from = r * classes;
        double sum = Vectorization.ENABLED
            ? SimdBinary.multilabelSoftMarginRow(x, y, w, gx, gy, scale, from, classes)
            : multilabelSoftMarginRow(x, y, w, gx, gy, scale, from, classes);
        double perRow = sum / classes;
        if (each != null) {
          each[r] = perRow;
        } else {
          s += perRow;
        }
      }
      return s;
    });
  }

  /** The weighted loss sum of elements {@code [from + c0, from + classes)}, writing their gradients. */
  static double multilabelSoftMarginRow(float[] x, float[] y, float[] w, float[] gx, float[] gy, double scale,
      int from, int c0, int classes) {
    double s = 0;
    for (int c = c0; c < classes; c++) {
      int i = from + c;
      double xi = x[i];
      double yi = y[i];
      double wi = w == null ? 1 : w[c];
      double e = exp(-Math.abs(xi));
      double lp = log1p(e);
      double spNeg = Math.max(-xi, 0) + lp;
      double spPos = Math.max(xi, 0) + lp;
      s += (yi * spNeg + (1 - yi) * spPos) * wi;
      if (gx != null) {
        double r = 1 / (1 + e);
        double sig = sigmoid(xi, e, r);
        double sigNeg = sigmoid(-xi, e, r);
        gx[i] = (float) ((-wi * yi * sigNeg + wi * (1 - yi) * sig) * scale + 0.0);
      }
      if (gy != null) {
        gy[i] = (float) ((wi * spNeg - wi * spPos) * scale + 0.0);
      }
    }
    return s;
  }

  static double multilabelSoftMarginRow(float[] x, float[] y, float[] w, float[] gx, float[] gy, double scale,
      int from, int classes) {
    return multilabelSoftMarginRow(x, y, w, gx, gy, scale, from, 0, classes);
  }

  static double multilabelSoftMarginRow(double[] x, double[] y, double[] w, double[] gx, double[] gy,
      double scale, int from, int c0, int classes) {
    double s = 0;
    for (int c = c0; c < classes; c++) {
      int i = from + c;
      double xi = x[i];
      double yi = y[i];
      double wi = w == null ? 1 : w[c];
      double e = exp(-Math.abs(xi));
      double lp = log1p(e);
      double spNeg = Math.max(-xi, 0) + lp;
      double spPos = Math.max(xi, 0) + lp;
      s += (yi * spNeg + (1 - yi) * spPos) * wi;
      if (gx != null) {
        double r = 1 / (1 + e);
        double sig = sigmoid(xi, e, r);
        double sigNeg = sigmoid(-xi, e, r);
        gx[i] = (-wi * yi * sigNeg + wi * (1 - yi) * sig) * scale + 0.0;
      }
      if (gy != null) {
        gy[i] = (wi * spNeg - wi * spPos) * scale + 0.0;
      }
    }
    return s;
  }

  static double multilabelSoftMarginRow(double[] x, double[] y, double[] w, double[] gx, double[] gy,
      double scale, int from, int classes) {
    return multilabelSoftMarginRow(x, y, w, gx, gy, scale, from, 0, classes);
  }

  /**
   * The chain rule of a reduction-none MultiLabelSoftMargin: {@code local[i] * (g[row] / classes) + 0},
   * where {@code local} holds the unit-scale derivatives.
   */
  public static float[] multilabelSoftMarginChain(float[] local, float[] g, int classes) {
    float[] out = new float[local.length];
    Parallel.forEach(local.length, (from, to) -> {
      for (int i = from; i < to; i++) {
        out[i] = (float) (local[i] * ((double) g[i / classes] / classes) + 0.0);
      }
    });
    return out;
  }

  public static double[] multilabelSoftMarginChain(double[] local, double[] g, int classes) {
    double[] out = new double[local.length];
    Parallel.forEach(local.length, (from, to) -> {
      for (int i = from; i < to; i++) {
        out[i] = local[i] * (g[i / classes] / classes) + 0.0;
      }
    });
    return out;
  }

  /** A new array holding {@code a[i] * g[i]}: an unreduced loss's derivatives chained against its output gradient. */
  public static float[] product(float[] a, float[] g) {
    float[] out = new float[a.length];
    Parallel.forEach(a.length, (from, to) -> {
      for (int i = from; i < to; i++) {
        out[i] = (float) ((double) a[i] * g[i]);
      }
    });
    return out;
  }

  public static double[] product(double[] a, double[] g) {
    double[] out = new double[a.length];
    Parallel.forEach(a.length, (from, to) -> {
      for (int i = from; i < to; i++) {
        out[i] = a[i] * g[i];
      }
    });
    return out;
  }
}
