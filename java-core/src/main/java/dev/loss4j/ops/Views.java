package dev.loss4j.ops;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.IndexError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.errors.ValueError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import dev.loss4j.tensor.TensorMath;
import java.util.List;

/**
 * Shape changes, indexing and copies with autograd, named as PyTorch names their grad_fn:
 * {@code view} ({@code ViewBackward0}), {@code reshape}/{@code flatten} ({@code ViewBackward0}: loss4j tensors
 * are contiguous, and PyTorch 2.x reshapes a contiguous tensor as a view),
 * {@code unsqueeze} ({@code UnsqueezeBackward0}), {@code squeeze()} / {@code squeeze(dim)}
 * ({@code SqueezeBackward0} / {@code SqueezeBackward1}), {@code x[i]} along a dim ({@code SelectBackward0}),
 * {@code x[a:b:s]} along a dim ({@code SliceBackward0}), {@code x[...]} ({@code AliasBackward0}),
 * {@code expand} ({@code ExpandBackward0}), {@code clone()} ({@code CloneBackward0}) and dtype conversion
 * ({@code ToCopyBackward0}).
 *
 * <p>Tensors are dense and immutable, so a "view" shares storage where the layout allows (reshapes) and
 * copies otherwise; the values and gradients are PyTorch's either way. Gradients of select/slice scatter
 * into zeros of the input's shape; of expand, sum back.
 */
public final class Views {
  private Views() {}

  /** {@code x.view(shape)}: -1 infers one size. */
  public static Variable view(Variable x, int[] shape) {
    return reshapeNamed(x, shape, "ViewBackward0");
  }

  /** {@code x.reshape(shape)}. */
  public static Variable reshape(Variable x, int[] shape) {
    return reshapeNamed(x, shape, "ViewBackward0");
  }

  static Variable reshapeNamed(Variable x, int[] shape, String name) {
    return Kernels.record((inputs, needs) -> {
      Tensor t = inputs[0];
      int[] in = t.shape();
      return new Differentiable.Result(t.reshape(shape), name, List.of(),
          needs[0] ? g -> new Tensor[] {g.reshape(in)} : null);
    }, x);
  }

  /** {@code x.flatten(start_dim, end_dim)}: x itself when nothing changes, as PyTorch returns self. */
  public static Variable flatten(Variable x, int startDim, int endDim) {
    int[] shape = x.data().shape();
    int nd = shape.length;
    int s = Kernels.wrapDim(startDim, nd);
    int e = Kernels.wrapDim(endDim, nd);
    if (s > e) {
      throw new RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim");
    }
    if (nd == 0) {
      return reshape(x, new int[] {1});
    }
    if (s == e) {
      return x;
    }
    int[] out = new int[nd - (e - s)];
    int j = 0;
    for (int d = 0; d < s; d++) {
      out[j++] = shape[d];
    }
    long prod = 1;
    for (int d = s; d <= e; d++) {
      prod *= shape[d];
    }
    out[j++] = (int) prod;
    for (int d = e + 1; d < nd; d++) {
      out[j++] = shape[d];
    }
    return reshape(x, out);
  }

  /** {@code x.unsqueeze(dim)}: dim in [-ndim-1, ndim]. */
  public static Variable unsqueeze(Variable x, int dim) {
    int[] shape = x.data().shape();
    int d = Kernels.wrapDim(dim, shape.length + 1);
    int[] out = new int[shape.length + 1];
    for (int i = 0, j = 0; i < out.length; i++) {
      out[i] = i == d ? 1 : shape[j++];
    }
    return reshapeNamed(x, out, "UnsqueezeBackward0");
  }

  /** {@code x.squeeze()}: every size-1 dim dropped. */
  public static Variable squeeze(Variable x) {
    int[] shape = x.data().shape();
    int[] out = java.util.Arrays.stream(shape).filter(s -> s != 1).toArray();
    return reshapeNamed(x, out, "SqueezeBackward0");
  }

  /** {@code x.squeeze(dim)}: that dim dropped when its size is 1 (a view of the same shape otherwise). */
  public static Variable squeeze(Variable x, int dim) {
    int[] shape = x.data().shape();
    int d = Kernels.wrapDim(dim, shape.length);
    int[] out = shape;
    if (shape.length > 0 && shape[d] == 1) {
      out = new int[shape.length - 1];
      for (int i = 0, j = 0; i < shape.length; i++) {
        if (i != d) {
          out[j++] = shape[i];
        }
      }
    }
    return reshapeNamed(x, out, "SqueezeBackward1");
  }

  /** {@code x[...]}: the same values under a new node. */
  public static Variable alias(Variable x) {
    return reshapeNamed(x, x.data().shape(), "AliasBackward0");
  }

  /** {@code x.select(dim, index)}, as {@code x[index]} along a dim; negative indices count from the end. */
  public static Variable select(Variable x, int dim, long index) {
    int[] shape = x.data().shape();
    if (shape.length == 0) {
      throw new IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()`"
          + " in C++ to convert a 0-dim tensor to a number");
    }
    int d = Kernels.wrapDim(dim, shape.length);
    int size = shape[d];
    if (index < -size || index >= size) {
      throw new IndexError("index " + index + " is out of bounds for dimension " + d + " with size " + size);
    }
    int at = (int) (index < 0 ? index + size : index);
    int[] out = new int[shape.length - 1];
    for (int i = 0, j = 0; i < shape.length; i++) {
      if (i != d) {
        out[j++] = shape[i];
      }
    }
    int inner = inner(shape, d);
    int[] map = new int[Shapes.numel(out)];
    for (int i = 0; i < map.length; i++) {
      int o = inner == 0 ? 0 : i / inner;
      map[i] = (o * size + at) * inner + (inner == 0 ? 0 : i % inner);
    }
    return Kernels.record(new Gather(map, out, "SelectBackward0"), x);
  }

  /**
   * {@code x[start:stop:step]} along {@code dim}, with Python's slice rules: bounds clamp to the size,
   * negative ones count from the end, null means the whole extent; step must be positive.
   */
  public static Variable slice(Variable x, int dim, Long start, Long stop, long step) {
    int[] shape = x.data().shape();
    if (shape.length == 0) {
      throw new IndexError("slice() cannot be applied to a 0-dim tensor.");
    }
    if (step == 0) {
      throw new ValueError("slice step cannot be zero");
    }
    if (step < 0) {
      throw new ValueError("step must be greater than zero");
    }
    int d = Kernels.wrapDim(dim, shape.length);
    int size = shape[d];
    long s = clampIndex(start == null ? 0 : start, size);
    long e = clampIndex(stop == null ? size : stop, size);
    int len = e <= s ? 0 : (int) ((e - s + step - 1) / step);
    int[] out = shape.clone();
    out[d] = len;
    int inner = inner(shape, d);
    int[] map = new int[Shapes.numel(out)];
    for (int i = 0; i < map.length; i++) {
      int rest = i / inner;
      int k = rest % len;
      int o = rest / len;
      map[i] = (int) ((o * (long) size + s + k * step) * inner + i % inner);
    }
    return Kernels.record(new Gather(map, out, "SliceBackward0"), x);
  }

  /**
   * {@code x.unbind(dim)} (what iterating a tensor does): one tensor per index along {@code dim}, each
   * recorded as {@code UnbindBackward0}.
   */
  public static Variable[] unbind(Variable x, int dim) {
    int[] shape = x.data().shape();
    if (shape.length == 0) {
      throw new RuntimeError("Dimension specified as 0 but tensor has no dimensions");
    }
    int d = Kernels.wrapDim(dim, shape.length);
    int size = shape[d];
    int[] out = new int[shape.length - 1];
    for (int i = 0, j = 0; i < shape.length; i++) {
      if (i != d) {
        out[j++] = shape[i];
      }
    }
    int inner = inner(shape, d);
    int m = Shapes.numel(out);
    Variable[] parts = new Variable[size];
    for (int at = 0; at < size; at++) {
      int[] map = new int[m];
      for (int i = 0; i < m; i++) {
        map[i] = ((i / inner) * size + at) * inner + i % inner;
      }
      parts[at] = Kernels.record(new Gather(map, out, "UnbindBackward0"), x);
    }
    return parts;
  }

  /**
   * {@code x.split(sizes, dim)}: consecutive pieces along dim of the given sizes, each recorded as {@code name}
   * ({@code SplitBackward0} for {@code chunk} and {@code split(int)}, {@code SplitWithSizesBackward0} for a list).
   */
  public static Variable[] split(Variable x, int[] sizes, int dim, String name) {
    int[] shape = x.data().shape();
    if (shape.length == 0) {
      throw new RuntimeError("split expects at least a 1-dimensional tensor");
    }
    int d = Kernels.wrapDim(dim, shape.length);
    int size = shape[d];
    int total = 0;
    for (int s : sizes) {
      total += s;
    }
    if (total != size) {
      throw new RuntimeError("split_with_sizes expects split_sizes to sum exactly to " + size + " (input tensor's size at"
          + " dimension " + d + "), but got split_sizes=" + Shapes.format(sizes));
    }
    Variable[] parts = new Variable[sizes.length];
    long start = 0;
    for (int p = 0; p < sizes.length; p++) {
      Variable piece = slice(x, d, start, start + sizes[p], 1);
      parts[p] = reshapeNamed(piece, piece.data().shape(), name);
      start += sizes[p];
    }
    return parts;
  }

  /** {@code x.chunk(chunks, dim)}: pieces of ceil(size / chunks) along dim, the last one shorter. */
  public static Variable[] chunk(Variable x, int chunks, int dim) {
    if (x.data().dim() == 0) {
      throw new RuntimeError("chunk expects at least a 1-dimensional tensor");
    }
    if (chunks <= 0) {
      throw new RuntimeError("chunk expects `chunks` to be greater than 0, got: " + chunks);
    }
    int d = Kernels.wrapDim(dim, x.data().dim());
    int size = x.data().size(d);
    int step = (size + chunks - 1) / chunks;
    return split(x, splitSizes(size, step), d, "SplitBackward0");
  }

  /** The sizes {@code x.split(step)} cuts a dim of {@code size} into. */
  public static int[] splitSizes(int size, int step) {
    if (step <= 0) {
      return new int[] {size};
    }
    int count = Math.max(1, (size + step - 1) / step);
    int[] sizes = new int[count];
    for (int i = 0; i < count; i++) {
      sizes[i] = Math.min(step, size - i * step);
    }
    return sizes;
  }

  /**
   * {@code x.diagonal(offset, dim1, dim2)} ({@code DiagonalBackward0}): the elements x[.., i, .., i + offset, ..]
   * (offset above the main diagonal when positive), dims dim1 and dim2 removed and the diagonal appended last.
   */
  public static Variable diagonal(Variable x, int offset, int dim1, int dim2) {
    int[] shape = x.data().shape();
    int nd = shape.length;
    int a = Kernels.wrapDim(dim1, nd);
    int b = Kernels.wrapDim(dim2, nd);
    if (a == b) {
      throw new RuntimeError("diagonal dimensions cannot be identical " + dim1 + ", " + dim2);
    }
    int len = offset >= 0 ? Math.max(0, Math.min(shape[a], shape[b] - offset))
        : Math.max(0, Math.min(shape[a] + offset, shape[b]));
    int[] out = new int[nd - 1];
    int[] keep = new int[nd - 2];
    for (int k = 0, j = 0; k < nd; k++) {
      if (k != a && k != b) {
        keep[j] = k;
        out[j++] = shape[k];
      }
    }
    out[nd - 2] = len;
    int[] strides = Shapes.strides(shape);
    int[] map = new int[Shapes.numel(out)];
    for (int i = 0; i < map.length; i++) {
      int diag = i % Math.max(len, 1);
      int rest = len == 0 ? 0 : i / len;
      int flat = 0;
      for (int j = keep.length - 1; j >= 0; j--) {
        int c = rest % shape[keep[j]];
        rest /= shape[keep[j]];
        flat += c * strides[keep[j]];
      }
      int ra = offset >= 0 ? diag : diag - offset;
      int rb = offset >= 0 ? diag + offset : diag;
      map[i] = flat + ra * strides[a] + rb * strides[b];
    }
    return Kernels.record(new Gather(map, out, "DiagonalBackward0"), x);
  }

  /** {@code x.flip(dims)} ({@code FlipBackward0}): the elements in reverse order along each of dims. */
  public static Variable flip(Variable x, int[] dims) {
    x.data().dtype().refuseBarebones("flip_cpu");
    int[] shape = x.data().shape();
    boolean[] rev = Kernels.dimMask(dims.length == 0 ? new int[] {} : dims, shape.length);
    if (dims.length == 0) {
      java.util.Arrays.fill(rev, false);
    }
    int[] strides = Shapes.strides(shape);
    int[] map = sources(shape, c -> {
      int flat = 0;
      for (int k = 0; k < shape.length; k++) {
        flat += (rev[k] ? shape[k] - 1 - c[k] : c[k]) * strides[k];
      }
      return flat;
    });
    return Kernels.record(new Gather(map, shape.clone(), "FlipBackward0"), x);
  }

  /**
   * For each flat position of an array of shape {@code out}, its coordinates handed to {@code source}, which
   * gives the flat position of the input element that goes there: the map of a {@link Gather}.
   */
  private static int[] sources(int[] out, java.util.function.ToIntFunction<int[]> source) {
    int n = Shapes.numel(out);
    int[] strides = Shapes.strides(out);
    int[] coords = new int[out.length];
    int[] map = new int[n];
    for (int i = 0; i < n; i++) {
      int rest = i;
      for (int k = 0; k < out.length; k++) {
        coords[k] = rest / strides[k];
        rest -= coords[k] * strides[k];
      }
      map[i] = source.applyAsInt(coords);
    }
    return map;
  }

  /**
   * {@code torch.roll(x, shifts, dims)} ({@code RollBackward0}): each element moved {@code shifts[k]} places
   * along {@code dims[k]}, wrapping around; with no dims the flattened tensor is rolled by {@code shifts[0]}.
   */
  public static Variable roll(Variable x, long[] shifts, int[] dims) {
    int[] shape = x.data().shape();
    int n = x.data().numel();
    if (dims.length == 0) {
      if (shifts.length != 1) {
        throw new RuntimeError("`shifts` required");
      }
      int[] map = new int[n];
      for (int i = 0; i < n; i++) {
        map[i] = (int) Math.floorMod(i - shifts[0], (long) n);
      }
      return Kernels.record(new Gather(map, shape.clone(), "RollBackward0"), x);
    }
    if (shifts.length != dims.length) {
      throw new RuntimeError("shifts and dimensions must align. shifts: " + shifts.length + ", dims:" + dims.length);
    }
    long[] by = new long[shape.length];
    for (int k = 0; k < dims.length; k++) {
      int d = Kernels.wrapDim(dims[k], shape.length);
      by[d] += shifts[k];
    }
    int[] strides = Shapes.strides(shape);
    int[] map = sources(shape, c -> {
      int flat = 0;
      for (int k = 0; k < shape.length; k++) {
        flat += (int) Math.floorMod(c[k] - by[k], (long) shape[k]) * strides[k];
      }
      return flat;
    });
    return Kernels.record(new Gather(map, shape.clone(), "RollBackward0"), x);
  }

  /**
   * {@code x.index_select(dim, index)} ({@code IndexSelectBackward0}): the slices of x at the positions in a 1-d
   * (or 0-d) integer index along dim, repeats allowed; the gradient adds back into those positions.
   */
  public static Variable indexSelect(Variable x, int dim, Variable index) {
    Tensor idx = index.data();
    if (idx.dim() > 1) {
      throw new IndexError("index_select(): Index is supposed to be a vector");
    }
    if (idx.dtype() != DType.INT64 && idx.dtype() != DType.INT32) {
      throw new RuntimeError("index_select(): Expected dtype int32 or int64 for index");
    }
    int[] in = x.data().shape();
    // a 0-d input selects from its one element as if it were (1)
    int[] shape = in.length == 0 ? new int[] {1} : in;
    int d = Kernels.wrapDim(dim, shape.length);
    int m = idx.numel();
    int[] picks = new int[m];
    for (int j = 0; j < m; j++) {
      long pos = idx.getLong(j);
      if (pos >= shape[d] || pos < (in.length == 0 ? -1 : 0)) {
        throw new IndexError("index out of range in self");
      }
      picks[j] = (int) (pos < 0 ? pos + shape[d] : pos);
    }
    int[] out = shape.clone();
    out[d] = m;
    int[] strides = Shapes.strides(shape);
    int[] map = sources(out, c -> {
      int flat = 0;
      for (int k = 0; k < shape.length; k++) {
        flat += (k == d ? picks[c[k]] : c[k]) * strides[k];
      }
      return flat;
    });
    return Kernels.record(new Gather(map, in.length == 0 ? new int[0] : out, "IndexSelectBackward0"),
        x);
  }

  /** {@code x.repeat(sizes)} ({@code RepeatBackward0}): x tiled sizes[k] times along each dim (leading ones added). */
  public static Variable repeat(Variable x, int[] sizes) {
    int[] in = x.data().shape();
    if (sizes.length < in.length) {
      throw new RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
    }
    int lead = sizes.length - in.length;
    int[] padded = new int[sizes.length];
    int[] out = new int[sizes.length];
    for (int k = 0; k < sizes.length; k++) {
      padded[k] = k < lead ? 1 : in[k - lead];
      out[k] = padded[k] * sizes[k];
    }
    int[] inStrides = Shapes.strides(padded);
    int[] outStrides = Shapes.strides(out);
    int[] map = new int[Shapes.numel(out)];
    for (int i = 0; i < map.length; i++) {
      int rest = i;
      int flat = 0;
      for (int k = 0; k < out.length; k++) {
        int c = rest / outStrides[k];
        rest -= c * outStrides[k];
        flat += (c % padded[k]) * inStrides[k];
      }
      map[i] = flat;
    }
    return Kernels.record(new Gather(map, out, "RepeatBackward0"), x);
  }

  private static long clampIndex(long i, int size) {
    if (i < 0) {
      i += size;
    }
    return Math.max(0, Math.min(i, size));
  }

  private static int inner(int[] shape, int d) {
    int inner = 1;
    for (int k = d + 1; k < shape.length; k++) {
      inner *= shape[k];
    }
    return inner;
  }

  /** {@code x.expand(shape)} (-1 keeps a size): broadcasting copy, gradient summed back. */
  public static Variable expand(Variable x, int[] shape) {
    int[] in = x.data().shape();
    int[] target = shape.clone();
    int lead = target.length - in.length;
    if (lead < 0) {
      throw new RuntimeError("expand(torch." + x.data().dtype().scalarTypeName() + "Tensor{" + Shapes.format(in)
          + "}, size=" + Shapes.format(shape) + "): the number of sizes provided (" + shape.length + ") must be"
          + " greater or equal to the number of dimensions in the tensor (" + in.length + ")");
    }
    for (int d = 0; d < target.length; d++) {
      if (target[d] == -1 && d >= lead) {
        target[d] = in[d - lead];
      }
      if (d >= lead && in[d - lead] != 1 && in[d - lead] != target[d]) {
        throw new RuntimeError("The expanded size of the tensor (" + target[d] + ") must match the existing size ("
            + in[d - lead] + ") at non-singleton dimension " + d + ".  Target sizes: " + Shapes.format(shape)
            + ".  Tensor sizes: " + Shapes.format(in));
      }
    }
    return Kernels.record((inputs, needs) -> new Differentiable.Result(TensorMath.expand(inputs[0], target),
        "ExpandBackward0", List.of(),
        needs[0] ? g -> new Tensor[] {TensorMath.sumToShape(g, in, inputs[0].dtype())} : null), x);
  }

  /** {@code x.permute(dims)} ({@code PermuteBackward0}); {@code x.T} is the reversed permutation. */
  public static Variable permute(Variable x, int[] dims) {
    return permuteNamed(x, dims, "PermuteBackward0");
  }

  /** {@code x.transpose(d0, d1)} ({@code TransposeBackward0}). */
  public static Variable transpose(Variable x, int d0, int d1) {
    int nd = x.data().dim();
    int a = Kernels.wrapDim(d0, nd);
    int b = Kernels.wrapDim(d1, nd);
    int[] dims = new int[nd];
    for (int i = 0; i < nd; i++) {
      dims[i] = i == a ? b : i == b ? a : i;
    }
    return permuteNamed(x, dims, "TransposeBackward0");
  }

  /** {@code x.t()} ({@code TBackward0}): tensors of at most 2 dims. */
  public static Variable t(Variable x) {
    int nd = x.data().dim();
    if (nd > 2) {
      throw new RuntimeError("t() expects a tensor with <= 2 dimensions, but self is " + nd + "D");
    }
    return permuteNamed(x, nd == 2 ? new int[] {1, 0} : nd == 1 ? new int[] {0} : new int[0], "TBackward0");
  }

  private static Variable permuteNamed(Variable x, int[] dims, String name) {
    int[] shape = x.data().shape();
    int nd = shape.length;
    if (dims.length != nd) {
      throw new RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does not match the length"
          + " of the desired ordering of dimensions i.e. input.dim() = " + nd + " is not equal to len(dims) = "
          + dims.length);
    }
    int[] order = new int[nd];
    boolean[] seen = new boolean[nd];
    for (int i = 0; i < nd; i++) {
      order[i] = Kernels.wrapDim(dims[i], nd);
      if (seen[order[i]]) {
        throw new RuntimeError("permute(): duplicate dims are not allowed.");
      }
      seen[order[i]] = true;
    }
    int[] out = new int[nd];
    int[] inStrides = Shapes.strides(shape);
    int[] strides = new int[nd];
    for (int i = 0; i < nd; i++) {
      out[i] = shape[order[i]];
      strides[i] = inStrides[order[i]];
    }
    int n = Shapes.numel(out);
    int[] map = new int[n];
    int[] counter = new int[nd];
    int offset = 0;
    for (int i = 0; i < n; i++) {
      map[i] = offset;
      for (int d = nd - 1; d >= 0; d--) {
        counter[d]++;
        offset += strides[d];
        if (counter[d] < out[d]) {
          break;
        }
        offset -= strides[d] * counter[d];
        counter[d] = 0;
      }
    }
    return Kernels.record(new Gather(map, out, name), x);
  }

  /** {@code x.clone()}. */
  public static Variable cloneOf(Variable x) {
    return reshapeNamed(x, x.data().shape(), "CloneBackward0");
  }

  /**
   * {@code x.to(dtype)} / {@code x.float()} / {@code x.long()}...: x itself when the dtype already matches;
   * a conversion to an integer or bool dtype leaves the graph.
   */
  public static Variable to(Variable x, DType dtype) {
    if (x.data().dtype() == dtype) {
      return x;
    }
    return Kernels.record((inputs, needs) -> {
      DType from = inputs[0].dtype();
      Tensor out = inputs[0].to(dtype);
      return new Differentiable.Result(out, "ToCopyBackward0", List.of(),
          needs[0] && dtype.isFloatingPoint() ? g -> new Tensor[] {g.to(from)} : null);
    }, x);
  }

  /** {@code x.to(dtype)} by torch name ({@code "float32"}, {@code "int64"}...). */
  public static Variable toNamed(Variable x, String dtype) {
    return to(x, DType.fromName(dtype));
  }

  /** Reads {@code map[i]} of the input into element i of the output; the gradient scatters back. */
  static final class Gather implements Differentiable {
    private final int[] map;
    private final int[] shape;
    private final String name;

    Gather(int[] map, int[] shape, String name) {
      this.map = map;
      this.shape = shape;
      this.name = name;
    }

    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      Tensor x = inputs[0];
      TensorBuilder ob = new TensorBuilder(x.dtype(), shape);
      boolean integral = !x.dtype().isFloatingPoint();
      for (int i = 0; i < map.length; i++) {
        if (integral) {
          ob.setLong(i, x.getLong(map[i]));
        } else {
          ob.set(i, x.getDouble(map[i]));
        }
      }
      int[] in = x.shape();
      return new Result(ob.build(), name, List.of(), needsGrad[0] ? g -> {
        double[] acc = new double[x.numel()];
        for (int i = 0; i < map.length; i++) {
          acc[map[i]] += g.getDouble(i);
        }
        return new Tensor[] {Kernels.fromDoubles(acc, x.dtype(), in)};
      } : null);
    }
  }
}
