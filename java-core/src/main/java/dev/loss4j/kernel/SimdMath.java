package dev.loss4j.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * exp, log and log1p in double, once for a vector of lanes and once for one value, computed by the same
 * sequence of IEEE operations so that a lane and its scalar twin are the same bits. A kernel's SIMD loop and
 * its scalar loop (the tail of a block, or the whole loop with {@code -Dloss4j.vector=false}) then give the
 * same outputs, wherever a block's tail falls and at any thread count.
 *
 * <p>Accuracy is about one ulp (the unit test measures it against {@code StrictMath}). Special values:
 * {@code exp(+inf) = +inf}, {@code exp(-inf) = 0}, overflow to +inf above 709.78, gradual underflow through
 * the subnormals to 0 below -745.13; {@code log(+-0) = -inf}, {@code log(x < 0) = NaN}, {@code log(+inf) =
 * +inf}; {@code log1p(-1) = -inf}, {@code log1p(x < -1) = NaN}, {@code log1p(x) = x} for {@code |x| < 2^-54}
 * (signed zeros kept); NaN gives NaN.
 *
 * <p>exp: {@code x = n ln2 + r} with {@code n} the nearest integer to {@code x / ln2} and {@code |r| <= ln2 /
 * 2} (ln2 split in two so that {@code n * hi} is exact), {@code exp(r) = 1 + r + r^2 Q(r)} with Q (evaluated in pairs of terms) the Taylor
 * series of {@code (e^r - 1 - r) / r^2} to degree 11 (truncation below 0.03 ulp), and {@code 2^n} applied as
 * two exact powers of two so that {@code n = 1024} and subnormal results (rounded once) need no branch.
 *
 * <p>log: {@code x = 2^k m} with {@code m} in {@code [sqrt(1/2), sqrt(2))}, {@code f = m - 1} (exact), and with
 * {@code s = f / (2 + f)}, {@code log(1 + f) = 2 atanh(s) = f - f^2/2 + s (f^2/2 + R)}, {@code R = sum 2
 * s^(2j) / (2j + 1)}, j = 1..10 (truncation below 0.02 ulp); the large terms {@code k ln2_hi} and {@code f}
 * are exact and the rounding errors sit in the small ones. log1p adds the error of {@code u = 1 + x}
 * back as {@code (x - (u - 1)) / u}, or uses {@code f = x} itself when {@code u} needs no scaling.
 *
 * <p>The scalar methods work in any JVM; the vector ones need {@code jdk.incubator.vector}, and live in a
 * nested class so that a JVM without the module can still load this one.
 */
final class SimdMath {
  private SimdMath() {}

  // ---- constants, shared by both forms ---------------------------------------------------------------------

  /**
   * Above this exp overflows for sure, below {@link #EXP_LOW} it underflows to 0 for sure; between the two the
   * computation itself rounds to the right value, and outside them those values are chosen (a comparison
   * and a blend, cheaper in lanes than Java's min and max with their rules for NaN and -0).
   */
  static final double EXP_HIGH = 710.0;
  static final double EXP_LOW = -746.0;
  static final double LOG2E = 0x1.71547652b82fep+0;
  /** 1.5 * 2^52: adding it rounds a double of magnitude below 2^51 to an integer, kept in the low bits. */
  static final double SHIFT = 0x1.8p52;
  static final long SHIFT_BITS = Double.doubleToRawLongBits(SHIFT);
  /** ln2 = LN2_HI + LN2_LO, LN2_HI with 42 significant bits, so k * LN2_HI is exact for |k| < 2^11. */
  static final double LN2_HI = 0x1.62e42fefa3800p-1;
  static final double LN2_LO = 0x1.ef35793c76730p-45;
  /** The bits of sqrt(1/2): subtracting them splits a double into 2^k and m in [sqrt(1/2), sqrt(2)). */
  static final long SQRT_HALF_BITS = 0x3fe6a09e667f3bcdL;
  static final double TWO_POW_54 = 0x1p54;
  static final double TINY_LOG1P = 0x1p-54;

  // Q(r) = sum r^(j-2) / j! for j = 2..13.
  static final double E2 = 1.0 / 2;
  static final double E3 = 1.0 / 6;
  static final double E4 = 1.0 / 24;
  static final double E5 = 1.0 / 120;
  static final double E6 = 1.0 / 720;
  static final double E7 = 1.0 / 5040;
  static final double E8 = 1.0 / 40320;
  static final double E9 = 1.0 / 362880;
  static final double E10 = 1.0 / 3628800;
  static final double E11 = 1.0 / 39916800;
  static final double E12 = 1.0 / 479001600;
  static final double E13 = 1.0 / 6227020800.0;

  // exp32: e^r on [-ln2/2, ln2/2] by the degree-6 polynomial through the Chebyshev nodes of that interval
  // (relative error below 2.6e-9, a twentieth of a float32 ulp); its constant term rounds to exactly 1.
  static final double EXP32_LOW = -708.0;
  static final double EXP32_HIGH = 709.0;
  static final double LN2 = 0x1.62e42fefa39efp-1;
  static final long ONE_BITS = Double.doubleToRawLongBits(1.0);
  static final double P0 = 0x1.0000000000000p+0;
  static final double P1 = 0x1.000000a1fd6a7p+0;
  static final double P2 = 0x1.00000028794dfp-1;
  static final double P3 = 0x1.5554043e289bcp-3;
  static final double P4 = 0x1.5554ace120b86p-5;
  static final double P5 = 0x1.126fa6fd6e815p-7;
  static final double P6 = 0x1.6d7531eae5468p-10;

  // R(z) / z = sum 2 z^(j-1) / (2j + 1) for j = 1..10, z = s^2.
  static final double L1 = 2.0 / 3;
  static final double L2 = 2.0 / 5;
  static final double L3 = 2.0 / 7;
  static final double L4 = 2.0 / 9;
  static final double L5 = 2.0 / 11;
  static final double L6 = 2.0 / 13;
  static final double L7 = 2.0 / 15;
  static final double L8 = 2.0 / 17;
  static final double L9 = 2.0 / 19;
  static final double L10 = 2.0 / 21;

  // ---- scalar twins ----------------------------------------------------------------------------------------

  /** e^x, the same bits as a lane of {@link #exp(DoubleVector)}. */
  static double exp(double x) {
    if (x < EXP_LOW) {
      return 0.0;
    }
    if (x > EXP_HIGH) {
      return Double.POSITIVE_INFINITY;
    }
    double kd = Math.fma(x, LOG2E, SHIFT);
    double n = kd - SHIFT;
    double r = Math.fma(n, -LN2_HI, x);
    r = Math.fma(n, -LN2_LO, r);
    // Q in pairs of terms, in powers of r^2
    double r2 = r * r;
    double q = Math.fma(Math.fma(E13, r, E12), r2, Math.fma(E11, r, E10));
    q = Math.fma(q, r2, Math.fma(E9, r, E8));
    q = Math.fma(q, r2, Math.fma(E7, r, E6));
    q = Math.fma(q, r2, Math.fma(E5, r, E4));
    q = Math.fma(q, r2, Math.fma(E3, r, E2));
    double p = Math.fma(q, r2, r) + 1.0;
    long nb = Double.doubleToRawLongBits(kd) - SHIFT_BITS;
    long n1 = nb >> 1;
    long n2 = nb - n1;
    return p * Double.longBitsToDouble((n1 + 1023) << 52) * Double.longBitsToDouble((n2 + 1023) << 52);
  }

  /**
   * e^x to float32 accuracy (relative error below 3e-9), in double, for kernels whose results are rounded to
   * float32: about half the work of {@link #exp(double)}. One power of two scales the result, so it is 0
   * below -708 and +inf above 709 (where float32 has long overflowed); the same bits as a lane of
   * {@link #exp32InPlace}.
   */
  static double exp32(double x) {
    if (x < EXP32_LOW) {
      return 0.0;
    }
    if (x > EXP32_HIGH) {
      return Double.POSITIVE_INFINITY;
    }
    double kd = Math.fma(x, LOG2E, SHIFT);
    double n = kd - SHIFT;
    double r = Math.fma(n, -LN2, x);
    double p = Math.fma(P6, r, P5);
    p = Math.fma(p, r, P4);
    p = Math.fma(p, r, P3);
    p = Math.fma(p, r, P2);
    p = Math.fma(p, r, P1);
    p = Math.fma(p, r, P0);
    return p * Double.longBitsToDouble((Double.doubleToRawLongBits(kd) << 52) + ONE_BITS);
  }

  /** Natural logarithm, the same bits as a lane of {@link #log(DoubleVector)}. */
  static double log(double x) {
    if (!(x > 0 && x < Double.POSITIVE_INFINITY)) {
      return x == 0 ? Double.NEGATIVE_INFINITY : x == Double.POSITIVE_INFINITY ? x : Double.NaN;
    }
    double adjust = 0;
    if (x < Double.MIN_NORMAL) {
      x = x * TWO_POW_54;
      adjust = 54;
    }
    long bits = Double.doubleToRawLongBits(x);
    long k = (bits - SQRT_HALF_BITS) >> 52;
    double m = Double.longBitsToDouble(bits - (k << 52));
    double kd = (Double.longBitsToDouble(k + SHIFT_BITS) - SHIFT) - adjust;
    return logCore(m - 1.0, kd, 0.0);
  }

  /** log(1 + x), the same bits as a lane of {@link #log1p(DoubleVector)}. */
  static double log1p(double x) {
    if (!(x > -1 && x < Double.POSITIVE_INFINITY)) {
      return x == -1 ? Double.NEGATIVE_INFINITY : x == Double.POSITIVE_INFINITY ? x : Double.NaN;
    }
    if (Math.abs(x) < TINY_LOG1P) {
      return x;
    }
    double u = 1.0 + x;
    long bits = Double.doubleToRawLongBits(u);
    long k = (bits - SQRT_HALF_BITS) >> 52;
    double m = Double.longBitsToDouble(bits - (k << 52));
    double kd = Double.longBitsToDouble(k + SHIFT_BITS) - SHIFT;
    if (kd == 0) {
      return logCore(x, 0.0, 0.0);
    }
    return logCore(m - 1.0, kd, (x - (u - 1.0)) / u);
  }

  /** {@code kd ln2 + log(1 + f) + c} for f in [sqrt(1/2) - 1, sqrt(2) - 1) and a small correction c. */
  private static double logCore(double f, double kd, double c) {
    double s = f / (2.0 + f);
    double z = s * s;
    // the series in pairs of terms, in powers of z^2
    double z2 = z * z;
    double t = Math.fma(Math.fma(L10, z, L9), z2, Math.fma(L8, z, L7));
    t = Math.fma(t, z2, Math.fma(L6, z, L5));
    t = Math.fma(t, z2, Math.fma(L4, z, L3));
    t = Math.fma(t, z2, Math.fma(L2, z, L1));
    double hfsq = 0.5 * f * f;
    double lo = Math.fma(kd, LN2_LO, c);
    lo = Math.fma(s, Math.fma(t, z, hfsq), lo);
    return Math.fma(kd, LN2_HI, f - (hfsq - lo));
  }

  // ---- array forms: the fast path --------------------------------------------------------------------------

  /**
   * How many partial sums the sum forms add a range in: the vector path's lane count (8 with AVX-512), or 8
   * without a vector path. Partial j takes elements j, j + PARTIALS, ...; then the partials are added in
   * order, then the elements past the last whole round one by one. Both paths add in this order.
   */
  static final int PARTIALS = Vectorization.ENABLED ? Lanes.L : 8;

  /**
   * {@code dst[k] = exp(src[so + k] - shift)} for k in {@code [0, n)}; returns their sum, added as
   * {@link #PARTIALS} describes. Whole vectors on the SIMD path when {@code simd}, the rest (or everything)
   * through the scalar twin; the same bits either way.
   *
   * <p>Hot loops call these rather than the vector forms: C2 inlines a method that takes or returns a
   * vector only while it has no large compiled body of its own, and a helper called from a loop that is
   * still interpreted gets one first ("already compiled into a big method"); a vector that crosses a call
   * is then boxed on the heap, once per call. Here each loop has the whole computation in its own body.
   */
  static double expSum(double[] src, int so, double[] dst, int n, double shift, boolean simd) {
    int k = simd ? n - n % PARTIALS : 0;
    double lanes = simd ? Lanes.expSum(src, so, dst, k, shift) : 0;
    for (int i = k; i < n; i++) {
      dst[i] = exp(src[so + i] - shift);
    }
    return simd ? tail(lanes, dst, k, n) : sum(dst, n);
  }

  /** {@code dst[k] = exp32(src[so + k] - shift)} over a float32 source, as {@link #expSum}. */
  static double exp32Sum(float[] src, int so, double[] dst, int n, double shift, boolean simd) {
    int k = simd ? n - n % PARTIALS : 0;
    double lanes = simd ? Lanes.exp32Sum(src, so, dst, k, shift) : 0;
    for (int i = k; i < n; i++) {
      dst[i] = exp32(src[so + i] - shift);
    }
    return simd ? tail(lanes, dst, k, n) : sum(dst, n);
  }

  /** {@code v[0, n)} added in the order {@link #PARTIALS} describes, one element at a time. */
  static double sum(double[] v, int n) {
    int full = n - n % PARTIALS;
    double total = 0;
    for (int j = 0; j < PARTIALS; j++) {
      double p = 0;
      for (int k = j; k < full; k += PARTIALS) {
        p += v[k];
      }
      total += p;
    }
    return tail(total, v, full, n);
  }

  private static double tail(double total, double[] v, int from, int to) {
    for (int k = from; k < to; k++) {
      total += v[k];
    }
    return total;
  }

  /** {@code a[i] = log(a[i])} for i in {@code [from, to)}, as {@link #expSum}. */
  static void logInPlace(double[] a, int from, int to, boolean simd) {
    int i = simd ? Lanes.log(a, from, to, false) : from;
    for (; i < to; i++) {
      a[i] = log(a[i]);
    }
  }

  /** {@code a[i] = log1p(a[i])} for i in {@code [from, to)}, as {@link #expSum}. */
  static void log1pInPlace(double[] a, int from, int to, boolean simd) {
    int i = simd ? Lanes.log(a, from, to, true) : from;
    for (; i < to; i++) {
      a[i] = log1p(a[i]);
    }
  }

  // ---- vector forms ----------------------------------------------------------------------------------------

  /**
   * e^x lane by lane. Correct anywhere, but it goes through {@link #expSum} on a lane-sized array, so
   * it is no faster than the scalar twin: loops over arrays call the array forms.
   */
  static DoubleVector exp(DoubleVector x) {
    double[] a = x.toArray();
    Lanes.expSum(a, 0, a, a.length, 0.0);
    return DoubleVector.fromArray(SimdSpecies.D, a, 0);
  }

  /** Natural logarithm lane by lane, as {@link #exp(DoubleVector)}. */
  static DoubleVector log(DoubleVector x) {
    double[] a = x.toArray();
    Lanes.log(a, 0, a.length, false);
    return DoubleVector.fromArray(SimdSpecies.D, a, 0);
  }

  /** log(1 + x) lane by lane, as {@link #exp(DoubleVector)}. */
  static DoubleVector log1p(DoubleVector x) {
    double[] a = x.toArray();
    Lanes.log(a, 0, a.length, true);
    return DoubleVector.fromArray(SimdSpecies.D, a, 0);
  }

  /** The vector code, apart so that loading {@link SimdMath} does not load the Vector API. */
  private static final class Lanes {
    private Lanes() {}

    private static DoubleVector all(double v) {
      return DoubleVector.broadcast(SimdSpecies.D, v);
    }

    private static final DoubleVector ZERO = all(0.0);
    private static final DoubleVector ONE = all(1.0);
    private static final DoubleVector TWO = all(2.0);
    private static final DoubleVector HALF = all(0.5);
    private static final DoubleVector NAN = all(Double.NaN);
    private static final DoubleVector POS_INF = all(Double.POSITIVE_INFINITY);
    private static final DoubleVector NEG_INF = all(Double.NEGATIVE_INFINITY);
    private static final DoubleVector V_SHIFT = all(SHIFT);
    private static final DoubleVector V_LOG2E = all(LOG2E);
    private static final DoubleVector NEG_LN2_HI = all(-LN2_HI);
    private static final DoubleVector NEG_LN2_LO = all(-LN2_LO);
    private static final DoubleVector V_LN2_HI = all(LN2_HI);
    private static final DoubleVector V_LN2_LO = all(LN2_LO);
    private static final DoubleVector V_E2 = all(E2);
    private static final DoubleVector V_E3 = all(E3);
    private static final DoubleVector V_E4 = all(E4);
    private static final DoubleVector V_E5 = all(E5);
    private static final DoubleVector V_E6 = all(E6);
    private static final DoubleVector V_E7 = all(E7);
    private static final DoubleVector V_E8 = all(E8);
    private static final DoubleVector V_E9 = all(E9);
    private static final DoubleVector V_E10 = all(E10);
    private static final DoubleVector V_E11 = all(E11);
    private static final DoubleVector V_E12 = all(E12);
    private static final DoubleVector V_E13 = all(E13);
    private static final DoubleVector V_L1 = all(L1);
    private static final DoubleVector V_L2 = all(L2);
    private static final DoubleVector V_L3 = all(L3);
    private static final DoubleVector V_L4 = all(L4);
    private static final DoubleVector V_L5 = all(L5);
    private static final DoubleVector V_L6 = all(L6);
    private static final DoubleVector V_L7 = all(L7);
    private static final DoubleVector V_L8 = all(L8);
    private static final DoubleVector V_L9 = all(L9);
    private static final DoubleVector V_L10 = all(L10);

    static final int L = SimdSpecies.D.length();

    /** The sum of v's lanes, added from lane 0 up (not reduceLanes, whose order is free). */
    private static double sumLanes(DoubleVector v) {
      double s = 0;
      for (int k = 0; k < L; k++) {
        s += v.lane(k);
      }
      return s;
    }

    /** expSum over {@code [0, full)}, full a multiple of L: the lanes' sum. */
    static double expSum(double[] src, int so, double[] dst, int full, double shift) {
      DoubleVector acc = DoubleVector.zero(SimdSpecies.D);
      for (int i = 0; i < full; i += L) {
        DoubleVector x = DoubleVector.fromArray(SimdSpecies.D, src, so + i).sub(shift);
        DoubleVector kd = x.fma(V_LOG2E, V_SHIFT);
        DoubleVector n = kd.sub(V_SHIFT);
        DoubleVector r = n.fma(NEG_LN2_HI, x);
        r = n.fma(NEG_LN2_LO, r);
        DoubleVector r2 = r.mul(r);
        DoubleVector q = V_E13.fma(r, V_E12).fma(r2, V_E11.fma(r, V_E10));
        q = q.fma(r2, V_E9.fma(r, V_E8));
        q = q.fma(r2, V_E7.fma(r, V_E6));
        q = q.fma(r2, V_E5.fma(r, V_E4));
        q = q.fma(r2, V_E3.fma(r, V_E2));
        DoubleVector p = q.fma(r2, r).add(ONE);
        LongVector nb = kd.reinterpretAsLongs().sub(SHIFT_BITS);
        LongVector n1 = nb.lanewise(VectorOperators.ASHR, 1);
        LongVector n2 = nb.sub(n1);
        DoubleVector s1 = n1.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        DoubleVector s2 = n2.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        DoubleVector y = p.mul(s1).mul(s2).blend(0.0, x.compare(VectorOperators.LT, EXP_LOW))
            .blend(POS_INF, x.compare(VectorOperators.GT, EXP_HIGH));
        y.intoArray(dst, i);
        acc = acc.add(y);
      }
      return sumLanes(acc);
    }

    private static final DoubleVector NEG_LN2 = all(-LN2);
    private static final DoubleVector V_P0 = all(P0);
    private static final DoubleVector V_P1 = all(P1);
    private static final DoubleVector V_P2 = all(P2);
    private static final DoubleVector V_P3 = all(P3);
    private static final DoubleVector V_P4 = all(P4);
    private static final DoubleVector V_P5 = all(P5);
    private static final DoubleVector V_P6 = all(P6);

    /** exp32Sum over {@code [0, full)}, full a multiple of L: the lanes' sum. */
    static double exp32Sum(float[] src, int so, double[] dst, int full, double shift) {
      DoubleVector acc = DoubleVector.zero(SimdSpecies.D);
      for (int i = 0; i < full; i += L) {
        DoubleVector x = ((DoubleVector) FloatVector.fromArray(SimdSpecies.F, src, so + i)
            .convertShape(VectorOperators.F2D, SimdSpecies.D, 0)).sub(shift);
        DoubleVector kd = x.fma(V_LOG2E, V_SHIFT);
        DoubleVector r = kd.sub(V_SHIFT).fma(NEG_LN2, x);
        DoubleVector p = V_P6.fma(r, V_P5);
        p = p.fma(r, V_P4);
        p = p.fma(r, V_P3);
        p = p.fma(r, V_P2);
        p = p.fma(r, V_P1);
        p = p.fma(r, V_P0);
        DoubleVector scale = kd.reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52).add(ONE_BITS)
            .reinterpretAsDoubles();
        DoubleVector y = p.mul(scale).blend(0.0, x.compare(VectorOperators.LT, EXP32_LOW))
            .blend(POS_INF, x.compare(VectorOperators.GT, EXP32_HIGH));
        y.intoArray(dst, i);
        acc = acc.add(y);
      }
      return sumLanes(acc);
    }

    /**
     * log ({@code plusOne == false}) or log1p over whole vectors of {@code a[from, to)} in place; returns
     * where it stopped. One body for both: log takes {@code u = x + 0}, no correction and the pole at 0;
     * log1p takes {@code u = 1 + x}, the correction {@code (x - (u - 1)) / u} where u is scaled, and the pole
     * at -1 (u is never subnormal there, so the subnormal scaling is log's alone).
     */
    static int log(double[] a, int from, int to, boolean plusOne) {
      VectorMask<Double> one = VectorMask.fromLong(SimdSpecies.D, plusOne ? -1L : 0L);
      double pole = plusOne ? -1.0 : 0.0;
      double add = plusOne ? 1.0 : 0.0;
      int i = from;
      for (; i <= to - L; i += L) {
        DoubleVector x = DoubleVector.fromArray(SimdSpecies.D, a, i);
        DoubleVector u = x.add(add);
        VectorMask<Double> sub = u.compare(VectorOperators.LT, Double.MIN_NORMAL);
        DoubleVector us = u.blend(u.mul(TWO_POW_54), sub);
        LongVector bits = us.reinterpretAsLongs();
        LongVector k = bits.sub(SQRT_HALF_BITS).lanewise(VectorOperators.ASHR, 52);
        DoubleVector m = bits.sub(k.lanewise(VectorOperators.LSHL, 52)).reinterpretAsDoubles();
        DoubleVector kd = k.add(SHIFT_BITS).reinterpretAsDoubles().sub(V_SHIFT).sub(ZERO.blend(54.0, sub));
        VectorMask<Double> unscaled = kd.compare(VectorOperators.EQ, 0.0).and(one);
        DoubleVector f = m.sub(ONE).blend(x, unscaled);
        DoubleVector c = x.sub(u.sub(ONE)).div(u).blend(ZERO, unscaled.or(one.not()));
        DoubleVector s = f.div(TWO.add(f));
        DoubleVector z = s.mul(s);
        DoubleVector z2 = z.mul(z);
        DoubleVector t = V_L10.fma(z, V_L9).fma(z2, V_L8.fma(z, V_L7));
        t = t.fma(z2, V_L6.fma(z, V_L5));
        t = t.fma(z2, V_L4.fma(z, V_L3));
        t = t.fma(z2, V_L2.fma(z, V_L1));
        DoubleVector hfsq = HALF.mul(f).mul(f);
        DoubleVector lo = kd.fma(V_LN2_LO, c);
        lo = s.fma(t.fma(z, hfsq), lo);
        DoubleVector y = kd.fma(V_LN2_HI, f.sub(hfsq.sub(lo)));
        y = y.blend(x, x.abs().compare(VectorOperators.LT, TINY_LOG1P).and(one));
        VectorMask<Double> ok = x.compare(VectorOperators.GT, pole).and(x.compare(VectorOperators.LT, POS_INF));
        DoubleVector special = NAN.blend(NEG_INF, x.compare(VectorOperators.EQ, pole))
            .blend(POS_INF, x.compare(VectorOperators.EQ, POS_INF));
        special.blend(y, ok).intoArray(a, i);
      }
      return i;
    }
  }
}
