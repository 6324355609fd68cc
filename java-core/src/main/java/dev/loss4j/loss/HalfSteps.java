package dev.loss4j.loss;

import dev.loss4j.errors.NotImplementedError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;

/**
 * Shared steps of the losses that run float16 and bfloat16 the way PyTorch's CPU runs its composite losses:
 * every elementwise step computes in float32 and rounds its result to the dtype before the next step reads it,
 * while a sum or mean accumulates in float32 (here double) and rounds once. A loss mirrors PyTorch's sequence
 * of steps with {@link #r}; these helpers hold what all of them share.
 */
final class HalfSteps {
  private HalfSteps() {}

  /** {@code v} rounded to the reduced dtype {@code dt} (one step of PyTorch's composite). */
  static double r(double v, DType dt) {
    return dt.round(v);
  }

  /**
   * The reduced dtype all the given tensors share (nulls skipped), or null when none is reduced. A mix of a
   * reduced dtype with another is refused with a NotImplementedError naming the loss and dtype: PyTorch
   * promotes such a mix, which these paths do not mirror.
   */
  static DType uniform(String loss, Tensor... ts) {
    DType dt = null;
    boolean mixed = false;
    for (Tensor t : ts) {
      if (t == null) {
        continue;
      }
      if (dt == null) {
        dt = t.dtype();
      } else if (t.dtype() != dt) {
        mixed = true;
      }
    }
    boolean anyReduced = false;
    for (Tensor t : ts) {
      if (t != null && t.dtype().isReducedFloat()) {
        anyReduced = true;
        if (mixed) {
          throw notYet(loss, t.dtype());
        }
      }
    }
    return anyReduced ? dt : null;
  }

  /** loss4j's refusal of a reduced-precision form it does not compute yet (PyTorch computes it). */
  static NotImplementedError notYet(String loss, DType dt) {
    return new NotImplementedError(loss + " in " + dt + " is not implemented in loss4j yet (PyTorch 2.13 computes"
        + " it on the CPU); use float32 or float64");
  }

  /**
   * {@code x^e} for a tensor-scalar pow in {@code dt}, as PyTorch 2.13's CPU kernel rounds it (found by
   * experiment): one rounding, except in bfloat16 where e = 3 and e = -2 multiply in the dtype ({@code x * x * x},
   * {@code 1 / (x * x)}) and e = -0.5 outside the vectorized part ({@code vectorized} false: the last
   * {@code n % 32} elements of a contiguous tensor of n) takes {@code 1 / sqrt(x)} with the root rounded first.
   */
  static double pow(double x, double e, DType dt, boolean vectorized) {
    if (dt == DType.BFLOAT16) {
      if (e == 3) {
        return r(r(x * x, dt) * x, dt);
      }
      if (e == -2) {
        return r(1 / r(x * x, dt), dt);
      }
      if (e == -0.5 && !vectorized) {
        return r(1 / r(Math.sqrt(x), dt), dt);
      }
    }
    return r(Math.pow(x, e), dt);
  }

  /** Whether element {@code k} of a contiguous tensor of {@code n} lies in the CPU kernels' vectorized part. */
  static boolean vectorized(int k, int n) {
    return k < n - n % 32;
  }

  /** A tensor of {@code dt} and {@code shape} holding {@code values}, each rounded to {@code dt}. */
  static Tensor tensor(double[] values, DType dt, int[] shape) {
    TensorBuilder b = new TensorBuilder(dt, shape);
    for (int i = 0; i < values.length; i++) {
      b.set(i, values[i]);
    }
    return b.build();
  }

  /**
   * The reduction of per-element losses already rounded to {@code dt}: unreduced, or their sum (or sum / n)
   * accumulated wide and rounded once, as PyTorch's CPU sum and mean of a reduced dtype do.
   */
  static Tensor reduce(double[] each, DType dt, int[] shape, Reduction reduction) {
    if (reduction == Reduction.NONE) {
      return tensor(each, dt, shape);
    }
    double s = 0;
    for (double v : each) {
      s += v;
    }
    return Tensor.scalar(reduction == Reduction.MEAN ? s / each.length : s, dt);
  }

  /**
   * A gradient of a fused loss kernel: its per-element local gradient {@code local} (already rounded to
   * {@code dt}) times the output gradient, times the weight ({@code weight[i]}, when not null), divided by the
   * element count for reduction mean when {@code divide}, each step rounded to {@code dt} as PyTorch's backward
   * rounds it.
   */
  static Tensor scale(double[] local, Tensor g, double[] weight, boolean divide, Reduction reduction, DType dt,
      int[] shape) {
    int n = local.length;
    double gs = reduction == Reduction.NONE ? 0 : g.item();
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double v = r(local[i] * (reduction == Reduction.NONE ? g.getDouble(i) : gs), dt);
      if (weight != null) {
        v = r(v * weight[i], dt);
      }
      out[i] = divide ? r(v / n, dt) : v;
    }
    return tensor(out, dt, shape);
  }
}
