package dev.loss4j.spark;

import dev.loss4j.autograd.Variable;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Rows buffered for one engine call: per tensor slot a flat buffer of the rows' values, all rows of the
 * batch having the same per-slot shape. The engine then sees a batch dimension in front, as PyTorch
 * would: (N), (N, C), (N, T, C) (CTC's log_probs go to the engine as (T, N, C)).
 */
final class Batch implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Rows or buffered numbers after which the aggregate hands a batch to the engine. */
  static final int MAX_ROWS = 4096;
  static final int MAX_VALUES = 1 << 16;

  private final DType[] dtypes;
  private int[][] shapes;
  private final double[][] buf;
  private final int[] used;
  int rows;
  private int values;

  Batch(DType[] dtypes) {
    this.dtypes = dtypes;
    this.buf = new double[dtypes.length][];
    this.used = new int[dtypes.length];
  }

  boolean fits(int[][] rowShapes) {
    if (rows == 0) {
      return true;
    }
    for (int s = 0; s < rowShapes.length; s++) {
      if (!Arrays.equals(shapes[s], rowShapes[s])) {
        return false;
      }
    }
    return true;
  }

  boolean full() {
    return rows >= MAX_ROWS || values >= MAX_VALUES;
  }

  void add(double[][] data, int[][] rowShapes) {
    if (rows == 0) {
      shapes = rowShapes.clone();
    }
    for (int s = 0; s < buf.length; s++) {
      double[] d = data[s];
      if (buf[s] == null || used[s] + d.length > buf[s].length) {
        buf[s] = Arrays.copyOf(buf[s] == null ? new double[0] : buf[s], Math.max(16, 2 * (used[s] + d.length)));
      }
      System.arraycopy(d, 0, buf[s], used[s], d.length);
      used[s] += d.length;
      values += d.length;
    }
    rows++;
  }

  /** Appends one value to scalar slot {@code s} of the row being built (see {@link #endScalarRow}). */
  void appendScalar(int s, double v) {
    if (buf[s] == null || used[s] == buf[s].length) {
      buf[s] = Arrays.copyOf(buf[s] == null ? new double[0] : buf[s], Math.max(16, 2 * used[s]));
    }
    buf[s][used[s]++] = v;
    values++;
  }

  /** Ends a row whose slots were all appended by {@link #appendScalar}: every slot's shape is a scalar's. */
  void endScalarRow() {
    if (rows == 0) {
      shapes = new int[buf.length][0];
    }
    rows++;
  }

  void clear() {
    rows = 0;
    values = 0;
    Arrays.fill(used, 0);
  }

  /** The per-row shape of slot {@code s}. */
  int[] shape(int s) {
    return shapes[s];
  }

  /** Slot {@code s}'s value in row {@code r} (for scalar slots: class indices, lengths). */
  double scalar(int s, int r) {
    int per = used[s] / rows;
    return buf[s][r * per];
  }

  /**
   * The slots as engine variables, slot 0 a leaf that requires grad when asked. For CTC, slot 0 (N, T, C)
   * becomes (T, N, C).
   */
  Variable[] variables(boolean ctc, boolean gradFirst) {
    Variable[] v = new Variable[buf.length];
    for (int s = 0; s < buf.length; s++) {
      int[] shape = new int[shapes[s].length + 1];
      shape[0] = rows;
      System.arraycopy(shapes[s], 0, shape, 1, shapes[s].length);
      double[] d = Arrays.copyOf(buf[s], used[s]);
      if (ctc && s == 0) {
        d = timeMajor(d, rows, shape[1], shape[2]);
        shape = new int[] {shape[1], rows, shape[2]};
      }
      Tensor t = tensor(d, dtypes[s], shape);
      v[s] = s == 0 && gradFirst ? Variable.leaf(t, true) : Variable.constant(t);
    }
    return v;
  }

  static double[] timeMajor(double[] d, int n, int steps, int classes) {
    double[] out = new double[d.length];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < steps; t++) {
        System.arraycopy(d, (i * steps + t) * classes, out, (t * n + i) * classes, classes);
      }
    }
    return out;
  }

  static Tensor tensor(double[] d, DType dtype, int[] shape) {
    if (dtype == DType.FLOAT32) {
      float[] f = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        f[i] = (float) d[i];
      }
      return Tensor.ofFloats(f, shape);
    } else if (dtype == DType.INT64) {
      long[] l = new long[d.length];
      for (int i = 0; i < d.length; i++) {
        l[i] = (long) d[i];
      }
      return Tensor.ofLongs(l, shape);
    }
    return Tensor.ofDoubles(d, shape);
  }
}
