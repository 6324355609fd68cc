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

  /** The binary operations. */
  public enum Kind { ADD, SUB, MUL, DIV, POW }

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
    return Kernels.record(new Binary(kind, false, true, defaultName(kind)), a, Variable.constant(Kernels.wrapScalar(number)));
  }

  /** {@link #binaryScalar(Kind, Variable, Object)} with the number as value + Python type (the shim's form). */
  public static Variable binaryScalar(Kind kind, Variable a, double number, String pyType) {
    if (kind == Kind.POW) {
      return Pointwise.pow(a, number, pyType);
    }
    return Kernels.record(new Binary(kind, false, true, defaultName(kind)), a,
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
    String name = switch (kind) {
      case SUB -> "RsubBackward1";
      case DIV -> "MulBackward0";
      default -> defaultName(kind);
    };
    return Kernels.record(new Binary(kind, true, false, name), Variable.constant(number), a);
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
    };
  }

  /** The dtype {@code a <op> b} computes in, after PyTorch's promotion and true division's float rule. */
  static DType resultDtype(Kind kind, Tensor a, boolean wrapA, Tensor b, boolean wrapB) {
    DType out = Kernels.resultType(a, wrapA, b, wrapB);
    if (kind == Kind.DIV && !out.isFloatingPoint()) {
      out = DType.FLOAT32;
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
      int[] shape = Shapes.broadcast(a.shape(), b.shape());
      int n = Shapes.numel(shape);
      int[] ia = Kernels.index(a, shape);
      int[] ib = Kernels.index(b, shape);
      TensorBuilder ob = new TensorBuilder(out, shape);
      if (!out.isFloatingPoint()) {
        integral(a, b, ia, ib, n, ob, out);
        return new Result(ob.build(), name, List.of(), null);
      }
      for (int i = 0; i < n; i++) {
        double x = Kernels.round(a.getDouble(ia == null ? i : ia[i]), out);
        double y = Kernels.round(b.getDouble(ib == null ? i : ib[i]), out);
        ob.set(i, compute(x, y));
      }
      Tensor output = ob.build();
      GradientFunction backward = needsGrad[0] || needsGrad[1]
          ? g -> gradients(g, a, b, output, shape, ia, ib, needsGrad) : null;
      return new Result(output, name, List.of(), backward);
    }

    private double compute(double x, double y) {
      return switch (kind) {
        case ADD -> x + y;
        case SUB -> x - y;
        case MUL -> x * y;
        case DIV -> x / y;
        case POW -> Math.pow(x, y);
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
          r = switch (kind) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case POW -> ipow(x, y);
            default -> throw new IllegalStateException();
          };
        }
        ob.setLong(i, r);
      }
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
      for (int i = 0; i < n; i++) {
        double gi = Kernels.round(g.getDouble(i), out);
        double x = Kernels.round(a.getDouble(ia == null ? i : ia[i]), out);
        double y = Kernels.round(b.getDouble(ib == null ? i : ib[i]), out);
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
        }
      }
      return new Tensor[] {
        da == null ? null : TensorMath.sumToShape(da.build(), a.shape(), a.dtype()),
        db == null ? null : TensorMath.sumToShape(db.build(), b.shape(), b.dtype())
      };
    }
  }
}
