package dev.loss4j.loss;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.GradientFunction;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.IndexError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.errors.TorchException;
import dev.loss4j.errors.ValueError;
import dev.loss4j.kernel.AtenFloatSum;
import dev.loss4j.kernel.EmbeddingKernels;
import dev.loss4j.ops.Distances;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Storage;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/**
 * The embedding losses of {@code torch.nn}: MarginRankingLoss, HingeEmbeddingLoss, CosineEmbeddingLoss,
 * TripletMarginLoss and TripletMarginWithDistanceLoss, with {@code torch.nn.functional.pairwise_distance}
 * (the distance the triplet losses use by default).
 *
 * <p>PyTorch 1.13 builds each of these from elementary ATen operations rather than from a fused kernel,
 * so its results, broadcasting, dtypes, NaN handling and grad_fn names are those of that composition.
 * This family mirrors the composition op by op: every intermediate is rounded to the dtype ATen would
 * hold it in (float32 values are rounded after each step, as float32 arithmetic does), and backward
 * follows each op's derivative formula (e.g. {@code clamp_min} passes the gradient where its input is
 * {@code >= 0}, NaN included as 0; {@code minimum} splits a tie in half).
 *
 * <p>Same-shape float32/float64 arguments (and contiguous (N, D) rows for the cosine and triplet losses)
 * take a fast path on {@link EmbeddingKernels}: the same steps and roundings in one fused pass per loss,
 * gradients included; broadcasting, integer, bool and mixed dtypes keep the op-by-op path below.
 *
 * <p>The static methods are the {@code torch.nn.functional} entry points: they take the legacy
 * {@code size_average}/{@code reduce} flags where PyTorch does, check in PyTorch's order and return the
 * warnings PyTorch emits.
 */
public final class Embedding {
  private Embedding() {}

  /** ATen's {@code constexpr float EPSILON = 1e-12} of Loss.cpp, widened to double as ATen passes it. */
  static final double EPSILON = (float) 1e-12;

  static final String SUB_BOOL = "Subtraction, the `-` operator, with a bool tensor is not supported. If you are"
      + " trying to invert a mask, use the `~` or `logical_not()` operator instead.";
  static final String SUB_TWO_BOOLS = "Subtraction, the `-` operator, with two bool tensors is not supported. Use the"
      + " `^` or `logical_xor()` operator instead.";
  static final String NEG_BOOL = "Negation, the `-` operator, on a bool tensor is not supported. If you are trying"
      + " to invert a mask, use the `~` or `logical_not()` operator instead.";

  // ==== functional entry points =======================================================================

  /**
   * {@code F.margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
   * reduction='mean')}: the reduction is resolved first, then the three ranks must agree.
   */
  public static Functional.Outcome marginRankingLoss(Variable input1, Variable input2, Variable target, double margin,
                                                     Boolean sizeAverage, Boolean reduce, String reduction) {
    List<String> warnings = new ArrayList<>();
    try {
      Reduction r = Functional.resolve(sizeAverage, reduce, pythonName(reduction), warnings);
      Tensor a = input1.data();
      Tensor b = input2.data();
      Tensor t = target.data();
      if (a.dim() != b.dim() || a.dim() != t.dim()) {
        throw new RuntimeError("margin_ranking_loss : All input tensors should have same dimension but got sizes: "
            + "input1: " + Shapes.torchSize(a.shape()) + ", input2: " + Shapes.torchSize(b.shape()) + ", target: "
            + Shapes.torchSize(t.shape()) + " ");
      }
      return new Functional.Outcome(Variable.apply(new MarginRankingLoss(margin, r), warnings, input1, input2, target),
          warnings);
    } catch (TorchException e) {
      throw e.withWarnings(warnings);
    }
  }

  /** {@code F.hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None, reduction='mean')}. */
  public static Functional.Outcome hingeEmbeddingLoss(Variable input, Variable target, double margin,
                                                      Boolean sizeAverage, Boolean reduce, String reduction) {
    List<String> warnings = new ArrayList<>();
    try {
      Reduction r = Functional.resolve(sizeAverage, reduce, pythonName(reduction), warnings);
      return new Functional.Outcome(Variable.apply(new HingeEmbeddingLoss(margin, r), warnings, input, target),
          warnings);
    } catch (TorchException e) {
      throw e.withWarnings(warnings);
    }
  }

  /**
   * {@code F.cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
   * reduction='mean')}.
   */
  public static Functional.Outcome cosineEmbeddingLoss(Variable input1, Variable input2, Variable target, double margin,
                                                       Boolean sizeAverage, Boolean reduce, String reduction) {
    List<String> warnings = new ArrayList<>();
    try {
      Reduction r = Functional.resolve(sizeAverage, reduce, pythonName(reduction), warnings);
      return new Functional.Outcome(
          Variable.apply(new CosineEmbeddingLoss(margin, r), warnings, input1, input2, target), warnings);
    } catch (TorchException e) {
      throw e.withWarnings(warnings);
    }
  }

  /**
   * {@code F.triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False,
   * size_average=None, reduce=None, reduction='mean')}.
   */
  public static Functional.Outcome tripletMarginLoss(Variable anchor, Variable positive, Variable negative,
                                                     double margin, double p, double eps, boolean swap,
                                                     Boolean sizeAverage, Boolean reduce, String reduction) {
    return tripletMarginLoss(anchor, positive, negative, margin, pythonFloat(margin), p, eps, swap, sizeAverage,
        reduce, reduction);
  }

  /**
   * {@link #tripletMarginLoss(Variable, Variable, Variable, double, double, double, boolean, Boolean, Boolean,
   * String)} with a whole-number margin, as Python's {@code margin=-1}: a margin refused is printed as the integer.
   */
  public static Functional.Outcome tripletMarginLoss(Variable anchor, Variable positive, Variable negative,
                                                     long margin, double p, double eps, boolean swap,
                                                     Boolean sizeAverage, Boolean reduce, String reduction) {
    return tripletMarginLoss(anchor, positive, negative, margin, Long.toString(margin), p, eps, swap, sizeAverage,
        reduce, reduction);
  }

  private static Functional.Outcome tripletMarginLoss(Variable anchor, Variable positive, Variable negative,
                                                      double margin, String marginText, double p, double eps,
                                                      boolean swap, Boolean sizeAverage, Boolean reduce,
                                                      String reduction) {
    List<String> warnings = new ArrayList<>();
    try {
      Reduction r = Functional.resolve(sizeAverage, reduce, pythonName(reduction), warnings);
      checkMargin(margin, marginText);
      Variable out = new TripletMarginLoss(margin, p, eps, swap, r).forward(anchor, positive, negative);
      return new Functional.Outcome(out, warnings);
    } catch (TorchException e) {
      throw e.withWarnings(warnings);
    }
  }

  /**
   * {@code F.triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None,
   * margin=1.0, swap=False, reduction='mean')} with the default distance, {@code pairwise_distance}. As in
   * PyTorch the distances are computed before the reduction string is checked.
   */
  public static Functional.Outcome tripletMarginWithDistanceLoss(Variable anchor, Variable positive,
                                                                 Variable negative, double margin, boolean swap,
                                                                 String reduction) {
    return tripletMarginWithDistanceLoss(anchor, positive, negative, null, margin, swap, reduction);
  }

  /**
   * {@code F.triplet_margin_with_distance_loss} with a distance function (null: {@code pairwise_distance}),
   * called as PyTorch calls it: {@code d(anchor, positive)}, {@code d(anchor, negative)}, then
   * {@code d(positive, negative)} when swapping.
   */
  public static Functional.Outcome tripletMarginWithDistanceLoss(
      Variable anchor, Variable positive, Variable negative, BiFunction<Variable, Variable, Variable> distance,
      double margin, boolean swap, String reduction) {
    return tripletMarginWithDistanceLoss(anchor, positive, negative, distance, margin, pythonFloat(margin), swap,
        reduction);
  }

  /**
   * {@link #tripletMarginWithDistanceLoss(Variable, Variable, Variable, double, boolean, String)} with a
   * whole-number margin, as Python's {@code margin=-1}: a margin refused is printed as the integer.
   */
  public static Functional.Outcome tripletMarginWithDistanceLoss(Variable anchor, Variable positive,
                                                                 Variable negative, long margin, boolean swap,
                                                                 String reduction) {
    return tripletMarginWithDistanceLoss(anchor, positive, negative, null, margin, Long.toString(margin), swap,
        reduction);
  }

  private static Functional.Outcome tripletMarginWithDistanceLoss(
      Variable anchor, Variable positive, Variable negative, BiFunction<Variable, Variable, Variable> distance,
      double margin, String marginText, boolean swap, String reduction) {
    Reduction r = checkTripletWithDistance(anchor.data().dim(), positive.data().dim(), negative.data().dim(), margin,
        marginText, reduction);
    if (distance == null && rowsAlike(anchor.data(), positive.data(), negative.data())) {
      List<String> warnings = new ArrayList<>();
      Variable out = Variable.apply(new FusedTriplet(margin, 2.0, 1e-6, swap, true, r, null), warnings,
          anchor, positive, negative);
      return new Functional.Outcome(out, warnings);
    }
    BiFunction<Variable, Variable, Variable> d = distance != null ? distance
        : (x, y) -> Variable.apply(new PairwiseDistance(2.0, 1e-6, false), null, x, y);
    Variable pos = d.apply(anchor, positive);
    Variable neg = d.apply(anchor, negative);
    Variable sw = swap ? d.apply(positive, negative) : null;
    return tripletMarginWithDistances(pos, neg, sw, margin, swap, reduction);
  }

  /**
   * The part of {@code F.triplet_margin_with_distance_loss} after the distances: {@code clamp(d(a,p) -
   * min(d(a,n), d(p,n)) + margin, min=0)} then the reduction. The Python shim calls this after calling a
   * Python distance function, so gradients flow through whatever that function computed.
   *
   * @param swapDistance d(positive, negative); used (and required) only when {@code swap}
   */
  public static Functional.Outcome tripletMarginWithDistances(Variable positiveDistance, Variable negativeDistance,
                                                              Variable swapDistance, double margin, boolean swap,
                                                              String reduction) {
    List<String> warnings = new ArrayList<>();
    DistanceMargin op = new DistanceMargin(margin, true, null, reduction);
    Variable out = swap
        ? Variable.apply(op, warnings, positiveDistance, negativeDistance, swapDistance)
        : Variable.apply(op, warnings, positiveDistance, negativeDistance, null);
    return new Functional.Outcome(out, warnings);
  }

  /**
   * {@code F.pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False)}: {@code ||x1 - x2 + eps||_p} over the
   * last dimension.
   */
  public static Functional.Outcome pairwiseDistance(Variable x1, Variable x2, double p, double eps, boolean keepdim) {
    List<String> warnings = new ArrayList<>();
    return new Functional.Outcome(Variable.apply(new PairwiseDistance(p, eps, keepdim), warnings, x1, x2), warnings);
  }

  // ==== the losses ====================================================================================

  /**
   * {@code torch.nn.MarginRankingLoss}: {@code l = max(0, -y * (x1 - x2) + margin)}, computed as PyTorch 1.13
   * does, {@code (-target * (input1 - input2) + margin).clamp_min_(0)}.
   *
   * <p>Shapes: input1, input2 and target of the same rank, broadcastable (typically (N) or ()); output the
   * broadcast shape for reduction none, else a scalar. Gradients flow to both inputs and to the target
   * ({@code -(x1 - x2)} where the hinge is active, including at exactly 0). Integer inputs give a float32
   * loss (the float margin promotes). grad_fn: ClampMinBackward0, MeanBackward0 or SumBackward0.
   */
  public static final class MarginRankingLoss implements Differentiable {
    /**
     * float16 and bfloat16 are computed by {@link #apply}'s general steps: PyTorch's composite rounds each op to
     * the dtype (checked on 472 random cases of 1 to 59 elements against 2.13: values and gradients equal).
     */
    @Override
    public ReducedFloat reducedFloat() {
      return ReducedFloat.NATIVE;
    }

    private final double margin;
    private final Reduction reduction;

    public MarginRankingLoss(double margin, Reduction reduction) {
      this.margin = margin;
      this.reduction = Reduction.checkNotBatchmean(reduction);
    }

    public MarginRankingLoss() {
      this(0, Reduction.MEAN);
    }

    public Variable forward(Variable input1, Variable input2, Variable target) {
      return Variable.apply(this, null, input1, input2, target);
    }

    /** The value of the loss, without gradients. */
    public Tensor forward(Tensor input1, Tensor input2, Tensor target) {
      return Differentiable.run(this, new Tensor[] {input1, input2, target}, new boolean[3]).output();
    }

    /**
     * One float dtype and shape take the fused kernel; float16/bfloat16 take the general steps below, each op
     * rounded to the dtype as PyTorch's composite rounds it (the margin too, before it is added).
     */
    @Override
    public Result apply(Tensor[] in, boolean[] needsGrad) {
      if (flatAlike(in[0], in[1], in[2]) && !in[0].dtype().isReducedFloat()) {
        return flat(in[0], in[1], in[2], needsGrad);
      }
      Nd x1 = Nd.of(in[0]);
      Nd x2 = Nd.of(in[1]);
      Nd t = Nd.of(in[2]);
      checkSub(x1.dt, x2.dt);
      if (t.dt == DType.BOOL) {
        throw new RuntimeError(NEG_BOOL);
      }
      DType dType = DType.promote(x1.dt, x2.dt);
      dType.refuseBarebones("add_stub");
      t.dt.refuseBarebones("neg_cpu");
      Nd d = zip(x1, x2, dType, (a, b) -> a - b);
      Nd negT = map(t, t.dt, v -> -v);
      DType prodType = DType.promote(negT.dt, d.dt);
      Nd prod = zip(negT, d, prodType, (a, b) -> mul(a, b, prodType));
      DType outType = prodType.isFloatingPoint() ? prodType : DType.FLOAT32;
      double m = r(margin, outType);
      Nd u = map(prod, outType, v -> v + m);
      Nd loss = map(u, outType, Embedding::clampMin0);
      boolean any = needsGrad[0] || needsGrad[1] || needsGrad[2];
      return finish(loss, reduction, "ClampMinBackward0", any, ge -> {
        // ClampMin passes where u >= 0; Mul: d(prod)/d(negT) = d, d(prod)/d(d) = negT; Sub and Neg.
        int n = ge.length;
        double[] gu = new double[n];
        for (int i = 0; i < n; i++) {
          gu[i] = u.v[i] >= 0 ? ge[i] : 0;
        }
        int[] ixT = Shapes.broadcastIndex(negT.shape, u.shape);
        int[] ixD = Shapes.broadcastIndex(d.shape, u.shape);
        Tensor g1 = null;
        Tensor g2 = null;
        Tensor gt = null;
        if (needsGrad[0] || needsGrad[1]) {
          double[] gd = new double[n];
          for (int i = 0; i < n; i++) {
            gd[i] = gu[i] * negT.v[ixT == null ? i : ixT[i]];
          }
          if (needsGrad[0]) {
            g1 = sumTo(gd, u.shape, x1.shape, in[0].dtype());
          }
          if (needsGrad[1]) {
            double[] neg = new double[n];
            for (int i = 0; i < n; i++) {
              neg[i] = -gd[i];
            }
            g2 = sumTo(neg, u.shape, x2.shape, in[1].dtype());
          }
        }
        if (needsGrad[2]) {
          double[] gn = new double[n];
          for (int i = 0; i < n; i++) {
            gn[i] = -(gu[i] * d.v[ixD == null ? i : ixD[i]]);
          }
          gt = sumTo(gn, u.shape, t.shape, in[2].dtype());
        }
        return new Tensor[] {g1, g2, gt};
      });
    }

    /** The fast path: one float dtype, one shape, {@link EmbeddingKernels#marginRanking} over the storage. */
    private Result flat(Tensor x1, Tensor x2, Tensor t, boolean[] needsGrad) {
      int n = x1.numel();
      DType dt = x1.dtype();
      boolean none = reduction == Reduction.NONE;
      Pass unit = pass(x1, x2, t, none, none ? new boolean[3] : needsGrad, unitGradient(reduction, n, dt), null);
      return fused(reduction, n, dt, none ? unit.each : reduced(unit.total, n, dt, reduction), "ClampMinBackward0",
          needsGrad[0] || needsGrad[1] || needsGrad[2], none ? null : unit.grads,
          (ge, gEach) -> pass(x1, x2, t, false, needsGrad, ge, gEach).grads);
    }

    private Pass pass(Tensor x1, Tensor x2, Tensor t, boolean each, boolean[] grads, double ge, Tensor gEach) {
      int n = x1.numel();
      int[] shape = x1.shape();
      if (x1.dtype() == DType.FLOAT32) {
        float[] e = each ? new float[n] : null;
        float[][] g = floatGrads(grads, n);
        double total = EmbeddingKernels.marginRanking(Storage.floats(x1), Storage.floats(x2), Storage.floats(t),
            (float) margin, e, g[0], g[1], g[2], ge, gEach == null ? null : floatsOf(gEach));
        return new Pass(total, adopt(e, shape), adoptAll(g, shape));
      }
      double[] e = each ? new double[n] : null;
      double[][] g = doubleGrads(grads, n);
      double total = EmbeddingKernels.marginRanking(Storage.doubles(x1), Storage.doubles(x2), Storage.doubles(t),
          margin, e, g[0], g[1], g[2], ge, gEach == null ? null : doublesOf(gEach));
      return new Pass(total, adopt(e, shape), adoptAll(g, shape));
    }

    @Override
    public String toString() {
      return "MarginRankingLoss(margin=" + margin + ", reduction=" + reduction.torchName() + ")";
    }
  }

  /**
   * {@code torch.nn.HingeEmbeddingLoss}: {@code l = x} where {@code y == 1}, {@code max(0, margin - x)} where
   * {@code y == -1}, computed as PyTorch 1.13 does: {@code where(y != 1, (margin - x).clamp_min_(0), 0) +
   * where(y != -1, x, 0)} (so a target that is neither 1 nor -1 adds both terms).
   *
   * <p>Shapes: input (*) and target broadcastable to it; output the broadcast shape for none, else a
   * scalar, of the input's dtype (an integer input stays integer and truncates the margin; its mean is an
   * error). The target only selects: it gets no gradient. grad_fn: AddBackward0, MeanBackward0, SumBackward0.
   */
  public static final class HingeEmbeddingLoss implements Differentiable {
    /**
     * float16 and bfloat16 take the general path's steps, each rounded to the input's dtype as PyTorch's
     * composition rounds them ({@code margin - x}, its clamp, the sum of the two branches); the reductions
     * sum those rounded values wide. Widening and rounding once (as before) missed the rounding of
     * {@code margin - x}, two bfloat16 tolerances in a 'sum' found by the fuzzer.
     */
    @Override
    public ReducedFloat reducedFloat() {
      return ReducedFloat.NATIVE;
    }

    private final double margin;
    private final Reduction reduction;

    public HingeEmbeddingLoss(double margin, Reduction reduction) {
      this.margin = margin;
      this.reduction = Reduction.checkNotBatchmean(reduction);
    }

    public HingeEmbeddingLoss() {
      this(1.0, Reduction.MEAN);
    }

    public Variable forward(Variable input, Variable target) {
      return Variable.apply(this, null, input, target);
    }

    /** The value of the loss, without gradients. */
    public Tensor forward(Tensor input, Tensor target) {
      return Differentiable.run(this, new Tensor[] {input, target}, new boolean[2]).output();
    }

    @Override
    public Result apply(Tensor[] in, boolean[] needsGrad) {
      if (flatAlike(in[0], in[1]) && !in[0].dtype().isReducedFloat()) {
        return flat(in[0], in[1], needsGrad);
      }
      Nd x = Nd.of(in[0]);
      DType dt = x.dt;
      if (dt == DType.BOOL) {
        // empty_like(self).fill_(margin).sub_(self): two bools.
        throw new RuntimeError(SUB_TWO_BOOLS);
      }
      // empty_like(self).fill_(margin): an integer dtype takes the margin through fill_'s checked conversion.
      double m = dt.isIntegral() ? dt.filled(margin) : r(margin, dt);
      dt.refuseBarebones("add_stub");
      Nd t = labels(in[1]);
      Nd mc = map(x, dt, v -> m - v);
      Nd loss = zip3(t, mc, x, dt, (y, c, v) -> (y != 1 ? clampMin0(c) : 0) + (y != -1 ? v : 0));
      return finish(loss, reduction, "AddBackward0", needsGrad[0], ge -> {
        int n = ge.length;
        int[] ixT = Shapes.broadcastIndex(t.shape, loss.shape);
        int[] ixX = Shapes.broadcastIndex(x.shape, loss.shape);
        double[] gx = new double[n];
        for (int i = 0; i < n; i++) {
          double y = t.v[ixT == null ? i : ixT[i]];
          double c = mc.v[ixX == null ? i : ixX[i]];
          double fromMargin = y != 1 && c >= 0 ? -ge[i] : 0;
          double fromSelf = y != -1 ? ge[i] : 0;
          gx[i] = fromMargin + fromSelf;
        }
        return new Tensor[] {sumTo(gx, loss.shape, x.shape, in[0].dtype()), null};
      });
    }

    /** The fast path: input and target of one float dtype and shape, {@link EmbeddingKernels#hingeEmbedding}. */
    private Result flat(Tensor x, Tensor t, boolean[] needsGrad) {
      int n = x.numel();
      DType dt = x.dtype();
      boolean none = reduction == Reduction.NONE;
      boolean[] grads = {needsGrad[0]};
      // A small float32 reduction adds the float losses in ATen's order, as ElementwiseLoss does: where large
      // terms cancel, PyTorch's float sum is its answer (make fuzz SEED=11, 'mean' of five terms at 1e30).
      boolean ordered = !none && dt == DType.FLOAT32 && n <= ElementwiseLoss.ORDERED_SUM_MAX;
      Pass unit = pass(x, t, none || ordered, none ? new boolean[1] : grads, unitGradient(reduction, n, dt), null);
      double total = ordered ? AtenFloatSum.contiguous(Storage.floats(unit.each), n) : unit.total;
      return fused(reduction, n, dt, none ? unit.each : reduced(total, n, dt, reduction), "AddBackward0",
          needsGrad[0], none ? null : new Tensor[] {unit.grads[0], null},
          (ge, gEach) -> new Tensor[] {pass(x, t, false, grads, ge, gEach).grads[0], null});
    }

    private Pass pass(Tensor x, Tensor t, boolean each, boolean[] grads, double ge, Tensor gEach) {
      int n = x.numel();
      int[] shape = x.shape();
      if (x.dtype() == DType.FLOAT32) {
        float[] e = each ? new float[n] : null;
        float[][] g = floatGrads(grads, n);
        double total = EmbeddingKernels.hingeEmbedding(Storage.floats(x), Storage.floats(t), (float) margin, e, g[0],
            ge, gEach == null ? null : floatsOf(gEach));
        return new Pass(total, adopt(e, shape), adoptAll(g, shape));
      }
      double[] e = each ? new double[n] : null;
      double[][] g = doubleGrads(grads, n);
      double total = EmbeddingKernels.hingeEmbedding(Storage.doubles(x), Storage.doubles(t), margin, e, g[0], ge,
          gEach == null ? null : doublesOf(gEach));
      return new Pass(total, adopt(e, shape), adoptAll(g, shape));
    }

    @Override
    public String toString() {
      return "HingeEmbeddingLoss(margin=" + margin + ", reduction=" + reduction.torchName() + ")";
    }
  }

  /**
   * {@code torch.nn.CosineEmbeddingLoss}: with {@code cos = x1.x2 / sqrt((|x1|^2 + eps)(|x2|^2 + eps))},
   * {@code eps = 1e-12}, the loss is {@code 1 - cos} where {@code y == 1} and {@code max(0, cos - margin)}
   * where {@code y == -1} (0 for any other target value).
   *
   * <p>Shapes: input1 (N, D) with target (N), or input1 (D) with a 0-d target (unbatched); input2 broadcasts
   * against input1 (PyTorch does not check its rank: the sums run over the target's rank as dim). Output
   * (N) or () for none, else a scalar. Gradients flow to both inputs, never to the target. Errors are
   * PyTorch's: "0D or 1D target tensor expected, multi-target not supported", "1D target tensor expects 2D
   * input tensors, ..." and broadcasting mismatches. grad_fn: AddBackward0, MeanBackward0, SumBackward0.
   */
  public static final class CosineEmbeddingLoss implements Differentiable {
    private final double margin;
    private final Reduction reduction;

    public CosineEmbeddingLoss(double margin, Reduction reduction) {
      this.margin = margin;
      this.reduction = Reduction.checkNotBatchmean(reduction);
    }

    public CosineEmbeddingLoss() {
      this(0, Reduction.MEAN);
    }

    public Variable forward(Variable input1, Variable input2, Variable target) {
      return Variable.apply(this, null, input1, input2, target);
    }

    /** The value of the loss, without gradients. */
    public Tensor forward(Tensor input1, Tensor input2, Tensor target) {
      return Differentiable.run(this, new Tensor[] {input1, input2, target}, new boolean[3]).output();
    }

    @Override
    public Result apply(Tensor[] in, boolean[] needsGrad) {
      Tensor a = in[0];
      Tensor b = in[1];
      int td = in[2].dim();
      if (td != 0 && td != 1) {
        throw new RuntimeError("0D or 1D target tensor expected, multi-target not supported");
      }
      if (td == 1 && (a.dim() != 2 || b.dim() != 2)) {
        throw new RuntimeError("1D target tensor expects 2D input tensors, but found inputs with sizes "
            + Shapes.format(a.shape()) + " and " + Shapes.format(b.shape()) + ".");
      }
      if (td == 0 && (a.dim() != 1 || b.dim() != 1)) {
        throw new RuntimeError("0D target tensor expects 1D input tensors, but found inputs with sizes "
            + Shapes.format(a.shape()) + " and " + Shapes.format(b.shape()) + ".");
      }
      DType half = HalfSteps.uniform("CosineEmbeddingLoss", a, b);
      boolean sameRows = a.sameShape(b) && Arrays.equals(in[2].shape(), Arrays.copyOf(a.shape(), td));
      if (half != null && sameRows) {
        return reducedPrecision(a, b, in[2], needsGrad, half);
      }
      if (half == null && flatAlike(a, b) && sameRows) {
        return rows(a, b, in[2], needsGrad);
      }
      // The op-by-op path: broadcasting, integer and mixed dtypes, and broadcast float16/bfloat16 inputs, whose
      // forward steps each round to the dtype (as map/zip/sumDim do) and whose backward steps round as
      // reducedPrecision's do, each gradient summed back to an operand's shape wide and rounded once.
      DoubleUnaryOperator q = half == null ? v -> v : v -> r(v, half);
      Nd x1 = Nd.of(a);
      Nd x2 = Nd.of(b);
      Nd t = labels(in[2]);
      DType pt = mulType(x1.dt, x2.dt);
      DType pt1 = mulType(x1.dt, x1.dt);
      DType pt2 = mulType(x2.dt, x2.dt);
      Nd prod = zip(x1, x2, pt, (u, v) -> mul(u, v, pt));
      Nd p = sumDim(prod, td);
      Nd s1 = sumDim(zip(x1, x1, pt1, (u, v) -> mul(u, v, pt1)), td);
      Nd s2 = sumDim(zip(x2, x2, pt2, (u, v) -> mul(u, v, pt2)), td);
      Nd m1 = addScalar(s1, EPSILON);
      Nd m2 = addScalar(s2, EPSILON);
      Nd mm = zip(m1, m2, DType.promote(m1.dt, m2.dt), (u, v) -> u * v);
      Nd denom = map(mm, mm.dt, Math::sqrt);
      DType ct = DType.promote(p.dt, denom.dt);
      Nd cos = zip(p, denom, ct, (u, v) -> u / v);
      double m = r(margin, ct);
      Nd cm = map(cos, ct, v -> v - m);
      Nd loss = zip3(t, cos, cm, ct, (y, c, k) -> (y == 1 ? r(1 - c, ct) : 0) + (y == -1 ? clampMin0(k) : 0));
      boolean any = needsGrad[0] || needsGrad[1];
      return finish(loss, reduction, "AddBackward0", any, ge -> {
        int n = ge.length;
        int[] ixT = Shapes.broadcastIndex(t.shape, loss.shape);
        int[] ixC = Shapes.broadcastIndex(cos.shape, loss.shape);
        // WhereBackward0 twice, each summing its branch's gradient back to cos's shape (rounded there), then
        // RsubBackward1 (1 - cos) and ClampMinBackward0 + SubBackward1 (cos - margin); cos adds the two.
        double[] posFull = new double[n];
        double[] negFull = new double[n];
        for (int i = 0; i < n; i++) {
          double y = t.v[ixT == null ? i : ixT[i]];
          posFull[i] = y == 1 ? ge[i] : 0;
          negFull[i] = y == -1 ? ge[i] : 0;
        }
        double[] gPos = round(sumToArray(posFull, loss.shape, cos.shape), q);
        double[] gNeg = round(sumToArray(negFull, loss.shape, cos.shape), q);
        double[] gc = new double[gPos.length];
        for (int i = 0; i < gc.length; i++) {
          gc[i] = q.applyAsDouble(-gPos[i] + (cm.v[i] >= 0 ? gNeg[i] : 0));
        }
        // DivBackward0: d/dp = g / denom, d/ddenom = -g * ((p / denom) / denom).
        int[] ixP = Shapes.broadcastIndex(p.shape, cos.shape);
        int[] ixD = Shapes.broadcastIndex(denom.shape, cos.shape);
        int nc = gc.length;
        double[] gpFull = new double[nc];
        double[] gdFull = new double[nc];
        for (int i = 0; i < nc; i++) {
          double pv = p.v[ixP == null ? i : ixP[i]];
          double dv = denom.v[ixD == null ? i : ixD[i]];
          gpFull[i] = q.applyAsDouble(gc[i] / dv);
          gdFull[i] = q.applyAsDouble(-gc[i] * q.applyAsDouble(q.applyAsDouble(pv / dv) / dv));
        }
        double[] gp = round(sumToArray(gpFull, cos.shape, p.shape), q);
        double[] gd = round(sumToArray(gdFull, cos.shape, denom.shape), q);
        // SqrtBackward0: g / (2 * result); MulBackward0 for m1 * m2.
        int[] ix1 = Shapes.broadcastIndex(m1.shape, mm.shape);
        int[] ix2 = Shapes.broadcastIndex(m2.shape, mm.shape);
        double[] gm1Full = new double[gd.length];
        double[] gm2Full = new double[gd.length];
        for (int i = 0; i < gd.length; i++) {
          double gmm = q.applyAsDouble(gd[i] / q.applyAsDouble(2 * denom.v[i]));
          gm1Full[i] = q.applyAsDouble(gmm * m2.v[ix2 == null ? i : ix2[i]]);
          gm2Full[i] = q.applyAsDouble(gmm * m1.v[ix1 == null ? i : ix1[i]]);
        }
        double[] gm1 = round(sumToArray(gm1Full, mm.shape, m1.shape), q);
        double[] gm2 = round(sumToArray(gm2Full, mm.shape, m2.shape), q);
        // SumBackward1 expands along the summed dim; MulBackward0 (x * x) gives g * x twice.
        double[] gprod = expandDim(gp, td, prod.shape);
        Tensor g1 = null;
        Tensor g2 = null;
        if (needsGrad[0]) {
          double[] fromProd = round(mulBroadcast(gprod, prod.shape, x2), q);
          double[] acc = round(sumToArray(fromProd, prod.shape, x1.shape), q);
          double[] gsq = expandDim(gm1, td, x1.shape);
          for (int i = 0; i < acc.length; i++) {
            double gx = q.applyAsDouble(gsq[i] * x1.v[i]);
            acc[i] = q.applyAsDouble(acc[i] + (gx + gx));
          }
          g1 = build(acc, x1.shape, a.dtype());
        }
        if (needsGrad[1]) {
          double[] fromProd = round(mulBroadcast(gprod, prod.shape, x1), q);
          double[] acc = round(sumToArray(fromProd, prod.shape, x2.shape), q);
          double[] gsq = expandDim(gm2, td, x2.shape);
          for (int i = 0; i < acc.length; i++) {
            double gx = q.applyAsDouble(gsq[i] * x2.v[i]);
            acc[i] = q.applyAsDouble(acc[i] + (gx + gx));
          }
          g2 = build(acc, x2.shape, b.dtype());
        }
        return new Tensor[] {g1, g2, null};
      });
    }

    /**
     * float16/bfloat16 inputs of one dtype and shape, (N, D) with a target (N) or (D) with a 0-d target, as
     * PyTorch 2.13's composite cosine_embedding_loss computes them, each op's result rounded to {@code dt}:
     * the products, their float sums (rounded once), {@code + EPSILON}, {@code sqrt(m1 m2)}, the division,
     * {@code 1 - cos} and {@code cos - margin} (the margin in the dtype); the gradients follow autograd's steps
     * back through the same ops.
     */
    private Result reducedPrecision(Tensor a, Tensor b, Tensor target, boolean[] needsGrad, DType dt) {
      int td = target.dim();
      int rows = td == 0 ? 1 : a.size(0);
      int cols = a.size(a.dim() - 1);
      double[] x1 = a.toDoubleArray();
      double[] x2 = b.toDoubleArray();
      double[] t = labelValues(target);
      double[] ps = new double[rows];
      double[] m1 = new double[rows];
      double[] m2 = new double[rows];
      double[] den = new double[rows];
      double[] cm = new double[rows];
      double[] out = new double[rows];
      double mr = r(margin, dt);
      for (int i = 0; i < rows; i++) {
        double sp = 0;
        double s1 = 0;
        double s2 = 0;
        for (int c = 0; c < cols; c++) {
          int k = i * cols + c;
          sp += r(x1[k] * x2[k], dt);
          s1 += r(x1[k] * x1[k], dt);
          s2 += r(x2[k] * x2[k], dt);
        }
        ps[i] = r(sp, dt);
        m1[i] = r(r(s1, dt) + EPSILON, dt);
        m2[i] = r(r(s2, dt) + EPSILON, dt);
        den[i] = r(Math.sqrt(r(m1[i] * m2[i], dt)), dt);
        double cos = r(ps[i] / den[i], dt);
        cm[i] = r(cos - mr, dt);
        out[i] = r((t[i] == 1 ? r(1 - cos, dt) : 0) + (t[i] == -1 ? clampMin0(cm[i]) : 0), dt);
      }
      Nd loss = new Nd(dt, td == 0 ? new int[0] : new int[] {rows}, out);
      return finish(loss, reduction, "AddBackward0", needsGrad[0] || needsGrad[1], ge -> {
        double[] g1 = needsGrad[0] ? new double[x1.length] : null;
        double[] g2 = needsGrad[1] ? new double[x2.length] : null;
        for (int i = 0; i < rows; i++) {
          double gc = (t[i] == 1 ? -ge[i] : 0) + (t[i] == -1 && cm[i] >= 0 ? ge[i] : 0);
          double gp = r(gc / den[i], dt);
          double gd = r(-gc * r(r(ps[i] / den[i], dt) / den[i], dt), dt);
          double gmm = r(gd / r(2 * den[i], dt), dt);
          double gm1 = r(gmm * m2[i], dt);
          double gm2 = r(gmm * m1[i], dt);
          for (int c = 0; c < cols; c++) {
            int k = i * cols + c;
            if (g1 != null) {
              g1[k] = r(r(gp * x2[k], dt) + 2 * r(gm1 * x1[k], dt), dt);
            }
            if (g2 != null) {
              g2[k] = r(r(gp * x1[k], dt) + 2 * r(gm2 * x2[k], dt), dt);
            }
          }
        }
        return new Tensor[] {g1 == null ? null : build(g1, a.shape(), dt), g2 == null ? null : build(g2, b.shape(), dt),
            null};
      });
    }

    /**
     * The fast path: inputs of one float dtype and shape, (N, D) with a target (N) or (D) with a 0-d target,
     * on {@link EmbeddingKernels#cosineEmbedding}.
     */
    private Result rows(Tensor a, Tensor b, Tensor target, boolean[] needsGrad) {
      int[] shape = a.shape();
      int size = shape[shape.length - 1];
      int rows = target.numel();
      int[] outShape = target.shape();
      double[] y = labelValues(target);
      DType dt = a.dtype();
      boolean none = reduction == Reduction.NONE;
      boolean[] grads = {needsGrad[0], needsGrad[1]};
      Pass unit = pass(a, b, y, rows, size, outShape, none, none ? new boolean[2] : grads,
          unitGradient(reduction, rows, dt), null);
      return fused(reduction, rows, dt, none ? unit.each : reduced(unit.total, rows, dt, reduction), "AddBackward0",
          needsGrad[0] || needsGrad[1], none ? null : withNull(unit.grads),
          (ge, gEach) -> withNull(pass(a, b, y, rows, size, outShape, false, grads, ge, gEach).grads));
    }

    private Pass pass(Tensor a, Tensor b, double[] y, int rows, int size, int[] outShape, boolean each,
                      boolean[] grads, double ge, Tensor gEach) {
      int n = a.numel();
      int[] shape = a.shape();
      double[] geRows = gEach == null ? null : gEach.toDoubleArray();
      if (a.dtype() == DType.FLOAT32) {
        float[] e = each ? new float[rows] : null;
        float[][] g = floatGrads(grads, n);
        double total = EmbeddingKernels.cosineEmbedding(Storage.floats(a), Storage.floats(b), y, rows, size,
            (float) margin, e, ge, geRows, g[0], g[1]);
        return new Pass(total, adopt(e, outShape), adoptAll(g, shape));
      }
      double[] e = each ? new double[rows] : null;
      double[][] g = doubleGrads(grads, n);
      double total = EmbeddingKernels.cosineEmbedding(Storage.doubles(a), Storage.doubles(b), y, rows, size, margin,
          e, ge, geRows, g[0], g[1]);
      return new Pass(total, adopt(e, outShape), adoptAll(g, shape));
    }

    @Override
    public String toString() {
      return "CosineEmbeddingLoss(margin=" + margin + ", reduction=" + reduction.torchName() + ")";
    }
  }

  /**
   * {@code torch.nn.PairwiseDistance} / {@code F.pairwise_distance}: {@code ||x1 - x2 + eps||_p} over the last
   * dimension of the broadcast shape (a 0-d pair gives {@code |x1 - x2 + eps|}), as PyTorch 1.13's
   * {@code at::norm(x1 - x2 + eps, p, -1, keepdim)}.
   *
   * <p>p: 0 counts non-zeros (no gradient), 1, 2, any other positive or negative real, and +-inf (max/min
   * of the magnitudes; the gradient is shared among the entries that attain it). Integer inputs give a
   * float32 distance. grad_fn: NormBackward1.
   */
  public static final class PairwiseDistance implements Differentiable {
    private final double p;
    private final double eps;
    private final boolean keepdim;

    public PairwiseDistance(double p, double eps, boolean keepdim) {
      this.p = p;
      this.eps = eps;
      this.keepdim = keepdim;
    }

    public PairwiseDistance() {
      this(2.0, 1e-6, false);
    }

    public Variable forward(Variable x1, Variable x2) {
      return Variable.apply(this, null, x1, x2);
    }

    /** The distances, without gradients. */
    public Tensor forward(Tensor x1, Tensor x2) {
      return Differentiable.run(this, new Tensor[] {x1, x2}, new boolean[2]).output();
    }

    /** The computation is {@code dev.loss4j.ops.Distances}' node, so ops and losses share one implementation. */
    @Override
    public Result apply(Tensor[] in, boolean[] needsGrad) {
      DType half = HalfSteps.uniform("PairwiseDistance", in[0], in[1]);
      if (half != null) {
        int[] shape = Shapes.broadcast(in[0].shape(), in[1].shape());
        if (shape.length > 0 && shape[shape.length - 1] == 0) {
          // An empty last dimension: zeros (or vector_norm's refusal of p <= 0 and inf) and empty gradients,
          // which float32 gives exactly.
          return Differentiable.widened(new Distances.PairwiseDistance(p, eps, keepdim), in, needsGrad);
        }
        return reducedPrecision(in, needsGrad, half);
      }
      return new Distances.PairwiseDistance(p, eps, keepdim).apply(in, needsGrad);
    }

    /**
     * float16/bfloat16 inputs (any p, broadcast to one shape), as PyTorch 2.13's {@code norm(x1 - x2 + eps, p)}
     * rounds it: {@link FusedTriplet}'s steps for one distance (grad_fn NormBackward1; p = 0 sends no gradient),
     * each input's gradient summed back to its shape (wide, rounded once).
     */
    private Result reducedPrecision(Tensor[] in, boolean[] needsGrad, DType dt) {
      int[] shape = Shapes.broadcast(in[0].shape(), in[1].shape());
      // Two 0-d inputs: the norm of the one difference, as a row of one.
      boolean scalar = shape.length == 0;
      int size = scalar ? 1 : shape[shape.length - 1];
      double[] d = FusedTriplet.diffs(expand(in[0], shape), expand(in[1], shape), dt.round(eps), dt);
      int rows = d.length / size;
      double[] norms = FusedTriplet.norms(d, rows, size, p, dt);
      int[] outShape = scalar ? shape : Arrays.copyOf(shape, shape.length - (keepdim ? 0 : 1));
      if (keepdim && !scalar) {
        outShape[outShape.length - 1] = 1;
      }
      Tensor out = build(norms, outShape, dt);
      GradientFunction backward = !(needsGrad[0] || needsGrad[1]) ? null : g -> {
        FusedTriplet.checkHalfExponent(p, dt);
        if (p == 0) {
          // ATen's norm backward gives no gradient at p = 0.
          return new Tensor[2];
        }
        double[] ge = g.toDoubleArray();
        double[] g1 = new double[d.length];
        double[] g2 = new double[d.length];
        for (int i = 0; i < rows; i++) {
          FusedTriplet.normGrad(ge[i], d, i * size, size, norms[i], p, dt, g1, 1, false);
          FusedTriplet.normGrad(ge[i], d, i * size, size, norms[i], p, dt, g2, -1, false);
        }
        return new Tensor[] {needsGrad[0] ? Distances.PairwiseDistance.sumTo(g1, shape, in[0].shape(), dt) : null,
            needsGrad[1] ? Distances.PairwiseDistance.sumTo(g2, shape, in[1].shape(), dt) : null};
      };
      return new Result(out, "NormBackward1", List.of(), backward);
    }

    /** The values of {@code t} broadcast to {@code shape}, row-major. */
    private static double[] expand(Tensor t, int[] shape) {
      double[] v = t.toDoubleArray();
      int[] index = Shapes.broadcastIndex(t.shape(), shape);
      if (index == null) {
        return v;
      }
      double[] out = new double[index.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = v[index[i]];
      }
      return out;
    }

    @Override
    public String toString() {
      return "PairwiseDistance(p=" + p + ", eps=" + eps + ", keepdim=" + keepdim + ")";
    }
  }

  /**
   * The margin step of the triplet losses, over precomputed distances (inputs: d(a,p), d(a,n) and
   * optionally d(p,n) for the swap): {@code neg = swap ? minimum(d(a,n), d(p,n)) : d(a,n)}, then
   * TripletMarginLoss's {@code clamp_min(margin + pos - neg, 0)} (grad_fn ClampMinBackward0; PyTorch 2.x
   * computes TripletMarginWithDistanceLoss the same way; 1.13 used {@code clamp(pos - neg + margin, min=0)},
   * ClampBackward1, which {@code marginFirst = false} still gives), then the
   * reduction. With {@code lateReduction} the reduction string is parsed only after the arithmetic, as
   * {@code F.triplet_margin_with_distance_loss} does.
   */
  public static final class DistanceMargin implements Differentiable {
    private final double margin;
    private final boolean marginFirst;
    private final Reduction reduction;
    private final String lateReduction;

    /**
     * @param marginFirst TripletMarginLoss's order ({@code margin + pos - neg}) and grad_fn names
     * @param reduction the reduction, or null to parse {@code lateReduction} after computing
     */
    public DistanceMargin(double margin, boolean marginFirst, Reduction reduction, String lateReduction) {
      this.margin = margin;
      this.marginFirst = marginFirst;
      this.reduction = reduction == null ? null : Reduction.checkNotBatchmean(reduction);
      this.lateReduction = lateReduction;
    }

    /**
     * float16/bfloat16 distances of one dtype take the generic steps below, each rounded to the dtype as PyTorch's
     * composite rounds them (the margin in the dtype, minimum's tie split in half); a mix with another dtype is
     * refused.
     */
    @Override
    public Result apply(Tensor[] in, boolean[] needsGrad) {
      HalfSteps.uniform("DistanceMargin", in);
      Nd pos = Nd.of(in[0]);
      Nd neg = Nd.of(in[1]);
      Nd sw = in[2] == null ? null : Nd.of(in[2]);
      Nd negEff = sw == null ? neg : zip(neg, sw, DType.promote(neg.dt, sw.dt), Embedding::minimum);
      DType dt = DType.promote(pos.dt, negEff.dt);
      DType outType = dt.isFloatingPoint() ? dt : DType.FLOAT32;
      double m = r(margin, outType);
      Nd pre;
      if (marginFirst) {
        Nd first = map(pos, outType, v -> v + m);
        pre = zip(first, negEff, DType.promote(first.dt, negEff.dt), (u, v) -> u - v);
      } else {
        Nd diff = zip(pos, negEff, dt, (u, v) -> u - v);
        pre = map(diff, outType, v -> v + m);
      }
      Nd loss = map(pre, pre.dt, Embedding::clampMin0);
      List<String> warnings = new ArrayList<>();
      Reduction red = reduction != null ? reduction
          : Functional.resolve(null, null, pythonName(lateReduction), warnings);
      boolean any = needsGrad[0] || needsGrad[1] || needsGrad[2];
      Result res = finish(loss, red, marginFirst ? "ClampMinBackward0" : "ClampBackward1", any, ge -> {
        int n = ge.length;
        double[] gpre = new double[n];
        for (int i = 0; i < n; i++) {
          gpre[i] = pre.v[i] >= 0 ? ge[i] : 0;
        }
        Tensor gPos = needsGrad[0] ? sumTo(gpre, pre.shape, pos.shape, in[0].dtype()) : null;
        Tensor gNeg = null;
        Tensor gSw = null;
        if (needsGrad[1] || needsGrad[2]) {
          double[] gnFull = new double[n];
          for (int i = 0; i < n; i++) {
            gnFull[i] = -gpre[i];
          }
          double[] gn = sumToArray(gnFull, pre.shape, negEff.shape);
          if (sw == null) {
            gNeg = needsGrad[1] ? build(gn, neg.shape, in[1].dtype()) : null;
          } else {
            // MinimumBackward0: a tie halves the gradient; the larger side gets none.
            int[] ixN = Shapes.broadcastIndex(neg.shape, negEff.shape);
            int[] ixS = Shapes.broadcastIndex(sw.shape, negEff.shape);
            double[] ga = new double[gn.length];
            double[] gb = new double[gn.length];
            for (int i = 0; i < gn.length; i++) {
              double a = neg.v[ixN == null ? i : ixN[i]];
              double b = sw.v[ixS == null ? i : ixS[i]];
              double shared = a == b ? gn[i] / 2 : gn[i];
              ga[i] = a > b ? 0 : shared;
              gb[i] = a < b ? 0 : shared;
            }
            gNeg = needsGrad[1] ? sumTo(ga, negEff.shape, neg.shape, in[1].dtype()) : null;
            gSw = needsGrad[2] ? sumTo(gb, negEff.shape, sw.shape, in[2].dtype()) : null;
          }
        }
        return new Tensor[] {gPos, gNeg, gSw};
      });
      warnings.addAll(res.warnings());
      return new Result(res.output(), res.gradFnName(), warnings, res.backward());
    }

    @Override
    public String toString() {
      return "DistanceMargin(margin=" + margin + ")";
    }
  }

  /**
   * {@code torch.nn.TripletMarginLoss}: {@code l = max(d(a, p) - d(a, n) + margin, 0)} with
   * {@code d(x, y) = ||x - y + eps||_p} ({@link PairwiseDistance}); with {@code swap}, {@code d(a, n)} is
   * replaced by {@code min(d(a, n), d(p, n))} (the distance swap of Balntas et al.).
   *
   * <p>Shapes: anchor, positive, negative of the same rank, (N, D) or unbatched (D), broadcastable; output
   * (N) or () for none, else a scalar. Gradients flow to all three (none for p = 0). PyTorch's error for
   * ranks that differ: "All inputs should have same dimension but got 2D, 1D and 2D inputs.". grad_fn:
   * ClampMinBackward0, MeanBackward0 or SumBackward0.
   */
  public static final class TripletMarginLoss {
    private final double margin;
    private final double p;
    private final double eps;
    private final boolean swap;
    private final Reduction reduction;

    public TripletMarginLoss(double margin, double p, double eps, boolean swap, Reduction reduction) {
      this.margin = margin;
      this.p = p;
      this.eps = eps;
      this.swap = swap;
      this.reduction = Reduction.checkNotBatchmean(reduction);
    }

    public TripletMarginLoss() {
      this(1.0, 2.0, 1e-6, false, Reduction.MEAN);
    }

    /** The loss as a node of an autograd graph (the distances are nodes too, as in PyTorch). */
    public Variable forward(Variable anchor, Variable positive, Variable negative) {
      int a = anchor.data().dim();
      int pd = positive.data().dim();
      int n = negative.data().dim();
      checkRanks(a, pd, n);
      if (rowsAlike(anchor.data(), positive.data(), negative.data())) {
        return Variable.apply(new FusedTriplet(margin, p, eps, swap, true, reduction, null), null, anchor, positive,
            negative);
      }
      PairwiseDistance dist = new PairwiseDistance(p, eps, false);
      Variable dPos = Variable.apply(dist, null, anchor, positive);
      Variable dNeg = Variable.apply(dist, null, anchor, negative);
      Variable dSwap = swap ? Variable.apply(dist, null, positive, negative) : null;
      return Variable.apply(new DistanceMargin(margin, true, reduction, null), null, dPos, dNeg, dSwap);
    }

    public Tensor forward(Tensor anchor, Tensor positive, Tensor negative) {
      return forward(Variable.constant(anchor), Variable.constant(positive), Variable.constant(negative)).data();
    }

    @Override
    public String toString() {
      return "TripletMarginLoss(margin=" + margin + ", p=" + p + ", eps=" + eps + ", swap=" + swap + ", reduction="
          + reduction.torchName() + ")";
    }
  }

  /**
   * {@code torch.nn.TripletMarginWithDistanceLoss}: {@code l = max(d(a, p) - d(a, n) + margin, 0)} for any
   * distance function {@code d} of two variables (default {@code pairwise_distance}, p = 2, eps = 1e-6),
   * with the optional swap {@code d(a, n) -> min(d(a, n), d(p, n))}. Gradients flow through whatever the
   * distance computed. Shapes: those the distance accepts; output its result's shape for none, else a
   * scalar. grad_fn: ClampMinBackward0, MeanBackward0 or SumBackward0.
   */
  public static final class TripletMarginWithDistanceLoss {
    private final BiFunction<Variable, Variable, Variable> distance;
    private final double margin;
    private final boolean swap;
    private final String reduction;

    public TripletMarginWithDistanceLoss(BiFunction<Variable, Variable, Variable> distance, double margin,
                                         boolean swap, Reduction reduction) {
      this.distance = distance;
      this.margin = margin;
      this.swap = swap;
      this.reduction = Reduction.checkNotBatchmean(reduction).torchName();
    }

    public TripletMarginWithDistanceLoss() {
      this(null, 1.0, false, Reduction.MEAN);
    }

    public Variable forward(Variable anchor, Variable positive, Variable negative) {
      return tripletMarginWithDistanceLoss(anchor, positive, negative, distance, margin, swap, reduction).value();
    }

    /** The value of the loss, without gradients. */
    public Tensor forward(Tensor anchor, Tensor positive, Tensor negative) {
      return forward(Variable.constant(anchor), Variable.constant(positive), Variable.constant(negative)).data();
    }

    @Override
    public String toString() {
      return "TripletMarginWithDistanceLoss(margin=" + margin + ", swap=" + swap + ", reduction=" + reduction + ")";
    }
  }

  /**
   * TripletMarginLoss, or TripletMarginWithDistanceLoss with its default distance, as one node over
   * same-shape float (N, D) or (D) inputs: {@link EmbeddingKernels#triplet} computes the distances, the
   * margin step and all three gradients in one pass. Values, gradients and grad_fn names are those of the
   * general path, where {@link PairwiseDistance} nodes feed a {@link DistanceMargin}.
   */
  static final class FusedTriplet implements Differentiable {
    private final double margin;
    private final double p;
    private final double eps;
    private final boolean swap;
    private final boolean marginFirst;
    private final Reduction reduction;
    private final String lateReduction;

    /** Arguments as {@link DistanceMargin}'s, with the distance's p and eps. */
    FusedTriplet(double margin, double p, double eps, boolean swap, boolean marginFirst, Reduction reduction,
                 String lateReduction) {
      this.margin = margin;
      this.p = p;
      this.eps = eps;
      this.swap = swap;
      this.marginFirst = marginFirst;
      this.reduction = reduction == null ? null : Reduction.checkNotBatchmean(reduction);
      this.lateReduction = lateReduction;
    }

    @Override
    public Result apply(Tensor[] in, boolean[] needsGrad) {
      List<String> warnings = new ArrayList<>();
      // No distance can fail on this path, so parsing the late reduction first raises the same error.
      Reduction red = reduction != null ? reduction
          : Functional.resolve(null, null, pythonName(lateReduction), warnings);
      int[] shape = in[0].shape();
      int size = shape[shape.length - 1];
      int rows = in[0].numel() / size;
      int[] outShape = Arrays.copyOf(shape, shape.length - 1);
      DType half = HalfSteps.uniform(marginFirst ? "TripletMarginLoss" : "TripletMarginWithDistanceLoss", in);
      if (half != null) {
        if (!marginFirst) {
          throw HalfSteps.notYet("TripletMarginWithDistanceLoss", half);
        }
        return reducedPrecision(in, needsGrad, red, rows, size, outShape, half);
      }
      DType dt = in[0].dtype();
      boolean none = red == Reduction.NONE;
      // p = 0: the distances send no gradient (ATen's norm_backward is undefined there).
      boolean[] grads = p == 0 ? new boolean[3] : needsGrad;
      Pass unit = pass(in, rows, size, outShape, none, none ? new boolean[3] : grads, unitGradient(red, rows, dt),
          null);
      Result res = fused(red, rows, dt, none ? unit.each : reduced(unit.total, rows, dt, red),
          marginFirst ? "ClampMinBackward0" : "ClampBackward1", needsGrad[0] || needsGrad[1] || needsGrad[2],
          none ? null : unit.grads, (ge, gEach) -> pass(in, rows, size, outShape, false, grads, ge, gEach).grads);
      warnings.addAll(res.warnings());
      return new Result(res.output(), res.gradFnName(), warnings, res.backward());
    }

    /**
     * float16/bfloat16 triplet_margin_loss (any p), as PyTorch 2.13's composite computes it, each op rounded to
     * {@code dt}: the differences plus eps (in the dtype), each row's p-norm (computed wide, rounded once),
     * {@code (margin + d(a, p)) - d(a, n)} (swap: the minimum with {@code d(p, n)}) clamped at 0. Backward: the
     * norm's backward ({@link #normGrad(double, double[], int, int, double, double, DType, double[], double,
     * boolean)}), minimum's tie split in half, and each input's contributions added in the dtype.
     */
    private Result reducedPrecision(Tensor[] in, boolean[] needsGrad, Reduction red, int rows, int size,
                                    int[] outShape, DType dt) {
      double[] a = in[0].toDoubleArray();
      double[] po = in[1].toDoubleArray();
      double[] ne = in[2].toDoubleArray();
      double e = dt.round(eps);
      double[] dap = diffs(a, po, e, dt);
      double[] dan = diffs(a, ne, e, dt);
      double[] dpn = swap ? diffs(po, ne, e, dt) : null;
      double[] nPos = norms(dap, rows, size, p, dt);
      double[] nNeg = norms(dan, rows, size, p, dt);
      double[] nSwap = swap ? norms(dpn, rows, size, p, dt) : null;
      double m = dt.round(margin);
      double[] pre = new double[rows];
      double[] each = new double[rows];
      for (int i = 0; i < rows; i++) {
        double neg = swap ? minimum(nNeg[i], nSwap[i]) : nNeg[i];
        pre[i] = r(r(nPos[i] + m, dt) - neg, dt);
        each[i] = Double.isNaN(pre[i]) ? pre[i] : clampMin0(pre[i]);
      }
      Nd loss = new Nd(dt, outShape, each);
      return finish(loss, red, "ClampMinBackward0", needsGrad[0] || needsGrad[1] || needsGrad[2], ge -> {
        checkHalfExponent(p, dt);
        int n = a.length;
        double[] ga = new double[n];
        double[] gp = new double[n];
        double[] gn = new double[n];
        double[] viaPos = new double[n];
        double[] viaNeg = new double[n];
        for (int i = 0; i < rows; i++) {
          double go = pre[i] >= 0 ? ge[i] : 0;
          double gNeg = -go;
          double toNeg = gNeg;
          double toSwap = 0;
          if (swap) {
            boolean tie = nNeg[i] == nSwap[i];
            toNeg = tie ? r(gNeg / 2, dt) : nNeg[i] > nSwap[i] ? 0 : gNeg;
            toSwap = tie ? r(gNeg / 2, dt) : nNeg[i] < nSwap[i] ? 0 : gNeg;
          }
          int off = i * size;
          normGrad(go, dap, off, size, nPos[i], p, dt, viaPos, 1, false);
          normGrad(toNeg, dan, off, size, nNeg[i], p, dt, viaNeg, 1, false);
          for (int k = off; k < off + size; k++) {
            ga[k] = r(viaPos[k] + viaNeg[k], dt);
            gp[k] = -viaPos[k];
            gn[k] = -viaNeg[k];
          }
          if (swap) {
            normGrad(toSwap, dpn, off, size, nSwap[i], p, dt, gp, 1, true);
            normGrad(toSwap, dpn, off, size, nSwap[i], p, dt, gn, -1, true);
          }
        }
        if (p == 0) {
          // ATen's norm backward gives no gradient at p = 0.
          return new Tensor[3];
        }
        int[] shape = in[0].shape();
        return new Tensor[] {needsGrad[0] ? build(ga, shape, dt) : null, needsGrad[1] ? build(gp, shape, dt) : null,
            needsGrad[2] ? build(gn, shape, dt) : null};
      });
    }

    /**
     * ATen's norm backward raises |d| or the norm to p - 1, p - 2 or 1 - p with pow, which converts the exponent
     * to the tensor's dtype: float16 refuses one past its range (|p - 1| > 65504), even for an empty input.
     */
    static void checkHalfExponent(double p, DType dt) {
      if (dt == DType.FLOAT16 && p != 0 && p != 1 && p != 2 && !Double.isInfinite(p) && Math.abs(p - 1) > 65504) {
        throw new RuntimeError("value cannot be converted to type c10::Half without overflow");
      }
    }

    /** {@code (x - y) + eps}, each step rounded to {@code dt}. */
    static double[] diffs(double[] x, double[] y, double eps, DType dt) {
      double[] d = new double[x.length];
      for (int k = 0; k < d.length; k++) {
        d[k] = r(r(x[k] - y[k], dt) + eps, dt);
      }
      return d;
    }

    /** Each row's 2-norm: the squares summed wide, the root rounded once to {@code dt}. */
    static double[] norms(double[] d, int rows, int size, DType dt) {
      return norms(d, rows, size, 2, dt);
    }

    /**
     * Each row's p-norm (p = 0 counts the nonzero entries, p = inf takes the largest magnitude), computed wide
     * and rounded once to {@code dt}, as ATen's norm reduction of a reduced dtype: for p = 2 in float, the
     * squares added in order and the float square root rounded to the dtype (where the float sum lands near a
     * rounding boundary of the dtype, a double sum rounds the other way: make fuzz SEED=11, a float16 triplet
     * with distance over 16 features).
     */
    static double[] norms(double[] d, int rows, int size, double p, DType dt) {
      double[] out = new double[rows];
      for (int i = 0; i < rows; i++) {
        if (p == 2 && dt.isReducedFloat()) {
          float s = 0;
          for (int c = 0; c < size; c++) {
            float v = (float) d[i * size + c];
            s += v * v;
          }
          out[i] = r((float) Math.sqrt(s), dt);
        } else if (p == 2) {
          double s = 0;
          for (int c = 0; c < size; c++) {
            s += d[i * size + c] * d[i * size + c];
          }
          out[i] = r(Math.sqrt(s), dt);
        } else {
          // ATen accumulates a reduced dtype's norm in float: |d|^p past float's range is inf.
          out[i] = r(dt.isReducedFloat() ? EmbeddingKernels.normFloat(d, i * size, size, p)
              : EmbeddingKernels.norm(d, i * size, size, p), dt);
        }
      }
      return out;
    }

    /** The 2-norm's backward at one element: {@code g * (diff / norm)}, 0 where the norm is 0. */
    static double normGrad(double g, double diff, double norm, DType dt) {
      return norm == 0 ? 0 : r(g * r(diff / norm, dt), dt);
    }

    /**
     * The p-norm's backward for one row of {@code d} (from {@code off}, {@code size} entries), as autograd's
     * norm backward takes it, each op rounded to {@code dt}: p = 1 {@code sgn(d) g}; p = 2 {@link #normGrad};
     * p = inf {@code sgn(d) (g / ties)} at the entries whose magnitude is the norm; p &lt; 1 {@code (sgn(d)
     * |d|^(p-1)) g norm^(1-p)} (0 where d is 0); otherwise {@code (sgn(d) |d|^(p-1)} (p &lt; 2) or {@code d
     * |d|^(p-2)}) times {@code g / norm^(p-1)} (0 where the norm is 0). Adds each gradient times {@code sign}
     * into {@code out} (the sum rounded to {@code dt}) when {@code add}, else stores it.
     */
    static void normGrad(double g, double[] d, int off, int size, double norm, double p, DType dt, double[] out,
                         double sign, boolean add) {
      int ties = 0;
      if (Double.isInfinite(p)) {
        for (int c = 0; c < size; c++) {
          double a = Math.abs(d[off + c]);
          ties += a == norm || Double.isNaN(a) ? 1 : 0;
        }
      }
      // The norm's exponent is never -0.5 here (p = 0.5 takes 1 - p), where the vectorized split would matter.
      double pow = HalfSteps.pow(norm, p < 1 ? 1 - p : p - 1, dt, true);
      double scale = p < 1 || Double.isInfinite(p) ? 0 : norm == 0 ? 0 : r(g / pow, dt);
      for (int c = 0; c < size; c++) {
        double x = d[off + c];
        boolean vec = HalfSteps.vectorized(off + c, d.length);
        double v;
        if (p == 0) {
          v = 0;
        } else if (p == 1) {
          v = Math.signum(x) * g;
        } else if (p == 2) {
          v = normGrad(g, x, norm, dt);
        } else if (Double.isInfinite(p)) {
          double a = Math.abs(x);
          v = a == norm || Double.isNaN(a) ? Math.signum(x) * r(g / ties, dt) : 0;
        } else if (p < 1) {
          double scaled = x == 0 ? 0 : Math.signum(x) * HalfSteps.pow(Math.abs(x), p - 1, dt, vec);
          v = r(r(scaled * g, dt) * pow, dt);
        } else {
          double scaled = p < 2 ? Math.signum(x) * HalfSteps.pow(Math.abs(x), p - 1, dt, vec)
              : r(x * HalfSteps.pow(Math.abs(x), p - 2, dt, vec), dt);
          v = r(scaled * scale, dt);
        }
        out[off + c] = add ? r(out[off + c] + sign * v, dt) : sign * v;
      }
    }

    private Pass pass(Tensor[] in, int rows, int size, int[] outShape, boolean each, boolean[] grads, double ge,
                      Tensor gEach) {
      int n = in[0].numel();
      int[] shape = in[0].shape();
      double[] geRows = gEach == null ? null : gEach.toDoubleArray();
      if (in[0].dtype() == DType.FLOAT32) {
        float[] e = each ? new float[rows] : null;
        float[][] g = floatGrads(grads, n);
        double total = EmbeddingKernels.triplet(Storage.floats(in[0]), Storage.floats(in[1]), Storage.floats(in[2]),
            rows, size, p, (float) eps, (float) margin, swap, marginFirst, e, ge, geRows, g[0], g[1], g[2]);
        return new Pass(total, adopt(e, outShape), adoptAll(g, shape));
      }
      double[] e = each ? new double[rows] : null;
      double[][] g = doubleGrads(grads, n);
      double total = EmbeddingKernels.triplet(Storage.doubles(in[0]), Storage.doubles(in[1]), Storage.doubles(in[2]),
          rows, size, p, eps, margin, swap, marginFirst, e, ge, geRows, g[0], g[1], g[2]);
      return new Pass(total, adopt(e, outShape), adoptAll(g, shape));
    }

    @Override
    public String toString() {
      return "FusedTriplet(margin=" + margin + ", p=" + p + ", eps=" + eps + ", swap=" + swap + ")";
    }
  }

  // ==== fast-path plumbing ============================================================================

  /** Whether all tensors share one float dtype and one shape: the flat kernels apply. */
  static boolean flatAlike(Tensor first, Tensor... others) {
    if (!first.dtype().isFloatingPoint()) {
      return false;
    }
    for (Tensor t : others) {
      if (t.dtype() != first.dtype() || !t.sameShape(first)) {
        return false;
      }
    }
    return true;
  }

  /** Whether three tensors share one float dtype and one shape of rank >= 1 with a non-empty last dim. */
  static boolean rowsAlike(Tensor a, Tensor b, Tensor c) {
    return a.dim() >= 1 && a.size(a.dim() - 1) >= 1 && flatAlike(a, b, c);
  }

  /** One run of a fused kernel: the loss sum (or each loss) and the gradients it was asked for. */
  record Pass(double total, Tensor each, Tensor[] grads) {}

  /** Reruns a fused kernel for upstream gradient {@code ge} per loss element, or {@code gEach} when not null. */
  interface GradRun {
    Tensor[] run(double ge, Tensor gEach);
  }

  /** The per-element upstream gradient of a unit output gradient: 1/N rounded to the dtype for a mean. */
  static double unitGradient(Reduction red, int n, DType dt) {
    return red == Reduction.MEAN ? r(1.0 / n, dt) : 1.0;
  }

  /** The reduced output of a loss sum, as {@link #finish}. */
  static Tensor reduced(double total, int n, DType dt, Reduction red) {
    return Tensor.scalar(red == Reduction.MEAN ? total / n : total, dt);
  }

  /**
   * A fast path's result. For mean and sum, the forward pass already computed the gradients of a unit
   * output gradient ({@code unitGrads}): the usual {@code backward()} returns them; any other output
   * gradient, and every gradient of an unreduced loss, reruns the kernel with the upstream gradient as
   * {@link #finish} spreads it (g / N rounded to the dtype for a mean).
   */
  static Differentiable.Result fused(Reduction red, int n, DType dt, Tensor output, String noneName, boolean any,
                                     Tensor[] unitGrads, GradRun rerun) {
    String name = switch (red) {
      case NONE -> noneName;
      case SUM -> "SumBackward0";
      default -> "MeanBackward0";
    };
    long unitBits = Double.doubleToRawLongBits(unitGradient(red, n, dt));
    GradientFunction backward = !any ? null : g -> {
      if (red == Reduction.NONE) {
        return rerun.run(0, g);
      }
      double ge = red == Reduction.MEAN ? r(g.item() / n, dt) : g.item();
      if (unitGrads != null && Double.doubleToRawLongBits(ge) == unitBits) {
        return unitGrads.clone();
      }
      return rerun.run(ge, null);
    };
    return new Differentiable.Result(output, name, List.of(), backward);
  }

  static float[][] floatGrads(boolean[] needs, int n) {
    float[][] g = new float[needs.length][];
    for (int i = 0; i < needs.length; i++) {
      g[i] = needs[i] ? new float[n] : null;
    }
    return g;
  }

  static double[][] doubleGrads(boolean[] needs, int n) {
    double[][] g = new double[needs.length][];
    for (int i = 0; i < needs.length; i++) {
      g[i] = needs[i] ? new double[n] : null;
    }
    return g;
  }

  static Tensor adopt(float[] a, int[] shape) {
    return a == null ? null : Storage.adopt(a, shape);
  }

  static Tensor adopt(double[] a, int[] shape) {
    return a == null ? null : Storage.adopt(a, shape);
  }

  static Tensor[] adoptAll(float[][] g, int[] shape) {
    Tensor[] out = new Tensor[g.length];
    for (int i = 0; i < g.length; i++) {
      out[i] = adopt(g[i], shape);
    }
    return out;
  }

  static Tensor[] adoptAll(double[][] g, int[] shape) {
    Tensor[] out = new Tensor[g.length];
    for (int i = 0; i < g.length; i++) {
      out[i] = adopt(g[i], shape);
    }
    return out;
  }

  /** {@code grads} with a trailing null: the target's (absent) gradient. */
  static Tensor[] withNull(Tensor[] grads) {
    return Arrays.copyOf(grads, grads.length + 1);
  }

  /** An upstream gradient as floats: its own storage when float32 (the usual case), else converted. */
  static float[] floatsOf(Tensor g) {
    return g.dtype() == DType.FLOAT32 ? Storage.floats(g) : g.toFloatArray();
  }

  static double[] doublesOf(Tensor g) {
    return g.dtype() == DType.FLOAT64 ? Storage.doubles(g) : g.toDoubleArray();
  }

  // ==== shared arithmetic =============================================================================

  /**
   * F.triplet_margin_with_distance_loss's checks, made before any distance is computed (PyTorch 2.x): the
   * reduction string (strictly none, mean or sum), the margin, then the three ranks.
   *
   * @return the reduction
   */
  public static Reduction checkTripletWithDistance(int anchorDim, int positiveDim, int negativeDim, double margin,
                                                   String reduction) {
    return checkTripletWithDistance(anchorDim, positiveDim, negativeDim, margin, pythonFloat(margin), reduction);
  }

  private static Reduction checkTripletWithDistance(int anchorDim, int positiveDim, int negativeDim, double margin,
                                                    String marginText, String reduction) {
    if (!"mean".equals(reduction) && !"sum".equals(reduction) && !"none".equals(reduction)) {
      throw new ValueError(pythonName(reduction) + " is not a valid value for reduction");
    }
    checkMargin(margin, marginText);
    checkRanks(anchorDim, positiveDim, negativeDim);
    return Reduction.fromString(reduction);
  }

  /**
   * The triplet losses refuse a margin that is not positive (PyTorch 2.x); {@code marginText} is the margin as
   * Python prints it (a float, or an int when one was given).
   */
  private static void checkMargin(double margin, String marginText) {
    if (margin <= 0) {
      throw new ValueError("margin must be greater than 0, got " + marginText);
    }
  }

  private static void checkRanks(int a, int p, int n) {
    if (a != p || p != n) {
      throw new RuntimeError("The anchor, positive, and negative tensors are expected to have the same number of"
          + " dimensions, but got: anchor " + a + "D, positive " + p + "D, and negative " + n + "D inputs");
    }
  }

  /** A float as Python's repr writes it: {@code 0.0}, {@code -1.5}, {@code 1e-05}, {@code -inf}, {@code nan}. */
  static String pythonFloat(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == 0) {
      return 1 / v < 0 ? "-0.0" : "0.0";
    }
    double a = Math.abs(v);
    java.math.BigDecimal exact = new java.math.BigDecimal(Double.toString(v));
    if (a >= 1e-4 && a < 1e16) {
      String plain = exact.toPlainString();
      return plain.contains(".") ? plain : plain + ".0";
    }
    // Python switches to exponent form outside [1e-4, 1e16): shortest digits, a two-digit signed exponent.
    java.math.BigDecimal digits = exact.stripTrailingZeros();
    int exponent = digits.precision() - digits.scale() - 1;
    String mantissa = digits.movePointLeft(exponent).toPlainString();
    return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
  }

  /** A reduction string as Python prints it: a missing one (Python's None) is "None", which no reduction is named. */
  private static String pythonName(String reduction) {
    return reduction == null ? "None" : reduction;
  }

  /** {@code clamp_min(v, 0)}: NaN stays NaN. */
  static double clampMin0(double v) {
    return v < 0 ? 0 : v;
  }

  /** {@code minimum}: NaN wins. */
  static double minimum(double a, double b) {
    return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
  }

  /** Rounds to the precision of {@code dt}: float32, float16 and bfloat16 values are held as floats. */
  static double r(double v, DType dt) {
    return dt == DType.FLOAT32 || dt.isReducedFloat() ? dt.round(v)
        : dt.storedAsInts() || dt == DType.UINT32 ? dt.wrap((long) v) : v;
  }

  /**
   * {@code a * b} held in {@code dt}: an integer product wraps as C++'s does (taken in long, so an int32 product
   * past 2^53 keeps its low bits and an int64 one wraps at 2^64); other dtypes multiply in double.
   */
  static double mul(double a, double b, DType dt) {
    return dt.isIntegral() ? dt.wrap((long) a * (long) b) : a * b;
  }

  /**
   * A target's values as its comparisons with 1 and -1 see them: ATen compares in the target's dtype, where the
   * scalar -1 becomes 255 for uint8 (65535 for uint16, 2^32 - 1 and 2^64 - 1 for uint32 and uint64), so such a
   * target's maximum reads as -1 (and a -1 cast to an unsigned dtype selects as -1).
   */
  static Nd labels(Tensor t) {
    return new Nd(t.dtype(), t.shape(), labelValues(t));
  }

  /** {@link #labels}' values alone. */
  static double[] labelValues(Tensor t) {
    double[] v = t.toDoubleArray();
    DType dt = t.dtype();
    if (dt == DType.UINT8 || dt.isBarebonesUnsigned()) {
      double minusOne = dt.unsignedAware(dt.wrap(-1));
      for (int i = 0; i < v.length; i++) {
        if (v[i] == minusOne) {
          v[i] = -1;
        }
      }
    }
    return v;
  }

  static void checkSub(DType a, DType b) {
    if (a == DType.BOOL && b == DType.BOOL) {
      throw new RuntimeError(SUB_TWO_BOOLS);
    }
    if (a == DType.BOOL || b == DType.BOOL) {
      throw new RuntimeError(SUB_BOOL);
    }
  }

  /** The dtype of {@code a * b}: bool times bool stays bool. */
  static DType mulType(DType a, DType b) {
    return a == DType.BOOL && b == DType.BOOL ? DType.BOOL : DType.promote(a, b);
  }

  /** A dense array of values widened to double, with the dtype ATen holds them in. */
  static final class Nd {
    final DType dt;
    final int[] shape;
    final double[] v;

    Nd(DType dt, int[] shape, double[] v) {
      this.dt = dt;
      this.shape = shape;
      this.v = v;
    }

    static Nd of(Tensor t) {
      return new Nd(t.dtype(), t.shape(), t.toDoubleArray());
    }

    Tensor tensor() {
      return build(v, shape, dt);
    }
  }

  interface Op3 {
    double apply(double a, double b, double c);
  }

  static Nd map(Nd a, DType dt, DoubleUnaryOperator f) {
    double[] out = new double[a.v.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = r(f.applyAsDouble(a.v[i]), dt);
    }
    return new Nd(dt, a.shape, out);
  }

  static Nd zip(Nd a, Nd b, DType dt, DoubleBinaryOperator f) {
    int[] s = Shapes.broadcast(a.shape, b.shape);
    int[] ia = Shapes.broadcastIndex(a.shape, s);
    int[] ib = Shapes.broadcastIndex(b.shape, s);
    double[] out = new double[Shapes.numel(s)];
    for (int i = 0; i < out.length; i++) {
      out[i] = r(f.applyAsDouble(a.v[ia == null ? i : ia[i]], b.v[ib == null ? i : ib[i]]), dt);
    }
    return new Nd(dt, s, out);
  }

  /** Three broadcast operands (a selects, as {@code where}'s condition; broadcast in order a, b, c). */
  static Nd zip3(Nd a, Nd b, Nd c, DType dt, Op3 f) {
    int[] s = Shapes.broadcast(Shapes.broadcast(a.shape, b.shape), c.shape);
    int[] ia = Shapes.broadcastIndex(a.shape, s);
    int[] ib = Shapes.broadcastIndex(b.shape, s);
    int[] ic = Shapes.broadcastIndex(c.shape, s);
    double[] out = new double[Shapes.numel(s)];
    for (int i = 0; i < out.length; i++) {
      out[i] = r(f.apply(a.v[ia == null ? i : ia[i]], b.v[ib == null ? i : ib[i]], c.v[ic == null ? i : ic[i]]), dt);
    }
    return new Nd(dt, s, out);
  }

  /** {@code t + scalar}: an integer tensor plus a float scalar is float32. */
  static Nd addScalar(Nd t, double s) {
    DType dt = t.dt.isFloatingPoint() ? t.dt : DType.FLOAT32;
    double sv = r(s, dt);
    return map(t, dt, v -> v + sv);
  }

  /** {@code t.sum(dim)}; bool and integer dtypes sum to int64. Throws PyTorch's IndexError for a dim out of range. */
  static Nd sumDim(Nd t, int dim) {
    int rank = t.shape.length;
    int lo = -Math.max(rank, 1);
    int hi = Math.max(rank, 1) - 1;
    if (dim < lo || dim > hi) {
      throw new IndexError("Dimension out of range (expected to be in range of [" + lo + ", " + hi + "], but got "
          + dim + ")");
    }
    DType dt = t.dt == DType.BOOL || t.dt.isIntegral() ? DType.INT64 : t.dt;
    if (rank == 0) {
      return new Nd(dt, t.shape, t.v.clone());
    }
    int d = dim < 0 ? dim + rank : dim;
    int outer = 1;
    for (int i = 0; i < d; i++) {
      outer *= t.shape[i];
    }
    int size = t.shape[d];
    int inner = 1;
    for (int i = d + 1; i < rank; i++) {
      inner *= t.shape[i];
    }
    int[] shape = new int[rank - 1];
    for (int i = 0, j = 0; i < rank; i++) {
      if (i != d) {
        shape[j++] = t.shape[i];
      }
    }
    double[] out = new double[outer * inner];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        double s = 0;
        for (int k = 0; k < size; k++) {
          s += t.v[(o * size + k) * inner + i];
        }
        out[o * inner + i] = r(s, dt);
      }
    }
    return new Nd(dt, shape, out);
  }

  /** The gradient of {@code sum(dim)}: {@code g} (shape without dim) repeated along dim of {@code shape}. */
  static double[] expandDim(double[] g, int dim, int[] shape) {
    int rank = shape.length;
    if (rank == 0) {
      return g.clone();
    }
    int d = dim < 0 ? dim + rank : dim;
    int outer = 1;
    for (int i = 0; i < d; i++) {
      outer *= shape[i];
    }
    int size = shape[d];
    int inner = 1;
    for (int i = d + 1; i < rank; i++) {
      inner *= shape[i];
    }
    double[] out = new double[outer * size * inner];
    for (int o = 0; o < outer; o++) {
      for (int k = 0; k < size; k++) {
        System.arraycopy(g, o * inner, out, (o * size + k) * inner, inner);
      }
    }
    return out;
  }

  /** {@code g * x} where x broadcasts to g's shape. */
  static double[] mulBroadcast(double[] g, int[] gShape, Nd x) {
    int[] ix = Shapes.broadcastIndex(x.shape, gShape);
    double[] out = new double[g.length];
    for (int i = 0; i < g.length; i++) {
      out[i] = g[i] * x.v[ix == null ? i : ix[i]];
    }
    return out;
  }

  /** {@code v} with {@code q} applied to each element, in place (the identity leaves it as it is). */
  static double[] round(double[] v, DoubleUnaryOperator q) {
    for (int i = 0; i < v.length; i++) {
      v[i] = q.applyAsDouble(v[i]);
    }
    return v;
  }

  /** Sums a gradient of a broadcast shape back to {@code shape}. */
  static double[] sumToArray(double[] g, int[] gShape, int[] shape) {
    if (java.util.Arrays.equals(gShape, shape)) {
      return g;
    }
    int[] index = Shapes.broadcastIndex(shape, gShape);
    double[] acc = new double[Shapes.numel(shape)];
    for (int i = 0; i < g.length; i++) {
      acc[index[i]] += g[i];
    }
    return acc;
  }

  static Tensor sumTo(double[] g, int[] gShape, int[] shape, DType dt) {
    return build(sumToArray(g, gShape, shape), shape, dt);
  }

  static Tensor build(double[] v, int[] shape, DType dt) {
    TensorBuilder b = new TensorBuilder(dt, shape);
    for (int i = 0; i < v.length; i++) {
      if (dt == DType.INT64) {
        b.setLong(i, (long) v[i]);
      } else {
        b.set(i, v[i]);
      }
    }
    return b.build();
  }

  /**
   * Reduces an unreduced loss as {@code apply_loss_reduction} does ({@code mean()} or {@code sum()}) and
   * wires backward: the output gradient becomes one gradient per loss element (divided by the count for
   * mean), which {@code chain} maps to the inputs' gradients.
   */
  /**
   * The sum of an op-by-op path's losses: a small float32 one ({@link ElementwiseLoss#ORDERED_SUM_MAX} terms at
   * most) adds the float losses in ATen's order, as the fast paths do (where large terms cancel, PyTorch's float
   * sum is its answer: make fuzz SEED=11, a broadcast hinge 'mean' of nine terms near 1e10); otherwise in double.
   */
  private static double lossSum(Nd loss) {
    int n = loss.v.length;
    if (loss.dt == DType.FLOAT32 && n <= ElementwiseLoss.ORDERED_SUM_MAX) {
      float[] f = new float[n];
      for (int i = 0; i < n; i++) {
        f[i] = (float) loss.v[i];
      }
      return AtenFloatSum.contiguous(f, n);
    }
    double s = 0;
    for (double v : loss.v) {
      s += v;
    }
    return s;
  }

  static Differentiable.Result finish(Nd loss, Reduction red, String noneName, boolean anyGrad,
                                      Function<double[], Tensor[]> chain) {
    int n = loss.v.length;
    Tensor out;
    String name;
    switch (red) {
      case NONE -> {
        out = loss.tensor();
        name = noneName;
      }
      case SUM -> {
        double s = lossSum(loss);
        // sum() of an integer or bool tensor is int64.
        out = build(new double[] {s}, new int[0], loss.dt.isIntegral() || loss.dt == DType.BOOL ? DType.INT64 : loss.dt);
        name = "SumBackward0";
      }
      default -> {
        if (!loss.dt.isFloatingPoint()) {
          throw new RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating point"
              + " or complex dtype. Got: " + loss.dt.scalarTypeName());
        }
        double s = lossSum(loss);
        out = Tensor.scalar(s / n, loss.dt);
        name = "MeanBackward0";
      }
    }
    GradientFunction backward = null;
    if (anyGrad) {
      backward = g -> {
        double[] ge;
        if (red == Reduction.NONE) {
          ge = g.toDoubleArray();
        } else {
          double each = red == Reduction.MEAN ? r(g.item() / n, loss.dt) : g.item();
          ge = new double[n];
          java.util.Arrays.fill(ge, each);
        }
        return chain.apply(ge);
      };
    }
    return new Differentiable.Result(out, name, List.of(), backward);
  }
}
