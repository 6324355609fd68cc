package dev.loss4j.parity;

import dev.loss4j.autograd.Variable;
import dev.loss4j.loss.Functional;
import dev.loss4j.loss.Probabilistic;
import java.util.Map;

/** fixtures/probabilistic.jsonl through dev.loss4j.loss.Probabilistic's functional entry points. */
final class ProbabilisticReplay implements Replay {
  @Override
  public Functional.Outcome call(String op, Variable[] a, Map<String, Object> kw) {
    Boolean sizeAverage = Replay.flag(kw, "size_average");
    Boolean reduce = Replay.flag(kw, "reduce");
    String reduction = Replay.string(kw, "reduction", "mean");
    return switch (op) {
      case "gaussian_nll_loss" -> kw != null && kw.get("var") instanceof Number v
          ? Probabilistic.gaussianNllLoss(a[0], a[1], v.doubleValue(), bool(kw, "full", false),
              Replay.number(kw, "eps", 1e-6), reduction)
          : Probabilistic.gaussianNllLoss(a[0], a[1], a[2], bool(kw, "full", false), Replay.number(kw, "eps", 1e-6),
              reduction);
      case "poisson_nll_loss" -> Probabilistic.poissonNllLoss(a[0], a[1], bool(kw, "log_input", true),
          bool(kw, "full", false), sizeAverage, Replay.number(kw, "eps", 1e-8), reduce, reduction);
      case "kl_div" -> Probabilistic.klDiv(a[0], a[1], sizeAverage, reduce, reduction, bool(kw, "log_target", false));
      default -> throw new IllegalArgumentException("probabilistic has no op " + op);
    };
  }

  private static boolean bool(Map<String, Object> kw, String key, boolean dflt) {
    Boolean b = Replay.flag(kw, key);
    return b == null ? dflt : b;
  }
}
