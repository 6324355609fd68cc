package dev.loss4j.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

/** AdaptiveLogSoftmaxWithLoss: finite differences for input and parameters, consistency, edge cases. */
class AdaptiveTest {
  private static final double[] CUTOFFS = {3, 6};

  private static Adaptive.AdaptiveLogSoftmaxWithLoss module(boolean bias, long seed) {
    return new Adaptive.AdaptiveLogSoftmaxWithLoss(8, 10, CUTOFFS, 2.0, bias, DType.FLOAT64, seed);
  }

  private static Tensor randn(Random rnd, double scale, int... shape) {
    double[] a = new double[dev.loss4j.tensor.Shapes.numel(shape)];
    for (int i = 0; i < a.length; i++) {
      a[i] = rnd.nextGaussian() * scale;
    }
    return Tensor.ofDoubles(a, shape);
  }

  /** Replaces element i of one tensor (a copy) by v. */
  private static Tensor with(Tensor t, int i, double v) {
    double[] a = t.toDoubleArray();
    a[i] = v;
    return Tensor.ofDoubles(a, t.shape());
  }

  /**
   * Central differences of a scalar function of (input, parameters) against the analytic backward, for the
   * input and every parameter.
   */
  private static void checkGradients(boolean bias, Function<Adaptive.AdaptiveLogSoftmaxWithLoss, Function<Variable, Variable>> f,
                                     Tensor x) {
    Adaptive.AdaptiveLogSoftmaxWithLoss m = module(bias, 7);
    Variable xv = Variable.leaf(x, true);
    f.apply(m).apply(xv).backward();
    List<Variable> params = m.parameters();
    double h = 1e-6;
    // Input.
    for (int i = 0; i < x.numel(); i++) {
      double fp = value(m, f, with(x, i, x.getDouble(i) + h));
      double fm = value(m, f, with(x, i, x.getDouble(i) - h));
      assertEquals((fp - fm) / (2 * h), xv.grad().getDouble(i), 1e-6, "input " + i);
    }
    // Parameters: rebuild the module with one parameter perturbed.
    for (int p = 0; p < params.size(); p++) {
      Tensor data = params.get(p).data();
      Tensor grad = params.get(p).grad();
      for (int i = 0; i < data.numel(); i++) {
        double fp = valueWithParam(m, f, x, p, with(data, i, data.getDouble(i) + h));
        double fm = valueWithParam(m, f, x, p, with(data, i, data.getDouble(i) - h));
        double numeric = (fp - fm) / (2 * h);
        double analytic = grad == null ? 0 : grad.getDouble(i);
        assertEquals(numeric, analytic, 1e-6, "parameter " + p + " element " + i);
      }
    }
  }

  private static double value(Adaptive.AdaptiveLogSoftmaxWithLoss m,
                              Function<Adaptive.AdaptiveLogSoftmaxWithLoss, Function<Variable, Variable>> f, Tensor x) {
    return f.apply(m).apply(Variable.constant(x)).data().item();
  }

  private static double valueWithParam(Adaptive.AdaptiveLogSoftmaxWithLoss m,
                                       Function<Adaptive.AdaptiveLogSoftmaxWithLoss, Function<Variable, Variable>> f,
                                       Tensor x, int which, Tensor replaced) {
    List<Variable> ps = m.parameters();
    Variable[] copy = new Variable[ps.size()];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = Variable.constant(i == which ? replaced : ps.get(i).data());
    }
    int k = 0;
    Variable hw = copy[k++];
    Variable hb = m.hasHeadBias() ? copy[k++] : null;
    Variable[] tail = java.util.Arrays.copyOfRange(copy, k, copy.length);
    Adaptive.AdaptiveLogSoftmaxWithLoss m2 = Adaptive.withParameters(8, 10, CUTOFFS, 2.0, hw, hb, tail);
    return value(m2, f, x);
  }

  private static Variable weightedSum(Variable v, double[] w) {
    // sum_i w_i v_i as a differentiable op, so the check covers a non-uniform output gradient.
    return Variable.apply((inputs, needs) -> {
      Tensor t = inputs[0];
      double s = 0;
      for (int i = 0; i < t.numel(); i++) {
        s += w[i] * t.getDouble(i);
      }
      return new dev.loss4j.autograd.Differentiable.Result(Tensor.scalar(s, t.dtype()), "SumBackward0", List.of(),
          g -> new Tensor[] {Tensor.ofDoubles(java.util.Arrays.stream(w).map(x -> x * g.item()).toArray(), t.shape())});
    }, null, v);
  }

  @Test
  void finiteDifferencesOfTheLoss() {
    Random rnd = new Random(1);
    Tensor x = randn(rnd, 1.0, 6, 8);
    Variable target = Variable.constant(Tensor.ofLongs(new long[] {0, 4, 9, 2, 7, 5}, 6));
    for (boolean bias : new boolean[] {false, true}) {
      checkGradients(bias, m -> in -> m.forward(in, target).loss(), x);
    }
  }

  @Test
  void finiteDifferencesOfTheOutputAndLogProb() {
    Random rnd = new Random(2);
    Tensor x = randn(rnd, 1.0, 5, 8);
    double[] w = randn(rnd, 1.0, 5).toDoubleArray();
    double[] w2 = randn(rnd, 1.0, 50).toDoubleArray();
    Variable target = Variable.constant(Tensor.ofLongs(new long[] {1, 3, 3, 8, 6}, 5));
    checkGradients(true, m -> in -> weightedSum(m.forward(in, target).output(), w), x);
    checkGradients(false, m -> in -> weightedSum(m.logProb(in), w2), x);
  }

  @Test
  void outputIsTheLogProbOfTheTargetAndPredictItsArgmax() {
    Random rnd = new Random(3);
    Adaptive.AdaptiveLogSoftmaxWithLoss m = module(true, 11);
    Tensor x = randn(rnd, 2.0, 7, 8);
    long[] targets = {0, 1, 2, 3, 6, 9, 5};
    Adaptive.Output out = m.forward(Variable.constant(x), Variable.constant(Tensor.ofLongs(targets, 7)));
    Tensor lp = m.logProb(Variable.constant(x)).data();
    Tensor pred = m.predict(Variable.constant(x));
    double mean = 0;
    for (int r = 0; r < 7; r++) {
      assertEquals(lp.getDouble(r * 10 + (int) targets[r]), out.output().data().getDouble(r), 1e-12);
      mean -= out.output().data().getDouble(r) / 7;
      double total = 0;
      int best = 0;
      for (int c = 0; c < 10; c++) {
        total += Math.exp(lp.getDouble(r * 10 + c));
        if (lp.getDouble(r * 10 + c) > lp.getDouble(r * 10 + best)) {
          best = c;
        }
      }
      assertEquals(1.0, total, 1e-12, "probabilities of row " + r);
      // predict takes the head's argmax when it is a shortlist class, which is then the overall argmax too.
      assertEquals(best, pred.getLong(r));
    }
    assertEquals(mean, out.loss().data().item(), 1e-12);
    assertEquals("AddBackward0", out.output().gradFnName());
  }

  @Test
  void unbatchedMatchesABatchOfOne() {
    Random rnd = new Random(4);
    Adaptive.AdaptiveLogSoftmaxWithLoss m = module(false, 5);
    Tensor x = randn(rnd, 1.0, 8);
    Variable xv = Variable.leaf(x, true);
    Adaptive.Output one = m.forward(xv, Variable.constant(Tensor.ofLongs(new long[] {7})));
    Adaptive.Output batch = m.forward(Variable.constant(x.reshape(1, 8)),
        Variable.constant(Tensor.ofLongs(new long[] {7}, 1)));
    assertEquals(0, one.output().data().dim());
    assertEquals("SqueezeBackward1", one.output().gradFnName());
    assertEquals(batch.output().data().getDouble(0), one.output().data().item());
    one.loss().backward();
    assertArrayEquals(new int[] {8}, xv.grad().shape());
  }

  @Test
  void unusedClustersGetNoGradient() {
    Adaptive.AdaptiveLogSoftmaxWithLoss m = module(false, 9);
    Tensor x = randn(new Random(6), 1.0, 3, 8);
    m.forward(Variable.constant(x), Variable.constant(Tensor.ofLongs(new long[] {0, 7, 2}, 3))).loss().backward();
    assertNotNull(m.headWeight().grad());
    assertNull(m.tailWeight(0, 0).grad());
    assertNull(m.tailWeight(0, 1).grad());
    assertNotNull(m.tailWeight(1, 0).grad());
    assertNotNull(m.tailWeight(1, 1).grad());
  }

  @Test
  void emptyBatchHasANanLoss() {
    Adaptive.AdaptiveLogSoftmaxWithLoss m = module(true, 1);
    Adaptive.Output out = m.forward(Variable.constant(Tensor.zeros(DType.FLOAT64, 0, 8)),
        Variable.constant(Tensor.ofLongs(new long[0], 0)));
    assertArrayEquals(new int[] {0}, out.output().data().shape());
    assertTrue(Double.isNaN(out.loss().data().item()));
  }

  @Test
  void extremeAndNonFiniteInputs() {
    Adaptive.AdaptiveLogSoftmaxWithLoss m = module(true, 2);
    Variable x = Variable.leaf(randn(new Random(8), 1e4, 4, 8), true);
    Adaptive.Output out = m.forward(x, Variable.constant(Tensor.ofLongs(new long[] {0, 4, 9, 2}, 4)));
    out.loss().backward();
    for (double v : out.output().data().toDoubleArray()) {
      assertTrue(v <= 0 && !Double.isNaN(v));
    }
    double[] nan = new double[16];
    nan[3] = Double.NaN;
    Tensor withNan = Tensor.ofDoubles(nan, 2, 8);
    Tensor o = m.forward(Variable.constant(withNan), Variable.constant(Tensor.ofLongs(new long[] {1, 1}, 2)))
        .output().data();
    assertTrue(Double.isNaN(o.getDouble(0)));
    assertTrue(!Double.isNaN(o.getDouble(1)));
  }

  @Test
  void errorsCarryPyTorchsMessages() {
    String cutoffMessage = "cutoffs should be a sequence of unique, positive integers sorted in an increasing order,"
        + " where each value is between 1 and n_classes-1";
    for (double[] bad : new double[][] {{6, 3}, {3, 10}, {0, 3}, {3, 3}, {3.5}}) {
      assertEquals(cutoffMessage, assertThrows(ValueError.class,
          () -> new Adaptive.AdaptiveLogSoftmaxWithLoss(8, 10, bad, 4.0, false, DType.FLOAT32, 0)).getMessage());
    }
    Adaptive.AdaptiveLogSoftmaxWithLoss m = module(false, 3);
    Variable x = Variable.constant(Tensor.zeros(DType.FLOAT64, 5, 8));
    assertEquals("Target values should be in [0, 9], but values in range [-1, 10] were found. ",
        assertThrows(RuntimeError.class, () -> m.forward(x,
            Variable.constant(Tensor.ofLongs(new long[] {0, 4, 10, 2, -1}, 5)))).getMessage());
    assertEquals("Input and target should have the same size in the batch dimension.",
        assertThrows(RuntimeError.class, () -> m.forward(x,
            Variable.constant(Tensor.ofLongs(new long[] {0, 4}, 2)))).getMessage());
    assertEquals("mat1 and mat2 shapes cannot be multiplied (5x7 and 8x5)", assertThrows(RuntimeError.class,
        () -> m.forward(Variable.constant(Tensor.zeros(DType.FLOAT64, 5, 7)),
            Variable.constant(Tensor.ofLongs(new long[] {0, 1, 2, 0, 1}, 5)))).getMessage());
  }

  @Test
  void hiddenSizesAndParametersFollowTheModule() {
    Adaptive.AdaptiveLogSoftmaxWithLoss m = new Adaptive.AdaptiveLogSoftmaxWithLoss(16, 20,
        new double[] {5, 10, 15}, 4.0, true, DType.FLOAT32, 0);
    int[][] shapes = m.parameterShapes();
    assertArrayEquals(new int[] {8, 16}, shapes[0]);
    assertArrayEquals(new int[] {4, 16}, shapes[2]);
    assertArrayEquals(new int[] {5, 4}, shapes[3]);
    assertArrayEquals(new int[] {1, 16}, shapes[4]);
    assertArrayEquals(new int[] {0, 16}, shapes[6]);
    assertArrayEquals(new int[] {5, 0}, shapes[7]);
    assertEquals(8, m.parameters().size());
    for (Variable p : m.parameters()) {
      for (double v : p.data().toDoubleArray()) {
        assertTrue(Math.abs(v) <= 1.0);
      }
    }
  }

  /** SLEEF's expf is faithful: within one float ULP of exp, with its range limits. */
  @Test
  void sleefExpfIsFaithful() {
    Random rnd = new Random(5);
    for (int i = 0; i < 200_000; i++) {
      float x = (float) (rnd.nextDouble() * 200 - 100);
      double exact = Math.exp(x);
      assertTrue(Math.abs(Adaptive.sleefExpf(x) - exact) <= Math.ulp((float) exact), "expf(" + x + ")");
    }
    assertEquals(0.0f, Adaptive.sleefExpf(-105f));
    assertEquals(Float.POSITIVE_INFINITY, Adaptive.sleefExpf(Float.POSITIVE_INFINITY));
    assertEquals(1.0f, Adaptive.sleefExpf(0f));
  }

  /** SLEEF's logf is faithful and handles zero, negatives, infinity and subnormals. */
  @Test
  void sleefLogfIsFaithful() {
    Random rnd = new Random(6);
    for (int i = 0; i < 200_000; i++) {
      float x = (float) Math.exp(rnd.nextDouble() * 160 - 80);
      double exact = Math.log(x);
      assertTrue(Math.abs(Adaptive.sleefLogf(x) - exact) <= Math.ulp((float) exact), "logf(" + x + ")");
    }
    assertEquals(Float.NEGATIVE_INFINITY, Adaptive.sleefLogf(0f));
    assertTrue(Float.isNaN(Adaptive.sleefLogf(-1f)));
    assertEquals(Float.POSITIVE_INFINITY, Adaptive.sleefLogf(Float.POSITIVE_INFINITY));
    assertEquals(0f, Adaptive.sleefLogf(1f));
    assertEquals(Math.log(1e-40), Adaptive.sleefLogf(1e-40f), 1e-5);
  }

  /** The lane-order and inner-dimension float sums are sums: close to the exact value at every length. */
  @Test
  void reductionOrdersAreSums() {
    Random rnd = new Random(7);
    for (int n = 1; n < 140; n++) {
      float[] v = new float[n];
      double[] d = new double[n];
      double exact = 0;
      double abs = 0;
      for (int i = 0; i < n; i++) {
        v[i] = (float) rnd.nextGaussian();
        d[i] = v[i];
        exact += v[i];
        abs += Math.abs(v[i]);
      }
      assertEquals(exact, Adaptive.laneSum(v), 1e-6 * abs, "laneSum n=" + n);
      assertEquals(exact, Adaptive.innerSum(d), 1e-6 * abs, "innerSum n=" + n);
    }
  }
}
