package dev.loss4j.kernel;

/**
 * {@code F.cosine_similarity(x1, x2, dim, eps)} over same-shape inputs, fused per line of the reduced
 * dimension. A tensor of shape {@code (outer, size, inner)} (dims before, at and after {@code dim}) has
 * {@code outer * inner} lines; line {@code l} starts at {@code (l / inner) * size * inner + l % inner} with
 * stride {@code inner}. For each line, with {@code n1 = sqrt(max(sum a^2, eps^2))} and {@code n2} alike,
 *
 * <pre>
 *   out = sum(a b) / (n1 n2)
 *   d out / d a_k = (b_k / n2 - out a_k / n1) / n1,   d out / d b_k = (a_k / n1 - out b_k / n2) / n2
 * </pre>
 *
 * which is the gradient of {@code sum((a / n1) (b / n2))} with the clamp invisible to autograd, as PyTorch's
 * composition records it. A zero gradient is +0, as PyTorch's sum of the two paths (through a and its norm)
 * gives it. The three sums run in double, in four interleaved partial sums added in a fixed
 * order; everything is computed in double and rounded once to the output dtype. A line is computed by one
 * thread, so results are the same bits at any thread count.
 */
public final class DistanceKernels {
  private DistanceKernels() {}

  /**
   * Forward over float32: {@code out[l]} for every line; when {@code stats} is not null it receives
   * {@code (1 / n1, 1 / n2, out)} per line in double, what {@link #cosineSimilarityBackward} needs.
   */
  public static void cosineSimilarity(float[] a, float[] b, int outer, int size, int inner, double eps, float[] out,
                                      double[] stats) {
    int lines = outer * inner;
    Parallel.sumRows(lines, size, (from, to) -> {
      double[] s = new double[3];
      for (int l = from; l < to; l++) {
        int base = (l / inner) * size * inner + l % inner;
        if (inner == 1) {
          sums(a, b, base, size, s);
        } else {
          sums(a, b, base, size, inner, s);
        }
        out[l] = (float) finish(s, eps, stats, l);
      }
      return 0;
    });
  }

  /** Forward over float64, as {@link #cosineSimilarity(float[], float[], int, int, int, double, float[], double[])}. */
  public static void cosineSimilarity(double[] a, double[] b, int outer, int size, int inner, double eps,
                                      double[] out, double[] stats) {
    int lines = outer * inner;
    Parallel.sumRows(lines, size, (from, to) -> {
      double[] s = new double[3];
      for (int l = from; l < to; l++) {
        int base = (l / inner) * size * inner + l % inner;
        if (inner == 1) {
          sums(a, b, base, size, s);
        } else {
          sums(a, b, base, size, inner, s);
        }
        out[l] = finish(s, eps, stats, l);
      }
      return 0;
    });
  }

  /**
   * Backward over float32: {@code ga} and {@code gb} (either may be null) from the output gradient {@code g}
   * (one per line) and the forward's {@code stats}.
   */
  public static void cosineSimilarityBackward(float[] a, float[] b, int outer, int size, int inner, float[] g,
                                              double[] stats, float[] ga, float[] gb) {
    int lines = outer * inner;
    Parallel.sumRows(lines, size, (from, to) -> {
      for (int l = from; l < to; l++) {
        int base = (l / inner) * size * inner + l % inner;
        double i1 = stats[3 * l];
        double i2 = stats[3 * l + 1];
        double c = stats[3 * l + 2];
        double g1 = g[l] * i1;
        double g2 = g[l] * i2;
        for (int k = 0, i = base; k < size; k++, i += inner) {
          double u = a[i] * i1;
          double v = b[i] * i2;
          if (ga != null) {
            ga[i] = (float) (g1 * (v - c * u) + 0.0);
          }
          if (gb != null) {
            gb[i] = (float) (g2 * (u - c * v) + 0.0);
          }
        }
      }
      return 0;
    });
  }

  /** Backward over float64, as {@link #cosineSimilarityBackward(float[], float[], int, int, int, float[], double[], float[], float[])}. */
  public static void cosineSimilarityBackward(double[] a, double[] b, int outer, int size, int inner, double[] g,
                                              double[] stats, double[] ga, double[] gb) {
    int lines = outer * inner;
    Parallel.sumRows(lines, size, (from, to) -> {
      for (int l = from; l < to; l++) {
        int base = (l / inner) * size * inner + l % inner;
        double i1 = stats[3 * l];
        double i2 = stats[3 * l + 1];
        double c = stats[3 * l + 2];
        double g1 = g[l] * i1;
        double g2 = g[l] * i2;
        for (int k = 0, i = base; k < size; k++, i += inner) {
          double u = a[i] * i1;
          double v = b[i] * i2;
          if (ga != null) {
            ga[i] = g1 * (v - c * u) + 0.0;
          }
          if (gb != null) {
            gb[i] = g2 * (u - c * v) + 0.0;
          }
        }
      }
      return 0;
    });
  }

  /** {@code out} from the sums {@code (sum a^2, sum b^2, sum ab)}, recording {@code (1/n1, 1/n2, out)}. */
  private static double finish(double[] s, double eps, double[] stats, int l) {
    double floor = eps * eps;
    double n1 = Math.sqrt(Double.isNaN(s[0]) ? s[0] : Math.max(s[0], floor));
    double n2 = Math.sqrt(Double.isNaN(s[1]) ? s[1] : Math.max(s[1], floor));
    double i1 = 1 / n1;
    double i2 = 1 / n2;
    double c = s[2] * i1 * i2;
    if (stats != null) {
      stats[3 * l] = i1;
      stats[3 * l + 1] = i2;
      stats[3 * l + 2] = c;
    }
    return c;
  }

  // The sums of one line: four interleaved partial sums (independent chains the CPU overlaps), then added as
  // (p0 + p1) + (p2 + p3) and the tail in order; the same order on every path.

  private static void sums(float[] a, float[] b, int base, int size, double[] s) {
    double aa0 = 0, aa1 = 0, aa2 = 0, aa3 = 0;
    double bb0 = 0, bb1 = 0, bb2 = 0, bb3 = 0;
    double ab0 = 0, ab1 = 0, ab2 = 0, ab3 = 0;
    int k = 0;
    for (int end = size - 3; k < end; k += 4) {
      int i = base + k;
      double x0 = a[i], x1 = a[i + 1], x2 = a[i + 2], x3 = a[i + 3];
      double y0 = b[i], y1 = b[i + 1], y2 = b[i + 2], y3 = b[i + 3];
      aa0 += x0 * x0; aa1 += x1 * x1; aa2 += x2 * x2; aa3 += x3 * x3;
      bb0 += y0 * y0; bb1 += y1 * y1; bb2 += y2 * y2; bb3 += y3 * y3;
      ab0 += x0 * y0; ab1 += x1 * y1; ab2 += x2 * y2; ab3 += x3 * y3;
    }
    double aa = (aa0 + aa1) + (aa2 + aa3);
    double bb = (bb0 + bb1) + (bb2 + bb3);
    double ab = (ab0 + ab1) + (ab2 + ab3);
    for (; k < size; k++) {
      double x = a[base + k];
      double y = b[base + k];
      aa += x * x;
      bb += y * y;
      ab += x * y;
    }
    s[0] = aa;
    s[1] = bb;
    s[2] = ab;
  }

  private static void sums(double[] a, double[] b, int base, int size, double[] s) {
    double aa0 = 0, aa1 = 0, aa2 = 0, aa3 = 0;
    double bb0 = 0, bb1 = 0, bb2 = 0, bb3 = 0;
    double ab0 = 0, ab1 = 0, ab2 = 0, ab3 = 0;
    int k = 0;
    for (int end = size - 3; k < end; k += 4) {
      int i = base + k;
      double x0 = a[i], x1 = a[i + 1], x2 = a[i + 2], x3 = a[i + 3];
      double y0 = b[i], y1 = b[i + 1], y2 = b[i + 2], y3 = b[i + 3];
      aa0 += x0 * x0; aa1 += x1 * x1; aa2 += x2 * x2; aa3 += x3 * x3;
      bb0 += y0 * y0; bb1 += y1 * y1; bb2 += y2 * y2; bb3 += y3 * y3;
      ab0 += x0 * y0; ab1 += x1 * y1; ab2 += x2 * y2; ab3 += x3 * y3;
    }
    double aa = (aa0 + aa1) + (aa2 + aa3);
    double bb = (bb0 + bb1) + (bb2 + bb3);
    double ab = (ab0 + ab1) + (ab2 + ab3);
    for (; k < size; k++) {
      double x = a[base + k];
      double y = b[base + k];
      aa += x * x;
      bb += y * y;
      ab += x * y;
    }
    s[0] = aa;
    s[1] = bb;
    s[2] = ab;
  }

  /** The sums of a strided line (inner > 1), in index order. */
  private static void sums(float[] a, float[] b, int base, int size, int inner, double[] s) {
    double aa = 0, bb = 0, ab = 0;
    for (int k = 0, i = base; k < size; k++, i += inner) {
      double x = a[i];
      double y = b[i];
      aa += x * x;
      bb += y * y;
      ab += x * y;
    }
    s[0] = aa;
    s[1] = bb;
    s[2] = ab;
  }

  private static void sums(double[] a, double[] b, int base, int size, int inner, double[] s) {
    double aa = 0, bb = 0, ab = 0;
    for (int k = 0, i = base; k < size; k++, i += inner) {
      double x = a[i];
      double y = b[i];
      aa += x * x;
      bb += y * y;
      ab += x * y;
    }
    s[0] = aa;
    s[1] = bb;
    s[2] = ab;
  }
}
