package dev.loss4j.kernel;

/**
 * The loops of the embedding losses (MarginRanking, HingeEmbedding, CosineEmbedding, TripletMargin) and
 * of {@code pairwise_distance}, the distance the triplet losses use, over contiguous arrays.
 *
 * <p>PyTorch 1.13 computes these losses as chains of elementary float32 operations, each rounding its
 * result; the float32 loops here round at the same steps (a Java {@code float} operation rounds exactly
 * as ATen's float kernels do for {@code + - * /} and sqrt), so results are PyTorch's bits, not merely
 * close. Sums over a row or over the losses are kept in double, as the rest of the engine does.
 *
 * <p>Contract of the loss kernels: they return the sum of the losses, or, when {@code each} is not null,
 * write each loss there and return 0. Where a gradient array is not null they write the gradient for the
 * upstream gradient {@code ge} of every loss element (already divided by N for a mean, rounded as ATen
 * rounds it), or, when {@code geEach}/{@code geRows} is not null, for that element's own upstream gradient.
 * Flat kernels split elements into {@link Parallel} blocks; row kernels ((rows, size) contiguous) split
 * rows with {@link Parallel#sumRows}: the result does not depend on the thread count.
 */
public final class EmbeddingKernels {
  private EmbeddingKernels() {}

  /** ATen's {@code EPSILON = 1e-12} of the cosine embedding loss, a float constant. */
  private static final float COSINE_EPS = 1e-12f;

  /** {@code v} where {@code keep}, else +0: an integer mask, so no branch on data. */
  private static float keepIf(boolean keep, float v) {
    return Float.intBitsToFloat(Float.floatToRawIntBits(v) & (keep ? -1 : 0));
  }

  private static double keepIf(boolean keep, double v) {
    return Double.longBitsToDouble(Double.doubleToRawLongBits(v) & (keep ? -1L : 0L));
  }

  /** {@code clamp_min(v, 0)}: +0 below zero, NaN stays NaN, -0 stays -0. */
  private static float clampMin0(float v) {
    return keepIf(!(v < 0), v);
  }

  private static double clampMin0(double v) {
    return keepIf(!(v < 0), v);
  }

  /** ATen's sign, (0 < v) - (v < 0): 0 for a zero and for NaN. */
  private static double sgn(double v) {
    return (v > 0 ? 1 : 0) - (v < 0 ? 1 : 0);
  }

  // ---- MarginRanking: max(0, -y (x1 - x2) + margin) ---------------------------------------------------

  /**
   * MarginRankingLoss over same-length arrays, as ATen's {@code (-y * (x1 - x2) + margin).clamp_min_(0)}
   * with float32 rounding after each step. Gradients where the pre-clamp value is {@code >= 0}:
   * {@code d/dx1 = -y}, {@code d/dx2 = y}, {@code d/dy = -(x1 - x2)}.
   */
  public static double marginRanking(float[] x1, float[] x2, float[] y, float margin, float[] each, float[] g1,
      float[] g2, float[] gy, double ge, float[] geEach) {
    return Parallel.sum(x1.length, (from, to) -> {
      boolean grads = g1 != null || g2 != null || gy != null;
      double s = 0;
      for (int i = from; i < to; i++) {
        float d = x1[i] - x2[i];
        float negY = -y[i];
        float u = negY * d + margin;
        float l = clampMin0(u);
        if (each != null) {
          each[i] = l;
        } else {
          s += l;
        }
        if (grads) {
          double gu = keepIf(u >= 0, geEach != null ? geEach[i] : ge);
          double gd = gu * negY;
          if (g1 != null) {
            g1[i] = (float) gd;
          }
          if (g2 != null) {
            g2[i] = (float) -gd;
          }
          if (gy != null) {
            gy[i] = (float) -(gu * d);
          }
        }
      }
      return s;
    });
  }

  public static double marginRanking(double[] x1, double[] x2, double[] y, double margin, double[] each,
      double[] g1, double[] g2, double[] gy, double ge, double[] geEach) {
    return Parallel.sum(x1.length, (from, to) -> {
      boolean grads = g1 != null || g2 != null || gy != null;
      double s = 0;
      for (int i = from; i < to; i++) {
        double d = x1[i] - x2[i];
        double negY = -y[i];
        double u = negY * d + margin;
        double l = clampMin0(u);
        if (each != null) {
          each[i] = l;
        } else {
          s += l;
        }
        if (grads) {
          double gu = keepIf(u >= 0, geEach != null ? geEach[i] : ge);
          double gd = gu * negY;
          if (g1 != null) {
            g1[i] = gd;
          }
          if (g2 != null) {
            g2[i] = -gd;
          }
          if (gy != null) {
            gy[i] = -(gu * d);
          }
        }
      }
      return s;
    });
  }

  // ---- HingeEmbedding: where(y != 1, max(0, margin - x), 0) + where(y != -1, x, 0) --------------------

  /*
   * The target tests compare bit patterns: 1 and -1 have one encoding each, so this is y != 1 exactly (NaN
   * included), and an integer comparison becomes a conditional move where a float != (true when unordered)
   * becomes two branches, mispredicted on a random +-1 target.
   */
  private static final int FLOAT_ONE = Float.floatToRawIntBits(1f);
  private static final int FLOAT_MINUS_ONE = Float.floatToRawIntBits(-1f);
  private static final long DOUBLE_ONE = Double.doubleToRawLongBits(1.0);
  private static final long DOUBLE_MINUS_ONE = Double.doubleToRawLongBits(-1.0);

  /**
   * HingeEmbeddingLoss over same-length arrays, ATen's composition with float32 rounding after each step;
   * d/dx = -1 where {@code y != 1} and {@code margin - x >= 0}, plus 1 where {@code y != -1}.
   */
  public static double hingeEmbedding(float[] x, float[] y, float margin, float[] each, float[] gx, double ge,
      float[] geEach) {
    return Parallel.sum(x.length, (from, to) -> {
      double s = 0;
      for (int i = from; i < to; i++) {
        float v = x[i];
        int t = Float.floatToRawIntBits(y[i]);
        boolean notPos = t != FLOAT_ONE;
        boolean notNeg = t != FLOAT_MINUS_ONE;
        float c = margin - v;
        float l = keepIf(notPos, clampMin0(c)) + keepIf(notNeg, v);
        if (each != null) {
          each[i] = l;
        } else {
          s += l;
        }
        if (gx != null) {
          double g = geEach != null ? geEach[i] : ge;
          gx[i] = (float) (keepIf(notPos & c >= 0, -g) + keepIf(notNeg, g));
        }
      }
      return s;
    });
  }

  public static double hingeEmbedding(double[] x, double[] y, double margin, double[] each, double[] gx, double ge,
      double[] geEach) {
    return Parallel.sum(x.length, (from, to) -> {
      double s = 0;
      for (int i = from; i < to; i++) {
        double v = x[i];
        long t = Double.doubleToRawLongBits(y[i]);
        boolean notPos = t != DOUBLE_ONE;
        boolean notNeg = t != DOUBLE_MINUS_ONE;
        double c = margin - v;
        double l = keepIf(notPos, clampMin0(c)) + keepIf(notNeg, v);
        if (each != null) {
          each[i] = l;
        } else {
          s += l;
        }
        if (gx != null) {
          double g = geEach != null ? geEach[i] : ge;
          gx[i] = keepIf(notPos & c >= 0, -g) + keepIf(notNeg, g);
        }
      }
      return s;
    });
  }

  // ---- p-norms of one row (the general case of pairwise_distance) --------------------------------------

  /**
   * {@code ||x[from, from + n)||_p} as ATen's norm: p = 0 counts non-zeros, +-inf take the largest/smallest
   * magnitude (NaN wins; 0 for an empty row), other p sum {@code |x|^p} in order and take the 1/p power. A row
   * of one element is {@code |x|} for every p but 0, as in ATen (so no overflow of {@code |x|^p}).
   */
  public static double norm(double[] x, int from, int n, double p) {
    if (n == 1 && p != 0) {
      return Math.abs(x[from]); // ATen's reduction over one element is |x| itself, with no |x|^p to overflow
    }
    return normOfAll(x, from, n, p);
  }

  /**
   * {@link #norm} without the one-element shortcut: ATen's norm of a 0-d tensor (pairwise_distance of two 0-d
   * inputs) runs the kernel's sum of {@code |x|^p}, which overflows where |x| does not.
   */
  public static double normOfAll(double[] x, int from, int n, double p) {
    if (p == Double.POSITIVE_INFINITY || p == Double.NEGATIVE_INFINITY) {
      boolean max = p > 0;
      double best = n == 0 ? 0 : Math.abs(x[from]);
      for (int i = 1; i < n; i++) {
        double v = Math.abs(x[from + i]);
        if (Double.isNaN(v) || Double.isNaN(best)) {
          best = Double.NaN;
        } else {
          best = max ? Math.max(best, v) : Math.min(best, v);
        }
      }
      return best;
    }
    double s = 0;
    if (p == 0) {
      for (int i = 0; i < n; i++) {
        s += x[from + i] != 0 ? 1 : 0;
      }
      return s;
    }
    if (p == 1) {
      for (int i = 0; i < n; i++) {
        s += Math.abs(x[from + i]);
      }
      return s;
    }
    if (p == 2) {
      for (int i = 0; i < n; i++) {
        double v = x[from + i];
        s += v * v;
      }
      return Math.sqrt(s);
    }
    for (int i = 0; i < n; i++) {
      s += Math.pow(Math.abs(x[from + i]), p);
    }
    return Math.pow(s, 1 / p);
  }

  /**
   * PyTorch 1.13's norm_backward for one row: writes {@code g * d||x||_p / dx} into
   * {@code gx[from, from + n)} given the row's (rounded) norm. For +-inf the gradient is shared equally
   * among the entries that attain the norm (NaN entries count as attaining it). Not for p = 0 (no gradient).
   */
  public static void normBackward(double[] x, int from, int n, double p, double norm, double g, double[] gx) {
    if (p == 1) {
      for (int i = 0; i < n; i++) {
        gx[from + i] = sgn(x[from + i]) * g;
      }
    } else if (p == 2) {
      for (int i = 0; i < n; i++) {
        gx[from + i] = g * (norm == 0 ? 0 : x[from + i] / norm);
      }
    } else if (Double.isInfinite(p)) {
      int count = 0;
      for (int i = 0; i < n; i++) {
        double v = x[from + i];
        if (Math.abs(v) == norm || Double.isNaN(v)) {
          count++;
        }
      }
      double share = g / count;
      for (int i = 0; i < n; i++) {
        double v = x[from + i];
        boolean hit = Math.abs(v) == norm || Double.isNaN(v);
        gx[from + i] = sgn(v) * (hit ? share : 0);
      }
    } else if (p < 1) {
      double scale = Math.pow(norm, 1 - p);
      for (int i = 0; i < n; i++) {
        double v = x[from + i];
        double s = v == 0 ? 0 : sgn(v) * Math.pow(Math.abs(v), p - 1);
        gx[from + i] = s * g * scale;
      }
    } else {
      double scale = norm == 0 ? 0 : g / Math.pow(norm, p - 1);
      for (int i = 0; i < n; i++) {
        double v = x[from + i];
        double s = p < 2 ? sgn(v) * Math.pow(Math.abs(v), p - 1) : v * Math.pow(Math.abs(v), p - 2);
        gx[from + i] = s * scale;
      }
    }
  }

  /**
   * {@link #norm} for float32 (and the half types, whose norm ATen accumulates in float) where p is not 0, 1, 2
   * or +-inf: ATen sums {@code |x|^p} in a float, in order, and takes the {@code 1/p} power in float
   * ({@code 1/p} itself a float), so a sum past float's range is inf, as in PyTorch, where a double sum would
   * stay finite. Other p give {@link #norm}'s result, which rounds to the same float.
   */
  public static float normFloat(double[] x, int from, int n, double p) {
    if (n == 1 && p != 0) {
      return (float) Math.abs(x[from]);
    }
    return normFloatOfAll(x, from, n, p);
  }

  /** {@link #normFloat} without the one-element shortcut, as {@link #normOfAll}. */
  public static float normFloatOfAll(double[] x, int from, int n, double p) {
    if (p == 2) {
      return (float) Math.sqrt(squares32(x, from, n));
    }
    if (p == 1) {
      return floatNorm12(norm(x, from, n, p), p);
    }
    if (p == 0 || Double.isInfinite(p)) {
      return (float) norm(x, from, n, p);
    }
    float pf = (float) p;
    float s = 0;
    for (int i = 0; i < n; i++) {
      s += (float) Math.pow(Math.abs(x[from + i]), pf);
    }
    return (float) Math.pow(s, 1f / pf);
  }

  /** {@link #norm} for float64: p = 2 sums the squares in ATen's order ({@link #squares64}). */
  public static double normDouble(double[] x, int from, int n, double p) {
    return n == 1 ? norm(x, from, n, p) : p == 2 ? Math.sqrt(squares64(x, from, n)) : norm(x, from, n, p);
  }

  /**
   * The sum of squares of a float32 row as ATen's p = 2 norm over the last dimension takes it (AVX2 build):
   * eight float lane sums over the whole blocks of eight, the lanes added in order, then the rest added in
   * order, its squares rounded for each whole group of four (the compiler's 4-wide products) and fused
   * ({@code fma(x, x, s)}) for the last one to three. Reproduces torch.linalg.vector_norm's float bits on
   * random rows of every length we tried (1 to 100, 800 rows each); a double sum differs in up to a third.
   */
  static float squares32(double[] x, int from, int n) {
    int whole = n - n % 8;
    float s = 0;
    for (int lane = 0; lane < 8 && whole > 0; lane++) {
      float acc = 0;
      for (int i = from + lane, end = from + whole; i < end; i += 8) {
        float v = (float) x[i];
        acc += v * v;
      }
      s = lane == 0 ? acc : s + acc;
    }
    int grouped = whole + (n - whole) / 4 * 4;
    for (int i = whole; i < n; i++) {
      float v = (float) x[from + i];
      s = i < grouped ? s + v * v : Math.fma(v, v, s);
    }
    return s;
  }

  /** {@link #squares32} for float64: four lanes, and every square of the rest fused ({@code fma(x, x, s)}). */
  static double squares64(double[] x, int from, int n) {
    int whole = n - n % 4;
    double s = 0;
    for (int lane = 0; lane < 4 && whole > 0; lane++) {
      double acc = 0;
      for (int i = from + lane, end = from + whole; i < end; i += 4) {
        acc += x[i] * x[i];
      }
      s = lane == 0 ? acc : s + acc;
    }
    for (int i = whole; i < n; i++) {
      double v = x[from + i];
      s = Math.fma(v, v, s);
    }
    return s;
  }

  /**
   * A p = 1 norm computed from a double sum (of {@code |x|}), as the float one ATen
   * accumulates: inf where that float sum would overflow (its terms are non-negative, so its partial sums rise
   * to the total), the double result rounded otherwise. {@code d} is the double norm (the sum's square root
   * for p = 2).
   */
  static float floatNorm12(double d, double p) {
    double sum = p == 2 ? d * d : d;
    return (float) sum == Float.POSITIVE_INFINITY ? Float.POSITIVE_INFINITY : (float) d;
  }

  /**
   * {@link #normBackward} for float32 inputs, each of PyTorch's steps rounded to float (the scaled entries,
   * the norm's power, the scale and their product), so an entry or power past float's range overflows as
   * PyTorch's does. p = 1, 2 and +-inf give {@link #normBackward}'s result.
   */
  public static void normBackwardFloat(double[] x, int from, int n, double p, float norm, float g, double[] gx) {
    if (p == 1 || p == 2 || Double.isInfinite(p)) {
      normBackward(x, from, n, p, norm, g, gx);
      return;
    }
    if (p < 1) {
      float scale = powAten(norm, 1 - p);
      for (int i = 0; i < n; i++) {
        double v = x[from + i];
        float s = v == 0 ? 0f : (float) sgn(v) * powAten((float) Math.abs(v), p - 1);
        gx[from + i] = s * g * scale;
      }
      return;
    }
    float scale = norm == 0 ? 0f : g / powAten(norm, p - 1);
    for (int i = 0; i < n; i++) {
      float v = (float) x[from + i];
      float s = p < 2 ? (float) sgn(v) * powAten(Math.abs(v), p - 1) : v * powAten(Math.abs(v), p - 2);
      gx[from + i] = s * scale;
    }
  }

  /**
   * {@code x^e} in float as ATen's tensor-scalar pow takes it: e = -0.5 as {@code 1 / sqrt(x)}, -2 as {@code 1 / (x
   * x)}, 3 as {@code x x x} (each step rounded), 2 and -1 exactly; other exponents the rounded double power
   * (checked on 100,000 random floats: the special forms equal torch.pow's bits, where the rounded double power
   * differs in about 5%).
   */
  static float powAten(float x, double e) {
    if (e == -0.5) {
      return 1f / (float) Math.sqrt(x);
    }
    if (e == -2) {
      return 1f / (x * x);
    }
    if (e == 3) {
      return x * x * x;
    }
    if (e == 2) {
      return x * x;
    }
    if (e == -1) {
      return 1f / x;
    }
    return (float) Math.pow(x, e);
  }

  // ---- pairwise_distance rows: ||a - b + eps||_p over each row of (rows, size) --------------------------

  /**
   * Per-row scratch (two rows of doubles; one for p = 2's row of differences), null for p = 1, whose loops run
   * directly on the inputs.
   */
  private static double[][] scratch(double p, int size) {
    if (p == 1) {
      return null;
    }
    return p == 2 ? new double[][] {new double[size]} : new double[][] {new double[size], new double[size]};
  }

  /** The unrounded distance of row {@code off}: {@code x = (a - b) + eps} rounded to float per element. */
  private static double distance(float[] a, float[] b, int off, int size, double p, float eps, double[][] sc) {
    double s = 0;
    if (p == 2) {
      double[] x = sc[0];
      for (int k = 0; k < size; k++) {
        x[k] = (a[off + k] - b[off + k]) + eps;
      }
      return size == 1 ? Math.abs(x[0]) : Math.sqrt(squares32(x, 0, size)); // one element: |x|, as ATen
    }
    if (p == 1) {
      for (int k = off, end = off + size; k < end; k++) {
        s += Math.abs((a[k] - b[k]) + eps);
      }
      return (float) s == Float.POSITIVE_INFINITY ? Double.POSITIVE_INFINITY : s;
    }
    double[] x = sc[0];
    for (int k = 0; k < size; k++) {
      x[k] = (a[off + k] - b[off + k]) + eps;
    }
    return normFloat(x, 0, size, p);
  }

  private static double distance(double[] a, double[] b, int off, int size, double p, double eps, double[][] sc) {
    double s = 0;
    if (p == 2) {
      double[] x = sc[0];
      for (int k = 0; k < size; k++) {
        x[k] = (a[off + k] - b[off + k]) + eps;
      }
      return size == 1 ? Math.abs(x[0]) : Math.sqrt(squares64(x, 0, size)); // one element: |x|, as ATen
    }
    if (p == 1) {
      for (int k = off, end = off + size; k < end; k++) {
        s += Math.abs((a[k] - b[k]) + eps);
      }
      return s;
    }
    double[] x = sc[0];
    for (int k = 0; k < size; k++) {
      x[k] = (a[off + k] - b[off + k]) + eps;
    }
    return norm(x, 0, size, p);
  }

  /**
   * The gradient of one row's distance for upstream {@code g}: {@code gx} goes to {@code outA} (as the
   * float {@code a} would receive it from its own node), {@code -gx} to {@code outB}; each either stored or,
   * with {@code addA}/{@code addB}, added in float to what an earlier distance left there, as autograd
   * adds two contributions of one input.
   */
  private static void distanceGrad(float[] a, float[] b, int off, int size, double p, float eps, double norm,
      double g, float[] outA, boolean addA, float[] outB, boolean addB, double[][] sc) {
    if (outA == null && outB == null) {
      return;
    }
    if (p == 2 || p == 1) {
      for (int k = off, end = off + size; k < end; k++) {
        float x = (a[k] - b[k]) + eps;
        double gx = p == 2 ? g * (norm == 0 ? 0 : x / norm) : sgn(x) * g;
        store(outA, addA, outB, addB, k, gx);
      }
      return;
    }
    double[] x = sc[0];
    double[] gx = sc[1];
    for (int k = 0; k < size; k++) {
      x[k] = (a[off + k] - b[off + k]) + eps;
    }
    normBackwardFloat(x, 0, size, p, (float) norm, (float) g, gx);
    for (int k = 0; k < size; k++) {
      store(outA, addA, outB, addB, off + k, gx[k]);
    }
  }

  private static void store(float[] outA, boolean addA, float[] outB, boolean addB, int k, double gx) {
    if (outA != null) {
      outA[k] = addA ? outA[k] + (float) gx : (float) gx;
    }
    if (outB != null) {
      outB[k] = addB ? outB[k] + (float) -gx : (float) -gx;
    }
  }

  private static void distanceGrad(double[] a, double[] b, int off, int size, double p, double eps, double norm,
      double g, double[] outA, boolean addA, double[] outB, boolean addB, double[][] sc) {
    if (outA == null && outB == null) {
      return;
    }
    if (p == 2 || p == 1) {
      for (int k = off, end = off + size; k < end; k++) {
        double x = (a[k] - b[k]) + eps;
        double gx = p == 2 ? g * (norm == 0 ? 0 : x / norm) : sgn(x) * g;
        store(outA, addA, outB, addB, k, gx);
      }
      return;
    }
    double[] x = sc[0];
    double[] gx = sc[1];
    for (int k = 0; k < size; k++) {
      x[k] = (a[off + k] - b[off + k]) + eps;
    }
    normBackward(x, 0, size, p, norm, g, gx);
    for (int k = 0; k < size; k++) {
      store(outA, addA, outB, addB, off + k, gx[k]);
    }
  }

  private static void store(double[] outA, boolean addA, double[] outB, boolean addB, int k, double gx) {
    if (outA != null) {
      outA[k] = addA ? outA[k] + gx : gx;
    }
    if (outB != null) {
      outB[k] = addB ? outB[k] + -gx : -gx;
    }
  }

  /**
   * {@code pairwise_distance} of same-shape (rows, size) arrays: writes each row's
   * {@code ||a - b + eps||_p}, rounded to float, into {@code out}.
   */
  public static void pairwiseDistance(float[] a, float[] b, int rows, int size, double p, float eps, float[] out) {
    Parallel.sumRows(rows, size, (from, to) -> {
      double[][] sc = scratch(p, size);
      for (int r = from; r < to; r++) {
        out[r] = (float) distance(a, b, r * size, size, p, eps, sc);
      }
      return 0;
    });
  }

  public static void pairwiseDistance(double[] a, double[] b, int rows, int size, double p, double eps,
      double[] out) {
    Parallel.sumRows(rows, size, (from, to) -> {
      double[][] sc = scratch(p, size);
      for (int r = from; r < to; r++) {
        out[r] = distance(a, b, r * size, size, p, eps, sc);
      }
      return 0;
    });
  }

  /**
   * The backward of {@link #pairwiseDistance(float[], float[], int, int, double, float, float[])} for the
   * upstream gradients {@code g} (one per row) and the distances it returned: writes d/da into {@code ga}
   * and d/db = -d/da into {@code gb} where they are not null. Not for p = 0.
   */
  public static void pairwiseDistanceBackward(float[] a, float[] b, int rows, int size, double p, float eps,
      float[] norms, double[] g, float[] ga, float[] gb) {
    Parallel.sumRows(rows, size, (from, to) -> {
      double[][] sc = scratch(p, size);
      for (int r = from; r < to; r++) {
        distanceGrad(a, b, r * size, size, p, eps, norms[r], g[r], ga, false, gb, false, sc);
      }
      return 0;
    });
  }

  public static void pairwiseDistanceBackward(double[] a, double[] b, int rows, int size, double p, double eps,
      double[] norms, double[] g, double[] ga, double[] gb) {
    Parallel.sumRows(rows, size, (from, to) -> {
      double[][] sc = scratch(p, size);
      for (int r = from; r < to; r++) {
        distanceGrad(a, b, r * size, size, p, eps, norms[r], g[r], ga, false, gb, false, sc);
      }
      return 0;
    });
  }

  // ---- TripletMargin: max(d(a, p) - min(d(a, n), d(p, n)) + margin, 0) ---------------------------------

  /**
   * The triplet margin loss of same-shape (rows, size) anchor, positive and negative, fused: per row the
   * distances {@code d(x, y) = ||x - y + eps||_p} (and {@code d(p, n)} with {@code swap}), the margin step
   * and, when gradient arrays are given, the gradients of all three inputs, as autograd would send them
   * through the distance nodes: {@code minimum} splits a tie in half, and an input used by two distances
   * receives the float sum of the two contributions.
   *
   * @param marginFirst TripletMarginLoss's rounding order {@code (d(a,p) + margin) - neg}; false for
   *     TripletMarginWithDistanceLoss's {@code (d(a,p) - neg) + margin}
   * @param geRows per-row upstream gradients, or null to use {@code ge} for every row
   */
  public static double triplet(float[] a, float[] pos, float[] neg, int rows, int size, double p, float eps,
      float margin, boolean swap, boolean marginFirst, float[] each, double ge, double[] geRows, float[] ga,
      float[] gp, float[] gn) {
    boolean grads = p != 0 && (ga != null || gp != null || gn != null);
    return Parallel.sumRows(rows, size * (swap ? 3 : 2), (from, to) -> {
      double[][] sc = scratch(p, size);
      double s = 0;
      for (int r = from; r < to; r++) {
        int off = r * size;
        float dPos = (float) distance(a, pos, off, size, p, eps, sc);
        float dNeg = (float) distance(a, neg, off, size, p, eps, sc);
        float dSwap = swap ? (float) distance(pos, neg, off, size, p, eps, sc) : 0f;
        float negEff = swap ? Math.min(dNeg, dSwap) : dNeg;
        float pre = marginFirst ? (dPos + margin) - negEff : (dPos - negEff) + margin;
        float l = clampMin0(pre);
        if (each != null) {
          each[r] = l;
        } else {
          s += l;
        }
        if (!grads) {
          continue;
        }
        double g = geRows != null ? geRows[r] : ge;
        double gPre = pre >= 0 ? g : 0;
        double gNegEff = -gPre;
        float gNeg = (float) gNegEff;
        float gSwap = 0;
        if (swap) {
          double shared = dNeg == dSwap ? gNegEff / 2 : gNegEff;
          gNeg = (float) (dNeg > dSwap ? 0 : shared);
          gSwap = (float) (dNeg < dSwap ? 0 : shared);
        }
        distanceGrad(a, pos, off, size, p, eps, dPos, (float) gPre, ga, false, gp, false, sc);
        distanceGrad(a, neg, off, size, p, eps, dNeg, gNeg, ga, true, gn, false, sc);
        if (swap) {
          distanceGrad(pos, neg, off, size, p, eps, dSwap, gSwap, gp, true, gn, true, sc);
        }
      }
      return s;
    });
  }

  public static double triplet(double[] a, double[] pos, double[] neg, int rows, int size, double p, double eps,
      double margin, boolean swap, boolean marginFirst, double[] each, double ge, double[] geRows, double[] ga,
      double[] gp, double[] gn) {
    boolean grads = p != 0 && (ga != null || gp != null || gn != null);
    return Parallel.sumRows(rows, size * (swap ? 3 : 2), (from, to) -> {
      double[][] sc = scratch(p, size);
      double s = 0;
      for (int r = from; r < to; r++) {
        int off = r * size;
        double dPos = distance(a, pos, off, size, p, eps, sc);
        double dNeg = distance(a, neg, off, size, p, eps, sc);
        double dSwap = swap ? distance(pos, neg, off, size, p, eps, sc) : 0;
        double negEff = swap ? Math.min(dNeg, dSwap) : dNeg;
        double pre = marginFirst ? (dPos + margin) - negEff : (dPos - negEff) + margin;
        double l = clampMin0(pre);
        if (each != null) {
          each[r] = l;
        } else {
          s += l;
        }
        if (!grads) {
          continue;
        }
        double g = geRows != null ? geRows[r] : ge;
        double gPre = pre >= 0 ? g : 0;
        double gNeg = -gPre;
        double gSwap = 0;
        if (swap) {
          double shared = dNeg == dSwap ? gNeg / 2 : gNeg;
          gNeg = dNeg > dSwap ? 0 : shared;
          gSwap = dNeg < dSwap ? 0 : shared;
        }
        distanceGrad(a, pos, off, size, p, eps, dPos, gPre, ga, false, gp, false, sc);
        distanceGrad(a, neg, off, size, p, eps, dNeg, gNeg, ga, true, gn, false, sc);
        if (swap) {
          distanceGrad(pos, neg, off, size, p, eps, dSwap, gSwap, gp, true, gn, true, sc);
        }
      }
      return s;
    });
  }

  // ---- CosineEmbedding: 1 - cos where y == 1, max(0, cos - margin) where y == -1 ------------------------

  /**
   * CosineEmbeddingLoss of same-shape (rows, size) inputs and one target per row, fused, as ATen's
   * composition: {@code cos = sum(x1 x2) / sqrt((sum(x1^2) + 1e-12) (sum(x2^2) + 1e-12))} with float32
   * rounding after each step (products, row sums, the epsilon, the product, sqrt, the quotient). The
   * gradients follow that chain's backward, in double, rounded on store.
   */
  public static double cosineEmbedding(float[] x1, float[] x2, double[] y, int rows, int size, float margin,
      float[] each, double ge, double[] geRows, float[] g1, float[] g2) {
    boolean grads = g1 != null || g2 != null;
    return Parallel.sumRows(rows, size * 2, (from, to) -> {
      double s = 0;
      for (int r = from; r < to; r++) {
        int off = r * size;
        int end = off + size;
        double dot = 0;
        double sq1 = 0;
        double sq2 = 0;
        for (int k = off; k < end; k++) {
          float u = x1[k];
          float v = x2[k];
          dot += u * v;
          sq1 += u * u;
          sq2 += v * v;
        }
        float pr = (float) dot;
        float m1 = (float) sq1 + COSINE_EPS;
        float m2 = (float) sq2 + COSINE_EPS;
        float denom = (float) Math.sqrt(m1 * m2);
        float cos = pr / denom;
        float cm = cos - margin;
        double t = y[r];
        float l = keepIf(t == 1, 1 - cos) + keepIf(t == -1, clampMin0(cm));
        if (each != null) {
          each[r] = l;
        } else {
          s += l;
        }
        if (!grads) {
          continue;
        }
        // Autograd's float steps back through the composite, each rounded to float (where terms cancel, as for
        // nearly parallel vectors, the float steps are PyTorch's answer): WhereBackward0 / RsubBackward1 /
        // ClampMinBackward0, DivBackward0, SqrtBackward0, MulBackward0, then x * x's two equal terms and the
        // product's term.
        float g = (float) (geRows != null ? geRows[r] : ge);
        float gc = (t == 1 ? -g : 0f) + (t == -1 && cm >= 0 ? g : 0f);
        float gp = gc / denom;
        float gd = -gc * ((pr / denom) / denom);
        float gmm = gd / (2 * denom);
        float gm1 = gmm * m2;
        float gm2 = gmm * m1;
        for (int k = off; k < end; k++) {
          float u = x1[k];
          float v = x2[k];
          if (g1 != null) {
            float gx = gm1 * u;
            g1[k] = gp * v + (gx + gx);
          }
          if (g2 != null) {
            float gx = gm2 * v;
            g2[k] = gp * u + (gx + gx);
          }
        }
      }
      return s;
    });
  }

  public static double cosineEmbedding(double[] x1, double[] x2, double[] y, int rows, int size, double margin,
      double[] each, double ge, double[] geRows, double[] g1, double[] g2) {
    boolean grads = g1 != null || g2 != null;
    return Parallel.sumRows(rows, size * 2, (from, to) -> {
      double s = 0;
      for (int r = from; r < to; r++) {
        int off = r * size;
        int end = off + size;
        double dot = 0;
        double sq1 = 0;
        double sq2 = 0;
        for (int k = off; k < end; k++) {
          double u = x1[k];
          double v = x2[k];
          dot += u * v;
          sq1 += u * u;
          sq2 += v * v;
        }
        double m1 = sq1 + COSINE_EPS;
        double m2 = sq2 + COSINE_EPS;
        double denom = Math.sqrt(m1 * m2);
        double cos = dot / denom;
        double cm = cos - margin;
        double t = y[r];
        double l = keepIf(t == 1, 1 - cos) + keepIf(t == -1, clampMin0(cm));
        if (each != null) {
          each[r] = l;
        } else {
          s += l;
        }
        if (!grads) {
          continue;
        }
        double g = geRows != null ? geRows[r] : ge;
        double gc = (t == 1 ? -g : 0) + (t == -1 && cm >= 0 ? g : 0);
        double gp = gc / denom;
        double gd = -gc * ((dot / denom) / denom);
        double gmm = gd / (2 * denom);
        double gm1 = gmm * m2;
        double gm2 = gmm * m1;
        for (int k = off; k < end; k++) {
          double u = x1[k];
          double v = x2[k];
          if (g1 != null) {
            double gx = gm1 * u;
            g1[k] = gp * v + (gx + gx);
          }
          if (g2 != null) {
            double gx = gm2 * v;
            g2[k] = gp * u + (gx + gx);
          }
        }
      }
      return s;
    });
  }
}
