package dev.loss4j.spark;

import dev.loss4j.autograd.Variable;
import dev.loss4j.loss.Binary;
import dev.loss4j.loss.Classification;
import dev.loss4j.loss.Embedding;
import dev.loss4j.loss.Functional;
import dev.loss4j.loss.Probabilistic;
import dev.loss4j.loss.Sequence;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import java.util.List;
import java.util.Locale;

/**
 * Every loss that reduces over a batch, with its Spark signature: the tensor arguments in PyTorch's
 * order, then {@code reduction}, then the keyword options in PyTorch's order, each optional from the
 * right. A row of the table is one batch element (or, for elementwise losses, any slice of the
 * elements: a scalar or an array).
 *
 * <p>Left out: AdaptiveLogSoftmaxWithLoss and LinearCrossEntropyLoss, which hold parameters (a head and
 * tail clusters, a weight matrix) rather than compare a prediction with a target; a Spark user computes
 * their logits first and aggregates {@link #CROSS_ENTROPY}.
 */
enum Loss {
  L1_LOSS(Kind.ELEMENTWISE, 2),
  MSE_LOSS(Kind.ELEMENTWISE, 2),
  SMOOTH_L1_LOSS(Kind.ELEMENTWISE, 2, "beta"),
  HUBER_LOSS(Kind.ELEMENTWISE, 2, "delta"),
  SOFT_MARGIN_LOSS(Kind.ELEMENTWISE, 2),
  BINARY_CROSS_ENTROPY(Kind.ELEMENTWISE, 2, "weight"),
  BINARY_CROSS_ENTROPY_WITH_LOGITS(Kind.ELEMENTWISE, 2, "weight", "pos_weight"),
  POISSON_NLL_LOSS(Kind.ELEMENTWISE, 2, "log_input", "full", "eps"),
  GAUSSIAN_NLL_LOSS(Kind.ELEMENTWISE, 3, "full", "eps"),
  KL_DIV(Kind.ELEMENTWISE, 2, "log_target"),
  MARGIN_RANKING_LOSS(Kind.ELEMENTWISE, 3, "margin"),
  HINGE_EMBEDDING_LOSS(Kind.ELEMENTWISE, 2, "margin"),
  NLL_LOSS(Kind.CLASS_INDEX, 2, "weight", "ignore_index"),
  CROSS_ENTROPY(Kind.CLASS_INDEX, 2, "weight", "ignore_index", "label_smoothing"),
  MULTI_MARGIN_LOSS(Kind.ROW, 2, "p", "margin", "weight"),
  MULTILABEL_MARGIN_LOSS(Kind.ROW, 2),
  MULTILABEL_SOFT_MARGIN_LOSS(Kind.ROW, 2, "weight"),
  COSINE_EMBEDDING_LOSS(Kind.ROW, 3, "margin"),
  TRIPLET_MARGIN_LOSS(Kind.ROW, 3, "margin", "p", "eps", "swap"),
  TRIPLET_MARGIN_WITH_DISTANCE_LOSS(Kind.ROW, 3, "margin", "swap"),
  CTC_LOSS(Kind.CTC, 4, "blank", "zero_infinity");

  /** How a loss's mean divides its sum. */
  enum Kind {
    /** By the number of loss elements ({@code batchmean}: by the number of rows). */
    ELEMENTWISE,
    /** By the number of rows. */
    ROW,
    /** By the summed class weight of the rows whose target is not ignore_index (rows, for probability targets). */
    CLASS_INDEX,
    /** Each row's loss over its target length (at least 1), then by the number of rows. */
    CTC
  }

  final Kind kind;
  final int tensors;
  final List<String> options;

  Loss(Kind kind, int tensors, String... options) {
    this.kind = kind;
    this.tensors = tensors;
    this.options = List.of(options);
  }

  /** The SQL name, as in {@code torch.nn.functional}: {@code cross_entropy}, {@code mse_loss}. */
  String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Loss fromSqlName(String name) {
    for (Loss l : values()) {
      if (l.sqlName().equals(name.toLowerCase(Locale.ROOT))) {
        return l;
      }
    }
    return null;
  }

  /** BCE's weight is a tensor broadcast against the input, so it is read per row like a tensor argument. */
  boolean rowWeight() {
    return this == BINARY_CROSS_ENTROPY || this == BINARY_CROSS_ENTROPY_WITH_LOGITS;
  }

  /** Whether tensor slot {@code slot} holds class indices or lengths (int64 in the engine) for this loss. */
  boolean integral(int slot, boolean integralColumn) {
    return switch (this) {
      case NLL_LOSS, CROSS_ENTROPY -> slot == 1 && integralColumn;
      case MULTI_MARGIN_LOSS, MULTILABEL_MARGIN_LOSS -> slot == 1;
      case CTC_LOSS -> slot >= 1;
      default -> false;
    };
  }

  /** Options with this loss's PyTorch defaults. */
  Options defaults() {
    Options o = new Options();
    switch (this) {
      case MULTI_MARGIN_LOSS -> {
        o.p = 1;
        o.margin = 1;
      }
      case HINGE_EMBEDDING_LOSS -> o.margin = 1;
      case TRIPLET_MARGIN_LOSS -> {
        o.margin = 1;
        o.p = 2;
        o.eps = 1e-6;
      }
      case TRIPLET_MARGIN_WITH_DISTANCE_LOSS -> o.margin = 1;
      case POISSON_NLL_LOSS -> o.eps = 1e-8;
      case GAUSSIAN_NLL_LOSS -> o.eps = 1e-6;
      default -> { }
    }
    return o;
  }

  /**
   * Calls the engine on a batch: {@code t} holds the tensor arguments (for CTC, log_probs already as
   * (T, N, C) and the lengths as int64 vectors), then BCE's per-row weight when given.
   */
  Functional.Outcome call(Variable[] t, Options o, DType dtype, String reduction) {
    Variable w = o.weight == null ? null : Variable.constant(vector(o.weight, dtype));
    Variable rowWeight = rowWeight() && t.length > tensors ? t[tensors] : null;
    return switch (this) {
      case L1_LOSS -> Functional.l1Loss(t[0], t[1], null, null, reduction);
      case MSE_LOSS -> Functional.mseLoss(t[0], t[1], null, null, reduction);
      case SMOOTH_L1_LOSS -> Functional.smoothL1Loss(t[0], t[1], null, null, reduction, o.beta);
      case HUBER_LOSS -> Functional.huberLoss(t[0], t[1], reduction, o.delta);
      case SOFT_MARGIN_LOSS -> Binary.softMarginLoss(t[0], t[1], null, null, reduction);
      case BINARY_CROSS_ENTROPY -> Binary.binaryCrossEntropy(t[0], t[1], rowWeight, null, null, reduction);
      case BINARY_CROSS_ENTROPY_WITH_LOGITS -> Binary.binaryCrossEntropyWithLogits(t[0], t[1], rowWeight, null, null,
          reduction, o.posWeight == null ? null : Variable.constant(vector(o.posWeight, dtype)));
      case POISSON_NLL_LOSS -> Probabilistic.poissonNllLoss(t[0], t[1], o.logInput, o.full, null, o.eps, null,
          reduction);
      case GAUSSIAN_NLL_LOSS -> Probabilistic.gaussianNllLoss(t[0], t[1], t[2], o.full, o.eps, reduction);
      case KL_DIV -> Probabilistic.klDiv(t[0], t[1], null, null, reduction, o.logTarget);
      case MARGIN_RANKING_LOSS -> Embedding.marginRankingLoss(t[0], t[1], t[2], o.margin, null, null, reduction);
      case HINGE_EMBEDDING_LOSS -> Embedding.hingeEmbeddingLoss(t[0], t[1], o.margin, null, null, reduction);
      case NLL_LOSS -> Classification.nllLoss(t[0], t[1], w, null, o.ignoreIndex, null, reduction);
      case CROSS_ENTROPY -> Classification.crossEntropy(t[0], t[1], w, null, o.ignoreIndex, null, reduction,
          o.labelSmoothing);
      case MULTI_MARGIN_LOSS -> Classification.multiMarginLoss(t[0], t[1], o.p, o.margin, w, null, null, reduction);
      case MULTILABEL_MARGIN_LOSS -> Classification.multilabelMarginLoss(t[0], t[1], null, null, reduction);
      case MULTILABEL_SOFT_MARGIN_LOSS -> Binary.multilabelSoftMarginLoss(t[0], t[1], w, null, null, reduction);
      case COSINE_EMBEDDING_LOSS -> Embedding.cosineEmbeddingLoss(t[0], t[1], t[2], o.margin, null, null, reduction);
      case TRIPLET_MARGIN_LOSS -> Embedding.tripletMarginLoss(t[0], t[1], t[2], o.margin, o.p, o.eps, o.swap, null,
          null, reduction);
      case TRIPLET_MARGIN_WITH_DISTANCE_LOSS -> Embedding.tripletMarginWithDistanceLoss(t[0], t[1], t[2], o.margin,
          o.swap, reduction);
      case CTC_LOSS -> Sequence.ctcLoss(t[0], t[1], t[2].data().toLongArray(), t[3].data().toLongArray(), o.blank,
          reduction, o.zeroInfinity);
    };
  }

  private static Tensor vector(double[] v, DType dtype) {
    if (dtype == DType.FLOAT32) {
      float[] f = new float[v.length];
      for (int i = 0; i < v.length; i++) {
        f[i] = (float) v[i];
      }
      return Tensor.ofFloats(f, v.length);
    }
    return Tensor.ofDoubles(v.clone(), v.length);
  }
}
