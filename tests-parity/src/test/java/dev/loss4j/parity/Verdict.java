package dev.loss4j.parity;

import static org.junit.jupiter.api.Assertions.fail;

import dev.loss4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Checks an {@link Observed} result against its fixture: every field PyTorch recorded must match. */
final class Verdict {
  private Verdict() {}

  @SuppressWarnings("unchecked")
  static void check(Fixture f, Observed o, boolean checkWarnings) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> error = f.error();
    if (error != null) {
      if (o.errorType() == null) {
        problems.add("expected " + error.get("type") + ": " + error.get("message") + " but the call succeeded");
      } else {
        expectEqual(problems, "error class", error.get("type"), o.errorType());
        expectEqual(problems, "error message", error.get("message"), o.errorMessage());
      }
    } else if (o.errorType() != null) {
      problems.add("unexpected " + o.errorType() + ": " + o.errorMessage());
    } else {
      Map<String, Object> exp = f.expected();
      addIf(problems, Tolerance.compare("output", Fixture.tensor((Map<String, Object>) exp.get("output")), o.output()));
      expectEqual(problems, "grad_fn", exp.get("grad_fn"), o.gradFn());
      Map<String, Object> bwError = (Map<String, Object>) exp.get("backward_error");
      if (bwError != null) {
        expectEqual(problems, "backward error class", bwError.get("type"), o.backwardErrorType());
        expectEqual(problems, "backward error message", bwError.get("message"), o.backwardErrorMessage());
      } else if (o.backwardErrorType() != null) {
        problems.add("unexpected backward " + o.backwardErrorType() + ": " + o.backwardErrorMessage());
      } else if (exp.containsKey("grads")) {
        List<Map<String, Object>> grads = (List<Map<String, Object>>) exp.get("grads");
        for (int i = 0; i < grads.size(); i++) {
          Tensor actual = o.grads() == null || i >= o.grads().size() ? null : o.grads().get(i);
          addIf(problems, Tolerance.compare("grad of argument " + i, Fixture.tensor(grads.get(i)), actual));
        }
      }
    }
    if (checkWarnings) {
      expectEqual(problems, "warnings", f.warnings(), o.warnings());
    }
    if (!problems.isEmpty()) {
      fail(f.id() + ":\n  " + String.join("\n  ", problems));
    }
  }

  private static void addIf(List<String> problems, String p) {
    if (p != null) {
      problems.add(p);
    }
  }

  private static void expectEqual(List<String> problems, String what, Object expected, Object actual) {
    if (!Objects.equals(expected, actual)) {
      problems.add(what + ": expected <" + expected + "> but was <" + actual + ">");
    }
  }
}
