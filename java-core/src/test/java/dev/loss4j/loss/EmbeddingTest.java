package dev.loss4j.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.errors.TorchException;
import dev.loss4j.errors.ValueError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The embedding family: analytic gradients against central differences (float64), named edge cases, and
 * cross-checks between losses that coincide. Expected values are derived from the definitions, never
 * copied from PyTorch (the parity suite does that).
 */
class EmbeddingTest {
  private static final double H = 1e-6;

  // ---- helpers --------------------------------------------------------------------------------------

  private static Tensor randn(Random rnd, int... shape) {
    int n = 1;
    for (int s : shape) {
      n *= s;
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextGaussian();
    }
    return Tensor.ofDoubles(v, shape);
  }

  private static Tensor signs(Random rnd, int... shape) {
    int n = 1;
    for (int s : shape) {
      n *= s;
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextBoolean() ? 1 : -1;
    }
    return Tensor.ofDoubles(v, shape);
  }

  private static Tensor with(Tensor t, int i, double delta) {
    double[] v = t.toDoubleArray();
    v[i] += delta;
    return Tensor.ofDoubles(v, t.shape());
  }

  /** sum(w * f(inputs)): a scalar whose gradient is the backward of f at output gradient w. */
  private static double weighted(Function<Variable[], Variable> f, Tensor[] inputs, Tensor w) {
    Variable[] vs = new Variable[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      vs[i] = Variable.constant(inputs[i]);
    }
    Tensor out = f.apply(vs).data();
    double s = 0;
    for (int i = 0; i < out.numel(); i++) {
      s += out.getDouble(i) * (w == null ? 1 : w.getDouble(i));
    }
    return s;
  }

  /**
   * Checks the analytic gradient of every input in {@code differentiable} against central differences,
   * with a random output gradient when the output is not a scalar.
   */
  private static void checkGradients(Function<Variable[], Variable> f, Tensor[] inputs, boolean[] differentiable,
                                     long seed) {
    Variable[] vs = new Variable[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      vs[i] = Variable.leaf(inputs[i], differentiable[i]);
    }
    Variable out = f.apply(vs);
    Tensor w = out.data().dim() == 0 ? null : randn(new Random(seed), out.data().shape());
    out.backward(w == null ? Tensor.scalar(1.0, DType.FLOAT64) : w);
    for (int k = 0; k < inputs.length; k++) {
      if (!differentiable[k]) {
        continue;
      }
      Tensor analytic = vs[k].grad();
      for (int i = 0; i < inputs[k].numel(); i++) {
        Tensor[] plus = inputs.clone();
        Tensor[] minus = inputs.clone();
        plus[k] = with(inputs[k], i, H);
        minus[k] = with(inputs[k], i, -H);
        double numeric = (weighted(f, plus, w) - weighted(f, minus, w)) / (2 * H);
        assertEquals(numeric, analytic.getDouble(i), 1e-5 * Math.max(1, Math.abs(numeric)),
            "gradient of input " + k + " at element " + i);
      }
    }
  }

  private static Variable v(double... values) {
    return Variable.leaf(Tensor.ofDoubles(values, values.length), true);
  }

  private static Variable c(double... values) {
    return Variable.constant(Tensor.ofDoubles(values, values.length));
  }

  // ---- finite differences ---------------------------------------------------------------------------

  @Test
  void marginRankingGradientsOfBothInputsAndTargetMatchFiniteDifferences() {
    Random rnd = new Random(1);
    for (Reduction r : new Reduction[] {Reduction.NONE, Reduction.MEAN, Reduction.SUM}) {
      Embedding.MarginRankingLoss loss = new Embedding.MarginRankingLoss(0.3, r);
      checkGradients(a -> loss.forward(a[0], a[1], a[2]),
          new Tensor[] {randn(rnd, 6), randn(rnd, 6), randn(rnd, 6)}, new boolean[] {true, true, true}, 11);
    }
  }

  @Test
  void hingeEmbeddingGradientMatchesFiniteDifferences() {
    Random rnd = new Random(2);
    for (Reduction r : new Reduction[] {Reduction.NONE, Reduction.MEAN, Reduction.SUM}) {
      Embedding.HingeEmbeddingLoss loss = new Embedding.HingeEmbeddingLoss(0.7, r);
      checkGradients(a -> loss.forward(a[0], a[1]), new Tensor[] {randn(rnd, 3, 4), signs(rnd, 3, 4)},
          new boolean[] {true, false}, 12);
    }
  }

  @Test
  void cosineEmbeddingGradientsMatchFiniteDifferencesBatchedAndUnbatched() {
    Random rnd = new Random(3);
    for (Reduction r : new Reduction[] {Reduction.NONE, Reduction.MEAN, Reduction.SUM}) {
      Embedding.CosineEmbeddingLoss loss = new Embedding.CosineEmbeddingLoss(-0.2, r);
      checkGradients(a -> loss.forward(a[0], a[1], a[2]), new Tensor[] {randn(rnd, 5, 3), randn(rnd, 5, 3),
          signs(rnd, 5)}, new boolean[] {true, true, false}, 13);
      checkGradients(a -> loss.forward(a[0], a[1], a[2]), new Tensor[] {randn(rnd, 4), randn(rnd, 4),
          Tensor.scalar(-1, DType.FLOAT64)}, new boolean[] {true, true, false}, 14);
      // input2 broadcast over the batch: its gradient sums over the rows.
      checkGradients(a -> loss.forward(a[0], a[1], a[2]), new Tensor[] {randn(rnd, 5, 3), randn(rnd, 1, 3),
          signs(rnd, 5)}, new boolean[] {true, true, false}, 15);
    }
  }

  @Test
  void tripletMarginGradientsMatchFiniteDifferencesForEveryNorm() {
    Random rnd = new Random(4);
    for (double p : new double[] {1, 2, 3, 0.5, 1.5, -1}) {
      for (boolean swap : new boolean[] {false, true}) {
        Embedding.TripletMarginLoss loss = new Embedding.TripletMarginLoss(2.0, p, 1e-6, swap, Reduction.NONE);
        checkGradients(a -> loss.forward(a[0], a[1], a[2]), new Tensor[] {randn(rnd, 4, 3), randn(rnd, 4, 3),
            randn(rnd, 4, 3)}, new boolean[] {true, true, true}, 16);
      }
    }
  }

  @Test
  void tripletMarginWithDistanceGradientsMatchFiniteDifferences() {
    Random rnd = new Random(5);
    for (boolean swap : new boolean[] {false, true}) {
      Embedding.TripletMarginWithDistanceLoss loss =
          new Embedding.TripletMarginWithDistanceLoss(null, 1.5, swap, Reduction.SUM);
      checkGradients(a -> loss.forward(a[0], a[1], a[2]), new Tensor[] {randn(rnd, 3, 5), randn(rnd, 3, 5),
          randn(rnd, 3, 5)}, new boolean[] {true, true, true}, 17);
    }
  }

  @Test
  void pairwiseDistanceGradientsMatchFiniteDifferences() {
    Random rnd = new Random(6);
    for (double p : new double[] {1, 2, 3, Double.POSITIVE_INFINITY}) {
      Embedding.PairwiseDistance d = new Embedding.PairwiseDistance(p, 1e-6, true);
      checkGradients(a -> d.forward(a[0], a[1]), new Tensor[] {randn(rnd, 2, 3, 4), randn(rnd, 3, 4)},
          new boolean[] {true, true}, 18);
    }
  }

  // ---- edge cases -----------------------------------------------------------------------------------

  @Test
  void marginRankingTieAtZeroPassesTheGradient() {
    // x1 == x2 and margin 0: the hinge sits exactly at 0, where clamp_min's subgradient is 1.
    Variable x1 = v(1.5, -2.0);
    Variable x2 = v(1.5, -2.0);
    Variable y = v(1, -1);
    Variable out = new Embedding.MarginRankingLoss(0, Reduction.SUM).forward(x1, x2, y);
    out.backward();
    assertEquals(0.0, out.data().item());
    assertArrayEquals(new double[] {-1, 1}, x1.grad().toDoubleArray(), 0);
    assertArrayEquals(new double[] {1, -1}, x2.grad().toDoubleArray(), 0);
    assertArrayEquals(new double[] {0, 0}, y.grad().toDoubleArray(), 0);
  }

  @Test
  void hingeTargetThatIsNeitherOneNorMinusOneAddsBothTerms() {
    double margin = 1.0;
    double[] x = {0.25, 2.0, -0.5};
    Variable in = v(x);
    Variable out = new Embedding.HingeEmbeddingLoss(margin, Reduction.NONE).forward(in, c(0, 0, 0));
    for (int i = 0; i < x.length; i++) {
      assertEquals(x[i] + Math.max(0, margin - x[i]), out.data().getDouble(i), 1e-15);
    }
  }

  @Test
  void hingeTargetGetsNoGradientAndAnIntegerInputStaysInteger() {
    Variable x = v(0.5, 2.0);
    Variable y = v(-1, 1);
    new Embedding.HingeEmbeddingLoss().forward(x, y).backward();
    assertNull(y.grad());
    Tensor ints = Tensor.ofLongs(new long[] {0, 3}, 2);
    Tensor out = new Embedding.HingeEmbeddingLoss(1.5, Reduction.NONE)
        .forward(Variable.constant(ints), c(-1, -1)).data();
    assertEquals(DType.INT64, out.dtype());
    // The margin is truncated to 1 for an integer input: max(0, 1 - 0), max(0, 1 - 3).
    assertArrayEquals(new long[] {1, 0}, out.toLongArray());
  }

  @Test
  void extremeHingeInputsSaturateWithoutNaN() {
    Variable x = v(1e300, -1e300, Double.POSITIVE_INFINITY);
    Variable out = new Embedding.HingeEmbeddingLoss(1.0, Reduction.NONE).forward(x, c(-1, -1, -1));
    out.backward(Tensor.full(1.0, DType.FLOAT64, 3));
    assertArrayEquals(new double[] {0, 1 + 1e300, 0}, out.data().toDoubleArray());
    assertArrayEquals(new double[] {0, -1, 0}, x.grad().toDoubleArray(), 0);
  }

  @Test
  void cosineOfAZeroVectorIsZeroThanksToEpsilon() {
    Variable a = v(0, 0, 0);
    Variable b = v(1, 2, 3);
    Variable out = new Embedding.CosineEmbeddingLoss(0, Reduction.SUM).forward(a, b,
        Variable.constant(Tensor.scalar(1, DType.FLOAT64)));
    out.backward();
    assertEquals(1.0, out.data().item(), 1e-15);
    for (double g : a.grad().toDoubleArray()) {
      assertTrue(Double.isFinite(g));
    }
  }

  @Test
  void cosineOfParallelAndAntiParallelVectors() {
    Variable a = Variable.constant(Tensor.ofDoubles(new double[] {1, 2, 3, 1, 2, 3}, 2, 3));
    Variable b = Variable.constant(Tensor.ofDoubles(new double[] {2, 4, 6, -1, -2, -3}, 2, 3));
    // y = 1 on the parallel pair: 1 - cos = 0; y = -1 on the anti-parallel pair: max(0, -1 - margin) = 0.
    Tensor out = new Embedding.CosineEmbeddingLoss(0.5, Reduction.NONE).forward(a, b, c(1, -1)).data();
    assertEquals(0.0, out.getDouble(0), 1e-12);
    assertEquals(0.0, out.getDouble(1), 1e-12);
    Tensor flipped = new Embedding.CosineEmbeddingLoss(0.5, Reduction.NONE).forward(a, b, c(-1, 1)).data();
    assertEquals(0.5, flipped.getDouble(0), 1e-12);
    assertEquals(2.0, flipped.getDouble(1), 1e-12);
  }

  @Test
  void emptyBatchesReduceToNaNZeroOrEmpty() {
    Tensor empty = Tensor.zeros(DType.FLOAT32, 0, 4);
    Tensor emptyT = Tensor.zeros(DType.FLOAT32, 0);
    Variable a = Variable.leaf(empty, true);
    assertTrue(Double.isNaN(new Embedding.CosineEmbeddingLoss().forward(a, a, Variable.constant(emptyT)).data().item()));
    assertEquals(0.0, new Embedding.TripletMarginLoss(1, 2, 1e-6, false, Reduction.SUM)
        .forward(empty, empty, empty).item());
    assertArrayEquals(new int[] {0}, new Embedding.TripletMarginLoss(1, 2, 1e-6, true, Reduction.NONE)
        .forward(empty, empty, empty).shape());
    Variable x = Variable.leaf(emptyT, true);
    Variable mean = new Embedding.MarginRankingLoss().forward(x, x, Variable.constant(emptyT));
    assertTrue(Double.isNaN(mean.data().item()));
    mean.backward();
    assertEquals(0, x.grad().numel());
  }

  @Test
  void nanPropagatesToTheLossButAnInactiveHingeBlocksItsGradient() {
    Variable x1 = v(Double.NaN, 0.0);
    Variable out = new Embedding.MarginRankingLoss(0, Reduction.NONE).forward(x1, c(0, -5), c(1, 1));
    out.backward(Tensor.full(1.0, DType.FLOAT64, 2));
    assertTrue(Double.isNaN(out.data().getDouble(0)));
    // clamp_min's backward tests u >= 0: false for NaN and for the inactive u = -5, so both get 0.
    assertArrayEquals(new double[] {0, 0}, x1.grad().toDoubleArray(), 0);
  }

  @Test
  void tripletSwapTieSplitsTheGradientInHalf() {
    // anchor == positive makes d(a, n) == d(p, n) exactly: minimum's backward halves the gradient.
    Tensor a = Tensor.ofDoubles(new double[] {0.5, -1.0, 2.0}, 1, 3);
    Tensor n = Tensor.ofDoubles(new double[] {0.0, 1.0, 0.5}, 1, 3);
    Variable anchor = Variable.leaf(a, true);
    Variable positive = Variable.leaf(a, true);
    Variable negative = Variable.leaf(n, true);
    new Embedding.TripletMarginLoss(10, 2, 0, true, Reduction.SUM).forward(anchor, positive, negative).backward();
    Variable anchor2 = Variable.leaf(a, true);
    new Embedding.TripletMarginLoss(10, 2, 0, false, Reduction.SUM)
        .forward(anchor2, Variable.constant(a), Variable.leaf(n, true)).backward();
    // Without swap the anchor gets -d(a,n)/da; with the tie it gets half of it, the positive the other half.
    double[] full = anchor2.grad().toDoubleArray();
    double[] half = anchor.grad().toDoubleArray();
    double[] pos = positive.grad().toDoubleArray();
    for (int i = 0; i < 3; i++) {
      assertEquals(full[i] / 2, half[i], 1e-12);
      assertEquals(full[i] / 2, pos[i], 1e-12);
    }
  }

  @Test
  void pNormZeroCountsNonZerosAndGivesNoGradient() {
    Variable x = Variable.leaf(Tensor.ofDoubles(new double[] {1, 2, 3, 4}, 2, 2), true);
    Variable y = Variable.constant(Tensor.ofDoubles(new double[] {1, 0, 3, 4}, 2, 2));
    Variable d = new Embedding.PairwiseDistance(0, 0, false).forward(x, y);
    assertArrayEquals(new double[] {1, 0}, d.data().toDoubleArray());
    assertEquals("NormBackward1", d.gradFnName());
    d.backward(Tensor.full(1.0, DType.FLOAT64, 2));
    assertNull(x.grad());
  }

  @Test
  void unbatchedTripletGivesAScalarPerTriplet() {
    Tensor a = Tensor.ofDoubles(new double[] {0, 0}, 2);
    Tensor p = Tensor.ofDoubles(new double[] {3, 4}, 2);
    Tensor n = Tensor.ofDoubles(new double[] {6, 8}, 2);
    Tensor out = new Embedding.TripletMarginLoss(1, 2, 0, false, Reduction.NONE).forward(a, p, n);
    assertEquals(0, out.dim());
    assertEquals(Math.max(0, 5 - 10 + 1), out.item(), 1e-12);
  }

  // ---- cross-checks ---------------------------------------------------------------------------------

  @Test
  void tripletWithDefaultDistanceEqualsTripletMarginWithTwoNorm() {
    Random rnd = new Random(7);
    Tensor[] t = {randn(rnd, 5, 4), randn(rnd, 5, 4), randn(rnd, 5, 4)};
    for (boolean swap : new boolean[] {false, true}) {
      Variable[] x = leaves(t);
      Variable[] y = leaves(t);
      Variable a = new Embedding.TripletMarginLoss(0.8, 2, 1e-6, swap, Reduction.MEAN).forward(x[0], x[1], x[2]);
      Variable b = new Embedding.TripletMarginWithDistanceLoss(null, 0.8, swap, Reduction.MEAN)
          .forward(y[0], y[1], y[2]);
      a.backward();
      b.backward();
      assertEquals(a.data().item(), b.data().item(), 1e-12);
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(x[i].grad().toDoubleArray(), y[i].grad().toDoubleArray(), 1e-12);
      }
    }
  }

  @Test
  void tripletWithACustomDistanceEqualsTripletMarginWithThatNorm() {
    Random rnd = new Random(8);
    Tensor[] t = {randn(rnd, 4, 3), randn(rnd, 4, 3), randn(rnd, 4, 3)};
    Embedding.PairwiseDistance l1 = new Embedding.PairwiseDistance(1, 1e-6, false);
    Variable[] x = leaves(t);
    Variable[] y = leaves(t);
    Variable a = new Embedding.TripletMarginLoss(1, 1, 1e-6, true, Reduction.SUM).forward(x[0], x[1], x[2]);
    Variable b = new Embedding.TripletMarginWithDistanceLoss(l1::forward, 1, true, Reduction.SUM)
        .forward(y[0], y[1], y[2]);
    a.backward();
    b.backward();
    assertEquals(a.data().item(), b.data().item(), 1e-12);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(x[i].grad().toDoubleArray(), y[i].grad().toDoubleArray(), 1e-12);
    }
  }

  @Test
  void marginRankingAgainstZeroWithNegativeTargetIsTheHingeOfItsNegativeSide() {
    // max(0, -(-1)(0 - x) + m) = max(0, m - x): HingeEmbeddingLoss with target -1.
    double[] x = {-1.0, 0.2, 0.9, 3.0};
    Tensor margin = new Embedding.MarginRankingLoss(0.7, Reduction.NONE)
        .forward(c(0, 0, 0, 0), c(x), c(-1, -1, -1, -1)).data();
    Tensor hinge = new Embedding.HingeEmbeddingLoss(0.7, Reduction.NONE).forward(c(x), c(-1, -1, -1, -1)).data();
    assertArrayEquals(hinge.toDoubleArray(), margin.toDoubleArray(), 1e-15);
  }

  @Test
  void batchedCosineRowsEqualUnbatchedCalls() {
    Random rnd = new Random(9);
    Tensor a = randn(rnd, 3, 4);
    Tensor b = randn(rnd, 3, 4);
    Tensor y = signs(rnd, 3);
    Embedding.CosineEmbeddingLoss loss = new Embedding.CosineEmbeddingLoss(0.1, Reduction.NONE);
    Tensor batched = loss.forward(Variable.constant(a), Variable.constant(b), Variable.constant(y)).data();
    for (int row = 0; row < 3; row++) {
      double[] ar = java.util.Arrays.copyOfRange(a.toDoubleArray(), 4 * row, 4 * row + 4);
      double[] br = java.util.Arrays.copyOfRange(b.toDoubleArray(), 4 * row, 4 * row + 4);
      Tensor one = loss.forward(c(ar), c(br), Variable.constant(Tensor.scalar(y.getDouble(row), DType.FLOAT64)))
          .data();
      assertEquals(one.item(), batched.getDouble(row), 1e-15);
    }
  }

  // ---- errors ---------------------------------------------------------------------------------------

  @Test
  void errorsCarryPyTorchsClassAndMessage() {
    TorchException e = assertThrows(RuntimeError.class, () -> Embedding.marginRankingLoss(c(1, 2), c(1, 2),
        Variable.constant(Tensor.ofDoubles(new double[] {1, 1}, 2, 1)), 0, null, null, "mean"));
    assertEquals("margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: "
        + "torch.Size([2]), input2: torch.Size([2]), target: torch.Size([2, 1]) ", e.getMessage());
    e = assertThrows(ValueError.class, () -> Embedding.hingeEmbeddingLoss(c(1), c(1), 1, null, null, "avg"));
    assertEquals("avg is not a valid value for reduction", e.getMessage());
    e = assertThrows(RuntimeError.class, () -> Embedding.cosineEmbeddingLoss(c(1, 2), c(1, 2), c(1), 0, null, null,
        "mean"));
    assertEquals("1D target tensor expects 2D input tensors, but found inputs with sizes [2] and [2].", e.getMessage());
    Variable m = Variable.constant(Tensor.ofDoubles(new double[] {1, 2, 3, 4}, 2, 2));
    e = assertThrows(RuntimeError.class, () -> Embedding.cosineEmbeddingLoss(m, c(1, 2), c(1, 1), 0, null, null,
        "mean"));
    assertEquals("1D target tensor expects 2D input tensors, but found inputs with sizes [2, 2] and [2].",
        e.getMessage());
    e = assertThrows(RuntimeError.class, () -> Embedding.tripletMarginLoss(m, c(1, 2), m, 1, 2, 1e-6, false, null,
        null, "mean"));
    assertEquals("The anchor, positive, and negative tensors are expected to have the same number of dimensions, but"
        + " got: anchor 2D, positive 1D, and negative 2D inputs", e.getMessage());
    e = assertThrows(ValueError.class, () -> Embedding.tripletMarginLoss(m, m, m, 1, 2, 1e-6, false, null, null,
        "bad"));
    assertEquals("bad is not a valid value for reduction", e.getMessage());
  }

  @Test
  void legacyFlagsWarnAndPickTheReduction() {
    Functional.Outcome o = Embedding.marginRankingLoss(c(1, 2), c(0, 0), c(-1, -1), 0, false, null, "mean");
    assertEquals(List.of("size_average and reduce args will be deprecated, please use reduction='sum' instead."),
        o.warnings());
    assertEquals(3.0, o.value().data().item(), 0);
  }

  private static Variable[] leaves(Tensor[] t) {
    Variable[] out = new Variable[t.length];
    for (int i = 0; i < t.length; i++) {
      out[i] = Variable.leaf(t[i], true);
    }
    return out;
  }
}
