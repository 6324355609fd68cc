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
    matmulSlice(a, b, c, k, n, from, to, 0, n, 0, n);
  }

  /**
   * Columns {@code [j0, j1)} of rows {@code [from, to)} of {@code C = A B}, as {@link #matmulRows}, with C's
   * element (i, j) stored at {@code c[cBase + i * cn + j]} (a slice of rows and columns into a small buffer).
   */
  static void matmulSlice(float[] a, float[] b, float[] c, int k, int n, int from, int to, int j0, int j1,
      int cBase, int cn) {
    int w = 2 * F.length();
    int full = j0 + (j1 - j0) / w * w;
    for (int j = j0; j < full; j += w) {
      panel(a, b, c, k, n, from, to, j, cBase, cn);
    }
    if (full < j1) {
      tail(a, b, c, k, n, from, to, full, j1, cBase, cn);
    }
  }

  /**
   * The last {@code j1 - full} (fewer than two vectors) columns: B's columns copied into a k x 2-vector panel
   * padded with zeros, {@link #panel} over it into a scratch of C's rows at that width, and the real columns
   * copied out. The padding only ever meets the padding, so the sums are the same bits. It replaced masked
   * eight-lane loads, which near the array's end left the intrinsic for a lane-by-lane Java loop: 7% of the
   * adaptive softmax's (128, 128, 50000) forward+backward in perf, 2026-12-03.
   */
  private static void tail(float[] a, float[] b, float[] c, int k, int n, int from, int to, int full, int j1,
      int cBase, int cn) {
    int w = 2 * F.length();
    int cols = j1 - full;
    float[] bt = new float[k * w];
    for (int p = 0; p < k; p++) {
      System.arraycopy(b, p * n + full, bt, p * w, cols);
    }
    float[] ct = new float[(to - from) * w];
    panel(a, bt, ct, k, w, from, to, 0, -from * w, w);
    for (int i = from; i < to; i++) {
      System.arraycopy(ct, (i - from) * w, c, cBase + i * cn + full, cols);
    }
  }

  /**
   * {@link #matmulSlice} for the columns {@code [j, j + 2 lanes)}, all inside the matrix (no masks); C's (i, j)
   * at {@code c[cBase + i * cn + j]}.
   */
  private static void panel(float[] a, float[] b, float[] c, int k, int n, int from, int to, int j, int cBase,
      int cn) {
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
      int o = cBase + i * cn + j;
      c00.intoArray(c, o);
      c01.intoArray(c, o + l);
      c10.intoArray(c, o + cn);
      c11.intoArray(c, o + cn + l);
      c20.intoArray(c, o + 2 * cn);
      c21.intoArray(c, o + 2 * cn + l);
      c30.intoArray(c, o + 3 * cn);
      c31.intoArray(c, o + 3 * cn + l);
    }
    for (; i < to; i++) {
      FloatVector c0 = FloatVector.zero(F);
      FloatVector c1 = c0;
      for (int p = 0, bp = j; p < k; p++, bp += n) {
        FloatVector x = FloatVector.broadcast(F, a[i * k + p]);
        c0 = c0.add(x.mul(FloatVector.fromArray(F, b, bp)));
        c1 = c1.add(x.mul(FloatVector.fromArray(F, b, bp + l)));
      }
      int o = cBase + i * cn + j;
      c0.intoArray(c, o);
      c1.intoArray(c, o + l);
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
   * Columns {@code [from, to)} of C = A B for fewer rows than a register tile wants: per slice of
   * {@code columns} columns, B's rows in order, each added into every row's slice of C (in L1), so B streams
   * once, sequentially. Same bits as the plain loop; the slice's last columns go through the scalar loop.
   */
  static void fewRows(float[] a, float[] b, float[] c, int m, int k, int n, int from, int to, int columns) {
    int l = F.length();
    for (int j0 = from; j0 < to; j0 += columns) {
      int j1 = Math.min(to, j0 + columns);
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
   * The dot product of {@code a[ao, ao + k)} and {@code b[bo, bo + k)} on the lanes: lane l sums the terms
   * {@code p = l (mod lanes)} in p order with fused multiply-adds, the lanes are folded in a fixed tree, then the
   * last {@code k mod lanes} terms are added in order; {@code t} is a scratch of one vector's length.
   */
  static float dot(float[] a, int ao, float[] b, int bo, int k, float[] t) {
    int full = k - k % F.length();
    FloatVector s = FloatVector.zero(F);
    for (int p = 0; p < full; p += F.length()) {
      s = FloatVector.fromArray(F, a, ao + p).fma(FloatVector.fromArray(F, b, bo + p), s);
    }
    return dotTail(fold(s, t), a, ao, b, bo, full, k);
  }

  /**
   * {@code dst[dsto + q] = dot(a, ao, b, bo + q * bStride, k, t)} for q in [0, 4): four of {@link #dot}'s
   * products of one row against four, as four independent sums (the same bits as four calls, without waiting
   * on one chain of fused multiply-adds).
   */
  static void dot4(float[] a, int ao, float[] b, int bo, int bStride, int k, float[] dst, int dsto, float[] t) {
    int l = F.length();
    int full = k - k % l;
    int b1 = bo + bStride;
    int b2 = b1 + bStride;
    int b3 = b2 + bStride;
    FloatVector s0 = FloatVector.zero(F);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    for (int p = 0; p < full; p += l) {
      FloatVector x = FloatVector.fromArray(F, a, ao + p);
      s0 = x.fma(FloatVector.fromArray(F, b, bo + p), s0);
      s1 = x.fma(FloatVector.fromArray(F, b, b1 + p), s1);
      s2 = x.fma(FloatVector.fromArray(F, b, b2 + p), s2);
      s3 = x.fma(FloatVector.fromArray(F, b, b3 + p), s3);
    }
    dst[dsto] = dotTail(fold(s0, t), a, ao, b, bo, full, k);
    dst[dsto + 1] = dotTail(fold(s1, t), a, ao, b, b1, full, k);
    dst[dsto + 2] = dotTail(fold(s2, t), a, ao, b, b2, full, k);
    dst[dsto + 3] = dotTail(fold(s3, t), a, ao, b, b3, full, k);
  }

  private static float dotTail(float r, float[] a, int ao, float[] b, int bo, int full, int k) {
    for (int p = full; p < k; p++) {
      r = Math.fma(a[ao + p], b[bo + p], r);
    }
    return r;
  }

  /**
   * {@code c[co + j]} plus {@code x[q] * d[q * dStride + j]} for q = 0, 1, ... count - 1 in turn, j in
   * {@code [0, w)}: each product and each add rounded, the same bits as adding the rows one by one, with c's
   * vector kept in a register across the rows.
   */
  static void addRows(float[] c, int co, float[] d, int dStride, float[] x, int count, int w) {
    int l = F.length();
    int vend = w - w % l;
    for (int j = 0; j < vend; j += l) {
      FloatVector acc = FloatVector.fromArray(F, c, co + j);
      for (int q = 0; q < count; q++) {
        acc = acc.add(FloatVector.broadcast(F, x[q]).mul(FloatVector.fromArray(F, d, q * dStride + j)));
      }
      acc.intoArray(c, co + j);
    }
    for (int j = vend; j < w; j++) {
      float v = c[co + j];
      for (int q = 0; q < count; q++) {
        v = v + x[q] * d[q * dStride + j];
      }
      c[co + j] = v;
    }
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
