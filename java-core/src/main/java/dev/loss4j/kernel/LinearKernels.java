package dev.loss4j.kernel;

/**
 * The three products of a linear layer {@code z = x W^T + b} over a block of rows, for the fused linear cross
 * entropy: the logits of the rows ({@link #logits}), the input gradient {@code gx = gz W} ({@link #gradInput})
 * and the parameter gradients {@code gW += gz^T x}, {@code gb += sum_rows gz} accumulated across blocks
 * ({@link #accumulateParams}).
 *
 * <p>Shapes: x is (rows, in) starting at row {@code row0} of a larger (N, in) array; W is (C, in); b is (C) or
 * null; z and gz are (rows, C). Each output element is one sum in a fixed order that depends on the shapes only,
 * rounded once to the dtype (or added once to its accumulator), and work is split by output rows or output
 * classes only, so the result does not depend on the thread count.
 *
 * <p>With the Vector API ({@link Vectorization}) the products run as register-tiled kernels: float32 in
 * {@link SimdLinear32} (float fused multiply-adds in runs of at most 128 terms, longer sums adding the runs in
 * double: against PyTorch's MKL results on a 128 x 64 x 50,000 head the differences are the same as with
 * whole-double sums, a few hundredths of assert_close's tolerance), float64 in {@link SimdLinear}. Without it,
 * the {@code scalar*} loops below: each dot product of exact products summed in double.
 */
public final class LinearKernels {
  private LinearKernels() {}

  /** Rows below this take the dot-product logits and the class-split input gradient. */
  static final int FEW_ROWS = 4;
  /** Rows of the input gradient one task computes (W is widened once per group). */
  private static final int GX_GROUP = 32;

  /** {@code z[r, c] = sum_i x[row0 + r, i] W[c, i] + b[c]} for {@code r < rows}. */
  public static void logits(float[] x, int row0, int rows, float[] w, float[] b, int classes, int in, float[] z) {
    if (!Vectorization.ENABLED || rows == 0 || in == 0) {
      scalarLogits(x, row0, rows, w, b, classes, in, z);
      return;
    }
    if (rows < FEW_ROWS) {
      Parallel.sumRows(classes, cost(rows, in), (from, to) -> {
        SimdLinear32.logitsFew(x, row0, rows, w, b, classes, in, z, from, to);
        return 0;
      });
      return;
    }
    int panels = (classes + SimdLinear32.PANEL - 1) / SimdLinear32.PANEL;
    Parallel.sumRows(panels, cost(rows, in * SimdLinear32.PANEL), (from, to) -> {
      SimdLinear32.logits(x, row0, rows, w, b, classes, in, z, from, to);
      return 0;
    });
  }

  /** {@code z[r, c] = sum_i x[row0 + r, i] W[c, i] + b[c]} for {@code r < rows}. */
  public static void logits(double[] x, int row0, int rows, double[] w, double[] b, int classes, int in,
      double[] z) {
    if (!Vectorization.ENABLED || rows == 0 || in == 0) {
      scalarLogits(x, row0, rows, w, b, classes, in, z);
      return;
    }
    int kp = SimdLinear.padded(in);
    double[] xp = SimdLinear.packRows(x, row0, rows, in, kp);
    if (rows < FEW_ROWS) {
      Parallel.sumRows(classes, cost(rows, in), (from, to) -> {
        SimdLinear.logitsFew(xp, rows, kp, w, b, classes, in, z, from, to);
        return 0;
      });
      return;
    }
    int panels = (classes + SimdLinear.PANEL - 1) / SimdLinear.PANEL;
    Parallel.sumRows(panels, cost(rows, in * SimdLinear.PANEL), (from, to) -> {
      SimdLinear.logits(xp, rows, kp, w, b, classes, in, z, from, to);
      return 0;
    });
  }

  /** {@code gx[row0 + r, i] = sum_c gz[r, c] W[c, i]} for {@code r < rows} (overwrites those rows). */
  public static void gradInput(float[] gz, int row0, int rows, float[] w, int classes, int in, float[] gx) {
    if (!Vectorization.ENABLED || rows == 0 || in == 0 || classes == 0) {
      scalarGradInput(gz, row0, rows, w, classes, in, gx);
      return;
    }
    int kp = SimdLinear32.padded(in);
    if (rows < FEW_ROWS) {
      double[] acc = gradInputSplit(rows, classes, in, kp, SimdLinear32.GX_SPLIT,
          (c0, c1, part) -> SimdLinear32.gradInputAcc(gz, 0, rows, w, classes, in, kp, c0, c1, part));
      for (int r = 0; r < rows; r++) {
        for (int i = 0; i < in; i++) {
          gx[(row0 + r) * in + i] = (float) acc[r * kp + i];
        }
      }
      return;
    }
    int groups = (rows + GX_GROUP - 1) / GX_GROUP;
    Parallel.sumRows(groups, cost(GX_GROUP * in, classes), (from, to) -> {
      for (int g = from; g < to; g++) {
        int r0 = g * GX_GROUP;
        int r1 = Math.min(rows, r0 + GX_GROUP);
        double[] acc = new double[(r1 - r0) * kp];
        SimdLinear32.gradInputAcc(gz, r0, r1, w, classes, in, kp, 0, classes, acc);
        for (int r = r0; r < r1; r++) {
          for (int i = 0; i < in; i++) {
            gx[(row0 + r) * in + i] = (float) acc[(r - r0) * kp + i];
          }
        }
      }
      return 0;
    });
  }

  /** {@code gx[row0 + r, i] = sum_c gz[r, c] W[c, i]} for {@code r < rows} (overwrites those rows). */
  public static void gradInput(double[] gz, int row0, int rows, double[] w, int classes, int in, double[] gx) {
    if (!Vectorization.ENABLED || rows == 0 || in == 0 || classes == 0) {
      scalarGradInput(gz, row0, rows, w, classes, in, gx);
      return;
    }
    int kp = SimdLinear.padded(in);
    if (rows < FEW_ROWS) {
      double[] acc = gradInputSplit(rows, classes, in, kp, SimdLinear.GX_SPLIT,
          (c0, c1, part) -> SimdLinear.gradInputAcc(gz, 0, rows, w, classes, in, kp, c0, c1, part));
      for (int r = 0; r < rows; r++) {
        System.arraycopy(acc, r * kp, gx, (row0 + r) * in, in);
      }
      return;
    }
    int groups = (rows + GX_GROUP - 1) / GX_GROUP;
    Parallel.sumRows(groups, cost(GX_GROUP * in, classes), (from, to) -> {
      for (int g = from; g < to; g++) {
        int r0 = g * GX_GROUP;
        int r1 = Math.min(rows, r0 + GX_GROUP);
        double[] acc = new double[(r1 - r0) * kp];
        SimdLinear.gradInputAcc(gz, r0, r1, w, classes, in, kp, 0, classes, acc);
        for (int r = r0; r < r1; r++) {
          System.arraycopy(acc, (r - r0) * kp, gx, (row0 + r) * in, in);
        }
      }
      return 0;
    });
  }

  /** Sums over classes {@code [c0, c1)} into {@code part} (rows, kp), which starts at zero. */
  @FunctionalInterface
  private interface ClassRange {
    void apply(int c0, int c1, double[] part);
  }

  /**
   * The input gradient of few rows, split over fixed blocks of {@link SimdLinear#GX_SPLIT} classes so that all
   * threads share the long sum: each block's partial sums, then the blocks added in block order.
   */
  private static double[] gradInputSplit(int rows, int classes, int in, int kp, int split, ClassRange body) {
    int blocks = (classes + split - 1) / split;
    double[][] parts = new double[blocks][];
    Parallel.sumRows(blocks, cost(split * rows, in), (from, to) -> {
      for (int k = from; k < to; k++) {
        parts[k] = new double[rows * kp];
        body.apply(k * split, Math.min(classes, (k + 1) * split), parts[k]);
      }
      return 0;
    });
    double[] acc = parts[0];
    for (int k = 1; k < blocks; k++) {
      double[] p = parts[k];
      for (int i = 0; i < acc.length; i++) {
        acc[i] += p[i];
      }
    }
    return acc;
  }

  /**
   * {@code gw[c, i] += sum_r gz[r, c] x[row0 + r, i]} (when gw is not null) and {@code gb[c] += sum_r gz[r, c]}
   * (when gb is not null): each class's sums over this block's rows in double, added once to the accumulators.
   */
  public static void accumulateParams(float[] gz, float[] x, int row0, int rows, int classes, int in, float[] gw,
      float[] gb) {
    if (!Vectorization.ENABLED || rows == 0 || (gw == null && gb == null)) {
      scalarAccumulateParams(gz, x, row0, rows, classes, in, gw, gb);
      return;
    }
    int blocks = (classes + PARAM_CLASSES - 1) / PARAM_CLASSES;
    if (rows < FEW_ROWS) {
      Parallel.sumRows(blocks, cost(PARAM_CLASSES * rows, Math.max(1, in)), (from, to) -> {
        SimdLinear32.paramsFew(gz, x, row0, rows, classes, in, gw, gb, from * PARAM_CLASSES,
            Math.min(classes, to * PARAM_CLASSES));
        return 0;
      });
      return;
    }
    Parallel.sumRows(blocks, cost(PARAM_CLASSES * rows, Math.max(1, in)), (from, to) -> {
      SimdLinear32.params(gz, x, row0, rows, classes, in, gw, gb, from * PARAM_CLASSES,
          Math.min(classes, to * PARAM_CLASSES));
      return 0;
    });
  }

  /**
   * {@code gw[c, i] += sum_r gz[r, c] x[row0 + r, i]} (when gw is not null) and {@code gb[c] += sum_r gz[r, c]}
   * (when gb is not null): each class's sums over this block's rows, added once to the accumulators.
   */
  public static void accumulateParams(double[] gz, double[] x, int row0, int rows, int classes, int in, double[] gw,
      double[] gb) {
    if (!Vectorization.ENABLED || rows == 0 || (gw == null && gb == null)) {
      scalarAccumulateParams(gz, x, row0, rows, classes, in, gw, gb);
      return;
    }
    int kp = SimdLinear.padded(in);
    double[] xp = SimdLinear.packRows(x, row0, rows, in, kp);
    int blocks = (classes + PARAM_CLASSES - 1) / PARAM_CLASSES;
    Parallel.sumRows(blocks, cost(PARAM_CLASSES * rows, Math.max(1, in)), (from, to) -> {
      SimdLinear.params(gz, xp, rows, kp, classes, in, gw, gb, from * PARAM_CLASSES,
          Math.min(classes, to * PARAM_CLASSES));
      return 0;
    });
  }

  /** Classes per unit of the parameter gradients' work. */
  private static final int PARAM_CLASSES = 64;

  /** {@code z[r, c] = sum_i x[row0 + r, i] W[c, i] + b[c]} for {@code r < rows}. */
  static void scalarLogits(float[] x, int row0, int rows, float[] w, float[] b, int classes, int in, float[] z) {
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
  static void scalarLogits(double[] x, int row0, int rows, double[] w, double[] b, int classes, int in,
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
  static void scalarGradInput(float[] gz, int row0, int rows, float[] w, int classes, int in, float[] gx) {
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
  static void scalarGradInput(double[] gz, int row0, int rows, double[] w, int classes, int in, double[] gx) {
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
  static void scalarAccumulateParams(float[] gz, float[] x, int row0, int rows, int classes, int in, float[] gw,
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
  static void scalarAccumulateParams(double[] gz, double[] x, int row0, int rows, int classes, int in, double[] gw,
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
