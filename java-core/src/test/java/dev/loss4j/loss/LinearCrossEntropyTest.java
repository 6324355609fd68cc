package dev.loss4j.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.ValueError;
import dev.loss4j.kernel.Parallel;
import dev.loss4j.random.Generator;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * LinearCrossEntropy: the chunked path against the reference path (linear then cross entropy) at every chunk
 * size, the reference path against cross entropy of logits made here, a finite-difference check of the chunked
 * gradients, results at 1 and 4 threads, the chunk sizes PyTorch's option rules give, and the module. Expected
 * values are derived in this file.
 */
class LinearCrossEntropyTest {
  private final Random rnd = new Random(99);
  private final Generator gen = new Generator(99);

  private Tensor randn(int... shape) {
    return gen.randn(DType.FLOAT64, shape);
  }

  private Tensor classes(int n, int c, int ignoreEvery) {
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      t[i] = ignoreEvery > 0 && i % ignoreEvery == 0 ? -100 : rnd.nextInt(c);
    }
    return Tensor.ofLongs(t, n);
  }

  /** Value and the gradients of input, weight and bias (for a seeded output gradient under none). */
  private double[][] run(Tensor x, Tensor w, Tensor t, Tensor b, Tensor cw, String reduction,
                         LinearCrossEntropy.Options options) {
    Variable xv = Variable.leaf(x, true);
    Variable wv = Variable.leaf(w, true);
    Variable bv = Variable.leaf(b, true);
    Variable out = LinearCrossEntropy.linearCrossEntropy(xv, wv, Variable.leaf(t, false), bv,
        cw == null ? null : Variable.leaf(cw, false), reduction, null, 0.0, options).value();
    if (out.data().dim() == 0) {
      out.backward();
    } else {
      double[] g = new double[out.data().numel()];
      for (int i = 0; i < g.length; i++) {
        g[i] = 0.5 + i % 3;
      }
      out.backward(Tensor.ofDoubles(g, out.data().shape()).to(out.data().dtype()));
    }
    return new double[][] {out.data().toDoubleArray(), xv.grad().toDoubleArray(), wv.grad().toDoubleArray(),
        bv.grad().toDoubleArray()};
  }

  private static void assertClose(double[][] expected, double[][] actual, double tol) {
    for (int k = 0; k < expected.length; k++) {
      assertEquals(expected[k].length, actual[k].length);
      for (int i = 0; i < expected[k].length; i++) {
        assertEquals(expected[k][i], actual[k][i], tol * (1 + Math.abs(expected[k][i])), "part " + k + " elem " + i);
      }
    }
  }

  @Test
  void chunkedEqualsReferenceAtEveryChunkSize() {
    Tensor x = randn(11, 4);
    Tensor w = randn(7, 4);
    Tensor b = randn(7);
    Tensor t = classes(11, 7, 4);
    Tensor cw = Tensor.ofDoubles(new double[] {0.5, 1, 2, 1.5, 0.25, 1, 3}, 7);
    for (String r : new String[] {"none", "mean", "sum"}) {
      double[][] ref = run(x, w, t, b, cw, r, null);
      for (int chunk : new int[] {1, 2, 3, 5, 11, 64}) {
        double[][] got = run(x, w, t, b, cw, r, new LinearCrossEntropy.Options(false, chunk, null, "auto"));
        assertClose(ref, got, 1e-12);
      }
    }
  }

  @Test
  void referenceIsCrossEntropyOfTheLogits() {
    Tensor x = randn(5, 3);
    Tensor w = randn(4, 3);
    Tensor b = randn(4);
    Tensor t = classes(5, 4, 0);
    double[] xs = x.toDoubleArray();
    double[] ws = w.toDoubleArray();
    double[] bs = b.toDoubleArray();
    double[] z = new double[20];
    for (int n = 0; n < 5; n++) {
      for (int c = 0; c < 4; c++) {
        double s = bs[c];
        for (int i = 0; i < 3; i++) {
          s += xs[n * 3 + i] * ws[c * 3 + i];
        }
        z[n * 4 + c] = s;
      }
    }
    double expected = new Classification.CrossEntropyLoss().forward(Tensor.ofDoubles(z, 5, 4), t, null).item();
    double got = run(x, w, t, b, null, "mean", null)[0][0];
    assertEquals(expected, got, 1e-14);
    double chunked = run(x, w, t, b, null, "mean", LinearCrossEntropy.Options.defaults())[0][0];
    assertEquals(expected, chunked, 1e-14);
  }

  @Test
  void chunkedGradientsMatchFiniteDifferences() {
    Tensor x = randn(6, 3);
    Tensor w = randn(5, 3);
    Tensor b = randn(5);
    Tensor t = classes(6, 5, 3);
    LinearCrossEntropy.Options two = new LinearCrossEntropy.Options(false, 2, null, "auto");
    double[][] g = run(x, w, t, b, null, "sum", two);
    Tensor[] params = {x, w, b};
    double h = 1e-6;
    for (int k = 0; k < 3; k++) {
      double[] base = params[k].toDoubleArray();
      for (int i = 0; i < base.length; i++) {
        double[] plus = base.clone();
        double[] minus = base.clone();
        plus[i] += h;
        minus[i] -= h;
        Tensor[] p = params.clone();
        Tensor[] m = params.clone();
        p[k] = Tensor.ofDoubles(plus, params[k].shape());
        m[k] = Tensor.ofDoubles(minus, params[k].shape());
        double fd = (run(p[0], p[1], t, p[2], null, "sum", two)[0][0] - run(m[0], m[1], t, m[2], null, "sum", two)[0][0])
            / (2 * h);
        assertEquals(fd, g[k + 1][i], 1e-6, "parameter " + k + " element " + i);
      }
    }
  }

  @Test
  void sameBitsAtAnyThreadCount() {
    Tensor x = randn(64, 16).to(DType.FLOAT32);
    Tensor w = randn(5000, 16).to(DType.FLOAT32);
    Tensor b = randn(5000).to(DType.FLOAT32);
    Tensor t = classes(64, 5000, 7);
    int saved = Parallel.threads();
    try {
      for (LinearCrossEntropy.Options o : new LinearCrossEntropy.Options[] {null,
          new LinearCrossEntropy.Options(false, 8, null, "auto")}) {
        for (String r : new String[] {"none", "mean"}) {
          Parallel.setThreads(1);
          double[][] one = run(x, w, t, b, null, r, o);
          Parallel.setThreads(4);
          double[][] four = run(x, w, t, b, null, r, o);
          for (int k = 0; k < one.length; k++) {
            assertArrayEquals(one[k], four[k], r + " part " + k);
          }
        }
      }
    } finally {
      Parallel.setThreads(saved);
    }
  }

  @Test
  void chunkSizesFollowPyTorchsRules() {
    // (N, in, C, options) -> rows a chunk, as PyTorch 2.13 settles them on the CPU for float32
    LinearCrossEntropy.Options auto = LinearCrossEntropy.Options.defaults();
    assertEquals(1, auto.chunkSize(256, 64, 50000));
    assertEquals(4, auto.chunkSize(1024, 256, 50000));
    assertEquals(2, auto.chunkSize(37, 4, 50));
    assertEquals(64, auto.chunkSize(100, 1000, 10));
    assertEquals(4, new LinearCrossEntropy.Options(false, null, "aspect_ratio", "auto").chunkSize(37, 4, 50));
    assertEquals(1, new LinearCrossEntropy.Options(false, null, "aspect_ratio:4", "auto").chunkSize(37, 4, 50));
    assertEquals(3, new LinearCrossEntropy.Options(false, 3, "auto", "auto").chunkSize(7, 5, 6));
    assertEquals(7, new LinearCrossEntropy.Options(false, 64, "auto", "auto").chunkSize(7, 5, 6));
    ValueError e = assertThrows(ValueError.class,
        () -> new LinearCrossEntropy.Options(false, 2, "aspect_ratio", "auto").chunkSize(7, 5, 6));
    assertTrue(e.getMessage().startsWith("batch_chunk_size (=2) and chunking_method ('aspect_ratio')"));
    assertThrows(ValueError.class, () -> new LinearCrossEntropy.Options(false, 0, "auto", "auto"));
    assertThrows(ValueError.class, () -> new LinearCrossEntropy.Options(false, null, "aspect_ratio:x", "auto"));
  }

  @Test
  void moduleRunsItsOwnParameters() {
    LinearCrossEntropy.LinearCrossEntropyLoss m = new LinearCrossEntropy.LinearCrossEntropyLoss(3, 4,
        new int[] {2}, true, DType.FLOAT64, "sum", null, null, 0.0, null, new Generator(5));
    assertArrayEquals(new int[] {8, 3}, m.linearWeight().data().shape());
    assertArrayEquals(new int[] {8}, m.linearBias().data().shape());
    double bound = 1 / Math.sqrt(3);
    for (double v : m.linearWeight().data().toDoubleArray()) {
      assertTrue(Math.abs(v) <= bound);
    }
    Variable x = Variable.leaf(randn(5, 3), false);
    Variable t = Variable.leaf(Tensor.ofLongs(new long[] {0, 1, 2, 3, 0, 1, 2, 3, 3, 3}, 5, 2), false);
    Variable out = m.forward(x, t).value();
    out.backward();
    Variable w = Variable.leaf(m.linearWeight().data().reshape(new int[] {4, 2, 3}), false);
    Variable b = Variable.leaf(m.linearBias().data().reshape(new int[] {4, 2}), false);
    double expected = LinearCrossEntropy.linearCrossEntropy(x, w, t, b, null, "sum", null, 0.0, null).value().data()
        .item();
    assertEquals(expected, out.data().item(), 0.0);
    assertArrayEquals(new int[] {8, 3}, m.linearWeight().grad().shape());
    assertTrue(m.toString().contains("(linear): Linear(in_features=3, out_features=8, bias=True)"));
  }

  @Test
  void pythonFloatText() {
    assertEquals("0.0", LinearCrossEntropy.pyFloat(0.0));
    assertEquals("0.1", LinearCrossEntropy.pyFloat(0.1));
    assertEquals("1.5", LinearCrossEntropy.pyFloat(1.5));
    assertEquals("0.0001", LinearCrossEntropy.pyFloat(1e-4));
    assertEquals("1e-05", LinearCrossEntropy.pyFloat(1e-5));
    assertEquals("12345678.0", LinearCrossEntropy.pyFloat(12345678.0));
    assertEquals("1e+16", LinearCrossEntropy.pyFloat(1e16));
    assertEquals("-2.5e-07", LinearCrossEntropy.pyFloat(-2.5e-7));
  }
}
