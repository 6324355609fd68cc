package dev.loss4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

/**
 * {@link SimdMath} against {@code StrictMath} (error in ulps of the reference over random inputs across the
 * whole domain, and exact special values), and its vector lanes against its scalar twins bit for bit. The
 * vector half runs in the surefire execution that adds jdk.incubator.vector; the scalar half in both.
 */
class SimdMathTest {
  /**
   * Largest error allowed against StrictMath, in ulps of StrictMath's result. StrictMath is itself within
   * one ulp of the true value, so this bounds the sum of both errors.
   */
  private static final double MAX_ULPS = 1.0;
  private static final int SAMPLES = 200_000;

  private static double ulpError(double got, double want) {
    if (Double.isNaN(want) || Double.isInfinite(want)) {
      return Double.compare(got, want) == 0 || (Double.isNaN(got) && Double.isNaN(want)) ? 0 : Double.POSITIVE_INFINITY;
    }
    return Math.abs(got - want) / Math.ulp(want);
  }

  /** Uniform in [lo, hi) and log-uniform in magnitude over [2^eLo, 2^eHi) with a random sign. */
  private static double[] inputs(long seed, double lo, double hi, int eLo, int eHi, boolean negative) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      if (i % 2 == 0) {
        x[i] = r.nextDouble(lo, hi);
      } else {
        double mag = Math.scalb(1.0 + r.nextDouble(), r.nextInt(eLo, eHi));
        x[i] = negative && r.nextBoolean() ? -mag : mag;
      }
    }
    return x;
  }

  private static double maxUlps(double[] x, DoubleUnaryOperator ours, DoubleUnaryOperator ref, String name) {
    double worst = 0;
    double at = Double.NaN;
    for (double v : x) {
      double e = ulpError(ours.applyAsDouble(v), ref.applyAsDouble(v));
      if (!(e <= worst)) {
        worst = e;
        at = v;
      }
    }
    assertTrue(worst <= MAX_ULPS, name + ": " + worst + " ulps at x = " + at);
    return worst;
  }

  @Test
  void expIsWithinOneUlpOfStrictMath() {
    maxUlps(inputs(1, -745.2, 709.8, -60, 10, true), SimdMath::exp, StrictMath::exp, "exp");
    maxUlps(inputs(2, -1, 1, -1074, 0, true), SimdMath::exp, StrictMath::exp, "exp small");
    maxUlps(inputs(3, -745.2, -708, -1, 0, true), SimdMath::exp, StrictMath::exp, "exp subnormal results");
    maxUlps(inputs(4, -30, 30, -3, 3, true), SimdMath::exp, StrictMath::exp, "exp softmax range");
  }

  @Test
  void logIsWithinOneUlpOfStrictMath() {
    maxUlps(inputs(5, 0, 10, -1074, 1024, false), SimdMath::log, StrictMath::log, "log");
    maxUlps(inputs(6, 0.5, 2, -1022, -1000, false), SimdMath::log, StrictMath::log, "log near 1");
    maxUlps(inputs(7, 0.99, 1.01, -1074, -1022, false), SimdMath::log, StrictMath::log, "log subnormal");
  }

  @Test
  void log1pIsWithinOneUlpOfStrictMath() {
    maxUlps(inputs(8, -1, 3, -1074, 1024, false), SimdMath::log1p, StrictMath::log1p, "log1p");
    maxUlps(inputs(9, -0.5, 0.5, -60, 0, true), SimdMath::log1p, StrictMath::log1p, "log1p small");
    maxUlps(inputs(10, 0, 1, -30, 0, false), SimdMath::log1p, StrictMath::log1p, "log1p(exp(-|x|)) range");
  }

  @Test
  void exp32IsWithinFloatAccuracy() {
    double[] x = inputs(13, -708, 88.8, -60, 6, true);
    double worst = 0;
    for (double v : x) {
      double want = StrictMath.exp(v);
      worst = Math.max(worst, Math.abs(SimdMath.exp32(v) - want) / want);
    }
    assertTrue(worst < 3e-9, "exp32 relative error " + worst);
    assertEquals(1.0, SimdMath.exp32(0.0));
    assertEquals(1.0, SimdMath.exp32(-0.0));
    assertEquals(0.0, SimdMath.exp32(Double.NEGATIVE_INFINITY));
    assertEquals(0.0, SimdMath.exp32(-708.5));
    assertEquals(Double.POSITIVE_INFINITY, SimdMath.exp32(Double.POSITIVE_INFINITY));
    assertTrue(Double.isNaN(SimdMath.exp32(Double.NaN)));
  }

  private static final double[] SPECIAL = {
    0.0, -0.0, 1.0, -1.0, 2.0, 0.5, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
    -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 709.782712893384,
    709.7827128933841, 710, -745.1332191019411, -745.1332191019412, -745.2, -708.4, -746, 0x1p-54, -0x1p-54,
    0x1p-55, 0x1.fffffffffffffp-55, -0x1p-53, 1e-300, -1e-300, 0x1p-1022, -1.0000000000000002,
    -0.9999999999999999, 1e308, 1e-310, 4.9e-324, 0x1.6a09e667f3bcdp-1, 0x1.6a09e667f3bccp-1, 0x1.6a09e667f3bcdp0,
    0x1p53, 0x1p54, 1e20, -1e20, 88.72283905206835, -103.97208};

  @Test
  void specialValuesMatchStrictMath() {
    for (double x : SPECIAL) {
      assertTrue(ulpError(SimdMath.exp(x), StrictMath.exp(x)) <= MAX_ULPS, "exp(" + x + ") = " + SimdMath.exp(x));
      assertTrue(ulpError(SimdMath.log(x), StrictMath.log(x)) <= MAX_ULPS, "log(" + x + ") = " + SimdMath.log(x));
      assertTrue(ulpError(SimdMath.log1p(x), StrictMath.log1p(x)) <= MAX_ULPS,
          "log1p(" + x + ") = " + SimdMath.log1p(x));
    }
  }

  @Test
  void edgeCasesAreExact() {
    assertEquals(1.0, SimdMath.exp(0.0));
    assertEquals(1.0, SimdMath.exp(-0.0));
    assertEquals(Double.POSITIVE_INFINITY, SimdMath.exp(Double.POSITIVE_INFINITY));
    assertEquals(0.0, SimdMath.exp(Double.NEGATIVE_INFINITY));
    assertEquals(StrictMath.exp(709.782712893384), SimdMath.exp(709.782712893384));
    assertEquals(Double.POSITIVE_INFINITY, SimdMath.exp(709.79));
    assertEquals(Double.MIN_VALUE, SimdMath.exp(-745.133));
    assertEquals(0.0, SimdMath.exp(-745.14));
    assertEquals(Double.POSITIVE_INFINITY, SimdMath.exp(1e300));
    assertEquals(0.0, SimdMath.exp(-1e300));
    assertTrue(Double.isNaN(SimdMath.exp(Double.NaN)));

    assertEquals(Double.NEGATIVE_INFINITY, SimdMath.log(0.0));
    assertEquals(Double.NEGATIVE_INFINITY, SimdMath.log(-0.0));
    assertEquals(0.0, SimdMath.log(1.0));
    assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(SimdMath.log(1.0)));
    assertTrue(Double.isNaN(SimdMath.log(-1e-300)));
    assertTrue(Double.isNaN(SimdMath.log(Double.NEGATIVE_INFINITY)));
    assertTrue(Double.isNaN(SimdMath.log(Double.NaN)));
    assertEquals(Double.POSITIVE_INFINITY, SimdMath.log(Double.POSITIVE_INFINITY));
    assertEquals(StrictMath.log(Double.MIN_VALUE), SimdMath.log(Double.MIN_VALUE));

    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(SimdMath.log1p(-0.0)));
    assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(SimdMath.log1p(0.0)));
    assertEquals(Double.NEGATIVE_INFINITY, SimdMath.log1p(-1.0));
    assertTrue(Double.isNaN(SimdMath.log1p(-1.0000000000000002)));
    assertTrue(Double.isNaN(SimdMath.log1p(Double.NEGATIVE_INFINITY)));
    assertTrue(Double.isNaN(SimdMath.log1p(Double.NaN)));
    assertEquals(Double.POSITIVE_INFINITY, SimdMath.log1p(Double.POSITIVE_INFINITY));
    assertEquals(1e-300, SimdMath.log1p(1e-300));
    assertEquals(-Double.MIN_VALUE, SimdMath.log1p(-Double.MIN_VALUE));
    assertEquals(0x1p-60, SimdMath.log1p(0x1p-60));
  }

  private static double[] mixed() {
    double[] a = Arrays.copyOf(inputs(11, -800, 800, -1074, 1024, true), 40_000);
    double[] b = Arrays.copyOf(inputs(12, -1, 1, -80, 2, true), 20_000);
    double[] x = new double[a.length + b.length + SPECIAL.length * 8];
    System.arraycopy(a, 0, x, 0, a.length);
    System.arraycopy(b, 0, x, a.length, b.length);
    // each special value in every lane position, next to ordinary ones
    for (int i = 0; i < SPECIAL.length * 8; i++) {
      x[a.length + b.length + i] = i % 3 == 0 ? SPECIAL[i / 8] : SPECIAL[(i * 7) % SPECIAL.length];
    }
    return x;
  }

  /** The vector half, apart so that a JVM without jdk.incubator.vector can still load this test class. */
  private static final class Lanes {
    private Lanes() {}

    /** Every input of {@code x} through the vector form, lanes compared with the scalar twin bit for bit. */
    static void sameBits(double[] x, UnaryOperator<DoubleVector> lanes, DoubleUnaryOperator scalar,
        String name) {
      int len = SimdSpecies.D.length();
      for (int i = 0; i + len <= x.length; i += len) {
        DoubleVector v = lanes.apply(DoubleVector.fromArray(SimdSpecies.D, x, i));
        for (int l = 0; l < len; l++) {
          double want = scalar.applyAsDouble(x[i + l]);
          double got = v.lane(l);
          assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got),
              name + "(" + x[i + l] + "): scalar " + want + ", lane " + got);
        }
      }
    }

    static void compare(double[] x) {
      sameBits(x, SimdMath::exp, SimdMath::exp, "exp");
      sameBits(x, SimdMath::log, SimdMath::log, "log");
      sameBits(x, SimdMath::log1p, SimdMath::log1p, "log1p");
    }
  }

  private interface InPlace {
    void apply(double[] a, int from, int to, boolean simd);
  }

  private static void sameBitsInPlace(double[] x, InPlace f, DoubleUnaryOperator scalar, String name) {
    // an odd range, so that the scalar tail runs after the vectors
    int from = 3;
    int to = x.length - 2;
    double[] simd = x.clone();
    double[] plain = x.clone();
    f.apply(simd, from, to, true);
    f.apply(plain, from, to, false);
    for (int i = 0; i < x.length; i++) {
      double want = i < from || i >= to ? x[i] : scalar.applyAsDouble(x[i]);
      assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(plain[i]), name + " scalar at " + x[i]);
      assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(simd[i]), name + " simd at " + x[i]);
    }
  }

  /** expSum and exp32Sum, both paths: each element the scalar twin's bits, and the same sum. */
  private static void sameBitsSum(double[] x, int round) {
    int n = x.length - 5 - round;
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    double shift = round * 0.75;
    double[] a = new double[n];
    double[] b = new double[n];
    double sa = SimdMath.expSum(x, 5, a, n, shift, true);
    double sb = SimdMath.expSum(x, 5, b, n, shift, false);
    assertEquals(Double.doubleToLongBits(sb), Double.doubleToLongBits(sa), "expSum sum");
    for (int i = 0; i < n; i++) {
      double want = SimdMath.exp(x[5 + i] - shift);
      assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(a[i]), "expSum at " + x[5 + i]);
      assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(b[i]), "expSum scalar at " + x[5 + i]);
    }
    sa = SimdMath.exp32Sum(f, 5, a, n, shift, true);
    sb = SimdMath.exp32Sum(f, 5, b, n, shift, false);
    assertEquals(Double.doubleToLongBits(sb), Double.doubleToLongBits(sa), "exp32Sum sum");
    for (int i = 0; i < n; i++) {
      double want = SimdMath.exp32(f[5 + i] - shift);
      assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(a[i]), "exp32Sum at " + f[5 + i]);
      assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(b[i]), "exp32Sum scalar at " + f[5 + i]);
    }
  }

  @Test
  void arrayFormsEqualScalarTwinsBitForBit() {
    assumeTrue(Vectorization.ENABLED, "SIMD path not enabled in this JVM");
    double[] x = mixed();
    for (int round = 0; round < 3; round++) {
      sameBitsSum(x, round);
      sameBitsInPlace(x, SimdMath::logInPlace, SimdMath::log, "log");
      sameBitsInPlace(x, SimdMath::log1pInPlace, SimdMath::log1p, "log1p");
    }
  }

  @Test
  void vectorLanesEqualScalarTwinsBitForBit() {
    assumeTrue(Vectorization.ENABLED, "SIMD path not enabled in this JVM");
    double[] x = mixed();
    // interpreted first, then again once the JIT has compiled the vector code
    for (int round = 0; round < 3; round++) {
      Lanes.compare(x);
    }
  }

  // ---- the kernels built on SimdMath: SIMD and scalar paths, same bits ----------------------------------

  /** Runs {@code body} once on each path (the row loops' switch flipped), returning both results. */
  private static <T> List<T> bothPaths(Supplier<T> body) {
    boolean saved = SoftmaxKernels.simd;
    try {
      SoftmaxKernels.simd = true;
      T simd = body.get();
      SoftmaxKernels.simd = false;
      T plain = body.get();
      return List.of(simd, plain);
    } finally {
      SoftmaxKernels.simd = saved;
    }
  }

  private static float[] logits(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (r.nextGaussian() * 4);
    }
    x[7] = Float.NEGATIVE_INFINITY;
    x[n / 2] = 30f;
    return x;
  }

  private static double[] widen(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }

  @Test
  void softmaxRowsAreTheSameBitsOnBothPaths() {
    assumeTrue(Vectorization.ENABLED, "SIMD path not enabled in this JVM");
    int rows = 5;
    int size = 1003;
    float[] x = logits(rows * size, 21);
    float[] g = logits(rows * size, 22);
    g[7] = 0.5f;
    for (boolean log : new boolean[] {false, true}) {
      List<float[]> f32 = bothPaths(() -> {
        float[] y = new float[x.length];
        float[] dx = new float[x.length];
        SoftmaxKernels.forward(x, y, rows, size, 1, log);
        SoftmaxKernels.backward(g, y, dx, rows, size, 1, log);
        float[] both = Arrays.copyOf(y, 2 * x.length);
        System.arraycopy(dx, 0, both, x.length, x.length);
        return both;
      });
      assertArrayEquals(f32.get(1), f32.get(0), "float32 softmax, log = " + log);
      List<float[]> fast = bothPaths(() -> {
        float[] y = new float[x.length];
        SoftmaxKernels.forward(x, y, rows, size, 1, log, true);
        return y;
      });
      assertArrayEquals(fast.get(1), fast.get(0), "float32 softmax in float lanes, log = " + log);
      for (int i = 0; i < x.length; i++) {
        // the float32 log-sum's outputs within float32 parity of the exact ones
        float want = f32.get(0)[i];
        assertEquals(want, fast.get(0)[i], 1e-5 + 1.3e-6 * Math.abs(want), "log = " + log + " at " + i);
      }
      double[] xd = widen(x);
      double[] gd = widen(g);
      List<double[]> f64 = bothPaths(() -> {
        double[] y = new double[xd.length];
        double[] dx = new double[xd.length];
        SoftmaxKernels.forward(xd, y, rows, size, 1, log);
        SoftmaxKernels.backward(gd, y, dx, rows, size, 1, log);
        double[] both = Arrays.copyOf(y, 2 * xd.length);
        System.arraycopy(dx, 0, both, xd.length, xd.length);
        return both;
      });
      assertArrayEquals(f64.get(1), f64.get(0), "float64 softmax, log = " + log);
    }
  }

  @Test
  void crossEntropyRowsAreTheSameBitsOnBothPaths() {
    assumeTrue(Vectorization.ENABLED, "SIMD path not enabled in this JVM");
    int rows = 6;
    int classes = 101;
    float[] x = logits(rows * classes, 23);
    long[] target = {3, 100, -100, 0, 57, 7};
    double[] weight = new double[classes];
    for (int c = 0; c < classes; c++) {
      weight[c] = 0.25 + c % 7;
    }
    for (double smoothing : new double[] {0.0, 0.1}) {
      for (double[] w : new double[][] {null, weight}) {
        List<float[]> f32 = bothPaths(() -> {
          float[] gx = new float[x.length];
          float[] each = new float[rows];
          ClassificationKernels.crossEntropy(x, target, w, rows, classes, 1, -100, smoothing, 0.5, each, gx);
          float[] both = Arrays.copyOf(gx, x.length + rows);
          System.arraycopy(each, 0, both, x.length, rows);
          return both;
        });
        assertArrayEquals(f32.get(1), f32.get(0), "float32 cross entropy, smoothing " + smoothing);
        // The loss alone (as under no_grad) has the bits of the loss computed beside its gradient.
        List<float[]> alone = bothPaths(() -> {
          float[] each = new float[rows];
          ClassificationKernels.crossEntropy(x, target, w, rows, classes, 1, -100, smoothing, 0.5, each, null);
          return each;
        });
        assertArrayEquals(alone.get(1), alone.get(0), "float32 cross entropy alone, smoothing " + smoothing);
        assertArrayEquals(Arrays.copyOfRange(f32.get(0), x.length, x.length + rows), alone.get(0),
            "float32 cross entropy with and without its gradient, smoothing " + smoothing);
        double[] xd = widen(x);
        List<double[]> f64 = bothPaths(() -> {
          double[] gx = new double[xd.length];
          double total = ClassificationKernels.crossEntropy(xd, target, w, rows, classes, 1, -100, smoothing, 0.5,
              null, gx);
          double[] both = Arrays.copyOf(gx, xd.length + 1);
          both[xd.length] = total;
          return both;
        });
        assertArrayEquals(f64.get(1), f64.get(0), "float64 cross entropy, smoothing " + smoothing);
      }
    }
  }
}
