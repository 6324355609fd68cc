package dev.loss4j.kernel;

/**
 * The three products of a linear layer {@code z = x W^T + b} over a block of rows, for the fused linear cross
 * entropy: the logits of the rows ({@link #logits}), the input gradient {@code gx = gz W} ({@link #gradInput})
 * and the parameter gradients {@code gW += gz^T x}, {@code gb += sum_rows gz} accumulated across blocks
 * ({@link #accumulateParams}).
 *
 * <p>Shapes: x is (rows, in) starting at row {@code row0} of a larger (N, in) array; W is (C, in); b is (C) or
 * null; z and gz are (rows, C). Each output element is one dot product accumulated in double in a fixed order
 * and rounded once (added once to its accumulator), and work is split by output rows or output classes only,
 * so the result does not depend on the thread count.
 */
public final class LinearKernels {
  private LinearKernels() {}

  /** {@code z[r, c] = sum_i x[row0 + r, i] W[c, i] + b[c]} for {@code r < rows}. */
  public static void logits(float[] x, int row0, int rows, float[] w, float[] b, int classes, int in, float[] z) {
    Parallel.sumRows(classes, cost(rows, in), (from, to) -> {
      for (int c = from; c < to; c++) {
        int wo = c * in;
        double bias = b == null ? 0 : b[c];
        for (int r = 0; r < rows; r++) {
          int xo = (row0 + r) * in;
          double s = 0;
          for (int i = 0; i < in; i++) {
            s += (double) x[xo + i] * w[wo + i];
          }
          z[r * classes + c] = (float) (s + bias);
        }
      }
      return 0;
    });
  }

  /** {@code z[r, c] = sum_i x[row0 + r, i] W[c, i] + b[c]} for {@code r < rows}. */
  public static void logits(double[] x, int row0, int rows, double[] w, double[] b, int classes, int in,
      double[] z) {
    Parallel.sumRows(classes, cost(rows, in), (from, to) -> {
      for (int c = from; c < to; c++) {
        int wo = c * in;
        double bias = b == null ? 0 : b[c];
        for (int r = 0; r < rows; r++) {
          int xo = (row0 + r) * in;
          double s = 0;
          for (int i = 0; i < in; i++) {
            s += x[xo + i] * w[wo + i];
          }
          z[r * classes + c] = s + bias;
        }
      }
      return 0;
    });
  }

  /** {@code gx[row0 + r, i] = sum_c gz[r, c] W[c, i]} for {@code r < rows} (overwrites those rows). */
  public static void gradInput(float[] gz, int row0, int rows, float[] w, int classes, int in, float[] gx) {
    Parallel.sumRows(rows, cost(classes, in), (from, to) -> {
      double[] acc = new double[in];
      for (int r = from; r < to; r++) {
        java.util.Arrays.fill(acc, 0);
        int zo = r * classes;
        for (int c = 0; c < classes; c++) {
          double g = gz[zo + c];
          int wo = c * in;
          for (int i = 0; i < in; i++) {
            acc[i] += g * w[wo + i];
          }
        }
        int xo = (row0 + r) * in;
        for (int i = 0; i < in; i++) {
          gx[xo + i] = (float) acc[i];
        }
      }
      return 0;
    });
  }

  /** {@code gx[row0 + r, i] = sum_c gz[r, c] W[c, i]} for {@code r < rows} (overwrites those rows). */
  public static void gradInput(double[] gz, int row0, int rows, double[] w, int classes, int in, double[] gx) {
    Parallel.sumRows(rows, cost(classes, in), (from, to) -> {
      double[] acc = new double[in];
      for (int r = from; r < to; r++) {
        java.util.Arrays.fill(acc, 0);
        int zo = r * classes;
        for (int c = 0; c < classes; c++) {
          double g = gz[zo + c];
          int wo = c * in;
          for (int i = 0; i < in; i++) {
            acc[i] += g * w[wo + i];
          }
        }
        System.arraycopy(acc, 0, gx, (row0 + r) * in, in);
      }
      return 0;
    });
  }

  /**
   * {@code gw[c, i] += sum_r gz[r, c] x[row0 + r, i]} (when gw is not null) and {@code gb[c] += sum_r gz[r, c]}
   * (when gb is not null): each class's sums over this block's rows in double, added once to the accumulators.
   */
  public static void accumulateParams(float[] gz, float[] x, int row0, int rows, int classes, int in, float[] gw,
      float[] gb) {
    Parallel.sumRows(classes, cost(rows, in), (from, to) -> {
      for (int c = from; c < to; c++) {
        if (gw != null) {
          int wo = c * in;
          for (int i = 0; i < in; i++) {
            double s = 0;
            for (int r = 0; r < rows; r++) {
              s += (double) gz[r * classes + c] * x[(row0 + r) * in + i];
            }
            gw[wo + i] = (float) (gw[wo + i] + s);
          }
        }
        if (gb != null) {
          double s = 0;
          for (int r = 0; r < rows; r++) {
            s += gz[r * classes + c];
          }
          gb[c] = (float) (gb[c] + s);
        }
      }
      return 0;
    });
  }

  /**
   * {@code gw[c, i] += sum_r gz[r, c] x[row0 + r, i]} (when gw is not null) and {@code gb[c] += sum_r gz[r, c]}
   * (when gb is not null): each class's sums over this block's rows, added once to the accumulators.
   */
  public static void accumulateParams(double[] gz, double[] x, int row0, int rows, int classes, int in, double[] gw,
      double[] gb) {
    Parallel.sumRows(classes, cost(rows, in), (from, to) -> {
      for (int c = from; c < to; c++) {
        if (gw != null) {
          int wo = c * in;
          for (int i = 0; i < in; i++) {
            double s = 0;
            for (int r = 0; r < rows; r++) {
              s += (double) gz[r * classes + c] * x[(row0 + r) * in + i];
            }
            gw[wo + i] = gw[wo + i] + s;
          }
        }
        if (gb != null) {
          double s = 0;
          for (int r = 0; r < rows; r++) {
            s += gz[r * classes + c];
          }
          gb[c] = gb[c] + s;
        }
      }
      return 0;
    });
  }

  /** The elements a row of work touches, capped to an int. */
  private static int cost(int a, int b) {
    return (int) Math.min(Integer.MAX_VALUE, (long) a * b);
  }
}
