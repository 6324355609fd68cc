package dev.loss4j.parity;

import dev.loss4j.tensor.Tensor;
import java.util.List;

/**
 * What a replay produced for one case, through either face: the error (Python class name and message),
 * or the output, its grad_fn name, the gradients (null where none) or the error backward raised, and the
 * warnings.
 */
record Observed(String errorType, String errorMessage, Tensor output, String gradFn, List<Tensor> grads,
                String backwardErrorType, String backwardErrorMessage, List<String> warnings) {}
