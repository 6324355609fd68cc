package dev.loss4j.kernel;

import static dev.loss4j.kernel.SimdSpecies.D;
import static dev.loss4j.kernel.SimdSpecies.F;
import static dev.loss4j.kernel.SimdSpecies.load;
import static dev.loss4j.kernel.SimdSpecies.store;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The loops of the classification losses (CrossEntropy with class indices, NLL, MultiMargin,
 * MultiLabelMargin) over contiguous arrays, one set per precision.
 *
 * <p>Inputs are seen as (outer, classes, inner): (N, C) is outer = N, inner = 1; (N, C, d1, ..., dK) has
 * inner = d1 * ... * dK; a single sample (C) is outer = inner = 1. Targets arrive already validated (a
 * class in [0, classes) or the ignore index); weights arrive as a {@code double[]} of the classes (or
 * null for all ones). Every loss method returns the sum of its per-position losses, or, when
 * {@code each} is not null, writes each loss there (rounded to the array's precision) and returns 0;
 * where {@code gx} is not null it writes the derivative of that sum with respect to the input times
 * {@code scale} (1/N, 1/total weight, or 1), i.e. the input gradient at a unit output gradient. Values
 * are computed in double and rounded on store. Rows go through {@link Parallel#sumRows}, so results do
 * not depend on the thread count.
 *
 * <p>Cross entropy, per position with target t, {@code lp_c = x_c - max - log(sum_c exp(x_c - max))}:
 * <pre>
 *   loss = (1 - s) (-w_t lp_t) + (s / C) (-sum_c w_c lp_c)       (just -w_t lp_t when s = 0)
 *   dx_c = scale [softmax_c ((1 - s) w_t + (s / C) sum_c w_c) - (s / C) w_c - [c = t] (1 - s) w_t]
 * </pre>
 * For float32 {@code lp_t} is rounded to float first, as PyTorch's loss reads its stored float32 log_softmax
 * (and so is each term of the smoothing sum); for class-index targets on
 * contiguous rows the exponentials are float32 ones, summed in double. The softmax in the gradient is
 * {@code exp(x_c - max) / sum}, from the same exponentials as the loss (each computed once). No (N, C)
 * log_softmax is ever stored.
 */
public final class ClassificationKernels {
  private ClassificationKernels() {}

  /** sum_c w_c, in order. */
  private static double sum(double[] weight, int classes) {
    double s = 0;
    for (int c = 0; c < classes; c++) {
      s += weight[c];
    }
    return s;
  }

  private static int chunkWidth(int classes, int inner) {
    return SoftmaxKernels.chunkWidth(classes, inner);
  }

  /**
   * z where z &gt; 0, else +0 (NaN included), through a bit mask: the sign of a hinge term is
   * unpredictable on real data and the JIT does not turn a double select into a move.
   */
  private static double positivePart(double z) {
    return Double.longBitsToDouble(Double.doubleToRawLongBits(z) & (z > 0 ? -1L : 0L));
  }

  // ---- cross entropy against class indices ----------------------------------------------------------------

  /**
   * The gradient an ignored position receives: PyTorch sends a zero output gradient back through log_softmax,
   * {@code 0 - exp(lp_c) * 0}, which is NaN where the position's log-probability {@code lp_c} is NaN (a NaN or
   * +inf logit, or all -inf) and +0 elsewhere.
   */
  private static float ignoredGradient(double lp) {
    return Double.isNaN(lp) ? Float.NaN : 0f;
  }

  /** {@link #ignoredGradient} over the classes of the row at {@code o}; {@code e} is row-sized scratch. */
  private static void ignoredRowGradient(double[] x, int o, int classes, double[] e, double[] gx) {
    double max = SoftmaxKernels.rowMax(x, o, classes);
    double logSum = SimdMath.log(SoftmaxKernels.rowExpSum(x, o, classes, max, e));
    for (int c = 0; c < classes; c++) {
      gx[o + c] = ignoredGradient(x[o + c] - max - logSum);
    }
  }

  /**
   * Cross entropy of logits {@code x} seen as (outer, classes, inner) against class indices, one fused pass
   * per position: the class maximum, each {@code exp(x_c - max)} once (kept in a row-sized scratch), the
   * log-sum-exp, the loss and, when {@code gx} is not null, the input gradient. See the class comment for
   * the formulas and the contract; {@code target} holds {@code outer * inner} validated classes.
   */
  public static double crossEntropy(float[] x, long[] target, double[] weight, int outer, int classes,
      int inner, long ignoreIndex, double smoothing, double scale, float[] each, float[] gx) {
    if (inner == 1) {
      return Parallel.sumRows(outer, classes, (from, to) -> crossEntropyRows(x, target, weight, classes,
          ignoreIndex, smoothing, scale, each, gx, from, to));
    }
    return Parallel.sumRows(outer, classes * inner, (from, to) -> crossEntropySpatial(x, target, weight,
        classes, inner, ignoreIndex, smoothing, scale, each, gx, from, to));
  }

  /**
   * Rows {@code [0, rows)} of (rows, classes) logits against class indices, without label smoothing, on the
   * caller's thread with the caller's row-sized scratch {@code e} (so a caller going through many small blocks
   * of rows, as the chunked linear cross entropy does, allocates nothing per block); otherwise as
   * {@link #crossEntropy} with {@code inner == 1}.
   */
  public static double crossEntropyRows(float[] x, long[] target, double[] weight, int rows, int classes,
      long ignoreIndex, double scale, float[] each, float[] gx) {
    return crossEntropyRows(x, target, weight, classes, ignoreIndex, 0.0, scale, each, gx, 0, rows, null);
  }

  private static double crossEntropyRows(float[] x, long[] target, double[] weight, int classes,
      long ignoreIndex, double smoothing, double scale, float[] each, float[] gx, int from, int to) {
    return crossEntropyRows(x, target, weight, classes, ignoreIndex, smoothing, scale, each, gx, from, to,
        smoothing > 0 ? new double[classes] : null);
  }

  /**
   * The rows' exponentials in float32 lanes ({@code exp(x - max)}, PyTorch's float32 operation too), twice as
   * many per vector as double lanes, summed in double; one float ulp on each term moves the log-sum-exp by about
   * 1e-7, far inside the float32 tolerance. As in softmax, the loop over a row's exponentials also finds the
   * next row's maximum ({@link SoftmaxKernels#expRow}), and with a gradient it stores them straight into
   * {@code gx}, which the gradient then overwrites in place. The loss alone and the loss with its gradient share
   * this body, so a value computed under no_grad has the same bits as one computed with a gradient.
   */
  private static double crossEntropyRows(float[] x, long[] target, double[] weight, int classes,
      long ignoreIndex, double smoothing, double scale, float[] each, float[] gx, int from, int to, double[] d) {
    double perClass = smoothing / classes;
    double weightSum = weight == null ? classes : sum(weight, classes);
    double total = 0;
    float[] next = new float[1];
    boolean known = false;
    for (int n = from; n < to; n++) {
      int o = n * classes;
      long label = target[n];
      boolean ignored = label == ignoreIndex;
      if (ignored && gx == null) {
        if (each != null) {
          each[n] = 0;
        }
        known = false;
        continue;
      }
      float max = known ? next[0] : (float) SoftmaxKernels.rowMax(x, o, classes);
      known = n + 1 < to;
      double sumExp = SoftmaxKernels.expRow(x, o, classes, max, gx, known ? o + classes : o, next);
      double logSum = SimdMath.log(sumExp);
      if (ignored) {
        if (each != null) {
          each[n] = 0;
        }
        for (int c = 0; c < classes; c++) {
          gx[o + c] = ignoredGradient(x[o + c] - max - logSum);
        }
        continue;
      }
      int t = (int) label;
      double wt = weight == null ? 1.0 : weight[t];
      double loss = -wt * (float) (x[o + t] - max - logSum);
      if (smoothing > 0) {
        loss = (1 - smoothing) * loss - rowLogProbSum(x, weight, o, classes, max, logSum, d) * perClass;
      }
      if (each != null) {
        each[n] = (float) loss;
      } else {
        total += loss;
      }
      if (gx != null) {
        double hot = smoothing > 0 ? (1 - smoothing) * wt : wt;
        double spread = smoothing > 0 ? perClass * weightSum : 0;
        double a = scale * (hot + spread) / sumExp;
        double b = scale * perClass;
        float et = gx[o + t];
        rowGradient(gx, o, classes, a, b, smoothing > 0 ? weight : null);
        gx[o + t] = (float) (et * a - b * (weight == null ? 1.0 : weight[t]) - scale * hot);
      }
    }
    return total;
  }

  /**
   * The (N, C, d1, ..., dK) layout: per sample, positions go in chunks of {@code width} neighbours so every
   * class sweep reads contiguous memory; the chunk's exponentials stay in a scratch of classes x width.
   */
  private static double crossEntropySpatial(float[] x, long[] target, double[] weight, int classes, int inner,
      long ignoreIndex, double smoothing, double scale, float[] each, float[] gx, int from, int to) {
    int width = chunkWidth(classes, inner);
    double[] e = new double[classes * width];
    double[] max = new double[width];
    double[] sumExp = new double[width];
    double[] logSum = new double[width];
    double[] loss = new double[width];
    double perClass = smoothing / classes;
    double weightSum = weight == null ? classes : sum(weight, classes);
    double b = scale * perClass;
    double total = 0;
    for (int n = from; n < to; n++) {
      for (int s0 = 0; s0 < inner; s0 += width) {
        int w = Math.min(width, inner - s0);
        int base = n * classes * inner + s0;
        java.util.Arrays.fill(max, 0, w, Double.NEGATIVE_INFINITY);
        java.util.Arrays.fill(sumExp, 0, w, 0.0);
        for (int c = 0; c < classes; c++) {
          int row = base + c * inner;
          for (int s = 0; s < w; s++) {
            max[s] = Math.max(max[s], x[row + s]);
          }
        }
        for (int c = 0; c < classes; c++) {
          int row = base + c * inner;
          int er = c * w;
          for (int s = 0; s < w; s++) {
            double v = SimdMath.exp32(x[row + s] - max[s]);
            e[er + s] = v;
            sumExp[s] += v;
          }
        }
        for (int s = 0; s < w; s++) {
          logSum[s] = SimdMath.log(sumExp[s]);
        }
        int p0 = n * inner + s0;
        for (int s = 0; s < w; s++) {
          long label = target[p0 + s];
          if (label == ignoreIndex) {
            loss[s] = 0;
            continue;
          }
          int t = (int) label;
          double wt = weight == null ? 1.0 : weight[t];
          loss[s] = -wt * (float) (x[base + t * inner + s] - max[s] - logSum[s]);
        }
        if (smoothing > 0) {
          for (int s = 0; s < w; s++) {
            loss[s] *= 1 - smoothing;
          }
          for (int c = 0; c < classes; c++) {
            int row = base + c * inner;
            double wc = weight == null ? 1.0 : weight[c];
            for (int s = 0; s < w; s++) {
              loss[s] -= wc * (float) (x[row + s] - max[s] - logSum[s]) * perClass;
            }
          }
        }
        for (int s = 0; s < w; s++) {
          boolean ignored = target[p0 + s] == ignoreIndex;
          double l = ignored ? 0 : loss[s];
          if (each != null) {
            each[p0 + s] = (float) l;
          } else {
            total += l;
          }
        }
        if (gx == null) {
          continue;
        }
        // Per position: a = scale (hot + spread) / sumExp, kept in the loss scratch from here on.
        double[] a = loss;
        for (int s = 0; s < w; s++) {
          long label = target[p0 + s];
          double wt = label == ignoreIndex ? 0 : weight == null ? 1.0 : weight[(int) label];
          double hot = smoothing > 0 ? (1 - smoothing) * wt : wt;
          double spread = smoothing > 0 ? perClass * weightSum : 0;
          a[s] = scale * (hot + spread) / sumExp[s];
        }
        for (int c = 0; c < classes; c++) {
          int row = base + c * inner;
          int er = c * w;
          double bc = smoothing > 0 && weight != null ? b * weight[c] : b;
          for (int s = 0; s < w; s++) {
            gx[row + s] = (float) (e[er + s] * a[s] - bc);
          }
        }
        for (int s = 0; s < w; s++) {
          long label = target[p0 + s];
          if (label == ignoreIndex) {
            for (int c = 0; c < classes; c++) {
              gx[base + c * inner + s] = ignoredGradient(x[base + c * inner + s] - max[s] - logSum[s]);
            }
            continue;
          }
          int t = (int) label;
          double wt = weight == null ? 1.0 : weight[t];
          double hot = smoothing > 0 ? (1 - smoothing) * wt : wt;
          gx[base + t * inner + s] = (float) (e[t * w + s] * a[s] - b * wt - scale * hot);
        }
      }
    }
    return total;
  }

  // ---- NLL ----------------------------------------------------------------------------------------------

  /** Partial-sum levels of ATen's NLL reductions ({@link #nllCascade}). */
  private static final int NLL_LEVELS = 8;

  /**
   * A float32 NLL's sum and total weight as ATen's CPU NLL kernels add them (nll_loss, and nll_loss2d, which
   * sees a K-dimensional input as (N, C, 1, d1 * ... * dK)): in float, through a cascade of eight partial sums,
   * level j + 1 taking level j's whenever the position index {@code n * inner + s} is a multiple of
   * {@code 2^((j + 1) p)} (p = max(4, ceil(log2 positions) / 8)), the levels then added in order. Returns
   * {@code {sum of -w_t x_t, sum of w_t}} (without a weight, the count of kept positions).
   */
  public static float[] nllCascade(float[] x, long[] target, float[] weight, int outer, int classes, int inner,
      long ignoreIndex) {
    int n = outer * inner;
    int levelPower = Math.max(4, (n <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1)) / NLL_LEVELS);
    long levelMask = (1L << levelPower) - 1;
    float[] lossSums = new float[NLL_LEVELS];
    float[] weightSums = new float[NLL_LEVELS];
    int ignored = 0;
    for (int b = 0; b < n; b++) {
      long t = target[b];
      if (t == ignoreIndex) {
        ignored++;
        continue;
      }
      float v = x[(b / inner * classes + (int) t) * inner + b % inner];
      float w = weight == null ? 1f : weight[(int) t];
      lossSums[0] -= v * w;
      weightSums[0] += w;
      for (int j = 0; j + 1 < NLL_LEVELS; j++) {
        if ((b & (levelMask << (j * levelPower))) != 0) {
          break;
        }
        weightSums[j + 1] += weightSums[j];
        lossSums[j + 1] += lossSums[j];
        weightSums[j] = 0;
        lossSums[j] = 0;
      }
    }
    float loss = 0;
    float total = 0;
    for (int j = 0; j < NLL_LEVELS; j++) {
      loss += lossSums[j];
      total += weightSums[j];
    }
    return new float[] {loss, weight == null ? (float) (n - ignored) : total};
  }

  /**
   * Negative log likelihood of log-probabilities {@code x} seen as (outer, classes, inner): per position
   * {@code -w_t x_t}, 0 where ignored; {@code gx} (zero-filled, or null) gets {@code -w_t scale} at each
   * target. {@code target} holds {@code outer * inner} validated classes.
   */
  public static double nll(float[] x, long[] target, double[] weight, int outer, int classes, int inner,
      long ignoreIndex, double scale, float[] each, float[] gx) {
    return Parallel.sumRows(outer, inner, (from, to) -> {
      double total = 0;
      for (int n = from; n < to; n++) {
        for (int s = 0; s < inner; s++) {
          int p = n * inner + s;
          long label = target[p];
          double l = 0;
          if (label != ignoreIndex) {
            int t = (int) label;
            double wt = weight == null ? 1.0 : weight[t];
            int i = (n * classes + t) * inner + s;
            l = -wt * x[i];
            if (gx != null) {
              gx[i] = (float) (-wt * scale);
            }
          }
          if (each != null) {
            each[p] = (float) l;
          } else {
            total += l;
          }
        }
      }
      return total;
    });
  }

  // ---- multi-class hinge (MultiMarginLoss) --------------------------------------------------------------

  /**
   * Multi-class hinge over rows of {@code x} (frames, dim) with validated classes {@code target}: per row
   * {@code w_y sum_{d != y} max(0, margin - x_y + x_d)^p / dim} (a NaN term counts as 0). Returns the sum
   * of the row losses, or writes them into {@code each}; {@code gx} gets the derivative of the row's sum
   * before its division by dim, times {@code scale} (so scale carries the 1/dim).
   */
  public static double multiMargin(float[] x, long[] target, double[] weight, int frames, int dim, int p,
      double margin, double scale, float[] each, float[] gx) {
    return Parallel.sumRows(frames, dim, (from, to) -> {
      double total = 0;
      for (int n = from; n < to; n++) {
        int o = n * dim;
        int y = (int) target[n];
        double xy = x[o + y];
        double wy = weight == null ? 1.0 : weight[y];
        double sum = hingeSum(x, o, o + y, margin, xy, p) + hingeSum(x, o + y + 1, o + dim, margin, xy, p);
        // a row with no positive term is 0, its class weight unread (NaN or inf there gives 0, as in PyTorch)
        double l = sum == 0 ? 0 : sum * wy / dim;
        if (sum >= Float.MAX_VALUE) {
          l = hingeRowFloat(x, o, dim, y, margin, p, (float) wy); // past float's range: PyTorch's float steps
        }
        if (each != null) {
          each[n] = (float) l;
        } else {
          total += l;
        }
        if (gx != null) {
          double g = wy * scale * (p == 1 ? 1 : 2);
          double gy = -(hingeGrad(x, gx, o, o + y, margin, xy, p, g)
              + hingeGrad(x, gx, o + y + 1, o + dim, margin, xy, p, g));
          gx[o + y] = (float) gy;
        }
      }
      return total;
    });
  }

  /**
   * One row's loss in float, term by term as ATen's float32 kernel takes it ({@code z = margin - x_y + x_d}, then
   * z or z * z, times the class weight, added), for the rare row whose double sum is past float's range: there a
   * float term is inf, and inf times a zero class weight is NaN (the double loop's finite sum times 0 is 0).
   */
  private static float hingeRowFloat(float[] x, int o, int dim, int y, double margin, int p, float wy) {
    float m = (float) margin;
    float xy = x[o + y];
    float sum = 0f;
    for (int d = 0; d < dim; d++) {
      float z = m - xy + x[o + d];
      if (d != y && z > 0) {
        float h = p == 1 ? z : z * z;
        sum += h * wy;
      }
    }
    return sum / dim;
  }

  /** sum over [from, to) of max(0, margin - xy + x_d)^p, NaN terms dropped, without a branch per term. */
  private static double hingeSum(float[] x, int from, int to, double margin, double xy, int p) {
    // whole vectors in lanes first (their adds do not wait on each other), the rest one term at a time; the
    // order is fixed by the row alone, so any thread count gives the same bits
    double shift = margin - xy;
    int i = from;
    double sum = 0;
    if (SoftmaxKernels.simd) {
      i = from + (to - from) / D.length() * D.length();
      sum = Simd.hingeSum(x, from, i, shift, p);
    }
    if (p == 1) {
      for (; i < to; i++) {
        sum += positivePart(shift + x[i]);
      }
    } else {
      for (; i < to; i++) {
        double z = positivePart(shift + x[i]);
        sum += z * z;
      }
    }
    return sum;
  }

  /**
   * Writes g (p = 1) or g max(0, z) (p = 2) at every term over [from, to) whose z = margin - xy + x_d is
   * positive, 0 elsewhere; returns the sum written.
   */
  private static double hingeGrad(float[] x, float[] gx, int from, int to, double margin, double xy, int p,
      double g) {
    // whole vectors in lanes first, as in hingeSum
    double shift = margin - xy;
    int i = from;
    double sum = 0;
    if (SoftmaxKernels.simd) {
      i = from + (to - from) / D.length() * D.length();
      sum = Simd.hingeGrad(x, gx, from, i, shift, p, g);
    }
    if (p == 1) {
      for (; i < to; i++) {
        double v = shift + x[i] > 0 ? g : 0; // g (the class weight) only where the term counts
        gx[i] = (float) v;
        sum += v;
      }
    } else {
      for (; i < to; i++) {
        double z = shift + x[i];
        double v = z > 0 ? g * z : 0;
        gx[i] = (float) v;
        sum += v;
      }
    }
    return sum;
  }

  // ---- multi-label hinge (MultiLabelMarginLoss) -------------------------------------------------------------

  /**
   * Multi-label hinge over rows of {@code x} (frames, dim): the row's classes are {@code target}'s entries
   * up to the first negative one (validated), and the row's sum is {@code sum_{j in J} sum_{i not in J}
   * max(0, 1 - x_j + x_i)} (NaN terms dropped). Returns the sum of the row sums (not divided by dim), or
   * writes {@code sum / dim} per row into {@code each}; {@code gx} gets the derivative of the row sum times
   * {@code scale}: scale times (the times i loses to a class) minus (the times class j loses).
   */
  public static double multilabelMargin(float[] x, long[] target, int frames, int dim, double scale,
      float[] each, float[] gx) {
    return Parallel.sumRows(frames, dim, (from, to) -> {
      long[] notTarget = new long[dim];
      int[] count = new int[dim];
      double total = 0;
      for (int n = from; n < to; n++) {
        int o = n * dim;
        java.util.Arrays.fill(notTarget, -1L);
        java.util.Arrays.fill(count, 0);
        int labels = 0;
        while (labels < dim && target[o + labels] >= 0) {
          notTarget[(int) target[o + labels]] = 0;
          labels++;
        }
        double sum = 0;
        for (int k = 0; k < labels; k++) {
          int j = (int) target[o + k];
          double xj = x[o + j];
          int losses = 0;
          for (int i = 0; i < dim; i++) {
            double z = 1 - xj + x[o + i];
            long keep = (z > 0 ? -1L : 0L) & notTarget[i];
            sum += Double.longBitsToDouble(Double.doubleToRawLongBits(z) & keep);
            int hit = (int) (keep & 1);
            count[i] += hit;
            losses += hit;
          }
          count[j] -= losses;
        }
        if (each != null) {
          each[n] = (float) (sum / dim);
        } else {
          total += sum;
        }
        if (gx != null) {
          for (int i = 0; i < dim; i++) {
            gx[o + i] = (float) (count[i] * scale);
          }
        }
      }
      return total;
    });
  }

  // ---- chain rule helpers -------------------------------------------------------------------------------

  /** A new array holding {@code a} times {@code s}. */
  public static float[] scaled(float[] a, double s) {
    float[] out = new float[a.length];
    Parallel.forEach(a.length, (from, to) -> {
      for (int i = from; i < to; i++) {
        out[i] = (float) (a[i] * s);
      }
    });
    return out;
  }

  /**
   * A new array holding {@code a}, seen as (outer, classes, inner), with every class entry of position
   * {@code p = n * inner + s} multiplied by {@code g[p]}.
   */
  public static float[] scaledPerPosition(float[] a, double[] g, int outer, int classes, int inner) {
    float[] out = new float[a.length];
    Parallel.sumRows(outer, classes * inner, (from, to) -> {
      for (int n = from; n < to; n++) {
        for (int c = 0; c < classes; c++) {
          int row = (n * classes + c) * inner;
          int p0 = n * inner;
          for (int s = 0; s < inner; s++) {
            out[row + s] = (float) (a[row + s] * g[p0 + s]);
          }
        }
      }
      return 0;
    });
    return out;
  }

  // ---- cross entropy against class indices ----------------------------------------------------------------

  /**
   * Cross entropy of logits {@code x} seen as (outer, classes, inner) against class indices, one fused pass
   * per position: the class maximum, each {@code exp(x_c - max)} once (kept in a row-sized scratch), the
   * log-sum-exp, the loss and, when {@code gx} is not null, the input gradient. See the class comment for
   * the formulas and the contract; {@code target} holds {@code outer * inner} validated classes.
   */
  public static double crossEntropy(double[] x, long[] target, double[] weight, int outer, int classes,
      int inner, long ignoreIndex, double smoothing, double scale, double[] each, double[] gx) {
    if (inner == 1) {
      return Parallel.sumRows(outer, classes, (from, to) -> crossEntropyRows(x, target, weight, classes,
          ignoreIndex, smoothing, scale, each, gx, from, to));
    }
    return Parallel.sumRows(outer, classes * inner, (from, to) -> crossEntropySpatial(x, target, weight,
        classes, inner, ignoreIndex, smoothing, scale, each, gx, from, to));
  }

  /**
   * Rows {@code [0, rows)} of (rows, classes) logits against class indices, without label smoothing, on the
   * caller's thread with the caller's row-sized scratch {@code e} (so a caller going through many small blocks
   * of rows, as the chunked linear cross entropy does, allocates nothing per block); otherwise as
   * {@link #crossEntropy} with {@code inner == 1}.
   */
  public static double crossEntropyRows(double[] x, long[] target, double[] weight, int rows, int classes,
      long ignoreIndex, double scale, double[] each, double[] gx, double[] e) {
    return crossEntropyRows(x, target, weight, classes, ignoreIndex, 0.0, scale, each, gx, 0, rows, e, null);
  }

  private static double crossEntropyRows(double[] x, long[] target, double[] weight, int classes,
      long ignoreIndex, double smoothing, double scale, double[] each, double[] gx, int from, int to) {
    return crossEntropyRows(x, target, weight, classes, ignoreIndex, smoothing, scale, each, gx, from, to,
        new double[classes], smoothing > 0 ? new double[classes] : null);
  }

  private static double crossEntropyRows(double[] x, long[] target, double[] weight, int classes,
      long ignoreIndex, double smoothing, double scale, double[] each, double[] gx, int from, int to, double[] e,
      double[] d) {
    double perClass = smoothing / classes;
    double weightSum = weight == null ? classes : sum(weight, classes);
    double total = 0;
    for (int n = from; n < to; n++) {
      int o = n * classes;
      long label = target[n];
      if (label == ignoreIndex) {
        if (each != null) {
          each[n] = 0;
        }
        if (gx != null) {
          ignoredRowGradient(x, o, classes, e, gx);
        }
        continue;
      }
      int t = (int) label;
      double max = SoftmaxKernels.rowMax(x, o, classes);
      double sumExp = SoftmaxKernels.rowExpSum(x, o, classes, max, e);
      double logSum = SimdMath.log(sumExp);
      double wt = weight == null ? 1.0 : weight[t];
      double loss = -wt * (x[o + t] - max - logSum);
      if (smoothing > 0) {
        loss = (1 - smoothing) * loss - rowLogProbSum(x, weight, o, classes, max, logSum, d) * perClass;
      }
      if (each != null) {
        each[n] = loss;
      } else {
        total += loss;
      }
      if (gx != null) {
        double hot = smoothing > 0 ? (1 - smoothing) * wt : wt;
        double spread = smoothing > 0 ? perClass * weightSum : 0;
        double a = scale * (hot + spread) / sumExp;
        double b = scale * perClass;
        rowGradient(e, gx, o, classes, a, b, smoothing > 0 ? weight : null);
        gx[o + t] = (e[t] * a - b * (weight == null ? 1.0 : weight[t]) - scale * hot);
      }
    }
    return total;
  }

  /**
   * The (N, C, d1, ..., dK) layout: per sample, positions go in chunks of {@code width} neighbours so every
   * class sweep reads contiguous memory; the chunk's exponentials stay in a scratch of classes x width.
   */
  private static double crossEntropySpatial(double[] x, long[] target, double[] weight, int classes, int inner,
      long ignoreIndex, double smoothing, double scale, double[] each, double[] gx, int from, int to) {
    int width = chunkWidth(classes, inner);
    double[] e = new double[classes * width];
    double[] max = new double[width];
    double[] sumExp = new double[width];
    double[] logSum = new double[width];
    double[] loss = new double[width];
    double perClass = smoothing / classes;
    double weightSum = weight == null ? classes : sum(weight, classes);
    double b = scale * perClass;
    double total = 0;
    for (int n = from; n < to; n++) {
      for (int s0 = 0; s0 < inner; s0 += width) {
        int w = Math.min(width, inner - s0);
        int base = n * classes * inner + s0;
        java.util.Arrays.fill(max, 0, w, Double.NEGATIVE_INFINITY);
        java.util.Arrays.fill(sumExp, 0, w, 0.0);
        for (int c = 0; c < classes; c++) {
          int row = base + c * inner;
          for (int s = 0; s < w; s++) {
            max[s] = Math.max(max[s], x[row + s]);
          }
        }
        for (int c = 0; c < classes; c++) {
          int row = base + c * inner;
          int er = c * w;
          for (int s = 0; s < w; s++) {
            double v = SimdMath.exp(x[row + s] - max[s]);
            e[er + s] = v;
            sumExp[s] += v;
          }
        }
        for (int s = 0; s < w; s++) {
          logSum[s] = SimdMath.log(sumExp[s]);
        }
        int p0 = n * inner + s0;
        for (int s = 0; s < w; s++) {
          long label = target[p0 + s];
          if (label == ignoreIndex) {
            loss[s] = 0;
            continue;
          }
          int t = (int) label;
          double wt = weight == null ? 1.0 : weight[t];
          loss[s] = -wt * (x[base + t * inner + s] - max[s] - logSum[s]);
        }
        if (smoothing > 0) {
          for (int s = 0; s < w; s++) {
            loss[s] *= 1 - smoothing;
          }
          for (int c = 0; c < classes; c++) {
            int row = base + c * inner;
            double wc = weight == null ? 1.0 : weight[c];
            for (int s = 0; s < w; s++) {
              loss[s] -= wc * (x[row + s] - max[s] - logSum[s]) * perClass;
            }
          }
        }
        for (int s = 0; s < w; s++) {
          boolean ignored = target[p0 + s] == ignoreIndex;
          double l = ignored ? 0 : loss[s];
          if (each != null) {
            each[p0 + s] = l;
          } else {
            total += l;
          }
        }
        if (gx == null) {
          continue;
        }
        // Per position: a = scale (hot + spread) / sumExp, kept in the loss scratch from here on.
        double[] a = loss;
        for (int s = 0; s < w; s++) {
          long label = target[p0 + s];
          double wt = label == ignoreIndex ? 0 : weight == null ? 1.0 : weight[(int) label];
          double hot = smoothing > 0 ? (1 - smoothing) * wt : wt;
          double spread = smoothing > 0 ? perClass * weightSum : 0;
          a[s] = scale * (hot + spread) / sumExp[s];
        }
        for (int c = 0; c < classes; c++) {
          int row = base + c * inner;
          int er = c * w;
          double bc = smoothing > 0 && weight != null ? b * weight[c] : b;
          for (int s = 0; s < w; s++) {
            gx[row + s] = (e[er + s] * a[s] - bc);
          }
        }
        for (int s = 0; s < w; s++) {
          long label = target[p0 + s];
          if (label == ignoreIndex) {
            for (int c = 0; c < classes; c++) {
              gx[base + c * inner + s] = ignoredGradient(x[base + c * inner + s] - max[s] - logSum[s]);
            }
            continue;
          }
          int t = (int) label;
          double wt = weight == null ? 1.0 : weight[t];
          double hot = smoothing > 0 ? (1 - smoothing) * wt : wt;
          gx[base + t * inner + s] = (e[t * w + s] * a[s] - b * wt - scale * hot);
        }
      }
    }
    return total;
  }

  // ---- NLL ----------------------------------------------------------------------------------------------

  /**
   * Negative log likelihood of log-probabilities {@code x} seen as (outer, classes, inner): per position
   * {@code -w_t x_t}, 0 where ignored; {@code gx} (zero-filled, or null) gets {@code -w_t scale} at each
   * target. {@code target} holds {@code outer * inner} validated classes.
   */
  public static double nll(double[] x, long[] target, double[] weight, int outer, int classes, int inner,
      long ignoreIndex, double scale, double[] each, double[] gx) {
    return Parallel.sumRows(outer, inner, (from, to) -> {
      double total = 0;
      for (int n = from; n < to; n++) {
        for (int s = 0; s < inner; s++) {
          int p = n * inner + s;
          long label = target[p];
          double l = 0;
          if (label != ignoreIndex) {
            int t = (int) label;
            double wt = weight == null ? 1.0 : weight[t];
            int i = (n * classes + t) * inner + s;
            l = -wt * x[i];
            if (gx != null) {
              gx[i] = (-wt * scale);
            }
          }
          if (each != null) {
            each[p] = l;
          } else {
            total += l;
          }
        }
      }
      return total;
    });
  }

  // ---- multi-class hinge (MultiMarginLoss) --------------------------------------------------------------

  /**
   * Multi-class hinge over rows of {@code x} (frames, dim) with validated classes {@code target}: per row
   * {@code w_y sum_{d != y} max(0, margin - x_y + x_d)^p / dim} (a NaN term counts as 0). Returns the sum
   * of the row losses, or writes them into {@code each}; {@code gx} gets the derivative of the row's sum
   * before its division by dim, times {@code scale} (so scale carries the 1/dim).
   */
  public static double multiMargin(double[] x, long[] target, double[] weight, int frames, int dim, int p,
      double margin, double scale, double[] each, double[] gx) {
    return Parallel.sumRows(frames, dim, (from, to) -> {
      double total = 0;
      for (int n = from; n < to; n++) {
        int o = n * dim;
        int y = (int) target[n];
        double xy = x[o + y];
        double wy = weight == null ? 1.0 : weight[y];
        double sum = hingeSum(x, o, o + y, margin, xy, p) + hingeSum(x, o + y + 1, o + dim, margin, xy, p);
        // a row with no positive term is 0, its class weight unread (NaN or inf there gives 0, as in PyTorch)
        double l = sum == 0 ? 0 : sum * wy / dim;
        if (each != null) {
          each[n] = l;
        } else {
          total += l;
        }
        if (gx != null) {
          double g = wy * scale * (p == 1 ? 1 : 2);
          double gy = -(hingeGrad(x, gx, o, o + y, margin, xy, p, g)
              + hingeGrad(x, gx, o + y + 1, o + dim, margin, xy, p, g));
          gx[o + y] = gy;
        }
      }
      return total;
    });
  }

  /** sum over [from, to) of max(0, margin - xy + x_d)^p, NaN terms dropped, without a branch per term. */
  private static double hingeSum(double[] x, int from, int to, double margin, double xy, int p) {
    // whole vectors in lanes first (their adds do not wait on each other), the rest one term at a time; the
    // order is fixed by the row alone, so any thread count gives the same bits
    double shift = margin - xy;
    int i = from;
    double sum = 0;
    if (SoftmaxKernels.simd) {
      i = from + (to - from) / D.length() * D.length();
      sum = Simd.hingeSum(x, from, i, shift, p);
    }
    if (p == 1) {
      for (; i < to; i++) {
        sum += positivePart(shift + x[i]);
      }
    } else {
      for (; i < to; i++) {
        double z = positivePart(shift + x[i]);
        sum += z * z;
      }
    }
    return sum;
  }

  /**
   * Writes g (p = 1) or g max(0, z) (p = 2) at every term over [from, to) whose z = margin - xy + x_d is
   * positive, 0 elsewhere; returns the sum written.
   */
  private static double hingeGrad(double[] x, double[] gx, int from, int to, double margin, double xy, int p,
      double g) {
    // whole vectors in lanes first, as in hingeSum
    double shift = margin - xy;
    int i = from;
    double sum = 0;
    if (SoftmaxKernels.simd) {
      i = from + (to - from) / D.length() * D.length();
      sum = Simd.hingeGrad(x, gx, from, i, shift, p, g);
    }
    if (p == 1) {
      for (; i < to; i++) {
        double v = shift + x[i] > 0 ? g : 0; // g (the class weight) only where the term counts
        gx[i] = v;
        sum += v;
      }
    } else {
      for (; i < to; i++) {
        double z = shift + x[i];
        double v = z > 0 ? g * z : 0;
        gx[i] = v;
        sum += v;
      }
    }
    return sum;
  }

  // ---- multi-label hinge (MultiLabelMarginLoss) -------------------------------------------------------------

  /**
   * Multi-label hinge over rows of {@code x} (frames, dim): the row's classes are {@code target}'s entries
   * up to the first negative one (validated), and the row's sum is {@code sum_{j in J} sum_{i not in J}
   * max(0, 1 - x_j + x_i)} (NaN terms dropped). Returns the sum of the row sums (not divided by dim), or
   * writes {@code sum / dim} per row into {@code each}; {@code gx} gets the derivative of the row sum times
   * {@code scale}: scale times (the times i loses to a class) minus (the times class j loses).
   */
  public static double multilabelMargin(double[] x, long[] target, int frames, int dim, double scale,
      double[] each, double[] gx) {
    return Parallel.sumRows(frames, dim, (from, to) -> {
      long[] notTarget = new long[dim];
      int[] count = new int[dim];
      double total = 0;
      for (int n = from; n < to; n++) {
        int o = n * dim;
        java.util.Arrays.fill(notTarget, -1L);
        java.util.Arrays.fill(count, 0);
        int labels = 0;
        while (labels < dim && target[o + labels] >= 0) {
          notTarget[(int) target[o + labels]] = 0;
          labels++;
        }
        double sum = 0;
        for (int k = 0; k < labels; k++) {
          int j = (int) target[o + k];
          double xj = x[o + j];
          int losses = 0;
          for (int i = 0; i < dim; i++) {
            double z = 1 - xj + x[o + i];
            long keep = (z > 0 ? -1L : 0L) & notTarget[i];
            sum += Double.longBitsToDouble(Double.doubleToRawLongBits(z) & keep);
            int hit = (int) (keep & 1);
            count[i] += hit;
            losses += hit;
          }
          count[j] -= losses;
        }
        if (each != null) {
          each[n] = (sum / dim);
        } else {
          total += sum;
        }
        if (gx != null) {
          for (int i = 0; i < dim; i++) {
            gx[o + i] = (count[i] * scale);
          }
        }
      }
      return total;
    });
  }

  // ---- chain rule helpers -------------------------------------------------------------------------------

  /** A new array holding {@code a} times {@code s}. */
  public static double[] scaled(double[] a, double s) {
    double[] out = new double[a.length];
    Parallel.forEach(a.length, (from, to) -> {
      for (int i = from; i < to; i++) {
        out[i] = (a[i] * s);
      }
    });
    return out;
  }

  /**
   * A new array holding {@code a}, seen as (outer, classes, inner), with every class entry of position
   * {@code p = n * inner + s} multiplied by {@code g[p]}.
   */
  public static double[] scaledPerPosition(double[] a, double[] g, int outer, int classes, int inner) {
    double[] out = new double[a.length];
    Parallel.sumRows(outer, classes * inner, (from, to) -> {
      for (int n = from; n < to; n++) {
        for (int c = 0; c < classes; c++) {
          int row = (n * classes + c) * inner;
          int p0 = n * inner;
          for (int s = 0; s < inner; s++) {
            out[row + s] = (a[row + s] * g[p0 + s]);
          }
        }
      }
      return 0;
    });
    return out;
  }

  // ---- cross entropy against class probabilities ------------------------------------------------------------

  /**
   * Cross entropy of logits {@code x} against class probabilities {@code prob} of the same (outer, classes,
   * inner) layout, one pass per position: with {@code lp_c} the log_softmax (rounded to float for float32)
   * and {@code q_c = prob_c (1 - s) + s / C} (just {@code prob_c} when s = 0), the loss is
   * {@code -sum_c lp_c q_c w_c} and {@code dx_c = scale (softmax_c sum_c q_c w_c - q_c w_c)}. Where
   * {@code max}/{@code logSum} are not null they receive each position's maximum and log-sum-exp, from
   * which {@link #crossEntropyProbsTargetGrads} rebuilds {@code lp}. Contract as the class comment.
   */
  public static double crossEntropyProbs(float[] x, float[] prob, double[] weight, int outer, int classes,
      int inner, double smoothing, double scale, float[] each, float[] gx, double[] max, double[] logSum) {
    return Parallel.sumRows(outer, classes * inner, (from, to) -> {
      double[] e = new double[classes];
      double spread = smoothing / classes;
      double total = 0;
      for (int n = from; n < to; n++) {
        for (int s = 0; s < inner; s++) {
          int base = n * classes * inner + s;
          int p = n * inner + s;
          double m = Double.NEGATIVE_INFINITY;
          for (int c = 0, i = base; c < classes; c++, i += inner) {
            m = Math.max(m, x[i]);
          }
          double sumExp = 0;
          for (int c = 0, i = base; c < classes; c++, i += inner) {
            double v = SimdMath.exp32(x[i] - m);
            e[c] = v;
            sumExp += v;
          }
          double ls = SimdMath.log(sumExp);
          double acc = 0;
          double mass = 0;
          for (int c = 0, i = base; c < classes; c++, i += inner) {
            double q = smoothing > 0 ? prob[i] * (1 - smoothing) + spread : prob[i];
            double qw = weight == null ? q : q * weight[c];
            acc += (float) (x[i] - m - ls) * q * (weight == null ? 1.0 : weight[c]);
            mass += qw;
          }
          if (each != null) {
            each[p] = (float) -acc;
          } else {
            total -= acc;
          }
          if (max != null) {
            max[p] = m;
            logSum[p] = ls;
          }
          if (gx != null) {
            double a = scale * mass / sumExp;
            for (int c = 0, i = base; c < classes; c++, i += inner) {
              double q = smoothing > 0 ? prob[i] * (1 - smoothing) + spread : prob[i];
              double qw = weight == null ? q : q * weight[c];
              gx[i] = (float) (e[c] * a - scale * qw);
            }
          }
        }
      }
      return total;
    });
  }

  /**
   * The float32 input gradient of cross entropy against probabilities over contiguous rows (inner = 1), in
   * PyTorch's own float steps: {@code sum(go) exp(lp_c)} can cancel against {@code go_c} (large targets or
   * weights), so an ulp in either would be far past float32's tolerance. Per row, {@code go_c = (G_r w_c) q_c}
   * ({@code G_r q_c} without a weight) with {@code q = t (1 - s) + s / C} in float under label smoothing, then
   * log_softmax's backward {@code fma(-exp(lp_c), sum(go), go_c)} on ATen's float log_softmax ({@link
   * AdaptiveKernels#logSoftmaxRows}), SLEEF's exp and ATen's lane sum. {@code gRow[r]} is the gradient reaching
   * row r's products: {@code -g_r} for 'none', {@code -g} for 'sum', {@code -(g / M)} for 'mean'.
   */
  public static float[] crossEntropyProbsGrad32(float[] x, float[] prob, double[] weight, int rows, int classes,
      double smoothing, float[] gRow) {
    float[] d = x.clone();
    AdaptiveKernels.logSoftmaxRows(d, rows, classes);
    float keep = (float) (1 - smoothing);
    float spread = (float) (smoothing / classes);
    Parallel.sumRows(rows, classes, (from, to) -> {
      float[] go = new float[classes];
      for (int r = from; r < to; r++) {
        int o = r * classes;
        for (int c = 0; c < classes; c++) {
          float q = smoothing > 0 ? prob[o + c] * keep + spread : prob[o + c];
          go[c] = weight == null ? gRow[r] * q : gRow[r] * (float) weight[c] * q;
        }
        float sum = AdaptiveKernels.laneSum(go, classes);
        for (int c = 0; c < classes; c++) {
          d[o + c] = Math.fma(-SleefFloat.expf(d[o + c]), sum, go[c]);
        }
      }
      return 0;
    });
    return d;
  }

  /**
   * float32 log_softmax's backward over the classes of x (outer, classes, inner) for an upstream gradient
   * {@code go} of x's shape, in PyTorch's float steps: the forward's bits recomputed as ATen's kernel takes them
   * (rows: {@link AdaptiveKernels#logSoftmaxRows}, SLEEF's exp and the lane sum; fewer than 8 positions a sample:
   * the scalar lanes of {@link #crossEntropyProbsGrad32Spatial}), then {@code fma(-exp(lp_c), sum(go), go_c)}.
   * For inner < 8 only (wider spatial inputs run ATen's vector lanes, not modelled).
   */
  public static float[] logSoftmaxBackward32(float[] x, float[] go, int outer, int classes, int inner) {
    if (inner == 1) {
      float[] d = x.clone();
      AdaptiveKernels.logSoftmaxRows(d, outer, classes);
      float[] row = new float[classes];
      for (int r = 0; r < outer; r++) {
        int o = r * classes;
        System.arraycopy(go, o, row, 0, classes);
        float sum = AdaptiveKernels.laneSum(row, classes);
        for (int c = 0; c < classes; c++) {
          d[o + c] = Math.fma(-SleefFloat.expf(d[o + c]), sum, go[o + c]);
        }
      }
      return d;
    }
    float[] d = new float[x.length];
    float[] lp = new float[classes];
    for (int n = 0; n < outer; n++) {
      for (int s = 0; s < inner; s++) {
        int base = n * classes * inner + s;
        float logSum = spatialLogSoftmax(x, base, classes, inner, lp);
        float total = 0f;
        for (int c = 0, i = base; c < classes; c++, i += inner) {
          total += go[i];
        }
        for (int c = 0, i = base; c < classes; c++, i += inner) {
          d[i] = Math.fma(-(float) Math.exp(lp[c]), total, go[i]);
        }
      }
    }
    return d;
  }

  /** One position's log_softmax over the classes (stride inner) into lp, as ATen's scalar lanes; returns log. */
  private static float spatialLogSoftmax(float[] x, int base, int classes, int inner, float[] lp) {
    float mx = Float.NEGATIVE_INFINITY;
    for (int c = 0, i = base; c < classes; c++, i += inner) {
      float v = x[i];
      mx = v > mx || v != v ? v : mx;
    }
    float sum = 0f;
    for (int c = 0, i = base; c < classes; c++, i += inner) {
      sum += (float) Math.exp(x[i] - mx);
    }
    float logSum = SleefFloat.logf(sum);
    for (int c = 0, i = base; c < classes; c++, i += inner) {
      lp[c] = (x[i] - mx) - logSum;
    }
    return logSum;
  }

  /**
   * {@link #crossEntropyProbsGrad32} for K-dimensional inputs (N, C, d1, ...) whose positions per sample, {@code
   * inner}, are fewer than eight (one AVX2 vector): ATen's log_softmax over a dimension that is not the last
   * takes those positions in its scalar tail, where the forward's exponentials are libm's ({@code exp} of
   * {@code x - max} in float, here the correctly rounded one), their sum in class order, SLEEF's log of it and
   * {@code (x - max) - log}; the backward sums {@code go} over the classes in order and takes {@code
   * fma(-exp(lp_c), sum, go_c)} with libm's exp (measured against 2.13 on random (N, C, inner) inputs with
   * targets of 1e10 and 1e30: all but about 1 in 2,000 elements equal). {@code gPos[p]} is the gradient
   * reaching position p's products (see crossEntropyProbsGrad32).
   */
  public static float[] crossEntropyProbsGrad32Spatial(float[] x, float[] prob, double[] weight, int outer,
      int classes, int inner, double smoothing, float[] gPos) {
    float[] d = new float[x.length];
    float keep = (float) (1 - smoothing);
    float spread = (float) (smoothing / classes);
    float[] lp = new float[classes];
    float[] go = new float[classes];
    for (int n = 0; n < outer; n++) {
      for (int s = 0; s < inner; s++) {
        int base = n * classes * inner + s;
        spatialLogSoftmax(x, base, classes, inner, lp);
        float g = gPos[n * inner + s];
        float total = 0f;
        for (int c = 0, i = base; c < classes; c++, i += inner) {
          float q = smoothing > 0 ? prob[i] * keep + spread : prob[i];
          go[c] = weight == null ? g * q : g * (float) weight[c] * q;
          total += go[c];
        }
        for (int c = 0, i = base; c < classes; c++, i += inner) {
          d[i] = Math.fma(-(float) Math.exp(lp[c]), total, go[c]);
        }
      }
    }
    return d;
  }

  /**
   * The target and weight gradients of {@link #crossEntropyProbs} for the per-position output gradient
   * {@code gq}, from the maxima and log-sum-exps it recorded: {@code gt_c = -gq lp_c w_c (1 - s)} (s = 0:
   * no factor) into {@code gt} and {@code gw_c -= gq lp_c q_c} summed into {@code gw}, either may be null.
   * Sequential: the weight gradient sums over positions in their order. The target gradient takes PyTorch's
   * float steps, {@code ((-gq w_c) lp_c) (1 - s)} each rounded to float, so that a product past float's range
   * is inf (and NaN once multiplied by {@code 1 - s = 0}) as in PyTorch.
   */
  public static void crossEntropyProbsTargetGrads(float[] x, float[] prob, double[] weight, int outer,
      int classes, int inner, double smoothing, double[] max, double[] logSum, double[] gq, float[] gt,
      double[] gw) {
    double spread = smoothing / classes;
    double targetScale = smoothing > 0 ? 1 - smoothing : 1.0;
    for (int n = 0; n < outer; n++) {
      for (int s = 0; s < inner; s++) {
        int base = n * classes * inner + s;
        int p = n * inner + s;
        for (int c = 0, i = base; c < classes; c++, i += inner) {
          double lp = (float) (x[i] - max[p] - logSum[p]);
          double wc = weight == null ? 1.0 : weight[c];
          if (gt != null) {
            float v = (float) -gq[p];
            if (weight != null) {
              v *= (float) wc;
            }
            v *= (float) lp;
            gt[i] = smoothing > 0 ? v * (float) targetScale : v;
          }
          if (gw != null) {
            double q = smoothing > 0 ? prob[i] * (1 - smoothing) + spread : prob[i];
            gw[c] -= gq[p] * lp * q;
          }
        }
      }
    }
  }

  // ---- cross entropy against class probabilities ------------------------------------------------------------

  /**
   * Cross entropy of logits {@code x} against class probabilities {@code prob} of the same (outer, classes,
   * inner) layout, one pass per position: with {@code lp_c} the log_softmax (rounded to float for float32)
   * and {@code q_c = prob_c (1 - s) + s / C} (just {@code prob_c} when s = 0), the loss is
   * {@code -sum_c lp_c q_c w_c} and {@code dx_c = scale (softmax_c sum_c q_c w_c - q_c w_c)}. Where
   * {@code max}/{@code logSum} are not null they receive each position's maximum and log-sum-exp, from
   * which {@link #crossEntropyProbsTargetGrads} rebuilds {@code lp}. Contract as the class comment.
   */
  public static double crossEntropyProbs(double[] x, double[] prob, double[] weight, int outer, int classes,
      int inner, double smoothing, double scale, double[] each, double[] gx, double[] max, double[] logSum) {
    return Parallel.sumRows(outer, classes * inner, (from, to) -> {
      double[] e = new double[classes];
      double spread = smoothing / classes;
      double total = 0;
      for (int n = from; n < to; n++) {
        for (int s = 0; s < inner; s++) {
          int base = n * classes * inner + s;
          int p = n * inner + s;
          double m = Double.NEGATIVE_INFINITY;
          for (int c = 0, i = base; c < classes; c++, i += inner) {
            m = Math.max(m, x[i]);
          }
          double sumExp = 0;
          for (int c = 0, i = base; c < classes; c++, i += inner) {
            double v = SimdMath.exp(x[i] - m);
            e[c] = v;
            sumExp += v;
          }
          double ls = SimdMath.log(sumExp);
          double acc = 0;
          double mass = 0;
          for (int c = 0, i = base; c < classes; c++, i += inner) {
            double q = smoothing > 0 ? prob[i] * (1 - smoothing) + spread : prob[i];
            double qw = weight == null ? q : q * weight[c];
            acc += (x[i] - m - ls) * q * (weight == null ? 1.0 : weight[c]);
            mass += qw;
          }
          if (each != null) {
            each[p] = -acc;
          } else {
            total -= acc;
          }
          if (max != null) {
            max[p] = m;
            logSum[p] = ls;
          }
          if (gx != null) {
            double a = scale * mass / sumExp;
            for (int c = 0, i = base; c < classes; c++, i += inner) {
              double q = smoothing > 0 ? prob[i] * (1 - smoothing) + spread : prob[i];
              double qw = weight == null ? q : q * weight[c];
              gx[i] = (e[c] * a - scale * qw);
            }
          }
        }
      }
      return total;
    });
  }

  /**
   * The target and weight gradients of {@link #crossEntropyProbs} for the per-position output gradient
   * {@code gq}, from the maxima and log-sum-exps it recorded: {@code gt_c = -gq lp_c w_c (1 - s)} (s = 0:
   * no factor) into {@code gt} and {@code gw_c -= gq lp_c q_c} summed into {@code gw}, either may be null.
   * Sequential: the weight gradient sums over positions in their order.
   */
  public static void crossEntropyProbsTargetGrads(double[] x, double[] prob, double[] weight, int outer,
      int classes, int inner, double smoothing, double[] max, double[] logSum, double[] gq, double[] gt,
      double[] gw) {
    double spread = smoothing / classes;
    double targetScale = smoothing > 0 ? 1 - smoothing : 1.0;
    for (int n = 0; n < outer; n++) {
      for (int s = 0; s < inner; s++) {
        int base = n * classes * inner + s;
        int p = n * inner + s;
        for (int c = 0, i = base; c < classes; c++, i += inner) {
          double lp = (x[i] - max[p] - logSum[p]);
          double wc = weight == null ? 1.0 : weight[c];
          if (gt != null) {
            gt[i] = -gq[p] * wc * lp * targetScale; // PyTorch's order: a product past double's range is inf
          }
          if (gw != null) {
            double q = smoothing > 0 ? prob[i] * (1 - smoothing) + spread : prob[i];
            gw[c] -= gq[p] * lp * q;
          }
        }
      }
    }
  }

  // ---- cross entropy rows: the loops of crossEntropyRows ----------------------------------------------------

  /**
   * {@code sum_c w_c lp_c} over one row, {@code lp_c = (x_c - max) - logSum}: unweighted, as the row's sum less
   * {@code n (max + logSum)}; weighted, each term rounded to float first (as PyTorch's float32 log_softmax is
   * stored) in the scratch {@code d} of n. Both forms add in an order that gives the same bits on both paths.
   */
  static double rowLogProbSum(float[] x, double[] weight, int o, int n, double max, double logSum, double[] d) {
    // Each term rounded to float, as PyTorch's log_softmax output is, then summed: the shortcut sum(x) - n (max +
    // logSum) loses everything where max + logSum absorbs logSum (equal logits of 1e30: make fuzz SEED=11).
    int k = SoftmaxKernels.simd ? Simd.rowLogProbs(x, o, n, max, logSum, d) : 0;
    for (; k < n; k++) {
      d[k] = (float) (x[o + k] - max - logSum);
    }
    return weightedSum(d, weight, n);
  }

  static double rowLogProbSum(double[] x, double[] weight, int o, int n, double max, double logSum, double[] d) {
    SoftmaxKernels.rowDiff(x, o, n, max, d);
    SoftmaxKernels.rowDiff(d, 0, n, logSum, d);
    return weightedSum(d, weight, n);
  }

  /** {@code sum_k d[k] w[k]} (w all ones when null), multiplying in place first. */
  private static double weightedSum(double[] d, double[] weight, int n) {
    if (weight != null) {
      int k = SoftmaxKernels.simd ? Simd.multiply(d, weight, n) : 0;
      for (; k < n; k++) {
        d[k] *= weight[k];
      }
    }
    return SoftmaxKernels.rowSum(d, n);
  }

  /**
   * {@code gx[o + c] = e_c a - b w_c} over one row in place, {@code e_c} the exponential stored there (w all
   * ones when null), in double, rounded once.
   */
  static void rowGradient(float[] gx, int o, int n, double a, double b, double[] weight) {
    int k = SoftmaxKernels.simd ? Simd.rowGradient(gx, o, n, a, b, weight) : 0;
    for (; k < n; k++) {
      gx[o + k] = (float) (gx[o + k] * a - (weight == null ? b : b * weight[k]));
    }
  }

  static void rowGradient(double[] e, double[] gx, int o, int n, double a, double b, double[] weight) {
    int k = SoftmaxKernels.simd ? Simd.rowGradient(e, gx, o, n, a, b, weight) : 0;
    for (; k < n; k++) {
      gx[o + k] = e[k] * a - (weight == null ? b : b * weight[k]);
    }
  }

  /** The Vector API forms of the cross entropy and multi-class hinge row loops; they stop where a full vector no longer fits. */
  private static final class Simd {
    private Simd() {}

    private static final int L = D.length();

    // An operand only. A loop whose accumulator starts from a vector constant gets it boxed by C2 on every
    // pass (measured 10x slower); accumulators start from DoubleVector.zero(D).
    private static final DoubleVector ZERO = DoubleVector.zero(D);

    /** hingeSum's terms over [from, to), a whole number of vectors: lane sums added from lane 0 up. */
    static double hingeSum(float[] x, int from, int to, double shift, int p) {
      DoubleVector acc = DoubleVector.zero(D);
      for (int k = from; k < to; k += L) {
        DoubleVector z = load(x, k).add(shift);
        z = ZERO.blend(z, z.compare(VectorOperators.GT, 0.0)); // NaN compares false: dropped
        acc = acc.add(p == 1 ? z : z.mul(z));
      }
      return SimdSpecies.sumLanes(acc);
    }

    static double hingeSum(double[] x, int from, int to, double shift, int p) {
      DoubleVector acc = DoubleVector.zero(D);
      for (int k = from; k < to; k += L) {
        DoubleVector z = DoubleVector.fromArray(D, x, k).add(shift);
        z = ZERO.blend(z, z.compare(VectorOperators.GT, 0.0));
        acc = acc.add(p == 1 ? z : z.mul(z));
      }
      return SimdSpecies.sumLanes(acc);
    }

    /** hingeGrad's terms over [from, to), a whole number of vectors; returns their sum. */
    static double hingeGrad(float[] x, float[] gx, int from, int to, double shift, int p, double g) {
      DoubleVector acc = DoubleVector.zero(D);
      DoubleVector gv = DoubleVector.broadcast(D, g);
      for (int k = from; k < to; k += L) {
        DoubleVector z = load(x, k).add(shift);
        DoubleVector v = ZERO.blend(p == 1 ? gv : gv.mul(z), z.compare(VectorOperators.GT, 0.0));
        store(v, gx, k);
        acc = acc.add(v);
      }
      return SimdSpecies.sumLanes(acc);
    }

    static double hingeGrad(double[] x, double[] gx, int from, int to, double shift, int p, double g) {
      DoubleVector acc = DoubleVector.zero(D);
      DoubleVector gv = DoubleVector.broadcast(D, g);
      for (int k = from; k < to; k += L) {
        DoubleVector z = DoubleVector.fromArray(D, x, k).add(shift);
        DoubleVector v = ZERO.blend(p == 1 ? gv : gv.mul(z), z.compare(VectorOperators.GT, 0.0));
        v.intoArray(gx, k);
        acc = acc.add(v);
      }
      return SimdSpecies.sumLanes(acc);
    }

    static int rowLogProbs(float[] x, int o, int n, double max, double logSum, double[] d) {
      int k = 0;
      for (; k <= n - L; k += L) {
        ((DoubleVector) load(x, o + k).sub(max).sub(logSum).convertShape(VectorOperators.D2F, F, 0)
            .convertShape(VectorOperators.F2D, D, 0)).intoArray(d, k);
      }
      return k;
    }

    static int multiply(double[] d, double[] weight, int n) {
      int k = 0;
      for (; k <= n - L; k += L) {
        DoubleVector.fromArray(D, d, k).mul(DoubleVector.fromArray(D, weight, k)).intoArray(d, k);
      }
      return k;
    }

    static int rowGradient(float[] gx, int o, int n, double a, double b, double[] weight) {
      int k = 0;
      if (weight == null) {
        for (; k <= n - L; k += L) {
          store(load(gx, o + k).mul(a).sub(b), gx, o + k);
        }
      } else {
        for (; k <= n - L; k += L) {
          store(load(gx, o + k).mul(a).sub(DoubleVector.fromArray(D, weight, k).mul(b)), gx, o + k);
        }
      }
      return k;
    }

    static int rowGradient(double[] e, double[] gx, int o, int n, double a, double b, double[] weight) {
      int k = 0;
      if (weight == null) {
        for (; k <= n - L; k += L) {
          DoubleVector.fromArray(D, e, k).mul(a).sub(b).intoArray(gx, o + k);
        }
      } else {
        for (; k <= n - L; k += L) {
          DoubleVector.fromArray(D, e, k).mul(a).sub(DoubleVector.fromArray(D, weight, k).mul(b)).intoArray(gx, o + k);
        }
      }
      return k;
    }
  }
}
