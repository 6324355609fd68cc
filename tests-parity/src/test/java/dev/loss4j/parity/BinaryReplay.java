package dev.loss4j.parity;

import dev.loss4j.autograd.Variable;
import dev.loss4j.loss.Binary;
import dev.loss4j.loss.Functional;
import java.util.Map;

/**
 * fixtures/binary.jsonl through dev.loss4j.loss.Binary. Positional arguments follow PyTorch's signatures;
 * weight and pos_weight may also come as keyword tensors.
 */
final class BinaryReplay implements Replay {
  @Override
  public Functional.Outcome call(String op, Variable[] a, Map<String, Object> kw) {
    Boolean sizeAverage = flag(a, 3, kw, "size_average");
    Boolean reduce = flag(a, 4, kw, "reduce");
    String reduction = Replay.string(kw, "reduction", "mean");
    return switch (op) {
      case "binary_cross_entropy" -> Binary.binaryCrossEntropy(a[0], a[1], arg(a, 2), sizeAverage, reduce, reduction);
      case "binary_cross_entropy_with_logits" -> Binary.binaryCrossEntropyWithLogits(a[0], a[1],
          or(arg(a, 2), Replay.tensor(kw, "weight")), sizeAverage, reduce, reduction,
          or(arg(a, 6), Replay.tensor(kw, "pos_weight")));
      case "soft_margin_loss" -> Binary.softMarginLoss(a[0], a[1], sizeAverage, reduce, reduction);
      case "multilabel_soft_margin_loss" -> Binary.multilabelSoftMarginLoss(a[0], a[1], arg(a, 2), sizeAverage, reduce,
          reduction);
      default -> throw new IllegalArgumentException("binary has no op " + op);
    };
  }

  private static Variable or(Variable positional, Variable keyword) {
    return positional != null ? positional : keyword;
  }

  private static Variable arg(Variable[] a, int i) {
    return i < a.length ? a[i] : null;
  }

  /** A legacy flag from kwargs, or from a positional 0-d bool tensor. */
  private static Boolean flag(Variable[] a, int i, Map<String, Object> kw, String key) {
    if (i < a.length && a[i] != null) {
      return a[i].data().item() != 0;
    }
    return Replay.flag(kw, key);
  }
}
