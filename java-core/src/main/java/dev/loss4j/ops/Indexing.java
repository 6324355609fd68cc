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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Advanced indexing with autograd, as PyTorch's {@code x[indices]} once basic indexing (ints, slices, None,
 * Ellipsis) has been applied: {@code index(x, indices)} ({@code IndexBackward0}), {@code index_put(x, indices,
 * values, accumulate)} ({@code IndexPutBackward0}, what {@code x[mask] = v} does) and
 * {@code masked_select(x, mask)} ({@code MaskedSelectBackward0}).
 *
 * <p>{@code indices[d]} indexes dim d of x, null leaving it whole. A bool index of k dims consumes k dims of x
 * and stands for the coordinates of its true elements (as {@code nonzero}). The int64 indices broadcast
 * together to shape B; the result has B in place of the indexed dims when these are adjacent, and first
 * otherwise. Gradients scatter back, adding where an index repeats.
 */
public final class Indexing {
  private Indexing() {}

  /** {@code x[indices]} ({@code IndexBackward0}). */
  public static Variable index(Variable x, Variable[] indices) {
    Plan plan = plan(x.data(), indices);
    return Kernels.record(new Views.Gather(plan.map, plan.shape, "IndexBackward0"), x);
  }

  /**
   * {@code x.index_put(indices, values, accumulate)}: a copy of x with the indexed elements set to (or, with
   * accumulate, increased by) {@code values}, broadcast to the indexing result's shape; values must have x's dtype.
   */
  public static Variable indexPut(Variable x, Variable[] indices, Variable values, boolean accumulate) {
    Tensor t = x.data();
    Tensor v = values.data();
    Plan plan = plan(t, indices);
    if (v.dtype() != t.dtype()) {
      throw new RuntimeError("Index put requires the source and destination dtypes match, got "
          + t.dtype().scalarTypeName() + " for the destination and " + v.dtype().scalarTypeName() + " for the source.");
    }
    return put(x, plan.map, plan.shape, values, accumulate, "IndexPutBackward0");
  }

  /**
   * {@code x[key] = values} once the shim has found which elements {@code key} picks: {@code positions} holds
   * their flat indices into x (int64, the shape of {@code x[key]}); values (cast to x's dtype by the caller) are
   * broadcast to that shape. grad_fn {@code name}: {@code IndexPutBackward0} for tensor keys, {@code CopySlices}
   * for basic ones.
   */
  public static Variable putAt(Variable x, Variable positions, Variable values, String name) {
    Tensor p = positions.data();
    int[] map = new int[p.numel()];
    for (int i = 0; i < map.length; i++) {
      map[i] = (int) p.getLong(i);
    }
    return put(x, map, p.shape(), values, false, name);
  }

  private static Variable put(Variable x, int[] map, int[] shape, Variable values, boolean accumulate, String name) {
    Tensor v = values.data();
    int[] vi;
    try {
      int[] b = Shapes.broadcast(v.shape(), shape);
      if (!Arrays.equals(b, shape)) {
        throw new RuntimeError("");
      }
      vi = Kernels.index(v, shape);
    } catch (RuntimeError e) {
      throw new RuntimeError("shape mismatch: value tensor of shape " + Shapes.format(v.shape())
          + " cannot be broadcast to indexing result of shape " + Shapes.format(shape));
    }
    return Kernels.record((in, needs) -> {
      Tensor src = in[0];
      Tensor val = in[1];
      int n = src.numel();
      TensorBuilder ob = Scatter.copy(src);
      boolean integral = !src.dtype().isFloatingPoint();
      boolean[] written = new boolean[n];
      for (int i = 0; i < map.length; i++) {
        int at = map[i];
        int from = vi == null ? i : vi[i];
        written[at] = true;
        if (integral) {
          ob.setLong(at, accumulate ? (long) ob.get(at) + val.getLong(from) : val.getLong(from));
        } else {
          ob.set(at, accumulate ? ob.get(at) + val.getDouble(from) : val.getDouble(from));
        }
      }
      return new Differentiable.Result(ob.build(), name, List.of(), g -> {
        Tensor[] grads = new Tensor[2];
        if (needs[0]) {
          TensorBuilder gb = new TensorBuilder(src.dtype(), src.shape());
          for (int i = 0; i < n; i++) {
            gb.set(i, !accumulate && written[i] ? 0 : g.getDouble(i));
          }
          grads[0] = gb.build();
        }
        if (needs[1]) {
          TensorBuilder gv = new TensorBuilder(val.dtype(), shape);
          for (int i = 0; i < map.length; i++) {
            gv.set(i, g.getDouble(map[i]));
          }
          grads[1] = TensorMath.sumToShape(gv.build(), val.shape(), val.dtype());
        }
        return grads;
      });
    }, x, values);
  }

  /** {@code x.masked_select(mask)}: the elements of x (broadcast with mask) where mask is true, as a 1-D tensor. */
  public static Variable maskedSelect(Variable x, Variable mask) {
    Tensor m = mask.data();
    if (m.dtype() != DType.BOOL) {
      throw new RuntimeError("masked_select: expected BoolTensor for mask");
    }
    Tensor t = x.data();
    int[] shape = Shapes.broadcast(m.shape(), t.shape());
    int[] im = Kernels.index(m, shape);
    int[] it = Kernels.index(t, shape);
    int n = Shapes.numel(shape);
    int count = 0;
    for (int i = 0; i < n; i++) {
      if (m.getDouble(im == null ? i : im[i]) != 0) {
        count++;
      }
    }
    int[] map = new int[count];
    for (int i = 0, j = 0; i < n; i++) {
      if (m.getDouble(im == null ? i : im[i]) != 0) {
        map[j++] = it == null ? i : it[i];
      }
    }
    return Kernels.record(new Views.Gather(map, new int[] {count}, "MaskedSelectBackward0"), x);
  }

  /** {@code torch.nonzero(x)}: the coordinates of x's non-zero elements, one row each (int64, n x dim). */
  public static Variable nonzero(Variable x) {
    Tensor t = x.data();
    int nd = t.dim();
    int[] shape = t.shape();
    List<int[]> rows = new ArrayList<>();
    int n = t.numel();
    int[] counter = new int[nd];
    for (int i = 0; i < n; i++) {
      if (t.getDouble(i) != 0) {
        rows.add(counter.clone());
      }
      for (int k = nd - 1; k >= 0; k--) {
        if (++counter[k] < shape[k]) {
          break;
        }
        counter[k] = 0;
      }
    }
    long[] out = new long[rows.size() * nd];
    for (int r = 0; r < rows.size(); r++) {
      for (int k = 0; k < nd; k++) {
        out[r * nd + k] = rows.get(r)[k];
      }
    }
    return Variable.constant(Tensor.ofLongs(out, rows.size(), nd));
  }

  /** For each element of the indexing result, the flat index read in x, and the result's shape. */
  private record Plan(int[] map, int[] shape) {}

  private static Plan plan(Tensor x, Variable[] indices) {
    int[] xs = x.shape();
    // Expand bool masks into one int64 index per dim they cover.
    List<Tensor> perDim = new ArrayList<>();
    int consumed = 0;
    for (Variable iv : indices) {
      if (iv == null) {
        perDim.add(null);
        consumed++;
        continue;
      }
      Tensor idx = iv.data();
      if (idx.dtype() == DType.BOOL) {
        int k = idx.dim();
        if (consumed + k > xs.length) {
          throw new IndexError("too many indices for tensor of dimension " + xs.length);
        }
        for (int j = 0; j < k; j++) {
          if (idx.size(j) != xs[consumed + j]) {
            throw new IndexError("The shape of the mask " + Shapes.format(idx.shape()) + " at index " + j
                + " does not match the shape of the indexed tensor " + Shapes.format(xs) + " at index " + (consumed + j));
          }
        }
        Tensor coords = nonzero(Variable.constant(idx)).data();
        int rows = coords.size(0);
        if (k == 0) {
          // a 0-d mask: handled by the caller (it adds a dim); here it selects everything or nothing
          throw new IndexError("a 0-d bool index must be applied as a new dim");
        }
        for (int j = 0; j < k; j++) {
          long[] col = new long[rows];
          for (int r = 0; r < rows; r++) {
            col[r] = coords.getLong(r * k + j);
          }
          perDim.add(Tensor.ofLongs(col, rows));
        }
        consumed += k;
      } else if (idx.dtype() == DType.INT64) {
        perDim.add(idx);
        consumed++;
      } else {
        throw new IndexError("tensors used as indices must be long, int, byte or bool tensors");
      }
    }
    if (consumed > xs.length) {
      throw new IndexError("too many indices for tensor of dimension " + xs.length);
    }
    while (perDim.size() < xs.length) {
      perDim.add(null);
    }
    int nd = xs.length;
    int first = -1;
    int last = -1;
    boolean adjacent = true;
    int[] b = null;
    for (int d = 0; d < nd; d++) {
      Tensor idx = perDim.get(d);
      if (idx == null) {
        continue;
      }
      if (first < 0) {
        first = d;
      } else if (last != d - 1) {
        adjacent = false;
      }
      last = d;
      b = b == null ? idx.shape() : broadcastIndices(perDim, b, idx.shape());
    }
    if (first < 0) {
      // no tensor index: the same elements
      int[] map = new int[x.numel()];
      for (int i = 0; i < map.length; i++) {
        map[i] = i;
      }
      return new Plan(map, xs.clone());
    }
    // Bounds and negative indices, checked up front in dim order.
    long[][] resolved = new long[nd][];
    int[][] bIndex = new int[nd][];
    for (int d = 0; d < nd; d++) {
      Tensor idx = perDim.get(d);
      if (idx == null) {
        continue;
      }
      long[] vals = new long[idx.numel()];
      for (int i = 0; i < vals.length; i++) {
        long v = idx.getLong(i);
        if (v < -xs[d] || v >= xs[d]) {
          throw new IndexError("index " + v + " is out of bounds for dimension " + d + " with size " + xs[d]);
        }
        vals[i] = v < 0 ? v + xs[d] : v;
      }
      resolved[d] = vals;
      bIndex[d] = Kernels.index(idx, b);
    }
    // Output dims: (before, B, after) when adjacent, else (B, the whole dims in order).
    List<Integer> whole = new ArrayList<>();
    for (int d = 0; d < nd; d++) {
      if (perDim.get(d) == null) {
        whole.add(d);
      }
    }
    int bPos = adjacent ? countWholeBefore(perDim, first) : 0;
    int[] out = new int[whole.size() + b.length];
    for (int i = 0, w = 0; i < out.length; i++) {
      if (i >= bPos && i < bPos + b.length) {
        out[i] = b[i - bPos];
      } else {
        out[i] = xs[whole.get(w++)];
      }
    }
    int[] xStrides = Shapes.strides(xs);
    int[] oStrides = Shapes.strides(out);
    int nb = Shapes.numel(b);
    int[] bStrides = Shapes.strides(b);
    int total = Shapes.numel(out);
    int[] map = new int[total];
    for (int i = 0; i < total; i++) {
      int rest = i;
      int flat = 0;
      int bFlat = 0;
      int w = 0;
      for (int k = 0; k < out.length; k++) {
        int c = oStrides[k] == 0 ? 0 : rest / oStrides[k];
        rest -= c * oStrides[k];
        if (k >= bPos && k < bPos + b.length) {
          bFlat += c * bStrides[k - bPos];
        } else {
          flat += c * xStrides[whole.get(w++)];
        }
      }
      if (nb > 0) {
        for (int d = 0; d < nd; d++) {
          if (resolved[d] != null) {
            int at = bIndex[d] == null ? bFlat : bIndex[d][bFlat];
            flat += (int) resolved[d][at] * xStrides[d];
          }
        }
      }
      map[i] = flat;
    }
    return new Plan(map, out);
  }

  private static int countWholeBefore(List<Tensor> perDim, int first) {
    int c = 0;
    for (int d = 0; d < first; d++) {
      if (perDim.get(d) == null) {
        c++;
      }
    }
    return c;
  }

  private static int[] broadcastIndices(List<Tensor> perDim, int[] b, int[] next) {
    try {
      return Shapes.broadcast(b, next);
    } catch (RuntimeError e) {
      StringBuilder sb = new StringBuilder("shape mismatch: indexing tensors could not be broadcast together with shapes ");
      boolean firstShape = true;
      for (Tensor t : perDim) {
        if (t != null) {
          sb.append(firstShape ? "" : ", ").append(Shapes.format(t.shape()));
          firstShape = false;
        }
      }
      throw new IndexError(sb.toString());
    }
  }
}
