package dev.loss4j.ops;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import java.util.List;

/**
 * {@code F.pairwise_distance} and {@code F.cosine_similarity}, built from the ops of this package exactly as
 * ATen 1.13 composes them, so values, gradients and grad_fn names are PyTorch's:
 * <ul>
 *   <li>pairwise_distance(x1, x2, p=2, eps=1e-6, keepdim=False) = ||x1 - x2 + eps||_p over the last dim of the
 *       broadcast ({@code NormBackward1} over {@code AddBackward1} over {@code SubBackward0});</li>
 *   <li>cosine_similarity(x1, x2, dim=1, eps=1e-8) = sum(x1/n1 * x2/n2, dim) with n = sqrt(max(sum(x^2, dim),
 *       eps^2)); the clamp is applied without recording, as ATen's in-place {@code clamp_min_} under no-grad
 *       ({@code SumBackward1} at the top).</li>
 * </ul>
 */
public final class Distances {
  private Distances() {}

  /** pairwise_distance: the embedding family's implementation (with PyTorch's checks), as a graph node. */
  public static Variable pairwiseDistance(Variable x1, Variable x2, double p, double eps, boolean keepdim) {
    return dev.loss4j.loss.Embedding.pairwiseDistance(x1, x2, p, eps, keepdim).value();
  }

  public static Variable cosineSimilarity(Variable x1, Variable x2, int dim, double eps) {
    DType common = Kernels.resultType(x1.data(), false, x2.data(), false);
    if (!common.isFloatingPoint()) {
      throw new RuntimeError("expected common dtype to be floating point, yet common dtype is "
          + common.scalarTypeName());
    }
    int[] shape = Shapes.broadcast(x1.data().shape(), x2.data().shape());
    Variable a = Views.expand(Views.to(x1, common), shape);
    Variable b = Views.expand(Views.to(x2, common), shape);
    Variable na = clampedSqrt(DimReductions.sum(Pointwise.pow(a, 2L), new int[] {dim}, true), eps * eps);
    Variable nb = clampedSqrt(DimReductions.sum(Pointwise.pow(b, 2L), new int[] {dim}, true), eps * eps);
    Variable prod = Arithmetic.mul(Arithmetic.div(a, na), Arithmetic.div(b, nb));
    return DimReductions.sum(prod, new int[] {dim}, false);
  }

  /** sqrt(max(s, floor)), with sqrt's gradient g / (2 y) and the clamp invisible to autograd. */
  private static Variable clampedSqrt(Variable s, double floor) {
    return Kernels.record((inputs, needs) -> {
      Tensor t = inputs[0];
      DType dt = t.dtype();
      TensorBuilder ob = new TensorBuilder(dt, t.shape());
      for (int i = 0, n = t.numel(); i < n; i++) {
        double v = t.getDouble(i);
        double c = Kernels.round(Double.isNaN(v) ? v : Math.max(v, Kernels.round(floor, dt)), dt);
        ob.set(i, Math.sqrt(c));
      }
      Tensor y = ob.build();
      return new Differentiable.Result(y, "SqrtBackward0", List.of(), needs[0] ? g -> {
        TensorBuilder gb = new TensorBuilder(dt, y.shape());
        for (int i = 0, n = y.numel(); i < n; i++) {
          gb.set(i, g.getDouble(i) / (2 * y.getDouble(i)));
        }
        return new Tensor[] {gb.build()};
      } : null);
    }, s);
  }
}
