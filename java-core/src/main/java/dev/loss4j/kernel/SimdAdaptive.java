package dev.loss4j.kernel;


import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API loops of {@link AdaptiveKernels}: the blocked float matrix product, the same bits as its plain
 * loop.
 */
final class SimdAdaptive {
  private SimdAdaptive() {}

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;
  /**
   * Rows {@code [from, to)} of {@code C = A B} (A m x k, B k x n, C m x n, row-major) with each output a float sum
   * in p order of separately rounded products, as {@link AdaptiveKernels#matmul}: the same bits as the plain
   * loop. Register tiles of four rows by two vectors of columns, so that a panel of B (k rows of two vectors)
   * is read once for four rows and the sums never leave registers; the last columns go through a padded panel.
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
   * The last {@code n - full} (fewer than two vectors) columns: B's columns copied into a k x 2-vector panel
   * padded with zeros, {@link #panel} over it into a scratch of C's rows at that width, and the real columns
   * copied out. The padding only ever meets the padding, so the sums are the same bits. It replaced masked
   * eight-lane loads, which near the array's end left the intrinsic for a lane-by-lane Java loop: 7% of the
   * adaptive softmax's (128, 128, 50000) forward+backward in perf, 2026-12-03.
   */
  private static void tail(float[] a, float[] b, float[] c, int k, int n, int from, int to, int full) {
    int w = 2 * F.length();
    int cols = n - full;
    float[] bt = new float[k * w];
    for (int p = 0; p < k; p++) {
      System.arraycopy(b, p * n + full, bt, p * w, cols);
    }
    float[] ct = new float[to * w];
    panel(a, bt, ct, k, w, from, to, 0);
    for (int i = from; i < to; i++) {
      System.arraycopy(ct, i * w, c, i * n + full, cols);
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

  static int lanes() {
    return F.length();
  }

  /**
   * The maximum of {@code z[o, o + full)}, full a multiple of the lane count, by {@link AdaptiveKernels#max}'s
   * rule per lane (a larger value or a NaN replaces the lane's maximum), then over the lanes in order.
   */
  static float max(float[] z, int o, int full) {
    FloatVector mx = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
    for (int i = 0; i < full; i += F.length()) {
      FloatVector v = FloatVector.fromArray(F, z, o + i);
      mx = mx.blend(v, v.compare(VectorOperators.GT, mx).or(v.test(VectorOperators.IS_NAN)));
    }
    float m = Float.NEGATIVE_INFINITY;
    for (int l = 0; l < F.length(); l++) {
      float v = mx.lane(l);
      m = v > m || Float.isNaN(v) ? v : m;
    }
    return m;
  }

  /**
   * {@link AdaptiveKernels#laneSum}'s eight accumulators as one eight-lane vector, for {@code n >= 8}: lane l
   * adds {@code v[l], v[l + 8], ...} in the same order, so the same bits; returns the accumulators.
   */
  static float[] laneAccumulators(float[] v, int n) {
    FloatVector acc = FloatVector.fromArray(FloatVector.SPECIES_256, v, 0);
    int end = n - (n % 8);
    for (int d = 8; d < end; d += 8) {
      acc = acc.add(FloatVector.fromArray(FloatVector.SPECIES_256, v, d));
    }
    return acc.toArray();
  }

  /**
   * C = A B for fewer rows than a register tile wants: per slice of {@code columns} columns, B's rows in order,
   * each added into every row's slice of C (in L1), so B streams once, sequentially. Same bits as the plain
   * loop; the slice's last columns go through the scalar loop.
   */
  static void fewRows(float[] a, float[] b, float[] c, int m, int k, int n, int columns) {
    int l = F.length();
    for (int j0 = 0; j0 < n; j0 += columns) {
      int j1 = Math.min(n, j0 + columns);
      int vend = j0 + (j1 - j0) / l * l;
      for (int p = 0; p < k; p++) {
        int bp = p * n;
        for (int i = 0; i < m; i++) {
          float aip = a[i * k + p];
          FloatVector x = FloatVector.broadcast(F, aip);
          int ci = i * n;
          int j = j0;
          for (; j < vend; j += l) {
            FloatVector.fromArray(F, c, ci + j).add(x.mul(FloatVector.fromArray(F, b, bp + j))).intoArray(c, ci + j);
          }
          for (; j < j1; j++) {
            c[ci + j] = c[ci + j] + aip * b[bp + j];
          }
        }
      }
    }
  }

  private static final VectorSpecies<Float> F128 = FloatVector.SPECIES_128;
  private static final VectorSpecies<Float> F64 = FloatVector.SPECIES_64;

  /**
   * Rows {@code [from, to)} of {@code C = A B} from B transposed ({@code bt}, n x k): each output a dot product
   * along k on the lanes, lane l summing the terms {@code p = l (mod lanes)} in p order with fused multiply-adds,
   * the lanes folded in a fixed tree, then the last {@code k mod lanes} terms added in order. Four rows by four
   * columns at a time, each load of a row of A or of B^T feeding four sums.
   */
  static void dotRows(float[] a, float[] bt, float[] c, int k, int n, int from, int to, float[] t) {
    int l = F.length();
    int full = k - k % l;
    int i = from;
    for (; i + 4 <= to; i += 4) {
      int j = 0;
      for (; j + 4 <= n; j += 4) {
        dot4x4(a, bt, c, k, n, i, j, full, t);
      }
      for (; j < n; j++) {
        for (int r = i; r < i + 4; r++) {
          c[r * n + j] = dot(a, r * k, bt, j * k, k, full, t);
        }
      }
    }
    for (; i < to; i++) {
      for (int j = 0; j < n; j++) {
        c[i * n + j] = dot(a, i * k, bt, j * k, k, full, t);
      }
    }
  }

  private static float dot(float[] a, int ao, float[] b, int bo, int k, int full, float[] t) {
    FloatVector s = FloatVector.zero(F);
    for (int p = 0; p < full; p += F.length()) {
      s = FloatVector.fromArray(F, a, ao + p).fma(FloatVector.fromArray(F, b, bo + p), s);
    }
    float r = fold(s, t);
    for (int p = full; p < k; p++) {
      r = Math.fma(a[ao + p], b[bo + p], r);
    }
    return r;
  }

  private static void dot4x4(float[] a, float[] bt, float[] c, int k, int n, int i, int j, int full, float[] t) {
    int a0 = i * k;
    int a1 = a0 + k;
    int a2 = a1 + k;
    int a3 = a2 + k;
    int b0 = j * k;
    int b1 = b0 + k;
    int b2 = b1 + k;
    int b3 = b2 + k;
    FloatVector s00 = FloatVector.zero(F);
    FloatVector s01 = s00;
    FloatVector s02 = s00;
    FloatVector s03 = s00;
    FloatVector s10 = s00;
    FloatVector s11 = s00;
    FloatVector s12 = s00;
    FloatVector s13 = s00;
    FloatVector s20 = s00;
    FloatVector s21 = s00;
    FloatVector s22 = s00;
    FloatVector s23 = s00;
    FloatVector s30 = s00;
    FloatVector s31 = s00;
    FloatVector s32 = s00;
    FloatVector s33 = s00;
    for (int p = 0; p < full; p += F.length()) {
      FloatVector w0 = FloatVector.fromArray(F, bt, b0 + p);
      FloatVector w1 = FloatVector.fromArray(F, bt, b1 + p);
      FloatVector w2 = FloatVector.fromArray(F, bt, b2 + p);
      FloatVector w3 = FloatVector.fromArray(F, bt, b3 + p);
      FloatVector x = FloatVector.fromArray(F, a, a0 + p);
      s00 = x.fma(w0, s00);
      s01 = x.fma(w1, s01);
      s02 = x.fma(w2, s02);
      s03 = x.fma(w3, s03);
      x = FloatVector.fromArray(F, a, a1 + p);
      s10 = x.fma(w0, s10);
      s11 = x.fma(w1, s11);
      s12 = x.fma(w2, s12);
      s13 = x.fma(w3, s13);
      x = FloatVector.fromArray(F, a, a2 + p);
      s20 = x.fma(w0, s20);
      s21 = x.fma(w1, s21);
      s22 = x.fma(w2, s22);
      s23 = x.fma(w3, s23);
      x = FloatVector.fromArray(F, a, a3 + p);
      s30 = x.fma(w0, s30);
      s31 = x.fma(w1, s31);
      s32 = x.fma(w2, s32);
      s33 = x.fma(w3, s33);
    }
    finish(s00, a, a0, bt, b0, k, full, c, i * n + j, t);
    finish(s01, a, a0, bt, b1, k, full, c, i * n + j + 1, t);
    finish(s02, a, a0, bt, b2, k, full, c, i * n + j + 2, t);
    finish(s03, a, a0, bt, b3, k, full, c, i * n + j + 3, t);
    finish(s10, a, a1, bt, b0, k, full, c, (i + 1) * n + j, t);
    finish(s11, a, a1, bt, b1, k, full, c, (i + 1) * n + j + 1, t);
    finish(s12, a, a1, bt, b2, k, full, c, (i + 1) * n + j + 2, t);
    finish(s13, a, a1, bt, b3, k, full, c, (i + 1) * n + j + 3, t);
    finish(s20, a, a2, bt, b0, k, full, c, (i + 2) * n + j, t);
    finish(s21, a, a2, bt, b1, k, full, c, (i + 2) * n + j + 1, t);
    finish(s22, a, a2, bt, b2, k, full, c, (i + 2) * n + j + 2, t);
    finish(s23, a, a2, bt, b3, k, full, c, (i + 2) * n + j + 3, t);
    finish(s30, a, a3, bt, b0, k, full, c, (i + 3) * n + j, t);
    finish(s31, a, a3, bt, b1, k, full, c, (i + 3) * n + j + 1, t);
    finish(s32, a, a3, bt, b2, k, full, c, (i + 3) * n + j + 2, t);
    finish(s33, a, a3, bt, b3, k, full, c, (i + 3) * n + j + 3, t);
  }

  /** {@link #dot}'s end: the lanes folded, the tail terms added, stored at {@code c[o]}. */
  private static void finish(FloatVector s, float[] a, int ao, float[] b, int bo, int k, int full, float[] c, int o,
      float[] t) {
    float r = fold(s, t);
    for (int p = full; p < k; p++) {
      r = Math.fma(a[ao + p], b[bo + p], r);
    }
    c[o] = r;
  }

  /** The lanes of v added pairwise in a fixed tree (lane q with lane q + half, down to one). */
  private static float fold(FloatVector v, float[] t) {
    FloatVector u = v;
    if (F.length() == 16) {
      u = ((FloatVector) u.reinterpretShape(F8, 0)).add((FloatVector) u.reinterpretShape(F8, 1));
    }
    if (F.length() >= 8) {
      u = ((FloatVector) u.reinterpretShape(F128, 0)).add((FloatVector) u.reinterpretShape(F128, 1));
      u = ((FloatVector) u.reinterpretShape(F64, 0)).add((FloatVector) u.reinterpretShape(F64, 1));
      return u.lane(0) + u.lane(1);
    }
    u.intoArray(t, 0);
    for (int h = F.length() / 2; h >= 1; h /= 2) {
      for (int q = 0; q < h; q++) {
        t[q] = t[q] + t[q + h];
      }
    }
    return t[0];
  }
}
