package dev.loss4j.kernel;

import static dev.loss4j.kernel.BinaryKernelsTest.compare32;
import static dev.loss4j.kernel.BinaryKernelsTest.compare64;
import static dev.loss4j.kernel.BinaryKernelsTest.data;
import static dev.loss4j.kernel.BinaryKernelsTest.floats;

import org.junit.jupiter.api.Test;

/**
 * The probabilistic losses' SIMD loops against their scalar loops on the same data, NaN, infinities, zeros and
 * overflowing values included: every loss and gradient element is the same bits, sums agree to double
 * rounding. Runs in the surefire execution that adds jdk.incubator.vector; skipped in the other.
 */
class ProbabilisticKernelsTest {
  private static final boolean[] BOTH = {false, true};

  @Test
  void klDiv() {
    double[] x = data(1, -5, 0, true);
    double[] y = data(2, 0, 1, true);
    float[] xf = floats(x);
    float[] yf = floats(y);
    for (boolean logTarget : BOTH) {
      compare32((e, g1, g2, f, t) -> ProbabilisticKernels.klDivBlock(xf, yf, logTarget, e, g1, g2, 0.5, true, f, t),
          (e, g1, g2, f, t) -> ProbabilisticKernels.klDivBlock(xf, yf, logTarget, e, g1, g2, 0.5, false, f, t));
      compare64((e, g1, g2, f, t) -> SimdProbabilistic.klDivBlock(x, y, logTarget, e, g1, g2, 0.5, f, t),
          (e, g1, g2, f, t) -> ProbabilisticKernels.klDivBlock(x, y, logTarget, e, g1, g2, 0.5, f, t));
    }
  }

  @Test
  void gaussianNll() {
    double[] x = data(3, -3, 3, true);
    double[] y = data(4, -3, 3, true);
    double[] v = data(5, 0, 2, false);
    v[20] = Double.NaN;
    v[21] = Double.POSITIVE_INFINITY;
    v[22] = 0;
    x[30] = 3e38;
    y[30] = -3e38;
    x[31] = 2e19;
    float[] xf = floats(x);
    float[] yf = floats(y);
    float[] vf = floats(v);
    for (boolean full : BOTH) {
      // The third output slot takes var's gradient; the target's is the input's negated.
      compare32((e, g1, g2, f, t) -> ProbabilisticKernels.gaussianNllBlock(xf, yf, vf, 1e-6f, full, e, g1, null, g2,
              0.5, true, f, t),
          (e, g1, g2, f, t) -> ProbabilisticKernels.gaussianNllBlock(xf, yf, vf, 1e-6f, full, e, g1, null, g2, 0.5,
              false, f, t));
      compare64((e, g1, g2, f, t) -> SimdProbabilistic.gaussianNllBlock(x, y, v, 1e-6, full, e, g1, g2, null, 0.5,
              f, t),
          (e, g1, g2, f, t) -> ProbabilisticKernels.gaussianNllBlock(x, y, v, 1e-6, full, e, g1, g2, null, 0.5, f, t));
      compare64((e, g1, g2, f, t) -> SimdProbabilistic.gaussianNllBlock(x, y, v, 1e-6, full, e, null, g1, g2, 0.5,
              f, t),
          (e, g1, g2, f, t) -> ProbabilisticKernels.gaussianNllBlock(x, y, v, 1e-6, full, e, null, g1, g2, 0.5, f, t));
    }
  }

  @Test
  void poissonNll() {
    double[] x = data(6, -3, 3, true);
    double[] y = data(7, -1, 5, true);
    float[] xf = floats(x);
    float[] yf = floats(y);
    for (boolean logInput : BOTH) {
      for (boolean full : BOTH) {
        compare32((e, g1, g2, f, t) -> ProbabilisticKernels.poissonNllBlock(xf, yf, logInput, full, 1e-8, e, g1, g2,
                0.5, true, f, t),
            (e, g1, g2, f, t) -> ProbabilisticKernels.poissonNllBlock(xf, yf, logInput, full, 1e-8, e, g1, g2, 0.5,
                false, f, t));
        compare64((e, g1, g2, f, t) -> SimdProbabilistic.poissonNllBlock(x, y, logInput, full, 1e-8, e, g1, g2,
                0.5, f, t),
            (e, g1, g2, f, t) -> ProbabilisticKernels.poissonNllBlock(x, y, logInput, full, 1e-8, e, g1, g2, 0.5,
                f, t));
      }
    }
  }
}
