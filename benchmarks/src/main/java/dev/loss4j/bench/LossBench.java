package dev.loss4j.bench;

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
 * Runner A: each case alone in its own JMH fork (the best case for the JIT: one loss, one profile). The
 * {@code id} parameter takes case ids from {@link Cases}; benchmarks/run.sh passes the selected ones with
 * {@code -p id=...} and adds the gc profiler for the bytes allocated per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LossBench {
  @Param({"mse_loss/large/float32"})
  public String id;

  private Prepared prepared;

  @Setup
  public void setUp() {
    prepared = Prepared.of(Cases.byId(id));
  }

  @Benchmark
  public Object forward() {
    return prepared.forward();
  }

  @Benchmark
  public Object forwardBackward() {
    return prepared.forwardBackward();
  }
}
