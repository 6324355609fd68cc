package dev.loss4j.kernel;

import dev.loss4j.errors.RuntimeError;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fixed-block parallelism with results that do not depend on the thread count.
 *
 * <p>Work over {@code n} elements is cut into blocks of {@link #BLOCK} elements at fixed offsets. Each
 * block's partial sum is computed by one thread, sequentially, and the partial sums are added in block
 * order, so 1, 2 or 8 threads give the same bits. Inputs of fewer than {@link #PARALLEL_MIN} elements run
 * on the caller's thread only (handing them to other threads costs more than it saves).
 *
 * <p>The thread count is the engine's one global setting ({@code torch.set_num_threads} in the shim);
 * it defaults to the number of cores, or to the {@code loss4j.threads} system property when set.
 */
public final class Parallel {
  /** Elements per block: 16K, 64 KiB of float32, small enough to balance and large enough to amortise. */
  public static final int BLOCK = 1 << 14;

  /** Inputs below this many elements stay on the caller's thread. */
  public static final int PARALLEL_MIN = 4 * BLOCK;

  private static volatile int threads = initialThreads();
  private static ForkJoinPool pool;
  private static int poolSize;

  private Parallel() {}

  /** A computation over the elements {@code [from, to)} of one block, returning its partial sum. */
  @FunctionalInterface
  public interface BlockSum {
    double apply(int from, int to);
  }

  /** A computation over the elements {@code [from, to)} of one block, with no result. */
  @FunctionalInterface
  public interface BlockBody {
    void apply(int from, int to);
  }

  /** The number of threads kernels use for large inputs. */
  public static int threads() {
    return threads;
  }

  /**
   * Sets the number of threads kernels use for large inputs, as {@code torch.set_num_threads} (results stay
   * the same bits at any count). Safe to call while losses run on other threads: a running kernel keeps the
   * count it started with.
   *
   * @throws RuntimeError "set_num_threads expects a positive integer" when {@code n < 1}
   */
  public static void setThreads(int n) {
    if (n < 1) {
      throw new RuntimeError("set_num_threads expects a positive integer");
    }
    threads = n;
  }

  /** The number of blocks {@code n} elements make. */
  public static int blocks(int n) {
    return (n + BLOCK - 1) / BLOCK;
  }

  /** The sum over blocks of {@code body}'s partial sums, added in block order. */
  public static double sum(int n, BlockSum body) {
    int blocks = blocks(n);
    if (blocks <= 1) {
      return body.apply(0, n);
    }
    double[] partial = new double[blocks];
    run(n, blocks, b -> partial[b] = body.apply(b * BLOCK, Math.min(n, (b + 1) * BLOCK)));
    double total = 0;
    for (double p : partial) {
      total += p;
    }
    return total;
  }

  /** Runs {@code body} over every block of {@code n} elements (in parallel for large {@code n}). */
  public static void forEach(int n, BlockBody body) {
    int blocks = blocks(n);
    if (blocks <= 1) {
      body.apply(0, n);
      return;
    }
    run(n, blocks, b -> body.apply(b * BLOCK, Math.min(n, (b + 1) * BLOCK)));
  }

  /**
   * Runs {@code rows} independent row computations (e.g. the rows of a (N, C) loss), several rows a task,
   * where {@code rowCost} is the number of elements a row touches; partial sums are added in row order.
   */
  public static double sumRows(int rows, int rowCost, BlockSum body) {
    int perBlock = Math.max(1, BLOCK / Math.max(1, rowCost));
    int blocks = (rows + perBlock - 1) / perBlock;
    if (blocks <= 1) {
      return body.apply(0, rows);
    }
    double[] partial = new double[blocks];
    long cost = (long) rows * Math.max(1, rowCost);
    run(cost >= PARALLEL_MIN ? PARALLEL_MIN : 0, blocks,
        b -> partial[b] = body.apply(b * perBlock, Math.min(rows, (b + 1) * perBlock)));
    double total = 0;
    for (double p : partial) {
      total += p;
    }
    return total;
  }

  private interface BlockTask {
    void run(int block);
  }

  private static void run(int n, int blocks, BlockTask task) {
    int t = Math.min(threads, blocks);
    if (t <= 1 || n < PARALLEL_MIN) {
      for (int b = 0; b < blocks; b++) {
        task.run(b);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    Runnable worker = () -> {
      for (int b; (b = next.getAndIncrement()) < blocks; ) {
        task.run(b);
      }
    };
    ForkJoinPool p = pool(t - 1);
    ForkJoinTask<?>[] helpers = new ForkJoinTask<?>[t - 1];
    for (int i = 0; i < helpers.length; i++) {
      helpers[i] = p.submit(worker);
    }
    RuntimeException failure = null;
    try {
      worker.run();
    } catch (RuntimeException e) {
      failure = e;
    }
    for (ForkJoinTask<?> h : helpers) {
      try {
        h.join();
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** A pool of at least {@code size} daemon workers, kept between calls. */
  private static synchronized ForkJoinPool pool(int size) {
    if (pool == null || poolSize < size) {
      ForkJoinPool old = pool;
      pool = new ForkJoinPool(size, p -> {
        var w = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
        w.setDaemon(true);
        w.setName("loss4j-kernel-" + w.getPoolIndex());
        return w;
      }, null, false);
      poolSize = size;
      if (old != null) {
        old.shutdown();
      }
    }
    return pool;
  }

  private static int initialThreads() {
    String prop = System.getProperty("loss4j.threads");
    if (prop != null) {
      try {
        int n = Integer.parseInt(prop.trim());
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException ignored) {
        // fall back to the core count
      }
    }
    return Runtime.getRuntime().availableProcessors();
  }
}
