package dev.loss4j.loss;

import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;

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

    /** sign(x - y) as ATen computes it, (0 < d) - (d < 0): 0 at a tie and for NaN. */
    @Override
    protected double gradInput(double x, double y) {
      double d = x - y;
      return d > 0 ? 1 : d < 0 ? -1 : 0;
    }

    /** PyTorch 1.13 composes l1_loss from abs and mean or sum, so its grad_fn is theirs. */
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
    protected String gradFnName() {
      return "MseLossBackward0";
    }

    @Override
    protected void checkDtype(DType promoted) {
      if (!promoted.isFloatingPoint()) {
        throw new RuntimeError("\"mse_cpu\" not implemented for '" + promoted.scalarTypeName() + "'");
      }
    }

    /** PyTorch 1.13's mse_loss_backward writes into a tensor of the input's dtype and refuses a mixed pair. */
    @Override
    protected void checkBackward(Tensor input, Tensor target) {
      if (input.dtype() != target.dtype()) {
        DType promoted = DType.promote(input.dtype(), target.dtype());
        DType other = promoted == input.dtype() ? target.dtype() : input.dtype();
        throw new RuntimeError("Found dtype " + promoted.scalarTypeName() + " but expected " + other.scalarTypeName());
      }
    }
  }
}
