package dev.loss4j.tensor;

import dev.loss4j.errors.RuntimeError;
import java.util.Arrays;

/** Shape arithmetic: element counts, row-major strides and PyTorch's broadcasting rules. */
public final class Shapes {
  private Shapes() {}

  /** Product of the sizes; 1 for a 0-d shape. */
  public static int numel(int[] shape) {
    long n = 1;
    for (int s : shape) {
      if (s < 0) {
        throw new RuntimeError("Trying to create tensor with negative dimension " + s + ": " + format(shape));
      }
      n *= s;
    }
    if (n > Integer.MAX_VALUE) {
      throw new RuntimeError("loss4j tensors hold at most 2^31-1 elements; shape " + format(shape) + " has " + n);
    }
    return (int) n;
  }

  /** Row-major (contiguous) strides in elements. */
  public static int[] strides(int[] shape) {
    int[] strides = new int[shape.length];
    int stride = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      strides[d] = stride;
      stride *= Math.max(shape[d], 1);
    }
    return strides;
  }

  /**
   * The broadcast of two shapes (numpy rules, as {@code torch.broadcast_shapes}).
   *
   * @throws RuntimeError with PyTorch's message "The size of tensor a (3) must match the size of tensor b
   *     (4) at non-singleton dimension 1" when a pair of sizes differs and neither is 1
   */
  public static int[] broadcast(int[] a, int[] b) {
    int n = Math.max(a.length, b.length);
    int[] out = new int[n];
    for (int i = n - 1; i >= 0; i--) {
      int offset = n - 1 - i;
      int sa = a.length - 1 - offset >= 0 ? a[a.length - 1 - offset] : 1;
      int sb = b.length - 1 - offset >= 0 ? b[b.length - 1 - offset] : 1;
      if (sa != sb && sa != 1 && sb != 1) {
        throw new RuntimeError("The size of tensor a (" + sa + ") must match the size of tensor b (" + sb
            + ") at non-singleton dimension " + i);
      }
      out[i] = sa == 1 ? sb : sa;
    }
    return out;
  }

  /**
   * {@code torch.broadcast_shapes(*shapes)}: the same result as {@link #broadcast}, with the error of PyTorch 2.x's
   * Python implementation, which walks the shapes in order, each from its last dimension, against the shape
   * broadcast so far.
   */
  public static int[] broadcastShapes(int[]... shapes) {
    int n = 0;
    for (int[] s : shapes) {
      n = Math.max(n, s.length);
    }
    int[] common = new int[n];
    Arrays.fill(common, 1);
    for (int k = 0; k < shapes.length; k++) {
      int[] s = shapes[k];
      for (int idx = -1; idx >= -s.length; idx--) {
        int size = s[s.length + idx];
        int at = n + idx;
        if (size == common[at]) {
          continue;
        }
        if (common[at] == 1) {
          common[at] = size;
        }
        if (size != 1 && common[at] != size) {
          throw new RuntimeError("Attempting to broadcast a dimension of length " + size + " at " + idx
              + "! Mismatching argument at index " + k + " had " + torchSize(s)
              + "; but expected shape should be broadcastable to " + format(common));
        }
      }
    }
    return common;
  }

  /**
   * Strides that read a tensor of {@code shape} as if expanded to {@code target}: 0 on broadcast
   * dimensions. {@code target} must be a broadcast of {@code shape}.
   */
  public static int[] expandedStrides(int[] shape, int[] target) {
    int[] own = strides(shape);
    int[] out = new int[target.length];
    int lead = target.length - shape.length;
    for (int d = 0; d < target.length; d++) {
      int sd = d - lead;
      out[d] = sd < 0 || shape[sd] == 1 ? 0 : own[sd];
    }
    return out;
  }

  /**
   * For every flat index of a row-major tensor of shape {@code target}, the flat index of the element of
   * a tensor of {@code shape} that broadcasting reads there; null when the shapes are equal. Allocates an
   * index per target element: kernels walk a {@link BroadcastCursor} instead.
   */
  public static int[] broadcastIndex(int[] shape, int[] target) {
    if (Arrays.equals(shape, target)) {
      return null;
    }
    BroadcastCursor cursor = new BroadcastCursor(shape, target);
    int[] index = new int[numel(target)];
    for (int i = 0; i < index.length; i++) {
      index[i] = cursor.next();
    }
    return index;
  }

  /** PyTorch's {@code torch.Size([2, 3])} rendering, used inside its messages. */
  public static String torchSize(int[] shape) {
    StringBuilder sb = new StringBuilder("torch.Size([");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i > 0 ? ", " : "").append(shape[i]);
    }
    return sb.append("])").toString();
  }

  /** {@code [2, 3]}: the list form of a shape, as in PyTorch's {@code [2, 3]} message fragments. */
  public static String format(int[] shape) {
    return Arrays.toString(shape);
  }
}
