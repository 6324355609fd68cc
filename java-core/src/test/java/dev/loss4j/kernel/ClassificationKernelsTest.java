package dev.loss4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The classification and softmax kernels on inputs large enough to be split across threads: the same bits
 * for any thread count, and the (N, C, d) loops agreeing with the (N, C) loops on the same positions.
 */
class ClassificationKernelsTest {
  private static final int N = 300;
  private static final int C = 700;
  private final int savedThreads = Parallel.threads();

  @AfterEach
  void restoreThreads() {
    Parallel.setThreads(savedThreads);
  }

  private static float[] logits(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (3 * r.nextGaussian());
    }
    return x;
  }

  private static long[] labels(int n, int classes, long ignore, long seed) {
    Random r = new Random(seed);
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      t[i] = i % 17 == 5 ? ignore : r.nextInt(classes);
    }
    return t;
  }

  @Test
  void crossEntropyIsTheSameForAnyThreadCount() {
    float[] x = logits(N * C, 1);
    long[] t = labels(N, C, -100, 2);
    double[] w = new double[C];
    for (int c = 0; c < C; c++) {
      w[c] = 0.5 + (c % 7) / 7.0;
    }
    double[] totals = new double[3];
    float[][] grads = new float[3][];
    int[] threads = {1, 2, 5};
    for (int k = 0; k < threads.length; k++) {
      Parallel.setThreads(threads[k]);
      grads[k] = new float[N * C];
      totals[k] = ClassificationKernels.crossEntropy(x, t, w, N, C, 1, -100, 0.1, 1.0 / N, null, grads[k]);
    }
    for (int k = 1; k < threads.length; k++) {
      assertEquals(totals[0], totals[k], 0.0);
      assertArrayEquals(grads[0], grads[k]);
    }
  }

  @Test
  void spatialCrossEntropyMatchesRows() {
    int n = 3;
    int classes = 5;
    int inner = 1100;
    double[] x = new double[n * classes * inner];
    Random r = new Random(3);
    for (int i = 0; i < x.length; i++) {
      x[i] = 4 * r.nextGaussian();
    }
    long[] t = labels(n * inner, classes, 2, 4);
    double[] w = {1.0, 0.3, 2.0, 0.0, 1.5};
    for (double smoothing : new double[] {0.0, 0.25}) {
      double[] each = new double[n * inner];
      double[] gx = new double[x.length];
      ClassificationKernels.crossEntropy(x, t, w, n, classes, inner, 2, smoothing, 0.5, each, gx);
      // The same positions as rows of an (n * inner, classes) input.
      double[] rows = new double[x.length];
      for (int b = 0; b < n; b++) {
        for (int c = 0; c < classes; c++) {
          for (int s = 0; s < inner; s++) {
            rows[(b * inner + s) * classes + c] = x[(b * classes + c) * inner + s];
          }
        }
      }
      double[] eachRows = new double[n * inner];
      double[] gRows = new double[x.length];
      ClassificationKernels.crossEntropy(rows, t, w, n * inner, classes, 1, 2, smoothing, 0.5, eachRows, gRows);
      for (int p = 0; p < n * inner; p++) {
        assertEquals(eachRows[p], each[p], 1e-12 * Math.max(1, Math.abs(each[p])));
      }
      for (int b = 0; b < n; b++) {
        for (int c = 0; c < classes; c++) {
          for (int s = 0; s < inner; s++) {
            assertEquals(gRows[(b * inner + s) * classes + c], gx[(b * classes + c) * inner + s], 1e-15);
          }
        }
      }
    }
  }

  @Test
  void softmaxAlongAMiddleAxisMatchesRows() {
    int outer = 2;
    int size = 9;
    int inner = 700;
    float[] x = logits(outer * size * inner, 5);
    for (int mode = 0; mode < 3; mode++) {
      boolean log = mode > 0;
      boolean float32LogSum = mode == 2;
      float[] y = new float[x.length];
      SoftmaxKernels.forward(x, y, outer, size, inner, log, float32LogSum);
      float[] rows = new float[x.length];
      for (int o = 0; o < outer; o++) {
        for (int k = 0; k < size; k++) {
          for (int s = 0; s < inner; s++) {
            rows[(o * inner + s) * size + k] = x[(o * size + k) * inner + s];
          }
        }
      }
      float[] yRows = new float[x.length];
      SoftmaxKernels.forward(rows, yRows, outer * inner, size, 1, log, float32LogSum);
      for (int o = 0; o < outer; o++) {
        for (int k = 0; k < size; k++) {
          for (int s = 0; s < inner; s++) {
            assertEquals(yRows[(o * inner + s) * size + k], y[(o * size + k) * inner + s], 0.0f);
          }
        }
      }
    }
  }
}
