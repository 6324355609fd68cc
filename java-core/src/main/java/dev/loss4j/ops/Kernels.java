package dev.loss4j.ops;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.IndexError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;

/** Helpers the ops share: recording under grad mode, dim wrapping, rounding and scalar wrapping. */
final class Kernels {
  private Kernels() {}

  /** Applies {@code op}, recording it in the graph unless grad mode is off (Variable.apply checks). */
  static Variable record(Differentiable op, Variable... inputs) {
    return Variable.apply(op, null, inputs);
  }

  /** PyTorch's {@code maybe_wrap_dim}: a dim in [-ndim, ndim) (a 0-d tensor takes -1 and 0). */
  static int wrapDim(int dim, int ndim) {
    int n = Math.max(ndim, 1);
    if (dim < -n || dim >= n) {
      throw new IndexError("Dimension out of range (expected to be in range of [" + (-n) + ", " + (n - 1)
          + "], but got " + dim + ")");
    }
    return dim < 0 ? dim + n : dim;
  }

  /** The dims of a dim-list reduction as a mask over {@code ndim} dims; null or empty means all. */
  static boolean[] dimMask(int[] dims, int ndim) {
    boolean[] mask = new boolean[Math.max(ndim, 1)];
    if (dims == null || dims.length == 0) {
      java.util.Arrays.fill(mask, true);
      return mask;
    }
    for (int d : dims) {
      int w = wrapDim(d, ndim);
      if (mask[w]) {
        throw new RuntimeError("dim " + w + " appears multiple times in the list of dims");
      }
      mask[w] = true;
    }
    return mask;
  }

  /** The shape of a reduction over {@code mask} with keepdim (reduced sizes become 1). */
  static int[] keptShape(int[] shape, boolean[] mask) {
    int[] out = shape.clone();
    for (int d = 0; d < shape.length; d++) {
      if (mask[d]) {
        out[d] = 1;
      }
    }
    return out;
  }

  /** The shape of a reduction over {@code mask} without keepdim (reduced dims dropped). */
  static int[] droppedShape(int[] shape, boolean[] mask) {
    int count = 0;
    for (int d = 0; d < shape.length; d++) {
      if (!mask[d]) {
        count++;
      }
    }
    int[] out = new int[count];
    int j = 0;
    for (int d = 0; d < shape.length; d++) {
      if (!mask[d]) {
        out[j++] = shape[d];
      }
    }
    return out;
  }

  /** {@code v} rounded to what {@code dtype} stores (float32 rounding; floats truncated for int64). */
  static double round(double v, DType dtype) {
    return dtype.round(v);
  }

  /** A Python number as a 0-d tensor: bool, int (int64) or float (float64, exact). */
  static Tensor wrapScalar(Object value) {
    if (value instanceof Boolean b) {
      return Tensor.ofBooleans(new boolean[] {b}, new int[0]);
    }
    if (value instanceof Double || value instanceof Float) {
      return Tensor.ofDoubles(new double[] {((Number) value).doubleValue()}, new int[0]);
    }
    if (value instanceof Number n) {
      return Tensor.ofLongs(new long[] {n.longValue()}, new int[0]);
    }
    throw new dev.loss4j.errors.TypeError("expected a Python number, got " + value);
  }

  /**
   * A Python number given as its value and its Python type ({@code "bool"}, {@code "int"} or {@code "float"}),
   * the form the shim passes (polyglot boxing would turn 1.0 into an integer); ints beyond 2^53 lose digits.
   */
  static Tensor wrapScalar(double value, String pyType) {
    return switch (pyType) {
      case "bool" -> Tensor.ofBooleans(new boolean[] {value != 0}, new int[0]);
      case "int" -> Tensor.ofLongs(new long[] {(long) value}, new int[0]);
      case "float" -> Tensor.ofDoubles(new double[] {value}, new int[0]);
      default -> throw new IllegalArgumentException("not a Python number type: " + pyType);
    };
  }

  /** The default dtype a wrapped Python number stands for in type promotion. */
  static DType wrappedDefault(DType d) {
    return d == DType.FLOAT64 ? DType.FLOAT32 : d;
  }

  /**
   * {@code torch.result_type} of two operands, each a dimensioned tensor, a 0-d tensor or a wrapped
   * Python number: the category (bool < integer < floating) of the highest-priority kind wins, a
   * lower-priority operand only lifts the category (to its default dtype for Python numbers).
   */
  static DType resultType(Tensor a, boolean aWrapped, Tensor b, boolean bWrapped) {
    DType[] states = new DType[3]; // dimensioned, zero-dim, wrapped
    accumulate(states, a, aWrapped);
    accumulate(states, b, bWrapped);
    return combine(states[0], combine(states[1], states[2]));
  }

  private static void accumulate(DType[] states, Tensor t, boolean wrapped) {
    int slot = wrapped ? 2 : t.dim() == 0 ? 1 : 0;
    DType d = wrapped ? wrappedDefault(t.dtype()) : t.dtype();
    states[slot] = states[slot] == null ? d : DType.promote(states[slot], d);
  }

  private static DType combine(DType higher, DType lower) {
    if (higher == null) {
      return lower;
    }
    if (lower == null || higher.isFloatingPoint()) {
      return higher;
    }
    if (higher == DType.BOOL || lower.isFloatingPoint()) {
      return DType.promote(higher, lower);
    }
    return higher;
  }

  /** For each element of the broadcast shape, the index read in {@code t}; null when it is the identity. */
  static int[] index(Tensor t, int[] shape) {
    return Shapes.broadcastIndex(t.shape(), shape);
  }

  static Tensor fromDoubles(double[] values, DType dtype, int[] shape) {
    TensorBuilder b = new TensorBuilder(dtype, shape);
    for (int i = 0; i < values.length; i++) {
      b.set(i, values[i]);
    }
    return b.build();
  }

  /** The floating dtype an op that only computes in floating point uses for {@code d}. */
  static DType floating(DType d) {
    return d.isFloatingPoint() ? d : DType.FLOAT32;
  }
}
