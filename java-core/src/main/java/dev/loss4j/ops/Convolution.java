package dev.loss4j.ops;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.GradientFunction;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * {@code F.conv1d} and {@code F.conv2d} (grad_fn {@code ConvolutionBackward0}; an unbatched input is unsqueezed
 * before and squeezed after, so its grad_fn is {@code SqueezeBackward1}), as hand-written image losses use them
 * (SSIM's Gaussian window run over each channel with {@code groups = C}, edge filters):
 *
 * <pre>
 *   out[n, o, y, x] = bias[o] + sum over c in o's group, i, j of
 *                     input[n, g(o) * Cg + c, y * sH - pH + i * dH, x * sW - pW + j * dW] * weight[o, c, i, j]
 * </pre>
 *
 * <p>Shapes: input (N, C, H, W) or (C, H, W) (conv1d: (N, C, L) or (C, L)), weight (O, C / groups, kH, kW),
 * bias (O); out (N, O, (H + 2 pH - dH (kH - 1) - 1) / sH + 1, ...). Places outside the input read as zero.
 * Padding {@code "same"} keeps the size (stride 1 only; an odd total is padded one more on the right, as
 * PyTorch does with an extra constant pad), {@code "valid"} is no padding. Sums are taken in double and rounded
 * once to the dtype (PyTorch's float32 kernels sum in float in their own blocked order: values agree to float32
 * rounding). int64 inputs convolve exactly (no gradient). Gradients: input (the transposed convolution of the
 * output gradient), weight (the correlation of input and output gradient) and bias (the output gradient summed
 * over batch and places). Errors are PyTorch's, in its order.
 */
public final class Convolution {
  private Convolution() {}

  /**
   * {@code F.conv1d} ({@code spatial} 1) or {@code F.conv2d} ({@code spatial} 2) with padding given as amounts.
   * stride, padding and dilation hold one value or one per spatial dim of the weight; bias may be null.
   */
  public static Variable conv(Variable input, Variable weight, Variable bias, int[] stride, int[] padding,
      int[] dilation, int groups, int spatial) {
    boolean batched = checkInputRank(input, spatial);
    Variable x = batched ? input : Views.unsqueeze(input, 0);
    Variable y = convolution(x, weight, bias, stride, padding, dilation, groups);
    return batched ? y : Views.squeeze(y, 0);
  }

  /** As {@link #conv} with padding {@code "same"} or {@code "valid"}. */
  public static Variable conv(Variable input, Variable weight, Variable bias, int[] stride, String padding,
      int[] dilation, int groups, int spatial) {
    boolean batched = checkInputRank(input, spatial);
    Variable x = batched ? input : Views.unsqueeze(input, 0);
    int dim = Math.max(weight.data().dim() - 2, 1);
    int[] amounts = new int[dim];
    if ("same".equals(padding)) {
      int[] s = expand(stride, "stride", dim);
      for (int v : s) {
        if (v != 1) {
          throw new RuntimeError("padding='same' is not supported for strided convolutions");
        }
      }
      int[] d = expand(dilation, "dilation", dim);
      int[] extra = new int[2 * dim];
      boolean asymmetric = false;
      for (int k = 0; k < dim && k + 2 < weight.data().dim(); k++) {
        int total = d[k] * (weight.data().size(k + 2) - 1);
        amounts[k] = total / 2;
        extra[2 * (dim - 1 - k) + 1] = total - 2 * amounts[k];
        asymmetric |= total % 2 != 0;
      }
      if (asymmetric) {
        x = Padding.pad(x, extra, "constant", 0, null);
      }
    } else if (!"valid".equals(padding)) {
      throw new RuntimeError("Invalid padding string: '" + padding + "'");
    }
    Variable y = convolution(x, weight, bias, stride, amounts, dilation, groups);
    return batched ? y : Views.squeeze(y, 0);
  }

  /** Whether the input is batched; PyTorch's message for a rank that is neither. */
  private static boolean checkInputRank(Variable input, int spatial) {
    int nd = input.data().dim();
    if (nd != spatial + 1 && nd != spatial + 2) {
      throw new RuntimeError("Expected " + (spatial + 1) + "D (unbatched) or " + (spatial + 2)
          + "D (batched) input to conv" + spatial + "d, but got input of size: " + Arrays.toString(input.data()
          .shape()));
    }
    return nd == spatial + 2;
  }

  /** One value per spatial dim: a single value repeated, or PyTorch's message for a list of the wrong length. */
  private static int[] expand(int[] values, String name, int dim) {
    if (values.length == 1) {
      int[] out = new int[dim];
      Arrays.fill(out, values[0]);
      return out;
    }
    if (values.length != dim) {
      throw new RuntimeError("expected " + name + " to be a single integer value or a list of " + dim
          + " values to match the convolution dimensions, but got " + name + "=" + Arrays.toString(values));
    }
    return values;
  }

  /** ATen's {@code convolution} on a batched input: checks, then one {@link Conv} node. */
  private static Variable convolution(Variable input, Variable weight, Variable bias, int[] strideIn,
      int[] paddingIn, int[] dilationIn, int groups) {
    Tensor x = input.data();
    Tensor w = weight.data();
    int k = w.dim();
    int dim = k - 2;
    if (dim <= 0) {
      throw new RuntimeError("weight should have at least three dimensions");
    }
    if (groups <= 0) {
      throw new RuntimeError("non-positive groups is not supported");
    }
    int[] stride = expand(strideIn, "stride", dim);
    int[] padding = expand(paddingIn, "padding", dim);
    int[] dilation = expand(dilationIn, "dilation", dim);
    if (Arrays.stream(padding).anyMatch(v -> v < 0)) {
      throw new RuntimeError("negative padding is not supported");
    }
    if (Arrays.stream(stride).anyMatch(v -> v <= 0)) {
      throw new RuntimeError("non-positive stride is not supported");
    }
    if (Arrays.stream(dilation).anyMatch(v -> v <= 0)) {
      throw new RuntimeError("non-positive dilation is not supported");
    }
    int[] ws = w.shape();
    String wsText = Arrays.toString(ws);
    if (x.dim() != k) {
      throw new RuntimeError("Expected " + k + "-dimensional input for " + k + "-dimensional weight " + wsText
          + ", but got " + x.dim() + "-dimensional input of size " + Arrays.toString(x.shape()) + " instead");
    }
    if (ws[0] < groups) {
      throw new RuntimeError("Given groups=" + groups + ", expected weight to be at least " + groups
          + " at dimension 0, but got weight of size " + wsText + " instead");
    }
    if (ws[0] % groups != 0) {
      throw new RuntimeError("Given groups=" + groups + ", expected weight to be divisible by " + groups
          + " at dimension 0, but got weight of size [" + wsText + "] instead");
    }
    if (x.size(1) != ws[1] * groups) {
      throw new RuntimeError("Given groups=" + groups + ", weight of size " + wsText + ", expected input"
          + Arrays.toString(x.shape()) + " to have " + ws[1] * groups + " channels, but got " + x.size(1)
          + " channels instead");
    }
    Tensor b = bias == null ? null : bias.data();
    if (b != null && (b.dim() != 1 || b.size(0) != ws[0])) {
      throw new RuntimeError("Given weight of size " + wsText + ", expected bias to be 1-dimensional with " + ws[0]
          + " elements, but got bias of size " + Arrays.toString(b.shape()) + " instead");
    }
    StringBuilder padded = new StringBuilder();
    StringBuilder kernel = new StringBuilder();
    boolean fits = true;
    for (int i = 0; i < dim; i++) {
      int in = x.size(i + 2) + 2 * padding[i];
      int kk = dilation[i] * (ws[i + 2] - 1) + 1;
      fits &= in >= kk;
      padded.append(i == 0 ? "" : " x ").append(in);
      kernel.append(i == 0 ? "" : " x ").append(kk);
    }
    if (!fits) {
      throw new RuntimeError("Calculated padded input size per channel: (" + padded + "). Kernel size: (" + kernel
          + "). Kernel size can't be greater than actual input size");
    }
    if (x.dtype() != w.dtype() && !x.dtype().isFloatingPoint()) {
      throw new RuntimeError("expected scalar type " + x.dtype().scalarTypeName() + " but found "
          + w.dtype().scalarTypeName());
    }
    if (x.dtype() != w.dtype()) {
      throw new RuntimeError("Input type (" + legacyName(x.dtype()) + ") and weight type (" + legacyName(w.dtype())
          + ") should be the same or input should be a MKLDNN tensor and weight is a dense tensor");
    }
    if (b != null && b.dtype() != x.dtype()) {
      throw new RuntimeError("Input type (" + x.dtype().cTypeName() + ") and bias type (" + b.dtype().cTypeName()
          + ") should be the same");
    }
    if (x.dtype() != DType.FLOAT32 && x.dtype() != DType.FLOAT64 && x.dtype() != DType.INT64) {
      throw new dev.loss4j.errors.NotImplementedError("\"slow_conv2d_cpu\" not implemented for '"
          + x.dtype().scalarTypeName() + "'");
    }
    if (dim > 2) {
      throw new dev.loss4j.errors.NotImplementedError("loss4j's convolution covers 1 and 2 spatial dims, got "
          + dim);
    }
    // a 1-d convolution is run as a 2-d one of height 1
    Geometry g = dim == 1
        ? new Geometry(x.size(0), x.size(1), 1, x.size(2), ws[0], ws[1], 1, ws[2], 1, stride[0], 0, padding[0], 1,
            dilation[0], groups)
        : new Geometry(x.size(0), x.size(1), x.size(2), x.size(3), ws[0], ws[1], ws[2], ws[3], stride[0], stride[1],
            padding[0], padding[1], dilation[0], dilation[1], groups);
    int[] outShape = dim == 1 ? new int[] {g.n, g.oc, g.ow()} : new int[] {g.n, g.oc, g.oh(), g.ow()};
    Differentiable op = (in, needs) -> forward(g, in, needs, outShape);
    return bias == null ? Kernels.record(op, input, weight) : Kernels.record(op, input, weight, bias);
  }

  /** PyTorch's legacy tensor type name of a CPU dtype, as its convolution messages print it. */
  private static String legacyName(DType dt) {
    return "torch." + dt.scalarTypeName() + "Tensor";
  }


  /** The sizes of one 2-d convolution: input (n, c, h, w), weight (oc, cg, kh, kw), stride, padding, dilation. */
  private record Geometry(int n, int c, int h, int w, int oc, int cg, int kh, int kw, int sh, int sw, int ph, int pw,
      int dh, int dw, int groups) {
    int oh() {
      return (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
    }

    int ow() {
      return (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
    }
  }

  /** One product of a convolution: output place {@code out} takes input place {@code xi} times weight {@code wi}. */
  private interface Tap {
    void at(int out, int xi, int wi);
  }

  /**
   * Every product of the convolution, output places in order and, within one, input channel, kernel row and
   * kernel column in order; places that read padding are skipped.
   */
  private static void taps(Geometry g, Tap tap) {
    int oh = g.oh();
    int ow = g.ow();
    int ocg = g.oc / g.groups;
    for (int n = 0; n < g.n; n++) {
      for (int o = 0; o < g.oc; o++) {
        int c0 = (o / ocg) * g.cg;
        for (int y = 0; y < oh; y++) {
          for (int xo = 0; xo < ow; xo++) {
            int out = ((n * g.oc + o) * oh + y) * ow + xo;
            for (int c = 0; c < g.cg; c++) {
              int xBase = (n * g.c + c0 + c) * g.h;
              int wBase = (o * g.cg + c) * g.kh;
              for (int i = 0; i < g.kh; i++) {
                int iy = y * g.sh - g.ph + i * g.dh;
                if (iy < 0 || iy >= g.h) {
                  continue;
                }
                for (int j = 0; j < g.kw; j++) {
                  int ix = xo * g.sw - g.pw + j * g.dw;
                  if (ix >= 0 && ix < g.w) {
                    tap.at(out, (xBase + iy) * g.w + ix, (wBase + i) * g.kw + j);
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  private static Differentiable.Result forward(Geometry g, Tensor[] in, boolean[] needs, int[] outShape) {
    Tensor x = in[0];
    DType dt = x.dtype();
    double[] xv = x.toDoubleArray();
    double[] wv = in[1].toDoubleArray();
    double[] bv = in.length > 2 ? in[2].toDoubleArray() : null;
    int plane = g.oh() * g.ow();
    double[] out = new double[g.n * g.oc * plane];
    if (bv != null) {
      for (int k = 0; k < out.length; k++) {
        out[k] = bv[(k / plane) % g.oc];
      }
    }
    taps(g, (o, xi, wi) -> out[o] += xv[xi] * wv[wi]);
    Tensor result = Kernels.fromDoubles(out, dt, outShape);
    boolean any = false;
    for (boolean b : needs) {
      any |= b;
    }
    GradientFunction backward = !any ? null : go -> {
      double[] gv = go.toDoubleArray();
      double[] gx = needs[0] ? new double[xv.length] : null;
      double[] gw = needs[1] ? new double[wv.length] : null;
      if (gx != null) {
        taps(g, (o, xi, wi) -> gx[xi] += gv[o] * wv[wi]);
      }
      if (gw != null) {
        taps(g, (o, xi, wi) -> gw[wi] += gv[o] * xv[xi]);
      }
      Tensor[] grads = new Tensor[in.length];
      grads[0] = gx == null ? null : Kernels.fromDoubles(gx, dt, in[0].shape());
      grads[1] = gw == null ? null : Kernels.fromDoubles(gw, dt, in[1].shape());
      if (in.length > 2 && needs[2]) {
        double[] gb = new double[g.oc];
        for (int k = 0; k < gv.length; k++) {
          gb[(k / plane) % g.oc] += gv[k];
        }
        grads[2] = Kernels.fromDoubles(gb, dt, in[2].shape());
      }
      return grads;
    };
    return new Differentiable.Result(result, "ConvolutionBackward0", List.of(), backward);
  }
}
