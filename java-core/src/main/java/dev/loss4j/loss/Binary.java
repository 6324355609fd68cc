package dev.loss4j.loss;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.GradientFunction;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.IndexError;
import dev.loss4j.errors.NotImplementedError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.errors.TorchException;
import dev.loss4j.errors.TypeError;
import dev.loss4j.errors.ValueError;
import dev.loss4j.kernel.ActivationKernels;
import dev.loss4j.kernel.AtenFloatSum;
import dev.loss4j.kernel.BinaryKernels;
import dev.loss4j.kernel.ClassificationKernels;
import dev.loss4j.kernel.SleefFloat;
import dev.loss4j.tensor.BroadcastCursor;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Storage;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import dev.loss4j.tensor.TensorMath;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The binary (per-element, two-class) losses of {@code torch.nn}: BCELoss, BCEWithLogitsLoss,
 * SoftMarginLoss and MultiLabelSoftMarginLoss, as loss classes and as {@code torch.nn.functional}-style
 * entry points ({@link #binaryCrossEntropy}, {@link #binaryCrossEntropyWithLogits}, {@link #softMarginLoss},
 * {@link #multilabelSoftMarginLoss}) that check their arguments in PyTorch 1.13's order, with its messages.
 *
 * <p>Values are computed in double; where PyTorch's float32 kernels overflow or round an intermediate
 * (e.g. {@code exp(-x*y)} in soft margin, {@code 1 - x} in BCE) the intermediate is rounded to the
 * computing dtype as PyTorch does, so infinities and NaNs appear where PyTorch's do.
 */
public final class Binary {
  private Binary() {}

  /** ATen's {@code EPSILON} of the BCE backward, a float constant: {@code 1e-12f}. */
  static final double BCE_EPSILON = (double) 1e-12f;

  /** Rounds an intermediate value to {@code dtype} (float32, float16 and bfloat16 round, float64 keeps it). */
  static double round(double v, DType dtype) {
    return dtype == DType.FLOAT32 || dtype.isReducedFloat() ? dtype.round(v) : v;
  }

  /** {@code log(sigmoid(x))} in the stable form {@code min(x, 0) - log1p(exp(-|x|))}. */
  static double logSigmoid(double x) {
    return Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));
  }

  /**
   * float32 log_sigmoid nearer ATen's float kernel's bits than a rounded double: {@code min(x, 0) - log1p(e)} in
   * float with SLEEF's {@code e = exp(-|x|)} (ATen's vector exp) and log1p correctly rounded (SLEEF's is within
   * an ulp; 0.9% of random inputs differ by that ulp, against 20% for the rounded double form).
   */
  static float logSigmoid32(float x) {
    float e = SleefFloat.expf(-Math.abs(x));
    return Math.min(x, 0f) - (float) Math.log1p(e);
  }

  /** {@code 1 / (1 + exp(-x))}: 0 at -inf, 1 at +inf. */
  static double sigmoid(double x) {
    return 1.0 / (1.0 + Math.exp(-x));
  }

  /** d log(sigmoid(x)) / dx = sigmoid(-x), evaluated without cancellation: 1 at -inf, 0 at +inf. */
  static double logSigmoidGrad(double x) {
    if (x >= 0) {
      double z = Math.exp(-x);
      return z / (1 + z);
    }
    return 1.0 / (1.0 + Math.exp(x));
  }

  // ---- shared helpers ---------------------------------------------------------------------------------

  /** A cursor reading {@code t} broadcast to {@code shape}, or null when no broadcasting is needed. */
  private static BroadcastCursor cursor(Tensor t, int[] shape) {
    return Arrays.equals(t.shape(), shape) ? null : new BroadcastCursor(t.shape(), shape);
  }

  /** Element {@code i} of {@code t} read through its cursor: call once per position, in order. */
  private static double at(Tensor t, BroadcastCursor c, int i) {
    return t.getDouble(c == null ? i : c.next());
  }

  /** PyTorch's error for an in-place op whose operand would grow its output. */
  static RuntimeError outputShapeError(int[] output, int[] broadcast) {
    return new RuntimeError("output with shape " + Shapes.format(output) + " doesn't match the broadcast shape "
        + Shapes.format(broadcast));
  }

  /** Checks that {@code other} broadcasts into {@code output} in place ({@code output.op_(other)}). */
  static void checkInPlace(int[] output, int[] other) {
    int[] b = Shapes.broadcast(output, other);
    if (!Arrays.equals(b, output)) {
      throw outputShapeError(output, b);
    }
  }

  static RuntimeError notDifferentiable(String function, String argument) {
    return new RuntimeError("The function '" + function + "' is not differentiable with respect to argument '"
        + argument + "'. This input cannot have requires_grad True.");
  }

  static final String NEGATION_BOOL = "Negation, the `-` operator, on a bool tensor is not supported. If you are"
      + " trying to invert a mask, use the `~` or `logical_not()` operator instead.";
  /**
   * PyTorch's error for an in-place step whose output is an integer operand of dtype {@code out}: the result
   * type is the other operand's floating dtype (Float when it has none).
   */
  static RuntimeError castToLong(DType other, DType out) {
    return new RuntimeError("result type " + (other.isFloatingPoint() ? other.scalarTypeName() : "Float")
        + " can't be cast to the desired output type " + out.scalarTypeName());
  }

  // ---- the flat path: one dtype, contiguous arrays, the loss's own kernel ---------------------------------

  /** float32 or float64: a dtype the kernels have loops for. */
  private static boolean flatDtype(DType d) {
    return d == DType.FLOAT32 || d == DType.FLOAT64;
  }

  /**
   * True when {@code t}, of dtype {@code dtype}, broadcast to {@code shape} is read at {@code i % numel}:
   * its shape without leading 1s is a suffix of {@code shape} (a full tensor, a (C) vector over the last
   * dimension, a single value).
   */
  private static boolean periodic(Tensor t, DType dtype, int[] shape) {
    if (t.dtype() != dtype) {
      return false;
    }
    int[] s = t.shape();
    int lead = 0;
    while (lead < s.length && s[lead] == 1) {
      lead++;
    }
    int len = s.length - lead;
    if (len > shape.length || t.numel() == 0) {
      return false;
    }
    for (int d = 0; d < len; d++) {
      if (s[lead + d] != shape[shape.length - len + d]) {
        return false;
      }
    }
    return true;
  }

  private static float[] floats(Tensor t) {
    return t == null ? null : Storage.floats(t);
  }

  private static double[] doubles(Tensor t) {
    return t == null ? null : Storage.doubles(t);
  }

  /** A reduced kernel total as the output scalar: the mean divides by the count. */
  private static Tensor reducedOutput(double total, int n, DType dtype, Reduction reduction) {
    return Tensor.scalar(reduction == Reduction.MEAN ? total / n : total, dtype);
  }

  /** A same-shape input/target kernel over float32 arrays: fills the per-element loss and gradients wanted. */
  private interface FloatPairKernel {
    double run(float[] x, float[] y, float[] each, float[] gx, float[] gy);
  }

  /** The float64 twin of {@link FloatPairKernel}. */
  private interface DoublePairKernel {
    double run(double[] x, double[] y, double[] each, double[] gx, double[] gy);
  }

  /**
   * The flat path of a loss of a same-shape input and target of one dtype: allocates the outputs the call
   * needs (the per-element loss when unreduced, each wanted gradient), runs the kernel of that dtype once and
   * wraps the arrays as tensors without copying.
   */
  private static Differentiable.Result flatPair(Tensor x, Tensor y, boolean gx, boolean gy, Reduction reduction,
      String gradFnName, FloatPairKernel f32, DoublePairKernel f64) {
    int[] shape = x.shape();
    int n = x.numel();
    boolean none = reduction == Reduction.NONE;
    Tensor out;
    Tensor dx;
    Tensor dy;
    if (x.dtype() == DType.FLOAT32) {
      // a small float32 reduction in ATen's float order, as ElementwiseLoss.flat
      boolean ordered = !none && n <= ElementwiseLoss.ORDERED_SUM_MAX;
      float[] each = none || ordered ? new float[n] : null;
      float[] ax = gx ? new float[n] : null;
      float[] ay = gy ? new float[n] : null;
      double total = f32.run(Storage.floats(x), Storage.floats(y), each, ax, ay);
      if (ordered) {
        total = AtenFloatSum.contiguous(each, n);
      }
      out = none ? Storage.adopt(each, shape) : reducedOutput(total, n, DType.FLOAT32, reduction);
      dx = gx ? Storage.adopt(ax, shape) : null;
      dy = gy ? Storage.adopt(ay, shape) : null;
    } else {
      double[] each = none ? new double[n] : null;
      double[] ax = gx ? new double[n] : null;
      double[] ay = gy ? new double[n] : null;
      double total = f64.run(Storage.doubles(x), Storage.doubles(y), each, ax, ay);
      out = none ? Storage.adopt(each, shape) : reducedOutput(total, n, DType.FLOAT64, reduction);
      dx = gx ? Storage.adopt(ax, shape) : null;
      dy = gy ? Storage.adopt(ay, shape) : null;
    }
    GradientFunction bw = gx || gy ? flatBackward(reduction, dx, dy) : null;
    return new Differentiable.Result(out, gradFnName, List.of(), bw);
  }

  /**
   * The backward of a flat-path loss whose derivatives at a unit output gradient are {@code local[k]} (null
   * where not wanted): a reduced loss's scalar output gradient scales them (not at all when it is 1), an
   * unreduced one multiplies element by element.
   */
  static GradientFunction flatBackward(Reduction reduction, Tensor... local) {
    return g -> {
      Tensor[] out = new Tensor[local.length];
      for (int k = 0; k < local.length; k++) {
        out[k] = local[k] == null ? null : chainFlat(local[k], g, reduction);
      }
      return out;
    };
  }

  private static Tensor chainFlat(Tensor local, Tensor g, Reduction reduction) {
    boolean f32 = local.dtype() == DType.FLOAT32;
    if (reduction != Reduction.NONE) {
      double s = g.item();
      if (s == 1.0) {
        return local;
      }
      return f32 ? Storage.adopt(ClassificationKernels.scaled(Storage.floats(local), s), local.shape())
          : Storage.adopt(ClassificationKernels.scaled(Storage.doubles(local), s), local.shape());
    }
    Tensor gg = g.to(local.dtype());
    return f32 ? Storage.adopt(BinaryKernels.product(Storage.floats(local), Storage.floats(gg)), local.shape())
        : Storage.adopt(BinaryKernels.product(Storage.doubles(local), Storage.doubles(gg)), local.shape());
  }

  /** Reduces per-element values: none keeps them, mean divides the sum by the count, sum adds. */
  private static Tensor reduce(double[] values, int[] shape, DType dtype, Reduction reduction) {
    if (reduction == Reduction.NONE) {
      TensorBuilder b = new TensorBuilder(dtype, shape);
      for (int i = 0; i < values.length; i++) {
        b.set(i, values[i]);
      }
      return b.build();
    }
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return Tensor.scalar(reduction == Reduction.MEAN ? s / values.length : s, dtype);
  }

  /**
   * The backward of a per-element loss whose local derivatives (at a unit output gradient, already scaled
   * by the reduction) are in {@code local[k]}, for argument k, laid out over the loss's shape: chains the
   * output gradient and sums each back to its argument's shape and dtype.
   */
  private static GradientFunction pointwiseBackward(Reduction reduction, double[][] local, Tensor[] args,
                                                    DType[] dtypes, int[] shape) {
    return g -> {
      Tensor[] out = new Tensor[local.length];
      double s = reduction == Reduction.NONE ? 0 : g.item();
      for (int k = 0; k < local.length; k++) {
        if (local[k] == null) {
          continue;
        }
        double[] d = local[k];
        TensorBuilder b = new TensorBuilder(dtypes[k], shape);
        for (int i = 0; i < d.length; i++) {
          b.set(i, d[i] * (reduction == Reduction.NONE ? g.getDouble(i) : s));
        }
        out[k] = TensorMath.sumToShape(b.build(), args[k].shape(), args[k].dtype());
      }
      return out;
    };
  }

  // ---- BCELoss ----------------------------------------------------------------------------------------

  /**
   * Binary cross entropy between probabilities, {@code torch.nn.BCELoss}:
   * {@code l_n = -w_n [y_n log(x_n) + (1 - y_n) log(1 - x_n)]}, each log clamped below at -100 so that
   * {@code x = 0} or {@code 1} gives a finite loss.
   *
   * <p>Shapes: input (*) of probabilities in [0, 1], target (*) of the same shape and dtype, optional
   * weight broadcastable to the input (a rescaling, not differentiated); output a scalar, or (*) for
   * reduction none. Gradients: input {@code w (x - y) / max(x (1 - x), 1e-12)}, target
   * {@code w (log(1 - x) - log(x))} (= {@code -w logit(x)}, infinite at 0 and 1). Input elements outside [0, 1] (NaN included) raise PyTorch's RuntimeError.
   * PyTorch counterpart: {@code torch.nn.BCELoss(weight, reduction)},
   * {@code torch.nn.functional.binary_cross_entropy}; grad_fn {@code BinaryCrossEntropyBackward0}.
   */
  public static final class BCELoss implements Differentiable {
    /**
     * float16 and bfloat16: each step rounded to the dtype, as PyTorch's CPU kernels do (reducedPrecision),
     * after the kernel's dtype check (which {@link ReducedFloat#WIDEN} would run on the widened inputs, too late).
     */
    @Override
    public ReducedFloat reducedFloat() {
      return ReducedFloat.NATIVE;
    }

    private final Tensor weight;
    private final Reduction reduction;

    /** @param weight a rescaling weight broadcastable to the input, or null */
    public BCELoss(Tensor weight, Reduction reduction) {
      Reduction.checkNotBatchmean(reduction);
      this.weight = weight;
      this.reduction = reduction;
    }

    public BCELoss() {
      this(null, Reduction.MEAN);
    }

    public Reduction reduction() {
      return reduction;
    }

    /** The loss as a node of an autograd graph. */
    public Variable forward(Variable input, Variable target) {
      return Variable.apply(this, null, input, target);
    }

    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      Tensor x = inputs[0];
      Tensor y = inputs[1];
      if (!x.sameShape(y)) {
        throw new ValueError("Using a target size (" + Shapes.torchSize(y.shape()) + ") that is different to the input"
            + " size (" + Shapes.torchSize(x.shape()) + ") is deprecated. Please ensure they have the same size.");
      }
      if (x.dtype().isReducedFloat() || y.dtype().isReducedFloat()) {
        if (x.dtype() != y.dtype()) {
          checkKernel(x, y); // a float16 input against a float32 target is refused, not promoted
        }
        if (weight == null || weight.dtype() == x.dtype()) {
          return reducedPrecision(x, y, needsGrad, x.dtype());
        }
        return Differentiable.widened(this, inputs, needsGrad);
      }
      BroadcastCursor wIndex = checkedWeight(x, y);
      DType dt = x.dtype();
      int n = x.numel();
      double scale = reduction == Reduction.MEAN ? 1.0 / n : 1.0;
      if (flatDtype(dt) && (weight == null || weight.dtype() == dt && weight.sameShape(x))) {
        return flat(x, y, needsGrad[0], needsGrad[1], scale);
      }
      double[] loss = new double[n];
      double[] dx = needsGrad[0] ? new double[n] : null;
      double[] dy = needsGrad[1] ? new double[n] : null;
      for (int i = 0; i < n; i++) {
        double xv = x.getDouble(i);
        double yv = y.getDouble(i);
        double w = weight == null ? 1.0 : at(weight, wIndex, i);
        double log1m = Math.max(round(Math.log1p(-xv), dt), -100);
        double logx = Math.max(round(Math.log(xv), dt), -100);
        double l = round(round((yv - 1) * log1m, dt) - round(yv * logx, dt), dt);
        loss[i] = weight == null ? l : round(l * w, dt);
        if (dx != null) {
          double den = Math.max(round(round(1 - xv, dt) * xv, dt), BCE_EPSILON);
          dx[i] = round((xv - yv) / den, dt) * w * scale;
        }
        if (dy != null) {
          // log(1 - x) - log(x) = -logit(x), in this order: +0 at x = 0.5, as PyTorch.
          dy[i] = round(round(Math.log(round(1 - xv, dt)), dt) - round(Math.log(xv), dt), dt) * w * scale;
        }
      }
      Tensor out = reduce(loss, x.shape(), dt, reduction);
      GradientFunction bw = dx == null && dy == null ? null
          : pointwiseBackward(reduction, new double[][] {dx, dy}, inputs, new DType[] {dt, dt}, x.shape());
      return new Result(out, "BinaryCrossEntropyBackward0", List.of(), bw);
    }

    /**
     * The kernel's checks of input and target, and the weight's cursor over the input's shape (null without a
     * weight): F.binary_cross_entropy expands the weight to torch.broadcast_shapes(target, weight) first, so
     * that broadcast is checked before the rest.
     */
    private BroadcastCursor checkedWeight(Tensor x, Tensor y) {
      if (weight == null) {
        checkKernel(x, y);
        return null;
      }
      int[] size = Shapes.broadcastShapes(y.shape(), weight.shape());
      checkKernel(x, y);
      checkInPlace(x.shape(), size);
      return cursor(weight, x.shape());
    }

    /**
     * float16/bfloat16 input, target (and weight) of the one dtype {@code dt}, each step rounded to {@code dt} as
     * PyTorch 2.13's CPU kernels take them (checked against 2.13 on random data, every element equal): the loss
     * {@code (y - 1) max(log1p(-x), -100) - y max(log(x), -100)}, times the weight; the input's gradient
     * {@code g (x - y) / max((1 - x) x, eps)}, times the weight, divided by n for a mean; the target's
     * {@code -logit(x)} (as {@code log(x / (1 - x))}) times g, the weight, 1/n in that order.
     */
    private Result reducedPrecision(Tensor x, Tensor y, boolean[] needsGrad, DType dt) {
      BroadcastCursor wIndex = checkedWeight(x, y);
      int[] shape = x.shape();
      int n = x.numel();
      double eps = HalfSteps.r(BCE_EPSILON, dt); // ATen's EPSILON as a scalar of the dtype: 0 in float16
      double[] xs = new double[n];
      double[] ys = new double[n];
      double[] w = weight == null ? null : new double[n];
      double[] loss = new double[n];
      for (int i = 0; i < n; i++) {
        double xv = xs[i] = x.getDouble(i);
        double yv = ys[i] = y.getDouble(i);
        double log1m = Math.max(HalfSteps.r(Math.log1p(-xv), dt), -100);
        double logx = Math.max(HalfSteps.r(Math.log(xv), dt), -100);
        double l = HalfSteps.r(HalfSteps.r(HalfSteps.r(yv - 1, dt) * log1m, dt) - HalfSteps.r(yv * logx, dt), dt);
        if (w != null) {
          w[i] = at(weight, wIndex, i);
          l = HalfSteps.r(l * w[i], dt);
        }
        loss[i] = l;
      }
      Tensor out = HalfSteps.reduce(loss, dt, shape, reduction);
      boolean gx = needsGrad[0];
      boolean gy = needsGrad[1];
      GradientFunction bw = !gx && !gy ? null : g -> {
        double gs = reduction == Reduction.NONE ? 0 : g.item();
        double[] dx = gx ? new double[n] : null;
        double[] dy = gy ? new double[n] : null;
        for (int i = 0; i < n; i++) {
          double gv = reduction == Reduction.NONE ? g.getDouble(i) : gs;
          double xv = xs[i];
          if (dx != null) {
            double den = Math.max(HalfSteps.r(HalfSteps.r(1 - xv, dt) * xv, dt), eps);
            double v = HalfSteps.r(HalfSteps.r(gv * HalfSteps.r(xv - ys[i], dt), dt) / den, dt);
            dx[i] = finish(v, w, i, n, dt);
          }
          if (dy != null) {
            double logit = HalfSteps.r(Math.log(HalfSteps.r(xv / HalfSteps.r(1 - xv, dt), dt)), dt);
            dy[i] = finish(HalfSteps.r(-logit * gv, dt), w, i, n, dt);
          }
        }
        return new Tensor[] {dx == null ? null : HalfSteps.tensor(dx, dt, shape),
            dy == null ? null : HalfSteps.tensor(dy, dt, shape)};
      };
      return new Result(out, "BinaryCrossEntropyBackward0", List.of(), bw);
    }

    /** A reduced-precision gradient's last steps: times the weight, then / n for a mean, each rounded. */
    private double finish(double v, double[] w, int i, int n, DType dt) {
      if (w != null) {
        v = HalfSteps.r(v * w[i], dt);
      }
      return reduction == Reduction.MEAN ? HalfSteps.r(v / n, dt) : v;
    }

    /** {@link BinaryKernels#bce} over same-shape arrays of one dtype (the weight too, when given). */
    private Result flat(Tensor x, Tensor y, boolean gx, boolean gy, double scale) {
      return flatPair(x, y, gx, gy, reduction, "BinaryCrossEntropyBackward0",
          (fx, fy, each, ax, ay) -> BinaryKernels.bce(fx, fy, floats(weight), each, ax, ay, scale),
          (dx, dy, each, ax, ay) -> BinaryKernels.bce(dx, dy, doubles(weight), each, ax, ay, scale));
    }

    /**
     * The kernel's own checks: equal dtypes, a floating dtype, every input and (PyTorch 2.x) every target
     * element in [0, 1]. The kernel checks element by element, input before target, so the first element out
     * of range names which of the two is reported.
     */
    private static void checkKernel(Tensor x, Tensor y) {
      if (x.dtype() != y.dtype()) {
        throw new RuntimeError("Found dtype " + y.dtype().scalarTypeName() + " but expected "
            + x.dtype().scalarTypeName());
      }
      if (!x.dtype().isFloatingPoint()) {
        throw NotImplementedError.forDtype("binary_cross_entropy", x.dtype().scalarTypeName());
      }
      if (probabilities(x) && probabilities(y)) {
        return;
      }
      for (int i = 0, n = x.numel(); i < n; i++) {
        double xv = x.getDouble(i);
        if (!(xv >= 0 && xv <= 1)) {
          throw new RuntimeError("all elements of input should be between 0 and 1");
        }
        double yv = y.getDouble(i);
        if (!(yv >= 0 && yv <= 1)) {
          throw new RuntimeError("all elements of target should be between 0 and 1");
        }
      }
    }

    private static boolean probabilities(Tensor t) {
      return switch (t.dtype()) {
        case FLOAT32 -> BinaryKernels.probabilities(Storage.floats(t));
        case FLOAT64 -> BinaryKernels.probabilities(Storage.doubles(t));
        default -> false;
      };
    }

    @Override
    public String toString() {
      return "BCELoss(reduction=" + reduction.torchName() + ")";
    }
  }

  // ---- BCEWithLogitsLoss ------------------------------------------------------------------------------

  /**
   * Binary cross entropy on logits, {@code torch.nn.BCEWithLogitsLoss}: sigmoid and BCE in one
   * numerically stable step, {@code l_n = -w_n [p y_n log sigma(x_n) + (1 - y_n) log(1 - sigma(x_n))]},
   * computed as PyTorch 2.x does: {@code (1 - y) x - lw log_sigmoid(x)}, {@code lw = (p - 1) y + 1}, with
   * {@code log_sigmoid(x) = min(x, 0) - log1p(exp(-|x|))}; finite for logits of +-1e4.
   *
   * <p>Shapes: input (*) logits, target (*) of the same shape; optional weight broadcastable to the input;
   * optional pos_weight {@code p} broadcast against the target, so a (C) vector weighs the positives of
   * each class of the last dimension. Output a scalar, or (*) for reduction none, in the target's dtype.
   * Gradients: input {@code w [(p y + 1 - y) sigma(x) - p y]}, target
   * {@code w [log sigma(-x) - p log sigma(x)]} (= {@code -w x} without pos_weight); weight and pos_weight
   * are not differentiated. PyTorch counterpart: {@code torch.nn.BCEWithLogitsLoss(weight, reduction,
   * pos_weight)}, {@code torch.nn.functional.binary_cross_entropy_with_logits}; grad_fn
   * {@code BinaryCrossEntropyWithLogitsBackward0}.
   */
  public static final class BCEWithLogitsLoss implements Differentiable {
    private final Tensor weight;
    private final Tensor posWeight;
    private final Reduction reduction;

    /**
     * @param weight a rescaling weight broadcastable to the input, or null
     * @param posWeight the weight of positive examples, broadcast against the target, or null
     */
    public BCEWithLogitsLoss(Tensor weight, Reduction reduction, Tensor posWeight) {
      Reduction.checkNotBatchmean(reduction);
      this.weight = weight;
      this.posWeight = posWeight;
      this.reduction = reduction;
    }

    public BCEWithLogitsLoss() {
      this(null, Reduction.MEAN, null);
    }

    public Reduction reduction() {
      return reduction;
    }

    /** The loss as a node of an autograd graph. */
    public Variable forward(Variable input, Variable target) {
      return Variable.apply(this, null, input, target);
    }

    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      Tensor x = inputs[0];
      Tensor y = inputs[1];
      if (!x.sameShape(y)) {
        throw new ValueError("Target size (" + Shapes.torchSize(y.shape()) + ") must be the same as input size ("
            + Shapes.torchSize(x.shape()) + ")");
      }
      int[] shape = x.shape();
      if (!x.dtype().isFloatingPoint()) {
        // PyTorch 2.x starts from log_sigmoid(input), which refuses an integral input before anything else.
        throw NotImplementedError.forDtype("log_sigmoid_cpu", x.dtype().scalarTypeName());
      }
      y.dtype().refuseBarebones("add_stub"); // (1 - target) of a uint16/uint32/uint64 target
      int[] pwShape = null;
      if (posWeight != null) {
        pwShape = Shapes.broadcast(posWeight.shape(), y.shape());
      }
      if (y.dtype() == DType.BOOL) {
        throw new RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or"
            + " `logical_xor()` operator instead.");
      }
      if (!y.dtype().isFloatingPoint()) {
        throw castToLong(x.dtype(), y.dtype());
      }
      if (pwShape != null) {
        checkInPlace(shape, pwShape);
      }
      if (weight != null) {
        checkInPlace(shape, weight.shape());
      }
      DType half = HalfSteps.uniform("BCEWithLogitsLoss", x, y, weight, posWeight);
      if (half != null) {
        return reducedPrecision(x, y, needsGrad, half);
      }
      DType dt = y.dtype();
      int n = x.numel();
      double scale = reduction == Reduction.MEAN ? 1.0 / n : 1.0;
      if (flatDtype(dt) && x.dtype() == dt && (weight == null || periodic(weight, dt, shape))
          && (posWeight == null || periodic(posWeight, dt, shape))) {
        return flat(x, y, needsGrad[0], needsGrad[1], scale);
      }
      BroadcastCursor pIndex = posWeight == null ? null : cursor(posWeight, shape);
      BroadcastCursor wIndex = weight == null ? null : cursor(weight, shape);
      double[] loss = new double[n];
      double[] dx = needsGrad[0] ? new double[n] : null;
      double[] dy = needsGrad[1] ? new double[n] : null;
      // float32: the input gradient's sigmoid(x) - y cancels where the target is close, so sigmoid takes
      // torch.sigmoid's own float bits (ActivationKernels), an ulp of which a large weight would show.
      float[] sig32 = null;
      if (dx != null && x.dtype() == DType.FLOAT32) {
        float[] xf = new float[n];
        for (int i = 0; i < n; i++) {
          xf[i] = (float) x.getDouble(i);
        }
        sig32 = new float[n];
        ActivationKernels.sigmoid(xf, sig32);
      }
      for (int i = 0; i < n; i++) {
        double xv = x.getDouble(i);
        double yv = y.getDouble(i);
        double w = weight == null ? 1.0 : at(weight, wIndex, i);
        // PyTorch 2.x: (1 - y) x - lw log_sigmoid(x), each step in the dtype (log_sigmoid is -inf at x = -inf,
        // where the older max-shifted log-sum-exp form gave inf - inf = NaN)
        double a = round(round(1 - yv, dt) * xv, dt);
        double ls = round(logSigmoid(xv), dt);
        double l;
        double p = 0;
        if (posWeight != null) {
          p = at(posWeight, pIndex, i);
          double lw = round(round(round(round(p, dt) - 1, dt) * yv, dt) + 1, dt);
          l = round(a - round(lw * ls, dt), dt);
        } else {
          l = round(a - ls, dt);
        }
        loss[i] = weight == null ? l : round(l * w, dt);
        if (dx != null) {
          double s = sig32 != null ? sig32[i] : sigmoid(xv);
          double local = posWeight == null ? s - yv : (p * yv + 1 - yv) * s - p * yv;
          dx[i] = local * w * scale;
        }
        if (dy != null) {
          double local = posWeight == null ? -xv : logSigmoid(-xv) - p * logSigmoid(xv);
          dy[i] = local * w * scale;
        }
      }
      Tensor out = reduce(loss, shape, dt, reduction);
      DType gdt = DType.promote(x.dtype(), y.dtype());
      GradientFunction bw = dx == null && dy == null ? null
          : pointwiseBackward(reduction, new double[][] {dx, dy}, inputs, new DType[] {gdt, gdt}, shape);
      return new Result(out, "BinaryCrossEntropyWithLogitsBackward0", List.of(), bw);
    }

    /**
     * float16/bfloat16 (every tensor of the one dtype {@code dt}), step by step as PyTorch 2.13's CPU computes
     * them, each step rounded to {@code dt}: {@code l = (1 - y) x - log_sigmoid(x) lw} with
     * {@code lw = (p - 1) y + 1} (1 without pos_weight), times the weight; the input's gradient
     * {@code ((p y + 1 - y) sigmoid(x) - p y) g w / n}, the target's {@code (log_sigmoid(-x) - log_sigmoid(x) p) g
     * w / n} ({@code -x g w / n} without pos_weight).
     */
    private Result reducedPrecision(Tensor x, Tensor y, boolean[] needsGrad, DType dt) {
      int[] shape = x.shape();
      int n = x.numel();
      BroadcastCursor pIndex = posWeight == null ? null : cursor(posWeight, shape);
      BroadcastCursor wIndex = weight == null ? null : cursor(weight, shape);
      double[] loss = new double[n];
      double[] w = weight == null ? null : new double[n];
      double[] dx = needsGrad[0] ? new double[n] : null;
      double[] dy = needsGrad[1] ? new double[n] : null;
      for (int i = 0; i < n; i++) {
        double xv = x.getDouble(i);
        double yv = y.getDouble(i);
        double p = posWeight == null ? 0 : at(posWeight, pIndex, i);
        double a = HalfSteps.r(HalfSteps.r(1 - yv, dt) * xv, dt);
        double ls = HalfSteps.r(logSigmoid(xv), dt);
        double lw = posWeight == null ? 1 : HalfSteps.r(HalfSteps.r(HalfSteps.r(p - 1, dt) * yv, dt) + 1, dt);
        double l = HalfSteps.r(a - HalfSteps.r(ls * lw, dt), dt);
        if (w != null) {
          w[i] = at(weight, wIndex, i);
          l = HalfSteps.r(l * w[i], dt);
        }
        loss[i] = l;
        if (dx != null) {
          double s = HalfSteps.r(sigmoid(xv), dt);
          if (posWeight == null) {
            dx[i] = HalfSteps.r(s - yv, dt);
          } else {
            double t = HalfSteps.r(p * yv, dt);
            dx[i] = HalfSteps.r(HalfSteps.r(HalfSteps.r(HalfSteps.r(t + 1, dt) - yv, dt) * s, dt) - t, dt);
          }
        }
        if (dy != null) {
          dy[i] = posWeight == null ? -xv : HalfSteps.r(HalfSteps.r(logSigmoid(-xv), dt)
              - HalfSteps.r(ls * p, dt), dt);
        }
      }
      Tensor out = HalfSteps.reduce(loss, dt, shape, reduction);
      boolean mean = reduction == Reduction.MEAN;
      GradientFunction bw = dx == null && dy == null ? null : g -> new Tensor[] {
          dx == null ? null : HalfSteps.scale(dx, g, w, mean, reduction, dt, shape),
          dy == null ? null : HalfSteps.scale(dy, g, w, mean, reduction, dt, shape)};
      return new Result(out, "BinaryCrossEntropyWithLogitsBackward0", List.of(), bw);
    }

    /**
     * {@link BinaryKernels#bceWithLogits} over same-shape input and target of one dtype, with a weight and
     * pos_weight of that dtype read periodically (full, a vector over the last dimension, or one value).
     */
    private Result flat(Tensor x, Tensor y, boolean gx, boolean gy, double scale) {
      return flatPair(x, y, gx, gy, reduction, "BinaryCrossEntropyWithLogitsBackward0",
          (fx, fy, each, ax, ay) ->
              BinaryKernels.bceWithLogits(fx, fy, floats(weight), floats(posWeight), each, ax, ay, scale),
          (dx, dy, each, ax, ay) ->
              BinaryKernels.bceWithLogits(dx, dy, doubles(weight), doubles(posWeight), each, ax, ay, scale));
    }

    @Override
    public String toString() {
      return "BCEWithLogitsLoss(reduction=" + reduction.torchName() + ")";
    }
  }

  // ---- SoftMarginLoss ---------------------------------------------------------------------------------

  /**
   * Two-class logistic loss, {@code torch.nn.SoftMarginLoss}: {@code l_n = log(1 + exp(-y_n x_n))} for
   * targets {@code y = +-1}, gradient {@code -y exp(-y x) / (1 + exp(-y x))}. As in PyTorch's float32
   * kernel, {@code exp(-y x)} overflows past about 88.7 (loss inf, gradient NaN).
   *
   * <p>Shapes: input (*), target broadcastable to the input's shape (not the other way); output a
   * scalar, or the input's shape for reduction none, in the input's dtype. Only the input is
   * differentiated: a target that requires grad is PyTorch's RuntimeError. PyTorch counterpart:
   * {@code torch.nn.SoftMarginLoss(reduction)}, {@code torch.nn.functional.soft_margin_loss}; grad_fn
   * {@code SoftMarginLossBackward0}.
   */
  public static final class SoftMarginLoss implements Differentiable {
    private final Reduction reduction;

    public SoftMarginLoss(Reduction reduction) {
      Reduction.checkNotBatchmean(reduction);
      this.reduction = reduction;
    }

    public SoftMarginLoss() {
      this(Reduction.MEAN);
    }

    public Reduction reduction() {
      return reduction;
    }

    /** The loss as a node of an autograd graph. */
    public Variable forward(Variable input, Variable target) {
      return Variable.apply(this, null, input, target);
    }

    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      Tensor x = inputs[0];
      Tensor y = inputs[1];
      if (needsGrad.length > 1 && needsGrad[1]) {
        throw notDifferentiable("soft_margin_loss", "target");
      }
      if (x.dtype() == DType.BOOL) {
        throw new RuntimeError(NEGATION_BOOL);
      }
      x.dtype().refuseBarebones("neg_cpu");
      int[] shape = x.shape();
      checkInPlace(shape, y.shape());
      if (!x.dtype().isFloatingPoint()) {
        throw castToLong(y.dtype(), x.dtype());
      }
      DType dt = x.dtype();
      int n = x.numel();
      double norm = reduction == Reduction.MEAN ? 1.0 / n : 1.0;
      if (flatDtype(dt) && y.dtype() == dt && y.sameShape(x)) {
        return flat(x, y, needsGrad[0], norm);
      }
      // float16/bfloat16 (input and target of one dtype) take this loop too, every step rounded to the dtype as
      // PyTorch's CPU rounds it; the backward's in-place scaling by -norm rounds that factor to the dtype first.
      HalfSteps.uniform("SoftMarginLoss", x, y);
      double negNorm = dt.isReducedFloat() ? dt.round(-norm) : -norm;
      BroadcastCursor yIndex = cursor(y, shape);
      DType pdt = DType.promote(x.dtype(), y.dtype());
      double[] loss = new double[n];
      double[] dx = needsGrad[0] ? new double[n] : null;
      for (int i = 0; i < n; i++) {
        double xv = x.getDouble(i);
        double yv = at(y, yIndex, i);
        double e = round(Math.exp(round(-xv * yv, dt)), dt);
        loss[i] = round(Math.log1p(e), dt);
        if (dx != null) {
          // The backward negates the target in its own dtype: an integer target's -y wraps (uint8's -255 is 1).
          double negY = y.dtype().isIntegral() ? y.dtype().wrap(-(long) yv) : -yv;
          double z = round(Math.exp(round(negY * xv, pdt)), pdt);
          double gi = round(round(yv * z, dt) * negNorm, dt);
          dx[i] = round(gi / round(z + 1, pdt), dt);
        }
      }
      Tensor out = reduce(loss, shape, dt, reduction);
      GradientFunction bw = dx == null ? null
          : pointwiseBackward(reduction, new double[][] {dx}, inputs, new DType[] {dt}, shape);
      if (bw != null && y.dtype() == DType.BOOL) {
        // PyTorch's backward negates the target, which a bool tensor refuses.
        bw = g -> {
          throw new RuntimeError(NEGATION_BOOL);
        };
      }
      return new Result(out, "SoftMarginLossBackward0", List.of(), bw);
    }

    /** {@link BinaryKernels#softMargin} over same-shape input and target of one dtype. */
    private Result flat(Tensor x, Tensor y, boolean gx, double scale) {
      int[] shape = x.shape();
      int n = x.numel();
      boolean none = reduction == Reduction.NONE;
      Tensor out;
      Tensor dx = null;
      if (x.dtype() == DType.FLOAT32) {
        float[] each = none ? new float[n] : null;
        float[] ax = gx ? new float[n] : null;
        double total = BinaryKernels.softMargin(Storage.floats(x), Storage.floats(y), each, ax, scale);
        out = none ? Storage.adopt(each, shape) : reducedOutput(total, n, DType.FLOAT32, reduction);
        dx = gx ? Storage.adopt(ax, shape) : null;
      } else {
        double[] each = none ? new double[n] : null;
        double[] ax = gx ? new double[n] : null;
        double total = BinaryKernels.softMargin(Storage.doubles(x), Storage.doubles(y), each, ax, scale);
        out = none ? Storage.adopt(each, shape) : reducedOutput(total, n, DType.FLOAT64, reduction);
        dx = gx ? Storage.adopt(ax, shape) : null;
      }
      GradientFunction bw = gx ? flatBackward(reduction, dx) : null;
      return new Result(out, "SoftMarginLossBackward0", List.of(), bw);
    }

    @Override
    public String toString() {
      return "SoftMarginLoss(reduction=" + reduction.torchName() + ")";
    }
  }

  // ---- MultiLabelSoftMarginLoss -----------------------------------------------------------------------

  /**
   * Multi-label one-versus-all logistic loss, {@code torch.nn.MultiLabelSoftMarginLoss}: per sample,
   * {@code l_n = -(1/C) sum_c w_c [y_nc log sigma(x_nc) + (1 - y_nc) log sigma(-x_nc)]}, averaged over the
   * last (class) dimension of size C, then reduced over the samples.
   *
   * <p>Shapes: input (N, C) or (C) (any rank >= 1: the last dimension is the class one), target of a
   * shape broadcastable with it (values in [0, 1], usually 0/1), optional weight (C) or any shape
   * broadcastable with the loss; output (N) (the input's shape without its last dimension) for
   * reduction none, else a scalar; dtype the promotion of the three. PyTorch 1.13 composes this loss
   * from logsigmoid, mul, sum and div, so input, target and weight all receive gradients and the grad_fn
   * is {@code DivBackward0} (none), {@code MeanBackward0} (mean) or {@code SumBackward0} (sum). An invalid
   * reduction raises {@code ValueError("<r> is not valid")} after the loss is computed, as PyTorch does.
   * PyTorch counterpart: {@code torch.nn.MultiLabelSoftMarginLoss(weight, reduction)},
   * {@code torch.nn.functional.multilabel_soft_margin_loss}. Inputs of {@link #apply}: input, target,
   * weight (null when absent).
   */
  public static final class MultiLabelSoftMarginLoss implements Differentiable {
    /** float16 and bfloat16: computed in float32 and rounded once, as PyTorch's CPU kernels do. */
    @Override
    public ReducedFloat reducedFloat() {
      return ReducedFloat.WIDEN;
    }

    private final Reduction reduction;

    public MultiLabelSoftMarginLoss(Reduction reduction) {
      if (reduction == Reduction.BATCHMEAN) {
        throw new ValueError("batchmean is not valid");
      }
      this.reduction = reduction;
    }

    public MultiLabelSoftMarginLoss() {
      this(Reduction.MEAN);
    }

    public Reduction reduction() {
      return reduction;
    }

    /** The loss as a node of an autograd graph; {@code weight} may be null. */
    public Variable forward(Variable input, Variable target, Variable weight) {
      return Variable.apply(this, null, input, target, weight);
    }

    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      Tensor x = inputs[0];
      Tensor y = inputs[1];
      Tensor wt = inputs.length > 2 ? inputs[2] : null;
      int[] shape = checkShapes(x, y, wt);
      DType dt = DType.promote(x.dtype(), y.dtype());
      if (wt != null) {
        dt = DType.promote(dt, wt.dtype());
      }
      int classDim = x.dim() - 1;
      int c = x.size(classDim);
      int n = Shapes.numel(shape);
      if (flatDtype(dt) && n > 0 && x.dtype() == dt && y.dtype() == dt && y.sameShape(x)
          && (wt == null || wt.numel() == c && periodic(wt, dt, x.shape()) && !(needsGrad.length > 2 && needsGrad[2]))) {
        return flat(x, y, wt, needsGrad[0], needsGrad[1]);
      }
      BroadcastCursor xi = cursor(x, shape);
      BroadcastCursor yi = cursor(y, shape);
      BroadcastCursor wi = wt == null ? null : cursor(wt, shape);
      // The output: the loss shape without the class dimension.
      int[] outShape = new int[shape.length - 1];
      for (int d = 0, k = 0; d < shape.length; d++) {
        if (d != classDim) {
          outShape[k++] = shape[d];
        }
      }
      int innerSize = 1;
      for (int d = classDim + 1; d < shape.length; d++) {
        innerSize *= shape[d];
      }
      // Element i of the loss belongs to output (i / (inner * size)) * inner + i % inner.
      final int inner = innerSize;
      final int size = shape[classDim];
      final int outN = Shapes.numel(outShape);
      double[] sums = new double[outN];
      boolean gx = needsGrad[0];
      boolean gy = needsGrad[1];
      boolean gw = wt != null && needsGrad.length > 2 && needsGrad[2];
      // Local derivatives per loss element, before the per-sample output gradient and 1/C.
      double[] dx = gx ? new double[n] : null;
      double[] dy = gy ? new double[n] : null;
      double[] dw = gw ? new double[n] : null;
      DType ldt = DType.promote(x.dtype(), y.dtype());
      for (int i = 0; i < n; i++) {
        int o = (i / (inner * size)) * inner + i % inner;
        double xv = at(x, xi, i);
        double yv = at(y, yi, i);
        double w = wt == null ? 1.0 : at(wt, wi, i);
        // the unweighted loss in the dtype of input and target, step by step as PyTorch's composite rounds it
        // (at a target of 1e30 a float32 step's rounding shows past float64's tolerance once a float64 weight
        // widens the product)
        double lsPos = ldt == DType.FLOAT32 ? logSigmoid32((float) xv) : round(logSigmoid(xv), ldt);
        double lsNeg = ldt == DType.FLOAT32 ? logSigmoid32((float) -xv) : round(logSigmoid(-xv), ldt);
        // 1 - target is taken in the target's dtype: an integer target's wraps (uint8's 1 - 255 is 2).
        double notY = y.dtype().isIntegral() ? y.dtype().wrap(1 - (long) yv) : round(1 - yv, ldt);
        double l = -round(round(yv * lsPos, ldt) + round(notY * lsNeg, ldt), ldt);
        sums[o] += wt == null ? l : l * w;
        if (dx != null) {
          dx[i] = -w * yv * logSigmoidGrad(xv) + w * notY * logSigmoidGrad(-xv);
        }
        if (dy != null) {
          dy[i] = -w * lsPos + w * lsNeg;
        }
        if (dw != null) {
          dw[i] = l;
        }
      }
      double[] perSample = new double[outN];
      for (int o = 0; o < outN; o++) {
        perSample[o] = round(sums[o], dt) / c;
      }
      Tensor out;
      String name;
      switch (reduction) {
        case NONE -> {
          out = reduce(perSample, outShape, dt, Reduction.NONE);
          name = "DivBackward0";
        }
        case SUM -> {
          out = reduce(perSample, outShape, dt, Reduction.SUM);
          name = "SumBackward0";
        }
        default -> {
          out = reduce(perSample, outShape, dt, Reduction.MEAN);
          name = "MeanBackward0";
        }
      }
      GradientFunction bw = null;
      if (gx || gy || gw) {
        double[][] local = {dx, dy, dw};
        DType finalDt = dt;
        bw = g -> {
          Tensor[] grads = new Tensor[3];
          double s = reduction == Reduction.NONE ? 0 : g.item() / (reduction == Reduction.MEAN ? outN : 1);
          for (int k = 0; k < 3; k++) {
            if (local[k] == null) {
              continue;
            }
            if (k == 2 && inputs[2].dtype() == DType.FLOAT32 && inputs[2].numel() == 1 && finalDt == DType.FLOAT32) {
              // one float32 weight: its gradient is the float products l (g / C) summed in ATen's order
              float[] v = new float[n];
              float gs = reduction == Reduction.NONE ? 0f
                  : reduction == Reduction.MEAN ? (float) g.item() / (float) outN : (float) g.item();
              for (int i = 0; i < n; i++) {
                float go = reduction == Reduction.NONE
                    ? (float) g.getDouble((i / (inner * size)) * inner + i % inner) : gs;
                v[i] = (float) local[k][i] * (go / (float) c);
              }
              grads[k] = Tensor.scalar(AtenFloatSum.contiguous(v, n), DType.FLOAT32).reshape(inputs[2].shape());
              continue;
            }
            TensorBuilder b = new TensorBuilder(finalDt, shape);
            for (int i = 0; i < n; i++) {
              double go = reduction == Reduction.NONE ? g.getDouble((i / (inner * size)) * inner + i % inner) : s;
              // Autograd sums two products of opposite signs here: an exact zero is +0.
              double v = local[k][i] * (go / c);
              b.set(i, k == 2 ? v : v + 0.0);
            }
            grads[k] = TensorMath.sumToShape(b.build(), inputs[k].shape(), inputs[k].dtype());
          }
          return grads;
        };
      }
      return new Result(out, name, List.of(), bw);
    }

    /**
     * {@link BinaryKernels#multilabelSoftMargin} over same-shape input and target of one dtype, with a (C)
     * weight (not differentiated) or none.
     */
    private Result flat(Tensor x, Tensor y, Tensor wt, boolean gx, boolean gy) {
      int[] shape = x.shape();
      int n = x.numel();
      int c = shape[shape.length - 1];
      int rows = n / c;
      int[] outShape = Arrays.copyOf(shape, shape.length - 1);
      boolean none = reduction == Reduction.NONE;
      // Derivatives at a unit output gradient: 1/(rows C) for a mean, 1/C for a sum; none chains per row.
      double scale = none ? 1.0 : reduction == Reduction.MEAN ? 1.0 / rows / c : 1.0 / c;
      Tensor out;
      Tensor dx = null;
      Tensor dy = null;
      if (x.dtype() == DType.FLOAT32) {
        float[] each = none ? new float[rows] : null;
        float[] ax = gx ? new float[n] : null;
        float[] ay = gy ? new float[n] : null;
        double total = BinaryKernels.multilabelSoftMargin(Storage.floats(x), Storage.floats(y), floats(wt), c, each,
            ax, ay, scale);
        out = none ? Storage.adopt(each, outShape) : reducedOutput(total, rows, DType.FLOAT32, reduction);
        dx = gx ? Storage.adopt(ax, shape) : null;
        dy = gy ? Storage.adopt(ay, shape) : null;
      } else {
        double[] each = none ? new double[rows] : null;
        double[] ax = gx ? new double[n] : null;
        double[] ay = gy ? new double[n] : null;
        double total = BinaryKernels.multilabelSoftMargin(Storage.doubles(x), Storage.doubles(y), doubles(wt), c,
            each, ax, ay, scale);
        out = none ? Storage.adopt(each, outShape) : reducedOutput(total, rows, DType.FLOAT64, reduction);
        dx = gx ? Storage.adopt(ax, shape) : null;
        dy = gy ? Storage.adopt(ay, shape) : null;
      }
      String name = switch (reduction) {
        case NONE -> "DivBackward0";
        case SUM -> "SumBackward0";
        default -> "MeanBackward0";
      };
      GradientFunction bw = null;
      if (gx || gy) {
        Tensor[] local = {dx, dy, null};
        bw = none ? g -> chainRows(local, g, c) : flatBackward(reduction, local);
      }
      return new Result(out, name, List.of(), bw);
    }

    /** Reduction none: each row's derivatives times that row's output gradient over C. */
    private static Tensor[] chainRows(Tensor[] local, Tensor g, int c) {
      Tensor[] out = new Tensor[local.length];
      for (int k = 0; k < local.length; k++) {
        Tensor t = local[k];
        if (t == null) {
          continue;
        }
        Tensor gg = g.to(t.dtype());
        out[k] = t.dtype() == DType.FLOAT32
            ? Storage.adopt(BinaryKernels.multilabelSoftMarginChain(Storage.floats(t), Storage.floats(gg), c),
                t.shape())
            : Storage.adopt(BinaryKernels.multilabelSoftMarginChain(Storage.doubles(t), Storage.doubles(gg), c),
                t.shape());
      }
      return out;
    }

    /** The composite's checks in PyTorch's order; returns the loss elements' (broadcast) shape. */
    static int[] checkShapes(Tensor x, Tensor y, Tensor w) {
      if (!x.dtype().isFloatingPoint()) {
        throw NotImplementedError.forDtype("log_sigmoid_cpu", x.dtype().scalarTypeName());
      }
      int[] shape = Shapes.broadcast(y.shape(), x.shape());
      if (y.dtype() == DType.BOOL) {
        throw new RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying"
            + " to invert a mask, use the `~` or `logical_not()` operator instead.");
      }
      y.dtype().refuseBarebones("add_stub"); // 1 - target
      if (w != null) {
        shape = Shapes.broadcast(shape, w.shape());
      }
      if (x.dim() == 0) {
        throw new IndexError("Dimension specified as -1 but tensor has no dimensions");
      }
      return shape;
    }

    @Override
    public String toString() {
      return "MultiLabelSoftMarginLoss(reduction=" + reduction.torchName() + ")";
    }
  }

  // ---- torch.nn.functional entry points -----------------------------------------------------------------

  /**
   * {@code F.binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
   * reduction='mean')}: reduction (or legacy flags), the same-size check (ValueError), the weight's
   * broadcast against the target, then the kernel's checks.
   */
  public static Functional.Outcome binaryCrossEntropy(Variable input, Variable target, Variable weight,
                                                      Boolean sizeAverage, Boolean reduce, String reduction) {
    List<String> warnings = new ArrayList<>();
    try {
      Reduction r = Functional.resolve(sizeAverage, reduce, reduction, warnings);
      Tensor x = input.data();
      Tensor y = target.data();
      if (!x.sameShape(y)) {
        throw new ValueError("Using a target size (" + Shapes.torchSize(y.shape()) + ") that is different to the input"
            + " size (" + Shapes.torchSize(x.shape()) + ") is deprecated. Please ensure they have the same size.");
      }
      Tensor w = null;
      if (weight != null) {
        int[] size = Shapes.broadcastShapes(y.shape(), weight.data().shape());
        if (weight.requiresGrad()) {
          throw notDifferentiable("binary_cross_entropy", "weight");
        }
        w = TensorMath.expand(weight.data(), size);
      }
      return new Functional.Outcome(Variable.apply(new BCELoss(w, r), null, input, target), warnings);
    } catch (TorchException e) {
      throw e.withWarnings(warnings);
    }
  }

  /**
   * {@code F.binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
   * reduction='mean', pos_weight=None)}.
   */
  public static Functional.Outcome binaryCrossEntropyWithLogits(Variable input, Variable target, Variable weight,
                                                                Boolean sizeAverage, Boolean reduce, String reduction,
                                                                Variable posWeight) {
    List<String> warnings = new ArrayList<>();
    try {
      Reduction r = Functional.resolve(sizeAverage, reduce, reduction, warnings);
      Tensor x = input.data();
      Tensor y = target.data();
      if (!x.sameShape(y)) {
        throw new ValueError("Target size (" + Shapes.torchSize(y.shape()) + ") must be the same as input size ("
            + Shapes.torchSize(x.shape()) + ")");
      }
      if (weight != null && weight.requiresGrad()) {
        throw notDifferentiable("binary_cross_entropy_with_logits", "weight");
      }
      if (posWeight != null && posWeight.requiresGrad()) {
        throw notDifferentiable("binary_cross_entropy_with_logits", "pos_weight");
      }
      BCEWithLogitsLoss op = new BCEWithLogitsLoss(weight == null ? null : weight.data(), r,
          posWeight == null ? null : posWeight.data());
      return new Functional.Outcome(Variable.apply(op, null, input, target), warnings);
    } catch (TorchException e) {
      throw e.withWarnings(warnings);
    }
  }

  /** {@code F.soft_margin_loss(input, target, size_average=None, reduce=None, reduction='mean')}. */
  public static Functional.Outcome softMarginLoss(Variable input, Variable target, Boolean sizeAverage,
                                                  Boolean reduce, String reduction) {
    return Functional.reduced(sizeAverage, reduce, reduction, SoftMarginLoss::new, input, target);
  }

  /**
   * {@code F.multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None,
   * reduction='mean')}: legacy flags map to a reduction string (with the deprecation warning); the
   * reduction string is only validated after the loss is computed, with PyTorch's "x is not valid".
   */
  public static Functional.Outcome multilabelSoftMarginLoss(Variable input, Variable target, Variable weight,
                                                            Boolean sizeAverage, Boolean reduce, String reduction) {
    List<String> warnings = new ArrayList<>();
    try {
      String name = reduction;
      if (sizeAverage != null || reduce != null) {
        Reduction legacy = Reduction.fromLegacy(sizeAverage, reduce);
        warnings.add(Reduction.legacyWarning(legacy));
        name = legacy.torchName();
      }
      if (name == null) {
        throw new TypeError(Probabilistic.NONE_PLUS_STR);
      }
      Reduction r = switch (name) {
        case "none" -> Reduction.NONE;
        case "mean" -> Reduction.MEAN;
        case "sum" -> Reduction.SUM;
        default -> null;
      };
      if (r == null) {
        MultiLabelSoftMarginLoss.checkShapes(input.data(), target.data(), weight == null ? null : weight.data());
        throw new ValueError(name + " is not valid");
      }
      Variable out = Variable.apply(new MultiLabelSoftMarginLoss(r), null, input, target, weight);
      return new Functional.Outcome(out, warnings);
    } catch (TorchException e) {
      throw e.withWarnings(warnings);
    }
  }
}
