package dev.loss4j.kernel;


import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API loops of {@link AdaptiveKernels}: the blocked float matrix product, the same bits as its plain
 * loop.
 */
final class SimdAdaptive {
  private SimdAdaptive() {}

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  /**
   * Rows {@code [from, to)} of {@code C = A B} (A m x k, B k x n, C m x n, row-major) with each output a float sum
   * in p order of separately rounded products, as {@link AdaptiveKernels#matmul}: the same bits as the plain
   * loop. Register tiles of four rows by two vectors of columns, so that a panel of B (k rows of two vectors)
   * is read once for four rows and the sums never leave registers; the last columns go through masked lanes.
   */
  static void matmulRows(float[] a, float[] b, float[] c, int k, int n, int from, int to) {
    int l = F.length();
    int full = n - n % (2 * l);
    for (int j = 0; j < full; j += 2 * l) {
      panel(a, b, c, k, n, from, to, j);
    }
    if (full < n) {
      tail(a, b, c, k, n, from, to, full);
    }
  }

  /**
   * The last {@code n - full} (fewer than two vectors) columns, one vector of columns at a time under a mask.
   * A masked access whose whole vector would reach past the array's end leaves the intrinsic for a
   * lane-by-lane loop, but only the last rows of B and C are that close to the end.
   */
  private static void tail(float[] a, float[] b, float[] c, int k, int n, int from, int to, int full) {
    for (int j = full; j < n; j += F.length()) {
      VectorMask<Float> m = F.indexInRange(j, n);
      int i = from;
      for (; i + 4 <= to; i += 4) {
        int a0 = i * k;
        FloatVector c0 = FloatVector.zero(F);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        for (int p = 0, bp = j; p < k; p++, bp += n) {
          FloatVector v = FloatVector.fromArray(F, b, bp, m);
          c0 = c0.add(FloatVector.broadcast(F, a[a0 + p]).mul(v));
          c1 = c1.add(FloatVector.broadcast(F, a[a0 + k + p]).mul(v));
          c2 = c2.add(FloatVector.broadcast(F, a[a0 + 2 * k + p]).mul(v));
          c3 = c3.add(FloatVector.broadcast(F, a[a0 + 3 * k + p]).mul(v));
        }
        c0.intoArray(c, i * n + j, m);
        c1.intoArray(c, (i + 1) * n + j, m);
        c2.intoArray(c, (i + 2) * n + j, m);
        c3.intoArray(c, (i + 3) * n + j, m);
      }
      for (; i < to; i++) {
        FloatVector c0 = FloatVector.zero(F);
        for (int p = 0, bp = j; p < k; p++, bp += n) {
          c0 = c0.add(FloatVector.broadcast(F, a[i * k + p]).mul(FloatVector.fromArray(F, b, bp, m)));
        }
        c0.intoArray(c, i * n + j, m);
      }
    }
  }

  /** {@link #matmulRows} for the columns {@code [j, j + 2 lanes)}, all inside the matrix: no masks. */
  private static void panel(float[] a, float[] b, float[] c, int k, int n, int from, int to, int j) {
    int l = F.length();
    int i = from;
    for (; i + 4 <= to; i += 4) {
      int a0 = i * k;
      FloatVector c00 = FloatVector.zero(F);
      FloatVector c01 = c00;
      FloatVector c10 = c00;
      FloatVector c11 = c00;
      FloatVector c20 = c00;
      FloatVector c21 = c00;
      FloatVector c30 = c00;
      FloatVector c31 = c00;
      for (int p = 0, bp = j; p < k; p++, bp += n) {
        FloatVector b0 = FloatVector.fromArray(F, b, bp);
        FloatVector b1 = FloatVector.fromArray(F, b, bp + l);
        FloatVector x0 = FloatVector.broadcast(F, a[a0 + p]);
        FloatVector x1 = FloatVector.broadcast(F, a[a0 + k + p]);
        FloatVector x2 = FloatVector.broadcast(F, a[a0 + 2 * k + p]);
        FloatVector x3 = FloatVector.broadcast(F, a[a0 + 3 * k + p]);
        c00 = c00.add(x0.mul(b0));
        c01 = c01.add(x0.mul(b1));
        c10 = c10.add(x1.mul(b0));
        c11 = c11.add(x1.mul(b1));
        c20 = c20.add(x2.mul(b0));
        c21 = c21.add(x2.mul(b1));
        c30 = c30.add(x3.mul(b0));
        c31 = c31.add(x3.mul(b1));
      }
      int o = i * n + j;
      c00.intoArray(c, o);
      c01.intoArray(c, o + l);
      c10.intoArray(c, o + n);
      c11.intoArray(c, o + n + l);
      c20.intoArray(c, o + 2 * n);
      c21.intoArray(c, o + 2 * n + l);
      c30.intoArray(c, o + 3 * n);
      c31.intoArray(c, o + 3 * n + l);
    }
    for (; i < to; i++) {
      FloatVector c0 = FloatVector.zero(F);
      FloatVector c1 = c0;
      for (int p = 0, bp = j; p < k; p++, bp += n) {
        FloatVector x = FloatVector.broadcast(F, a[i * k + p]);
        c0 = c0.add(x.mul(FloatVector.fromArray(F, b, bp)));
        c1 = c1.add(x.mul(FloatVector.fromArray(F, b, bp + l)));
      }
      c0.intoArray(c, i * n + j);
      c1.intoArray(c, i * n + j + l);
    }
  }
}
