package dev.loss4j.loss;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.GradientFunction;
import dev.loss4j.errors.NotImplementedError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.kernel.RegressionKernels;
import dev.loss4j.tensor.BroadcastCursor;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The regression losses of {@code torch.nn}: L1Loss, MSELoss, SmoothL1Loss and HuberLoss. Each compares
 * an input and a target of the same (or broadcastable) shape element by element, then reduces
 * ({@link Reduction}: none keeps the input's shape, mean and sum give a 0-d tensor). Gradients flow to
 * both input and target.
 */
public final class Regression {
  private Regression() {}

  /**
   * Mean absolute error, {@code torch.nn.L1Loss}: {@code l_n = |x_n - y_n|}.
   * The gradient at {@code x_n == y_n} is 0, as {@code sign(0)}. Shapes: input (*), target (*) of the same
   * shape; output scalar, or (*) for reduction none.
   */
  public static final class L1Loss extends ElementwiseLoss {
    public L1Loss(Reduction reduction) {
      super(reduction);
    }

    public L1Loss() {
      this(Reduction.MEAN);
    }

    @Override
    protected double value(double x, double y) {
      return Math.abs(x - y);
    }

    /** PyTorch computes |input - target|: its subtraction refuses a bool operand, whatever the other. */
    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      if (inputs[0].dtype() == DType.BOOL || inputs[1].dtype() == DType.BOOL) {
        throw new RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
            + "trying to invert a mask, use the `~` or `logical_not()` operator instead.");
      }
      DType promoted = DType.promote(inputs[0].dtype(), inputs[1].dtype());
      if (promoted.isIntegral()) {
        return integral(inputs[0], inputs[1], promoted);
      }
      return super.apply(inputs, needsGrad);
    }

    /**
     * Two integer operands: PyTorch's composite {@code (input - target).abs()} in their promoted dtype, where the
     * difference and the absolute value wrap (a uint8 0 - 1 is 255, and stays 255; int8's |-128| is -128);
     * 'sum' gives int64, as sum() of an integer tensor does, and 'mean' is refused. No gradients: integer tensors
     * never ask for one.
     */
    private Result integral(Tensor input, Tensor target, DType dt) {
      dt.refuseBarebones("add_stub");
      List<String> warnings = new ArrayList<>(1);
      if (!input.sameShape(target)) {
        warnings.add(sizeWarning(input, target));
      }
      checkDtype(dt);
      int[] shape = Shapes.broadcast(input.shape(), target.shape());
      int n = Shapes.numel(shape);
      BroadcastCursor ix = new BroadcastCursor(input.shape(), shape);
      BroadcastCursor iy = new BroadcastCursor(target.shape(), shape);
      boolean none = reduction == Reduction.NONE;
      TensorBuilder each = none ? new TensorBuilder(dt, shape) : null;
      long total = 0;
      for (int i = 0; i < n; i++) {
        long d = dt.wrap(input.getLong(ix.next()) - target.getLong(iy.next()));
        long l = dt.wrap(Math.abs(d));
        if (none) {
          each.setLong(i, l);
        } else {
          total += l;
        }
      }
      Tensor output = none ? each.build() : Tensor.ofLongs(new long[] {total});
      return new Result(output, gradFnName(), warnings, null);
    }

    /** sign(x - y) as ATen computes it, (0 < d) - (d < 0): 0 at a tie and for NaN. */
    @Override
    protected double gradInput(double x, double y) {
      double d = x - y;
      // Written without branches: on random data a branch per element mispredicts half the time.
      return (d > 0 ? 1 : 0) - (d < 0 ? 1 : 0);
    }

    /** PyTorch 1.13 composes l1_loss from abs and mean or sum, so its grad_fn is theirs. */
    @Override
    protected double kernel(float[] x, float[] y, float[] each, float[] gx, float[] gy, double scale) {
      return RegressionKernels.l1(x, y, each, gx, gy, scale);
    }

    @Override
    protected double kernel(double[] x, double[] y, double[] each, double[] gx, double[] gy, double scale) {
      return RegressionKernels.l1(x, y, each, gx, gy, scale);
    }

    @Override
    protected String gradFnName() {
      return switch (reduction) {
        case NONE -> "AbsBackward0";
        case SUM -> "SumBackward0";
        default -> "MeanBackward0";
      };
    }

    @Override
    protected void checkDtype(DType promoted) {
      if (!promoted.isFloatingPoint() && reduction == Reduction.MEAN) {
        throw new RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating point"
            + " or complex dtype. Got: " + promoted.scalarTypeName());
      }
    }
  }

  /**
   * Mean squared error, {@code torch.nn.MSELoss}: {@code l_n = (x_n - y_n)^2}, gradient
   * {@code 2 (x_n - y_n)}. Shapes: input (*), target (*) of the same shape; output scalar, or (*) for none.
   */
  public static final class MSELoss extends ElementwiseLoss {
    public MSELoss(Reduction reduction) {
      super(reduction);
    }

    public MSELoss() {
      this(Reduction.MEAN);
    }

    @Override
    protected double value(double x, double y) {
      double d = x - y;
      return d * d;
    }

    @Override
    protected double gradInput(double x, double y) {
      return 2 * (x - y);
    }

    @Override
    protected double kernel(float[] x, float[] y, float[] each, float[] gx, float[] gy, double scale) {
      return RegressionKernels.mse(x, y, each, gx, gy, scale);
    }

    @Override
    protected double kernel(double[] x, double[] y, double[] each, double[] gx, double[] gy, double scale) {
      return RegressionKernels.mse(x, y, each, gx, gy, scale);
    }

    @Override
    protected String gradFnName() {
      return "MseLossBackward0";
    }

    /** float16/bfloat16 of one dtype and shape are computed here, in ATen's steps; the rest widens. */
    @Override
    public ReducedFloat reducedFloat() {
      return ReducedFloat.NATIVE;
    }

    /**
     * A float16 or bfloat16 input and target of one dtype and shape run ATen's mse kernels in that dtype,
     * which round every step: {@code d = x - y}, then {@code d d}, the reductions summing the rounded losses
     * wide; the backward {@code (norm d) g} with {@code norm} (2, or 2 / N for mean) rounded to the dtype
     * first. Checked against 2.13 on 4,260 random tensors of 1 to 300 elements (each dtype and reduction):
     * output and gradient equal. Broadcasting and mixed dtypes widen to float32 and round once.
     */
    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      Tensor x = inputs[0];
      Tensor y = inputs[1];
      if (!x.dtype().isReducedFloat() && !y.dtype().isReducedFloat()) {
        return super.apply(inputs, needsGrad);
      }
      if (inputs.length != 2 || x.dtype() != y.dtype() || !x.sameShape(y)) {
        return Differentiable.widened(this, inputs, needsGrad);
      }
      DType dt = x.dtype();
      int n = x.numel();
      double[] a = x.toDoubleArray();
      double[] b = y.toDoubleArray();
      double[] each = new double[n];
      for (int i = 0; i < n; i++) {
        double d = dt.round(a[i] - b[i]);
        each[i] = dt.round(d * d);
      }
      Tensor output = HalfSteps.reduce(each, dt, x.shape(), reduction);
      GradientFunction backward = !needsGrad[0] && !needsGrad[1] ? null : up -> {
        double norm = dt.round(reduction == Reduction.MEAN ? 2.0 / n : 2.0);
        double[] gx = needsGrad[0] ? new double[n] : null;
        double[] gy = needsGrad[1] ? new double[n] : null;
        for (int i = 0; i < n; i++) {
          double g = reduction == Reduction.NONE ? up.getDouble(i) : up.item();
          if (gx != null) {
            gx[i] = dt.round(dt.round(norm * dt.round(a[i] - b[i])) * g);
          }
          if (gy != null) {
            gy[i] = dt.round(dt.round(norm * dt.round(b[i] - a[i])) * g);
          }
        }
        return new Tensor[] {gx == null ? null : HalfSteps.tensor(gx, dt, x.shape()),
            gy == null ? null : HalfSteps.tensor(gy, dt, y.shape())};
      };
      return new Result(output, gradFnName(), List.of(), backward);
    }

    @Override
    protected void checkDtype(DType promoted) {
      if (!promoted.isFloatingPoint()) {
        throw NotImplementedError.forDtype("mse_cpu", promoted.scalarTypeName());
      }
    }
  }

  /**
   * Smooth L1 loss, {@code torch.nn.SmoothL1Loss(beta)}: with {@code z = |x_n - y_n|},
   * {@code l_n = 0.5 z^2 / beta} where {@code z < beta}, else {@code z - 0.5 beta}. Gradient with respect to
   * the input, as ATen's kernel: -1 where {@code x - y <= -beta}, +1 where {@code x - y >= beta}, else
   * {@code (x - y) / beta}; the target's is its negation. {@code beta = 0} gives the L1 value (PyTorch 1.13's
   * backward then gives -1 to both input and target at a tie, as its kernel does); a negative beta is refused. Shapes: input (*),
   * target (*) broadcastable; output scalar, or (*) for reduction none. grad_fn {@code SmoothL1LossBackward0}.
   */
  public static final class SmoothL1Loss extends ElementwiseLoss {
    private final double beta;

    /** @throws RuntimeError "smooth_l1_loss does not support negative values for beta." */
    public SmoothL1Loss(Reduction reduction, double beta) {
      super(reduction);
      if (!(beta >= 0)) {
        throw new RuntimeError("smooth_l1_loss does not support negative values for beta.");
      }
      this.beta = beta;
    }

    public SmoothL1Loss() {
      this(Reduction.MEAN, 1.0);
    }

    public double beta() {
      return beta;
    }

    /** float16 is computed here, in its own steps; bfloat16 widens (see {@link #apply}). */
    @Override
    public ReducedFloat reducedFloat() {
      return ReducedFloat.NATIVE;
    }

    /**
     * float16 input and target of one shape run ATen's float16 kernel, which rounds every step to float16
     * ({@link #halfPrecision}); bfloat16 (which ATen computes in float and rounds once), mixed dtypes and
     * broadcasting widen to float32 as the other elementwise losses do.
     */
    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      Tensor x = inputs[0];
      Tensor y = inputs[1];
      if (!x.dtype().isReducedFloat() && !y.dtype().isReducedFloat()) {
        return super.apply(inputs, needsGrad);
      }
      if (x.dtype() != DType.FLOAT16 || y.dtype() != DType.FLOAT16 || !x.sameShape(y)) {
        return Differentiable.widened(this, inputs, needsGrad);
      }
      return halfPrecision(x, y, needsGrad);
    }

    /**
     * float16, each step rounded: {@code z = |x - y|}, then {@code 0.5 z z / beta} or {@code z - 0.5 beta};
     * the reductions sum the rounded losses wide. The backward is ATen's smooth_l1_backward kernel, which
     * computes in float (beta and {@code norm}, 1/N for mean, as floats) and rounds once: its vector loop (the
     * first {@code n - n % 32} elements) takes {@code (norm (d / beta)) g}, its scalar tail
     * {@code ((norm d) g) / beta}, and +-{@code norm g} past beta; this reproduced PyTorch's gradient on every
     * one of 58,320 random elements (7 to 70 per tensor, each reduction, input and target). The target's
     * gradient is the same kernel with input and target swapped.
     */
    private Result halfPrecision(Tensor x, Tensor y, boolean[] needsGrad) {
      DType dt = DType.FLOAT16;
      int n = x.numel();
      double[] a = x.toDoubleArray();
      double[] b = y.toDoubleArray();
      double bh = dt.round(beta);
      double[] each = new double[n];
      for (int i = 0; i < n; i++) {
        double z = Math.abs(dt.round(a[i] - b[i]));
        each[i] = z < bh ? dt.round(dt.round(dt.round(0.5 * z) * z) / bh) : dt.round(z - dt.round(0.5 * bh));
      }
      Tensor output = HalfSteps.reduce(each, dt, x.shape(), reduction);
      GradientFunction backward = !needsGrad[0] && !needsGrad[1] ? null : up -> {
        float norm = (float) (reduction == Reduction.MEAN ? 1.0 / n : 1.0);
        int vec = n - n % 32;
        double[] gx = needsGrad[0] ? new double[n] : null;
        double[] gy = needsGrad[1] ? new double[n] : null;
        for (int i = 0; i < n; i++) {
          double g = reduction == Reduction.NONE ? up.getDouble(i) : up.item();
          if (gx != null) {
            gx[i] = halfGrad(a[i], b[i], g, norm, i < vec, dt);
          }
          if (gy != null) {
            gy[i] = halfGrad(b[i], a[i], g, norm, i < vec, dt);
          }
        }
        return new Tensor[] {gx == null ? null : HalfSteps.tensor(gx, dt, x.shape()),
            gy == null ? null : HalfSteps.tensor(gy, dt, y.shape())};
      };
      return new Result(output, gradFnName(), List.of(), backward);
    }

    private double halfGrad(double x, double y, double g, float norm, boolean vector, DType dt) {
      float b = (float) beta;
      float d = (float) x - (float) y;
      float go = (float) g;
      if (vector) {
        float side = Math.abs(d) >= b ? (d > 0 ? 1f : -1f) : d / b;
        return dt.round(norm * side * go);
      }
      if (d <= -b) {
        return dt.round(-norm * go);
      }
      if (d >= b) {
        return dt.round(norm * go);
      }
      return dt.round(norm * d * go / b);
    }

    @Override
    protected double value(double x, double y) {
      double z = Math.abs(x - y);
      return z < beta ? 0.5 * z * z / beta : z - 0.5 * beta;
    }

    @Override
    protected double gradInput(double x, double y) {
      double d = x - y;
      if (d <= -beta) {
        return -1;
      }
      if (d >= beta) {
        return 1;
      }
      return d / beta;
    }

    /**
     * PyTorch differentiates the target by the same kernel with input and target swapped: the negation of
     * the input's gradient, except at a tie with beta = 0, where both get -1.
     */
    @Override
    protected double gradTarget(double x, double y) {
      return gradInput(y, x);
    }

    @Override
    protected double kernel(float[] x, float[] y, float[] each, float[] gx, float[] gy, double scale) {
      return RegressionKernels.smoothL1(x, y, each, gx, gy, scale, beta);
    }

    @Override
    protected double kernel(double[] x, double[] y, double[] each, double[] gx, double[] gy, double scale) {
      return RegressionKernels.smoothL1(x, y, each, gx, gy, scale, beta);
    }

    @Override
    protected String gradFnName() {
      return "SmoothL1LossBackward0";
    }

    @Override
    protected void checkDtype(DType promoted) {
      if (!promoted.isFloatingPoint()) {
        throw NotImplementedError.forDtype("smooth_l1_cpu", promoted.scalarTypeName());
      }
    }

    @Override
    public String toString() {
      return "SmoothL1Loss(reduction=" + reduction.torchName() + ", beta=" + beta + ")";
    }
  }

  /**
   * Huber loss, {@code torch.nn.HuberLoss(delta)}: with {@code z = |x_n - y_n|}, {@code l_n = 0.5 z^2}
   * where {@code z < delta}, else {@code delta (z - 0.5 delta)}; equal to {@code delta * SmoothL1Loss(beta=delta)}.
   * Gradient with respect to the input: -delta where {@code x - y <= -delta}, +delta where
   * {@code x - y >= delta}, else {@code x - y}; the target's is its negation. Delta must be positive.
   * As PyTorch 1.13, the output takes the input's dtype (a wider target is computed in the common dtype and
   * cast), and backward refuses an input and target of different dtypes. Shapes: input (*), target (*)
   * broadcastable; output scalar, or (*) for reduction none. grad_fn {@code HuberLossBackward0}.
   */
  public static final class HuberLoss extends ElementwiseLoss {
    private final double delta;

    /** @throws RuntimeError "huber_loss does not support non-positive values for delta." */
    public HuberLoss(Reduction reduction, double delta) {
      super(reduction);
      if (!(delta > 0)) {
        throw new RuntimeError("huber_loss does not support non-positive values for delta.");
      }
      this.delta = delta;
    }

    public HuberLoss() {
      this(Reduction.MEAN, 1.0);
    }

    public double delta() {
      return delta;
    }

    @Override
    protected double value(double x, double y) {
      double z = Math.abs(x - y);
      return z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta);
    }

    @Override
    protected double gradInput(double x, double y) {
      double d = x - y;
      if (d <= -delta) {
        return -delta;
      }
      if (d >= delta) {
        return delta;
      }
      return d;
    }

    @Override
    protected double kernel(float[] x, float[] y, float[] each, float[] gx, float[] gy, double scale) {
      return RegressionKernels.huber(x, y, each, gx, gy, scale, delta);
    }

    @Override
    protected double kernel(double[] x, double[] y, double[] each, double[] gx, double[] gy, double scale) {
      return RegressionKernels.huber(x, y, each, gx, gy, scale, delta);
    }

    @Override
    protected String gradFnName() {
      return "HuberLossBackward0";
    }

    @Override
    protected void checkDtype(DType promoted) {
      if (!promoted.isFloatingPoint()) {
        throw NotImplementedError.forDtype("huber_cpu", promoted.scalarTypeName());
      }
    }

    /** The output is written into a tensor like the input: the common dtype must cast to it. */
    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      DType own = inputs[0].dtype();
      DType common = DType.promote(own, inputs[1].dtype());
      boolean castable = common == own
          || (own.isFloatingPoint() ? true : !common.isFloatingPoint() && own != DType.BOOL);
      if (!castable) {
        throw new RuntimeError("result type " + common.scalarTypeName() + " can't be cast to the desired output type "
            + own.scalarTypeName());
      }
      Result r = super.apply(inputs, needsGrad);
      return r.output().dtype() == own ? r
          : new Result(r.output().to(own), r.gradFnName(), r.warnings(), r.backward());
    }

    /** huber_loss_backward reads input and target in one iterator without promotion. */
    @Override
    protected void checkBackward(Tensor input, Tensor target) {
      if (input.dtype() != target.dtype()) {
        throw new RuntimeError("Found dtype " + target.dtype().scalarTypeName() + " but expected "
            + input.dtype().scalarTypeName());
      }
    }

    @Override
    public String toString() {
      return "HuberLoss(reduction=" + reduction.torchName() + ", delta=" + delta + ")";
    }
  }
}
