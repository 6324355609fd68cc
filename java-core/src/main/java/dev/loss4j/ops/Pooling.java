package dev.loss4j.ops;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Pooling over the last two dims of (N, C, H, W) or (C, H, W) inputs, with ATen's checks and output sizes.
 * {@code F.avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)}
 * (grad_fn {@code AvgPool2DBackward0}) takes the mean of each kH x kW window, as SSIM-style losses use it for
 * local means; {@link #maxPool2d} takes the window maximum (boundary losses' morphological steps).
 *
 * <pre>
 *   avg: out[.., y, x] = sum over the window's places inside the input of input[.., i, j] / divisor
 * </pre>
 *
 * <p>The window of output (y, x) starts at (y sH - pH, x sW - pW). divisor is {@code divisor_override} when given;
 * else the window's size clipped to the padded input ({@code count_include_pad}) or to the input itself. Output
 * size per dim: floor((in + 2 p - d (k - 1) - 1) / s) + 1, rounded up instead with {@code ceil_mode} as long as
 * the last window starts inside the input or its left padding. float32 sums in float in row order, as PyTorch's
 * CPU kernel; int64 divides with truncation. The gradient spreads each output gradient, divided by its divisor,
 * over the window's input places.
 */
public final class Pooling {
  private Pooling() {}

  /** The sizes of one 2-d pooling: input planes of h x w, windows kh x kw, output oh x ow. */
  private record Geometry(int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw,
      int oh, int ow) {}

  /** One or two values of a pooling argument, as (rows, cols); PyTorch's message for another count. */
  private static int[] pair(int[] v, String message) {
    if (v.length != 1 && v.length != 2) {
      throw new RuntimeError(message);
    }
    return new int[] {v[0], v.length == 1 ? v[0] : v[1]};
  }

  /** ATen's argument and shape checks of avg_pool2d / max_pool2d, in its order, and the output size. */
  private static Geometry geometry(String fn, Tensor t, int[] kernel, int[] stride, int[] padding, int[] dilation,
      boolean ceil) {
    int[] k = pair(kernel, fn + ": kernel_size must either be a single int, or a tuple of two ints");
    if (stride.length > 2) {
      throw new RuntimeError(fn + ": stride must either be omitted, a single int, or a tuple of two ints");
    }
    int[] s = stride.length == 0 ? k : pair(stride, "");
    int[] p = pair(padding, fn + ": padding must either be a single int, or a tuple of two ints");
    int[] d = pair(dilation, fn + ": dilation must be either a single int, or a tuple of two ints");
    int nd = t.dim();
    if (fn.startsWith("max") && nd != 3 && nd != 4) {
      throw new RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input");
    }
    int planes = t.size(Kernels.wrapDim(-3, nd));
    int h = t.size(nd - 2);
    int w = t.size(nd - 1);
    int oh = outputSize(h, k[0], p[0], s[0], d[0], ceil);
    int ow = outputSize(w, k[1], p[1], s[1], d[1], ceil);
    if (k[1] <= 0 || k[0] <= 0) {
      throw new RuntimeError("kernel size should be greater than zero, but got kH: " + k[0] + " kW: " + k[1]);
    }
    if (s[1] <= 0 || s[0] <= 0) {
      throw new RuntimeError("stride should be greater than zero, but got dH: " + s[0] + " dW: " + s[1]);
    }
    if (d[1] <= 0 || d[0] <= 0) {
      throw new RuntimeError("dilation should be greater than zero, but got dilationH: " + d[0] + " dilationW: "
          + d[1]);
    }
    boolean validDims = nd >= 3 && t.size(1) != 0 && t.size(2) != 0;
    if (!((nd == 3 && t.size(0) != 0 && validDims) || (nd == 4 && validDims && t.size(3) != 0))) {
      throw new RuntimeError("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but "
          + "got:" + Arrays.toString(t.shape()));
    }
    if (k[1] / 2 < p[1] || k[0] / 2 < p[0]) {
      throw new RuntimeError("pad should be smaller than or equal to half of kernel size, but got padW = " + p[1]
          + ", padH = " + p[0] + ", kW = " + k[1] + ", kH = " + k[0]);
    }
    if (ow < 1 || oh < 1) {
      throw new RuntimeError("Given input size: (" + planes + "x" + h + "x" + w + "). Calculated output size: ("
          + planes + "x" + oh + "x" + ow + "). Output size is too small");
    }
    DType dt = t.dtype();
    if (dt != DType.FLOAT32 && dt != DType.FLOAT64 && dt != DType.INT64) {
      throw new dev.loss4j.errors.NotImplementedError("\"" + fn + "\" not implemented for '" + dt.scalarTypeName()
          + "'");
    }
    return new Geometry(t.numel() / Math.max(h * w, 1), h, w, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], oh,
        ow);
  }

  private static int[] outShape(Tensor t, Geometry g) {
    int[] out = t.shape().clone();
    out[out.length - 2] = g.oh;
    out[out.length - 1] = g.ow;
    return out;
  }

  /**
   * {@code F.avg_pool2d}: kernel, stride and padding hold 1 or 2 values (stride may be empty: the kernel);
   * {@code divisorOverride} null when not given.
   */
  public static Variable avgPool2d(Variable input, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
      boolean countIncludePad, Integer divisorOverride) {
    Tensor t = input.data();
    if (divisorOverride != null && divisorOverride == 0) {
      // checked after the argument counts, before the shapes
      pair(kernel, "avg_pool2d: kernel_size must either be a single int, or a tuple of two ints");
      if (stride.length > 2) {
        throw new RuntimeError("avg_pool2d: stride must either be omitted, a single int, or a tuple of two ints");
      }
      pair(padding, "avg_pool2d: padding must either be a single int, or a tuple of two ints");
      throw new RuntimeError("divisor must be not zero");
    }
    Geometry geo = geometry("avg_pool2d", t, kernel, stride, padding, new int[] {1}, ceilMode);
    int h = geo.h;
    int w = geo.w;
    int oh = geo.oh;
    int ow = geo.ow;
    int count = geo.planes;
    int[] outShape = outShape(t, geo);
    Window win = new Window(h, w, oh, ow, geo.kh, geo.kw, geo.sh, geo.sw, geo.ph, geo.pw, countIncludePad,
        divisorOverride);
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

  /**
   * {@code F.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)} (grad_fn
   * {@code MaxPool2DWithIndicesBackward0}): the largest value of each window, whose places are {@code dilation}
   * apart, and its flat index h * W + w within the input plane (int64, no gradient). Scanning the window row by
   * row, a value replaces the maximum when it is larger or NaN: ties keep the first place, NaNs the last. The
   * gradient goes to the places the indices name, summed where windows share one. Returns {values, indices}.
   */
  public static Variable[] maxPool2d(Variable input, int[] kernel, int[] stride, int[] padding, int[] dilation,
      boolean ceilMode) {
    Tensor t = input.data();
    Geometry g = geometry("max_pool2d", t, kernel, stride, padding, dilation, ceilMode);
    int[] outShape = outShape(t, g);
    int n = g.planes * g.oh * g.ow;
    long[] index = new long[n];
    for (int p = 0, o = 0; p < g.planes; p++) {
      int base = p * g.h * g.w;
      for (int y = 0; y < g.oh; y++) {
        for (int xo = 0; xo < g.ow; xo++, o++) {
          int h0 = y * g.sh - g.ph;
          int w0 = xo * g.sw - g.pw;
          int h1 = Math.min(h0 + (g.kh - 1) * g.dh + 1, g.h);
          int w1 = Math.min(w0 + (g.kw - 1) * g.dw + 1, g.w);
          while (h0 < 0) {
            h0 += g.dh;
          }
          while (w0 < 0) {
            w0 += g.dw;
          }
          int best = h0 * g.w + w0;
          double max = Double.NEGATIVE_INFINITY;
          for (int i = h0; i < h1; i += g.dh) {
            for (int j = w0; j < w1; j += g.dw) {
              double v = t.getDouble(base + i * g.w + j);
              if (v > max || Double.isNaN(v)) {
                max = v;
                best = i * g.w + j;
              }
            }
          }
          index[o] = best;
        }
      }
    }
    int plane = g.h * g.w;
    int outPlane = g.oh * g.ow;
    Variable values = Kernels.record((in, needs) -> {
      Tensor x = in[0];
      DType dt = x.dtype();
      double[] out = new double[n];
      for (int o = 0; o < n; o++) {
        out[o] = x.getDouble((o / outPlane) * plane + (int) index[o]);
      }
      return new Differentiable.Result(Kernels.fromDoubles(out, dt, outShape), "MaxPool2DWithIndicesBackward0",
          List.of(), needs[0] ? gr -> {
            double[] gx = new double[x.numel()];
            boolean f32 = dt == DType.FLOAT32;
            for (int o = 0; o < n; o++) {
              int k = (o / outPlane) * plane + (int) index[o];
              gx[k] = f32 ? (float) ((float) gx[k] + (float) gr.getDouble(o)) : gx[k] + gr.getDouble(o);
            }
            return new Tensor[] {Kernels.fromDoubles(gx, dt, x.shape())};
          } : null);
    }, input);
    return new Variable[] {values, Variable.constant(Tensor.ofLongs(index, outShape))};
  }

  /** ATen's pooling output size for one dim, with its checks on stride and padding. */
  private static int outputSize(int in, int k, int pad, int stride, int dilation, boolean ceil) {
    if (stride == 0) {
      throw new RuntimeError("stride should not be zero");
    }
    if (pad < 0) {
      throw new RuntimeError("pad must be non-negative, but got pad: " + pad);
    }
    if (pad > ((k - 1) * dilation + 1) / 2) {
      throw new RuntimeError("pad should be at most half of effective kernel size, but got pad=" + pad
          + ", kernel_size=" + k + " and dilation=" + dilation);
    }
    int out = Math.floorDiv(in + 2 * pad - dilation * (k - 1) - 1 + (ceil ? stride - 1 : 0), stride) + 1;
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
