package dev.loss4j.loss;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.Variable;
import dev.loss4j.tensor.Shapes;
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
  public record Outcome(Variable value, List<String> warnings) {}

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

  private static Outcome elementwise(Variable input, Variable target, Boolean sizeAverage, Boolean reduce,
                                     String reduction, java.util.function.Function<Reduction, ElementwiseLoss> make) {
    List<String> warnings = new ArrayList<>();
    List<String> legacy = new ArrayList<>();
    // PyTorch: size warning, legacy mapping, broadcast_tensors, then get_enum(reduction).
    Reduction r = sizeAverage != null || reduce != null ? resolve(sizeAverage, reduce, reduction, legacy) : null;
    Shapes.broadcast(input.data().shape(), target.data().shape());
    if (r == null) {
      r = resolve(null, null, reduction, legacy);
    }
    Variable out = Variable.apply(make.apply(r), warnings, input, target);
    warnings.addAll(legacy);
    return new Outcome(out, warnings);
  }

  /** Applies any differentiable operation, collecting its warnings. */
  public static Outcome apply(Differentiable op, Variable... inputs) {
    List<String> warnings = new ArrayList<>();
    return new Outcome(Variable.apply(op, warnings, inputs), warnings);
  }
}
