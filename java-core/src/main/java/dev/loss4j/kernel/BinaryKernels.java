package dev.loss4j.kernel;

/**
 * The loops of the binary losses (BCE, BCEWithLogits, SoftMargin, MultiLabelSoftMargin) over contiguous
 * arrays of one shape, one loop per loss.
 *
 * <p>The contract of the elementwise methods is that of {@link RegressionKernels}: they return the sum of
 * the per-element losses, or, when {@code each} is not null, write each loss there and return 0; where
 * {@code gx}/{@code gy} are not null they write d loss / d input (target) times {@code scale} (1/N for a
 * mean). Each loss has a loop per precision, scalar here and lane for lane in {@link SimdBinary} (the same bits
 * for every element), chosen by {@link Vectorization#ENABLED}. Float64 arrays are computed in double. Float32
 * arrays are computed in float32, as PyTorch's float32 kernels (so an intermediate such as soft margin's
 * {@code exp(-x y)} overflows to inf where PyTorch's does), a chunk at a time: {@link SimdMath32}'s exp and log1p
 * into per-thread scratch, then the arithmetic in float lanes (twice the double lanes); losses are added in
 * double. Blocks follow {@link Parallel}.
 *
 * <p>The logistic losses share one decomposition: with {@code e = exp(-|x|)} and {@code L = log1p(e)},
 * {@code softplus(-x) = max(-x, 0) + L = -log sigmoid(x)}, {@code softplus(x) = max(x, 0) + L}, and
 * {@code sigmoid(|x|) = 1 / (1 + e)}, {@code sigmoid(-|x|) = e / (1 + e)}: one exponential and one log1p
 * of an argument in [0, 1] ({@link #log1pUnit}) give the loss and the gradient, without overflow.
 */
public final class BinaryKernels {
  private BinaryKernels() {}

  /** ATen's {@code EPSILON} of the BCE backward, a float constant: {@code 1e-12f}. */
  public static final double BCE_EPSILON = (double) 1e-12f;

  /** Elements of a float32 chunk widened into double scratch (4 KiB a array). */
  static final int CHUNK = 512;

  // ---- exp, log of these loops and ProbabilisticKernels': SimdMath's scalar twins of SimdBinary's ----------

  static double exp(double v) {
    return SimdMath.exp(v);
  }

  static double log(double v) {
    return SimdMath.log(v);
  }

  /**
   * Coefficients of log1p(v) = 2 atanh(s) = 2s + s z sum_j c_j z^j, s = v / (2 + v), z = s^2, c_j = 2 / (2j + 3),
   * highest first; with s at most 1/3 the series is cut below 1e-17 of the result.
   */
  static final double[] LOG1P_SERIES = series();

  private static double[] series() {
    double[] c = new double[17];
    for (int j = 0; j < c.length; j++) {
      c[c.length - 1 - j] = 2.0 / (2 * j + 3);
    }
    return c;
  }

  /**
   * log1p(v) for v in [0, 1] (and NaN), within a few ulp: a short series that {@link SimdBinary#log1pUnit}
   * evaluates with the same operations, lane for lane.
   */
  static double log1pUnit(double v) {
    double s = v / (2 + v);
    double z = s * s;
    double p = LOG1P_SERIES[0];
    for (int j = 1; j < LOG1P_SERIES.length; j++) {
      p = Math.fma(p, z, LOG1P_SERIES[j]);
    }
    return Math.fma(s, z * p, 2 * s);
  }

  /** {@code sigmoid(x)} from {@code e = exp(-|x|)} and {@code r = 1 / (1 + e)}. */
  static double sigmoid(double x, double e, double r) {
    return x >= 0 ? r : e * r;
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
   * null), with {@code log(1 - x)} as {@code log1p(-x)} (PyTorch's; exact for a small x): d/dx {@code w (x - y) / max((1 - x) x, 1e-12)}, d/dy {@code w (log(1 - x) - log x)}.
   */
  public static double bce(float[] x, float[] y, float[] w, float[] each, float[] gx, float[] gy, double scale) {
    return Parallel.sum(x.length,
        (from, to) -> bceBlock(x, y, w, each, gx, gy, scale, Vectorization.ENABLED, from, to));
  }

  public static double bce(double[] x, double[] y, double[] w, double[] each, double[] gx, double[] gy,
      double scale) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdBinary.bceBlock(x, y, w, each, gx, gy, scale, from, to)
        : bceBlock(x, y, w, each, gx, gy, scale, from, to));
  }

  /** ATen's {@code EPSILON} of the BCE backward in float32, for the float32 loops. */
  static final float BCE_EPSILON_F = 1e-12f;

  /**
   * A float32 block in float32, as {@link #bceWithLogitsBlock(float[], float[], float[], float[], float[],
   * float[], float[], double, boolean, int, int)}: a chunk's {@code log x} and {@code log(1 - x)} into scratch,
   * then the arithmetic.
   */
  static double bceBlock(float[] x, float[] y, float[] w, float[] each, float[] gx, float[] gy, double scale,
      boolean simd, int from, int to) {
    float[][] scratch = SimdMath32.scratch(gy == null ? 2 : 3);
    float[] lx = scratch[0];
    float[] l1 = scratch[1];
    float sc = (float) scale;
    double s = 0;
    for (int i = from; i < to; i += CHUNK) {
      int len = Math.min(CHUNK, to - i);
      for (int k = 0; k < len; k++) {
        l1[k] = -x[i + k];
      }
      SimdMath32.log(x, i, lx, len, simd);
      // log1p(-x), as PyTorch: log(1 - x) of a rounded 1 - x loses the relative accuracy of a small x
      SimdMath32.log1p(l1, 0, l1, len, simd);
      int vec = SimdMath32.vectorEnd(len, simd);
      if (vec > 0) {
        s += SimdBinary.bce32(x, y, w, lx, l1, each, gx, sc, i, vec);
      }
      s += bce32(x, y, w, lx, l1, each, gx, sc, i, vec, len);
      if (gy != null) {
        bceGradTarget32(x, w, gy, scratch[2], sc, i, len, simd);
      }
    }
    return s;
  }

  /**
   * d loss / d target of float32 BCE for a chunk, as PyTorch's float32 formula: {@code -logit(x) w}, the
   * logit {@code log(x / (1 - x))} of a float32 quotient. {@code log(1 - x) - log(x)} is the same number in
   * exact arithmetic, but where x is near 1/2 both differ from it by rounding errors far larger than the
   * result, and a large weight carries that difference past float32's tolerance (found by make fuzz: a
   * weight of 1e30, 4e-6 apart).
   */
  private static void bceGradTarget32(float[] x, float[] w, float[] gy, float[] lz, float sc, int i, int len,
      boolean simd) {
    for (int k = 0; k < len; k++) {
      lz[k] = x[i + k] / (1f - x[i + k]);
    }
    SimdMath32.log(lz, 0, lz, len, simd);
    for (int k = 0; k < len; k++) {
      gy[i + k] = -lz[k] * (w == null ? 1f : w[i + k]) * sc;
    }
  }

  /** Elements {@code [i + k0, i + k1)} of a float32 chunk from {@code i}: the lanes of {@link SimdBinary#bce32}. */
  static double bce32(float[] x, float[] y, float[] w, float[] lx, float[] l1, float[] each, float[] gx,
      float sc, int i, int k0, int k1) {
    double s = 0;
    for (int k = k0; k < k1; k++) {
      int j = i + k;
      float xi = x[j];
      float yi = y[j];
      float wi = w == null ? 1f : w[j];
      float l = ((yi - 1f) * Math.max(l1[k], -100f) - yi * Math.max(lx[k], -100f)) * wi;
      if (each != null) {
        each[j] = l;
      } else {
        s += l;
      }
      if (gx != null) {
        gx[j] = (xi - yi) / Math.max((1f - xi) * xi, BCE_EPSILON_F) * wi * sc;
      }
    }
    return s;
  }

  static double bceValue(double y, double logX, double log1mX) {
    return (y - 1) * Math.max(log1mX, -100) - y * Math.max(logX, -100);
  }

  static double bceGradInput(double x, double y) {
    return (x - y) / Math.max((1 - x) * x, BCE_EPSILON);
  }

  static double bceBlock(double[] x, double[] y, double[] w, double[] each, double[] gx, double[] gy,
      double scale, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      double xi = x[i];
      double yi = y[i];
      double wi = w == null ? 1 : w[i];
      double lx = log(xi);
      double l1 = SimdMath.log1p(-xi);
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
    return Parallel.sum(x.length,
        (from, to) -> bceWithLogitsBlock(x, y, w, pw, each, gx, gy, scale, Vectorization.ENABLED, from, to));
  }

  public static double bceWithLogits(double[] x, double[] y, double[] w, double[] pw, double[] each,
      double[] gx, double[] gy, double scale) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdBinary.bceWithLogitsBlock(x, y, w, pw, each, gx, gy, scale, from, to)
        : bceWithLogitsBlock(x, y, w, pw, each, gx, gy, scale, from, to));
  }

  /**
   * A float32 block, computed in float32 as PyTorch's float32 kernel: a chunk's {@code exp(-|x|)} and
   * {@code log1p} of it ({@link SimdMath32#softplusSigmoidParts}) through {@link SimdMath32}'s array forms into
   * per-thread scratch, with the input gradient's {@code sigmoid(x)} in PyTorch's own bits ({@link
   * ActivationKernels#sigmoidAten}: {@code sigmoid(x) - y} cancels where the target is close, so an ulp there
   * can be far past float32's tolerance once a weight scales it), the periodic operands gathered beside them,
   * then the arithmetic in float lanes ({@link SimdBinary}) and a scalar loop for the rest, the same float
   * operations in the same order; the losses are added in double.
   */
  static double bceWithLogitsBlock(float[] x, float[] y, float[] w, float[] pw, float[] each, float[] gx,
      float[] gy, double scale, boolean simd, int from, int to) {
    float[][] scratch = SimdMath32.scratch(5);
    float[] e = scratch[0];
    float[] lp = scratch[1];
    float[] bw = w == null ? null : scratch[2];
    float[] bp = pw == null ? null : scratch[3];
    float[] r = scratch[4];
    float sc = (float) scale;
    double s = 0;
    for (int i = from; i < to; i += CHUNK) {
      int len = Math.min(CHUNK, to - i);
      SimdMath32.softplusSigmoidParts(x, i, len, e, lp, r, simd);
      if (gx != null) {
        // The gradient's sigmoid(x) - y cancels where the target is close: sigmoid takes PyTorch's own bits.
        ActivationKernels.sigmoidAten(x, i, len, x.length, r, 0, simd);
      }
      gather(w, i, bw, len);
      gather(pw, i, bp, len);
      int vec = SimdMath32.vectorEnd(len, simd);
      if (vec > 0) {
        s += SimdBinary.bceWithLogits32(x, y, bw, bp, lp, r, each, gx, gy, sc, i, vec);
      }
      s += bceWithLogits32(x, y, bw, bp, lp, r, each, gx, gy, sc, i, vec, len);
    }
    return s;
  }

  /**
   * Elements {@code [i + k0, i + k1)} of a float32 chunk from {@code i}, with {@code lp}, the sigmoids
   * {@code rs} and the gathered {@code w}, {@code pw} (or null) at {@code k}: the lanes of
   * {@link SimdBinary#bceWithLogits32}.
   */
  static double bceWithLogits32(float[] x, float[] y, float[] w, float[] pw, float[] lp, float[] rs,
      float[] each, float[] gx, float[] gy, float sc, int i, int k0, int k1) {
    double s = 0;
    for (int k = k0; k < k1; k++) {
      int j = i + k;
      float xi = x[j];
      float yi = y[j];
      float wi = w == null ? 1f : w[k];
      float spNeg = Math.max(-xi, 0f) + lp[k];
      float a = (1f - yi) * xi;
      float p = pw == null ? 1f : pw[k];
      float l = (pw == null ? a + spNeg : a + ((p - 1f) * yi + 1f) * spNeg) * wi;
      if (each != null) {
        each[j] = l;
      } else {
        s += l;
      }
      if (gx != null) {
        float sig = rs[k];
        float py = p * yi;
        float g = pw == null ? sig - yi : (py + 1f - yi) * sig - py;
        gx[j] = g * wi * sc;
      }
      if (gy != null) {
        float g = pw == null ? -xi : p * spNeg - (Math.max(xi, 0f) + lp[k]);
        gy[j] = g * wi * sc;
      }
    }
    return s;
  }

  /** {@code dst[k] = src[(i0 + k) % src.length]} for k in {@code [0, len)}; nothing when src is null. */
  static void gather(float[] src, int i0, float[] dst, int len) {
    if (src == null) {
      return;
    }
    int period = src.length;
    int j = i0 % period;
    for (int k = 0; k < len; ) {
      int run = Math.min(len - k, period - j);
      System.arraycopy(src, j, dst, k, run);
      k += run;
      j = 0;
    }
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
      double lp = log1pUnit(e);
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
   * Soft margin of {@code x} against {@code y}; only the input gradient exists. With {@code t = -x y},
   * {@code exp(-|t|)} gives {@code e = exp(t)} (itself or its reciprocal) and the loss
   * {@code max(t, 0) + log1p(exp(-|t|))}, which is inf where {@code e} overflows: past {@code t} of about 88.72
   * for float32 (as PyTorch's float32 kernel, whose gradient is then NaN), about 709.78 for float64 (745 where
   * exp(-|t|) leaves the subnormals).
   */
  public static double softMargin(float[] x, float[] y, float[] each, float[] gx, double scale) {
    return Parallel.sum(x.length,
        (from, to) -> softMarginBlock(x, y, each, gx, scale, Vectorization.ENABLED, from, to));
  }

  public static double softMargin(double[] x, double[] y, double[] each, double[] gx, double scale) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdBinary.softMarginBlock(x, y, each, gx, scale, from, to)
        : softMarginBlock(x, y, each, gx, scale, from, to));
  }

  /**
   * A float32 block in float32, as {@link #bceWithLogitsBlock(float[], float[], float[], float[], float[],
   * float[], float[], double, boolean, int, int)}: {@code t = -x y} into scratch, its {@code exp(-|t|)} and
   * {@code log1p}, then the arithmetic; {@code exp(t)} is the small exponential or its reciprocal, +inf where
   * float32 overflows.
   */
  static double softMarginBlock(float[] x, float[] y, float[] each, float[] gx, double scale, boolean simd,
      int from, int to) {
    float[][] scratch = SimdMath32.scratch(3);
    float[] t = scratch[0];
    float[] small = scratch[1];
    float[] lp = scratch[2];
    float sc = (float) scale;
    double s = 0;
    for (int i = from; i < to; i += CHUNK) {
      int len = Math.min(CHUNK, to - i);
      for (int k = 0; k < len; k++) {
        t[k] = -x[i + k] * y[i + k];
      }
      SimdMath32.softplusParts(t, 0, len, small, lp, simd);
      int vec = SimdMath32.vectorEnd(len, simd);
      if (vec > 0) {
        s += SimdBinary.softMargin32(y, t, small, lp, each, gx, sc, i, vec);
      }
      s += softMargin32(y, t, small, lp, each, gx, sc, i, vec, len);
    }
    return s;
  }

  /** Elements {@code [i + k0, i + k1)} of a float32 chunk: the lanes of {@link SimdBinary#softMargin32}. */
  static double softMargin32(float[] y, float[] t, float[] small, float[] lp, float[] each, float[] gx, float sc,
      int i, int k0, int k1) {
    double s = 0;
    for (int k = k0; k < k1; k++) {
      float tk = t[k];
      float e = tk <= 0 ? small[k] : 1f / small[k];
      float l = e == Float.POSITIVE_INFINITY ? e : Math.max(tk, 0f) + lp[k];
      if (each != null) {
        each[i + k] = l;
      } else {
        s += l;
      }
      if (gx != null) {
        gx[i + k] = y[i + k] * e * -sc / (e + 1f);
      }
    }
    return s;
  }

  static double softMarginBlock(double[] x, double[] y, double[] each, double[] gx, double scale, int from,
      int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      double yi = y[i];
      double t = -x[i] * yi;
      double small = exp(-Math.abs(t));
      double e = t <= 0 ? small : 1 / small;
      double l = e == Double.POSITIVE_INFINITY ? e : Math.max(t, 0) + log1pUnit(small);
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
   * MultiLabelSoftMargin over rows of {@code classes} logits, with an optional per-class weight {@code w}
   * (length {@code classes}, or null). Each row's loss is its weighted sum rounded to the array's precision,
   * divided by {@code classes}; written into {@code each[row]} when {@code each} is not null, else summed (in
   * row order) and returned. Where {@code gx}/{@code gy} are not null they receive
   * {@code w [(1 - y) sigmoid(x) - y sigmoid(-x)]} and {@code w [softplus(-x) - softplus(x)]} times
   * {@code scale}, plus +0 (an exact zero is +0, as autograd's sum of two products gives).
   */
  public static double multilabelSoftMargin(float[] x, float[] y, float[] w, int classes, float[] each,
      float[] gx, float[] gy, double scale) {
    int rows = classes == 0 ? 0 : x.length / classes;
    return Parallel.sumRows(rows, classes, (r0, r1) -> {
      double[] sums = new double[r1 - r0];
      multilabelSoftMarginRows(x, y, w, gx, gy, scale, Vectorization.ENABLED, r0 * classes, r1 * classes, classes,
          sums);
      double s = 0;
      for (int r = r0; r < r1; r++) {
        double perRow = (float) sums[r - r0] / (double) classes;
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
      double[] losses = new double[CHUNK];
      double[] sums = new double[r1 - r0];
      int from = r0 * classes;
      int to = r1 * classes;
      for (int i = from; i < to; i += CHUNK) {
        int len = Math.min(CHUNK, to - i);
        if (Vectorization.ENABLED) {
          SimdBinary.multilabelSoftMarginTerms(x, y, w, losses, gx, gy, scale, i, i + len);
        } else {
          multilabelSoftMarginTerms(x, y, w, losses, gx, gy, scale, i, i + len);
        }
        addToRows(losses, i, len, classes, from, sums);
      }
      double s = 0;
      for (int r = r0; r < r1; r++) {
        double perRow = sums[r - r0] / classes;
        if (each != null) {
          each[r] = perRow;
        } else {
          s += perRow;
        }
      }
      return s;
    });
  }

  /**
   * Adds the {@code len} weighted losses of elements {@code [i, i + len)} to their rows' sums, in element order
   * (so a row's sum is the same bits on either path), {@code sums[0]} being the row that starts at {@code from}.
   */
  static void addToRows(double[] losses, int i, int len, int classes, int from, double[] sums) {
    int row = (i - from) / classes;
    int c = (i - from) % classes;
    for (int k = 0; k < len; k++) {
      sums[row] += losses[k];
      if (++c == classes) {
        c = 0;
        row++;
      }
    }
  }

  /**
   * The float32 rows of elements {@code [from, to)}, a chunk at a time in float32 (as {@link #bceWithLogitsBlock(
   * float[], float[], float[], float[], float[], float[], float[], double, boolean, int, int)}); the weighted
   * losses of each row's piece of a chunk are summed in double and added to that row's sum in {@code sums}.
   */
  static void multilabelSoftMarginRows(float[] x, float[] y, float[] w, float[] gx, float[] gy, double scale,
      boolean simd, int from, int to, int classes, double[] sums) {
    float[][] scratch = SimdMath32.scratch(5);
    float[] e = scratch[0];
    float[] lp = scratch[1];
    float[] losses = scratch[2];
    float[] bw = w == null ? null : scratch[3];
    float[] r = scratch[4];
    float sc = (float) scale;
    for (int i = from; i < to; i += CHUNK) {
      int len = Math.min(CHUNK, to - i);
      SimdMath32.softplusSigmoidParts(x, i, len, e, lp, r, simd);
      gather(w, i, bw, len);
      int vec = SimdMath32.vectorEnd(len, simd);
      if (vec > 0) {
        SimdBinary.multilabelSoftMargin32(x, y, bw, e, lp, r, losses, gx, gy, sc, i, vec);
      }
      multilabelSoftMargin32(x, y, bw, e, lp, r, losses, gx, gy, sc, i, vec, len);
      // Each row's piece of the chunk summed as SimdMath32.sum adds (lanes on the SIMD path, the same bits on
      // both), then added to its row: chunks start at fixed offsets from the block's first row, so a row's sum
      // does not depend on the thread count.
      for (int k = 0; k < len; ) {
        int row = (i + k - from) / classes;
        int end = Math.min(len, from + (row + 1) * classes - i);
        sums[row] += SimdMath32.sum(losses, k, end - k, simd);
        k = end;
      }
    }
  }

  /**
   * Elements {@code [i + k0, i + k1)} of a float32 chunk, weighted losses into {@code losses[k]}: the lanes of
   * {@link SimdBinary#multilabelSoftMargin32}.
   */
  static void multilabelSoftMargin32(float[] x, float[] y, float[] w, float[] e, float[] lp, float[] rs,
      float[] losses, float[] gx, float[] gy, float sc, int i, int k0, int k1) {
    for (int k = k0; k < k1; k++) {
      int j = i + k;
      float xi = x[j];
      float yi = y[j];
      float wi = w == null ? 1f : w[k];
      float spNeg = Math.max(-xi, 0f) + lp[k];
      float spPos = Math.max(xi, 0f) + lp[k];
      float oneMinusY = 1f - yi;
      losses[k] = (yi * spNeg + oneMinusY * spPos) * wi;
      if (gx != null) {
        float r = rs[k];
        float sig = xi >= 0 ? r : e[k] * r;
        float sigNeg = xi >= 0 ? e[k] * r : r;
        gx[j] = (-wi * yi * sigNeg + wi * oneMinusY * sig) * sc + 0f;
      }
      if (gy != null) {
        gy[j] = (wi * spNeg - wi * spPos) * sc + 0f;
      }
    }
  }

  /**
   * The weighted losses of elements {@code [from, to)} into {@code losses[i - from]}, and their gradients;
   * {@code w} is null or read at {@code i % w.length} (a per-class weight).
   */
  static void multilabelSoftMarginTerms(double[] x, double[] y, double[] w, double[] losses, double[] gx,
      double[] gy, double scale, int from, int to) {
    int wl = w == null ? 1 : w.length;
    int c = from % wl;
    for (int i = from; i < to; i++) {
      double xi = x[i];
      double yi = y[i];
      double wi = w == null ? 1 : w[c];
      double e = exp(-Math.abs(xi));
      double lp = log1pUnit(e);
      double spNeg = Math.max(-xi, 0) + lp;
      double spPos = Math.max(xi, 0) + lp;
      losses[i - from] = (yi * spNeg + (1 - yi) * spPos) * wi;
      if (gx != null) {
        double r = 1 / (1 + e);
        double sig = sigmoid(xi, e, r);
        double sigNeg = sigmoid(-xi, e, r);
        gx[i] = (-wi * yi * sigNeg + wi * (1 - yi) * sig) * scale + 0.0;
      }
      if (gy != null) {
        gy[i] = (wi * spNeg - wi * spPos) * scale + 0.0;
      }
      c = ++c == wl ? 0 : c;
    }
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
