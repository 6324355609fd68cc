package dev.loss4j.bench;

import dev.loss4j.autograd.Variable;
import dev.loss4j.loss.ElementwiseLoss;
import dev.loss4j.loss.Reduction;
import dev.loss4j.loss.Regression;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * L1Loss and MSELoss (mean reduction) on same-shape inputs: the value alone ({@code forward}) and the
 * value plus the input gradient through autograd ({@code forwardBackward}, as {@code loss.backward()}).
 * benchmarks/pytorch_bench.py times the same cases in PyTorch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ElementwiseLossBench {
  @Param({"l1", "mse"})
  public String loss;

  @Param({"1000", "1000000"})
  public int size;

  @Param({"float32", "float64"})
  public String dtype;

  private ElementwiseLoss fn;
  private Tensor input;
  private Tensor target;

  @Setup
  public void setUp() {
    fn = loss.equals("l1") ? new Regression.L1Loss(Reduction.MEAN) : new Regression.MSELoss(Reduction.MEAN);
    SplittableRandom rnd = new SplittableRandom(42);
    input = random(rnd, DType.fromName(dtype), size);
    target = random(rnd, DType.fromName(dtype), size);
  }

  private static Tensor random(SplittableRandom rnd, DType dtype, int n) {
    TensorBuilder b = new TensorBuilder(dtype, n);
    for (int i = 0; i < n; i++) {
      b.set(i, rnd.nextDouble(-1, 1));
    }
    return b.build();
  }

  @Benchmark
  public Tensor forward() {
    return fn.forward(input, target);
  }

  @Benchmark
  public Tensor forwardBackward() {
    Variable x = Variable.leaf(input, true);
    Variable out = fn.forward(x, Variable.constant(target));
    out.backward();
    return x.grad();
  }
}
