package dev.loss4j.loss;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.GradientFunction;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.CppText;
import dev.loss4j.errors.IndexError;
import dev.loss4j.errors.NotImplementedError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.errors.TorchException;
import dev.loss4j.errors.ValueError;
import dev.loss4j.kernel.ClassificationKernels;
import dev.loss4j.kernel.SoftmaxKernels;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Storage;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The classification losses of {@code torch.nn}: NLLLoss, CrossEntropyLoss, MultiMarginLoss and
 * MultiLabelMarginLoss, as loss classes ({@link Differentiable}) and as {@code torch.nn.functional}-style
 * entry points ({@link #nllLoss}, {@link #crossEntropy}, {@link #multiMarginLoss},
 * {@link #multilabelMarginLoss}) that check their arguments in PyTorch 1.13's order and raise its errors.
 *
 * <p>Class-dimension layout: an input of shape (C) is one sample; (N, C) a batch; (N, C, d1, ..., dK) a
 * batch of K-dimensional samples, the class dimension being 1. Kernels view it as (outer, C, inner) with
 * outer = N and inner = d1 * ... * dK. The loops are {@link ClassificationKernels}' (on the tensors' own
 * arrays, one fused pass for loss and input gradient); this class checks arguments in PyTorch's order,
 * sums the target weights, picks the reduction and applies the chain rule. Everything is computed in
 * double and rounded to the output dtype.
 */
public final class Classification {
  private Classification() {}

  private static final long DEFAULT_IGNORE_INDEX = -100;

  // =====================================================================================================
  // NLLLoss
  // =====================================================================================================

  /**
   * Negative log likelihood, {@code torch.nn.NLLLoss}: {@code l_n = -w_{y_n} x_{n, y_n}}, 0 where
   * {@code y_n == ignore_index}. Reduction mean divides the sum by {@code sum_n w_{y_n}} over the targets
   * that are not ignored (NaN when every target is ignored), sum adds, none keeps (N) or (N, d1, ..., dK).
   *
   * <p>Shapes: input (C), (N, C) or (N, C, d1, ..., dK) of log-probabilities (float32/float64); target
   * () , (N) or (N, d1, ..., dK) of int64 class indices in [0, C) (or ignore_index); weight (C), of the
   * input's dtype, optional, never differentiable. Inputs: {@code {input, target, weight-or-null}}. The
   * gradient flows to the input only.
   */
  public static final class NLLLoss implements Differentiable {
    /**
     * float16 and bfloat16: inputs of any shape as PyTorch's CPU NLL kernels sum them, in the dtype through
     * their cascade of partial sums ({@link HalfNll}) (a weight never asks for a gradient: checkNll refuses it).
     */
    @Override
    public ReducedFloat reducedFloat() {
      return ReducedFloat.NATIVE;
    }

    private final Reduction reduction;
    private final long ignoreIndex;

    public NLLLoss(Reduction reduction, long ignoreIndex) {
      this.reduction = Reduction.checkNotBatchmean(reduction);
      this.ignoreIndex = ignoreIndex;
    }

    public NLLLoss() {
      this(Reduction.MEAN, DEFAULT_IGNORE_INDEX);
    }

    public Reduction reduction() {
      return reduction;
    }

    public long ignoreIndex() {
      return ignoreIndex;
    }

    /** The loss of {@code input} against {@code target} (weight may be null), without gradients. */
    public Tensor forward(Tensor input, Tensor target, Tensor weight) {
      return Differentiable.run(this, new Tensor[] {input, target, weight}, new boolean[3]).output();
    }

    /** The loss as a node of an autograd graph; {@code weight} may be null. */
    public Variable forward(Variable input, Variable target, Variable weight) {
      return Variable.apply(this, null, input, target, weight);
    }

    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      Tensor input = inputs[0];
      Tensor target = inputs[1];
      Tensor weight = inputs.length > 2 ? inputs[2] : null;
      boolean weightGrad = needsGrad.length > 2 && needsGrad[2];
      NllShape kind = checkNll(input, target, weight, weightGrad, reduction); // the weight has the input's dtype
      target = target.to(DType.INT64); // uint8 class indices, accepted by the checks, read as int64
      if (input.dtype().isReducedFloat()) {
        return reducedPrecision(input, target, weight, input.dtype(), kind.outputShape(input.shape(), reduction),
            kind.gradFnName(reduction), needsGrad[0]);
      }
      Layout lay = Layout.of(input.shape(), input.dim() == 1 ? 0 : 1);
      return classTargets(false, input, target, weight, lay, ignoreIndex, 0.0, reduction,
          kind.outputShape(input.shape(), reduction), kind.gradFnName(reduction), needsGrad[0]);
    }

    /** A float16/bfloat16 input of any shape against class indices, as {@link HalfNll} computes it. */
    private Result reducedPrecision(Tensor input, Tensor target, Tensor weight, DType dt, int[] outShape,
                                    String gradFnName, boolean needsGrad) {
      Layout lay = Layout.of(input.shape(), input.dim() == 1 ? 0 : 1);
      long[] labels = HalfNll.labels(target, ignoreIndex, lay.classes());
      double[] w = weight == null ? null : weight.toDoubleArray();
      HalfNll nll = HalfNll.forward(input.toDoubleArray(), labels, w, ignoreIndex, lay.outer() * lay.inner(),
          lay.classes(), lay.inner(), reduction, dt);
      Tensor output = HalfSteps.tensor(nll.output(), dt, outShape);
      GradientFunction backward = !needsGrad ? null : up -> new Tensor[] {
          HalfSteps.tensor(nll.backward(up, labels, w, ignoreIndex, lay.classes(), lay.inner(), reduction, dt), dt,
              input.shape()),
          null, null};
      return new Result(output, gradFnName, List.of(), backward);
    }

    @Override
    public String toString() {
      return "NLLLoss(reduction=" + reduction.torchName() + ", ignore_index=" + ignoreIndex + ")";
    }
  }

  /** Which ATen kernel nll_loss_nd picks, which decides messages and the grad_fn name. */
  private enum NllShape {
    /** 1-d or 2-d input: nll_loss. */
    PLAIN,
    /** 4-d input: nll_loss2d. */
    SPATIAL,
    /** 3-d or more than 4-d input: viewed to 4-d, nll_loss2d, the none output viewed back. */
    VIEWED;

    String gradFnName(Reduction r) {
      return switch (this) {
        case PLAIN -> "NllLossBackward0";
        case SPATIAL -> "NllLoss2DBackward0";
        case VIEWED -> r == Reduction.NONE ? "ViewBackward0" : "NllLoss2DBackward0";
      };
    }

    int[] outputShape(int[] inputShape, Reduction r) {
      if (r != Reduction.NONE || inputShape.length == 1) {
        return new int[0];
      }
      int[] out = new int[inputShape.length - 1];
      out[0] = inputShape[0];
      System.arraycopy(inputShape, 2, out, 1, inputShape.length - 2);
      return out;
    }
  }

  /**
   * nll_loss_nd's checks, then its kernel's, in PyTorch 2.13's order, on an input of log-probabilities.
   */
  private static NllShape checkNll(Tensor input, Tensor target, Tensor weight, boolean weightNeedsGrad,
                                   Reduction reduction) {
    int d = input.dim();
    if (d < 1) {
      throw new ValueError("Expected 1 or more dimensions (got " + d + ")");
    }
    if (d != 1) {
      if (target.dim() == 0 && input.size(0) == 0) {
        // An empty batch passes the batch-size check against a 0-d target's "0"; ATen then reads the target's
        // size 0 (2-d input) or slices its missing spatial sizes (3-d and more).
        throw d == 2 ? new IndexError("Dimension specified as 0 but tensor has no dimensions")
            : new RuntimeError("ArrayRef: invalid slice, N = 1; size = 0");
      }
      int targetBatch = target.dim() == 0 ? 0 : target.size(0);
      if (input.size(0) != targetBatch) {
        throw new ValueError("Expected input batch_size (" + input.size(0) + ") to match target batch_size ("
            + targetBatch + ").");
      }
    }
    NllShape kind;
    String frame;
    int classes = d == 1 ? input.size(0) : input.size(1);
    if (d <= 2) {
      kind = NllShape.PLAIN;
      frame = "nll_loss_out_frame";
      if (weightNeedsGrad) {
        throw new RuntimeError(notDifferentiable("nll_loss_forward", "weight"));
      }
      if (target.dim() > 1) {
        throw new RuntimeError("0D or 1D target tensor expected, multi-target not supported");
      }
      checkTargetDtype(target);
      if (d == 1 && target.dim() == 1 && target.size(0) != 1) {
        throw new ValueError("For 1D input, 1D target must have size 1, but got target size: " + target.size(0));
      }
      classes = input.size(-1);
      if (weight != null && !(weight.dim() == 1 && weight.numel() == classes)) {
        throw new RuntimeError("weight tensor should be defined either for all " + classes
            + " classes or no classes but got weight tensor of shape: " + Shapes.format(weight.shape()));
      }
    } else {
      frame = "nll_loss2d_forward_out_frame";
      if (d != 4) {
        kind = NllShape.VIEWED;
        int[] in = input.shape();
        int[] t = target.shape();
        int[] expected = new int[in.length - 1];
        expected[0] = in[0];
        System.arraycopy(in, 2, expected, 1, in.length - 2);
        boolean same = t.length == in.length - 1;
        for (int i = 1; same && i < t.length; i++) {
          same = t[i] == in[i + 1];
        }
        if (!same) {
          throw new RuntimeError("Expected target size " + Shapes.format(expected) + ", got " + Shapes.format(t));
        }
      } else {
        kind = NllShape.SPATIAL;
      }
      if (weightNeedsGrad) {
        throw new RuntimeError(notDifferentiable("nll_loss2d_forward", "weight"));
      }
      if (kind == NllShape.SPATIAL && target.dim() != 3) {
        throw new RuntimeError("only batches of spatial targets supported (3D tensors) but got targets of dimension: "
            + target.dim());
      }
      checkTargetDtype(target);
      if (weight != null && weight.numel() != classes) {
        throw new RuntimeError("weight tensor should be defined either for all or no classes");
      }
      if (kind == NllShape.SPATIAL) {
        int[] in = input.shape();
        int[] t = target.shape();
        if (in[0] != t[0] || in[2] != t[1] || in[3] != t[2]) {
          throw new RuntimeError("size mismatch (got input: " + Shapes.format(in) + " , target: " + Shapes.format(t));
        }
      }
    }
    if (!input.dtype().isFloatingPoint()) {
      throw notImplemented(frame, input.dtype());
    }
    if (weight != null && weight.dtype() != input.dtype()) {
      throw expectedScalarType(input.dtype(), weight.dtype());
    }
    if (kind != NllShape.PLAIN && target.dtype() == DType.UINT8) {
      throw expectedScalarType(DType.INT64, DType.UINT8); // PyTorch's 2-d kernel takes int64 alone
    }
    return kind;
  }

  private static RuntimeError inconsistentTarget(Tensor target, Tensor input) {
    return new RuntimeError("inconsistent target size: " + Shapes.format(target.shape()) + " for input of size: "
        + Shapes.format(input.shape()));
  }

  /** PyTorch 2.x takes class indices as int64 or uint8, empty or not; int32, int16 and int8 are refused. */
  private static void checkTargetDtype(Tensor target) {
    if (target.dtype() != DType.INT64 && target.dtype() != DType.UINT8) {
      throw new RuntimeError("expected target dtype to be Long or Byte, but got " + target.dtype().scalarTypeName());
    }
  }

  /**
   * NLL ({@code logits == false}) or cross entropy of logits against class indices, on the kernels: the
   * targets are checked (and the total target weight summed) first, then one fused pass gives the loss
   * and, when {@code needsGrad}, the input gradient at a unit output gradient, which backward scales.
   * A 1-d input is one sample whose class is the target's first element (PyTorch reads only that one).
   */
  private static Differentiable.Result classTargets(boolean logits, Tensor input, Tensor target, Tensor weight,
                                                   Layout lay, long ignoreIndex, double smoothing,
                                                   Reduction reduction, int[] outShape, String gradFnName,
                                                   boolean needsGrad) {
    long[] labels = Storage.longs(target);
    double[] w = weight == null ? null : weight.toDoubleArray();
    int positions = lay.outer * lay.inner;
    double totalWeight = 0;
    for (int p = 0; p < positions; p++) {
      long cls = labels[p];
      if (cls == ignoreIndex) {
        continue;
      }
      if (cls < 0 || cls >= lay.classes) {
        throw new IndexError("Target " + cls + " is out of bounds.");
      }
      totalWeight += w == null ? 1.0 : w[(int) cls];
    }
    boolean none = reduction == Reduction.NONE;
    DType dtype = input.dtype();
    // A reduced float32 NLL as ATen's kernels add it, the loss and the total weight each in float through their
    // cascade of partial sums (where large terms or weights of both signs cancel, that is PyTorch's answer:
    // make fuzz SEED=11, 'sum' with a weight at 2e7); a mean's gradient divides by that total weight.
    float[] cascade = !logits && !none && dtype == DType.FLOAT32
        ? ClassificationKernels.nllCascade(Storage.floats(input), labels,
            weight == null ? null : Storage.floats(weight), lay.outer, lay.classes, lay.inner, ignoreIndex)
        : null;
    if (cascade != null) {
      totalWeight = cascade[1];
    }
    double scale = reduction == Reduction.MEAN ? 1 / totalWeight : 1;
    Tensor output;
    Tensor local = null;
    double total;
    if (dtype == DType.FLOAT32) {
      float[] x = Storage.floats(input);
      float[] each = none ? new float[positions] : null;
      float[] gx = needsGrad ? new float[x.length] : null;
      total = logits
          ? ClassificationKernels.crossEntropy(x, labels, w, lay.outer, lay.classes, lay.inner, ignoreIndex,
              smoothing, scale, each, gx)
          : ClassificationKernels.nll(x, labels, w, lay.outer, lay.classes, lay.inner, ignoreIndex, scale, each, gx);
      output = none ? Storage.adopt(each, outShape) : null;
      local = gx == null ? null : Storage.adopt(gx, input.shape());
      if (cascade != null) {
        float value = reduction == Reduction.SUM ? cascade[0] : cascade[0] / cascade[1];
        return new Differentiable.Result(Tensor.scalar(value, dtype), gradFnName, List.of(),
            unitBackward(local, reduction, lay));
      }
    } else {
      double[] x = Storage.doubles(input);
      double[] each = none ? new double[positions] : null;
      double[] gx = needsGrad ? new double[x.length] : null;
      total = logits
          ? ClassificationKernels.crossEntropy(x, labels, w, lay.outer, lay.classes, lay.inner, ignoreIndex,
              smoothing, scale, each, gx)
          : ClassificationKernels.nll(x, labels, w, lay.outer, lay.classes, lay.inner, ignoreIndex, scale, each, gx);
      output = none ? Storage.adopt(each, outShape) : null;
      local = gx == null ? null : Storage.adopt(gx, input.shape());
    }
    if (smoothing > 0 && lay.classes == 0) {
      // No classes: PyTorch's smoothing factor s / C is inf, and inf times the (empty, or ignored and zeroed)
      // smoothing term is NaN at every position and in the sum.
      total = Double.NaN;
      if (none) {
        output = Tensor.full(Double.NaN, dtype, outShape);
      }
    }
    if (!none) {
      // PyTorch divides the NLL part by the total weight on its own: with no weight on the targets that
      // is 0/0, NaN, even where the label-smoothing part is not 0.
      double mean = totalWeight == 0 ? Double.NaN : total / totalWeight;
      output = Tensor.scalar(reduction == Reduction.SUM ? total : mean, dtype);
    }
    return new Differentiable.Result(output, gradFnName, List.of(), unitBackward(local, reduction, lay));
  }

  /** The backward of a class-target loss from its gradient at a unit output gradient (null: none wanted). */
  private static GradientFunction unitBackward(Tensor unit, Reduction reduction, Layout lay) {
    return unit == null ? null
        : g -> new Tensor[] {chain(unit, g, reduction, lay.outer, lay.classes, lay.inner), null, null};
  }

  /**
   * The chain rule for a gradient computed at a unit output gradient: a reduced loss's scalar scales it,
   * an unreduced loss's gradient (one value per position of (outer, inner)) scales each position's classes.
   */
  private static Tensor chain(Tensor unit, Tensor g, Reduction r, int outer, int classes, int inner) {
    boolean f32 = unit.dtype() == DType.FLOAT32;
    if (r != Reduction.NONE) {
      double s = g.item();
      if (s == 1.0) {
        return unit;
      }
      return f32 ? Storage.adopt(ClassificationKernels.scaled(Storage.floats(unit), s), unit.shape())
          : Storage.adopt(ClassificationKernels.scaled(Storage.doubles(unit), s), unit.shape());
    }
    double[] perPosition = g.toDoubleArray();
    return f32
        ? Storage.adopt(ClassificationKernels.scaledPerPosition(Storage.floats(unit), perPosition, outer, classes,
            inner), unit.shape())
        : Storage.adopt(ClassificationKernels.scaledPerPosition(Storage.doubles(unit), perPosition, outer, classes,
            inner), unit.shape());
  }

  private static Tensor reduce(double[] each, double total, double divisor, Reduction r, int[] shape, DType dtype) {
    return switch (r) {
      case NONE -> {
        TensorBuilder b = new TensorBuilder(dtype, shape);
        for (int i = 0; i < each.length; i++) {
          b.set(i, each[i]);
        }
        yield b.build();
      }
      case SUM -> Tensor.scalar(total, dtype);
      default -> Tensor.scalar(total / divisor, dtype);
    };
  }

  // =====================================================================================================
  // CrossEntropyLoss
  // =====================================================================================================

  /**
   * Cross entropy of logits against classes, {@code torch.nn.CrossEntropyLoss}: log-softmax over the
   * class dimension, then the NLL loss (class-index targets), or {@code l_n = -sum_c w_c p_{n,c}
   * log_softmax(x_n)_c} (probability targets, recognised by a target of the input's shape).
   *
   * <p>Label smoothing {@code s} in (0, 1]: for class targets the loss is {@code (1 - s) nll + (s / C)
   * smooth} where {@code smooth_n = -sum_c w_c log_softmax(x_n)_c} (0 where ignored), reduced as the
   * NLL part (mean divides by the same total target weight); for probability targets the target becomes
   * {@code p (1 - s) + s / C}. Probability targets reject ignore_index &gt;= 0 and give gradients to the
   * target and the weight too; mean divides by N * d1 * ... * dK (NaN when empty).
   *
   * <p>Shapes: input (C), (N, C), (N, C, d1, ..., dK); target (), (N), (N, d1, ..., dK) of int64
   * classes, or the input's shape of probabilities; weight (C). Inputs: {@code {input, target,
   * weight-or-null}}. The log-softmax is computed stably: {@code x - max - log(sum(exp(x - max)))}.
   */
  public static final class CrossEntropyLoss implements Differentiable {
    private final Reduction reduction;
    private final long ignoreIndex;
    private final double labelSmoothing;

    public CrossEntropyLoss(Reduction reduction, long ignoreIndex, double labelSmoothing) {
      this.reduction = Reduction.checkNotBatchmean(reduction);
      this.ignoreIndex = ignoreIndex;
      this.labelSmoothing = labelSmoothing;
    }

    public CrossEntropyLoss() {
      this(Reduction.MEAN, DEFAULT_IGNORE_INDEX, 0.0);
    }

    public Reduction reduction() {
      return reduction;
    }

    public long ignoreIndex() {
      return ignoreIndex;
    }

    public double labelSmoothing() {
      return labelSmoothing;
    }

    /** The loss of {@code input} against {@code target} (weight may be null), without gradients. */
    public Tensor forward(Tensor input, Tensor target, Tensor weight) {
      return Differentiable.run(this, new Tensor[] {input, target, weight}, new boolean[3]).output();
    }

    /** The loss as a node of an autograd graph; {@code weight} may be null. */
    public Variable forward(Variable input, Variable target, Variable weight) {
      return Variable.apply(this, null, input, target, weight);
    }

    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      Tensor input = inputs[0];
      Tensor target = inputs[1];
      Tensor weight = inputs.length > 2 ? inputs[2] : null;
      boolean weightGrad = needsGrad.length > 2 && needsGrad[2];
      if (input.sameShape(target)) {
        return probabilityTargets(input, target, weight, needsGrad[0], needsGrad[1], weightGrad);
      }
      if (labelSmoothing > 0.0) {
        checkLabelSmoothing(labelSmoothing);
      }
      int classDim = input.dim() == 1 ? 0 : 1;
      checkLogSoftmax(input, classDim);
      NllShape kind = checkNll(input, target, weight, weightGrad, reduction);
      target = target.to(DType.INT64); // uint8 class indices, accepted by the checks, read as int64
      DType half = HalfSteps.uniform("CrossEntropyLoss", input, weight);
      if (half != null) {
        return reducedPrecision(input, target, weight, half, kind.gradFnName(reduction),
            kind.outputShape(input.shape(), reduction), needsGrad[0]);
      }
      Layout lay = Layout.of(input.shape(), classDim);
      // Label smoothing adds (s / C) times the smoothing term: PyTorch's graph ends in an addition.
      String name = labelSmoothing > 0.0 ? "AddBackward0" : kind.gradFnName(reduction);
      double smoothing = labelSmoothing > 0.0 ? labelSmoothing : 0.0;
      return classTargets(true, input, target, weight, lay, ignoreIndex, smoothing, reduction,
          kind.outputShape(input.shape(), reduction), name, needsGrad[0]);
    }

    /**
     * float16/bfloat16 logits (C), (N, C) or (N, C, d1, ..., dK) against class indices, as PyTorch 2.13's CPU
     * computes them: over the last dimension its log_softmax kernel keeps {@code sum(exp(x - max))} and its log
     * in the dtype, over another it keeps them in float32, and rounds {@code x - max - log} once; the NLL kernel
     * sums the picked terms and the weights in the dtype, in its cascade of partial sums (see {@link HalfNll});
     * backward scales {@code -g / total_weight} (rounded) by the weight, and log_softmax's backward rounds
     * {@code grad - exp(lp) sum(grad)} once. Label smoothing adds PyTorch's smoothing term, op by op, each step
     * rounded to {@code dt}.
     */
    private Result reducedPrecision(Tensor input, Tensor target, Tensor weight, DType dt, String gradFnName,
                                    int[] outShape, boolean needsGrad) {
      Layout lay = Layout.of(input.shape(), input.dim() == 1 ? 0 : 1);
      int classes = lay.classes();
      int inner = lay.inner();
      int n = lay.outer() * inner;
      long[] labels = HalfNll.labels(target, ignoreIndex, classes);
      double[] w = weight == null ? null : weight.toDoubleArray();
      double[] x = input.toDoubleArray();
      double[] lp = logSoftmax(x, lay, input.dim() <= 2, dt);
      HalfNll nll = HalfNll.forward(lp, labels, w, ignoreIndex, n, classes, inner, reduction, dt);
      double[] value = nll.output();
      double ls = labelSmoothing;
      double smoothDivisor = 1;
      if (ls > 0.0) {
        // (1 - s) * nll + smooth * (s / C), smooth the positions' -sum_c w_c lp_c (0 where ignored), reduced as
        // NLL is (mean divides by the kept positions' count or weight sum, in the dtype).
        double[] smooth = new double[n];
        double kept = 0;
        for (int i = 0; i < n; i++) {
          if (labels[i] == ignoreIndex) {
            continue;
          }
          kept += w == null ? 1 : w[(int) labels[i]];
          double acc = 0;
          for (int c = 0; c < classes; c++) {
            int k = lay.index(i, c);
            acc += w == null ? lp[k] : HalfSteps.r(lp[k] * w[c], dt);
          }
          smooth[i] = -HalfSteps.r(acc, dt);
        }
        double[] ret = smooth;
        if (reduction != Reduction.NONE) {
          double sum = HalfSteps.reduce(smooth, dt, new int[] {n}, Reduction.SUM).item();
          smoothDivisor = reduction == Reduction.MEAN ? dt.round(kept) : 1;
          ret = new double[] {HalfSteps.r(sum / smoothDivisor, dt)};
        }
        value = new double[ret.length];
        for (int i = 0; i < ret.length; i++) {
          value[i] = HalfSteps.r(HalfSteps.r((1 - ls) * nll.output()[i], dt) + HalfSteps.r(ret[i] * (ls / classes), dt),
              dt);
        }
      }
      Tensor output = HalfSteps.tensor(value, dt, outShape);
      double divisor = smoothDivisor;
      GradientFunction backward = !needsGrad ? null : up -> {
        double[] gl;
        if (ls > 0.0) {
          double[] g = up.toDoubleArray();
          double[] toNll = new double[g.length];
          double[] toSmooth = new double[g.length];
          for (int i = 0; i < g.length; i++) {
            toNll[i] = HalfSteps.r(g[i] * (1 - ls), dt);
            toSmooth[i] = HalfSteps.r(HalfSteps.r(g[i] * (ls / classes), dt) / divisor, dt);
          }
          gl = nll.backward(HalfSteps.tensor(toNll, dt, up.shape()), labels, w, ignoreIndex, classes, inner,
              reduction, dt);
          for (int i = 0; i < n; i++) {
            if (labels[i] == ignoreIndex) {
              continue;
            }
            double gs = toSmooth[reduction == Reduction.NONE ? i : 0];
            for (int c = 0; c < classes; c++) {
              int k = lay.index(i, c);
              gl[k] = HalfSteps.r(gl[k] + (w == null ? -gs : HalfSteps.r(-gs * w[c], dt)), dt);
            }
          }
        } else {
          gl = nll.backward(up, labels, w, ignoreIndex, classes, inner, reduction, dt);
        }
        return new Tensor[] {HalfSteps.tensor(logSoftmaxBackward(gl, lp, lay, dt), dt, input.shape()), null, null};
      };
      return new Result(output, ls > 0.0 ? "AddBackward0" : gradFnName, List.of(), backward);
    }

    private Result probabilityTargets(Tensor input, Tensor target, Tensor weight, boolean gx, boolean gt,
                                      boolean gw) {
      DType half = HalfSteps.uniform("CrossEntropyLoss", input, target, weight);
      if (!target.dtype().isFloatingPoint()) {
        throw new RuntimeError("Expected floating point type for target with class probabilities, got "
            + target.dtype().scalarTypeName());
      }
      if (ignoreIndex >= 0) {
        throw new RuntimeError("ignore_index is not supported for floating point target");
      }
      int classDim = input.dim() == 1 ? 0 : 1;
      if (input.dim() == 0) {
        throw new IndexError("Dimension specified as 1 but tensor has no dimensions");
      }
      int classes = input.size(classDim);
      if (weight != null && !(weight.dim() == 1 && weight.numel() == classes)) {
        throw new RuntimeError("cross_entropy: weight tensor should be defined either for all " + classes
            + " classes or no classes but got weight tensor of shape: " + Shapes.format(weight.shape()));
      }
      checkLogSoftmax(input, classDim);
      double ls = labelSmoothing;
      if (ls > 0.0) {
        checkLabelSmoothing(ls);
      }
      DType outType = DType.promote(input.dtype(), target.dtype());
      if (weight != null) {
        outType = DType.promote(outType, weight.dtype());
      }
      Layout lay = Layout.of(input.shape(), classDim);
      if (half != null) {
        return probabilityReduced(input, target, weight, lay, half, gx, gt, gw);
      }
      if (target.dtype() == input.dtype() && (weight == null || weight.dtype() == input.dtype())) {
        return probabilityKernel(input, target, weight, lay, gx, gt, gw);
      }
      // Mixed dtypes: log_softmax on the kernel, the rest per element in double (an empty integer input has
      // nothing to take the log-softmax of: its products promote to the target's dtype).
      double[] lp = input.numel() == 0 ? new double[0] : LogSoftmax.forward(input, lay);
      double[] p = target.toDoubleArray();
      double[] pt = new double[p.length];
      double targetScale = ls > 0.0 ? 1 - ls : 1.0;
      // Each op in its own dtype, as PyTorch's: the smoothed target in the target's, input * target in their
      // promoted one, then times the weight in the output's.
      DType td = target.dtype();
      DType prodType = DType.promote(input.dtype().isFloatingPoint() ? input.dtype() : td, td);
      for (int i = 0; i < p.length; i++) {
        pt[i] = ls > 0.0 ? td.round(td.round(p[i] * td.round(1 - ls)) + td.round(ls / classes)) : p[i];
      }
      double[] w = weight == null ? null : weight.toDoubleArray();
      int positions = lay.outer * lay.inner;
      double[] each = new double[positions];
      double total = 0;
      for (int q = 0; q < positions; q++) {
        double sum = 0;
        for (int c = 0; c < classes; c++) {
          int i = lay.index(q, c);
          double prod = prodType.round(lp[i] * pt[i]);
          sum += w == null ? prod : outType.round(prod * w[c]);
        }
        each[q] = -sum;
        total -= sum;
      }
      int numel = input.numel();
      // none drops the class dimension: () for a 1-d input, (N, d1, ..., dK) otherwise.
      int[] outShape = NllShape.VIEWED.outputShape(input.shape(), Reduction.NONE);
      double divisor = numel == 0 ? 0 : (double) (numel / classes);
      Tensor output = switch (reduction) {
        case NONE -> reduce(each, 0, 1, Reduction.NONE, outShape, outType);
        case SUM -> Tensor.scalar(total, outType);
        default -> Tensor.scalar(numel == 0 ? Double.NaN : total / divisor, outType);
      };
      String name = reduction == Reduction.MEAN && numel > 0 ? "DivBackward1" : "NegBackward0";
      GradientFunction backward = !(gx || gt || gw) ? null : g -> {
        double scalar = reduction == Reduction.NONE ? 0 : g.item();
        double[] gq = new double[positions];
        for (int q = 0; q < positions; q++) {
          gq[q] = switch (reduction) {
            case NONE -> g.getDouble(q);
            case SUM -> scalar;
            // The mean of an empty input is a filled NaN: nothing flows back.
            default -> numel == 0 ? 0 : scalar / divisor;
          };
        }
        double[] glp = gx ? new double[lp.length] : null;
        TensorBuilder gtb = gt ? new TensorBuilder(target.dtype(), target.shape()) : null;
        double[] gwv = gw ? new double[classes] : null;
        for (int q = 0; q < positions; q++) {
          for (int c = 0; c < classes; c++) {
            int i = lay.index(q, c);
            double wc = w == null ? 1.0 : w[c];
            if (glp != null) {
              glp[i] = -gq[q] * pt[i] * wc;
            }
            if (gtb != null) {
              gtb.set(i, -gq[q] * wc * lp[i] * targetScale);
            }
            if (gwv != null) {
              gwv[c] -= gq[q] * prodType.round(lp[i] * pt[i]); // the product lp * t is a tensor of its dtype
            }
          }
        }
        Tensor gwt = null;
        if (gwv != null) {
          TensorBuilder b = new TensorBuilder(weight.dtype(), weight.shape());
          for (int c = 0; c < classes; c++) {
            b.set(c, gwv[c]);
          }
          gwt = b.build();
        }
        Tensor gInput = null;
        if (glp != null && input.dtype() == DType.FLOAT32 && lay.inner < 8) {
          // float32 log_softmax backward in PyTorch's float steps (go - exp(lp) sum(go) cancels at large targets),
          // from the gradient reaching log_softmax's output rounded to float32: (-g w) t, the products' dtype's
          // steps first (in float32 when input and target are, the weight's widening before)
          float[] go = new float[glp.length];
          for (int q = 0; q < positions; q++) {
            for (int c = 0; c < classes; c++) {
              int i = lay.index(q, c);
              double up = -gq[q] * (w == null ? 1.0 : w[c]);
              go[i] = prodType == DType.FLOAT32 ? (float) up * (float) pt[i] : (float) (up * pt[i]);
            }
          }
          gInput = Storage.adopt(ClassificationKernels.logSoftmaxBackward32(Storage.floats(input), go, lay.outer,
              classes, lay.inner), input.shape());
        } else if (glp != null) {
          gInput = LogSoftmax.backward(lp, glp, lay, input.dtype(), input.shape());
        }
        return new Tensor[] {
          gInput,
          gtb == null ? null : gtb.build(),
          gwt
        };
      };
      return new Result(output, name, List.of(), backward);
    }

    /**
     * Probability targets in float16/bfloat16, as PyTorch 2.13's CPU composes them in the dtype: {@code lp =
     * log_softmax(x)} (see {@link #logSoftmax}), the smoothed target {@code p (1 - s) + s / C} (s / C rounded to
     * the dtype first), the products {@code lp * t} and then {@code * w}, each rounded; their sum over the
     * classes (none) or over all
     * (sum, mean) accumulated wide and rounded once, negated, and for mean divided by the position count
     * (rounding once). Backward takes autograd's steps back through the same ops, each rounded to {@code dt}.
     */
    private Result probabilityReduced(Tensor input, Tensor target, Tensor weight, Layout lay, DType dt,
                                      boolean gx, boolean gt, boolean gw) {
      int classes = lay.classes();
      int positions = lay.outer() * lay.inner();
      int numel = input.numel();
      double ls = labelSmoothing > 0.0 ? labelSmoothing : 0.0;
      double[] lp = logSoftmax(input.toDoubleArray(), lay, input.dim() <= 2, dt);
      double[] t = target.toDoubleArray();
      if (ls > 0.0) {
        // The multiplication takes 1 - s as it is; the addition rounds s / C to the dtype first.
        double shift = dt.round(ls / classes);
        for (int k = 0; k < t.length; k++) {
          t[k] = HalfSteps.r(HalfSteps.r(t[k] * (1 - ls), dt) + shift, dt);
        }
      }
      double[] w = weight == null ? null : weight.toDoubleArray();
      double[] lpt = new double[numel];
      double[] prod = new double[numel];
      double[] each = new double[positions];
      for (int q = 0; q < positions; q++) {
        for (int c = 0; c < classes; c++) {
          int k = lay.index(q, c);
          lpt[k] = HalfSteps.r(lp[k] * t[k], dt);
          prod[k] = w == null ? lpt[k] : HalfSteps.r(lpt[k] * w[c], dt);
          each[q] += prod[k];
        }
      }
      double count = numel == 0 ? 0 : numel / classes;
      Tensor output;
      if (reduction == Reduction.NONE) {
        for (int q = 0; q < positions; q++) {
          each[q] = -HalfSteps.r(each[q], dt);
        }
        output = HalfSteps.tensor(each, dt, NllShape.VIEWED.outputShape(input.shape(), Reduction.NONE));
      } else {
        double total = -HalfSteps.reduce(each, dt, new int[] {positions}, Reduction.SUM).item();
        output = Tensor.scalar(reduction == Reduction.SUM ? total
            : numel == 0 ? Double.NaN : HalfSteps.r(total / count, dt), dt);
      }
      String name = reduction == Reduction.MEAN && numel > 0 ? "DivBackward1" : "NegBackward0";
      GradientFunction backward = !(gx || gt || gw) ? null : g -> {
        double shared = reduction == Reduction.NONE ? 0 : g.item();
        if (reduction == Reduction.MEAN) {
          // The mean of an empty input is a filled NaN: nothing flows back.
          shared = numel == 0 ? 0 : HalfSteps.r(shared / count, dt);
        }
        double[] glp = new double[numel];
        double[] gtv = gt ? new double[numel] : null;
        double[] gwv = gw ? new double[classes] : null;
        for (int q = 0; q < positions; q++) {
          double gq = -(reduction == Reduction.NONE ? g.getDouble(q) : shared);
          for (int c = 0; c < classes; c++) {
            int k = lay.index(q, c);
            if (gwv != null) {
              gwv[c] += HalfSteps.r(gq * lpt[k], dt);
            }
            double ga = w == null ? gq : HalfSteps.r(gq * w[c], dt);
            glp[k] = HalfSteps.r(ga * t[k], dt);
            if (gtv != null) {
              double gs = HalfSteps.r(ga * lp[k], dt);
              gtv[k] = ls > 0.0 ? HalfSteps.r(gs * (1 - ls), dt) : gs;
            }
          }
        }
        return new Tensor[] {
            gx ? HalfSteps.tensor(logSoftmaxBackward(glp, lp, lay, dt), dt, input.shape()) : null,
            gtv == null ? null : HalfSteps.tensor(gtv, dt, target.shape()),
            gwv == null ? null : HalfSteps.tensor(gwv, dt, weight.shape())};
      };
      return new Result(output, name, List.of(), backward);
    }

    /**
     * Probability targets of the input's dtype on {@link ClassificationKernels#crossEntropyProbs}: the loss
     * and the input gradient (at a unit output gradient) in one pass; the rarer target and weight
     * gradients are rebuilt in backward from the recorded per-position maxima and log-sum-exps.
     */
    private Result probabilityKernel(Tensor input, Tensor target, Tensor weight, Layout lay, boolean gx,
                                     boolean gt, boolean gw) {
      DType dtype = input.dtype();
      boolean f32 = dtype == DType.FLOAT32;
      double ls = labelSmoothing > 0.0 ? labelSmoothing : 0.0;
      double[] w = weight == null ? null : weight.toDoubleArray();
      int numel = input.numel();
      int positions = lay.outer * lay.inner;
      // none drops the class dimension: () for a 1-d input, (N, d1, ..., dK) otherwise.
      int[] outShape = NllShape.VIEWED.outputShape(input.shape(), Reduction.NONE);
      double divisor = numel == 0 ? 0 : (double) (numel / lay.classes);
      boolean none = reduction == Reduction.NONE;
      // The mean of an empty input is a filled NaN: nothing flows back.
      double scale = reduction != Reduction.MEAN ? 1 : numel == 0 ? 0 : 1 / divisor;
      double[] max = gt || gw ? new double[positions] : null;
      double[] logSum = gt || gw ? new double[positions] : null;
      Tensor output;
      Tensor local = null;
      double total;
      // float32 rows (and K-dim inputs of fewer than 8 positions a sample, ATen's scalar lanes) take their input
      // gradient in backward, in PyTorch's float steps (crossEntropyProbsGrad32, crossEntropyProbsGrad32Spatial).
      boolean exact32 = f32 && gx && lay.inner < 8;
      if (f32) {
        float[] each = none ? new float[positions] : null;
        float[] dx = gx && !exact32 ? new float[numel] : null;
        total = ClassificationKernels.crossEntropyProbs(Storage.floats(input), Storage.floats(target), w, lay.outer,
            lay.classes, lay.inner, ls, scale, each, dx, max, logSum);
        output = none ? Storage.adopt(each, outShape) : null;
        local = dx == null ? null : Storage.adopt(dx, input.shape());
      } else {
        double[] each = none ? new double[positions] : null;
        double[] dx = gx ? new double[numel] : null;
        total = ClassificationKernels.crossEntropyProbs(Storage.doubles(input), Storage.doubles(target), w,
            lay.outer, lay.classes, lay.inner, ls, scale, each, dx, max, logSum);
        output = none ? Storage.adopt(each, outShape) : null;
        local = dx == null ? null : Storage.adopt(dx, input.shape());
      }
      if (!none) {
        output = Tensor.scalar(reduction == Reduction.SUM ? total : numel == 0 ? Double.NaN : total / divisor, dtype);
      }
      String name = reduction == Reduction.MEAN && numel > 0 ? "DivBackward1" : "NegBackward0";
      if (!(gx || gt || gw)) {
        return new Result(output, name, List.of(), null);
      }
      Tensor unit = local;
      GradientFunction backward = g -> {
        Tensor dx = unit == null ? null : chain(unit, g, reduction, lay.outer, lay.classes, lay.inner);
        if (exact32) {
          float[] gRow = new float[positions];
          if (none) {
            for (int r = 0; r < positions; r++) {
              gRow[r] = -(float) g.getDouble(r);
            }
          } else {
            float gv = (float) g.item();
            java.util.Arrays.fill(gRow, reduction == Reduction.MEAN ? -(gv / (float) divisor) : -gv);
          }
          float[] fx = Storage.floats(input);
          float[] ft = Storage.floats(target);
          dx = Storage.adopt(lay.inner == 1
              ? ClassificationKernels.crossEntropyProbsGrad32(fx, ft, w, lay.outer, lay.classes, ls, gRow)
              : ClassificationKernels.crossEntropyProbsGrad32Spatial(fx, ft, w, lay.outer, lay.classes, lay.inner,
                  ls, gRow), input.shape());
        }
        Tensor dt = null;
        Tensor dw = null;
        if (gt || gw) {
          double[] gq;
          if (none) {
            gq = g.toDoubleArray();
          } else {
            gq = new double[positions];
            // float32: the gradient reaching the products as PyTorch's DivBackward1 leaves it, g / M in float
            double gv = !f32 ? g.item() * scale : reduction == Reduction.MEAN && numel > 0
                ? (float) g.item() / (float) divisor : reduction == Reduction.MEAN ? 0 : (float) g.item();
            java.util.Arrays.fill(gq, gv);
          }
          double[] gwv = gw ? new double[lay.classes] : null;
          if (f32) {
            float[] gtv = gt ? new float[numel] : null;
            ClassificationKernels.crossEntropyProbsTargetGrads(Storage.floats(input), Storage.floats(target), w,
                lay.outer, lay.classes, lay.inner, ls, max, logSum, gq, gtv, gwv);
            dt = gtv == null ? null : Storage.adopt(gtv, target.shape());
          } else {
            double[] gtv = gt ? new double[numel] : null;
            ClassificationKernels.crossEntropyProbsTargetGrads(Storage.doubles(input), Storage.doubles(target), w,
                lay.outer, lay.classes, lay.inner, ls, max, logSum, gq, gtv, gwv);
            dt = gtv == null ? null : Storage.adopt(gtv, target.shape());
          }
          if (gwv != null) {
            TensorBuilder b = new TensorBuilder(weight.dtype(), weight.shape());
            for (int c = 0; c < lay.classes; c++) {
              b.set(c, gwv[c]);
            }
            dw = b.build();
          }
        }
        return new Tensor[] {dx, dt, dw};
      };
      return new Result(output, name, List.of(), backward);
    }

    @Override
    public String toString() {
      return "CrossEntropyLoss(reduction=" + reduction.torchName() + ", ignore_index=" + ignoreIndex
          + ", label_smoothing=" + labelSmoothing + ")";
    }
  }

  private static void checkLabelSmoothing(double ls) {
    if (ls > 1.0) {
      throw new RuntimeError("label_smoothing must be between 0.0 and 1.0. Got: " + cppDouble(ls));
    }
  }

  /**
   * at::log_softmax(self, classDim)'s own checks: the dimension, then the dtype its kernel dispatches on. An
   * empty input never reaches the kernel, so its dtype is refused later (by nll_loss's frame, for class
   * indices) or not at all (probability targets, where the products promote it).
   */
  private static void checkLogSoftmax(Tensor input, int classDim) {
    int d = input.dim();
    int lo = d == 0 ? -1 : -d;
    int hi = d == 0 ? 0 : d - 1;
    if (classDim < lo || classDim > hi) {
      throw new IndexError("Dimension out of range (expected to be in range of [" + lo + ", " + hi + "], but got "
          + classDim + ")");
    }
    if (!input.dtype().isFloatingPoint() && input.numel() > 0) {
      String kernel = classDim == d - 1 ? "log_softmax_lastdim_kernel_impl" : "log_softmax_kernel_impl";
      throw notImplemented(kernel, input.dtype());
    }
  }

  /** The numerically stable log-softmax over the class dimension and its backward. */
  static final class LogSoftmax {
    private LogSoftmax() {}

    /**
     * {@code x_c - max - log(sum_c exp(x_c - max))} per (outer, inner) position, rounded to the input's
     * dtype as PyTorch stores it (by {@link SoftmaxKernels}), widened to double. A row of all -inf gives
     * NaN, a -inf entry gives -inf, as in PyTorch.
     */
    static double[] forward(Tensor input, Layout lay) {
      if (input.dtype() == DType.FLOAT64) {
        double[] out = new double[input.numel()];
        SoftmaxKernels.forward(Storage.doubles(input), out, lay.outer, lay.classes, lay.inner, true);
        return out;
      }
      float[] out = new float[input.numel()];
      SoftmaxKernels.forward(Storage.floats(input), out, lay.outer, lay.classes, lay.inner, true);
      double[] wide = new double[out.length];
      for (int i = 0; i < out.length; i++) {
        wide[i] = out[i];
      }
      return wide;
    }

    /** {@code g_c - exp(out_c) * sum_c g_c}, as a tensor of {@code shape} and {@code dtype}. */
    static Tensor backward(double[] out, double[] g, Layout lay, DType dtype, int[] shape) {
      TensorBuilder b = new TensorBuilder(dtype, shape);
      int positions = lay.outer * lay.inner;
      for (int p = 0; p < positions; p++) {
        double sum = 0;
        for (int c = 0; c < lay.classes; c++) {
          sum += g[lay.index(p, c)];
        }
        for (int c = 0; c < lay.classes; c++) {
          int i = lay.index(p, c);
          b.set(i, g[i] - Math.exp(out[i]) * sum);
        }
      }
      return b.build();
    }
  }

  /** A class-dimension tensor viewed as (outer, classes, inner). */
  /**
   * log_softmax over the class dimension of {@code lay} in float16/bfloat16, as PyTorch 2.13's CPU kernels
   * compute it: {@code x - max - log(sum(exp(x - max)))} rounded once to {@code dt}, the exponentials added in
   * float32; over the last dimension ({@code lastDim}) the sum and its log are rounded to {@code dt} first.
   */
  static double[] logSoftmax(double[] x, Layout lay, boolean lastDim, DType dt) {
    double[] lp = new double[x.length];
    int positions = lay.outer() * lay.inner();
    for (int q = 0; q < positions; q++) {
      double m = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < lay.classes(); c++) {
        m = Math.max(m, x[lay.index(q, c)]);
      }
      double sum = 0;
      for (int c = 0; c < lay.classes(); c++) {
        sum += (float) Math.exp(x[lay.index(q, c)] - m);
      }
      double log = lastDim ? HalfSteps.r(Math.log(HalfSteps.r(sum, dt)), dt) : (float) Math.log(sum);
      for (int c = 0; c < lay.classes(); c++) {
        int k = lay.index(q, c);
        lp[k] = HalfSteps.r((x[k] - m) - log, dt);
      }
    }
    return lp;
  }

  /** log_softmax's backward in float16/bfloat16: {@code grad - exp(lp) sum_c(grad)}, rounded once to {@code dt}. */
  static double[] logSoftmaxBackward(double[] grad, double[] lp, Layout lay, DType dt) {
    double[] gx = new double[grad.length];
    int positions = lay.outer() * lay.inner();
    for (int q = 0; q < positions; q++) {
      double sum = 0;
      for (int c = 0; c < lay.classes(); c++) {
        sum += grad[lay.index(q, c)];
      }
      for (int c = 0; c < lay.classes(); c++) {
        int k = lay.index(q, c);
        gx[k] = HalfSteps.r(grad[k] - Math.exp(lp[k]) * sum, dt);
      }
    }
    return gx;
  }

  record Layout(int outer, int classes, int inner) {
    static Layout of(int[] shape, int classDim) {
      if (shape.length == 0) {
        return new Layout(1, 1, 1);
      }
      if (shape.length == 1) {
        return new Layout(1, shape[0], 1);
      }
      int inner = 1;
      for (int d = classDim + 1; d < shape.length; d++) {
        inner *= shape[d];
      }
      int outer = 1;
      for (int d = 0; d < classDim; d++) {
        outer *= shape[d];
      }
      return new Layout(outer, shape[classDim], inner);
    }

    /** The flat index of class {@code c} at position {@code p = n * inner + s}. */
    int index(int p, int c) {
      int n = p / inner;
      int s = p - n * inner;
      return (n * classes + c) * inner + s;
    }
  }

  // =====================================================================================================
  // MultiMarginLoss
  // =====================================================================================================

  /**
   * Multi-class hinge loss, {@code torch.nn.MultiMarginLoss}: for a sample x with class y,
   * {@code l = sum_{i != y} w_y max(0, margin - x_y + x_i)^p / C}, p in {1, 2}. Mean averages over
   * samples, sum adds, none keeps (N) (a scalar for a 0-d or 1-d input with a 0-d target).
   *
   * <p>Shapes: input (), (C) or (N, C) with C &gt; 0; target of N (or one) int64 classes in [0, C);
   * weight (C), optional, of the input's dtype, not differentiable. Inputs {@code {input, target,
   * weight-or-null}}. An entry whose margin term is NaN counts as not positive, as in PyTorch's kernel.
   * PyTorch leaves the mean/sum of an empty batch uninitialised; here it is NaN (mean) or 0 (sum).
   */
  public static final class MultiMarginLoss implements Differentiable {
    private final Reduction reduction;
    private final int p;
    private final double margin;

    public MultiMarginLoss(int p, double margin, Reduction reduction) {
      if (p != 1 && p != 2) {
        throw new ValueError("only p == 1 and p == 2 supported");
      }
      this.reduction = Reduction.checkNotBatchmean(reduction);
      this.p = p;
      this.margin = margin;
    }

    public MultiMarginLoss() {
      this(1, 1.0, Reduction.MEAN);
    }

    public Reduction reduction() {
      return reduction;
    }

    /** The loss of {@code input} against {@code target} (weight may be null), without gradients. */
    public Tensor forward(Tensor input, Tensor target, Tensor weight) {
      return Differentiable.run(this, new Tensor[] {input, target, weight}, new boolean[3]).output();
    }

    /** The loss as a node of an autograd graph; {@code weight} may be null. */
    public Variable forward(Variable input, Variable target, Variable weight) {
      return Variable.apply(this, null, input, target, weight);
    }

    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      Tensor input = inputs[0];
      Tensor target = inputs[1];
      Tensor weight = inputs.length > 2 ? inputs[2] : null;
      if (needsGrad.length > 2 && needsGrad[2]) {
        throw new RuntimeError(notDifferentiable("multi_margin_loss", "weight"));
      }
      int nd = input.dim();
      if (!((nd == 2 && input.size(1) != 0) || (nd == 1 && input.size(0) != 0) || nd == 0)) {
        throw new RuntimeError("Expected non-empty vector or matrix with optional 0-dim batch size, but got: "
            + Shapes.format(input.shape()));
      }
      int frames = nd <= 1 ? 1 : input.size(0);
      int dim = nd == 0 ? 1 : nd == 1 ? input.size(0) : input.size(1);
      if (!(target.dim() <= 1 && target.numel() == frames)) {
        throw new RuntimeError("multi_margin_loss: target tensor should be 1-D with size equal to the number of input"
            + " samples (batch size). Expected target size [" + frames + "], but got " + Shapes.format(target.shape())
            + ". Input has shape " + Shapes.format(input.shape()) + ".");
      }
      int[] outShape = reduction == Reduction.NONE && target.dim() > 0 ? new int[] {frames} : new int[0];
      DType dtype = input.dtype();
      if (input.numel() == 0) {
        Tensor out = reduction == Reduction.NONE ? Tensor.zeros(dtype, outShape)
            : Tensor.scalar(reduction == Reduction.MEAN ? Double.NaN : 0.0, dtype);
        return new Result(out, "MultiMarginLossBackward0", List.of(),
            needsGrad[0] ? g -> new Tensor[] {Tensor.zeros(dtype, input.shape()), null, null} : null);
      }
      // PyTorch's CPU kernel refuses integers, float16 and bfloat16, after the shape checks and the empty case.
      if (!dtype.isFloatingPoint() || dtype.isReducedFloat()) {
        throw notImplemented("multi_margin_loss_cpu_kernel", dtype);
      }
      if (target.dtype() != DType.INT64) {
        throw expectedScalarType(DType.INT64, target.dtype());
      }
      if (weight != null && weight.dtype() != dtype) {
        throw expectedScalarType(dtype, weight.dtype());
      }
      if (weight != null && weight.numel() < dim) {
        // PyTorch 1.13 reads past the end of a short weight (undefined behaviour); later releases raise this.
        throw new RuntimeError("inconsistent weight size, expected " + dim + " but got " + Shapes.format(weight.shape()));
      }
      double[] w = weight == null ? null : weight.toDoubleArray();
      // PyTorch holds the margin in the input's scalar type.
      double m = dtype == DType.FLOAT32 ? (float) margin : margin;
      long[] cls = Storage.longs(target);
      for (int t = 0; t < frames; t++) {
        if (cls[t] < 0 || cls[t] >= dim) {
          throw new RuntimeError("target out of range");
        }
      }
      boolean none = reduction == Reduction.NONE;
      // The kernel's gradient is of the row sums before their division by dim.
      double scale = reduction == Reduction.MEAN ? 1.0 / ((double) frames * dim) : 1.0 / dim;
      Tensor output;
      Tensor local;
      double total;
      if (dtype == DType.FLOAT32) {
        float[] each = none ? new float[frames] : null;
        float[] gx = needsGrad[0] ? new float[frames * dim] : null;
        total = ClassificationKernels.multiMargin(Storage.floats(input), cls, w, frames, dim, p, m, scale, each, gx);
        output = none ? Storage.adopt(each, outShape) : null;
        local = gx == null ? null : Storage.adopt(gx, input.shape());
      } else {
        double[] each = none ? new double[frames] : null;
        double[] gx = needsGrad[0] ? new double[frames * dim] : null;
        total = ClassificationKernels.multiMargin(Storage.doubles(input), cls, w, frames, dim, p, m, scale, each, gx);
        output = none ? Storage.adopt(each, outShape) : null;
        local = gx == null ? null : Storage.adopt(gx, input.shape());
      }
      if (!none) {
        output = Tensor.scalar(reduction == Reduction.SUM ? total : total / frames, dtype);
      }
      GradientFunction backward = local == null ? null
          : g -> new Tensor[] {chain(local, g, reduction, frames, dim, 1), null, null};
      return new Result(output, "MultiMarginLossBackward0", List.of(), backward);
    }

    @Override
    public String toString() {
      return "MultiMarginLoss(p=" + p + ", margin=" + margin + ", reduction=" + reduction.torchName() + ")";
    }
  }

  // =====================================================================================================
  // MultiLabelMarginLoss
  // =====================================================================================================

  /**
   * Multi-label hinge loss, {@code torch.nn.MultiLabelMarginLoss}: the target row lists the sample's
   * classes, ending at the first -1; with J that set, {@code l = sum_{j in J} sum_{i not in J}
   * max(0, 1 - x_j + x_i) / C}. Mean averages over samples, sum adds, none keeps (N) (a scalar for 0-d
   * and 1-d inputs).
   *
   * <p>Shapes: input (), (C) or (N, C) with C &gt; 0; target of the input's shape (one element for a 0-d
   * input), int64 in [-1, C). Inputs {@code {input, target}}; the gradient flows to the input. PyTorch
   * leaves the mean/sum of an empty batch uninitialised; here it is NaN (mean) or 0 (sum).
   */
  public static final class MultiLabelMarginLoss implements Differentiable {
    private final Reduction reduction;

    public MultiLabelMarginLoss(Reduction reduction) {
      this.reduction = Reduction.checkNotBatchmean(reduction);
    }

    public MultiLabelMarginLoss() {
      this(Reduction.MEAN);
    }

    public Reduction reduction() {
      return reduction;
    }

    /** The loss of {@code input} against {@code target}, without gradients. */
    public Tensor forward(Tensor input, Tensor target) {
      return Differentiable.run(this, new Tensor[] {input, target}, new boolean[2]).output();
    }

    /** The loss as a node of an autograd graph. */
    public Variable forward(Variable input, Variable target) {
      return Variable.apply(this, null, input, target);
    }

    /**
     * ATen's shape check of the target's range: its minimum, then its maximum, each read as an int64 (a
     * floating target's NaN or a value past int64's range cannot be read so, truncated otherwise), must lie in
     * [-1, dim).
     */
    private static void checkTargetRange(Tensor target, int dim) {
      target.dtype().refuseBarebones("min_all");
      long min;
      long max;
      if (target.dtype().isFloatingPoint()) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : target.toDoubleArray()) {
          lo = Double.isNaN(lo) || Double.isNaN(v) ? Double.NaN : Math.min(lo, v);
          hi = Double.isNaN(hi) || Double.isNaN(v) ? Double.NaN : Math.max(hi, v);
        }
        min = asInt64(lo);
        if (min < -1) {
          throw new RuntimeError("argument #2 'target' is out of range");
        }
        max = asInt64(hi);
      } else {
        min = Long.MAX_VALUE;
        max = Long.MIN_VALUE;
        for (long v : target.dtype() == DType.INT64 ? Storage.longs(target) : target.toLongArray()) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
      if (min < -1 || max >= dim) {
        throw new RuntimeError("argument #2 'target' is out of range");
      }
    }

    /** A floating value read as int64 as {@code item<int64_t>()} reads it: truncated, NaN and overflow refused. */
    private static long asInt64(double v) {
      if (Double.isNaN(v) || v < -0x1p63 || v > 0x1p63) {
        throw new RuntimeError("value cannot be converted to type int64_t without overflow");
      }
      return (long) v;
    }

    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      Tensor input = inputs[0];
      Tensor target = inputs[1];
      int nd = input.dim();
      boolean valid = (nd == 2 && input.size(1) != 0) || (nd == 1 && input.size(0) != 0) || nd == 0;
      if (!valid) {
        throw new RuntimeError("Expected non-empty vector or matrix with optional 0-dim batch size, but got: "
            + Shapes.format(input.shape()));
      }
      int frames;
      int dim;
      if (nd <= 1) {
        frames = 1;
        dim = nd == 0 ? 1 : input.size(0);
        if (!(target.dim() <= 1 && target.numel() == dim)) {
          throw inconsistentTarget(target, input);
        }
      } else {
        frames = input.size(0);
        dim = input.size(1);
        if (!(target.dim() == 2 && target.size(0) == frames && target.size(1) == dim)) {
          throw inconsistentTarget(target, input);
        }
      }
      int[] outShape = reduction != Reduction.NONE || target.dim() <= 1 ? new int[0] : new int[] {frames};
      DType dtype = input.dtype();
      if (input.numel() == 0) {
        Tensor out = reduction == Reduction.NONE ? Tensor.zeros(dtype, outShape)
            : Tensor.scalar(reduction == Reduction.MEAN ? Double.NaN : 0.0, dtype);
        return new Result(out, "MultilabelMarginLossBackward0", List.of(),
            needsGrad[0] ? g -> new Tensor[] {Tensor.zeros(dtype, input.shape()), null} : null);
      }
      checkTargetRange(target, dim);
      // PyTorch's CPU kernel refuses float16 and bfloat16 (and integers), after its shape and range checks.
      if (!dtype.isFloatingPoint() || dtype.isReducedFloat()) {
        throw notImplemented("multilabel_margin_loss_forward_out_frame", dtype);
      }
      if (target.dtype() != DType.INT64) {
        throw expectedScalarType(DType.INT64, target.dtype());
      }
      boolean none = reduction == Reduction.NONE;
      double scale = reduction == Reduction.MEAN ? 1.0 / ((double) frames * dim) : 1.0 / dim;
      long[] y = Storage.longs(target);
      Tensor output;
      Tensor local;
      double total;
      if (dtype == DType.FLOAT32) {
        float[] each = none ? new float[frames] : null;
        float[] gx = needsGrad[0] ? new float[frames * dim] : null;
        total = ClassificationKernels.multilabelMargin(Storage.floats(input), y, frames, dim, scale, each, gx);
        output = none ? Storage.adopt(each, outShape) : null;
        local = gx == null ? null : Storage.adopt(gx, input.shape());
      } else {
        double[] each = none ? new double[frames] : null;
        double[] gx = needsGrad[0] ? new double[frames * dim] : null;
        total = ClassificationKernels.multilabelMargin(Storage.doubles(input), y, frames, dim, scale, each, gx);
        output = none ? Storage.adopt(each, outShape) : null;
        local = gx == null ? null : Storage.adopt(gx, input.shape());
      }
      if (!none) {
        output = Tensor.scalar(reduction == Reduction.SUM ? total / dim : total / dim / frames, dtype);
      }
      GradientFunction backward = local == null ? null
          : g -> new Tensor[] {chain(local, g, reduction, frames, dim, 1), null};
      return new Result(output, "MultilabelMarginLossBackward0", List.of(), backward);
    }

    @Override
    public String toString() {
      return "MultiLabelMarginLoss(reduction=" + reduction.torchName() + ")";
    }
  }

  // =====================================================================================================
  // torch.nn.functional entry points
  // =====================================================================================================

  /**
   * {@code F.nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
   * reduction='mean')}; {@code weight} may be null.
   */
  public static Functional.Outcome nllLoss(Variable input, Variable target, Variable weight, Boolean sizeAverage,
                                           long ignoreIndex, Boolean reduce, String reduction) {
    return Functional.reduced(sizeAverage, reduce, reduction, r -> new NLLLoss(r, ignoreIndex), input, target, weight);
  }

  /**
   * {@code F.cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
   * reduction='mean', label_smoothing=0.0)}; {@code weight} may be null.
   */
  public static Functional.Outcome crossEntropy(Variable input, Variable target, Variable weight,
                                                Boolean sizeAverage, long ignoreIndex, Boolean reduce,
                                                String reduction, double labelSmoothing) {
    List<String> warnings = new ArrayList<>();
    try {
      Reduction r = Functional.resolve(sizeAverage, reduce, reduction, warnings);
      CrossEntropyLoss loss = new CrossEntropyLoss(r, ignoreIndex, labelSmoothing);
      return new Functional.Outcome(Variable.apply(loss, null, input, target, weight), warnings);
    } catch (TorchException e) {
      throw e.withWarnings(warnings);
    }
  }

  /**
   * {@code F.multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None,
   * reduce=None, reduction='mean')}: the reduction is resolved first, then p, then the weight's rank.
   */
  public static Functional.Outcome multiMarginLoss(Variable input, Variable target, double p, double margin,
                                                   Variable weight, Boolean sizeAverage, Boolean reduce,
                                                   String reduction) {
    List<String> warnings = new ArrayList<>();
    try {
      Reduction r = Functional.resolve(sizeAverage, reduce, reduction, warnings);
      if (p != 1 && p != 2) {
        throw new ValueError("only p == 1 and p == 2 supported");
      }
      if (weight != null && weight.data().dim() != 1) {
        throw new ValueError("weight must be one-dimensional");
      }
      MultiMarginLoss loss = new MultiMarginLoss((int) p, margin, r);
      return new Functional.Outcome(Variable.apply(loss, null, input, target, weight), warnings);
    } catch (TorchException e) {
      throw e.withWarnings(warnings);
    }
  }

  /** {@code F.multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction='mean')}. */
  public static Functional.Outcome multilabelMarginLoss(Variable input, Variable target, Boolean sizeAverage,
                                                        Boolean reduce, String reduction) {
    return Functional.reduced(sizeAverage, reduce, reduction, MultiLabelMarginLoss::new, input, target);
  }

  // =====================================================================================================
  // messages
  // =====================================================================================================

  static String notDifferentiable(String function, String argument) {
    return "The function '" + function + "' is not differentiable with respect to argument '" + argument
        + "'. This input cannot have requires_grad True.";
  }

  private static NotImplementedError notImplemented(String kernel, DType dtype) {
    return NotImplementedError.forDtype(kernel, dtype.scalarTypeName());
  }

  private static RuntimeError expectedScalarType(DType expected, DType found) {
    return new RuntimeError("expected scalar type " + expected.scalarTypeName() + " but found "
        + found.scalarTypeName());
  }

  /** A double as C++'s {@code operator<<} prints it ({@link CppText#of}). */
  static String cppDouble(double v) {
    return CppText.of(v);
  }
}
