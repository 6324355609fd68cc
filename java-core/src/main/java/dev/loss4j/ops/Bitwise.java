package dev.loss4j.ops;

import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.NotImplementedError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;

/**
 * Bitwise operations on integer and bool tensors, as PyTorch's {@code & | ^ << >> ~}: {@code torch.bitwise_and},
 * {@code bitwise_or}, {@code bitwise_xor}, {@code bitwise_left_shift}, {@code bitwise_right_shift} and
 * {@code bitwise_not}. No gradient (the results are integral).
 *
 * <p>Operands broadcast and promote as in arithmetic ({@code torch.result_type}); a floating result type is
 * refused with PyTorch's NotImplementedError naming its CPU kernel ({@code "bitwise_and_cpu" not implemented for
 * 'Float'}). Shifts follow PyTorch's CPU kernels: a shift count outside [0, bits) gives 0 for {@code <<} and
 * the sign fill ({@code a >> (bits - 1)}) for {@code >>}, where bits is 32 for int32 and 64 for int64; a left
 * shift drops the bits pushed past the width.
 */
public final class Bitwise {
  private Bitwise() {}

  /** The binary operations, with the name of PyTorch's CPU kernel for each. */
  public enum Kind {
    AND("bitwise_and_cpu"), OR("bitwise_or_cpu"), XOR("bitwise_xor_cpu"), LSHIFT("lshift_cpu"),
    RSHIFT("rshift_cpu");

    private final String kernel;

    Kind(String kernel) {
      this.kernel = kernel;
    }
  }

  /** By name, for the shim: {@code "and"}, {@code "or"}, {@code "xor"}, {@code "lshift"}, {@code "rshift"}. */
  public static Kind kind(String name) {
    return Kind.valueOf(name.toUpperCase(java.util.Locale.ROOT));
  }

  /** {@code a <op> b} for two tensors. */
  public static Variable binary(Kind kind, Variable a, Variable b) {
    return Variable.constant(apply(kind, a.data(), false, b.data(), false));
  }

  /** {@code a <op> number}, the number as value + Python type (the shim's form). */
  public static Variable binaryScalar(Kind kind, Variable a, double number, String pyType) {
    return Variable.constant(apply(kind, a.data(), false, Kernels.wrapScalar(number, pyType), true));
  }

  /** {@code number <op> a}: {@code 1 << x}, {@code 3 & x}. */
  public static Variable reflectedScalar(Kind kind, double number, String pyType, Variable a) {
    return Variable.constant(apply(kind, Kernels.wrapScalar(number, pyType), true, a.data(), false));
  }

  /** {@code ~a} / {@code torch.bitwise_not(a)}: every bit flipped; for bool, logical negation. */
  public static Variable bitwiseNot(Variable a) {
    Tensor t = a.data();
    if (t.dtype().isFloatingPoint() || t.dtype().isBarebonesUnsigned()) {
      throw NotImplementedError.forDtype("bitwise_not_cpu", t.dtype().scalarTypeName());
    }
    TensorBuilder out = new TensorBuilder(t.dtype(), t.shape());
    for (int i = 0, n = t.numel(); i < n; i++) {
      if (t.dtype() == DType.BOOL) {
        out.set(i, t.getLong(i) != 0 ? 0 : 1);
      } else {
        out.setLong(i, ~t.getLong(i));
      }
    }
    return Variable.constant(out.build());
  }

  private static Tensor apply(Kind kind, Tensor a, boolean wrapA, Tensor b, boolean wrapB) {
    DType dt = Kernels.resultType(a, wrapA, b, wrapB);
    if (dt.isFloatingPoint()) {
      throw NotImplementedError.forDtype(kind.kernel, dt.scalarTypeName());
    }
    int[] shape = Shapes.broadcast(a.shape(), b.shape());
    int n = Shapes.numel(shape);
    int[] ia = Kernels.index(a, shape);
    int[] ib = Kernels.index(b, shape);
    int bits = dt.bits();
    TensorBuilder out = new TensorBuilder(dt, shape);
    for (int i = 0; i < n; i++) {
      long x = a.getLong(ia == null ? i : ia[i]);
      long y = b.getLong(ib == null ? i : ib[i]);
      if (dt != DType.BOOL) {
        // a Python int operand is cast to the tensor's narrower dtype first
        x = dt.wrap(x);
        y = dt.wrap(y);
      }
      long r = switch (kind) {
        case AND -> x & y;
        case OR -> x | y;
        case XOR -> x ^ y;
        case LSHIFT -> y < 0 || y >= bits ? 0 : x << y;
        case RSHIFT -> x >> (y < 0 || y >= bits ? bits - 1 : y);
      };
      if (dt == DType.BOOL) {
        out.set(i, r != 0 ? 1 : 0);
      } else {
        out.setLong(i, r);
      }
    }
    return out.build();
  }
}
