package dev.loss4j.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loss4j.python.Loss4jPython;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example script under {@code examples/} whose output was recorded from real PyTorch
 * ({@code recorder/record_scripts.py} writes {@code scripts/<name>.expected}) runs through the shim, in a
 * fresh context with its standard output captured, and must print exactly the recorded text: values, tensor
 * printing, grad_fn names, shapes, dtypes and error messages alike.
 */
class ScriptOutputTest {
  private static final Path EXPECTED = Path.of("src", "test", "resources", "scripts");
  private static final Path EXAMPLES = Path.of("..", "examples");

  @TestFactory
  Stream<DynamicTest> examplesPrintWhatPyTorchPrints() throws IOException {
    assertTrue(Files.isDirectory(EXPECTED), "no recorded script outputs under " + EXPECTED.toAbsolutePath());
    return Files.list(EXPECTED)
        .filter(p -> p.getFileName().toString().endsWith(".expected"))
        .sorted()
        .map(p -> {
          String name = p.getFileName().toString().replaceFirst("\\.expected$", "");
          return DynamicTest.dynamicTest(name, () -> check(name, p));
        });
  }

  private static void check(String name, Path expectedFile) throws IOException {
    Path script = EXAMPLES.resolve(name + ".py");
    assertTrue(Files.isRegularFile(script), "recorded output has no script: " + script.toAbsolutePath());
    String expected = Files.readString(expectedFile, StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String dir = script.toAbsolutePath().normalize().getParent().toString();
    try (Context context = Loss4jPython.contextBuilder(script.toString()).out(out).err(err).build()) {
      Loss4jPython.installShim(context);
      context.getBindings("python").putMember("__loss4j_script_dir", dir);
      context.eval("python", "import sys; sys.path.insert(0, __loss4j_script_dir); del __loss4j_script_dir");
      try {
        Loss4jPython.runFile(context, script);
      } catch (PolyglotException e) {
        throw new AssertionError(name + " failed under the shim: " + e.getMessage() + "\nstderr:\n"
            + err.toString(StandardCharsets.UTF_8), e);
      } finally {
        context.eval("python", "import sys\nfor s in (sys.stdout, sys.stderr):\n  s.flush()");
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    assertEquals(expected, out.toString(StandardCharsets.UTF_8), name + ": the shim's output differs from PyTorch's");
  }
}
