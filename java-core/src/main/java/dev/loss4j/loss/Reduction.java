package dev.loss4j.loss;

import dev.loss4j.errors.ValueError;

/**
 * How a loss folds its per-element values: {@code none} keeps them, {@code mean} averages, {@code sum}
 * adds, and {@code batchmean} (KLDivLoss only) adds and divides by the batch size.
 * The counterpart of torch's {@code reduction=} strings and {@code torch.nn._reduction}.
 */
public enum Reduction {
  NONE("none"),
  MEAN("mean"),
  SUM("sum"),
  BATCHMEAN("batchmean");

  private final String torchName;

  Reduction(String torchName) {
    this.torchName = torchName;
  }

  public String torchName() {
    return torchName;
  }

  /**
   * Parses a reduction string as {@code torch.nn._reduction.get_enum} does ({@code batchmean} only where
   * the loss accepts it, see {@link #fromKlDivString}).
   *
   * @throws ValueError "{@code x} is not a valid value for reduction" ("None ..." for null, Python's None)
   */
  public static Reduction fromString(String s) {
    if (s == null) {
      throw new ValueError("None is not a valid value for reduction");
    }
    return switch (s) {
      case "none" -> NONE;
      case "mean", "elementwise_mean" -> MEAN;
      case "sum" -> SUM;
      default -> throw new ValueError(s + " is not a valid value for reduction");
    };
  }

  /**
   * Returns {@code r}, or throws PyTorch's ValueError for {@code batchmean}, which only KLDivLoss accepts;
   * every other loss calls this when it is built.
   */
  public static Reduction checkNotBatchmean(Reduction r) {
    if (r == BATCHMEAN) {
      throw new ValueError("batchmean is not a valid value for reduction");
    }
    return r;
  }

  /** The deprecated {@code elementwise_mean} alias's warning, or null: emitted by callers that warn. */
  public static String deprecationWarning(String s) {
    return "elementwise_mean".equals(s)
        ? "reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead."
        : null;
  }

  /**
   * The legacy {@code size_average}/{@code reduce} pair mapped as {@code _Reduction.legacy_get_string}
   * does: an absent flag counts as true; reduce=false gives none, else size_average picks mean or sum.
   */
  public static Reduction fromLegacy(Boolean sizeAverage, Boolean reduce) {
    boolean sa = sizeAverage == null || sizeAverage;
    boolean r = reduce == null || reduce;
    if (sa && r) {
      return MEAN;
    }
    return r ? SUM : NONE;
  }

  /** The warning PyTorch emits whenever the legacy flags are passed. */
  public static String legacyWarning(Reduction r) {
    return "size_average and reduce args will be deprecated, please use reduction='" + r.torchName
        + "' instead.";
  }
}
