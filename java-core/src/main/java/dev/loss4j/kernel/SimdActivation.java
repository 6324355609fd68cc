package dev.loss4j.kernel;

import static dev.loss4j.kernel.SimdSpecies.D;
import static dev.loss4j.kernel.SimdSpecies.load;
import static dev.loss4j.kernel.SimdSpecies.store;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * The Vector API loops of {@link ActivationKernels} that C2 does not vectorise by itself. Same arithmetic as
 * the scalar loops, lane by lane, so the same bits; each returns
 * where it stopped, and the caller's scalar loop finishes the tail.
 */
final class SimdActivation {
  private SimdActivation() {}

  private static final DoubleVector ONE = DoubleVector.broadcast(D, 1.0);

  /** {@code y[i] = 1 / (1 + y[i])} in float over whole vectors of {@code [from, to)}; returns where it stopped. */
  static int reciprocalOnePlus(float[] y, int from, int to) {
    int i = from;
    for (int end = to - SimdSleefFloat.F.length(); i <= end; i += SimdSleefFloat.F.length()) {
      FloatVector e = FloatVector.fromArray(SimdSleefFloat.F, y, i);
      FloatVector.broadcast(SimdSleefFloat.F, 1.0f).div(e.add(1.0f)).intoArray(y, i);
    }
    return i;
  }

  /** {@code gx = (float) (g (1 - y) y)} in double over whole vectors of {@code [from, to)}. */
  static int sigmoidBackward(float[] g, float[] y, float[] gx, int from, int to) {
    int i = from;
    for (int end = to - D.length(); i <= end; i += D.length()) {
      DoubleVector v = load(y, i);
      store(load(g, i).mul(ONE.sub(v)).mul(v), gx, i);
    }
    return i;
  }
}
