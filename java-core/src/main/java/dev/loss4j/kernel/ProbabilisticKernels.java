package dev.loss4j.kernel;

/**
 * The loops of the probabilistic losses (KLDiv, GaussianNLL, PoissonNLL) over contiguous arrays of one
 * shape and dtype, one loop per loss and precision.
 *
 * <p>The contract is that of {@link RegressionKernels}: each method returns the sum of the per-element
 * losses, or, when {@code each} is not null, writes each loss there and returns 0; where a gradient array is
 * not null it receives d loss / d that argument times {@code scale}. Values are computed in double and rounded
 * on store. The float32 loops round to float32 the intermediates PyTorch computes in the argument's own dtype
 * before the arithmetic around them ({@code exp(target)} and {@code xlogy(target, target)} of kl_div,
 * {@code exp(input)} and {@code log(input + eps)} of poisson_nll, {@code (input - target)^2} and
 * {@code log(var)} of gaussian_nll), so overflow to inf happens where PyTorch's does. Blocks follow
 * {@link Parallel}; each runs {@link SimdProbabilistic}'s loop when {@link Vectorization#ENABLED}, else the
 * scalar loop here, with the same bits for every element. exp and log are {@link BinaryKernels}' functions.
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
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdProbabilistic.klDivBlock(x, y, logTarget, each, gx, gy, scale, from, to)
        : klDivBlock(x, y, logTarget, each, gx, gy, scale, from, to));
  }

  public static double klDiv(double[] x, double[] y, boolean logTarget, double[] each, double[] gx, double[] gy,
      double scale) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdProbabilistic.klDivBlock(x, y, logTarget, each, gx, gy, scale, from, to)
        : klDivBlock(x, y, logTarget, each, gx, gy, scale, from, to));
  }

  /** log y, or 0 at y = 0 (xlogy's convention). */
  static double logOrZero(double y) {
    return y == 0 ? 0 : BinaryKernels.log(y);
  }

  static double klDivBlock(float[] x, float[] y, boolean logTarget, float[] each, float[] gx, float[] gy,
      double scale, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      double xi = x[i];
      double yi = y[i];
      double l;
      double dx;
      double dy = 0;
      if (logTarget) {
        double e = (float) BinaryKernels.exp(yi);
        l = e * (yi - xi);
        dx = -e;
        if (gy != null) {
          dy = l + e;
        }
      } else {
        double ly = logOrZero(yi);
        l = (double) (float) (yi * ly) - yi * xi;
        dx = -yi;
        if (gy != null) {
          dy = ly + yi / yi - xi;
        }
      }
      if (each != null) {
        each[i] = (float) l;
      } else {
        s += l;
      }
      if (gx != null) {
        gx[i] = (float) (dx * scale);
      }
      if (gy != null) {
        gy[i] = (float) (dy * scale);
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
        if (gy != null) {
          dy = l + e;
        }
      } else {
        double ly = logOrZero(yi);
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
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdProbabilistic.gaussianNllBlock(x, y, v, eps, full, each, gx, gy, gv, scale, from, to)
        : gaussianNllBlock(x, y, v, eps, full, each, gx, gy, gv, scale, from, to));
  }

  public static double gaussianNll(double[] x, double[] y, double[] v, double eps, boolean full, double[] each,
      double[] gx, double[] gy, double[] gv, double scale) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdProbabilistic.gaussianNllBlock(x, y, v, eps, full, each, gx, gy, gv, scale, from, to)
        : gaussianNllBlock(x, y, v, eps, full, each, gx, gy, gv, scale, from, to));
  }

  static double gaussianNllBlock(float[] x, float[] y, float[] v, double eps, boolean full, float[] each,
      float[] gx, float[] gy, float[] gv, double scale, int from, int to) {
    double constant = full ? HALF_LOG_2PI : 0;
    double s = 0;
    for (int i = from; i < to; i++) {
      double vi = v[i] < eps ? eps : v[i];
      double iv = 1 / vi;
      double d = (float) ((double) x[i] - y[i]);
      double q = (float) (d * d) * iv;
      double l = 0.5 * ((float) BinaryKernels.log(vi) + q) + constant;
      if (each != null) {
        each[i] = (float) l;
      } else {
        s += l;
      }
      double dx = d * iv * scale;
      if (gx != null) {
        gx[i] = (float) dx;
      }
      if (gy != null) {
        gy[i] = (float) -dx;
      }
      if (gv != null) {
        gv[i] = (float) (0.5 * (iv - q * iv) * scale);
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
   * {@code -log(x + eps)}). When {@code full}, {@code y log y - y + 0.5 log(2 pi y)} is added where
   * {@code y > 1}, and d/dy gains {@code log y + y/y - 1 + 0.5 / y} there and 0 times it elsewhere (NaN
   * where {@code y <= 0}, as PyTorch's masked term).
   */
  public static double poissonNll(float[] x, float[] y, boolean logInput, boolean full, double eps, float[] each,
      float[] gx, float[] gy, double scale) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdProbabilistic.poissonNllBlock(x, y, logInput, full, eps, each, gx, gy, scale, from, to)
        : poissonNllBlock(x, y, logInput, full, eps, each, gx, gy, scale, from, to));
  }

  public static double poissonNll(double[] x, double[] y, boolean logInput, boolean full, double eps,
      double[] each, double[] gx, double[] gy, double scale) {
    return Parallel.sum(x.length, (from, to) -> Vectorization.ENABLED
        ? SimdProbabilistic.poissonNllBlock(x, y, logInput, full, eps, each, gx, gy, scale, from, to)
        : poissonNllBlock(x, y, logInput, full, eps, each, gx, gy, scale, from, to));
  }

  /** The Stirling term {@code y log y - y + 0.5 log(2 pi y)} from {@code ly = log y}. */
  static double stirling(double y, double ly) {
    return y * ly - y + 0.5 * (LOG_2PI + ly);
  }

  /** Its derivative as autograd forms it: {@code log y + y / y - 1 + 0.5 / y}. */
  static double stirlingGrad(double y, double ly) {
    return ly + y / y - 1 + 0.5 / y;
  }

  static double poissonNllBlock(float[] x, float[] y, boolean logInput, boolean full, double eps, float[] each,
      float[] gx, float[] gy, double scale, int from, int to) {
    float epsF = (float) eps;
    double s = 0;
    for (int i = from; i < to; i++) {
      double xi = x[i];
      double yi = y[i];
      double l;
      double dx;
      double dy;
      if (logInput) {
        double e = (float) BinaryKernels.exp(xi);
        l = e - yi * xi;
        dx = e - yi;
        dy = -xi;
      } else {
        double lg = (float) BinaryKernels.log((float) (xi + epsF));
        l = xi - yi * lg;
        dx = 1 - yi / (xi + eps);
        dy = -lg;
      }
      if (full) {
        double ly = BinaryKernels.log(yi);
        boolean above = !(yi <= 1);
        if (above) {
          l += stirling(yi, ly);
        }
        if (gy != null) {
          dy += above ? stirlingGrad(yi, ly) : 0 * stirlingGrad(yi, ly);
        }
      }
      if (each != null) {
        each[i] = (float) l;
      } else {
        s += l;
      }
      if (gx != null) {
        gx[i] = (float) (dx * scale);
      }
      if (gy != null) {
        gy[i] = (float) (dy * scale);
      }
    }
    return s;
  }

  static double poissonNllBlock(double[] x, double[] y, boolean logInput, boolean full, double eps, double[] each,
      double[] gx, double[] gy, double scale, int from, int to) {
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
      if (full) {
        double ly = BinaryKernels.log(yi);
        boolean above = !(yi <= 1);
        if (above) {
          l += stirling(yi, ly);
        }
        if (gy != null) {
          dy += above ? stirlingGrad(yi, ly) : 0 * stirlingGrad(yi, ly);
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
}
