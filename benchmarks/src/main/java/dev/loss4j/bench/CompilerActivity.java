package dev.loss4j.bench;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time this JVM's JIT compiler threads have used so far, to tell when a benchmark has warmed up: a case
 * is timed once its calls run with the compilers idle, not while C2 is still compiling its kernel (when it runs
 * its C1 code, 20-40x slower with the Vector API) or the code around it.
 *
 * <p>On Linux the figure is the user+system time of the threads named "C1 CompilerThre..." and "C2
 * CompilerThre..." in /proc/self/task (in clock ticks, 10 ms each), which counts a compilation while it runs.
 * Elsewhere it falls back to the JVM's total compilation time ({@link CompilationMXBean}), which grows only
 * when a compilation ends.
 */
final class CompilerActivity {
  private CompilerActivity() {}

  private static final Path TASKS = Path.of("/proc/self/task");
  private static final double TICK = 0.01;

  /** Seconds of CPU the compiler threads have used since the JVM started. */
  static double seconds() {
    if (Files.isDirectory(TASKS)) {
      double ticks = 0;
      try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
        for (Path task : tasks) {
          String comm;
          String stat;
          try {
            comm = Files.readString(task.resolve("comm")).strip();
            if (!comm.contains("CompilerThre")) {
              continue;
            }
            stat = Files.readString(task.resolve("stat"));
          } catch (IOException gone) {
            continue; // the thread ended meanwhile
          }
          // fields after the parenthesised name: state is field 3, utime 14 and stime 15
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
        return ticks * TICK;
      } catch (IOException | RuntimeException unreadable) {
        // fall through to the JVM's own figure
      }
    }
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() / 1e3 : 0;
  }
}
