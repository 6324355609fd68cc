package dev.loss4j.ops;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * {@code F.avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)}
 * (grad_fn {@code AvgPool2DBackward0}): the mean of each kH x kW window of the last two dims, as SSIM-style losses
 * use it for local means.
 *
 * <pre>
 *   out[.., y, x] = sum over the window's places inside the input of input[.., i, j] / divisor
 * </pre>
 *
 * <p>The window of output (y, x) starts at (y sH - pH, x sW - pW). divisor is {@code divisor_override} when given;
 * else the window's size clipped to the padded input ({@code count_include_pad}) or to the input itself. Output
 * size per dim: floor((in + 2 p - k) / s) + 1, rounded up instead with {@code ceil_mode} as long as the last
 * window starts inside the input or its left padding. Shapes: (N, C, H, W) or (C, H, W). float32 sums in float in
 * row order, as PyTorch's CPU kernel; int64 divides with truncation. The gradient spreads each output gradient,
 * divided by its divisor, over the window's input places.
 */
public final class Pooling {
  private Pooling() {}

  /**
   * {@code F.avg_pool2d}: kernel, stride and padding hold 1 or 2 values (stride may be empty: the kernel);
   * {@code divisorOverride} null when not given.
   */
  public static Variable avgPool2d(Variable input, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
      boolean countIncludePad, Integer divisorOverride) {
    if (kernel.length != 1 && kernel.length != 2) {
      throw new RuntimeError("avg_pool2d: kernel_size must either be a single int, or a tuple of two ints");
    }
    int kh = kernel[0];
    int kw = kernel.length == 1 ? kh : kernel[1];
    if (stride.length > 2) {
      throw new RuntimeError("avg_pool2d: stride must either be omitted, a single int, or a tuple of two ints");
    }
    int sh = stride.length == 0 ? kh : stride[0];
    int sw = stride.length == 0 ? kw : stride.length == 1 ? sh : stride[1];
    if (padding.length != 1 && padding.length != 2) {
      throw new RuntimeError("avg_pool2d: padding must either be a single int, or a tuple of two ints");
    }
    int ph = padding[0];
    int pw = padding.length == 1 ? ph : padding[1];
    if (divisorOverride != null && divisorOverride == 0) {
      throw new RuntimeError("divisor must be not zero");
    }
    Tensor t = input.data();
    int nd = t.dim();
    int planes = t.size(Kernels.wrapDim(-3, nd));
    int h = t.size(nd - 2);
    int w = t.size(nd - 1);
    int oh = outputSize(h, kh, ph, sh, ceilMode);
    int ow = outputSize(w, kw, pw, sw, ceilMode);
    if (kw <= 0 || kh <= 0) {
      throw new RuntimeError("kernel size should be greater than zero, but got kH: " + kh + " kW: " + kw);
    }
    if (sw <= 0 || sh <= 0) {
      throw new RuntimeError("stride should be greater than zero, but got dH: " + sh + " dW: " + sw);
    }
    boolean validDims = nd >= 3 && t.size(1) != 0 && t.size(2) != 0;
    if (!((nd == 3 && t.size(0) != 0 && validDims) || (nd == 4 && validDims && t.size(3) != 0))) {
      throw new RuntimeError("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but "
          + "got:" + Arrays.toString(t.shape()));
    }
    if (kw / 2 < pw || kh / 2 < ph) {
      throw new RuntimeError("pad should be smaller than or equal to half of kernel size, but got padW = " + pw
          + ", padH = " + ph + ", kW = " + kw + ", kH = " + kh);
    }
    if (ow < 1 || oh < 1) {
      throw new RuntimeError("Given input size: (" + planes + "x" + h + "x" + w + "). Calculated output size: ("
          + planes + "x" + oh + "x" + ow + "). Output size is too small");
    }
    if (t.dtype() != DType.FLOAT32 && t.dtype() != DType.FLOAT64 && t.dtype() != DType.INT64) {
      throw new dev.loss4j.errors.NotImplementedError("\"avg_pool2d\" not implemented for '"
          + t.dtype().scalarTypeName() + "'");
    }
    int[] outShape = t.shape().clone();
    outShape[nd - 2] = oh;
    outShape[nd - 1] = ow;
    int count = t.numel() / Math.max(h * w, 1);
    Window win = new Window(h, w, oh, ow, kh, kw, sh, sw, ph, pw, countIncludePad, divisorOverride);
    return Kernels.record((in, needs) -> {
      Tensor x = in[0];
      DType dt = x.dtype();
      double[] xv = x.toDoubleArray();
      double[] out = new double[count * oh * ow];
      boolean f32 = dt == DType.FLOAT32;
      boolean integral = !dt.isFloatingPoint();
      for (int p = 0; p < count; p++) {
        for (int y = 0; y < oh; y++) {
          for (int xo = 0; xo < ow; xo++) {
            int[] b = win.bounds(y, xo);
            double sum = 0;
            float fsum = 0;
            long lsum = 0;
            for (int i = b[0]; i < b[1]; i++) {
              for (int j = b[2]; j < b[3]; j++) {
                double v = xv[(p * h + i) * w + j];
                sum += v;
                fsum += (float) v;
                lsum += (long) v;
              }
            }
            int o = (p * oh + y) * ow + xo;
            out[o] = integral ? lsum / b[4] : f32 ? fsum / (float) b[4] : sum / b[4];
          }
        }
      }
      Tensor result = Kernels.fromDoubles(out, dt, outShape);
      return new Differentiable.Result(result, "AvgPool2DBackward0", List.of(), needs[0] ? g -> {
        double[] gv = g.toDoubleArray();
        double[] gx = new double[xv.length];
        for (int p = 0; p < count; p++) {
          for (int y = 0; y < oh; y++) {
            for (int xo = 0; xo < ow; xo++) {
              int[] b = win.bounds(y, xo);
              double delta = gv[(p * oh + y) * ow + xo];
              delta = f32 ? (float) delta / (float) b[4] : delta / b[4];
              for (int i = b[0]; i < b[1]; i++) {
                for (int j = b[2]; j < b[3]; j++) {
                  int k = (p * h + i) * w + j;
                  gx[k] = f32 ? (float) gx[k] + (float) delta : gx[k] + delta;
                }
              }
            }
          }
        }
        return new Tensor[] {Kernels.fromDoubles(gx, dt, x.shape())};
      } : null);
    }, input);
  }

  /** ATen's pooling output size for one dim (dilation 1), with its checks on stride and padding. */
  private static int outputSize(int in, int k, int pad, int stride, boolean ceil) {
    if (stride == 0) {
      throw new RuntimeError("stride should not be zero");
    }
    if (pad < 0) {
      throw new RuntimeError("pad must be non-negative, but got pad: " + pad);
    }
    if (pad > k / 2) {
      // (k - 1 + 1) / 2 with dilation 1
      throw new RuntimeError("pad should be at most half of effective kernel size, but got pad=" + pad
          + ", kernel_size=" + k + " and dilation=1");
    }
    int out = Math.floorDiv(in + 2 * pad - (k - 1) - 1 + (ceil ? stride - 1 : 0), stride) + 1;
    if (ceil && (out - 1) * stride >= in + pad) {
      out--;
    }
    return out;
  }

  /** The windows of one pooling: per output place, its clipped row and column range and its divisor. */
  private record Window(int h, int w, int oh, int ow, int kh, int kw, int sh, int sw, int ph, int pw,
      boolean countIncludePad, Integer divisorOverride) {
    /** {rowStart, rowEnd, colStart, colEnd, divisor} of output place (y, x). */
    int[] bounds(int y, int x) {
      int h0 = y * sh - ph;
      int w0 = x * sw - pw;
      int h1 = Math.min(h0 + kh, h + ph);
      int w1 = Math.min(w0 + kw, w + pw);
      int poolSize = (h1 - h0) * (w1 - w0);
      h0 = Math.max(h0, 0);
      w0 = Math.max(w0, 0);
      h1 = Math.min(h1, h);
      w1 = Math.min(w1, w);
      int divisor = divisorOverride != null ? divisorOverride : countIncludePad ? poolSize : (h1 - h0) * (w1 - w0);
      return new int[] {h0, h1, w0, w1, divisor};
    }
  }
}
