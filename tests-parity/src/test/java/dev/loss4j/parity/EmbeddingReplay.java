package dev.loss4j.parity;

import dev.loss4j.autograd.Variable;
import dev.loss4j.loss.Embedding;
import dev.loss4j.loss.Functional;
import java.util.Map;

/** fixtures/embedding.jsonl through the functional entry points of dev.loss4j.loss.Embedding. */
final class EmbeddingReplay implements Replay {
  @Override
  public Functional.Outcome call(String op, Variable[] a, Map<String, Object> kw) {
    Boolean sizeAverage = Replay.flag(kw, "size_average");
    Boolean reduce = Replay.flag(kw, "reduce");
    String reduction = Replay.string(kw, "reduction", "mean");
    boolean swap = Boolean.TRUE.equals(kw.get("swap"));
    return switch (op) {
      case "margin_ranking_loss" -> Embedding.marginRankingLoss(a[0], a[1], a[2], Replay.number(kw, "margin", 0),
          sizeAverage, reduce, reduction);
      case "hinge_embedding_loss" -> Embedding.hingeEmbeddingLoss(a[0], a[1], Replay.number(kw, "margin", 1.0),
          sizeAverage, reduce, reduction);
      case "cosine_embedding_loss" -> Embedding.cosineEmbeddingLoss(a[0], a[1], a[2], Replay.number(kw, "margin", 0),
          sizeAverage, reduce, reduction);
      // A whole-number margin in the fixture was a Python int: the overload taking a long prints it as one.
      case "triplet_margin_loss" -> kw.get("margin") instanceof Long m
          ? Embedding.tripletMarginLoss(a[0], a[1], a[2], (long) m, Replay.number(kw, "p", 2.0),
              Replay.number(kw, "eps", 1e-6), swap, sizeAverage, reduce, reduction)
          : Embedding.tripletMarginLoss(a[0], a[1], a[2], Replay.number(kw, "margin", 1.0),
              Replay.number(kw, "p", 2.0), Replay.number(kw, "eps", 1e-6), swap, sizeAverage, reduce, reduction);
      case "triplet_margin_with_distance_loss" -> kw.get("margin") instanceof Long m
          ? Embedding.tripletMarginWithDistanceLoss(a[0], a[1], a[2], (long) m, swap, reduction)
          : Embedding.tripletMarginWithDistanceLoss(a[0], a[1], a[2], Replay.number(kw, "margin", 1.0), swap,
              reduction);
      case "pairwise_distance" -> Embedding.pairwiseDistance(a[0], a[1], Replay.number(kw, "p", 2.0),
          Replay.number(kw, "eps", 1e-6), Boolean.TRUE.equals(kw.get("keepdim")));
      default -> throw new IllegalArgumentException("embedding has no op " + op);
    };
  }
}
