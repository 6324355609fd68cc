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
import dev.loss4j.kernel.GlibcFloat;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** CTCLoss: finite differences against the analytic backward, brute-force alignment sums, edge cases. */
class SequenceTest {

  /** log_softmax over the last dimension of a row-major (rows, c) array. */
  private static double[] logSoftmax(double[] z, int c) {
    double[] out = new double[z.length];
    for (int row = 0; row < z.length / c; row++) {
      double m = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < c; j++) {
        m = Math.max(m, z[row * c + j]);
      }
      double s = 0;
      for (int j = 0; j < c; j++) {
        s += Math.exp(z[row * c + j] - m);
      }
      double lse = m + Math.log(s);
      for (int j = 0; j < c; j++) {
        out[row * c + j] = z[row * c + j] - lse;
      }
    }
    return out;
  }

  private static double[] randn(Random rnd, int n, double scale) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = rnd.nextGaussian() * scale;
    }
    return a;
  }

  private static Tensor lp(double[] z, int... shape) {
    return Tensor.ofDoubles(logSoftmax(z, shape[shape.length - 1]), shape);
  }

  /**
   * ctc_loss's gradient is the derivative with respect to the logits z when log_probs = log_softmax(z):
   * checked against central differences of loss(log_softmax(z)) for each reduction, float64.
   */
  @Test
  void finiteDifferencesThroughLogSoftmax() {
    Random rnd = new Random(11);
    int t = 7;
    int n = 3;
    int c = 5;
    long[] targets = {1, 2, 2, 4, 3, 1, 0, 0, 4, 4, 1, 0};
    long[] il = {7, 6, 5};
    long[] tl = {4, 2, 2};
    for (Reduction red : new Reduction[] {Reduction.NONE, Reduction.MEAN, Reduction.SUM}) {
      double[] z = randn(rnd, t * n * c, 1.0);
      double[] w = red == Reduction.NONE ? randn(rnd, n, 1.0) : new double[] {1.0};
      Sequence.CTCLoss loss = new Sequence.CTCLoss(0, red, false);
      Variable x = Variable.leaf(lp(z, t, n, c), true);
      Variable out = loss.forward(x, Variable.constant(Tensor.ofLongs(targets, n, 4)), il, tl);
      out.backward(red == Reduction.NONE ? Tensor.ofDoubles(w, n) : null);
      double[] analytic = x.grad().toDoubleArray();
      double h = 1e-6;
      for (int i = 0; i < z.length; i++) {
        double[] zp = z.clone();
        double[] zm = z.clone();
        zp[i] += h;
        zm[i] -= h;
        double fp = weighted(loss.forward(lp(zp, t, n, c), Tensor.ofLongs(targets, n, 4), il, tl), w);
        double fm = weighted(loss.forward(lp(zm, t, n, c), Tensor.ofLongs(targets, n, 4), il, tl), w);
        double numeric = (fp - fm) / (2 * h);
        assertEquals(numeric, analytic[i], 1e-6, red + " element " + i);
      }
    }
  }

  private static double weighted(Tensor out, double[] w) {
    double s = 0;
    for (int i = 0; i < out.numel(); i++) {
      s += out.getDouble(i) * w[i];
    }
    return s;
  }

  /** The loss is -log of the summed probability of every frame labelling that collapses to the target. */
  @Test
  void forwardEqualsBruteForceOverAlignments() {
    Random rnd = new Random(5);
    int t = 6;
    int c = 3;
    long[][] cases = {{1, 2}, {1, 1}, {2}, {}, {1, 2, 1}, {2, 2, 2}};
    for (long[] target : cases) {
      double[] logp = logSoftmax(randn(rnd, t * c, 1.5), c);
      double total = 0;
      int[] path = new int[t];
      for (int code = 0; code < Math.pow(c, t); code++) {
        int v = code;
        for (int i = 0; i < t; i++) {
          path[i] = v % c;
          v /= c;
        }
        if (collapsesTo(path, target)) {
          double lpPath = 0;
          for (int i = 0; i < t; i++) {
            lpPath += logp[i * c + path[i]];
          }
          total += Math.exp(lpPath);
        }
      }
      double expected = -Math.log(total);
      Tensor out = new Sequence.CTCLoss(0, Reduction.NONE, false).forward(Tensor.ofDoubles(logp, t, 1, c),
          Tensor.ofLongs(target, target.length), new long[] {t}, new long[] {target.length});
      double actual = out.getDouble(0);
      if (Double.isInfinite(expected)) {
        assertEquals(expected, actual);
      } else {
        assertEquals(expected, actual, 1e-12 * Math.max(1, Math.abs(expected)), java.util.Arrays.toString(target));
      }
    }
  }

  private static boolean collapsesTo(int[] path, long[] target) {
    int k = 0;
    int prev = -1;
    for (int p : path) {
      if (p != 0 && p != prev) {
        if (k >= target.length || target[k] != p) {
          return false;
        }
        k++;
      }
      prev = p;
    }
    return k == target.length;
  }

  @Test
  void emptyTargetIsMinusSumOfBlankLogProbs() {
    Random rnd = new Random(3);
    double[] logp = logSoftmax(randn(rnd, 4 * 2 * 3, 1.0), 3);
    Tensor out = new Sequence.CTCLoss(0, Reduction.NONE, false).forward(Tensor.ofDoubles(logp, 4, 2, 3),
        Tensor.ofLongs(new long[0], 0), new long[] {4, 2}, new long[] {0, 0});
    for (int b = 0; b < 2; b++) {
      double expected = 0;
      for (int t = 0; t < (b == 0 ? 4 : 2); t++) {
        expected -= logp[(t * 2 + b) * 3];
      }
      assertEquals(expected, out.getDouble(b), 1e-12);
    }
  }

  @Test
  void infeasibleGivesInfAndNanGradientUnlessZeroInfinity() {
    Random rnd = new Random(9);
    Tensor x = lp(randn(rnd, 2 * 1 * 3, 1.0), 2, 1, 3);
    Tensor targets = Tensor.ofLongs(new long[] {1, 1}, 1, 2);
    Variable v = Variable.leaf(x, true);
    Variable out = new Sequence.CTCLoss(0, Reduction.SUM, false).forward(v, Variable.constant(targets),
        new long[] {2}, new long[] {2});
    assertEquals(Double.POSITIVE_INFINITY, out.data().item());
    out.backward();
    for (double g : v.grad().toDoubleArray()) {
      assertTrue(Double.isNaN(g));
    }
    Variable v2 = Variable.leaf(x, true);
    Variable out2 = new Sequence.CTCLoss(0, Reduction.NONE, true).forward(v2, Variable.constant(targets),
        new long[] {2}, new long[] {2});
    assertEquals(0.0, out2.data().getDouble(0));
    assertEquals("WhereBackward0", out2.gradFnName());
    out2.backward(Tensor.ofDoubles(new double[] {1.0}, 1));
    for (double g : v2.grad().toDoubleArray()) {
      assertEquals(0.0, g);
    }
  }

  @Test
  void framesPastTheInputLengthGetNoGradient() {
    Random rnd = new Random(2);
    Variable v = Variable.leaf(lp(randn(rnd, 6 * 2 * 4, 1.0), 6, 2, 4), true);
    new Sequence.CTCLoss().forward(v, Variable.constant(Tensor.ofLongs(new long[] {1, 2, 3, 3}, 2, 2)),
        new long[] {6, 3}, new long[] {2, 1}).backward();
    double[] g = v.grad().toDoubleArray();
    for (int t = 3; t < 6; t++) {
      for (int c = 0; c < 4; c++) {
        assertEquals(0.0, g[(t * 2 + 1) * 4 + c]);
      }
    }
  }

  /** Gradient rows of a normalised input sum to zero: exp(lp) sums to 1, and so do the posteriors. */
  @Test
  void gradientRowsSumToZeroForNormalisedInputs() {
    Random rnd = new Random(4);
    Variable v = Variable.leaf(lp(randn(rnd, 8 * 2 * 5, 3.0), 8, 2, 5), true);
    new Sequence.CTCLoss(0, Reduction.SUM, false).forward(v,
        Variable.constant(Tensor.ofLongs(new long[] {1, 2, 3, 4, 4, 2}, 6)), new long[] {8, 8},
        new long[] {4, 2}).backward();
    double[] g = v.grad().toDoubleArray();
    for (int row = 0; row < 16; row++) {
      double s = 0;
      for (int c = 0; c < 5; c++) {
        s += g[row * 5 + c];
      }
      assertEquals(0.0, s, 1e-12);
    }
  }

  @Test
  void reductionsAndFormsAgree() {
    Random rnd = new Random(8);
    Tensor x = lp(randn(rnd, 9 * 3 * 4, 1.0), 9, 3, 4);
    Tensor padded = Tensor.ofLongs(new long[] {1, 2, 3, 0, 3, 3, 2, 1, 0, 0, 0, 0}, 3, 4);
    Tensor concat = Tensor.ofLongs(new long[] {1, 2, 3, 3, 3, 2, 1}, 7);
    long[] il = {9, 8, 9};
    long[] tl = {3, 4, 0};
    Tensor none = new Sequence.CTCLoss(0, Reduction.NONE, false).forward(x, padded, il, tl);
    assertArrayEquals(none.toDoubleArray(),
        new Sequence.CTCLoss(0, Reduction.NONE, false).forward(x, concat, il, tl).toDoubleArray(), 0.0);
    double mean = 0;
    double sum = 0;
    for (int b = 0; b < 3; b++) {
      mean += none.getDouble(b) / Math.max(tl[b], 1) / 3;
      sum += none.getDouble(b);
    }
    assertEquals(mean, new Sequence.CTCLoss(0, Reduction.MEAN, false).forward(x, padded, il, tl).item(), 1e-12);
    assertEquals(sum, new Sequence.CTCLoss(0, Reduction.SUM, false).forward(x, padded, il, tl).item(), 1e-12);
    // Tensor and list lengths go the same way.
    Variable a = Variable.leaf(x, true);
    Functional.Outcome viaTensors = Sequence.ctcLoss(a, Variable.constant(padded),
        Variable.constant(Tensor.ofLongs(il, 3)), Variable.constant(Tensor.ofLongs(tl, 3)), 0, "none", false);
    Functional.Outcome viaLists = Sequence.ctcLoss(a, Variable.constant(padded), il, tl, 0, "none", false);
    assertEquals(viaTensors.value().data(), viaLists.value().data());
  }

  @Test
  void unbatchedIsTheBatchOfOneSqueezed() {
    Random rnd = new Random(12);
    double[] logp = logSoftmax(randn(rnd, 7 * 4, 1.0), 4);
    Tensor tg = Tensor.ofLongs(new long[] {2, 3, 2}, 3);
    Tensor batched = new Sequence.CTCLoss(0, Reduction.NONE, false).forward(Tensor.ofDoubles(logp, 7, 1, 4), tg,
        new long[] {7}, new long[] {3});
    Variable v = Variable.leaf(Tensor.ofDoubles(logp, 7, 4), true);
    Variable unbatched = new Sequence.CTCLoss(0, Reduction.NONE, false).forward(v, Variable.constant(tg),
        new long[] {7}, new long[] {3});
    assertEquals(0, unbatched.data().dim());
    assertEquals("SqueezeBackward1", unbatched.gradFnName());
    assertEquals(batched.getDouble(0), unbatched.data().item());
    unbatched.backward();
    assertArrayEquals(new int[] {7, 4}, v.grad().shape());
  }

  @Test
  void emptyBatchIsRefused() {
    // PyTorch 2.x refuses an empty log_probs (1.13 returned an empty loss, NaN or 0).
    Tensor x = Tensor.zeros(DType.FLOAT32, 4, 0, 3);
    Tensor tg = Tensor.ofLongs(new long[0], 0, 2);
    long[] none = new long[0];
    for (Reduction r : new Reduction[] {Reduction.NONE, Reduction.MEAN, Reduction.SUM}) {
      assertEquals("log_probs tensor must not be empty", assertThrows(RuntimeError.class,
          () -> new Sequence.CTCLoss(0, r, false).forward(x, tg, none, none)).getMessage());
    }
  }

  @Test
  void extremeLogitsStayFiniteWhenNormalised() {
    Random rnd = new Random(1);
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      double[] z = randn(rnd, 6 * 2 * 4, 1e4);
      Variable v = Variable.leaf(lp(z, 6, 2, 4).to(dt), true);
      Variable out = new Sequence.CTCLoss(0, Reduction.MEAN, false).forward(v,
          Variable.constant(Tensor.ofLongs(new long[] {1, 2, 3, 3}, 2, 2)), new long[] {6, 6}, new long[] {2, 2});
      out.backward();
      assertTrue(!Double.isNaN(out.data().item()));
      for (double g : v.grad().toDoubleArray()) {
        assertTrue(Double.isFinite(g));
      }
    }
  }

  @Test
  void nanLogProbsPropagate() {
    double[] x = {-1, Double.NaN, -1, -1, -1, -1};
    Tensor out = new Sequence.CTCLoss(0, Reduction.NONE, false).forward(Tensor.ofDoubles(x, 2, 1, 3),
        Tensor.ofLongs(new long[] {1}, 1), new long[] {2}, new long[] {1});
    assertTrue(Double.isNaN(out.getDouble(0)));
  }

  @Test
  void onlyLogProbsGetAGradient() {
    Variable v = Variable.leaf(Tensor.ofDoubles(new double[] {-1, -1, -1, -1}, 2, 1, 2), true);
    Variable targets = Variable.leaf(Tensor.ofDoubles(new double[] {1}, 1), true);
    Functional.Outcome o = Sequence.ctcLoss(v, targets, new long[] {2}, new long[] {1}, 0, "sum", false);
    o.value().backward();
    assertNull(targets.grad());
    assertArrayEquals(new int[] {2, 1, 2}, v.grad().shape());
  }

  @Test
  void errorsCarryPyTorchsMessages() {
    Variable x = Variable.leaf(Tensor.zeros(DType.FLOAT32, 6, 2, 4), true);
    Variable tg = Variable.constant(Tensor.ofLongs(new long[] {1, 2, 1, 2}, 2, 2));
    long[] il = {6, 6};
    long[] tl = {2, 2};
    assertEquals("avg is not a valid value for reduction",
        assertThrows(ValueError.class, () -> Sequence.ctcLoss(x, tg, il, tl, 0, "avg", false)).getMessage());
    assertEquals("input_lengths must be integral", assertThrows(RuntimeError.class, () -> Sequence.ctcLoss(x, tg,
        Variable.constant(Tensor.ofDoubles(new double[] {6, 6}, 2)), Variable.constant(Tensor.ofLongs(tl, 2)), 0,
        "mean", false)).getMessage());
    assertEquals("blank must be in label range",
        assertThrows(RuntimeError.class, () -> Sequence.ctcLoss(x, tg, il, tl, 4, "mean", false)).getMessage());
    assertEquals("input_lengths must be of size batch_size", assertThrows(RuntimeError.class,
        () -> Sequence.ctcLoss(x, tg, new long[] {6}, tl, 0, "mean", false)).getMessage());
    assertEquals("Expected input_lengths to have value at most 6, but got value 7 (while checking arguments for"
        + " ctc_loss_allocate_outputs)", assertThrows(RuntimeError.class,
            () -> Sequence.ctcLoss(x, tg, new long[] {7, 6}, tl, 0, "mean", false)).getMessage());
    assertEquals("Expected tensor to have size at least 3 at dimension 1, but got size 2 for argument #2 'targets'"
        + " (while checking arguments for ctc_loss_allocate_outputs)", assertThrows(RuntimeError.class,
            () -> Sequence.ctcLoss(x, tg, il, new long[] {3, 2}, 0, "mean", false)).getMessage());
    Variable scalar = Variable.leaf(Tensor.scalar(1, DType.FLOAT32), true);
    assertThrows(IndexError.class, () -> Sequence.ctcLoss(scalar, tg, il, tl, 0, "mean", false));
  }

  /** glibc's expf/logf are faithful (within one float ULP of the exact value) and handle the special values. */
  @Test
  void glibcFloatFunctionsAreFaithful() {
    Random rnd = new Random(21);
    for (int i = 0; i < 200_000; i++) {
      float x = (float) (rnd.nextDouble() * 190 - 100);
      float e = GlibcFloat.expf(x);
      double exact = Math.exp(x);
      assertTrue(Math.abs(e - exact) <= Math.ulp((float) exact), "expf(" + x + ")");
      float y = (float) (rnd.nextDouble() * 50);
      float l = GlibcFloat.logf(y);
      assertTrue(Math.abs(l - Math.log(y)) <= Math.ulp((float) Math.log(y)), "logf(" + y + ")");
    }
    assertEquals(0.0f, GlibcFloat.expf(Float.NEGATIVE_INFINITY));
    assertEquals(Float.POSITIVE_INFINITY, GlibcFloat.expf(89f));
    assertEquals(0.0f, GlibcFloat.expf(-104f));
    assertTrue(Float.isNaN(GlibcFloat.expf(Float.NaN)));
    assertEquals(Float.NEGATIVE_INFINITY, GlibcFloat.logf(0f));
    assertEquals(Float.POSITIVE_INFINITY, GlibcFloat.logf(Float.POSITIVE_INFINITY));
    assertTrue(Float.isNaN(GlibcFloat.logf(-1f)));
    assertEquals((float) Math.log(1e-40), GlibcFloat.logf(1e-40f), Math.ulp((float) Math.log(1e-40)));
  }
}
