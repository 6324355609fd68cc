package dev.loss4j.ops;

import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.DType;

/**
 * Special functions with autograd, as PyTorch's: {@code torch.erf} ({@code ErfBackward0}, d = 2/sqrt(pi)
 * e^(-x^2)), {@code torch.erfc} ({@code ErfcBackward0}), {@code torch.lgamma} ({@code LgammaBackward0}, d =
 * digamma x), {@code torch.digamma} ({@code DigammaBackward0}, d = trigamma x) and {@code F.gelu}
 * ({@code GeluBackward0}: x Phi(x), or its tanh approximation), {@code torch.logit} ({@code LogitBackward0}) and
 * {@code torch.special.ndtr}. Integers and bools give float32.
 *
 * <p>The functions are computed in double here (the JDK has none of them): erf by its Taylor series below 2.5
 * and erfc by a continued fraction above; lgamma and digamma by shifting x up to at least 10 with the
 * recurrences and then their asymptotic (Stirling) series, reflecting negative x. PyTorch's float64 results
 * are libm's and its float32 ones are computed in float, so values agree to within a few units in the last place
 * of the dtype, not bit for bit. At the poles the values are PyTorch's: lgamma is +inf at 0 and the negative
 * integers, digamma is -inf at +0, +inf at -0 and NaN at the negative integers.
 */
public final class Special {
  private Special() {}

  private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
  private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

  /** {@code torch.erf} ({@code ErfBackward0}): d = 2/sqrt(pi) e^(-x^2). */
  public static Variable erf(Variable x) {
    return Kernels.record(new Pointwise.Unary("ErfBackward0", true, Special::erf,
        (g, v, y) -> g * TWO_OVER_SQRT_PI * Math.exp(-v * v)), x);
  }

  /** {@code torch.erfc} ({@code ErfcBackward0}): 1 - erf x without its cancellation; d = -2/sqrt(pi) e^(-x^2). */
  public static Variable erfc(Variable x) {
    return Kernels.record(new Pointwise.Unary("ErfcBackward0", true, Special::erfc,
        (g, v, y) -> -g * TWO_OVER_SQRT_PI * Math.exp(-v * v)), x);
  }

  /** {@code torch.lgamma} ({@code LgammaBackward0}): log |Gamma(x)|; d = digamma x. */
  public static Variable lgamma(Variable x) {
    return Kernels.record(new Pointwise.Unary("LgammaBackward0", true, Special::lgamma,
        (g, v, y) -> g * digamma(v)), x);
  }

  /** {@code torch.digamma} ({@code DigammaBackward0}): Gamma'(x) / Gamma(x); d = trigamma x. */
  public static Variable digamma(Variable x) {
    return Kernels.record(new Pointwise.Unary("DigammaBackward0", true, Special::digamma,
        (g, v, y) -> g * trigamma(v)), x);
  }

  /**
   * {@code F.gelu(x, approximate)} ({@code GeluBackward0}): {@code x Phi(x)} with Phi the standard normal
   * distribution function ("none"), or {@code x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2} ("tanh").
   */
  public static Variable gelu(Variable x, String approximate) {
    Pointwise.floatingOnly(x, "GeluKernelImpl");
    if ("tanh".equals(approximate)) {
      double k = Math.sqrt(2 / Math.PI);
      return Kernels.record(new Pointwise.Unary("GeluBackward0", false, v -> {
        double inner = k * (v + 0.044715 * v * v * v);
        return 0.5 * v * (1 + Math.tanh(inner));
      }, (g, v, y) -> {
        double inner = k * (v + 0.044715 * v * v * v);
        double t = Math.tanh(inner);
        return g * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * k * (1 + 3 * 0.044715 * v * v));
      }), x);
    }
    if (!"none".equals(approximate)) {
      throw new RuntimeError("approximate argument must be either none or tanh.");
    }
    double invSqrt2 = 1 / Math.sqrt(2);
    double invSqrt2Pi = 1 / Math.sqrt(2 * Math.PI);
    return Kernels.record(new Pointwise.Unary("GeluBackward0", false, v -> 0.5 * v * (1 + erf(v * invSqrt2)),
        (g, v, y) -> g * (0.5 * (1 + erf(v * invSqrt2)) + v * invSqrt2Pi * Math.exp(-0.5 * v * v))), x);
  }

  /**
   * {@code torch.logit(x, eps)} ({@code LogitBackward0}): {@code log(x / (1 - x))}, x first clamped to
   * {@code [eps, 1 - eps]} when eps is given; d = 1 / (x (1 - x)), zero outside that range (NaN outside [0, 1]
   * without eps).
   */
  public static Variable logit(Variable x, Double eps) {
    if (eps == null) {
      return Kernels.record(new Pointwise.Unary("LogitBackward0", true, v -> Math.log(v / (1 - v)),
          (g, v, y) -> v < 0 || v > 1 ? Double.NaN : g / (v * (1 - v))), x);
    }
    // the bounds in the dtype's own arithmetic, as ATen takes them
    DType dt = Kernels.floating(x.data().dtype());
    double lo = dt.round(eps);
    double hi = dt.round(1 - lo);
    return Kernels.record(new Pointwise.Unary("LogitBackward0", true, v -> {
      double c = v < lo ? lo : v > hi ? hi : v;
      return Math.log(c / (1 - c));
    }, (g, v, y) -> v < lo || v > hi ? 0 : g / (v * (1 - v))), x);
  }

  /**
   * {@code torch.special.ndtr} (named {@code MulBackward1}, the last step of PyTorch's composition
   * {@code erfc(-x / sqrt 2) * 0.5}): the standard normal distribution function; d = e^(-x^2/2) / sqrt(2 pi).
   */
  public static Variable ndtr(Variable x) {
    double invSqrt2 = 1 / Math.sqrt(2);
    double invSqrt2Pi = 1 / Math.sqrt(2 * Math.PI);
    return Kernels.record(new Pointwise.Unary("MulBackward1", true, v -> 0.5 * erfc(-v * invSqrt2),
        (g, v, y) -> g * invSqrt2Pi * Math.exp(-0.5 * v * v)), x);
  }

  // ---- the functions, in double ---------------------------------------------------------------------

  /** erf x: the Taylor series of 2/sqrt(pi) sum (-1)^n x^(2n+1) / (n! (2n+1)) below 2.5, 1 - erfc x above. */
  static double erf(double x) {
    if (x != x || x == 0) {
      return x; // NaN, and zeros keep their sign
    }
    double a = Math.abs(x);
    if (a >= 2.5) {
      return Math.copySign(1 - erfcLarge(a), x);
    }
    double x2 = x * x;
    double term = x;
    double sum = x;
    for (int n = 1; n < 200; n++) {
      term *= -x2 / n;
      double add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) <= 1e-17 * Math.abs(sum)) {
        break;
      }
    }
    return TWO_OVER_SQRT_PI * sum;
  }

  /** erfc x: 1 - erf x below 2.5 (no cancellation to fear there: erfc >= 4e-4), the continued fraction above. */
  static double erfc(double x) {
    if (x != x) {
      return x;
    }
    if (x >= 2.5) {
      return erfcLarge(x);
    }
    if (x <= -2.5) {
      return 2 - erfcLarge(-x);
    }
    return 1 - erf(x);
  }

  /**
   * erfc x for x >= 2.5: {@code e^(-x^2) / sqrt(pi)} times the continued fraction
   * {@code 1 / (x + (1/2) / (x + 1 / (x + (3/2) / (x + 2 / (x + ...)))))}, evaluated by the modified Lentz method.
   */
  private static double erfcLarge(double x) {
    if (x > 27.3) {
      return 0; // below the smallest subnormal double
    }
    double tiny = 1e-300;
    double f = x;
    double c = x;
    double d = 0;
    for (int k = 1; k < 500; k++) {
      double a = k * 0.5;
      d = x + a * d;
      d = d == 0 ? tiny : d;
      c = x + a / c;
      c = c == 0 ? tiny : c;
      d = 1 / d;
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) {
        break;
      }
    }
    return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
  }

  /**
   * log |Gamma(x)|: +inf at 0, the negative integers and both infinities; negative x by the reflection
   * {@code log(pi / |sin(pi x)|) - lgamma(1 - x)}; else x raised to at least 10 with
   * {@code lgamma(x) = lgamma(x + 1) - log x}, then Stirling's series.
   */
  static double lgamma(double x) {
    if (x != x) {
      return x;
    }
    if (Double.isInfinite(x) || x == 0) {
      return Double.POSITIVE_INFINITY;
    }
    if (x == 1 || x == 2) {
      return 0; // Gamma is 1 there; the recurrence below would leave a last-place residue
    }
    if (x < 0) {
      if (x == Math.floor(x)) {
        return Double.POSITIVE_INFINITY;
      }
      if (x < -1e15) {
        // so large that every such double is an integer but this one: no ulp to spare, as PyTorch gives inf
        return Double.POSITIVE_INFINITY;
      }
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
    }
    double shift = 0;
    double p = 1;
    while (x < 10) {
      p *= x;
      x += 1;
      if (p > 1e280) {
        shift += Math.log(p);
        p = 1;
      }
    }
    shift += Math.log(p);
    double z = 1 / (x * x);
    // Bernoulli-number terms B_2k / (2k (2k - 1) x^(2k - 1)), k = 1..7
    double series = (1.0 / 12 + z * (-1.0 / 360 + z * (1.0 / 1260 + z * (-1.0 / 1680 + z * (1.0 / 1188
        + z * (-691.0 / 360360 + z * (1.0 / 156))))))) / x;
    return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series - shift;
  }

  /**
   * digamma x: -inf at +0 and +inf at -0, NaN at the negative integers; negative x by the reflection
   * {@code digamma(1 - x) - pi / tan(pi frac(x))}; else x raised to at least 10 with
   * {@code digamma(x) = digamma(x + 1) - 1/x}, then the asymptotic series
   * {@code log x - 1/(2x) - sum B_2k / (2k x^2k)}.
   */
  static double digamma(double x) {
    if (x != x) {
      return x;
    }
    if (x == 0) {
      return Math.copySign(Double.POSITIVE_INFINITY, -x);
    }
    if (x == Double.POSITIVE_INFINITY) {
      return x;
    }
    if (x < 0) {
      if (x == Math.floor(x)) {
        return Double.NaN;
      }
      double frac = x - (x < 0 ? Math.ceil(x) : Math.floor(x));
      return digamma(1 - x) - Math.PI / Math.tan(Math.PI * frac);
    }
    double result = 0;
    while (x < 10) {
      result -= 1 / x;
      x += 1;
    }
    double z = 1 / (x * x);
    double series = z * (1.0 / 12 + z * (-1.0 / 120 + z * (1.0 / 252 + z * (-1.0 / 240 + z * (1.0 / 132
        + z * (-691.0 / 32760 + z * (1.0 / 12)))))));
    return result + Math.log(x) - 0.5 / x - series;
  }

  /**
   * trigamma x, the derivative of digamma: below 1/2 by the reflection {@code pi^2 / sin^2(pi x)} (huge but finite
   * at the negative integers, as PyTorch's), then six steps of {@code 1/x^2} and the asymptotic series
   * {@code 1/x + 1/(2x^2) + sum B_2k / x^(2k+1)}.
   */
  static double trigamma(double x) {
    if (x != x) {
      return x;
    }
    double sign = 1;
    double result = 0;
    if (x < 0.5) {
      sign = -1;
      double s = Math.sin(Math.PI * x);
      result -= Math.PI * Math.PI / (s * s);
      x = 1 - x;
    }
    for (int i = 0; i < 6; i++) {
      result += 1 / (x * x);
      x += 1;
    }
    double z = 1 / (x * x);
    result += (1 + 1 / (2 * x) + z * (1.0 / 6 - z * (1.0 / 30 - z * (1.0 / 42)))) / x;
    return sign * result;
  }
}
