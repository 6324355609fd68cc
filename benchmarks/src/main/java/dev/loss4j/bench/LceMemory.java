package dev.loss4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;

/**
 * Extra memory of one linear_cross_entropy forward+backward, the reference path against the chunked one, for
 * the benchmark's 50,000-class case ({@code linear_cross_entropy[+chunked]/large/float32}). After warm-up calls
 * (at least 3 and 2 s, so that C2 has compiled the kernels: a Vector API loop still running in the interpreter
 * or C1 boxes its vectors, measured as 171 MB allocated by a chunked call after 3 calls) and a GC, one call is measured two ways: the bytes every thread allocated during it (HotSpot's per-thread
 * counters; an upper bound on the extra memory live at any moment, as nothing is freed for reuse during a call)
 * and the rise of the heap pools' peak usage over the used heap before it. Prints one JSON line per path, for
 * {@code report.py}; {@code lce_memory.py} measures PyTorch's side.
 *
 * <p>Usage: {@code java ... dev.loss4j.bench.LceMemory [size]} (size: small, medium or large; default large).
 */
public final class LceMemory {
  private LceMemory() {}

  public static void main(String[] args) {
    String size = args.length > 0 ? args[0] : "large";
    for (String kind : List.of("linear_cross_entropy", "linear_cross_entropy+chunked")) {
      Case c = Cases.byId(kind + "/" + size + "/float32");
      Prepared p = Prepared.of(c);
      long end = System.nanoTime() + 2_000_000_000L;
      for (int i = 0; i < 3 || System.nanoTime() < end; i++) {
        p.forwardBackward();
      }
      System.gc();
      List<MemoryPoolMXBean> heap = new ArrayList<>();
      long used = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          pool.resetPeakUsage();
          heap.add(pool);
          used += pool.getUsage().getUsed();
        }
      }
      long allocatedBefore = allocated();
      long t0 = System.nanoTime();
      p.forwardBackward();
      long nanos = System.nanoTime() - t0;
      long allocatedBytes = allocated() - allocatedBefore;
      long peak = 0;
      for (MemoryPoolMXBean pool : heap) {
        peak += pool.getPeakUsage().getUsed();
      }
      System.out.println("{\"engine\":\"loss4j\",\"id\":\"" + c.id() + "\",\"path\":\""
          + (kind.endsWith("chunked") ? "chunked" : "reference") + "\",\"shape\":\"" + shape(c)
          + "\",\"allocated_bytes\":" + allocatedBytes + ",\"heap_peak_rise_bytes\":" + Math.max(0, peak - used)
          + ",\"seconds\":" + nanos / 1e9 + "}");
    }
  }

  private static String shape(Case c) {
    int[] x = c.inputs().get(0).shape();
    int[] w = c.inputs().get(1).shape();
    return "N=" + x[0] + ", in=" + x[1] + ", C=" + w[0];
  }

  /** Bytes allocated so far by every live thread (the kernels' pool threads included). */
  private static long allocated() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long total = 0;
    for (long b : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      total += Math.max(0, b);
    }
    return total;
  }
}
