package dev.loss4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.loss.Binary;
import dev.loss4j.loss.Classification;
import dev.loss4j.loss.Embedding;
import dev.loss4j.loss.Probabilistic;
import dev.loss4j.loss.Reduction;
import dev.loss4j.loss.Regression;
import dev.loss4j.loss.Sequence;
import dev.loss4j.tensor.Storage;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Results do not depend on the engine's thread count: every loss's value and gradients on inputs large
 * enough to be split across threads are the same bits at 1, 2 and 8 threads.
 */
class ThreadCountTest {
  /** Above Parallel.PARALLEL_MIN, and not a multiple of the block size, so the last block is short. */
  private static final int N = 3 * Parallel.PARALLEL_MIN + 1234;

  @AfterEach
  void restore() {
    Parallel.setThreads(Runtime.getRuntime().availableProcessors());
  }

  static Tensor random(long seed, DType dtype, int... shape) {
    SplittableRandom rnd = new SplittableRandom(seed);
    TensorBuilder b = new TensorBuilder(dtype, shape);
    for (int i = 0, n = b.numel(); i < n; i++) {
      b.set(i, rnd.nextDouble(-2, 2));
    }
    return b.build();
  }

  /** Value, then the gradient of every input, of one loss evaluation with autograd. */
  @FunctionalInterface
  interface Evaluation {
    List<Tensor> run(DType dtype);
  }

  /** Uniform values in [lo, hi). */
  static Tensor uniform(long seed, DType dtype, double lo, double hi, int... shape) {
    SplittableRandom rnd = new SplittableRandom(seed);
    TensorBuilder b = new TensorBuilder(dtype, shape);
    for (int i = 0, n = b.numel(); i < n; i++) {
      b.set(i, rnd.nextDouble(lo, hi));
    }
    return b.build();
  }

  /** int64 class indices in [0, classes). */
  static Tensor classes(long seed, int classes, int... shape) {
    SplittableRandom rnd = new SplittableRandom(seed);
    TensorBuilder b = new TensorBuilder(DType.INT64, shape);
    for (int i = 0, n = b.numel(); i < n; i++) {
      b.setLong(i, rnd.nextInt(classes));
    }
    return b.build();
  }

  /** Values of -1 or 1. */
  static Tensor signs(long seed, DType dtype, int... shape) {
    SplittableRandom rnd = new SplittableRandom(seed);
    TensorBuilder b = new TensorBuilder(dtype, shape);
    for (int i = 0, n = b.numel(); i < n; i++) {
      b.set(i, rnd.nextBoolean() ? 1 : -1);
    }
    return b.build();
  }

  /** Value and the gradients of the differentiable arguments of any loss over variables. */
  static List<Tensor> evaluate(java.util.function.Function<Variable[], Variable> loss, Tensor[] args,
      boolean[] differentiable) {
    Variable[] vs = new Variable[args.length];
    for (int k = 0; k < args.length; k++) {
      vs[k] = args[k] == null ? null : Variable.leaf(args[k], differentiable[k]);
    }
    Variable out = loss.apply(vs);
    List<Tensor> r = new ArrayList<>();
    r.add(out.data());
    out.backward(Tensor.full(1.0, out.data().dtype(), out.data().shape()));
    for (int k = 0; k < args.length; k++) {
      if (differentiable[k]) {
        r.add(vs[k].grad());
      }
    }
    return r;
  }

  /** Runs a two-argument loss with gradients for both and returns value and gradients. */
  static List<Tensor> valueAndGrads(java.util.function.BiFunction<Variable, Variable, Variable> loss, Tensor a,
      Tensor b) {
    Variable x = Variable.leaf(a, true);
    Variable y = Variable.leaf(b, true);
    Variable out = loss.apply(x, y);
    List<Tensor> r = new ArrayList<>();
    r.add(out.data());
    out.backward(Tensor.full(1.0, out.data().dtype(), out.data().shape()));
    r.add(x.grad());
    r.add(y.grad());
    return r;
  }

  private static Map<String, Evaluation> cases() {
    Map<String, Evaluation> m = new LinkedHashMap<>();
    for (Reduction r : new Reduction[] {Reduction.MEAN, Reduction.SUM, Reduction.NONE}) {
      String s = "/" + r.torchName();
      m.put("l1" + s, d -> valueAndGrads(new Regression.L1Loss(r)::forward, random(1, d, N), random(2, d, N)));
      m.put("mse" + s, d -> valueAndGrads(new Regression.MSELoss(r)::forward, random(1, d, N), random(2, d, N)));
      m.put("smooth_l1" + s,
          d -> valueAndGrads(new Regression.SmoothL1Loss(r, 0.5)::forward, random(1, d, N), random(2, d, N)));
      m.put("huber" + s,
          d -> valueAndGrads(new Regression.HuberLoss(r, 0.7)::forward, random(1, d, N), random(2, d, N)));
    }
    // Rows of (N, C) and (N, D) losses: enough rows that the work spreads over threads.
    int rows = 3000;
    int cols = 90;
    boolean[] first = {true, false, false};
    for (Reduction r : new Reduction[] {Reduction.MEAN, Reduction.SUM, Reduction.NONE}) {
      String s = "/" + r.torchName();
      m.put("bce" + s, d -> evaluate(v -> new Binary.BCELoss(null, r).forward(v[0], v[1]),
          new Tensor[] {uniform(1, d, 0.01, 0.99, N), uniform(2, d, 0, 1, N)}, new boolean[] {true, false}));
      m.put("bce_with_logits+pos_weight" + s, d -> evaluate(v -> new Binary.BCEWithLogitsLoss(null, r,
          uniform(3, d, 0.5, 2, cols)).forward(v[0], v[1]),
          new Tensor[] {random(1, d, rows, cols), uniform(2, d, 0, 1, rows, cols)}, new boolean[] {true, true}));
      m.put("soft_margin" + s, d -> evaluate(v -> new Binary.SoftMarginLoss(r).forward(v[0], v[1]),
          new Tensor[] {random(1, d, N), signs(2, d, N)}, new boolean[] {true, false}));
      m.put("multilabel_soft_margin" + s, d -> evaluate(
          v -> new Binary.MultiLabelSoftMarginLoss(r).forward(v[0], v[1], v[2]),
          new Tensor[] {random(1, d, rows, cols), uniform(2, d, 0, 1, rows, cols), null}, first));
      m.put("poisson_nll/full" + s, d -> evaluate(v -> new Probabilistic.PoissonNLLLoss(true, true, 1e-8, r)
          .forward(v[0], v[1]), new Tensor[] {random(1, d, N), uniform(2, d, 0, 5, N)}, new boolean[] {true, false}));
      m.put("gaussian_nll" + s, d -> evaluate(v -> new Probabilistic.GaussianNLLLoss(false, 1e-6, r)
          .forward(v[0], v[1], v[2]), new Tensor[] {random(1, d, N), random(2, d, N), uniform(3, d, 0.1, 2, N)},
          new boolean[] {true, false, true}));
      m.put("kl_div" + s, d -> evaluate(v -> new Probabilistic.KLDivLoss(r, false).forward(v[0], v[1]),
          new Tensor[] {uniform(1, d, -5, 0, N), uniform(2, d, 0, 1, N)}, new boolean[] {true, false}));
      m.put("bce/weight" + s, d -> evaluate(v -> new Binary.BCELoss(uniform(3, d, 0.5, 2, N), r).forward(v[0], v[1]),
          new Tensor[] {uniform(1, d, 0.01, 0.99, N), uniform(2, d, 0, 1, N)}, new boolean[] {true, true}));
      m.put("bce_with_logits+weight" + s, d -> evaluate(v -> new Binary.BCEWithLogitsLoss(uniform(3, d, 0.5, 2, cols),
          r, null).forward(v[0], v[1]),
          new Tensor[] {random(1, d, rows, cols), uniform(2, d, 0, 1, rows, cols)}, new boolean[] {true, true}));
      m.put("gaussian_nll/full" + s, d -> evaluate(v -> new Probabilistic.GaussianNLLLoss(true, 1e-6, r)
          .forward(v[0], v[1], v[2]), new Tensor[] {random(1, d, N), random(2, d, N), uniform(3, d, 0.1, 2, N)},
          new boolean[] {true, true, true}));
      m.put("poisson_nll/log_input=False" + s, d -> evaluate(v -> new Probabilistic.PoissonNLLLoss(false, true, 1e-8, r)
          .forward(v[0], v[1]), new Tensor[] {uniform(1, d, 0.1, 4, N), uniform(2, d, 0, 5, N)},
          new boolean[] {true, true}));
      m.put("kl_div/log_target" + s, d -> evaluate(v -> new Probabilistic.KLDivLoss(r, true).forward(v[0], v[1]),
          new Tensor[] {uniform(1, d, -5, 0, N), uniform(2, d, -5, 0, N)}, new boolean[] {true, true}));
      m.put("nll" + s, d -> evaluate(v -> new Classification.NLLLoss(r, -100).forward(v[0], v[1], v[2]),
          new Tensor[] {uniform(1, d, -5, 0, rows, cols), classes(2, cols, rows), uniform(3, d, 0.5, 2, cols)},
          first));
      m.put("cross_entropy/smoothing" + s, d -> evaluate(
          v -> new Classification.CrossEntropyLoss(r, -100, 0.1).forward(v[0], v[1], v[2]),
          new Tensor[] {random(1, d, rows, cols), classes(2, cols, rows), null}, first));
      m.put("multi_margin" + s, d -> evaluate(
          v -> new Classification.MultiMarginLoss(1, 1.0, r).forward(v[0], v[1], v[2]),
          new Tensor[] {random(1, d, rows, cols), classes(2, cols, rows), null}, first));
      m.put("margin_ranking" + s, d -> evaluate(v -> new Embedding.MarginRankingLoss(0.1, r).forward(v[0], v[1], v[2]),
          new Tensor[] {random(1, d, N), random(2, d, N), signs(3, d, N)}, new boolean[] {true, true, false}));
      m.put("hinge_embedding" + s, d -> evaluate(v -> new Embedding.HingeEmbeddingLoss(1.0, r).forward(v[0], v[1]),
          new Tensor[] {random(1, d, N), signs(2, d, N)}, new boolean[] {true, false}));
      m.put("cosine_embedding" + s, d -> evaluate(
          v -> new Embedding.CosineEmbeddingLoss(0.2, r).forward(v[0], v[1], v[2]),
          new Tensor[] {random(1, d, rows, cols), random(2, d, rows, cols), signs(3, d, rows)},
          new boolean[] {true, true, false}));
      m.put("triplet_margin" + s, d -> evaluate(
          v -> new Embedding.TripletMarginLoss(1.0, 2.0, 1e-6, true, r).forward(v[0], v[1], v[2]),
          new Tensor[] {random(1, d, rows, cols), random(2, d, rows, cols), random(3, d, rows, cols)},
          new boolean[] {true, true, true}));
      m.put("ctc" + s, d -> ctc(d, r));
    }
    // The ops and the adaptive softmax on the kernel layer (ActivationKernels, DistanceKernels, AdaptiveKernels).
    m.put("sigmoid", d -> evaluate(v -> dev.loss4j.ops.Pointwise.sigmoid(v[0]), new Tensor[] {random(1, d, N)},
        new boolean[] {true}));
    m.put("cosine_similarity/dim=1", d -> valueAndGrads((a, b) -> dev.loss4j.ops.Distances.cosineSimilarity(a, b, 1,
        1e-8), random(1, d, rows, cols), random(2, d, rows, cols)));
    m.put("cosine_similarity/dim=0", d -> valueAndGrads((a, b) -> dev.loss4j.ops.Distances.cosineSimilarity(a, b, 0,
        1e-8), random(1, d, cols, rows), random(2, d, cols, rows)));
    m.put("adaptive_log_softmax", d -> adaptive(d));
    // linear_cross_entropy: the plain path and the chunked one (chunks of 16 rows), on LinearKernels.
    for (var o : new dev.loss4j.loss.LinearCrossEntropy.Options[] {null,
        new dev.loss4j.loss.LinearCrossEntropy.Options(false, 16, null, "auto")}) {
      m.put("linear_cross_entropy" + (o == null ? "" : "/chunked"), d -> evaluate(
          v -> dev.loss4j.loss.LinearCrossEntropy.linearCrossEntropy(v[0], v[1], Variable.constant(classes(4, 3000,
              200)), v[2], null, "mean", null, 0.0, o).value(),
          new Tensor[] {random(1, d, 200, 32), random(2, d, 3000, 32), random(3, d, 3000)},
          new boolean[] {true, true, true}));
    }
    m.put("kl_div/batchmean", d -> evaluate(v -> new Probabilistic.KLDivLoss(Reduction.BATCHMEAN, false)
        .forward(v[0], v[1]), new Tensor[] {uniform(1, d, -5, 0, rows, cols), uniform(2, d, 0, 1, rows, cols)},
        new boolean[] {true, true}));
    return m;
  }

  /** AdaptiveLogSoftmaxWithLoss over 400 rows: the loss, then the gradients of the input and every parameter. */
  private static List<Tensor> adaptive(DType d) {
    var module = new dev.loss4j.loss.Adaptive.AdaptiveLogSoftmaxWithLoss(64, 6000, new double[] {300, 1500}, 4.0,
        true, d, 7L);
    Variable x = Variable.leaf(random(1, d, 400, 64), true);
    Variable out = module.forward(x, Variable.constant(classes(2, 6000, 400))).loss();
    out.backward(Tensor.full(1.0, d, out.data().shape()));
    List<Tensor> r = new ArrayList<>();
    r.add(out.data());
    r.add(x.grad());
    for (Variable p : module.parameters()) {
      r.add(p.grad());
    }
    return r;
  }

  /** CTC over a batch of 64 sequences of 60 steps, 20 classes, targets of 10 to 25 labels. */
  private static List<Tensor> ctc(DType d, Reduction r) {
    int steps = 60;
    int batch = 64;
    int classCount = 20;
    Tensor logits = random(1, d, steps, batch, classCount);
    Tensor logProbs = dev.loss4j.ops.Softmax.logSoftmax(Variable.constant(logits), 2).data();
    long[] inputLengths = new long[batch];
    long[] targetLengths = new long[batch];
    SplittableRandom rnd = new SplittableRandom(5);
    int total = 0;
    for (int b = 0; b < batch; b++) {
      inputLengths[b] = steps - rnd.nextInt(10);
      targetLengths[b] = 10 + rnd.nextInt(16);
      total += (int) targetLengths[b];
    }
    long[] targets = new long[total];
    for (int i = 0; i < total; i++) {
      targets[i] = 1 + rnd.nextInt(classCount - 1);
    }
    Tensor t = Storage.adopt(targets, total);
    return evaluate(v -> new Sequence.CTCLoss(0, r, false).forward(v[0], v[1], inputLengths, targetLengths),
        new Tensor[] {logProbs, t}, new boolean[] {true, false});
  }

  @TestFactory
  Stream<DynamicTest> sameBitsAtAnyThreadCount() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Map.Entry<String, Evaluation> e : cases().entrySet()) {
      for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
        tests.add(DynamicTest.dynamicTest(e.getKey() + "/" + dtype.torchName(),
            () -> assertSameAtThreads(() -> e.getValue().run(dtype))));
      }
    }
    return tests.stream();
  }

  private static void assertSameAtThreads(Supplier<List<Tensor>> eval) {
    Parallel.setThreads(1);
    List<Tensor> one = eval.get();
    for (int t : new int[] {2, 8}) {
      Parallel.setThreads(t);
      List<Tensor> many = eval.get();
      assertEquals(one.size(), many.size());
      for (int k = 0; k < one.size(); k++) {
        assertEquals(one.get(k), many.get(k), "output " + k + " differs at " + t + " threads");
      }
    }
  }

  @Test
  void blockSumsAddInBlockOrder() {
    double[] v = new double[N];
    SplittableRandom rnd = new SplittableRandom(3);
    for (int i = 0; i < N; i++) {
      v[i] = rnd.nextDouble(-1e6, 1e6);
    }
    double expected = 0;
    for (int b = 0; b < Parallel.blocks(N); b++) {
      double s = 0;
      for (int i = b * Parallel.BLOCK; i < Math.min(N, (b + 1) * Parallel.BLOCK); i++) {
        s += v[i];
      }
      expected += s;
    }
    for (int t : new int[] {1, 2, 8}) {
      Parallel.setThreads(t);
      double got = Parallel.sum(N, (from, to) -> {
        double s = 0;
        for (int i = from; i < to; i++) {
          s += v[i];
        }
        return s;
      });
      assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(got), "threads " + t);
    }
  }

  @Test
  void threadCountMustBePositive() {
    RuntimeError e = assertThrows(RuntimeError.class, () -> Parallel.setThreads(0));
    assertEquals("set_num_threads expects a positive integer", e.getMessage());
  }
}
