package dev.loss4j.parity;

import dev.loss4j.autograd.Variable;
import dev.loss4j.loss.Functional;
import dev.loss4j.loss.LinearCrossEntropy;
import java.util.Map;

/**
 * fixtures/linear.jsonl through dev.loss4j.loss.LinearCrossEntropy: arguments input, linear weight, target,
 * linear bias (null without one); the class weight a keyword tensor; the options a map of
 * LinearCrossEntropyOptions' fields (absent: the reference path).
 */
final class LinearReplay implements Replay {
  @Override
  public Functional.Outcome call(String op, Variable[] a, Map<String, Object> kw) {
    if (!op.equals("linear_cross_entropy")) {
      throw new IllegalArgumentException("linear has no op " + op);
    }
    Object ii = kw.get("ignore_index");
    return LinearCrossEntropy.linearCrossEntropy(a[0], a[1], a[2], a[3], Replay.tensor(kw, "weight"),
        Replay.string(kw, "reduction", "mean"), ii == null ? null : ((Number) ii).longValue(),
        Replay.number(kw, "label_smoothing", 0.0), options(kw.get("options")));
  }

  private static LinearCrossEntropy.Options options(Object spec) {
    if (!(spec instanceof Map<?, ?> m)) {
      return null;
    }
    Object size = m.get("batch_chunk_size");
    return new LinearCrossEntropy.Options(Boolean.TRUE.equals(m.get("allow_retain_graph")),
        size == null ? null : ((Number) size).intValue(),
        m.containsKey("chunking_method") ? (String) m.get("chunking_method") : "auto",
        m.containsKey("acc_policy") ? (String) m.get("acc_policy") : "auto");
  }
}
