package dev.loss4j.tensor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch 1.13's tensor printing ({@code torch/_tensor_str.py}) with its default print options:
 * precision 4, threshold 1000 elements, 3 edge items, line width 80, automatic scientific mode.
 *
 * <p>Numbers are rounded from their exact binary value, half to even, as Python's {@code '{:.4f}'} does
 * (Java's {@code %.4f} rounds the shortest decimal half up, which prints 0.765625 as 0.7657 where
 * PyTorch prints 0.7656).
 */
public final class TensorFormatter {
  private static final int PRECISION = 4;
  private static final int THRESHOLD = 1000;
  private static final int EDGE_ITEMS = 3;
  private static final int LINE_WIDTH = 80;

  private TensorFormatter() {}

  /**
   * The full {@code repr}: {@code tensor(<data>, <suffixes>)}. Suffixes the caller adds (in order):
   * {@code grad_fn=<MseLossBackward0>} or {@code requires_grad=True}; dtype and size suffixes are added
   * here as PyTorch adds them (float32 is the default dtype).
   */
  public static String repr(Tensor t, List<String> extraSuffixes) {
    String prefix = "tensor(";
    int indent = prefix.length();
    List<String> suffixes = new ArrayList<>();
    boolean hasDefaultDtype = t.dtype() == DType.FLOAT32 || t.dtype() == DType.INT64 || t.dtype() == DType.BOOL;
    String body;
    if (t.numel() == 0) {
      if (t.dim() != 1) {
        suffixes.add("size=" + pythonTuple(t.shape()));
      }
      if (t.dtype() != DType.FLOAT32) {
        suffixes.add("dtype=" + t.dtype());
      }
      body = "[]";
    } else {
      if (!hasDefaultDtype) {
        suffixes.add("dtype=" + t.dtype());
      }
      body = tensorString(t, indent);
    }
    suffixes.addAll(extraSuffixes);
    return addSuffixes(prefix + body, suffixes, indent);
  }

  /** {@code (2, 3)}, {@code (0,)}, {@code ()}: a shape as a Python tuple. */
  public static String pythonTuple(int[] shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i > 0 ? ", " : "").append(shape[i]);
    }
    if (shape.length == 1) {
      sb.append(',');
    }
    return sb.append(')').toString();
  }

  private static String addSuffixes(String tensorStr, List<String> suffixes, int indent) {
    StringBuilder out = new StringBuilder(tensorStr);
    int lastLineLen = tensorStr.length() - tensorStr.lastIndexOf('\n') + 1;
    for (String suffix : suffixes) {
      if (lastLineLen + suffix.length() + 2 > LINE_WIDTH) {
        out.append(",\n").append(" ".repeat(indent)).append(suffix);
        lastLineLen = indent + suffix.length();
      } else {
        out.append(", ").append(suffix);
        lastLineLen += suffix.length() + 2;
      }
    }
    return out.append(')').toString();
  }

  private static String tensorString(Tensor t, int indent) {
    boolean summarize = t.numel() > THRESHOLD;
    Formatter f = new Formatter(t, summarize);
    return formatBlock(t, t.shape(), 0, 0, indent, summarize, f);
  }

  /** Formats the sub-tensor starting at flat {@code offset} spanning dims {@code dimStart..}. */
  private static String formatBlock(Tensor t, int[] shape, int dimStart, int offset, int indent,
                                    boolean summarize, Formatter f) {
    int rank = shape.length - dimStart;
    if (rank == 0) {
      return f.format(t, offset);
    }
    int n = shape[dimStart];
    int stride = 1;
    for (int d = dimStart + 1; d < shape.length; d++) {
      stride *= shape[d];
    }
    if (rank == 1) {
      int elementLength = f.maxWidth + 2;
      int perLine = Math.max(1, (int) Math.floor((double) (LINE_WIDTH - indent) / elementLength));
      List<String> data = new ArrayList<>();
      if (summarize && n > 2 * EDGE_ITEMS) {
        for (int i = 0; i < EDGE_ITEMS; i++) {
          data.add(f.format(t, offset + i));
        }
        data.add(" ...");
        for (int i = n - EDGE_ITEMS; i < n; i++) {
          data.add(f.format(t, offset + i));
        }
      } else {
        for (int i = 0; i < n; i++) {
          data.add(f.format(t, offset + i));
        }
      }
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < data.size(); i++) {
        if (i > 0) {
          sb.append(i % perLine == 0 ? ",\n" + " ".repeat(indent + 1) : ", ");
        }
        sb.append(data.get(i));
      }
      return sb.append(']').toString();
    }
    List<String> slices = new ArrayList<>();
    if (summarize && n > 2 * EDGE_ITEMS) {
      for (int i = 0; i < EDGE_ITEMS; i++) {
        slices.add(formatBlock(t, shape, dimStart + 1, offset + i * stride, indent + 1, summarize, f));
      }
      slices.add("...");
      for (int i = n - EDGE_ITEMS; i < n; i++) {
        slices.add(formatBlock(t, shape, dimStart + 1, offset + i * stride, indent + 1, summarize, f));
      }
    } else {
      for (int i = 0; i < n; i++) {
        slices.add(formatBlock(t, shape, dimStart + 1, offset + i * stride, indent + 1, summarize, f));
      }
    }
    String sep = "," + "\n".repeat(rank - 1) + " ".repeat(indent + 1);
    return "[" + String.join(sep, slices) + "]";
  }

  /** The flat indices PyTorch's {@code get_summarized_data} keeps: all, or the edge items of every dim. */
  private static void summarizedIndices(int[] shape, int dim, int offset, boolean summarize, List<Integer> out) {
    if (dim == shape.length) {
      out.add(offset);
      return;
    }
    int n = shape[dim];
    int stride = 1;
    for (int d = dim + 1; d < shape.length; d++) {
      stride *= shape[d];
    }
    for (int i = 0; i < n; i++) {
      if (summarize && n > 2 * EDGE_ITEMS && i >= EDGE_ITEMS && i < n - EDGE_ITEMS) {
        continue;
      }
      summarizedIndices(shape, dim + 1, offset + i * stride, summarize, out);
    }
  }

  /** PyTorch's {@code _Formatter}: decides int mode, scientific mode and the column width. */
  private static final class Formatter {
    final boolean floating;
    boolean intMode = true;
    boolean sciMode = false;
    int maxWidth = 1;

    Formatter(Tensor t, boolean summarize) {
      floating = t.dtype().isFloatingPoint();
      List<Integer> indices = new ArrayList<>();
      summarizedIndices(t.shape(), 0, 0, summarize, indices);
      if (!floating) {
        for (int i : indices) {
          maxWidth = Math.max(maxWidth, plain(t, i).length());
        }
        return;
      }
      List<Double> finite = new ArrayList<>();
      for (int i : indices) {
        double v = t.getDouble(i);
        if (Double.isFinite(v) && v != 0) {
          finite.add(v);
        }
      }
      if (finite.isEmpty()) {
        return;
      }
      double min = Double.POSITIVE_INFINITY;
      double max = 0;
      for (double v : finite) {
        min = Math.min(min, Math.abs(v));
        max = Math.max(max, Math.abs(v));
        if (v != Math.ceil(v)) {
          intMode = false;
        }
      }
      if (intMode) {
        if (max / min > 1000. || max > 1.e8) {
          sciMode = true;
          for (double v : finite) {
            maxWidth = Math.max(maxWidth, sci(v).length());
          }
        } else {
          for (double v : finite) {
            maxWidth = Math.max(maxWidth, fixed(v, 0).length() + 1);
          }
        }
      } else if (max / min > 1000. || max > 1.e8 || min < 1.e-4) {
        sciMode = true;
        for (double v : finite) {
          maxWidth = Math.max(maxWidth, sci(v).length());
        }
      } else {
        for (double v : finite) {
          maxWidth = Math.max(maxWidth, fixed(v, PRECISION).length());
        }
      }
    }

    String format(Tensor t, int i) {
      String ret;
      if (floating) {
        double v = t.getDouble(i);
        if (sciMode) {
          ret = sci(v);
        } else if (intMode) {
          ret = fixed(v, 0);
          if (Double.isFinite(v)) {
            ret += ".";
          }
        } else {
          ret = fixed(v, PRECISION);
        }
      } else {
        ret = plain(t, i);
      }
      return " ".repeat(Math.max(0, maxWidth - ret.length())) + ret;
    }

    private static String plain(Tensor t, int i) {
      if (t.dtype() == DType.BOOL) {
        return t.getLong(i) != 0 ? "True" : "False";
      }
      return t.dtype() == DType.UINT64 ? Long.toUnsignedString(t.getLong(i)) : Long.toString(t.getLong(i));
    }
  }

  /** Python's {@code '{:.Nf}'.format(v)}: exact value, rounded half to even; keeps the sign of -0. */
  static String fixed(double v, int digits) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    boolean negative = v < 0 || (v == 0 && 1 / v < 0);
    String s = new BigDecimal(Math.abs(v)).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
    return negative ? "-" + s : s;
  }

  /** Python's {@code '{:.4e}'.format(v)}: {@code 1.2346e+05}, {@code -3.0000e-07}. */
  static String sci(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    boolean negative = v < 0 || (v == 0 && 1 / v < 0);
    double a = Math.abs(v);
    String mantissa;
    int exponent;
    if (a == 0) {
      mantissa = "0." + "0".repeat(PRECISION);
      exponent = 0;
    } else {
      BigDecimal rounded = new BigDecimal(a).round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN));
      exponent = rounded.precision() - rounded.scale() - 1;
      BigDecimal m = rounded.movePointLeft(exponent).setScale(PRECISION, RoundingMode.HALF_EVEN);
      mantissa = m.toPlainString();
    }
    String exp = String.format("%s%02d", exponent < 0 ? "-" : "+", Math.abs(exponent));
    return (negative ? "-" : "") + mantissa + "e" + exp;
  }
}
