package dev.loss4j.ops;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.NotImplementedError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * The resampling kernels under {@code F.interpolate}, for 1 spatial dim (N, C, W) and 2 (N, C, H, W), as
 * deep-supervision and boundary losses use them to bring targets and logits to one size:
 * <ul>
 *   <li>nearest ({@code UpsampleNearest1DBackward0}, {@code UpsampleNearest2DBackward0}): out[o] = in[min(floor(o s),
 *       in - 1)] per dim, with s = 1 / scale_factor when a scale was given, else in / out, held in float32 as
 *       PyTorch's CPU kernel holds it;</li>
 *   <li>linear / bilinear ({@code UpsampleLinear1DBackward0}, {@code UpsampleBilinear2DBackward0}): each output
 *       place reads the source coordinate r = o s (align_corners, s = (in - 1) / (out - 1)) or max((o + 0.5) s -
 *       0.5, 0) (else, s as for nearest), and blends its two neighbours i0 = floor(r), i1 = min(i0 + 1, in - 1)
 *       with weights 1 - (r - i0) and r - i0; bilinear does so along W and then H, in the input's float type.
 *       The coordinate, each blend a w0 + b w1 and each gradient share are single fused multiply-adds where
 *       PyTorch's AVX2 build contracts them, so float32 results match it bit for bit in the cases checked.</li>
 * </ul>
 * The gradient adds each output gradient, times the same weights, to the places it read. float32 and float64
 * only (other dtypes get PyTorch's NotImplementedError); sizes must be positive and the non-batch dims non-empty.
 */
public final class Interpolation {
  private Interpolation() {}

  /**
   * {@code upsample_nearest1d/2d(input, output_size, scale_factors)}: {@code size} one output size per spatial
   * dim, {@code scales} the scale factors given by the caller (null, or NaN entries, when none).
   */
  public static Variable nearest(Variable input, int[] size, double[] scales) {
    return resample(input, size, scales, false, false);
  }

  /** {@code upsample_linear1d / upsample_bilinear2d(input, output_size, align_corners, scale_factors)}. */
  public static Variable linear(Variable input, int[] size, boolean alignCorners, double[] scales) {
    return resample(input, size, scales, true, alignCorners);
  }

  private static Variable resample(Variable input, int[] size, double[] scales, boolean linear, boolean align) {
    Tensor t = input.data();
    int dims = size.length;
    int nd = t.dim();
    StringBuilder inText = new StringBuilder();
    StringBuilder outText = new StringBuilder();
    boolean positive = true;
    String[] names = dims == 1 ? new String[] {"W"} : new String[] {"H", "W"};
    for (int d = 0; d < dims; d++) {
      int in = t.size(nd - dims + d);
      inText.append(d == 0 ? "" : ", ").append(names[d]).append(": ").append(in);
      outText.append(d == 0 ? "" : ", ").append(names[d]).append(": ").append(size[d]);
      positive &= in > 0 && size[d] > 0;
    }
    if (!positive) {
      throw new RuntimeError("Input and output sizes should be greater than 0, but got input (" + inText
          + (dims == 1 ? ") and output (" : ") output (") + outText + ")");
    }
    boolean nonEmpty = true;
    for (int d = 1; d < nd; d++) {
      nonEmpty &= t.size(d) > 0;
    }
    if (!nonEmpty) {
      throw new RuntimeError("Non-empty " + (dims + 2) + "D data tensor expected but got a tensor with sizes "
          + Arrays.toString(t.shape()));
    }
    // the name of the first kernel that PyTorch's dtype dispatch refuses
    String kernel = dims == 1 ? linear ? "compute_indices_weights_linear" : "compute_indices_weights_nearest"
        : linear ? "upsample_bilinear2d_channels_last" : "upsample_nearest2d_channels_last";
    if (!t.dtype().isFloatingPoint()) {
      throw new NotImplementedError("\"" + kernel + "\" not implemented for '" + t.dtype().scalarTypeName() + "'");
    }
    if (t.dtype() == DType.FLOAT16 || t.dtype() == DType.BFLOAT16) {
      throw new NotImplementedError("loss4j's interpolation covers float32 and float64, got "
          + t.dtype().scalarTypeName());
    }
    boolean f32 = t.dtype() == DType.FLOAT32;
    int inH = dims == 2 ? t.size(nd - 2) : 1;
    int inW = t.size(nd - 1);
    int outH = dims == 2 ? size[0] : 1;
    int outW = size[dims - 1];
    double scaleH = dims == 2 ? scaleOf(scales, 0) : Double.NaN;
    double scaleW = scaleOf(scales, dims - 1);
    Axis rows = dims == 2 ? new Axis(inH, outH, scaleH, linear, align, f32) : new Axis(1, 1, Double.NaN, false, false,
        f32);
    Axis cols = new Axis(inW, outW, scaleW, linear, align, f32);
    int[] outShape = t.shape().clone();
    outShape[nd - 1] = outW;
    if (dims == 2) {
      outShape[nd - 2] = outH;
    }
    int planes = t.numel() / (inH * inW);
    String name = linear ? dims == 1 ? "UpsampleLinear1DBackward0" : "UpsampleBilinear2DBackward0"
        : "UpsampleNearest" + dims + "DBackward0";
    return Kernels.record((in, needs) -> {
      Tensor x = in[0];
      double[] xv = x.toDoubleArray();
      double[] out = new double[planes * outH * outW];
      for (int p = 0; p < planes; p++) {
        for (int y = 0; y < outH; y++) {
          int r0 = (p * inH + rows.i0[y]) * inW;
          int r1 = (p * inH + rows.i1[y]) * inW;
          for (int xo = 0; xo < outW; xo++) {
            int c0 = cols.i0[xo];
            int c1 = cols.i1[xo];
            double top = blend(xv[r0 + c0], cols.w0[xo], xv[r0 + c1], cols.w1[xo], f32);
            double value;
            if (dims == 1) {
              value = top;
            } else {
              double bottom = blend(xv[r1 + c0], cols.w0[xo], xv[r1 + c1], cols.w1[xo], f32);
              value = blend(top, rows.w0[y], bottom, rows.w1[y], f32);
            }
            out[(p * outH + y) * outW + xo] = value;
          }
        }
      }
      Tensor result = Kernels.fromDoubles(out, x.dtype(), outShape);
      return new Differentiable.Result(result, name, List.of(), needs[0] ? g -> {
        double[] gv = g.toDoubleArray();
        double[] gx = new double[xv.length];
        for (int p = 0; p < planes; p++) {
          for (int y = 0; y < outH; y++) {
            for (int xo = 0; xo < outW; xo++) {
              double go = gv[(p * outH + y) * outW + xo];
              int r0 = (p * inH + rows.i0[y]) * inW;
              int r1 = (p * inH + rows.i1[y]) * inW;
              share(gx, r0 + cols.i0[xo], rows.w0[y], cols.w0[xo], go, f32);
              share(gx, r0 + cols.i1[xo], rows.w0[y], cols.w1[xo], go, f32);
              share(gx, r1 + cols.i0[xo], rows.w1[y], cols.w0[xo], go, f32);
              share(gx, r1 + cols.i1[xo], rows.w1[y], cols.w1[xo], go, f32);
            }
          }
        }
        return new Tensor[] {Kernels.fromDoubles(gx, x.dtype(), x.shape())};
      } : null);
    }, input);
  }

  private static double scaleOf(double[] scales, int d) {
    return scales == null || d >= scales.length ? Double.NaN : scales[d];
  }

  /**
   * a wa + b wb as PyTorch's AVX2 kernel contracts it, fma(a, wa, b wb), in float for float32 (a zero second
   * weight reads one place, as nearest does).
   */
  private static double blend(double a, double wa, double b, double wb, boolean f32) {
    if (wb == 0) {
      return f32 ? (float) ((float) a * (float) wa) : a * wa;
    }
    return f32 ? Math.fma((float) a, (float) wa, (float) b * (float) wb) : Math.fma(a, wa, b * wb);
  }

  /** acc[i] += (wr wc) g, the share of an output gradient one input place gets, with one fused multiply-add. */
  private static void share(double[] acc, int i, double wr, double wc, double g, boolean f32) {
    if (wr != 0 && wc != 0) {
      acc[i] = f32 ? Math.fma((float) wr * (float) wc, (float) g, (float) acc[i]) : Math.fma(wr * wc, g, acc[i]);
    }
  }

  /**
   * The source places and weights of one resampled dim: output o reads i0[o] with weight w0[o] and i1[o] with
   * w1[o] (nearest: i1 = i0, w0 = 1, w1 = 0).
   */
  private static final class Axis {
    final int[] i0;
    final int[] i1;
    final double[] w0;
    final double[] w1;

    Axis(int in, int out, double scale, boolean linear, boolean align, boolean f32) {
      i0 = new int[out];
      i1 = new int[out];
      w0 = new double[out];
      w1 = new double[out];
      for (int o = 0; o < out; o++) {
        w0[o] = 1;
        if (!linear) {
          i0[o] = i1[o] = nearestIndex(o, in, out, scale);
        } else if (in == out) {
          i0[o] = i1[o] = o;
        } else {
          double s = align ? (out > 1 ? round((double) (in - 1) / (out - 1), f32) : 0) : ratio(scale, in, out, f32);
          double r = align ? round(s * o, f32) : f32 ? Math.fma((float) s, (float) (o + 0.5), -0.5f)
              : Math.fma(s, o + 0.5, -0.5);
          if (!align && r < 0) {
            r = 0;
          }
          int lo = Math.min((int) Math.floor(r), in - 1);
          double lambda = Math.min(Math.max(round(r - lo, f32), 0), 1);
          i0[o] = lo;
          i1[o] = lo + (lo < in - 1 ? 1 : 0);
          w1[o] = lambda;
          w0[o] = round(1 - lambda, f32);
        }
      }
    }

    private static double round(double v, boolean f32) {
      return f32 ? (float) v : v;
    }

    /** 1 / scale when a positive scale was given, else in / out, in the kernel's float type. */
    private static double ratio(double scale, int in, int out, boolean f32) {
      if (!Double.isNaN(scale) && scale > 0) {
        return round(1.0 / scale, f32);
      }
      return f32 ? (float) in / out : (double) in / out;
    }

    /** PyTorch's nearest source index (its scale always held in float32). */
    private static int nearestIndex(int o, int in, int out, double scale) {
      if (out == in) {
        return o;
      }
      if (out == 2 * in) {
        return o >> 1;
      }
      float s = (float) ratio(scale, in, out, true);
      return Math.min((int) Math.floor((float) (o * s)), in - 1);
    }
  }
}
