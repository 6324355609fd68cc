package dev.loss4j.spark;

import java.io.Serializable;

/**
 * A loss's keyword options, read once from the constant arguments that follow its tensor arguments. The
 * defaults are PyTorch's; {@code p}, {@code margin} and {@code eps} differ between losses, so each
 * {@link Loss} sets its own before parsing.
 */
final class Options implements Serializable {
  private static final long serialVersionUID = 1L;

  String reduction = "mean";
  double[] weight;
  double[] posWeight;
  long ignoreIndex = -100;
  double labelSmoothing;
  double beta = 1.0;
  double delta = 1.0;
  double margin;
  double p;
  double eps;
  boolean full;
  boolean logInput = true;
  boolean logTarget;
  boolean swap;
  long blank;
  boolean zeroInfinity;

  /** Sets the option {@code name} from a Spark argument value (already a Java double, boolean, array or string). */
  void set(String name, Object v) {
    if (v == null) {
      return;
    }
    switch (name) {
      case "reduction" -> reduction = (String) v;
      case "weight" -> weight = (double[]) v;
      case "pos_weight" -> posWeight = (double[]) v;
      case "ignore_index" -> ignoreIndex = (long) (double) (Double) v;
      case "label_smoothing" -> labelSmoothing = (Double) v;
      case "beta" -> beta = (Double) v;
      case "delta" -> delta = (Double) v;
      case "margin" -> margin = (Double) v;
      case "p" -> p = (Double) v;
      case "eps" -> eps = (Double) v;
      case "full" -> full = (Boolean) v;
      case "log_input" -> logInput = (Boolean) v;
      case "log_target" -> logTarget = (Boolean) v;
      case "swap" -> swap = (Boolean) v;
      case "blank" -> blank = (long) (double) (Double) v;
      case "zero_infinity" -> zeroInfinity = (Boolean) v;
      default -> throw new IllegalArgumentException("unknown option " + name);
    }
  }
}
