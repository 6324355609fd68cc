package dev.loss4j.bench;

import dev.loss4j.kernel.Parallel;
import dev.loss4j.kernel.Vectorization;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Runner B: every selected case in one JVM, in sequence, as a user's JVM and the Python shim run them (the
 * per-loss JIT profiles then see each other, unlike JMH's one fork per benchmark).
 *
 * <p>Pass 1, on a fresh JVM: for each case matching {@code --curve}, forward+backward is called
 * {@code --curve-calls} times (or until {@code --curve-budget} seconds) and the 1st, 10th and 100th call are
 * timed, each the first calls of that loss in this JVM. Pass 2: for each case and mode, calls for
 * {@code --warm} seconds (at least 5 calls) and on until the JIT compilers are idle ({@link #settle}), then timed
 * calls for {@code --measure} seconds (at least 5);
 * the median is the steady-state figure. Writes one JSON object a line to {@code --out}.
 *
 * <p>Arguments: {@code --cases REGEX --threads N --warm S --measure S --curve REGEX --curve-calls N
 * --curve-budget S --modes forward,forwardBackward --out FILE}.
 */
public final class SequenceRunner {
  private SequenceRunner() {}

  public static void main(String[] args) throws IOException {
    String cases = "";
    String curve = "/large/float32$";
    int threads = Parallel.threads();
    double warm = 0.05;
    double measure = 0.1;
    int curveCalls = 100;
    double curveBudget = 4;
    String modes = "forward,forwardBackward";
    String out = null;
    for (int i = 0; i < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--cases" -> cases = v;
        case "--curve" -> curve = v;
        case "--threads" -> threads = Integer.parseInt(v);
        case "--warm" -> warm = Double.parseDouble(v);
        case "--measure" -> measure = Double.parseDouble(v);
        case "--curve-calls" -> curveCalls = Integer.parseInt(v);
        case "--curve-budget" -> curveBudget = Double.parseDouble(v);
        case "--modes" -> modes = v;
        case "--out" -> out = v;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Parallel.setThreads(threads);
    List<Case> selected = Cases.matching(cases);
    Pattern curvePattern = Pattern.compile(curve);
    try (PrintStream ps = out == null ? System.out : new PrintStream(Files.newOutputStream(Path.of(out)), true)) {
      String env = String.format(Locale.ROOT,
          "{\"runner\":\"sequence\",\"threads\":%d,\"simd\":\"%s\",\"java\":\"%s\",\"cores\":%d,\"cases\":%d}",
          threads, Vectorization.describe(), System.getProperty("java.version"),
          Runtime.getRuntime().availableProcessors(), selected.size());
      ps.println(env);
      for (Case c : selected) {
        if (curvePattern.matcher(c.id()).find()) {
          ps.println(curve(c, threads, curveCalls, curveBudget));
          System.err.print('.');
        }
      }
      for (Case c : selected) {
        steady(c, modes.split(","), threads, warm, measure).forEach(ps::println);
        System.err.print('+');
      }
      System.err.println();
    }
  }

  private static String curve(Case c, int threads, int calls, double budget) {
    String head = String.format(Locale.ROOT, "{\"id\":\"%s\",\"mode\":\"forwardBackward\",\"threads\":%d,",
        c.id(), threads);
    try {
      Prepared p = Prepared.of(c);
      List<Double> times = new ArrayList<>();
      long deadline = System.nanoTime() + (long) (budget * 1e9);
      for (int i = 0; i < calls && (i < 10 || System.nanoTime() < deadline); i++) {
        times.add(timeOnce(p::forwardBackward));
      }
      StringBuilder sb = new StringBuilder(head).append("\"curve_us\":{");
      int k = 0;
      for (int at : new int[] {1, 10, 100}) {
        if (at <= times.size()) {
          sb.append(k++ == 0 ? "" : ",").append('"').append(at).append("\":")
              .append(String.format(Locale.ROOT, "%.3f", times.get(at - 1)));
        }
      }
      return sb.append("},\"curve_calls\":").append(times.size()).append('}').toString();
    } catch (RuntimeException | OutOfMemoryError e) {
      return head + "\"curve_error\":\"" + message(e) + "\"}";
    } finally {
      System.gc();
    }
  }

  private static List<String> steady(Case c, String[] modes, int threads, double warm, double measure) {
    List<String> lines = new ArrayList<>();
    Prepared p = null;
    String failure = null;
    try {
      p = Prepared.of(c);
    } catch (RuntimeException | OutOfMemoryError e) {
      failure = message(e);
    }
    for (String mode : modes) {
      String head = String.format(Locale.ROOT, "{\"id\":\"%s\",\"mode\":\"%s\",\"threads\":%d,", c.id(), mode,
          threads);
      try {
        if (failure != null) {
          lines.add(head + "\"error\":\"" + failure + "\"}");
          continue;
        }
        Supplier<Object> call = mode.equals("forward") ? p::forward : p::forwardBackward;
        long end = System.nanoTime() + (long) (warm * 1e9);
        for (int i = 0; i < 5 || System.nanoTime() < end; i++) {
          call.get();
        }
        settle(call);
        double[] t = new double[10000];
        int n = 0;
        end = System.nanoTime() + (long) (measure * 1e9);
        while (n < t.length && (n < 5 || System.nanoTime() < end)) {
          t[n++] = timeOnce(call);
        }
        double[] s = Arrays.copyOf(t, n);
        Arrays.sort(s);
        lines.add(head + String.format(Locale.ROOT,
            "\"median_us\":%.3f,\"p10_us\":%.3f,\"p90_us\":%.3f,\"calls\":%d}", s[n / 2], s[n / 10],
            s[(n * 9) / 10], n));
      } catch (RuntimeException | OutOfMemoryError e) {
        lines.add(head + "\"error\":\"" + message(e) + "\"}");
      }
    }
    p = null;
    System.gc();
    return lines;
  }

  /**
   * Warms on until the JIT compilers are idle: a window of at least 5 calls and 100 ms in which the compiler
   * threads used at most one clock tick (10 ms) of CPU ({@link CompilerActivity}), or for at most 3 s more.
   * Two windows of similar medians, the earlier rule, did not tell: a kernel waiting in the C2 queue runs its
   * C1 code at a steady pace (the Vector API there is 20-40x slower), and sigmoid read 4.03 ms against 1.48 ms
   * alone in the 2026-12-02 session-3 run; small cases read 10-45x PyTorch in session 9 at a few hundred
   * microseconds a call.
   */
  private static void settle(Supplier<Object> call) {
    long end = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < end) {
      double c0 = CompilerActivity.seconds();
      long t0 = System.nanoTime();
      int calls = 0;
      while (calls < 5 || System.nanoTime() - t0 < 100_000_000L) {
        sink = call.get();
        calls++;
      }
      if (CompilerActivity.seconds() - c0 <= 0.0101) {
        return;
      }
    }
  }

  static volatile Object sink;

  private static double timeOnce(Supplier<Object> call) {
    long t0 = System.nanoTime();
    sink = call.get();
    return (System.nanoTime() - t0) / 1e3;
  }

  private static String message(Throwable e) {
    String m = e.getClass().getSimpleName() + ": " + e.getMessage();
    return m.replace("\\", "\\\\").replace("\"", "'").replace("\n", " ");
  }
}
