package dev.loss4j.bench;

import dev.loss4j.autograd.GradMode;
import dev.loss4j.autograd.Variable;
import dev.loss4j.bench.Case.Input;
import dev.loss4j.loss.Adaptive.AdaptiveLogSoftmaxWithLoss;
import dev.loss4j.loss.Binary;
import dev.loss4j.loss.Classification;
import dev.loss4j.loss.Embedding;
import dev.loss4j.loss.LinearCrossEntropy;
import dev.loss4j.loss.Probabilistic;
import dev.loss4j.loss.Reduction;
import dev.loss4j.loss.Regression;
import dev.loss4j.loss.Sequence;
import dev.loss4j.ops.Distances;
import dev.loss4j.ops.Pointwise;
import dev.loss4j.ops.Softmax;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A case made ready to run through loss4j's public API only, as a user's code calls it: a fresh loss object
 * per call ({@code new MSELoss().forward(x, y)}), {@link #forward} under {@code GradMode.noGrad()} (like
 * {@code torch.no_grad()}), {@link #forwardBackward} with fresh leaves for the inputs that take a gradient,
 * then {@code backward()} (an op's non-scalar output gets a gradient of ones, as
 * {@code out.backward(torch.ones_like(out))}).
 */
public final class Prepared {
  /** One call of the loss on given variables. */
  @FunctionalInterface
  private interface Call {
    Variable apply(Variable[] v);
  }

  private final Case c;
  private final Tensor[] data;
  private final Call call;
  private final List<Variable> parameters;
  private Tensor gradOutput;

  private Prepared(Case c, Tensor[] data, Call call, List<Variable> parameters) {
    this.c = c;
    this.data = data;
    this.call = call;
    this.parameters = parameters;
  }

  public Case benchCase() {
    return c;
  }

  /** The value without a graph. */
  public Object forward() {
    try (GradMode.Guard g = GradMode.noGrad()) {
      Variable[] v = new Variable[data.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = Variable.constant(data[i]);
      }
      return call.apply(v).data();
    }
  }

  /** The value and the gradient of every input (and module parameter) that takes one. */
  public Object forwardBackward() {
    Variable[] v = new Variable[data.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = Variable.leaf(data[i], c.inputs().get(i).grad());
    }
    for (Variable p : parameters) {
      p.setGrad(null);
    }
    Variable out = call.apply(v);
    if (out.data().dim() == 0) {
      out.backward();
    } else {
      if (gradOutput == null) {
        gradOutput = Tensor.full(1.0, out.data().dtype(), out.data().shape());
      }
      out.backward(gradOutput);
    }
    return v[0].grad();
  }

  /** Draws the case's inputs (seeded, so every run sees the same data) and binds the loss. */
  public static Prepared of(Case c) {
    SplittableRandom rnd = new SplittableRandom(20261201L ^ c.id().hashCode());
    DType dt = DType.fromName(c.dtype());
    Tensor[] data = new Tensor[c.inputs().size()];
    for (int i = 0; i < data.length; i++) {
      data[i] = draw(c.inputs().get(i), dt, rnd);
    }
    Reduction mean = Reduction.MEAN;
    List<Variable> params = List.of();
    Call call = switch (c.kind()) {
      case "l1_loss" -> v -> new Regression.L1Loss().forward(v[0], v[1]);
      case "mse_loss" -> v -> new Regression.MSELoss().forward(v[0], v[1]);
      case "smooth_l1_loss" -> v -> new Regression.SmoothL1Loss().forward(v[0], v[1]);
      case "huber_loss" -> v -> new Regression.HuberLoss().forward(v[0], v[1]);
      case "binary_cross_entropy" -> v -> new Binary.BCELoss().forward(v[0], v[1]);
      case "binary_cross_entropy_with_logits" -> v -> new Binary.BCEWithLogitsLoss().forward(v[0], v[1]);
      case "binary_cross_entropy_with_logits+pos_weight" -> {
        Tensor posWeight = data[2];
        yield v -> new Binary.BCEWithLogitsLoss(null, mean, posWeight).forward(v[0], v[1]);
      }
      case "soft_margin_loss" -> v -> new Binary.SoftMarginLoss().forward(v[0], v[1]);
      case "multilabel_soft_margin_loss" -> v -> new Binary.MultiLabelSoftMarginLoss().forward(v[0], v[1], null);
      case "nll_loss" -> v -> new Classification.NLLLoss().forward(v[0], v[1], null);
      case "cross_entropy" -> v -> new Classification.CrossEntropyLoss().forward(v[0], v[1], null);
      case "cross_entropy+label_smoothing" -> {
        double ls = ((Number) c.options().get("label_smoothing")).doubleValue();
        yield v -> new Classification.CrossEntropyLoss(mean, -100, ls).forward(v[0], v[1], null);
      }
      case "multi_margin_loss" -> v -> new Classification.MultiMarginLoss().forward(v[0], v[1], null);
      case "multilabel_margin_loss" -> v -> new Classification.MultiLabelMarginLoss().forward(v[0], v[1]);
      case "poisson_nll_loss" -> v -> new Probabilistic.PoissonNLLLoss(true, true, 1e-8, mean).forward(v[0], v[1]);
      case "gaussian_nll_loss" -> v -> new Probabilistic.GaussianNLLLoss().forward(v[0], v[1], v[2]);
      case "kl_div" -> v -> new Probabilistic.KLDivLoss(Reduction.BATCHMEAN, false).forward(v[0], v[1]);
      case "margin_ranking_loss" -> v -> new Embedding.MarginRankingLoss().forward(v[0], v[1], v[2]);
      case "hinge_embedding_loss" -> v -> new Embedding.HingeEmbeddingLoss().forward(v[0], v[1]);
      case "cosine_embedding_loss" -> v -> new Embedding.CosineEmbeddingLoss().forward(v[0], v[1], v[2]);
      case "triplet_margin_loss" -> v -> new Embedding.TripletMarginLoss().forward(v[0], v[1], v[2]);
      case "triplet_margin_with_distance_loss" ->
          v -> new Embedding.TripletMarginWithDistanceLoss().forward(v[0], v[1], v[2]);
      case "ctc_loss" -> {
        long[] inputLengths = data[2].toLongArray();
        long[] targetLengths = data[3].toLongArray();
        yield v -> new Sequence.CTCLoss().forward(v[0], v[1], inputLengths, targetLengths);
      }
      case "adaptive_log_softmax_with_loss" -> {
        int[] cutoffs = (int[]) c.options().get("cutoffs");
        AdaptiveLogSoftmaxWithLoss module = new AdaptiveLogSoftmaxWithLoss(
            (Integer) c.options().get("in_features"), (Integer) c.options().get("n_classes"),
            new double[] {cutoffs[0], cutoffs[1]}, (Double) c.options().get("div_value"), false, dt, 7L);
        params = module.parameters();
        yield v -> module.forward(v[0], v[1]).loss();
      }
      case "linear_cross_entropy" -> v -> LinearCrossEntropy.linearCrossEntropy(v[0], v[1], v[2], null, null, "mean",
          null, 0.0, null).value();
      case "linear_cross_entropy+chunked" -> v -> LinearCrossEntropy.linearCrossEntropy(v[0], v[1], v[2], null, null,
          "mean", null, 0.0, LinearCrossEntropy.Options.defaults()).value();
      case "log_softmax" -> v -> Softmax.logSoftmax(v[0], 1);
      case "softmax" -> v -> Softmax.softmax(v[0], 1);
      case "sigmoid" -> v -> Pointwise.sigmoid(v[0]);
      case "pairwise_distance" -> v -> Distances.pairwiseDistance(v[0], v[1], 2.0, 1e-6, false);
      case "cosine_similarity" -> v -> Distances.cosineSimilarity(v[0], v[1], 1, 1e-8);
      default -> throw new IllegalArgumentException("no loss4j call for " + c.kind());
    };
    return new Prepared(c, data, call, params);
  }

  private static Tensor draw(Input in, DType dt, SplittableRandom rnd) {
    int n = (int) in.numel();
    int[] shape = in.shape();
    if (in.type().equals("long")) {
      long[] a = new long[n];
      switch (in.dist()) {
        case "randint" -> {
          for (int i = 0; i < n; i++) {
            a[i] = rnd.nextLong((long) in.lo(), (long) in.hi());
          }
        }
        case "full" -> java.util.Arrays.fill(a, (long) in.lo());
        case "labels" -> {
          int cols = shape[shape.length - 1];
          java.util.Arrays.fill(a, -1);
          for (int r = 0; r < n / cols; r++) {
            for (int k = 0; k < Math.min((int) in.lo(), cols); k++) {
              a[r * cols + k] = rnd.nextLong(0, (long) in.hi());
            }
          }
        }
        default -> throw new IllegalArgumentException("no long distribution " + in.dist());
      }
      return Tensor.ofLongs(a, shape);
    }
    double[] a = new double[n];
    switch (in.dist()) {
      case "uniform" -> {
        for (int i = 0; i < n; i++) {
          a[i] = rnd.nextDouble(in.lo(), in.hi());
        }
      }
      case "randint" -> {
        for (int i = 0; i < n; i++) {
          a[i] = rnd.nextLong((long) in.lo(), (long) in.hi());
        }
      }
      case "sign" -> {
        for (int i = 0; i < n; i++) {
          a[i] = rnd.nextBoolean() ? 1 : -1;
        }
      }
      case "logsoftmax" -> {
        int cols = shape[shape.length - 1];
        for (int r = 0; r < n / cols; r++) {
          double max = Double.NEGATIVE_INFINITY;
          for (int k = 0; k < cols; k++) {
            a[r * cols + k] = rnd.nextDouble(in.lo(), in.hi());
            max = Math.max(max, a[r * cols + k]);
          }
          double sum = 0;
          for (int k = 0; k < cols; k++) {
            sum += Math.exp(a[r * cols + k] - max);
          }
          double lse = max + Math.log(sum);
          for (int k = 0; k < cols; k++) {
            a[r * cols + k] -= lse;
          }
        }
      }
      default -> throw new IllegalArgumentException("no float distribution " + in.dist());
    }
    if (dt == DType.FLOAT64) {
      return Tensor.ofDoubles(a, shape);
    }
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = (float) a[i];
    }
    return Tensor.ofFloats(f, shape);
  }
}
