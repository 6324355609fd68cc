package dev.loss4j.kernel;

import static dev.loss4j.kernel.SimdSpecies.D;
import static dev.loss4j.kernel.SimdSpecies.load;
import static dev.loss4j.kernel.SimdSpecies.store;

import jdk.incubator.vector.DoubleVector;

/**
 * The Vector API loops of {@link ActivationKernels} that C2 does not vectorise by itself (those that round
 * double lanes to float32). Same arithmetic as the scalar loops, lane by lane, so the same bits; each returns
 * where it stopped, and the caller's scalar loop finishes the tail.
 */
final class SimdActivation {
  private SimdActivation() {}

  private static final DoubleVector ONE = DoubleVector.broadcast(D, 1.0);

  /** {@code y[at + k] = (float) (1 / (1 + e[k]))} for whole vectors of {@code k < len}. */
  static int reciprocalOnePlus(double[] e, float[] y, int at, int len) {
    int k = 0;
    for (int end = len - D.length(); k <= end; k += D.length()) {
      store(ONE.div(ONE.add(DoubleVector.fromArray(D, e, k))), y, at + k);
    }
    return k;
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
