package dev.loss4j.autograd;

import dev.loss4j.errors.NotImplementedError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;

/**
 * float16 and bfloat16 on the CPU, the way PyTorch runs them there: every operand is widened to float32, the
 * operation computes (and accumulates) in float32, and the result and each gradient are rounded back to their
 * reduced dtype once. The float32 and float64 kernels never see a reduced dtype, so their loops stay as they are.
 */
final class ReducedPrecision {
  private ReducedPrecision() {}

  /**
   * Whether {@code op} needs this class for these inputs: some input is float16 or bfloat16 (one check per call,
   * not per element) and the operation does not handle them itself.
   */
  static boolean involved(Differentiable op, Tensor[] inputs) {
    if (op.reducedFloat() == Differentiable.ReducedFloat.NATIVE && op.reducedFloatKernel() == null) {
      return false;
    }
    for (Tensor t : inputs) {
      if (t != null && t.dtype().isReducedFloat()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs {@code op} on the inputs widened to float32 and rounds its output to the promoted reduced dtype (when
   * the promotion of all inputs is one), and each gradient to its input's dtype. An operation PyTorch's CPU does
   * not run in reduced precision refuses it with PyTorch's own NotImplementedError.
   */
  static Differentiable.Result apply(Differentiable op, Tensor[] inputs, boolean[] needsGrad) {
    String kernel = op.reducedFloatKernel();
    if (kernel != null) {
      throw NotImplementedError.forDtype(kernel, firstReduced(inputs).scalarTypeName());
    }
    if (op.reducedFloat() == Differentiable.ReducedFloat.UNSUPPORTED) {
      throw new NotImplementedError(op.displayName() + " in " + firstReduced(inputs)
          + " is not implemented in loss4j yet (PyTorch 2.13 computes it on the CPU); use float32 or float64");
    }
    if (op.reducedFloat() == Differentiable.ReducedFloat.NATIVE) {
      return op.apply(inputs, needsGrad);
    }
    return widen(op, inputs, needsGrad);
  }

  /** {@code op} on {@code inputs} widened to float32, its output and gradients rounded back (see {@link #apply}). */
  static Differentiable.Result widen(Differentiable op, Tensor[] inputs, boolean[] needsGrad) {
    DType promoted = null;
    Tensor[] wide = new Tensor[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      Tensor t = inputs[i];
      if (t == null) {
        continue;
      }
      promoted = promoted == null ? t.dtype() : DType.promote(promoted, t.dtype());
      wide[i] = t.dtype().isReducedFloat() ? t.to(DType.FLOAT32) : t;
    }
    Differentiable.Result r = op.apply(wide, needsGrad);
    DType outType = promoted.isReducedFloat() && r.output().dtype() == DType.FLOAT32 ? promoted : null;
    Tensor output = outType == null ? r.output() : r.output().to(outType);
    GradientFunction backward = r.backward() == null ? null : gradOutput -> {
      Tensor g = gradOutput != null && gradOutput.dtype().isReducedFloat() ? gradOutput.to(DType.FLOAT32) : gradOutput;
      Tensor[] grads = r.backward().backward(g);
      Tensor[] out = new Tensor[grads.length];
      for (int i = 0; i < grads.length; i++) {
        Tensor gi = grads[i];
        out[i] = gi != null && inputs[i] != null && inputs[i].dtype().isReducedFloat() ? gi.to(inputs[i].dtype()) : gi;
      }
      return out;
    };
    return new Differentiable.Result(output, r.gradFnName(), r.warnings(), backward);
  }

  private static DType firstReduced(Tensor[] inputs) {
    for (Tensor t : inputs) {
      if (t != null && t.dtype().isReducedFloat()) {
        return t.dtype();
      }
    }
    throw new IllegalStateException("no reduced-precision input");
  }
}
