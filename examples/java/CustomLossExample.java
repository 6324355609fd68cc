import dev.loss4j.autograd.Variable;
import dev.loss4j.python.PythonLoss;
import dev.loss4j.tensor.Tensor;

/**
 * A JVM program that trains against a loss written in Python: the loss is defined with torch's API, runs
 * on GraalPy through loss4j's shim, and its gradient flows back to a Java tensor. Run it with
 * {@code bin/loss4j-java examples/java/CustomLossExample.java}; custom_loss_reference.py beside it is the
 * same computation in PyTorch.
 */
public class CustomLossExample {
  static final String LOSS = """
      import torch.nn.functional as F

      def robust_loss(prediction, target):
          # MSE near the target, L1 far from it: Huber-like, written with torch's functional API.
          return F.smooth_l1_loss(prediction, target, beta=0.5, reduction='sum')
      """;

  public static void main(String[] args) {
    Tensor target = Tensor.ofFloats(new float[] {0.0f, -1.0f, 2.0f, 1.0f}, 2, 2);
    float[] weights = {0.25f, -1.5f, 3.0f, 0.125f};
    // One context for every call: PythonLoss is built once and reused.
    try (PythonLoss loss = PythonLoss.fromSource(LOSS, "robust_loss")) {
      for (int step = 0; step < 3; step++) {
        Variable prediction = Variable.leaf(Tensor.ofFloats(weights, 2, 2), true);
        Variable value = loss.apply(prediction, Variable.constant(target));
        value.backward();
        System.out.println("step " + step + ": loss " + value);
        System.out.println("grad " + prediction.grad());
        float[] grad = prediction.grad().toFloatArray();
        for (int i = 0; i < weights.length; i++) {
          weights[i] -= 0.5f * grad[i];
        }
      }
    }
  }
}
