package dev.loss4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.loss.Reduction;
import dev.loss4j.loss.Regression;
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
    return m;
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
