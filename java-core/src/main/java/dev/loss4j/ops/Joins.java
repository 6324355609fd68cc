package dev.loss4j.ops;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.errors.ValueError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code torch.cat(tensors, dim)} ({@code CatBackward0}) and {@code torch.stack(tensors, dim)}
 * ({@code StackBackward0}): joins along an existing or a new dim, in the promoted dtype of the inputs, with
 * PyTorch's checks and messages. cat skips legacy empty 1-d tensors (shape [0]) as PyTorch does. Each input's
 * gradient is its slice of the output gradient, in its own dtype.
 */
public final class Joins {
  private Joins() {}

  public static Variable cat(Variable[] xs, int dim) {
    if (xs.length == 0) {
      throw new ValueError("torch.cat(): expected a non-empty list of Tensors");
    }
    int[] ref = null;
    for (int k = 0; k < xs.length; k++) {
      int[] s = xs[k].data().shape();
      if (s.length == 0) {
        throw new RuntimeError("zero-dimensional tensor (at position " + k + ") cannot be concatenated");
      }
      if (ref == null && !(s.length == 1 && s[0] == 0)) {
        ref = s;
      }
    }
    if (ref == null) {
      ref = xs[0].data().shape();
    }
    int d = Kernels.wrapDim(dim, ref.length);
    for (int k = 0; k < xs.length; k++) {
      int[] s = xs[k].data().shape();
      if (s.length == 1 && s[0] == 0 && ref.length != 1) {
        continue;
      }
      if (s.length != ref.length) {
        throw new RuntimeError("Tensors must have same number of dimensions: got " + ref.length + " and " + s.length);
      }
      for (int i = 0; i < s.length; i++) {
        if (i != d && s[i] != ref[i]) {
          throw new RuntimeError("Sizes of tensors must match except in dimension " + d + ". Expected size " + ref[i]
              + " but got size " + s[i] + " for tensor number " + k + " in the list.");
        }
      }
    }
    return Kernels.record(new Join(d, ref, "CatBackward0"), xs);
  }

  public static Variable stack(Variable[] xs, int dim) {
    if (xs.length == 0) {
      throw new RuntimeError("stack expects a non-empty TensorList");
    }
    int[] ref = xs[0].data().shape();
    for (int k = 1; k < xs.length; k++) {
      int[] s = xs[k].data().shape();
      if (!Arrays.equals(s, ref)) {
        throw new RuntimeError("stack expects each tensor to be equal size, but got " + Shapes.format(ref)
            + " at entry 0 and " + Shapes.format(s) + " at entry " + k);
      }
    }
    int d = Kernels.wrapDim(dim, ref.length + 1);
    int[] un = new int[ref.length + 1];
    for (int i = 0, j = 0; i < un.length; i++) {
      un[i] = i == d ? 1 : ref[j++];
    }
    return Kernels.record(new Join(d, un, "StackBackward0"), xs);
  }

  /** Concatenation along {@code dim}; each input is read as if of {@code ref}'s rank (stack passes its unsqueezed shape). */
  static final class Join implements Differentiable {
    private final int dim;
    private final int[] ref;
    private final String name;

    Join(int dim, int[] ref, String name) {
      this.dim = dim;
      this.ref = ref;
      this.name = name;
    }

    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      DType out = inputs[0].dtype();
      for (Tensor t : inputs) {
        out = DType.promote(out, t.dtype());
      }
      List<Integer> parts = new ArrayList<>();
      int[] sizes = new int[inputs.length];
      int total = 0;
      for (int k = 0; k < inputs.length; k++) {
        int[] s = inputs[k].shape();
        boolean legacyEmpty = s.length == 1 && s[0] == 0 && ref.length != 1;
        sizes[k] = legacyEmpty ? 0 : s.length == ref.length ? s[dim] : 1;
        if (!legacyEmpty) {
          parts.add(k);
        }
        total += sizes[k];
      }
      int[] shape = ref.clone();
      shape[dim] = total;
      int inner = 1;
      for (int i = dim + 1; i < ref.length; i++) {
        inner *= ref[i];
      }
      int outer = 1;
      for (int i = 0; i < dim; i++) {
        outer *= ref[i];
      }
      TensorBuilder ob = new TensorBuilder(out, shape);
      int[] offsets = new int[inputs.length];
      for (int k = 0, off = 0; k < inputs.length; k++) {
        offsets[k] = off;
        off += sizes[k];
      }
      for (int k : parts) {
        Tensor t = inputs[k];
        int block = sizes[k] * inner;
        for (int o = 0; o < outer; o++) {
          int dst = (o * total + offsets[k]) * inner;
          for (int i = 0; i < block; i++) {
            if (out.isFloatingPoint()) {
              ob.set(dst + i, t.getDouble(o * block + i));
            } else {
              ob.setLong(dst + i, t.getLong(o * block + i));
            }
          }
        }
      }
      Tensor y = ob.build();
      int innerF = inner;
      int outerF = outer;
      int totalF = total;
      return new Result(y, name, List.of(), g -> {
        Tensor[] grads = new Tensor[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
          if (!needsGrad[k]) {
            continue;
          }
          Tensor t = inputs[k];
          TensorBuilder gb = new TensorBuilder(t.dtype(), t.shape());
          int block = sizes[k] * innerF;
          for (int o = 0; o < outerF; o++) {
            int src = (o * totalF + offsets[k]) * innerF;
            for (int i = 0; i < block; i++) {
              gb.set(o * block + i, g.getDouble(src + i));
            }
          }
          grads[k] = gb.build();
        }
        return grads;
      });
    }
  }
}
