package dev.loss4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loss4j.autograd.Variable;
import dev.loss4j.loss.Adaptive.AdaptiveLogSoftmaxWithLoss;
import dev.loss4j.ops.Distances;
import dev.loss4j.ops.Pointwise;
import dev.loss4j.ops.Views;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Storage;
import dev.loss4j.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * ActivationKernels, DistanceKernels and AdaptiveKernels: SIMD lanes against their scalar twins (the same bits),
 * the fused paths against the general ones they replace, and the blocked products against the plain loop.
 */
class OpsKernelsTest {
  private static final int N = 3001;

  private static float[] floats(long seed, int n, double lo, double hi) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextDouble(lo, hi);
    }
    return v;
  }

  private static float[] specials(float[] v) {
    v[3] = Float.NaN;
    v[7] = Float.POSITIVE_INFINITY;
    v[11] = Float.NEGATIVE_INFINITY;
    v[13] = 0f;
    v[17] = -0f;
    v[19] = 120f;
    v[23] = -120f;
    v[29] = 88.7f;
    v[31] = -103.9f;
    return v;
  }

  @Test
  void sigmoidLanesAreTheScalarBits() {
    assumeTrue(Vectorization.ENABLED, "SIMD path not enabled in this JVM");
    float[] x = specials(floats(1, N, -30, 30));
    float[] a = new float[N];
    float[] b = new float[N];
    ActivationKernels.sigmoidBlock(x, a, 0, N, false);
    ActivationKernels.sigmoidBlock(x, b, 0, N, true);
    assertArrayEquals(a, b);
    float[] g = floats(2, N, -2, 2);
    float[] ga = new float[N];
    float[] gb = new float[N];
    ActivationKernels.sigmoidBackwardBlock(g, a, ga, 0, N, false);
    ActivationKernels.sigmoidBackwardBlock(g, a, gb, 0, N, true);
    assertArrayEquals(ga, gb);
    double[] xd = new double[N];
    for (int i = 0; i < N; i++) {
      xd[i] = x[i];
    }
    double[] c = new double[N];
    double[] d = new double[N];
    ActivationKernels.sigmoidBlock(xd, c, 0, N, false);
    ActivationKernels.sigmoidBlock(xd, d, 0, N, true);
    assertArrayEquals(c, d);
  }

  @Test
  void sigmoidIsAccurate() {
    float[] x = specials(floats(3, N, -30, 30));
    float[] y = new float[N];
    ActivationKernels.sigmoid(x, y);
    for (int i = 0; i < N; i++) {
      float expected = (float) (1 / (1 + StrictMath.exp(-(double) x[i])));
      assertEquals(expected, y[i], Float.isNaN(expected) ? 0 : 2 * Math.ulp(expected), "sigmoid(" + x[i] + ")");
    }
    Variable v = Variable.leaf(Tensor.ofDoubles(new double[] {-1, 0, 2}, new int[] {3}).to(DType.INT64), false);
    assertEquals(DType.FLOAT32, Pointwise.sigmoid(v).data().dtype());
  }

  @Test
  void expfLanesAreTheScalarBits() {
    assumeTrue(Vectorization.ENABLED, "SIMD path not enabled in this JVM");
    float[] z = specials(floats(4, N, -110, 105));
    float[] e = new float[N];
    int done = SimdSleefFloat.expShifted(z, 0, N, 0.25f, e, 0);
    for (int i = 0; i < done; i++) {
      assertEquals(Float.floatToRawIntBits(SleefFloat.expf(z[i] - 0.25f)), Float.floatToRawIntBits(e[i]),
          "expf(" + z[i] + ")");
    }
  }

  @Test
  void matmulIsThePlainLoop() {
    for (int[] s : new int[][] {{7, 33, 600}, {9, 1000, 8}, {5, 3, 3}, {3, 40, 2}, {6, 0, 5}, {37, 50, 70}, {21, 300, 8},
        {16, 5, 100}, {33, 17, 40}, {18, 9, 20}}) {
      int m = s[0];
      int k = s[1];
      int n = s[2];
      float[] a = floats(5, m * k, -1, 1);
      float[] b = floats(6, k * n, -1, 1);
      float[] c = AdaptiveKernels.matmul(a, b, m, k, n);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          float acc = 0;
          for (int p = 0; p < k; p++) {
            acc = acc + a[i * k + p] * b[p * n + j];
          }
          assertEquals(Float.floatToRawIntBits(acc), Float.floatToRawIntBits(c[i * n + j]), m + "x" + k + "x" + n);
        }
      }
    }
  }

  @Test
  void fusedCosineSimilarityMatchesTheComposedOps() {
    for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      for (int dim : new int[] {0, 1, -1}) {
        Tensor a = ThreadCountTest.random(7, d, 6, 5, 4);
        Tensor b = ThreadCountTest.random(8, d, 6, 5, 4);
        Variable fa = Variable.leaf(a, true);
        Variable fb = Variable.leaf(b, true);
        Variable fused = Distances.cosineSimilarity(fa, fb, dim, 1e-8);
        fused.backward(Tensor.full(1.0, d, fused.data().shape()));
        // A broadcast operand takes the composed path; expanding it first gives the same shapes.
        Variable ga = Variable.leaf(a, true);
        Variable general = Distances.cosineSimilarity(ga, Views.unsqueeze(Variable.constant(b), 0), dim < 0 ? dim
            : dim + 1, 1e-8);
        double tol = d == DType.FLOAT32 ? 2e-6 : 1e-12;
        double[] x = fused.data().toDoubleArray();
        double[] y = general.data().toDoubleArray();
        assertEquals(x.length, y.length);
        for (int i = 0; i < x.length; i++) {
          assertEquals(y[i], x[i], tol, "value " + i);
        }
        general.backward(Tensor.full(1.0, d, general.data().shape()));
        double[] gx = fa.grad().toDoubleArray();
        double[] gy = ga.grad().toDoubleArray();
        for (int i = 0; i < gx.length; i++) {
          assertEquals(gy[i], gx[i], d == DType.FLOAT32 ? 1e-5 : 1e-12, "gradient " + i);
        }
      }
    }
  }

  @Test
  void adaptiveFloat32OutputIsTheLogProbOfTheTarget() {
    AdaptiveLogSoftmaxWithLoss m = new AdaptiveLogSoftmaxWithLoss(32, 900, new double[] {50, 300}, 2.0, true,
        DType.FLOAT32, 3L);
    Tensor x = ThreadCountTest.random(9, DType.FLOAT32, 40, 32);
    Tensor t = ThreadCountTest.classes(10, 900, 40);
    float[] out = Storage.floats(m.forward(Variable.constant(x), Variable.constant(t)).output().data());
    float[] full = Storage.floats(m.logProb(Variable.constant(x)).data());
    long[] ts = t.toLongArray();
    for (int r = 0; r < 40; r++) {
      assertEquals(Float.floatToRawIntBits(full[r * 900 + (int) ts[r]]), Float.floatToRawIntBits(out[r]), "row " + r);
    }
  }

  @Test
  void laneSumAndMaxAreTheScalarOnes() {
    for (int n : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 100, 1003}) {
      float[] v = floats(11 + n, n, -100, 100);
      float[] acc = new float[8];
      float expected;
      if (n < 8) {
        expected = n == 0 ? 0 : v[0];
        for (int i = 1; i < n; i++) {
          expected = expected + v[i];
        }
      } else {
        System.arraycopy(v, 0, acc, 0, 8);
        int d = 8;
        for (; d < n - n % 8; d += 8) {
          for (int l = 0; l < 8; l++) {
            acc[l] = acc[l] + v[d + l];
          }
        }
        for (int l = 0; l < n - d; l++) {
          acc[l] = acc[l] + v[d + l];
        }
        expected = ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]));
      }
      assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(AdaptiveKernels.laneSum(v, n)), "n=" + n);
      float mx = Float.NEGATIVE_INFINITY;
      for (float x : v) {
        mx = x > mx || Float.isNaN(x) ? x : mx;
      }
      assertEquals(mx, AdaptiveKernels.max(v, 0, n), "max n=" + n);
      if (n > 40) {
        v[37] = Float.NaN;
        assertEquals(Float.NaN, AdaptiveKernels.max(v, 0, n));
      }
    }
  }
}
