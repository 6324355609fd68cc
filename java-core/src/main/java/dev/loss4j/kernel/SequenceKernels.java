package dev.loss4j.kernel;

import java.util.Arrays;

/**
 * The CTC loss's forward (alpha) and backward (beta) recursions in log space, as ATen 1.13's CPU kernel
 * runs them, over a (T, N, C) row-major {@code log_probs} array.
 *
 * <p>For batch item {@code b} with input length {@code L} and target length {@code S}, the states are the
 * blank-interleaved target {@code y'} ({@code 2S + 1} labels: blank at even positions). Each recursion step
 * is a log-sum-exp of two or three neighbours, {@code log(sum exp(v - m)) + m} with {@code m} their maximum
 * (0 when all are -inf), one exp per term that exists: a neighbour missing by the recursion's structure
 * contributes exactly 0 to the sum, so it is left out without changing a bit. The float32 loops round at
 * every step ({@code float} arithmetic) and use glibc's {@code expf}/{@code logf} ({@link GlibcFloat}), so
 * the long recursions stay on PyTorch's float32 values; float64 uses {@link Math#exp}/{@link Math#log}.
 *
 * <p>Batch items run through {@link Parallel#sumRows}, each writing only its own results; buffers are
 * allocated once per block of items and reused item after item. Results do not depend on the thread count.
 */
public final class SequenceKernels {
  private SequenceKernels() {}

  /** Whether {@link Math#exp} gives exactly 1 at 0, which the two-term shortcut relies on (it does on HotSpot). */
  private static final boolean EXP_ZERO_IS_ONE = Math.exp(0.0) == 1.0 && Math.exp(-0.0) == 1.0;

  /**
   * {@code log(exp(a - m) + exp(b - m)) + m} with {@code m} the larger of a and b (0 when both are -inf,
   * NaN when either is NaN), ATen's two-term step. When m is finite its own term is exactly
   * {@code exp(0) = 1}, and float addition commutes, so {@code 1 + exp(min - m)} is the same sum with one
   * exp instead of two; -inf, +inf and NaN take ATen's literal form.
   */
  private static float lse2(float a, float b) {
    float hi = Math.max(a, b);
    if (hi > Float.NEGATIVE_INFINITY && hi < Float.POSITIVE_INFINITY) {
      return GlibcFloat.logf(1f + GlibcFloat.expf(Math.min(a, b) - hi)) + hi;
    }
    float m = b > a ? b : a;
    if (m == Float.NEGATIVE_INFINITY) {
      m = 0;
    }
    return GlibcFloat.logf(GlibcFloat.expf(a - m) + GlibcFloat.expf(b - m)) + m;
  }

  /** ATen's three-term step: the terms are added in the order a, b, c (float addition does not associate). */
  private static float lse3(float a, float b, float c) {
    float m = a;
    if (b > m) {
      m = b;
    }
    if (c > m) {
      m = c;
    }
    if (m == Float.NEGATIVE_INFINITY) {
      m = 0;
    }
    float sum = GlibcFloat.expf(a - m) + GlibcFloat.expf(b - m);
    sum += GlibcFloat.expf(c - m);
    return GlibcFloat.logf(sum) + m;
  }

  /** The one-term step, {@code log(exp(a - m)) + m}, kept literal (it is not always {@code a}: +inf gives NaN). */
  private static float lse1(float a) {
    float m = a == Float.NEGATIVE_INFINITY ? 0 : a;
    return GlibcFloat.logf(GlibcFloat.expf(a - m)) + m;
  }

  private static double lse2(double a, double b) {
    double hi = Math.max(a, b);
    if (EXP_ZERO_IS_ONE && hi > Double.NEGATIVE_INFINITY && hi < Double.POSITIVE_INFINITY) {
      return Math.log(1.0 + Math.exp(Math.min(a, b) - hi)) + hi;
    }
    double m = b > a ? b : a;
    if (m == Double.NEGATIVE_INFINITY) {
      m = 0;
    }
    return Math.log(Math.exp(a - m) + Math.exp(b - m)) + m;
  }

  private static double lse3(double a, double b, double c) {
    double m = a;
    if (b > m) {
      m = b;
    }
    if (c > m) {
      m = c;
    }
    if (m == Double.NEGATIVE_INFINITY) {
      m = 0;
    }
    double sum = Math.exp(a - m) + Math.exp(b - m);
    sum += Math.exp(c - m);
    return Math.log(sum) + m;
  }

  private static double lse1(double a) {
    double m = a == Double.NEGATIVE_INFINITY ? 0 : a;
    return Math.log(Math.exp(a - m)) + m;
  }

  /** The per-block work buffers, grown as items need. */
  private static final class Work {
    int[] labels = new int[0];
    boolean[] skip = new boolean[0];
    float[] alphaF = new float[0];
    float[] betaF = new float[0];
    float[] lcabF = new float[0];
    double[] alphaD = new double[0];
    double[] betaD = new double[0];
    double[] lcabD = new double[0];

    /**
     * Fills {@code labels} with y' of one item and {@code skip[s]} with whether state s may be entered from
     * s - 2 (its label differs from that of s - 2, which also excludes blanks).
     */
    void prime(long[] targets, int offset, int tlen, int blank) {
      int states = 2 * tlen + 1;
      if (labels.length < states) {
        labels = new int[states];
        skip = new boolean[states];
      }
      for (int s = 0; s < states; s++) {
        labels[s] = (s & 1) == 0 ? blank : (int) targets[offset + (s >> 1)];
      }
      for (int s = 0; s < states; s++) {
        skip[s] = s > 1 && labels[s - 2] != labels[s];
      }
    }
  }

  private static int cost(int bigT, long[] tl, int numLabels, boolean grad) {
    long maxS = 0;
    for (long v : tl) {
      maxS = Math.max(maxS, v);
    }
    long c = (long) bigT * ((2 * maxS + 1) * (grad ? 2 : 1) + (grad ? numLabels : 0));
    return (int) Math.min(Integer.MAX_VALUE / 2, Math.max(1, c));
  }

  /**
   * CTC over float32 {@code log_probs} {@code lp} of shape (T, N, C): writes each item's negative log
   * likelihood into {@code nll} (+inf when the target is infeasible; an item of input length 0 has 0 for an
   * empty target, else +inf). When {@code grad} is not null (zeros on entry, lp's size) it receives, for the
   * frames {@code t < L} of each item, ATen's {@code exp(lp) - exp(log(sum over the states of c of
   * alpha beta) + nll - lp)}, before any output gradient.
   *
   * @param targets item b's labels are {@code targets[offsets[b] .. offsets[b] + tl[b])}, each in [0, C)
   * @param il input lengths, each in [0, T]
   * @param tl target lengths, each >= 0
   */
  public static void ctc(float[] lp, int bigT, int n, int numLabels, long[] targets, int[] offsets, long[] il,
      long[] tl, int blank, double[] nll, float[] grad) {
    Parallel.sumRows(n, cost(bigT, tl, numLabels, grad != null), (from, to) -> {
      Work w = new Work();
      for (int b = from; b < to; b++) {
        item(lp, n, numLabels, targets, offsets[b], (int) il[b], (int) tl[b], blank, b, nll, grad, w);
      }
      return 0;
    });
  }

  /** The float64 twin of {@link #ctc(float[], int, int, int, long[], int[], long[], long[], int, double[], float[])}. */
  public static void ctc(double[] lp, int bigT, int n, int numLabels, long[] targets, int[] offsets, long[] il,
      long[] tl, int blank, double[] nll, double[] grad) {
    Parallel.sumRows(n, cost(bigT, tl, numLabels, grad != null), (from, to) -> {
      Work w = new Work();
      for (int b = from; b < to; b++) {
        item(lp, n, numLabels, targets, offsets[b], (int) il[b], (int) tl[b], blank, b, nll, grad, w);
      }
      return 0;
    });
  }

  /**
   * The gradient of {@code log_probs}: {@code unscaled} (as {@link #ctc} left it) times each item's output
   * gradient {@code gr[b]}, rounded to float, for the frames {@code t < il[b]} of the items not
   * {@code zeroed}; 0 elsewhere.
   */
  public static float[] scaleGradient(float[] unscaled, int n, int numLabels, long[] il, double[] gr,
      boolean[] zeroed) {
    float[] out = new float[unscaled.length];
    for (int b = 0; b < n; b++) {
      if (zeroed[b]) {
        continue;
      }
      double g = gr[b];
      for (int t = 0, len = (int) il[b]; t < len; t++) {
        for (int i = (t * n + b) * numLabels, end = i + numLabels; i < end; i++) {
          out[i] = (float) (unscaled[i] * g);
        }
      }
    }
    return out;
  }

  public static double[] scaleGradient(double[] unscaled, int n, int numLabels, long[] il, double[] gr,
      boolean[] zeroed) {
    double[] out = new double[unscaled.length];
    for (int b = 0; b < n; b++) {
      if (zeroed[b]) {
        continue;
      }
      double g = gr[b];
      for (int t = 0, len = (int) il[b]; t < len; t++) {
        for (int i = (t * n + b) * numLabels, end = i + numLabels; i < end; i++) {
          out[i] = unscaled[i] * g;
        }
      }
    }
    return out;
  }

  // ---- float32 ---------------------------------------------------------------------------------------

  private static void item(float[] lp, int n, int numLabels, long[] targets, int offset, int len, int tlen,
      int blank, int b, double[] nll, float[] grad, Work w) {
    final float negInf = Float.NEGATIVE_INFINITY;
    if (len == 0) {
      // Out of bounds in PyTorch 1.13; later versions define it so.
      nll[b] = tlen == 0 ? 0 : Double.POSITIVE_INFINITY;
      return;
    }
    int states = 2 * tlen + 1;
    w.prime(targets, offset, tlen, blank);
    int[] labels = w.labels;
    boolean[] skip = w.skip;
    if (w.alphaF.length < len * states) {
      w.alphaF = new float[len * states];
    }
    float[] alpha = w.alphaF;
    int frame = n * numLabels;
    Arrays.fill(alpha, 0, states, negInf);
    alpha[0] = lp[b * numLabels + blank];
    if (tlen > 0) {
      alpha[1] = lp[b * numLabels + labels[1]];
    }
    for (int t = 1; t < len; t++) {
      int prev = (t - 1) * states;
      int cur = t * states;
      int row = t * frame + b * numLabels;
      alpha[cur] = lse1(alpha[prev]) + lp[row + labels[0]];
      for (int s = 1; s < states; s++) {
        float la1 = alpha[prev + s];
        float la2 = alpha[prev + s - 1];
        float v;
        // States no path reaches yet: every term -inf, whose log-sum-exp is -inf (skipping the exps and log).
        if (skip[s]) {
          float la3 = alpha[prev + s - 2];
          v = la1 == negInf && la2 == negInf && la3 == negInf ? negInf : lse3(la1, la2, la3);
        } else {
          v = la1 == negInf && la2 == negInf ? negInf : lse2(la1, la2);
        }
        alpha[cur + s] = v + lp[row + labels[s]];
      }
    }
    int last = (len - 1) * states;
    float z;
    if (tlen == 0) {
      z = -alpha[last];
    } else {
      z = -lse2(alpha[last + 2 * tlen], alpha[last + 2 * tlen - 1]);
    }
    nll[b] = z;
    if (grad == null) {
      return;
    }
    if (w.betaF.length < len * states) {
      w.betaF = new float[len * states];
    }
    if (w.lcabF.length < len * numLabels) {
      w.lcabF = new float[len * numLabels];
    }
    float[] beta = w.betaF;
    float[] lcab = w.lcabF;
    Arrays.fill(lcab, 0, len * numLabels, negInf);
    Arrays.fill(beta, last, last + states, negInf);
    int lastRow = (len - 1) * frame + b * numLabels;
    int lastLc = (len - 1) * numLabels;
    int top = 2 * tlen;
    beta[last + top] = lp[lastRow + blank];
    lcab[lastLc + blank] = alpha[last + top] + beta[last + top];
    if (tlen > 0) {
      int c = labels[top - 1];
      beta[last + top - 1] = lp[lastRow + c];
      lcab[lastLc + c] = alpha[last + top - 1] + beta[last + top - 1];
    }
    for (int t = len - 2; t >= 0; t--) {
      int next = (t + 1) * states;
      int cur = t * states;
      int row = t * frame + b * numLabels;
      int lc = t * numLabels;
      for (int s = top; s >= 0; s--) {
        float lb1 = beta[next + s];
        float v;
        if (s == top) {
          v = lse1(lb1);
        } else {
          float lb2 = beta[next + s + 1];
          if (s < top - 1 && skip[s + 2]) {
            float lb3 = beta[next + s + 2];
            v = lb1 == negInf && lb2 == negInf && lb3 == negInf ? negInf : lse3(lb1, lb2, lb3);
          } else {
            v = lb1 == negInf && lb2 == negInf ? negInf : lse2(lb1, lb2);
          }
        }
        int c = labels[s];
        float bv = v + lp[row + c];
        beta[cur + s] = bv;
        float ab = alpha[cur + s] + bv;
        float l = lcab[lc + c];
        if (l == negInf) {
          lcab[lc + c] = ab;
        } else if (ab == negInf && l < Float.POSITIVE_INFINITY) {
          lcab[lc + c] = 0f + l; // lse2(l, -inf) for a finite l: log(1 + exp(-inf)) + l
        } else {
          lcab[lc + c] = lse2(l, ab);
        }
      }
    }
    for (int t = 0; t < len; t++) {
      int row = t * frame + b * numLabels;
      int lc = t * numLabels;
      for (int c = 0; c < numLabels; c++) {
        float x = lp[row + c];
        float l = lcab[lc + c];
        // A label no path visits at t (lcab = -inf) subtracts exp(-inf) = 0 when z < inf and x > -inf.
        grad[row + c] = l == Float.NEGATIVE_INFINITY && z < Float.POSITIVE_INFINITY && x > Float.NEGATIVE_INFINITY
            ? GlibcFloat.expf(x)
            : GlibcFloat.expf(x) - GlibcFloat.expf((l + z) - x);
      }
    }
  }

  // ---- float64 ---------------------------------------------------------------------------------------

  private static void item(double[] lp, int n, int numLabels, long[] targets, int offset, int len, int tlen,
      int blank, int b, double[] nll, double[] grad, Work w) {
    final double negInf = Double.NEGATIVE_INFINITY;
    if (len == 0) {
      nll[b] = tlen == 0 ? 0 : Double.POSITIVE_INFINITY;
      return;
    }
    int states = 2 * tlen + 1;
    w.prime(targets, offset, tlen, blank);
    int[] labels = w.labels;
    boolean[] skip = w.skip;
    if (w.alphaD.length < len * states) {
      w.alphaD = new double[len * states];
    }
    double[] alpha = w.alphaD;
    int frame = n * numLabels;
    Arrays.fill(alpha, 0, states, negInf);
    alpha[0] = lp[b * numLabels + blank];
    if (tlen > 0) {
      alpha[1] = lp[b * numLabels + labels[1]];
    }
    for (int t = 1; t < len; t++) {
      int prev = (t - 1) * states;
      int cur = t * states;
      int row = t * frame + b * numLabels;
      alpha[cur] = lse1(alpha[prev]) + lp[row + labels[0]];
      for (int s = 1; s < states; s++) {
        double la1 = alpha[prev + s];
        double la2 = alpha[prev + s - 1];
        double v = skip[s] ? lse3(la1, la2, alpha[prev + s - 2]) : lse2(la1, la2);
        alpha[cur + s] = v + lp[row + labels[s]];
      }
    }
    int last = (len - 1) * states;
    double z;
    if (tlen == 0) {
      z = -alpha[last];
    } else {
      z = -lse2(alpha[last + 2 * tlen], alpha[last + 2 * tlen - 1]);
    }
    nll[b] = z;
    if (grad == null) {
      return;
    }
    if (w.betaD.length < len * states) {
      w.betaD = new double[len * states];
    }
    if (w.lcabD.length < len * numLabels) {
      w.lcabD = new double[len * numLabels];
    }
    double[] beta = w.betaD;
    double[] lcab = w.lcabD;
    Arrays.fill(lcab, 0, len * numLabels, negInf);
    Arrays.fill(beta, last, last + states, negInf);
    int lastRow = (len - 1) * frame + b * numLabels;
    int lastLc = (len - 1) * numLabels;
    int top = 2 * tlen;
    beta[last + top] = lp[lastRow + blank];
    lcab[lastLc + blank] = alpha[last + top] + beta[last + top];
    if (tlen > 0) {
      int c = labels[top - 1];
      beta[last + top - 1] = lp[lastRow + c];
      lcab[lastLc + c] = alpha[last + top - 1] + beta[last + top - 1];
    }
    for (int t = len - 2; t >= 0; t--) {
      int next = (t + 1) * states;
      int cur = t * states;
      int row = t * frame + b * numLabels;
      int lc = t * numLabels;
      for (int s = top; s >= 0; s--) {
        double lb1 = beta[next + s];
        double v = s == top ? lse1(lb1)
            : s < top - 1 && skip[s + 2] ? lse3(lb1, beta[next + s + 1], beta[next + s + 2])
            : lse2(lb1, beta[next + s + 1]);
        int c = labels[s];
        double bv = v + lp[row + c];
        beta[cur + s] = bv;
        double ab = alpha[cur + s] + bv;
        double l = lcab[lc + c];
        lcab[lc + c] = l == negInf ? ab : lse2(l, ab);
      }
    }
    for (int t = 0; t < len; t++) {
      int row = t * frame + b * numLabels;
      int lc = t * numLabels;
      for (int c = 0; c < numLabels; c++) {
        double x = lp[row + c];
        double l = lcab[lc + c];
        grad[row + c] = l == Double.NEGATIVE_INFINITY && z < Double.POSITIVE_INFINITY && x > Double.NEGATIVE_INFINITY
            ? Math.exp(x)
            : Math.exp(x) - Math.exp((l + z) - x);
      }
    }
  }
}
