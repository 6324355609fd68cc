package dev.loss4j.kernel;

/**
 * The loops of softmax and log_softmax along one axis, forward and backward, one set per precision,
 * for {@code dev.loss4j.ops.Softmax} and the losses built on a log-softmax.
 *
 * <p>A tensor is seen as (outer, size, inner) around the softmax axis of length {@code size}. With
 * {@code m = max_k x_k}: softmax {@code y_k = exp(x_k - m) / sum_j exp(x_j - m)}, log_softmax
 * {@code y_k = x_k - m - log sum_j exp(x_j - m)}; a NaN anywhere along the axis makes the slice NaN, an
 * all -inf slice is NaN, as in PyTorch. When inner &gt; 1, positions are processed in chunks of
 * neighbours so every sweep along the axis reads contiguous memory. Outer slices go through
 * {@link Parallel#sumRows}, so results do not depend on the thread count.
 */
public final class SoftmaxKernels {
  private SoftmaxKernels() {}

  /** Elements of exponential scratch a chunk may hold (32 KiB of doubles, inside a core's L1). */
  private static final int CHUNK_ELEMENTS = 4096;

  /** How many neighbouring positions of the inner axis one chunk covers for an axis of {@code size}. */
  static int chunkWidth(int size, int inner) {
    return Math.max(1, Math.min(inner, CHUNK_ELEMENTS / Math.max(1, size)));
  }

  /**
   * softmax ({@code log == false}) or log_softmax of {@code x} seen as (outer, size, inner), along the
   * middle axis, into {@code y}: each {@code exp(x - max)} is computed once, in double, and every output
   * rounded once to the array's precision.
   */
  public static void forward(float[] x, float[] y, int outer, int size, int inner, boolean log) {
    if (inner == 1) {
      Parallel.sumRows(outer, size, (from, to) -> {
        double[] e = log ? null : new double[size];
        for (int n = from; n < to; n++) {
          int o = n * size;
          double max = Double.NEGATIVE_INFINITY;
          for (int k = 0; k < size; k++) {
            max = Math.max(max, x[o + k]);
          }
          double sum = 0;
          if (log) {
            for (int k = 0; k < size; k++) {
              sum += Math.exp(x[o + k] - max);
            }
            double logSum = Math.log(sum);
            for (int k = 0; k < size; k++) {
              y[o + k] = (float) (x[o + k] - max - logSum);
            }
          } else {
            for (int k = 0; k < size; k++) {
              double v = Math.exp(x[o + k] - max);
              e[k] = v;
              sum += v;
            }
            double inv = 1 / sum;
            for (int k = 0; k < size; k++) {
              y[o + k] = (float) (e[k] * inv);
            }
          }
        }
        return 0;
      });
      return;
    }
    Parallel.sumRows(outer, size * inner, (from, to) -> {
      int width = chunkWidth(size, inner);
      double[] e = new double[size * width];
      double[] max = new double[width];
      double[] sum = new double[width];
      for (int n = from; n < to; n++) {
        for (int s0 = 0; s0 < inner; s0 += width) {
          int w = Math.min(width, inner - s0);
          int base = n * size * inner + s0;
          java.util.Arrays.fill(max, 0, w, Double.NEGATIVE_INFINITY);
          java.util.Arrays.fill(sum, 0, w, 0.0);
          for (int k = 0; k < size; k++) {
            int row = base + k * inner;
            for (int s = 0; s < w; s++) {
              max[s] = Math.max(max[s], x[row + s]);
            }
          }
          for (int k = 0; k < size; k++) {
            int row = base + k * inner;
            int er = k * w;
            for (int s = 0; s < w; s++) {
              double v = Math.exp(x[row + s] - max[s]);
              e[er + s] = v;
              sum[s] += v;
            }
          }
          if (log) {
            for (int s = 0; s < w; s++) {
              sum[s] = Math.log(sum[s]);
            }
            for (int k = 0; k < size; k++) {
              int row = base + k * inner;
              for (int s = 0; s < w; s++) {
                y[row + s] = (float) (x[row + s] - max[s] - sum[s]);
              }
            }
          } else {
            for (int s = 0; s < w; s++) {
              sum[s] = 1 / sum[s];
            }
            for (int k = 0; k < size; k++) {
              int row = base + k * inner;
              int er = k * w;
              for (int s = 0; s < w; s++) {
                y[row + s] = (float) (e[er + s] * sum[s]);
              }
            }
          }
        }
      }
      return 0;
    });
  }

  /**
   * The input gradient of {@link #forward(float[], float[], int, int, int, boolean)} for the output
   * gradient {@code g}, from its output {@code y}, into {@code dx}: softmax {@code y (g - sum(g y))},
   * log_softmax {@code g - exp(y) sum(g)}, sums along the softmax axis in double.
   */
  public static void backward(float[] g, float[] y, float[] dx, int outer, int size, int inner, boolean log) {
    if (inner == 1) {
      Parallel.sumRows(outer, size, (from, to) -> {
        for (int n = from; n < to; n++) {
          int o = n * size;
          double acc = 0;
          if (log) {
            for (int k = 0; k < size; k++) {
              acc += g[o + k];
            }
            for (int k = 0; k < size; k++) {
              dx[o + k] = (float) (g[o + k] - Math.exp(y[o + k]) * acc);
            }
          } else {
            for (int k = 0; k < size; k++) {
              acc += (double) g[o + k] * y[o + k];
            }
            for (int k = 0; k < size; k++) {
              dx[o + k] = (float) (y[o + k] * (g[o + k] - acc));
            }
          }
        }
        return 0;
      });
      return;
    }
    Parallel.sumRows(outer, size * inner, (from, to) -> {
      double[] acc = new double[inner];
      for (int n = from; n < to; n++) {
        int base = n * size * inner;
        java.util.Arrays.fill(acc, 0.0);
        for (int k = 0; k < size; k++) {
          int row = base + k * inner;
          if (log) {
            for (int s = 0; s < inner; s++) {
              acc[s] += g[row + s];
            }
          } else {
            for (int s = 0; s < inner; s++) {
              acc[s] += (double) g[row + s] * y[row + s];
            }
          }
        }
        for (int k = 0; k < size; k++) {
          int row = base + k * inner;
          if (log) {
            for (int s = 0; s < inner; s++) {
              dx[row + s] = (float) (g[row + s] - Math.exp(y[row + s]) * acc[s]);
            }
          } else {
            for (int s = 0; s < inner; s++) {
              dx[row + s] = (float) (y[row + s] * (g[row + s] - acc[s]));
            }
          }
        }
      }
      return 0;
    });
  }

  /**
   * softmax ({@code log == false}) or log_softmax of {@code x} seen as (outer, size, inner), along the
   * middle axis, into {@code y}: each {@code exp(x - max)} is computed once, in double, and every output
   * rounded once to the array's precision.
   */
  public static void forward(double[] x, double[] y, int outer, int size, int inner, boolean log) {
    if (inner == 1) {
      Parallel.sumRows(outer, size, (from, to) -> {
        double[] e = log ? null : new double[size];
        for (int n = from; n < to; n++) {
          int o = n * size;
          double max = Double.NEGATIVE_INFINITY;
          for (int k = 0; k < size; k++) {
            max = Math.max(max, x[o + k]);
          }
          double sum = 0;
          if (log) {
            for (int k = 0; k < size; k++) {
              sum += Math.exp(x[o + k] - max);
            }
            double logSum = Math.log(sum);
            for (int k = 0; k < size; k++) {
              y[o + k] = (x[o + k] - max - logSum);
            }
          } else {
            for (int k = 0; k < size; k++) {
              double v = Math.exp(x[o + k] - max);
              e[k] = v;
              sum += v;
            }
            double inv = 1 / sum;
            for (int k = 0; k < size; k++) {
              y[o + k] = (e[k] * inv);
            }
          }
        }
        return 0;
      });
      return;
    }
    Parallel.sumRows(outer, size * inner, (from, to) -> {
      int width = chunkWidth(size, inner);
      double[] e = new double[size * width];
      double[] max = new double[width];
      double[] sum = new double[width];
      for (int n = from; n < to; n++) {
        for (int s0 = 0; s0 < inner; s0 += width) {
          int w = Math.min(width, inner - s0);
          int base = n * size * inner + s0;
          java.util.Arrays.fill(max, 0, w, Double.NEGATIVE_INFINITY);
          java.util.Arrays.fill(sum, 0, w, 0.0);
          for (int k = 0; k < size; k++) {
            int row = base + k * inner;
            for (int s = 0; s < w; s++) {
              max[s] = Math.max(max[s], x[row + s]);
            }
          }
          for (int k = 0; k < size; k++) {
            int row = base + k * inner;
            int er = k * w;
            for (int s = 0; s < w; s++) {
              double v = Math.exp(x[row + s] - max[s]);
              e[er + s] = v;
              sum[s] += v;
            }
          }
          if (log) {
            for (int s = 0; s < w; s++) {
              sum[s] = Math.log(sum[s]);
            }
            for (int k = 0; k < size; k++) {
              int row = base + k * inner;
              for (int s = 0; s < w; s++) {
                y[row + s] = (x[row + s] - max[s] - sum[s]);
              }
            }
          } else {
            for (int s = 0; s < w; s++) {
              sum[s] = 1 / sum[s];
            }
            for (int k = 0; k < size; k++) {
              int row = base + k * inner;
              int er = k * w;
              for (int s = 0; s < w; s++) {
                y[row + s] = (e[er + s] * sum[s]);
              }
            }
          }
        }
      }
      return 0;
    });
  }

  /**
   * The input gradient of {@link #forward(double[], double[], int, int, int, boolean)} for the output
   * gradient {@code g}, from its output {@code y}, into {@code dx}: softmax {@code y (g - sum(g y))},
   * log_softmax {@code g - exp(y) sum(g)}, sums along the softmax axis in double.
   */
  public static void backward(double[] g, double[] y, double[] dx, int outer, int size, int inner, boolean log) {
    if (inner == 1) {
      Parallel.sumRows(outer, size, (from, to) -> {
        for (int n = from; n < to; n++) {
          int o = n * size;
          double acc = 0;
          if (log) {
            for (int k = 0; k < size; k++) {
              acc += g[o + k];
            }
            for (int k = 0; k < size; k++) {
              dx[o + k] = (g[o + k] - Math.exp(y[o + k]) * acc);
            }
          } else {
            for (int k = 0; k < size; k++) {
              acc += (double) g[o + k] * y[o + k];
            }
            for (int k = 0; k < size; k++) {
              dx[o + k] = (y[o + k] * (g[o + k] - acc));
            }
          }
        }
        return 0;
      });
      return;
    }
    Parallel.sumRows(outer, size * inner, (from, to) -> {
      double[] acc = new double[inner];
      for (int n = from; n < to; n++) {
        int base = n * size * inner;
        java.util.Arrays.fill(acc, 0.0);
        for (int k = 0; k < size; k++) {
          int row = base + k * inner;
          if (log) {
            for (int s = 0; s < inner; s++) {
              acc[s] += g[row + s];
            }
          } else {
            for (int s = 0; s < inner; s++) {
              acc[s] += (double) g[row + s] * y[row + s];
            }
          }
        }
        for (int k = 0; k < size; k++) {
          int row = base + k * inner;
          if (log) {
            for (int s = 0; s < inner; s++) {
              dx[row + s] = (g[row + s] - Math.exp(y[row + s]) * acc[s]);
            }
          } else {
            for (int s = 0; s < inner; s++) {
              dx[row + s] = (y[row + s] * (g[row + s] - acc[s]));
            }
          }
        }
      }
      return 0;
    });
  }
}
