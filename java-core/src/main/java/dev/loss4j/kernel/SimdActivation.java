package dev.loss4j.kernel;

import static dev.loss4j.kernel.SimdSpecies.D;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API loops of {@link ActivationKernels} that C2 does not vectorise by itself. Same arithmetic as
 * the scalar loops, lane by lane, so the same bits; each returns
 * where it stopped, and the caller's scalar loop finishes the tail.
 */
final class SimdActivation {
  private SimdActivation() {}

  private static final VectorSpecies<Float> F = SimdSleefFloat.F;
  private static final DoubleVector ONE = DoubleVector.broadcast(D, 1.0);
  private static final FloatVector ONE_F = FloatVector.broadcast(F, 1.0f);

  /**
   * {@code y[yo + k] = 1 / (1 + expf(-x[xo + k]))} in float over whole vectors of {@code k in [0, len)}; returns
   * where it stopped.
   */
  static int sigmoid(float[] x, int xo, float[] y, int yo, int len) {
    int k = 0;
    for (int end = len - F.length(); k <= end; k += F.length()) {
      FloatVector e = SimdSleefFloat.expf(FloatVector.fromArray(F, x, xo + k).neg());
      ONE_F.div(e.add(ONE_F)).intoArray(y, yo + k);
    }
    return k;
  }

  /** {@code gx = g (1 - y) y} in float, left to right, over whole vectors of {@code [from, to)}. */
  static int sigmoidBackward(float[] g, float[] y, float[] gx, int from, int to) {
    int i = from;
    for (int end = to - F.length(); i <= end; i += F.length()) {
      FloatVector v = FloatVector.fromArray(F, y, i);
      FloatVector.fromArray(F, g, i).mul(ONE_F.sub(v)).mul(v).intoArray(gx, i);
    }
    return i;
  }

  /** {@code gx = g (1 - y) y} in double over whole vectors of {@code [from, to)}. */
  static int sigmoidBackward(double[] g, double[] y, double[] gx, int from, int to) {
    int i = from;
    for (int end = to - D.length(); i <= end; i += D.length()) {
      DoubleVector v = DoubleVector.fromArray(D, y, i);
      DoubleVector.fromArray(D, g, i).mul(ONE.sub(v)).mul(v).intoArray(gx, i);
    }
    return i;
  }
}
