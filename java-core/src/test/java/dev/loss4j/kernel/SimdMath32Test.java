package dev.loss4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link SimdMath32} against {@code StrictMath} in double (error in float32 ulps of the true value over random
 * inputs across the whole domain, and exact special values), and its array forms' vector lanes against the
 * scalar twins bit for bit (in the surefire execution that adds jdk.incubator.vector).
 */
class SimdMath32Test {
  /**
   * Largest error allowed against the true value (StrictMath in double), in float32 ulps of it: the final
   * roundings of {@code 1 + (r + r^2 Q)} and of the log's sum cost up to about one ulp (exp measured 1.02).
   */
  private static final double MAX_ULPS = 1.1;
  private static final int SAMPLES = 200_000;

  private interface FloatFn {
    float apply(float x);
  }

  private static double ulpError(float got, double want) {
    float wantF = (float) want;
    if (Float.isNaN(wantF) || Float.isInfinite(wantF)) {
      return Float.compare(got, wantF) == 0 ? 0 : Double.POSITIVE_INFINITY;
    }
    if (wantF == 0) {
      return got == 0 ? 0 : Math.abs(got) / Float.MIN_VALUE;
    }
    return Math.abs(got - want) / Math.ulp(wantF);
  }

  /** Uniform in [lo, hi) and log-uniform in magnitude over [2^eLo, 2^eHi) with a random sign. */
  private static float[] inputs(long seed, double lo, double hi, int eLo, int eHi, boolean negative) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      if (i % 2 == 0) {
        x[i] = (float) r.nextDouble(lo, hi);
      } else {
        float mag = (float) Math.scalb(1.0 + r.nextDouble(), r.nextInt(eLo, eHi));
        x[i] = negative && r.nextBoolean() ? -mag : mag;
      }
    }
    return x;
  }

  private static void maxUlps(float[] x, FloatFn ours, DoubleUnaryOperator ref, String name) {
    double worst = 0;
    float at = Float.NaN;
    for (float v : x) {
      double e = ulpError(ours.apply(v), ref.applyAsDouble(v));
      if (!(e <= worst)) {
        worst = e;
        at = v;
      }
    }
    assertTrue(worst <= MAX_ULPS, name + ": " + worst + " ulps at x = " + at);
    System.out.println(name + ": worst " + worst + " ulps at x = " + at);
  }

  @Test
  void expIsWithinAboutOneUlp() {
    maxUlps(inputs(1, -104, 89, -30, 7, true), SimdMath32::exp, StrictMath::exp, "exp");
  }

  @Test
  void logIsWithinAboutOneUlp() {
    maxUlps(inputs(2, 0, 4, -149, 128, false), SimdMath32::log, StrictMath::log, "log");
  }

  @Test
  void log1pIsWithinAboutOneUlp() {
    maxUlps(inputs(3, -1, 3, -40, 100, true), SimdMath32::log1p, StrictMath::log1p, "log1p");
  }

  @Test
  void specialValues() {
    assertEquals(1f, SimdMath32.exp(0f));
    assertEquals(1f, SimdMath32.exp(-0f));
    assertEquals(0f, SimdMath32.exp(Float.NEGATIVE_INFINITY));
    assertEquals(0f, SimdMath32.exp(-104.5f));
    assertEquals(Float.POSITIVE_INFINITY, SimdMath32.exp(88.8f));
    assertEquals(Float.POSITIVE_INFINITY, SimdMath32.exp(Float.POSITIVE_INFINITY));
    assertEquals(Float.MIN_VALUE, SimdMath32.exp(-103.9f));
    assertTrue(Float.isNaN(SimdMath32.exp(Float.NaN)));
    assertEquals(0f, SimdMath32.log(1f));
    assertEquals(Float.NEGATIVE_INFINITY, SimdMath32.log(0f));
    assertEquals(Float.NEGATIVE_INFINITY, SimdMath32.log(-0f));
    assertEquals(Float.POSITIVE_INFINITY, SimdMath32.log(Float.POSITIVE_INFINITY));
    assertTrue(Float.isNaN(SimdMath32.log(-1f)));
    assertTrue(Float.isNaN(SimdMath32.log(Float.NaN)));
    assertEquals(Float.NEGATIVE_INFINITY, SimdMath32.log1p(-1f));
    assertEquals(Float.POSITIVE_INFINITY, SimdMath32.log1p(Float.POSITIVE_INFINITY));
    assertTrue(Float.isNaN(SimdMath32.log1p(-2f)));
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(SimdMath32.log1p(-0f)));
    assertEquals(1e-30f, SimdMath32.log1p(1e-30f));
  }

  private static float[] mixed() {
    SplittableRandom r = new SplittableRandom(9);
    float[] special = {0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_VALUE, Float.MAX_VALUE, 88.72f, 88.73f, -103.9f, -104.1f,
        0x1p-25f, -0x1p-25f, 1e-8f, 0.41421f, -0.29289f, 1.4142135f, 0.70710677f};
    float[] x = new float[4099];
    for (int i = 0; i < x.length; i++) {
      x[i] = i < special.length ? special[i]
          : i % 3 == 0 ? (float) r.nextDouble(-120, 100)
          : (float) Math.scalb(r.nextDouble(-2, 2), r.nextInt(-150, 128));
    }
    return x;
  }

  private interface ArrayForm {
    void apply(float[] src, int so, float[] dst, int n, boolean simd);
  }

  private static void sameBits(float[] x, ArrayForm f, FloatFn scalar, String name) {
    int n = x.length - 7;
    float[] a = new float[n];
    float[] b = new float[n];
    f.apply(x, 5, a, n, true);
    f.apply(x, 5, b, n, false);
    for (int i = 0; i < n; i++) {
      int want = Float.floatToRawIntBits(scalar.apply(x[5 + i]));
      assertEquals(want, Float.floatToRawIntBits(b[i]), name + " scalar at " + x[5 + i]);
      assertEquals(want, Float.floatToRawIntBits(a[i]), name + " simd at " + x[5 + i]);
    }
  }

  @Test
  void sumsAreTheSameBitsOnBothPaths() {
    assumeTrue(Vectorization.ENABLED, "SIMD path not enabled in this JVM");
    float[] x = mixed();
    for (int i = 0; i < x.length; i++) {
      x[i] = Float.isFinite(x[i]) ? Math.max(-80f, Math.min(80f, x[i])) : 0.5f;
    }
    for (int round = 0; round < 200; round++) {
      int n = x.length - 7 - round % 19;
      float[] a = new float[n];
      float[] b = new float[n];
      double sa = SimdMath32.expSum(x, 5, a, n, 1.25f, true);
      double sb = SimdMath32.expSum(x, 5, b, n, 1.25f, false);
      assertEquals(Double.doubleToRawLongBits(sb), Double.doubleToRawLongBits(sa), "expSum sum, n = " + n);
      for (int i = 0; i < n; i++) {
        int want = Float.floatToRawIntBits(SimdMath32.exp(x[5 + i] - 1.25f));
        assertEquals(want, Float.floatToRawIntBits(a[i]), "expSum at " + x[5 + i]);
        assertEquals(want, Float.floatToRawIntBits(b[i]), "expSum scalar at " + x[5 + i]);
      }
      assertEquals(Double.doubleToRawLongBits(SimdMath32.sum(x, 3, n, false)),
          Double.doubleToRawLongBits(SimdMath32.sum(x, 3, n, true)), "sum, n = " + n);
      assertEquals(Double.doubleToRawLongBits(SimdMath32.dot(x, a, 3, n - 3, false)),
          Double.doubleToRawLongBits(SimdMath32.dot(x, a, 3, n - 3, true)), "dot, n = " + n);
    }
  }

  /**
   * softplusSigmoidParts: {@code log1p(e)} and {@code 1 / (1 + e)} for {@code e = exp(-|x|)}, within
   * {@link #MAX_ULPS_SHARED} of the true values of that e, and the same bits on both paths, NaN kept.
   */
  @Test
  void softplusSigmoidPartsAreAccurateAndTheSameOnBothPaths() {
    float[] x = inputs(4, -30, 30, -40, 7, true);
    int n = x.length;
    float[] e = new float[n];
    float[] lp = new float[n];
    float[] r = new float[n];
    float[] e2 = new float[n];
    float[] lp2 = new float[n];
    float[] r2 = new float[n];
    x[7] = Float.NaN;
    x[8] = Float.POSITIVE_INFINITY;
    x[9] = Float.NEGATIVE_INFINITY;
    x[10] = 0f;
    for (int round = 0; round < 20; round++) {
      SimdMath32.softplusSigmoidParts(x, 0, n - round, e, lp, r, Vectorization.ENABLED);
      SimdMath32.softplusSigmoidParts(x, 0, n - round, e2, lp2, r2, false);
      for (int i = 0; i < n - round; i++) {
        assertEquals(Float.floatToRawIntBits(lp2[i]), Float.floatToRawIntBits(lp[i]), "lp at " + x[i]);
        assertEquals(Float.floatToRawIntBits(r2[i]), Float.floatToRawIntBits(r[i]), "r at " + x[i]);
      }
    }
    assertTrue(Float.isNaN(lp[7]) && Float.isNaN(r[7]));
    assertEquals(0f, lp[8]);
    assertEquals(1f, r[8]);
    assertEquals(0f, lp[9]);
    assertEquals((float) Math.log(2), lp[10]);
    assertEquals(0.5f, r[10]);
    double worstLp = 0;
    double worstR = 0;
    for (int i = 11; i < n; i++) {
      worstLp = Math.max(worstLp, ulpError(lp[i], StrictMath.log1p(e[i])));
      worstR = Math.max(worstR, ulpError(r[i], 1 / (1 + (double) e[i])));
    }
    System.out.println("log1pRecip: worst " + worstLp + " ulps (log1p), " + worstR + " (1 / (1 + e))");
    assertTrue(worstLp <= MAX_ULPS_SHARED, "log1p: " + worstLp);
    assertTrue(worstR <= MAX_ULPS_SHARED, "1 / (1 + e): " + worstR);
  }

  /** The shared division's two extra roundings (measured: see the test's output). */
  private static final double MAX_ULPS_SHARED = 2.5;

  @Test
  void vectorLanesEqualScalarTwinsBitForBit() {
    assumeTrue(Vectorization.ENABLED, "SIMD path not enabled in this JVM");
    float[] x = mixed();
    // interpreted first, then again once the JIT has compiled the vector loops
    for (int round = 0; round < 200; round++) {
      sameBits(x, (s, so, d, n, simd) -> SimdMath32.exp(s, so, d, n, false, simd), SimdMath32::exp, "exp");
      sameBits(x, (s, so, d, n, simd) -> SimdMath32.exp(s, so, d, n, true, simd),
          v -> SimdMath32.exp(-Math.abs(v)), "exp(-|x|)");
      sameBits(x, SimdMath32::log, SimdMath32::log, "log");
      sameBits(x, SimdMath32::log1p, SimdMath32::log1p, "log1p");
    }
  }
}
