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
 * <p>Exponentials and logarithms: on contiguous rows the exponential of a shifted logit, {@code x - max <= 0},
 * is {@link #expShifted} (SimdMath32's float32 exp or SimdMath's float64 exp, the same bits, scaled by 2^n in
 * one multiplication and 0 below 1e-38 / 3e-308); float32 in float lanes as PyTorch's float32 kernel, {@code
 * exp(x - max)} with the difference in float32, the sums in double. The losses' float32 log-softmax without the
 * float32 log-sum ({@link #forward(float[], float[], int, int, int, boolean, boolean)}) takes {@link
 * SimdMath#exp32} (float32 accuracy, in double: its log-sum is an error on every output); the (outer, size,
 * inner &gt; 1) loops take SimdMath32's and SimdMath's general exps. A float32 softmax row's backward is in float
 * lanes too, its double dot subtracted as two floats.
 *
 * <p>Contiguous rows (inner == 1) run as few passes as the arithmetic allows, each with a Vector API form and
 * a scalar form that give the same bits ({@link #simd}): forward, the maximum (found in the loop over the row
 * before), then one loop that computes and sums the exponentials (softmax stores them in the output row, then
 * scales it in place; log_softmax keeps only the sum, then writes {@code x - max - log sum}); backward, the row's
 * sum (of g, or of g y), then one loop that writes dx (log_softmax computing {@code exp(y)} in it).
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
        if (exactLog) {
          double[] ed = new double[size];
          for (int n = from; n < to; n++) {
            int o = n * size;
            double max = rowMax(x, o, size);
            rowShift(x, y, o, size, max, SimdMath.log(rowExpSum(x, o, size, max, ed)));
          }
          return 0;
        }
        if (from >= to) {
          return 0;
        }
        // each row's maximum comes from the loop over the row before (see expRow)
        float[] next = {(float) rowMax(x, from * size, size)};
        for (int n = from; n < to; n++) {
          int o = n * size;
          float m = next[0];
          int on = n + 1 < to ? o + size : o;
          if (log) {
            rowShift(x, y, o, size, m, (float) SimdMath.log(expRow(x, o, size, m, null, on, next)));
          } else {
            rowScale(y, o, size, (float) (1 / expRow(x, o, size, m, y, on, next)));
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
        for (int n = from; n < to; n++) {
          int o = n * size;
          if (log) {
            rowLogBackward(g, y, dx, o, size, SimdMath32.sum(g, o, size, simd));
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
        for (int n = from; n < to; n++) {
          int o = n * size;
          double max = rowMax(x, o, size);
          if (log) {
            rowShift(x, y, o, size, max, SimdMath.log(expRow(x, o, size, max, null)));
          } else {
            rowScale(y, o, size, 1 / expRow(x, o, size, max, y));
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
        for (int n = from; n < to; n++) {
          int o = n * size;
          if (log) {
            rowLogBackward(g, y, dx, o, size, rowSum(g, null, o, size));
          } else {
            rowBackward(g, y, dx, o, size, rowSum(g, y, o, size));
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

  /**
   * The sum of {@code g[o + k]} over k in {@code [0, n)}, or of the products {@code g[o + k] y[o + k]} (each
   * rounded) when y is not null, in the order {@link SimdMath#PARTIALS} describes: the same bits as
   * {@link #rowSum(double[], int)} over a copy of those terms.
   */
  static double rowSum(double[] g, double[] y, int o, int n) {
    int full = n - n % SimdMath.PARTIALS;
    double total = simd ? Simd.rowSum(g, y, o, full) : 0;
    if (!simd) {
      for (int j = 0; j < SimdMath.PARTIALS; j++) {
        double p = 0;
        for (int k = j; k < full; k += SimdMath.PARTIALS) {
          p += y == null ? g[o + k] : g[o + k] * y[o + k];
        }
        total += p;
      }
    }
    for (int k = full; k < n; k++) {
      total += y == null ? g[o + k] : g[o + k] * y[o + k];
    }
    return total;
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

  /** {@code y[o + k] *= inv} in float32: a float32 softmax row from its exponentials, in place. */
  static void rowScale(float[] y, int o, int n, float inv) {
    int k = simd ? Simd.rowScale(y, o, n, inv) : 0;
    for (; k < n; k++) {
      y[o + k] = y[o + k] * inv;
    }
  }

  static void rowScale(double[] y, int o, int n, double inv) {
    int k = simd ? Simd.rowScale(y, o, n, inv) : 0;
    for (; k < n; k++) {
      y[o + k] = y[o + k] * inv;
    }
  }

  // ---- the exponential of a shifted row, x - max <= 0 -------------------------------------------------------

  /**
   * Below this a float32 {@code exp(d)} of a shifted logit is taken as 0. From here up {@code 2^n} (n the nearest
   * integer to {@code d / ln2}, at least -126) is a normal float32, so one multiplication scales the result and
   * it is the same bits as {@link SimdMath32#exp(float)}, which applies {@code 2^n} as two factors so as to reach
   * the subnormals: {@code p 2^n1} is exact, and both round the same exact product once. The values this drops
   * are below 1e-38: nothing beside the row's largest term, {@code exp(0) = 1}, in a sum, and far inside the
   * absolute tolerance as a softmax output.
   */
  static final float EXP_FLUSH_32 = -87.5f;

  /** The float64 counterpart of {@link #EXP_FLUSH_32}: from here up {@code 2^n} is a normal double ({@code n >= -1022}). */
  static final double EXP_FLUSH_64 = -708.0;

  /**
   * e^d in float32 for {@code d <= 0} (or NaN): {@link SimdMath32#exp(float)}'s bits from {@link #EXP_FLUSH_32}
   * up, 0 below it (and at -inf), NaN for NaN; the scalar twin of the lanes in {@link Simd}. For d &gt; 0 it is
   * exp(d) too, up to 88 (no overflow check: a shifted logit is never positive).
   */
  static float expShifted(float d) {
    if (d < EXP_FLUSH_32) {
      return 0f;
    }
    float kd = Math.fma(d, SimdMath32.LOG2E, SimdMath32.SHIFT);
    float n = kd - SimdMath32.SHIFT;
    float r = Math.fma(n, -SimdMath32.LN2_HI, d);
    r = Math.fma(n, -SimdMath32.LN2_LO, r);
    float q = Math.fma(SimdMath32.E7, r, SimdMath32.E6);
    q = Math.fma(q, r, SimdMath32.E5);
    q = Math.fma(q, r, SimdMath32.E4);
    q = Math.fma(q, r, SimdMath32.E3);
    q = Math.fma(q, r, SimdMath32.E2);
    float p = Math.fma(q, r * r, r) + 1f;
    // kd holds n in its low bits above 1.5 * 2^23, whose own bits vanish when shifted left by 23
    return p * Float.intBitsToFloat((Float.floatToRawIntBits(kd) << 23) + (127 << 23));
  }

  /** e^d in float64 for {@code d <= 0} (or NaN): {@link SimdMath#exp(double)}'s bits from {@link #EXP_FLUSH_64} up, 0 below. */
  static double expShifted(double d) {
    if (d < EXP_FLUSH_64) {
      return 0.0;
    }
    double kd = Math.fma(d, SimdMath.LOG2E, SimdMath.SHIFT);
    double n = kd - SimdMath.SHIFT;
    double r = Math.fma(n, -SimdMath.LN2_HI, d);
    r = Math.fma(n, -SimdMath.LN2_LO, r);
    double r2 = r * r;
    double q = Math.fma(Math.fma(SimdMath.E13, r, SimdMath.E12), r2, Math.fma(SimdMath.E11, r, SimdMath.E10));
    q = Math.fma(q, r2, Math.fma(SimdMath.E9, r, SimdMath.E8));
    q = Math.fma(q, r2, Math.fma(SimdMath.E7, r, SimdMath.E6));
    q = Math.fma(q, r2, Math.fma(SimdMath.E5, r, SimdMath.E4));
    q = Math.fma(q, r2, Math.fma(SimdMath.E3, r, SimdMath.E2));
    double p = Math.fma(q, r2, r) + 1.0;
    return p * Double.longBitsToDouble((Double.doubleToRawLongBits(kd) << 52) + SimdMath.ONE_BITS);
  }

  /**
   * {@code e_k = exp(x[o + k] - shift)} over a float32 row (the difference in float32, {@link #expShifted(float)}),
   * stored in {@code y[o + k]} unless y is null; returns their sum in double, added in {@link SimdMath32#sum}'s
   * order (the same bits as {@link SimdMath32#expSum} of the row). The same loop finds the maximum of the row of n
   * at {@code on} (the next one, or this one again for the last row of a block) into {@code nextMax[0]}: its
   * loads from memory then overlap this row's arithmetic, rather than wait in a pass of their own.
   */
  static double expRow(float[] x, int o, int n, float shift, float[] y, int on, float[] nextMax) {
    int full = SimdMath32.vectorEnd(n, simd);
    double lanes = 0;
    float mx = Float.NEGATIVE_INFINITY;
    if (simd) {
      lanes = y == null ? Simd.expSum(x, o, full, shift, on, nextMax) : Simd.expStore(x, o, full, shift, y, on, nextMax);
      mx = nextMax[0];
    } else {
      double lo = 0;
      double hi = 0;
      int lanesF = SimdMath32.LANES;
      int partials = n - n % lanesF;
      for (int j = 0; j < lanesF; j++) {
        double p = 0;
        for (int k = j; k < partials; k += lanesF) {
          float e = expShifted(x[o + k] - shift);
          if (y != null) {
            y[o + k] = e;
          }
          p += e;
        }
        if (j < lanesF / 2) {
          lo += p;
        } else {
          hi += p;
        }
      }
      lanes = lo + hi;
      full = partials;
      for (int k = 0; k < full; k++) {
        mx = Math.max(mx, x[on + k]);
      }
    }
    for (int k = full; k < n; k++) {
      float e = expShifted(x[o + k] - shift);
      if (y != null) {
        y[o + k] = e;
      }
      lanes += e;
      mx = Math.max(mx, x[on + k]);
    }
    nextMax[0] = mx;
    return lanes;
  }

  /**
   * {@code e_k = exp(x[o + k] - shift)} over a float64 row ({@link #expShifted(double)}), stored in {@code y[o + k]}
   * unless y is null; returns their sum in {@link SimdMath#PARTIALS}' order (the same bits as
   * {@link SimdMath#expSum} of the row).
   */
  static double expRow(double[] x, int o, int n, double shift, double[] y) {
    int full = n - n % SimdMath.PARTIALS;
    double total = 0;
    if (simd) {
      total = y == null ? Simd.expSum(x, o, full, shift) : Simd.expStore(x, o, full, shift, y);
    } else {
      for (int j = 0; j < SimdMath.PARTIALS; j++) {
        double p = 0;
        for (int k = j; k < full; k += SimdMath.PARTIALS) {
          double e = expShifted(x[o + k] - shift);
          if (y != null) {
            y[o + k] = e;
          }
          p += e;
        }
        total += p;
      }
    }
    for (int k = full; k < n; k++) {
      double e = expShifted(x[o + k] - shift);
      if (y != null) {
        y[o + k] = e;
      }
      total += e;
    }
    return total;
  }

  /**
   * {@code dx = g - exp(y) sumG}: a float32 log_softmax row's input gradient, in float32, the exponential
   * {@link #expShifted(float)} (a log-probability is never positive) computed in the same loop.
   */
  static void rowLogBackward(float[] g, float[] y, float[] dx, int o, int n, double sumG) {
    float s = (float) sumG;
    int k = simd ? Simd.rowLogBackward(g, y, dx, o, n, s) : 0;
    for (; k < n; k++) {
      dx[o + k] = g[o + k] - expShifted(y[o + k]) * s;
    }
  }

  static void rowLogBackward(double[] g, double[] y, double[] dx, int o, int n, double sumG) {
    int k = simd ? Simd.rowLogBackward(g, y, dx, o, n, sumG) : 0;
    for (; k < n; k++) {
      dx[o + k] = g[o + k] - expShifted(y[o + k]) * sumG;
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
      if (k < n && k > 0) {
        // The tail as one vector ending at n (a maximum does not mind elements seen twice).
        a1 = a1.max(FloatVector.fromArray(FS, x, o + n - FL));
        k = n;
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

    /** rowSum of g, or of the products g y, over {@code [o, o + full)}, full a multiple of L. */
    static double rowSum(double[] g, double[] y, int o, int full) {
      DoubleVector acc = DoubleVector.zero(D);
      if (y == null) {
        for (int k = 0; k < full; k += L) {
          acc = acc.add(DoubleVector.fromArray(D, g, o + k));
        }
      } else {
        for (int k = 0; k < full; k += L) {
          acc = acc.add(DoubleVector.fromArray(D, g, o + k).mul(DoubleVector.fromArray(D, y, o + k)));
        }
      }
      return SimdSpecies.sumLanes(acc);
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

    static int rowScale(float[] y, int o, int n, float inv) {
      int k = 0;
      for (; k <= n - FL; k += FL) {
        FloatVector.fromArray(FS, y, o + k).mul(inv).intoArray(y, o + k);
      }
      return k;
    }

    static int rowScale(double[] y, int o, int n, double inv) {
      int k = 0;
      for (; k <= n - L; k += L) {
        DoubleVector.fromArray(D, y, o + k).mul(inv).intoArray(y, o + k);
      }
      return k;
    }

    // expShifted's lanes. Its body is written out in each loop (see the class comment).

    private static final FloatVector F_NEG_LN2_HI = FloatVector.broadcast(FS, -SimdMath32.LN2_HI);
    private static final FloatVector F_NEG_LN2_LO = FloatVector.broadcast(FS, -SimdMath32.LN2_LO);
    private static final FloatVector F_E7 = FloatVector.broadcast(FS, SimdMath32.E7);
    private static final FloatVector F_E6 = FloatVector.broadcast(FS, SimdMath32.E6);
    private static final FloatVector F_E5 = FloatVector.broadcast(FS, SimdMath32.E5);
    private static final FloatVector F_E4 = FloatVector.broadcast(FS, SimdMath32.E4);
    private static final FloatVector F_E3 = FloatVector.broadcast(FS, SimdMath32.E3);
    private static final FloatVector F_E2 = FloatVector.broadcast(FS, SimdMath32.E2);
    private static final int F_ONE_EXP = 127 << 23;

    /**
     * The sum of {@code expShifted(x - shift)} over {@code [o, o + full)}, full a multiple of FL, as
     * SimdMath32.sum; the maximum of {@code x[on, on + full)} into {@code nextMax[0]}.
     */
    static double expSum(float[] x, int o, int full, float shift, int on, float[] nextMax) {
      DoubleVector acc0 = DoubleVector.zero(D);
      DoubleVector acc1 = DoubleVector.zero(D);
      FloatVector mx = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY);
      for (int k = 0; k < full; k += FL) {
        FloatVector d = FloatVector.fromArray(FS, x, o + k).sub(shift);
        FloatVector kd = d.fma(SimdMath32.LOG2E, SimdMath32.SHIFT);
        FloatVector n = kd.sub(SimdMath32.SHIFT);
        FloatVector r = n.fma(F_NEG_LN2_HI, d);
        r = n.fma(F_NEG_LN2_LO, r);
        FloatVector q = F_E7.fma(r, F_E6).fma(r, F_E5).fma(r, F_E4).fma(r, F_E3).fma(r, F_E2);
        FloatVector p = q.fma(r.mul(r), r).add(1f);
        FloatVector scale = kd.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).add(F_ONE_EXP)
            .reinterpretAsFloats();
        FloatVector e = p.mul(scale).blend(0f, d.compare(VectorOperators.LT, EXP_FLUSH_32));
        acc0 = acc0.add(e.convertShape(VectorOperators.F2D, D, 0));
        acc1 = acc1.add(e.convertShape(VectorOperators.F2D, D, 1));
        mx = mx.max(FloatVector.fromArray(FS, x, on + k));
      }
      nextMax[0] = mx.reduceLanes(VectorOperators.MAX);
      return SimdSpecies.sumLanes(acc0) + SimdSpecies.sumLanes(acc1);
    }

    /** As {@link #expSum(float[], int, int, float, int, float[])}, storing each exponential in {@code y[o + k]}. */
    static double expStore(float[] x, int o, int full, float shift, float[] y, int on, float[] nextMax) {
      DoubleVector acc0 = DoubleVector.zero(D);
      DoubleVector acc1 = DoubleVector.zero(D);
      FloatVector mx = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY);
      for (int k = 0; k < full; k += FL) {
        FloatVector d = FloatVector.fromArray(FS, x, o + k).sub(shift);
        FloatVector kd = d.fma(SimdMath32.LOG2E, SimdMath32.SHIFT);
        FloatVector n = kd.sub(SimdMath32.SHIFT);
        FloatVector r = n.fma(F_NEG_LN2_HI, d);
        r = n.fma(F_NEG_LN2_LO, r);
        FloatVector q = F_E7.fma(r, F_E6).fma(r, F_E5).fma(r, F_E4).fma(r, F_E3).fma(r, F_E2);
        FloatVector p = q.fma(r.mul(r), r).add(1f);
        FloatVector scale = kd.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).add(F_ONE_EXP)
            .reinterpretAsFloats();
        FloatVector e = p.mul(scale).blend(0f, d.compare(VectorOperators.LT, EXP_FLUSH_32));
        e.intoArray(y, o + k);
        acc0 = acc0.add(e.convertShape(VectorOperators.F2D, D, 0));
        acc1 = acc1.add(e.convertShape(VectorOperators.F2D, D, 1));
        mx = mx.max(FloatVector.fromArray(FS, x, on + k));
      }
      nextMax[0] = mx.reduceLanes(VectorOperators.MAX);
      return SimdSpecies.sumLanes(acc0) + SimdSpecies.sumLanes(acc1);
    }

    /** {@code dx = g - expShifted(y) s} in float lanes; returns where it stopped. */
    static int rowLogBackward(float[] g, float[] y, float[] dx, int o, int n, float s) {
      int k = 0;
      for (; k <= n - FL; k += FL) {
        FloatVector d = FloatVector.fromArray(FS, y, o + k);
        FloatVector kd = d.fma(SimdMath32.LOG2E, SimdMath32.SHIFT);
        FloatVector nn = kd.sub(SimdMath32.SHIFT);
        FloatVector r = nn.fma(F_NEG_LN2_HI, d);
        r = nn.fma(F_NEG_LN2_LO, r);
        FloatVector q = F_E7.fma(r, F_E6).fma(r, F_E5).fma(r, F_E4).fma(r, F_E3).fma(r, F_E2);
        FloatVector p = q.fma(r.mul(r), r).add(1f);
        FloatVector scale = kd.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).add(F_ONE_EXP)
            .reinterpretAsFloats();
        FloatVector e = p.mul(scale).blend(0f, d.compare(VectorOperators.LT, EXP_FLUSH_32));
        FloatVector.fromArray(FS, g, o + k).sub(e.mul(s)).intoArray(dx, o + k);
      }
      return k;
    }

    private static final DoubleVector D_LOG2E = DoubleVector.broadcast(D, SimdMath.LOG2E);
    private static final DoubleVector D_SHIFT = DoubleVector.broadcast(D, SimdMath.SHIFT);
    private static final DoubleVector D_NEG_LN2_HI = DoubleVector.broadcast(D, -SimdMath.LN2_HI);
    private static final DoubleVector D_NEG_LN2_LO = DoubleVector.broadcast(D, -SimdMath.LN2_LO);
    private static final DoubleVector D_E13 = DoubleVector.broadcast(D, SimdMath.E13);
    private static final DoubleVector D_E12 = DoubleVector.broadcast(D, SimdMath.E12);
    private static final DoubleVector D_E11 = DoubleVector.broadcast(D, SimdMath.E11);
    private static final DoubleVector D_E10 = DoubleVector.broadcast(D, SimdMath.E10);
    private static final DoubleVector D_E9 = DoubleVector.broadcast(D, SimdMath.E9);
    private static final DoubleVector D_E8 = DoubleVector.broadcast(D, SimdMath.E8);
    private static final DoubleVector D_E7 = DoubleVector.broadcast(D, SimdMath.E7);
    private static final DoubleVector D_E6 = DoubleVector.broadcast(D, SimdMath.E6);
    private static final DoubleVector D_E5 = DoubleVector.broadcast(D, SimdMath.E5);
    private static final DoubleVector D_E4 = DoubleVector.broadcast(D, SimdMath.E4);
    private static final DoubleVector D_E3 = DoubleVector.broadcast(D, SimdMath.E3);
    private static final DoubleVector D_E2 = DoubleVector.broadcast(D, SimdMath.E2);

    /** The sum of {@code expShifted(x - shift)} over {@code [o, o + full)}, full a multiple of L. */
    static double expSum(double[] x, int o, int full, double shift) {
      DoubleVector acc = DoubleVector.zero(D);
      for (int k = 0; k < full; k += L) {
        DoubleVector d = DoubleVector.fromArray(D, x, o + k).sub(shift);
        DoubleVector kd = d.fma(D_LOG2E, D_SHIFT);
        DoubleVector n = kd.sub(D_SHIFT);
        DoubleVector r = n.fma(D_NEG_LN2_HI, d);
        r = n.fma(D_NEG_LN2_LO, r);
        DoubleVector r2 = r.mul(r);
        DoubleVector q = D_E13.fma(r, D_E12).fma(r2, D_E11.fma(r, D_E10));
        q = q.fma(r2, D_E9.fma(r, D_E8));
        q = q.fma(r2, D_E7.fma(r, D_E6));
        q = q.fma(r2, D_E5.fma(r, D_E4));
        q = q.fma(r2, D_E3.fma(r, D_E2));
        DoubleVector p = q.fma(r2, r).add(1.0);
        DoubleVector scale = kd.reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52).add(SimdMath.ONE_BITS)
            .reinterpretAsDoubles();
        acc = acc.add(p.mul(scale).blend(0.0, d.compare(VectorOperators.LT, EXP_FLUSH_64)));
      }
      return SimdSpecies.sumLanes(acc);
    }

    /** As {@link #expSum(double[], int, int, double)}, storing each exponential in {@code y[o + k]}. */
    static double expStore(double[] x, int o, int full, double shift, double[] y) {
      DoubleVector acc = DoubleVector.zero(D);
      for (int k = 0; k < full; k += L) {
        DoubleVector d = DoubleVector.fromArray(D, x, o + k).sub(shift);
        DoubleVector kd = d.fma(D_LOG2E, D_SHIFT);
        DoubleVector n = kd.sub(D_SHIFT);
        DoubleVector r = n.fma(D_NEG_LN2_HI, d);
        r = n.fma(D_NEG_LN2_LO, r);
        DoubleVector r2 = r.mul(r);
        DoubleVector q = D_E13.fma(r, D_E12).fma(r2, D_E11.fma(r, D_E10));
        q = q.fma(r2, D_E9.fma(r, D_E8));
        q = q.fma(r2, D_E7.fma(r, D_E6));
        q = q.fma(r2, D_E5.fma(r, D_E4));
        q = q.fma(r2, D_E3.fma(r, D_E2));
        DoubleVector p = q.fma(r2, r).add(1.0);
        DoubleVector scale = kd.reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52).add(SimdMath.ONE_BITS)
            .reinterpretAsDoubles();
        DoubleVector e = p.mul(scale).blend(0.0, d.compare(VectorOperators.LT, EXP_FLUSH_64));
        e.intoArray(y, o + k);
        acc = acc.add(e);
      }
      return SimdSpecies.sumLanes(acc);
    }

    /** {@code dx = g - expShifted(y) sumG} in double lanes; returns where it stopped. */
    static int rowLogBackward(double[] g, double[] y, double[] dx, int o, int n, double sumG) {
      int k = 0;
      for (; k <= n - L; k += L) {
        DoubleVector d = DoubleVector.fromArray(D, y, o + k);
        DoubleVector kd = d.fma(D_LOG2E, D_SHIFT);
        DoubleVector nn = kd.sub(D_SHIFT);
        DoubleVector r = nn.fma(D_NEG_LN2_HI, d);
        r = nn.fma(D_NEG_LN2_LO, r);
        DoubleVector r2 = r.mul(r);
        DoubleVector q = D_E13.fma(r, D_E12).fma(r2, D_E11.fma(r, D_E10));
        q = q.fma(r2, D_E9.fma(r, D_E8));
        q = q.fma(r2, D_E7.fma(r, D_E6));
        q = q.fma(r2, D_E5.fma(r, D_E4));
        q = q.fma(r2, D_E3.fma(r, D_E2));
        DoubleVector p = q.fma(r2, r).add(1.0);
        DoubleVector scale = kd.reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52).add(SimdMath.ONE_BITS)
            .reinterpretAsDoubles();
        DoubleVector e = p.mul(scale).blend(0.0, d.compare(VectorOperators.LT, EXP_FLUSH_64));
        DoubleVector.fromArray(D, g, o + k).sub(e.mul(sumG)).intoArray(dx, o + k);
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
