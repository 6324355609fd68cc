package dev.loss4j.ops;

import dev.loss4j.autograd.Variable;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;

/**
 * Element-wise comparisons {@code == != < <= > >=} of broadcast tensors or a tensor and a Python number:
 * a bool tensor, outside the graph, as PyTorch's {@code eq ne lt le gt ge}. Both sides are compared in
 * their promoted dtype (a Python float against a float32 tensor is rounded to float32 first).
 */
public final class Comparisons {
  private Comparisons() {}

  /** The comparisons, by PyTorch's names. */
  public enum Kind { EQ, NE, LT, LE, GT, GE }

  public static Variable compare(Kind kind, Variable a, Variable b) {
    return Variable.constant(compare(kind, a.data(), false, b.data(), false));
  }

  /** {@code a <op> number}. */
  public static Variable compareScalar(Kind kind, Variable a, Object number) {
    return Variable.constant(compare(kind, a.data(), false, Kernels.wrapScalar(number), true));
  }

  /** {@code a <op> number}, the number as value + Python type (the shim's form). */
  public static Variable compareScalar(Kind kind, Variable a, double number, String pyType) {
    return Variable.constant(compare(kind, a.data(), false, Kernels.wrapScalar(number, pyType), true));
  }

  /** By name, for the shim: {@code "eq"}, {@code "lt"}... */
  public static Kind kind(String name) {
    return Kind.valueOf(name.toUpperCase(java.util.Locale.ROOT));
  }

  static Tensor compare(Kind kind, Tensor a, boolean wrapA, Tensor b, boolean wrapB) {
    DType common = Kernels.resultType(a, wrapA, b, wrapB);
    if (kind != Kind.EQ && kind != Kind.NE) {
      // uint16/uint32/uint64 have eq and ne only
      common.refuseBarebones(kind.name().toLowerCase(java.util.Locale.ROOT) + "_cpu");
    }
    int[] shape = Shapes.broadcast(a.shape(), b.shape());
    int n = Shapes.numel(shape);
    int[] ia = Kernels.index(a, shape);
    int[] ib = Kernels.index(b, shape);
    TensorBuilder out = new TensorBuilder(DType.BOOL, shape);
    boolean floating = common.isFloatingPoint();
    for (int i = 0; i < n; i++) {
      int c;
      boolean unordered = false;
      if (floating) {
        double x = Kernels.round(a.getDouble(ia == null ? i : ia[i]), common);
        double y = Kernels.round(b.getDouble(ib == null ? i : ib[i]), common);
        unordered = Double.isNaN(x) || Double.isNaN(y);
        c = x < y ? -1 : x > y ? 1 : 0;
      } else {
        // a Python int compared with a narrower integer tensor is first cast to its dtype (wrapping, as in C++)
        c = Long.compare(common.wrap(a.getLong(ia == null ? i : ia[i])), common.wrap(b.getLong(ib == null ? i : ib[i])));
      }
      boolean r = switch (kind) {
        case EQ -> !unordered && c == 0;
        case NE -> unordered || c != 0;
        case LT -> !unordered && c < 0;
        case LE -> !unordered && c <= 0;
        case GT -> !unordered && c > 0;
        case GE -> !unordered && c >= 0;
      };
      out.set(i, r ? 1 : 0);
    }
    return out.build();
  }
}
