package dev.loss4j.parity;

import dev.loss4j.autograd.Variable;
import dev.loss4j.loss.Functional;
import java.util.Map;

/** fixtures/regression.jsonl through dev.loss4j.loss.Functional. */
final class RegressionReplay implements Replay {
  @Override
  public Functional.Outcome call(String op, Variable[] a, Map<String, Object> kw) {
    Boolean sizeAverage = Replay.flag(kw, "size_average");
    Boolean reduce = Replay.flag(kw, "reduce");
    String reduction = Replay.string(kw, "reduction", "mean");
    return switch (op) {
      case "l1_loss" -> Functional.l1Loss(a[0], a[1], sizeAverage, reduce, reduction, Replay.tensor(kw, "weight"));
      case "mse_loss" -> Functional.mseLoss(a[0], a[1], sizeAverage, reduce, reduction, Replay.tensor(kw, "weight"));
      case "smooth_l1_loss" -> Functional.smoothL1Loss(a[0], a[1], sizeAverage, reduce, reduction,
          Replay.number(kw, "beta", 1.0));
      case "huber_loss" -> Functional.huberLoss(a[0], a[1], reduction, Replay.number(kw, "delta", 1.0),
          Replay.tensor(kw, "weight"));
      default -> throw new IllegalArgumentException("regression has no op " + op);
    };
  }
}
