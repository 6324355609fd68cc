package dev.loss4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The binary losses' SIMD loops against their scalar loops on the same data, extreme logits, NaN and
 * infinities included: every loss and gradient element is the same bits, and sums agree to double rounding.
 * Runs in the surefire execution that adds jdk.incubator.vector; skipped in the other.
 */
class BinaryKernelsTest {
  /** Not a multiple of any vector length, so the scalar tails run too. */
  static final int N = 1003;

  /** Values in [lo, hi) with, when {@code special}, NaN, infinities, zeros and huge magnitudes sprinkled in. */
  static double[] data(long seed, double lo, double hi, boolean special) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[N];
    for (int i = 0; i < N; i++) {
      v[i] = r.nextDouble(lo, hi);
    }
    if (special) {
      double[] odd = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1e4, -1e4, 88.5,
          -88.5, 89, 710, -710, 1e-30};
      for (int k = 0; k < odd.length; k++) {
        v[7 * k + 3] = odd[k];
      }
    }
    return v;
  }

  static float[] floats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  /** A block of some kernel, float32: the sum, writing each loss and the gradients. */
  interface Block32 {
    double run(float[] each, float[] g1, float[] g2, int from, int to);
  }

  interface Block64 {
    double run(double[] each, double[] g1, double[] g2, int from, int to);
  }

  /** Runs both paths with every output, then again summing; outputs must be the same bits. */
  static void compare32(Block32 simd, Block32 scalar) {
    assumeTrue(Vectorization.ENABLED, "SIMD path not enabled in this JVM");
    float[][] a = {new float[N], new float[N], new float[N]};
    float[][] b = {new float[N], new float[N], new float[N]};
    scalar.run(a[0], a[1], a[2], 3, N);
    simd.run(b[0], b[1], b[2], 3, N);
    for (int k = 0; k < 3; k++) {
      assertArrayEquals(a[k], b[k], "float32 output " + k);
    }
    double s1 = scalar.run(null, null, null, 0, N);
    double s2 = simd.run(null, null, null, 0, N);
    assertSums(s1, s2);
  }

  static void compare64(Block64 simd, Block64 scalar) {
    assumeTrue(Vectorization.ENABLED, "SIMD path not enabled in this JVM");
    double[][] a = {new double[N], new double[N], new double[N]};
    double[][] b = {new double[N], new double[N], new double[N]};
    scalar.run(a[0], a[1], a[2], 3, N);
    simd.run(b[0], b[1], b[2], 3, N);
    for (int k = 0; k < 3; k++) {
      assertArrayEquals(a[k], b[k], "float64 output " + k);
    }
    double s1 = scalar.run(null, null, null, 0, N);
    double s2 = simd.run(null, null, null, 0, N);
    assertSums(s1, s2);
  }

  /** Sums agree to double rounding; a NaN or infinite sum must be the same on both paths. */
  static void assertSums(double scalar, double simd) {
    if (Double.isFinite(scalar)) {
      assertEquals(scalar, simd, Math.abs(scalar) * 1e-12, "sum");
    } else {
      assertEquals(scalar, simd, "sum");
    }
  }

  @Test
  void bce() {
    double[] x = data(1, 0, 1, false);
    x[10] = 0;
    x[11] = 1;
    x[12] = 1e-30;
    double[] y = data(2, 0, 1, false);
    double[] w = data(3, 0.5, 2, false);
    float[] xf = floats(x);
    float[] yf = floats(y);
    float[] wf = floats(w);
    compare32((e, g1, g2, f, t) -> BinaryKernels.bceBlock(xf, yf, wf, e, g1, g2, 0.25, true, f, t),
        (e, g1, g2, f, t) -> BinaryKernels.bceBlock(xf, yf, wf, e, g1, g2, 0.25, false, f, t));
    compare64((e, g1, g2, f, t) -> SimdBinary.bceBlock(x, y, null, e, g1, g2, 0.25, f, t),
        (e, g1, g2, f, t) -> BinaryKernels.bceBlock(x, y, null, e, g1, g2, 0.25, f, t));
  }

  @Test
  void bceWithLogitsPeriodicWeights() {
    double[] x = data(4, -6, 6, true);
    double[] y = data(5, 0, 1, false);
    // Lengths: full, a row of 17 (runs do not line up with vectors), a single value.
    double[][] weights = {data(6, 0.5, 2, false), java.util.Arrays.copyOf(data(7, 0.5, 2, false), 17), {1.5}, null};
    for (double[] w : weights) {
      for (double[] pw : weights) {
        float[] xf = floats(x);
        float[] yf = floats(y);
        float[] wf = w == null ? null : floats(w);
        float[] pf = pw == null ? null : floats(pw);
        compare32((e, g1, g2, f, t) -> BinaryKernels.bceWithLogitsBlock(xf, yf, wf, pf, e, g1, g2, 0.5, true, f, t),
            (e, g1, g2, f, t) -> BinaryKernels.bceWithLogitsBlock(xf, yf, wf, pf, e, g1, g2, 0.5, false, f, t));
        compare64((e, g1, g2, f, t) -> SimdBinary.bceWithLogitsBlock(x, y, w, pw, e, g1, g2, 0.5, f, t),
            (e, g1, g2, f, t) -> BinaryKernels.bceWithLogitsBlock(x, y, w, pw, e, g1, g2, 0.5, f, t));
      }
    }
  }

  @Test
  void bceWithLogitsPeriodicIndexing() {
    // Scalar loop from an offset that is not a multiple of the period: the same as reading i % L directly.
    double[] x = data(8, -3, 3, false);
    double[] y = data(9, 0, 1, false);
    double[] pw = java.util.Arrays.copyOf(data(10, 0.5, 2, false), 13);
    double[] each = new double[N];
    BinaryKernels.bceWithLogitsBlock(x, y, null, pw, each, null, null, 1, 5, N);
    for (int i = 5; i < N; i++) {
      double[] one = new double[1];
      BinaryKernels.bceWithLogitsBlock(new double[] {x[i]}, new double[] {y[i]}, null, new double[] {pw[i % 13]},
          one, null, null, 1, 0, 1);
      assertEquals(one[0], each[i], 0, "element " + i);
    }
  }

  @Test
  void softMargin() {
    double[] x = data(11, -5, 5, true);
    double[] y = data(12, -1, 1, false);
    for (int i = 0; i < N; i++) {
      y[i] = y[i] < 0 ? -1 : 1;
    }
    float[] xf = floats(x);
    float[] yf = floats(y);
    compare32((e, g1, g2, f, t) -> BinaryKernels.softMarginBlock(xf, yf, e, g1, 0.1, true, f, t),
        (e, g1, g2, f, t) -> BinaryKernels.softMarginBlock(xf, yf, e, g1, 0.1, false, f, t));
    compare64((e, g1, g2, f, t) -> SimdBinary.softMarginBlock(x, y, e, g1, 0.1, f, t),
        (e, g1, g2, f, t) -> BinaryKernels.softMarginBlock(x, y, e, g1, 0.1, f, t));
  }

  @Test
  void log1pUnitIsAccurate() {
    SplittableRandom r = new SplittableRandom(16);
    for (int i = 0; i < 100_000; i++) {
      double v = i < 3 ? new double[] {0, 1, 1e-300}[i] : r.nextDouble();
      double want = StrictMath.log1p(v);
      assertEquals(want, BinaryKernels.log1pUnit(v), 4 * Math.ulp(want), "log1p(" + v + ")");
    }
    assertEquals(Double.NaN, BinaryKernels.log1pUnit(Double.NaN));
  }

  @Test
  void softMarginFloat32Overflows() {
    float[] each = new float[2];
    float[] gx = new float[2];
    BinaryKernels.softMargin(new float[] {89, 88}, new float[] {-1, -1}, each, gx, 1);
    assertEquals(Float.POSITIVE_INFINITY, each[0]);
    assertEquals(Float.NaN, gx[0]);
    assertEquals(88f, each[1]);
  }

  @Test
  void multilabelSoftMarginRows() {
    assumeTrue(Vectorization.ENABLED, "SIMD path not enabled in this JVM");
    double[] x = data(13, -6, 6, true);
    double[] y = data(14, 0, 1, false);
    for (int classes : new int[] {17, 3, 40}) {
      double[] w = java.util.Arrays.copyOf(data(15, 0.5, 2, false), classes);
      int n = N / classes * classes;
      // float64 terms: losses and both gradients, the same bits.
      double[][] a = {new double[n], new double[n], new double[n]};
      double[][] b = {new double[n], new double[n], new double[n]};
      BinaryKernels.multilabelSoftMarginTerms(x, y, w, a[0], a[1], a[2], 0.5, 0, n);
      SimdBinary.multilabelSoftMarginTerms(x, y, w, b[0], b[1], b[2], 0.5, 0, n);
      for (int k = 0; k < 3; k++) {
        assertArrayEquals(a[k], b[k], "float64 output " + k);
      }
      // float32 rows: row sums and gradients, the same bits.
      float[] xf = floats(x);
      float[] yf = floats(y);
      float[] wf = floats(w);
      float[][] fa = {new float[n], new float[n]};
      float[][] fb = {new float[n], new float[n]};
      double[] sa = new double[n / classes];
      double[] sb = new double[n / classes];
      BinaryKernels.multilabelSoftMarginRows(xf, yf, wf, fa[0], fa[1], 0.5, false, 0, n, classes, sa);
      BinaryKernels.multilabelSoftMarginRows(xf, yf, wf, fb[0], fb[1], 0.5, true, 0, n, classes, sb);
      assertArrayEquals(sa, sb, "float32 row sums");
      assertArrayEquals(fa[0], fb[0], "float32 input gradient");
      assertArrayEquals(fa[1], fb[1], "float32 target gradient");
    }
  }

}
