package dev.loss4j.parity;

import dev.loss4j.autograd.Variable;
import dev.loss4j.loss.Classification;
import dev.loss4j.loss.Functional;
import java.util.Map;

/**
 * fixtures/classification.jsonl through dev.loss4j.loss.Classification. A weight comes positionally or as
 * a keyword tensor; multi_margin_loss cases with a weight pass p and margin positionally as 0-d tensors, as
 * PyTorch accepts them.
 */
final class ClassificationReplay implements Replay {
  @Override
  public Functional.Outcome call(String op, Variable[] a, Map<String, Object> kw) {
    Boolean sizeAverage = Replay.flag(kw, "size_average");
    Boolean reduce = Replay.flag(kw, "reduce");
    String reduction = Replay.string(kw, "reduction", "mean");
    long ignoreIndex = (long) Replay.number(kw, "ignore_index", -100);
    return switch (op) {
      case "nll_loss" -> Classification.nllLoss(a[0], a[1], weight(a, kw), sizeAverage, ignoreIndex, reduce,
          reduction);
      case "cross_entropy" -> Classification.crossEntropy(a[0], a[1], weight(a, kw), sizeAverage, ignoreIndex, reduce,
          reduction, Replay.number(kw, "label_smoothing", 0.0));
      case "multi_margin_loss" -> Classification.multiMarginLoss(a[0], a[1],
          arg(a, 2) != null ? a[2].data().item() : Replay.number(kw, "p", 1),
          arg(a, 3) != null ? a[3].data().item() : Replay.number(kw, "margin", 1.0),
          arg(a, 4), sizeAverage, reduce, reduction);
      case "multilabel_margin_loss" -> Classification.multilabelMarginLoss(a[0], a[1], sizeAverage, reduce, reduction);
      default -> throw new IllegalArgumentException("classification has no op " + op);
    };
  }

  private static Variable weight(Variable[] a, Map<String, Object> kw) {
    return arg(a, 2) != null ? a[2] : Replay.tensor(kw, "weight");
  }

  private static Variable arg(Variable[] a, int i) {
    return i < a.length ? a[i] : null;
  }
}
