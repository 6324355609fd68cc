package dev.loss4j.ops;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import java.util.List;

/**
 * Ops that follow the order of elements along a dim, with autograd: {@code torch.sort} ({@code SortBackward0},
 * stable, NaN sorting above every number as in PyTorch), {@code torch.topk} ({@code TopkBackward0}; the k
 * largest or smallest, equal values in the order PyTorch's CPU selection leaves them, see {@link TopkOrder}; integer
 * values compared as doubles, exact up to 2^53), {@code torch.cumsum} ({@code CumsumBackward0}: gradient is the reversed cumulative sum;
 * integers and bools sum to int64, accumulated in double for floats and rounded once per element) and
 * {@code torch.diff} (differences of neighbours, n times, after prepending/appending: {@code SubBackward0}).
 */
public final class Ordering {
  private Ordering() {}

  /** {@code x.sort(dim, descending)}: {values, int64 indices}. */
  public static Variable[] sort(Variable x, int dim, boolean descending) {
    return ordered(x, dim, descending, -1, true, "SortBackward0");
  }

  /** {@code x.topk(k, dim, largest)} with sorted = true. */
  public static Variable[] topk(Variable x, long k, int dim, boolean largest) {
    return topk(x, k, dim, largest, true);
  }

  /**
   * {@code x.topk(k, dim, largest, sorted)}: {values, int64 indices}, ties (and, unsorted, the whole order) as
   * PyTorch's CPU kernel leaves them ({@link TopkOrder}).
   */
  public static Variable[] topk(Variable x, long k, int dim, boolean largest, boolean sorted) {
    Tensor t = x.data();
    int d = Kernels.wrapDim(dim, t.dim());
    int size = t.dim() == 0 ? 1 : t.size(d);
    if (k < 0 || k > size) {
      throw new RuntimeError("selected index k out of range");
    }
    if (t.dtype() == DType.BOOL) {
      throw new RuntimeError("topk does not support bool dtypes on CPU");
    }
    return ordered(x, d, largest, (int) k, sorted, "TopkBackward0");
  }

  /** sort (k < 0: stable, every element) or topk (k >= 0: PyTorch's selection order) along dim. */
  private static Variable[] ordered(Variable x, int dim, boolean descending, int k, boolean sorted, String name) {
    Tensor t = x.data();
    int nd = t.dim();
    int d = Kernels.wrapDim(dim, nd);
    int[] shape = nd == 0 ? new int[] {1} : t.shape();
    int size = shape[d];
    int keep = k < 0 ? size : k;
    int inner = innerSize(shape, d);
    int outer = size == 0 ? 0 : t.numel() / (size * inner == 0 ? 1 : size * inner);
    int[] outShape = nd == 0 ? new int[0] : t.shape().clone();
    if (nd > 0) {
      outShape[d] = keep;
    }
    int m = Shapes.numel(outShape);
    int[] map = new int[m];
    long[] idx = new long[m];
    boolean floating = t.dtype().isFloatingPoint();
    Integer[] order = new Integer[size];
    for (int o = 0; o < outer; o++) {
      for (int in = 0; in < inner; in++) {
        int base = o * size * inner + in;
        if (k >= 0) {
          double[] slice = new double[size];
          for (int j = 0; j < size; j++) {
            slice[j] = floating ? t.getDouble(base + j * inner) : t.getLong(base + j * inner);
          }
          int[] chosen = TopkOrder.select(slice, keep, descending, sorted);
          for (int j = 0; j < keep; j++) {
            order[j] = chosen[j];
          }
        } else {
          for (int j = 0; j < size; j++) {
            order[j] = j;
          }
          java.util.Arrays.sort(order, (p, q) -> {
            int c = floating ? compareNanLast(t.getDouble(base + p * inner), t.getDouble(base + q * inner))
                : Long.compare(t.getLong(base + p * inner), t.getLong(base + q * inner));
            return descending ? -c : c;
          });
        }
        for (int j = 0; j < keep; j++) {
          int at = (o * keep + j) * inner + in;
          map[at] = base + order[j] * inner;
          idx[at] = order[j];
        }
      }
    }
    Variable values = Kernels.record(new Views.Gather(map, outShape, name), x);
    return new Variable[] {values, Variable.constant(Tensor.ofLongs(idx, outShape))};
  }

  private static int innerSize(int[] shape, int d) {
    int inner = 1;
    for (int j = d + 1; j < shape.length; j++) {
      inner *= shape[j];
    }
    return inner;
  }

  private static int compareNanLast(double a, double b) {
    boolean na = Double.isNaN(a);
    boolean nb = Double.isNaN(b);
    if (na || nb) {
      return na == nb ? 0 : na ? 1 : -1;
    }
    return Double.compare(a == 0 ? 0.0 : a, b == 0 ? 0.0 : b);
  }

  /** {@code x.cumsum(dim)} ({@code CumsumBackward0}). */
  public static Variable cumsum(Variable x, int dim) {
    Tensor t0 = x.data();
    int d = Kernels.wrapDim(dim, t0.dim());
    return Kernels.record((in, needs) -> {
      Tensor t = in[0];
      DType out = t.dtype().isFloatingPoint() ? t.dtype() : DType.INT64;
      int[] shape = t.shape();
      int size = t.dim() == 0 ? 1 : shape[d];
      int inner = innerSize(shape, d);
      int n = t.numel();
      int outer = size * inner == 0 ? 0 : n / (size * inner);
      TensorBuilder ob = new TensorBuilder(out, shape);
      for (int o = 0; o < outer; o++) {
        for (int i = 0; i < inner; i++) {
          double s = 0;
          long ls = 0;
          for (int j = 0; j < size; j++) {
            int at = (o * size + j) * inner + i;
            if (out.isFloatingPoint()) {
              s += t.getDouble(at);
              ob.set(at, s);
            } else {
              ls += t.getLong(at);
              ob.setLong(at, ls);
            }
          }
        }
      }
      return new Differentiable.Result(ob.build(), "CumsumBackward0", List.of(), needs[0] ? g -> {
        TensorBuilder gb = new TensorBuilder(t.dtype(), shape);
        for (int o = 0; o < outer; o++) {
          for (int i = 0; i < inner; i++) {
            double s = 0;
            for (int j = size - 1; j >= 0; j--) {
              int at = (o * size + j) * inner + i;
              s += g.getDouble(at);
              gb.set(at, s);
            }
          }
        }
        return new Tensor[] {gb.build()};
      } : null);
    }, x);
  }

  /**
   * {@code torch.diff(x, n, dim, prepend, append)}: prepend and append (either may be null) are joined to x along
   * dim, then neighbours are subtracted n times (out[i] = in[i+1] - in[i]).
   */
  public static Variable diff(Variable x, int n, int dim, Variable prepend, Variable append) {
    Tensor t = x.data();
    if (t.dim() == 0) {
      throw new RuntimeError("diff expects input to be at least one-dimensional");
    }
    if (n < 0) {
      throw new RuntimeError("order must be non-negative but got " + n);
    }
    int d = Kernels.wrapDim(dim, t.dim());
    Variable cur = x;
    if (prepend != null || append != null) {
      java.util.List<Variable> parts = new java.util.ArrayList<>();
      if (prepend != null) {
        parts.add(prepend);
      }
      parts.add(x);
      if (append != null) {
        parts.add(append);
      }
      cur = Joins.cat(parts.toArray(new Variable[0]), d);
    }
    for (int i = 0; i < n && cur.data().size(d) > 0; i++) {
      if (cur.data().dtype() == DType.BOOL) {
        Tensor a = Views.slice(cur, d, 1L, null, 1).data();
        Tensor b = Views.slice(cur, d, 0L, -1L, 1).data();
        cur = Variable.constant(Comparisons.compare(Comparisons.Kind.NE, a, false, b, false));
      } else {
        cur = Arithmetic.sub(Views.slice(cur, d, 1L, null, 1), Views.slice(cur, d, 0L, -1L, 1));
      }
    }
    return cur;
  }
}
