package dev.loss4j.parity;

import dev.loss4j.python.Loss4jPython;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every recorded PyTorch case, replayed twice: through the Java API ({@code dev.loss4j.loss.Functional}
 * and autograd) and through the Python shim ({@code torch.nn.functional} on GraalPy, one shared context
 * for all cases, and the {@code torch.nn} module form where the case names one). A test is named after its
 * case id; a failure names what differs and the largest difference.
 */
class ParityTest {
  private static Context python;
  private static Value pythonReplay;

  @TestFactory
  Stream<DynamicNode> javaApi() {
    return Fixture.families().stream().map(family -> {
      Replay replay = Replay.forFamily(family);
      return DynamicContainer.dynamicContainer(family, Fixture.load(family).stream().map(f ->
          DynamicTest.dynamicTest(f.id(), () -> Verdict.check(f, Replay.run(replay, f), true))));
    });
  }

  @TestFactory
  Stream<DynamicNode> pythonShim() {
    return Fixture.families().stream().map(family ->
        DynamicContainer.dynamicContainer(family, Fixture.load(family).stream().map(f ->
            DynamicTest.dynamicTest(f.id(), () -> {
              Value result = replayer().execute(f.line());
              checkPython(f, result.getHashValue("functional").asString(), true);
              Value module = result.getHashValue("module");
              if (!module.isNull()) {
                checkPython(f, module.asString(), false);
              }
            }))));
  }

  @SuppressWarnings("unchecked")
  private static void checkPython(Fixture f, String json, boolean checkWarnings) {
    Map<String, Object> m = (Map<String, Object>) Json.parse(json);
    List<Map<String, Object>> grads = (List<Map<String, Object>>) m.get("grads");
    Observed o = new Observed((String) m.get("error_type"), (String) m.get("error_message"),
        Fixture.tensor((Map<String, Object>) m.get("output")), (String) m.get("grad_fn"),
        grads == null ? null : grads.stream().map(Fixture::tensor).toList(),
        (String) m.get("backward_error_type"), (String) m.get("backward_error_message"),
        (List<String>) m.get("warnings"));
    Verdict.check(f, o, checkWarnings);
  }

  private static synchronized Value replayer() {
    if (python == null) {
      python = Loss4jPython.newContext("parity");
      python.eval("python", readResource("replay.py"));
      pythonReplay = python.getBindings("python").getMember("replay");
    }
    return pythonReplay;
  }

  private static String readResource(String name) {
    try (var in = ParityTest.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterAll
  static void closePython() {
    if (python != null) {
      python.close();
      python = null;
    }
  }
}
