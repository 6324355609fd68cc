package dev.loss4j.bench;

import dev.loss4j.bench.Case.Input;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The case list both Java runners (JMH's {@link LossBench} and {@link SequenceRunner}) and the PyTorch runner
 * share: every loss class of java-core and the ops losses use, at four sizes and two dtypes.
 *
 * <p>Sizes: elementwise losses and sigmoid take (n / 256, 256) with n = 1K, 64K, 1M, 4M (margin_ranking a
 * vector of n); class-scored losses and (log_)softmax (8, 100), (64, 1000), (1024, 1000), (8192, 1000);
 * embeddings and distances (4, 256), (256, 256), (4096, 256), (16384, 256); CTC T,N,C,S = 20,2,10,5 /
 * 64,16,64,20 / 200,32,50,60 / 400,64,160,120; AdaptiveLogSoftmax (N, in_features, vocabulary) =
 * (4, 16, 200), (32, 64, 5000), (128, 128, 50000), no xlarge.
 *
 * <p>{@code java -cp ... dev.loss4j.bench.Cases [REGEX]} prints the list as JSON lines.
 */
public final class Cases {
  private Cases() {}

  public static final List<String> SIZES = List.of("small", "medium", "large", "xlarge");
  public static final List<String> DTYPES = List.of("float32", "float64");

  private static final int[] FLAT = {1 << 10, 1 << 16, 1 << 20, 1 << 22};
  private static final int[][] CLASSES = {{8, 100}, {64, 1000}, {1024, 1000}, {8192, 1000}};
  private static final int[][] EMBED = {{4, 256}, {256, 256}, {4096, 256}, {16384, 256}};
  private static final int[][] CTC = {{20, 2, 10, 5}, {64, 16, 64, 20}, {200, 32, 50, 60}, {400, 64, 160, 120}};
  /** Linear cross entropy (N, in_features, classes): the large one is a 50,000-word vocabulary head. */
  private static final int[][] LINEAR_CE = {{8, 16, 1000}, {64, 32, 8000}, {128, 64, 50000}};
  private static final int[][] ADAPTIVE = {{4, 16, 200, 50, 100}, {32, 64, 5000, 500, 2000},
      {128, 128, 50000, 2000, 10000}};

  /** Every case, in the order the one-JVM runner meets them: kind by kind, then size, then dtype. */
  public static List<Case> all() {
    List<Case> out = new ArrayList<>();
    for (String kind : KINDS) {
      for (int s = 0; s < SIZES.size(); s++) {
        for (String dtype : DTYPES) {
          Case c = make(kind, s, dtype);
          if (c != null) {
            out.add(c);
          }
        }
      }
    }
    return out;
  }

  /** The cases whose id matches {@code regex} (found anywhere in the id). */
  public static List<Case> matching(String regex) {
    Pattern p = Pattern.compile(regex);
    List<Case> out = new ArrayList<>();
    for (Case c : all()) {
      if (p.matcher(c.id()).find()) {
        out.add(c);
      }
    }
    return out;
  }

  /** The case with this id. */
  public static Case byId(String id) {
    for (Case c : all()) {
      if (c.id().equals(id)) {
        return c;
      }
    }
    throw new IllegalArgumentException("no benchmark case " + id);
  }

  /** The kinds, in report order: losses by family, then the ops. */
  public static final List<String> KINDS = List.of(
      "l1_loss", "mse_loss", "smooth_l1_loss", "huber_loss",
      "binary_cross_entropy", "binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits+pos_weight",
      "soft_margin_loss", "multilabel_soft_margin_loss",
      "nll_loss", "cross_entropy", "cross_entropy+label_smoothing", "multi_margin_loss", "multilabel_margin_loss",
      "poisson_nll_loss", "gaussian_nll_loss", "kl_div",
      "margin_ranking_loss", "hinge_embedding_loss", "cosine_embedding_loss", "triplet_margin_loss",
      "triplet_margin_with_distance_loss",
      "ctc_loss", "adaptive_log_softmax_with_loss", "linear_cross_entropy", "linear_cross_entropy+chunked",
      "log_softmax", "softmax", "sigmoid", "pairwise_distance", "cosine_similarity");

  private static Input f(String name, int[] shape, String dist, double lo, double hi, boolean grad) {
    return new Input(name, shape, "float", dist, lo, hi, grad);
  }

  private static Input l(String name, int[] shape, String dist, double lo, double hi) {
    return new Input(name, shape, "long", dist, lo, hi, false);
  }

  private static Case make(String kind, int s, String dtype) {
    String size = SIZES.get(s);
    int[] flat = {FLAT[s] / 256, 256};
    int[] cls = CLASSES[s];
    int[] rows = {cls[0]};
    int[] emb = EMBED[s];
    int[] embRows = {emb[0]};
    Map<String, Object> opt = new LinkedHashMap<>();
    List<Input> in;
    boolean elementwise = false;
    switch (kind) {
      case "l1_loss", "mse_loss", "smooth_l1_loss", "huber_loss" -> {
        in = List.of(f("input", flat, "uniform", -2, 2, true), f("target", flat, "uniform", -2, 2, false));
        elementwise = true;
      }
      case "binary_cross_entropy" -> {
        in = List.of(f("input", flat, "uniform", 0.01, 0.99, true), f("target", flat, "uniform", 0, 1, false));
        elementwise = true;
      }
      case "binary_cross_entropy_with_logits" -> {
        in = List.of(f("input", flat, "uniform", -4, 4, true), f("target", flat, "uniform", 0, 1, false));
        elementwise = true;
      }
      case "binary_cross_entropy_with_logits+pos_weight" -> {
        in = List.of(f("input", flat, "uniform", -4, 4, true), f("target", flat, "uniform", 0, 1, false),
            f("pos_weight", new int[] {256}, "uniform", 0.5, 3, false));
        elementwise = true;
      }
      case "soft_margin_loss" -> {
        in = List.of(f("input", flat, "uniform", -2, 2, true), f("target", flat, "sign", 0, 0, false));
        elementwise = true;
      }
      case "multilabel_soft_margin_loss" -> {
        in = List.of(f("input", cls, "uniform", -4, 4, true), f("target", cls, "randint", 0, 2, false));
        elementwise = true;
      }
      case "nll_loss" -> in = List.of(f("input", cls, "logsoftmax", -3, 3, true),
          l("target", rows, "randint", 0, cls[1]));
      case "cross_entropy", "cross_entropy+label_smoothing" -> {
        in = List.of(f("input", cls, "uniform", -3, 3, true), l("target", rows, "randint", 0, cls[1]));
        if (kind.endsWith("smoothing")) {
          opt.put("label_smoothing", 0.1);
        }
      }
      case "multi_margin_loss" -> in = List.of(f("input", cls, "uniform", -1, 1, true),
          l("target", rows, "randint", 0, cls[1]));
      case "multilabel_margin_loss" -> in = List.of(f("input", cls, "uniform", -1, 1, true),
          l("target", cls, "labels", 4, cls[1]));
      case "poisson_nll_loss" -> {
        in = List.of(f("input", flat, "uniform", -2, 2, true), f("target", flat, "randint", 0, 6, false));
        opt.put("log_input", "True");
        opt.put("full", "True");
        elementwise = true;
      }
      case "gaussian_nll_loss" -> {
        in = List.of(f("input", flat, "uniform", -2, 2, true), f("target", flat, "uniform", -2, 2, false),
            f("var", flat, "uniform", 0.1, 2, false));
        elementwise = true;
      }
      case "kl_div" -> {
        in = List.of(f("input", flat, "logsoftmax", -3, 3, true), f("target", flat, "uniform", 0, 1, false));
        opt.put("reduction", "batchmean");
        elementwise = true;
      }
      case "margin_ranking_loss" -> {
        int[] v = {FLAT[s]};
        in = List.of(f("input1", v, "uniform", -1, 1, true), f("input2", v, "uniform", -1, 1, true),
            f("target", v, "sign", 0, 0, false));
        elementwise = true;
      }
      case "hinge_embedding_loss" -> {
        in = List.of(f("input", flat, "uniform", 0, 2, true), f("target", flat, "sign", 0, 0, false));
        elementwise = true;
      }
      case "cosine_embedding_loss" -> in = List.of(f("input1", emb, "uniform", -1, 1, true),
          f("input2", emb, "uniform", -1, 1, true), f("target", embRows, "sign", 0, 0, false));
      case "triplet_margin_loss", "triplet_margin_with_distance_loss" -> in = List.of(
          f("anchor", emb, "uniform", -1, 1, true), f("positive", emb, "uniform", -1, 1, true),
          f("negative", emb, "uniform", -1, 1, true));
      case "ctc_loss" -> {
        int[] c = CTC[s];
        in = List.of(f("log_probs", new int[] {c[0], c[1], c[2]}, "logsoftmax", -3, 3, true),
            l("targets", new int[] {c[1], c[3]}, "randint", 1, c[2]),
            l("input_lengths", new int[] {c[1]}, "full", c[0], 0),
            l("target_lengths", new int[] {c[1]}, "full", c[3], 0));
      }
      case "adaptive_log_softmax_with_loss" -> {
        if (s >= ADAPTIVE.length) {
          return null;
        }
        int[] a = ADAPTIVE[s];
        in = List.of(f("input", new int[] {a[0], a[1]}, "uniform", -1, 1, true),
            l("target", new int[] {a[0]}, "randint", 0, a[2]));
        opt.put("in_features", a[1]);
        opt.put("n_classes", a[2]);
        opt.put("cutoffs", new int[] {a[3], a[4]});
        opt.put("div_value", 4.0);
      }
      case "linear_cross_entropy", "linear_cross_entropy+chunked" -> {
        if (s >= LINEAR_CE.length) {
          return null;
        }
        int[] a = LINEAR_CE[s];
        in = List.of(f("input", new int[] {a[0], a[1]}, "uniform", -1, 1, true),
            f("linear_weight", new int[] {a[2], a[1]}, "uniform", -0.1, 0.1, true),
            l("target", new int[] {a[0]}, "randint", 0, a[2]));
        if (kind.endsWith("chunked")) {
          opt.put("options", "LinearCrossEntropyOptions()");
        }
      }
      case "log_softmax", "softmax" -> {
        in = List.of(f("input", cls, "uniform", -3, 3, true));
        opt.put("dim", 1);
      }
      case "sigmoid" -> {
        in = List.of(f("input", flat, "uniform", -4, 4, true));
        elementwise = true;
      }
      case "pairwise_distance" -> in = List.of(f("x1", emb, "uniform", -1, 1, true),
          f("x2", emb, "uniform", -1, 1, true));
      case "cosine_similarity" -> {
        in = List.of(f("x1", emb, "uniform", -1, 1, true), f("x2", emb, "uniform", -1, 1, true));
        opt.put("dim", 1);
      }
      default -> throw new IllegalArgumentException("unknown benchmark kind " + kind);
    }
    return new Case(kind, size, dtype, in, opt, elementwise);
  }

  /** Prints the cases matching the first argument (all without one) as JSON lines. */
  public static void main(String[] args) {
    for (Case c : args.length > 0 ? matching(args[0]) : all()) {
      System.out.println(c.toJson());
    }
  }
}
