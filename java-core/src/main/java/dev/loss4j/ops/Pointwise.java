package dev.loss4j.ops;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.NotImplementedError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.kernel.ActivationKernels;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Storage;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import java.util.List;

/**
 * Element-wise functions with autograd, as PyTorch's: {@code exp} ({@code ExpBackward0}, d = y),
 * {@code log} ({@code LogBackward0}, d = 1/x), {@code sqrt} ({@code SqrtBackward0}, d = 1/(2y)),
 * {@code sigmoid} ({@code SigmoidBackward0}, d = y(1-y)), {@code abs} ({@code AbsBackward0}, d = sgn x),
 * {@code neg} ({@code NegBackward0}), {@code pow(x, number)} ({@code PowBackward0}, d = e x^(e-1), 0 for
 * e = 0), {@code relu}, {@code tanh}, {@code log1p} and {@code clamp(x, min, max)} ({@code ClampBackward1}: the gradient passes where min <= x <= max).
 *
 * <p>{@code exp}, {@code log}, {@code sqrt} and {@code sigmoid} of an integer or bool tensor are float32, as in
 * PyTorch; {@code abs} and {@code neg} keep integer dtypes. Values are computed in double and rounded to the
 * output dtype once.
 */
public final class Pointwise {
  private Pointwise() {}

  @FunctionalInterface
  interface Fn {
    double apply(double x);
  }

  /** d loss / d x from the output gradient {@code g}, the input {@code x} and the output {@code y}. */
  @FunctionalInterface
  interface Grad {
    double apply(double g, double x, double y);
  }

  public static Variable exp(Variable x) {
    return Kernels.record(new Unary("ExpBackward0", true, Math::exp, (g, v, y) -> g * y), x);
  }

  public static Variable log(Variable x) {
    return Kernels.record(new Unary("LogBackward0", true, Math::log, (g, v, y) -> g / v), x);
  }

  public static Variable sqrt(Variable x) {
    return Kernels.record(new Unary("SqrtBackward0", true, Math::sqrt, (g, v, y) -> g / (2 * y)), x);
  }

  public static Variable sigmoid(Variable x) {
    DType dt = x.data().dtype();
    if (dt == DType.FLOAT32 || dt == DType.FLOAT64) {
      return Kernels.record(SIGMOID, x);
    }
    return Kernels.record(new Unary("SigmoidBackward0", true, Pointwise::sigmoid, (g, v, y) -> g * (1 - y) * y), x);
  }

  /**
   * sigmoid of a float32 or float64 tensor on {@link ActivationKernels}' flat loops (one pass forward, one
   * backward); other dtypes take the general {@link Unary} path, with the same values.
   */
  private static final Differentiable SIGMOID = (inputs, needsGrad) -> {
    Tensor x = inputs[0];
    int[] shape = x.shape();
    Tensor y;
    if (x.dtype() == DType.FLOAT32) {
      float[] out = new float[x.numel()];
      ActivationKernels.sigmoid(Storage.floats(x), out);
      y = Storage.adopt(out, shape);
    } else {
      double[] out = new double[x.numel()];
      ActivationKernels.sigmoid(Storage.doubles(x), out);
      y = Storage.adopt(out, shape);
    }
    if (!needsGrad[0]) {
      return new Differentiable.Result(y, "SigmoidBackward0", List.of(), null);
    }
    return new Differentiable.Result(y, "SigmoidBackward0", List.of(), g -> {
      Tensor gc = g.dtype() == y.dtype() ? g : g.to(y.dtype());
      if (y.dtype() == DType.FLOAT32) {
        float[] gx = new float[y.numel()];
        ActivationKernels.sigmoidBackward(Storage.floats(gc), Storage.floats(y), gx);
        return new Tensor[] {Storage.adopt(gx, shape)};
      }
      double[] gx = new double[y.numel()];
      ActivationKernels.sigmoidBackward(Storage.doubles(gc), Storage.doubles(y), gx);
      return new Tensor[] {Storage.adopt(gx, shape)};
    });
  };

  /** {@code torch.relu} ({@code ReluBackward0}): max(x, 0), gradient where the output is positive. */
  public static Variable relu(Variable x) {
    if (x.data().dtype() == DType.BOOL) {
      throw new RuntimeError("Boolean inputs not supported for relu");
    }
    return Kernels.record(new Unary("ReluBackward0", false, v -> Double.isNaN(v) ? v : Math.max(v, 0),
        (g, v, y) -> y > 0 ? g : 0), x);
  }

  /** {@code torch.tanh} ({@code TanhBackward0}): d = 1 - y^2. */
  public static Variable tanh(Variable x) {
    return Kernels.record(new Unary("TanhBackward0", true, Math::tanh, (g, v, y) -> g * (1 - y * y)), x);
  }

  /** {@code torch.log1p} ({@code Log1PBackward0}): d = 1 / (1 + x). */
  public static Variable log1p(Variable x) {
    return Kernels.record(new Unary("Log1PBackward0", true, Math::log1p, (g, v, y) -> g / (v + 1)), x);
  }

  /** {@code torch.cos} ({@code CosBackward0}): d = -sin x. */
  public static Variable cos(Variable x) {
    return Kernels.record(new Unary("CosBackward0", true, Math::cos, (g, v, y) -> -g * Math.sin(v)), x);
  }

  /** {@code torch.sin} ({@code SinBackward0}): d = cos x. */
  public static Variable sin(Variable x) {
    return Kernels.record(new Unary("SinBackward0", true, Math::sin, (g, v, y) -> g * Math.cos(v)), x);
  }

  /** {@code torch.cosh} ({@code CoshBackward0}): d = sinh x. */
  public static Variable cosh(Variable x) {
    return Kernels.record(new Unary("CoshBackward0", true, Math::cosh, (g, v, y) -> g * Math.sinh(v)), x);
  }

  /** {@code torch.acos} ({@code AcosBackward0}): d = -1 / sqrt(1 - x^2); NaN outside [-1, 1]. */
  public static Variable acos(Variable x) {
    return Kernels.record(new Unary("AcosBackward0", true, Math::acos,
        (g, v, y) -> -g / Math.sqrt(1 - v * v)), x);
  }

  /**
   * {@code F.softplus(x, beta, threshold)} ({@code SoftplusBackward0}): log(1 + exp(beta x)) / beta, and x itself
   * where beta x > threshold; d = sigmoid(beta x) there and 1 past the threshold.
   */
  public static Variable softplus(Variable x, double beta, double threshold) {
    floatingOnly(x, "softplus_cpu");
    return Kernels.record(new Unary("SoftplusBackward0", true,
        v -> v * beta > threshold ? v : Math.log1p(Math.exp(v * beta)) / beta,
        (g, v, y) -> {
          if (v * beta > threshold) {
            return g;
          }
          double z = Math.exp(v * beta);
          return g * z / (z + 1);
        }), x);
  }

  /** {@code F.logsigmoid} ({@code LogSigmoidBackward0}): min(x, 0) - log1p(exp(-|x|)); d = sigmoid(-x). */
  public static Variable logSigmoid(Variable x) {
    floatingOnly(x, "log_sigmoid_cpu");
    return Kernels.record(new Unary("LogSigmoidBackward0", true,
        v -> Math.min(v, 0) - Math.log1p(Math.exp(-Math.abs(v))), (g, v, y) -> g * sigmoid(-v)), x);
  }

  /** {@code torch.sign} ({@code SignBackward0}): -1, 0 or 1 (0 for NaN, as in PyTorch 2.13); the gradient is zero. */
  public static Variable sign(Variable x) {
    x.data().dtype().refuseBarebones("sign_cpu");
    if (x.data().dtype() == DType.BOOL) {
      return Kernels.record(new Unary("SignBackward0", DType.BOOL, v -> v, (g, v, y) -> 0), x);
    }
    return Kernels.record(new Unary("SignBackward0", false, Pointwise::sign, (g, v, y) -> 0), x);
  }

  /** {@code torch.atan} ({@code AtanBackward0}): d = 1 / (1 + x^2). */
  public static Variable atan(Variable x) {
    return Kernels.record(new Unary("AtanBackward0", true, Math::atan, (g, v, y) -> g / (1 + v * v)), x);
  }

  /** {@code torch.floor} ({@code FloorBackward0}, a zero gradient); an integer tensor comes back as it is. */
  public static Variable floor(Variable x) {
    return rounding(x, "FloorBackward0", "floor_vml_cpu", Math::floor);
  }

  /** {@code torch.ceil} ({@code CeilBackward0}, a zero gradient); an integer tensor comes back as it is. */
  public static Variable ceil(Variable x) {
    return rounding(x, "CeilBackward0", "ceil_vml_cpu", Math::ceil);
  }

  /** {@code torch.round} ({@code RoundBackward0}): to the nearest integer, halves to even; zero gradient. */
  public static Variable round(Variable x) {
    return rounding(x, "RoundBackward0", "round_vml_cpu", Math::rint);
  }

  /** {@code torch.trunc} ({@code TruncBackward0}): toward zero; zero gradient. */
  public static Variable trunc(Variable x) {
    return rounding(x, "TruncBackward0", "trunc_vml_cpu", Pointwise::truncate);
  }

  /**
   * {@code torch.round(x, decimals=d)} ({@code RoundBackward1}): as ATen, each step rounded in the tensor's dtype
   * (float32 for float16 and bfloat16), {@code rint(x * 10^d) / 10^d}, or {@code rint(x / 10^-d) * 10^-d} for
   * negative d; floating dtypes only.
   */
  public static Variable round(Variable x, long decimals) {
    if (decimals == 0) {
      return round(x);
    }
    floatingOnly(x, "round_cpu");
    DType dt = x.data().dtype();
    boolean negative = decimals < 0;
    // float16 and bfloat16 compute in float32, rounded to their dtype once at the end
    DType step = dt.isReducedFloat() ? DType.FLOAT32 : dt;
    double tenPow = step.round(Math.pow(10, Math.abs((double) decimals)));
    Fn f = negative ? v -> step.round(Math.rint(step.round(v / tenPow)) * tenPow)
        : v -> step.round(Math.rint(step.round(v * tenPow)) / tenPow);
    return Kernels.record(new Unary("RoundBackward1", false, f, (g, v, y) -> 0), x);
  }

  /** {@code torch.frac} ({@code FracBackward0}): {@code x - trunc(x)}, the sign of x; d = 1. Floating dtypes only. */
  public static Variable frac(Variable x) {
    floatingOnly(x, "frac_cpu");
    return Kernels.record(new Unary("FracBackward0", false, v -> v - truncate(v), (g, v, y) -> g), x);
  }

  /** {@code torch.exp2} ({@code Exp2Backward0}): 2^x; d = y ln 2. Integers and bools give float32. */
  public static Variable exp2(Variable x) {
    return Kernels.record(new Unary("Exp2Backward0", true, v -> Math.pow(2, v), (g, v, y) -> g * y * LN2), x);
  }

  /** {@code torch.log2} ({@code Log2Backward0}): d = 1 / (x ln 2). */
  public static Variable log2(Variable x) {
    return Kernels.record(new Unary("Log2Backward0", true, v -> Math.log(v) / LN2, (g, v, y) -> g / (v * LN2)), x);
  }

  /** {@code torch.log10} ({@code Log10Backward0}): d = 1 / (x ln 10). */
  public static Variable log10(Variable x) {
    return Kernels.record(new Unary("Log10Backward0", true, Math::log10, (g, v, y) -> g / (v * LN10)), x);
  }

  /** {@code torch.expm1} ({@code Expm1Backward0}): e^x - 1 without cancellation near 0; d = y + 1. */
  public static Variable expm1(Variable x) {
    return Kernels.record(new Unary("Expm1Backward0", true, Math::expm1, (g, v, y) -> g * (y + 1)), x);
  }

  /** {@code torch.rsqrt} ({@code RsqrtBackward0}): 1 / sqrt(x); d = -y^3 / 2. */
  public static Variable rsqrt(Variable x) {
    // ATen divides 1 by the square root, each step rounded in the computing type (float32 for float32, float16
    // and bfloat16)
    DType step = x.data().dtype() == DType.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32;
    return Kernels.record(new Unary("RsqrtBackward0", true, v -> step.round(1 / step.round(Math.sqrt(v))),
        (g, v, y) -> -0.5 * g * y * y * y), x);
  }

  /** {@code torch.reciprocal} ({@code ReciprocalBackward0}): 1 / x; d = -y^2. */
  public static Variable reciprocal(Variable x) {
    DType out = Kernels.floating(x.data().dtype());
    // autograd's -g * (y * y); in float16 and bfloat16 each product is rounded to the dtype
    Grad d = out.isReducedFloat() ? (g, v, y) -> -out.round(g * out.round(y * y)) : (g, v, y) -> -g * y * y;
    return Kernels.record(new Unary("ReciprocalBackward0", true, v -> 1 / v, d), x);
  }

  /** {@code F.leaky_relu(x, negative_slope)} ({@code LeakyReluBackward0}): x where x > 0, else slope x. */
  public static Variable leakyRelu(Variable x, double negativeSlope) {
    floatingOnly(x, "leaky_relu_cpu");
    return Kernels.record(new Unary("LeakyReluBackward0", false, v -> v > 0 ? v : v * negativeSlope,
        (g, v, y) -> v > 0 ? g : g * negativeSlope), x);
  }

  /** {@code F.elu(x, alpha)} ({@code EluBackward0}): x where x > 0, else alpha (e^x - 1); d = alpha e^x there. */
  public static Variable elu(Variable x, double alpha) {
    floatingOnly(x, "elu_cpu");
    return Kernels.record(new Unary("EluBackward0", false, v -> v > 0 ? v : alpha * Math.expm1(v),
        (g, v, y) -> v > 0 ? g : g * alpha * Math.exp(v)), x);
  }

  /** {@code F.silu(x)} ({@code SiluBackward0}): x sigmoid(x); d = s (1 + x (1 - s)) with s = sigmoid(x). */
  public static Variable silu(Variable x) {
    floatingOnly(x, "silu_cpu");
    return Kernels.record(new Unary("SiluBackward0", false, v -> v / (1 + Math.exp(-v)), (g, v, y) -> {
      double sg = 1 / (1 + Math.exp(-v));
      return g * sg * (1 + v * (1 - sg));
    }), x);
  }

  /**
   * {@code torch.nan_to_num(x, nan, posinf, neginf)} ({@code NanToNumBackward0}): NaN, +inf and -inf replaced
   * (null posinf/neginf: the dtype's largest finite value and its negative), the result rounded to the dtype;
   * the gradient passes where x was finite. An integer or bool tensor comes back as it is.
   */
  public static Variable nanToNum(Variable x, double nan, Double posinf, Double neginf) {
    DType dt = x.data().dtype();
    if (!dt.isFloatingPoint()) {
      return Variable.constant(x.data());
    }
    double big = dt.maxFinite();
    double pos = posinf == null ? big : posinf;
    double neg = neginf == null ? -big : neginf;
    return Kernels.record(new Unary("NanToNumBackward0", false,
        v -> v != v ? nan : v == Double.POSITIVE_INFINITY ? pos : v == Double.NEGATIVE_INFINITY ? neg : v,
        (g, v, y) -> Double.isFinite(v) ? g : 0), x);
  }

  /** {@code torch.isnan}: a bool tensor outside the graph (false throughout for integers and bools). */
  public static Variable isnan(Variable x) {
    return classify(x, v -> v != v);
  }

  /** {@code torch.isinf}: true at +inf and -inf. */
  public static Variable isinf(Variable x) {
    return classify(x, Double::isInfinite);
  }

  /** {@code torch.isfinite}: neither NaN nor infinite (true throughout for integers and bools). */
  public static Variable isfinite(Variable x) {
    return classify(x, Double::isFinite);
  }

  private static Variable classify(Variable x, java.util.function.DoublePredicate test) {
    Tensor t = x.data();
    int n = t.numel();
    boolean[] out = new boolean[n];
    boolean floating = t.dtype().isFloatingPoint();
    for (int i = 0; i < n; i++) {
      out[i] = test.test(floating ? t.getDouble(i) : 0);
    }
    return Variable.constant(Tensor.ofBooleans(out, t.shape()));
  }

  private static final double LN2 = Math.log(2);
  private static final double LN10 = Math.log(10);

  /** PyTorch's NotImplementedError for a kernel that only has floating dtypes. */
  static void floatingOnly(Variable x, String kernel) {
    DType dt = x.data().dtype();
    if (!dt.isFloatingPoint()) {
      throw NotImplementedError.forDtype(kernel, dt.scalarTypeName());
    }
  }

  /** floor/ceil/round/trunc: floating values through {@code f}; integers unchanged (ATen copies them); bool refused. */
  private static Variable rounding(Variable x, String name, String kernel, Fn f) {
    DType dt = x.data().dtype();
    if (dt == DType.BOOL) {
      throw NotImplementedError.forDtype(kernel, "Bool");
    }
    if (!dt.isFloatingPoint()) {
      // tensors are immutable: the same values under a new variable outside the graph
      return Variable.constant(x.data());
    }
    return Kernels.record(new Unary(name, false, f, (g, v, y) -> 0), x);
  }

  /** Toward zero: C's trunc. */
  static double truncate(double v) {
    return v < 0 ? Math.ceil(v) : Math.floor(v);
  }

  /** ATen's sign of a real value: -1, +0 or 1; +0 for both zeros and for NaN (PyTorch 2.13 gives sign(-0.0) = 0.0). */
  private static double sign(double v) {
    return v > 0 ? 1 : v < 0 ? -1 : 0;
  }

  public static Variable abs(Variable x) {
    x.data().dtype().refuseBarebones("abs_cpu");
    if (x.data().dtype() == DType.BOOL) {
      throw NotImplementedError.forDtype("abs_cpu", "Bool");
    }
    return Kernels.record(new Unary("AbsBackward0", false, Math::abs, (g, v, y) -> g * sign(v)), x);
  }

  public static Variable neg(Variable x) {
    x.data().dtype().refuseBarebones("neg_cpu");
    if (x.data().dtype() == DType.BOOL) {
      throw new RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to"
          + " invert a mask, use the `~` or `logical_not()` operator instead.");
    }
    return Kernels.record(new Unary("NegBackward0", false, v -> -v, (g, v, y) -> -g), x);
  }

  /** {@code x ** exponent} for a Python number exponent. */
  public static Variable pow(Variable x, Object exponent) {
    return pow(x, Kernels.wrapScalar(exponent));
  }

  /** {@code x ** exponent}, the exponent as value + Python type ({@code "int"}, {@code "float"}, {@code "bool"}). */
  public static Variable pow(Variable x, double exponent, String pyType) {
    return pow(x, Kernels.wrapScalar(exponent, pyType));
  }

  private static Variable pow(Variable x, Tensor e) {
    DType out = Kernels.resultType(x.data(), false, e, true);
    out.refuseBarebones("pow");
    double p = e.getDouble(0);
    if (out == DType.BOOL) {
      // A bool tensor to a bool power: PyTorch 2.x answers x ** 1 with a copy and x ** 0 with ones before it
      // dispatches on the dtype (1.13 refused both).
      return Kernels.record(new Unary("PowBackward0", out, v -> p == 0 ? 1 : v, (g, v, y) -> 0), x);
    }
    if (!out.isFloatingPoint()) {
      long ep = e.getLong(0);
      if (ep < 0 && out.isIntegral()) {
        throw new RuntimeError("Integers to negative integer powers are not allowed.");
      }
      if (out.storedAsInts()) {
        // exact powers, wrapped to the dtype as PyTorch's integer kernel wraps them; the exponent is checked
        // against the dtype first (uint8 ** 300 raises)
        out.checkedScalar(ep, false, true);
        DType dt = out;
        return Kernels.record(new Unary("PowBackward0", out, v -> dt.wrap(Arithmetic.Binary.ipow((long) v, ep)),
            (g, v, y) -> 0), x);
      }
    }
    double pe = Kernels.round(p, out);
    return Kernels.record(new Unary("PowBackward0", out, v -> Math.pow(v, pe),
        (g, v, y) -> pe == 0 ? 0 : g * (pe * Math.pow(v, pe - 1))), x);
  }

  /**
   * {@code torch.clamp(x, min, max)}: either bound may be null (not both); the result dtype is the promotion
   * of x with the bounds (an integer tensor with float bounds is float32). NaN stays NaN.
   */
  public static Variable clamp(Variable x, Object min, Object max) {
    return clamp(x, min == null ? null : Kernels.wrapScalar(min), max == null ? null : Kernels.wrapScalar(max));
  }

  /** {@link #clamp(Variable, Object, Object)} with each bound as value + Python type (a null type: no bound). */
  public static Variable clamp(Variable x, double min, String minType, double max, String maxType) {
    return clamp(x, minType == null ? null : Kernels.wrapScalar(min, minType),
        maxType == null ? null : Kernels.wrapScalar(max, maxType));
  }

  private static Variable clamp(Variable x, Tensor min, Tensor max) {
    if (min == null && max == null) {
      throw new RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None");
    }
    DType out = x.data().dtype();
    Tensor tx = x.data();
    if (min != null) {
      out = Kernels.resultType(tx, false, min, true);
      out.refuseBarebones(max == null ? "clamp_min_scalar_cpu" : "clamp_scalar_cpu");
    }
    if (max != null) {
      DType withMax = Kernels.resultType(tx, false, max, true);
      out = DType.promote(out, withMax);
    }
    double lo = min == null ? Double.NaN : bound(min, out);
    double hi = max == null ? Double.NaN : bound(max, out);
    boolean hasLo = min != null;
    boolean hasHi = max != null;
    Fn f = v -> {
      if (Double.isNaN(v)) {
        return v;
      }
      double r = v;
      if (hasLo) {
        r = Double.isNaN(lo) ? lo : Math.max(r, lo);
      }
      if (hasHi) {
        r = Double.isNaN(hi) ? hi : Math.min(r, hi);
      }
      return r;
    };
    Grad d = (g, v, y) -> (!hasLo || v >= lo) && (!hasHi || v <= hi) ? g : 0;
    return Kernels.record(new Unary("ClampBackward1", out, f, d), x);
  }

  /** A clamp bound in the result dtype: a Python int is range-checked and cast for the small integer dtypes. */
  private static double bound(Tensor b, DType out) {
    return out.storedAsInts() && out != DType.INT32
        ? out.checkedScalar(b.getDouble(0), b.dtype().isFloatingPoint(), true) : Kernels.round(b.getDouble(0), out);
  }

  static double sigmoid(double v) {
    return 1 / (1 + Math.exp(-v));
  }

  /** An element-wise function with its derivative. */
  static final class Unary implements Differentiable {
    private final String name;
    private final boolean floatingOnly;
    private final DType fixed;
    private final Fn f;
    private final Grad d;

    Unary(String name, boolean floatingOnly, Fn f, Grad d) {
      this.name = name;
      this.floatingOnly = floatingOnly;
      this.fixed = null;
      this.f = f;
      this.d = d;
    }

    Unary(String name, DType out, Fn f, Grad d) {
      this.name = name;
      this.floatingOnly = false;
      this.fixed = out;
      this.f = f;
      this.d = d;
    }

    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      Tensor x = inputs[0];
      DType out = fixed != null ? fixed : floatingOnly ? Kernels.floating(x.dtype()) : x.dtype();
      int n = x.numel();
      int[] shape = x.shape();
      TensorBuilder ob = new TensorBuilder(out, shape);
      if (!out.isFloatingPoint()) {
        for (int i = 0; i < n; i++) {
          ob.setLong(i, (long) f.apply(x.getLong(i)));
        }
        return new Result(ob.build(), name, List.of(), null);
      }
      for (int i = 0; i < n; i++) {
        ob.set(i, f.apply(Kernels.round(x.getDouble(i), out)));
      }
      Tensor y = ob.build();
      if (!needsGrad[0]) {
        return new Result(y, name, List.of(), null);
      }
      return new Result(y, name, List.of(), g -> {
        TensorBuilder gb = new TensorBuilder(out, shape);
        for (int i = 0; i < n; i++) {
          gb.set(i, d.apply(g.getDouble(i), Kernels.round(x.getDouble(i), out), y.getDouble(i)));
        }
        Tensor gx = gb.build();
        return new Tensor[] {gx.to(x.dtype())};
      });
    }
  }
}
