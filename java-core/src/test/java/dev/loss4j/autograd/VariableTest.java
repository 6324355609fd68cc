package dev.loss4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.loss4j.errors.RuntimeError;
import dev.loss4j.loss.Reduction;
import dev.loss4j.loss.Regression;
import dev.loss4j.ops.Reductions;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorMath;
import org.junit.jupiter.api.Test;

/** The autograd graph: accumulation, graph freeing, errors, and gradients that agree with finite differences. */
class VariableTest {
  private static final Tensor X = Tensor.ofDoubles(new double[] {0.25, -1.5, 3.0, 0.125}, 2, 2);
  private static final Tensor Y = Tensor.ofDoubles(new double[] {0.0, -1.0, 2.0, 1.0}, 2, 2);

  @Test
  void gradientsAccumulateAcrossBackwardCalls() {
    Variable x = Variable.leaf(X, true);
    Variable loss = new Regression.MSELoss(Reduction.SUM).forward(x, Variable.constant(Y));
    loss.backward(null, true);
    double[] once = x.grad().toDoubleArray();
    loss.backward(null, true);
    assertArrayEquals(TensorMath.scale(Tensor.ofDoubles(once, 2, 2), 2).toDoubleArray(), x.grad().toDoubleArray());
  }

  @Test
  void secondBackwardWithoutRetainGraphFails() {
    Variable x = Variable.leaf(X, true);
    Variable loss = new Regression.MSELoss().forward(x, Variable.constant(Y));
    loss.backward();
    RuntimeError e = assertThrows(RuntimeError.class, loss::backward);
    assertEquals("RuntimeError", e.pythonType());
  }

  @Test
  void nonScalarOutputNeedsAGradient() {
    Variable x = Variable.leaf(X, true);
    Variable each = new Regression.MSELoss(Reduction.NONE).forward(x, Variable.constant(Y));
    RuntimeError e = assertThrows(RuntimeError.class, each::backward);
    assertEquals("grad can be implicitly created only for scalar outputs", e.getMessage());
  }

  @Test
  void constantsGetNoGradientAndOutputsOfConstantsAreConstant() {
    Variable x = Variable.constant(X);
    Variable loss = new Regression.L1Loss().forward(x, Variable.constant(Y));
    assertNull(loss.gradFnName());
    assertThrows(RuntimeError.class, loss::backward);
  }

  @Test
  void noGradModeRecordsNothing() {
    Variable x = Variable.leaf(X, true);
    Variable loss;
    try (GradMode.Guard g = GradMode.noGrad()) {
      loss = new Regression.MSELoss().forward(x, Variable.constant(Y));
    }
    org.junit.jupiter.api.Assertions.assertFalse(loss.requiresGrad());
    assertNull(loss.gradFnName());
    assertEquals(new Regression.MSELoss().forward(X, Y), loss.data());
  }

  @Test
  void integerTensorsCannotRequireGrad() {
    RuntimeError e = assertThrows(RuntimeError.class,
        () -> Variable.leaf(Tensor.ofLongs(new long[] {1, 2}, 2), true));
    assertEquals("only Tensors of floating point dtype can require gradients", e.getMessage());
  }

  /** sum(mse(x, y, none)) through two graph nodes agrees with central differences of the same function. */
  @Test
  void chainedGraphMatchesFiniteDifferences() {
    Variable x = Variable.leaf(X, true);
    Variable each = new Regression.MSELoss(Reduction.NONE).forward(x, Variable.constant(Y));
    Variable total = Variable.apply(Reductions.SUM, null, each);
    assertEquals("SumBackward0", total.gradFnName());
    total.backward();
    double h = 1e-6;
    double[] base = X.toDoubleArray();
    for (int i = 0; i < base.length; i++) {
      double[] plus = base.clone();
      double[] minus = base.clone();
      plus[i] += h;
      minus[i] -= h;
      double fd = (sumOfMse(plus) - sumOfMse(minus)) / (2 * h);
      assertEquals(fd, x.grad().getDouble(i), 1e-6, "element " + i);
    }
  }

  private static double sumOfMse(double[] xs) {
    return new Regression.MSELoss(Reduction.SUM).forward(Tensor.ofDoubles(xs, 2, 2), Y).item();
  }

  @Test
  void shapeMismatchOfExplicitGradientIsRejected() {
    Variable x = Variable.leaf(X, true);
    Variable each = new Regression.L1Loss(Reduction.NONE).forward(x, Variable.constant(Y));
    RuntimeError e = assertThrows(RuntimeError.class, () -> each.backward(Tensor.zeros(X.dtype(), 4)));
    assertEquals("Mismatch in shape: grad_output[0] has a shape of torch.Size([4]) and output[0] has a shape of "
        + "torch.Size([2, 2]).", e.getMessage());
  }
}
