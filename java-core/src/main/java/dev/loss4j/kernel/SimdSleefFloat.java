package dev.loss4j.kernel;

import static dev.loss4j.kernel.SleefFloat.LN2_HI_F;
import static dev.loss4j.kernel.SleefFloat.LN2_LO_F;
import static dev.loss4j.kernel.SleefFloat.LOG2E_F;
import static dev.loss4j.kernel.SleefFloat.X2;
import static dev.loss4j.kernel.SleefFloat.X3;
import static dev.loss4j.kernel.SleefFloat.X4;
import static dev.loss4j.kernel.SleefFloat.X5;
import static dev.loss4j.kernel.SleefFloat.X6;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SLEEF's {@code expf_u10} in float lanes, the same sequence of IEEE operations as {@link SleefFloat#expf}, so a
 * lane and its scalar twin are the same bits. Round-to-nearest of {@code d log2(e)} is done by adding and
 * removing 1.5 * 2^23, exact for magnitudes below 2^22, which covers every input the range checks do not
 * override.
 */
final class SimdSleefFloat {
  private SimdSleefFloat() {}

  static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final float ROUND = 0x1.8p23f;
  private static final FloatVector NEG_LN2_HI = FloatVector.broadcast(F, -LN2_HI_F);
  private static final FloatVector NEG_LN2_LO = FloatVector.broadcast(F, -LN2_LO_F);
  private static final FloatVector V6 = FloatVector.broadcast(F, X6);
  private static final FloatVector V5 = FloatVector.broadcast(F, X5);
  private static final FloatVector V4 = FloatVector.broadcast(F, X4);
  private static final FloatVector V3 = FloatVector.broadcast(F, X3);
  private static final FloatVector V2 = FloatVector.broadcast(F, X2);
  private static final FloatVector HALF = FloatVector.broadcast(F, 0.5f);

  /** {@code e[eo + i] = expf(z[o + i] - shift)} over whole vectors of {@code [0, n)}; returns where it stopped. */
  static int expShifted(float[] z, int o, int n, float shift, float[] e, int eo) {
    int i = 0;
    for (int end = n - F.length(); i <= end; i += F.length()) {
      expf(FloatVector.fromArray(F, z, o + i).sub(shift)).intoArray(e, eo + i);
    }
    return i;
  }

  /** expf lane by lane; small enough that C2 inlines it into the loops that call it. */
  static FloatVector expf(FloatVector d) {
    FloatVector q = d.mul(LOG2E_F).add(ROUND).sub(ROUND);
    IntVector qi = (IntVector) q.convert(VectorOperators.F2I, 0);
    FloatVector s = q.fma(NEG_LN2_HI, d);
    s = q.fma(NEG_LN2_LO, s);
    FloatVector u = V6.fma(s, V5);
    u = u.fma(s, V4);
    u = u.fma(s, V3);
    u = u.fma(s, V2);
    u = u.fma(s, HALF);
    u = s.mul(s).fma(u, s).add(1.0f);
    IntVector h = qi.lanewise(VectorOperators.ASHR, 1);
    FloatVector s1 = h.add(0x7f).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    FloatVector s2 = qi.sub(h).add(0x7f).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    return u.mul(s1).mul(s2).blend(0f, d.compare(VectorOperators.LT, -104f)).blend(Float.POSITIVE_INFINITY,
        d.compare(VectorOperators.GT, 100f));
  }
}
