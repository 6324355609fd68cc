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
      float la1 = alpha[prev];
      float m = la1 == negInf ? 0 : la1;
      alpha[cur] = (GlibcFloat.logf(GlibcFloat.expf(la1 - m)) + m) + lp[row + labels[0]];
      for (int s = 1; s < states; s++) {
        la1 = alpha[prev + s];
        float la2 = alpha[prev + s - 1];
        m = la1;
        if (la2 > m) {
          m = la2;
        }
        boolean three = skip[s];
        float la3 = three ? alpha[prev + s - 2] : negInf;
        if (la3 > m) {
          m = la3;
        }
        if (m == negInf) {
          m = 0;
        }
        float sum = GlibcFloat.expf(la1 - m) + GlibcFloat.expf(la2 - m);
        if (three) {
          sum += GlibcFloat.expf(la3 - m);
        }
        alpha[cur + s] = (GlibcFloat.logf(sum) + m) + lp[row + labels[s]];
      }
    }
    int last = (len - 1) * states;
    float z;
    if (tlen == 0) {
      z = -alpha[last];
    } else {
      float l1 = alpha[last + 2 * tlen];
      float l2 = alpha[last + 2 * tlen - 1];
      float m = l1 < l2 ? l2 : l1;
      m = m == negInf ? 0 : m;
      z = -((GlibcFloat.logf(GlibcFloat.expf(l1 - m) + GlibcFloat.expf(l2 - m))) + m);
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
        float m = lb1;
        boolean two = s < top;
        boolean three = s < top - 1 && skip[s + 2];
        float lb2 = two ? beta[next + s + 1] : negInf;
        if (lb2 > m) {
          m = lb2;
        }
        float lb3 = three ? beta[next + s + 2] : negInf;
        if (lb3 > m) {
          m = lb3;
        }
        if (m == negInf) {
          m = 0;
        }
        float sum = GlibcFloat.expf(lb1 - m);
        if (two) {
          sum += GlibcFloat.expf(lb2 - m);
        }
        if (three) {
          sum += GlibcFloat.expf(lb3 - m);
        }
        int c = labels[s];
        float bv = (GlibcFloat.logf(sum) + m) + lp[row + c];
        beta[cur + s] = bv;
        float ab = alpha[cur + s] + bv;
        float l = lcab[lc + c];
        if (l == negInf) {
          lcab[lc + c] = ab;
        } else {
          float mx = l < ab ? ab : l;
          lcab[lc + c] = GlibcFloat.logf(GlibcFloat.expf(l - mx) + GlibcFloat.expf(ab - mx)) + mx;
        }
      }
    }
    for (int t = 0; t < len; t++) {
      int row = t * frame + b * numLabels;
      int lc = t * numLabels;
      for (int c = 0; c < numLabels; c++) {
        float x = lp[row + c];
        grad[row + c] = GlibcFloat.expf(x) - GlibcFloat.expf((lcab[lc + c] + z) - x);
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
      double la1 = alpha[prev];
      double m = la1 == negInf ? 0 : la1;
      alpha[cur] = (Math.log(Math.exp(la1 - m)) + m) + lp[row + labels[0]];
      for (int s = 1; s < states; s++) {
        la1 = alpha[prev + s];
        double la2 = alpha[prev + s - 1];
        m = la1;
        if (la2 > m) {
          m = la2;
        }
        boolean three = skip[s];
        double la3 = three ? alpha[prev + s - 2] : negInf;
        if (la3 > m) {
          m = la3;
        }
        if (m == negInf) {
          m = 0;
        }
        double sum = Math.exp(la1 - m) + Math.exp(la2 - m);
        if (three) {
          sum += Math.exp(la3 - m);
        }
        alpha[cur + s] = (Math.log(sum) + m) + lp[row + labels[s]];
      }
    }
    int last = (len - 1) * states;
    double z;
    if (tlen == 0) {
      z = -alpha[last];
    } else {
      double l1 = alpha[last + 2 * tlen];
      double l2 = alpha[last + 2 * tlen - 1];
      double m = l1 < l2 ? l2 : l1;
      m = m == negInf ? 0 : m;
      z = -(Math.log(Math.exp(l1 - m) + Math.exp(l2 - m)) + m);
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
        double m = lb1;
        boolean two = s < top;
        boolean three = s < top - 1 && skip[s + 2];
        double lb2 = two ? beta[next + s + 1] : negInf;
        if (lb2 > m) {
          m = lb2;
        }
        double lb3 = three ? beta[next + s + 2] : negInf;
        if (lb3 > m) {
          m = lb3;
        }
        if (m == negInf) {
          m = 0;
        }
        double sum = Math.exp(lb1 - m);
        if (two) {
          sum += Math.exp(lb2 - m);
        }
        if (three) {
          sum += Math.exp(lb3 - m);
        }
        int c = labels[s];
        double bv = (Math.log(sum) + m) + lp[row + c];
        beta[cur + s] = bv;
        double ab = alpha[cur + s] + bv;
        double l = lcab[lc + c];
        if (l == negInf) {
          lcab[lc + c] = ab;
        } else {
          double mx = l < ab ? ab : l;
          lcab[lc + c] = Math.log(Math.exp(l - mx) + Math.exp(ab - mx)) + mx;
        }
      }
    }
    for (int t = 0; t < len; t++) {
      int row = t * frame + b * numLabels;
      int lc = t * numLabels;
      for (int c = 0; c < numLabels; c++) {
        double x = lp[row + c];
        grad[row + c] = Math.exp(x) - Math.exp((lcab[lc + c] + z) - x);
      }
    }
  }
}
