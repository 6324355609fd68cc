package dev.loss4j.kernel;

import static dev.loss4j.kernel.SimdSpecies.D;
import static dev.loss4j.kernel.SimdSpecies.F;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

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
 *
 * <p>Exponentials and logarithms: float32 softmax and log_softmax's float32 backward take {@link SimdMath32}'s
 * float32 exp (in float lanes on contiguous rows; as PyTorch's float32 kernel, {@code exp(x - max)} with the
 * difference in float32), their sums in double; float32 log_softmax's forward {@link SimdMath#exp32} (float32
 * accuracy, in double: its log-sum is an error on every output) unless its caller asks for the float32 log-sum
 * ({@link #forward(float[], float[], int, int, int, boolean, boolean)}); float64 {@link SimdMath#exp}. A float32
 * softmax row's backward is in float lanes too, its double dot subtracted as two floats. Contiguous rows
 * (inner == 1) run as a few passes over a row-sized scratch, each with a Vector API form and a scalar form
 * that give the same bits ({@link #simd}).
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
    forward(x, y, outer, size, inner, log, false);
  }

  /**
   * As {@link #forward(float[], float[], int, int, int, boolean)}; with {@code float32LogSum} a log_softmax
   * computes as PyTorch's float32 kernel does, in float lanes: {@code (x - max) - log(sum)} in float32, the
   * exponentials {@link SimdMath32}'s float32 exp of {@code x - max} (their sum still added in double). Without
   * it, the exponentials are {@link SimdMath#exp32} in double and each output {@code x - max - log(sum)} is
   * rounded once from double: a float32 log-probability that a loss promotes to float64 must match PyTorch's
   * within 1e-7 ({@code cross_entropy} with probabilities and a float64 weight), which the float32 exponentials'
   * error, summed into the log-sum, does not keep. The op {@code log_softmax}, whose float32 output is compared
   * at float32 tolerance, can take the float lanes (about a third less time per row, measured on (1024, 1000)).
   * softmax is the same either way.
   */
  public static void forward(float[] x, float[] y, int outer, int size, int inner, boolean log,
      boolean float32LogSum) {
    boolean exactLog = log && !float32LogSum;
    if (inner == 1) {
      Parallel.sumRows(outer, size, (from, to) -> {
        double[] ed = exactLog ? new double[size] : null;
        float[] e = exactLog ? null : new float[size];
        for (int n = from; n < to; n++) {
          int o = n * size;
          double max = rowMax(x, o, size);
          if (exactLog) {
            rowShift(x, y, o, size, max, SimdMath.log(rowExpSum(x, o, size, max, ed)));
          } else if (log) {
            float m = (float) max;
            rowShift(x, y, o, size, m, (float) SimdMath.log(SimdMath32.expSum(x, o, e, size, m, simd)));
          } else {
            rowScale(e, y, o, size, (float) (1 / SimdMath32.expSum(x, o, e, size, (float) max, simd)));
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
              // as the contiguous rows: exact log_softmax's exponentials in double, the others' in float32
              double v = exactLog ? SimdMath.exp32(x[row + s] - max[s]) : SimdMath32.exp(x[row + s] - (float) max[s]);
              e[er + s] = v;
              sum[s] += v;
            }
          }
          if (log) {
            for (int s = 0; s < w; s++) {
              sum[s] = SimdMath.log(sum[s]);
            }
            for (int k = 0; k < size; k++) {
              int row = base + k * inner;
              for (int s = 0; s < w; s++) {
                y[row + s] = exactLog ? (float) (x[row + s] - max[s] - sum[s])
                    : (x[row + s] - (float) max[s]) - (float) sum[s];
              }
            }
          } else {
            for (int s = 0; s < w; s++) {
              sum[s] = (float) (1 / sum[s]);
            }
            for (int k = 0; k < size; k++) {
              int row = base + k * inner;
              int er = k * w;
              for (int s = 0; s < w; s++) {
                y[row + s] = (float) e[er + s] * (float) sum[s];
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
        float[] ef = log ? new float[size] : null;
        for (int n = from; n < to; n++) {
          int o = n * size;
          if (log) {
            rowLogBackward(g, y, dx, o, size, SimdMath32.sum(g, o, size, simd), ef);
          } else {
            rowBackward(g, y, dx, o, size, SimdMath32.dot(g, y, o, size, simd));
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
              dx[row + s] = g[row + s] - SimdMath32.exp(y[row + s]) * (float) acc[s];
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
        double[] e = new double[size];
        for (int n = from; n < to; n++) {
          int o = n * size;
          double max = rowMax(x, o, size);
          double sum = rowExpSum(x, o, size, max, e);
          if (log) {
            rowShift(x, y, o, size, max, SimdMath.log(sum));
          } else {
            rowScale(e, y, o, size, 1 / sum);
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
              double v = SimdMath.exp(x[row + s] - max[s]);
              e[er + s] = v;
              sum[s] += v;
            }
          }
          if (log) {
            for (int s = 0; s < w; s++) {
              sum[s] = SimdMath.log(sum[s]);
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
        double[] e = new double[size];
        for (int n = from; n < to; n++) {
          int o = n * size;
          if (log) {
            rowDiff(g, o, size, 0.0, e);
            rowLogBackward(g, y, dx, o, size, rowSum(e, size), e);
          } else {
            rowProduct(g, y, o, size, e);
            rowBackward(g, y, dx, o, size, rowSum(e, size));
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
              dx[row + s] = (g[row + s] - SimdMath.exp(y[row + s]) * acc[s]);
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

  // ---- one contiguous row: the pieces of the loops above and of the losses built on a log-softmax --------

  /**
   * Whether the row loops take their Vector API form; {@link Vectorization#ENABLED} unless a test turns it
   * off to compare the two forms on one JVM. Both forms give the same bits: each element goes through the
   * same {@link SimdMath} operations, and a row's sum is added as {@link SimdMath#PARTIALS} interleaved
   * partial sums (partial j takes elements j, j + PARTIALS, ...), then those in order, then the tail that
   * does not fill one more round, element by element.
   */
  static boolean simd = Vectorization.ENABLED;

  /** max of {@code x[o, o + n)} (-inf when empty; NaN when one is NaN). */
  static double rowMax(float[] x, int o, int n) {
    if (simd) {
      return Simd.rowMax(x, o, n);
    }
    double m = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < n; k++) {
      m = Math.max(m, x[o + k]);
    }
    return m;
  }

  static double rowMax(double[] x, int o, int n) {
    if (simd) {
      return Simd.rowMax(x, o, n);
    }
    double m = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < n; k++) {
      m = Math.max(m, x[o + k]);
    }
    return m;
  }

  /**
   * {@code e[k] = exp(x[o + k] - shift)} for k in {@code [0, n)}, returning their sum: {@link SimdMath#exp32}
   * for a float32 row, {@link SimdMath#exp} for a float64 one.
   */
  static double rowExpSum(float[] x, int o, int n, double shift, double[] e) {
    return SimdMath.exp32Sum(x, o, e, n, shift, simd);
  }

  static double rowExpSum(double[] x, int o, int n, double shift, double[] e) {
    return SimdMath.expSum(x, o, e, n, shift, simd);
  }

  /** {@code e[k] = x[o + k] - shift} in double. */
  static void rowDiff(float[] x, int o, int n, double shift, double[] e) {
    int k = simd ? Simd.rowDiff(x, o, n, shift, e) : 0;
    for (; k < n; k++) {
      e[k] = x[o + k] - shift;
    }
  }

  static void rowDiff(double[] x, int o, int n, double shift, double[] e) {
    int k = simd ? Simd.rowDiff(x, o, n, shift, e) : 0;
    for (; k < n; k++) {
      e[k] = x[o + k] - shift;
    }
  }

  /** The sum of {@code v[0, n)}, in the order {@link SimdMath#PARTIALS} describes. */
  static double rowSum(double[] v, int n) {
    return simd ? Simd.rowSum(v, n) : SimdMath.sum(v, n);
  }

  /** {@code e[k] = g[o + k] y[o + k]}. */
  static void rowProduct(double[] g, double[] y, int o, int n, double[] e) {
    int k = simd ? Simd.rowProduct(g, y, o, n, e) : 0;
    for (; k < n; k++) {
      e[k] = g[o + k] * y[o + k];
    }
  }

  /** {@code y[o + k] = (x[o + k] - max) - logSum}: a log_softmax row. */
  static void rowShift(float[] x, float[] y, int o, int n, double max, double logSum) {
    int k = simd ? Simd.rowShift(x, y, o, n, max, logSum) : 0;
    for (; k < n; k++) {
      y[o + k] = (float) (x[o + k] - max - logSum);
    }
  }

  /** {@code y[o + k] = (x[o + k] - max) - logSum} in float32: a log_softmax row as PyTorch's float32 kernel. */
  static void rowShift(float[] x, float[] y, int o, int n, float max, float logSum) {
    int k = simd ? Simd.rowShift(x, y, o, n, max, logSum) : 0;
    for (; k < n; k++) {
      y[o + k] = (x[o + k] - max) - logSum;
    }
  }

  static void rowShift(double[] x, double[] y, int o, int n, double max, double logSum) {
    int k = simd ? Simd.rowShift(x, y, o, n, max, logSum) : 0;
    for (; k < n; k++) {
      y[o + k] = x[o + k] - max - logSum;
    }
  }

  /** {@code y[o + k] = e[k] inv} in float32: a float32 softmax row from its exponentials. */
  static void rowScale(float[] e, float[] y, int o, int n, float inv) {
    int k = simd ? Simd.rowScale(e, y, o, n, inv) : 0;
    for (; k < n; k++) {
      y[o + k] = e[k] * inv;
    }
  }

  static void rowScale(double[] e, double[] y, int o, int n, double inv) {
    int k = simd ? Simd.rowScale(e, y, o, n, inv) : 0;
    for (; k < n; k++) {
      y[o + k] = e[k] * inv;
    }
  }

  /**
   * {@code dx = g - exp(y) sumG}: a float32 log_softmax row's input gradient, in float32 with {@link SimdMath32}'s
   * exp ({@code e} is scratch of n).
   */
  static void rowLogBackward(float[] g, float[] y, float[] dx, int o, int n, double sumG, float[] e) {
    SimdMath32.exp(y, o, e, n, false, simd);
    float s = (float) sumG;
    int k = simd ? Simd.rowLogBackward(g, e, dx, o, n, s) : 0;
    for (; k < n; k++) {
      dx[o + k] = g[o + k] - e[k] * s;
    }
  }

  static void rowLogBackward(double[] g, double[] y, double[] dx, int o, int n, double sumG, double[] e) {
    rowExpSum(y, o, n, 0.0, e);
    int k = simd ? Simd.rowLogBackward(g, e, dx, o, n, sumG) : 0;
    for (; k < n; k++) {
      dx[o + k] = g[o + k] - e[k] * sumG;
    }
  }

  /**
   * {@code dx = y (g - dot)}: a float32 softmax row's input gradient, in float lanes. The double dot is split
   * into {@code hi = (float) dot} and {@code lo = (float) (dot - hi)} and subtracted in two steps, so
   * {@code g - dot} keeps dot's bits below float32 where g and dot nearly cancel (their difference is exact
   * there, Sterbenz), within about an ulp of the double form; one rounding more for the product.
   */
  static void rowBackward(float[] g, float[] y, float[] dx, int o, int n, double dot) {
    float hi = (float) dot;
    float lo = (float) (dot - hi);
    int k = simd ? Simd.rowBackward(g, y, dx, o, n, hi, lo) : 0;
    for (; k < n; k++) {
      dx[o + k] = y[o + k] * ((g[o + k] - hi) - lo);
    }
  }

  static void rowBackward(double[] g, double[] y, double[] dx, int o, int n, double dot) {
    int k = simd ? Simd.rowBackward(g, y, dx, o, n, dot) : 0;
    for (; k < n; k++) {
      dx[o + k] = y[o + k] * (g[o + k] - dot);
    }
  }

  /**
   * The Vector API forms of the row loops. Loops that write return the index they stopped at, for the
   * scalar loop to finish the row; sums finish their tail here, element by element, after the lanes. Float32
   * loads and stores are written out in each loop rather than called through a helper that takes or returns a
   * vector: once such a helper has a compiled body of its own, C2 stops inlining it and boxes the vector on
   * every call (measured: softmax fwd+bwd allocating 21 MB a call instead of 9 after log_softmax had run).
   */
  private static final class Simd {
    private Simd() {}

    private static final int L = D.length();

    static int lanes() {
      return L;
    }

    /**
     * Four accumulators: one max waits on the one before (several instructions for NaN and -0). Full-width
     * float lanes: a maximum is the same whatever the order its elements are compared in.
     */
    static double rowMax(float[] x, int o, int n) {
      FloatVector a0 = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      int k = 0;
      for (; k <= n - 4 * FL; k += 4 * FL) {
        a0 = a0.max(FloatVector.fromArray(FS, x, o + k));
        a1 = a1.max(FloatVector.fromArray(FS, x, o + k + FL));
        a2 = a2.max(FloatVector.fromArray(FS, x, o + k + 2 * FL));
        a3 = a3.max(FloatVector.fromArray(FS, x, o + k + 3 * FL));
      }
      for (; k <= n - FL; k += FL) {
        a0 = a0.max(FloatVector.fromArray(FS, x, o + k));
      }
      double m = a0.max(a1).max(a2.max(a3)).reduceLanes(VectorOperators.MAX);
      for (; k < n; k++) {
        m = Math.max(m, x[o + k]);
      }
      return m;
    }

    static double rowMax(double[] x, int o, int n) {
      DoubleVector a0 = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
      DoubleVector a1 = a0;
      DoubleVector a2 = a0;
      DoubleVector a3 = a0;
      int k = 0;
      for (; k <= n - 4 * L; k += 4 * L) {
        a0 = a0.max(DoubleVector.fromArray(D, x, o + k));
        a1 = a1.max(DoubleVector.fromArray(D, x, o + k + L));
        a2 = a2.max(DoubleVector.fromArray(D, x, o + k + 2 * L));
        a3 = a3.max(DoubleVector.fromArray(D, x, o + k + 3 * L));
      }
      for (; k <= n - L; k += L) {
        a0 = a0.max(DoubleVector.fromArray(D, x, o + k));
      }
      double m = a0.max(a1).max(a2.max(a3)).reduceLanes(VectorOperators.MAX);
      for (; k < n; k++) {
        m = Math.max(m, x[o + k]);
      }
      return m;
    }

    static int rowDiff(float[] x, int o, int n, double shift, double[] e) {
      int k = 0;
      for (; k <= n - L; k += L) {
        DoubleVector v = (DoubleVector) FloatVector.fromArray(F, x, o + k).convertShape(VectorOperators.F2D, D, 0);
        v.sub(shift).intoArray(e, k);
      }
      return k;
    }

    static int rowDiff(double[] x, int o, int n, double shift, double[] e) {
      int k = 0;
      for (; k <= n - L; k += L) {
        DoubleVector.fromArray(D, x, o + k).sub(shift).intoArray(e, k);
      }
      return k;
    }

    static double rowSum(double[] v, int n) {
      DoubleVector acc = DoubleVector.zero(D);
      int k = 0;
      for (; k <= n - L; k += L) {
        acc = acc.add(DoubleVector.fromArray(D, v, k));
      }
      double total = SimdSpecies.sumLanes(acc);
      for (; k < n; k++) {
        total += v[k];
      }
      return total;
    }

    static int rowProduct(double[] g, double[] y, int o, int n, double[] e) {
      int k = 0;
      for (; k <= n - L; k += L) {
        DoubleVector.fromArray(D, g, o + k).mul(DoubleVector.fromArray(D, y, o + k)).intoArray(e, k);
      }
      return k;
    }

    static int rowShift(float[] x, float[] y, int o, int n, double max, double logSum) {
      int k = 0;
      for (; k <= n - L; k += L) {
        DoubleVector a = (DoubleVector) FloatVector.fromArray(F, x, o + k).convertShape(VectorOperators.F2D, D, 0);
        DoubleVector v = a.sub(max).sub(logSum);
        ((FloatVector) v.convertShape(VectorOperators.D2F, F, 0)).intoArray(y, o + k);
      }
      return k;
    }

    static int rowShift(double[] x, double[] y, int o, int n, double max, double logSum) {
      int k = 0;
      for (; k <= n - L; k += L) {
        DoubleVector.fromArray(D, x, o + k).sub(max).sub(logSum).intoArray(y, o + k);
      }
      return k;
    }

    private static final jdk.incubator.vector.VectorSpecies<Float> FS = SimdMath32.Lanes.F;
    private static final int FL = FS.length();

    static int rowShift(float[] x, float[] y, int o, int n, float max, float logSum) {
      int k = 0;
      for (; k <= n - FL; k += FL) {
        FloatVector.fromArray(FS, x, o + k).sub(max).sub(logSum).intoArray(y, o + k);
      }
      return k;
    }

    static int rowScale(float[] e, float[] y, int o, int n, float inv) {
      int k = 0;
      for (; k <= n - FL; k += FL) {
        FloatVector.fromArray(FS, e, k).mul(inv).intoArray(y, o + k);
      }
      return k;
    }

    static int rowLogBackward(float[] g, float[] e, float[] dx, int o, int n, float sumG) {
      int k = 0;
      for (; k <= n - FL; k += FL) {
        FloatVector.fromArray(FS, g, o + k).sub(FloatVector.fromArray(FS, e, k).mul(sumG)).intoArray(dx, o + k);
      }
      return k;
    }

    static int rowScale(double[] e, double[] y, int o, int n, double inv) {
      int k = 0;
      for (; k <= n - L; k += L) {
        DoubleVector.fromArray(D, e, k).mul(inv).intoArray(y, o + k);
      }
      return k;
    }

    static int rowLogBackward(double[] g, double[] e, double[] dx, int o, int n, double sumG) {
      int k = 0;
      for (; k <= n - L; k += L) {
        DoubleVector.fromArray(D, g, o + k).sub(DoubleVector.fromArray(D, e, k).mul(sumG)).intoArray(dx, o + k);
      }
      return k;
    }

    static int rowBackward(float[] g, float[] y, float[] dx, int o, int n, float hi, float lo) {
      int k = 0;
      for (; k <= n - FL; k += FL) {
        FloatVector d = FloatVector.fromArray(FS, g, o + k).sub(hi).sub(lo);
        FloatVector.fromArray(FS, y, o + k).mul(d).intoArray(dx, o + k);
      }
      return k;
    }

    static int rowBackward(double[] g, double[] y, double[] dx, int o, int n, double dot) {
      int k = 0;
      for (; k <= n - L; k += L) {
        DoubleVector.fromArray(D, y, o + k).mul(DoubleVector.fromArray(D, g, o + k).sub(dot)).intoArray(dx, o + k);
      }
      return k;
    }
  }
}
