package dev.loss4j.kernel;

/**
 * The loops of the regression losses (L1, MSE, SmoothL1, Huber) over same-length contiguous arrays.
 *
 * <p>Every method has the same contract. It reads input {@code x} and target {@code y}; it returns the
 * sum of the per-element losses, or, when {@code each} is not null, writes each loss there (rounded to
 * the array's precision) and returns 0. Where {@code gx}/{@code gy} are not null it writes the derivative
 * with respect to the input/target times {@code scale} (1/N for a mean, 1 otherwise). Values are computed
 * in double and rounded on store, as the rest of the engine does, except float32 SmoothL1 and Huber, which
 * work in float (see there). Blocks follow {@link Parallel}; each block
 * runs {@link SimdRegression}'s loop when {@link Vectorization#ENABLED}, else the scalar loop here.
 */
public final class RegressionKernels {
  private RegressionKernels() {}

  // ---- L1: |x - y|, d/dx = sign(x - y) ------------------------------------------------------------------

  public static double l1(float[] x, float[] y, float[] each, float[] gx, float[] gy, double scale) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdRegression.l1Block(x, y, each, gx, gy, scale, from, to)
        : l1Block(x, y, each, gx, gy, scale, from, to));
  }

  public static double l1(double[] x, double[] y, double[] each, double[] gx, double[] gy, double scale) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdRegression.l1Block(x, y, each, gx, gy, scale, from, to)
        : l1Block(x, y, each, gx, gy, scale, from, to));
  }

  /** sign as ATen computes it, (0 < d) - (d < 0): 0 at a tie and for NaN, written without branches. */
  private static double sign(double d) {
    return (d > 0 ? 1 : 0) - (d < 0 ? 1 : 0);
  }

  static double l1Block(float[] x, float[] y, float[] each, float[] gx, float[] gy, double scale,
      int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      double d = (double) x[i] - y[i];
      double l = Math.abs(d);
      if (each != null) {
        each[i] = (float) l;
      } else {
        s += l;
      }
      if (gx != null) {
        gx[i] = (float) (sign(d) * scale);
      }
      if (gy != null) {
        gy[i] = (float) (-sign(d) * scale);
      }
    }
    return s;
  }

  static double l1Block(double[] x, double[] y, double[] each, double[] gx, double[] gy, double scale,
      int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      double d = x[i] - y[i];
      double l = Math.abs(d);
      if (each != null) {
        each[i] = l;
      } else {
        s += l;
      }
      if (gx != null) {
        gx[i] = sign(d) * scale;
      }
      if (gy != null) {
        gy[i] = -sign(d) * scale;
      }
    }
    return s;
  }

  // ---- MSE: (x - y)^2, d/dx = 2 (x - y) -----------------------------------------------------------------

  public static double mse(float[] x, float[] y, float[] each, float[] gx, float[] gy, double scale) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdRegression.mseBlock(x, y, each, gx, gy, scale, from, to)
        : mseBlock(x, y, each, gx, gy, scale, from, to));
  }

  public static double mse(double[] x, double[] y, double[] each, double[] gx, double[] gy, double scale) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdRegression.mseBlock(x, y, each, gx, gy, scale, from, to)
        : mseBlock(x, y, each, gx, gy, scale, from, to));
  }

  static double mseBlock(float[] x, float[] y, float[] each, float[] gx, float[] gy, double scale,
      int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      double d = (double) x[i] - y[i];
      double l = d * d;
      if (each != null) {
        each[i] = (float) l;
      } else {
        s += l;
      }
      if (gx != null) {
        gx[i] = (float) (2 * d * scale);
      }
      if (gy != null) {
        gy[i] = (float) (-(2 * d) * scale);
      }
    }
    return s;
  }

  static double mseBlock(double[] x, double[] y, double[] each, double[] gx, double[] gy, double scale,
      int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      double d = x[i] - y[i];
      double l = d * d;
      if (each != null) {
        each[i] = l;
      } else {
        s += l;
      }
      if (gx != null) {
        gx[i] = 2 * d * scale;
      }
      if (gy != null) {
        gy[i] = -(2 * d) * scale;
      }
    }
    return s;
  }

  // ---- SmoothL1(beta): 0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta -----------------------------

  /**
   * SmoothL1 with {@code d = x - y}; d/dx is -1 at {@code d <= -beta}, 1 at {@code d >= beta}, else
   * {@code d / beta}; d/dy is the same kernel with x and y swapped (so both get -1 at a tie when beta = 0).
   */
  public static double smoothL1(float[] x, float[] y, float[] each, float[] gx, float[] gy, double scale,
      double beta) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdRegression.smoothL1Block(x, y, each, gx, gy, scale, beta, from, to)
        : smoothL1Block(x, y, each, gx, gy, scale, beta, from, to));
  }

  public static double smoothL1(double[] x, double[] y, double[] each, double[] gx, double[] gy, double scale,
      double beta) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdRegression.smoothL1Block(x, y, each, gx, gy, scale, beta, from, to)
        : smoothL1Block(x, y, each, gx, gy, scale, beta, from, to));
  }

  /**
   * Both branches are computed and one is chosen through a bit mask (an integer conditional move): on real
   * data the branch is unpredictable, and the JIT does not turn a double select into a move. Division by
   * beta is a multiplication by 1/beta (within an ulp of double, far inside every tolerance).
   */
  private static double smoothL1Value(double d, double beta, double invBeta) {
    double z = Math.abs(d);
    double quadratic = 0.5 * z * z * invBeta;
    double linear = z - 0.5 * beta;
    long useQuadratic = z < beta ? -1L : 0L;
    return Double.longBitsToDouble((Double.doubleToRawLongBits(quadratic) & useQuadratic)
        | (Double.doubleToRawLongBits(linear) & ~useQuadratic));
  }

  /**
   * d / beta clamped to [-1, 1] (NaN stays NaN); beta = 0 and beta = inf keep ATen's branches, which give -1
   * at a tie, NaN for NaN, and +-1 for an infinite d when beta = inf (where d * (1 / beta) would be NaN).
   */
  private static double smoothL1Grad(double d, double beta, double invBeta) {
    if (beta == 0 || beta == Double.POSITIVE_INFINITY) {
      return d <= -beta ? -1 : d >= beta ? 1 : d / beta;
    }
    return Math.max(-1.0, Math.min(1.0, d * invBeta));
  }

  /**
   * float32 works in float, as PyTorch's float32 kernel does: half the bytes per lane lets the SIMD twin run
   * twice the lanes of a double loop, and this loop is that twin's element for element (same operations in
   * the same order, so the same bits). Per element it is within an ulp or two of the double computation.
   * beta = 0 and beta = inf take a branching loop (smoothL1BlockEdgeBeta).
   */
  static double smoothL1Block(float[] x, float[] y, float[] each, float[] gx, float[] gy, double scale,
      double beta, int from, int to) {
    if (beta == 0 || beta == Double.POSITIVE_INFINITY) {
      return smoothL1BlockEdgeBeta(x, y, each, gx, gy, scale, (float) beta, from, to);
    }
    float b = (float) beta;
    float halfBeta = (float) (0.5 * beta);
    float invBeta = (float) (1.0 / beta);
    float sc = (float) scale;
    double s = 0;
    for (int i = from; i < to; i++) {
      float d = x[i] - y[i];
      float z = Math.abs(d);
      float l = z < b ? 0.5f * z * z * invBeta : z - halfBeta;
      if (each != null) {
        each[i] = l;
      } else {
        s += l;
      }
      if (gx != null) {
        gx[i] = Math.min(Math.max(d * invBeta, -1f), 1f) * sc;
      }
      if (gy != null) {
        gy[i] = Math.min(Math.max(-d * invBeta, -1f), 1f) * sc;
      }
    }
    return s;
  }

  /**
   * beta = 0 or inf, in float with ATen's branches: where 1/beta is inf or 0 the clamped product of the main
   * loop is NaN for d = 0 or an infinite d. With beta = inf the quadratic 0.5 z z / beta overflows to NaN for
   * z above about 1.8e19, as PyTorch's float32 kernel does.
   */
  private static double smoothL1BlockEdgeBeta(float[] x, float[] y, float[] each, float[] gx, float[] gy,
      double scale, float b, int from, int to) {
    float halfBeta = 0.5f * b;
    float sc = (float) scale;
    double s = 0;
    for (int i = from; i < to; i++) {
      float d = x[i] - y[i];
      float z = Math.abs(d);
      float l = z < b ? 0.5f * z * z / b : z - halfBeta;
      if (each != null) {
        each[i] = l;
      } else {
        s += l;
      }
      if (gx != null) {
        gx[i] = (d <= -b ? -1f : d >= b ? 1f : d / b) * sc;
      }
      if (gy != null) {
        gy[i] = (-d <= -b ? -1f : -d >= b ? 1f : -d / b) * sc;
      }
    }
    return s;
  }

  static double smoothL1Block(double[] x, double[] y, double[] each, double[] gx, double[] gy,
      double scale, double beta, int from, int to) {
    double invBeta = 1.0 / beta;
    double s = 0;
    for (int i = from; i < to; i++) {
      double d = x[i] - y[i];
      double l = smoothL1Value(d, beta, invBeta);
      if (each != null) {
        each[i] = l;
      } else {
        s += l;
      }
      if (gx != null) {
        gx[i] = smoothL1Grad(d, beta, invBeta) * scale;
      }
      if (gy != null) {
        gy[i] = smoothL1Grad(-d, beta, invBeta) * scale;
      }
    }
    return s;
  }

  // ---- Huber(delta): 0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta) ----------------------------

  /** Huber with {@code d = x - y}; d/dx is d clamped to [-delta, delta], d/dy its negation. */
  public static double huber(float[] x, float[] y, float[] each, float[] gx, float[] gy, double scale,
      double delta) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdRegression.huberBlock(x, y, each, gx, gy, scale, delta, from, to)
        : huberBlock(x, y, each, gx, gy, scale, delta, from, to));
  }

  public static double huber(double[] x, double[] y, double[] each, double[] gx, double[] gy, double scale,
      double delta) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdRegression.huberBlock(x, y, each, gx, gy, scale, delta, from, to)
        : huberBlock(x, y, each, gx, gy, scale, delta, from, to));
  }

  /** With {@code m = min(|d|, delta)}, {@code m (|d| - m/2)} is both branches exactly, without a branch. */
  private static double huberValue(double d, double delta) {
    double z = Math.abs(d);
    double m = Math.min(z, delta);
    return m * (z - 0.5 * m);
  }

  /** d clamped to [-delta, delta]; NaN stays NaN. */
  private static double huberGrad(double d, double delta) {
    return Math.max(-delta, Math.min(delta, d));
  }

  /** float32 in float, the SIMD twin's element for element (see smoothL1Block). */
  static double huberBlock(float[] x, float[] y, float[] each, float[] gx, float[] gy, double scale,
      double delta, int from, int to) {
    float dl = (float) delta;
    float sc = (float) scale;
    double s = 0;
    for (int i = from; i < to; i++) {
      float d = x[i] - y[i];
      float z = Math.abs(d);
      float m = Math.min(z, dl);
      float l = m * (z - 0.5f * m);
      if (each != null) {
        each[i] = l;
      } else {
        s += l;
      }
      float g = Math.min(Math.max(d, -dl), dl);
      if (gx != null) {
        gx[i] = g * sc;
      }
      if (gy != null) {
        gy[i] = -g * sc;
      }
    }
    return s;
  }

  static double huberBlock(double[] x, double[] y, double[] each, double[] gx, double[] gy, double scale,
      double delta, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      double d = x[i] - y[i];
      double l = huberValue(d, delta);
      if (each != null) {
        each[i] = l;
      } else {
        s += l;
      }
      double g = huberGrad(d, delta);
      if (gx != null) {
        gx[i] = g * scale;
      }
      if (gy != null) {
        gy[i] = -g * scale;
      }
    }
    return s;
  }
}
