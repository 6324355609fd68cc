package dev.loss4j.parity;

import dev.loss4j.autograd.Variable;
import dev.loss4j.loss.Adaptive;
import dev.loss4j.loss.Functional;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * fixtures/adaptive.jsonl through dev.loss4j.loss.Adaptive: arguments input, target, head weight, head bias
 * (null without one), then the tail weights; the module's configuration and the result to take in kwargs.
 */
final class AdaptiveReplay implements Replay {
  @Override
  public Functional.Outcome call(String op, Variable[] a, Map<String, Object> kw) {
    if (!op.equals("adaptive_log_softmax_with_loss")) {
      throw new IllegalArgumentException("adaptive has no op " + op);
    }
    double[] cutoffs = ((List<?>) kw.get("cutoffs")).stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
    return Adaptive.adaptiveLogSoftmaxWithLoss(a[0], a[1], a[2], a[3], Arrays.copyOfRange(a, 4, a.length),
        (int) Replay.number(kw, "in_features", 0), (int) Replay.number(kw, "n_classes", 0), cutoffs,
        Replay.number(kw, "div_value", 4.0), Replay.string(kw, "result", "loss"));
  }
}
