package dev.loss4j.loss;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.GradientFunction;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.IndexError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.errors.TorchException;
import dev.loss4j.errors.ValueError;
import dev.loss4j.kernel.AdaptiveKernels;
import dev.loss4j.kernel.SleefFloat;
import dev.loss4j.random.Generator;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Storage;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The adaptive softmax of Grave et al. (2017), {@code torch.nn.AdaptiveLogSoftmaxWithLoss}: a module with
 * parameters, and a functional form that takes the parameters as arguments.
 */
public final class Adaptive {
  private Adaptive() {}

  /** {@code _ASMoutput(output, loss)}: the target log-probabilities and their negated mean. */
  public record Output(Variable output, Variable loss) {}

  /**
   * Efficient softmax approximation, {@code torch.nn.AdaptiveLogSoftmaxWithLoss(in_features, n_classes,
   * cutoffs, div_value=4.0, head_bias=False)}.
   *
   * <p>The classes are split by {@code cutoffs} into a shortlist {@code [0, cutoffs[0])} and clusters
   * {@code [cutoffs[i-1], cutoffs[i])} (the last ending at n_classes). The head, a Linear(in_features,
   * shortlist + n_clusters, bias=head_bias), scores the shortlist classes and one entry per cluster; cluster
   * {@code i} has a tail Sequential(Linear(in_features, floor(in_features / div_value^(i+1)), bias=False),
   * Linear(that, cluster size, bias=False)). Then {@code log p(y | x) = log_softmax(head(x))[y]} for a
   * shortlist class and {@code log_softmax(head(x))[shortlist + i] + log_softmax(tail_i(x))[y - low_i]} for
   * a class of cluster i.
   *
   * <p>Shapes: input (N, in_features) with target (N), or unbatched (in_features) with a 0-d target; int64
   * targets in [0, n_classes). {@link #forward} gives output (N) (or 0-d), the target log-probabilities, and
   * loss = mean(-output); {@link #logProb} gives (N, n_classes); {@link #predict} gives the argmax classes.
   * Gradients flow to the input and every parameter (none to the tail of a cluster no target falls in, as
   * in PyTorch, where that tail never runs).
   *
   * <p>float32 follows PyTorch's CPU arithmetic operation by operation: the linear layers rounded once per
   * product (accumulated in double, nearest to the blocked sgemm of PyTorch 2.x's wheel), and
   * log_softmax and its backward as ATen's AVX2 kernels (SLEEF's expf/logf, eight-lane sums, a fused
   * multiply-add). float64 is computed in double.
   */
  public static final class AdaptiveLogSoftmaxWithLoss {
    private final int inFeatures;
    private final int nClasses;
    private final int[] cutoffs;
    private final double divValue;
    private final boolean headBias;
    private final int shortlist;
    private final int nClusters;
    private final int headSize;
    private final int[] hidden;
    private final Variable headWeight;
    private final Variable headBiasParam;
    private final Variable[] tail;

    /**
     * A module with freshly initialised parameters of {@code dtype}, drawn from a generator seeded with
     * {@code seed}: see {@link #AdaptiveLogSoftmaxWithLoss(int, int, double[], double, boolean, DType, Generator)}.
     */
    public AdaptiveLogSoftmaxWithLoss(int inFeatures, int nClasses, double[] cutoffs, double divValue,
                                      boolean headBias, DType dtype, long seed) {
      this(inFeatures, nClasses, cutoffs, divValue, headBias, dtype, new Generator(seed));
    }

    /**
     * A module with freshly initialised parameters of {@code dtype}, drawn from {@code generator} exactly as
     * PyTorch's nn.Linear draws them (kaiming_uniform_ with a = sqrt(5) for each weight, uniform in
     * +-1/sqrt(fan_in) for the head bias; head, then each cluster's two projections), so after the same
     * seed the module starts from PyTorch's values.
     */
    public AdaptiveLogSoftmaxWithLoss(int inFeatures, int nClasses, double[] cutoffs, double divValue,
                                      boolean headBias, DType dtype, Generator generator) {
      this(inFeatures, nClasses, cutoffs, divValue, headBias, dtype, null, null, null, generator);
    }

    /** A module over given parameters (shapes as {@link #parameterShapes} says). */
    public AdaptiveLogSoftmaxWithLoss(int inFeatures, int nClasses, double[] cutoffs, double divValue,
                                      Variable headWeight, Variable headBias, Variable[] tailWeights) {
      this(inFeatures, nClasses, cutoffs, divValue, headBias != null, headWeight.data().dtype(), headWeight,
          headBias, tailWeights, null);
    }

    private AdaptiveLogSoftmaxWithLoss(int inFeatures, int nClasses, double[] cutoffs, double divValue,
                                       boolean headBias, DType dtype, Variable hw, Variable hb, Variable[] tw,
                                       Generator generator) {
      this.cutoffs = checkCutoffs(cutoffs, nClasses);
      this.inFeatures = inFeatures;
      this.nClasses = nClasses;
      this.divValue = divValue;
      this.headBias = headBias;
      this.shortlist = this.cutoffs[0];
      this.nClusters = this.cutoffs.length - 1;
      this.headSize = shortlist + nClusters;
      this.hidden = new int[nClusters];
      for (int i = 0; i < nClusters; i++) {
        hidden[i] = (int) Math.floor(inFeatures / Math.pow(divValue, i + 1));
      }
      int[][] shapes = parameterShapes();
      if (hw == null) {
        this.headWeight = kaimingUniform(shapes[0], dtype, generator);
        this.headBiasParam = headBias ? biasUniform(shapes[1], inFeatures, dtype, generator) : null;
        this.tail = new Variable[2 * nClusters];
        for (int i = 0; i < 2 * nClusters; i++) {
          tail[i] = kaimingUniform(shapes[2 + i], dtype, generator);
        }
      } else {
        if (tw.length != 2 * nClusters) {
          throw new ValueError("loss4j: expected " + 2 * nClusters + " tail weights, got " + tw.length);
        }
        checkShape("head.weight", hw, shapes[0]);
        if (hb != null) {
          checkShape("head.bias", hb, shapes[1]);
        }
        for (int i = 0; i < tw.length; i++) {
          checkShape("tail." + i / 2 + "." + i % 2 + ".weight", tw[i], shapes[2 + i]);
        }
        this.headWeight = hw;
        this.headBiasParam = hb;
        this.tail = tw.clone();
      }
    }

    /** nn.init.kaiming_uniform_(w, a=sqrt(5)): uniform in +-sqrt(3) * gain / sqrt(fan_in); no draws when empty. */
    static Variable kaimingUniform(int[] shape, DType dtype, Generator generator) {
      if (Shapes.numel(shape) == 0) {
        return Variable.leaf(Tensor.zeros(dtype, shape), true);
      }
      double a = Math.sqrt(5);
      double gain = Math.sqrt(2.0 / (1 + a * a));
      double bound = Math.sqrt(3.0) * (gain / Math.sqrt(shape[1]));
      return Variable.leaf(generator.uniform(dtype, -bound, bound, shape), true);
    }

    /** nn.Linear's bias: uniform in +-1/sqrt(fan_in). */
    static Variable biasUniform(int[] shape, int fanIn, DType dtype, Generator generator) {
      double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      return Variable.leaf(generator.uniform(dtype, -bound, bound, shape), true);
    }

    private static void checkShape(String name, Variable v, int[] shape) {
      if (!java.util.Arrays.equals(v.data().shape(), shape)) {
        throw new ValueError("loss4j: " + name + " should have shape " + Shapes.format(shape) + ", got "
            + Shapes.format(v.data().shape()));
      }
    }

    /**
     * The checks of the module's constructor: unique, increasing integers in [1, n_classes - 1]; returns the
     * cutoffs with n_classes appended.
     */
    static int[] checkCutoffs(double[] cutoffs, int nClasses) {
      if (cutoffs.length == 0) {
        throw new ValueError("cutoffs should be a sequence of length larger than 0");
      }
      boolean ok = true;
      for (int i = 0; i < cutoffs.length; i++) {
        double c = cutoffs[i];
        ok &= c > 0 && c <= nClasses - 1 && c == Math.rint(c) && (i == 0 || cutoffs[i - 1] < c);
      }
      if (!ok) {
        throw new ValueError("cutoffs should be a sequence of unique, positive integers sorted in an increasing"
            + " order, where each value is between 1 and n_classes-1");
      }
      int[] out = new int[cutoffs.length + 1];
      for (int i = 0; i < cutoffs.length; i++) {
        out[i] = (int) cutoffs[i];
      }
      out[cutoffs.length] = nClasses;
      return out;
    }

    /** head.weight, head.bias, then tail.i.0.weight and tail.i.1.weight for each cluster i. */
    public int[][] parameterShapes() {
      int[][] s = new int[2 + 2 * nClusters][];
      s[0] = new int[] {headSize, inFeatures};
      s[1] = new int[] {headSize};
      for (int i = 0; i < nClusters; i++) {
        s[2 + 2 * i] = new int[] {hidden[i], inFeatures};
        s[3 + 2 * i] = new int[] {cutoffs[i + 1] - cutoffs[i], hidden[i]};
      }
      return s;
    }

    /** The parameters in PyTorch's named_parameters() order (head.weight, head.bias if any, tail...). */
    public List<Variable> parameters() {
      List<Variable> out = new ArrayList<>();
      out.add(headWeight);
      if (headBiasParam != null) {
        out.add(headBiasParam);
      }
      out.addAll(List.of(tail));
      return out;
    }

    public Variable headWeight() {
      return headWeight;
    }

    public Variable headBias() {
      return headBiasParam;
    }

    /** Tail weight {@code layer} (0 or 1) of cluster {@code cluster}. */
    public Variable tailWeight(int cluster, int layer) {
      return tail[2 * cluster + layer];
    }

    public int inFeatures() {
      return inFeatures;
    }

    public int nClasses() {
      return nClasses;
    }

    /** The cutoffs with n_classes appended, as the module's {@code cutoffs} attribute. */
    public int[] cutoffs() {
      return cutoffs.clone();
    }

    public double divValue() {
      return divValue;
    }

    public boolean hasHeadBias() {
      return headBias;
    }

    public int shortlistSize() {
      return shortlist;
    }

    public int nClusters() {
      return nClusters;
    }

    public int headSize() {
      return headSize;
    }

    private Variable[] inputs(Variable input, Variable target) {
      Variable[] v = new Variable[4 + tail.length];
      v[0] = input;
      v[1] = target;
      v[2] = headWeight;
      v[3] = headBiasParam;
      System.arraycopy(tail, 0, v, 4, tail.length);
      return v;
    }

    /** {@code module(input, target)}: the target log-probabilities and the loss, checked as PyTorch checks. */
    public Output forward(Variable input, Variable target) {
      Tensor x = input.data();
      Tensor t = target.data();
      if (t.dim() == 1) {
        if (x.dim() == 0) {
          throw new IndexError("Dimension specified as 0 but tensor has no dimensions");
        }
        if (x.size(0) != t.size(0)) {
          throw new RuntimeError("Input and target should have the same size in the batch dimension.");
        }
        if (x.dim() != 2) {
          throw new RuntimeError("1D target tensor expects 2D input tensors, but found inputs with size "
              + Shapes.torchSize(x.shape()));
        }
      } else if (t.dim() == 0) {
        if (x.dim() != 1) {
          throw new RuntimeError("0D target tensor expects 1D input tensors, but found inputs with size "
              + Shapes.torchSize(x.shape()));
        }
      } else {
        throw new RuntimeError("0D or 1D target tensor expected, multi-target not supported");
      }
      int n = t.dim() == 0 ? 1 : t.size(0);
      int xFeatures = x.size(-1);
      // The loop over the shortlist and the clusters, then the head, as the module runs them.
      boolean[] seen = new boolean[n];
      int used = 0;
      int[] bounds = new int[cutoffs.length + 1];
      System.arraycopy(cutoffs, 0, bounds, 1, cutoffs.length);
      for (int i = 0; i < bounds.length - 1; i++) {
        int rows = 0;
        for (int r = 0; r < n; r++) {
          double y = t.getDouble(r);
          if (y >= bounds[i] && y < bounds[i + 1]) {
            rows++;
            seen[r] = true;
          }
        }
        if (rows == 0) {
          continue;
        }
        if (i > 0) {
          checkMatmul(rows, xFeatures, inFeatures, hidden[i - 1], x.dtype(), tail[2 * (i - 1)], false);
          checkIndex(t);
        }
        used += rows;
      }
      if (used != n) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < n; r++) {
          lo = Math.min(lo, t.getDouble(r));
          hi = Math.max(hi, t.getDouble(r));
        }
        throw new RuntimeError("Target values should be in [0, " + (nClasses - 1) + "], but values in range ["
            + scalarText(lo, t.dtype()) + ", " + scalarText(hi, t.dtype()) + "] were found. ");
      }
      checkMatmul(n, xFeatures, inFeatures, headSize, x.dtype(), headWeight, headBiasParam != null);
      checkIndex(t);
      Variable output = Variable.apply(new TargetLogProb(this, t.dim() > 0), null, inputs(input, target));
      Variable loss = Variable.apply(NEGATED_MEAN, null, output);
      return new Output(output, loss);
    }

    /** {@code module.log_prob(input)}: every class's log-probability, (N, n_classes). */
    public Variable logProb(Variable input) {
      Tensor x = input.data();
      checkLogProbInput(x);
      return Variable.apply(new FullLogProb(this), null, inputs(input, null));
    }

    /** {@code module.predict(input)}: the most likely class of each row, int64 (N). */
    public Tensor predict(Variable input) {
      Tensor x = input.data();
      checkLogProbInput(x);
      Net net = new Net(this, x, null, true);
      int n = x.size(0);
      TensorBuilder out = new TensorBuilder(DType.INT64, n);
      for (int r = 0; r < n; r++) {
        int best = argmax(net.headOut[r], 0, headSize);
        if (best >= shortlist) {
          double[] full = net.fullRow(r);
          best = argmax(full, 0, nClasses);
        }
        out.setLong(r, best);
      }
      return out.build();
    }

    private void checkLogProbInput(Tensor x) {
      if (x.dim() == 0) {
        throw new RuntimeError("both arguments to linear need to be at least 1D, but they are 0D and 2D");
      }
      checkMatmul(x.dim() == 1 ? 1 : x.size(0), x.size(-1), inFeatures, headSize, x.dtype(), headWeight,
          headBiasParam != null);
      if (x.dim() != 2) {
        throw new IndexError("Dimension out of range (expected to be in range of [-" + x.dim() + ", "
            + (x.dim() - 1) + "], but got 1)");
      }
    }

    /**
     * F.linear's checks: the inner sizes, then the dtypes, whose message depends on the kernel (addmm with a
     * bias, matmul without).
     */
    private void checkMatmul(int rows, int xFeatures, int wIn, int wOut, DType xType, Variable weight,
                             boolean bias) {
      if (xFeatures != wIn) {
        throw new RuntimeError("mat1 and mat2 shapes cannot be multiplied (" + rows + "x" + xFeatures + " and "
            + wIn + "x" + wOut + ")");
      }
      DType wType = weight.data().dtype();
      if (xType != wType) {
        throw new RuntimeError(bias
            ? "mat1 and mat2 must have the same dtype, but got " + xType.scalarTypeName() + " and "
                + wType.scalarTypeName()
            : "expected m1 and m2 to have the same dtype, but got: " + xType.cTypeName() + " != " + wType.cTypeName());
      }
    }

    private static void checkIndex(Tensor t) {
      if (t.dtype() != DType.INT64 && t.dtype() != DType.INT32) {
        throw new RuntimeError("gather(): Expected dtype int32/int64 for index");
      }
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("AdaptiveLogSoftmaxWithLoss(\n  (head): Linear(in_features=")
          .append(inFeatures).append(", out_features=").append(headSize).append(", bias=")
          .append(headBias ? "True" : "False").append(")\n  (tail): ModuleList(\n");
      for (int i = 0; i < nClusters; i++) {
        sb.append("    (").append(i).append("): Sequential(\n      (0): Linear(in_features=").append(inFeatures)
            .append(", out_features=").append(hidden[i]).append(", bias=False)\n      (1): Linear(in_features=")
            .append(hidden[i]).append(", out_features=").append(cutoffs[i + 1] - cutoffs[i])
            .append(", bias=False)\n    )\n");
      }
      return sb.append("  )\n)").toString();
    }
  }

  /** A target's value as PyTorch's message prints it ({@code .item()} in an f-string: inf, nan, 1e+30). */
  private static String scalarText(double v, DType dt) {
    if (dt.isFloatingPoint()) {
      return LinearCrossEntropy.pyFloat(v);
    }
    return Long.toString((long) v);
  }

  private static int argmax(double[] row, int from, int to) {
    int best = from;
    for (int j = from + 1; j < to; j++) {
      if (Double.isNaN(row[best])) {
        break;
      }
      if (row[j] > row[best] || Double.isNaN(row[j])) {
        best = j;
      }
    }
    return best;
  }

  /** SLEEF's {@code expf_u10}, PyTorch's {@code Vectorized<float>::exp()}: see {@link SleefFloat#expf}. */
  static float sleefExpf(float d) {
    return SleefFloat.expf(d);
  }

  /** SLEEF's {@code logf_u1}, PyTorch's {@code Vectorized<float>::log()}: see {@link SleefFloat#logf}. */
  static float sleefLogf(float d) {
    return SleefFloat.logf(d);
  }

  /** ATen's eight-lane float sum: see {@link AdaptiveKernels#laneSum}. */
  static float laneSum(float[] v) {
    return AdaptiveKernels.laneSum(v, v.length);
  }

  /** ATen's float sum over a contiguous innermost dimension: see {@link AdaptiveKernels#innerSum}. */
  static float innerSum(double[] values) {
    return (float) AdaptiveKernels.innerSum(values, 0, values.length, true);
  }

  /** {@code (-output).mean()}: grad_fn MeanBackward0, NaN for an empty batch. */
  private static final Differentiable NEGATED_MEAN = (inputs, needsGrad) -> {
    Tensor x = inputs[0];
    int n = x.numel();
    double s = 0;
    for (int i = 0; i < n; i++) {
      s -= x.getDouble(i);
    }
    Tensor out = Tensor.scalar(s / n, x.dtype());
    GradientFunction bw = needsGrad[0] ? g -> new Tensor[] {Tensor.full(-g.item() / n, x.dtype(), x.shape())} : null;
    return new Differentiable.Result(out, "MeanBackward0", List.of(), bw);
  };

  /**
   * The forward computation for a batch, in double with float32 rounding at each op's boundary: the head's
   * linear output and log_softmax for every row, and for each cluster its hidden projection, logits and
   * log_softmax for the rows that need it (all rows for the full log-probability).
   */
  private static final class Net {
    final AdaptiveLogSoftmaxWithLoss m;
    final boolean f32;
    /** float16 or bfloat16: each op's result rounded to it once, from float sums (null otherwise). */
    final DType half;
    final int n;
    final int in;
    final double[] x;
    final double[][] headOut;
    final double[][] headLp;
    /** Per cluster: the rows computed, and per such row the hidden vector and the cluster log-probabilities. */
    final int[][] rows;
    final double[][][] hiddenOut;
    final double[][][] clusterLp;
    final double[] hw;
    final double[] hb;
    final double[][] tw;

    Net(AdaptiveLogSoftmaxWithLoss m, Tensor input, long[] target, boolean allRows) {
      this.m = m;
      this.f32 = input.dtype() == DType.FLOAT32;
      this.half = input.dtype().isReducedFloat() ? input.dtype() : null;
      this.in = m.inFeatures;
      this.n = input.dim() == 1 ? 1 : input.size(0);
      this.x = input.toDoubleArray();
      this.hw = m.headWeight.data().toDoubleArray();
      this.hb = m.headBiasParam == null ? null : m.headBiasParam.data().toDoubleArray();
      this.tw = new double[m.tail.length][];
      for (int i = 0; i < tw.length; i++) {
        tw[i] = m.tail[i].data().toDoubleArray();
      }
      headOut = new double[n][];
      headLp = new double[n][];
      for (int r = 0; r < n; r++) {
        headOut[r] = linear(x, r * in, in, hw, m.headSize, hb);
        headLp[r] = logSoftmax(headOut[r]);
      }
      rows = new int[m.nClusters][];
      hiddenOut = new double[m.nClusters][][];
      clusterLp = new double[m.nClusters][][];
      for (int c = 0; c < m.nClusters; c++) {
        int lo = m.cutoffs[c];
        int hi = m.cutoffs[c + 1];
        int[] rs = java.util.stream.IntStream.range(0, n)
            .filter(r -> allRows || (target[r] >= lo && target[r] < hi)).toArray();
        rows[c] = rs;
        hiddenOut[c] = new double[rs.length][];
        clusterLp[c] = new double[rs.length][];
        for (int k = 0; k < rs.length; k++) {
          double[] h = linear(x, rs[k] * in, in, tw[2 * c], m.hidden[c], null);
          hiddenOut[c][k] = h;
          clusterLp[c][k] = logSoftmax(linear(h, 0, m.hidden[c], tw[2 * c + 1], hi - lo, null));
        }
      }
    }

    double r(double v) {
      return f32 ? (double) (float) v : half != null ? half.round(v) : v;
    }

    /**
     * {@code sum + term} for a gradient accumulated over the batch: float32 rounds each term and each partial sum
     * (as its sgemm accumulates row by row); float16/bfloat16's products accumulate wide and round once when the
     * tensor is built, as the reduced-precision gemm's float accumulator does; float64 adds in double.
     */
    double acc(double sum, double term) {
      return f32 ? r(sum + r(term)) : sum + term;
    }

    /**
     * x W^T (+ b). float32 accumulates each dot product in float in index order, the bias added last, as the
     * float32 forward's blocked kernel (AdaptiveKernels.linear) does, so log_prob and the loss agree bit for
     * bit; float64 accumulates in double. PyTorch 2.13's float32 sgemm (MKL) sums in a blocked order of its
     * own that neither reproduces; every recorded float32 case is within tolerance of this one.
     */
    private double[] linear(double[] a, int off, int k, double[] w, int out, double[] bias) {
      double[] y = new double[out];
      if (half != null) {
        // The CPU gemm of float16/bfloat16: products (exact in float) summed in a float accumulator, the bias
        // added to it, the result rounded once to the dtype.
        for (int o = 0; o < out; o++) {
          float s = 0;
          for (int j = 0; j < k; j++) {
            s += (float) (a[off + j] * w[o * k + j]);
          }
          y[o] = r(bias == null ? s : (double) (float) (s + (float) bias[o]));
        }
        return y;
      }
      for (int o = 0; o < out; o++) {
        double s = 0;
        for (int j = 0; j < k; j++) {
          s = r(s + r(a[off + j] * w[o * k + j]));
        }
        y[o] = bias == null ? s : r(s + bias[o]);
      }
      return y;
    }

    /**
     * log_softmax of one row. float32 follows ATen's vectorised kernel bit for bit: the max, the sum of SLEEF
     * exps of x - max in eight AVX2 lanes, SLEEF's log of it, then (x - max) - log(sum).
     */
    private double[] logSoftmax(double[] z) {
      double[] out = new double[z.length];
      if (half != null) {
        dev.loss4j.ops.Softmax.reducedLogSoftmaxRow(z, 0, z.length, half, out);
        return out;
      }
      if (f32) {
        float mx = Float.NEGATIVE_INFINITY;
        for (double v : z) {
          mx = v > mx || Double.isNaN(v) ? (float) v : mx;
        }
        final float m = mx;
        float[] shifted = new float[z.length];
        for (int i = 0; i < z.length; i++) {
          shifted[i] = sleefExpf((float) z[i] - m);
        }
        float logSum = sleefLogf(laneSum(shifted));
        for (int i = 0; i < z.length; i++) {
          out[i] = ((float) z[i] - m) - logSum;
        }
        return out;
      }
      double mx = Double.NEGATIVE_INFINITY;
      for (double v : z) {
        mx = Math.max(mx, v);
      }
      double s = 0;
      for (double v : z) {
        s += Math.exp(v - mx);
      }
      // (z - max) - log(sum), ATen's order: z - (max + log(sum)) rounds the tiny differences of near-equal
      // logits away and can tie what PyTorch tells apart (predict's argmax then differs).
      double logSum = Math.log(s);
      for (int i = 0; i < z.length; i++) {
        out[i] = (z[i] - mx) - logSum;
      }
      return out;
    }

    /** One row of the full log-probability (computed with allRows). */
    double[] fullRow(int r) {
      double[] out = new double[m.nClasses];
      System.arraycopy(headLp[r], 0, out, 0, m.shortlist);
      for (int c = 0; c < m.nClusters; c++) {
        double head = headLp[r][m.shortlist + c];
        double[] lp = clusterLp[c][r];
        for (int o = 0; o < lp.length; o++) {
          out[m.cutoffs[c] + o] = r(lp[o] + head);
        }
      }
      return out;
    }

    /**
     * Gradients of the input and parameters from gradients of the head log-probabilities and of each
     * cluster's log-probabilities (per computed row): back through log_softmax and the linear layers.
     */
    Tensor[] backward(double[][] gHead, double[][][] gCluster, boolean[] needs, Tensor[] inputs) {
      // float32 rounds where PyTorch's float kernels do: log_softmax backward; the weight gradients accumulate
      // row by row in float (PyTorch 2.13's sgemm does so over the batch), the input gradients' products round
      // once (accumulated in double, as linear); each path's input gradient is summed last.
      double[] dx = new double[n * in];
      double[][] dxTail = half == null ? null : new double[m.nClusters][n * in];
      double[] dhw = new double[hw.length];
      double[] dhb = hb == null ? null : new double[hb.length];
      double[][] dtw = new double[tw.length][];
      for (int i = 0; i < tw.length; i++) {
        dtw[i] = new double[tw[i].length];
      }
      int hs = m.headSize;
      for (int row = 0; row < n; row++) {
        double[] d = softmaxBackward(gHead[row], headLp[row]);
        for (int o = 0; o < hs; o++) {
          if (dhb != null) {
            dhb[o] = acc(dhb[o], d[o]);
          }
          for (int j = 0; j < in; j++) {
            dhw[o * in + j] = acc(dhw[o * in + j], d[o] * x[row * in + j]);
          }
        }
        for (int j = 0; j < in; j++) {
          double acc = 0;
          for (int o = 0; o < hs; o++) {
            acc += d[o] * hw[o * in + j];
          }
          dx[row * in + j] = r(acc);
        }
      }
      for (int c = 0; c < m.nClusters; c++) {
        int hsz = m.hidden[c];
        int osz = m.cutoffs[c + 1] - m.cutoffs[c];
        double[] w1 = tw[2 * c];
        double[] w2 = tw[2 * c + 1];
        for (int k = 0; k < rows[c].length; k++) {
          int row = rows[c][k];
          double[] dc = softmaxBackward(gCluster[c][k], clusterLp[c][k]);
          double[] h = hiddenOut[c][k];
          double[] dh = new double[hsz];
          for (int o = 0; o < osz; o++) {
            for (int j = 0; j < hsz; j++) {
              dtw[2 * c + 1][o * hsz + j] = acc(dtw[2 * c + 1][o * hsz + j], dc[o] * h[j]);
            }
          }
          for (int j = 0; j < hsz; j++) {
            double acc = 0;
            for (int o = 0; o < osz; o++) {
              acc += dc[o] * w2[o * hsz + j];
            }
            dh[j] = r(acc);
          }
          for (int j = 0; j < hsz; j++) {
            for (int q = 0; q < in; q++) {
              dtw[2 * c][j * in + q] = acc(dtw[2 * c][j * in + q], dh[j] * x[row * in + q]);
            }
          }
          for (int q = 0; q < in; q++) {
            double acc = 0;
            for (int j = 0; j < hsz; j++) {
              acc += dh[j] * w1[j * in + q];
            }
            if (half == null) {
              dx[row * in + q] = r(dx[row * in + q] + r(acc));
            } else {
              dxTail[c][row * in + q] = r(acc);
            }
          }
        }
      }
      if (half != null) {
        // autograd adds the input's gradients as they arrive: the last tail's first, the head's (the earliest
        // node) last, each sum rounded to the dtype.
        double[] sum = null;
        for (int c = m.nClusters - 1; c >= 0; c--) {
          if (rows[c].length == 0) {
            continue;
          }
          if (sum == null) {
            sum = dxTail[c];
          } else {
            for (int i = 0; i < sum.length; i++) {
              sum[i] = r(sum[i] + dxTail[c][i]);
            }
          }
        }
        if (sum != null) {
          for (int i = 0; i < dx.length; i++) {
            dx[i] = r(sum[i] + dx[i]);
          }
        }
      }
      Tensor[] out = new Tensor[inputs.length];
      out[0] = needs[0] ? build(dx, inputs[0]) : null;
      out[2] = needs[2] ? build(dhw, inputs[2]) : null;
      out[3] = needs[3] ? build(dhb, inputs[3]) : null;
      for (int i = 0; i < tw.length; i++) {
        out[4 + i] = needs[4 + i] ? build(dtw[i], inputs[4 + i]) : null;
      }
      return out;
    }

    /** log_softmax backward, g - exp(lp) * sum(g); float32 as ATen's vectorised kernel (lane sum, SLEEF exp). */
    private double[] softmaxBackward(double[] g, double[] lp) {
      double[] d = new double[g.length];
      if (half != null) {
        dev.loss4j.ops.Softmax.reducedLogSoftmaxBackwardRow(g, lp, 0, g.length, half, d);
        return d;
      }
      if (f32) {
        float[] gf = new float[g.length];
        for (int i = 0; i < g.length; i++) {
          gf[i] = (float) g[i];
        }
        float s = laneSum(gf);
        for (int i = 0; i < g.length; i++) {
          // GCC contracts the vectorised g - exp(lp) * sum into one fused multiply-add.
          d[i] = Math.fma(-sleefExpf((float) lp[i]), s, gf[i]);
        }
        return d;
      }
      double s = 0;
      for (double v : g) {
        s += v;
      }
      for (int i = 0; i < g.length; i++) {
        d[i] = g[i] - Math.exp(lp[i]) * s;
      }
      return d;
    }

    private static Tensor build(double[] v, Tensor like) {
      TensorBuilder b = new TensorBuilder(like.dtype(), like.shape());
      for (int i = 0; i < v.length; i++) {
        b.set(i, v[i]);
      }
      return b.build();
    }
  }

  /** The target log-probability per row (the module's {@code output}); inputs as AdaptiveLogSoftmaxWithLoss#inputs. */
  private record TargetLogProb(AdaptiveLogSoftmaxWithLoss m, boolean batched) implements Differentiable {
    @Override
    public String displayName() {
      return "AdaptiveLogSoftmaxWithLoss";
    }

    /** float16 and bfloat16 run {@link Net} in the dtype's steps. */
    @Override
    public ReducedFloat reducedFloat() {
      return ReducedFloat.NATIVE;
    }

    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      long[] target = inputs[1].toLongArray();
      if (inputs[0].dtype() == DType.FLOAT32) {
        return fast32(inputs, target, needsGrad);
      }
      Net net = new Net(m, inputs[0], target, false);
      int n = net.n;
      double[] out = new double[n];
      int[] gather = new int[n];
      int[][] local = new int[m.nClusters][];
      for (int c = 0; c < m.nClusters; c++) {
        int[] rs = net.rows[c];
        local[c] = new int[rs.length];
        for (int k = 0; k < rs.length; k++) {
          int rel = (int) (target[rs[k]] - m.cutoffs[c]);
          local[c][k] = rel;
          out[rs[k]] = net.clusterLp[c][k][rel];
        }
      }
      for (int r = 0; r < n; r++) {
        int y = (int) target[r];
        gather[r] = y < m.shortlist ? y : m.shortlist + cluster(y);
        out[r] = net.r(out[r] + net.headLp[r][gather[r]]);
      }
      TensorBuilder b = new TensorBuilder(inputs[0].dtype(), batched ? new int[] {n} : new int[0]);
      for (int r = 0; r < n; r++) {
        b.set(r, out[r]);
      }
      GradientFunction bw = g -> {
        double[][] gHead = new double[n][m.headSize];
        for (int r = 0; r < n; r++) {
          gHead[r][gather[r]] = g.getDouble(r);
        }
        double[][][] gCluster = new double[m.nClusters][][];
        for (int c = 0; c < m.nClusters; c++) {
          int osz = m.cutoffs[c + 1] - m.cutoffs[c];
          gCluster[c] = new double[net.rows[c].length][osz];
          for (int k = 0; k < net.rows[c].length; k++) {
            gCluster[c][k][local[c][k]] = g.getDouble(net.rows[c][k]);
          }
        }
        Tensor[] grads = net.backward(gHead, gCluster, needsGrad, inputs);
        // A cluster no target falls in never runs its tail: PyTorch leaves those weights without a gradient.
        for (int c = 0; c < m.nClusters; c++) {
          if (net.rows[c].length == 0) {
            grads[4 + 2 * c] = null;
            grads[5 + 2 * c] = null;
          }
        }
        return grads;
      };
      return new Result(b.build(), batched ? "AddBackward0" : "SqueezeBackward1", List.of(), bw);
    }

    /** The float32 path on {@link AdaptiveKernels}: the same operations as {@link Net}, in float arrays. */
    private Result fast32(Tensor[] inputs, long[] target, boolean[] needsGrad) {
      int n = inputs[0].dim() == 1 ? 1 : inputs[0].size(0);
      int[] gather = new int[n];
      for (int r = 0; r < n; r++) {
        int y = (int) target[r];
        gather[r] = y < m.shortlist ? y : m.shortlist + cluster(y);
      }
      boolean keep = false;
      for (boolean b : needsGrad) {
        keep |= b;
      }
      Fast32 f = new Fast32(m, inputs[0], target, gather, keep);
      float[] out = new float[n];
      for (int c = 0; c < m.nClusters; c++) {
        for (int k = 0; k < f.rows[c].length; k++) {
          out[f.rows[c][k]] = f.clusterPicked[c][k];
        }
      }
      for (int r = 0; r < n; r++) {
        out[r] = out[r] + f.headPicked[r];
      }
      Tensor value = Storage.adopt(out, batched ? new int[] {n} : new int[0]);
      GradientFunction bw = g -> {
        float[] gv = Storage.floats(g.dtype() == DType.FLOAT32 ? g : g.to(DType.FLOAT32));
        return f.backward(gather, gv, needsGrad, inputs);
      };
      return new Result(value, batched ? "AddBackward0" : "SqueezeBackward1", List.of(), bw);
    }

    private int cluster(int y) {
      int c = 0;
      while (y >= m.cutoffs[c + 1]) {
        c++;
      }
      return c;
    }
  }

  /**
   * The float32 forward of the target log-probabilities on {@link AdaptiveKernels}, and its backward: the head
   * for every row, and each cluster's two projections for the rows whose target falls in it, as {@link Net}
   * computes them (same operations, same order, float arrays and blocked products instead of rows of doubles).
   */
  private static final class Fast32 {
    final AdaptiveLogSoftmaxWithLoss m;
    final int n;
    final int in;
    final float[] x;
    final float[] hw;
    final float[] hb;
    /** Head log-probabilities, (n, headSize); null when no gradient is wanted. */
    final float[] headLp;
    /** Each row's head log-probability at its gathered column. */
    final float[] headPicked;
    /** Per cluster: its rows, their inputs (rows, in), hidden vectors (rows, hidden) and log-probabilities. */
    final int[][] rows;
    final int[][] local;
    final float[][] xr;
    final float[][] hidden;
    /** Per cluster: each row's log-probability at its target. */
    final float[][] clusterPicked;
    /**
     * Per cluster: the output layer's weight transposed (hidden, classes), and each row's logit max and log of
     * its sum of exponentials, from which the backward rebuilds the rows (no (rows, classes) array is kept).
     */
    final float[][] outWeightT;
    final float[][] rowMax;
    final float[][] rowLogSum;

    /**
     * The forward; {@code gather} is each row's head column. Without {@code keep} (no gradient wanted) the head's
     * log-probabilities are not kept either.
     */
    Fast32(AdaptiveLogSoftmaxWithLoss m, Tensor input, long[] target, int[] gather, boolean keep) {
      this.m = m;
      this.in = m.inFeatures;
      this.n = input.dim() == 1 ? 1 : input.size(0);
      this.x = Storage.floats(input);
      this.hw = Storage.floats(m.headWeight.data());
      this.hb = m.headBiasParam == null ? null : Storage.floats(m.headBiasParam.data());
      int hs = m.headSize;
      headPicked = new float[n];
      headLp = AdaptiveKernels.linearLogSoftmax(x, n, in, AdaptiveKernels.transpose(hw, hs, in), hs, hb, gather,
          headPicked, keep, null, null);
      int nc = m.nClusters;
      rows = new int[nc][];
      local = new int[nc][];
      xr = new float[nc][];
      hidden = new float[nc][];
      clusterPicked = new float[nc][];
      outWeightT = new float[nc][];
      rowMax = new float[nc][];
      rowLogSum = new float[nc][];
      for (int c = 0; c < nc; c++) {
        int lo = m.cutoffs[c];
        int hi = m.cutoffs[c + 1];
        int[] rs = java.util.stream.IntStream.range(0, n).filter(r -> target[r] >= lo && target[r] < hi).toArray();
        rows[c] = rs;
        local[c] = new int[rs.length];
        int count = rs.length;
        float[] xs = new float[count * in];
        for (int k = 0; k < count; k++) {
          System.arraycopy(x, rs[k] * in, xs, k * in, in);
          local[c][k] = (int) (target[rs[k]] - lo);
        }
        xr[c] = xs;
        if (count == 0) {
          continue;
        }
        int hsz = m.hidden[c];
        hidden[c] = AdaptiveKernels.linear(xs, count, in, Storage.floats(m.tail[2 * c].data()), hsz, null);
        clusterPicked[c] = new float[count];
        rowMax[c] = new float[count];
        rowLogSum[c] = new float[count];
        outWeightT[c] = AdaptiveKernels.transpose(Storage.floats(m.tail[2 * c + 1].data()), hi - lo, hsz);
        AdaptiveKernels.linearLogSoftmax(hidden[c], count, hsz, outWeightT[c], hi - lo, null, local[c],
            clusterPicked[c], false, rowMax[c], rowLogSum[c]);
      }
    }

    /**
     * Gradients of every input from {@code g}, the gradient of each row's target log-probability: back through
     * the one-hot gathers, log_softmax and the linear layers; each path's input gradient added last, head first.
     */
    Tensor[] backward(int[] gather, float[] g, boolean[] needs, Tensor[] inputs) {
      int hs = m.headSize;
      Tensor[] out = new Tensor[inputs.length];
      float[] dHead = AdaptiveKernels.logSoftmaxBackwardOneHot(headLp, n, hs, gather, g);
      float[] dx = needs[0] ? AdaptiveKernels.matmul(dHead, hw, n, hs, in) : null;
      if (needs[2]) {
        out[2] = Storage.adopt(AdaptiveKernels.matmul(AdaptiveKernels.transpose(dHead, n, hs), x, hs, n, in),
            inputs[2].shape());
      }
      if (needs[3]) {
        out[3] = Storage.adopt(AdaptiveKernels.columnSums(dHead, n, hs), inputs[3].shape());
      }
      for (int c = 0; c < m.nClusters; c++) {
        int[] rs = rows[c];
        int count = rs.length;
        if (count == 0) {
          continue; // that tail never ran: no gradient, as in PyTorch
        }
        int hsz = m.hidden[c];
        int osz = m.cutoffs[c + 1] - m.cutoffs[c];
        float[] gc = new float[count];
        for (int k = 0; k < count; k++) {
          gc[k] = g[rs[k]];
        }
        boolean wantH = needs[4 + 2 * c] || dx != null;
        float[][] d = AdaptiveKernels.linearLogSoftmaxBackward(hidden[c], count, hsz, outWeightT[c], osz, rowMax[c],
            rowLogSum[c], local[c], gc, needs[5 + 2 * c], wantH);
        if (needs[5 + 2 * c]) {
          out[5 + 2 * c] = Storage.adopt(AdaptiveKernels.transpose(d[0], hsz, osz), inputs[5 + 2 * c].shape());
        }
        if (!wantH) {
          continue;
        }
        float[] dh = d[1];
        if (needs[4 + 2 * c]) {
          out[4 + 2 * c] = Storage.adopt(AdaptiveKernels.matmul(AdaptiveKernels.transpose(dh, count, hsz), xr[c], hsz,
              count, in), inputs[4 + 2 * c].shape());
        }
        if (dx != null) {
          float[] dxc = AdaptiveKernels.matmul(dh, Storage.floats(inputs[4 + 2 * c]), count, hsz, in);
          for (int k = 0; k < count; k++) {
            int base = rs[k] * in;
            for (int q = 0; q < in; q++) {
              dx[base + q] = dx[base + q] + dxc[k * in + q];
            }
          }
        }
      }
      if (dx != null) {
        out[0] = Storage.adopt(dx, inputs[0].shape());
      }
      return out;
    }
  }

  /** Every class's log-probability, (N, n_classes), grad_fn CopySlices. */
  private record FullLogProb(AdaptiveLogSoftmaxWithLoss m) implements Differentiable {
    @Override
    public String displayName() {
      return "AdaptiveLogSoftmaxWithLoss";
    }

    /** float16 and bfloat16 run {@link Net} in the dtype's steps. */
    @Override
    public ReducedFloat reducedFloat() {
      return ReducedFloat.NATIVE;
    }

    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      Net net = new Net(m, inputs[0], null, true);
      int n = net.n;
      TensorBuilder b = new TensorBuilder(inputs[0].dtype(), n, m.nClasses);
      for (int r = 0; r < n; r++) {
        double[] row = net.fullRow(r);
        for (int j = 0; j < m.nClasses; j++) {
          b.set(r * m.nClasses + j, row[j]);
        }
      }
      GradientFunction bw = g -> {
        double[][] gHead = new double[n][m.headSize];
        double[][][] gCluster = new double[m.nClusters][n][];
        for (int r = 0; r < n; r++) {
          for (int j = 0; j < m.shortlist; j++) {
            gHead[r][j] = g.getDouble(r * m.nClasses + j);
          }
          for (int c = 0; c < m.nClusters; c++) {
            int lo = m.cutoffs[c];
            int osz = m.cutoffs[c + 1] - lo;
            gCluster[c][r] = new double[osz];
            for (int o = 0; o < osz; o++) {
              gCluster[c][r][o] = g.getDouble(r * m.nClasses + lo + o);
            }
            // The broadcast add's backward: a sum over the cluster's columns.
            gHead[r][m.shortlist + c] = net.f32 ? innerSum(gCluster[c][r])
                : net.r(java.util.Arrays.stream(gCluster[c][r]).sum());
          }
        }
        return net.backward(gHead, gCluster, needsGrad, inputs);
      };
      return new Result(b.build(), "CopySlices", List.of(), bw);
    }
  }

  /** A module with parameters drawn from {@code generator} (see the constructor); a named factory for the shim. */
  public static AdaptiveLogSoftmaxWithLoss create(int inFeatures, int nClasses, double[] cutoffs, double divValue,
                                                  boolean headBias, DType dtype, Generator generator) {
    return new AdaptiveLogSoftmaxWithLoss(inFeatures, nClasses, cutoffs, divValue, headBias, dtype, generator);
  }

  /** A module over given parameters; a named factory for the shim. */
  public static AdaptiveLogSoftmaxWithLoss withParameters(int inFeatures, int nClasses, double[] cutoffs,
                                                          double divValue, Variable headWeight, Variable headBias,
                                                          Variable[] tailWeights) {
    return new AdaptiveLogSoftmaxWithLoss(inFeatures, nClasses, cutoffs, divValue, headWeight, headBias,
        tailWeights);
  }

  // ---- functional form ----------------------------------------------------------------------------

  /**
   * The module's computations with its parameters passed in (loss4j's functional form; PyTorch has only the
   * module): {@code result} picks {@code "output"}, {@code "loss"}, {@code "log_prob"} or {@code "predict"}.
   * {@code tailWeights} holds tail.i.0.weight and tail.i.1.weight for each cluster i in order;
   * {@code headBias} is null without a head bias.
   */
  public static Functional.Outcome adaptiveLogSoftmaxWithLoss(Variable input, Variable target, Variable headWeight,
                                                             Variable headBias, Variable[] tailWeights,
                                                             int inFeatures, int nClasses, double[] cutoffs,
                                                             double divValue, String result) {
    List<String> warnings = new ArrayList<>();
    try {
      AdaptiveLogSoftmaxWithLoss m = new AdaptiveLogSoftmaxWithLoss(inFeatures, nClasses, cutoffs, divValue,
          headWeight, headBias, tailWeights);
      Variable out = switch (result) {
        case "output" -> m.forward(input, target).output();
        case "loss" -> m.forward(input, target).loss();
        case "log_prob" -> m.logProb(input);
        case "predict" -> Variable.constant(m.predict(input));
        default -> throw new ValueError("loss4j: result must be output, loss, log_prob or predict, not " + result);
      };
      return new Functional.Outcome(out, warnings);
    } catch (TorchException e) {
      throw e.withWarnings(warnings);
    }
  }
}
