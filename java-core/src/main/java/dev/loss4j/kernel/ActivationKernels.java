package dev.loss4j.kernel;

/**
 * Element-wise activations over flat arrays, per dtype: {@code torch.sigmoid} forward, {@code y = 1 / (1 +
 * e^-x)}, and its backward, {@code gx = g (1 - y) y} ({@code SigmoidBackward0}).
 *
 * <p>Each element is computed in double and rounded once to the array's dtype. float32 takes e^-x from
 * {@link SimdMath#exp32} (relative error below 3e-9, far under a float32 ulp), float64 from
 * {@link SimdMath#exp} (about one ulp). Their lanes and scalar twins are the same bits, so the SIMD path
 * ({@link SimdActivation}) and the scalar one give the same outputs, and since every element depends on its
 * own input only, so does any split into {@link Parallel} blocks: results are the same bits at every
 * thread count. The arrays must have the same length; none is written but the output.
 */
public final class ActivationKernels {
  private ActivationKernels() {}

  /** Elements per inner chunk: scratch of this size stays in L1 between the passes over a chunk. */
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
   * One block in chunks: the negated inputs, their exponentials through SimdMath's array form (the same bits
   * with or without lanes), then {@code 1 / (1 + e)} rounded to float32. exp32 saturates to +inf above 709,
   * giving 0, and NaN stays NaN.
   */
  static void sigmoidBlock(float[] x, float[] y, int from, int to, boolean simd) {
    float[] neg = new float[Math.min(CHUNK, to - from)];
    double[] e = new double[neg.length];
    for (int c = from; c < to; c += CHUNK) {
      int len = Math.min(CHUNK, to - c);
      for (int k = 0; k < len; k++) {
        neg[k] = -x[c + k];
      }
      SimdMath.exp32Sum(neg, 0, e, len, 0.0, simd);
      int k = simd ? SimdActivation.reciprocalOnePlus(e, y, c, len) : 0;
      for (; k < len; k++) {
        y[c + k] = (float) (1.0 / (1.0 + e[k]));
      }
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

  static void sigmoidBackwardBlock(float[] g, float[] y, float[] gx, int from, int to, boolean simd) {
    int i = simd ? SimdActivation.sigmoidBackward(g, y, gx, from, to) : from;
    for (; i < to; i++) {
      double v = y[i];
      gx[i] = (float) (g[i] * (1.0 - v) * v);
    }
  }

  static void sigmoidBackwardBlock(double[] g, double[] y, double[] gx, int from, int to, boolean simd) {
    for (int i = from; i < to; i++) {
      double v = y[i];
      gx[i] = g[i] * (1.0 - v) * v;
    }
  }
}
