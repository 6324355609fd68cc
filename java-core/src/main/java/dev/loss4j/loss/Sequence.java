package dev.loss4j.loss;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.GradientFunction;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.IndexError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.errors.TorchException;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The sequence losses of {@code torch.nn}: CTCLoss, the Connectionist Temporal Classification loss of
 * Graves et al. (2006), and its functional form {@code F.ctc_loss}.
 */
public final class Sequence {
  private Sequence() {}

  /**
   * Connectionist Temporal Classification loss, {@code torch.nn.CTCLoss(blank=0, reduction='mean',
   * zero_infinity=False)}.
   *
   * <p>For each batch element {@code n}, the loss is {@code -log p(y_n | x_n)}: the negative log of the sum,
   * over every alignment of the target {@code y_n} (length {@code S_n}) to the first {@code T_n} frames of
   * the input, of the product of the frame probabilities {@code exp(log_probs[t, n, c])}. Alignments are
   * paths through the blank-interleaved target {@code y'} (length {@code 2 S_n + 1}) computed with the
   * forward (alpha) recursion in log space, exactly as ATen's CPU kernel (including its float32 rounding).
   * An infeasible target (too long for its input) gives {@code +inf}, or {@code 0} with
   * {@code zero_infinity}.
   *
   * <p>Shapes: {@code log_probs} (T, N, C) or unbatched (T, C), floating; {@code targets} padded (N, S) or
   * concatenated (sum of target lengths), any integer-valued dtype (converted to int64); lengths one per
   * batch element, each input length at most T. Output: (N) for {@code none} (0-d when unbatched), else a
   * 0-d tensor. {@code mean} divides each loss by its target length clamped to at least 1, then averages
   * over the batch; {@code sum} adds.
   *
   * <p>Gradient: only {@code log_probs} gets one, and it is PyTorch's {@code ctc_loss_backward}, not the
   * derivative of the loss with respect to its argument: {@code exp(lp[t,n,c]) - exp(log(sum of
   * alpha*beta over the states of c at t) + nll_n - lp[t,n,c])}, times the output gradient. That is the
   * gradient with respect to the logits when {@code log_probs = log_softmax(logits)}. Frames past a
   * sequence's input length get 0; with {@code zero_infinity} an infinite loss gets a zero gradient.
   */
  public static final class CTCLoss implements Differentiable {
    private final long blank;
    private final Reduction reduction;
    private final boolean zeroInfinity;

    public CTCLoss(long blank, Reduction reduction, boolean zeroInfinity) {
      Reduction.checkNotBatchmean(reduction);
      this.blank = blank;
      this.reduction = reduction;
      this.zeroInfinity = zeroInfinity;
    }

    public CTCLoss() {
      this(0, Reduction.MEAN, false);
    }

    public long blank() {
      return blank;
    }

    public Reduction reduction() {
      return reduction;
    }

    public boolean zeroInfinity() {
      return zeroInfinity;
    }

    /** The loss as a node of an autograd graph, lengths given as arrays. */
    public Variable forward(Variable logProbs, Variable targets, long[] inputLengths, long[] targetLengths) {
      return Variable.apply(this, null, logProbs, targets,
          Variable.constant(lengths(inputLengths)), Variable.constant(lengths(targetLengths)));
    }

    /** The loss value, without gradients. */
    public Tensor forward(Tensor logProbs, Tensor targets, long[] inputLengths, long[] targetLengths) {
      return apply(new Tensor[] {logProbs, targets, lengths(inputLengths), lengths(targetLengths)},
          new boolean[4]).output();
    }

    /**
     * Inputs: log_probs, targets, input_lengths, target_lengths (the lengths as int64 tensors of one
     * element per batch element, any shape); only log_probs is differentiated.
     */
    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      Tensor lp = inputs[0];
      Tensor targets = inputs[1];
      long[] il = inputs[2].toLongArray();
      long[] tl = inputs[3].toLongArray();
      boolean batched = lp.dim() == 3;
      int[] shape = lp.shape();
      if (!batched) {
        // unsqueeze(1): a 0-d tensor has no dimension 1.
        if (lp.dim() == 0) {
          throw new IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)");
        }
        int[] s = new int[shape.length + 1];
        s[0] = shape[0];
        s[1] = 1;
        System.arraycopy(shape, 1, s, 2, shape.length - 1);
        shape = s;
      }
      if (!lp.dtype().isFloatingPoint()) {
        throw new RuntimeError("\"ctc_loss_cpu\" not implemented for '" + lp.dtype().scalarTypeName() + "'");
      }
      final String c = " (while checking arguments for ctc_loss_cpu)";
      if (shape.length != 3) {
        throw new RuntimeError("Expected 3-dimensional tensor, but got " + shape.length
            + "-dimensional tensor for argument #1 'log_probs'" + c);
      }
      if (targets.dim() < 1 || targets.dim() >= 3) {
        throw new RuntimeError("Expected 1 to 2 dimensions, but got " + targets.dim()
            + "-dimensional tensor for argument #2 'targets'" + c);
      }
      int bigT = shape[0];
      int n = shape[1];
      int numLabels = shape[2];
      if (blank < 0 || blank >= numLabels) {
        throw new RuntimeError("blank must be in label range");
      }
      if (il.length != n) {
        throw new RuntimeError("input_lengths must be of size batch_size");
      }
      if (tl.length != n) {
        throw new RuntimeError("target_lengths must be of size batch_size");
      }
      long[] tg = targets.toLongArray();
      int[] offsets = new int[n];
      long maxTarget = 0;
      if (targets.dim() == 1) {
        long pos = 0;
        for (int i = 0; i < n; i++) {
          offsets[i] = (int) pos;
          pos += tl[i];
          maxTarget = Math.max(maxTarget, tl[i]);
        }
        if (targets.size(0) != pos) {
          throw new RuntimeError("Expected tensor to have size " + pos + " at dimension 0, but got size "
              + targets.size(0) + " for argument #2 'targets'" + c);
        }
      } else {
        int stride0 = targets.size(1);
        for (int i = 0; i < n; i++) {
          offsets[i] = i * stride0;
          maxTarget = Math.max(maxTarget, tl[i]);
        }
        if (targets.size(0) != n) {
          throw new RuntimeError("Expected tensor to have size " + n + " at dimension 0, but got size "
              + targets.size(0) + " for argument #2 'targets'" + c);
        }
        if (targets.size(1) < maxTarget) {
          throw new RuntimeError("Expected tensor to have size at least " + maxTarget
              + " at dimension 1, but got size " + targets.size(1) + " for argument #2 'targets'" + c);
        }
      }
      for (int b = 0; b < n; b++) {
        if (il[b] > bigT) {
          throw new RuntimeError("Expected input_lengths to have value at most " + bigT + ", but got value "
              + il[b] + c);
        }
      }
      if (bigT == 0) {
        // log_alpha.narrow(1, 0, 1) on an empty time dimension.
        throw new RuntimeError("start (0) + length (1) exceeds dimension size (0).");
      }
      for (int b = 0; b < n; b++) {
        if (il[b] < 0 || tl[b] < 0) {
          // PyTorch 1.13 reads out of bounds here (undefined behaviour); refuse rather than invent a value.
          throw new RuntimeError("loss4j: negative " + (il[b] < 0 ? "input" : "target")
              + " lengths are undefined behaviour in PyTorch 1.13's ctc_loss");
        }
      }
      for (int b = 0; b < n; b++) {
        for (long i = 0; i < tl[b]; i++) {
          long v = tg[(int) (offsets[b] + i)];
          if (v < 0 || v >= numLabels) {
            // PyTorch 1.13 does no bound check and reads out of bounds.
            throw new IndexError("loss4j: target " + v + " is out of bounds for " + numLabels
                + " classes (undefined behaviour in PyTorch 1.13's ctc_loss)");
          }
        }
      }
      Kernel k = new Kernel(lp, tg, offsets, il, tl, bigT, n, numLabels, (int) blank, needsGrad[0]);
      k.forward();
      DType dt = lp.dtype();
      double[] res = k.nll.clone();
      if (zeroInfinity) {
        for (int b = 0; b < n; b++) {
          if (res[b] == Double.POSITIVE_INFINITY) {
            res[b] = 0;
          }
        }
      }
      Tensor output;
      String name;
      double[] clamped = new double[n];
      for (int b = 0; b < n; b++) {
        clamped[b] = Math.max(tl[b], 1);
      }
      switch (reduction) {
        case MEAN -> {
          double sum = 0;
          for (int b = 0; b < n; b++) {
            sum += k.r(res[b] / clamped[b]);
          }
          output = Tensor.scalar(k.r(k.r(sum) / n), dt);
          name = "MeanBackward0";
        }
        case SUM -> {
          double sum = 0;
          for (int b = 0; b < n; b++) {
            sum += res[b];
          }
          output = Tensor.scalar(sum, dt);
          name = "SumBackward0";
        }
        default -> {
          TensorBuilder out = new TensorBuilder(dt, batched ? new int[] {n} : new int[0]);
          for (int b = 0; b < n; b++) {
            out.set(b, res[b]);
          }
          output = out.build();
          name = !batched ? "SqueezeBackward1" : zeroInfinity ? "WhereBackward0" : "CtcLossBackward0";
        }
      }
      GradientFunction backward = null;
      if (needsGrad[0]) {
        int[] lpShape = lp.shape();
        backward = g -> {
          double[] gr = new double[n];
          for (int b = 0; b < n; b++) {
            gr[b] = switch (reduction) {
              case MEAN -> k.r(k.r(g.item() / n) / clamped[b]);
              case SUM -> g.item();
              default -> g.getDouble(batched ? b : 0);
            };
          }
          return new Tensor[] {k.gradient(gr, zeroInfinity, dt, lpShape), null, null, null};
        };
      }
      return new Result(output, name, List.of(), backward);
    }

    @Override
    public String toString() {
      return "CTCLoss(blank=" + blank + ", reduction=" + reduction.torchName() + ", zero_infinity="
          + (zeroInfinity ? "True" : "False") + ")";
    }
  }

  private static Tensor lengths(long[] values) {
    return Tensor.ofLongs(values, values.length);
  }

  /**
   * ATen's CPU alpha/beta recursions for one call. Every arithmetic result passes through {@link #r}, which
   * rounds to float for float32 log_probs, so float32 results follow PyTorch's float arithmetic.
   */
  private static final class Kernel {
    private static final double NEG_INF = Double.NEGATIVE_INFINITY;
    final boolean f32;
    final double[] lp;
    final long[] tg;
    final int[] offsets;
    final long[] il;
    final long[] tl;
    final int bigT;
    final int n;
    final int numLabels;
    final int blank;
    final boolean wantGrad;
    final double[] nll;
    /** exp(lp) - exp(lcab + nll - lp) per (t, b, c), before the output gradient; null without gradient. */
    double[] unscaled;

    Kernel(Tensor lp, long[] tg, int[] offsets, long[] il, long[] tl, int bigT, int n, int numLabels, int blank,
           boolean wantGrad) {
      this.f32 = lp.dtype() == DType.FLOAT32;
      this.lp = lp.toDoubleArray();
      this.tg = tg;
      this.offsets = offsets;
      this.il = il;
      this.tl = tl;
      this.bigT = bigT;
      this.n = n;
      this.numLabels = numLabels;
      this.blank = blank;
      this.wantGrad = wantGrad;
      this.nll = new double[n];
    }

    double r(double x) {
      return f32 ? (double) (float) x : x;
    }

    private double exp(double x) {
      return f32 ? GlibcFloat.expf((float) x) : Math.exp(x);
    }

    private double log(double x) {
      return f32 ? GlibcFloat.logf((float) x) : Math.log(x);
    }

    /** std::max: the first argument unless the first is less than the second (NaN-sensitive as C++). */
    private static double cmax(double a, double b) {
      return a < b ? b : a;
    }

    private double lp(int t, int b, int c) {
      return lp[(t * n + b) * numLabels + c];
    }

    /** The blank-interleaved target: blank at even positions, targets[offset + s / 2] at odd ones. */
    private int prime(int b, int s) {
      return s % 2 == 0 ? blank : (int) tg[offsets[b] + s / 2];
    }

    /** log(exp(a - m) + exp(b - m) + exp(c - m)) + m, as the kernel writes it. */
    private double lse3(double a, double b, double c, double m) {
      double s = r(r(exp(r(a - m)) + exp(r(b - m))) + exp(r(c - m)));
      return r(log(s) + m);
    }

    void forward() {
      if (wantGrad) {
        unscaled = new double[bigT * n * numLabels];
      }
      for (int b = 0; b < n; b++) {
        int len = (int) il[b];
        int tlen = (int) tl[b];
        int states = 2 * tlen + 1;
        if (len == 0) {
          // Out of bounds in PyTorch 1.13; later versions define it so.
          nll[b] = tlen == 0 ? 0 : Double.POSITIVE_INFINITY;
          continue;
        }
        double[][] alpha = forwardAlpha(b, len, tlen, states);
        if (tlen == 0) {
          nll[b] = r(-alpha[len - 1][0]);
        } else {
          double l1 = alpha[len - 1][2 * tlen];
          double l2 = alpha[len - 1][2 * tlen - 1];
          double m = cmax(l1, l2);
          m = m == NEG_INF ? 0 : m;
          double ll = r(log(r(exp(r(l1 - m)) + exp(r(l2 - m)))) + m);
          nll[b] = -ll;
        }
        if (wantGrad) {
          backwardBeta(b, len, tlen, states, alpha);
        }
      }
    }

    private double[][] forwardAlpha(int b, int len, int tlen, int states) {
      double[][] alpha = new double[len][states];
      java.util.Arrays.fill(alpha[0], NEG_INF);
      alpha[0][0] = lp(0, b, blank);
      if (tlen > 0) {
        alpha[0][1] = lp(0, b, prime(b, 1));
      }
      for (int t = 1; t < len; t++) {
        for (int s = 0; s < states; s++) {
          int cur = prime(b, s);
          double la1 = alpha[t - 1][s];
          double lamax = la1;
          double la2;
          double la3;
          if (s > 0) {
            la2 = alpha[t - 1][s - 1];
            if (la2 > lamax) {
              lamax = la2;
            }
          } else {
            la2 = NEG_INF;
          }
          if (s > 1 && prime(b, s - 2) != cur) {
            la3 = alpha[t - 1][s - 2];
            if (la3 > lamax) {
              lamax = la3;
            }
          } else {
            la3 = NEG_INF;
          }
          if (lamax == NEG_INF) {
            lamax = 0;
          }
          alpha[t][s] = r(lse3(la1, la2, la3, lamax) + lp(t, b, cur));
        }
      }
      return alpha;
    }

    private void backwardBeta(int b, int len, int tlen, int states, double[][] alpha) {
      double[][] lcab = new double[len][numLabels];
      for (double[] row : lcab) {
        java.util.Arrays.fill(row, NEG_INF);
      }
      double[][] beta = new double[len][states];
      java.util.Arrays.fill(beta[len - 1], NEG_INF);
      beta[len - 1][2 * tlen] = lp(len - 1, b, blank);
      lcab[len - 1][blank] = r(alpha[len - 1][2 * tlen] + beta[len - 1][2 * tlen]);
      if (tlen > 0) {
        int cur = prime(b, 2 * tlen - 1);
        beta[len - 1][2 * tlen - 1] = lp(len - 1, b, cur);
        lcab[len - 1][cur] = r(alpha[len - 1][2 * tlen - 1] + beta[len - 1][2 * tlen - 1]);
      }
      for (int t = len - 2; t >= 0; t--) {
        for (int s = 2 * tlen; s >= 0; s--) {
          double lb1 = beta[t + 1][s];
          double lbmax = lb1;
          double lb2;
          double lb3;
          int cur = prime(b, s);
          if (s < 2 * tlen) {
            lb2 = beta[t + 1][s + 1];
            if (lb2 > lbmax) {
              lbmax = lb2;
            }
          } else {
            lb2 = NEG_INF;
          }
          if (s < 2 * tlen - 1 && prime(b, s + 2) != cur) {
            lb3 = beta[t + 1][s + 2];
            if (lb3 > lbmax) {
              lbmax = lb3;
            }
          } else {
            lb3 = NEG_INF;
          }
          if (lbmax == NEG_INF) {
            lbmax = 0;
          }
          beta[t][s] = r(lse3(lb1, lb2, lb3, lbmax) + lp(t, b, cur));
          double lab = r(alpha[t][s] + beta[t][s]);
          double l = lcab[t][cur];
          if (l == NEG_INF) {
            lcab[t][cur] = lab;
          } else {
            double max = cmax(l, lab);
            lcab[t][cur] = r(log(r(exp(r(l - max)) + exp(r(lab - max)))) + max);
          }
        }
      }
      double z = nll[b];
      for (int t = 0; t < len; t++) {
        for (int c = 0; c < numLabels; c++) {
          double x = lp(t, b, c);
          unscaled[(t * n + b) * numLabels + c] = r(exp(x) - exp(r(r(lcab[t][c] + z) - x)));
        }
      }
    }

    /** The gradient of log_probs (in its own shape) for per-element output gradients {@code gr}. */
    Tensor gradient(double[] gr, boolean zeroInfinity, DType dt, int[] shape) {
      TensorBuilder out = new TensorBuilder(dt, shape);
      for (int b = 0; b < n; b++) {
        if (zeroInfinity && nll[b] == Double.POSITIVE_INFINITY) {
          continue;
        }
        int len = (int) il[b];
        for (int t = 0; t < len; t++) {
          int base = (t * n + b) * numLabels;
          for (int c = 0; c < numLabels; c++) {
            out.set(base + c, unscaled[base + c] * gr[b]);
          }
        }
      }
      return out.build();
    }
  }

  /**
   * glibc's single-precision {@code expf} and {@code logf} (the Arm optimized-routines algorithms that
   * glibc 2.28+ ships: a 32-entry 2^(i/32) table with a cubic, a 16-entry 1/c, log(c) table with a cubic,
   * evaluated in double), which PyTorch's float32 CPU kernels call through {@code std::exp}/{@code std::log}.
   * They are within 0.502 and 0.82 ULP, not correctly rounded, so {@code (float) Math.exp(x)} differs in a
   * few cases per thousand; reproducing them bit for bit keeps long float32 recursions on PyTorch's values.
   */
  static final class GlibcFloat {
    private GlibcFloat() {}

    private static final long[] EXP2_TABLE = {
      0x3ff0000000000000L, 0x3fefd9b0d3158574L, 0x3fefb5586cf9890fL, 0x3fef9301d0125b51L,
      0x3fef72b83c7d517bL, 0x3fef54873168b9aaL, 0x3fef387a6e756238L, 0x3fef1e9df51fdee1L,
      0x3fef06fe0a31b715L, 0x3feef1a7373aa9cbL, 0x3feedea64c123422L, 0x3feece086061892dL,
      0x3feebfdad5362a27L, 0x3feeb42b569d4f82L, 0x3feeab07dd485429L, 0x3feea47eb03a5585L,
      0x3feea09e667f3bcdL, 0x3fee9f75e8ec5f74L, 0x3feea11473eb0187L, 0x3feea589994cce13L,
      0x3feeace5422aa0dbL, 0x3feeb737b0cdc5e5L, 0x3feec49182a3f090L, 0x3feed503b23e255dL,
      0x3feee89f995ad3adL, 0x3feeff76f2fb5e47L, 0x3fef199bdd85529cL, 0x3fef3720dcef9069L,
      0x3fef5818dcfba487L, 0x3fef7c97337b9b5fL, 0x3fefa4afa2a490daL, 0x3fefd0765b6e4540L};
    private static final double INV_LN2_N = 0x1.71547652b82fep+0 * 32;
    private static final double SHIFT = 0x1.8p+52;
    private static final double C0 = 0x1.c6af84b912394p-5 / 32 / 32 / 32;
    private static final double C1 = 0x1.ebfce50fac4f3p-3 / 32 / 32;
    private static final double C2 = 0x1.62e42ff0c52d6p-1 / 32;

    /** glibc {@code expf}. */
    static float expf(float x) {
      int ix = Float.floatToRawIntBits(x);
      int abstop = (ix >>> 20) & 0x7ff;
      if (abstop >= (Float.floatToRawIntBits(88.0f) >>> 20)) {
        if (x == Float.NEGATIVE_INFINITY) {
          return 0.0f;
        }
        if (abstop >= (Float.floatToRawIntBits(Float.POSITIVE_INFINITY) >>> 20)) {
          return x + x;
        }
        if (x > 0x1.62e42ep6f) {
          return Float.POSITIVE_INFINITY;
        }
        if (x < -0x1.9fe368p6f) {
          return 0.0f;
        }
      }
      double xd = x;
      double z = INV_LN2_N * xd;
      double kd = z + SHIFT;
      long ki = Double.doubleToRawLongBits(kd);
      kd -= SHIFT;
      double r = z - kd;
      long t = EXP2_TABLE[(int) (ki & 31)] + (ki << 47);
      double s = Double.longBitsToDouble(t);
      double p = C0 * r + C1;
      double r2 = r * r;
      double y = C2 * r + 1;
      y = p * r2 + y;
      return (float) (y * s);
    }

    private static final double[] INVC = {
      0x1.661ec79f8f3bep+0, 0x1.571ed4aaf883dp+0, 0x1.49539f0f010bp+0, 0x1.3c995b0b80385p+0,
      0x1.30d190c8864a5p+0, 0x1.25e227b0b8eap+0, 0x1.1bb4a4a1a343fp+0, 0x1.12358f08ae5bap+0,
      0x1.0953f419900a7p+0, 0x1p+0, 0x1.e608cfd9a47acp-1, 0x1.ca4b31f026aap-1,
      0x1.b2036576afce6p-1, 0x1.9c2d163a1aa2dp-1, 0x1.886e6037841edp-1, 0x1.767dcf5534862p-1};
    private static final double[] LOGC = {
      -0x1.57bf7808caadep-2, -0x1.2bef0a7c06ddbp-2, -0x1.01eae7f513a67p-2, -0x1.b31d8a68224e9p-3,
      -0x1.6574f0ac07758p-3, -0x1.1aa2bc79c81p-3, -0x1.a4e76ce8c0e5ep-4, -0x1.1973c5a611cccp-4,
      -0x1.252f438e10c1ep-5, 0x0p+0, 0x1.aa5aa5df25984p-5, 0x1.c5e53aa362eb4p-4,
      0x1.526e57720db08p-3, 0x1.bc2860d22477p-3, 0x1.1058bc8a07ee1p-2, 0x1.4043057b6ee09p-2};
    private static final double LN2 = 0x1.62e42fefa39efp-1;
    private static final double A0 = -0x1.00ea348b88334p-2;
    private static final double A1 = 0x1.5575b0be00b6ap-2;
    private static final double A2 = -0x1.ffffef20a4123p-2;

    /** glibc {@code logf}. */
    static float logf(float x) {
      int ix = Float.floatToRawIntBits(x);
      if (ix == 0x3f800000) {
        return 0.0f;
      }
      if (Integer.compareUnsigned(ix - 0x00800000, 0x7f800000 - 0x00800000) >= 0) {
        if (ix * 2 == 0) {
          return Float.NEGATIVE_INFINITY;
        }
        if (ix == 0x7f800000) {
          return x;
        }
        if ((ix & 0x80000000) != 0 || Integer.compareUnsigned(ix * 2, 0xff000000) >= 0) {
          return Float.NaN;
        }
        // Subnormal: normalise.
        ix = Float.floatToRawIntBits(x * 0x1p23f);
        ix -= 23 << 23;
      }
      int tmp = ix - 0x3f330000;
      int i = (tmp >>> 19) & 15;
      int k = tmp >> 23;
      int iz = ix - (tmp & 0xff800000);
      double z = Float.intBitsToFloat(iz);
      double r = z * INVC[i] - 1;
      double y0 = LOGC[i] + (double) k * LN2;
      double r2 = r * r;
      double y = A1 * r + A2;
      y = A0 * r2 + y;
      y = y * r2 + (y0 + r);
      return (float) y;
    }
  }

  // ---- torch.nn.functional ----------------------------------------------------------------------------

  /**
   * {@code F.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction='mean',
   * zero_infinity=False)} with the lengths as tensors: they must have an integer dtype (int64 here; bool and
   * floating dtypes are refused as PyTorch refuses them), one element per batch element.
   */
  public static Functional.Outcome ctcLoss(Variable logProbs, Variable targets, Variable inputLengths,
                                           Variable targetLengths, long blank, String reduction,
                                           boolean zeroInfinity) {
    List<String> warnings = new ArrayList<>();
    try {
      Reduction r = Functional.resolve(null, null, reduction, warnings);
      if (!isIntegral(inputLengths.data().dtype())) {
        throw new RuntimeError("input_lengths must be integral");
      }
      if (!isIntegral(targetLengths.data().dtype())) {
        throw new RuntimeError("target_lengths must be integral");
      }
      return new Outcome(logProbs, targets, inputLengths.data().toLongArray(), targetLengths.data().toLongArray(),
          new CTCLoss(blank, r, zeroInfinity), warnings).run();
    } catch (TorchException e) {
      throw e.withWarnings(warnings);
    }
  }

  /**
   * {@code F.ctc_loss} with the lengths given as lists (or tuples) of ints, one per batch element.
   */
  public static Functional.Outcome ctcLoss(Variable logProbs, Variable targets, long[] inputLengths,
                                           long[] targetLengths, long blank, String reduction,
                                           boolean zeroInfinity) {
    List<String> warnings = new ArrayList<>();
    try {
      Reduction r = Functional.resolve(null, null, reduction, warnings);
      return new Outcome(logProbs, targets, inputLengths, targetLengths, new CTCLoss(blank, r, zeroInfinity),
          warnings).run();
    } catch (TorchException e) {
      throw e.withWarnings(warnings);
    }
  }

  /** The list-lengths form under a name of its own, for callers (the Python shim) that cannot pick overloads. */
  public static Functional.Outcome ctcLossWithLengthLists(Variable logProbs, Variable targets, long[] inputLengths,
                                                          long[] targetLengths, long blank, String reduction,
                                                          boolean zeroInfinity) {
    return ctcLoss(logProbs, targets, inputLengths, targetLengths, blank, reduction, zeroInfinity);
  }

  private static boolean isIntegral(DType d) {
    return d == DType.INT64;
  }

  private record Outcome(Variable logProbs, Variable targets, long[] il, long[] tl, CTCLoss loss,
                         List<String> warnings) {
    Functional.Outcome run() {
      return new Functional.Outcome(loss.forward(logProbs, targets, il, tl), warnings);
    }
  }
}
