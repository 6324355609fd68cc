package dev.loss4j.parity;

import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.TorchException;
import dev.loss4j.loss.Functional;
import dev.loss4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replays a family's fixtures through the Java API. One implementation per family, found by name: the
 * fixture file {@code regression.jsonl} is replayed by {@code RegressionReplay}.
 */
interface Replay {
  /** Calls the Java counterpart of {@code torch.nn.functional.<op>(*args, **kwargs)}. */
  Functional.Outcome call(String op, Variable[] args, Map<String, Object> kwargs);

  static Replay forFamily(String fixtureName) {
    String family = fixtureName.split("\\.")[0];
    String name = Replay.class.getPackageName() + "." + Character.toUpperCase(family.charAt(0))
        + family.substring(1).replace("_", "") + "Replay";
    try {
      return (Replay) Class.forName(name).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("no Java replay " + name + " for fixtures/" + family + ".jsonl", e);
    }
  }

  /** Runs one case: builds leaf variables, calls, back-propagates the recorded output gradient. */
  static Observed run(Replay replay, Fixture f) {
    List<Map<String, Object>> specs = f.args();
    Variable[] args = new Variable[specs.size()];
    List<Variable> leaves = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      Map<String, Object> spec = specs.get(i);
      if (spec != null) {
        args[i] = Variable.leaf(Fixture.tensor(spec), Boolean.TRUE.equals(spec.get("requires_grad")));
      }
      leaves.add(args[i]);
    }
    Functional.Outcome outcome;
    try {
      outcome = replay.call(f.op(), args, f.kwargs());
    } catch (TorchException e) {
      return new Observed(e.pythonType(), e.getMessage(), null, null, null, null, null, e.warnings());
    }
    Variable out = outcome.value();
    List<Tensor> grads = null;
    String bwType = null;
    String bwMessage = null;
    if (out.requiresGrad()) {
      try {
        out.backward(f.gradOutput());
        grads = new ArrayList<>();
        for (Variable leaf : leaves) {
          grads.add(leaf == null ? null : leaf.grad());
        }
      } catch (TorchException e) {
        bwType = e.pythonType();
        bwMessage = e.getMessage();
      }
    }
    return new Observed(null, null, out.data(), out.gradFnName(), grads, bwType, bwMessage, outcome.warnings());
  }

  // ---- kwargs helpers shared by the family replays ----

  static String string(Map<String, Object> kwargs, String key, String dflt) {
    Object v = kwargs.get(key);
    return v == null ? dflt : (String) v;
  }

  /** A tensor-valued keyword option ({"__tensor__": spec}) as a leaf variable, or null when absent. */
  @SuppressWarnings("unchecked")
  static Variable tensor(Map<String, Object> kwargs, String key) {
    Object v = kwargs.get(key);
    if (!(v instanceof Map<?, ?> m) || !m.containsKey("__tensor__")) {
      return null;
    }
    Map<String, Object> spec = (Map<String, Object>) m.get("__tensor__");
    return Variable.leaf(Fixture.tensor(spec), Boolean.TRUE.equals(spec.get("requires_grad")));
  }

  static Boolean flag(Map<String, Object> kwargs, String key) {
    return (Boolean) kwargs.get(key);
  }

  static double number(Map<String, Object> kwargs, String key, double dflt) {
    Object v = kwargs.get(key);
    return v == null ? dflt : ((Number) v).doubleValue();
  }
}
