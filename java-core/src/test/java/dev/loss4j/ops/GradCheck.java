package dev.loss4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loss4j.autograd.Variable;
import dev.loss4j.tensor.Tensor;
import java.util.function.Function;

/** Central-difference gradient checks in float64 against the analytic backward. */
final class GradCheck {
  private GradCheck() {}

  static Variable leaf(double[] data, int... shape) {
    return Variable.leaf(Tensor.ofDoubles(data, shape), true);
  }

  /**
   * Checks d(sum(w * f(inputs)))/d inputs, with fixed pseudo-random weights w, against central differences
   * (step 1e-6) for every input.
   */
  static void check(Function<Variable[], Variable> f, Variable... inputs) {
    Variable out = f.apply(inputs);
    int n = out.data().numel();
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = 0.5 + 0.37 * ((i * 7919) % 11) - 1.3 * (i % 2);
    }
    Tensor weights = Tensor.ofDoubles(w, out.data().shape());
    out.backward(weights);
    for (int k = 0; k < inputs.length; k++) {
      if (!inputs[k].requiresGrad()) {
        continue;
      }
      double[] x = inputs[k].data().toDoubleArray();
      double[] numeric = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        double keep = x[i];
        x[i] = keep + 1e-6;
        double plus = weighted(f, inputs, k, x, w);
        x[i] = keep - 1e-6;
        double minus = weighted(f, inputs, k, x, w);
        x[i] = keep;
        numeric[i] = (plus - minus) / 2e-6;
      }
      Tensor grad = inputs[k].grad();
      assertEquals(inputs[k].data().dtype(), grad.dtype());
      assertArrayEquals(inputs[k].data().shape(), grad.shape());
      double[] analytic = grad.toDoubleArray();
      for (int i = 0; i < x.length; i++) {
        assertEquals(numeric[i], analytic[i], 1e-6 * Math.max(1, Math.abs(numeric[i])),
            "input " + k + " element " + i);
      }
    }
  }

  private static double weighted(Function<Variable[], Variable> f, Variable[] inputs, int k, double[] x, double[] w) {
    Variable[] shifted = inputs.clone();
    shifted[k] = Variable.constant(Tensor.ofDoubles(x, inputs[k].data().shape()));
    Tensor y = f.apply(shifted).data();
    double s = 0;
    for (int i = 0; i < w.length; i++) {
      s += w[i] * y.getDouble(i);
    }
    return s;
  }
}
