package dev.loss4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The memory bandwidth a loss kernel can hope for: a copy of a 128 MB float array (far past any cache), on one
 * thread and split across {@code threads} threads; bytes read plus bytes written, divided by the best of 9
 * times. Prints one JSON object.
 */
public final class Bandwidth {
  private Bandwidth() {}

  private static final int N = 32 << 20;

  public static void main(String[] args) throws InterruptedException, ExecutionException {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
    float[] src = new float[N];
    float[] dst = new float[N];
    for (int i = 0; i < N; i++) {
      src[i] = i;
    }
    double one = best(() -> System.arraycopy(src, 0, dst, 0, N));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    double all;
    try {
      all = best(() -> {
        List<Future<?>> parts = new ArrayList<>();
        int chunk = (N + threads - 1) / threads;
        for (int t = 0; t < threads; t++) {
          int from = t * chunk;
          int len = Math.min(chunk, N - from);
          parts.add(pool.submit(() -> System.arraycopy(src, from, dst, from, len)));
        }
        for (Future<?> f : parts) {
          try {
            f.get();
          } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
          }
        }
      });
    } finally {
      pool.shutdown();
    }
    double bytes = 2.0 * 4 * N;
    System.out.println(String.format(Locale.ROOT,
        "{\"copy_bytes\":%d,\"threads\":%d,\"gbs_1\":%.3f,\"gbs_all\":%.3f}", (long) bytes, threads,
        bytes / one / 1e9, bytes / all / 1e9));
  }

  private static double best(Runnable r) {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < 9; i++) {
      long t0 = System.nanoTime();
      r.run();
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    return best;
  }
}
