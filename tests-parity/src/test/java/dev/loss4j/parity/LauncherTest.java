package dev.loss4j.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * bin/loss4j-python as a user runs it: output equal to PyTorch's (recorded), the JIT on (no "fallback
 * runtime" warning on any stream), sys.argv, exit status and CPython-style tracebacks, and its limits:
 * Ctrl-C and KeyboardInterrupt (130), a closed pipe, a full heap (small -Xmx, so each takes seconds), a
 * source too large to compile, and a message on stderr for every failure.
 */
class LauncherTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path RESOURCES = Path.of("src/test/resources").toAbsolutePath();

  record Run(int status, String out, String err) {}

  static Run launch(String... args) throws IOException, InterruptedException {
    return run("bin/loss4j-python", args);
  }

  /** Runs one of the bin/ scripts from the repository root and checks the JIT stayed on. */
  static Run run(String binScript, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve(binScript).toString()));
    cmd.addAll(List.of(args));
    return run(cmd, Map.of(), null);
  }

  /**
   * Runs {@code cmd} from the repository root with {@code env} added; {@code whileRunning}, when given, is
   * called with the process and its stdout file once it has started.
   */
  static Run run(List<String> cmd, Map<String, String> env, WhileRunning whileRunning)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("loss4j-out", ".txt");
    Path err = Files.createTempFile("loss4j-err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (whileRunning != null) {
      whileRunning.accept(p, out);
    }
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("loss4j-python did not finish in 5 minutes: " + cmd);
    }
    Run r = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    assertFalse((r.out + r.err).contains("fallback runtime"), "GraalPy ran without the JIT:\n" + r.err);
    return r;
  }

  interface WhileRunning {
    void accept(Process p, Path stdout) throws IOException, InterruptedException;
  }

  @Test
  void demoPrintsWhatPyTorchPrints() throws Exception {
    Run r = launch("examples/demo.py");
    assertEquals(0, r.status, r.err);
    assertEquals(Files.readString(RESOURCES.resolve("scripts/demo.expected")), r.out);
  }

  @Test
  void argvAndExitStatusBehaveLikePython() throws Exception {
    Run r = launch(RESOURCES.resolve("launcher/argv_exit.py").toString(), "3", "x y");
    assertEquals(3, r.status, r.err);
    assertTrue(r.out.startsWith("['3', 'x y'] __main__\n"), r.out);
  }

  @Test
  void siteBuiltinsExistAsUnderPython() throws Exception {
    Run r = launch(RESOURCES.resolve("launcher/site_builtins.py").toString());
    assertEquals(4, r.status, r.err);
    assertEquals("help: True\nUse quit() or Ctrl-D (i.e. EOF) to exit\nfinally ran\n", r.out);
  }

  @Test
  void uncaughtEngineErrorPrintsATracebackAndExitsWithOne() throws Exception {
    Run r = launch(RESOURCES.resolve("launcher/uncaught.py").toString());
    assertEquals(1, r.status, r.err);
    assertEquals("caught: avg is not a valid value for reduction\n", r.out);
    assertTrue(r.err.contains("Traceback (most recent call last):"), r.err);
    assertTrue(r.err.contains("RuntimeError: The size of tensor a (3) must match the size of tensor b (4) at "
        + "non-singleton dimension 1"), r.err);
    assertTrue(r.err.contains("UserWarning: Using a target size (torch.Size([2, 4]))"), r.err);
  }

  @Test
  void whatLoss4jDoesNotProvideStopsWithAClearError() throws Exception {
    Run r = launch(RESOURCES.resolve("launcher/conv_not_provided.py").toString());
    assertEquals(1, r.status, r.err);
    assertTrue(r.err.contains("NotImplementedError: torch.nn.Conv2d is not provided by loss4j."), r.err);
    assertTrue(r.err.contains("the losses of torch.nn and torch.nn.functional"), r.err);
  }

  @Test
  void raisedKeyboardInterruptExitsWith130() throws Exception {
    Run r = launch("-c", "raise KeyboardInterrupt");
    assertEquals(130, r.status, r.err);
    assertTrue(r.err.contains("Traceback (most recent call last):") && r.err.contains("KeyboardInterrupt"), r.err);
  }

  @Test
  void sigintRaisesKeyboardInterruptInTheScript() throws Exception {
    // A child inherits an ignored SIGINT (a build started in the background by a non-interactive shell), and
    // then, as CPython, the script rightly ignores Ctrl-C: nothing to test there.
    Assumptions.assumeFalse(sigintIgnoredHere(), "SIGINT is ignored in this test JVM, so in its children");
    Run r = run(List.of("bash", ROOT.resolve("bin/loss4j-python").toString(),
        RESOURCES.resolve("launcher/interrupt.py").toString()), Map.of(), (p, stdout) -> {
          long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
          while (!Files.readString(stdout).contains("ready") && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
          }
          // bin/loss4j-python execs java, so the process is the JVM itself.
          new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        });
    assertEquals(130, r.status, r.out + r.err);
    assertEquals("ready\nfinally ran\natexit ran\n", r.out);
    assertTrue(r.err.contains("Traceback (most recent call last):") && r.err.contains("KeyboardInterrupt"), r.err);
  }

  private static boolean sigintIgnoredHere() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return false;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseLong(line.substring(7).trim(), 16) & (1L << 1)) != 0; // bit 1: SIGINT (2)
      }
    }
    return false;
  }

  @Test
  void aClosedPipeStopsTheScriptAtOnce() throws Exception {
    Run r = run(List.of("bash", "-c", "bash bin/loss4j-python \"$0\" | head -1; exit ${PIPESTATUS[0]}",
        RESOURCES.resolve("launcher/count.py").toString()), Map.of(), null);
    assertEquals("0\n", r.out);
    assertEquals(1, r.status, r.err);
    assertTrue(r.err.contains("BrokenPipeError"), r.err);
    assertFalse(r.err.contains("ran to the end"), r.err);
  }

  @Test
  void aFullHeapIsACatchableMemoryErrorNamingTheHeap() throws Exception {
    Run r = run(List.of("bash", ROOT.resolve("bin/loss4j-python").toString(),
        RESOURCES.resolve("launcher/memory.py").toString()), Map.of("LOSS4J_JAVA_OPTS", "-Xmx160m"), null);
    String advice = "out of memory: the Java heap (";
    assertTrue(r.out.startsWith("engine: " + advice), r.out + r.err);
    assertTrue(r.out.contains("MiB) is full; give loss4j more with LOSS4J_JAVA_OPTS=-Xmx"), r.out);
    assertTrue(r.out.contains("python: MemoryError\n"), r.out + r.err);
    assertEquals(1, r.status, r.err);
    assertTrue(r.err.contains("MemoryError: " + advice), r.err);
    assertTrue(r.err.contains("loss4j-python: " + advice), r.err);
  }

  @Test
  void aSourceTooLargeToCompileSaysSo() throws Exception {
    Path big = Files.createTempFile("loss4j-big", ".py");
    StringBuilder code = new StringBuilder("data = [");
    for (int i = 0; i < 400_000; i++) {
      code.append(i).append(".5,");
    }
    Files.writeString(big, code.append("]\nprint(len(data))\n"));
    try {
      Run r = run(List.of("bash", ROOT.resolve("bin/loss4j-python").toString(), big.toString()),
          Map.of("LOSS4J_JAVA_OPTS", "-Xmx48m"), null);
      assertEquals(1, r.status, r.err);
      // Where the heap fills (reading the source, compiling it, the context's set-up) varies from run to run, and
      // the first words with it; the line always names the source, the heap's size and how to raise it.
      assertTrue(r.err.matches("(?s)loss4j-python: the source (is too large to compile|could not be read or compiled)"
          + ": out of memory: the Java heap \\(48 MiB\\) is full; give loss4j more with LOSS4J_JAVA_OPTS=.*"), r.err);
    } finally {
      Files.delete(big);
    }
  }

  @Test
  void anEngineOptionItRefusesIsOneLineWithoutAJavaTrace() throws Exception {
    Run r = run(List.of("bash", ROOT.resolve("bin/loss4j-python").toString(), "-c", "pass"),
        Map.of("LOSS4J_JAVA_OPTS", "-Dpolyglot.engine.NoSuchOption=1"), null);
    assertEquals(1, r.status, r.err);
    assertTrue(r.err.startsWith("loss4j-python: the GraalPy engine could not start: "), r.err);
    assertTrue(r.err.contains("engine.NoSuchOption"), r.err);
    assertFalse(r.err.contains("\tat ") || r.err.contains("Exception in thread"), r.err);
  }

  @Test
  void everyOtherFailureExitsNonZeroWithAMessage() throws Exception {
    Run missing = launch("no/such/script.py");
    assertEquals(2, missing.status);
    assertTrue(missing.err.contains("can't open file"), missing.err);
    Run noCode = launch("-c");
    assertEquals(2, noCode.status);
    assertTrue(noCode.err.contains("Argument expected for the -c option"), noCode.err);
    Run syntax = launch("-c", "x =");
    assertEquals(1, syntax.status);
    assertTrue(syntax.err.contains("SyntaxError"), syntax.err);
  }
}
