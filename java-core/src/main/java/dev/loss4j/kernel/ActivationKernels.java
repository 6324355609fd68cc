package dev.loss4j.kernel;

/**
 * Element-wise activations over flat arrays, per dtype: {@code torch.sigmoid} forward, {@code y = 1 / (1 +
 * e^-x)}, and its backward, {@code gx = g (1 - y) y} ({@code SigmoidBackward0}).
 *
 * <p>float32 computes as PyTorch's float kernel, {@code 1 / (1 + expf(-x))} in float with SLEEF's expf
 * ({@link SleefFloat}) in ATen's vector loop and glibc's ({@link GlibcFloat}) in its scalar tail, and the
 * backward {@code g (1 - y) y} in float; float64 computes in double with {@link SimdMath#exp} (about one ulp),
 * in one pass. The lanes ({@link SimdActivation}) and their scalar twins are the same bits, and every element depends on its own input only, so any split into {@link Parallel}
 * blocks gives the same bits at every thread count. The arrays must have the same length; none is written but
 * the output.
 */
public final class ActivationKernels {
  private ActivationKernels() {}

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
   * One block in float arithmetic, as PyTorch's float kernel over the whole array: see {@link #sigmoidAten}.
   * expf is +inf above 100 and 0 below -104, giving 0 and 1; NaN stays NaN.
   */
  static void sigmoidBlock(float[] x, float[] y, int from, int to, boolean simd) {
    sigmoidAten(x, from, to - from, x.length, y, from, simd);
  }

  /** Elements of a contiguous float32 tensor of n elements that ATen's element-wise vector loop covers. */
  static int atenVectorEnd(int n) {
    return n - n % ATEN_STEP;
  }

  /** Elements per step of ATen's AVX2 vector loop: two 8-float vectors. */
  private static final int ATEN_STEP = 16;

  /**
   * {@code y[yo + k] = sigmoid(x[from + k])} for k in {@code [0, len)}, bit for bit as PyTorch's AVX2 float32
   * sigmoid computes element {@code from + k} of a contiguous tensor of {@code n} elements: {@code 1 / (1 +
   * expf(-x))} in float, with SLEEF's expf in its vector loop (whole steps of 16 elements from the start, the
   * first {@code n - n % 16}) and glibc's expf in its scalar loop for the rest. The lanes and their scalar
   * twins are the same bits, so any split into blocks gives the same result.
   */
  public static void sigmoidAten(float[] x, int from, int len, int n, float[] y, int yo, boolean simd) {
    int sleef = Math.max(0, Math.min(len, atenVectorEnd(n) - from));
    int k = simd ? SimdActivation.sigmoid(x, from, y, yo, sleef) : 0;
    for (; k < sleef; k++) {
      y[yo + k] = 1.0f / (1.0f + SleefFloat.expf(-x[from + k]));
    }
    for (; k < len; k++) {
      y[yo + k] = 1.0f / (1.0f + GlibcFloat.expf(-x[from + k]));
    }
  }

  /**
   * {@link #sigmoidBlock(float[], float[], int, int, boolean)} in float64, {@code 1 / (1 + e^-x)} with e^-x from
   * {@link SimdMath#exp}, lanes ({@link SimdActivation}) and scalar tail in one pass.
   */
  static void sigmoidBlock(double[] x, double[] y, int from, int to, boolean simd) {
    int i = simd ? SimdActivation.sigmoid(x, y, from, to) : from;
    for (; i < to; i++) {
      y[i] = 1.0 / (1.0 + SimdMath.exp(-x[i]));
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
