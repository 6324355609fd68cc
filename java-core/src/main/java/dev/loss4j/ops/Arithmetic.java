package dev.loss4j.ops;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.GradientFunction;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.NotImplementedError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import dev.loss4j.tensor.TensorMath;
import java.util.List;

/**
 * Broadcasting arithmetic with autograd, as PyTorch's {@code + - * / **} on tensors and Python numbers:
 * {@code torch.add} ({@code AddBackward0}), {@code torch.sub} ({@code SubBackward0}), {@code torch.mul}
 * ({@code MulBackward0}), {@code torch.div} ({@code DivBackward0}, true division: integers give float32),
 * {@code torch.pow} of two tensors ({@code PowBackward1}), {@code number - tensor} ({@code RsubBackward1}) and
 * {@code number / tensor} (PyTorch's {@code reciprocal() * number}, named {@code MulBackward0}).
 *
 * <p>Shapes broadcast by numpy's rules; the result dtype is {@code torch.result_type} (dimensioned tensors
 * outrank 0-d tensors, which outrank Python numbers; a higher category lifts the result, a Python float to
 * float32). Operands are rounded to the result dtype first, each element is computed in double and rounded
 * once, which for float32 {@code + - * /} is exactly IEEE single arithmetic. Gradients are summed back to each
 * operand's shape and dtype. The {@code *Scalar} forms take a Python number ({@link Boolean}, integral
 * {@link Number} or {@link Double}) as the other operand.
 */
public final class Arithmetic {
  private Arithmetic() {}

  /**
   * The binary operations: the four arithmetic ones and {@code **}; {@code REMAINDER} ({@code %},
   * {@code torch.remainder}: the sign of the divisor), {@code FMOD} ({@code torch.fmod}: the sign of the
   * dividend), {@code FLOOR_DIVIDE} ({@code //}, {@code torch.floor_divide}, with no derivative) and
   * {@code DIV_FLOOR}/{@code DIV_TRUNC} ({@code torch.div} with {@code rounding_mode}, zero gradients);
   * {@code LOGADDEXP} (log(e^a + e^b)), {@code XLOGY} (a log b, 0 where a is 0), {@code ATAN2}, {@code HYPOT}
   * (sqrt(a^2 + b^2)) and {@code COPYSIGN} (|a| with b's sign).
   */
  public enum Kind {
    ADD, SUB, MUL, DIV, POW, REMAINDER, FMOD, FLOOR_DIVIDE, DIV_FLOOR, DIV_TRUNC, LOGADDEXP, XLOGY, ATAN2, HYPOT,
    COPYSIGN
  }

  public static Variable add(Variable a, Variable b) {
    return binary(Kind.ADD, a, b);
  }

  public static Variable sub(Variable a, Variable b) {
    return binary(Kind.SUB, a, b);
  }

  public static Variable mul(Variable a, Variable b) {
    return binary(Kind.MUL, a, b);
  }

  public static Variable div(Variable a, Variable b) {
    return binary(Kind.DIV, a, b);
  }

  /** {@code a ** b} for two tensors ({@code PowBackward1}). */
  public static Variable pow(Variable a, Variable b) {
    return binary(Kind.POW, a, b);
  }

  /** {@code a <op> b} for two tensors. */
  public static Variable binary(Kind kind, Variable a, Variable b) {
    return Kernels.record(new Binary(kind, false, false, defaultName(kind)), a, b);
  }

  /** {@code a <op> number}: {@code x + 1}, {@code x * 0.5}, {@code x ** 2} goes to {@link Pointwise#pow}. */
  public static Variable binaryScalar(Kind kind, Variable a, Object number) {
    if (kind == Kind.POW) {
      return Pointwise.pow(a, number);
    }
    return Kernels.record(new Binary(kind, false, true, scalarName(kind)), a, Variable.constant(Kernels.wrapScalar(number)));
  }

  /** {@link #binaryScalar(Kind, Variable, Object)} with the number as value + Python type (the shim's form). */
  public static Variable binaryScalar(Kind kind, Variable a, double number, String pyType) {
    if (kind == Kind.POW) {
      return Pointwise.pow(a, number, pyType);
    }
    return Kernels.record(new Binary(kind, false, true, scalarName(kind)), a,
        Variable.constant(Kernels.wrapScalar(number, pyType)));
  }

  /** {@link #reflectedScalar(Kind, Object, Variable)} with the number as value + Python type. */
  public static Variable reflectedScalar(Kind kind, double number, String pyType, Variable a) {
    return reflected(kind, Kernels.wrapScalar(number, pyType), a);
  }

  /** {@code number <op> a}: {@code 1 - x} ({@code RsubBackward1}), {@code 2 / x}, {@code 2 ** x}. */
  public static Variable reflectedScalar(Kind kind, Object number, Variable a) {
    return reflected(kind, Kernels.wrapScalar(number), a);
  }

  private static Variable reflected(Kind kind, Tensor number, Variable a) {
    if (kind == Kind.DIV && resultDtype(kind, number, true, a.data(), false).isReducedFloat()) {
      // PyTorch's number / tensor is reciprocal() * number; in float16 and bfloat16 each step rounds
      return Kernels.record(new Binary(Kind.MUL, false, true, "MulBackward0"), Pointwise.reciprocal(a),
          Variable.constant(number));
    }
    String name = switch (kind) {
      case SUB -> "RsubBackward1";
      case DIV -> "MulBackward0";
      // number % tensor and number // tensor: ATen's Scalar_Tensor overloads have no derivative
      case REMAINDER, FLOOR_DIVIDE -> "NotImplemented";
      case XLOGY -> "XlogyBackward1";
      default -> defaultName(kind);
    };
    return Kernels.record(new Binary(kind, true, false, name), Variable.constant(number), a);
  }

  /**
   * {@code torch.lerp(start, end, weight)} for a number weight ({@code LerpBackward0}): {@code start + w (end -
   * start)}, broadcast; see {@link #lerp(Variable, Variable, Variable)}.
   */
  public static Variable lerp(Variable start, Variable end, double weight) {
    return lerp(start, end, null, weight);
  }

  /**
   * {@code torch.lerp(start, end, weight)} for a tensor weight ({@code LerpBackward1}), all three broadcast. As
   * ATen computes it, from the nearer end: {@code start + w (end - start)} where |w| < 0.5, else {@code end - (end -
   * start)(1 - w)}, each step rounded in the dtype (float32 for float16 and bfloat16, whose result is rounded
   * once). Gradients: start {@code (1 - w)}, end {@code w}, weight {@code end - start}. Floating dtypes only, the
   * three of one dtype.
   */
  public static Variable lerp(Variable start, Variable end, Variable weight) {
    return lerp(start, end, weight, 0);
  }

  private static Variable lerp(Variable start, Variable end, Variable weight, double number) {
    DType dt = start.data().dtype();
    if (!dt.isFloatingPoint()) {
      throw NotImplementedError.forDtype(weight == null ? "lerp_kernel_scalar" : "lerp_kernel_tensor",
          dt.scalarTypeName());
    }
    if (end.data().dtype() != dt) {
      throw new RuntimeError("expected dtype " + dt.cTypeName() + " for `end` but got dtype "
          + end.data().dtype().cTypeName());
    }
    if (weight != null && weight.data().dtype() != dt) {
      throw new RuntimeError("expected dtype " + dt.cTypeName() + " for `weight` but got dtype "
          + weight.data().dtype().cTypeName());
    }
    DType step = dt.isReducedFloat() ? DType.FLOAT32 : dt;
    String name = weight == null ? "LerpBackward0" : "LerpBackward1";
    Differentiable op = (in, needs) -> {
      Tensor s = in[0];
      Tensor e = in[1];
      Tensor w = in.length > 2 ? in[2] : null;
      int[] shape = Shapes.broadcast(s.shape(), e.shape());
      if (w != null) {
        shape = Shapes.broadcast(shape, w.shape());
      }
      int[] is = Kernels.index(s, shape);
      int[] ie = Kernels.index(e, shape);
      int[] iw = w == null ? null : Kernels.index(w, shape);
      int n = Shapes.numel(shape);
      double[] sv = new double[n];
      double[] ev = new double[n];
      double[] wv = new double[n];
      TensorBuilder ob = new TensorBuilder(dt, shape);
      for (int i = 0; i < n; i++) {
        sv[i] = s.getDouble(is == null ? i : is[i]);
        ev[i] = e.getDouble(ie == null ? i : ie[i]);
        wv[i] = w == null ? step.round(number) : w.getDouble(iw == null ? i : iw[i]);
        double diff = step.round(ev[i] - sv[i]);
        double v = Math.abs(wv[i]) < 0.5 ? step.round(sv[i] + step.round(wv[i] * diff))
            : step.round(ev[i] - step.round(diff * step.round(1 - wv[i])));
        ob.set(i, v);
      }
      int[] outShape = shape;
      return new Differentiable.Result(ob.build(), name, List.of(), g -> {
        TensorBuilder gs = needs[0] ? new TensorBuilder(dt, outShape) : null;
        TensorBuilder ge = needs[1] ? new TensorBuilder(dt, outShape) : null;
        TensorBuilder gw = w != null && needs[2] ? new TensorBuilder(dt, outShape) : null;
        for (int i = 0; i < n; i++) {
          double gi = g.getDouble(i);
          // a number weight enters the gradients as the double it was given, as autograd takes it
          double wi = w == null ? number : wv[i];
          if (gs != null) gs.set(i, gi * (1 - wi));
          if (ge != null) ge.set(i, gi * wi);
          if (gw != null) gw.set(i, gi * (ev[i] - sv[i]));
        }
        Tensor[] grads = new Tensor[in.length];
        grads[0] = gs == null ? null : TensorMath.sumToShape(gs.build(), s.shape(), dt);
        grads[1] = ge == null ? null : TensorMath.sumToShape(ge.build(), e.shape(), dt);
        if (gw != null) {
          grads[2] = TensorMath.sumToShape(gw.build(), w.shape(), dt);
        }
        return grads;
      });
    };
    return weight == null ? Kernels.record(op, start, end) : Kernels.record(op, start, end, weight);
  }

  /** By name, for the Python shim: {@code "add"}, {@code "sub"}, {@code "mul"}, {@code "div"}, {@code "pow"}. */
  public static Kind kind(String name) {
    return Kind.valueOf(name.toUpperCase(java.util.Locale.ROOT));
  }

  /** {@code x + number} recorded under an explicit grad_fn name (e.g. ATen's {@code AddBackward1}). */
  static Variable addScalarNamed(Variable a, double number, String name) {
    return Kernels.record(new Binary(Kind.ADD, false, true, name), a, Variable.constant(Kernels.wrapScalar(number)));
  }

  private static String defaultName(Kind kind) {
    return switch (kind) {
      case ADD -> "AddBackward0";
      case SUB -> "SubBackward0";
      case MUL -> "MulBackward0";
      case DIV -> "DivBackward0";
      case POW -> "PowBackward1";
      case REMAINDER -> "RemainderBackward1";
      case FMOD -> "FmodBackward1";
      case FLOOR_DIVIDE -> "NotImplemented";
      case DIV_FLOOR, DIV_TRUNC -> "DivBackward2";
      case LOGADDEXP -> "LogaddexpBackward0";
      case XLOGY -> "XlogyBackward0";
      case ATAN2 -> "Atan2Backward0";
      case HYPOT -> "HypotBackward0";
      case COPYSIGN -> "CopysignBackward0";
    };
  }

  /** The grad_fn of {@code tensor <op> number}: ATen's Scalar overloads where they have their own. */
  private static String scalarName(Kind kind) {
    return switch (kind) {
      case REMAINDER -> "RemainderBackward0";
      case FMOD -> "FmodBackward0";
      case XLOGY -> "XlogyBackward2";
      case COPYSIGN -> "CopysignBackward1";
      default -> defaultName(kind);
    };
  }

  /**
   * {@code torch.div(a, b, rounding_mode=...)} for two tensors: null is true division (named
   * {@code DivBackward2}, as ATen names the overload that takes the argument), "trunc" and "floor" round.
   */
  public static Variable div(Variable a, Variable b, String roundingMode) {
    return Kernels.record(new Binary(roundingKind(roundingMode), false, false, "DivBackward2"), a, b);
  }

  /** {@link #div(Variable, Variable, String)} with a Python number divisor. */
  public static Variable divScalar(Variable a, double number, String pyType, String roundingMode) {
    return Kernels.record(new Binary(roundingKind(roundingMode), false, true, "DivBackward2"), a,
        Variable.constant(Kernels.wrapScalar(number, pyType)));
  }

  private static Kind roundingKind(String mode) {
    if (mode == null) {
      return Kind.DIV;
    }
    return switch (mode) {
      case "trunc" -> Kind.DIV_TRUNC;
      case "floor" -> Kind.DIV_FLOOR;
      default -> throw new RuntimeError("div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '"
          + mode + "'");
    };
  }

  /** The dtype {@code a <op> b} computes in, after PyTorch's promotion and true division's float rule. */
  static DType resultDtype(Kind kind, Tensor a, boolean wrapA, Tensor b, boolean wrapB) {
    DType out = Kernels.resultType(a, wrapA, b, wrapB);
    boolean toFloat = kind == Kind.DIV || kind == Kind.XLOGY || kind == Kind.ATAN2 || kind == Kind.COPYSIGN;
    if (toFloat && !out.isFloatingPoint()) {
      out = DType.FLOAT32;
    }
    if ((kind == Kind.LOGADDEXP || kind == Kind.HYPOT) && !out.isFloatingPoint()) {
      Shapes.broadcast(a.shape(), b.shape());
      throw NotImplementedError.forDtype(kind == Kind.LOGADDEXP ? "logaddexp_cpu" : "hypot_cpu", out.scalarTypeName());
    }
    return out;
  }

  /** One broadcasting binary op; {@code wrapA}/{@code wrapB} mark operands that are Python numbers. */
  static final class Binary implements Differentiable {
    private final Kind kind;
    private final boolean wrapA;
    private final boolean wrapB;
    private final String name;

    Binary(Kind kind, boolean wrapA, boolean wrapB, String name) {
      this.kind = kind;
      this.wrapA = wrapA;
      this.wrapB = wrapB;
      this.name = name;
    }

    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      Tensor a = inputs[0];
      Tensor b = inputs[1];
      if (kind == Kind.SUB && (a.dtype() == DType.BOOL || b.dtype() == DType.BOOL)) {
        if (a.dtype() == DType.BOOL && b.dtype() == DType.BOOL) {
          throw new RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^`"
              + " or `logical_xor()` operator instead.");
        }
        throw new RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying"
            + " to invert a mask, use the `~` or `logical_not()` operator instead.");
      }
      DType out = resultDtype(kind, a, wrapA, b, wrapB);
      if (kind == Kind.ADD || kind == Kind.SUB) {
        out.refuseBarebones("add_stub");
      } else if (kind == Kind.POW) {
        out.refuseBarebones("pow");
      }
      if (out == DType.BOOL && kind == Kind.POW) {
        Shapes.broadcast(a.shape(), b.shape());
        throw NotImplementedError.forDtype("pow", "Bool");
      }
      if (rounding()) {
        String kernel = switch (kind) {
          case REMAINDER -> "remainder_cpu";
          case FMOD -> "fmod_cpu";
          case DIV_TRUNC -> "div_trunc_cpu";
          default -> "div_floor_cpu";
        };
        if (out == DType.BOOL) {
          Shapes.broadcast(a.shape(), b.shape());
          throw NotImplementedError.forDtype(kernel, "Bool");
        }
        out.refuseBarebones(kernel);
      }
      int[] shape = Shapes.broadcast(a.shape(), b.shape());
      int n = Shapes.numel(shape);
      int[] ia = Kernels.index(a, shape);
      int[] ib = Kernels.index(b, shape);
      TensorBuilder ob = new TensorBuilder(out, shape);
      if (!out.isFloatingPoint()) {
        integral(a, b, ia, ib, n, ob, out);
        return new Result(ob.build(), name, List.of(), null);
      }
      boolean scalarInFloat = scalarInFloat(b, out);
      for (int i = 0; i < n; i++) {
        double x = Kernels.round(a.getDouble(ia == null ? i : ia[i]), out);
        ob.set(i, compute(x, operandB(b, ib, i, out, scalarInFloat), out));
      }
      Tensor output = ob.build();
      if (name.equals("NotImplemented")) {
        String op = kind == Kind.REMAINDER ? "remainder" : "floor_divide";
        GradientFunction refuse = g -> {
          throw new RuntimeError("derivative for aten::" + op + " is not implemented");
        };
        return new Result(output, name, List.of(), needsGrad[0] || needsGrad[1] ? refuse : null);
      }
      GradientFunction backward = needsGrad[0] || needsGrad[1]
          ? g -> gradients(g, a, b, output, shape, ia, ib, needsGrad) : null;
      return new Result(output, name, List.of(), backward);
    }

    /**
     * Whether the second operand, a 0-d tensor or Python number, keeps float32 precision: ATen multiplies and
     * divides a float16 or bfloat16 tensor by such a scalar in float32 (its opmath type) with the scalar's own
     * value, and rounds only the result (adding or subtracting, it rounds the scalar to the tensor's dtype
     * first, as every operand).
     */
    private boolean scalarInFloat(Tensor b, DType out) {
      return out.isReducedFloat() && b.dim() == 0 && (kind == Kind.MUL || kind == Kind.DIV);
    }

    /** Element i of the second operand as the op reads it: rounded to the dtype, or a scalar kept in float32. */
    private static double operandB(Tensor b, int[] ib, int i, DType out, boolean scalarInFloat) {
      return scalarInFloat ? DType.FLOAT32.round(b.getDouble(0)) : Kernels.round(b.getDouble(ib == null ? i : ib[i]), out);
    }

    /** The kinds that round or take remainders (integers stay integers, division by an integer zero raises). */
    private boolean rounding() {
      return kind == Kind.REMAINDER || kind == Kind.FMOD || kind == Kind.FLOOR_DIVIDE || kind == Kind.DIV_FLOOR
          || kind == Kind.DIV_TRUNC;
    }

    private double compute(double x, double y, DType out) {
      return switch (kind) {
        case ADD -> x + y;
        case SUB -> x - y;
        case MUL -> x * y;
        case DIV -> x / y;
        case POW -> Math.pow(x, y);
        case FMOD -> x % y;
        case REMAINDER -> remainder(x, y, out);
        case FLOOR_DIVIDE, DIV_FLOOR -> floorDivide(x, y, out);
        case DIV_TRUNC -> Pointwise.truncate(out.round(x / y));
        case LOGADDEXP -> Double.isInfinite(x) && x == y ? x : Math.max(x, y) + Math.log1p(Math.exp(-Math.abs(x - y)));
        case XLOGY -> y != y ? y : x == 0 ? 0 : x * Math.log(y);
        case ATAN2 -> Math.atan2(x, y);
        case HYPOT -> Math.hypot(x, y);
        case COPYSIGN -> Math.copySign(x, y);
      };
    }

    private void integral(Tensor a, Tensor b, int[] ia, int[] ib, int n, TensorBuilder ob, DType out) {
      for (int i = 0; i < n; i++) {
        long x = a.getLong(ia == null ? i : ia[i]);
        long y = b.getLong(ib == null ? i : ib[i]);
        long r;
        if (out == DType.BOOL) {
          r = switch (kind) {
            case ADD -> (x != 0 || y != 0) ? 1 : 0;
            case MUL -> (x != 0 && y != 0) ? 1 : 0;
            case POW -> (x != 0 || y == 0) ? 1 : 0;
            default -> throw new IllegalStateException();
          };
        } else {
          if (y == 0 && rounding()) {
            throw new RuntimeError("ZeroDivisionError");
          }
          r = switch (kind) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case POW -> ipow(x, y);
            case FMOD -> x % y;
            case DIV_TRUNC -> x / y;
            case REMAINDER -> {
              long m = x % y;
              yield m != 0 && (m < 0) != (y < 0) ? m + y : m;
            }
            case FLOOR_DIVIDE, DIV_FLOOR -> Math.floorDiv(x, y);
            default -> throw new IllegalStateException();
          };
        }
        ob.setLong(i, r);
      }
    }

    /**
     * ATen's floating remainder: fmod (exact, the sign of x), moved into the divisor's sign by adding y; the
     * sum rounded to the dtype as its float arithmetic rounds it.
     */
    static double remainder(double x, double y, DType out) {
      double m = x % y;
      return m != 0 && (y < 0) != (m < 0) ? out.round(m + y) : m;
    }

    /**
     * ATen's floating floor division, step by step in the dtype: {@code x / y} itself when y is zero (an
     * infinity or NaN); else {@code (x - fmod(x, y)) / y}, one less where the remainder's sign differs from
     * y's, then floored and rounded up past a half (the quotient of two rounded steps can land just below an
     * integer); a zero quotient takes the sign of {@code x / y}.
     */
    static double floorDivide(double x, double y, DType out) {
      if (y == 0) {
        return x / y;
      }
      double mod = x % y;
      double div = out.round(out.round(x - mod) / y);
      if (mod != 0 && (y < 0) != (mod < 0)) {
        div = out.round(div - 1);
      }
      if (div == 0) {
        return Math.copySign(0.0, x / y);
      }
      double floor = Math.floor(div);
      return div - floor > 0.5 ? floor + 1 : floor;
    }

    /** base ** exp in wrapping int64 arithmetic (its low bits are exact for every narrower integer dtype). */
    static long ipow(long base, long exp) {
      if (exp < 0) {
        // ATen's integral pow with a tensor exponent: 1 and -1 stay on the unit circle, the rest truncate to 0
        return base == 1 ? 1 : base == -1 ? ((exp & 1) == 0 ? 1 : -1) : 0;
      }
      long r = 1;
      while (exp > 0) {
        if ((exp & 1) != 0) {
          r *= base;
        }
        base *= base;
        exp >>= 1;
      }
      return r;
    }

    private Tensor[] gradients(Tensor g, Tensor a, Tensor b, Tensor output, int[] shape, int[] ia, int[] ib,
                               boolean[] needs) {
      DType out = output.dtype();
      int n = output.numel();
      TensorBuilder da = needs[0] ? new TensorBuilder(out, shape) : null;
      TensorBuilder db = needs[1] ? new TensorBuilder(out, shape) : null;
      boolean scalarInFloat = scalarInFloat(b, out);
      for (int i = 0; i < n; i++) {
        double gi = Kernels.round(g.getDouble(i), out);
        double x = Kernels.round(a.getDouble(ia == null ? i : ia[i]), out);
        double y = operandB(b, ib, i, out, scalarInFloat);
        switch (kind) {
          case ADD -> {
            if (da != null) da.set(i, gi);
            if (db != null) db.set(i, gi);
          }
          case SUB -> {
            if (da != null) da.set(i, gi);
            if (db != null) db.set(i, -gi);
          }
          case MUL -> {
            if (da != null) da.set(i, gi * y);
            if (db != null) db.set(i, gi * x);
          }
          case DIV -> {
            if (da != null) da.set(i, gi / y);
            if (db != null) {
              // autograd's -g * ((x / y) / y), each step rounded in a reduced dtype (one rounding is within
              // float32's tolerance, not within float16's)
              db.set(i, out.isReducedFloat() ? -gi * out.round(out.round(x / y) / y) : -gi * x / (y * y));
            }
          }
          case POW -> {
            if (da != null) da.set(i, y == 0 ? 0 : gi * (y * Math.pow(x, y - 1)));
            if (db != null) db.set(i, x == 0 && y >= 0 ? 0 : gi * (output.getDouble(i) * Math.log(x)));
          }
          case REMAINDER, FMOD -> {
            // d/da = 1; d/db = -(a / b rounded as the op rounds: floor for remainder, toward zero for fmod)
            if (da != null) da.set(i, gi);
            if (db != null) {
              double q = kind == Kind.REMAINDER ? floorDivide(x, y, out) : Pointwise.truncate(out.round(x / y));
              db.set(i, -gi * q);
            }
          }
          case DIV_FLOOR, DIV_TRUNC, FLOOR_DIVIDE -> {
            if (da != null) da.set(i, 0);
            if (db != null) db.set(i, 0);
          }
          case LOGADDEXP -> {
            if (da != null) da.set(i, gi / (1 + Math.exp(y - x)));
            if (db != null) db.set(i, gi / (1 + Math.exp(x - y)));
          }
          case XLOGY -> {
            // d/da = log b, taken as 0 where a is 0 and b <= 0 (autograd's mask); d/db = a / b
            if (da != null) da.set(i, x == 0 && y <= 0 ? 0 : gi * Math.log(y));
            if (db != null) db.set(i, gi * x / y);
          }
          case ATAN2 -> {
            // (b, -a) / (a^2 + b^2), the reciprocal taken as 0 where both are 0, as autograd gives
            double den = x * x + y * y;
            double recip = den == 0 ? 0 : 1 / den;
            if (da != null) da.set(i, gi * y * recip);
            if (db != null) db.set(i, gi * -x * recip);
          }
          case HYPOT -> {
            double h = output.getDouble(i);
            if (da != null) da.set(i, gi * x / h);
            if (db != null) db.set(i, gi * y / h);
          }
          case COPYSIGN -> {
            // d/da = result / a (the sign change), 0 where a is 0; b gets none
            if (da != null) da.set(i, x == 0 ? 0 : gi * output.getDouble(i) / x);
            if (db != null) db.set(i, 0);
          }
        }
      }
      return new Tensor[] {
        da == null ? null : TensorMath.sumToShape(da.build(), a.shape(), a.dtype()),
        db == null ? null : TensorMath.sumToShape(db.build(), b.shape(), b.dtype())
      };
    }
  }
}
