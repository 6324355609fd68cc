package dev.loss4j.ops;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.NotImplementedError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.kernel.AdaptiveKernels;
import dev.loss4j.kernel.SleefFloat;
import dev.loss4j.kernel.SoftmaxKernels;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Storage;
import dev.loss4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code softmax} and {@code log_softmax} along a dim, with autograd ({@code SoftmaxBackward0},
 * {@code LogSoftmaxBackward0}), plus the {@code torch.nn.functional} forms with PyTorch's implicit-dim
 * choice and warning and the optional {@code dtype} cast.
 *
 * <p>softmax: y_i = exp(x_i - m) / sum_j exp(x_j - m) with m = max_j x_j; log_softmax: y_i = x_i - m -
 * log sum_j exp(x_j - m). Gradients: softmax dx = y (g - sum(g y)); log_softmax dx = g - exp(y) sum(g).
 * Any shape (0-d included); floating dtypes only, as PyTorch's kernels. The loops are
 * {@link SoftmaxKernels}': computed in double per slice and rounded to the dtype once.
 */
public final class Softmax {
  private Softmax() {}

  /** A result of the functional forms, with the UserWarnings PyTorch would have emitted, in order. */
  public record Outcome(Variable value, List<String> warnings) {
    /** The value when there are no warnings, else null, as {@code Functional.Outcome.quiet()} (the shim's one crossing). */
    public Variable quiet() {
      return warnings.isEmpty() ? value : null;
    }
  }

  /** {@code torch.softmax(x, dim)}. */
  public static Variable softmax(Variable x, int dim) {
    return Kernels.record(new Op(false, dim), x);
  }

  /** {@code torch.log_softmax(x, dim)}. */
  public static Variable logSoftmax(Variable x, int dim) {
    return Kernels.record(new Op(true, dim), x);
  }

  /**
   * {@code F.softmax(input, dim=None, _stacklevel=3, dtype=None)}: a null dim is chosen as PyTorch's
   * {@code _get_softmax_dim} does (0 for 0-, 1- and 3-d inputs, else 1) with its deprecation warning; a
   * dtype name casts the input first.
   */
  public static Outcome softmax(Variable x, Integer dim, String dtype) {
    return functional(false, x, dim, dtype);
  }

  /** {@code F.log_softmax(input, dim=None, _stacklevel=3, dtype=None)}. */
  public static Outcome logSoftmax(Variable x, Integer dim, String dtype) {
    return functional(true, x, dim, dtype);
  }

  private static Outcome functional(boolean log, Variable x, Integer dim, String dtype) {
    List<String> warnings = new ArrayList<>();
    int d;
    if (dim == null) {
      warnings.add("Implicit dimension choice for " + (log ? "log_softmax" : "softmax")
          + " has been deprecated. Change the call to include dim=X as an argument.");
      int nd = x.data().dim();
      d = nd == 0 || nd == 1 || nd == 3 ? 0 : 1;
    } else {
      d = dim;
    }
    try {
      Variable in = dtype == null ? x : Views.to(x, DType.fromName(dtype));
      return new Outcome(log ? logSoftmax(in, d) : softmax(in, d), warnings);
    } catch (dev.loss4j.errors.TorchException e) {
      throw e.withWarnings(warnings);
    }
  }

  /**
   * log_softmax of one row of a float16/bfloat16 tensor as ATen's last-dim kernel computes it on the row widened
   * to float: SLEEF's expf of x - max summed in eight float lanes, that sum held in the dtype, its log rounded to
   * the dtype, then {@code (x - max) - log} rounded once. Writes {@code out[off..off + n)}.
   */
  public static void reducedLogSoftmaxRow(double[] x, int off, int n, DType dt, double[] out) {
    float mx = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      double v = x[off + i];
      mx = v > mx || Double.isNaN(v) ? (float) v : mx;
    }
    float[] e = new float[n];
    for (int i = 0; i < n; i++) {
      e[i] = SleefFloat.expf((float) x[off + i] - mx);
    }
    float log = (float) dt.round(Math.log(dt.round(AdaptiveKernels.laneSum(e, n))));
    for (int i = 0; i < n; i++) {
      out[off + i] = dt.round(((float) x[off + i] - mx) - log);
    }
  }

  /**
   * log_softmax's backward over one row in float16/bfloat16: as float32's kernel on the widened row (lane sum
   * of the gradient, SLEEF's expf of the output, a fused multiply-add), each gradient rounded once.
   */
  public static void reducedLogSoftmaxBackwardRow(double[] g, double[] lp, int off, int n, DType dt, double[] out) {
    float[] gf = new float[n];
    for (int i = 0; i < n; i++) {
      gf[i] = (float) g[off + i];
    }
    float s = AdaptiveKernels.laneSum(gf, n);
    for (int i = 0; i < n; i++) {
      out[off + i] = dt.round(Math.fma(-SleefFloat.expf((float) lp[off + i]), s, gf[i]));
    }
  }

  static final class Op implements Differentiable {
    private final boolean log;
    private final int dim;

    Op(boolean log, int dim) {
      this.log = log;
      this.dim = dim;
    }

    /**
     * float16/bfloat16: log_softmax over the last dimension in ATen's own steps ({@link #reducedLogSoftmaxRow});
     * softmax and other dimensions computed in float32 and rounded once (before, the float64 path took the
     * reduced tensor's float storage and failed with a ClassCastException).
     */
    @Override
    public ReducedFloat reducedFloat() {
      return ReducedFloat.NATIVE;
    }

    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      Tensor x = inputs[0];
      int nd = x.dim();
      int d = Kernels.wrapDim(dim, nd);
      DType dt = x.dtype();
      if (dt.isReducedFloat()) {
        if (!(nd == 0 || d == nd - 1) || x.numel() == 0) {
          return Differentiable.widened(this, inputs, needsGrad);
        }
        return log ? reducedLastDim(x, needsGrad[0]) : reducedSoftmaxLastDim(x, inputs, needsGrad);
      }
      if (!dt.isFloatingPoint() && x.numel() == 0) {
        return new Result(x, log ? "LogSoftmaxBackward0" : "SoftmaxBackward0", List.of(), null);
      }
      if (!dt.isFloatingPoint()) {
        String kernel = (log ? "log_softmax" : "softmax") + (nd == 0 || d == nd - 1 ? "_lastdim" : "") + "_kernel_impl";
        throw NotImplementedError.forDtype(kernel, dt.scalarTypeName());
      }
      int[] shape = x.shape();
      int size = nd == 0 ? 1 : shape[d];
      int inner = 1;
      for (int k = d + 1; k < nd; k++) {
        inner *= shape[k];
      }
      int n = x.numel();
      int outer = size * inner == 0 ? 0 : n / (size * inner);
      int innerF = inner;
      Tensor y;
      if (dt == DType.FLOAT32) {
        float[] out = new float[n];
        // float32LogSum: log_softmax in float lanes, as PyTorch's float32 kernel; the losses that promote a
        // float32 log-probability to float64 call the double-exp form themselves (Classification).
        SoftmaxKernels.forward(Storage.floats(x), out, outer, size, inner, log, true);
        y = Storage.adopt(out, shape);
      } else {
        double[] out = new double[n];
        SoftmaxKernels.forward(Storage.doubles(x), out, outer, size, inner, log);
        y = Storage.adopt(out, shape);
      }
      String name = log ? "LogSoftmaxBackward0" : "SoftmaxBackward0";
      if (!needsGrad[0]) {
        return new Result(y, name, List.of(), null);
      }
      return new Result(y, name, List.of(), gradOutput -> {
        Tensor g = gradOutput.dtype() == dt ? gradOutput : gradOutput.to(dt);
        if (dt == DType.FLOAT32) {
          float[] dx = new float[n];
          SoftmaxKernels.backward(Storage.floats(g), Storage.floats(y), dx, outer, size, innerF, log);
          return new Tensor[] {Storage.adopt(dx, shape)};
        }
        double[] dx = new double[n];
        SoftmaxKernels.backward(Storage.doubles(g), Storage.doubles(y), dx, outer, size, innerF, log);
        return new Tensor[] {Storage.adopt(dx, shape)};
      });
    }

    /** log_softmax over the last dimension of a float16/bfloat16 tensor, rows as ATen's reduced kernel runs them. */
    private Result reducedLastDim(Tensor x, boolean grad) {
      DType dt = x.dtype();
      int[] shape = x.shape();
      int n = x.numel();
      int size = shape.length == 0 ? 1 : shape[shape.length - 1];
      double[] xv = x.toDoubleArray();
      double[] lp = new double[n];
      for (int off = 0; off < n; off += size) {
        reducedLogSoftmaxRow(xv, off, size, dt, lp);
      }
      Tensor y = build(lp, dt, shape);
      if (!grad) {
        return new Result(y, "LogSoftmaxBackward0", List.of(), null);
      }
      return new Result(y, "LogSoftmaxBackward0", List.of(), gradOutput -> {
        double[] g = gradOutput.toDoubleArray();
        double[] dx = new double[n];
        for (int off = 0; off < n; off += size) {
          reducedLogSoftmaxBackwardRow(g, lp, off, size, dt, dx);
        }
        return new Tensor[] {build(dx, dt, shape)};
      });
    }

    /**
     * softmax over the last dimension in float16/bfloat16: the float32 kernel's values rounded once; the backward
     * from the rounded output, {@code y (g - sum(g y))} over the widened row (products and their lane sum in
     * float), rounded once.
     */
    private Result reducedSoftmaxLastDim(Tensor x, Tensor[] inputs, boolean[] needsGrad) {
      DType dt = x.dtype();
      Result wide = Differentiable.widened(this, inputs, new boolean[1]);
      Tensor y = wide.output();
      if (!needsGrad[0]) {
        return new Result(y, "SoftmaxBackward0", List.of(), null);
      }
      int[] shape = x.shape();
      int n = x.numel();
      int size = shape.length == 0 ? 1 : shape[shape.length - 1];
      double[] yv = y.toDoubleArray();
      return new Result(y, "SoftmaxBackward0", List.of(), gradOutput -> {
        double[] g = gradOutput.toDoubleArray();
        double[] dx = new double[n];
        float[] gy = new float[size];
        for (int off = 0; off < n; off += size) {
          for (int i = 0; i < size; i++) {
            gy[i] = (float) g[off + i] * (float) yv[off + i];
          }
          float sum = AdaptiveKernels.laneSum(gy, size);
          for (int i = 0; i < size; i++) {
            dx[off + i] = dt.round((float) yv[off + i] * ((float) g[off + i] - sum));
          }
        }
        return new Tensor[] {build(dx, dt, shape)};
      });
    }

    private static Tensor build(double[] v, DType dt, int[] shape) {
      dev.loss4j.tensor.TensorBuilder b = new dev.loss4j.tensor.TensorBuilder(dt, shape);
      for (int i = 0; i < v.length; i++) {
        b.set(i, v[i]);
      }
      return b.build();
    }
  }

  /**
   * {@code torch.logsumexp(x, dims, keepdim)} ({@code LogsumexpBackward0}): m + log(sum exp(x - m)) over dims (all
   * when empty), m the slice's maximum (0 when that is infinite, so -inf and inf slices come out as they are);
   * d = exp(x - out). Integer and bool inputs give float32, as in PyTorch.
   */
  public static Variable logsumexp(Variable x, int[] dims, boolean keepdim) {
    Variable src = x.data().dtype().isFloatingPoint() ? x : Views.to(x, DType.FLOAT32);
    Tensor t = src.data();
    boolean[] mask = Kernels.dimMask(dims, t.dim());
    int[] shape = t.dim() == 0 ? new int[] {1} : t.shape();
    int[] kept = Kernels.keptShape(shape, mask);
    int[] outShape = keepdim || t.dim() == 0 ? (t.dim() == 0 ? new int[0] : kept) : Kernels.droppedShape(shape, mask);
    int[] slot = dev.loss4j.tensor.Shapes.broadcastIndex(kept, shape);
    int m = dev.loss4j.tensor.Shapes.numel(kept);
    int n = t.numel();
    return Kernels.record((in, needs) -> {
      Tensor v = in[0];
      double[] max = new double[m];
      java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
      for (int i = 0; i < n; i++) {
        int o = slot == null ? i : slot[i];
        max[o] = Math.max(max[o], v.getDouble(i));
      }
      double[] sum = new double[m];
      for (int i = 0; i < n; i++) {
        int o = slot == null ? i : slot[i];
        double shift = Double.isInfinite(max[o]) ? 0 : max[o];
        sum[o] += Math.exp(v.getDouble(i) - shift);
      }
      double[] out = new double[m];
      for (int o = 0; o < m; o++) {
        out[o] = Math.log(sum[o]) + (Double.isInfinite(max[o]) ? 0 : max[o]);
      }
      Tensor y = Kernels.fromDoubles(out, v.dtype(), outShape);
      return new Differentiable.Result(y, "LogsumexpBackward0", List.of(), needs[0] ? g -> {
        double[] gx = new double[n];
        for (int i = 0; i < n; i++) {
          int o = slot == null ? i : slot[i];
          gx[i] = g.getDouble(o) * Math.exp(v.getDouble(i) - y.getDouble(o));
        }
        return new Tensor[] {Kernels.fromDoubles(gx, v.dtype(), v.shape())};
      } : null);
    }, src);
  }
}
