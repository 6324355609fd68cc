package dev.loss4j.loss;

import dev.loss4j.errors.IndexError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Storage;
import dev.loss4j.tensor.Tensor;

/**
 * The NLL step of float16/bfloat16 cross entropy over (N, C) or (N, C, d1, ..., dK) log-probabilities, as
 * PyTorch's CPU NLL kernels (nll_loss and nll_loss2d, which see a K-dimensional input as (N, C, 1, d1 * ... * dK))
 * compute it in the reduced dtype: for sum and mean the picked terms {@code -lp[n, t_n] w[t_n]} and the
 * weights are added in the dtype (each addition rounded) through a cascade of eight partial sums, where level
 * j + 1 takes level j's sum whenever the position index {@code n * inner + s} is a multiple of
 * {@code 16^(j+1)} (and after position 0); the levels are then added in order. Mean divides the loss sum by the total weight (the count of kept rows without
 * a weight), rounding once. {@link #output} holds the unreduced losses, or the one reduced value. The same
 * cascade in float32's own arithmetic is {@code ClassificationKernels.nllCascade}.
 */
record HalfNll(double[] output, double totalWeight) {
  private static final int LEVELS = 8;

  static HalfNll forward(double[] lp, long[] labels, double[] w, long ignoreIndex, int n, int classes, int inner,
                         Reduction reduction, DType dt) {
    if (reduction == Reduction.NONE) {
      double[] each = new double[n];
      for (int i = 0; i < n; i++) {
        long t = labels[i];
        each[i] = t == ignoreIndex ? 0 : HalfSteps.r(-lp[at(i, t, classes, inner)] * (w == null ? 1 : w[(int) t]), dt);
      }
      return new HalfNll(each, Double.NaN);
    }
    int levelPower = Math.max(4, ceilLog2(n) / LEVELS);
    long levelMask = (1L << levelPower) - 1;
    double[] weightSums = new double[LEVELS];
    double[] lossSums = new double[LEVELS];
    int ignored = 0;
    for (int b = 0; b < n; b++) {
      long t = labels[b];
      if (t == ignoreIndex) {
        ignored++;
        continue;
      }
      double data = lp[at(b, t, classes, inner)];
      if (w != null) {
        double wt = w[(int) t];
        lossSums[0] = HalfSteps.r(lossSums[0] - HalfSteps.r(data * wt, dt), dt);
        weightSums[0] = HalfSteps.r(weightSums[0] + wt, dt);
      } else {
        lossSums[0] = HalfSteps.r(lossSums[0] - data, dt);
      }
      for (int j = 0; j + 1 < LEVELS; j++) {
        if ((b & (levelMask << (j * levelPower))) != 0) {
          break;
        }
        weightSums[j + 1] = HalfSteps.r(weightSums[j + 1] + weightSums[j], dt);
        lossSums[j + 1] = HalfSteps.r(lossSums[j + 1] + lossSums[j], dt);
        weightSums[j] = 0;
        lossSums[j] = 0;
      }
    }
    double total = 0;
    double loss = 0;
    for (int j = 0; j < LEVELS; j++) {
      total = HalfSteps.r(total + weightSums[j], dt);
      loss = HalfSteps.r(loss + lossSums[j], dt);
    }
    if (w == null) {
      total = dt.round(n - ignored);
    }
    if (reduction == Reduction.MEAN) {
      loss = HalfSteps.r(loss / total, dt);
    }
    return new HalfNll(new double[] {loss}, total);
  }

  /**
   * The class indices of {@code target}, each checked to be in {@code [0, classes)} or {@code ignoreIndex}
   * (else PyTorch's IndexError).
   */
  static long[] labels(Tensor target, long ignoreIndex, int classes) {
    long[] labels = Storage.longs(target);
    for (long cls : labels) {
      if (cls != ignoreIndex && (cls < 0 || cls >= classes)) {
        throw new IndexError("Target " + cls + " is out of bounds.");
      }
    }
    return labels;
  }

  /** The flat index of class {@code t} at position {@code p = n * inner + s}. */
  static int at(int p, long t, int classes, int inner) {
    return (p / inner * classes + (int) t) * inner + p % inner;
  }

  /** The gradient of the log-probabilities (N * C * inner values, nonzero only at each kept position's target). */
  double[] backward(Tensor up, long[] labels, double[] w, long ignoreIndex, int classes, int inner,
                    Reduction reduction, DType dt) {
    int n = labels.length;
    double[] gl = new double[n * classes];
    double shared = 0;
    if (reduction != Reduction.NONE) {
      shared = reduction == Reduction.MEAN ? HalfSteps.r(-up.item() / totalWeight, dt) : -up.item();
    }
    for (int i = 0; i < n; i++) {
      long t = labels[i];
      if (t == ignoreIndex) {
        continue;
      }
      double g = reduction == Reduction.NONE ? -up.getDouble(i) : shared;
      gl[at(i, t, classes, inner)] = w == null ? g : HalfSteps.r(g * w[(int) t], dt);
    }
    return gl;
  }

  private static int ceilLog2(int x) {
    return x <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(x - 1);
  }
}
