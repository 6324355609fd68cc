package dev.loss4j.autograd;

import dev.loss4j.tensor.Tensor;

/**
 * The backward half of a differentiable operation: maps the gradient of its output to the gradient of
 * each input, in that input's shape and dtype, or null for an input that gets none.
 */
@FunctionalInterface
public interface GradientFunction {
  Tensor[] backward(Tensor gradOutput);
}
