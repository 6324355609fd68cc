package dev.loss4j.kernel;

import static dev.loss4j.kernel.BinaryKernels.CHUNK;

/**
 * The loops of the probabilistic losses (KLDiv, GaussianNLL, PoissonNLL) over contiguous arrays of one
 * shape and dtype, one loop per loss.
 *
 * <p>The contract is that of {@link RegressionKernels}: each method returns the sum of the per-element
 * losses, or, when {@code each} is not null, writes each loss there and returns 0; where a gradient array is
 * not null it receives d loss / d that argument times {@code scale}. As in {@link BinaryKernels}, each loss has
 * a loop per precision, scalar here and lane for lane in {@link SimdProbabilistic}: float64 in double with
 * {@link BinaryKernels}' exp and log; float32 in float32 with {@link SimdMath32}'s, as PyTorch's float32 kernels
 * (so {@code exp(target)} of kl_div with log_target, {@code exp(input)} of poisson_nll, {@code input - target}
 * and its square in gaussian_nll overflow to inf where PyTorch's do), losses added in double. Blocks follow
 * {@link Parallel}.
 */
public final class ProbabilisticKernels {
  private ProbabilisticKernels() {}

  static final double LOG_2PI = Math.log(2 * Math.PI);
  static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

  /** True when some element is below 0 (NaN is not). */
  public static boolean anyNegative(float[] v) {
    boolean any = false;
    for (float e : v) {
      any |= e < 0;
    }
    return any;
  }

  public static boolean anyNegative(double[] v) {
    boolean any = false;
    for (double e : v) {
      any |= e < 0;
    }
    return any;
  }

  // ---- KLDiv: y (log y - x), or exp(y) (y - x) with log_target ---------------------------------------------

  /**
   * KL divergence of log-probabilities {@code x} from targets {@code y}: {@code xlogy(y, y) - y x} (0 where
   * y = 0) with d/dx {@code -y} and d/dy {@code log y + y/y - x} (NaN at y = 0, as xlogy's backward); with
   * {@code logTarget}, {@code exp(y) (y - x)} with d/dx {@code -exp(y)} and d/dy {@code exp(y) (y - x + 1)}.
   */
  public static double klDiv(float[] x, float[] y, boolean logTarget, float[] each, float[] gx, float[] gy,
      double scale) {
    return Parallel.sum(x.length,
        (from, to) -> klDivBlock(x, y, logTarget, each, gx, gy, scale, Vectorization.ENABLED, from, to));
  }

  public static double klDiv(double[] x, double[] y, boolean logTarget, double[] each, double[] gx, double[] gy,
      double scale) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdProbabilistic.klDivBlock(x, y, logTarget, each, gx, gy, scale, from, to)
        : klDivBlock(x, y, logTarget, each, gx, gy, scale, from, to));
  }

  /**
   * A float32 block, computed in float32 as PyTorch's float32 kernel: a chunk's {@code exp(y)} or
   * {@code log(y)} through {@link SimdMath32}'s array forms into per-thread scratch, then the arithmetic in float
   * lanes ({@link SimdProbabilistic}) and a scalar loop for the rest with the same float operations; losses are
   * added in double.
   */
  static double klDivBlock(float[] x, float[] y, boolean logTarget, float[] each, float[] gx, float[] gy,
      double scale, boolean simd, int from, int to) {
    float[] t = SimdMath32.scratch(1)[0];
    float sc = (float) scale;
    double s = 0;
    for (int i = from; i < to; i += CHUNK) {
      int len = Math.min(CHUNK, to - i);
      if (logTarget) {
        SimdMath32.exp(y, i, t, len, false, simd);
      } else {
        SimdMath32.log(y, i, t, len, simd);
      }
      int vec = SimdMath32.vectorEnd(len, simd);
      if (vec > 0) {
        s += SimdProbabilistic.klDiv32(x, y, t, logTarget, each, gx, gy, sc, i, vec);
      }
      s += klDiv32(x, y, t, logTarget, each, gx, gy, sc, i, vec, len);
    }
    return s;
  }

  /**
   * Elements {@code [i + k0, i + k1)} of a float32 chunk from {@code i}, with {@code t[k]} the exp (log target)
   * or log of the target: the lanes of {@link SimdProbabilistic#klDiv32}.
   */
  static double klDiv32(float[] x, float[] y, float[] t, boolean logTarget, float[] each, float[] gx, float[] gy,
      float sc, int i, int k0, int k1) {
    double s = 0;
    for (int k = k0; k < k1; k++) {
      int j = i + k;
      float xi = x[j];
      float yi = y[j];
      float l;
      float dx;
      float dy;
      if (logTarget) {
        float e = t[k];
        l = e * (yi - xi);
        dx = -e;
        dy = l + e;
      } else {
        float ly = yi == 0 ? 0f : t[k];
        l = yi * ly - yi * xi;
        dx = -yi;
        dy = ly + yi / yi - xi;
      }
      if (each != null) {
        each[j] = l;
      } else {
        s += l;
      }
      if (gx != null) {
        gx[j] = dx * sc;
      }
      if (gy != null) {
        gy[j] = dy * sc;
      }
    }
    return s;
  }

  static double klDivBlock(double[] x, double[] y, boolean logTarget, double[] each, double[] gx, double[] gy,
      double scale, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      double xi = x[i];
      double yi = y[i];
      double l;
      double dx;
      double dy = 0;
      if (logTarget) {
        double e = BinaryKernels.exp(yi);
        l = e * (yi - xi);
        dx = -e;
        dy = l + e;
      } else {
        double ly = yi == 0 ? 0 : BinaryKernels.log(yi);
        l = yi * ly - yi * xi;
        dx = -yi;
        if (gy != null) {
          dy = ly + yi / yi - xi;
        }
      }
      if (each != null) {
        each[i] = l;
      } else {
        s += l;
      }
      if (gx != null) {
        gx[i] = dx * scale;
      }
      if (gy != null) {
        gy[i] = dy * scale;
      }
    }
    return s;
  }

  // ---- GaussianNLL: 0.5 (log v + (x - y)^2 / v), v = max(var, eps) -----------------------------------------

  /**
   * Gaussian NLL of {@code x} against {@code y} with variances {@code v} (all of one length), each variance
   * clamped below at {@code eps} (already in the arrays' precision; at least {@link Double#MIN_NORMAL}, so
   * {@code 1 / v} is finite), plus {@code 0.5 log(2 pi)} when {@code full}. Derivatives at the clamped v (the
   * clamp is invisible to autograd): d/dx {@code (x - y) / v}, d/dy its negation, d/dv
   * {@code 0.5 (1 / v - (x - y)^2 / v^2)}.
   */
  public static double gaussianNll(float[] x, float[] y, float[] v, double eps, boolean full, float[] each,
      float[] gx, float[] gy, float[] gv, double scale) {
    return Parallel.sum(x.length, (from, to) -> gaussianNllBlock(x, y, v, eps, full, each, gx, gy, gv, scale,
        Vectorization.ENABLED, from, to));
  }

  public static double gaussianNll(double[] x, double[] y, double[] v, double eps, boolean full, double[] each,
      double[] gx, double[] gy, double[] gv, double scale) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdProbabilistic.gaussianNllBlock(x, y, v, eps, full, each, gx, gy, gv, scale, from, to)
        : gaussianNllBlock(x, y, v, eps, full, each, gx, gy, gv, scale, from, to));
  }

  /**
   * A float32 block in float32, as {@link #klDivBlock(float[], float[], boolean, float[], float[], float[],
   * double, boolean, int, int)}: the clamped variances and their logs in scratch, then the arithmetic.
   */
  static double gaussianNllBlock(float[] x, float[] y, float[] v, double eps, boolean full, float[] each,
      float[] gx, float[] gy, float[] gv, double scale, boolean simd, int from, int to) {
    float[][] scratch = SimdMath32.scratch(2);
    float[] vs = scratch[0];
    float[] logs = scratch[1];
    float epsF = (float) eps;
    float constant = full ? (float) HALF_LOG_2PI : 0f;
    float sc = (float) scale;
    double s = 0;
    for (int i = from; i < to; i += CHUNK) {
      int len = Math.min(CHUNK, to - i);
      for (int k = 0; k < len; k++) {
        vs[k] = v[i + k] < epsF ? epsF : v[i + k];
      }
      SimdMath32.log(vs, 0, logs, len, simd);
      int vec = SimdMath32.vectorEnd(len, simd);
      if (vec > 0) {
        s += SimdProbabilistic.gaussianNll32(x, y, vs, logs, constant, each, gx, gy, gv, sc, i, vec);
      }
      s += gaussianNll32(x, y, vs, logs, constant, each, gx, gy, gv, sc, i, vec, len);
    }
    return s;
  }

  /** Elements {@code [i + k0, i + k1)} of a float32 chunk: the lanes of {@link SimdProbabilistic#gaussianNll32}. */
  static double gaussianNll32(float[] x, float[] y, float[] vs, float[] logs, float constant, float[] each,
      float[] gx, float[] gy, float[] gv, float sc, int i, int k0, int k1) {
    double s = 0;
    for (int k = k0; k < k1; k++) {
      int j = i + k;
      float iv = 1f / vs[k];
      float d = x[j] - y[j];
      float q = d * d * iv;
      float l = 0.5f * (logs[k] + q) + constant;
      if (each != null) {
        each[j] = l;
      } else {
        s += l;
      }
      float dx = d * iv * sc;
      if (gx != null) {
        gx[j] = dx;
      }
      if (gy != null) {
        gy[j] = -dx;
      }
      if (gv != null) {
        gv[j] = 0.5f * (iv - q * iv) * sc;
      }
    }
    return s;
  }

  static double gaussianNllBlock(double[] x, double[] y, double[] v, double eps, boolean full, double[] each,
      double[] gx, double[] gy, double[] gv, double scale, int from, int to) {
    double constant = full ? HALF_LOG_2PI : 0;
    double s = 0;
    for (int i = from; i < to; i++) {
      double vi = v[i] < eps ? eps : v[i];
      double iv = 1 / vi;
      double d = x[i] - y[i];
      double q = d * d * iv;
      double l = 0.5 * (BinaryKernels.log(vi) + q) + constant;
      if (each != null) {
        each[i] = l;
      } else {
        s += l;
      }
      double dx = d * iv * scale;
      if (gx != null) {
        gx[i] = dx;
      }
      if (gy != null) {
        gy[i] = -dx;
      }
      if (gv != null) {
        gv[i] = 0.5 * (iv - q * iv) * scale;
      }
    }
    return s;
  }

  // ---- PoissonNLL: exp(x) - y x, or x - y log(x + eps); + Stirling where y > 1 when full -----------------

  /**
   * Poisson NLL of {@code x} against counts {@code y}: {@code exp(x) - y x} (d/dx {@code exp(x) - y}, d/dy
   * {@code -x}) when {@code logInput}, else {@code x - y log(x + eps)} (d/dx {@code 1 - y / (x + eps)}, d/dy
   * {@code -log(x + eps)}; float32 adds eps rounded to float32, as PyTorch). When {@code full},
   * {@code y log y - y + 0.5 log(2 pi y)} is added where {@code y > 1}, and d/dy gains
   * {@code log y + y/y - 1 + 0.5 / y} there and 0 times it elsewhere (NaN where {@code y <= 0}, as PyTorch's
   * masked term).
   */
  public static double poissonNll(float[] x, float[] y, boolean logInput, boolean full, double eps, float[] each,
      float[] gx, float[] gy, double scale) {
    return Parallel.sum(x.length, (from, to) -> poissonNllBlock(x, y, logInput, full, eps, each, gx, gy, scale,
        Vectorization.ENABLED, from, to));
  }

  public static double poissonNll(double[] x, double[] y, boolean logInput, boolean full, double eps,
      double[] each, double[] gx, double[] gy, double scale) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdProbabilistic.poissonNllBlock(x, y, logInput, full, eps, each, gx, gy, scale, from, to)
        : poissonNllBlock(x, y, logInput, full, eps, each, gx, gy, scale, from, to));
  }

  /**
   * A float32 block in float32, as {@link #klDivBlock(float[], float[], boolean, float[], float[], float[],
   * double, boolean, int, int)}: {@code exp(x)} or {@code log(x + eps)} (eps rounded to float32, as PyTorch),
   * and {@code log y} when full, in scratch, then the main terms and the Stirling term per element.
   */
  static double poissonNllBlock(float[] x, float[] y, boolean logInput, boolean full, double eps, float[] each,
      float[] gx, float[] gy, double scale, boolean simd, int from, int to) {
    float[][] scratch = SimdMath32.scratch(2);
    float[] t = scratch[0];
    float[] ly = full ? scratch[1] : null;
    float epsF = (float) eps;
    float sc = (float) scale;
    double s = 0;
    for (int i = from; i < to; i += CHUNK) {
      int len = Math.min(CHUNK, to - i);
      if (logInput) {
        SimdMath32.exp(x, i, t, len, false, simd);
      } else {
        for (int k = 0; k < len; k++) {
          t[k] = x[i + k] + epsF;
        }
        SimdMath32.log(t, 0, t, len, simd);
      }
      if (full) {
        SimdMath32.log(y, i, ly, len, simd);
      }
      int vec = SimdMath32.vectorEnd(len, simd);
      if (vec > 0) {
        s += SimdProbabilistic.poissonNll32(x, y, t, ly, logInput, epsF, each, gx, gy, sc, i, vec);
      }
      s += poissonNll32(x, y, t, ly, logInput, epsF, each, gx, gy, sc, i, vec, len);
    }
    return s;
  }

  static final float LOG_2PI_F = (float) LOG_2PI;

  /**
   * Elements {@code [i + k0, i + k1)} of a float32 chunk, {@code t[k]} the exp or log of the main term and
   * {@code ly[k]} (null unless full) log y: the lanes of {@link SimdProbabilistic#poissonNll32}.
   */
  static double poissonNll32(float[] x, float[] y, float[] t, float[] ly, boolean logInput, float eps,
      float[] each, float[] gx, float[] gy, float sc, int i, int k0, int k1) {
    double s = 0;
    for (int k = k0; k < k1; k++) {
      int j = i + k;
      float xi = x[j];
      float yi = y[j];
      float l;
      float dx;
      float dy;
      if (logInput) {
        l = t[k] - yi * xi;
        dx = t[k] - yi;
        dy = -xi;
      } else {
        l = xi - yi * t[k];
        dx = 1f - yi / (xi + eps);
        dy = -t[k];
      }
      dy = dy * sc;
      if (ly != null) {
        float lyk = ly[k];
        boolean above = !(yi <= 1);
        float st = yi * lyk - yi + 0.5f * (LOG_2PI_F + lyk);
        float g = lyk + yi / yi - 1f + 0.5f / yi;
        l = above ? l + st : l;
        dy = dy + (above ? g : 0f * g) * sc;
      }
      if (each != null) {
        each[j] = l;
      } else {
        s += l;
      }
      if (gx != null) {
        gx[j] = dx * sc;
      }
      if (gy != null) {
        gy[j] = dy;
      }
    }
    return s;
  }

  private static final float TWO_PI_F = (float) (2 * Math.PI);

  /**
   * The Stirling term {@code t log t - t + 0.5 log(2 pi t)} op by op in float32, each log {@link SimdMath32}'s:
   * PyTorch forms this term in float32 for a float32 or integral target, also when the loss itself is float64,
   * so its roundings (2 pi t, each log, each product and sum) show at float64 tolerance. PyTorch 2.13's float32
   * log is MKL's vsLn, whose bits are not reproducible here: this log gives its bits for 995 of the integers
   * 1..1000 (and of 2 pi times them) and for 99.7% of those to 200,000; a correctly rounded log, for 99.2%.
   */
  public static float stirling32(float t) {
    float a = t * SimdMath32.log(t);
    float b = a - t;
    float c = SimdMath32.log(TWO_PI_F * t);
    return b + 0.5f * c;
  }

  /** The Stirling term {@code y log y - y + 0.5 log(2 pi y)} from {@code ly = log y}. */
  static double stirling(double y, double ly) {
    return y * ly - y + 0.5 * (LOG_2PI + ly);
  }

  /** Its derivative as autograd forms it: {@code log y + y / y - 1 + 0.5 / y}. */
  static double stirlingGrad(double y, double ly) {
    return ly + y / y - 1 + 0.5 / y;
  }

  /** The main terms, then (when full) the Stirling term added to what they wrote, as {@link SimdProbabilistic}. */
  static double poissonNllBlock(double[] x, double[] y, boolean logInput, boolean full, double eps, double[] each,
      double[] gx, double[] gy, double scale, int from, int to) {
    double s = poissonNllMain(x, y, logInput, eps, each, gx, gy, scale, from, to);
    return full ? s + poissonNllStirling(y, each, gy, scale, from, to) : s;
  }

  static double poissonNllMain(double[] x, double[] y, boolean logInput, double eps, double[] each, double[] gx,
      double[] gy, double scale, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      double xi = x[i];
      double yi = y[i];
      double l;
      double dx;
      double dy;
      if (logInput) {
        double e = BinaryKernels.exp(xi);
        l = e - yi * xi;
        dx = e - yi;
        dy = -xi;
      } else {
        double lg = BinaryKernels.log(xi + eps);
        l = xi - yi * lg;
        dx = 1 - yi / (xi + eps);
        dy = -lg;
      }
      if (each != null) {
        each[i] = l;
      } else {
        s += l;
      }
      if (gx != null) {
        gx[i] = dx * scale;
      }
      if (gy != null) {
        gy[i] = dy * scale;
      }
    }
    return s;
  }

  /**
   * Adds the Stirling term where {@code y > 1} to {@code each} (or returns its sum), and to {@code gy} its
   * derivative there, 0 times it elsewhere, times {@code scale}.
   */
  static double poissonNllStirling(double[] y, double[] each, double[] gy, double scale, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      double yi = y[i];
      double ly = BinaryKernels.log(yi);
      boolean above = !(yi <= 1);
      double st = stirling(yi, ly);
      if (each != null) {
        each[i] = above ? each[i] + st : each[i];
      } else {
        s += above ? st : 0;
      }
      if (gy != null) {
        double g = stirlingGrad(yi, ly);
        gy[i] = gy[i] + (above ? g : 0 * g) * scale;
      }
    }
    return s;
  }
}
