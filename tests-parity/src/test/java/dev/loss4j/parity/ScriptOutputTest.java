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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    String actual = out.toString(StandardCharsets.UTF_8);
    if (!expected.equals(actual) && !sameUpToLastDigit(expected, actual)) {
      assertEquals(expected, actual, name + ": the shim's output differs from PyTorch's");
    }
  }

  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d*)?([eE][-+]?\\d+)?");

  /**
   * Whether two outputs differ only in printed numbers, each by at most one unit of its last printed digit: a
   * value printed to n digits can round either way when the two engines' results straddle a rounding boundary
   * (a float32 sum taken in another order moves its last bits), so text equality would ask for more than the
   * printed precision. Everything else (words, integers, shapes, dtypes, grad_fn names, errors) must be equal.
   */
  static boolean sameUpToLastDigit(String expected, String actual) {
    String[] a = expected.split("\n", -1);
    String[] b = actual.split("\n", -1);
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (!a[i].equals(b[i]) && !lineMatches(a[i], b[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean lineMatches(String x, String y) {
    Matcher mx = NUMBER.matcher(x);
    Matcher my = NUMBER.matcher(y);
    int px = 0;
    int py = 0;
    while (true) {
      boolean fx = mx.find();
      boolean fy = my.find();
      if (fx != fy) {
        return false;
      }
      if (!fx) {
        return x.substring(px).equals(y.substring(py));
      }
      if (!x.substring(px, mx.start()).equals(y.substring(py, my.start()))) {
        return false;
      }
      String tx = mx.group();
      String ty = my.group();
      if (!tx.equals(ty)) {
        if (isInteger(tx) || isInteger(ty)) {
          return false; // counts, shapes, indices and int64 values are exact
        }
        double dx = Double.parseDouble(tx);
        double dy = Double.parseDouble(ty);
        if (Math.abs(dx - dy) > 1.0001 * Math.max(lastDigit(tx), lastDigit(ty))) {
          return false;
        }
      }
      px = mx.end();
      py = my.end();
    }
  }

  private static boolean isInteger(String token) {
    return token.indexOf('.') < 0 && token.indexOf('e') < 0 && token.indexOf('E') < 0;
  }

  /** The value of one unit in the last printed digit of a number's text ("0.0028885" gives 1e-7). */
  private static double lastDigit(String token) {
    String lower = token.toLowerCase(java.util.Locale.ROOT);
    int e = lower.indexOf('e');
    String mantissa = e < 0 ? lower : lower.substring(0, e);
    int exponent = e < 0 ? 0 : Integer.parseInt(lower.substring(e + 1).replace("+", ""));
    int dot = mantissa.indexOf('.');
    int decimals = dot < 0 ? 0 : mantissa.length() - dot - 1;
    return Math.pow(10, exponent - decimals);
  }
}
