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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * bin/loss4j-python as a user runs it: output equal to PyTorch's (recorded), the JIT on (no "fallback
 * runtime" warning on any stream), sys.argv, exit status and CPython-style tracebacks.
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
    Path out = Files.createTempFile("loss4j-out", ".txt");
    Path err = Files.createTempFile("loss4j-err", ".txt");
    Process p = new ProcessBuilder(cmd).directory(ROOT.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
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
}
