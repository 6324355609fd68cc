package dev.loss4j.kernel;

import static dev.loss4j.kernel.SimdSpecies.D;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API loops of {@link ActivationKernels} that C2 does not vectorise by itself. Same arithmetic as
 * the scalar loops, lane by lane, so the same bits; each returns
 * where it stopped, and the caller's scalar loop finishes the tail.
 *
 * <p>The exponentials are written out in each loop rather than called through a helper that takes a vector:
 * C2 inlines such a helper only while it has no large compiled body of its own, and otherwise boxes the
 * vector on every call. Both apply {@code 2^n} with one multiplication on a vector whose every lane has n in
 * the normal range (one test of the inputs; real data always), where that is the same bits as the two-factor
 * scaling of the scalar twin ({@code p 2^n1} is exact, and both round the one product {@code p 2^n}); a vector
 * with a lane outside that range, or a NaN, takes the twin's own steps.
 */
final class SimdActivation {
  private SimdActivation() {}

  private static final VectorSpecies<Float> F = SimdSleefFloat.F;
  private static final DoubleVector ONE = DoubleVector.broadcast(D, 1.0);
  private static final FloatVector ONE_F = FloatVector.broadcast(F, 1.0f);

  // SleefFloat.expf's constants, as lanes
  private static final float ROUND = 0x1.8p23f;
  private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
  private static final FloatVector NEG_LN2_HI = FloatVector.broadcast(F, -SleefFloat.LN2_HI_F);
  private static final FloatVector NEG_LN2_LO = FloatVector.broadcast(F, -SleefFloat.LN2_LO_F);
  private static final FloatVector V6 = FloatVector.broadcast(F, SleefFloat.X6);
  private static final FloatVector V5 = FloatVector.broadcast(F, SleefFloat.X5);
  private static final FloatVector V4 = FloatVector.broadcast(F, SleefFloat.X4);
  private static final FloatVector V3 = FloatVector.broadcast(F, SleefFloat.X3);
  private static final FloatVector V2 = FloatVector.broadcast(F, SleefFloat.X2);
  private static final FloatVector HALF = FloatVector.broadcast(F, 0.5f);

  /**
   * Where expf's {@code q = rint(d log2(e))} is certainly in {@code [-126, 127]}, so {@code 2^q} is a normal float
   * and neither of expf's range overrides (below -104, above 100) applies.
   */
  private static final float FAST_LOW = -87.25f;
  private static final float FAST_HIGH = 88f;

  /**
   * {@code y[yo + k] = 1 / (1 + expf(-x[xo + k]))} in float over whole vectors of {@code k in [0, len)}, expf
   * {@link SleefFloat#expf}'s steps; returns where it stopped.
   */
  static int sigmoid(float[] x, int xo, float[] y, int yo, int len) {
    int k = 0;
    for (int end = len - F.length(); k <= end; k += F.length()) {
      FloatVector d = FloatVector.fromArray(F, x, xo + k).neg();
      // t holds q = rint(d log2(e)) in its low bits: t - ROUND is q as a float
      FloatVector t = d.mul(SleefFloat.LOG2E_F).add(ROUND);
      FloatVector q = t.sub(ROUND);
      FloatVector s = q.fma(NEG_LN2_HI, d);
      s = q.fma(NEG_LN2_LO, s);
      FloatVector u = V6.fma(s, V5).fma(s, V4).fma(s, V3).fma(s, V2).fma(s, HALF);
      u = s.mul(s).fma(u, s).add(1.0f);
      IntVector tb = t.reinterpretAsInts();
      FloatVector e;
      if (d.compare(VectorOperators.GE, FAST_LOW).and(d.compare(VectorOperators.LE, FAST_HIGH)).allTrue()) {
        // ROUND's own bits vanish when shifted left by 23: (tb << 23) is q << 23
        e = u.mul(tb.lanewise(VectorOperators.LSHL, 23).add(0x7f << 23).reinterpretAsFloats());
      } else {
        IntVector qi = tb.sub(ROUND_BITS);
        IntVector h = qi.lanewise(VectorOperators.ASHR, 1);
        FloatVector s1 = h.add(0x7f).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = qi.sub(h).add(0x7f).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        e = u.mul(s1).mul(s2).blend(0f, d.compare(VectorOperators.LT, -104f))
            .blend(Float.POSITIVE_INFINITY, d.compare(VectorOperators.GT, 100f));
      }
      ONE_F.div(e.add(ONE_F)).intoArray(y, yo + k);
    }
    return k;
  }

  private static final DoubleVector D_LOG2E = DoubleVector.broadcast(D, SimdMath.LOG2E);
  private static final DoubleVector D_SHIFT = DoubleVector.broadcast(D, SimdMath.SHIFT);
  private static final DoubleVector D_NEG_LN2_HI = DoubleVector.broadcast(D, -SimdMath.LN2_HI);
  private static final DoubleVector D_NEG_LN2_LO = DoubleVector.broadcast(D, -SimdMath.LN2_LO);
  private static final DoubleVector D_E13 = DoubleVector.broadcast(D, SimdMath.E13);
  private static final DoubleVector D_E12 = DoubleVector.broadcast(D, SimdMath.E12);
  private static final DoubleVector D_E11 = DoubleVector.broadcast(D, SimdMath.E11);
  private static final DoubleVector D_E10 = DoubleVector.broadcast(D, SimdMath.E10);
  private static final DoubleVector D_E9 = DoubleVector.broadcast(D, SimdMath.E9);
  private static final DoubleVector D_E8 = DoubleVector.broadcast(D, SimdMath.E8);
  private static final DoubleVector D_E7 = DoubleVector.broadcast(D, SimdMath.E7);
  private static final DoubleVector D_E6 = DoubleVector.broadcast(D, SimdMath.E6);
  private static final DoubleVector D_E5 = DoubleVector.broadcast(D, SimdMath.E5);
  private static final DoubleVector D_E4 = DoubleVector.broadcast(D, SimdMath.E4);
  private static final DoubleVector D_E3 = DoubleVector.broadcast(D, SimdMath.E3);
  private static final DoubleVector D_E2 = DoubleVector.broadcast(D, SimdMath.E2);

  /** Where {@link SimdMath#exp(double)}'s n is certainly in {@code [-1022, 1023]} and no range override applies. */
  private static final double FAST_LOW_D = -708.0;
  private static final double FAST_HIGH_D = 709.0;

  /**
   * {@code y[i] = 1 / (1 + exp(-x[i]))} in double over whole vectors of {@code [from, to)}, exp
   * {@link SimdMath#exp(double)}'s steps; returns where it stopped.
   */
  static int sigmoid(double[] x, double[] y, int from, int to) {
    int i = from;
    for (int end = to - D.length(); i <= end; i += D.length()) {
      DoubleVector d = DoubleVector.fromArray(D, x, i).neg();
      DoubleVector kd = d.fma(D_LOG2E, D_SHIFT);
      DoubleVector n = kd.sub(D_SHIFT);
      DoubleVector r = n.fma(D_NEG_LN2_HI, d);
      r = n.fma(D_NEG_LN2_LO, r);
      DoubleVector r2 = r.mul(r);
      DoubleVector q = D_E13.fma(r, D_E12).fma(r2, D_E11.fma(r, D_E10));
      q = q.fma(r2, D_E9.fma(r, D_E8));
      q = q.fma(r2, D_E7.fma(r, D_E6));
      q = q.fma(r2, D_E5.fma(r, D_E4));
      q = q.fma(r2, D_E3.fma(r, D_E2));
      DoubleVector p = q.fma(r2, r).add(ONE);
      LongVector kb = kd.reinterpretAsLongs();
      DoubleVector e;
      if (d.compare(VectorOperators.GE, FAST_LOW_D).and(d.compare(VectorOperators.LE, FAST_HIGH_D)).allTrue()) {
        // SHIFT's own bits vanish when shifted left by 52: (kb << 52) is n << 52
        e = p.mul(kb.lanewise(VectorOperators.LSHL, 52).add(SimdMath.ONE_BITS).reinterpretAsDoubles());
      } else {
        LongVector nb = kb.sub(SimdMath.SHIFT_BITS);
        LongVector n1 = nb.lanewise(VectorOperators.ASHR, 1);
        LongVector n2 = nb.sub(n1);
        DoubleVector s1 = n1.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        DoubleVector s2 = n2.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        e = p.mul(s1).mul(s2).blend(0.0, d.compare(VectorOperators.LT, SimdMath.EXP_LOW))
            .blend(Double.POSITIVE_INFINITY, d.compare(VectorOperators.GT, SimdMath.EXP_HIGH));
      }
      ONE.div(e.add(ONE)).intoArray(y, i);
    }
    return i;
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
