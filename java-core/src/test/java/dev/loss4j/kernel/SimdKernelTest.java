package dev.loss4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The SIMD loops against the scalar ones on the same data, ties, NaN and infinities included: every
 * per-element output and gradient is the same bits, and block sums agree to double rounding (they are added
 * in another order). Runs in the surefire execution that adds jdk.incubator.vector; skipped in the other.
 */
class SimdKernelTest {
  /** Not a multiple of any vector length, so the scalar tail runs too. */
  private static final int N = 1003;

  @Test
  void simdPathIsOnWhenTheModuleIsPresent() {
    boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    boolean wide = module && SimdSpecies.wideEnough();
    assertEquals(wide, Vectorization.ENABLED, Vectorization.describe());
  }

  private static double[] data(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[N];
    for (int i = 0; i < N; i++) {
      v[i] = r.nextDouble(-3, 3);
    }
    v[5] = Double.NaN;
    v[17] = Double.POSITIVE_INFINITY;
    v[29] = Double.NEGATIVE_INFINITY;
    return v;
  }

  private static float[] floats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  /** One regression kernel block through both paths, float32 and float64, every output combination. */
  private interface Block32 {
    double run(float[] x, float[] y, float[] each, float[] gx, float[] gy, int from, int to);
  }

  private interface Block64 {
    double run(double[] x, double[] y, double[] each, double[] gx, double[] gy, int from, int to);
  }

  private static void compare(Block32 simd32, Block32 scalar32, Block64 simd64, Block64 scalar64) {
    assumeTrue(Vectorization.ENABLED, "SIMD path not enabled in this JVM");
    double[] x = data(1);
    double[] y = data(2);
    y[40] = x[40]; // a tie
    y[41] = x[41];
    float[] xf = floats(x);
    float[] yf = floats(y);
    float[][] a = {new float[N], new float[N], new float[N]};
    float[][] b = {new float[N], new float[N], new float[N]};
    scalar32.run(xf, yf, a[0], a[1], a[2], 3, N);
    simd32.run(xf, yf, b[0], b[1], b[2], 3, N);
    for (int k = 0; k < 3; k++) {
      assertArrayEquals(a[k], b[k], "float32 output " + k);
    }
    double[][] c = {new double[N], new double[N], new double[N]};
    double[][] d = {new double[N], new double[N], new double[N]};
    scalar64.run(x, y, c[0], c[1], c[2], 3, N);
    simd64.run(x, y, d[0], d[1], d[2], 3, N);
    for (int k = 0; k < 3; k++) {
      assertArrayEquals(c[k], d[k], "float64 output " + k);
    }
    // Sums on finite data: the same up to the order of additions.
    double[] xs = data(3);
    double[] ys = data(4);
    for (int i = 0; i < 40; i++) {
      xs[i] = 0.25 * i;
      ys[i] = -0.5 * i;
    }
    double s1 = scalar64.run(xs, ys, null, null, null, 0, N);
    double s2 = simd64.run(xs, ys, null, null, null, 0, N);
    assertEquals(s1, s2, Math.abs(s1) * 1e-13);
    double f1 = scalar32.run(floats(xs), floats(ys), null, null, null, 0, N);
    double f2 = simd32.run(floats(xs), floats(ys), null, null, null, 0, N);
    assertEquals(f1, f2, Math.abs(f1) * 1e-13);
  }

  @Test
  void l1() {
    compare((x, y, e, gx, gy, f, t) -> SimdRegression.l1Block(x, y, e, gx, gy, 0.25, f, t),
        (x, y, e, gx, gy, f, t) -> RegressionKernels.l1Block(x, y, e, gx, gy, 0.25, f, t),
        (x, y, e, gx, gy, f, t) -> SimdRegression.l1Block(x, y, e, gx, gy, 0.25, f, t),
        (x, y, e, gx, gy, f, t) -> RegressionKernels.l1Block(x, y, e, gx, gy, 0.25, f, t));
  }

  @Test
  void mse() {
    compare((x, y, e, gx, gy, f, t) -> SimdRegression.mseBlock(x, y, e, gx, gy, 0.25, f, t),
        (x, y, e, gx, gy, f, t) -> RegressionKernels.mseBlock(x, y, e, gx, gy, 0.25, f, t),
        (x, y, e, gx, gy, f, t) -> SimdRegression.mseBlock(x, y, e, gx, gy, 0.25, f, t),
        (x, y, e, gx, gy, f, t) -> RegressionKernels.mseBlock(x, y, e, gx, gy, 0.25, f, t));
  }

  @Test
  void smoothL1() {
    for (double beta : new double[] {0.0, 0.3, 1.0, 2.5}) {
      compare((x, y, e, gx, gy, f, t) -> SimdRegression.smoothL1Block(x, y, e, gx, gy, 0.25, beta, f, t),
          (x, y, e, gx, gy, f, t) -> RegressionKernels.smoothL1Block(x, y, e, gx, gy, 0.25, beta, f, t),
          (x, y, e, gx, gy, f, t) -> SimdRegression.smoothL1Block(x, y, e, gx, gy, 0.25, beta, f, t),
          (x, y, e, gx, gy, f, t) -> RegressionKernels.smoothL1Block(x, y, e, gx, gy, 0.25, beta, f, t));
    }
  }

  @Test
  void huber() {
    for (double delta : new double[] {0.3, 1.0, 2.5}) {
      compare((x, y, e, gx, gy, f, t) -> SimdRegression.huberBlock(x, y, e, gx, gy, 0.25, delta, f, t),
          (x, y, e, gx, gy, f, t) -> RegressionKernels.huberBlock(x, y, e, gx, gy, 0.25, delta, f, t),
          (x, y, e, gx, gy, f, t) -> SimdRegression.huberBlock(x, y, e, gx, gy, 0.25, delta, f, t),
          (x, y, e, gx, gy, f, t) -> RegressionKernels.huberBlock(x, y, e, gx, gy, 0.25, delta, f, t));
    }
  }
}
