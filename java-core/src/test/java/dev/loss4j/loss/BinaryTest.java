package dev.loss4j.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.IndexError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.errors.ValueError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The binary losses: float64 central-difference checks of every analytic gradient, edge cases (extreme
 * logits, probabilities of 0 and 1, empty batches, NaN and infinities, float32 overflow) and cross-checks
 * between related losses. Expected values are derived from the definitions, never copied from PyTorch.
 */
class BinaryTest {
  private static final String[] REDUCTIONS = {"none", "mean", "sum"};

  // ---- finite differences -------------------------------------------------------------------------------

  private static Tensor uniform(Random rnd, double lo, double hi, int... shape) {
    double[] d = new double[dev.loss4j.tensor.Shapes.numel(shape)];
    for (int i = 0; i < d.length; i++) {
      d[i] = lo + (hi - lo) * rnd.nextDouble();
    }
    return Tensor.ofDoubles(d, shape);
  }

  private static Tensor with(Tensor t, int i, double v) {
    double[] d = t.toDoubleArray();
    d[i] = v;
    return Tensor.ofDoubles(d, t.shape());
  }

  /** sum(f(args) * g) for a fixed output gradient g (null for a scalar output). */
  private static double project(Function<Variable[], Variable> f, Tensor[] args, Tensor g) {
    Variable[] vs = new Variable[args.length];
    for (int i = 0; i < args.length; i++) {
      vs[i] = args[i] == null ? null : Variable.constant(args[i]);
    }
    Tensor out = f.apply(vs).data();
    double s = 0;
    for (int i = 0; i < out.numel(); i++) {
      s += out.getDouble(i) * (g == null ? 1 : g.getDouble(i));
    }
    return s;
  }

  /**
   * Compares the analytic gradient of every argument flagged in {@code differentiable} with central
   * differences of {@code sum(f * g)}.
   */
  private static void checkGradients(String label, Function<Variable[], Variable> f, Tensor[] args,
                                     boolean[] differentiable) {
    Random rnd = new Random(label.hashCode());
    Variable[] vs = new Variable[args.length];
    for (int i = 0; i < args.length; i++) {
      vs[i] = args[i] == null ? null : Variable.leaf(args[i], differentiable[i]);
    }
    Variable out = f.apply(vs);
    Tensor g = out.data().dim() == 0 ? null : uniform(rnd, -1, 1, out.data().shape());
    out.backward(g == null ? Tensor.scalar(1, DType.FLOAT64) : g);
    double h = 1e-6;
    for (int k = 0; k < args.length; k++) {
      if (!differentiable[k]) {
        continue;
      }
      Tensor grad = vs[k].grad();
      for (int i = 0; i < args[k].numel(); i++) {
        double v = args[k].getDouble(i);
        Tensor[] plus = args.clone();
        Tensor[] minus = args.clone();
        plus[k] = with(args[k], i, v + h);
        minus[k] = with(args[k], i, v - h);
        double numeric = (project(f, plus, g) - project(f, minus, g)) / (2 * h);
        double analytic = grad.getDouble(i);
        assertEquals(numeric, analytic, 1e-6 + 1e-5 * Math.abs(numeric),
            label + ": d/d arg" + k + "[" + i + "]");
      }
    }
  }

  @Test
  void bceGradientsMatchFiniteDifferences() {
    Random rnd = new Random(1);
    for (String r : REDUCTIONS) {
      Tensor x = uniform(rnd, 0.05, 0.95, 3, 4);
      Tensor y = uniform(rnd, 0, 1, 3, 4);
      Tensor w = uniform(rnd, 0.1, 2, 4);
      checkGradients("bce " + r, v -> Binary.binaryCrossEntropy(v[0], v[1], null, null, null, r).value(),
          new Tensor[] {x, y}, new boolean[] {true, true});
      checkGradients("bce weight " + r, v -> Binary.binaryCrossEntropy(v[0], v[1], v[2], null, null, r).value(),
          new Tensor[] {x, y, w}, new boolean[] {true, true, false});
    }
  }

  @Test
  void bceWithLogitsGradientsMatchFiniteDifferences() {
    Random rnd = new Random(2);
    for (String r : REDUCTIONS) {
      Tensor x = uniform(rnd, -6, 6, 3, 4);
      Tensor y = uniform(rnd, 0, 1, 3, 4);
      Tensor w = uniform(rnd, 0.1, 2, 3, 1);
      Tensor pw = uniform(rnd, 0.2, 4, 4);
      checkGradients("bcel " + r,
          v -> Binary.binaryCrossEntropyWithLogits(v[0], v[1], null, null, null, r, null).value(),
          new Tensor[] {x, y}, new boolean[] {true, true});
      checkGradients("bcel weight pos_weight " + r,
          v -> Binary.binaryCrossEntropyWithLogits(v[0], v[1], v[2], null, null, r, v[3]).value(),
          new Tensor[] {x, y, w, pw}, new boolean[] {true, true, false, false});
    }
  }

  @Test
  void softMarginGradientsMatchFiniteDifferences() {
    Random rnd = new Random(3);
    for (String r : REDUCTIONS) {
      Tensor x = uniform(rnd, -5, 5, 2, 3, 2);
      Tensor y = uniform(rnd, -1.5, 1.5, 3, 2);
      checkGradients("sm " + r, v -> Binary.softMarginLoss(v[0], v[1], null, null, r).value(),
          new Tensor[] {x, y}, new boolean[] {true, false});
    }
  }

  @Test
  void multilabelSoftMarginGradientsMatchFiniteDifferences() {
    Random rnd = new Random(4);
    for (String r : REDUCTIONS) {
      Tensor x = uniform(rnd, -5, 5, 3, 4);
      Tensor y = uniform(rnd, 0, 1, 3, 4);
      Tensor w = uniform(rnd, 0.1, 2, 4);
      checkGradients("mlsm " + r, v -> Binary.multilabelSoftMarginLoss(v[0], v[1], v[2], null, null, r).value(),
          new Tensor[] {x, y, w}, new boolean[] {true, true, true});
      // A target that broadcasts up to a larger loss: the class dimension is the input's last.
      Tensor y3 = uniform(rnd, 0, 1, 2, 3, 4);
      checkGradients("mlsm broadcast " + r,
          v -> Binary.multilabelSoftMarginLoss(v[0], v[1], null, null, null, r).value(),
          new Tensor[] {x, y3}, new boolean[] {true, true});
    }
  }

  // ---- BCEWithLogitsLoss --------------------------------------------------------------------------------

  private static Variable leaf(double... v) {
    return Variable.leaf(Tensor.ofDoubles(v, v.length), true);
  }

  private static Variable leaf32(float... v) {
    return Variable.leaf(Tensor.ofFloats(v, v.length), true);
  }

  @Test
  void bceWithLogitsIsFiniteForExtremeLogits() {
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      Variable x = Variable.leaf(Tensor.ofDoubles(new double[] {1e4, -1e4, 1e4, -1e4}, 4).to(dt), true);
      Variable y = Variable.leaf(Tensor.ofDoubles(new double[] {1, 1, 0, 0}, 4).to(dt), true);
      Variable out = Binary.binaryCrossEntropyWithLogits(x, y, null, null, null, "none", null).value();
      // -log sigmoid(x) for y = 1 and -log sigmoid(-x) for y = 0: softplus(-x) and softplus(x).
      assertArrayEquals(new double[] {0, 1e4, 1e4, 0}, out.data().toDoubleArray(), 0);
      out.backward(Tensor.full(1, dt, 4));
      // sigmoid(x) - y saturates at 0 or +-1.
      assertArrayEquals(new double[] {0, -1, 1, 0}, x.grad().toDoubleArray(), 0);
      assertArrayEquals(new double[] {-1e4, 1e4, -1e4, 1e4}, y.grad().toDoubleArray(), 0);
    }
  }

  @Test
  void bceWithLogitsPosWeightBroadcastsOverTheClassDimension() {
    Random rnd = new Random(5);
    Tensor x = uniform(rnd, -3, 3, 2, 3);
    Tensor y = uniform(rnd, 0, 1, 2, 3);
    Variable perClass = Variable.constant(Tensor.ofDoubles(new double[] {0.5, 2, 3}, 3));
    Variable full = Variable.constant(Tensor.ofDoubles(new double[] {0.5, 2, 3, 0.5, 2, 3}, 2, 3));
    Tensor a = Binary.binaryCrossEntropyWithLogits(Variable.constant(x), Variable.constant(y), null, null, null, "none",
        perClass).value().data();
    Tensor b = Binary.binaryCrossEntropyWithLogits(Variable.constant(x), Variable.constant(y), null, null, null, "none",
        full).value().data();
    assertEquals(a, b);
    // Element (n, c): -(p_c y log sigmoid(x) + (1 - y) log sigmoid(-x)).
    double[] p = {0.5, 2, 3};
    for (int i = 0; i < 6; i++) {
      double xv = x.getDouble(i);
      double yv = y.getDouble(i);
      double expected = -(p[i % 3] * yv * Math.log(1 / (1 + Math.exp(-xv))) + (1 - yv) * Math.log(1 / (1 + Math.exp(xv))));
      assertEquals(expected, a.getDouble(i), 1e-12);
    }
  }

  @Test
  void bceWithLogitsEqualsBceOfSigmoidForModerateLogits() {
    Random rnd = new Random(6);
    for (String r : REDUCTIONS) {
      Tensor x = uniform(rnd, -5, 5, 4, 3);
      Tensor y = uniform(rnd, 0, 1, 4, 3);
      Tensor w = uniform(rnd, 0.1, 2, 3);
      double[] s = x.toDoubleArray();
      for (int i = 0; i < s.length; i++) {
        s[i] = 1 / (1 + Math.exp(-s[i]));
      }
      Tensor probs = Tensor.ofDoubles(s, 4, 3);
      Variable xl = Variable.leaf(x, true);
      Variable yl = Variable.leaf(y, true);
      Variable pl = Variable.leaf(probs, true);
      Variable yb = Variable.leaf(y, true);
      Variable viaLogits = Binary.binaryCrossEntropyWithLogits(xl, yl, Variable.constant(w), null, null, r, null).value();
      Variable viaProbs = Binary.binaryCrossEntropy(pl, yb, Variable.constant(w), null, null, r).value();
      assertArrayEquals(viaProbs.data().toDoubleArray(), viaLogits.data().toDoubleArray(), 1e-12, r);
      Tensor g = viaLogits.data().dim() == 0 ? Tensor.scalar(1, DType.FLOAT64) : uniform(rnd, -1, 1, 4, 3);
      viaLogits.backward(g);
      viaProbs.backward(g);
      // Chain rule through the sigmoid: d/dx = d/dp * p (1 - p); the target gradients agree directly.
      double[] dp = pl.grad().toDoubleArray();
      for (int i = 0; i < dp.length; i++) {
        dp[i] *= s[i] * (1 - s[i]);
      }
      assertArrayEquals(dp, xl.grad().toDoubleArray(), 1e-10, r);
      assertArrayEquals(yb.grad().toDoubleArray(), yl.grad().toDoubleArray(), 1e-9, r);
    }
  }

  @Test
  void bceWithLogitsInfiniteLogitsGiveNaNAsPyTorch() {
    // (1 - y) * x with x = inf and y = 1 is 0 * inf: PyTorch 1.13's formula yields NaN there.
    Variable out = Binary.binaryCrossEntropyWithLogits(leaf(Double.POSITIVE_INFINITY, Double.NaN), leaf(1, 0.5),
        null, null, null, "none", null).value();
    assertTrue(Double.isNaN(out.data().getDouble(0)));
    assertTrue(Double.isNaN(out.data().getDouble(1)));
  }

  @Test
  void bceWithLogitsChecks() {
    Variable x = leaf(0.1, 0.2, 0.3);
    ValueError size = assertThrows(ValueError.class, () -> Binary.binaryCrossEntropyWithLogits(x, leaf(1, 0), null,
        null, null, "mean", null));
    assertEquals("Target size (torch.Size([2])) must be the same as input size (torch.Size([3]))", size.getMessage());
    RuntimeError pw = assertThrows(RuntimeError.class, () -> Binary.binaryCrossEntropyWithLogits(x, leaf(1, 0, 1),
        null, null, null, "mean", leaf(1, 2)));
    assertEquals("The function 'binary_cross_entropy_with_logits' is not differentiable with respect to argument"
        + " 'pos_weight'. This input cannot have requires_grad True.", pw.getMessage());
  }

  // ---- BCELoss ------------------------------------------------------------------------------------------

  @Test
  void bceClampsItsLogsAtMinus100() {
    Variable x = leaf(0, 1, 0, 1);
    Variable y = leaf(1, 0, 0, 1);
    Variable out = Binary.binaryCrossEntropy(x, y, null, null, null, "none").value();
    double[] loss = out.data().toDoubleArray();
    assertArrayEquals(new double[] {100, 100, 0, 0}, new double[] {loss[0], loss[1], Math.abs(loss[2]),
        Math.abs(loss[3])}, 0);
    out.backward(Tensor.full(1, DType.FLOAT64, 4));
    // The input gradient divides by max(x (1 - x), 1e-12f): finite at 0 and 1.
    double eps = (double) 1e-12f;
    assertArrayEquals(new double[] {-1 / eps, 1 / eps, 0, 0}, x.grad().toDoubleArray(), 1);
    // The target gradient is -logit(x): infinite at 0 and 1.
    assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY}, y.grad().toDoubleArray(), 0);
  }

  @Test
  void bceRejectsInputsOutsideTheUnitInterval() {
    for (double bad : new double[] {-1e-7, 1.5, Double.NaN}) {
      RuntimeError e = assertThrows(RuntimeError.class, () -> Binary.binaryCrossEntropy(leaf(0.5, bad), leaf(0, 1),
          null, null, null, "mean"));
      assertEquals("all elements of input should be between 0 and 1", e.getMessage());
    }
    ValueError size = assertThrows(ValueError.class, () -> Binary.binaryCrossEntropy(leaf(0.5, 0.5), leaf(1, 0, 1),
        null, null, null, "mean"));
    assertEquals("Using a target size (torch.Size([3])) that is different to the input size (torch.Size([2])) is"
        + " deprecated. Please ensure they have the same size.", size.getMessage());
    RuntimeError dtype = assertThrows(RuntimeError.class, () -> Binary.binaryCrossEntropy(leaf32(0.5f), leaf(1),
        null, null, null, "mean"));
    assertEquals("Found dtype Double but expected Float", dtype.getMessage());
  }

  @Test
  void bceWeightBroadcastsAndIsNotDifferentiable() {
    Variable x = Variable.constant(Tensor.ofDoubles(new double[] {0.2, 0.4, 0.6, 0.8}, 2, 2));
    Variable y = Variable.constant(Tensor.ofDoubles(new double[] {1, 0, 0, 1}, 2, 2));
    Variable w = Variable.constant(Tensor.ofDoubles(new double[] {2, 3}, 2));
    double[] loss = Binary.binaryCrossEntropy(x, y, w, null, null, "none").value().data().toDoubleArray();
    assertArrayEquals(new double[] {-2 * Math.log(0.2), -3 * Math.log(0.6), -2 * Math.log(0.4), -3 * Math.log(0.8)},
        loss, 1e-12);
    Variable wg = Variable.leaf(w.data(), true);
    RuntimeError e = assertThrows(RuntimeError.class, () -> Binary.binaryCrossEntropy(x, y, wg, null, null, "mean"));
    assertEquals("The function 'binary_cross_entropy' is not differentiable with respect to argument 'weight'. This"
        + " input cannot have requires_grad True.", e.getMessage());
  }

  @Test
  void bceLegacyFlagsOverrideTheReductionWithAWarning() {
    Functional.Outcome o = Binary.binaryCrossEntropy(leaf(0.5, 0.25), leaf(1, 0), null, false, null, "mean");
    assertEquals(List.of("size_average and reduce args will be deprecated, please use reduction='sum' instead."),
        o.warnings());
    assertEquals(-Math.log(0.5) - Math.log(0.75), o.value().data().item(), 1e-12);
  }

  // ---- SoftMarginLoss -----------------------------------------------------------------------------------

  @Test
  void softMarginOverflowsInFloat32AsPyTorchDoes() {
    // exp(100) overflows float32: PyTorch's float kernel gives an infinite loss and a NaN gradient there.
    Variable x32 = leaf32(-100f, 0f);
    Variable out32 = Binary.softMarginLoss(x32, Variable.constant(Tensor.ofFloats(new float[] {1, 1}, 2)), null, null,
        "none").value();
    assertEquals(Double.POSITIVE_INFINITY, out32.data().getDouble(0));
    assertEquals(Math.log(2), out32.data().getDouble(1), 1e-7);
    out32.backward(Tensor.full(1, DType.FLOAT32, 2));
    assertTrue(Double.isNaN(x32.grad().getDouble(0)));
    assertEquals(-0.5, x32.grad().getDouble(1), 0);
    // In float64 the same values are finite: log(1 + e^100) = 100 + log1p(e^-100).
    Variable x64 = leaf(-100, 0);
    Variable out64 = Binary.softMarginLoss(x64, Variable.constant(Tensor.ofDoubles(new double[] {1, 1}, 2)), null,
        null, "none").value();
    assertEquals(100, out64.data().getDouble(0), 1e-12);
    out64.backward(Tensor.full(1, DType.FLOAT64, 2));
    assertEquals(-1, x64.grad().getDouble(0), 1e-12);
  }

  @Test
  void softMarginEqualsBceWithLogitsOfShiftedTargets() {
    // log(1 + exp(-y x)) for y = +-1 is BCE-with-logits at target (y + 1) / 2.
    Random rnd = new Random(7);
    Tensor x = uniform(rnd, -8, 8, 3, 5);
    double[] sign = new double[15];
    double[] prob = new double[15];
    for (int i = 0; i < 15; i++) {
      sign[i] = rnd.nextBoolean() ? 1 : -1;
      prob[i] = (sign[i] + 1) / 2;
    }
    for (String r : REDUCTIONS) {
      Tensor a = Binary.softMarginLoss(Variable.constant(x), Variable.constant(Tensor.ofDoubles(sign, 3, 5)), null,
          null, r).value().data();
      Tensor b = Binary.binaryCrossEntropyWithLogits(Variable.constant(x), Variable.constant(Tensor.ofDoubles(prob, 3,
          5)), null, null, null, r, null).value().data();
      assertArrayEquals(b.toDoubleArray(), a.toDoubleArray(), 1e-12, r);
    }
  }

  @Test
  void softMarginTargetTakesNoGradient() {
    RuntimeError e = assertThrows(RuntimeError.class, () -> Binary.softMarginLoss(leaf(1, 2), leaf(1, -1), null, null,
        "mean"));
    assertEquals("The function 'soft_margin_loss' is not differentiable with respect to argument 'target'. This input"
        + " cannot have requires_grad True.", e.getMessage());
    RuntimeError grow = assertThrows(RuntimeError.class, () -> Binary.softMarginLoss(Variable.constant(
        Tensor.ofDoubles(new double[] {1, 2}, 2)), Variable.constant(Tensor.ofDoubles(new double[] {1, 1, 1, 1}, 2, 2)),
        null, null, "mean"));
    assertEquals("output with shape [2] doesn't match the broadcast shape [2, 2]", grow.getMessage());
  }

  // ---- MultiLabelSoftMarginLoss -------------------------------------------------------------------------

  @Test
  void multilabelSoftMarginIsTheClassMeanOfBceWithLogits() {
    Random rnd = new Random(8);
    Tensor x = uniform(rnd, -6, 6, 4, 5);
    Tensor y = uniform(rnd, 0, 1, 4, 5);
    Tensor w = uniform(rnd, 0.1, 2, 5);
    double[] bce = Binary.binaryCrossEntropyWithLogits(Variable.constant(x), Variable.constant(y),
        Variable.constant(w), null, null, "none", null).value().data().toDoubleArray();
    double[] perSample = new double[4];
    for (int i = 0; i < 20; i++) {
      perSample[i / 5] += bce[i] / 5;
    }
    Tensor none = Binary.multilabelSoftMarginLoss(Variable.constant(x), Variable.constant(y), Variable.constant(w),
        null, null, "none").value().data();
    assertArrayEquals(new int[] {4}, none.shape());
    assertArrayEquals(perSample, none.toDoubleArray(), 1e-12);
    double mean = Binary.multilabelSoftMarginLoss(Variable.constant(x), Variable.constant(y), Variable.constant(w),
        null, null, "mean").value().data().item();
    assertEquals((perSample[0] + perSample[1] + perSample[2] + perSample[3]) / 4, mean, 1e-12);
  }

  @Test
  void multilabelSoftMarginEdgeCases() {
    // Empty batch: none gives (0), mean NaN, sum 0; gradients are empty.
    Variable x = Variable.leaf(Tensor.zeros(DType.FLOAT32, 0, 3), true);
    Variable y = Variable.constant(Tensor.zeros(DType.FLOAT32, 0, 3));
    assertArrayEquals(new int[] {0}, Binary.multilabelSoftMarginLoss(x, y, null, null, null, "none").value().data()
        .shape());
    Variable mean = Binary.multilabelSoftMarginLoss(x, y, null, null, null, "mean").value();
    assertTrue(Double.isNaN(mean.data().item()));
    assertEquals("MeanBackward0", mean.gradFnName());
    mean.backward();
    assertArrayEquals(new int[] {0, 3}, x.grad().shape());
    assertEquals(0.0, Binary.multilabelSoftMarginLoss(x, y, null, null, null, "sum").value().data().item());
    // A 0-d input has no class dimension.
    IndexError e = assertThrows(IndexError.class, () -> Binary.multilabelSoftMarginLoss(
        Variable.leaf(Tensor.scalar(0.5, DType.FLOAT32), true),
        Variable.constant(Tensor.scalar(1, DType.FLOAT32)), null, null, null, "mean"));
    assertEquals("Dimension specified as -1 but tensor has no dimensions", e.getMessage());
    // The reduction string is checked after the loss is computed, with the composite's own message.
    ValueError bad = assertThrows(ValueError.class, () -> Binary.multilabelSoftMarginLoss(leaf(1, 2), leaf(0, 1),
        null, null, null, "elementwise_mean"));
    assertEquals("elementwise_mean is not valid", bad.getMessage());
    // Extreme logits stay finite; -inf with target 1 is an infinite loss.
    Tensor big = Binary.multilabelSoftMarginLoss(leaf(1e4, -1e4), leaf(1, 0), null, null, null, "none").value()
        .data();
    assertEquals(0.0, big.item(), 0);
    Tensor inf = Binary.multilabelSoftMarginLoss(leaf(Double.NEGATIVE_INFINITY, 0), leaf(1, 0.5), null, null, null,
        "none").value().data();
    assertEquals(Double.POSITIVE_INFINITY, inf.item());
  }

  @Test
  void gradFnNamesFollowPyTorch() {
    Variable x = leaf(0.2, 0.7);
    Variable y = Variable.constant(Tensor.ofDoubles(new double[] {1, 0}, 2));
    for (String r : REDUCTIONS) {
      assertEquals("BinaryCrossEntropyBackward0", Binary.binaryCrossEntropy(x, y, null, null, null, r).value()
          .gradFnName());
      assertEquals("BinaryCrossEntropyWithLogitsBackward0", Binary.binaryCrossEntropyWithLogits(x, y, null, null, null,
          r, null).value().gradFnName());
      assertEquals("SoftMarginLossBackward0", Binary.softMarginLoss(x, y, null, null, r).value().gradFnName());
    }
    assertEquals("DivBackward0", Binary.multilabelSoftMarginLoss(x, y, null, null, null, "none").value().gradFnName());
    assertEquals("SumBackward0", Binary.multilabelSoftMarginLoss(x, y, null, null, null, "sum").value().gradFnName());
    assertNull(Binary.softMarginLoss(Variable.constant(x.data()), y, null, null, "mean").value().gradFnName());
  }
}
