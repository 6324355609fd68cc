package dev.loss4j.ops;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.IndexError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import dev.loss4j.tensor.TensorMath;
import java.util.List;

/**
 * Ops that pick elements, with autograd: {@code torch.where(cond, a, b)} ({@code WhereBackward0}, broadcast,
 * promoted dtype, gradient to the side chosen), {@code x.masked_fill(mask, value)} ({@code MaskedFillBackward0},
 * gradient zero where filled; a non-bool mask fills where non-zero, as 1.13 accepts), {@code x.gather(dim, index)} ({@code GatherBackward0}, gradient scattered back,
 * adding where indices repeat), and the all-element {@code x.max()} / {@code x.min()} ({@code MaxBackward1} /
 * {@code MinBackward1}: gradient shared evenly among the elements equal to the result, NaN winning).
 */
public final class Selection {
  private Selection() {}

  public static Variable where(Variable cond, Variable a, Variable b) {
    if (cond.data().dtype() != DType.BOOL) {
      throw new RuntimeError("where expected condition to be a boolean tensor, but got a tensor with dtype "
          + cond.data().dtype().scalarTypeName());
    }
    return Kernels.record((in, needs) -> {
      Tensor c = in[0];
      Tensor x = in[1];
      Tensor y = in[2];
      DType out = Kernels.resultType(x, false, y, false);
      int[] shape = Shapes.broadcast(Shapes.broadcast(c.shape(), x.shape()), y.shape());
      int n = Shapes.numel(shape);
      int[] ic = Kernels.index(c, shape);
      int[] ix = Kernels.index(x, shape);
      int[] iy = Kernels.index(y, shape);
      TensorBuilder ob = new TensorBuilder(out, shape);
      boolean[] pick = new boolean[n];
      for (int i = 0; i < n; i++) {
        pick[i] = c.getDouble(ic == null ? i : ic[i]) != 0;
        if (out.isFloatingPoint()) {
          ob.set(i, pick[i] ? x.getDouble(ix == null ? i : ix[i]) : y.getDouble(iy == null ? i : iy[i]));
        } else {
          ob.setLong(i, pick[i] ? x.getLong(ix == null ? i : ix[i]) : y.getLong(iy == null ? i : iy[i]));
        }
      }
      return new Differentiable.Result(ob.build(), "WhereBackward0", List.of(), g -> {
        Tensor[] grads = new Tensor[3];
        for (int k = 1; k <= 2; k++) {
          if (!needs[k]) {
            continue;
          }
          TensorBuilder gb = new TensorBuilder(out, shape);
          for (int i = 0; i < n; i++) {
            gb.set(i, pick[i] == (k == 1) ? g.getDouble(i) : 0);
          }
          grads[k] = TensorMath.sumToShape(gb.build(), in[k].shape(), in[k].dtype());
        }
        return grads;
      });
    }, Variable.constant(cond.data()), a, b);
  }

  /** {@code x.masked_fill(mask, value)} for a Python number value (value + Python type, as the shim passes it). */
  public static Variable maskedFill(Variable x, Variable mask, double value, String pyType) {
    x.data().dtype().refuseBarebones("masked_fill");
    Tensor v = Kernels.wrapScalar(value, pyType);
    return Kernels.record((in, needs) -> {
      Tensor t = in[0];
      Tensor m = in[1];
      int[] shape = t.shape();
      if (!java.util.Arrays.equals(Shapes.broadcast(m.shape(), shape), shape)) {
        throw new RuntimeError("The size of tensor a (" + shape[shape.length - 1] + ") must match the size of tensor b ("
            + m.shape()[m.dim() - 1] + ") at non-singleton dimension " + (shape.length - 1));
      }
      if (m.dtype() != DType.BOOL) {
        throw new RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype "
            + m.dtype().cTypeName());
      }
      int[] im = Kernels.index(m, shape);
      int n = t.numel();
      TensorBuilder ob = new TensorBuilder(t.dtype(), shape);
      for (int i = 0; i < n; i++) {
        boolean fill = m.getDouble(im == null ? i : im[i]) != 0;
        if (t.dtype().isFloatingPoint()) {
          ob.set(i, fill ? v.getDouble(0) : t.getDouble(i));
        } else {
          ob.setLong(i, fill ? (long) v.getDouble(0) : t.getLong(i));
        }
      }
      return new Differentiable.Result(ob.build(), "MaskedFillBackward0", List.of(), needs[0] ? g -> {
        TensorBuilder gb = new TensorBuilder(t.dtype(), shape);
        for (int i = 0; i < n; i++) {
          gb.set(i, m.getDouble(im == null ? i : im[i]) != 0 ? 0 : g.getDouble(i));
        }
        return new Tensor[] {gb.build(), null};
      } : null);
    }, x, Variable.constant(mask.data()));
  }

  /**
   * {@code torch.tril(x, diagonal)} ({@code TrilBackward0}) and, with {@code upper}, {@code torch.triu}
   * ({@code TriuBackward0}): over the last two dims, keeps element (i, j) where {@code j - i <= diagonal}
   * (lower) or {@code j - i >= diagonal} (upper) and zeroes (or sets false) the rest, NaN included; the
   * gradient is masked the same way. Any dtype; at least 2 dims.
   */
  public static Variable triangle(Variable x, long diagonal, boolean upper) {
    String op = upper ? "triu" : "tril";
    if (x.data().dim() < 2) {
      throw new RuntimeError(op + ": input tensor must have at least 2 dimensions");
    }
    return Kernels.record((in, needs) -> {
      Tensor t = in[0];
      int[] shape = t.shape();
      int cols = shape[shape.length - 1];
      int rows = shape[shape.length - 2];
      int n = t.numel();
      boolean[] keep = new boolean[n];
      for (int i = 0; i < n; i++) {
        long j = i % cols;
        long r = (i / cols) % rows;
        keep[i] = upper ? j - r >= diagonal : j - r <= diagonal;
      }
      TensorBuilder ob = new TensorBuilder(t.dtype(), shape);
      for (int i = 0; i < n; i++) {
        if (t.dtype().isFloatingPoint()) {
          ob.set(i, keep[i] ? t.getDouble(i) : 0);
        } else {
          ob.setLong(i, keep[i] ? t.getLong(i) : 0);
        }
      }
      String name = upper ? "TriuBackward0" : "TrilBackward0";
      return new Differentiable.Result(ob.build(), name, List.of(), needs[0] ? g -> {
        TensorBuilder gb = new TensorBuilder(g.dtype(), shape);
        for (int i = 0; i < n; i++) {
          gb.set(i, keep[i] ? g.getDouble(i) : 0);
        }
        return new Tensor[] {gb.build()};
      } : null);
    }, x);
  }

  /** {@code x.gather(dim, index)}: out[i][j] = x[index[i][j]][j] (dim 0), etc.; index is int64 of x's rank. */
  public static Variable gather(Variable x, int dim, Variable index) {
    x.data().dtype().refuseBarebones("scatter_gather_tensor_cpu");
    Tensor idx = index.data();
    Tensor t = x.data();
    if (idx.dtype() != DType.INT64) {
      throw new RuntimeError("gather(): Expected dtype int32/int64 for index");
    }
    int nd = Math.max(t.dim(), 1);
    int d = Kernels.wrapDim(dim, t.dim());
    if (Math.max(idx.dim(), 1) != nd) {
      throw new RuntimeError("Index tensor must have the same number of dimensions as input tensor");
    }
    int[] xs = t.dim() == 0 ? new int[] {1} : t.shape();
    int[] is = idx.dim() == 0 ? new int[] {1} : idx.shape();
    for (int k = 0; k < nd; k++) {
      if (k != d && is[k] > xs[k]) {
        throw new RuntimeError("Size does not match at dimension " + k + " expected index " + Shapes.format(idx.shape())
            + " to be smaller than self " + Shapes.format(t.shape()) + " apart from dimension " + d);
      }
    }
    int n = idx.numel();
    int[] map = new int[n];
    int[] xStrides = Shapes.strides(xs);
    int[] counter = new int[nd];
    for (int i = 0; i < n; i++) {
      long at = idx.getLong(i);
      if (at < -xs[d] || at >= xs[d]) {
        throw new RuntimeError("index " + at + " is out of bounds for dimension " + d + " with size " + xs[d]);
      }
      int flat = 0;
      for (int k = 0; k < nd; k++) {
        flat += (k == d ? (int) (at < 0 ? at + xs[d] : at) : counter[k]) * xStrides[k];
      }
      map[i] = flat;
      for (int k = nd - 1; k >= 0; k--) {
        if (++counter[k] < is[k]) {
          break;
        }
        counter[k] = 0;
      }
    }
    return Kernels.record(new Views.Gather(map, idx.shape(), "GatherBackward0"), x);
  }

  /**
   * {@code x.max(dim, keepdim)} / {@code x.min(dim, keepdim)}: {values ({@code MaxBackward0} /
   * {@code MinBackward0}, the gradient going to the chosen index), indices (int64, the first extreme; NaN wins)}.
   */
  public static Variable[] extremeDim(Variable x, int dim, boolean keepdim, boolean max) {
    return extremeDim(x, dim, keepdim, max, max ? "max" : "min");
  }

  private static Variable[] extremeDim(Variable x, int dim, boolean keepdim, boolean max, String opName) {
    x.data().dtype().refuseBarebones(max ? "max_cpu" : "min_cpu");
    Tensor t = x.data();
    int nd = t.dim();
    int d = Kernels.wrapDim(dim, nd);
    int[] shape = t.shape();
    int size = nd == 0 ? 1 : shape[d];
    if (size == 0) {
      throw new IndexError(opName + "(): Expected reduction dim " + d + " to have non-zero size.");
    }
    boolean[] mask = new boolean[Math.max(nd, 1)];
    mask[d] = true;
    int[] kept = nd == 0 ? new int[0] : Kernels.keptShape(shape, mask);
    int[] outShape = keepdim || nd == 0 ? kept : Kernels.droppedShape(shape, mask);
    int inner = 1;
    for (int k = d + 1; k < nd; k++) {
      inner *= shape[k];
    }
    int m = Shapes.numel(kept);
    long[] arg = new long[m];
    int[] src = new int[m];
    for (int j = 0; j < m; j++) {
      int o = j / inner;
      int in = j % inner;
      int best = 0;
      double bv = t.getDouble(o * size * inner + in);
      for (int k = 1; k < size && !Double.isNaN(bv); k++) {
        double v = t.getDouble((o * size + k) * inner + in);
        if (Double.isNaN(v) || (max ? v > bv : v < bv)) {
          best = k;
          bv = v;
        }
      }
      arg[j] = best;
      src[j] = (o * size + best) * inner + in;
    }
    Variable values = Kernels.record(new Views.Gather(src, outShape, max ? "MaxBackward0" : "MinBackward0"), x);
    return new Variable[] {values, Variable.constant(Tensor.ofLongs(arg, outShape))};
  }

  /** {@code x.argmax(dim, keepdim)} / {@code x.argmin}; a null dim flattens first. */
  public static Variable argExtreme(Variable x, Integer dim, boolean keepdim, boolean max) {
    x.data().dtype().refuseBarebones(max ? "argmax_cpu" : "argmin_cpu");
    String opName = max ? "argmax" : "argmin";
    Tensor t = x.data();
    if (t.dtype() == DType.BOOL) {
      // PyTorch 2.x refuses bool before any shape check (1.13 dispatched and failed in its kernel).
      throw new RuntimeError(opName + "(): does not support bool input");
    }
    if (dim == null && t.numel() == 0) {
      throw new IndexError(opName + "(): Expected reduction dim to be specified for input.numel() == 0.");
    }
    if (dim != null && t.dim() > 0 && t.size(Kernels.wrapDim(dim, t.dim())) == 0) {
      throw new IndexError(opName + "(): Expected reduction dim " + Kernels.wrapDim(dim, t.dim())
          + " to have non-zero size.");
    }
    if (dim == null) {
      Variable flat = Views.reshape(Variable.constant(x.data()), new int[] {-1});
      Variable idx = extremeDim(flat, 0, false, max, opName)[1];
      if (keepdim) {
        int[] ones = new int[x.data().dim()];
        java.util.Arrays.fill(ones, 1);
        return Variable.constant(idx.data().reshape(ones));
      }
      return idx;
    }
    return extremeDim(Variable.constant(x.data()), dim, keepdim, max, opName)[1];
  }

  /** {@code x.max()} over all elements. */
  public static Variable max(Variable x) {
    return extreme(x, true);
  }

  /** {@code x.min()} over all elements. */
  public static Variable min(Variable x) {
    return extreme(x, false);
  }

  private static Variable extreme(Variable x, boolean max) {
    x.data().dtype().refuseBarebones(max ? "max_all" : "min_all");
    if (x.data().numel() == 0) {
      throw new RuntimeError((max ? "max" : "min") + "(): Expected reduction dim to be specified for input.numel() == 0."
          + " Specify the reduction dim with the 'dim' argument.");
    }
    return Kernels.record((in, needs) -> {
      Tensor t = in[0];
      int n = t.numel();
      Tensor out;
      if (!t.dtype().isFloatingPoint()) {
        long best = t.getLong(0);
        for (int i = 1; i < n; i++) {
          best = max ? Math.max(best, t.getLong(i)) : Math.min(best, t.getLong(i));
        }
        return new Differentiable.Result(Tensor.ofLongs(new long[] {best}).to(t.dtype()), max ? "MaxBackward1"
            : "MinBackward1", List.of(), null);
      }
      double best = t.getDouble(0);
      for (int i = 1; i < n && !Double.isNaN(best); i++) {
        double v = t.getDouble(i);
        best = Double.isNaN(v) ? v : max ? Math.max(best, v) : Math.min(best, v);
      }
      out = Tensor.scalar(best, t.dtype());
      double b = best;
      return new Differentiable.Result(out, max ? "MaxBackward1" : "MinBackward1", List.of(), needs[0] ? g -> {
        int count = 0;
        boolean[] hit = new boolean[n];
        for (int i = 0; i < n; i++) {
          double v = t.getDouble(i);
          hit[i] = Double.isNaN(b) ? Double.isNaN(v) : v == b;
          count += hit[i] ? 1 : 0;
        }
        TensorBuilder gb = new TensorBuilder(t.dtype(), t.shape());
        double share = g.getDouble(0) / count;
        for (int i = 0; i < n; i++) {
          gb.set(i, hit[i] ? share : 0);
        }
        return new Tensor[] {gb.build()};
      } : null);
    }, x);
  }

  /** {@code torch.maximum(a, b)} ({@code MaximumBackward0}), also {@code torch.max(a, b)}. */
  public static Variable maximum(Variable a, Variable b) {
    return extremeOf(a, b, true);
  }

  /** {@code torch.minimum(a, b)} ({@code MinimumBackward0}), also {@code torch.min(a, b)}. */
  public static Variable minimum(Variable a, Variable b) {
    return extremeOf(a, b, false);
  }

  /**
   * The element-wise larger (smaller) of two broadcast tensors in their promoted dtype, NaN winning; where both
   * are equal each side gets half the gradient, as PyTorch's derivative formula gives it.
   */
  private static Variable extremeOf(Variable a, Variable b, boolean max) {
    return Kernels.record((in, needs) -> {
      Tensor x = in[0];
      Tensor y = in[1];
      DType out = Kernels.resultType(x, false, y, false);
      int[] shape = Shapes.broadcast(x.shape(), y.shape());
      int n = Shapes.numel(shape);
      int[] ix = Kernels.index(x, shape);
      int[] iy = Kernels.index(y, shape);
      TensorBuilder ob = new TensorBuilder(out, shape);
      for (int i = 0; i < n; i++) {
        if (out.isFloatingPoint()) {
          double u = Kernels.round(x.getDouble(ix == null ? i : ix[i]), out);
          double v = Kernels.round(y.getDouble(iy == null ? i : iy[i]), out);
          ob.set(i, Double.isNaN(u) || Double.isNaN(v) ? Double.NaN : max ? Math.max(u, v) : Math.min(u, v));
        } else {
          long u = x.getLong(ix == null ? i : ix[i]);
          long v = y.getLong(iy == null ? i : iy[i]);
          ob.setLong(i, max ? Math.max(u, v) : Math.min(u, v));
        }
      }
      String name = max ? "MaximumBackward0" : "MinimumBackward0";
      return new Differentiable.Result(ob.build(), name, List.of(), g -> {
        Tensor[] grads = new Tensor[2];
        for (int k = 0; k < 2; k++) {
          if (!needs[k]) {
            continue;
          }
          TensorBuilder gb = new TensorBuilder(out, shape);
          for (int i = 0; i < n; i++) {
            double u = Kernels.round(x.getDouble(ix == null ? i : ix[i]), out);
            double v = Kernels.round(y.getDouble(iy == null ? i : iy[i]), out);
            double mine = k == 0 ? u : v;
            double other = k == 0 ? v : u;
            double gi = g.getDouble(i);
            boolean loses = max ? mine < other : mine > other;
            gb.set(i, loses ? 0 : mine == other ? gi / 2 : gi);
          }
          grads[k] = TensorMath.sumToShape(gb.build(), in[k].shape(), in[k].dtype());
        }
        return grads;
      });
    }, a, b);
  }
}
