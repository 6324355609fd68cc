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
   * Runs {@code op} on tensors outside a graph (the losses' Tensor-level {@code forward}), taking float16 and
   * bfloat16 inputs as {@link Variable#apply} takes them.
   */
  static Result run(Differentiable op, Tensor[] inputs, boolean[] needsGrad) {
    return ReducedPrecision.involved(op, inputs) ? ReducedPrecision.apply(op, inputs, needsGrad)
        : op.apply(inputs, needsGrad);
  }

  /** How an operation takes float16 and bfloat16 inputs. */
  enum ReducedFloat {
    /** Its own code handles them (element by element through the dtype's rounding, as the generic ops do). */
    NATIVE,
    /** {@link Variable#apply} widens them to float32, runs it, and rounds the output and gradients back once. */
    WIDEN,
    /** loss4j does not compute it in reduced precision yet: {@link Variable#apply} raises NotImplementedError. */
    UNSUPPORTED
  }

  /** How this operation takes float16 and bfloat16 inputs; {@link ReducedFloat#NATIVE} unless it says otherwise. */
  default ReducedFloat reducedFloat() {
    return ReducedFloat.NATIVE;
  }

  /**
   * The name of PyTorch's CPU kernel when PyTorch refuses float16 and bfloat16 for this operation
   * ({@code "ctc_loss_cpu"}), so that {@link Variable#apply} raises PyTorch's NotImplementedError; null (the
   * default) when PyTorch computes them.
   */
  default String reducedFloatKernel() {
    return null;
  }

  /** The name a user knows this operation by, for loss4j's own refusals; the class's simple name by default. */
  default String displayName() {
    return getClass().getSimpleName();
  }

  /**
   * An output, the name PyTorch gives its grad_fn (e.g. {@code MseLossBackward0}), the warnings PyTorch
   * would emit (its exact text), and the backward function (null when no input needs a gradient).
   */
  record Result(Tensor output, String gradFnName, java.util.List<String> warnings, GradientFunction backward) {}

  /**
   * Runs {@code op} as {@link ReducedFloat#WIDEN} would: float16/bfloat16 inputs widened to float32, the output
   * and each gradient rounded back. For an operation that handles some reduced-precision forms itself and
   * widens the rest.
   */
  static Result widened(Differentiable op, Tensor[] inputs, boolean[] needsGrad) {
    return ReducedPrecision.widen(op, inputs, needsGrad);
  }
}
