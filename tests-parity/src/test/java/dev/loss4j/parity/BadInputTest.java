package dev.loss4j.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loss4j.python.Loss4jPython;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The bad-input catalogue (badinput/catalogue.jsonl, recorded from PyTorch 2.13 by
 * recorder/record_badinput.py): every loss called through the shim with each argument and option of the
 * wrong kind, expecting PyTorch's exception class and message, or its output. Where PyTorch's message comes
 * from its argument parser ({@code fn(): argument 'x' ... must be T, not U}), the class and the argument's
 * name must match; for its "invalid combination of arguments" TypeError, the text up to the list of
 * signatures. A case with a documented deviation (undefined behaviour in PyTorch, loss4j's int32 sizes)
 * expects loss4j's recorded choice. Separately, no shim error may carry a Java class name or "internal error".
 */
class BadInputTest {
  private static final Path DIR = Path.of("src/test/resources/badinput");
  private static final Pattern PARSER_ARGUMENT = Pattern.compile("^\\w+\\(\\): argument '(\\w+)'");
  private static final String INVALID_COMBINATION = "received an invalid combination of arguments";
  /** What no Python user should see: Java and GraalPy class names, the engine's fallback wording. */
  private static final Pattern LEAK = Pattern.compile(
      "java\\.|javax\\.|jdk\\.|org\\.graalvm|dev\\.loss4j\\.|com\\.oracle|polyglot|Exception\\b|"
          + "internal error|foreign object|NullPointer|ClassCast|ArrayIndexOutOfBounds|\\bat [a-z]+\\.[a-z]");
  private static final List<String> PYTHON_ERRORS = List.of("TypeError", "ValueError", "RuntimeError",
      "IndexError", "AttributeError", "NotImplementedError", "KeyError", "ZeroDivisionError", "OverflowError");

  private static Context python;
  private static Map<String, Map<String, Object>> observed;

  @TestFactory
  Stream<DynamicTest> matchesPyTorch() {
    return cases().stream().map(c -> DynamicTest.dynamicTest((String) c.get("id"), () -> check(c)));
  }

  @Test
  void noShimErrorNamesJava() {
    List<String> leaks = new ArrayList<>();
    int errors = 0;
    for (Map<String, Object> c : cases()) {
      Map<String, Object> error = error(observe(c));
      if (error == null) {
        continue;
      }
      errors++;
      String type = (String) error.get("type");
      String message = (String) error.get("message");
      if (!PYTHON_ERRORS.contains(type) || LEAK.matcher(message).find()) {
        leaks.add(c.get("id") + ": " + type + ": " + message);
      }
    }
    assertTrue(errors > 1000, "the catalogue should raise well over 1000 errors, raised " + errors);
    assertEquals(List.of(), leaks, "shim errors naming Java or the engine's internals");
  }

  @SuppressWarnings("unchecked")
  private static void check(Map<String, Object> c) {
    Map<String, Object> expected = c.containsKey("loss4j") ? (Map<String, Object>) c.get("loss4j") : c;
    Map<String, Object> actual = observe(c);
    Map<String, Object> expError = error(expected);
    Map<String, Object> actError = error(actual);
    String id = (String) c.get("id");
    if (expError != null) {
      if (actError == null) {
        fail(id + ": expected " + expError.get("type") + ": " + expError.get("message") + " but got "
            + actual.get("output") + "\n  code: " + c.get("code"));
      }
      assertEquals(expError.get("type"), actError.get("type"), id + ": error class; message was "
          + actError.get("message") + "\n  code: " + c.get("code"));
      String exp = (String) expError.get("message");
      String act = (String) actError.get("message");
      Matcher parser = PARSER_ARGUMENT.matcher(exp);
      if (exp.contains(INVALID_COMBINATION)) {
        assertEquals(exp.split("but expected")[0], act.split("but expected")[0], id + ": message");
      } else if (!exp.equals(act) && "TypeError".equals(expError.get("type")) && parser.find()) {
        assertTrue(act.contains("argument '" + parser.group(1) + "'"),
            id + ": expected PyTorch's parser error for argument '" + parser.group(1) + "', got: " + act);
      } else {
        assertEquals(exp, act, id + ": message\n  code: " + c.get("code"));
      }
      return;
    }
    if (actError != null) {
      fail(id + ": unexpected " + actError.get("type") + ": " + actError.get("message") + "\n  code: "
          + c.get("code"));
    }
    Map<String, Object> exp = (Map<String, Object>) expected.get("output");
    Map<String, Object> act = (Map<String, Object>) actual.get("output");
    if (exp.containsKey("repr") || act.containsKey("repr")) {
      assertEquals(exp.get("repr"), act.get("repr"), id + ": result");
      return;
    }
    String problem = Tolerance.compare("output", Fixture.tensor(exp), Fixture.tensor(act));
    if (problem != null) {
      fail(id + ": " + problem + "\n  code: " + c.get("code"));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> error(Map<String, Object> result) {
    return (Map<String, Object>) result.get("error");
  }

  /** The shim's result for a case, computed once per case (both tests read it). */
  @SuppressWarnings("unchecked")
  private static synchronized Map<String, Object> observe(Map<String, Object> c) {
    if (observed == null) {
      observed = new LinkedHashMap<>();
      python = Loss4jPython.newContext("badinput");
      python.eval("python", read(DIR.resolve("prelude.py")));
      python.eval("python", read(DIR.resolve("replay.py")));
    }
    String id = (String) c.get("id");
    Map<String, Object> r = observed.get(id);
    if (r == null) {
      Value replay = python.getBindings("python").getMember("replay_case");
      r = (Map<String, Object>) Json.parse(replay.execute((String) c.get("line")).asString());
      observed.put(id, r);
    }
    return r;
  }

  private static List<Map<String, Object>> cases;

  @SuppressWarnings("unchecked")
  private static synchronized List<Map<String, Object>> cases() {
    if (cases == null) {
      List<Map<String, Object>> out = new ArrayList<>();
      for (String line : read(DIR.resolve("catalogue.jsonl")).split("\n")) {
        if (!line.isBlank()) {
          Map<String, Object> c = new LinkedHashMap<>((Map<String, Object>) Json.parse(line));
          c.put("line", line);
          out.add(c);
        }
      }
      cases = out;
    }
    return cases;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void close() {
    if (python != null) {
      python.close();
      python = null;
      observed = null;
    }
  }
}
