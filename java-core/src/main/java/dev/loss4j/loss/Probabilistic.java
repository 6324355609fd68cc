package dev.loss4j.loss;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.GradientFunction;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.errors.TorchException;
import dev.loss4j.errors.TypeError;
import dev.loss4j.errors.ValueError;
import dev.loss4j.kernel.AtenFloatSum;
import dev.loss4j.kernel.ProbabilisticKernels;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Storage;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import dev.loss4j.tensor.TensorMath;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The probabilistic losses of {@code torch.nn}: GaussianNLLLoss, PoissonNLLLoss and KLDivLoss, each a
 * negative log-likelihood or divergence computed element by element over broadcast arguments, then
 * reduced. PyTorch 1.13 composes all three from elementary ops, so their grad_fn names are those ops'
 * ({@code MeanBackward0}, {@code SumBackward0}, {@code SubBackward0}...), and every floating argument gets
 * a gradient. The {@code torch.nn.functional} entry points ({@link #gaussianNllLoss}, {@link #poissonNllLoss},
 * {@link #klDiv}) check their arguments in PyTorch's order and return its warnings.
 */
public final class Probabilistic {
  private Probabilistic() {}

  private static final String SUB_ONE_BOOL = "Subtraction, the `-` operator, with a bool tensor is not supported. "
      + "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.";
  private static final String SUB_TWO_BOOLS = "Subtraction, the `-` operator, with two bool tensors is not supported. "
      + "Use the `^` or `logical_xor()` operator instead.";

  /** PyTorch's UserWarning for {@code kl_div(reduction='mean')}, word for word (its sentences run together). */
  public static final String KL_DIV_MEAN_WARNING = "reduction: 'mean' divides the total loss by both the batch size"
      + " and the support size.'batchmean' divides only by the batch size, and aligns with the KL div math"
      + " definition.'mean' will be changed to behave the same as 'batchmean' in the next major release.";

  /**
   * The dtype and dimensionality of an intermediate result, for PyTorch's type promotion between tensors:
   * a 0-d tensor only decides the dtype when its category (bool, integral, floating) is higher than every
   * dimensioned operand's.
   */
  record Operand(DType dtype, boolean zeroDim) {
    static Operand of(Tensor t) {
      return new Operand(t.dtype(), t.dim() == 0);
    }

    /** As a floating op (exp, log) leaves it: integral and bool become float32. */
    Operand floating() {
      return dtype.isFloatingPoint() ? this : new Operand(DType.FLOAT32, zeroDim);
    }

    /** {@code torch.result_type} of a binary op between this and {@code o}. */
    Operand with(Operand o) {
      if (zeroDim == o.zeroDim) {
        return new Operand(DType.promote(dtype, o.dtype), zeroDim);
      }
      Operand dimmed = zeroDim ? o : this;
      Operand zero = zeroDim ? this : o;
      DType d = category(zero.dtype) > category(dimmed.dtype) ? zero.dtype : dimmed.dtype;
      return new Operand(d, false);
    }

    private static int category(DType d) {
      return d == DType.BOOL ? 0 : d.isFloatingPoint() ? 2 : 1;
    }
  }

  /**
   * The shared engine: a loss of one element of each (broadcast) argument, its derivatives, and the
   * reduction. Values are computed in double; for float32 each element is rounded before it is summed and
   * the sum is rounded before the mean divides it, as PyTorch's float32 kernels do.
   */
  abstract static class Pointwise implements Differentiable {
    protected final Reduction reduction;

    Pointwise(Reduction reduction) {
      this.reduction = reduction;
    }

    public Reduction reduction() {
      return reduction;
    }

    /** The loss of one element, with its derivatives. */
    @FunctionalInterface
    protected interface Kernel {
      /** The loss at arguments {@code a}; writes d loss / d argument k into {@code grads[k]} where {@code want[k]}. */
      double eval(double[] a, double[] grads, boolean[] want);
    }

    /** The element kernel for these arguments (their dtypes decide which float32 roundings it mirrors). */
    protected abstract Kernel kernel(Tensor[] inputs);

    /** PyTorch's grad_fn name for this configuration. */
    protected abstract String gradFnName(Tensor[] inputs);

    /** Throws PyTorch's error for arguments it refuses, before any computation. */
    protected void check(Tensor[] inputs) {}

    /** The shape argument k takes part in broadcasting with (its own, or a view of it). */
    protected int[] viewShape(int k, Tensor[] inputs) {
      return inputs[k].shape();
    }

    /**
     * Every argument's index, in the order PyTorch's ops broadcast them (its error names the first two a, b).
     */
    protected int[] broadcastOrder() {
      return new int[] {0, 1};
    }

    /** A divisor applied after the reduction (kl_div's batchmean); 1 by default. */
    protected double postDivisor(Tensor[] inputs) {
      return 1;
    }

    /** The dtype of the result: the promoted one, float32 when every argument is integral. */
    protected DType outputDtype(Tensor[] inputs) {
      DType d = inputs[0].dtype();
      for (int k = 1; k < inputs.length; k++) {
        d = DType.promote(d, inputs[k].dtype());
      }
      return d.isFloatingPoint() ? d : DType.FLOAT32;
    }

    /**
     * Whether this configuration has a flat kernel for arguments that all have the output's dtype and shape
     * (none by default).
     */
    protected boolean flatSupported(Tensor[] inputs) {
      return false;
    }

    /**
     * The flat kernel over same-length float32 arrays, with the contract of
     * {@link ProbabilisticKernels}: returns the sum of the losses, or writes each into {@code each};
     * writes d loss / d argument k times {@code scale} into {@code grads[k]} where it is not null.
     */
    protected double flat(float[][] args, float[] each, float[][] grads, double scale) {
      throw new UnsupportedOperationException();
    }

    /** The float64 twin of {@link #flat(float[][], float[], float[][], double)}. */
    protected double flat(double[][] args, double[] each, double[][] grads, double scale) {
      throw new UnsupportedOperationException();
    }

    /** The fast path: every argument of the output's shape and dtype, the loss's own loop. */
    private Result flatApply(Tensor[] inputs, boolean[] needsGrad, DType dtype, double post) {
      int m = inputs.length;
      int[] shape = inputs[0].shape();
      int n = inputs[0].numel();
      boolean none = reduction == Reduction.NONE;
      double scale = (reduction == Reduction.MEAN ? 1.0 / n : 1.0) / post;
      Tensor[] grads = new Tensor[m];
      Tensor output;
      double total;
      boolean f32 = dtype == DType.FLOAT32;
      if (f32) {
        float[][] a = new float[m][];
        float[][] g = new float[m][];
        for (int k = 0; k < m; k++) {
          a[k] = Storage.floats(inputs[k]);
          g[k] = needsGrad[k] ? new float[n] : null;
        }
        // a small float32 reduction in ATen's float order, as ElementwiseLoss.flat
        boolean ordered = !none && n <= ElementwiseLoss.ORDERED_SUM_MAX;
        float[] each = none || ordered ? new float[n] : null;
        total = flat(a, each, g, scale);
        if (ordered) {
          total = AtenFloatSum.contiguous(each, n);
        }
        output = none ? Storage.adopt(each, shape) : null;
        for (int k = 0; k < m; k++) {
          grads[k] = g[k] == null ? null : Storage.adopt(g[k], shape);
        }
      } else {
        double[][] a = new double[m][];
        double[][] g = new double[m][];
        for (int k = 0; k < m; k++) {
          a[k] = Storage.doubles(inputs[k]);
          g[k] = needsGrad[k] ? new double[n] : null;
        }
        double[] each = none ? new double[n] : null;
        total = flat(a, each, g, scale);
        output = none ? Storage.adopt(each, shape) : null;
        for (int k = 0; k < m; k++) {
          grads[k] = g[k] == null ? null : Storage.adopt(g[k], shape);
        }
      }
      if (output == null) {
        double s = f32 ? (float) total : total;
        if (reduction == Reduction.MEAN) {
          s = f32 ? (float) (s / n) : s / n;
        }
        output = Tensor.scalar(post == 1 ? s : s / post, dtype);
      }
      boolean any = false;
      for (boolean b : needsGrad) {
        any |= b;
      }
      GradientFunction backward = any ? Binary.flatBackward(reduction, grads) : null;
      return new Result(output, gradFnName(inputs), List.of(), backward);
    }

    /** True when every argument has {@code dtype} (float32 or float64) and the first one's shape. */
    private static boolean uniform(Tensor[] inputs, DType dtype) {
      if (dtype != DType.FLOAT32 && dtype != DType.FLOAT64 || inputs[0].numel() == 0) {
        return false;
      }
      for (Tensor t : inputs) {
        if (t.dtype() != dtype || !t.sameShape(inputs[0])) {
          return false;
        }
      }
      return true;
    }

    /** The value of the loss, without gradients. */
    public Tensor forward(Tensor... inputs) {
      return apply(inputs, new boolean[inputs.length]).output();
    }

    /** The loss as a node of an autograd graph. */
    public Variable forward(Variable... inputs) {
      return Variable.apply(this, null, inputs);
    }

    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      check(inputs);
      int m = inputs.length;
      int[][] views = new int[m][];
      for (int k = 0; k < m; k++) {
        views[k] = viewShape(k, inputs);
      }
      int[] order = broadcastOrder();
      int[] shape = views[order[0]];
      for (int j = 1; j < order.length; j++) {
        shape = Shapes.broadcast(shape, views[order[j]]);
      }
      DType dtype = outputDtype(inputs);
      double post = postDivisor(inputs);
      DType half = HalfSteps.uniform(getClass().getSimpleName(), inputs);
      if (half != null) {
        return reducedPrecision(inputs, needsGrad, shape, views, half);
      }
      if (uniform(inputs, dtype) && !(reduction == Reduction.NONE && post != 1) && flatSupported(inputs)) {
        return flatApply(inputs, needsGrad, dtype, post);
      }
      int n = Shapes.numel(shape);
      int[][] index = new int[m][];
      for (int k = 0; k < m; k++) {
        index[k] = Shapes.broadcastIndex(views[k], shape);
      }
      double scale = (reduction == Reduction.MEAN ? 1.0 / n : 1.0) / post;
      TensorBuilder[] local = new TensorBuilder[m];
      boolean any = false;
      for (int k = 0; k < m; k++) {
        if (needsGrad[k]) {
          local[k] = new TensorBuilder(dtype, shape);
          any = true;
        }
      }
      TensorBuilder each = reduction == Reduction.NONE ? new TensorBuilder(dtype, shape) : null;
      boolean f32 = dtype == DType.FLOAT32;
      double[] a = new double[m];
      double[] g = new double[m];
      double total = 0;
      Kernel kernel = kernel(inputs);
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < m; k++) {
          a[k] = inputs[k].getDouble(index[k] == null ? i : index[k][i]);
        }
        double l = kernel.eval(a, g, needsGrad);
        if (each != null) {
          each.set(i, post == 1 ? l : (f32 ? (float) l : l) / post);
        } else {
          total += f32 ? (float) l : l;
        }
        for (int k = 0; k < m; k++) {
          if (local[k] != null) {
            local[k].set(i, g[k] * scale);
          }
        }
      }
      Tensor output;
      if (each != null) {
        output = each.build();
      } else {
        double s = f32 ? (float) total : total;
        if (reduction == Reduction.MEAN) {
          s = f32 ? (float) (s / n) : s / n;
        }
        output = Tensor.scalar(post == 1 ? s : s / post, dtype);
      }
      GradientFunction backward = null;
      if (any) {
        Tensor[] grads = new Tensor[m];
        for (int k = 0; k < m; k++) {
          grads[k] = local[k] == null ? null : local[k].build();
        }
        backward = up -> {
          Tensor[] out = new Tensor[m];
          for (int k = 0; k < m; k++) {
            if (grads[k] != null) {
              // Summed over broadcast dimensions in the op's dtype, then cast, as autograd does.
              out[k] = sumTo(chain(grads[k], up), views[k], dtype).to(inputs[k].dtype())
                  .reshape(inputs[k].shape());
            }
          }
          return out;
        };
      }
      return new Result(output, gradFnName(inputs), List.of(), backward);
    }

    /**
     * A gradient {@code g} of the loss's shape summed to {@code view} in {@code dtype}: a float32 gradient
     * summed to one element in ATen's order ({@link AtenFloatSum}, {@code contiguous} as a product's gradient is,
     * or read through an expanded view), so that its widening to a 0-d float64 operand has PyTorch's bits; other
     * sums in double, rounded once.
     */
    static Tensor sumTo(Tensor g, int[] view, DType dtype, boolean expanded) {
      if (dtype == DType.FLOAT32 && Shapes.numel(view) == 1 && g.numel() > 1) {
        float[] v = new float[g.numel()];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) g.getDouble(i);
        }
        float s = expanded ? AtenFloatSum.strided(v, v.length) : AtenFloatSum.contiguous(v, v.length);
        return Tensor.scalar(s, dtype).reshape(view);
      }
      return TensorMath.sumToShape(g, view, dtype);
    }

    static Tensor sumTo(Tensor g, int[] view, DType dtype) {
      return sumTo(g, view, dtype, false);
    }

    /**
     * float16/bfloat16 arguments, all of the one dtype {@code dt}, broadcast to {@code shape} (argument k
     * viewed as {@code views[k]}): computed step by step as PyTorch's CPU rounds them by the losses that
     * mirror those steps; loss4j's NotImplementedError otherwise.
     */
    protected Result reducedPrecision(Tensor[] inputs, boolean[] needsGrad, int[] shape, int[][] views, DType dt) {
      throw HalfSteps.notYet(getClass().getSimpleName(), dt);
    }

    /** Argument k's values read at every position of {@code shape} (broadcast through {@code views[k]}). */
    static double[] expanded(Tensor t, int[] view, int[] shape) {
      int[] index = Shapes.broadcastIndex(view, shape);
      double[] out = new double[Shapes.numel(shape)];
      for (int i = 0; i < out.length; i++) {
        out[i] = t.getDouble(index == null ? i : index[i]);
      }
      return out;
    }

    /**
     * The output gradient at every position of the loss, in the reduced dtype {@code dt}: the unreduced
     * gradient as it is, or the reduced one's scalar divided by {@code divisor} (mean's element count,
     * batchmean's batch size; 1 for none and sum) and rounded, as the backward of PyTorch's mean and div
     * gives it.
     */
    static double[] upstream(Tensor up, int n, double divisor, DType dt) {
      double[] g = new double[n];
      if (up.numel() == n && up.dim() > 0) {
        for (int i = 0; i < n; i++) {
          g[i] = up.getDouble(i);
        }
      } else {
        java.util.Arrays.fill(g, divisor == 1 ? up.item() : HalfSteps.r(up.item() / divisor, dt));
      }
      return g;
    }

    /** A gradient over the loss's shape, summed back to argument k's view and reshaped to its shape. */
    static Tensor gradient(double[] g, DType dt, int[] shape, int[] view, Tensor arg) {
      return TensorMath.sumToShape(HalfSteps.tensor(g, dt, shape), view, dt).reshape(arg.shape());
    }

    private Tensor chain(Tensor local, Tensor up) {
      if (reduction != Reduction.NONE) {
        double s = up.item();
        return s == 1.0 ? local : TensorMath.scale(local, s);
      }
      TensorBuilder out = new TensorBuilder(local.dtype(), local.shape());
      for (int i = 0, n = local.numel(); i < n; i++) {
        out.set(i, local.getDouble(i) * up.getDouble(i));
      }
      return out.build();
    }
  }

  // ---- GaussianNLLLoss --------------------------------------------------------------------------------

  /**
   * Gaussian negative log likelihood, {@code torch.nn.GaussianNLLLoss(full=False, eps=1e-6)}:
   * {@code l_n = 0.5 (log(max(var_n, eps)) + (x_n - y_n)^2 / max(var_n, eps))}, plus {@code 0.5 log(2 pi)}
   * when {@code full}. Arguments input, target and var, in that order. Shapes: input (N, *) or (*); target
   * broadcastable with it; var of input's shape, or of input's shape with one dimension (any) 1, or with one
   * dimension fewer (homoscedastic: one variance per row, unsqueezed and broadcast). Output scalar, or the
   * broadcast shape for reduction none. Gradients flow to input, target and var; the clamp of var to eps is
   * invisible to autograd (PyTorch clamps under no_grad), so var's gradient is
   * {@code 0.5 (1/v - (x - y)^2 / v^2)} at the clamped {@code v}. Errors: "var is of incorrect size",
   * "var has negative entry/entries" (ValueError); an integral or bool var cannot be clamped (RuntimeError).
   * Counterpart of {@code F.gaussian_nll_loss}; reductions none, mean, sum.
   */
  public static final class GaussianNLLLoss extends Pointwise {
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
    private final boolean full;
    private final double eps;

    public GaussianNLLLoss(boolean full, double eps, Reduction reduction) {
      super(reduction);
      if (reduction == Reduction.BATCHMEAN) {
        throw new ValueError("batchmean is not valid");
      }
      this.full = full;
      this.eps = eps;
    }

    public GaussianNLLLoss() {
      this(false, 1e-6, Reduction.MEAN);
    }

    public boolean full() {
      return full;
    }

    public double eps() {
      return eps;
    }

    /**
     * The shape var broadcasts with: its own when equal to input's, or with a trailing 1 when it is input's
     * shape less the last dimension; its own when it differs from input's in one dimension only, where it is 1.
     *
     * @throws ValueError "var is of incorrect size" otherwise
     */
    public static int[] varView(int[] input, int[] var) {
      if (Arrays.equals(input, var)) {
        return var;
      }
      int[] lead = Arrays.copyOf(input, Math.max(input.length - 1, 0));
      if (Arrays.equals(lead, var)) {
        int[] v = Arrays.copyOf(var, var.length + 1);
        v[var.length] = 1;
        return v;
      }
      if (var.length == input.length) {
        // PyTorch 2.x: var broadcasts along exactly one dimension, any one, where its size is 1 (the sum of
        // var's sizes over the dimensions that differ is 1).
        int mismatched = 0;
        for (int i = 0; i < var.length; i++) {
          mismatched += var[i] != input[i] ? var[i] : 0;
        }
        if (mismatched == 1) {
          return var;
        }
      }
      throw new ValueError("var is of incorrect size");
    }

    @Override
    protected int[] viewShape(int k, Tensor[] inputs) {
      return k == 2 ? varView(inputs[0].shape(), inputs[2].shape()) : inputs[k].shape();
    }

    @Override
    protected void check(Tensor[] inputs) {
      Tensor var = inputs[2];
      checkNonNegative(var);
      varView(inputs[0].shape(), var.shape());
      checkVarDtype(var);
      boolean bx = inputs[0].dtype() == DType.BOOL;
      boolean by = inputs[1].dtype() == DType.BOOL;
      if (bx || by) {
        throw new RuntimeError(bx && by ? SUB_TWO_BOOLS : SUB_ONE_BOOL);
      }
    }

    /** PyTorch 2.x checks var's entries first, before its size and the reduction. */
    static void checkNonNegative(Tensor var) {
      var.dtype().refuseBarebones("lt_cpu");
      boolean negative = switch (var.dtype()) {
        case FLOAT32 -> ProbabilisticKernels.anyNegative(Storage.floats(var));
        case FLOAT64 -> ProbabilisticKernels.anyNegative(Storage.doubles(var));
        default -> {
          boolean any = false;
          for (int i = 0, n = var.numel(); i < n; i++) {
            any |= var.getDouble(i) < 0;
          }
          yield any;
        }
      };
      if (negative) {
        throw new ValueError("var has negative entry/entries");
      }
    }

    /** After the size and reduction checks: the clamp to eps refuses an integral var. */
    static void checkVarDtype(Tensor var) {
      if (!var.dtype().isFloatingPoint()) {
        throw new RuntimeError("result type Float can't be cast to the desired output type "
            + var.dtype().cTypeName());
      }
    }


    /** 0.5 * (log(var) + (input - target)**2 / var), typed op by op on var's (unsqueezed) view. */
    @Override
    protected DType outputDtype(Tensor[] inputs) {
      Operand var = new Operand(inputs[2].dtype(), varView(inputs[0].shape(), inputs[2].shape()).length == 0);
      Operand q = Operand.of(inputs[0]).with(Operand.of(inputs[1])).with(var);
      return var.floating().with(q).floating().dtype();
    }

    @Override
    protected Kernel kernel(Tensor[] inputs) {
      // PyTorch evaluates (input - target)**2 in their promoted dtype and log(var) in var's: mirror their
      // float32 rounding where the result is wider. The clamp's eps is rounded to var's dtype.
      boolean varF32 = inputs[2].dtype() == DType.FLOAT32;
      double clampEps = clampEps(inputs[2].dtype());
      boolean diffF32 = Operand.of(inputs[0]).with(Operand.of(inputs[1])).dtype() != DType.FLOAT64;
      boolean nanEps = Double.isNaN(clampEps); // PyTorch's clamp_(min=nan) makes every variance NaN
      return (a, g, want) -> {
        double v = nanEps || a[2] < clampEps ? clampEps : a[2];
        double d = a[0] - a[1];
        double d2 = d * d;
        if (diffF32) {
          d = (float) d;
          d2 = (float) (d * d);
        }
        double q = d2 / v;
        double logv = varF32 ? (float) Math.log(v) : Math.log(v);
        double l = 0.5 * (logv + q);
        if (full) {
          l += HALF_LOG_2PI;
        }
        double dx = d / v;
        g[0] = dx;
        g[1] = -dx;
        if (want[2]) {
          g[2] = 0.5 * (1 / v - q / v);
        }
        return l;
      };
    }

    @Override
    protected int[] broadcastOrder() {
      return new int[] {0, 1, 2};
    }

    /**
     * float16/bfloat16 as PyTorch 2.13's gaussian_nll_loss (Python, op by op) computes them, each step rounded
     * to {@code dt}: var clamped to eps (in the dtype), {@code 0.5 (log v + (x - y)^2 / v)}, plus the dtype's
     * {@code 0.5 log(2 pi)} in place when full. The gradients follow autograd's steps; var's gets its two
     * terms (through log v and through the division), each summed over var's broadcast positions, then added.
     */
    @Override
    protected Result reducedPrecision(Tensor[] inputs, boolean[] needsGrad, int[] shape, int[][] views, DType dt) {
      int n = Shapes.numel(shape);
      double[] x = expanded(inputs[0], views[0], shape);
      double[] y = expanded(inputs[1], views[1], shape);
      double[] v = expanded(inputs[2], views[2], shape);
      double clamp = dt.round(eps);
      double constant = dt.round(HALF_LOG_2PI);
      double[] d = new double[n];
      double[] q = new double[n];
      double[] each = new double[n];
      for (int i = 0; i < n; i++) {
        if (v[i] < clamp || Double.isNaN(clamp)) {
          v[i] = clamp;
        }
        d[i] = HalfSteps.r(x[i] - y[i], dt);
        q[i] = HalfSteps.r(HalfSteps.r(d[i] * d[i], dt) / v[i], dt);
        double l = HalfSteps.r(0.5 * HalfSteps.r(HalfSteps.r(Math.log(v[i]), dt) + q[i], dt), dt);
        each[i] = full ? HalfSteps.r(l + constant, dt) : l;
      }
      Tensor output = HalfSteps.reduce(each, dt, shape, reduction);
      GradientFunction backward = !(needsGrad[0] || needsGrad[1] || needsGrad[2]) ? null : up -> {
        double[] g = upstream(up, n, reduction == Reduction.MEAN ? n : 1, dt);
        double[] gd = new double[n];
        double[] negGd = new double[n];
        double[] gi = new double[n];
        double[] viaQ = new double[n];
        for (int i = 0; i < n; i++) {
          gi[i] = HalfSteps.r(g[i] * 0.5, dt);
          gd[i] = HalfSteps.r(HalfSteps.r(gi[i] / v[i], dt) * HalfSteps.r(2 * d[i], dt), dt);
          negGd[i] = -gd[i];
          viaQ[i] = HalfSteps.r(-gi[i] * HalfSteps.r(q[i] / v[i], dt), dt);
        }
        Tensor gv = null;
        if (needsGrad[2]) {
          // log's term divides the summed gradient by the clamped variance at var's own positions.
          Tensor summed = TensorMath.sumToShape(HalfSteps.tensor(gi, dt, shape), views[2], dt);
          Tensor viaDiv = TensorMath.sumToShape(HalfSteps.tensor(viaQ, dt, shape), views[2], dt);
          double[] own = expanded(inputs[2], views[2], views[2]);
          double[] total = new double[own.length];
          for (int j = 0; j < own.length; j++) {
            double vj = own[j] < clamp || Double.isNaN(clamp) ? clamp : own[j];
            total[j] = HalfSteps.r(HalfSteps.r(summed.getDouble(j) / vj, dt) + viaDiv.getDouble(j), dt);
          }
          gv = HalfSteps.tensor(total, dt, views[2]).reshape(inputs[2].shape());
        }
        return new Tensor[] {needsGrad[0] ? gradient(gd, dt, shape, views[0], inputs[0]) : null,
            needsGrad[1] ? gradient(negGd, dt, shape, views[1], inputs[1]) : null, gv};
      };
      return new Result(output, gradFnName(inputs), List.of(), backward);
    }

    /**
     * float32/float64 with an argument that needs a gradient and broadcasts (its view is not the loss's shape):
     * that argument's gradient follows autograd's steps ({@link #diffSteps} for input and target,
     * {@link #varSteps} for var), with each op's gradient summed to the argument's view before its own dtype
     * takes over; the rest is the shared engine's.
     */
    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      if (needsGrad.length < 3 || !KLDivLoss.wide(inputs[0]) || !KLDivLoss.wide(inputs[1])
          || !KLDivLoss.wide(inputs[2])) {
        return super.apply(inputs, needsGrad);
      }
      int[] shape;
      int[][] views = new int[3][];
      try {
        views[0] = inputs[0].shape();
        views[1] = inputs[1].shape();
        views[2] = varView(inputs[0].shape(), inputs[2].shape());
        shape = Shapes.broadcast(Shapes.broadcast(views[0], views[1]), views[2]);
      } catch (TorchException e) {
        return super.apply(inputs, needsGrad); // which raises PyTorch's error, in its order
      }
      boolean[] stepped = new boolean[3];
      boolean[] rest = needsGrad.clone();
      boolean any = false;
      for (int k = 0; k < 3; k++) {
        stepped[k] = needsGrad[k] && !Arrays.equals(views[k], shape);
        rest[k] &= !stepped[k];
        any |= stepped[k];
      }
      if (!any) {
        return super.apply(inputs, needsGrad);
      }
      Result r = super.apply(inputs, rest);
      DType dtype = outputDtype(inputs);
      GradientFunction inner = r.backward();
      GradientFunction backward = up -> {
        Tensor[] out = inner == null ? new Tensor[3] : inner.backward(up);
        for (int k = 0; k < 2; k++) {
          if (stepped[k]) {
            out[k] = diffSteps(up, inputs, shape, views[2], dtype, k);
          }
        }
        if (stepped[2]) {
          out[2] = varSteps(up, inputs, shape, views[2], dtype);
        }
        return out;
      };
      return new Result(r.output(), r.gradFnName(), r.warnings(), backward);
    }

    /**
     * The input's (k = 0) or target's (k = 1) gradient when it broadcasts, in autograd's steps through
     * {@code 0.5 ((x - y)^2 / v)}: {@code ((0.5 g) / v) (2 d)} at every position in the output's dtype (v cast
     * to it), summed to the argument's shape (negated for the target) and cast to its dtype.
     */
    private Tensor diffSteps(Tensor up, Tensor[] inputs, int[] shape, int[] varView, DType dtype, int k) {
      int n = Shapes.numel(shape);
      Tensor var = inputs[2];
      double clamp = clampEps(var.dtype());
      boolean nanEps = Double.isNaN(clamp);
      DType diff = Operand.of(inputs[0]).with(Operand.of(inputs[1])).dtype();
      double[] x = expanded(inputs[0], inputs[0].shape(), shape);
      double[] y = expanded(inputs[1], inputs[1].shape(), shape);
      double[] v = expanded(var, varView, shape);
      double[] gd = new double[n];
      double divisor = reduction == Reduction.MEAN ? n : 1;
      for (int i = 0; i < n; i++) {
        double g = reduction == Reduction.NONE ? up.getDouble(i) : dtype.round(up.item() / divisor);
        double vi = nanEps || v[i] < clamp ? clamp : v[i];
        double d = diff.round(diff.round(x[i]) - diff.round(y[i]));
        double q = dtype.round(dtype.round(g * 0.5) / dtype.round(vi));
        double two = diff.round(2 * d);
        gd[i] = k == 0 ? dtype.round(q * two) : -dtype.round(q * two);
      }
      Tensor arg = inputs[k];
      return sumTo(Storage.adopt(gd, shape).to(dtype), arg.shape(), dtype, false).to(arg.dtype());
    }

    /**
     * var's gradient for a variance viewed as {@code view} that broadcasts to {@code shape}, in autograd's steps
     * through {@code 0.5 (log v + d2 / v)}: {@code h = 0.5 g} summed to var's view in the output's dtype, cast
     * to var's and divided by the clamped v (NaN where v is, even over an empty broadcast), plus
     * {@code -h ((d2 / v) / v)} summed likewise.
     */
    private Tensor varSteps(Tensor up, Tensor[] inputs, int[] shape, int[] view, DType dtype) {
      int n = Shapes.numel(shape);
      Tensor var = inputs[2];
      DType vd = var.dtype();
      double clamp = clampEps(vd);
      boolean nanEps = Double.isNaN(clamp);
      DType diff = Operand.of(inputs[0]).with(Operand.of(inputs[1])).dtype();
      double[] x = expanded(inputs[0], inputs[0].shape(), shape);
      double[] y = expanded(inputs[1], inputs[1].shape(), shape);
      double[] v = expanded(var, view, shape);
      double[] h = new double[n];
      double[] viaDiv = new double[n];
      double divisor = reduction == Reduction.MEAN ? n : 1;
      for (int i = 0; i < n; i++) {
        double g = reduction == Reduction.NONE ? up.getDouble(i) : dtype.round(up.item() / divisor);
        double vi = nanEps || v[i] < clamp ? clamp : v[i];
        double d = diff.round(x[i] - y[i]);
        double d2 = diff.round(d * d);
        h[i] = dtype.round(g * 0.5);
        viaDiv[i] = dtype.round(-h[i] * dtype.round(dtype.round(d2 / vi) / vi));
      }
      Tensor summed = sumTo(Storage.adopt(h, shape).to(dtype), view, dtype, false).to(vd);
      Tensor divSum = sumTo(Storage.adopt(viaDiv, shape).to(dtype), view, dtype, false).to(vd);
      int m = Shapes.numel(view);
      double[] out = new double[m];
      for (int j = 0; j < m; j++) {
        double vj = var.getDouble(j);
        vj = nanEps || vj < clamp ? clamp : vj;
        out[j] = vd.round(vd.round(summed.getDouble(j) / vj) + divSum.getDouble(j));
      }
      return Storage.adopt(out, view).to(vd).reshape(var.shape());
    }

    /** eps as the clamp sees it, in var's dtype. */
    private double clampEps(DType varDtype) {
      return varDtype == DType.FLOAT32 ? (float) eps : eps;
    }

    /** The kernel divides once, by the clamped variance: eps must keep 1/var finite. */
    @Override
    protected boolean flatSupported(Tensor[] inputs) {
      return clampEps(inputs[2].dtype()) >= Double.MIN_NORMAL;
    }

    @Override
    protected double flat(float[][] a, float[] each, float[][] g, double scale) {
      return ProbabilisticKernels.gaussianNll(a[0], a[1], a[2], clampEps(DType.FLOAT32), full, each, g[0], g[1],
          g[2], scale);
    }

    @Override
    protected double flat(double[][] a, double[] each, double[][] g, double scale) {
      return ProbabilisticKernels.gaussianNll(a[0], a[1], a[2], clampEps(DType.FLOAT64), full, each, g[0], g[1],
          g[2], scale);
    }

    @Override
    protected String gradFnName(Tensor[] inputs) {
      return switch (reduction) {
        case NONE -> full ? "AddBackward0" : "MulBackward0";
        case SUM -> "SumBackward0";
        default -> "MeanBackward0";
      };
    }

    @Override
    public String toString() {
      return "GaussianNLLLoss(full=" + full + ", eps=" + eps + ", reduction=" + reduction.torchName() + ")";
    }
  }

  /**
   * The reduction string of gaussian_nll_loss and poisson_nll_loss: none, mean or sum, else a ValueError of the
   * string followed by {@code refusal} (PyTorch 2.13 words the two functions' refusals differently). A null
   * (Python's None) fails as PyTorch's message concatenation does on it, with a TypeError.
   */
  /** Python's error for {@code None + "..."}, which PyTorch's refusal of a None reduction comes down to. */
  static final String NONE_PLUS_STR = "unsupported operand type(s) for +: 'NoneType' and 'str'";

  static Reduction strictReduction(String reduction, String refusal) {
    if (reduction == null) {
      throw new TypeError(NONE_PLUS_STR);
    }
    return switch (reduction) {
      case "none" -> Reduction.NONE;
      case "mean" -> Reduction.MEAN;
      case "sum" -> Reduction.SUM;
      default -> throw new ValueError(reduction + refusal);
    };
  }

  /**
   * {@code F.gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction='mean')}: checks var's
   * entries, then its size, then the reduction, then var's dtype, as PyTorch 2.13 does.
   */
  public static Functional.Outcome gaussianNllLoss(Variable input, Variable target, Variable var, boolean full,
                                                   double eps, String reduction) {
    GaussianNLLLoss.checkNonNegative(var.data());
    GaussianNLLLoss.varView(input.data().shape(), var.data().shape());
    Reduction r = strictReduction(reduction, " is not valid");
    return Functional.apply(new GaussianNLLLoss(full, eps, r), input, target, var);
  }

  /**
   * {@code F.gaussian_nll_loss} with a Python float {@code var} (PyTorch 2.x): one variance for every element,
   * as a constant tensor of input's shape and dtype (float32 for an integral input); no gradient flows to it.
   */
  public static Functional.Outcome gaussianNllLoss(Variable input, Variable target, double var, boolean full,
                                                   double eps, String reduction) {
    if (var < 0) {
      throw new ValueError("var has negative entry/entries");
    }
    DType dtype = input.data().dtype().isFloatingPoint() ? input.data().dtype() : DType.FLOAT32;
    Tensor filled = Tensor.full(var, dtype, input.data().shape());
    return gaussianNllLoss(input, target, Variable.constant(filled), full, eps, reduction);
  }

  // ---- PoissonNLLLoss ---------------------------------------------------------------------------------

  private static final String POISSON_REFUSAL = " is not a valid value for reduction";

  /**
   * Poisson negative log likelihood, {@code torch.nn.PoissonNLLLoss(log_input=True, full=False, eps=1e-8)}:
   * {@code l_n = exp(x_n) - y_n x_n} when {@code log_input}, else {@code x_n - y_n log(x_n + eps)}; when
   * {@code full}, the Stirling term {@code y log y - y + 0.5 log(2 pi y)} is added where {@code y > 1} only.
   * As PyTorch's masked_fill, that term's gradient is zero where {@code 0 < y <= 1} but NaN where
   * {@code y <= 0} (0 times log 0). Shapes: input (*), target broadcastable with it; output scalar, or the
   * broadcast shape for reduction none. Gradients flow to input and target. Integral arguments compute in
   * float32. Counterpart of {@code F.poisson_nll_loss}; reductions none, mean, sum, and the legacy flags.
   */
  public static final class PoissonNLLLoss extends Pointwise {
    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private final boolean logInput;
    private final boolean full;
    private final double eps;

    public PoissonNLLLoss(boolean logInput, boolean full, double eps, Reduction reduction) {
      super(reduction);
      if (reduction == Reduction.BATCHMEAN) {
        throw new ValueError("batchmean" + POISSON_REFUSAL);
      }
      this.logInput = logInput;
      this.full = full;
      this.eps = eps;
    }

    public PoissonNLLLoss() {
      this(true, false, 1e-8, Reduction.MEAN);
    }

    public boolean logInput() {
      return logInput;
    }

    public boolean full() {
      return full;
    }

    public double eps() {
      return eps;
    }

    @Override
    protected int[] broadcastOrder() {
      return new int[] {1, 0};
    }

    @Override
    protected void check(Tensor[] inputs) {
      Shapes.broadcast(inputs[1].shape(), inputs[0].shape());
      boolean bx = inputs[0].dtype() == DType.BOOL;
      boolean by = inputs[1].dtype() == DType.BOOL;
      // exp(x) - y * x subtracts a bool only when both are; x - y * log(x + eps) whenever x is; the Stirling
      // term's "- y" whenever y is.
      if ((logInput ? bx && by : bx) || (full && by)) {
        throw new RuntimeError(SUB_ONE_BOOL);
      }
    }

    /** exp(x) - t * x, or x - t * log(x + eps), typed op by op (the in-place Stirling add keeps it). */
    @Override
    protected DType outputDtype(Tensor[] inputs) {
      Operand x = Operand.of(inputs[0]);
      Operand t = Operand.of(inputs[1]);
      Operand out = logInput ? x.floating().with(t.with(x)) : x.with(t.with(x.floating()));
      return out.floating().dtype();
    }

    @Override
    protected boolean flatSupported(Tensor[] inputs) {
      return true;
    }

    @Override
    protected double flat(float[][] a, float[] each, float[][] g, double scale) {
      return ProbabilisticKernels.poissonNll(a[0], a[1], logInput, full, eps, each, g[0], g[1], scale);
    }

    @Override
    protected double flat(double[][] a, double[] each, double[][] g, double scale) {
      return ProbabilisticKernels.poissonNll(a[0], a[1], logInput, full, eps, each, g[0], g[1], scale);
    }

    @Override
    protected Kernel kernel(Tensor[] inputs) {
      // exp(input), log(input + eps) and the Stirling term are each computed in their own argument's dtype
      // (float32 for an integral one) before the promoted arithmetic: mirror their float32 rounding.
      boolean inputF32 = inputs[0].dtype() != DType.FLOAT64;
      boolean roundStirling = inputs[1].dtype() != DType.FLOAT64;
      // target * input of two integer tensors is an integer product, which wraps.
      DType product = DType.promote(inputs[1].dtype(), inputs[0].dtype());
      DType wraps = product.isIntegral() ? product : null;
      return (a, g, want) -> eval(a[0], a[1], g, inputF32, roundStirling, wraps);
    }

    private double eval(double x, double y, double[] g, boolean inputF32, boolean roundStirling, DType wraps) {
      double l;
      if (logInput) {
        double e = inputF32 ? (float) Math.exp(x) : Math.exp(x);
        l = e - (wraps == null ? y * x : Embedding.mul(y, x, wraps));
        g[0] = e - y;
        g[1] = -x;
      } else {
        double lg = inputF32 ? (float) Math.log((float) (x + (float) eps)) : Math.log(x + eps);
        l = x - y * lg;
        g[0] = 1 - y / (x + eps);
        g[1] = -lg;
      }
      if (full) {
        // Autograd differentiates t log t as log t + t / t (NaN at t = inf), and masked_fill sends a zero
        // gradient through the term where t <= 1, which is still NaN where log t is (t <= 0).
        double dStirling = Math.log(y) + y / y - 1 + 0.5 / y;
        if (!(y <= 1)) {
          l += roundStirling ? ProbabilisticKernels.stirling32((float) y) : y * Math.log(y) - y + 0.5 * Math.log(2 * Math.PI * y);
          g[1] += dStirling;
        } else {
          g[1] += 0 * dStirling;
        }
      }
      return l;
    }

    /**
     * A broadcast argument (or an empty broadcast) in float32/float64 takes autograd's gradient: PyTorch
     * computes {@code exp(x)} or {@code log(x + eps)} on the input's own shape and the Stirling term on the
     * target's, so their factors multiply the output gradient after it is summed to that shape. The input's
     * gradient is {@code exp(x) sum(g) - sum(g y)} (or {@code sum(g) - sum(g y) / (x + eps)}), which is -inf,
     * not inf - inf, for x = inf; the target's takes the Stirling factor (NaN where y <= 0) even where the
     * broadcast is empty. Same-shape arguments keep the per-element gradient.
     */
    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      Result r = super.apply(inputs, needsGrad);
      DType dt = outputDtype(inputs);
      int[] shape = Shapes.broadcast(inputs[1].shape(), inputs[0].shape());
      int n = Shapes.numel(shape);
      if (r.backward() == null || dt != DType.FLOAT32 && dt != DType.FLOAT64
          || inputs[0].numel() == n && inputs[1].numel() == n) {
        return r;
      }
      GradientFunction backward = up -> broadcastBackward(inputs, needsGrad, shape, dt, up);
      return new Result(r.output(), r.gradFnName(), r.warnings(), backward);
    }

    private Tensor[] broadcastBackward(Tensor[] inputs, boolean[] needsGrad, int[] shape, DType dt, Tensor up) {
      int n = Shapes.numel(shape);
      Tensor x = inputs[0];
      Tensor y = inputs[1];
      boolean inputF32 = x.dtype() != DType.FLOAT64;
      double[] g = upstream(up, n, reduction == Reduction.MEAN ? n : 1, dt);
      boolean expanded = reduction == Reduction.SUM; // SumBackward0's gradient is an expanded view
      double[] xs = expanded(x, x.shape(), shape);
      double[] ys = expanded(y, y.shape(), shape);
      Tensor[] out = new Tensor[2];
      if (needsGrad[0]) {
        double[] viaTarget = new double[n];
        for (int i = 0; i < n; i++) {
          viaTarget[i] = dt.round(-g[i] * ys[i]);
        }
        // Each sum in the output's dtype, cast to the input's, whose own factor (exp(x), 1 / (x + eps)) follows.
        DType xd = x.dtype() == DType.FLOAT64 || x.dtype() == DType.FLOAT32 ? x.dtype() : dt;
        Tensor sumG = sumTo(Storage.adopt(g, shape).to(dt), x.shape(), dt, expanded).to(xd);
        Tensor sumT = sumTo(Storage.adopt(viaTarget, shape).to(dt), x.shape(), dt, false).to(xd);
        TensorBuilder gx = new TensorBuilder(xd, x.shape());
        for (int j = 0, m = x.numel(); j < m; j++) {
          double v = x.getDouble(j);
          double a = sumG.getDouble(j);
          double b = sumT.getDouble(j);
          if (logInput) {
            double e = inputF32 ? (float) Math.exp(v) : Math.exp(v);
            gx.set(j, xd.round(xd.round(a * e) + b));
          } else {
            double shifted = inputF32 ? (float) (v + (float) eps) : v + eps;
            gx.set(j, xd.round(a + xd.round(b / shifted)));
          }
        }
        out[0] = gx.build().to(x.dtype());
      }
      if (needsGrad[1]) {
        double[] viaInput = new double[n];
        for (int i = 0; i < n; i++) {
          double v = xs[i];
          double factor = logInput ? v
              : inputF32 ? (float) Math.log((float) (v + (float) eps)) : Math.log(v + eps);
          viaInput[i] = dt.round(-g[i] * factor);
        }
        // The sums in the output's dtype, cast to the target's, in which the Stirling term's factor is taken.
        DType yd = y.dtype() == DType.FLOAT64 || y.dtype() == DType.FLOAT32 ? y.dtype() : dt;
        Tensor sumX = sumTo(Storage.adopt(viaInput, shape).to(dt), y.shape(), dt, false).to(yd);
        Tensor sumG = full ? sumTo(Storage.adopt(g, shape).to(dt), y.shape(), dt, expanded).to(yd) : null;
        TensorBuilder gy = new TensorBuilder(yd, y.shape());
        for (int j = 0, m = y.numel(); j < m; j++) {
          double v = sumX.getDouble(j);
          if (full) {
            // masked_fill's backward zeroes the summed gradient where t <= 1; 0 times a NaN factor stays NaN.
            double t = y.getDouble(j);
            double kept = t > 1 ? sumG.getDouble(j) : 0;
            v = yd.round(v + yd.round(kept * (Math.log(t) + t / t - 1 + 0.5 / t)));
          }
          gy.set(j, v);
        }
        out[1] = gy.build().to(y.dtype());
      }
      return out;
    }

    /**
     * float16/bfloat16 as PyTorch 2.13's composite poisson_nll_loss computes them, each step rounded to
     * {@code dt}: {@code exp(x) - y x}, or {@code x - y log(x + eps)}, plus the Stirling term
     * {@code (y log y - y) + 0.5 log(2 pi y)} where {@code y > 1}; the gradients follow autograd's steps, the
     * target's through the Stirling term too (see {@link #stirlingGrad}).
     */
    @Override
    protected Result reducedPrecision(Tensor[] inputs, boolean[] needsGrad, int[] shape, int[][] views, DType dt) {
      int n = Shapes.numel(shape);
      double[] x = expanded(inputs[0], views[0], shape);
      double[] y = expanded(inputs[1], views[1], shape);
      double[] lg = new double[n];
      double[] each = new double[n];
      for (int i = 0; i < n; i++) {
        double t = y[i];
        double l;
        if (logInput) {
          lg[i] = HalfSteps.r(Math.exp(x[i]), dt);
          l = HalfSteps.r(lg[i] - HalfSteps.r(t * x[i], dt), dt);
        } else {
          lg[i] = HalfSteps.r(Math.log(HalfSteps.r(x[i] + (float) eps, dt)), dt);
          l = HalfSteps.r(x[i] - HalfSteps.r(t * lg[i], dt), dt);
        }
        if (full && t > 1) {
          double tlogt = HalfSteps.r(HalfSteps.r(t * HalfSteps.r(Math.log(t), dt), dt) - t, dt);
          double half = HalfSteps.r(0.5 * HalfSteps.r(Math.log(HalfSteps.r(2 * Math.PI * t, dt)), dt), dt);
          l = HalfSteps.r(l + HalfSteps.r(tlogt + half, dt), dt);
        }
        each[i] = l;
      }
      Tensor output = HalfSteps.reduce(each, dt, shape, reduction);
      GradientFunction backward = !needsGrad[0] && !needsGrad[1] ? null : up -> {
        double[] g = upstream(up, n, reduction == Reduction.MEAN ? n : 1, dt);
        double[] gx = needsGrad[0] ? new double[n] : null;
        double[] gy = needsGrad[1] ? new double[n] : null;
        for (int i = 0; i < n; i++) {
          if (gx != null) {
            double viaTarget = HalfSteps.r(-g[i] * y[i], dt);
            gx[i] = logInput ? HalfSteps.r(HalfSteps.r(g[i] * lg[i], dt) + viaTarget, dt)
                : HalfSteps.r(g[i] + HalfSteps.r(viaTarget / HalfSteps.r(x[i] + (float) eps, dt), dt), dt);
          }
          if (gy != null) {
            gy[i] = HalfSteps.r(-g[i] * (logInput ? x[i] : lg[i]), dt);
            if (full) {
              gy[i] = HalfSteps.r(stirlingGrad(y[i] > 1 ? g[i] : 0, y[i], dt) + gy[i], dt);
            }
          }
        }
        return new Tensor[] {gx == null ? null : gradient(gx, dt, shape, views[0], inputs[0]),
            gy == null ? null : gradient(gy, dt, shape, views[1], inputs[1])};
      };
      return new Result(output, gradFnName(inputs), List.of(), backward);
    }

    /**
     * The target's gradient through the Stirling term {@code ((y log y) - y) + 0.5 log(2 pi y)} at upstream
     * {@code g} (0 where masked_fill zeroed it, which still gives NaN at y = 0), in the order autograd's engine
     * adds the paths (found by experiment), each step rounded to {@code dt}: {@code -g}, {@code g log y},
     * {@code (g y) / y}, {@code (0.5 g / (2 pi y)) 2 pi}; the caller adds the main term's last.
     */
    private static double stirlingGrad(double g, double y, DType dt) {
      double viaHalfLog = HalfSteps.r(HalfSteps.r(HalfSteps.r(g * 0.5, dt) / HalfSteps.r(2 * Math.PI * y, dt), dt)
          * (2 * Math.PI), dt);
      double viaProduct = HalfSteps.r(g * HalfSteps.r(Math.log(y), dt), dt);
      double viaLog = HalfSteps.r(HalfSteps.r(g * y, dt) / y, dt);
      return HalfSteps.r(HalfSteps.r(HalfSteps.r(viaProduct - g, dt) + viaLog, dt) + viaHalfLog, dt);
    }

    @Override
    protected String gradFnName(Tensor[] inputs) {
      return switch (reduction) {
        case NONE -> full ? "AddBackward0" : "SubBackward0";
        case SUM -> "SumBackward0";
        default -> "MeanBackward0";
      };
    }

    @Override
    public String toString() {
      return "PoissonNLLLoss(log_input=" + logInput + ", full=" + full + ", eps=" + eps + ", reduction="
          + reduction.torchName() + ")";
    }
  }

  /**
   * {@code F.poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8,
   * reduce=None, reduction='mean')}: the legacy flags override the reduction (with PyTorch's warning).
   */
  public static Functional.Outcome poissonNllLoss(Variable input, Variable target, boolean logInput, boolean full,
                                                  Boolean sizeAverage, double eps, Boolean reduce,
                                                  String reduction) {
    List<String> warnings = new ArrayList<>();
    try {
      String r = reduction;
      if (sizeAverage != null || reduce != null) {
        Reduction legacy = Reduction.fromLegacy(sizeAverage, reduce);
        warnings.add(Reduction.legacyWarning(legacy));
        r = legacy.torchName();
      }
      PoissonNLLLoss loss = new PoissonNLLLoss(logInput, full, eps, strictReduction(r, POISSON_REFUSAL));
      return new Functional.Outcome(Variable.apply(loss, null, input, target), warnings);
    } catch (TorchException e) {
      throw e.withWarnings(warnings);
    }
  }

  // ---- KLDivLoss --------------------------------------------------------------------------------------

  /**
   * Kullback-Leibler divergence, {@code torch.nn.KLDivLoss(log_target=False)}, with the input in log space:
   * {@code l_n = y_n (log y_n - x_n)} (0 where {@code y_n = 0}, as xlogy), or
   * {@code exp(y_n) (y_n - x_n)} when {@code log_target}. Reductions none, mean (divides by every element),
   * sum, and batchmean (the sum divided by input's first dimension; a plain sum for a 0-d input). Shapes:
   * input (*), target broadcastable with it; output scalar, or the broadcast shape for none. Gradients flow
   * to input ({@code -y}, or {@code -exp(y)}) and target ({@code log y + 1 - x}, NaN at {@code y = 0} as
   * PyTorch's xlogy backward; or {@code exp(y) (y - x + 1)}). Integral and bool arguments are refused.
   * Counterpart of {@code F.kl_div}.
   */
  public static final class KLDivLoss extends Pointwise {
    private final boolean logTarget;
    private final boolean divideByBatch;

    /** @param reduction none, mean, sum or batchmean */
    public KLDivLoss(Reduction reduction, boolean logTarget) {
      this(reduction == Reduction.BATCHMEAN ? Reduction.SUM : reduction, logTarget,
          reduction == Reduction.BATCHMEAN);
    }

    /**
     * A reduction followed, when {@code divideByBatch}, by a division by input's first dimension: what
     * {@code F.kl_div} does for batchmean, and for {@code reduction='batchmean'} with the legacy flags.
     */
    public KLDivLoss(Reduction reduction, boolean logTarget, boolean divideByBatch) {
      super(reduction);
      this.logTarget = logTarget;
      this.divideByBatch = divideByBatch;
    }

    public KLDivLoss() {
      this(Reduction.MEAN, false);
    }

    public boolean logTarget() {
      return logTarget;
    }

    @Override
    protected int[] broadcastOrder() {
      return new int[] {1, 0};
    }

    @Override
    protected void check(Tensor[] inputs) {
      if (!inputs[0].dtype().isFloatingPoint() || !inputs[1].dtype().isFloatingPoint()) {
        throw new RuntimeError("kl_div: Integral inputs not supported.");
      }
    }

    /**
     * float32/float64 with a target that needs a gradient and has another shape than the input: the target's
     * gradient follows autograd's steps (as {@link #targetSteps} describes); the rest is the shared engine's.
     */
    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      Tensor x = inputs[0];
      Tensor t = inputs[1];
      if (needsGrad.length < 2 || !needsGrad[1] || !wide(x) || !wide(t) || t.sameShape(x)) {
        return super.apply(inputs, needsGrad);
      }
      Result r = super.apply(inputs, new boolean[] {needsGrad[0], false});
      int[] shape = Shapes.broadcast(t.shape(), x.shape());
      DType dtype = outputDtype(inputs);
      double post = postDivisor(inputs);
      GradientFunction inner = r.backward();
      GradientFunction backward = up -> {
        Tensor[] out = inner == null ? new Tensor[2] : inner.backward(up);
        out[1] = targetSteps(up, x, t, shape, dtype, post);
        return out;
      };
      return new Result(r.output(), r.gradFnName(), r.warnings(), backward);
    }

    static boolean wide(Tensor t) {
      return t.dtype() == DType.FLOAT32 || t.dtype() == DType.FLOAT64;
    }

    /**
     * The target's gradient as autograd assembles it from PyTorch's composite kl_div, for a target of another
     * shape than the input: each op's gradient of the broadcast shape is summed to the target's shape in the
     * output's dtype {@code dtype} and cast to the target's, before the target's own factors (in its dtype).
     * {@code xlogy(t, t) - t x}: {@code (G log t + (G t) / t) + M} with G the summed output gradient and M the
     * summed {@code -g x}; {@code exp(t) (t - x)}: {@code A exp(t) + B} with A the summed {@code g (t - x)} and
     * B the summed {@code g exp(t)}. A 'sum' gradient reaches the sums expanded, 'mean' and 'none' ones
     * contiguous.
     */
    private Tensor targetSteps(Tensor up, Tensor x, Tensor t, int[] shape, DType dtype, double post) {
      int n = Shapes.numel(shape);
      DType td = t.dtype();
      boolean expanded = reduction == Reduction.SUM;
      double[] g = new double[n];
      if (reduction == Reduction.NONE) {
        for (int i = 0; i < n; i++) {
          g[i] = post == 1 ? up.getDouble(i) : round(up.getDouble(i) / post, dtype);
        }
      } else {
        double divisor = reduction == Reduction.MEAN ? n : post;
        Arrays.fill(g, divisor == 1 ? up.item() : round(up.item() / divisor, dtype));
      }
      double[] xs = expanded(x, x.shape(), shape);
      double[] ts = expanded(t, t.shape(), shape);
      int[] view = t.shape();
      int m = t.numel();
      double[] out = new double[m];
      if (logTarget) {
        double[] viaExp = new double[n];
        double[] viaSub = new double[n];
        for (int i = 0; i < n; i++) {
          viaExp[i] = round(g[i] * round(ts[i] - xs[i], dtype), dtype);
          viaSub[i] = round(g[i] * round(Math.exp(ts[i]), td), dtype);
        }
        Tensor a = sumTo(Storage.adopt(viaExp, shape).to(dtype), view, dtype, false);
        Tensor b = sumTo(Storage.adopt(viaSub, shape).to(dtype), view, dtype, false);
        for (int j = 0; j < m; j++) {
          double e = round(Math.exp(t.getDouble(j)), td);
          out[j] = round(round(round(a.getDouble(j), td) * e, td) + round(b.getDouble(j), td), td);
        }
      } else {
        double[] viaMul = new double[n];
        for (int i = 0; i < n; i++) {
          viaMul[i] = round(-g[i] * xs[i], dtype);
        }
        Tensor sg = sumTo(Storage.adopt(g, shape).to(dtype), view, dtype, expanded);
        Tensor sm = sumTo(Storage.adopt(viaMul, shape).to(dtype), view, dtype, false);
        for (int j = 0; j < m; j++) {
          double gj = round(sg.getDouble(j), td);
          double tj = t.getDouble(j);
          double l = xlogyGrad(gj, tj, td);
          double one = round(round(gj * tj, td) / tj, td);
          out[j] = round(round(l + one, td) + round(sm.getDouble(j), td), td);
        }
      }
      return Storage.adopt(out, view).to(td);
    }

    private static double round(double v, DType d) {
      return d == DType.FLOAT32 ? (float) v : v;
    }

    /**
     * xlogy's gradient toward its first argument at {@code xlogy(t, t)}, as autograd takes it:
     * {@code xlogy(g, t)} (0 where g is 0 unless t is NaN, so a summed-away gradient gives 0 even where log t is
     * NaN), masked to 0 where t is 0; the log and the product each rounded to {@code dt}.
     */
    static double xlogyGrad(double g, double t, DType dt) {
      if (Double.isNaN(t)) {
        return Double.NaN;
      }
      if (g == 0 || t == 0) {
        return 0;
      }
      return dt.round(g * dt.round(Math.log(t)));
    }

    /** t * input (or t - input) decides, with 0-d operands typed as PyTorch does. */
    @Override
    protected DType outputDtype(Tensor[] inputs) {
      return Operand.of(inputs[1]).with(Operand.of(inputs[0])).dtype();
    }

    @Override
    protected double postDivisor(Tensor[] inputs) {
      return divideByBatch && inputs[0].dim() != 0 ? inputs[0].size(0) : 1;
    }

    @Override
    protected boolean flatSupported(Tensor[] inputs) {
      return true;
    }

    @Override
    protected double flat(float[][] a, float[] each, float[][] g, double scale) {
      return ProbabilisticKernels.klDiv(a[0], a[1], logTarget, each, g[0], g[1], scale);
    }

    @Override
    protected double flat(double[][] a, double[] each, double[][] g, double scale) {
      return ProbabilisticKernels.klDiv(a[0], a[1], logTarget, each, g[0], g[1], scale);
    }

    @Override
    protected Kernel kernel(Tensor[] inputs) {
      // exp(target) and xlogy(target, target) are computed in the target's dtype.
      boolean targetF32 = inputs[1].dtype() == DType.FLOAT32;
      return (a, g, want) -> eval(a[0], a[1], g, targetF32);
    }

    private double eval(double x, double y, double[] g, boolean targetF32) {
      if (logTarget) {
        double e = targetF32 ? (float) Math.exp(y) : Math.exp(y);
        g[0] = -e;
        g[1] = e * (y - x) + e;
        return e * (y - x);
      }
      g[0] = -y;
      // xlogy's backward: xlogy(t != 0, t) + t / t, so NaN at t = 0 and at t = inf.
      g[1] = (y == 0 ? 0 : Math.log(y)) + y / y - x;
      double xlogy = Double.isNaN(y) ? Double.NaN : y == 0 ? 0 : y * Math.log(y);
      if (targetF32) {
        xlogy = (float) xlogy;
      }
      return xlogy - y * x;
    }

    /**
     * float16/bfloat16 as PyTorch 2.13's composite kl_div computes them, each step rounded to {@code dt}:
     * {@code xlogy(y, y) - y x} (xlogy multiplies by the rounded log) or {@code exp(y) (y - x)}; mean rounds
     * once, batchmean rounds the sum and then the quotient. The gradients follow autograd's steps through those
     * ops. Where the target broadcasts, autograd sums each op's gradient over the broadcast dimensions (in float,
     * rounded once) before the op that follows it: the target's steps are then taken on its own shape.
     */
    @Override
    protected Result reducedPrecision(Tensor[] inputs, boolean[] needsGrad, int[] shape, int[][] views, DType dt) {
      int n = Shapes.numel(shape);
      if (reduction == Reduction.NONE && postDivisor(inputs) != 1) {
        throw HalfSteps.notYet("KLDivLoss", dt);
      }
      double[] x = expanded(inputs[0], views[0], shape);
      double[] y = expanded(inputs[1], views[1], shape);
      double[] each = new double[n];
      for (int i = 0; i < n; i++) {
        double t = y[i];
        if (logTarget) {
          each[i] = HalfSteps.r(HalfSteps.r(Math.exp(t), dt) * HalfSteps.r(t - x[i], dt), dt);
        } else {
          double xl = Double.isNaN(t) ? t : t == 0 ? 0 : HalfSteps.r(t * HalfSteps.r(Math.log(t), dt), dt);
          each[i] = HalfSteps.r(xl - HalfSteps.r(t * x[i], dt), dt);
        }
      }
      double post = postDivisor(inputs);
      Tensor output;
      if (post == 1) {
        output = HalfSteps.reduce(each, dt, shape, reduction);
      } else {
        double sum = HalfSteps.reduce(each, dt, shape, Reduction.SUM).item();
        output = Tensor.scalar(sum / post, dt);
      }
      GradientFunction backward = !needsGrad[0] && !needsGrad[1] ? null : up -> {
        double[] g = upstream(up, n, reduction == Reduction.MEAN ? n : post, dt);
        double[] gx = needsGrad[0] ? new double[n] : null;
        boolean targetBroadcast = !java.util.Arrays.equals(views[1], shape);
        double[] gy = needsGrad[1] && !targetBroadcast ? new double[n] : null;
        Tensor gyBroadcast = needsGrad[1] && targetBroadcast
            ? broadcastTargetGrad(g, x, inputs[1], shape, views[1], dt) : null;
        for (int i = 0; i < n; i++) {
          double t = y[i];
          if (logTarget) {
            double e = HalfSteps.r(Math.exp(t), dt);
            double ge = HalfSteps.r(g[i] * e, dt);
            if (gx != null) {
              gx[i] = -ge;
            }
            if (gy != null) {
              double viaExp = HalfSteps.r(HalfSteps.r(g[i] * HalfSteps.r(t - x[i], dt), dt) * e, dt);
              gy[i] = HalfSteps.r(viaExp + ge, dt);
            }
          } else {
            if (gx != null) {
              gx[i] = HalfSteps.r(-g[i] * t, dt);
            }
            if (gy != null) {
              double logT = Double.isNaN(t) ? t : t == 0 ? 0 : HalfSteps.r(Math.log(t), dt);
              double s1 = HalfSteps.r(g[i] * logT, dt);
              double s2 = HalfSteps.r(HalfSteps.r(g[i] * t, dt) / t, dt);
              double s3 = HalfSteps.r(-g[i] * x[i], dt);
              gy[i] = HalfSteps.r(HalfSteps.r(s1 + s2, dt) + s3, dt);
            }
          }
        }
        return new Tensor[] {gx == null ? null : gradient(gx, dt, shape, views[0], inputs[0]),
            gyBroadcast != null ? gyBroadcast : gy == null ? null : gradient(gy, dt, shape, views[1], inputs[1])};
      };
      return new Result(output, gradFnName(inputs), List.of(), backward);
    }

    /**
     * The target's gradient in {@code dt} when the target (viewed as {@code view}) broadcasts to {@code shape}:
     * the element-wise case's steps, with each full-shape product summed to the target's view before it meets
     * a factor of the target's own shape. {@code g} (the output gradient) and {@code x} (the input) are given at
     * every position of {@code shape}.
     */
    private Tensor broadcastTargetGrad(double[] g, double[] x, Tensor target, int[] shape, int[] view, DType dt) {
      int n = g.length;
      int m = Shapes.numel(view);
      double[] tAt = expanded(target, view, shape);
      double[] out = new double[m];
      double[] viaMul = new double[n];
      if (logTarget) {
        // exp(t) * (t - x): mul's gradient toward exp(t) summed, then times exp(t); plus sub's, summed.
        double[] viaSub = new double[n];
        for (int i = 0; i < n; i++) {
          viaMul[i] = HalfSteps.r(g[i] * HalfSteps.r(tAt[i] - x[i], dt), dt);
          viaSub[i] = HalfSteps.r(g[i] * HalfSteps.r(Math.exp(tAt[i]), dt), dt);
        }
        Tensor sumMul = TensorMath.sumToShape(HalfSteps.tensor(viaMul, dt, shape), view, dt);
        Tensor sumSub = TensorMath.sumToShape(HalfSteps.tensor(viaSub, dt, shape), view, dt);
        for (int j = 0; j < m; j++) {
          double e = HalfSteps.r(Math.exp(target.getDouble(j)), dt);
          out[j] = HalfSteps.r(HalfSteps.r(sumMul.getDouble(j) * e, dt) + sumSub.getDouble(j), dt);
        }
      } else {
        // xlogy(t, t) - t * x: sub's gradient toward xlogy summed, then xlogy's two factors; mul's, summed.
        for (int i = 0; i < n; i++) {
          viaMul[i] = HalfSteps.r(-g[i] * x[i], dt);
        }
        Tensor sumG = TensorMath.sumToShape(HalfSteps.tensor(g, dt, shape), view, dt);
        Tensor sumMul = TensorMath.sumToShape(HalfSteps.tensor(viaMul, dt, shape), view, dt);
        for (int j = 0; j < m; j++) {
          double gj = sumG.getDouble(j);
          double tj = target.getDouble(j);
          double s1 = xlogyGrad(gj, tj, dt);
          double s2 = HalfSteps.r(HalfSteps.r(gj * tj, dt) / tj, dt);
          out[j] = HalfSteps.r(HalfSteps.r(s1 + s2, dt) + sumMul.getDouble(j), dt);
        }
      }
      return HalfSteps.tensor(out, dt, view).reshape(target.shape());
    }

    @Override
    protected String gradFnName(Tensor[] inputs) {
      if (divideByBatch && inputs[0].dim() != 0) {
        return "DivBackward0";
      }
      return switch (reduction) {
        case NONE -> logTarget ? "MulBackward0" : "SubBackward0";
        case SUM -> "SumBackward0";
        default -> "MeanBackward0";
      };
    }

    @Override
    public String toString() {
      return "KLDivLoss(reduction=" + (divideByBatch ? "batchmean" : reduction.torchName()) + ", log_target="
          + logTarget + ")";
    }
  }

  /**
   * {@code F.kl_div(input, target, size_average=None, reduce=None, reduction='mean', log_target=False)}:
   * warns for 'mean' (unless the legacy flags decide), maps batchmean to a sum divided by the batch size,
   * and, as PyTorch, still divides by the batch size when the legacy flags come with reduction='batchmean'.
   */
  public static Functional.Outcome klDiv(Variable input, Variable target, Boolean sizeAverage, Boolean reduce,
                                         String reduction, boolean logTarget) {
    List<String> warnings = new ArrayList<>();
    try {
      Reduction r;
      if (sizeAverage != null || reduce != null) {
        r = Functional.resolve(sizeAverage, reduce, reduction, warnings);
      } else {
        if ("mean".equals(reduction)) {
          warnings.add(KL_DIV_MEAN_WARNING);
        }
        r = "batchmean".equals(reduction) ? Reduction.SUM : Functional.resolve(null, null, reduction, warnings);
      }
      KLDivLoss loss = new KLDivLoss(r, logTarget, "batchmean".equals(reduction));
      return new Functional.Outcome(Variable.apply(loss, null, input, target), warnings);
    } catch (TorchException e) {
      throw e.withWarnings(warnings);
    }
  }
}
