package dev.loss4j.ops;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.NotImplementedError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import java.util.List;

/**
 * {@code F.pad(x, pad, mode, value)}: x grown (or, for negative amounts, cut) at both ends of its last
 * {@code pad.length / 2} dims; {@code pad} lists (left, right) amounts from the last dim backwards. Modes:
 * <ul>
 *   <li>{@code constant} ({@code ConstantPadNdBackward0}): new places hold {@code value} (cast to x's dtype);
 *   <li>{@code reflect} ({@code ReflectionPad1DBackward0}, 2D, 3D): mirrored about the edge element, which is
 *       not repeated (each amount below the dim's size);
 *   <li>{@code replicate} ({@code ReplicationPad1DBackward0}, 2D, 3D): the edge element repeated;
 *   <li>{@code circular} (grad_fn {@code CopySlices}, as PyTorch builds it): wrapped around from the other end
 *       (each amount at most the dim's size).
 * </ul>
 * The non-constant modes pad the last 1, 2 or 3 dims of an input with one or two more dims (a batch and a
 * channel dim, the batch optional). The gradient of each input element is the sum of the output gradients of
 * the places that copy it.
 */
public final class Padding {
  private Padding() {}

  private enum Mode { CONSTANT, REFLECT, REPLICATE, CIRCULAR }

  /** {@code F.pad(x, pad, mode, value)} with value as value + Python type ({@code pyType} null when not given). */
  public static Variable pad(Variable x, int[] pad, String mode, double value, String pyType) {
    Tensor t = x.data();
    Mode m = switch (mode) {
      case "constant" -> Mode.CONSTANT;
      case "reflect" -> Mode.REFLECT;
      case "replicate" -> Mode.REPLICATE;
      case "circular" -> Mode.CIRCULAR;
      default -> throw new NotImplementedError("Unrecognised padding mode " + mode);
    };
    if (pad.length % 2 != 0) {
      throw new RuntimeError("Padding length must be divisible by 2");
    }
    int k = pad.length / 2;
    int nd = t.dim();
    if (m != Mode.CONSTANT) {
      if (pyType != null) {
        throw new RuntimeError("Padding mode \"" + mode + "\" doesn't take in value argument");
      }
      if (k < 1 || k > 3 || nd < k + 1 || nd > k + 2) {
        throw new NotImplementedError("Padding size " + pad.length + " is not supported for " + nd
            + "D input tensor.\nSupported combinations for non-constant padding:\n"
            + "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            + "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            + "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)");
      }
    } else if (k > nd) {
      throw new RuntimeError("Padding length should be less than or equal to two times the input dimension but got "
          + "padding length " + pad.length + " and input of dimension " + nd);
    }
    int[] in = t.shape();
    int[] out = in.clone();
    int[] left = new int[nd];
    int[] right = new int[nd];
    for (int j = 0; j < k; j++) {
      int d = nd - 1 - j;
      int l = pad[2 * j];
      int r = pad[2 * j + 1];
      checkAmounts(m, t, d, j, l, r);
      left[d] = l;
      right[d] = r;
      out[d] = in[d] + l + r;
      if (out[d] < 0) {
        throw new RuntimeError("narrow(): length must be non-negative.");
      }
    }
    checkReplicateSize(m, in, out, nd, k);
    int[][] source = new int[nd][];
    for (int d = 0; d < nd; d++) {
      source[d] = new int[out[d]];
      for (int o = 0; o < out[d]; o++) {
        source[d][o] = sourceOf(m, o, left[d], right[d], in[d]);
      }
    }
    int n = Shapes.numel(out);
    int[] from = new int[n];
    int[] inStrides = Shapes.strides(in);
    int[] counter = new int[nd];
    for (int i = 0; i < n; i++) {
      int flat = 0;
      for (int d = 0; d < nd && flat >= 0; d++) {
        int s = source[d][counter[d]];
        flat = s < 0 ? -1 : flat + s * inStrides[d];
      }
      from[i] = flat;
      for (int d = nd - 1; d >= 0; d--) {
        if (++counter[d] < out[d]) {
          break;
        }
        counter[d] = 0;
      }
    }
    String name = switch (m) {
      case CONSTANT -> "ConstantPadNdBackward0";
      case REFLECT -> "ReflectionPad" + k + "DBackward0";
      case REPLICATE -> "ReplicationPad" + k + "DBackward0";
      case CIRCULAR -> "CopySlices";
    };
    double fill = pyType == null ? 0 : Kernels.wrapScalar(value, pyType).getDouble(0);
    return Kernels.record((ins, needs) -> {
      Tensor v = ins[0];
      DType dt = v.dtype();
      TensorBuilder ob = new TensorBuilder(dt, out);
      boolean integral = !dt.isFloatingPoint();
      for (int i = 0; i < n; i++) {
        if (from[i] < 0) {
          ob.set(i, Kernels.round(fill, dt));
        } else if (integral) {
          ob.setLong(i, v.getLong(from[i]));
        } else {
          ob.set(i, v.getDouble(from[i]));
        }
      }
      return new Differentiable.Result(ob.build(), name, List.of(), needs[0] ? g -> {
        double[] gx = new double[v.numel()];
        for (int i = 0; i < n; i++) {
          if (from[i] >= 0) {
            gx[from[i]] += g.getDouble(i);
          }
        }
        return new Tensor[] {Kernels.fromDoubles(gx, dt, v.shape())};
      } : null);
    }, x);
  }

  /**
   * The input place output place {@code o} copies along a dim of {@code size} padded by (l, r); -1 for the
   * constant. Circular padding first cuts negative amounts off, then wraps within what is left, as PyTorch does.
   */
  private static int sourceOf(Mode m, int o, int l, int r, int size) {
    if (m == Mode.CIRCULAR) {
      int lo = Math.max(0, -l);
      int kept = size - lo - Math.max(0, -r);
      return lo + Math.floorMod(o - Math.max(0, l), kept);
    }
    int i = o - l;
    if (i >= 0 && i < size) {
      return i;
    }
    return switch (m) {
      case CONSTANT -> -1;
      case REFLECT -> i < 0 ? -i : 2 * (size - 1) - i;
      default -> i < 0 ? 0 : size - 1;
    };
  }

  /** PyTorch's checks of one dim's (left, right) amounts: below the size for reflect, at most it for circular. */
  private static void checkAmounts(Mode m, Tensor t, int d, int j, int l, int r) {
    int size = t.size(d);
    if (m == Mode.REFLECT && (l >= size || r >= size)) {
      throw new RuntimeError("Argument #" + (4 + 2 * j) + ": Padding size should be less than the corresponding "
          + "input dimension, but got: padding (" + l + ", " + r + ") at dimension " + d + " of input "
          + Shapes.format(t.shape()));
    }
    if (m == Mode.CIRCULAR && (l > size || r > size)) {
      throw new RuntimeError("Padding value causes wrapping around more than once.");
    }
  }

  /** replicate's refusal when every padded dim comes out empty, in PyTorch's words for 1, 2 or 3 dims. */
  private static void checkReplicateSize(Mode m, int[] in, int[] out, int nd, int k) {
    if (m != Mode.REPLICATE) {
      return;
    }
    for (int d = nd - k; d < nd; d++) {
      if (out[d] >= 1) {
        return;
      }
    }
    int w = nd - 1;
    String msg = switch (k) {
      case 1 -> "input (W: " + in[w] + ") is too small. Calculated output W: " + out[w];
      case 2 -> "input (H: " + in[w - 1] + ", W: " + in[w] + " ) is too small. Calculated output H: " + out[w - 1]
          + " W: " + out[w];
      default -> "input (D: " + in[w - 2] + " H: " + in[w - 1] + ", W: " + in[w] + ") is too small. Calculated "
          + "output D: " + out[w - 2] + " H: " + out[w - 1] + " W: " + out[w];
    };
    throw new RuntimeError(msg);
  }
}
