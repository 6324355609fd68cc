package dev.loss4j.ops;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.Tensor;
import java.util.List;

/**
 * {@code torch.sum} and {@code torch.mean} over all elements, with their gradients
 * ({@code SumBackward0}, {@code MeanBackward0}): d sum/dx = 1, d mean/dx = 1/numel.
 */
public final class Reductions {
  private Reductions() {}

  /** {@code x.sum()}: a 0-d tensor of x's dtype; integer and bool tensors sum to int64, as in PyTorch. */
  public static final Differentiable SUM = (inputs, needsGrad) -> {
    Tensor x = inputs[0];
    double s = dev.loss4j.tensor.TensorMath.sum(x);
    Tensor out = Tensor.scalar(s, x.dtype().isFloatingPoint() ? x.dtype() : dev.loss4j.tensor.DType.INT64);
    return new Differentiable.Result(out, "SumBackward0", List.of(),
        needsGrad[0] ? g -> new Tensor[] {Tensor.full(g.item(), x.dtype(), x.shape())} : null);
  };

  /** {@code x.mean()}: NaN for an empty tensor; floating dtypes only. */
  public static final Differentiable MEAN = (inputs, needsGrad) -> {
    Tensor x = inputs[0];
    if (!x.dtype().isFloatingPoint()) {
      throw new RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating point or"
          + " complex dtype. Got: " + x.dtype().scalarTypeName());
    }
    int n = x.numel();
    Tensor out = Tensor.scalar(dev.loss4j.tensor.TensorMath.sum(x) / n, x.dtype());
    return new Differentiable.Result(out, "MeanBackward0", List.of(),
        needsGrad[0] ? g -> new Tensor[] {Tensor.full(g.item() / n, x.dtype(), x.shape())} : null);
  };
}
