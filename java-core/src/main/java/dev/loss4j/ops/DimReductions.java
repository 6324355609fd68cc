package dev.loss4j.ops;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import dev.loss4j.tensor.TensorMath;
import java.util.List;

/**
 * Reductions over chosen dims, with autograd: {@code x.sum(dim, keepdim)} ({@code SumBackward1}),
 * {@code x.mean(dim, keepdim)} ({@code MeanBackward1}) and {@code x.norm(p, dim, keepdim)}
 * ({@code LinalgVectorNormBackward0}, also for the all-element norm: PyTorch 2.x computes Tensor.norm with
 * linalg.vector_norm). {@code dims} null or empty reduces every dim.
 *
 * <p>sum keeps floating dtypes and sums integers and bools as int64; mean and norm need a floating dtype.
 * norm: p = 0 counts non-zeros, p = +-inf takes the max/min of |x|, otherwise (sum |x|^p)^(1/p). Its
 * gradient follows PyTorch's {@code norm_backward} case by case (p = 1: sgn x; p = 2: x / norm; inf:
 * shared among the maxima; others |x|^(p-1) sgn x / norm^(p-1)), 0 where the norm is 0. Sums accumulate in
 * double; results are rounded once.
 */
public final class DimReductions {
  private DimReductions() {}

  public static Variable sum(Variable x, int[] dims, boolean keepdim) {
    return Kernels.record(new Reduce(Mode.SUM, dims, keepdim, 0), x);
  }

  public static Variable mean(Variable x, int[] dims, boolean keepdim) {
    return Kernels.record(new Reduce(Mode.MEAN, dims, keepdim, 0), x);
  }

  /** {@code x.norm(p, dim, keepdim)}: the vector p-norm over {@code dims} (all when null). */
  public static Variable norm(Variable x, double p, int[] dims, boolean keepdim) {
    return Kernels.record(new Reduce(Mode.NORM, dims, keepdim, p), x);
  }

  /**
   * {@code x.var(dim, correction, keepdim)} ({@code VarBackward0}) and, with {@code sqrt}, {@code x.std}
   * ({@code StdBackward0}): sum((x - mean)^2) / max(0, N - correction) over dims (all when null), named as PyTorch
   * names the result. Floating dtypes only. With N - correction > 0 it is composed from this package's ops; with
   * N - correction <= 0 (PyTorch warns, see {@link #varianceWarned}) the divisor is 0 (NaN or inf) while the
   * gradient, as PyTorch's, is 2 g (x - mean) / (N - correction) with the correction unclamped.
   */
  public static Variable variance(Variable x, int[] dims, double correction, boolean keepdim, boolean sqrt) {
    if (!x.data().dtype().isFloatingPoint()) {
      throw new RuntimeError("std and var only support floating point and complex dtypes");
    }
    int count = reducedCount(x.data(), dims);
    Variable v;
    if (count - correction > 0) {
      Variable centred = Arithmetic.sub(x, mean(x, dims, true));
      Variable sq = Arithmetic.mul(centred, centred);
      v = Arithmetic.binaryScalar(Arithmetic.Kind.DIV, sum(sq, dims, keepdim), count - correction, "float");
    } else {
      v = noDegreesOfFreedom(x, dims, count - correction, keepdim);
    }
    if (sqrt) {
      v = Pointwise.sqrt(v);
    }
    return Views.reshapeNamed(v, v.data().shape(), sqrt ? "StdBackward0" : "VarBackward0");
  }

  /**
   * {@link #variance} with PyTorch's UserWarning when N - correction <= 0 ({@code "var(): degrees of freedom is
   * <= 0. ..."}, {@code std()} for std), word for word as PyTorch 2.13 emits it.
   */
  public static Softmax.Outcome varianceWarned(Variable x, int[] dims, double correction, boolean keepdim,
      boolean sqrt) {
    Variable v = variance(x, dims, correction, keepdim, sqrt);
    if (reducedCount(x.data(), dims) - correction > 0) {
      return new Softmax.Outcome(v, List.of());
    }
    return new Softmax.Outcome(v, List.of((sqrt ? "std" : "var") + "(): degrees of freedom is <= 0. Correction "
        + "should be strictly less than the reduction factor (input numel divided by output numel). (Triggered "
        + "internally at /__w/pytorch/pytorch/aten/src/ATen/native/ReduceOps.cpp:1861.)"));
  }

  /** How many elements each output of a reduction over dims (all when null or empty) takes in. */
  private static int reducedCount(Tensor t, int[] dims) {
    boolean[] mask = Kernels.dimMask(dims, t.dim());
    int count = 1;
    int[] shape = t.shape();
    for (int d = 0; d < shape.length; d++) {
      if (mask[d]) {
        count *= shape[d];
      }
    }
    return count;
  }

  /** The variance with no degrees of freedom left: sum((x - mean)^2) / 0, gradient 2 g (x - mean) / dof. */
  private static Variable noDegreesOfFreedom(Variable x, int[] dims, double dof, boolean keepdim) {
    boolean[] mask = Kernels.dimMask(dims, x.data().dim());
    int[] shape = x.data().dim() == 0 ? new int[] {1} : x.data().shape();
    int[] kept = Kernels.keptShape(shape, mask);
    int[] outShape = x.data().dim() == 0 ? new int[0] : keepdim ? kept : Kernels.droppedShape(shape, mask);
    int[] slot = Shapes.broadcastIndex(kept, shape);
    int m = Shapes.numel(kept);
    return Kernels.record((in, needs) -> {
      Tensor t = in[0];
      DType dt = t.dtype();
      int n = t.numel();
      double[] mu = new double[m];
      int[] cnt = new int[m];
      for (int i = 0; i < n; i++) {
        int o = slot == null ? i : slot[i];
        mu[o] += t.getDouble(i);
        cnt[o]++;
      }
      double[] ss = new double[m];
      for (int o = 0; o < m; o++) {
        mu[o] = Kernels.round(mu[o] / cnt[o], dt);
      }
      for (int i = 0; i < n; i++) {
        int o = slot == null ? i : slot[i];
        double c = t.getDouble(i) - mu[o];
        ss[o] += c * c;
      }
      double[] out = new double[m];
      for (int o = 0; o < m; o++) {
        out[o] = ss[o] / Math.max(0, dof);
      }
      return new Differentiable.Result(Kernels.fromDoubles(out, dt, outShape), "VarBackward0", List.of(),
          needs[0] ? g -> {
            double[] gx = new double[n];
            for (int i = 0; i < n; i++) {
              int o = slot == null ? i : slot[i];
              gx[i] = 2.0 / dof * g.getDouble(o) * (t.getDouble(i) - mu[o]);
            }
            return new Tensor[] {Kernels.fromDoubles(gx, dt, t.shape())};
          } : null);
    }, x);
  }

  /**
   * {@code x.prod(dims, keepdim)} ({@code ProdBackward0} over all elements, {@code ProdBackward1} over a dim): the
   * product of each slice; integers and bools multiply to int64. The gradient of an element is the product of the
   * others in its slice (computed directly, so zeros are handled as PyTorch handles them).
   */
  public static Variable prod(Variable x, int[] dims, boolean keepdim) {
    return sliceReduce(x, dims, keepdim, dims == null ? "ProdBackward0" : "ProdBackward1", 0);
  }

  /**
   * {@code x.amax(dims, keepdim)} / {@code x.amin} ({@code AmaxBackward0} / {@code AminBackward0}): the largest
   * (smallest) element of each slice, NaN winning; the gradient is shared evenly among the elements equal to it.
   */
  public static Variable amax(Variable x, int[] dims, boolean keepdim, boolean max) {
    if (x.data().numel() == 0 && (dims == null || dims.length == 0)) {
      throw new RuntimeError((max ? "amax" : "amin") + "(): Expected reduction dim to be specified for input.numel()"
          + " == 0. Specify the reduction dim with the 'dim' argument.");
    }
    return sliceReduce(x, dims, keepdim, max ? "AmaxBackward0" : "AminBackward0", max ? 1 : -1);
  }

  /** Reduces each slice over dims: kind 0 multiplies, 1 takes the maximum, -1 the minimum. */
  private static Variable sliceReduce(Variable x, int[] dims, boolean keepdim, String name, int kind) {
    Tensor t = x.data();
    boolean[] mask = Kernels.dimMask(dims, t.dim());
    int[] shape = t.dim() == 0 ? new int[] {1} : t.shape();
    int[] kept = Kernels.keptShape(shape, mask);
    int[] outShape = t.dim() == 0 ? new int[0] : keepdim ? kept : Kernels.droppedShape(shape, mask);
    int[] slot = Shapes.broadcastIndex(kept, shape);
    int m = Shapes.numel(kept);
    int n = t.numel();
    return Kernels.record((in, needs) -> {
      Tensor v = in[0];
      DType out = kind == 0 && !v.dtype().isFloatingPoint() ? DType.INT64 : v.dtype();
      TensorBuilder ob = new TensorBuilder(out, outShape);
      if (!out.isFloatingPoint() || !v.dtype().isFloatingPoint()) {
        long[] acc = new long[m];
        java.util.Arrays.fill(acc, kind == 0 ? 1 : kind > 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
        for (int i = 0; i < n; i++) {
          int o = slot == null ? i : slot[i];
          long e = v.getLong(i);
          acc[o] = kind == 0 ? acc[o] * e : kind > 0 ? Math.max(acc[o], e) : Math.min(acc[o], e);
        }
        for (int o = 0; o < m; o++) {
          ob.setLong(o, acc[o]);
        }
        return new Differentiable.Result(ob.build(), name, List.of(), null);
      }
      double[] acc = new double[m];
      java.util.Arrays.fill(acc, kind == 0 ? 1 : kind > 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
      for (int i = 0; i < n; i++) {
        int o = slot == null ? i : slot[i];
        double e = v.getDouble(i);
        acc[o] = kind == 0 ? acc[o] * e : Double.isNaN(acc[o]) || Double.isNaN(e) ? Double.NaN
            : kind > 0 ? Math.max(acc[o], e) : Math.min(acc[o], e);
      }
      for (int o = 0; o < m; o++) {
        ob.set(o, acc[o]);
      }
      Tensor y = ob.build();
      return new Differentiable.Result(y, name, List.of(), needs[0] ? g -> {
        double[] gx = new double[n];
        if (kind == 0) {
          // the product of the other elements of the slice, element by element
          for (int i = 0; i < n; i++) {
            int o = slot == null ? i : slot[i];
            double others = 1;
            for (int j = 0; j < n; j++) {
              if (j != i && (slot == null ? j : slot[j]) == o) {
                others *= v.getDouble(j);
              }
            }
            gx[i] = g.getDouble(o) * others;
          }
        } else {
          int[] count = new int[m];
          for (int i = 0; i < n; i++) {
            int o = slot == null ? i : slot[i];
            if (hits(v.getDouble(i), y.getDouble(o))) {
              count[o]++;
            }
          }
          for (int i = 0; i < n; i++) {
            int o = slot == null ? i : slot[i];
            gx[i] = hits(v.getDouble(i), y.getDouble(o)) ? g.getDouble(o) / count[o] : 0;
          }
        }
        return new Tensor[] {Kernels.fromDoubles(gx, v.dtype(), v.shape())};
      } : null);
    }, x);
  }

  private static boolean hits(double v, double best) {
    return Double.isNaN(best) ? Double.isNaN(v) : v == best;
  }

  enum Mode { SUM, MEAN, NORM }

  static final class Reduce implements Differentiable {
    private final Mode mode;
    private final int[] dims;
    private final boolean keepdim;
    private final double p;

    Reduce(Mode mode, int[] dims, boolean keepdim, double p) {
      this.mode = mode;
      this.dims = dims == null ? null : dims.clone();
      this.keepdim = keepdim;
      this.p = p;
    }

    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      Tensor x = inputs[0];
      DType in = x.dtype();
      if (mode == Mode.MEAN && !in.isFloatingPoint()) {
        throw new RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating point or"
            + " complex dtype. Got: " + in.scalarTypeName());
      }
      if (mode == Mode.NORM && !in.isFloatingPoint()) {
        throw new RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
            + in.scalarTypeName());
      }
      DType out = mode == Mode.SUM && !in.isFloatingPoint() ? DType.INT64 : in;
      int[] shape = x.shape();
      boolean[] mask = Kernels.dimMask(dims, shape.length);
      int[] kept = shape.length == 0 ? new int[0] : Kernels.keptShape(shape, mask);
      int[] outShape = keepdim || shape.length == 0 ? kept : Kernels.droppedShape(shape, mask);
      int m = Shapes.numel(kept);
      int n = x.numel();
      int count = m == 0 ? 0 : n / m;
      int[] index = Shapes.broadcastIndex(kept, shape);
      TensorBuilder ob = new TensorBuilder(out, outShape);
      if (out == DType.INT64) {
        long[] acc = new long[m];
        for (int i = 0; i < n; i++) {
          acc[index == null ? i : index[i]] += x.getLong(i);
        }
        for (int j = 0; j < m; j++) {
          ob.setLong(j, acc[j]);
        }
        return new Result(ob.build(), "SumBackward1", List.of(), null);
      }
      double[] acc = new double[m];
      boolean inf = Double.isInfinite(p);
      if (mode == Mode.NORM && inf) {
        java.util.Arrays.fill(acc, p > 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        if (count == 0 && m > 0) {
          throw new RuntimeError("linalg.vector_norm cannot compute the " + (p > 0 ? "inf" : "-inf")
              + " norm on an empty tensor because the operation does not have an identity");
        }
      }
      for (int i = 0; i < n; i++) {
        int j = index == null ? i : index[i];
        double v = x.getDouble(i);
        switch (mode) {
          case SUM, MEAN -> acc[j] += v;
          case NORM -> {
            double a = Math.abs(v);
            if (inf) {
              acc[j] = Double.isNaN(a) || Double.isNaN(acc[j]) ? Double.NaN : p > 0 ? Math.max(acc[j], a) : Math.min(acc[j], a);
            } else if (p == 0) {
              acc[j] += v != 0 ? 1 : 0;
            } else if (p == 1) {
              acc[j] += a;
            } else if (p == 2) {
              acc[j] += v * v;
            } else {
              acc[j] += Math.pow(a, p);
            }
          }
        }
      }
      for (int j = 0; j < m; j++) {
        double r = acc[j];
        if (mode == Mode.MEAN) {
          r /= count;
        } else if (mode == Mode.NORM && !inf && p != 0 && p != 1) {
          r = p == 2 ? Math.sqrt(r) : Math.pow(r, 1 / p);
        }
        ob.set(j, r);
      }
      Tensor y = ob.build();
      String name = switch (mode) {
        case SUM -> "SumBackward1";
        case MEAN -> "MeanBackward1";
        case NORM -> "LinalgVectorNormBackward0";
      };
      if (!needsGrad[0]) {
        return new Result(y, name, List.of(), null);
      }
      return new Result(y, name, List.of(), g -> {
        Tensor gk = g.reshape(kept);
        if (mode == Mode.SUM) {
          return new Tensor[] {TensorMath.expand(gk, shape)};
        }
        if (mode == Mode.MEAN) {
          TensorBuilder gb = new TensorBuilder(out, shape);
          for (int i = 0; i < n; i++) {
            gb.set(i, gk.getDouble(index == null ? i : index[i]) / count);
          }
          return new Tensor[] {gb.build()};
        }
        return new Tensor[] {normBackward(x, gk, y.reshape(kept), index, kept)};
      });
    }

    private Tensor normBackward(Tensor x, Tensor g, Tensor norm, int[] index, int[] kept) {
      int n = x.numel();
      DType dt = x.dtype();
      TensorBuilder gb = new TensorBuilder(dt, x.shape());
      if (p == 0) {
        return null; // PyTorch's norm_backward gives no gradient for p = 0
      }
      double[] ties = null;
      if (Double.isInfinite(p)) {
        ties = new double[Shapes.numel(kept)];
        for (int i = 0; i < n; i++) {
          int j = index == null ? i : index[i];
          double a = Math.abs(x.getDouble(i));
          if (a == norm.getDouble(j) || Double.isNaN(a)) {
            ties[j] += 1;
          }
        }
      }
      for (int i = 0; i < n; i++) {
        int j = index == null ? i : index[i];
        double v = x.getDouble(i);
        double gi = g.getDouble(j);
        double nv = norm.getDouble(j);
        double a = Math.abs(v);
        double r;
        if (p == 1) {
          r = Math.signum(v) * gi;
        } else if (p == 2) {
          r = nv == 0 ? 0 : gi * (v / nv);
        } else if (Double.isInfinite(p)) {
          boolean hit = a == nv || Double.isNaN(a);
          r = hit ? Math.signum(v) * (gi / ties[j]) : 0 * Math.signum(v);
        } else if (p < 1) {
          double scaled = v == 0 ? 0 : Math.signum(v) * Math.pow(a, p - 1);
          r = scaled * gi * Math.pow(nv, 1 - p);
        } else if (p < 2) {
          double scale = nv == 0 ? 0 : gi / Math.pow(nv, p - 1);
          r = Math.signum(v) * Math.pow(a, p - 1) * scale;
        } else {
          double scale = nv == 0 ? 0 : gi / Math.pow(nv, p - 1);
          r = v * Math.pow(a, p - 2) * scale;
        }
        gb.set(i, r);
      }
      return gb.build();
    }
  }
}
