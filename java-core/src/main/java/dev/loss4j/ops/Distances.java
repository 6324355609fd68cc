package dev.loss4j.ops;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.GradientFunction;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.CppText;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.kernel.AdaptiveKernels;
import dev.loss4j.kernel.DistanceKernels;
import dev.loss4j.kernel.EmbeddingKernels;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Storage;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import java.util.Arrays;
import java.util.List;

/**
 * {@code F.pairwise_distance} and {@code F.cosine_similarity}, with PyTorch's values, gradients and grad_fn
 * names:
 * <ul>
 *   <li>pairwise_distance(x1, x2, p=2, eps=1e-6, keepdim=False) = ||x1 - x2 + eps||_p over the last dim of the
 *       broadcast, one node ({@link PairwiseDistance}, grad_fn {@code NormBackward1}) that rounds each step
 *       as ATen 1.13's {@code norm(x1 - x2 + eps)} does; the embedding losses use the same node;</li>
 *   <li>cosine_similarity(x1, x2, dim=1, eps=1e-8) = sum(x1/n1 * x2/n2, dim) with n = sqrt(max(sum(x^2, dim),
 *       eps^2)), built from the ops of this package as ATen 1.13 composes them; the clamp is applied without
 *       recording, as ATen's in-place {@code clamp_min_} under no-grad ({@code SumBackward1} at the top).</li>
 * </ul>
 */
public final class Distances {
  private Distances() {}

  /** pairwise_distance as a graph node (grad_fn NormBackward1); see {@link PairwiseDistance}. */
  public static Variable pairwiseDistance(Variable x1, Variable x2, double p, double eps, boolean keepdim) {
    return Variable.apply(new PairwiseDistance(p, eps, keepdim), null, x1, x2);
  }

  /**
   * {@code F.pairwise_distance(x1, x2, p, eps, keepdim)}: {@code ||x1 - x2 + eps||_p} over the last dimension
   * of the broadcast shape (a 0-d pair gives {@code |x1 - x2 + eps|}), as PyTorch 1.13's
   * {@code at::norm(x1 - x2 + eps, p, -1, keepdim)}, each step rounded to the dtype ATen holds it in.
   *
   * <p>p: 0 counts non-zeros (an output that requires grad but sends no gradient, as ATen's norm_backward),
   * 1, 2, any other positive or negative real, and +-inf (max/min of the magnitudes; the gradient is shared
   * among the entries that attain it). Integer inputs give a float32 distance; bool inputs are refused
   * with PyTorch's subtraction errors. grad_fn: NormBackward1. Same-shape float inputs of rank >= 1 run on
   * {@link EmbeddingKernels}' row loops; other shapes and dtypes broadcast on the general path.
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

    @Override
    public Result apply(Tensor[] in, boolean[] needsGrad) {
      Tensor a = in[0];
      Tensor b = in[1];
      DType sa = a.dtype();
      DType sb = b.dtype();
      if (sa == DType.BOOL && sb == DType.BOOL) {
        throw new RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^`"
            + " or `logical_xor()` operator instead.");
      }
      if (sa == DType.BOOL || sb == DType.BOOL) {
        throw new RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If you are"
            + " trying to invert a mask, use the `~` or `logical_not()` operator instead.");
      }
      if (sa == sb && sa.isFloatingPoint() && a.sameShape(b) && a.dim() >= 1 && a.size(a.dim() - 1) >= 1) {
        return rows(a, b, needsGrad);
      }
      return general(a, b, needsGrad);
    }

    private int[] outShape(int[] shape) {
      int rank = shape.length;
      if (rank == 0) {
        return new int[0];
      }
      if (keepdim) {
        int[] out = shape.clone();
        out[rank - 1] = 1;
        return out;
      }
      return Arrays.copyOf(shape, rank - 1);
    }

    /** The fast path: same shape and float dtype, one distance per contiguous row. */
    private Result rows(Tensor a, Tensor b, boolean[] needsGrad) {
      int[] shape = a.shape();
      int size = shape[shape.length - 1];
      int rows = a.numel() / size;
      int[] outShape = outShape(shape);
      Tensor out;
      if (a.dtype() == DType.FLOAT32) {
        float[] norms = new float[rows];
        EmbeddingKernels.pairwiseDistance(Storage.floats(a), Storage.floats(b), rows, size, p, (float) eps, norms);
        out = Storage.adopt(norms, outShape);
      } else {
        double[] norms = new double[rows];
        EmbeddingKernels.pairwiseDistance(Storage.doubles(a), Storage.doubles(b), rows, size, p, eps, norms);
        out = Storage.adopt(norms, outShape);
      }
      GradientFunction backward = !(needsGrad[0] || needsGrad[1]) ? null : p == 0 ? g -> new Tensor[2] : g -> {
        double[] ge = g.toDoubleArray();
        if (a.dtype() == DType.FLOAT32) {
          float[] ga = needsGrad[0] ? new float[a.numel()] : null;
          float[] gb = needsGrad[1] ? new float[a.numel()] : null;
          EmbeddingKernels.pairwiseDistanceBackward(Storage.floats(a), Storage.floats(b), rows, size, p, (float) eps,
              Storage.floats(out), ge, ga, gb);
          return new Tensor[] {ga == null ? null : Storage.adopt(ga, shape), gb == null ? null : Storage.adopt(gb, shape)};
        }
        double[] ga = needsGrad[0] ? new double[a.numel()] : null;
        double[] gb = needsGrad[1] ? new double[a.numel()] : null;
        EmbeddingKernels.pairwiseDistanceBackward(Storage.doubles(a), Storage.doubles(b), rows, size, p, eps,
            Storage.doubles(out), ge, ga, gb);
        return new Tensor[] {ga == null ? null : Storage.adopt(ga, shape), gb == null ? null : Storage.adopt(gb, shape)};
      };
      return new Result(out, "NormBackward1", List.of(), backward);
    }

    /** Broadcasting, integer and mixed dtypes: ATen's steps on values widened to double. */
    private Result general(Tensor ta, Tensor tb, boolean[] needsGrad) {
      DType diffType = DType.promote(ta.dtype(), tb.dtype());
      diffType.refuseBarebones("add_stub");
      int[] shape = Shapes.broadcast(ta.shape(), tb.shape());
      if ((Double.isInfinite(p) || p < 0) && shape.length > 0 && shape[shape.length - 1] == 0) {
        // max/min, and a negative power's sum, over an empty last dimension have no identity:
        // linalg.vector_norm refuses them.
        throw new RuntimeError("linalg.vector_norm cannot compute the " + CppText.of(p)
            + " norm on the dimension " + (shape.length - 1) + "because this dimension is empty and the operation"
            + " does not have an identity");
      }
      DType dt = diffType.isFloatingPoint() ? diffType : DType.FLOAT32;
      double[] av = ta.toDoubleArray();
      double[] bv = tb.toDoubleArray();
      int[] ia = Shapes.broadcastIndex(ta.shape(), shape);
      int[] ib = Shapes.broadcastIndex(tb.shape(), shape);
      double e = toFloat(eps, dt);
      double[] x = new double[Shapes.numel(shape)];
      for (int i = 0; i < x.length; i++) {
        double d = av[ia == null ? i : ia[i]] - bv[ib == null ? i : ib[i]];
        // x1 - x2 is held in the promoted dtype: a float32 rounds, an int8/int16/int32/uint8 difference wraps.
        d = diffType.storedAsInts() ? diffType.wrap((long) d) : toFloat(d, diffType);
        x[i] = toFloat(d + e, dt);
      }
      int rank = shape.length;
      int size = rank == 0 ? 1 : shape[rank - 1];
      int[] outShape = outShape(shape);
      int rows = size == 0 ? Shapes.numel(rank == 0 ? new int[0] : Arrays.copyOf(shape, rank - 1)) : x.length / size;
      double[] norms = new double[rows];
      TensorBuilder ob = new TensorBuilder(dt, outShape);
      for (int row = 0; row < rows; row++) {
        // a 0-d pair: ATen's norm kernel sums |d|^p (inf where that overflows), no one-element shortcut
        norms[row] = rank == 0 && dt == DType.FLOAT32 ? EmbeddingKernels.normFloatOfAll(x, 0, 1, p)
            : rank == 0 && dt == DType.FLOAT64 ? EmbeddingKernels.normOfAll(x, 0, 1, p)
            : dt == DType.FLOAT32 ? EmbeddingKernels.normFloat(x, row * size, size, p)
            : dt == DType.FLOAT64 ? EmbeddingKernels.normDouble(x, row * size, size, p)
            : toFloat(EmbeddingKernels.norm(x, row * size, size, p), dt);
        ob.set(row, norms[row]);
      }
      GradientFunction backward = !(needsGrad[0] || needsGrad[1]) ? null : p == 0 ? g -> new Tensor[2] : g -> {
        double[] gx = new double[x.length];
        for (int row = 0; row < rows; row++) {
          if (dt == DType.FLOAT32) {
            EmbeddingKernels.normBackwardFloat(x, row * size, size, p, (float) norms[row], (float) g.getDouble(row),
                gx);
          } else {
            EmbeddingKernels.normBackward(x, row * size, size, p, norms[row], g.getDouble(row), gx);
          }
        }
        Tensor g1 = needsGrad[0] ? sumTo(gx, shape, ta.shape(), ta.dtype()) : null;
        Tensor g2 = null;
        if (needsGrad[1]) {
          for (int i = 0; i < gx.length; i++) {
            gx[i] = -gx[i];
          }
          g2 = sumTo(gx, shape, tb.shape(), tb.dtype());
        }
        return new Tensor[] {g1, g2};
      };
      return new Result(ob.build(), "NormBackward1", List.of(), backward);
    }

    /** Float32 values are held as floats; other dtypes keep the double (integer differences are exact). */
    private static double toFloat(double v, DType dt) {
      return dt == DType.FLOAT32 ? (double) (float) v : v;
    }

    /**
     * A gradient of the broadcast shape summed (in double) back to {@code shape}, then stored as {@code dt} (a
     * reduced dtype rounds each sum once, as ATen's sum_to_size of one does).
     */
    public static Tensor sumTo(double[] g, int[] gShape, int[] shape, DType dt) {
      double[] acc = g;
      if (!Arrays.equals(gShape, shape)) {
        int[] index = Shapes.broadcastIndex(shape, gShape);
        acc = new double[Shapes.numel(shape)];
        for (int i = 0; i < g.length; i++) {
          acc[index[i]] += g[i];
        }
      }
      TensorBuilder b = new TensorBuilder(dt, shape);
      for (int i = 0; i < acc.length; i++) {
        b.set(i, acc[i]);
      }
      return b.build();
    }

    @Override
    public String toString() {
      return "PairwiseDistance(p=" + p + ", eps=" + eps + ", keepdim=" + keepdim + ")";
    }
  }

  /**
   * {@code F.cosine_similarity(x1, x2, dim, eps)}: {@code sum(x1 x2, dim) / (n1 n2)} with {@code n = sqrt(max(
   * sum(x^2, dim), eps^2))}, grad_fn SumBackward1. Same-shape float inputs of one dtype run fused on
   * {@link DistanceKernels}; broadcasting and mixed or integer dtypes compose the ops of this package.
   */
  public static Variable cosineSimilarity(Variable x1, Variable x2, int dim, double eps) {
    DType common = Kernels.resultType(x1.data(), false, x2.data(), false);
    if (!common.isFloatingPoint()) {
      throw new RuntimeError("expected common dtype to be floating point, yet common dtype is "
          + common.scalarTypeName());
    }
    Tensor t1 = x1.data();
    Tensor t2 = x2.data();
    if (t1.dtype() == t2.dtype() && !common.isReducedFloat() && t1.sameShape(t2) && t1.dim() >= 1
        && t1.numel() > 0) {
      return Kernels.record(new CosineSimilarity(Kernels.wrapDim(dim, t1.dim()), eps), x1, x2);
    }
    int[] shape = Shapes.broadcast(x1.data().shape(), x2.data().shape());
    Variable a = Views.expand(Views.to(x1, common), shape);
    Variable b = Views.expand(Views.to(x2, common), shape);
    if (common.isReducedFloat()) {
      // 2.13's composition, whose every step rounds to the dtype: each input over its clamped 2-norm, the
      // product, the sum (matched bit for bit, gradients included, on float16 and bfloat16 by experiment).
      int[] dims = {dim};
      Variable na = Pointwise.clamp(DimReductions.norm(a, 2, dims, true), eps, "float", 0, null);
      Variable nb = Pointwise.clamp(DimReductions.norm(b, 2, dims, true), eps, "float", 0, null);
      return DimReductions.sum(Arithmetic.mul(Arithmetic.div(a, na), Arithmetic.div(b, nb)), dims, false);
    }
    Variable na = clampedSqrt(DimReductions.sum(Pointwise.pow(a, 2L), new int[] {dim}, true), eps * eps);
    Variable nb = clampedSqrt(DimReductions.sum(Pointwise.pow(b, 2L), new int[] {dim}, true), eps * eps);
    Variable prod = Arithmetic.mul(Arithmetic.div(a, na), Arithmetic.div(b, nb));
    return DimReductions.sum(prod, new int[] {dim}, false);
  }

  /** The fused cosine similarity of same-shape float inputs along {@code dim} (already wrapped). */
  private record CosineSimilarity(int dim, double eps) implements Differentiable {
    @Override
    public Result apply(Tensor[] in, boolean[] needsGrad) {
      Tensor a = in[0];
      Tensor b = in[1];
      int[] shape = a.shape();
      int size = shape[dim];
      int lead = 1;
      for (int d = 0; d < dim; d++) {
        lead *= shape[d];
      }
      int outer = lead;
      int inner = a.numel() / outer / size;
      int[] outShape = new int[shape.length - 1];
      for (int d = 0, j = 0; d < shape.length; d++) {
        if (d != dim) {
          outShape[j++] = shape[d];
        }
      }
      boolean grad = needsGrad[0] || needsGrad[1];
      double[] stats = grad ? new double[3 * outer * inner] : null;
      boolean f32 = a.dtype() == DType.FLOAT32;
      Tensor out;
      if (f32) {
        float[] o = new float[outer * inner];
        DistanceKernels.cosineSimilarity(Storage.floats(a), Storage.floats(b), outer, size, inner, eps, o, stats);
        out = Storage.adopt(o, outShape);
      } else {
        double[] o = new double[outer * inner];
        DistanceKernels.cosineSimilarity(Storage.doubles(a), Storage.doubles(b), outer, size, inner, eps, o, stats);
        out = Storage.adopt(o, outShape);
      }
      GradientFunction backward = !grad ? null : g -> {
        Tensor gc = g.dtype() == a.dtype() ? g : g.to(a.dtype());
        if (f32) {
          float[] ga = needsGrad[0] ? new float[a.numel()] : null;
          float[] gb = needsGrad[1] ? new float[a.numel()] : null;
          DistanceKernels.cosineSimilarityBackward(Storage.floats(a), Storage.floats(b), outer, size, inner,
              Storage.floats(gc), stats, ga, gb);
          return new Tensor[] {ga == null ? null : Storage.adopt(ga, shape), gb == null ? null : Storage.adopt(gb, shape)};
        }
        double[] ga = needsGrad[0] ? new double[a.numel()] : null;
        double[] gb = needsGrad[1] ? new double[a.numel()] : null;
        DistanceKernels.cosineSimilarityBackward(Storage.doubles(a), Storage.doubles(b), outer, size, inner,
            Storage.doubles(gc), stats, ga, gb);
        return new Tensor[] {ga == null ? null : Storage.adopt(ga, shape), gb == null ? null : Storage.adopt(gb, shape)};
      };
      return new Result(out, "SumBackward1", List.of(), backward);
    }
  }

  /**
   * {@code F.normalize(x, p, dim, eps)}: x / max(||x||_p over dim, eps), composed as PyTorch composes it (norm with
   * keepdim, clamp_min, expand, div: grad_fn {@code DivBackward0}).
   */
  public static Variable normalize(Variable x, double p, int dim, double eps) {
    Variable norm = DimReductions.norm(x, p, new int[] {dim}, true);
    Variable denom = Views.expand(Pointwise.clamp(norm, eps, "float", 0, null), x.data().shape());
    return Arithmetic.div(x, denom);
  }

  /**
   * {@code torch.cdist(x1, x2, p)} ({@code CdistBackward0}): out[.., i, j] = ||x1[.., i, :] - x2[.., j, :]||_p for
   * x1 (.., P, M) and x2 (.., R, M), leading dims broadcast. Computed directly for every p (PyTorch switches to a
   * matrix-product formula for p = 2 when P or R exceeds 25, which agrees up to rounding away from zero distances).
   * The gradient is PyTorch's: diff |diff|^(p-2) / dist^(p-1), sign(diff) for p = 1, the maxima's signs for
   * p = inf, zero for p = 0 and where the distance is zero.
   */
  public static Variable cdist(Variable x1, Variable x2, double p) {
    return cdist(x1, x2, p, 0);
  }

  /**
   * {@code torch.cdist(x1, x2, p, compute_mode)} with compute_mode as ATen numbers it: 0
   * {@code use_mm_for_euclid_dist_if_necessary} (the matrix-product formula for p = 2 when P or R exceeds 25), 1
   * {@code use_mm_for_euclid_dist} (that formula for every p = 2), 2 {@code donot_use_mm_for_euclid_dist}.
   * The matrix-product formula is {@link EuclideanByProducts}; otherwise as {@link #cdist(Variable, Variable,
   * double)} describes.
   */
  public static Variable cdist(Variable x1, Variable x2, double p, int computeMode) {
    Tensor a = x1.data();
    Tensor b = x2.data();
    if (a.dim() < 2) {
      throw new RuntimeError("cdist only supports at least 2D tensors, X1 got: " + a.dim() + "D");
    }
    if (b.dim() < 2) {
      throw new RuntimeError("cdist only supports at least 2D tensors, X2 got: " + b.dim() + "D");
    }
    int m = a.size(a.dim() - 1);
    if (m != b.size(b.dim() - 1)) {
      throw new RuntimeError("X1 and X2 must have the same number of columns. X1: " + m + " X2: "
          + b.size(b.dim() - 1));
    }
    if (!a.dtype().isFloatingPoint()) {
      throw new RuntimeError("cdist only supports floating-point dtypes, X1 got: " + a.dtype().scalarTypeName());
    }
    if (a.dtype() != b.dtype()) {
      throw new RuntimeError("expected scalar type " + a.dtype().scalarTypeName() + " but found "
          + b.dtype().scalarTypeName());
    }
    if (p < 0) {
      throw new RuntimeError("cdist only supports non-negative p values");
    }
    int[] batchA = Arrays.copyOf(a.shape(), a.dim() - 2);
    int[] batchB = Arrays.copyOf(b.shape(), b.dim() - 2);
    int[] batch = Shapes.broadcast(batchA, batchB);
    int pa = a.size(a.dim() - 2);
    int rb = b.size(b.dim() - 2);
    int[] fullA = Arrays.copyOf(batch, batch.length + 2);
    fullA[batch.length] = pa;
    fullA[batch.length + 1] = m;
    int[] fullB = Arrays.copyOf(batch, batch.length + 2);
    fullB[batch.length] = rb;
    fullB[batch.length + 1] = m;
    Variable ea = Arrays.equals(a.shape(), fullA) ? x1 : Views.expand(x1, fullA);
    Variable eb = Arrays.equals(b.shape(), fullB) ? x2 : Views.expand(x2, fullB);
    int nb = Shapes.numel(batch);
    int[] outShape = Arrays.copyOf(batch, batch.length + 2);
    outShape[batch.length] = pa;
    outShape[batch.length + 1] = rb;
    boolean empty = a.numel() == 0 || b.numel() == 0;
    if (!empty && p == 2 && (computeMode == 1 || (computeMode == 0 && (pa > 25 || rb > 25)))) {
      return Kernels.record(new EuclideanByProducts(nb, pa, rb, m, outShape), ea, eb);
    }
    return Kernels.record((in, needs) -> {
      Tensor u = in[0];
      Tensor v = in[1];
      DType dt = u.dtype();
      double[] out = new double[nb * pa * rb];
      for (int k = 0; k < nb; k++) {
        for (int i = 0; i < pa; i++) {
          for (int j = 0; j < rb; j++) {
            out[(k * pa + i) * rb + j] = rowDistance(u, k * pa + i, v, k * rb + j, m, p);
          }
        }
      }
      Tensor y = Kernels.fromDoubles(out, dt, outShape);
      return new Differentiable.Result(y, "CdistBackward0", List.of(), g -> {
        double[] ga = needs[0] ? new double[u.numel()] : null;
        double[] gb = needs[1] ? new double[v.numel()] : null;
        for (int k = 0; k < nb; k++) {
          for (int i = 0; i < pa; i++) {
            for (int j = 0; j < rb; j++) {
              int o = (k * pa + i) * rb + j;
              double dist = y.getDouble(o);
              double gi = g.getDouble(o);
              if (dist == 0 || p == 0) {
                continue;
              }
              for (int c = 0; c < m; c++) {
                int ia = (k * pa + i) * m + c;
                int ib = (k * rb + j) * m + c;
                double r = gradFactor(u.getDouble(ia) - v.getDouble(ib), dist, p);
                if (ga != null) {
                  ga[ia] += gi * r;
                }
                if (gb != null) {
                  gb[ib] -= gi * r;
                }
              }
            }
          }
        }
        return new Tensor[] {ga == null ? null : Kernels.fromDoubles(ga, dt, u.shape()),
            gb == null ? null : Kernels.fromDoubles(gb, dt, v.shape())};
      });
    }, ea, eb);
  }

  /**
   * The matrix-product form of the Euclidean cdist, as ATen's {@code _euclidean_dist} computes it (grad_fn
   * {@code ViewBackward0}, the view that reshapes its result): with n1 = sum(x1^2, -1) and n2 = sum(x2^2, -1),
   * out[i, j] = sqrt(max([-2 x1_i, n1_i, 1] . [x2_j, 1, n2_j], 0)), each dot product summed left to right in the
   * dtype (float32: float). Cancellation makes near-zero distances come out as small positive numbers whose last
   * bits depend on the summation order (PyTorch's BLAS may differ there). The gradient is ATen's
   * {@code _euclidean_dist_backward}: with r = g / out (0 where out is 0), x1 sum_j r_ij - r x2 and
   * x2 sum_i r_ij - r^T x1.
   */
  private record EuclideanByProducts(int nb, int pa, int rb, int m, int[] outShape) implements Differentiable {
    @Override
    public Result apply(Tensor[] in, boolean[] needs) {
      Tensor u = in[0];
      Tensor v = in[1];
      DType dt = u.dtype();
      boolean f32 = dt == DType.FLOAT32;
      double[] uv = u.toDoubleArray();
      double[] vv = v.toDoubleArray();
      double[] n1 = squaredNorms(uv, nb * pa, m, f32);
      double[] n2 = squaredNorms(vv, nb * rb, m, f32);
      double[] out = new double[nb * pa * rb];
      for (int k = 0; k < nb; k++) {
        for (int i = 0; i < pa; i++) {
          int ri = k * pa + i;
          for (int j = 0; j < rb; j++) {
            int rj = k * rb + j;
            double acc = 0;
            for (int c = 0; c < m; c++) {
              double t = -2 * uv[ri * m + c];
              acc = f32 ? Math.fma((float) t, (float) vv[rj * m + c], (float) acc) : Math.fma(t, vv[rj * m + c], acc);
            }
            acc = f32 ? (float) ((float) acc + (float) n1[ri]) : acc + n1[ri];
            acc = f32 ? (float) ((float) acc + (float) n2[rj]) : acc + n2[rj];
            double s = Math.sqrt(Math.max(acc, 0));
            out[ri * rb + j] = f32 ? (float) s : s;
          }
        }
      }
      Tensor y = Kernels.fromDoubles(out, dt, outShape);
      return new Result(y, "ViewBackward0", List.of(), !(needs[0] || needs[1]) ? null : g -> {
        double[] gv = g.toDoubleArray();
        double[] ratio = new double[out.length];
        for (int q = 0; q < out.length; q++) {
          ratio[q] = out[q] == 0 ? 0 : gv[q] / out[q];
        }
        double[] ga = needs[0] ? new double[uv.length] : null;
        double[] gb = needs[1] ? new double[vv.length] : null;
        for (int k = 0; k < nb; k++) {
          for (int i = 0; i < pa; i++) {
            for (int j = 0; j < rb; j++) {
              double r = ratio[(k * pa + i) * rb + j];
              for (int c = 0; c < m; c++) {
                int ia = (k * pa + i) * m + c;
                int ib = (k * rb + j) * m + c;
                if (ga != null) {
                  ga[ia] += r * (uv[ia] - vv[ib]);
                }
                if (gb != null) {
                  gb[ib] += r * (vv[ib] - uv[ia]);
                }
              }
            }
          }
        }
        return new Tensor[] {ga == null ? null : Kernels.fromDoubles(ga, dt, u.shape()),
            gb == null ? null : Kernels.fromDoubles(gb, dt, v.shape())};
      });
    }

    /** sum(x^2) of each of {@code rows} rows of length m, squares rounded to the dtype, summed as ATen's sum(-1). */
    private static double[] squaredNorms(double[] x, int rows, int m, boolean f32) {
      double[] sq = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        sq[i] = f32 ? (float) ((float) x[i] * (float) x[i]) : x[i] * x[i];
      }
      double[] n = new double[rows];
      for (int r = 0; r < rows; r++) {
        n[r] = AdaptiveKernels.innerSum(sq, r * m, m, f32);
      }
      return n;
    }
  }

  /**
   * d dist / d diff for one coordinate of a p-norm distance dist != 0 (p != 0): sign(diff) for p = 1, diff / dist
   * for p = 2, the sign at the coordinates that reach the maximum for p = inf, else sign(diff) |diff|^(p-1) /
   * dist^(p-1) (0 where diff is 0).
   */
  private static double gradFactor(double diff, double dist, double p) {
    if (p == 1) {
      return Math.signum(diff);
    }
    if (p == 2) {
      return diff / dist;
    }
    if (p == Double.POSITIVE_INFINITY) {
      return Math.abs(diff) == dist ? Math.signum(diff) : 0;
    }
    return diff == 0 ? 0 : Math.signum(diff) * Math.pow(Math.abs(diff), p - 1) / Math.pow(dist, p - 1);
  }

  /** The p-norm of the difference of rows i and j of a (rows, m) tensor (p = 0 counts non-zero differences). */
  private static double rowDistance(Tensor u, int i, Tensor v, int j, int m, double p) {
    double acc = 0;
    for (int c = 0; c < m; c++) {
      double d = Math.abs(u.getDouble(i * m + c) - v.getDouble(j * m + c));
      acc = p == 0 ? acc + (d != 0 ? 1 : 0) : p == Double.POSITIVE_INFINITY ? Math.max(acc, d)
          : p == 1 ? acc + d : p == 2 ? acc + d * d : acc + Math.pow(d, p);
    }
    return p == 0 || p == 1 || p == Double.POSITIVE_INFINITY ? acc : p == 2 ? Math.sqrt(acc) : Math.pow(acc, 1 / p);
  }

  /**
   * {@code torch.pdist(x, p)} / {@code F.pdist} ({@code PdistBackward0}): the p-norm distances between the rows
   * of x (N, M), for every pair i < j in row-major order, a vector of N (N - 1) / 2. Gradient as {@link #cdist}'s.
   */
  public static Variable pdist(Variable x, double p) {
    Tensor a = x.data();
    if (a.dim() != 2) {
      throw new RuntimeError("pdist only supports 2D tensors, got: " + a.dim() + "D");
    }
    if (!a.dtype().isFloatingPoint()) {
      throw new RuntimeError("pdist only supports floating-point dtypes");
    }
    if (p < 0) {
      throw new RuntimeError("pdist only supports non-negative p values");
    }
    int rows = a.size(0);
    int m = a.size(1);
    int pairs = rows < 2 ? 0 : rows * (rows - 1) / 2;
    return Kernels.record((in, needs) -> {
      Tensor u = in[0];
      DType dt = u.dtype();
      double[] out = new double[pairs];
      int k = 0;
      for (int i = 0; i < rows; i++) {
        for (int j = i + 1; j < rows; j++) {
          out[k++] = rowDistance(u, i, u, j, m, p);
        }
      }
      Tensor y = Kernels.fromDoubles(out, dt, new int[] {pairs});
      return new Differentiable.Result(y, "PdistBackward0", List.of(), needs[0] ? g -> {
        double[] gx = new double[u.numel()];
        int q = 0;
        for (int i = 0; i < rows; i++) {
          for (int j = i + 1; j < rows; j++, q++) {
            double dist = y.getDouble(q);
            if (dist == 0 || p == 0) {
              continue;
            }
            double gq = g.getDouble(q);
            for (int c = 0; c < m; c++) {
              double r = gq * gradFactor(u.getDouble(i * m + c) - u.getDouble(j * m + c), dist, p);
              gx[i * m + c] += r;
              gx[j * m + c] -= r;
            }
          }
        }
        return new Tensor[] {Kernels.fromDoubles(gx, dt, u.shape())};
      } : null);
    }, x);
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
