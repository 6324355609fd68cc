package dev.loss4j.autograd;

import dev.loss4j.tensor.Tensor;

/**
 * An operation on tensors that autograd can record: every loss implements it. {@link #apply} computes
 * the output and, for the inputs flagged in {@code needsGrad}, what backward needs, in one pass.
 */
public interface Differentiable {
  /** @param needsGrad one flag per input: whether a gradient for it will be asked of the result */
  Result apply(Tensor[] inputs, boolean[] needsGrad);

  /**
   * An output, the name PyTorch gives its grad_fn (e.g. {@code MseLossBackward0}), the warnings PyTorch
   * would emit (its exact text), and the backward function (null when no input needs a gradient).
   */
  record Result(Tensor output, String gradFnName, java.util.List<String> warnings, GradientFunction backward) {}
}
