package dev.loss4j.loss;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.GradientFunction;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.IndexError;
import dev.loss4j.errors.NotImplementedError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.errors.TorchException;
import dev.loss4j.kernel.SequenceKernels;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Storage;
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
   *
   * <p>The recursions run on {@link SequenceKernels}, batch items in parallel (the result does not depend
   * on the thread count); forward keeps the unscaled gradient, backward only scales it.
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
      return Differentiable.run(this, new Tensor[] {logProbs, targets, lengths(inputLengths), lengths(targetLengths)},
          new boolean[4]).output();
    }

    /**
     * Inputs: log_probs, targets, input_lengths, target_lengths (the lengths as int64 tensors of one
     * element per batch element, any shape); only log_probs is differentiated.
     */
    /** PyTorch's CPU CTC refuses float16 and bfloat16 log_probs. */
    @Override
    public String reducedFloatKernel() {
      return "ctc_loss_cpu";
    }

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
        throw NotImplementedError.forDtype("ctc_loss_cpu", lp.dtype().scalarTypeName());
      }
      if (lp.numel() == 0) {
        // PyTorch 2.x refuses an empty log_probs before its shape checks (1.13 returned an empty loss).
        throw new RuntimeError("log_probs tensor must not be empty");
      }
      final String c = " (while checking arguments for ctc_loss_allocate_outputs)";
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
      for (int b = 0; b < n; b++) {
        if (tl[b] < 0) { // PyTorch 2.x checks negative target lengths first (1.13 read out of bounds)
          throw new RuntimeError("Expected target_lengths to have value at least 0, but got value " + tl[b] + c);
        }
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
        if (il[b] < 0) {
          throw new RuntimeError("Expected input_lengths to have value at least 0, but got value " + il[b] + c);
        }
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
        for (long i = 0; i < tl[b]; i++) {
          long v = tg[(int) (offsets[b] + i)];
          if (v < 0 || v >= numLabels) {
            // PyTorch (1.13 and 2.13) does no bound check and reads out of bounds: refuse rather than invent a value.
            throw new IndexError("loss4j: target " + v + " is out of bounds for " + numLabels
                + " classes (undefined behaviour in PyTorch's ctc_loss)");
          }
        }
      }
      DType dt = lp.dtype();
      boolean f32 = dt == DType.FLOAT32;
      double[] nll = new double[n];
      float[] unscaledF = null;
      double[] unscaledD = null;
      if (f32) {
        unscaledF = needsGrad[0] ? new float[lp.numel()] : null;
        SequenceKernels.ctc(Storage.floats(lp), bigT, n, numLabels, tg, offsets, il, tl, (int) blank, nll, unscaledF);
      } else {
        unscaledD = needsGrad[0] ? new double[lp.numel()] : null;
        SequenceKernels.ctc(Storage.doubles(lp), bigT, n, numLabels, tg, offsets, il, tl, (int) blank, nll,
            unscaledD);
      }
      double[] res = nll.clone();
      boolean[] zeroed = new boolean[n];
      if (zeroInfinity) {
        for (int b = 0; b < n; b++) {
          if (res[b] == Double.POSITIVE_INFINITY) {
            res[b] = 0;
            zeroed[b] = true;
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
            sum += round(res[b] / clamped[b], f32);
          }
          output = Tensor.scalar(round(round(sum, f32) / n, f32), dt);
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
        float[] uf = unscaledF;
        double[] ud = unscaledD;
        backward = g -> {
          double[] gr = new double[n];
          for (int b = 0; b < n; b++) {
            gr[b] = switch (reduction) {
              case MEAN -> round(round(g.item() / n, f32) / clamped[b], f32);
              case SUM -> g.item();
              default -> g.getDouble(batched ? b : 0);
            };
          }
          Tensor grad = f32
              ? Storage.adopt(SequenceKernels.scaleGradient(uf, n, numLabels, il, gr, zeroed), lpShape)
              : Storage.adopt(SequenceKernels.scaleGradient(ud, n, numLabels, il, gr, zeroed), lpShape);
          return new Tensor[] {grad, null, null, null};
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

  /** Rounds to float when the loss is computed in float32, as ATen's float arithmetic does. */
  private static double round(double v, boolean f32) {
    return f32 ? (double) (float) v : v;
  }

  private static Tensor lengths(long[] values) {
    return Tensor.ofLongs(values, values.length);
  }

  // ---- torch.nn.functional ----------------------------------------------------------------------------

  /**
   * {@code F.ctc_loss} (blank 0, reduction 'mean', zero_infinity false by default) with the input and target
   * lengths as tensors: they must have an integer dtype (int64 or int32 here; bool and
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
    return d.isIntegral();
  }

  private record Outcome(Variable logProbs, Variable targets, long[] il, long[] tl, CTCLoss loss,
                         List<String> warnings) {
    Functional.Outcome run() {
      return new Functional.Outcome(loss.forward(logProbs, targets, il, tl), warnings);
    }
  }
}
