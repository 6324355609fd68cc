package dev.loss4j.loss;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.GradientFunction;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.IndexError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.errors.TorchException;
import dev.loss4j.errors.ValueError;
import dev.loss4j.kernel.ClassificationKernels;
import dev.loss4j.kernel.LinearKernels;
import dev.loss4j.ops.Views;
import dev.loss4j.random.Generator;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Storage;
import dev.loss4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Linear cross entropy, PyTorch 2.13's {@code torch.nn.LinearCrossEntropyLoss} and
 * {@code torch.nn.functional.linear_cross_entropy}: a linear layer without its own output, fused with cross
 * entropy. With logits {@code z = x W^T + b} the loss is {@link Classification.CrossEntropyLoss}'s on z:
 * {@code l_n = -w_{y_n} log softmax(z_n)_{y_n}} for class targets (0 where {@code y_n == ignore_index}),
 * label smoothing and probability targets as there; mean divides by the total weight of the targets that count.
 *
 * <p>Shapes: input (in) or (N, in); linear weight (C, in) or (C, d1, ..., dK, in) (K-dimensional loss, batched
 * input only: the logits are (N, C, d1, ..., dK), each position softmaxed over C); linear bias (C) or
 * (C, d1, ..., dK); target (), (N) or (N, d1, ..., dK) of int64 classes, or probabilities of the logits' shape;
 * class weight (C). Gradients flow to the input, the linear weight and the linear bias.
 *
 * <p>Two paths, as in PyTorch. Without {@link Options} the logits are made in full and handed to cross entropy
 * (the reference). With options, and class targets, no smoothing, K = 0 and a reduction of none, mean or sum,
 * the rows go through in chunks of {@link Options#chunkSize} rows: each chunk's (chunk, C) logits are made,
 * put through {@link ClassificationKernels#crossEntropyRows}, and their gradient is multiplied into the input,
 * weight and bias gradients at once, so the full (N, C) logits never exist. For mean and sum the gradients are
 * complete after the forward and backward only scales them; for none, backward makes each chunk's logits again
 * and scales each row by its output gradient. Peak extra memory is two (max(chunk, 16), C) buffers (blocks of
at least 16 rows: see Pass#MIN_BLOCK_ROWS). Other settings with
 * options fall back to the reference path with PyTorch's warning.
 */
public final class LinearCrossEntropy {
  private LinearCrossEntropy() {}

  private static final long DEFAULT_IGNORE_INDEX = -100;
  private static final String CHUNKED = "GeneratedBackwardFor_torch_nn__linear_cross_entropy_batch_chunked_defaultBackward";
  private static final String CHUNKED_NONE =
      "GeneratedBackwardFor_torch_nn__linear_cross_entropy_batch_chunked_no_reduction_defaultBackward";

  // =====================================================================================================
  // Options
  // =====================================================================================================

  /**
   * {@code torch.nn.LinearCrossEntropyOptions}: how the chunked path cuts the batch. {@code batchChunkSize}
   * rows a chunk (null: decided by the method), {@code chunkingMethod} "auto", "aspect_ratio",
   * "aspect_ratio:N" or null, {@code accPolicy} "auto", "accurate", "balanced" or "compact" (accepted and
   * checked; this engine always accumulates in double). {@code allowRetainGraph} is accepted for the signature.
   */
  public record Options(boolean allowRetainGraph, Integer batchChunkSize, String chunkingMethod, String accPolicy) {
    public Options {
      if (!List.of("auto", "accurate", "balanced", "compact").contains(accPolicy)) {
        throw new ValueError("invalid acc_policy: " + pyRepr(accPolicy));
      }
      if (chunkingMethod != null && !chunkingMethod.equals("auto")) {
        int colon = chunkingMethod.indexOf(':');
        String name = colon < 0 ? chunkingMethod : chunkingMethod.substring(0, colon);
        String factor = colon < 0 ? "1" : chunkingMethod.substring(colon + 1);
        if (!(name.equals("aspect_ratio") && factor.matches("[0-9]+") && new java.math.BigInteger(factor).signum() > 0)) {
          throw new ValueError("invalid chunking_method: " + pyRepr(chunkingMethod));
        }
      }
      if (batchChunkSize != null && batchChunkSize <= 0) {
        throw new ValueError("batch_chunk_size must be positive int or None, got " + batchChunkSize);
      }
    }

    /** The options a bare {@code LinearCrossEntropyOptions()} has. */
    public static Options defaults() {
      return new Options(false, null, "auto", "auto");
    }

    /**
     * The rows per chunk for a call, as PyTorch settles them on the CPU for float32 and float64: "auto" is
     * "aspect_ratio:2" unless a batch_chunk_size is given; "aspect_ratio:F" takes the smallest power of two at
     * least {@code ceil(N / ceil(C / in))}, divided by F, at most N; a given size must agree with the method's
     * (ValueError otherwise). At least 1.
     */
    public int chunkSize(int numBatches, int inFeatures, int numClasses) {
      String method = chunkingMethod;
      if ("auto".equals(method)) {
        method = batchChunkSize != null ? null : "aspect_ratio:2";
      }
      int size = batchChunkSize == null ? numBatches : Math.min(batchChunkSize, numBatches);
      if (method != null) {
        int colon = method.indexOf(':');
        long factor = colon < 0 ? 1 : Long.parseLong(method.substring(colon + 1));
        long grow = ceilDiv(numClasses, inFeatures);
        long target = ceilDiv(numBatches, grow);
        long pow2 = 1L << bitLength(target - 1);
        size = (int) Math.min(pow2 / factor, numBatches);
        if (batchChunkSize != null && batchChunkSize != size) {
          throw new ValueError("batch_chunk_size (=" + batchChunkSize + ") and chunking_method ('" + method
              + "') give different chunk sizes (" + batchChunkSize + " vs " + size + "); pass only one.");
        }
      }
      return Math.max(1, size);
    }

    private static long ceilDiv(long a, long b) {
      if (b == 0) {
        throw new RuntimeError("loss4j: linear_cross_entropy's chunked path needs in_features > 0");
      }
      return -Math.floorDiv(-a, b);
    }

    /** Python's int.bit_length(). */
    private static int bitLength(long v) {
      return 64 - Long.numberOfLeadingZeros(Math.abs(v));
    }

    /** As PyTorch prints the dataclass (acc_dtype is always None here). */
    @Override
    public String toString() {
      return "LinearCrossEntropyOptions(allow_retain_graph=" + (allowRetainGraph ? "True" : "False")
          + ", batch_chunk_size=" + (batchChunkSize == null ? "None" : batchChunkSize) + ", chunking_method="
          + (chunkingMethod == null ? "None" : pyRepr(chunkingMethod)) + ", acc_policy=" + pyRepr(accPolicy)
          + ", acc_dtype=None)";
    }
  }

  // =====================================================================================================
  // torch.nn.functional.linear_cross_entropy
  // =====================================================================================================

  /**
   * {@code F.linear_cross_entropy(input, linear_weight, target, *, linear_bias=None, weight=None,
   * reduction='mean', ignore_index=None, label_smoothing=0.0, options=None)}: the shape checks in PyTorch's
   * order, then the chunked path when {@code options} is given and the call qualifies (else PyTorch's warning
   * and the reference path). {@code ignoreIndex} null means -100 for class targets; it is an error with
   * probability targets.
   */
  public static Functional.Outcome linearCrossEntropy(Variable input, Variable linearWeight, Variable target,
                                                      Variable linearBias, Variable weight, String reduction,
                                                      Long ignoreIndex, double labelSmoothing, Options options) {
    Tensor x = input.data();
    Tensor w = linearWeight.data();
    if (x.dim() < 1 || x.dim() > 2) {
      throw new RuntimeError("expected input with dimensionality 1 or 2, got " + x.dim());
    }
    if (w.dim() < 2) {
      throw new RuntimeError("expected linear_weight with dimensionality at least 2, got " + w.dim());
    }
    int in = x.size(-1);
    if (in != w.size(-1)) {
      throw new RuntimeError("expected equal input and linear_weight last dimensions (in_features), got " + in
          + " and " + w.size(-1) + ", respectively");
    }
    int[] ws = w.shape();
    int classes = ws[0];
    int[] outFeatures = Arrays.copyOfRange(ws, 1, ws.length - 1);
    int[] biasShape = Arrays.copyOfRange(ws, 0, ws.length - 1);
    if (linearBias != null && !Arrays.equals(linearBias.data().shape(), biasShape)) {
      throw new RuntimeError("expected linear_bias shape " + pyTuple(biasShape) + ", got "
          + pyTuple(linearBias.data().shape()));
    }
    boolean batched = x.dim() == 2;
    if (outFeatures.length > 0 && !batched) {
      throw new RuntimeError("K-dimensional loss defined by linear_weight shape " + pyTuple(ws)
          + " requires batched input, (N, " + in + "), got unbatched input with shape " + pyTuple(x.shape()));
    }
    int[] logitsShape = batched ? concat(new int[] {x.size(0)}, biasShape) : biasShape;
    boolean probabilities = Arrays.equals(target.data().shape(), logitsShape);
    if (probabilities && ignoreIndex != null) {
      throw new RuntimeError("ignore_index cannot be specified when target contains probabilities");
    }
    long ignore = ignoreIndex == null ? DEFAULT_IGNORE_INDEX : ignoreIndex;
    List<String> warnings = new ArrayList<>();
    boolean reductionOk = List.of("mean", "sum", "none").contains(reduction);
    boolean int64 = target.data().dtype() == DType.INT64;
    if (options != null && (outFeatures.length > 0 || !reductionOk || labelSmoothing != 0.0 || !int64)) {
      warnings.add("linear_cross_entropy: ``options`` ignored; chunked path needs reduction in {'mean','sum','none'},"
          + " label_smoothing == 0, target.dtype == int64, out_features == (). Got reduction="
          + (reduction == null ? "None" : pyRepr(reduction)) + ", label_smoothing=" + pyFloat(labelSmoothing)
          + ", target.dtype=torch." + target.data().dtype().torchName() + ", out_features=" + pyTuple(outFeatures)
          + ", tracing=False, linear_bias.shape="
          + (linearBias == null ? "None" : pyTuple(linearBias.data().shape())) + ".");
    }
    try {
      Variable out;
      if (options != null && warnings.isEmpty()) {
        out = chunked(input, linearWeight, target, linearBias, weight, Reduction.fromString(reduction), ignore,
            options, batched);
      } else {
        Variable logits = linear(input, linearWeight, linearBias, outFeatures);
        if (outFeatures.length > 0) {
          logits = Views.reshape(logits, logitsShape);
        }
        Functional.Outcome ce = Classification.crossEntropy(logits, target, weight, null, ignore, null, reduction,
            labelSmoothing);
        warnings.addAll(ce.warnings());
        out = ce.value();
      }
      return new Functional.Outcome(out, warnings);
    } catch (TorchException e) {
      throw e.withWarnings(warnings);
    }
  }

  /** {@code linear(input, W, b)} with a K-dimensional weight flattened to (C * d1 * ... * dK, in). */
  private static Variable linear(Variable input, Variable linearWeight, Variable linearBias, int[] outFeatures) {
    Variable w = linearWeight;
    Variable b = linearBias;
    if (outFeatures.length > 0) {
      int rows = Shapes.numel(linearWeight.data().shape()) / Math.max(1, input.data().size(-1));
      if (input.data().size(-1) == 0) {
        rows = Shapes.numel(Arrays.copyOfRange(linearWeight.data().shape(), 0, outFeatures.length + 1));
      }
      w = Views.reshape(w, new int[] {rows, input.data().size(-1)});
      if (b != null) {
        b = Views.reshape(b, new int[] {rows});
      }
    }
    checkSameDtype(input.data(), w.data());
    return Variable.apply(new Linear(), null, input, w, b);
  }

  private static void checkSameDtype(Tensor x, Tensor w) {
    if (x.dtype() != w.dtype()) {
      throw new RuntimeError("expected m1 and m2 to have the same dtype, but got: " + x.dtype().cTypeName() + " != "
          + w.dtype().cTypeName());
    }
  }

  /** The chunked path: a 1-d input runs as a batch of one and its result is squeezed back, as in PyTorch. */
  private static Variable chunked(Variable input, Variable linearWeight, Variable target, Variable linearBias,
                                  Variable weight, Reduction reduction, long ignore, Options options,
                                  boolean batched) {
    Variable x = batched ? input : Views.unsqueeze(input, 0);
    Variable t = batched ? target : Views.unsqueeze(target, 0);
    int n = x.data().size(0);
    int chunk = options.chunkSize(n, x.data().size(1), linearWeight.data().size(0));
    Variable out = Variable.apply(new Chunked(reduction, ignore, chunk), null, x, linearWeight, t, linearBias,
        weight);
    return batched ? out : Views.squeeze(out, 0);
  }

  // =====================================================================================================
  // The linear layer of the reference path
  // =====================================================================================================

  /** {@code z = x W^T + b} for x (in) or (N, in), W (C, in), b (C) or null; gradients for all three. */
  static final class Linear implements Differentiable {
    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      Tensor x = inputs[0];
      Tensor w = inputs[1];
      Tensor b = inputs[2];
      int in = w.size(1);
      int classes = w.size(0);
      int rows = x.dim() == 2 ? x.size(0) : 1;
      int[] shape = x.dim() == 2 ? new int[] {rows, classes} : new int[] {classes};
      boolean f32 = x.dtype() == DType.FLOAT32;
      Tensor z;
      if (f32) {
        float[] out = new float[rows * classes];
        LinearKernels.logits(Storage.floats(x), 0, rows, Storage.floats(w), b == null ? null : Storage.floats(b),
            classes, in, out);
        z = Storage.adopt(out, shape);
      } else {
        double[] out = new double[rows * classes];
        LinearKernels.logits(Storage.doubles(x), 0, rows, Storage.doubles(w), b == null ? null : Storage.doubles(b),
            classes, in, out);
        z = Storage.adopt(out, shape);
      }
      boolean gb = b != null && needsGrad[2];
      if (!needsGrad[0] && !needsGrad[1] && !gb) {
        return new Result(z, "AddmmBackward0", List.of(), null);
      }
      GradientFunction backward = g -> {
        Tensor gz = g.dtype() == x.dtype() ? g : g.to(x.dtype());
        Tensor[] grads = new Tensor[3];
        if (f32) {
          float[] gzv = Storage.floats(gz);
          if (needsGrad[0]) {
            float[] gx = new float[rows * in];
            LinearKernels.gradInput(gzv, 0, rows, Storage.floats(w), classes, in, gx);
            grads[0] = Storage.adopt(gx, x.shape());
          }
          float[] gw = needsGrad[1] ? new float[classes * in] : null;
          float[] gbv = gb ? new float[classes] : null;
          LinearKernels.accumulateParams(gzv, Storage.floats(x), 0, rows, classes, in, gw, gbv);
          grads[1] = gw == null ? null : Storage.adopt(gw, w.shape());
          grads[2] = gbv == null ? null : Storage.adopt(gbv, b.shape());
        } else {
          double[] gzv = Storage.doubles(gz);
          if (needsGrad[0]) {
            double[] gx = new double[rows * in];
            LinearKernels.gradInput(gzv, 0, rows, Storage.doubles(w), classes, in, gx);
            grads[0] = Storage.adopt(gx, x.shape());
          }
          double[] gw = needsGrad[1] ? new double[classes * in] : null;
          double[] gbv = gb ? new double[classes] : null;
          LinearKernels.accumulateParams(gzv, Storage.doubles(x), 0, rows, classes, in, gw, gbv);
          grads[1] = gw == null ? null : Storage.adopt(gw, w.shape());
          grads[2] = gbv == null ? null : Storage.adopt(gbv, b.shape());
        }
        return grads;
      };
      return new Result(z, "AddmmBackward0", List.of(), backward);
    }
  }

  // =====================================================================================================
  // The chunked path
  // =====================================================================================================

  /**
   * Cross entropy of {@code x W^T + b} against class targets, one chunk of rows at a time. Inputs:
   * {@code {input (N, in), linear weight (C, in), target (N) int64, linear bias (C) or null, class weight (C)
   * or null}}; output () for mean and sum, (N) for none.
   */
  static final class Chunked implements Differentiable {
    private final Reduction reduction;
    private final long ignoreIndex;
    private final int chunk;

    Chunked(Reduction reduction, long ignoreIndex, int chunk) {
      this.reduction = reduction;
      this.ignoreIndex = ignoreIndex;
      this.chunk = chunk;
    }

    @Override
    public Result apply(Tensor[] inputs, boolean[] needsGrad) {
      Tensor x = inputs[0];
      Tensor w = inputs[1];
      Tensor target = inputs[2];
      Tensor b = inputs[3];
      Tensor weight = inputs[4];
      checkSameDtype(x, w);
      int n = x.size(0);
      int in = x.size(1);
      int classes = w.size(0);
      // PyTorch narrows the target chunk by chunk: a short target fails at the first chunk past its end.
      int tn = target.dim() == 0 ? 1 : target.size(0);
      for (int start = 0; start < n; start += chunk) {
        int len = Math.min(chunk, n - start);
        if (start + len > tn) {
          throw new RuntimeError("start (" + start + ") + length (" + len + ") exceeds dimension size (" + tn + ").");
        }
      }
      if (target.dtype() != DType.INT64) {
        throw new RuntimeError("expected target dtype to be Long or Byte, but got " + target.dtype().scalarTypeName());
      }
      long[] labels = Storage.longs(target);
      double[] cw = weight == null ? null : weight.toDoubleArray();
      double totalWeight = 0;
      for (int r = 0; r < n; r++) {
        long cls = labels[r];
        if (cls == ignoreIndex) {
          continue;
        }
        if (cls < 0 || cls >= classes) {
          throw new RuntimeError("index " + cls + " is out of bounds for dimension 1 with size " + classes);
        }
        if (cw != null && cls >= cw.length) {
          throw new IndexError("index out of range in self");
        }
        totalWeight += cw == null ? 1.0 : cw[(int) cls];
      }
      boolean gx = needsGrad[0];
      boolean gw = needsGrad[1];
      boolean gb = b != null && needsGrad[3];
      boolean any = gx || gw || gb;
      Pass pass = new Pass(x, w, b, labels, cw, n, in, classes);
      if (reduction == Reduction.NONE) {
        Tensor out = pass.sweep(1.0, null, false, false, false, true).each;
        GradientFunction backward = !any ? null : g -> {
          Sweep s = pass.sweep(1.0, g.toDoubleArray(), gx, gw, gb, false);
          return new Tensor[] {s.gx, s.gw, null, s.gb, null};
        };
        return new Result(out, CHUNKED_NONE, List.of(), backward);
      }
      double scale = reduction == Reduction.MEAN ? 1 / totalWeight : 1;
      Sweep unit = pass.sweep(scale, null, gx, gw, gb, false);
      double value = reduction == Reduction.SUM ? unit.total
          : totalWeight == 0 ? Double.NaN : unit.total / totalWeight;
      Tensor out = Tensor.scalar(value, x.dtype());
      // PyTorch's chunked mean divides by the total target weight inside its gradients: when no target
      // counts that is 0/0 in every element.
      double nan = reduction == Reduction.MEAN && totalWeight == 0 ? Double.NaN : 1.0;
      GradientFunction backward = !any ? null : g -> {
        double s = g.item() * nan;
        return new Tensor[] {scaled(unit.gx, s), scaled(unit.gw, s), null, scaled(unit.gb, s), null};
      };
      return new Result(out, CHUNKED, List.of(), backward);
    }

    /** A gradient computed at a unit output gradient, times the output gradient {@code s}. */
    private static Tensor scaled(Tensor u, double s) {
      if (u == null || s == 1.0) {
        return u;
      }
      return u.dtype() == DType.FLOAT32
          ? Storage.adopt(ClassificationKernels.scaled(Storage.floats(u), s), u.shape())
          : Storage.adopt(ClassificationKernels.scaled(Storage.doubles(u), s), u.shape());
    }

    /**
     * The fewest rows a block of the sweep holds. PyTorch's chunk is often a single row (aspect_ratio:2 gives 1
     * whenever C / in_features exceeds the batch), and a sweep of one-row blocks streams the whole linear weight,
     * and its gradient, once per row: 128 rows of a (50000, 64) weight moved 1.6 GB each way, 255 ms a
     * forward+backward. Blocks of at least this many rows cut that traffic 16-fold for the same results within
     * float rounding, at a fixed extra cost of two (16, C) buffers.
     */
    private static final int MIN_BLOCK_ROWS = 16;

    /** One sweep over the chunks, on the input's primitive arrays. */
    private final class Pass {
      private final Tensor x;
      private final Tensor w;
      private final Tensor b;
      private final long[] labels;
      private final double[] cw;
      private final int n;
      private final int in;
      private final int classes;

      Pass(Tensor x, Tensor w, Tensor b, long[] labels, double[] cw, int n, int in, int classes) {
        this.x = x;
        this.w = w;
        this.b = b;
        this.labels = labels;
        this.cw = cw;
        this.n = n;
        this.in = in;
        this.classes = classes;
      }

      /**
       * One pass over the chunks: the summed loss, the (N) losses when {@code losses}, and the asked gradients
       * for a loss scaled by {@code scale} (a unit output gradient), or, with {@code rowGrad}, for the unreduced
       * losses under that output gradient.
       */
      Sweep sweep(double scale, double[] rowGrad, boolean gx, boolean gw, boolean gb, boolean losses) {
        Sweep s = new Sweep();
        boolean grads = gx || gw || gb;
        int rowsMax = Math.min(Math.max(chunk, MIN_BLOCK_ROWS), n);
        long[] part = new long[rowsMax];
        if (x.dtype() == DType.FLOAT32) {
          float[] xv = Storage.floats(x);
          float[] wv = Storage.floats(w);
          float[] bv = b == null ? null : Storage.floats(b);
          float[] z = new float[rowsMax * classes];
          float[] gz = grads ? new float[rowsMax * classes] : null;
          float[] each = losses ? new float[n] : null;
          float[] chunkEach = losses ? new float[rowsMax] : null;
          float[] gxv = gx ? new float[n * in] : null;
          float[] gwv = gw ? new float[classes * in] : null;
          float[] gbv = gb ? new float[classes] : null;
          for (int row0 = 0; row0 < n; row0 += rowsMax) {
            int rows = Math.min(rowsMax, n - row0);
            System.arraycopy(labels, row0, part, 0, rows);
            LinearKernels.logits(xv, row0, rows, wv, bv, classes, in, z);
            // every element of gz's rows is written: no fill
            s.total += ClassificationKernels.crossEntropyRows(z, part, cw, rows, classes, ignoreIndex, scale, chunkEach,
                gz);
            if (each != null) {
              System.arraycopy(chunkEach, 0, each, row0, rows);
            }
            if (gz == null) {
              continue;
            }
            if (rowGrad != null) {
              for (int r = 0; r < rows; r++) {
                double g = rowGrad[row0 + r];
                for (int c = r * classes, e = c + classes; c < e; c++) {
                  gz[c] = (float) (gz[c] * g);
                }
              }
            }
            if (gxv != null) {
              LinearKernels.gradInput(gz, row0, rows, wv, classes, in, gxv);
            }
            LinearKernels.accumulateParams(gz, xv, row0, rows, classes, in, gwv, gbv);
          }
          s.each = each == null ? null : Storage.adopt(each, n);
          s.gx = gxv == null ? null : Storage.adopt(gxv, x.shape());
          s.gw = gwv == null ? null : Storage.adopt(gwv, w.shape());
          s.gb = gbv == null ? null : Storage.adopt(gbv, b.shape());
        } else {
          double[] xv = Storage.doubles(x);
          double[] wv = Storage.doubles(w);
          double[] bv = b == null ? null : Storage.doubles(b);
          double[] z = new double[rowsMax * classes];
          double[] scratch = new double[classes];
          double[] gz = grads ? new double[rowsMax * classes] : null;
          double[] each = losses ? new double[n] : null;
          double[] chunkEach = losses ? new double[rowsMax] : null;
          double[] gxv = gx ? new double[n * in] : null;
          double[] gwv = gw ? new double[classes * in] : null;
          double[] gbv = gb ? new double[classes] : null;
          for (int row0 = 0; row0 < n; row0 += rowsMax) {
            int rows = Math.min(rowsMax, n - row0);
            System.arraycopy(labels, row0, part, 0, rows);
            LinearKernels.logits(xv, row0, rows, wv, bv, classes, in, z);
            // every element of gz's rows is written: no fill
            s.total += ClassificationKernels.crossEntropyRows(z, part, cw, rows, classes, ignoreIndex, scale, chunkEach,
                gz, scratch);
            if (each != null) {
              System.arraycopy(chunkEach, 0, each, row0, rows);
            }
            if (gz == null) {
              continue;
            }
            if (rowGrad != null) {
              for (int r = 0; r < rows; r++) {
                double g = rowGrad[row0 + r];
                for (int c = r * classes, e = c + classes; c < e; c++) {
                  gz[c] *= g;
                }
              }
            }
            if (gxv != null) {
              LinearKernels.gradInput(gz, row0, rows, wv, classes, in, gxv);
            }
            LinearKernels.accumulateParams(gz, xv, row0, rows, classes, in, gwv, gbv);
          }
          s.each = each == null ? null : Storage.adopt(each, n);
          s.gx = gxv == null ? null : Storage.adopt(gxv, x.shape());
          s.gw = gwv == null ? null : Storage.adopt(gwv, w.shape());
          s.gb = gbv == null ? null : Storage.adopt(gbv, b.shape());
        }
        return s;
      }
    }

    /** What one sweep produced. */
    private static final class Sweep {
      double total;
      Tensor each;
      Tensor gx;
      Tensor gw;
      Tensor gb;
    }
  }

  // =====================================================================================================
  // torch.nn.LinearCrossEntropyLoss
  // =====================================================================================================

  /**
   * The module {@code torch.nn.LinearCrossEntropyLoss(in_features, num_classes, *, out_features=(),
   * bias=False, dtype=None, reduction='mean', weight=None, ignore_index=None, label_smoothing=0.0,
   * options=None)}: it owns the linear layer's parameters, stored flat as PyTorch stores them: weight
   * (C * d1 * ... * dK, in), bias (C * d1 * ... * dK). A fresh module draws them as nn.Linear does
   * (uniform in +-1/sqrt(in) each, weight first), so after the same seed it starts from PyTorch's values.
   */
  public static final class LinearCrossEntropyLoss {
    private final int inFeatures;
    private final int numClasses;
    private final int[] outFeatures;
    private final Variable linearWeight;
    private final Variable linearBias;
    private final Variable weight;
    private final String reduction;
    private final Long ignoreIndex;
    private final double labelSmoothing;
    private final Options options;

    /** A module with parameters drawn from {@code generator}; {@code weight}, ignoreIndex, options may be null. */
    public LinearCrossEntropyLoss(int inFeatures, int numClasses, int[] outFeatures, boolean bias, DType dtype,
                                  String reduction, Variable weight, Long ignoreIndex, double labelSmoothing,
                                  Options options, Generator generator) {
      if (weight != null && !Arrays.equals(weight.data().shape(), new int[] {numClasses})) {
        throw new RuntimeError("expected weight shape to be " + pyTuple(new int[] {numClasses}) + ", got "
            + pyTuple(weight.data().shape()));
      }
      if (labelSmoothing < 0 || labelSmoothing > 1.0) {
        throw new RuntimeError("expected label_smoothing to be in range [0, 1], got " + pyFloat(labelSmoothing));
      }
      this.inFeatures = inFeatures;
      this.numClasses = numClasses;
      this.outFeatures = outFeatures.clone();
      int rows = numClasses * Shapes.numel(outFeatures);
      DType dt = dtype == null ? DType.FLOAT32 : dtype;
      this.linearWeight = Adaptive.AdaptiveLogSoftmaxWithLoss.kaimingUniform(new int[] {rows, inFeatures}, dt,
          generator);
      this.linearBias = bias ? Adaptive.AdaptiveLogSoftmaxWithLoss.biasUniform(new int[] {rows}, inFeatures, dt,
          generator) : null;
      this.weight = weight;
      this.reduction = reduction;
      this.ignoreIndex = ignoreIndex;
      this.labelSmoothing = labelSmoothing;
      this.options = options;
    }

    /** linear.weight, (C * d1 * ... * dK, in), a leaf that requires grad. */
    public Variable linearWeight() {
      return linearWeight;
    }

    /** linear.bias, (C * d1 * ... * dK), or null without a bias. */
    public Variable linearBias() {
      return linearBias;
    }

    /** The loss of {@code input} against {@code target} with the module's parameters. */
    public Functional.Outcome forward(Variable input, Variable target) {
      return forward(input, target, linearWeight, linearBias);
    }

    /**
     * The loss with given flat parameters (the shim's module passes its own, which a script may have replaced):
     * they are viewed as (C, d1, ..., dK, in) and (C, d1, ..., dK) and handed to {@link #linearCrossEntropy}.
     */
    public Functional.Outcome forward(Variable input, Variable target, Variable flatWeight, Variable flatBias) {
      int[] ws = concat(concat(new int[] {numClasses}, outFeatures), new int[] {inFeatures});
      Variable w = Views.reshape(flatWeight, ws);
      Variable b = flatBias == null ? null : Views.reshape(flatBias, Arrays.copyOf(ws, ws.length - 1));
      return linearCrossEntropy(input, w, target, b, weight, reduction, ignoreIndex, labelSmoothing, options);
    }

    @Override
    public String toString() {
      return "LinearCrossEntropyLoss(\n  in_features=" + inFeatures + ", num_classes=" + numClasses
          + ", out_features=" + pyTuple(outFeatures) + ", bias=" + (linearBias != null ? "True" : "False")
          + ", reduction=" + reduction + ", ignore_index=" + (ignoreIndex == null ? "None" : ignoreIndex)
          + ", label_smoothing=" + pyFloat(labelSmoothing) + ", options=" + (options == null ? "None" : options)
          + "\n  (linear): Linear(in_features=" + inFeatures + ", out_features=" + linearWeight.data().size(0)
          + ", bias=" + (linearBias != null ? "True" : "False") + ")\n)";
    }
  }

  // =====================================================================================================
  // Python-style formatting for messages
  // =====================================================================================================

  /** A shape as a Python tuple: {@code ()}, {@code (5,)}, {@code (5, 3)}. */
  static String pyTuple(int[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return sb.append(')').toString();
  }

  private static String pyRepr(String s) {
    return "'" + s + "'";
  }

  /** A float as Python's str() writes it: shortest digits, plain for exponents in [-4, 16), else d.ddde-XX. */
  static String pyFloat(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    String s = Double.toString(Math.abs(v));
    String sign = v < 0 || (v == 0 && 1 / v < 0) ? "-" : "";
    int e = s.indexOf('E');
    String mant = e < 0 ? s : s.substring(0, e);
    int exp = e < 0 ? 0 : Integer.parseInt(s.substring(e + 1));
    int dot = mant.indexOf('.');
    String digits = mant.substring(0, dot) + mant.substring(dot + 1);
    int point = dot + exp;
    int lead = 0;
    while (lead < digits.length() - 1 && digits.charAt(lead) == '0') {
      lead++;
      point--;
    }
    digits = digits.substring(lead).replaceAll("0+$", "");
    if (digits.isEmpty()) {
      return sign + "0.0";
    }
    int sci = point - 1;
    if (sci < -4 || sci >= 16) {
      String m = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return sign + m + "e" + (sci < 0 ? "-" : "+") + (Math.abs(sci) < 10 ? "0" : "") + Math.abs(sci);
    }
    if (point <= 0) {
      return sign + "0." + "0".repeat(-point) + digits;
    }
    if (point >= digits.length()) {
      return sign + digits + "0".repeat(point - digits.length()) + ".0";
    }
    return sign + digits.substring(0, point) + "." + digits.substring(point);
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
