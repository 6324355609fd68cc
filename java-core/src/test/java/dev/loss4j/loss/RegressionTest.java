package dev.loss4j.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.NotImplementedError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.errors.TorchException;
import dev.loss4j.errors.ValueError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** SmoothL1Loss and HuberLoss: finite-difference gradients, edge cases, and their cross-check. */
class RegressionTest {
  private static final double H = 1e-6;

  private static Tensor random(Random rnd, double scale, int... shape) {
    int n = 1;
    for (int s : shape) {
      n *= s;
    }
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = scale * rnd.nextGaussian();
    }
    return Tensor.ofDoubles(d, shape);
  }

  private static double scalar(BiFunction<Variable, Variable, Functional.Outcome> loss, Tensor x, Tensor y) {
    return loss.apply(Variable.constant(x), Variable.constant(y)).value().data().item();
  }

  private static Tensor perturb(Tensor t, int i, double h) {
    double[] d = t.toDoubleArray();
    d[i] += h;
    return Tensor.ofDoubles(d, t.shape());
  }

  /** Central differences of a scalar loss against its analytic backward, for input and target. */
  static void checkGradients(BiFunction<Variable, Variable, Functional.Outcome> loss, Tensor x, Tensor y) {
    Variable vx = Variable.leaf(x, true);
    Variable vy = Variable.leaf(y, true);
    Variable out = loss.apply(vx, vy).value();
    out.backward();
    for (int i = 0; i < x.numel(); i++) {
      double num = (scalar(loss, perturb(x, i, H), y) - scalar(loss, perturb(x, i, -H), y)) / (2 * H);
      assertEquals(num, vx.grad().getDouble(i), 1e-6 * Math.max(1, Math.abs(num)), "d/dinput at " + i);
    }
    for (int i = 0; i < y.numel(); i++) {
      double num = (scalar(loss, x, perturb(y, i, H)) - scalar(loss, x, perturb(y, i, -H))) / (2 * H);
      assertEquals(num, vy.grad().getDouble(i), 1e-6 * Math.max(1, Math.abs(num)), "d/dtarget at " + i);
    }
  }

  @Test
  void smoothL1GradientMatchesFiniteDifferences() {
    Random rnd = new Random(1);
    for (String r : new String[] {"mean", "sum"}) {
      for (double beta : new double[] {1.0, 0.5, 2.5}) {
        checkGradients((a, b) -> Functional.smoothL1Loss(a, b, null, null, r, beta),
            random(rnd, 2, 3, 4), random(rnd, 2, 3, 4));
      }
    }
  }

  @Test
  void huberGradientMatchesFiniteDifferences() {
    Random rnd = new Random(2);
    for (String r : new String[] {"mean", "sum"}) {
      for (double delta : new double[] {1.0, 0.3, 3.0}) {
        checkGradients((a, b) -> Functional.huberLoss(a, b, r, delta), random(rnd, 2, 5), random(rnd, 2, 5));
      }
    }
    // Broadcast target: the gradient is summed back to its shape.
    checkGradients((a, b) -> Functional.huberLoss(a, b, "mean", 0.7), random(rnd, 2, 3, 4), random(rnd, 2, 4));
  }

  @Test
  void huberIsDeltaTimesSmoothL1WithBetaDelta() {
    Random rnd = new Random(3);
    Tensor x = random(rnd, 3, 4, 6);
    Tensor y = random(rnd, 3, 4, 6);
    for (double delta : new double[] {0.1, 1.0, 2.0, 7.5}) {
      for (String r : new String[] {"none", "mean", "sum"}) {
        Variable vx = Variable.leaf(x, true);
        Variable vy = Variable.leaf(y, true);
        Variable huber = Functional.huberLoss(vx, vy, r, delta).value();
        Variable wx = Variable.leaf(x, true);
        Variable wy = Variable.leaf(y, true);
        Variable smooth = Functional.smoothL1Loss(wx, wy, null, null, r, delta).value();
        double[] h = huber.data().toDoubleArray();
        double[] s = smooth.data().toDoubleArray();
        for (int i = 0; i < h.length; i++) {
          assertEquals(delta * s[i], h[i], 1e-12 * Math.max(1, Math.abs(h[i])));
        }
        Tensor g = Tensor.full(1.0, DType.FLOAT64, huber.data().shape());
        huber.backward(g);
        smooth.backward(g);
        for (int i = 0; i < x.numel(); i++) {
          assertEquals(delta * wx.grad().getDouble(i), vx.grad().getDouble(i), 1e-12);
          assertEquals(delta * wy.grad().getDouble(i), vy.grad().getDouble(i), 1e-12);
        }
      }
    }
  }

  @Test
  void smoothL1WithBetaZeroIsL1InValue() {
    Random rnd = new Random(4);
    Tensor x = random(rnd, 1, 10);
    Tensor y = random(rnd, 1, 10);
    Tensor smooth = Functional.smoothL1Loss(Variable.constant(x), Variable.constant(y), null, null, "none", 0.0)
        .value().data();
    Tensor l1 = Functional.l1Loss(Variable.constant(x), Variable.constant(y), null, null, "none").value().data();
    assertArrayEquals(l1.toDoubleArray(), smooth.toDoubleArray(), 0.0);
  }

  @Test
  void smoothL1BetaZeroIsL1AtATie() {
    // PyTorch 2.x computes beta = 0 with l1_loss: sign(0) = 0 at a tie (1.13's kernel gave -1 to both).
    Tensor v = Tensor.ofDoubles(new double[] {2.0}, 1);
    Variable x = Variable.leaf(v, true);
    Variable y = Variable.leaf(v, true);
    Variable out = Functional.smoothL1Loss(x, y, null, null, "sum", 0.0).value();
    out.backward();
    assertEquals("SumBackward0", out.gradFnName());
    // Zero either way: the target's is the negated input gradient, -0.0.
    assertEquals(0.0, x.grad().getDouble(0), 0.0);
    assertEquals(0.0, y.grad().getDouble(0), 0.0);
  }

  @Test
  void extremeAndNonFiniteValues() {
    Tensor x = Tensor.ofDoubles(new double[] {1e4, -1e4, Double.NaN, Double.POSITIVE_INFINITY, 0}, 5);
    Tensor y = Tensor.ofDoubles(new double[] {-1e4, 1e4, 0, 0, Double.NEGATIVE_INFINITY}, 5);
    Variable vx = Variable.leaf(x, true);
    Tensor out = Functional.huberLoss(vx, Variable.constant(y), "none", 2.0).value().data();
    assertEquals(2.0 * (2e4 - 1.0), out.getDouble(0));
    assertEquals(2.0 * (2e4 - 1.0), out.getDouble(1));
    assertTrue(Double.isNaN(out.getDouble(2)));
    assertEquals(Double.POSITIVE_INFINITY, out.getDouble(3));
    assertEquals(Double.POSITIVE_INFINITY, out.getDouble(4));
    Tensor s = Functional.smoothL1Loss(Variable.constant(x), Variable.constant(y), null, null, "none", 1.0)
        .value().data();
    assertEquals(2e4 - 0.5, s.getDouble(0));
    assertTrue(Double.isNaN(s.getDouble(2)));
  }

  @Test
  void emptyBatch() {
    Tensor e = Tensor.zeros(DType.FLOAT32, 0, 3);
    assertTrue(Double.isNaN(Functional.huberLoss(Variable.constant(e), Variable.constant(e), "mean", 1.0)
        .value().data().item()));
    assertEquals(0.0, Functional.smoothL1Loss(Variable.constant(e), Variable.constant(e), null, null, "sum", 1.0)
        .value().data().item());
    assertArrayEquals(new int[] {0, 3}, Functional.huberLoss(Variable.constant(e), Variable.constant(e), "none", 1.0)
        .value().data().shape());
  }

  @Test
  void errorsInPyTorchOrder() {
    Variable a = Variable.constant(Tensor.zeros(DType.FLOAT32, 2));
    TorchException bad = assertThrows(ValueError.class, () -> Functional.huberLoss(a, a, "avg", -1.0));
    assertEquals("avg is not a valid value for reduction", bad.getMessage());
    assertEquals("huber_loss does not support non-positive values for delta.",
        assertThrows(RuntimeError.class, () -> Functional.huberLoss(a, a, "mean", 0.0)).getMessage());
    assertEquals("smooth_l1_loss does not support negative values for beta.",
        assertThrows(RuntimeError.class, () -> Functional.smoothL1Loss(a, a, null, null, "mean", -1.0)).getMessage());
    Variable i = Variable.constant(Tensor.ofLongs(new long[] {1, 2}, 2));
    assertEquals("\"smooth_l1_cpu\" not implemented for 'Long'",
        assertThrows(NotImplementedError.class, () -> Functional.smoothL1Loss(i, i, null, null, "mean", 1.0))
            .getMessage());
    assertEquals("result type Float can't be cast to the desired output type Long",
        assertThrows(RuntimeError.class, () -> Functional.huberLoss(i, a, "mean", 1.0)).getMessage());
  }

  @Test
  void huberKeepsTheInputDtypeAndRefusesMixedBackward() {
    Variable x = Variable.leaf(Tensor.ofFloats(new float[] {1f, 2f}, 2), true);
    Variable y = Variable.constant(Tensor.ofDoubles(new double[] {0.5, 4}, 2));
    Variable out = Functional.huberLoss(x, y, "mean", 1.0).value();
    assertEquals(DType.FLOAT32, out.data().dtype());
    assertEquals((0.125 + 1.5) / 2, out.data().item(), 1e-7);
    assertEquals("Found dtype Double but expected Float", assertThrows(RuntimeError.class, out::backward).getMessage());
  }
}
