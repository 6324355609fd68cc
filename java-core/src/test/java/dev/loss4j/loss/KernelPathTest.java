package dev.loss4j.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loss4j.autograd.Variable;
import dev.loss4j.kernel.Parallel;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The embedding and sequence losses' kernel paths ({@code dev.loss4j.kernel.EmbeddingKernels},
 * {@code SequenceKernels}) against the general op-by-op paths, bit for bit, and across thread counts.
 * Each pair of calls differs only in something that routes it (a target dtype, a distance given
 * explicitly), never in the mathematics, so the two paths must agree exactly, float32 roundings included.
 */
class KernelPathTest {
  private static final Reduction[] REDUCTIONS = {Reduction.NONE, Reduction.MEAN, Reduction.SUM};

  private static Tensor randn(Random rnd, DType dt, int... shape) {
    int n = 1;
    for (int s : shape) {
      n *= s;
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextGaussian();
    }
    return Tensor.ofDoubles(v, shape).to(dt);
  }

  private static Tensor signs(Random rnd, DType dt, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      // Mostly +-1, a few other values, which select both hinge terms / neither cosine term.
      v[i] = rnd.nextInt(8) == 0 ? 0 : rnd.nextBoolean() ? 1 : -1;
    }
    return Tensor.ofDoubles(v, n).to(dt);
  }

  /** Output and leaf gradients after backward with {@code g} (or ones), as raw bits. */
  private static long[][] run(Function<Variable[], Variable> loss, Tensor... inputs) {
    Variable[] v = new Variable[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      v[i] = Variable.leaf(inputs[i], inputs[i].dtype().isFloatingPoint());
    }
    Variable out = loss.apply(v);
    Tensor g = Tensor.full(0.75, out.data().dtype(), out.data().shape());
    out.backward(g);
    long[][] bits = new long[inputs.length + 1][];
    bits[0] = bits(out.data());
    for (int i = 0; i < inputs.length; i++) {
      bits[i + 1] = v[i].grad() == null ? new long[0] : bits(v[i].grad());
    }
    return bits;
  }

  private static long[] bits(Tensor t) {
    long[] out = new long[t.numel()];
    for (int i = 0; i < out.length; i++) {
      double d = t.getDouble(i);
      out[i] = Double.isNaN(d) ? 0x7ff8000000000000L : Double.doubleToLongBits(d);
    }
    return out;
  }

  private static void assertSame(long[][] a, long[][] b, String what) {
    assertEquals(a.length, b.length, what);
    for (int i = 0; i < a.length; i++) {
      assertArrayEquals(a[i], b[i], what + " #" + i);
    }
  }

  @Test
  void marginRankingKernelMatchesTheGeneralPath() {
    Random rnd = new Random(1);
    for (Reduction r : REDUCTIONS) {
      Tensor x1 = randn(rnd, DType.FLOAT64, 300);
      Tensor x2 = randn(rnd, DType.FLOAT64, 300);
      Tensor y = signs(rnd, DType.FLOAT64, 300);
      Embedding.MarginRankingLoss loss = new Embedding.MarginRankingLoss(0.2, r);
      // A float32 target of the same values promotes to float64: the general path, the same arithmetic.
      Tensor y32 = y.to(DType.FLOAT32);
      long[][] fast = run(v -> loss.forward(v[0], v[1], Variable.constant(y)), x1, x2);
      long[][] general = run(v -> loss.forward(v[0], v[1], Variable.constant(y32)), x1, x2);
      assertSame(fast, general, "margin ranking " + r);
    }
  }

  @Test
  void hingeKernelMatchesTheGeneralPath() {
    Random rnd = new Random(2);
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      for (Reduction r : REDUCTIONS) {
        Tensor x = randn(rnd, dt, 500);
        Tensor y = signs(rnd, dt, 500);
        Embedding.HingeEmbeddingLoss loss = new Embedding.HingeEmbeddingLoss(0.9, r);
        long[][] fast = run(v -> loss.forward(v[0], v[1]), x, y);
        long[][] general = run(v -> loss.forward(v[0], v[1]), x, y.to(DType.INT64));
        assertSame(fast, general, "hinge " + dt + " " + r);
      }
    }
  }

  @Test
  void fusedTripletMatchesTheDistanceGraph() {
    Random rnd = new Random(3);
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      for (Reduction r : REDUCTIONS) {
        for (boolean swap : new boolean[] {false, true}) {
          Tensor a = randn(rnd, dt, 40, 17);
          Tensor p = randn(rnd, dt, 40, 17);
          Tensor n = randn(rnd, dt, 40, 17);
          Embedding.PairwiseDistance d = new Embedding.PairwiseDistance(2, 1e-6, false);
          long[][] fused = run(v -> new Embedding.TripletMarginWithDistanceLoss(null, 0.5, swap, r)
              .forward(v[0], v[1], v[2]), a, p, n);
          long[][] graph = run(v -> new Embedding.TripletMarginWithDistanceLoss(d::forward, 0.5, swap, r)
              .forward(v[0], v[1], v[2]), a, p, n);
          assertSame(fused, graph, "triplet " + dt + " " + r + " swap=" + swap);
        }
      }
    }
  }

  @Test
  void resultsDoNotDependOnTheThreadCount() {
    Random rnd = new Random(4);
    Tensor a = randn(rnd, DType.FLOAT32, 700, 130);
    Tensor b = randn(rnd, DType.FLOAT32, 700, 130);
    Tensor c = randn(rnd, DType.FLOAT32, 700, 130);
    Tensor y = signs(rnd, DType.FLOAT32, 700);
    Tensor flat = randn(rnd, DType.FLOAT32, 91_000);
    Tensor flat2 = randn(rnd, DType.FLOAT32, 91_000);
    Tensor flatY = signs(rnd, DType.FLOAT32, 91_000);
    Tensor lp = logSoftmax(randn(rnd, DType.FLOAT32, 60, 24, 9));
    long[] targets = new long[24 * 12];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = 1 + rnd.nextInt(8);
    }
    long[] il = new long[24];
    long[] tl = new long[24];
    for (int i = 0; i < 24; i++) {
      il[i] = 30 + rnd.nextInt(31);
      tl[i] = rnd.nextInt(13);
    }
    Tensor tg = Tensor.ofLongs(targets, 24, 12);
    int saved = Parallel.threads();
    try {
      long[][][] results = new long[2][][];
      for (int k = 0; k < 2; k++) {
        Parallel.setThreads(k == 0 ? 1 : 4);
        long[][] cos = run(v -> new Embedding.CosineEmbeddingLoss(0.1, Reduction.MEAN).forward(v[0], v[1],
            Variable.constant(y)), a, b);
        long[][] tri = run(v -> new Embedding.TripletMarginLoss(1, 2, 1e-6, true, Reduction.SUM)
            .forward(v[0], v[1], v[2]), a, b, c);
        long[][] mr = run(v -> new Embedding.MarginRankingLoss(0.1, Reduction.MEAN).forward(v[0], v[1],
            Variable.constant(flatY)), flat, flat2);
        long[][] ctc = run(v -> new Sequence.CTCLoss(0, Reduction.MEAN, false).forward(v[0], Variable.constant(tg),
            il, tl), lp);
        results[k] = new long[][] {cos[0], cos[1], cos[2], tri[0], tri[1], tri[2], tri[3], mr[0], mr[1], mr[2],
            ctc[0], ctc[1]};
      }
      assertSame(results[0], results[1], "1 vs 4 threads");
    } finally {
      Parallel.setThreads(saved);
    }
  }

  private static Tensor logSoftmax(Tensor z) {
    int[] shape = z.shape();
    int c = shape[shape.length - 1];
    double[] v = z.toDoubleArray();
    for (int row = 0; row < v.length / c; row++) {
      double m = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < c; j++) {
        m = Math.max(m, v[row * c + j]);
      }
      double s = 0;
      for (int j = 0; j < c; j++) {
        s += Math.exp(v[row * c + j] - m);
      }
      for (int j = 0; j < c; j++) {
        v[row * c + j] -= m + Math.log(s);
      }
    }
    return Tensor.ofDoubles(v, shape).to(z.dtype());
  }
}
