package dev.loss4j.loss;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.TorchException;
import dev.loss4j.errors.ValueError;
import dev.loss4j.kernel.AtenFloatSum;
import dev.loss4j.ops.Arithmetic;
import dev.loss4j.ops.Pointwise;
import dev.loss4j.ops.Reductions;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The losses as {@code torch.nn.functional} exposes them: string reductions, the deprecated
 * {@code size_average}/{@code reduce} flags, checks in PyTorch's order, and the warnings PyTorch emits.
 * The Python shim calls these; JVM code that wants PyTorch's exact behaviour can too.
 */
public final class Functional {
  private Functional() {}

  /** A loss value in the autograd graph, with the UserWarnings PyTorch would have emitted, in order. */
  public record Outcome(Variable value, List<String> warnings) {
    /** The value when there are no warnings, else null: the shim's one crossing in the usual case. */
    public Variable quiet() {
      return warnings.isEmpty() ? value : null;
    }
  }

  /**
   * The reduction a functional call ends up with: the legacy flags win when either is given (adding
   * PyTorch's deprecation warning), else the string.
   */
  static Reduction resolve(Boolean sizeAverage, Boolean reduce, String reduction, List<String> warnings) {
    if (sizeAverage != null || reduce != null) {
      Reduction r = Reduction.fromLegacy(sizeAverage, reduce);
      warnings.add(Reduction.legacyWarning(r));
      return r;
    }
    Reduction r = Reduction.fromString(reduction);
    String deprecated = Reduction.deprecationWarning(reduction);
    if (deprecated != null) {
      warnings.add(deprecated);
    }
    return r;
  }

  /** {@code F.l1_loss(input, target, size_average=None, reduce=None, reduction='mean')}. */
  public static Outcome l1Loss(Variable input, Variable target, Boolean sizeAverage, Boolean reduce, String reduction) {
    return elementwise(input, target, sizeAverage, reduce, reduction, Regression.L1Loss::new);
  }

  /** {@code F.mse_loss(input, target, size_average=None, reduce=None, reduction='mean')}. */
  public static Outcome mseLoss(Variable input, Variable target, Boolean sizeAverage, Boolean reduce, String reduction) {
    return elementwise(input, target, sizeAverage, reduce, reduction, Regression.MSELoss::new);
  }

  /**
   * {@code F.l1_loss(..., weight=weight)} (PyTorch 2.x): {@code |x - y| * w}, summed, or divided by
   * {@code sum(w)} for mean; weight has input's shape and receives a gradient. A null weight is the plain loss.
   */
  public static Outcome l1Loss(Variable input, Variable target, Boolean sizeAverage, Boolean reduce, String reduction,
                               Variable weight) {
    if (weight == null) {
      return l1Loss(input, target, sizeAverage, reduce, reduction);
    }
    return weighted(input, target, sizeAverage, reduce, reduction, weight, true,
        () -> Pointwise.abs(Arithmetic.sub(input, target)));
  }

  /**
   * {@code F.mse_loss(..., weight=weight)} (PyTorch 2.x): {@code (x - y)^2 * w}, summed, or divided by
   * {@code sum(w)} for mean; weight has input's shape and receives a gradient. A null weight is the plain loss.
   */
  public static Outcome mseLoss(Variable input, Variable target, Boolean sizeAverage, Boolean reduce, String reduction,
                                Variable weight) {
    if (weight == null) {
      return mseLoss(input, target, sizeAverage, reduce, reduction);
    }
    return weighted(input, target, sizeAverage, reduce, reduction, weight, true,
        () -> Pointwise.pow(Arithmetic.sub(input, target), 2.0, "int"));
  }

  /**
   * {@code F.smooth_l1_loss(input, target, size_average=None, reduce=None, reduction='mean', beta=1.0)}:
   * checks the reduction before beta, beta before the dtype. {@code beta == 0} is the L1 loss (PyTorch 2.x
   * calls l1_loss there, so the grad_fn and the gradient at ties are l1_loss's).
   */
  public static Outcome smoothL1Loss(Variable input, Variable target, Boolean sizeAverage, Boolean reduce,
                                     String reduction, double beta) {
    if (beta == 0.0) {
      return l1Loss(input, target, sizeAverage, reduce, reduction);
    }
    return elementwise(input, target, sizeAverage, reduce, reduction, r -> new Regression.SmoothL1Loss(r, beta));
  }

  /** {@code F.huber_loss(input, target, reduction='mean', delta=1.0)}: no legacy flags. */
  public static Outcome huberLoss(Variable input, Variable target, String reduction, double delta) {
    return elementwise(input, target, null, null, reduction, r -> new Regression.HuberLoss(r, delta));
  }

  /**
   * {@code F.huber_loss(..., weight=weight)} (PyTorch 2.x): the unreduced Huber loss times {@code w}, then
   * summed or averaged over the elements (not divided by {@code sum(w)}, unlike l1/mse); weight has input's
   * shape and receives a gradient. A null weight is the plain loss.
   */
  public static Outcome huberLoss(Variable input, Variable target, String reduction, double delta, Variable weight) {
    if (weight == null) {
      return huberLoss(input, target, reduction, delta);
    }
    return weighted(input, target, null, null, reduction, weight, false,
        () -> Variable.apply(new Regression.HuberLoss(Reduction.NONE, delta), null, input, target));
  }

  /**
   * The weighted path PyTorch 2.x composes in Python from autograd ops (so grad_fn names are theirs): size
   * warning, legacy flags, broadcast check, the weight's shape, the per-element errors times the weight, then
   * the reduction string, strictly none, sum or mean ({@code byWeight}: mean divides by {@code sum(w)}).
   */
  private static Outcome weighted(Variable input, Variable target, Boolean sizeAverage, Boolean reduce,
                                  String reduction, Variable weight, boolean byWeight,
                                  java.util.function.Supplier<Variable> errors) {
    List<String> warnings = new ArrayList<>();
    if (!input.data().sameShape(target.data())) {
      warnings.add(ElementwiseLoss.sizeWarning(input.data(), target.data()));
    }
    try {
      String r = sizeAverage != null || reduce != null
          ? resolve(sizeAverage, reduce, reduction, warnings).torchName() : reduction;
      Shapes.broadcast(input.data().shape(), target.data().shape());
      if (!weight.data().sameShape(input.data())) {
        throw new ValueError("Weights and input must have the same size.");
      }
      Variable each = Arithmetic.mul(errors.get(), weight);
      Variable out = switch (r == null ? "None" : r) {
        case "none" -> each;
        case "sum" -> Variable.apply(Reductions.SUM, null, each);
        case "mean" -> byWeight
            ? Arithmetic.div(Variable.apply(Reductions.SUM, null, each), Variable.apply(WEIGHT_SUM, null, weight))
            : Variable.apply(Reductions.MEAN, null, each);
        default -> throw new ValueError("Invalid reduction mode: " + (r == null ? "None" : r)
            + ". Expected one of 'none', 'mean', 'sum'.");
      };
      return new Outcome(out, warnings);
    } catch (TorchException e) {
      throw e.withWarnings(warnings);
    }
  }

  /**
   * {@code weight.sum()} for the weighted mean's divisor: a float32 weight summed in ATen's float order
   * ({@link AtenFloatSum}), so that dividing a float64 loss by it (the 0-d float32 sum widens) has PyTorch's
   * bits, not only float32 accuracy; other dtypes as {@link Reductions#SUM}.
   */
  private static final Differentiable WEIGHT_SUM = (inputs, needsGrad) -> {
    Differentiable.Result r = Reductions.SUM.apply(inputs, needsGrad);
    Tensor w = inputs[0];
    if (w.dtype() != DType.FLOAT32 || w.numel() < 2) {
      return r;
    }
    float[] v = new float[w.numel()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) w.getDouble(i);
    }
    return new Differentiable.Result(Tensor.scalar(AtenFloatSum.contiguous(v, v.length), DType.FLOAT32),
        r.gradFnName(), r.warnings(), r.backward());
  };

  private static Outcome elementwise(Variable input, Variable target, Boolean sizeAverage, Boolean reduce,
                                     String reduction, java.util.function.Function<Reduction, ElementwiseLoss> make) {
    // PyTorch's order: size warning, legacy mapping, broadcast_tensors, then get_enum(reduction).
    List<String> warnings = new ArrayList<>();
    if (!input.data().sameShape(target.data())) {
      warnings.add(ElementwiseLoss.sizeWarning(input.data(), target.data()));
    }
    try {
      Reduction r = sizeAverage != null || reduce != null ? resolve(sizeAverage, reduce, reduction, warnings) : null;
      Shapes.broadcast(input.data().shape(), target.data().shape());
      if (r == null) {
        r = resolve(null, null, reduction, warnings);
      }
      // The loss's own copy of the size warning is already in the list.
      return new Outcome(Variable.apply(make.apply(r), null, input, target), warnings);
    } catch (TorchException e) {
      throw e.withWarnings(warnings);
    }
  }

  /**
   * The common shape of a functional loss: the reduction resolved (the legacy flags first), the loss made
   * for it and applied to {@code inputs}; warnings emitted before an error travel with that error.
   */
  public static Outcome reduced(Boolean sizeAverage, Boolean reduce, String reduction,
                                java.util.function.Function<Reduction, ? extends Differentiable> make,
                                Variable... inputs) {
    List<String> warnings = new ArrayList<>();
    try {
      Reduction r = resolve(sizeAverage, reduce, reduction, warnings);
      return new Outcome(Variable.apply(make.apply(r), null, inputs), warnings);
    } catch (TorchException e) {
      throw e.withWarnings(warnings);
    }
  }

  /** Applies any differentiable operation, collecting its warnings. */
  public static Outcome apply(Differentiable op, Variable... inputs) {
    List<String> warnings = new ArrayList<>();
    return new Outcome(Variable.apply(op, warnings, inputs), warnings);
  }
}
