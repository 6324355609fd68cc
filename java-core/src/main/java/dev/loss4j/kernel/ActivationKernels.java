package dev.loss4j.kernel;

/**
 * Element-wise activations over flat arrays, per dtype: {@code torch.sigmoid} forward, {@code y = 1 / (1 +
 * e^-x)}, and its backward, {@code gx = g (1 - y) y} ({@code SigmoidBackward0}).
 *
 * <p>float32 computes as PyTorch's vectorised float kernel, {@code 1 / (1 + expf(-x))} in float with SLEEF's
 * expf ({@link SleefFloat}, within an ulp), and the backward {@code g (1 - y) y} in float; float64 computes in
 * double with {@link SimdMath#exp} (about one ulp). The lanes ({@link SimdActivation}) and their scalar twins
 * are the same bits, and every element depends on its own input only, so any split into {@link Parallel}
 * blocks gives the same bits at every thread count. The arrays must have the same length; none is written but
 * the output.
 */
public final class ActivationKernels {
  private ActivationKernels() {}

  /** Elements per inner chunk of the float64 path: its scratch stays in L1 between the passes over a chunk. */
  static final int CHUNK = 1024;

  /** {@code y[i] = sigmoid(x[i])} over float32, x and y of equal length. */
  public static void sigmoid(float[] x, float[] y) {
    Parallel.forEach(x.length, (from, to) -> sigmoidBlock(x, y, from, to, Vectorization.ENABLED));
  }

  /** {@code y[i] = sigmoid(x[i])} over float64. */
  public static void sigmoid(double[] x, double[] y) {
    Parallel.forEach(x.length, (from, to) -> sigmoidBlock(x, y, from, to, Vectorization.ENABLED));
  }

  /** {@code gx[i] = g[i] (1 - y[i]) y[i]} over float32, y the forward's output. */
  public static void sigmoidBackward(float[] g, float[] y, float[] gx) {
    Parallel.forEach(y.length, (from, to) -> sigmoidBackwardBlock(g, y, gx, from, to, Vectorization.ENABLED));
  }

  /** {@code gx[i] = g[i] (1 - y[i]) y[i]} over float64. */
  public static void sigmoidBackward(double[] g, double[] y, double[] gx) {
    Parallel.forEach(y.length, (from, to) -> sigmoidBackwardBlock(g, y, gx, from, to, Vectorization.ENABLED));
  }

  /**
   * One block in float arithmetic, as PyTorch's vectorised float kernel: {@code 1 / (1 + expf(-x))} with SLEEF's
   * expf (the same bits with or without lanes). expf is +inf above 100 and 0 below -104, giving 0 and 1; NaN
   * stays NaN.
   */
  static void sigmoidBlock(float[] x, float[] y, int from, int to, boolean simd) {
    int i = simd ? SimdActivation.sigmoid(x, y, from, to) : from;
    for (; i < to; i++) {
      y[i] = 1.0f / (1.0f + SleefFloat.expf(-x[i]));
    }
  }

  /** {@link #sigmoidBlock(float[], float[], int, int, boolean)} in float64, e^-x from {@link SimdMath#exp}. */
  static void sigmoidBlock(double[] x, double[] y, int from, int to, boolean simd) {
    double[] e = new double[Math.min(CHUNK, to - from)];
    for (int c = from; c < to; c += CHUNK) {
      int len = Math.min(CHUNK, to - c);
      for (int k = 0; k < len; k++) {
        e[k] = -x[c + k];
      }
      SimdMath.expSum(e, 0, e, len, 0.0, simd);
      for (int k = 0; k < len; k++) {
        y[c + k] = 1.0 / (1.0 + e[k]);
      }
    }
  }

  /** {@code gx = g (1 - y) y}, float32 in float left to right as ATen's kernel, float64 in double. */
  static void sigmoidBackwardBlock(float[] g, float[] y, float[] gx, int from, int to, boolean simd) {
    int i = simd ? SimdActivation.sigmoidBackward(g, y, gx, from, to) : from;
    for (; i < to; i++) {
      gx[i] = g[i] * (1.0f - y[i]) * y[i];
    }
  }

  static void sigmoidBackwardBlock(double[] g, double[] y, double[] gx, int from, int to, boolean simd) {
    int i = simd ? SimdActivation.sigmoidBackward(g, y, gx, from, to) : from;
    for (; i < to; i++) {
      gx[i] = g[i] * (1.0 - y[i]) * y[i];
    }
  }
}
