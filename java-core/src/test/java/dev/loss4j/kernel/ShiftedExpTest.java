package dev.loss4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The exponential of a shifted logit ({@link SoftmaxKernels#expShifted}) against the general exponentials it
 * stands in for, the softmax rows built on it against the previous multi-pass form, and the sigmoid lanes'
 * one-multiplication scaling against their scalar twins where the scaling changes form.
 */
class ShiftedExpTest {
  private static final int N = 4099;

  /** Values from lo to hi, evenly spaced, with both ends. */
  private static float[] ramp(float lo, float hi, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = lo + (hi - lo) * i / (n - 1);
    }
    return v;
  }

  @Test
  void float32IsSimdMath32ExpAboveTheFlushAndZeroBelow() {
    for (float d : ramp(-100f, 0f, 200_001)) {
      float want = d < SoftmaxKernels.EXP_FLUSH_32 ? 0f : SimdMath32.exp(d);
      assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(SoftmaxKernels.expShifted(d)), "exp(" + d + ")");
    }
    for (float d : new float[] {SoftmaxKernels.EXP_FLUSH_32, Math.nextDown(SoftmaxKernels.EXP_FLUSH_32), -0f, 0f,
        -Float.MIN_VALUE, -1e-30f}) {
      float want = d < SoftmaxKernels.EXP_FLUSH_32 ? 0f : SimdMath32.exp(d);
      assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(SoftmaxKernels.expShifted(d)), "exp(" + d + ")");
    }
    assertEquals(0f, SoftmaxKernels.expShifted(Float.NEGATIVE_INFINITY));
    assertEquals(Float.NaN, SoftmaxKernels.expShifted(Float.NaN));
  }

  @Test
  void float64IsSimdMathExpAboveTheFlushAndZeroBelow() {
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < 200_000; i++) {
      double d = i < 100_000 ? -720 * r.nextDouble() : -r.nextDouble() * Math.pow(2, -r.nextInt(60));
      double want = d < SoftmaxKernels.EXP_FLUSH_64 ? 0.0 : SimdMath.exp(d);
      assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(SoftmaxKernels.expShifted(d)),
          "exp(" + d + ")");
    }
    double flush = SoftmaxKernels.EXP_FLUSH_64;
    assertEquals(SimdMath.exp(flush), SoftmaxKernels.expShifted(flush));
    assertEquals(0.0, SoftmaxKernels.expShifted(Math.nextDown(flush)));
    assertEquals(0.0, SoftmaxKernels.expShifted(Double.NEGATIVE_INFINITY));
    assertEquals(Double.NaN, SoftmaxKernels.expShifted(Double.NaN));
    assertEquals(1.0, SoftmaxKernels.expShifted(-0.0));
  }

  /** Rows of logits with a spread wide enough to reach the flush region, one -inf and one NaN row. */
  private static float[] logits(int rows, int size) {
    SplittableRandom r = new SplittableRandom(11);
    float[] x = new float[rows * size];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextGaussian() * 30);
    }
    x[3] = Float.NEGATIVE_INFINITY;
    x[size + 5] = Float.NaN;
    for (int k = 0; k < size; k++) {
      x[2 * size + k] = Float.NEGATIVE_INFINITY;
    }
    return x;
  }

  @Test
  void float32SoftmaxRowsMatchTheExponentialsOfSimdMath32() {
    int rows = 6;
    int size = 1003;
    float[] x = logits(rows, size);
    float[] e = new float[size];
    for (boolean simd : new boolean[] {false, true}) {
      if (simd && !Vectorization.ENABLED) {
        continue;
      }
      boolean saved = SoftmaxKernels.simd;
      SoftmaxKernels.simd = simd;
      try {
        float[] y = new float[x.length];
        float[] ly = new float[x.length];
        SoftmaxKernels.forward(x, y, rows, size, 1, false, true);
        SoftmaxKernels.forward(x, ly, rows, size, 1, true, true);
        for (int n = 0; n < rows; n++) {
          int o = n * size;
          float m = (float) SoftmaxKernels.rowMax(x, o, size);
          double sum = SimdMath32.expSum(x, o, e, size, m, simd);
          float inv = (float) (1 / sum);
          float logSum = (float) SimdMath.log(sum);
          for (int k = 0; k < size; k++) {
            float shifted = x[o + k] - m;
            float want = shifted < SoftmaxKernels.EXP_FLUSH_32 ? 0f : e[k] * inv;
            assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(y[o + k]),
                "softmax row " + n + " at " + k + ", simd " + simd);
            assertEquals(Float.floatToIntBits(shifted - logSum), Float.floatToIntBits(ly[o + k]),
                "log_softmax row " + n + " at " + k + ", simd " + simd);
          }
        }
      } finally {
        SoftmaxKernels.simd = saved;
      }
    }
  }

  @Test
  void float32SigmoidLanesAreTheirTwinsAcrossTheScalingBoundaries() {
    assumeTrue(Vectorization.ENABLED, "SIMD path not enabled in this JVM");
    float[][] spans = {ramp(-90f, -86f, N), ramp(86f, 90f, N), ramp(-106f, -100f, N), ramp(98f, 106f, N),
        ramp(-3f, 3f, N)};
    for (float[] x : spans) {
      x[N / 2] = Float.NaN;
      float[] a = new float[N];
      float[] b = new float[N];
      for (int round = 0; round < 3; round++) {
        ActivationKernels.sigmoidBlock(x, a, 0, N, false);
        ActivationKernels.sigmoidBlock(x, b, 0, N, true);
        assertArrayEquals(a, b, "from " + x[0]);
      }
    }
  }

  @Test
  void float64SigmoidLanesAreTheirTwinsAcrossTheScalingBoundaries() {
    assumeTrue(Vectorization.ENABLED, "SIMD path not enabled in this JVM");
    double[][] spans = {{-712, -704}, {704, 712}, {-750, -740}, {740, 750}, {-3, 3}};
    for (double[] span : spans) {
      double[] x = new double[N];
      for (int i = 0; i < N; i++) {
        x[i] = span[0] + (span[1] - span[0]) * i / (N - 1);
      }
      x[N / 3] = Double.NaN;
      double[] a = new double[N];
      double[] b = new double[N];
      for (int round = 0; round < 3; round++) {
        ActivationKernels.sigmoidBlock(x, a, 0, N, false);
        ActivationKernels.sigmoidBlock(x, b, 0, N, true);
        assertArrayEquals(a, b, "from " + span[0]);
      }
      for (int i = 0; i < N; i++) {
        double want = 1 / (1 + StrictMath.exp(-x[i]));
        assertEquals(want, a[i], Double.isNaN(want) ? 0 : 2 * Math.ulp(want), "sigmoid(" + x[i] + ")");
      }
    }
  }

  @Test
  void emptyBatchesTouchNothing() {
    for (boolean log : new boolean[] {false, true}) {
      float[] none = new float[0];
      SoftmaxKernels.forward(none, none, 0, 5, 1, log, true);
      SoftmaxKernels.forward(none, none, 0, 5, 1, log, false);
      SoftmaxKernels.backward(none, none, none, 0, 5, 1, log);
      double[] noneD = new double[0];
      SoftmaxKernels.forward(noneD, noneD, 0, 5, 1, log);
      SoftmaxKernels.backward(noneD, noneD, noneD, 0, 5, 1, log);
    }
  }
}
