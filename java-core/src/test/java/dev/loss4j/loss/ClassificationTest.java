package dev.loss4j.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.IndexError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.errors.ValueError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * NLLLoss, CrossEntropyLoss, MultiMarginLoss and MultiLabelMarginLoss: finite-difference gradient checks
 * in float64, edge cases (extreme and non-finite logits, ignored targets, empty batches), PyTorch's
 * errors, and cross-checks between the losses (cross entropy = NLL of a log-softmax computed here).
 * Every expected value is derived in this file, never copied from a PyTorch run.
 */
class ClassificationTest {
  private static final Reduction[] REDUCTIONS = {Reduction.NONE, Reduction.MEAN, Reduction.SUM};
  private final Random rnd = new Random(1234);

  // ---- helpers -------------------------------------------------------------------------------------

  private Tensor randn(int... shape) {
    int n = 1;
    for (int s : shape) {
      n *= s;
    }
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = rnd.nextGaussian();
    }
    return Tensor.ofDoubles(d, shape);
  }

  private Tensor uniform(double lo, double hi, int... shape) {
    Tensor t = randn(shape);
    double[] d = new double[t.numel()];
    for (int i = 0; i < d.length; i++) {
      d[i] = lo + (hi - lo) * rnd.nextDouble();
    }
    return Tensor.ofDoubles(d, shape);
  }

  private static Tensor longs(long[] v, int... shape) {
    return Tensor.ofLongs(v, shape);
  }

  /** sum(g * out), the scalar whose gradient backward(g) computes. */
  private static double dot(Tensor out, Tensor g) {
    double s = 0;
    for (int i = 0; i < out.numel(); i++) {
      s += out.getDouble(i) * g.getDouble(i);
    }
    return s;
  }

  /**
   * Compares the analytic backward of {@code op} with central differences of sum(g * op(inputs)) for every
   * input flagged in {@code needs}.
   */
  private void gradCheck(Differentiable op, Tensor[] inputs, boolean[] needs) {
    Differentiable.Result r = op.apply(inputs, needs);
    Tensor g = randn(r.output().shape());
    Tensor[] analytic = r.backward().backward(g);
    double h = 1e-6;
    for (int k = 0; k < inputs.length; k++) {
      if (!needs[k]) {
        continue;
      }
      double[] base = inputs[k].toDoubleArray();
      for (int j = 0; j < base.length; j++) {
        double[] plus = base.clone();
        double[] minus = base.clone();
        plus[j] += h;
        minus[j] -= h;
        Tensor[] ip = inputs.clone();
        Tensor[] im = inputs.clone();
        ip[k] = Tensor.ofDoubles(plus, inputs[k].shape());
        im[k] = Tensor.ofDoubles(minus, inputs[k].shape());
        double fp = dot(op.apply(ip, new boolean[inputs.length]).output(), g);
        double fm = dot(op.apply(im, new boolean[inputs.length]).output(), g);
        double numeric = (fp - fm) / (2 * h);
        double a = analytic[k].getDouble(j);
        assertEquals(numeric, a, 1e-6 + 1e-5 * Math.abs(numeric),
            op + ": d/d input " + k + " element " + j);
      }
    }
  }

  /** log-softmax over dim 1 of an (N, C, inner) double tensor, computed the textbook way (shifted by max). */
  private static double[] logSoftmax(double[] x, int n, int c, int inner) {
    double[] out = new double[x.length];
    for (int a = 0; a < n; a++) {
      for (int s = 0; s < inner; s++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < c; k++) {
          max = Math.max(max, x[(a * c + k) * inner + s]);
        }
        double sum = 0;
        for (int k = 0; k < c; k++) {
          sum += Math.exp(x[(a * c + k) * inner + s] - max);
        }
        for (int k = 0; k < c; k++) {
          int i = (a * c + k) * inner + s;
          out[i] = x[i] - max - Math.log(sum);
        }
      }
    }
    return out;
  }

  private static void assertTensorClose(Tensor expected, Tensor actual, double tol) {
    assertArrayEquals(expected.shape(), actual.shape());
    for (int i = 0; i < expected.numel(); i++) {
      double e = expected.getDouble(i);
      double a = actual.getDouble(i);
      if (Double.isNaN(e)) {
        assertTrue(Double.isNaN(a), "element " + i + " should be NaN, was " + a);
      } else {
        assertEquals(e, a, tol + tol * Math.abs(e), "element " + i);
      }
    }
  }

  // ---- finite-difference gradient checks (float64) -------------------------------------------------

  @Test
  void nllGradientMatchesFiniteDifferences() {
    Tensor target = longs(new long[] {2, -100, 0, 3}, 4);
    Tensor weight = uniform(0.2, 2.0, 4);
    for (Reduction r : REDUCTIONS) {
      gradCheck(new Classification.NLLLoss(r, -100), new Tensor[] {randn(4, 4), target, weight},
          new boolean[] {true, false, false});
      gradCheck(new Classification.NLLLoss(r, 1), new Tensor[] {randn(2, 3, 2, 2),
          longs(new long[] {0, 1, 2, 2, 1, 1, 0, 2}, 2, 2, 2), null}, new boolean[] {true, false, false});
      gradCheck(new Classification.NLLLoss(r, -100), new Tensor[] {randn(2, 3, 3),
          longs(new long[] {0, 1, 2, 2, 1, 1}, 2, 3), uniform(0.5, 1.5, 3)}, new boolean[] {true, false, false});
    }
  }

  @Test
  void crossEntropyClassTargetGradientMatchesFiniteDifferences() {
    Tensor target = longs(new long[] {2, -100, 0, 4}, 4);
    for (Reduction r : REDUCTIONS) {
      for (double ls : new double[] {0.0, 0.3, 1.0}) {
        gradCheck(new Classification.CrossEntropyLoss(r, -100, ls),
            new Tensor[] {randn(4, 5), target, uniform(0.2, 2.0, 5)}, new boolean[] {true, false, false});
        gradCheck(new Classification.CrossEntropyLoss(r, 1, ls),
            new Tensor[] {randn(2, 3, 2), longs(new long[] {0, 1, 2, 2}, 2, 2), null},
            new boolean[] {true, false, false});
        gradCheck(new Classification.CrossEntropyLoss(r, -100, ls),
            new Tensor[] {randn(5), Tensor.ofLongs(new long[] {3}), null}, new boolean[] {true, false, false});
      }
    }
  }

  @Test
  void crossEntropyProbabilityTargetGradientMatchesFiniteDifferences() {
    for (Reduction r : REDUCTIONS) {
      for (double ls : new double[] {0.0, 0.25}) {
        gradCheck(new Classification.CrossEntropyLoss(r, -100, ls),
            new Tensor[] {randn(3, 4), uniform(0, 1, 3, 4), uniform(0.2, 2.0, 4)},
            new boolean[] {true, true, true});
        gradCheck(new Classification.CrossEntropyLoss(r, -100, ls),
            new Tensor[] {randn(2, 3, 2, 2), uniform(0, 1, 2, 3, 2, 2), null}, new boolean[] {true, true, false});
      }
    }
  }

  @Test
  void multiMarginGradientMatchesFiniteDifferences() {
    for (Reduction r : REDUCTIONS) {
      for (int p : new int[] {1, 2}) {
        for (double margin : new double[] {1.0, 0.3}) {
          gradCheck(new Classification.MultiMarginLoss(p, margin, r),
              new Tensor[] {randn(4, 5), longs(new long[] {0, 4, 2, 2}, 4), uniform(0.2, 2.0, 5)},
              new boolean[] {true, false, false});
          gradCheck(new Classification.MultiMarginLoss(p, margin, r),
              new Tensor[] {randn(5), Tensor.ofLongs(new long[] {1}), null}, new boolean[] {true, false, false});
        }
      }
    }
  }

  @Test
  void multiLabelMarginGradientMatchesFiniteDifferences() {
    Tensor target = longs(new long[] {3, 0, -1, 1, 2, -1, 0, 0, 1, 1, 1, 1}, 3, 4);
    for (Reduction r : REDUCTIONS) {
      gradCheck(new Classification.MultiLabelMarginLoss(r), new Tensor[] {randn(3, 4), target},
          new boolean[] {true, false});
      gradCheck(new Classification.MultiLabelMarginLoss(r),
          new Tensor[] {randn(4), longs(new long[] {2, -1, 0, 0}, 4)}, new boolean[] {true, false});
    }
  }

  // ---- cross-checks --------------------------------------------------------------------------------

  /** CrossEntropy(x) equals NLL(log_softmax(x)) with the log-softmax computed in this test; gradients too. */
  @Test
  void crossEntropyEqualsNllOfLogSoftmax() {
    int n = 3;
    int c = 4;
    int inner = 2;
    Tensor x = randn(n, c, inner);
    Tensor target = longs(new long[] {0, 3, -100, 1, 2, 2}, n, inner);
    Tensor weight = uniform(0.2, 2.0, c);
    double[] ls = logSoftmax(x.toDoubleArray(), n, c, inner);
    Tensor lsT = Tensor.ofDoubles(ls, n, c, inner);
    for (Reduction r : REDUCTIONS) {
      for (Tensor w : new Tensor[] {null, weight}) {
        Differentiable.Result ce = new Classification.CrossEntropyLoss(r, -100, 0.0)
            .apply(new Tensor[] {x, target, w}, new boolean[] {true, false, false});
        Differentiable.Result nll = new Classification.NLLLoss(r, -100)
            .apply(new Tensor[] {lsT, target, w}, new boolean[] {true, false, false});
        assertTensorClose(nll.output(), ce.output(), 1e-12);
        // Chain the NLL gradient through the log-softmax Jacobian: dx_k = g_k - softmax_k * sum_j g_j.
        Tensor g = randn(ce.output().shape());
        Tensor gce = ce.backward().backward(g)[0];
        double[] gl = nll.backward().backward(g)[0].toDoubleArray();
        double[] expected = new double[gl.length];
        for (int a = 0; a < n; a++) {
          for (int s = 0; s < inner; s++) {
            double sum = 0;
            for (int k = 0; k < c; k++) {
              sum += gl[(a * c + k) * inner + s];
            }
            for (int k = 0; k < c; k++) {
              int i = (a * c + k) * inner + s;
              expected[i] = gl[i] - Math.exp(ls[i]) * sum;
            }
          }
        }
        assertTensorClose(Tensor.ofDoubles(expected, n, c, inner), gce, 1e-12);
      }
    }
  }

  /** Label smoothing is (1 - s) * NLL + (s / C) * the smoothing term, reduced over the kept targets. */
  @Test
  void labelSmoothingMatchesItsDefinition() {
    Tensor x = randn(4, 3);
    Tensor target = longs(new long[] {0, 2, -100, 1}, 4);
    double[] w = {0.5, 1.5, 2.0};
    double s = 0.2;
    double[] ls = logSoftmax(x.toDoubleArray(), 4, 3, 1);
    double nllSum = 0;
    double smoothSum = 0;
    double kept = 0;
    for (int a = 0; a < 4; a++) {
      int t = (int) target.getLong(a);
      if (t < 0) {
        continue;
      }
      nllSum -= w[t] * ls[a * 3 + t];
      for (int k = 0; k < 3; k++) {
        smoothSum -= w[k] * ls[a * 3 + k];
      }
      kept += w[t];
    }
    Tensor weight = Tensor.ofDoubles(w, 3);
    double mean = new Classification.CrossEntropyLoss(Reduction.MEAN, -100, s)
        .apply(new Tensor[] {x, target, weight}, new boolean[3]).output().item();
    double sum = new Classification.CrossEntropyLoss(Reduction.SUM, -100, s)
        .apply(new Tensor[] {x, target, weight}, new boolean[3]).output().item();
    assertEquals(((1 - s) * nllSum + s / 3 * smoothSum) / kept, mean, 1e-12);
    assertEquals((1 - s) * nllSum + s / 3 * smoothSum, sum, 1e-12);
  }

  /** One-hot probability targets give the class-index loss (sum and none; mean divides differently only with weights). */
  @Test
  void oneHotProbabilitiesEqualClassIndices() {
    Tensor x = randn(3, 4);
    long[] cls = {2, 0, 3};
    double[] onehot = new double[12];
    for (int a = 0; a < 3; a++) {
      onehot[a * 4 + (int) cls[a]] = 1;
    }
    for (Reduction r : REDUCTIONS) {
      Tensor byIndex = new Classification.CrossEntropyLoss(r, -100, 0)
          .apply(new Tensor[] {x, longs(cls, 3), null}, new boolean[3]).output();
      Tensor byProb = new Classification.CrossEntropyLoss(r, -100, 0)
          .apply(new Tensor[] {x, Tensor.ofDoubles(onehot, 3, 4), null}, new boolean[3]).output();
      assertTensorClose(byIndex, byProb, 1e-12);
    }
  }

  @Test
  void multiMarginMatchesItsDefinition() {
    Tensor x = randn(3, 4);
    long[] y = {1, 3, 0};
    double margin = 0.7;
    double[] xs = x.toDoubleArray();
    double total = 0;
    for (int a = 0; a < 3; a++) {
      for (int i = 0; i < 4; i++) {
        if (i != y[a]) {
          double z = Math.max(0, margin - xs[a * 4 + (int) y[a]] + xs[a * 4 + i]);
          total += z * z / 4;
        }
      }
    }
    double sum = new Classification.MultiMarginLoss(2, margin, Reduction.SUM)
        .apply(new Tensor[] {x, longs(y, 3), null}, new boolean[3]).output().item();
    assertEquals(total, sum, 1e-12);
  }

  // ---- edge cases ----------------------------------------------------------------------------------

  @Test
  void extremeLogitsStayFinite() {
    Tensor x = Tensor.ofDoubles(new double[] {1e4, -1e4, 0.0, 1e4, -1e4, 0.0}, 2, 3);
    Differentiable.Result r = new Classification.CrossEntropyLoss(Reduction.NONE, -100, 0)
        .apply(new Tensor[] {x, longs(new long[] {0, 1}, 2), null}, new boolean[] {true, false, false});
    // log-sum-exp of {1e4, -1e4, 0} is 1e4 in double: the losses are 0 and 2e4.
    assertEquals(0.0, r.output().getDouble(0), 0.0);
    assertEquals(2e4, r.output().getDouble(1), 0.0);
    Tensor g = r.backward().backward(Tensor.ofDoubles(new double[] {1, 1}, 2))[0];
    // softmax is (1, 0, 0): the gradient is softmax - onehot.
    assertArrayEquals(new double[] {0, 0, 0, 1, -1, 0}, g.toDoubleArray(), 1e-12);
    // float32 too: 1e4 logits must not overflow exp.
    Tensor xf = Tensor.ofFloats(new float[] {1e4f, -1e4f, 0f}, 1, 3);
    Tensor lf = new Classification.CrossEntropyLoss(Reduction.SUM, -100, 0)
        .apply(new Tensor[] {xf, longs(new long[] {2}, 1), null}, new boolean[3]).output();
    assertEquals(DType.FLOAT32, lf.dtype());
    assertEquals(1e4, lf.item(), 0.0);
  }

  @Test
  void negativeInfinityLogits() {
    double inf = Double.POSITIVE_INFINITY;
    Tensor x = Tensor.ofDoubles(new double[] {0, -inf, 1, -inf, -inf, -inf}, 2, 3);
    Differentiable.Result r = new Classification.CrossEntropyLoss(Reduction.NONE, -100, 0)
        .apply(new Tensor[] {x, longs(new long[] {0, 0}, 2), null}, new boolean[] {true, false, false});
    assertEquals(Math.log(1 + Math.E), r.output().getDouble(0), 1e-12);
    assertTrue(Double.isNaN(r.output().getDouble(1)), "a row of -inf has no softmax");
    Tensor g = r.backward().backward(Tensor.ofDoubles(new double[] {1, 0}, 2))[0];
    assertEquals(0.0, g.getDouble(1), 0.0, "no gradient reaches a -inf logit");
    assertEquals(1 / (1 + Math.E) - 1, g.getDouble(0), 1e-12);
    // The -inf class as the target: infinite loss.
    double l = new Classification.CrossEntropyLoss(Reduction.SUM, -100, 0)
        .apply(new Tensor[] {x, longs(new long[] {1, -100}, 2), null}, new boolean[3]).output().item();
    assertEquals(inf, l);
  }

  @Test
  void nanLogitsPropagate() {
    Tensor x = Tensor.ofDoubles(new double[] {Double.NaN, 0, 1, 0, 1, 2}, 2, 3);
    Tensor out = new Classification.CrossEntropyLoss(Reduction.NONE, -100, 0)
        .apply(new Tensor[] {x, longs(new long[] {1, 1}, 2), null}, new boolean[3]).output();
    assertTrue(Double.isNaN(out.getDouble(0)));
    assertTrue(Double.isFinite(out.getDouble(1)));
  }

  @Test
  void allIgnoredTargets() {
    Tensor x = randn(3, 4);
    Tensor t = longs(new long[] {-100, -100, -100}, 3);
    for (double ls : new double[] {0.0, 0.1}) {
      Differentiable.Result mean = new Classification.CrossEntropyLoss(Reduction.MEAN, -100, ls)
          .apply(new Tensor[] {x, t, null}, new boolean[] {true, false, false});
      assertTrue(Double.isNaN(mean.output().item()), "mean over no kept target is 0/0");
      assertArrayEquals(new double[12], mean.backward().backward(Tensor.scalar(1, DType.FLOAT64))[0].toDoubleArray());
      double sum = new Classification.CrossEntropyLoss(Reduction.SUM, -100, ls)
          .apply(new Tensor[] {x, t, null}, new boolean[3]).output().item();
      assertEquals(0.0, sum, 0.0);
    }
    assertTrue(Double.isNaN(new Classification.NLLLoss(Reduction.MEAN, -100)
        .apply(new Tensor[] {x, t, null}, new boolean[3]).output().item()));
  }

  @Test
  void emptyBatch() {
    Tensor x = Tensor.zeros(DType.FLOAT64, 0, 4);
    Tensor t = Tensor.zeros(DType.INT64, 0);
    Classification.NLLLoss none = new Classification.NLLLoss(Reduction.NONE, -100);
    assertArrayEquals(new int[] {0}, none.apply(new Tensor[] {x, t, null}, new boolean[3]).output().shape());
    assertTrue(Double.isNaN(new Classification.NLLLoss(Reduction.MEAN, -100)
        .apply(new Tensor[] {x, t, null}, new boolean[3]).output().item()));
    assertEquals(0.0, new Classification.CrossEntropyLoss(Reduction.SUM, -100, 0)
        .apply(new Tensor[] {x, t, null}, new boolean[3]).output().item());
    // Probability targets: the mean of nothing is NaN and sends back zeros.
    Differentiable.Result prob = new Classification.CrossEntropyLoss(Reduction.MEAN, -100, 0)
        .apply(new Tensor[] {x, Tensor.zeros(DType.FLOAT64, 0, 4), Tensor.full(1, DType.FLOAT64, 4)},
            new boolean[] {true, true, true});
    assertTrue(Double.isNaN(prob.output().item()));
    assertEquals("NegBackward0", prob.gradFnName());
    assertArrayEquals(new double[4], prob.backward().backward(Tensor.scalar(1, DType.FLOAT64))[2].toDoubleArray());
    Tensor mm = new Classification.MultiMarginLoss(1, 1, Reduction.NONE)
        .apply(new Tensor[] {x, t, null}, new boolean[3]).output();
    assertArrayEquals(new int[] {0}, mm.shape());
  }

  @Test
  void gradFnNamesFollowTheKernelPyTorchPicks() {
    Tensor t2 = longs(new long[] {0, 1}, 2);
    boolean[] grad = {true, false, false};
    assertEquals("NllLossBackward0", new Classification.NLLLoss(Reduction.MEAN, -100)
        .apply(new Tensor[] {randn(2, 3), t2, null}, grad).gradFnName());
    assertEquals("NllLoss2DBackward0", new Classification.NLLLoss(Reduction.NONE, -100)
        .apply(new Tensor[] {randn(2, 3, 1, 1), longs(new long[] {0, 1}, 2, 1, 1), null}, grad).gradFnName());
    assertEquals("ViewBackward0", new Classification.NLLLoss(Reduction.NONE, -100)
        .apply(new Tensor[] {randn(2, 3, 1), longs(new long[] {0, 1}, 2, 1), null}, grad).gradFnName());
    assertEquals("AddBackward0", new Classification.CrossEntropyLoss(Reduction.MEAN, -100, 0.1)
        .apply(new Tensor[] {randn(2, 3), t2, null}, grad).gradFnName());
    assertEquals("DivBackward1", new Classification.CrossEntropyLoss(Reduction.MEAN, -100, 0)
        .apply(new Tensor[] {randn(2, 3), uniform(0, 1, 2, 3), null}, grad).gradFnName());
  }

  // ---- errors --------------------------------------------------------------------------------------

  @Test
  void errorsCarryPyTorchsClassAndMessage() {
    Variable x = Variable.leaf(randn(3, 5), true);
    Variable oob = Variable.constant(longs(new long[] {0, 1, 5}, 3));
    IndexError ie = assertThrows(IndexError.class,
        () -> Classification.nllLoss(x, oob, null, null, -100, null, "mean"));
    assertEquals("Target 5 is out of bounds.", ie.getMessage());
    RuntimeError re = assertThrows(RuntimeError.class, () -> Classification.nllLoss(x,
        Variable.constant(Tensor.ofDoubles(new double[] {0, 1, 2}, 3)), null, null, -100, null, "mean"));
    assertEquals("expected target dtype to be Long or Byte, but got Double", re.getMessage());
    ValueError ve = assertThrows(ValueError.class, () -> Classification.crossEntropy(x,
        Variable.constant(longs(new long[] {0, 1}, 2)), null, null, -100, null, "mean", 0.0));
    assertEquals("Expected input batch_size (3) to match target batch_size (2).", ve.getMessage());
    ValueError p3 = assertThrows(ValueError.class, () -> Classification.multiMarginLoss(x,
        Variable.constant(longs(new long[] {0, 1, 2}, 3)), 3, 1.0, null, null, null, "mean"));
    assertEquals("only p == 1 and p == 2 supported", p3.getMessage());
    // PyTorch 1.13 reads past a short weight; loss4j raises the check later PyTorch releases make.
    RuntimeError shortWeight = assertThrows(RuntimeError.class, () -> Classification.multiMarginLoss(x,
        Variable.constant(longs(new long[] {0, 1, 4}, 3)), 1, 1.0,
        Variable.constant(Tensor.ofDoubles(new double[] {1, 2}, 2)), null, null, "mean"));
    assertEquals("inconsistent weight size, expected 5 but got [2]", shortWeight.getMessage());
    RuntimeError ign = assertThrows(RuntimeError.class, () -> Classification.crossEntropy(x,
        Variable.constant(uniform(0, 1, 3, 5)), null, null, 0, null, "mean", 0.0));
    assertEquals("ignore_index is not supported for floating point target", ign.getMessage());
    RuntimeError smoothing = assertThrows(RuntimeError.class, () -> Classification.crossEntropy(x,
        Variable.constant(longs(new long[] {0, 1, 2}, 3)), null, null, -100, null, "mean", 1.5));
    assertEquals("label_smoothing must be between 0.0 and 1.0. Got: 1.5", smoothing.getMessage());
    ValueError legacyWarned = assertThrows(ValueError.class, () -> Classification.nllLoss(Variable.constant(
        Tensor.scalar(1, DType.FLOAT64)), oob, null, false, -100, null, "mean"));
    assertEquals(1, legacyWarned.warnings().size());
  }

  @Test
  void cppDoubleFormatting() {
    assertEquals("1.5", Classification.cppDouble(1.5));
    assertEquals("2", Classification.cppDouble(2.0));
    assertEquals("1", Classification.cppDouble(1.0000001));
    assertEquals("1.25e+10", Classification.cppDouble(1.25e10));
    assertEquals("1e-05", Classification.cppDouble(1e-5));
  }

  @Test
  void functionalOutcomeKeepsTheGraph() {
    Variable x = Variable.leaf(randn(2, 3), true);
    Functional.Outcome o = Classification.crossEntropy(x, Variable.constant(longs(new long[] {1, 2}, 2)), null,
        null, -100, null, "elementwise_mean", 0.0);
    assertEquals(1, o.warnings().size());
    o.value().backward();
    assertArrayEquals(new int[] {2, 3}, x.grad().shape());
    assertNull(Classification.multilabelMarginLoss(Variable.constant(randn(2, 3)),
        Variable.constant(longs(new long[] {0, -1, 0, 1, 2, -1}, 2, 3)), null, null, "sum").value().gradFnName());
  }

  @Test
  void zeroLogitsGiveLogOfTheClassCount() {
    Tensor x = Tensor.zeros(DType.FLOAT64, 2, 5);
    Classification.CrossEntropyLoss ce = new Classification.CrossEntropyLoss(Reduction.NONE, -100, 0);
    Variable xv = Variable.leaf(x, true);
    Variable out = ce.forward(xv, Variable.constant(longs(new long[] {1, 4}, 2)), null);
    assertArrayEquals(new double[] {Math.log(5), Math.log(5)}, out.data().toDoubleArray(), 1e-15);
    out.backward(Tensor.ofDoubles(new double[] {1, 1}, 2));
    double[] g = xv.grad().toDoubleArray();
    for (int i = 0; i < 10; i++) {
      double expected = 0.2 - (i == 1 || i == 9 ? 1 : 0);
      assertEquals(expected, g[i], 1e-15);
    }
    // Equal scores: every multi-margin term is the margin itself.
    double mm = new Classification.MultiMarginLoss(1, 0.5, Reduction.SUM)
        .forward(x, longs(new long[] {0, 3}, 2), null).item();
    assertEquals(2 * 4 * 0.5 / 5, mm, 1e-15);
    double mlm = new Classification.MultiLabelMarginLoss(Reduction.MEAN)
        .forward(x, longs(new long[] {0, -1, 0, 0, 0, 1, 2, -1, 0, 0}, 2, 5)).item();
    // Row 1: one label against 4 others; row 2: two labels against 3 others; each term 1, divided by C = 5.
    assertEquals((4.0 / 5 + 6.0 / 5) / 2, mlm, 1e-15);
  }
}
