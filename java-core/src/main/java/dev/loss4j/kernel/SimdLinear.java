package dev.loss4j.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float64 Vector API loops of {@link LinearKernels} (float32 has {@link SimdLinear32}): register-tiled
 * matrix products on double lanes with fused multiply-adds. Operands are copied into small buffers laid out for
 * the tile (a transposed panel of W, rows of x and blocks of W padded to whole vectors), so no loop needs a mask.
 *
 * <p>Every output element is one sum, in a fixed order that depends on the shapes only: index order along the
 * sum, except for the input gradient of few rows, which adds fixed blocks of classes in block order. Work is
 * split across threads by output rows or output classes, so results are the same bits at any thread count.
 */
final class SimdLinear {
  private SimdLinear() {}

  private static final VectorSpecies<Double> D = SimdSpecies.D;
  private static final int L = D.length();
  /** Classes in one panel of the logits: three vectors of columns. */
  static final int PANEL = 3 * L;
  /** Classes of W widened at once for the input gradient (kept in L1 while a row tile passes over them). */
  private static final int GX_CLASSES = 32;
  /** Classes per fixed partial sum of the input gradient when few rows leave the rows too few to split. */
  static final int GX_SPLIT = 2048;
  /** Classes of the output gradient copied at once for the parameter gradients. */
  private static final int GW_CLASSES = 64;

  /** {@code k} rounded up to whole vectors. */
  static int padded(int k) {
    return (k + L - 1) / L * L;
  }

  private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[4][0]);

  /** Per-thread buffer {@code slot} of at least {@code n} doubles (contents undefined). */
  private static double[] scratch(int slot, int n) {
    double[][] s = SCRATCH.get();
    if (s[slot].length < n) {
      s[slot] = new double[n];
    }
    return s[slot];
  }

  // ---------------------------------------------------------------------------------------------------
  // Packing
  // ---------------------------------------------------------------------------------------------------

  /** Rows {@code [row0, row0 + rows)} of x (stride in) as doubles with stride {@code kp}, zero padded. */
  static double[] packRows(double[] x, int row0, int rows, int in, int kp) {
    double[] p = new double[rows * kp];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(x, (row0 + r) * in, p, r * kp, in);
    }
    return p;
  }

  /**
   * {@code pt[i * PANEL + j] = W[c0 + j, i]}, zero for classes past the end; a full panel by gathers down the
   * columns of W ({@code map[l] = l * in}).
   */
  private static void packPanel(double[] w, int c0, int classes, int in, double[] pt, int[] map) {
    int n = Math.min(PANEL, classes - c0);
    if (n == PANEL) {
      for (int g = 0; g < PANEL; g += L) {
        int s = (c0 + g) * in;
        for (int i = 0; i < in; i++) {
          DoubleVector.fromArray(D, w, s + i, map, 0).intoArray(pt, i * PANEL + g);
        }
      }
      return;
    }
    for (int j = 0; j < n; j++) {
      int s = (c0 + j) * in;
      for (int i = 0; i < in; i++) {
        pt[i * PANEL + j] = w[s + i];
      }
    }
    for (int j = n; j < PANEL; j++) {
      for (int i = 0; i < in; i++) {
        pt[i * PANEL + j] = 0;
      }
    }
  }

  /** Classes {@code [c0, c0 + n)} of W as rows of stride kp, zero padded. */
  private static void packClasses(double[] w, int c0, int n, int in, int kp, double[] p) {
    for (int j = 0; j < n; j++) {
      int d = j * kp;
      System.arraycopy(w, (c0 + j) * in, p, d, in);
      for (int i = in; i < kp; i++) {
        p[d + i] = 0;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Logits: z = x W^T + b
  // ---------------------------------------------------------------------------------------------------

  /**
   * Panels {@code [p0, p1)} (of {@link #PANEL} classes) of {@code z = x W^T + b}, x packed (rows, kp): each
   * panel of W transposed into doubles, then tiles of four rows by three vectors of classes, sums in index
   * order, the bias added to the sum, rounded once.
   */
  static void logits(double[] xp, int rows, int kp, double[] w, double[] b, int classes, int in, double[] z, int p0,
      int p1) {
    double[] pt = scratch(0, in * PANEL);
    double[] tile = scratch(1, 4 * PANEL);
    double[] bp = scratch(2, PANEL);
    int[] map = new int[L];
    for (int l = 0; l < L; l++) {
      map[l] = l * in;
    }
    for (int p = p0; p < p1; p++) {
      int c0 = p * PANEL;
      int n = Math.min(PANEL, classes - c0);
      packPanel(w, c0, classes, in, pt, map);
      for (int j = 0; j < PANEL; j++) {
        bp[j] = b == null || j >= n ? 0 : b[c0 + j];
      }
      for (int r = 0; r < rows; r += 4) {
        int m = Math.min(4, rows - r);
        panelTile(xp, kp, r, m, pt, in, tile);
        for (int t = 0; t < m; t++) {
          int zo = (r + t) * classes + c0;
          int to = t * PANEL;
          int j = 0;
          if (n == PANEL) {
            for (; j < PANEL; j += L) {
              DoubleVector.fromArray(D, tile, to + j).add(DoubleVector.fromArray(D, bp, j)).intoArray(z, zo + j);
            }
          }
          for (; j < n; j++) {
            z[zo + j] = tile[to + j] + bp[j];
          }
        }
      }
    }
  }

  /** Rows {@code [r, r + m)} (m at most 4) of x against a packed panel: sums into {@code tile} (m, PANEL). */
  private static void panelTile(double[] xp, int kp, int r, int m, double[] pt, int in, double[] tile) {
    if (m == 4) {
      int a0 = r * kp;
      int a1 = a0 + kp;
      int a2 = a1 + kp;
      int a3 = a2 + kp;
      DoubleVector c00 = DoubleVector.zero(D);
      DoubleVector c01 = c00;
      DoubleVector c02 = c00;
      DoubleVector c10 = c00;
      DoubleVector c11 = c00;
      DoubleVector c12 = c00;
      DoubleVector c20 = c00;
      DoubleVector c21 = c00;
      DoubleVector c22 = c00;
      DoubleVector c30 = c00;
      DoubleVector c31 = c00;
      DoubleVector c32 = c00;
      for (int i = 0, q = 0; i < in; i++, q += PANEL) {
        DoubleVector b0 = DoubleVector.fromArray(D, pt, q);
        DoubleVector b1 = DoubleVector.fromArray(D, pt, q + L);
        DoubleVector b2 = DoubleVector.fromArray(D, pt, q + 2 * L);
        DoubleVector x = DoubleVector.broadcast(D, xp[a0 + i]);
        c00 = x.fma(b0, c00);
        c01 = x.fma(b1, c01);
        c02 = x.fma(b2, c02);
        x = DoubleVector.broadcast(D, xp[a1 + i]);
        c10 = x.fma(b0, c10);
        c11 = x.fma(b1, c11);
        c12 = x.fma(b2, c12);
        x = DoubleVector.broadcast(D, xp[a2 + i]);
        c20 = x.fma(b0, c20);
        c21 = x.fma(b1, c21);
        c22 = x.fma(b2, c22);
        x = DoubleVector.broadcast(D, xp[a3 + i]);
        c30 = x.fma(b0, c30);
        c31 = x.fma(b1, c31);
        c32 = x.fma(b2, c32);
      }
      c00.intoArray(tile, 0);
      c01.intoArray(tile, L);
      c02.intoArray(tile, 2 * L);
      c10.intoArray(tile, PANEL);
      c11.intoArray(tile, PANEL + L);
      c12.intoArray(tile, PANEL + 2 * L);
      c20.intoArray(tile, 2 * PANEL);
      c21.intoArray(tile, 2 * PANEL + L);
      c22.intoArray(tile, 2 * PANEL + 2 * L);
      c30.intoArray(tile, 3 * PANEL);
      c31.intoArray(tile, 3 * PANEL + L);
      c32.intoArray(tile, 3 * PANEL + 2 * L);
      return;
    }
    for (int t = 0; t < m; t++) {
      int a = (r + t) * kp;
      DoubleVector c0 = DoubleVector.zero(D);
      DoubleVector c1 = c0;
      DoubleVector c2 = c0;
      for (int i = 0, q = 0; i < in; i++, q += PANEL) {
        DoubleVector x = DoubleVector.broadcast(D, xp[a + i]);
        c0 = x.fma(DoubleVector.fromArray(D, pt, q), c0);
        c1 = x.fma(DoubleVector.fromArray(D, pt, q + L), c1);
        c2 = x.fma(DoubleVector.fromArray(D, pt, q + 2 * L), c2);
      }
      c0.intoArray(tile, t * PANEL);
      c1.intoArray(tile, t * PANEL + L);
      c2.intoArray(tile, t * PANEL + 2 * L);
    }
  }

  /**
   * Classes {@code [c0, c1)} of the logits of few rows (x packed (rows, kp), zero padded): each a dot product
   * along the input on lanes, W read in place, the lanes added in order, the bias added last.
   */
  static void logitsFew(double[] xp, int rows, int kp, double[] w, double[] b, int classes, int in, double[] z,
      int c0, int c1) {
    int full = in - in % L;
    double[] t = scratch(3, L);
    for (int c = c0; c < c1; c++) {
      int wo = c * in;
      double bias = b == null ? 0 : b[c];
      for (int r = 0; r < rows; r++) {
        int a = r * kp;
        DoubleVector acc = DoubleVector.zero(D);
        for (int i = 0; i < full; i += L) {
          acc = DoubleVector.fromArray(D, xp, a + i).fma(DoubleVector.fromArray(D, w, wo + i), acc);
        }
        double s = fold(acc, t);
        for (int i = full; i < in; i++) {
          s = Math.fma(xp[a + i], w[wo + i], s);
        }
        z[r * classes + c] = s + bias;
      }
    }
  }

  /** The lanes of v added pairwise in a fixed tree (lane order), not {@code reduceLanes}, whose order may vary. */
  private static double fold(DoubleVector v, double[] t) {
    v.intoArray(t, 0);
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
   * acc (rows, kp) indexed from r0: classes in order, W widened {@link #GX_CLASSES} classes at a time, tiles of
   * four rows by four vectors of the input.
   */
  static void gradInputAcc(double[] gz, int r0, int r1, double[] w, int classes, int in, int kp, int c0, int c1,
      double[] acc) {
    int rows = r1 - r0;
    double[] wp = scratch(0, GX_CLASSES * kp);
    double[] gp = scratch(1, rows * GX_CLASSES);
    for (int cb = c0; cb < c1; cb += GX_CLASSES) {
      int n = Math.min(GX_CLASSES, c1 - cb);
      packClasses(w, cb, n, in, kp, wp);
      widenRows(gz, r0, rows, classes, cb, n, gp, GX_CLASSES);
      gradInputBlock(gp, rows, n, wp, kp, acc);
    }
  }

  /** One block of n classes: {@code acc[r, :] += sum_j gp[r, j] wp[j, :]}. */
  private static void gradInputBlock(double[] gp, int rows, int n, double[] wp, int kp, double[] acc) {
    int s = 0;
    for (; s + 4 * L <= kp; s += 4 * L) {
      int r = 0;
      for (; r + 4 <= rows; r += 4) {
        gradInput4x4(gp, r, n, wp, kp, s, acc);
      }
      for (; r < rows; r++) {
        gradInput1x4(gp, r, n, wp, kp, s, acc);
      }
    }
    for (; s < kp; s += L) {
      for (int r = 0; r < rows; r++) {
        int g = r * GX_CLASSES;
        int o = r * kp + s;
        DoubleVector a = DoubleVector.fromArray(D, acc, o);
        for (int j = 0, q = s; j < n; j++, q += kp) {
          a = DoubleVector.broadcast(D, gp[g + j]).fma(DoubleVector.fromArray(D, wp, q), a);
        }
        a.intoArray(acc, o);
      }
    }
  }

  private static void gradInput4x4(double[] gp, int r, int n, double[] wp, int kp, int s, double[] acc) {
    int o0 = r * kp + s;
    int o1 = o0 + kp;
    int o2 = o1 + kp;
    int o3 = o2 + kp;
    DoubleVector a00 = DoubleVector.fromArray(D, acc, o0);
    DoubleVector a01 = DoubleVector.fromArray(D, acc, o0 + L);
    DoubleVector a02 = DoubleVector.fromArray(D, acc, o0 + 2 * L);
    DoubleVector a03 = DoubleVector.fromArray(D, acc, o0 + 3 * L);
    DoubleVector a10 = DoubleVector.fromArray(D, acc, o1);
    DoubleVector a11 = DoubleVector.fromArray(D, acc, o1 + L);
    DoubleVector a12 = DoubleVector.fromArray(D, acc, o1 + 2 * L);
    DoubleVector a13 = DoubleVector.fromArray(D, acc, o1 + 3 * L);
    DoubleVector a20 = DoubleVector.fromArray(D, acc, o2);
    DoubleVector a21 = DoubleVector.fromArray(D, acc, o2 + L);
    DoubleVector a22 = DoubleVector.fromArray(D, acc, o2 + 2 * L);
    DoubleVector a23 = DoubleVector.fromArray(D, acc, o2 + 3 * L);
    DoubleVector a30 = DoubleVector.fromArray(D, acc, o3);
    DoubleVector a31 = DoubleVector.fromArray(D, acc, o3 + L);
    DoubleVector a32 = DoubleVector.fromArray(D, acc, o3 + 2 * L);
    DoubleVector a33 = DoubleVector.fromArray(D, acc, o3 + 3 * L);
    int g0 = r * GX_CLASSES;
    int g1 = g0 + GX_CLASSES;
    int g2 = g1 + GX_CLASSES;
    int g3 = g2 + GX_CLASSES;
    for (int j = 0, q = s; j < n; j++, q += kp) {
      DoubleVector w0 = DoubleVector.fromArray(D, wp, q);
      DoubleVector w1 = DoubleVector.fromArray(D, wp, q + L);
      DoubleVector w2 = DoubleVector.fromArray(D, wp, q + 2 * L);
      DoubleVector w3 = DoubleVector.fromArray(D, wp, q + 3 * L);
      DoubleVector g = DoubleVector.broadcast(D, gp[g0 + j]);
      a00 = g.fma(w0, a00);
      a01 = g.fma(w1, a01);
      a02 = g.fma(w2, a02);
      a03 = g.fma(w3, a03);
      g = DoubleVector.broadcast(D, gp[g1 + j]);
      a10 = g.fma(w0, a10);
      a11 = g.fma(w1, a11);
      a12 = g.fma(w2, a12);
      a13 = g.fma(w3, a13);
      g = DoubleVector.broadcast(D, gp[g2 + j]);
      a20 = g.fma(w0, a20);
      a21 = g.fma(w1, a21);
      a22 = g.fma(w2, a22);
      a23 = g.fma(w3, a23);
      g = DoubleVector.broadcast(D, gp[g3 + j]);
      a30 = g.fma(w0, a30);
      a31 = g.fma(w1, a31);
      a32 = g.fma(w2, a32);
      a33 = g.fma(w3, a33);
    }
    a00.intoArray(acc, o0);
    a01.intoArray(acc, o0 + L);
    a02.intoArray(acc, o0 + 2 * L);
    a03.intoArray(acc, o0 + 3 * L);
    a10.intoArray(acc, o1);
    a11.intoArray(acc, o1 + L);
    a12.intoArray(acc, o1 + 2 * L);
    a13.intoArray(acc, o1 + 3 * L);
    a20.intoArray(acc, o2);
    a21.intoArray(acc, o2 + L);
    a22.intoArray(acc, o2 + 2 * L);
    a23.intoArray(acc, o2 + 3 * L);
    a30.intoArray(acc, o3);
    a31.intoArray(acc, o3 + L);
    a32.intoArray(acc, o3 + 2 * L);
    a33.intoArray(acc, o3 + 3 * L);
  }

  private static void gradInput1x4(double[] gp, int r, int n, double[] wp, int kp, int s, double[] acc) {
    int o = r * kp + s;
    DoubleVector a0 = DoubleVector.fromArray(D, acc, o);
    DoubleVector a1 = DoubleVector.fromArray(D, acc, o + L);
    DoubleVector a2 = DoubleVector.fromArray(D, acc, o + 2 * L);
    DoubleVector a3 = DoubleVector.fromArray(D, acc, o + 3 * L);
    int g0 = r * GX_CLASSES;
    for (int j = 0, q = s; j < n; j++, q += kp) {
      DoubleVector g = DoubleVector.broadcast(D, gp[g0 + j]);
      a0 = g.fma(DoubleVector.fromArray(D, wp, q), a0);
      a1 = g.fma(DoubleVector.fromArray(D, wp, q + L), a1);
      a2 = g.fma(DoubleVector.fromArray(D, wp, q + 2 * L), a2);
      a3 = g.fma(DoubleVector.fromArray(D, wp, q + 3 * L), a3);
    }
    a0.intoArray(acc, o);
    a1.intoArray(acc, o + L);
    a2.intoArray(acc, o + 2 * L);
    a3.intoArray(acc, o + 3 * L);
  }

  // ---------------------------------------------------------------------------------------------------
  // Parameter gradients: gW += gz^T x, gb += sum gz
  // ---------------------------------------------------------------------------------------------------

  /**
   * Classes {@code [c0, c1)}: {@code gw[c, i] += sum_r gz[r, c] x[r, i]} (x packed (rows, kp)) and
   * {@code gb[c] += sum_r gz[r, c]}, each sum over rows in order in double, added once.
   */
  static void params(double[] gz, double[] xp, int rows, int kp, int classes, int in, double[] gw, double[] gb,
      int c0, int c1) {
    double[] gp = scratch(0, rows * GW_CLASSES);
    double[] out = scratch(1, 4 * 4 * L);
    double[] sb = scratch(2, GW_CLASSES);
    for (int cb = c0; cb < c1; cb += GW_CLASSES) {
      int n = Math.min(GW_CLASSES, c1 - cb);
      widenRows(gz, 0, rows, classes, cb, n, gp, GW_CLASSES);
      if (gb != null) {
        columnSums(gp, rows, sb);
        for (int j = 0; j < n; j++) {
          gb[cb + j] = gb[cb + j] + sb[j];
        }
      }
      if (gw == null) {
        continue;
      }
      for (int s = 0; s < kp; s += 4 * L) {
        int width = Math.min(4 * L, kp - s);
        int end = Math.min(in, s + width);
        for (int j = 0; j < n; j += 4) {
          int m = Math.min(4, n - j);
          paramsTile(gp, j, m, rows, xp, kp, s, width, out);
          for (int t = 0; t < m; t++) {
            int wo = (cb + j + t) * in;
            int o = t * 4 * L - s;
            int i = s;
            for (; i + L <= end; i += L) {
              DoubleVector.fromArray(D, gw, wo + i).add(DoubleVector.fromArray(D, out, o + i)).intoArray(gw, wo + i);
            }
            for (; i < end; i++) {
              gw[wo + i] = gw[wo + i] + out[o + i];
            }
          }
        }
      }
    }
  }

  /**
   * {@code gp[r * stride + j] = gz[(r0 + r) * classes + cb + j]} for {@code r < rows}, {@code j < n};
   * zero for {@code n <= j < stride}.
   */
  private static void widenRows(double[] gz, int r0, int rows, int classes, int cb, int n, double[] gp,
      int stride) {
    for (int r = 0; r < rows; r++) {
      int d = r * stride;
      System.arraycopy(gz, (r0 + r) * classes + cb, gp, d, n);
      for (int j = n; j < stride; j++) {
        gp[d + j] = 0;
      }
    }
  }

  /** {@code sb[j] = sum_r gp[r * GW_CLASSES + j]}, rows in order, lane by lane. */
  private static void columnSums(double[] gp, int rows, double[] sb) {
    for (int j = 0; j < GW_CLASSES; j += L) {
      DoubleVector a = DoubleVector.zero(D);
      for (int r = 0; r < rows; r++) {
        a = a.add(DoubleVector.fromArray(D, gp, r * GW_CLASSES + j));
      }
      a.intoArray(sb, j);
    }
  }

  /**
   * {@code out[t * 4L + v] = sum_r gp[r, j + t] xp[r, s + v]} for {@code t < m} (m at most 4) and
   * {@code v < width} (at most four vectors), rows in order: four classes by four vectors at a time.
   */
  private static void paramsTile(double[] gp, int j, int m, int rows, double[] xp, int kp, int s, int width,
      double[] out) {
    if (m == 4 && width == 4 * L) {
      paramsTile4x4(gp, j, rows, xp, kp, s, out);
      return;
    }
    for (int v = 0; v < width; v += L) {
      for (int t = 0; t < m; t++) {
        DoubleVector a = DoubleVector.zero(D);
        for (int r = 0, q = s + v, g = j + t; r < rows; r++, q += kp, g += GW_CLASSES) {
          a = DoubleVector.broadcast(D, gp[g]).fma(DoubleVector.fromArray(D, xp, q), a);
        }
        a.intoArray(out, t * 4 * L + v);
      }
    }
  }

  private static void paramsTile4x4(double[] gp, int j, int rows, double[] xp, int kp, int s, double[] out) {
    DoubleVector a00 = DoubleVector.zero(D);
    DoubleVector a01 = a00;
    DoubleVector a02 = a00;
    DoubleVector a03 = a00;
    DoubleVector a10 = a00;
    DoubleVector a11 = a00;
    DoubleVector a12 = a00;
    DoubleVector a13 = a00;
    DoubleVector a20 = a00;
    DoubleVector a21 = a00;
    DoubleVector a22 = a00;
    DoubleVector a23 = a00;
    DoubleVector a30 = a00;
    DoubleVector a31 = a00;
    DoubleVector a32 = a00;
    DoubleVector a33 = a00;
    for (int r = 0, q = s, g = j; r < rows; r++, q += kp, g += GW_CLASSES) {
      DoubleVector x0 = DoubleVector.fromArray(D, xp, q);
      DoubleVector x1 = DoubleVector.fromArray(D, xp, q + L);
      DoubleVector x2 = DoubleVector.fromArray(D, xp, q + 2 * L);
      DoubleVector x3 = DoubleVector.fromArray(D, xp, q + 3 * L);
      DoubleVector b = DoubleVector.broadcast(D, gp[g]);
      a00 = b.fma(x0, a00);
      a01 = b.fma(x1, a01);
      a02 = b.fma(x2, a02);
      a03 = b.fma(x3, a03);
      b = DoubleVector.broadcast(D, gp[g + 1]);
      a10 = b.fma(x0, a10);
      a11 = b.fma(x1, a11);
      a12 = b.fma(x2, a12);
      a13 = b.fma(x3, a13);
      b = DoubleVector.broadcast(D, gp[g + 2]);
      a20 = b.fma(x0, a20);
      a21 = b.fma(x1, a21);
      a22 = b.fma(x2, a22);
      a23 = b.fma(x3, a23);
      b = DoubleVector.broadcast(D, gp[g + 3]);
      a30 = b.fma(x0, a30);
      a31 = b.fma(x1, a31);
      a32 = b.fma(x2, a32);
      a33 = b.fma(x3, a33);
    }
    int w = 4 * L;
    a00.intoArray(out, 0);
    a01.intoArray(out, L);
    a02.intoArray(out, 2 * L);
    a03.intoArray(out, 3 * L);
    a10.intoArray(out, w);
    a11.intoArray(out, w + L);
    a12.intoArray(out, w + 2 * L);
    a13.intoArray(out, w + 3 * L);
    a20.intoArray(out, 2 * w);
    a21.intoArray(out, 2 * w + L);
    a22.intoArray(out, 2 * w + 2 * L);
    a23.intoArray(out, 2 * w + 3 * L);
    a30.intoArray(out, 3 * w);
    a31.intoArray(out, 3 * w + L);
    a32.intoArray(out, 3 * w + 2 * L);
    a33.intoArray(out, 3 * w + 3 * L);
  }
}
