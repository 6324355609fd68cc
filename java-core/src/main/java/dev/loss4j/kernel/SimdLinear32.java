package dev.loss4j.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 loops of {@link LinearKernels} on float lanes: register tiles of fused multiply-adds in float,
 * each run of at most {@link #FLUSH} terms (so short sums, such as a logit over 64 inputs, stay in float from
 * first term to last), a longer sum adding its float runs into a double accumulator in order. Twice the lanes
 * of {@link SimdLinear}'s double accumulation; the error of each run is that of a float BLAS over as many terms.
 *
 * <p>Every output element is one sum in a fixed order that depends on the shapes only (index order along the
 * sum, cut into runs at fixed offsets; the input gradient of few rows adds fixed blocks of classes in block
 * order). Work is split across threads by output rows or output classes, so results are the same bits at any
 * thread count.
 */
final class SimdLinear32 {
  private SimdLinear32() {}

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  /** Double lanes of the same width: half a float vector each; SimdSpecies.load/store widen and narrow. */
  private static final VectorSpecies<Double> D = SimdSpecies.D;
  private static final int L = F.length();
  /** Classes in one panel of the logits: three vectors of columns. */
  static final int PANEL = 3 * L;
  /** Terms a float run sums before it is added into a double accumulator. */
  static final int FLUSH = 128;
  /** Classes per fixed partial sum of the input gradient when the rows are too few to split. */
  static final int GX_SPLIT = 2048;

  /** {@code k} rounded up to whole float vectors. */
  static int padded(int k) {
    return (k + L - 1) / L * L;
  }

  private static final ThreadLocal<Object[]> SCRATCH = ThreadLocal.withInitial(() -> new Object[] {
      new float[0], new float[0], new float[0], new double[0], new double[0], new float[0]});

  private static float[] floats(int slot, int n) {
    Object[] s = SCRATCH.get();
    if (((float[]) s[slot]).length < n) {
      s[slot] = new float[n];
    }
    return (float[]) s[slot];
  }

  private static double[] doubles(int slot, int n) {
    Object[] s = SCRATCH.get();
    if (((double[]) s[slot]).length < n) {
      s[slot] = new double[n];
    }
    return (double[]) s[slot];
  }

  /**
   * Adds {@code t[0, L)} widened into {@code acc[o, o + L)}. The register tiles store an accumulator into
   * {@code t} and call this rather than pass the vector: a tile method is large enough that C2 stops inlining
   * its calls (NodeCountInliningCutoff), and a vector passed to a call that is not inlined is boxed on the heap
   * (measured: 171 MB allocated by one chunked linear_cross_entropy forward+backward, 20 MB without).
   */
  private static void flush(float[] t, double[] acc, int o) {
    flush(FloatVector.fromArray(F, t, 0), acc, o);
  }

  /** Adds the float lanes of v, widened, into {@code acc[o, o + L)}. */
  private static void flush(FloatVector v, double[] acc, int o) {
    int h = D.length();
    DoubleVector lo = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
    DoubleVector hi = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 1);
    DoubleVector.fromArray(D, acc, o).add(lo).intoArray(acc, o);
    DoubleVector.fromArray(D, acc, o + h).add(hi).intoArray(acc, o + h);
  }

  // ---------------------------------------------------------------------------------------------------
  // Logits: z = x W^T + b
  // ---------------------------------------------------------------------------------------------------

  /**
   * Panels {@code [p0, p1)} (of {@link #PANEL} classes) of {@code z = x W^T + b} for rows {@code [row0, row0 +
   * rows)} of x: each panel of W transposed (a gather down each column), then tiles of four rows by three vectors
   * of classes summing along the input in float runs; the bias added to the sum in double, rounded once.
   */
  static void logits(float[] x, int row0, int rows, float[] w, float[] b, int classes, int in, float[] z, int p0,
      int p1) {
    float[] pt = floats(0, in * PANEL);
    float[] tile = floats(1, 4 * PANEL);
    double[] acc = doubles(3, 4 * PANEL);
    double[] bp = doubles(4, PANEL);
    int[] map = new int[L];
    for (int l = 0; l < L; l++) {
      map[l] = l * in;
    }
    boolean single = in <= FLUSH;
    for (int p = p0; p < p1; p++) {
      int c0 = p * PANEL;
      int n = Math.min(PANEL, classes - c0);
      packPanel(w, c0, n, in, pt, map);
      for (int j = 0; j < PANEL; j++) {
        bp[j] = b == null || j >= n ? 0 : b[c0 + j];
      }
      for (int r = 0; r < rows; r += 4) {
        int m = Math.min(4, rows - r);
        int xo = (row0 + r) * in;
        if (single && m == 4 && n == PANEL) {
          // the common tile: its sums go straight into z, the bias added in float
          panelTile4(x, xo, in, pt, 0, in, z, r * classes + c0, classes, b, c0);
          continue;
        }
        if (single) {
          panelTile(x, xo, in, m, pt, 0, in, tile);
          int h = D.length();
          for (int t = 0; t < m; t++) {
            int zo = (r + t) * classes + c0;
            int to = t * PANEL;
            int j = 0;
            if (n == PANEL) {
              for (; j < PANEL; j += h) {
                SimdSpecies.store(SimdSpecies.load(tile, to + j).add(DoubleVector.fromArray(D, bp, j)), z, zo + j);
              }
            }
            for (; j < n; j++) {
              z[zo + j] = (float) (tile[to + j] + bp[j]);
            }
          }
          continue;
        }
        java.util.Arrays.fill(acc, 0, m * PANEL, 0);
        for (int k0 = 0; k0 < in; k0 += FLUSH) {
          panelTile(x, xo, in, m, pt, k0, Math.min(in, k0 + FLUSH), tile);
          for (int i = 0; i < m * PANEL; i += L) {
            flush(FloatVector.fromArray(F, tile, i), acc, i);
          }
        }
        for (int t = 0; t < m; t++) {
          int zo = (r + t) * classes + c0;
          int to = t * PANEL;
          for (int j = 0; j < n; j++) {
            z[zo + j] = (float) (acc[to + j] + bp[j]);
          }
        }
      }
    }
  }

  /** {@code pt[i * PANEL + j] = W[c0 + j, i]} for {@code j < n}, zero for {@code n <= j < PANEL}. */
  private static void packPanel(float[] w, int c0, int n, int in, float[] pt, int[] map) {
    if (n == PANEL) {
      for (int g = 0; g < PANEL; g += L) {
        int s = (c0 + g) * in;
        for (int i = 0; i < in; i++) {
          FloatVector.fromArray(F, w, s + i, map, 0).intoArray(pt, i * PANEL + g);
        }
      }
      return;
    }
    for (int j = 0; j < PANEL; j++) {
      int s = (c0 + j) * in;
      for (int i = 0; i < in; i++) {
        pt[i * PANEL + j] = j < n ? w[s + i] : 0f;
      }
    }
  }

  /**
   * Rows {@code m} (at most 4) of x from offset xo (stride in) against a packed panel, the input from k0 to k1:
   * float sums into {@code tile} (m, PANEL).
   */
  private static void panelTile(float[] x, int xo, int in, int m, float[] pt, int k0, int k1, float[] tile) {
    if (m == 4) {
      panelTile4(x, xo, in, pt, k0, k1, tile, 0, PANEL, null, 0);
      return;
    }
    for (int t = 0; t < m; t++) {
      int a = xo + t * in;
      FloatVector c0 = FloatVector.zero(F);
      FloatVector c1 = c0;
      FloatVector c2 = c0;
      for (int i = k0, q = k0 * PANEL; i < k1; i++, q += PANEL) {
        FloatVector v = FloatVector.broadcast(F, x[a + i]);
        c0 = v.fma(FloatVector.fromArray(F, pt, q), c0);
        c1 = v.fma(FloatVector.fromArray(F, pt, q + L), c1);
        c2 = v.fma(FloatVector.fromArray(F, pt, q + 2 * L), c2);
      }
      c0.intoArray(tile, t * PANEL);
      c1.intoArray(tile, t * PANEL + L);
      c2.intoArray(tile, t * PANEL + 2 * L);
    }
  }

  /**
   * Four rows of x from offset xo (stride in) against a packed full panel, the input from k0 to k1, in float
   * fused multiply-adds: the (4, PANEL) sums go to {@code dst} at {@code d0} with row stride {@code stride}, plus
   * {@code bias[bo, bo + PANEL)} in float when bias is not null (one rounding, as a float add).
   */
  private static void panelTile4(float[] x, int xo, int in, float[] pt, int k0, int k1, float[] dst, int d0,
      int stride, float[] bias, int bo) {
    int a0 = xo;
    int a1 = a0 + in;
    int a2 = a1 + in;
    int a3 = a2 + in;
    FloatVector c00 = FloatVector.zero(F);
    FloatVector c01 = c00;
    FloatVector c02 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c12 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c22 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c32 = c00;
    for (int i = k0, q = k0 * PANEL; i < k1; i++, q += PANEL) {
      FloatVector b0 = FloatVector.fromArray(F, pt, q);
      FloatVector b1 = FloatVector.fromArray(F, pt, q + L);
      FloatVector b2 = FloatVector.fromArray(F, pt, q + 2 * L);
      FloatVector v = FloatVector.broadcast(F, x[a0 + i]);
      c00 = v.fma(b0, c00);
      c01 = v.fma(b1, c01);
      c02 = v.fma(b2, c02);
      v = FloatVector.broadcast(F, x[a1 + i]);
      c10 = v.fma(b0, c10);
      c11 = v.fma(b1, c11);
      c12 = v.fma(b2, c12);
      v = FloatVector.broadcast(F, x[a2 + i]);
      c20 = v.fma(b0, c20);
      c21 = v.fma(b1, c21);
      c22 = v.fma(b2, c22);
      v = FloatVector.broadcast(F, x[a3 + i]);
      c30 = v.fma(b0, c30);
      c31 = v.fma(b1, c31);
      c32 = v.fma(b2, c32);
    }
    if (bias != null) {
      FloatVector b0 = FloatVector.fromArray(F, bias, bo);
      FloatVector b1 = FloatVector.fromArray(F, bias, bo + L);
      FloatVector b2 = FloatVector.fromArray(F, bias, bo + 2 * L);
      c00 = c00.add(b0);
      c01 = c01.add(b1);
      c02 = c02.add(b2);
      c10 = c10.add(b0);
      c11 = c11.add(b1);
      c12 = c12.add(b2);
      c20 = c20.add(b0);
      c21 = c21.add(b1);
      c22 = c22.add(b2);
      c30 = c30.add(b0);
      c31 = c31.add(b1);
      c32 = c32.add(b2);
    }
    c00.intoArray(dst, d0);
    c01.intoArray(dst, d0 + L);
    c02.intoArray(dst, d0 + 2 * L);
    c10.intoArray(dst, d0 + stride);
    c11.intoArray(dst, d0 + stride + L);
    c12.intoArray(dst, d0 + stride + 2 * L);
    c20.intoArray(dst, d0 + 2 * stride);
    c21.intoArray(dst, d0 + 2 * stride + L);
    c22.intoArray(dst, d0 + 2 * stride + 2 * L);
    c30.intoArray(dst, d0 + 3 * stride);
    c31.intoArray(dst, d0 + 3 * stride + L);
    c32.intoArray(dst, d0 + 3 * stride + 2 * L);
  }

  /**
   * Classes {@code [c0, c1)} of the logits of few rows: each a dot product along the input on float lanes in
   * runs of {@link #FLUSH} (a masked last vector), the lanes of each run added in a fixed tree into double, the
   * bias added last.
   */
  static void logitsFew(float[] x, int row0, int rows, float[] w, float[] b, int classes, int in, float[] z, int c0,
      int c1) {
    float[] t = floats(2, L);
    if (in % L == 0 && in <= FLUSH) {
      // Whole vectors in one run: a small loop of its own that the compiler keeps free of masks (the same
      // operations as the general loop below, so the same bits).
      for (int c = c0; c < c1; c++) {
        double bias = b == null ? 0 : b[c];
        for (int r = 0; r < rows; r++) {
          z[r * classes + c] = (float) ((double) dotWhole(x, (row0 + r) * in, w, c * in, in, t) + bias);
        }
      }
      return;
    }
    for (int c = c0; c < c1; c++) {
      int wo = c * in;
      double bias = b == null ? 0 : b[c];
      for (int r = 0; r < rows; r++) {
        int a = (row0 + r) * in;
        double s = 0;
        for (int k0 = 0; k0 < in; k0 += FLUSH) {
          int k1 = Math.min(in, k0 + FLUSH);
          FloatVector acc = FloatVector.zero(F);
          int i = k0;
          for (; i + L <= k1; i += L) {
            acc = FloatVector.fromArray(F, x, a + i).fma(FloatVector.fromArray(F, w, wo + i), acc);
          }
          if (i < k1) {
            VectorMask<Float> mask = F.indexInRange(i, k1);
            acc = FloatVector.fromArray(F, x, a + i, mask).fma(FloatVector.fromArray(F, w, wo + i, mask), acc);
          }
          s += fold(acc, t);
        }
        z[r * classes + c] = (float) (s + bias);
      }
    }
  }

  /** {@code x[a, a + in) . w[wo, wo + in)} for in a multiple of the lanes: lane sums in order, then folded. */
  private static float dotWhole(float[] x, int a, float[] w, int wo, int in, float[] t) {
    FloatVector acc = FloatVector.zero(F);
    for (int i = 0; i < in; i += L) {
      acc = FloatVector.fromArray(F, x, a + i).fma(FloatVector.fromArray(F, w, wo + i), acc);
    }
    return fold(acc, t);
  }

  private static final VectorSpecies<Float> F256 = FloatVector.SPECIES_256;
  private static final VectorSpecies<Float> F128 = FloatVector.SPECIES_128;

  /**
   * The lanes of v added pairwise in a fixed tree in float (lane k with lane k + L/2, and so on down to one), not
   * {@code reduceLanes}, whose order is left to the implementation. Halves by shape reinterpretation.
   */
  private static float fold(FloatVector v, float[] t) {
    FloatVector u = v;
    if (L == 16) {
      u = ((FloatVector) u.reinterpretShape(F256, 0)).add((FloatVector) u.reinterpretShape(F256, 1));
    }
    if (L >= 8) {
      u = ((FloatVector) u.reinterpretShape(F128, 0)).add((FloatVector) u.reinterpretShape(F128, 1));
      return (u.lane(0) + u.lane(2)) + (u.lane(1) + u.lane(3));
    }
    u.intoArray(t, 0);
    int n = L;
    while (n > 1) {
      n >>= 1;
      for (int k = 0; k < n; k++) {
        t[k] = t[k] + t[k + n];
      }
    }
    return t[0];
  }

  // ---------------------------------------------------------------------------------------------------
  // Input gradient: gx = gz W
  // ---------------------------------------------------------------------------------------------------

  /**
   * {@code acc[r, i] += sum_{c in [c0, c1)} gz[r, c] W[c, i]} for rows {@code [r0, r1)} of gz (stride classes),
   * acc (rows, kp) indexed from r0: classes in order in float runs of {@link #FLUSH} classes (runs at multiples
   * of FLUSH from c0) added into acc; tiles of four rows by four vectors of the input.
   */
  static void gradInputAcc(float[] gz, int r0, int r1, float[] w, int classes, int in, int kp, int c0, int c1,
      double[] acc) {
    for (int cb = c0; cb < c1; cb += FLUSH) {
      int ce = Math.min(c1, cb + FLUSH);
      int s = 0;
      for (; s + 4 * L <= in; s += 4 * L) {
        int r = r0;
        for (; r + 4 <= r1; r += 4) {
          gradInput4x4(gz, r, r0, classes, w, in, kp, s, cb, ce, acc);
        }
        for (; r < r1; r++) {
          for (int v = s; v < s + 4 * L; v += L) {
            gradInput1(gz, r, r0, classes, w, in, kp, v, cb, ce, acc);
          }
        }
      }
      // Narrower inputs (or the rest of one): four rows by two vectors, then by one (masked at the end).
      if (s + 2 * L <= in) {
        int r = r0;
        for (; r + 4 <= r1; r += 4) {
          gradInput4x2(gz, r, r0, classes, w, in, kp, s, cb, ce, acc);
        }
        for (; r < r1; r++) {
          gradInput1(gz, r, r0, classes, w, in, kp, s, cb, ce, acc);
          gradInput1(gz, r, r0, classes, w, in, kp, s + L, cb, ce, acc);
        }
        s += 2 * L;
      }
      for (; s < in; s += L) {
        int r = r0;
        for (; r + 4 <= r1; r += 4) {
          gradInput4x1(gz, r, r0, classes, w, in, kp, s, cb, ce, acc);
        }
        for (; r < r1; r++) {
          gradInput1(gz, r, r0, classes, w, in, kp, s, cb, ce, acc);
        }
      }
    }
  }

  private static void gradInput4x2(float[] gz, int r, int r0, int classes, float[] w, int in, int kp, int s, int cb,
      int ce, double[] acc) {
    float[] ft = floats(5, L);
    FloatVector a00 = FloatVector.zero(F);
    FloatVector a01 = a00;
    FloatVector a10 = a00;
    FloatVector a11 = a00;
    FloatVector a20 = a00;
    FloatVector a21 = a00;
    FloatVector a30 = a00;
    FloatVector a31 = a00;
    int g0 = r * classes;
    int g1 = g0 + classes;
    int g2 = g1 + classes;
    int g3 = g2 + classes;
    for (int c = cb, q = cb * in + s; c < ce; c++, q += in) {
      FloatVector w0 = FloatVector.fromArray(F, w, q);
      FloatVector w1 = FloatVector.fromArray(F, w, q + L);
      FloatVector g = FloatVector.broadcast(F, gz[g0 + c]);
      a00 = g.fma(w0, a00);
      a01 = g.fma(w1, a01);
      g = FloatVector.broadcast(F, gz[g1 + c]);
      a10 = g.fma(w0, a10);
      a11 = g.fma(w1, a11);
      g = FloatVector.broadcast(F, gz[g2 + c]);
      a20 = g.fma(w0, a20);
      a21 = g.fma(w1, a21);
      g = FloatVector.broadcast(F, gz[g3 + c]);
      a30 = g.fma(w0, a30);
      a31 = g.fma(w1, a31);
    }
    int o = (r - r0) * kp + s;
    a00.intoArray(ft, 0);
    flush(ft, acc, o);
    a01.intoArray(ft, 0);
    flush(ft, acc, o + L);
    a10.intoArray(ft, 0);
    flush(ft, acc, o + kp);
    a11.intoArray(ft, 0);
    flush(ft, acc, o + kp + L);
    a20.intoArray(ft, 0);
    flush(ft, acc, o + 2 * kp);
    a21.intoArray(ft, 0);
    flush(ft, acc, o + 2 * kp + L);
    a30.intoArray(ft, 0);
    flush(ft, acc, o + 3 * kp);
    a31.intoArray(ft, 0);
    flush(ft, acc, o + 3 * kp + L);
  }

  /** Four rows by the one vector {@code [s, s + L)}, masked to in. */
  private static void gradInput4x1(float[] gz, int r, int r0, int classes, float[] w, int in, int kp, int s, int cb,
      int ce, double[] acc) {
    float[] ft = floats(5, L);
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    int g0 = r * classes;
    int g1 = g0 + classes;
    int g2 = g1 + classes;
    int g3 = g2 + classes;
    if (s + L <= in) {
      for (int c = cb, q = cb * in + s; c < ce; c++, q += in) {
        FloatVector v = FloatVector.fromArray(F, w, q);
        a0 = FloatVector.broadcast(F, gz[g0 + c]).fma(v, a0);
        a1 = FloatVector.broadcast(F, gz[g1 + c]).fma(v, a1);
        a2 = FloatVector.broadcast(F, gz[g2 + c]).fma(v, a2);
        a3 = FloatVector.broadcast(F, gz[g3 + c]).fma(v, a3);
      }
    } else {
      VectorMask<Float> mask = F.indexInRange(s, in);
      for (int c = cb, q = cb * in + s; c < ce; c++, q += in) {
        FloatVector v = FloatVector.fromArray(F, w, q, mask);
        a0 = FloatVector.broadcast(F, gz[g0 + c]).fma(v, a0);
        a1 = FloatVector.broadcast(F, gz[g1 + c]).fma(v, a1);
        a2 = FloatVector.broadcast(F, gz[g2 + c]).fma(v, a2);
        a3 = FloatVector.broadcast(F, gz[g3 + c]).fma(v, a3);
      }
    }
    int o = (r - r0) * kp + s;
    a0.intoArray(ft, 0);
    flush(ft, acc, o);
    a1.intoArray(ft, 0);
    flush(ft, acc, o + kp);
    a2.intoArray(ft, 0);
    flush(ft, acc, o + 2 * kp);
    a3.intoArray(ft, 0);
    flush(ft, acc, o + 3 * kp);
  }

  /** One vector of the input {@code [s, s + L)} (masked to in) of one row over classes {@code [cb, ce)}. */
  private static void gradInput1(float[] gz, int r, int r0, int classes, float[] w, int in, int kp, int s, int cb,
      int ce, double[] acc) {
    float[] ft = floats(5, L);
    int g = r * classes;
    FloatVector a = FloatVector.zero(F);
    if (s + L <= in) {
      for (int c = cb; c < ce; c++) {
        a = FloatVector.broadcast(F, gz[g + c]).fma(FloatVector.fromArray(F, w, c * in + s), a);
      }
    } else {
      VectorMask<Float> mask = F.indexInRange(s, in);
      for (int c = cb; c < ce; c++) {
        a = FloatVector.broadcast(F, gz[g + c]).fma(FloatVector.fromArray(F, w, c * in + s, mask), a);
      }
    }
    a.intoArray(ft, 0);
    flush(ft, acc, (r - r0) * kp + s);
  }

  private static void gradInput4x4(float[] gz, int r, int r0, int classes, float[] w, int in, int kp, int s, int cb,
      int ce, double[] acc) {
    float[] ft = floats(5, L);
    FloatVector a00 = FloatVector.zero(F);
    FloatVector a01 = a00;
    FloatVector a02 = a00;
    FloatVector a03 = a00;
    FloatVector a10 = a00;
    FloatVector a11 = a00;
    FloatVector a12 = a00;
    FloatVector a13 = a00;
    FloatVector a20 = a00;
    FloatVector a21 = a00;
    FloatVector a22 = a00;
    FloatVector a23 = a00;
    FloatVector a30 = a00;
    FloatVector a31 = a00;
    FloatVector a32 = a00;
    FloatVector a33 = a00;
    int g0 = r * classes;
    int g1 = g0 + classes;
    int g2 = g1 + classes;
    int g3 = g2 + classes;
    for (int c = cb, q = cb * in + s; c < ce; c++, q += in) {
      FloatVector w0 = FloatVector.fromArray(F, w, q);
      FloatVector w1 = FloatVector.fromArray(F, w, q + L);
      FloatVector w2 = FloatVector.fromArray(F, w, q + 2 * L);
      FloatVector w3 = FloatVector.fromArray(F, w, q + 3 * L);
      FloatVector g = FloatVector.broadcast(F, gz[g0 + c]);
      a00 = g.fma(w0, a00);
      a01 = g.fma(w1, a01);
      a02 = g.fma(w2, a02);
      a03 = g.fma(w3, a03);
      g = FloatVector.broadcast(F, gz[g1 + c]);
      a10 = g.fma(w0, a10);
      a11 = g.fma(w1, a11);
      a12 = g.fma(w2, a12);
      a13 = g.fma(w3, a13);
      g = FloatVector.broadcast(F, gz[g2 + c]);
      a20 = g.fma(w0, a20);
      a21 = g.fma(w1, a21);
      a22 = g.fma(w2, a22);
      a23 = g.fma(w3, a23);
      g = FloatVector.broadcast(F, gz[g3 + c]);
      a30 = g.fma(w0, a30);
      a31 = g.fma(w1, a31);
      a32 = g.fma(w2, a32);
      a33 = g.fma(w3, a33);
    }
    int o = (r - r0) * kp + s;
    a00.intoArray(ft, 0);
    flush(ft, acc, o);
    a01.intoArray(ft, 0);
    flush(ft, acc, o + L);
    a02.intoArray(ft, 0);
    flush(ft, acc, o + 2 * L);
    a03.intoArray(ft, 0);
    flush(ft, acc, o + 3 * L);
    o += kp;
    a10.intoArray(ft, 0);
    flush(ft, acc, o);
    a11.intoArray(ft, 0);
    flush(ft, acc, o + L);
    a12.intoArray(ft, 0);
    flush(ft, acc, o + 2 * L);
    a13.intoArray(ft, 0);
    flush(ft, acc, o + 3 * L);
    o += kp;
    a20.intoArray(ft, 0);
    flush(ft, acc, o);
    a21.intoArray(ft, 0);
    flush(ft, acc, o + L);
    a22.intoArray(ft, 0);
    flush(ft, acc, o + 2 * L);
    a23.intoArray(ft, 0);
    flush(ft, acc, o + 3 * L);
    o += kp;
    a30.intoArray(ft, 0);
    flush(ft, acc, o);
    a31.intoArray(ft, 0);
    flush(ft, acc, o + L);
    a32.intoArray(ft, 0);
    flush(ft, acc, o + 2 * L);
    a33.intoArray(ft, 0);
    flush(ft, acc, o + 3 * L);
  }

  // ---------------------------------------------------------------------------------------------------
  // Parameter gradients: gW += gz^T x, gb += sum gz
  // ---------------------------------------------------------------------------------------------------

  /**
   * Classes {@code [c0, c1)}: {@code gw[c, i] += sum_r gz[r, c] x[row0 + r, i]} and {@code gb[c] += sum_r
   * gz[r, c]}: the weight's sums over rows in float runs of {@link #FLUSH} rows added into double, the bias's in
   * double; each added once to its accumulator.
   */
  static void params(float[] gz, float[] x, int row0, int rows, int classes, int in, float[] gw, float[] gb, int c0,
      int c1) {
    if (gb != null) {
      int h = D.length();
      int c = c0;
      for (; c + h <= c1; c += h) {
        DoubleVector a = DoubleVector.zero(D);
        for (int r = 0; r < rows; r++) {
          a = a.add(SimdSpecies.load(gz, r * classes + c));
        }
        a = a.add(SimdSpecies.load(gb, c));
        SimdSpecies.store(a, gb, c);
      }
      for (; c < c1; c++) {
        double s = 0;
        for (int r = 0; r < rows; r++) {
          s += gz[r * classes + c];
        }
        gb[c] = (float) (gb[c] + s);
      }
    }
    if (gw == null) {
      return;
    }
    double[] acc = doubles(3, 4 * 4 * L);
    for (int c = c0; c < c1; c += 4) {
      int m = Math.min(4, c1 - c);
      for (int s = 0; s < in; s += 4 * L) {
        int width = Math.min(4 * L, in - s);
        java.util.Arrays.fill(acc, 0);
        for (int q0 = 0; q0 < rows; q0 += FLUSH) {
          int q1 = Math.min(rows, q0 + FLUSH);
          if (m == 4 && width == 4 * L) {
            params4x4(gz, x, row0, q0, q1, classes, in, c, s, acc);
          } else if (m == 4) {
            int v = 0;
            if (width >= 2 * L) {
              params4x2(gz, x, row0, q0, q1, classes, in, c, s, acc);
              v = 2 * L;
            }
            for (; v < width; v += L) {
              params4x1(gz, x, row0, q0, q1, classes, in, c, s + v, acc, v);
            }
          } else {
            for (int t = 0; t < m; t++) {
              for (int v = 0; v < width; v += L) {
                params1(gz, x, row0, q0, q1, classes, in, c + t, s + v, acc, t * 4 * L + v);
              }
            }
          }
        }
        for (int t = 0; t < m; t++) {
          int wo = (c + t) * in;
          int o = t * 4 * L - s;
          int end = s + width;
          int i = s;
          for (; i + D.length() <= end; i += D.length()) {
            SimdSpecies.store(SimdSpecies.load(gw, wo + i).add(DoubleVector.fromArray(D, acc, o + i)), gw, wo + i);
          }
          for (; i < end; i++) {
            gw[wo + i] = (float) (gw[wo + i] + acc[o + i]);
          }
        }
      }
    }
  }

  /**
   * Classes {@code [c0, c1)} for few rows: {@code gw[c, :] = fma(gz[r, c], x[row0 + r, :], gw[c, :])} row after
   * row in float (a row's term rounded once into the accumulator) and {@code gb[c] += gz[r, c]} likewise; for a
   * chunk of one row the same as adding the row's sum once.
   */
  static void paramsFew(float[] gz, float[] x, int row0, int rows, int classes, int in, float[] gw, float[] gb,
      int c0, int c1) {
    if (gb != null) {
      for (int c = c0; c < c1; c++) {
        float s = gb[c];
        for (int r = 0; r < rows; r++) {
          s = s + gz[r * classes + c];
        }
        gb[c] = s;
      }
    }
    if (gw == null) {
      return;
    }
    int full = in - in % L;
    for (int c = c0; c < c1; c++) {
      int wo = c * in;
      for (int i = 0; i < full; i += L) {
        FloatVector a = FloatVector.fromArray(F, gw, wo + i);
        for (int r = 0; r < rows; r++) {
          a = FloatVector.broadcast(F, gz[r * classes + c]).fma(FloatVector.fromArray(F, x, (row0 + r) * in + i), a);
        }
        a.intoArray(gw, wo + i);
      }
      for (int i = full; i < in; i++) {
        float a = gw[wo + i];
        for (int r = 0; r < rows; r++) {
          a = Math.fma(gz[r * classes + c], x[(row0 + r) * in + i], a);
        }
        gw[wo + i] = a;
      }
    }
  }

  /** Four classes by the two vectors {@code [s, s + 2L)}, rows {@code [q0, q1)}: into acc's columns 0 and L. */
  private static void params4x2(float[] gz, float[] x, int row0, int q0, int q1, int classes, int in, int c, int s,
      double[] acc) {
    float[] ft = floats(5, L);
    FloatVector a00 = FloatVector.zero(F);
    FloatVector a01 = a00;
    FloatVector a10 = a00;
    FloatVector a11 = a00;
    FloatVector a20 = a00;
    FloatVector a21 = a00;
    FloatVector a30 = a00;
    FloatVector a31 = a00;
    for (int r = q0, q = (row0 + q0) * in + s, g = q0 * classes + c; r < q1; r++, q += in, g += classes) {
      FloatVector x0 = FloatVector.fromArray(F, x, q);
      FloatVector x1 = FloatVector.fromArray(F, x, q + L);
      FloatVector b = FloatVector.broadcast(F, gz[g]);
      a00 = b.fma(x0, a00);
      a01 = b.fma(x1, a01);
      b = FloatVector.broadcast(F, gz[g + 1]);
      a10 = b.fma(x0, a10);
      a11 = b.fma(x1, a11);
      b = FloatVector.broadcast(F, gz[g + 2]);
      a20 = b.fma(x0, a20);
      a21 = b.fma(x1, a21);
      b = FloatVector.broadcast(F, gz[g + 3]);
      a30 = b.fma(x0, a30);
      a31 = b.fma(x1, a31);
    }
    int w = 4 * L;
    a00.intoArray(ft, 0);
    flush(ft, acc, 0);
    a01.intoArray(ft, 0);
    flush(ft, acc, L);
    a10.intoArray(ft, 0);
    flush(ft, acc, w);
    a11.intoArray(ft, 0);
    flush(ft, acc, w + L);
    a20.intoArray(ft, 0);
    flush(ft, acc, 2 * w);
    a21.intoArray(ft, 0);
    flush(ft, acc, 2 * w + L);
    a30.intoArray(ft, 0);
    flush(ft, acc, 3 * w);
    a31.intoArray(ft, 0);
    flush(ft, acc, 3 * w + L);
  }

  /** Four classes by the one vector {@code [s, s + L)} (masked to in), rows {@code [q0, q1)}: acc column v. */
  private static void params4x1(float[] gz, float[] x, int row0, int q0, int q1, int classes, int in, int c, int s,
      double[] acc, int v) {
    float[] ft = floats(5, L);
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    VectorMask<Float> mask = s + L <= in ? null : F.indexInRange(s, in);
    for (int r = q0, q = (row0 + q0) * in + s, g = q0 * classes + c; r < q1; r++, q += in, g += classes) {
      FloatVector xv = mask == null ? FloatVector.fromArray(F, x, q) : FloatVector.fromArray(F, x, q, mask);
      a0 = FloatVector.broadcast(F, gz[g]).fma(xv, a0);
      a1 = FloatVector.broadcast(F, gz[g + 1]).fma(xv, a1);
      a2 = FloatVector.broadcast(F, gz[g + 2]).fma(xv, a2);
      a3 = FloatVector.broadcast(F, gz[g + 3]).fma(xv, a3);
    }
    int w = 4 * L;
    a0.intoArray(ft, 0);
    flush(ft, acc, v);
    a1.intoArray(ft, 0);
    flush(ft, acc, w + v);
    a2.intoArray(ft, 0);
    flush(ft, acc, 2 * w + v);
    a3.intoArray(ft, 0);
    flush(ft, acc, 3 * w + v);
  }

  /** One class, one vector of the input {@code [s, s + L)} (masked to in), rows {@code [q0, q1)}. */
  private static void params1(float[] gz, float[] x, int row0, int q0, int q1, int classes, int in, int c, int s,
      double[] acc, int o) {
    float[] ft = floats(5, L);
    FloatVector a = FloatVector.zero(F);
    if (s + L <= in) {
      for (int r = q0; r < q1; r++) {
        a = FloatVector.broadcast(F, gz[r * classes + c]).fma(FloatVector.fromArray(F, x, (row0 + r) * in + s), a);
      }
    } else {
      VectorMask<Float> mask = F.indexInRange(s, in);
      for (int r = q0; r < q1; r++) {
        a = FloatVector.broadcast(F, gz[r * classes + c])
            .fma(FloatVector.fromArray(F, x, (row0 + r) * in + s, mask), a);
      }
    }
    a.intoArray(ft, 0);
    flush(ft, acc, o);
  }

  private static void params4x4(float[] gz, float[] x, int row0, int q0, int q1, int classes, int in, int c, int s,
      double[] acc) {
    float[] ft = floats(5, L);
    FloatVector a00 = FloatVector.zero(F);
    FloatVector a01 = a00;
    FloatVector a02 = a00;
    FloatVector a03 = a00;
    FloatVector a10 = a00;
    FloatVector a11 = a00;
    FloatVector a12 = a00;
    FloatVector a13 = a00;
    FloatVector a20 = a00;
    FloatVector a21 = a00;
    FloatVector a22 = a00;
    FloatVector a23 = a00;
    FloatVector a30 = a00;
    FloatVector a31 = a00;
    FloatVector a32 = a00;
    FloatVector a33 = a00;
    for (int r = q0, q = (row0 + q0) * in + s, g = q0 * classes + c; r < q1; r++, q += in, g += classes) {
      FloatVector x0 = FloatVector.fromArray(F, x, q);
      FloatVector x1 = FloatVector.fromArray(F, x, q + L);
      FloatVector x2 = FloatVector.fromArray(F, x, q + 2 * L);
      FloatVector x3 = FloatVector.fromArray(F, x, q + 3 * L);
      FloatVector b = FloatVector.broadcast(F, gz[g]);
      a00 = b.fma(x0, a00);
      a01 = b.fma(x1, a01);
      a02 = b.fma(x2, a02);
      a03 = b.fma(x3, a03);
      b = FloatVector.broadcast(F, gz[g + 1]);
      a10 = b.fma(x0, a10);
      a11 = b.fma(x1, a11);
      a12 = b.fma(x2, a12);
      a13 = b.fma(x3, a13);
      b = FloatVector.broadcast(F, gz[g + 2]);
      a20 = b.fma(x0, a20);
      a21 = b.fma(x1, a21);
      a22 = b.fma(x2, a22);
      a23 = b.fma(x3, a23);
      b = FloatVector.broadcast(F, gz[g + 3]);
      a30 = b.fma(x0, a30);
      a31 = b.fma(x1, a31);
      a32 = b.fma(x2, a32);
      a33 = b.fma(x3, a33);
    }
    int w = 4 * L;
    a00.intoArray(ft, 0);
    flush(ft, acc, 0);
    a01.intoArray(ft, 0);
    flush(ft, acc, L);
    a02.intoArray(ft, 0);
    flush(ft, acc, 2 * L);
    a03.intoArray(ft, 0);
    flush(ft, acc, 3 * L);
    a10.intoArray(ft, 0);
    flush(ft, acc, w);
    a11.intoArray(ft, 0);
    flush(ft, acc, w + L);
    a12.intoArray(ft, 0);
    flush(ft, acc, w + 2 * L);
    a13.intoArray(ft, 0);
    flush(ft, acc, w + 3 * L);
    a20.intoArray(ft, 0);
    flush(ft, acc, 2 * w);
    a21.intoArray(ft, 0);
    flush(ft, acc, 2 * w + L);
    a22.intoArray(ft, 0);
    flush(ft, acc, 2 * w + 2 * L);
    a23.intoArray(ft, 0);
    flush(ft, acc, 2 * w + 3 * L);
    a30.intoArray(ft, 0);
    flush(ft, acc, 3 * w);
    a31.intoArray(ft, 0);
    flush(ft, acc, 3 * w + L);
    a32.intoArray(ft, 0);
    flush(ft, acc, 3 * w + 2 * L);
    a33.intoArray(ft, 0);
    flush(ft, acc, 3 * w + 3 * L);
  }
}
