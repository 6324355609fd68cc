package dev.loss4j.ops;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import java.util.List;

/**
 * Scatter with a reduction at each written place: {@code x.scatter_reduce(dim, index, src, reduce, include_self)}
 * ({@code ScatterReduceBackward0}) and the older {@code x.scatter(dim, index, src or value, reduce=)} with
 * {@code 'add'} or {@code 'multiply'} (no derivative in PyTorch: its grad_fn is {@code NotImplemented}, whose
 * backward raises).
 *
 * <p>scatter_reduce: out starts as x; each place index points at becomes the reduction ({@code sum}, {@code
 * prod}, {@code mean}, {@code amax}, {@code amin}) of the src values sent there, and of x's own value when
 * include_self; places nothing is sent to keep x. Integer {@code mean} divides rounding down. index and src follow
 * {@link Scatter}'s rules (int64 index of x's rank, in range, no larger than src, src of x's dtype).
 *
 * <p>Gradients are PyTorch's formulas: sum passes g to x and gathers it for src; mean divides both by the count
 * at each place; prod gives g * (product of the others), with zeros handled as PyTorch does (a zero of x uses
 * the product of the rest; a lone zero of src among those sent to a place uses the product of the rest, several
 * zeros give 0); amax/amin share g evenly among every value (x's and src's) equal to the result. Without
 * include_self, x's gradient is 0 at the places written.
 */
public final class ScatterReduce {
  private ScatterReduce() {}

  private enum Reduce { SUM, PROD, MEAN, AMAX, AMIN }

  /** {@code x.scatter_reduce(dim, index, src, reduce, include_self)}. */
  public static Variable scatterReduce(Variable x, int dim, Variable index, Variable src, String reduce,
      boolean includeSelf) {
    Reduce r = switch (reduce) {
      case "sum" -> Reduce.SUM;
      case "prod" -> Reduce.PROD;
      case "mean" -> Reduce.MEAN;
      case "amax" -> Reduce.AMAX;
      case "amin" -> Reduce.AMIN;
      default -> throw new RuntimeError("reduce argument must be either sum, prod, mean, amax or amin, got " + reduce);
    };
    Tensor t = x.data();
    Tensor s = src.data();
    checkDtypes(t, index.data(), s);
    int[] srcPos = new int[index.data().numel()];
    int[] map = Scatter.targets(t, dim, index.data(), s, "scatter", srcPos);
    return Kernels.record((in, needs) -> {
      Tensor base = in[0];
      Tensor from = in[1];
      Tensor y = forward(base, from, map, srcPos, r, includeSelf);
      return new Differentiable.Result(y, "ScatterReduceBackward0", List.of(),
          g -> backward(g, base, from, y, map, srcPos, r, includeSelf, needs));
    }, x, src);
  }

  /**
   * {@code x.scatter(dim, index, src, reduce=)} for a tensor src, reduce {@code "add"} or {@code "multiply"}:
   * x's value at each place index points at, combined with every src value sent there.
   */
  public static Variable scatterLegacy(Variable x, int dim, Variable index, Variable src, String reduce) {
    Reduce r = legacy(reduce);
    Tensor t = x.data();
    checkDtypes(t, index.data(), src.data());
    int[] srcPos = new int[index.data().numel()];
    int[] map = Scatter.targets(t, dim, index.data(), src.data(), "scatter", srcPos);
    return notDifferentiable(forward(t, src.data(), map, srcPos, r, true), x, src);
  }

  /** {@code x.scatter(dim, index, value, reduce=)} for a Python number (value + Python type), cast to x's dtype. */
  public static Variable scatterLegacyValue(Variable x, int dim, Variable index, double value, String pyType,
      String reduce) {
    Reduce r = legacy(reduce);
    Tensor t = x.data();
    if (index.data().dtype() != DType.INT64) {
      throw new RuntimeError("scatter(): Expected dtype int32/int64 for index");
    }
    int[] srcPos = new int[index.data().numel()];
    int[] map = Scatter.targets(t, dim, index.data(), null, "scatter", srcPos);
    Tensor v = Kernels.fromDoubles(new double[] {Kernels.round(Kernels.wrapScalar(value, pyType).getDouble(0),
        t.dtype())}, t.dtype(), new int[0]);
    return notDifferentiable(forward(t, v, map, new int[map.length], r, true), x);
  }

  private static Reduce legacy(String reduce) {
    return switch (reduce) {
      case "add" -> Reduce.SUM;
      case "multiply" -> Reduce.PROD;
      default -> throw new RuntimeError("reduce argument must be either add or multiply.");
    };
  }

  private static void checkDtypes(Tensor t, Tensor index, Tensor s) {
    if (index.dtype() != DType.INT64) {
      throw new RuntimeError("scatter(): Expected dtype int32/int64 for index");
    }
    if (s.dtype() != t.dtype()) {
      throw new RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype");
    }
  }

  /** The output of an op PyTorch does not differentiate: grad_fn NotImplemented when an input requires grad. */
  private static Variable notDifferentiable(Tensor out, Variable... inputs) {
    return Kernels.record((in, needs) -> new Differentiable.Result(out, "NotImplemented", List.of(), g -> {
      throw new RuntimeError("derivative for aten::scatter is not implemented");
    }), inputs);
  }

  private static Tensor forward(Tensor base, Tensor from, int[] map, int[] srcPos, Reduce r, boolean includeSelf) {
    DType dt = base.dtype();
    int n = base.numel();
    int[] count = new int[n];
    boolean integral = !dt.isFloatingPoint();
    long[] lacc = integral ? new long[n] : null;
    double[] dacc = integral ? null : new double[n];
    for (int i = 0; i < n; i++) {
      if (integral) {
        lacc[i] = base.getLong(i);
      } else {
        dacc[i] = base.getDouble(i);
      }
    }
    boolean[] started = new boolean[n];
    for (int i = 0; i < map.length; i++) {
      int at = map[i];
      if (!started[at]) {
        started[at] = true;
        count[at] = includeSelf ? 1 : 0;
        if (!includeSelf) {
          if (integral) {
            lacc[at] = identityLong(r);
          } else {
            dacc[at] = identity(r);
          }
        }
      }
      count[at]++;
      if (integral) {
        long v = from.getLong(srcPos[i]);
        long a = lacc[at];
        lacc[at] = switch (r) {
          case SUM, MEAN -> a + v;
          case PROD -> a * v;
          case AMAX -> Math.max(a, v);
          case AMIN -> Math.min(a, v);
        };
      } else {
        double v = from.getDouble(srcPos[i]);
        double a = dacc[at];
        dacc[at] = Kernels.round(switch (r) {
          case SUM, MEAN -> a + v;
          case PROD -> a * v;
          case AMAX -> Double.isNaN(a) || a >= v ? a : v;
          case AMIN -> Double.isNaN(a) || a <= v ? a : v;
        }, dt);
      }
    }
    TensorBuilder ob = new TensorBuilder(dt, base.shape());
    for (int i = 0; i < n; i++) {
      boolean divide = r == Reduce.MEAN && started[i] && count[i] > 0;
      if (integral) {
        ob.setLong(i, divide ? Math.floorDiv(lacc[i], (long) count[i]) : lacc[i]);
      } else {
        ob.set(i, divide ? dacc[i] / count[i] : dacc[i]);
      }
    }
    return ob.build();
  }

  private static double identity(Reduce r) {
    return switch (r) {
      case SUM, MEAN -> 0;
      case PROD -> 1;
      case AMAX -> Double.NEGATIVE_INFINITY;
      case AMIN -> Double.POSITIVE_INFINITY;
    };
  }

  private static long identityLong(Reduce r) {
    return switch (r) {
      case SUM, MEAN -> 0;
      case PROD -> 1;
      case AMAX -> Long.MIN_VALUE;
      case AMIN -> Long.MAX_VALUE;
    };
  }

  private static Tensor[] backward(Tensor g, Tensor base, Tensor from, Tensor y, int[] map, int[] srcPos, Reduce r,
      boolean includeSelf, boolean[] needs) {
    int n = base.numel();
    int m = map.length;
    double[] gs = new double[n];
    double[] gsrc = new double[from.numel()];
    switch (r) {
      case SUM -> {
        for (int i = 0; i < n; i++) {
          gs[i] = g.getDouble(i);
        }
        for (int i = 0; i < m; i++) {
          gsrc[srcPos[i]] = g.getDouble(map[i]);
        }
      }
      case MEAN -> {
        double[] cnt = new double[n];
        java.util.Arrays.fill(cnt, includeSelf ? 1 : 0);
        for (int at : map) {
          cnt[at]++;
        }
        for (int i = 0; i < n; i++) {
          gs[i] = g.getDouble(i) / (cnt[i] == 0 ? 1 : cnt[i]);
        }
        for (int i = 0; i < m; i++) {
          gsrc[srcPos[i]] = g.getDouble(map[i]) / cnt[map[i]];
        }
      }
      case PROD -> prodBackward(g, base, from, y, map, srcPos, includeSelf, gs, gsrc);
      case AMAX, AMIN -> {
        double[] shares = new double[n];
        for (int i = 0; i < n; i++) {
          shares[i] = base.getDouble(i) == y.getDouble(i) ? 1 : 0;
        }
        for (int i = 0; i < m; i++) {
          if (from.getDouble(srcPos[i]) == y.getDouble(map[i])) {
            shares[map[i]]++;
          }
        }
        for (int i = 0; i < n; i++) {
          double share = g.getDouble(i) / shares[i];
          gs[i] = (base.getDouble(i) == y.getDouble(i) ? 1 : 0) * share;
        }
        for (int i = 0; i < m; i++) {
          int at = map[i];
          gsrc[srcPos[i]] = (from.getDouble(srcPos[i]) == y.getDouble(at) ? 1 : 0) * (g.getDouble(at) / shares[at]);
        }
      }
    }
    if (!includeSelf) {
      for (int at : map) {
        gs[at] = 0;
      }
    }
    return new Tensor[] {needs[0] ? Kernels.fromDoubles(gs, base.dtype(), base.shape()) : null,
        needs[1] ? Kernels.fromDoubles(gsrc, from.dtype(), from.shape()) : null};
  }

  /** PyTorch's prod gradient: products of the others, with x's zeros and src's lone zeros masked to 1. */
  private static void prodBackward(Tensor g, Tensor base, Tensor from, Tensor y, int[] map, int[] srcPos,
      boolean includeSelf, double[] gs, double[] gsrc) {
    DType dt = base.dtype();
    int n = base.numel();
    int m = map.length;
    // x's gradient: g * (the result with x's zeros taken as 1) / (x with zeros taken as 1)
    TensorBuilder maskedSelf = new TensorBuilder(dt, base.shape());
    int[] zeros = new int[n];
    for (int i = 0; i < n; i++) {
      double v = base.getDouble(i);
      maskedSelf.set(i, v == 0 ? 1 : v);
    }
    Tensor ms = maskedSelf.build();
    Tensor msr = forward(ms, from, map, srcPos, Reduce.PROD, includeSelf);
    for (int i = 0; i < n; i++) {
      gs[i] = Kernels.round(g.getDouble(i) * msr.getDouble(i), dt) / ms.getDouble(i);
    }
    // src's gradient: a lone zero at its place takes the product of the rest, others (g * y) / src
    for (int i = 0; i < m; i++) {
      if (from.getDouble(srcPos[i]) == 0) {
        zeros[map[i]]++;
      }
    }
    TensorBuilder maskedSrc = new TensorBuilder(dt, from.shape());
    boolean[] lone = new boolean[from.numel()];
    for (int i = 0; i < from.numel(); i++) {
      maskedSrc.set(i, from.getDouble(i));
    }
    for (int i = 0; i < m; i++) {
      if (from.getDouble(srcPos[i]) == 0 && zeros[map[i]] == 1) {
        lone[srcPos[i]] = true;
        maskedSrc.set(srcPos[i], 1);
      }
    }
    Tensor msrc = forward(base, maskedSrc.build(), map, srcPos, Reduce.PROD, includeSelf);
    for (int i = 0; i < m; i++) {
      int at = map[i];
      int sp = srcPos[i];
      double v = from.getDouble(sp);
      gsrc[sp] = lone[sp] ? g.getDouble(at) * msrc.getDouble(at)
          : Kernels.round(g.getDouble(at) * y.getDouble(at), dt) / (v == 0 ? 1 : v);
    }
  }
}
