package dev.loss4j.loss;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.GradientFunction;
import dev.loss4j.autograd.Variable;
import dev.loss4j.kernel.AtenFloatSum;
import dev.loss4j.tensor.BroadcastCursor;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Storage;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import dev.loss4j.tensor.TensorMath;
import java.util.ArrayList;
import java.util.List;

/**
 * A loss {@code l(x, y)} applied element by element to an input and a target of broadcastable shapes,
 * then reduced: the shared engine of the regression family.
 *
 * <p>One pass computes the loss and, for each input that needs it, the derivative at a unit output
 * gradient, already scaled by the reduction (1/N for mean): for the usual {@code loss.backward()} that
 * buffer is the gradient itself, so backward allocates nothing more. Shapes that differ are broadcast
 * with PyTorch's warning; gradients are summed back to each argument's shape.
 */
public abstract class ElementwiseLoss implements Differentiable {
  /** float16 and bfloat16: computed in float32 and rounded once, as PyTorch's CPU kernels do. */
  @Override
  public ReducedFloat reducedFloat() {
    return ReducedFloat.WIDEN;
  }

  protected final Reduction reduction;

  protected ElementwiseLoss(Reduction reduction) {
    Reduction.checkNotBatchmean(reduction);
    this.reduction = reduction;
  }

  public Reduction reduction() {
    return reduction;
  }

  /** The loss of one element pair. */
  protected abstract double value(double x, double y);

  /** d value / d x. */
  protected abstract double gradInput(double x, double y);

  /** d value / d y; the negated input derivative unless a loss says otherwise. */
  protected double gradTarget(double x, double y) {
    return -gradInput(x, y);
  }

  /** PyTorch's grad_fn name for this reduction. */
  protected abstract String gradFnName();

  /** Throws PyTorch's error when the promoted dtype is not one this loss computes in. */
  protected abstract void checkDtype(DType promoted);

  /**
   * This loss's own loop over same-shape float32 arrays, with the contract of
   * {@link dev.loss4j.kernel.RegressionKernels}: returns the sum of the losses, or writes each into
   * {@code each}; writes the scaled derivatives into {@code gx}/{@code gy} where they are not null.
   */
  protected abstract double kernel(float[] x, float[] y, float[] each, float[] gx, float[] gy, double scale);

  /** The float64 twin of {@link #kernel(float[], float[], float[], float[], float[], double)}. */
  protected abstract double kernel(double[] x, double[] y, double[] each, double[] gx, double[] gy,
      double scale);

  /** The value of the loss, without gradients. */
  public Tensor forward(Tensor input, Tensor target) {
    return Differentiable.run(this, new Tensor[] {input, target}, new boolean[2]).output();
  }

  /** The loss as a node of an autograd graph. */
  public Variable forward(Variable input, Variable target) {
    return Variable.apply(this, null, input, target);
  }

  @Override
  public Result apply(Tensor[] inputs, boolean[] needsGrad) {
    Tensor input = inputs[0];
    Tensor target = inputs[1];
    List<String> warnings = new ArrayList<>(1);
    if (!input.sameShape(target)) {
      warnings.add(sizeWarning(input, target));
    }
    int[] shape = Shapes.broadcast(input.shape(), target.shape());
    DType dtype = DType.promote(input.dtype(), target.dtype());
    checkDtype(dtype);
    int n = Shapes.numel(shape);
    boolean gx = needsGrad[0];
    boolean gy = needsGrad[1];
    double scale = reduction == Reduction.MEAN ? 1.0 / n : 1.0;
    if (input.dtype() == target.dtype() && dtype.isFloatingPoint() && input.sameShape(target)) {
      return flat(input, target, dtype, shape, n, scale, gx, gy, warnings);
    }
    // Same shapes read index i; broadcast operands are walked by a cursor, never a full index array.
    BroadcastCursor ix = input.sameShape(target) ? null : new BroadcastCursor(input.shape(), shape);
    BroadcastCursor iy = ix == null ? null : new BroadcastCursor(target.shape(), shape);
    // The derivative buffers hold d output / d element at a unit output gradient.
    TensorBuilder dx = gx ? new TensorBuilder(dtype, shape) : null;
    TensorBuilder dy = gy ? new TensorBuilder(dtype, shape) : null;
    TensorBuilder each = reduction == Reduction.NONE ? new TensorBuilder(dtype, shape) : null;
    double total = 0;
    for (int i = 0; i < n; i++) {
      double x = input.getDouble(ix == null ? i : ix.next());
      double y = target.getDouble(iy == null ? i : iy.next());
      double l = value(x, y);
      if (each != null) {
        each.set(i, l);
      } else {
        total += l;
      }
      if (dx != null) {
        dx.set(i, gradInput(x, y) * scale);
      }
      if (dy != null) {
        dy.set(i, gradTarget(x, y) * scale);
      }
    }
    Tensor output = each != null ? each.build() : Tensor.scalar(total * scale, dtype);
    GradientFunction backward = gx || gy
        ? backward(dx == null ? null : dx.build(), dy == null ? null : dy.build(), input, target)
        : null;
    return new Result(output, gradFnName(), warnings, backward);
  }

  /** The largest float32 reduction summed in ATen's float order, not in the kernel's double (see flat). */
  static final int ORDERED_SUM_MAX = 512;

  /** The fast path: one dtype, one shape, the loss's own primitive loop over the storage arrays. */
  private Result flat(Tensor input, Tensor target, DType dtype, int[] shape, int n, double scale, boolean gx,
      boolean gy, List<String> warnings) {
    boolean none = reduction == Reduction.NONE;
    Tensor output;
    Tensor dx = null;
    Tensor dy = null;
    if (dtype == DType.FLOAT32) {
      // A small float32 reduction adds the float losses in ATen's order (AtenFloatSum), as PyTorch's sum of the
      // loss tensor does: where large losses cancel, PyTorch's float sum is its answer and a double sum is not
      // (kl_div of targets at 1e10, make fuzz SEED=11). Larger ones keep the fused double sum (no extra pass).
      boolean ordered = !none && n <= ORDERED_SUM_MAX;
      float[] each = none || ordered ? new float[n] : null;
      float[] ax = gx ? new float[n] : null;
      float[] ay = gy ? new float[n] : null;
      double total = kernel(Storage.floats(input), Storage.floats(target), each, ax, ay, scale);
      if (ordered) {
        total = AtenFloatSum.contiguous(each, n);
      }
      output = none ? Storage.adopt(each, shape) : Tensor.scalar(total * scale, dtype);
      dx = gx ? Storage.adopt(ax, shape) : null;
      dy = gy ? Storage.adopt(ay, shape) : null;
    } else {
      double[] each = none ? new double[n] : null;
      double[] ax = gx ? new double[n] : null;
      double[] ay = gy ? new double[n] : null;
      double total = kernel(Storage.doubles(input), Storage.doubles(target), each, ax, ay, scale);
      output = none ? Storage.adopt(each, shape) : Tensor.scalar(total * scale, dtype);
      dx = gx ? Storage.adopt(ax, shape) : null;
      dy = gy ? Storage.adopt(ay, shape) : null;
    }
    GradientFunction backward = gx || gy ? backward(dx, dy, input, target) : null;
    return new Result(output, gradFnName(), warnings, backward);
  }

  /** Throws where PyTorch's backward refuses inputs its forward accepted; nothing by default. */
  protected void checkBackward(Tensor input, Tensor target) {}

  private GradientFunction backward(Tensor dx, Tensor dy, Tensor input, Tensor target) {
    return g -> {
      checkBackward(input, target);
      return new Tensor[] {
        dx == null ? null : TensorMath.sumToShape(chain(dx, g), input.shape(), input.dtype()),
        dy == null ? null : TensorMath.sumToShape(chain(dy, g), target.shape(), target.dtype())
      };
    };
  }

  /** The chain rule against the output gradient: a scalar scales, a full gradient multiplies per element. */
  private Tensor chain(Tensor local, Tensor g) {
    if (reduction != Reduction.NONE) {
      double s = g.item();
      return s == 1.0 ? local : TensorMath.scale(local, s);
    }
    TensorBuilder out = new TensorBuilder(local.dtype(), local.shape());
    for (int i = 0, n = local.numel(); i < n; i++) {
      out.set(i, local.getDouble(i) * g.getDouble(i));
    }
    return out.build();
  }

  /** PyTorch's UserWarning for a target whose size differs from the input's. */
  static String sizeWarning(Tensor input, Tensor target) {
    return "Using a target size (" + Shapes.torchSize(target.shape()) + ") that is different to the input size ("
        + Shapes.torchSize(input.shape()) + "). This will likely lead to incorrect results due to broadcasting. "
        + "Please ensure they have the same size.";
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(reduction=" + reduction.torchName() + ")";
  }
}
