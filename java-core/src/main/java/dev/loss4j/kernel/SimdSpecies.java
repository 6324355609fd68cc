package dev.loss4j.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shapes the SIMD kernels use: the widest double vector the CPU prefers, and the float vector
 * with the same number of lanes, so that a float32 load converts lane for lane into doubles and every
 * element is computed in double exactly as the scalar loops compute it.
 */
final class SimdSpecies {
  private SimdSpecies() {}

  static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  static final VectorSpecies<Float> F =
      VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));

  static boolean wideEnough() {
    return D.vectorBitSize() >= 256 && F.length() == D.length();
  }

  static int bits() {
    return D.vectorBitSize();
  }

  /**
   * The sum of {@code v}'s lanes, added from lane 0 up. Not {@code reduceLanes(ADD)}: its order is left to
   * the implementation, and the interpreted and compiled forms of one loop may then disagree in the last bit,
   * which would make a result depend on which thread ran a block.
   */
  static double sumLanes(DoubleVector v) {
    double s = 0;
    for (int k = 0; k < D.length(); k++) {
      s += v.lane(k);
    }
    return s;
  }

  /** Lanes {@code [i, i + D.length())} of a float32 array, widened to double. */
  static DoubleVector load(float[] a, int i) {
    return (DoubleVector) FloatVector.fromArray(F, a, i).convertShape(jdk.incubator.vector.VectorOperators.F2D, D, 0);
  }

  /** Stores {@code v} rounded to float32 into lanes {@code [i, i + D.length())} of {@code a}. */
  static void store(DoubleVector v, float[] a, int i) {
    ((FloatVector) v.convertShape(jdk.incubator.vector.VectorOperators.D2F, F, 0)).intoArray(a, i);
  }
}
