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
 * Writes along a dim, the reverse of {@code gather}, with autograd: {@code x.scatter(dim, index, src)}
 * ({@code ScatterBackward0}: out[..index[i][j]..] = src[i][j] along dim; x's gradient is zero where written,
 * src's is the output gradient gathered at index), {@code x.scatter(dim, index, value)} ({@code ScatterBackward1}),
 * {@code x.scatter_add(dim, index, src)} ({@code ScatterAddBackward0}: adds instead, x's gradient passes whole)
 * and {@code F.one_hot(labels, num_classes)} (int64, no gradient).
 *
 * <p>index is int64 with x's number of dims, no larger than x apart from {@code dim} and no larger than src;
 * its values lie in [0, x.size(dim)) (no negative indices, as in PyTorch).
 */
public final class Scatter {
  private Scatter() {}

  /** {@code x.scatter(dim, index, src)} for a tensor src of x's dtype. */
  public static Variable scatter(Variable x, int dim, Variable index, Variable src) {
    return scatterTensor(x, dim, index, src, false);
  }

  /** {@code x.scatter_add(dim, index, src)}. */
  public static Variable scatterAdd(Variable x, int dim, Variable index, Variable src) {
    return scatterTensor(x, dim, index, src, true);
  }

  /** {@code x.scatter(dim, index, value)} for a Python number (value + Python type), cast to x's dtype. */
  public static Variable scatterValue(Variable x, int dim, Variable index, double value, String pyType) {
    Tensor t = x.data();
    int[] map = targets(t, dim, index.data(), null, false);
    double v = Kernels.round(Kernels.wrapScalar(value, pyType).getDouble(0), t.dtype());
    return Kernels.record((in, needs) -> {
      Tensor s = in[0];
      TensorBuilder ob = copy(s);
      boolean[] written = new boolean[s.numel()];
      for (int at : map) {
        ob.set(at, v);
        written[at] = true;
      }
      return new Differentiable.Result(ob.build(), "ScatterBackward1", List.of(),
          needs[0] ? g -> new Tensor[] {masked(g, written, s)} : null);
    }, x);
  }

  private static Variable scatterTensor(Variable x, int dim, Variable index, Variable src, boolean add) {
    Tensor t = x.data();
    Tensor s = src.data();
    String op = add ? "scatter_add" : "scatter";
    if (index.data().dtype() != DType.INT64) {
      throw new RuntimeError(op + "(): Expected dtype int32/int64 for index");
    }
    if (s.dtype() != t.dtype()) {
      throw new RuntimeError(op + "(): Expected self.dtype to be equal to src.dtype");
    }
    int[] srcPos = new int[index.data().numel()];
    int[] map = targets(t, dim, index.data(), s, op, srcPos);
    return Kernels.record((in, needs) -> {
      Tensor base = in[0];
      Tensor from = in[1];
      TensorBuilder ob = copy(base);
      boolean[] written = new boolean[base.numel()];
      boolean integral = !base.dtype().isFloatingPoint();
      for (int i = 0; i < map.length; i++) {
        int at = map[i];
        if (integral) {
          long v = from.getLong(srcPos[i]);
          ob.setLong(at, add ? (long) ob.get(at) + v : v);
        } else {
          double v = from.getDouble(srcPos[i]);
          ob.set(at, add ? ob.get(at) + v : v);
        }
        written[at] = true;
      }
      String name = add ? "ScatterAddBackward0" : "ScatterBackward0";
      return new Differentiable.Result(ob.build(), name, List.of(), g -> {
        Tensor[] grads = new Tensor[2];
        if (needs[0]) {
          grads[0] = add ? g.to(base.dtype()) : masked(g, written, base);
        }
        if (needs[1]) {
          TensorBuilder gs = new TensorBuilder(from.dtype(), from.shape());
          for (int i = 0; i < map.length; i++) {
            gs.set(srcPos[i], g.getDouble(map[i]));
          }
          grads[1] = gs.build();
        }
        return grads;
      });
    }, x, src);
  }

  /**
   * {@code F.one_hot(labels, numClasses)}: int64 of shape labels.shape + [C], 1 at each label; C = max + 1 when
   * numClasses is -1.
   */
  public static Variable oneHot(Variable labels, long numClasses) {
    Tensor t = labels.data();
    if (t.dtype() != DType.INT64) {
      throw new RuntimeError("one_hot is only applicable to index tensor of type LongTensor.");
    }
    int n = t.numel();
    if (n == 0 && numClasses <= 0) {
      throw new RuntimeError("Can not infer total number of classes from empty tensor.");
    }
    long max = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      long v = t.getLong(i);
      if (v < 0) {
        throw new RuntimeError("Class values must be non-negative.");
      }
      max = Math.max(max, v);
    }
    long c = numClasses;
    if (c == -1) {
      c = max + 1;
    } else if (n > 0 && max >= c) {
      throw new RuntimeError("Class values must be smaller than num_classes.");
    }
    int[] shape = java.util.Arrays.copyOf(t.shape(), t.dim() + 1);
    shape[t.dim()] = (int) c;
    long[] out = new long[Shapes.numel(shape)];
    for (int i = 0; i < n; i++) {
      out[(int) (i * c + t.getLong(i))] = 1;
    }
    return Variable.constant(Tensor.ofLongs(out, shape));
  }

  /** A builder holding a copy of {@code s}'s elements, to be written over. */
  static TensorBuilder copy(Tensor s) {
    TensorBuilder ob = new TensorBuilder(s.dtype(), s.shape());
    boolean integral = !s.dtype().isFloatingPoint();
    for (int i = 0, n = s.numel(); i < n; i++) {
      if (integral) {
        ob.setLong(i, s.getLong(i));
      } else {
        ob.set(i, s.getDouble(i));
      }
    }
    return ob;
  }

  private static Tensor masked(Tensor g, boolean[] written, Tensor like) {
    TensorBuilder gb = new TensorBuilder(like.dtype(), like.shape());
    for (int i = 0; i < written.length; i++) {
      gb.set(i, written[i] ? 0 : g.getDouble(i));
    }
    return gb.build();
  }

  private static int[] targets(Tensor t, int dim, Tensor idx, Tensor src, boolean add) {
    return targets(t, dim, idx, src, add ? "scatter_add" : "scatter", new int[idx.numel()]);
  }

  /**
   * The flat index of x each index element writes, after PyTorch's checks ({@code op} names the op in the index
   * dtype message); fills srcPos with where src is read.
   */
  static int[] targets(Tensor t, int dim, Tensor idx, Tensor src, String op, int[] srcPos) {
    if (idx.dtype() != DType.INT64) {
      throw new RuntimeError(op + "(): Expected dtype int32/int64 for index");
    }
    int nd = Math.max(t.dim(), 1);
    int d = Kernels.wrapDim(dim, t.dim());
    if (Math.max(idx.dim(), 1) != nd) {
      throw new RuntimeError("Index tensor must have the same number of dimensions as self tensor");
    }
    int[] xs = t.dim() == 0 ? new int[] {1} : t.shape();
    int[] is = idx.dim() == 0 ? new int[] {1} : idx.shape();
    int[] ss = src == null ? null : src.dim() == 0 ? new int[] {1} : src.shape();
    if (src != null && Math.max(src.dim(), 1) != nd) {
      throw new RuntimeError("Index tensor must have the same number of dimensions as src tensor");
    }
    for (int k = 0; k < nd; k++) {
      if ((k != d && is[k] > xs[k]) || (ss != null && is[k] > ss[k])) {
        String msg = "Expected index " + Shapes.format(idx.shape()) + " to be no larger than self "
            + Shapes.format(t.shape()) + " apart from dimension " + d;
        throw new RuntimeError(ss == null ? msg : msg + " and to be no larger size than src " + Shapes.format(src.shape()));
      }
    }
    int n = idx.numel();
    int[] map = new int[n];
    int[] xStrides = Shapes.strides(xs);
    int[] sStrides = ss == null ? null : Shapes.strides(ss);
    int[] counter = new int[nd];
    for (int i = 0; i < n; i++) {
      long at = idx.getLong(i);
      if (at < 0 || at >= xs[d]) {
        throw new RuntimeError("index " + at + " is out of bounds for dimension " + d + " with size " + xs[d]);
      }
      int flat = 0;
      int sflat = 0;
      for (int k = 0; k < nd; k++) {
        flat += (k == d ? (int) at : counter[k]) * xStrides[k];
        if (sStrides != null) {
          sflat += counter[k] * sStrides[k];
        }
      }
      map[i] = flat;
      srcPos[i] = sflat;
      for (int k = nd - 1; k >= 0; k--) {
        if (++counter[k] < is[k]) {
          break;
        }
        counter[k] = 0;
      }
    }
    return map;
  }
}
