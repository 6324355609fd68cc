package dev.loss4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The linear layer's blocked products ({@link LinearKernels} on the Vector API path) against the plain scalar
 * loops and against sums in exact-enough arithmetic (two doubles): a float64 result is within the double sum's
 * error bound, a float32 result within one float rounding plus the float-run bound of {@link SimdLinear32}
 * (the scalar loops, which sum in double, meet the same bound). Results are the same bits at 1 and 2 threads. Shapes cover the tile edges: rows and
 * classes not multiples of the tiles, inputs shorter than a vector and not a multiple of one.
 */
class LinearKernelsTest {
  private static final int[][] SHAPES = {
      // rows, in, classes
      {1, 1, 7}, {1, 5, 6}, {3, 5, 50}, {4, 4, 50}, {7, 5, 6}, {37, 4, 50}, {5, 1, 3000}, {1, 64, 2500},
      {2, 67, 700}, {9, 64, 101}, {37, 33, 77}, {128, 64, 500}, {40, 130, 260}, {6, 16, 5000}, {150, 20, 40},
      {130, 48, 300},
  };

  @AfterEach
  void restore() {
    Parallel.setThreads(Runtime.getRuntime().availableProcessors());
  }

  private static double[] uniform(SplittableRandom r, int n, double lo, double hi) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextDouble(lo, hi);
    }
    return v;
  }

  private static float[] floats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  private static double[] doubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  /** The four products of one shape, by one path, in float32 and float64. */
  private record Products(float[] z32, float[] gx32, float[] gw32, float[] gb32, double[] z64, double[] gx64,
      double[] gw64, double[] gb64) {}

  private static Products run(boolean simd, int row0, int rows, int in, int classes, double[] x, double[] w,
      double[] b, double[] gz, double[] gw0) {
    float[] x32 = floats(x);
    float[] w32 = floats(w);
    float[] b32 = floats(b);
    float[] gz32 = floats(gz);
    int n = row0 + rows;
    float[] z32 = new float[rows * classes];
    float[] gx32 = new float[n * in];
    float[] gw32 = floats(gw0);
    float[] gb32 = new float[classes];
    double[] z64 = new double[rows * classes];
    double[] gx64 = new double[n * in];
    double[] gw64 = gw0.clone();
    double[] gb64 = new double[classes];
    if (simd) {
      LinearKernels.logits(x32, row0, rows, w32, b32, classes, in, z32);
      LinearKernels.gradInput(gz32, row0, rows, w32, classes, in, gx32);
      LinearKernels.accumulateParams(gz32, x32, row0, rows, classes, in, gw32, gb32);
      LinearKernels.logits(x, row0, rows, w, b, classes, in, z64);
      LinearKernels.gradInput(gz, row0, rows, w, classes, in, gx64);
      LinearKernels.accumulateParams(gz, x, row0, rows, classes, in, gw64, gb64);
    } else {
      LinearKernels.scalarLogits(x32, row0, rows, w32, b32, classes, in, z32);
      LinearKernels.scalarGradInput(gz32, row0, rows, w32, classes, in, gx32);
      LinearKernels.scalarAccumulateParams(gz32, x32, row0, rows, classes, in, gw32, gb32);
      LinearKernels.scalarLogits(x, row0, rows, w, b, classes, in, z64);
      LinearKernels.scalarGradInput(gz, row0, rows, w, classes, in, gx64);
      LinearKernels.scalarAccumulateParams(gz, x, row0, rows, classes, in, gw64, gb64);
    }
    return new Products(z32, gx32, gw32, gb32, z64, gx64, gw64, gb64);
  }

  /** Exact products summed with a compensated (two-double) sum: the true sum to far below a double's ulp. */
  private static final class Exact {
    double hi;
    double lo;

    void add(double a, double b) {
      double p = a * b;
      double pe = Math.fma(a, b, -p);
      double s = hi + p;
      double bb = s - hi;
      double e = (hi - (s - bb)) + (p - bb);
      hi = s;
      lo += e + pe;
    }

    double value() {
      return hi + lo;
    }
  }

  /**
   * float32 sums run in float for up to {@link SimdLinear32#FLUSH} terms: the recursive-summation bound
   * {@code n u sum|t|} (u = 2^-24) for each run, with this factor on n for the slack of the bound's second order.
   */
  private static final double FLOAT_RUN_BOUND = 1.01;

  /**
   * Each result within {@code ulps} roundings of the true value, where the rounding unit is taken on the sum of
   * the terms' magnitudes for float64 (the double sum's error bound) and on the value for float32.
   */
  private static void close(double[] expect, double[] magnitude, double[] got, boolean f32, int terms, String what) {
    for (int i = 0; i < expect.length; i++) {
      double err = Math.abs(got[i] - expect[i]);
      double bound = f32 ? Math.ulp((float) expect[i]) + FLOAT_RUN_BOUND * Math.min(terms, SimdLinear32.FLUSH)
          * 0x1p-24 * magnitude[i] + 2 * terms * 0x1p-53 * magnitude[i]
          : 2 * terms * 0x1p-53 * magnitude[i] + Double.MIN_NORMAL;
      assertTrue(err <= bound, what + "[" + i + "]: " + got[i] + " vs " + expect[i] + " (bound " + bound + ")");
    }
  }

  @Test
  void matchesExactSumsAndScalarLoops() {
    assumeTrue(Vectorization.ENABLED, "SIMD path not enabled in this JVM");
    SplittableRandom rnd = new SplittableRandom(42);
    for (int[] s : SHAPES) {
      int rows = s[0];
      int in = s[1];
      int classes = s[2];
      int row0 = rows > 2 ? 2 : 0;
      int n = row0 + rows;
      // float32-representable data so that the float32 and float64 runs sum the same products.
      double[] x = doubles(floats(uniform(rnd, n * in, -2, 2)));
      double[] w = doubles(floats(uniform(rnd, classes * in, -0.5, 0.5)));
      double[] b = doubles(floats(uniform(rnd, classes, -1, 1)));
      double[] gz = doubles(floats(uniform(rnd, rows * classes, -1, 1)));
      double[] gw0 = doubles(floats(uniform(rnd, classes * in, -0.1, 0.1)));
      String shape = rows + "x" + in + "x" + classes;
      Products simd = run(true, row0, rows, in, classes, x, w, b, gz, gw0);
      Products scalar = run(false, row0, rows, in, classes, x, w, b, gz, gw0);

      double[] z = new double[rows * classes];
      double[] zm = new double[rows * classes];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < classes; c++) {
          Exact e = new Exact();
          double m = Math.abs(b[c]);
          for (int i = 0; i < in; i++) {
            e.add(x[(row0 + r) * in + i], w[c * in + i]);
            m += Math.abs(x[(row0 + r) * in + i] * w[c * in + i]);
          }
          e.add(b[c], 1);
          z[r * classes + c] = e.value();
          zm[r * classes + c] = m;
        }
      }
      double[] gx = new double[n * in];
      double[] gxm = new double[n * in];
      for (int r = 0; r < rows; r++) {
        for (int i = 0; i < in; i++) {
          Exact e = new Exact();
          double m = 0;
          for (int c = 0; c < classes; c++) {
            e.add(gz[r * classes + c], w[c * in + i]);
            m += Math.abs(gz[r * classes + c] * w[c * in + i]);
          }
          gx[(row0 + r) * in + i] = e.value();
          gxm[(row0 + r) * in + i] = m;
        }
      }
      double[] gw = new double[classes * in];
      double[] gwm = new double[classes * in];
      double[] gb = new double[classes];
      double[] gbm = new double[classes];
      for (int c = 0; c < classes; c++) {
        for (int i = 0; i < in; i++) {
          Exact e = new Exact();
          double m = Math.abs(gw0[c * in + i]);
          e.add(gw0[c * in + i], 1);
          for (int r = 0; r < rows; r++) {
            e.add(gz[r * classes + c], x[(row0 + r) * in + i]);
            m += Math.abs(gz[r * classes + c] * x[(row0 + r) * in + i]);
          }
          gw[c * in + i] = e.value();
          gwm[c * in + i] = m;
        }
        Exact e = new Exact();
        for (int r = 0; r < rows; r++) {
          e.add(gz[r * classes + c], 1);
          gbm[c] += Math.abs(gz[r * classes + c]);
        }
        gb[c] = e.value();
      }
      for (Products p : new Products[] {simd, scalar}) {
        String path = (p == simd ? "simd " : "scalar ") + shape + " ";
        close(z, zm, doubles(p.z32), true, in + 1, path + "z32");
        close(z, zm, p.z64, false, in + 1, path + "z64");
        close(gx, gxm, doubles(p.gx32), true, classes, path + "gx32");
        close(gx, gxm, p.gx64, false, classes, path + "gx64");
        // gW is rounded to float32 from the double sum over rows, then that rounded sum is added to gw0 in
        // double and rounded again: two float roundings.
        double[] gw32 = doubles(p.gw32);
        for (int i = 0; i < gw.length; i++) {
          double err = Math.abs(gw32[i] - gw[i]);
          double bound = 2 * Math.ulp((float) gw[i])
              + FLOAT_RUN_BOUND * Math.min(rows, SimdLinear32.FLUSH) * 0x1p-24 * gwm[i] + 2 * (rows + 1) * 0x1p-53 * gwm[i];
          assertTrue(err <= bound, path + "gw32[" + i + "]: " + gw32[i] + " vs " + gw[i]);
        }
        close(gw, gwm, p.gw64, false, rows + 1, path + "gw64");
        close(gb, gbm, doubles(p.gb32), true, rows, path + "gb32");
        close(gb, gbm, p.gb64, false, rows, path + "gb64");
      }
      // Rows of gx outside the block are left alone.
      for (int i = 0; i < row0 * in; i++) {
        assertTrue(simd.gx32[i] == 0 && simd.gx64[i] == 0, shape + " gx row outside the block written");
      }
    }
  }

  @Test
  void sameBitsAtAnyThreadCount() {
    assumeTrue(Vectorization.ENABLED, "SIMD path not enabled in this JVM");
    SplittableRandom rnd = new SplittableRandom(7);
    int[][] shapes = {{1, 64, 20000}, {3, 33, 9000}, {64, 64, 3000}, {130, 20, 2000}};
    for (int[] s : shapes) {
      int rows = s[0];
      int in = s[1];
      int classes = s[2];
      double[] x = uniform(rnd, rows * in, -1, 1);
      double[] w = uniform(rnd, classes * in, -0.1, 0.1);
      double[] b = uniform(rnd, classes, -0.1, 0.1);
      double[] gz = uniform(rnd, rows * classes, -1e-3, 1e-3);
      double[] gw0 = new double[classes * in];
      Parallel.setThreads(1);
      Products one = run(true, 0, rows, in, classes, x, w, b, gz, gw0);
      Parallel.setThreads(2);
      Products two = run(true, 0, rows, in, classes, x, w, b, gz, gw0);
      Parallel.setThreads(5);
      Products five = run(true, 0, rows, in, classes, x, w, b, gz, gw0);
      for (Products p : new Products[] {two, five}) {
        assertArrayEquals(one.z32(), p.z32());
        assertArrayEquals(one.gx32(), p.gx32());
        assertArrayEquals(one.gw32(), p.gw32());
        assertArrayEquals(one.gb32(), p.gb32());
        assertArrayEquals(one.z64(), p.z64());
        assertArrayEquals(one.gx64(), p.gx64());
        assertArrayEquals(one.gw64(), p.gw64());
        assertArrayEquals(one.gb64(), p.gb64());
      }
    }
  }

  /**
   * {@link AdaptiveKernels#linearLogSoftmax} and {@link AdaptiveKernels#linearLogSoftmaxBackward} against the
   * unfused steps: the target log-probabilities and the output weight's gradient the same bits as linear,
   * logSoftmaxRows, logSoftmaxBackwardOneHot and matmul; the hidden gradient within the float bound of its
   * order (per 512-column slice a dot product, then the slices added) of the exact product of those gradient
   * rows; the same bits at 1, 2 and 3 threads.
   */
  @Test
  void fusedClusterLayerMatchesItsSteps() {
    SplittableRandom rnd = new SplittableRandom(11);
    int lanes = Vectorization.ENABLED ? SimdAdaptive.lanes() : 1;
    for (int[] s : new int[][] {{102, 8, 4000}, {5, 2, 60}, {7, 3, 1030}, {33, 15, 1000}, {4, 1, 16}, {9, 4, 333}}) {
      int rows = s[0];
      int k = s[1];
      int out = s[2];
      float[] h = floats(uniform(rnd, rows * k, -2, 2));
      float[] w = floats(uniform(rnd, out * k, -1, 1));
      float[] g = floats(uniform(rnd, rows, -1, 1));
      int[] hot = new int[rows];
      for (int r = 0; r < rows; r++) {
        hot[r] = rnd.nextInt(out);
      }
      String id = rows + "x" + k + "x" + out;
      float[] lp = AdaptiveKernels.linear(h, rows, k, w, out, null);
      AdaptiveKernels.logSoftmaxRows(lp, rows, out);
      float[] d = AdaptiveKernels.logSoftmaxBackwardOneHot(lp, rows, out, hot, g);
      float[] dwt = AdaptiveKernels.matmul(AdaptiveKernels.transpose(h, rows, k), d, k, rows, out);
      float[] wt = AdaptiveKernels.transpose(w, out, k);
      float[][] first = null;
      for (int threads : new int[] {1, 2, 3}) {
        Parallel.setThreads(threads);
        float[] picked = new float[rows];
        float[] mx = new float[rows];
        float[] logSum = new float[rows];
        assertTrue(AdaptiveKernels.linearLogSoftmax(h, rows, k, wt, out, null, hot, picked, false, mx, logSum) == null);
        for (int r = 0; r < rows; r++) {
          assertTrue(Float.floatToRawIntBits(lp[r * out + hot[r]]) == Float.floatToRawIntBits(picked[r]), id + " lp");
        }
        float[][] grads = AdaptiveKernels.linearLogSoftmaxBackward(h, rows, k, wt, out, mx, logSum, hot, g, true, true);
        assertArrayEquals(dwt, grads[0], id + " dW");
        if (first == null) {
          first = grads;
        } else {
          assertArrayEquals(first[1], grads[1], id + " dh at " + threads + " threads");
        }
      }
      double terms = 512.0 / lanes + 5 + lanes + (out + 511) / 512;
      for (int r = 0; r < rows; r++) {
        for (int p = 0; p < k; p++) {
          Exact e = new Exact();
          double mag = 0;
          for (int j = 0; j < out; j++) {
            e.add(d[r * out + j], w[j * k + p]);
            mag += Math.abs((double) d[r * out + j] * w[j * k + p]);
          }
          double err = Math.abs(first[1][r * k + p] - e.value());
          double bound = Math.ulp((float) e.value()) + terms * 0x1p-24 * mag;
          assertTrue(err <= bound, id + " dh[" + r + "," + p + "]: " + first[1][r * k + p] + " vs " + e.value());
        }
      }
    }
  }
}
