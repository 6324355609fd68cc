package dev.loss4j.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.errors.ValueError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * GaussianNLLLoss, PoissonNLLLoss and KLDivLoss: float64 finite-difference gradients for every argument,
 * named edge cases, and cross-checks between forms that must agree.
 */
class ProbabilisticTest {
  private static final double H = 1e-6;

  private static Tensor random(Random rnd, double lo, double hi, int... shape) {
    int n = 1;
    for (int s : shape) {
      n *= s;
    }
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = lo + (hi - lo) * rnd.nextDouble();
    }
    return Tensor.ofDoubles(d, shape);
  }

  private static Tensor doubles(double... v) {
    return Tensor.ofDoubles(v, v.length);
  }

  private static Tensor perturb(Tensor t, int i, double h) {
    double[] d = t.toDoubleArray();
    d[i] += h;
    return Tensor.ofDoubles(d, t.shape());
  }

  private static double value(Function<Variable[], Functional.Outcome> loss, Tensor[] args) {
    Variable[] vs = new Variable[args.length];
    for (int k = 0; k < args.length; k++) {
      vs[k] = Variable.constant(args[k]);
    }
    return loss.apply(vs).value().data().item();
  }

  /** Central differences of a scalar loss against its analytic backward, for every argument. */
  static void checkGradients(Function<Variable[], Functional.Outcome> loss, Tensor... args) {
    Variable[] vs = new Variable[args.length];
    for (int k = 0; k < args.length; k++) {
      vs[k] = Variable.leaf(args[k], true);
    }
    loss.apply(vs).value().backward();
    for (int k = 0; k < args.length; k++) {
      assertArrayEquals(args[k].shape(), vs[k].grad().shape(), "gradient shape of argument " + k);
      for (int i = 0; i < args[k].numel(); i++) {
        Tensor[] plus = args.clone();
        Tensor[] minus = args.clone();
        plus[k] = perturb(args[k], i, H);
        minus[k] = perturb(args[k], i, -H);
        double num = (value(loss, plus) - value(loss, minus)) / (2 * H);
        assertEquals(num, vs[k].grad().getDouble(i), 1e-5 * Math.max(1, Math.abs(num)),
            "d/d argument " + k + " at " + i);
      }
    }
  }

  // ---- GaussianNLLLoss ----

  @Test
  void gaussianGradientsMatchFiniteDifferences() {
    Random rnd = new Random(11);
    for (String r : new String[] {"mean", "sum"}) {
      for (boolean full : new boolean[] {false, true}) {
        checkGradients(a -> Probabilistic.gaussianNllLoss(a[0], a[1], a[2], full, 1e-6, r),
            random(rnd, -2, 2, 3, 4), random(rnd, -2, 2, 3, 4), random(rnd, 0.2, 2, 3, 4));
      }
      // Homoscedastic: var one dimension short, and with a trailing 1; the target broadcasts.
      checkGradients(a -> Probabilistic.gaussianNllLoss(a[0], a[1], a[2], false, 1e-6, r),
          random(rnd, -2, 2, 3, 4), random(rnd, -2, 2, 3, 4), random(rnd, 0.2, 2, 3));
      checkGradients(a -> Probabilistic.gaussianNllLoss(a[0], a[1], a[2], false, 1e-6, r),
          random(rnd, -2, 2, 3, 4), random(rnd, -2, 2, 4), random(rnd, 0.2, 2, 3, 1));
    }
  }

  @Test
  void gaussianClampIsInvisibleToAutograd() {
    // var below eps is clamped in value, but its gradient is the formula at the clamped value.
    double eps = 0.1;
    Variable x = Variable.leaf(doubles(1.0), true);
    Variable y = Variable.leaf(doubles(0.0), true);
    Variable v = Variable.leaf(doubles(0.01), true);
    Variable out = Probabilistic.gaussianNllLoss(x, y, v, false, eps, "sum").value();
    assertEquals(0.5 * (Math.log(eps) + 1 / eps), out.data().item(), 1e-12);
    out.backward();
    assertEquals(0.5 * (1 / eps - 1 / (eps * eps)), v.grad().getDouble(0), 1e-9);
    assertEquals(1 / eps, x.grad().getDouble(0), 1e-9);
    assertEquals(-1 / eps, y.grad().getDouble(0), 1e-9);
  }

  @Test
  void gaussianHomoscedasticEqualsExpandedVar() {
    Random rnd = new Random(12);
    Tensor x = random(rnd, -2, 2, 3, 4);
    Tensor y = random(rnd, -2, 2, 3, 4);
    Tensor row = random(rnd, 0.2, 2, 3);
    double[] expanded = new double[12];
    for (int i = 0; i < 12; i++) {
      expanded[i] = row.getDouble(i / 4);
    }
    Variable vRow = Variable.leaf(row, true);
    Variable vFull = Variable.leaf(Tensor.ofDoubles(expanded, 3, 4), true);
    Variable a = Probabilistic.gaussianNllLoss(Variable.constant(x), Variable.constant(y), vRow, true, 1e-6, "mean")
        .value();
    Variable b = Probabilistic.gaussianNllLoss(Variable.constant(x), Variable.constant(y), vFull, true, 1e-6, "mean")
        .value();
    assertEquals(b.data().item(), a.data().item(), 1e-12);
    a.backward();
    b.backward();
    for (int r = 0; r < 3; r++) {
      double sum = 0;
      for (int c = 0; c < 4; c++) {
        sum += vFull.grad().getDouble(r * 4 + c);
      }
      assertEquals(sum, vRow.grad().getDouble(r), 1e-12);
    }
  }

  @Test
  void gaussianErrors() {
    Variable x = Variable.constant(Tensor.zeros(DType.FLOAT32, 3, 4));
    assertEquals("var is of incorrect size", assertThrows(ValueError.class, () -> Probabilistic.gaussianNllLoss(
        x, x, Variable.constant(Tensor.full(1, DType.FLOAT32, 4)), false, 1e-6, "avg")).getMessage());
    Variable ok = Variable.constant(Tensor.full(1, DType.FLOAT32, 3, 4));
    assertEquals("avg is not valid", assertThrows(ValueError.class,
        () -> Probabilistic.gaussianNllLoss(x, x, ok, false, 1e-6, "avg")).getMessage());
    Variable neg = Variable.constant(Tensor.full(-1, DType.FLOAT32, 3, 1));
    assertEquals("var has negative entry/entries", assertThrows(ValueError.class,
        () -> Probabilistic.gaussianNllLoss(x, x, neg, false, 1e-6, "mean")).getMessage());
    Variable ints = Variable.constant(Tensor.ofLongs(new long[] {1, 1, 1}, 3));
    assertEquals("result type Float can't be cast to the desired output type long int", assertThrows(
        RuntimeError.class, () -> Probabilistic.gaussianNllLoss(x, x, ints, false, 1e-6, "mean")).getMessage());
  }

  @Test
  void gaussianEmptyAndNonFinite() {
    Variable e = Variable.constant(Tensor.zeros(DType.FLOAT32, 0, 3));
    Variable ev = Variable.constant(Tensor.zeros(DType.FLOAT32, 0));
    assertTrue(Double.isNaN(Probabilistic.gaussianNllLoss(e, e, ev, false, 1e-6, "mean").value().data().item()));
    assertEquals(0.0, Probabilistic.gaussianNllLoss(e, e, ev, false, 1e-6, "sum").value().data().item());
    Tensor out = Probabilistic.gaussianNllLoss(Variable.constant(doubles(Double.NaN, Double.POSITIVE_INFINITY, 1e4)),
        Variable.constant(doubles(0, 0, -1e4)), Variable.constant(doubles(1, 1, 1)), false, 1e-6, "none")
        .value().data();
    assertTrue(Double.isNaN(out.getDouble(0)));
    assertEquals(Double.POSITIVE_INFINITY, out.getDouble(1));
    assertEquals(0.5 * 4e8, out.getDouble(2), 1e-6);
  }

  // ---- PoissonNLLLoss ----

  @Test
  void poissonGradientsMatchFiniteDifferences() {
    Random rnd = new Random(21);
    for (String r : new String[] {"mean", "sum"}) {
      for (boolean full : new boolean[] {false, true}) {
        // Targets kept away from 1, where the Stirling term switches on.
        Tensor y = random(rnd, 1.2, 5, 3, 4);
        checkGradients(a -> Probabilistic.poissonNllLoss(a[0], a[1], true, full, null, 1e-8, null, r),
            random(rnd, -2, 2, 3, 4), y);
        checkGradients(a -> Probabilistic.poissonNllLoss(a[0], a[1], false, full, null, 1e-8, null, r),
            random(rnd, 0.2, 3, 3, 4), y);
      }
    }
  }

  @Test
  void poissonStirlingOnlyAboveOne() {
    Tensor x = doubles(0.3, -0.2, 1.5, 0.0);
    Tensor y = doubles(0.5, 1.0, 4.0, 0.0);
    Tensor plain = Probabilistic.poissonNllLoss(Variable.constant(x), Variable.constant(y), true, false, null, 1e-8,
        null, "none").value().data();
    Variable ty = Variable.leaf(y, true);
    Variable full = Probabilistic.poissonNllLoss(Variable.constant(x), ty, true, true, null, 1e-8, null, "none")
        .value();
    for (int i = 0; i < 4; i++) {
      double t = y.getDouble(i);
      double stirling = t > 1 ? t * Math.log(t) - t + 0.5 * Math.log(2 * Math.PI * t) : 0;
      assertEquals(plain.getDouble(i) + stirling, full.data().getDouble(i), 1e-12);
    }
    full.backward(Tensor.full(1, DType.FLOAT64, 4));
    assertEquals(-0.3, ty.grad().getDouble(0), 1e-12);
    assertEquals(0.2, ty.grad().getDouble(1), 1e-12);
    assertEquals(-1.5 + Math.log(4) + 0.5 / 4, ty.grad().getDouble(2), 1e-12);
    // Masked, but 0 * log(0) is NaN in autograd, as in PyTorch.
    assertTrue(Double.isNaN(ty.grad().getDouble(3)));
  }

  @Test
  void poissonLogInputFormsAgree() {
    // log_input=True at x equals log_input=False at exp(x) when eps is 0.
    Random rnd = new Random(22);
    Tensor x = random(rnd, -2, 2, 6);
    Tensor y = random(rnd, 0, 5, 6);
    double[] ex = x.toDoubleArray();
    for (int i = 0; i < ex.length; i++) {
      ex[i] = Math.exp(ex[i]);
    }
    double a = Probabilistic.poissonNllLoss(Variable.constant(x), Variable.constant(y), true, false, null, 1e-8, null,
        "sum").value().data().item();
    double b = Probabilistic.poissonNllLoss(Variable.constant(Tensor.ofDoubles(ex, 6)), Variable.constant(y), false,
        false, null, 0.0, null, "sum").value().data().item();
    assertEquals(a, b, 1e-10);
  }

  @Test
  void poissonLegacyFlagsAndErrors() {
    Variable x = Variable.constant(Tensor.zeros(DType.FLOAT32, 2));
    Functional.Outcome o = Probabilistic.poissonNllLoss(x, x, true, false, null, 1e-8, false, "avg");
    assertEquals(List.of("size_average and reduce args will be deprecated, please use reduction='none' instead."),
        o.warnings());
    assertArrayEquals(new int[] {2}, o.value().data().shape());
    assertEquals("elementwise_mean is not a valid value for reduction", assertThrows(ValueError.class,
        () -> Probabilistic.poissonNllLoss(x, x, true, false, null, 1e-8, null, "elementwise_mean")).getMessage());
  }

  @Test
  void poissonExtremeLogits() {
    Tensor out = Probabilistic.poissonNllLoss(Variable.constant(doubles(1e4, -1e4)),
        Variable.constant(doubles(1, 1)), true, false, null, 1e-8, null, "none").value().data();
    assertEquals(Double.POSITIVE_INFINITY, out.getDouble(0));
    assertEquals(1e4, out.getDouble(1), 1e-9);
  }

  // ---- KLDivLoss ----

  @Test
  void klDivGradientsMatchFiniteDifferences() {
    Random rnd = new Random(31);
    for (String r : new String[] {"mean", "sum", "batchmean"}) {
      for (boolean logTarget : new boolean[] {false, true}) {
        Tensor y = logTarget ? random(rnd, -3, 1, 3, 4) : random(rnd, 0.05, 1, 3, 4);
        checkGradients(a -> Probabilistic.klDiv(a[0], a[1], null, null, r, logTarget), random(rnd, -3, 0, 3, 4), y);
      }
    }
  }

  @Test
  void klDivLogTargetAgreesWithProbabilities() {
    Random rnd = new Random(32);
    Tensor x = random(rnd, -3, 0, 2, 5);
    Tensor p = random(rnd, 0.01, 1, 2, 5);
    double[] logp = p.toDoubleArray();
    for (int i = 0; i < logp.length; i++) {
      logp[i] = Math.log(logp[i]);
    }
    for (String r : new String[] {"none", "sum", "batchmean"}) {
      double[] a = Probabilistic.klDiv(Variable.constant(x), Variable.constant(p), null, null, r, false).value()
          .data().toDoubleArray();
      double[] b = Probabilistic.klDiv(Variable.constant(x), Variable.constant(Tensor.ofDoubles(logp, 2, 5)), null,
          null, r, true).value().data().toDoubleArray();
      assertArrayEquals(a, b, 1e-12);
    }
  }

  @Test
  void klDivReductions() {
    Random rnd = new Random(33);
    Tensor x = random(rnd, -3, 0, 4, 5);
    Tensor p = random(rnd, 0, 1, 4, 5);
    Variable vx = Variable.constant(x);
    Variable vp = Variable.constant(p);
    double sum = Probabilistic.klDiv(vx, vp, null, null, "sum", false).value().data().item();
    Functional.Outcome mean = Probabilistic.klDiv(vx, vp, null, null, "mean", false);
    assertEquals(List.of(Probabilistic.KL_DIV_MEAN_WARNING), mean.warnings());
    assertEquals(sum / 20, mean.value().data().item(), 1e-12);
    assertEquals(sum / 4, Probabilistic.klDiv(vx, vp, null, null, "batchmean", false).value().data().item(), 1e-12);
    // A 0-d input: batchmean is a plain sum.
    Variable s = Variable.leaf(Tensor.scalar(-1.0, DType.FLOAT64), true);
    Variable out = Probabilistic.klDiv(s, Variable.constant(Tensor.scalar(0.5, DType.FLOAT64)), null, null,
        "batchmean", false).value();
    assertEquals("SumBackward0", out.gradFnName());
    // Legacy flags with reduction='batchmean' still divide by the batch size, as F.kl_div does.
    Functional.Outcome legacy = Probabilistic.klDiv(vx, vp, null, false, "batchmean", false);
    assertEquals(x.numel(), legacy.value().data().numel());
    assertEquals(TensorTotal.of(legacy.value().data()), sum / 4, 1e-12);
  }

  @Test
  void klDivZeroTargetAndErrors() {
    Variable x = Variable.leaf(doubles(-1.0, -2.0), true);
    Variable t = Variable.leaf(doubles(0.0, 0.5), true);
    Variable out = Probabilistic.klDiv(x, t, null, null, "sum", false).value();
    assertEquals(0.5 * (Math.log(0.5) + 2.0), out.data().item(), 1e-12);
    out.backward();
    assertTrue(Double.isNaN(t.grad().getDouble(0)));
    assertEquals(Math.log(0.5) + 1 + 2.0, t.grad().getDouble(1), 1e-12);
    assertEquals(-0.0, x.grad().getDouble(0));
    Variable ints = Variable.constant(Tensor.ofLongs(new long[] {1}, 1));
    RuntimeError e = assertThrows(RuntimeError.class, () -> Probabilistic.klDiv(ints, ints, null, null, "mean", false));
    assertEquals("kl_div: Integral inputs not supported.", e.getMessage());
    assertEquals(List.of(Probabilistic.KL_DIV_MEAN_WARNING), e.warnings());
    assertThrows(ValueError.class, () -> Probabilistic.klDiv(x, t, null, null, "avg", false));
    assertNull(Probabilistic.klDiv(Variable.constant(doubles(1)), Variable.constant(doubles(1)), null, null, "sum",
        false).value().gradFnName());
  }

  /** A sum of all elements, for the legacy batchmean check. */
  private static final class TensorTotal {
    static double of(Tensor t) {
      double s = 0;
      for (int i = 0; i < t.numel(); i++) {
        s += t.getDouble(i);
      }
      return s;
    }
  }
}
