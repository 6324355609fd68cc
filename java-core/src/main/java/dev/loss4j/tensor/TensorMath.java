package dev.loss4j.tensor;

import dev.loss4j.errors.RuntimeError;

/** Element-wise helpers that autograd and kernels share: sums, scaling and broadcast reductions. */
public final class TensorMath {
  private TensorMath() {}

  /** {@code a + b} for equal shapes, in the promoted dtype. */
  public static Tensor add(Tensor a, Tensor b) {
    if (!a.sameShape(b)) {
      throw new RuntimeError("The size of tensor a (" + Shapes.format(a.shape()) + ") must match the size of tensor b ("
          + Shapes.format(b.shape()) + ")");
    }
    TensorBuilder out = new TensorBuilder(DType.promote(a.dtype(), b.dtype()), a.shape());
    for (int i = 0, n = a.numel(); i < n; i++) {
      out.set(i, a.getDouble(i) + b.getDouble(i));
    }
    return out.build();
  }

  /** {@code t * s} in t's dtype. */
  public static Tensor scale(Tensor t, double s) {
    TensorBuilder out = new TensorBuilder(t.dtype(), t.shape());
    for (int i = 0, n = t.numel(); i < n; i++) {
      out.set(i, t.getDouble(i) * s);
    }
    return out.build();
  }

  /** The sum of all elements, accumulated in double. */
  public static double sum(Tensor t) {
    double s = 0;
    for (int i = 0, n = t.numel(); i < n; i++) {
      s += t.getDouble(i);
    }
    return s;
  }

  /**
   * Sums a gradient of a broadcast shape back to {@code shape} (the reverse of broadcasting, as
   * autograd's {@code sum_to}), returned in {@code dtype}. Returns the input converted when the shapes
   * already agree.
   */
  public static Tensor sumToShape(Tensor g, int[] shape, DType dtype) {
    if (java.util.Arrays.equals(g.shape(), shape)) {
      return g.to(dtype);
    }
    BroadcastCursor cursor = new BroadcastCursor(shape, g.shape());
    double[] acc = new double[Shapes.numel(shape)];
    for (int i = 0, n = g.numel(); i < n; i++) {
      acc[cursor.next()] += g.getDouble(i);
    }
    TensorBuilder out = new TensorBuilder(dtype, shape);
    for (int i = 0; i < acc.length; i++) {
      out.set(i, acc[i]);
    }
    return out.build();
  }

  /** A tensor of {@code target} shape reading {@code t} with broadcasting (a copy: tensors are dense). */
  public static Tensor expand(Tensor t, int[] target) {
    if (java.util.Arrays.equals(t.shape(), target)) {
      return t;
    }
    BroadcastCursor cursor = new BroadcastCursor(t.shape(), target);
    TensorBuilder out = new TensorBuilder(t.dtype(), target);
    for (int i = 0, n = out.numel(); i < n; i++) {
      out.set(i, t.getDouble(cursor.next()));
    }
    return out.build();
  }

  /** {@code t.all()}: a 0-d bool tensor, true when every element is non-zero (true for an empty tensor). */
  public static Tensor all(Tensor t) {
    for (int i = 0, n = t.numel(); i < n; i++) {
      if (t.getDouble(i) == 0) {
        return Tensor.ofBooleans(new boolean[] {false});
      }
    }
    return Tensor.ofBooleans(new boolean[] {true});
  }

  /** {@code t.any()}: a 0-d bool tensor, true when some element is non-zero. */
  public static Tensor any(Tensor t) {
    for (int i = 0, n = t.numel(); i < n; i++) {
      if (t.getDouble(i) != 0) {
        return Tensor.ofBooleans(new boolean[] {true});
      }
    }
    return Tensor.ofBooleans(new boolean[] {false});
  }

  /**
   * {@code torch.arange(start, end, step, dtype)}: ceil((end - start) / step) values start + i * step, computed
   * in double (int64 when the dtype is) and rounded to {@code dtype}.
   */
  public static Tensor arange(double start, double end, double step, DType dtype) {
    dtype.refuseBarebones("arange_cpu");
    if (step == 0) {
      throw new RuntimeError("step must be nonzero");
    }
    double len = Math.ceil((end - start) / step);
    if (!(len >= 0) || len > Integer.MAX_VALUE) {
      throw new RuntimeError("upper bound and lower bound inconsistent with step sign");
    }
    int n = (int) len;
    TensorBuilder out = new TensorBuilder(dtype, n);
    for (int i = 0; i < n; i++) {
      if (dtype.isIntegral()) {
        // integer dtypes step in integers, wrapping past the type's range (arange(250, 260) in uint8 wraps to 0)
        out.setLong(i, (long) start + (long) i * (long) step);
      } else {
        out.set(i, start + i * step);
      }
    }
    return out.build();
  }

  /** {@code torch.eye(n, m, dtype)}: ones on the main diagonal of an n x m matrix, zeros elsewhere. */
  public static Tensor eye(int n, int m, DType dtype) {
    if (n < 0) {
      throw new dev.loss4j.errors.RuntimeError("n must be greater or equal to 0, got " + n);
    }
    if (m < 0) {
      throw new dev.loss4j.errors.RuntimeError("m must be greater or equal to 0, got " + m);
    }
    TensorBuilder out = new TensorBuilder(dtype, n, m);
    for (int i = 0, k = Math.min(n, m); i < k; i++) {
      out.set(i * m + i, 1);
    }
    return out.build();
  }
}
