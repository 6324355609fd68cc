package dev.loss4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp, log and log1p in float32, once over whole {@code FloatVector}s of an array (twice the lanes of
 * {@link SimdMath}'s double forms) and once for one value, computed by the same sequence of IEEE float
 * operations so that a lane and its scalar twin are the same bits: a float32 kernel's SIMD loop and its scalar
 * loop (a block's tail, or everything with {@code -Dloss4j.vector=false}) give the same outputs, wherever a tail
 * falls and at any thread count.
 *
 * <p>Accuracy is about one float32 ulp (the unit test measures it against {@code StrictMath}), as the float32
 * functions PyTorch's CPU kernels call. Special values: {@code exp(+inf) = +inf}, {@code exp(-inf) = 0},
 * overflow to +inf above 88.72, gradual underflow through the subnormals to 0 below -103.97; {@code log(+-0) =
 * -inf}, {@code log(x < 0) = NaN}, {@code log(+inf) = +inf}; {@code log1p(-1) = -inf}, {@code log1p(x < -1) =
 * NaN}, {@code log1p(x) = x} for {@code |x| < 2^-24} (signed zeros kept); NaN gives NaN.
 *
 * <p>exp: {@code x = n ln2 + r}, n the nearest integer to {@code x / ln2}, {@code |r| <= ln2 / 2} (ln2 split so
 * that {@code n * LN2_HI} is exact), {@code e^r = 1 + r + r^2 Q(r)}, Q the Taylor series of
 * {@code (e^r - 1 - r) / r^2} to degree 5 (truncation 5e-9, a twentieth of an ulp), and {@code 2^n} applied as
 * two powers of two so that {@code n = 128} and subnormal results need no branch.
 *
 * <p>log: {@code x = 2^k m}, m in {@code [sqrt(1/2), sqrt(2))}, {@code f = m - 1} exact, {@code s = f / (2 + f)},
 * {@code log(1 + f) = f - f^2/2 + s (f^2/2 + R)}, {@code R = sum 2 s^(2j) / (2j + 1)}, j = 1..4 (truncation
 * 2e-9): the large terms {@code k LN2_HI} and {@code f} are exact and the roundings sit in the small ones.
 * log1p adds the rounding error of {@code u = 1 + x} back as {@code (x - (u - 1)) / u}, or takes {@code f = x}
 * itself where u needs no scaling. The same scheme as {@link SimdMath}'s double functions, with float-sized
 * series.
 *
 * <p>The scalar methods work in any JVM; the array forms' vector loops need {@code jdk.incubator.vector} and live
 * in a nested class, so a JVM without the module can still load this one.
 */
final class SimdMath32 {
  private SimdMath32() {}

  // ---- constants, shared by both forms ---------------------------------------------------------------------

  /** Above this exp is +inf for sure, below {@link #EXP_LOW} 0 for sure (a blend, cheaper than min/max). */
  static final float EXP_HIGH = 89f;
  static final float EXP_LOW = -104f;
  static final float LOG2E = 0x1.715476p+0f;
  /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer, kept in the low bits. */
  static final float SHIFT = 0x1.8p23f;
  static final int SHIFT_BITS = Float.floatToRawIntBits(SHIFT);
  /** ln2 = LN2_HI + LN2_LO, LN2_HI with 9 significant bits, so k * LN2_HI is exact for |k| < 2^15. */
  static final float LN2_HI = 0x1.63p-1f;
  static final float LN2_LO = (float) (0x1.62e42fefa39efp-1 - 0x1.63p-1);
  /** The bits of sqrt(1/2) in float32: subtracting them splits a float into 2^k and m in [sqrt(1/2), sqrt(2)). */
  static final int SQRT_HALF_BITS = 0x3f3504f3;
  static final float TWO_POW_23 = 0x1p23f;
  static final float TINY_LOG1P = 0x1p-24f;

  // Q(r) = sum r^(j-2) / j! for j = 2..7.
  static final float E2 = 1f / 2;
  static final float E3 = 1f / 6;
  static final float E4 = 1f / 24;
  static final float E5 = 1f / 120;
  static final float E6 = 1f / 720;
  static final float E7 = 1f / 5040;

  // R(z) / z = sum 2 z^(j-1) / (2j + 1) for j = 1..4, z = s^2.
  static final float L1 = 2f / 3;
  static final float L2 = 2f / 5;
  static final float L3 = 2f / 7;
  static final float L4 = 2f / 9;

  /** Elements of a kernel's float32 scratch chunk: 2 KiB an array, inside L1 beside its inputs. */
  static final int CHUNK = 512;

  // ---- scalar twins ----------------------------------------------------------------------------------------

  /** e^x in float32, the same bits as a lane of the array forms. */
  static float exp(float x) {
    if (x < EXP_LOW) {
      return 0f;
    }
    if (x > EXP_HIGH) {
      return Float.POSITIVE_INFINITY;
    }
    float kd = Math.fma(x, LOG2E, SHIFT);
    float n = kd - SHIFT;
    float r = Math.fma(n, -LN2_HI, x);
    r = Math.fma(n, -LN2_LO, r);
    float q = Math.fma(E7, r, E6);
    q = Math.fma(q, r, E5);
    q = Math.fma(q, r, E4);
    q = Math.fma(q, r, E3);
    q = Math.fma(q, r, E2);
    float p = Math.fma(q, r * r, r) + 1f;
    int nb = Float.floatToRawIntBits(kd) - SHIFT_BITS;
    int n1 = nb >> 1;
    int n2 = nb - n1;
    return p * Float.intBitsToFloat((n1 + 127) << 23) * Float.intBitsToFloat((n2 + 127) << 23);
  }

  /** Natural logarithm in float32, the same bits as a lane of the array forms. */
  static float log(float x) {
    if (!(x > 0 && x < Float.POSITIVE_INFINITY)) {
      return x == 0 ? Float.NEGATIVE_INFINITY : x == Float.POSITIVE_INFINITY ? x : Float.NaN;
    }
    float adjust = 0;
    if (x < Float.MIN_NORMAL) {
      x = x * TWO_POW_23;
      adjust = 23;
    }
    int bits = Float.floatToRawIntBits(x);
    int k = (bits - SQRT_HALF_BITS) >> 23;
    float m = Float.intBitsToFloat(bits - (k << 23));
    return logCore(m - 1f, (float) k - adjust, 0f);
  }

  /** log(1 + x) in float32, the same bits as a lane of the array forms. */
  static float log1p(float x) {
    if (!(x > -1 && x < Float.POSITIVE_INFINITY)) {
      return x == -1 ? Float.NEGATIVE_INFINITY : x == Float.POSITIVE_INFINITY ? x : Float.NaN;
    }
    if (Math.abs(x) < TINY_LOG1P) {
      return x;
    }
    float u = 1f + x;
    int bits = Float.floatToRawIntBits(u);
    int k = (bits - SQRT_HALF_BITS) >> 23;
    float m = Float.intBitsToFloat(bits - (k << 23));
    if (k == 0) {
      return logCore(x, 0f, 0f);
    }
    return logCore(m - 1f, (float) k, (x - (u - 1f)) / u);
  }

  /** {@code kd ln2 + log(1 + f) + c} for f in [sqrt(1/2) - 1, sqrt(2) - 1) and a small correction c. */
  private static float logCore(float f, float kd, float c) {
    return logTail(f, f / (2f + f), kd, c);
  }

  // ---- array forms: what kernels call ----------------------------------------------------------------------

  /**
   * The lanes of a float32 vector on this CPU: 8 with AVX2, 16 with AVX-512 (the width of a kernel's SIMD
   * loop; {@code 8} without a vector path, where only the scalar loops run).
   */
  static final int LANES = Vectorization.ENABLED ? Lanes.L : 8;

  /** The whole vectors in n elements: where a kernel's SIMD loop stops and its scalar loop takes over. */
  static int vectorEnd(int n, boolean simd) {
    return simd ? n - n % LANES : 0;
  }

  /**
   * {@code dst[k] = exp(src[so + k])} for k in {@code [0, n)}, or {@code exp(-|src[so + k]|)} when
   * {@code negAbs}: whole vectors when {@code simd}, the rest (or everything) through the scalar twin.
   *
   * <p>Hot loops call these rather than passing vectors to a helper: C2 inlines a method that takes or returns a
   * vector only while it has no large compiled body of its own, and a vector that crosses a call that was not
   * inlined is boxed on the heap, once per call. Each array form keeps its whole computation in one body.
   */
  static void exp(float[] src, int so, float[] dst, int n, boolean negAbs, boolean simd) {
    int k = simd ? Lanes.exp(src, so, dst, vectorEnd(n, true), negAbs, 0f) : 0;
    for (; k < n; k++) {
      float v = src[so + k];
      dst[k] = exp(negAbs ? -Math.abs(v) : v);
    }
  }

  /**
   * {@code dst[k] = exp(src[so + k] - shift)} (the difference in float32) for k in {@code [0, n)}; returns their
   * sum in double, added as {@link #sum(float[], int, int, boolean)} adds: the same bits on both paths.
   */
  static double expSum(float[] src, int so, float[] dst, int n, float shift, boolean simd) {
    int full = n - n % LANES;
    double total = simd ? Lanes.expSum(src, so, dst, full, shift) : 0;
    for (int k = simd ? full : 0; k < n; k++) {
      dst[k] = exp(src[so + k] - shift);
    }
    return simd ? tail(total, dst, null, 0, full, n) : partials(dst, null, 0, n);
  }

  /**
   * The sum of {@code v[o, o + n)} in double, in a fixed order on both paths: {@link #LANES} partial sums, partial
   * j taking elements j, j + LANES, ...; the first half of the partials added in order, then the second half,
   * then the two halves (a vector's lanes widen into two double vectors), then the elements past the last whole
   * round one by one.
   */
  static double sum(float[] v, int o, int n, boolean simd) {
    int full = n - n % LANES;
    return simd ? tail(Lanes.sum(v, o, full), v, null, o, full, n) : partials(v, null, o, n);
  }

  /**
   * The sum of {@code (double) a[o + k] * b[o + k]} over k in {@code [0, n)}, added as {@link #sum(float[], int,
   * int, boolean)} adds; each product of two floats is exact in double, so both paths give the same bits.
   */
  static double dot(float[] a, float[] b, int o, int n, boolean simd) {
    int full = n - n % LANES;
    return simd ? tail(Lanes.dot(a, b, o, full), a, b, o, full, n) : partials(a, b, o, n);
  }

  /** The scalar order of {@link #sum(float[], int, int, boolean)}, of the products with {@code b} (1 when null). */
  private static double partials(float[] a, float[] b, int o, int n) {
    int full = n - n % LANES;
    double lo = 0;
    double hi = 0;
    for (int j = 0; j < LANES; j++) {
      double p = 0;
      for (int k = j; k < full; k += LANES) {
        p += b == null ? a[o + k] : (double) a[o + k] * b[o + k];
      }
      if (j < LANES / 2) {
        lo += p;
      } else {
        hi += p;
      }
    }
    return tail(lo + hi, a, b, o, full, n);
  }

  private static double tail(double total, float[] a, float[] b, int o, int from, int to) {
    for (int k = from; k < to; k++) {
      total += b == null ? a[o + k] : (double) a[o + k] * b[o + k];
    }
    return total;
  }

  /** {@code dst[k] = log(src[so + k])} for k in {@code [0, n)}, as the exp array form. */
  static void log(float[] src, int so, float[] dst, int n, boolean simd) {
    int k = simd ? Lanes.log(src, so, dst, vectorEnd(n, true), false) : 0;
    for (; k < n; k++) {
      dst[k] = log(src[so + k]);
    }
  }

  /** {@code dst[k] = log1p(src[so + k])} for k in {@code [0, n)}, as the exp array form. */
  static void log1p(float[] src, int so, float[] dst, int n, boolean simd) {
    int k = simd ? Lanes.log(src, so, dst, vectorEnd(n, true), true) : 0;
    for (; k < n; k++) {
      dst[k] = log1p(src[so + k]);
    }
  }

  /**
   * The two functions of the logistic losses for {@code n} elements of {@code x} from {@code at}:
   * {@code e[k] = exp(-|x|)} and {@code lp[k] = log1p(e[k])}, so that {@code softplus(-x) = max(-x, 0) + lp}.
   */
  static void softplusParts(float[] x, int at, int n, float[] e, float[] lp, boolean simd) {
    exp(x, at, e, n, true, simd);
    log1p(e, 0, lp, n, simd);
  }

  /**
   * As {@link #softplusParts}, and {@code r[k] = 1 / (1 + e[k])}, the logistic function's shared part
   * ({@code sigmoid(x) = r} for x &gt;= 0, {@code e r} below): {@code lp = log1p(e)} and r come from one
   * division instead of three ({@link #log1pRecip(float[], float[], float[], int)}), the same bits on both paths.
   */
  static void softplusSigmoidParts(float[] x, int at, int n, float[] e, float[] lp, float[] r, boolean simd) {
    exp(x, at, e, n, true, simd);
    int k = simd ? Lanes.log1pRecip(e, lp, r, vectorEnd(n, true)) : 0;
    for (; k < n; k++) {
      log1pRecip(e, lp, r, k);
    }
  }

  /**
   * {@code lp[k] = log1p(e[k])} and {@code r[k] = 1 / (1 + e[k])} for {@code e[k]} in {@code [0, 1]} or NaN, the
   * scalar twin of a lane of {@link #softplusSigmoidParts}. With {@code u = 1 + e} and log's {@code f} and
   * {@code s = f / (2 + f)}: {@code q = 1 / (u (2 + f))}, {@code s = f u q}, {@code r = (2 + f) q} refined by one Newton step
   * ({@code r + r (1 - u r)}, two fmas, cheaper than a division), and the correction of u's rounding
   * {@code (e - (u - 1)) r}; the extra roundings cost under an ulp of s (measured in the unit test). u is 1 to 2, so the log needs no subnormal scaling and has no special value.
   */
  static void log1pRecip(float[] e, float[] lp, float[] r, int k) {
    float x = e[k];
    if (x != x) {
      lp[k] = x;
      r[k] = x;
      return;
    }
    float u = 1f + x;
    int bits = Float.floatToRawIntBits(u);
    int kk = (bits - SQRT_HALF_BITS) >> 23;
    float f = kk == 0 ? x : Float.intBitsToFloat(bits - (kk << 23)) - 1f;
    float den = f + 2f;
    float q = 1f / (u * den);
    float r0 = den * q;
    float rk = Math.fma(r0, Math.fma(-u, r0, 1f), r0);
    float c = kk == 0 ? 0f : (x - (u - 1f)) * rk;
    float s = f * u * q;
    r[k] = rk;
    lp[k] = logTail(f, s, (float) kk, c);
  }

  /** logCore's sum from its {@code s}: {@code kd ln2 + log(1 + f) + c}. */
  private static float logTail(float f, float s, float kd, float c) {
    float z = s * s;
    float t = Math.fma(L4, z, L3);
    t = Math.fma(t, z, L2);
    t = Math.fma(t, z, L1);
    float hfsq = 0.5f * f * f;
    float lo = Math.fma(kd, LN2_LO, c);
    lo = Math.fma(s, Math.fma(t, z, hfsq), lo);
    return Math.fma(kd, LN2_HI, f - (hfsq - lo));
  }

  /**
   * Per-thread scratch chunks for the float32 kernels: {@code count} arrays of {@link #CHUNK} floats, reused by
   * every block the thread runs, so a call allocates nothing beyond its outputs. A block runs to its end on one
   * thread and calls no other kernel in between, so the arrays are never shared.
   */
  static float[][] scratch(int count) {
    float[][] s = SCRATCH.get();
    if (s.length < count) {
      s = new float[count][CHUNK];
      SCRATCH.set(s);
    }
    return s;
  }

  private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[0][]);

  // ---- vector forms ----------------------------------------------------------------------------------------

  /** The vector code, apart so that loading {@link SimdMath32} does not load the Vector API. */
  static final class Lanes {
    private Lanes() {}

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    static final int L = F.length();

    private static FloatVector all(float v) {
      return FloatVector.broadcast(F, v);
    }

    private static final FloatVector NEG_LN2_HI = all(-LN2_HI);
    private static final FloatVector NEG_LN2_LO = all(-LN2_LO);
    private static final FloatVector V_LN2_HI = all(LN2_HI);
    private static final FloatVector V_LN2_LO = all(LN2_LO);
    private static final FloatVector V_E7 = all(E7);
    private static final FloatVector V_E6 = all(E6);
    private static final FloatVector V_E5 = all(E5);
    private static final FloatVector V_E4 = all(E4);
    private static final FloatVector V_E3 = all(E3);
    private static final FloatVector V_E2 = all(E2);
    private static final FloatVector V_L4 = all(L4);
    private static final FloatVector V_L3 = all(L3);
    private static final FloatVector V_L2 = all(L2);
    private static final FloatVector V_L1 = all(L1);
    private static final FloatVector ONE = all(1f);

    /**
     * exp of {@code src - shift} (of its negated absolute value when negAbs) over {@code [0, full)}, full a
     * multiple of L; returns full.
     */
    static int exp(float[] src, int so, float[] dst, int full, boolean negAbs, float shift) {
      for (int i = 0; i < full; i += L) {
        FloatVector x = FloatVector.fromArray(F, src, so + i).sub(shift);
        if (negAbs) {
          x = x.abs().neg();
        }
        FloatVector kd = x.fma(LOG2E, SHIFT);
        FloatVector n = kd.sub(SHIFT);
        FloatVector r = n.fma(NEG_LN2_HI, x);
        r = n.fma(NEG_LN2_LO, r);
        FloatVector q = V_E7.fma(r, V_E6);
        q = q.fma(r, V_E5);
        q = q.fma(r, V_E4);
        q = q.fma(r, V_E3);
        q = q.fma(r, V_E2);
        FloatVector p = q.fma(r.mul(r), r).add(1f);
        IntVector nb = kd.reinterpretAsInts().sub(SHIFT_BITS);
        IntVector n1 = nb.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = nb.sub(n1);
        FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        p.mul(s1).mul(s2).blend(0f, x.compare(VectorOperators.LT, EXP_LOW))
            .blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_HIGH)).intoArray(dst, i);
      }
      return full;
    }

    /** The lanes of {@code v[o, o + full)} into double partial sums, added as {@link SimdMath32#sum}. */
    static double sum(float[] v, int o, int full) {
      jdk.incubator.vector.DoubleVector acc0 = jdk.incubator.vector.DoubleVector.zero(SimdSpecies.D);
      jdk.incubator.vector.DoubleVector acc1 = jdk.incubator.vector.DoubleVector.zero(SimdSpecies.D);
      for (int i = 0; i < full; i += L) {
        FloatVector x = FloatVector.fromArray(F, v, o + i);
        acc0 = acc0.add(x.convertShape(VectorOperators.F2D, SimdSpecies.D, 0));
        acc1 = acc1.add(x.convertShape(VectorOperators.F2D, SimdSpecies.D, 1));
      }
      return SimdSpecies.sumLanes(acc0) + SimdSpecies.sumLanes(acc1);
    }

    /** The products of {@code a} and {@code b} over {@code [o, o + full)} in double partial sums, as {@link #sum}. */
    static double dot(float[] a, float[] b, int o, int full) {
      jdk.incubator.vector.DoubleVector acc0 = jdk.incubator.vector.DoubleVector.zero(SimdSpecies.D);
      jdk.incubator.vector.DoubleVector acc1 = jdk.incubator.vector.DoubleVector.zero(SimdSpecies.D);
      for (int i = 0; i < full; i += L) {
        FloatVector x = FloatVector.fromArray(F, a, o + i);
        FloatVector y = FloatVector.fromArray(F, b, o + i);
        acc0 = acc0.add(x.convertShape(VectorOperators.F2D, SimdSpecies.D, 0)
            .mul(y.convertShape(VectorOperators.F2D, SimdSpecies.D, 0)));
        acc1 = acc1.add(x.convertShape(VectorOperators.F2D, SimdSpecies.D, 1)
            .mul(y.convertShape(VectorOperators.F2D, SimdSpecies.D, 1)));
      }
      return SimdSpecies.sumLanes(acc0) + SimdSpecies.sumLanes(acc1);
    }

    /**
     * expSum over {@code [0, full)}, full a multiple of L: {@link #exp} then {@link #sum} over the chunk just
     * written (still in L1), rather than a second copy of exp's body with the sum inside it.
     */
    static double expSum(float[] src, int so, float[] dst, int full, float shift) {
      exp(src, so, dst, full, false, shift);
      return sum(dst, 0, full);
    }

    /** The lanes of {@link SimdMath32#log1pRecip(float[], float[], float[], int)} over {@code [0, full)}. */
    static int log1pRecip(float[] e, float[] lp, float[] r, int full) {
      for (int i = 0; i < full; i += L) {
        FloatVector x = FloatVector.fromArray(F, e, i);
        FloatVector u = x.add(1f);
        IntVector bits = u.reinterpretAsInts();
        IntVector k = bits.sub(SQRT_HALF_BITS).lanewise(VectorOperators.ASHR, 23);
        FloatVector kd = (FloatVector) k.convert(VectorOperators.I2F, 0);
        VectorMask<Float> unscaled = kd.compare(VectorOperators.EQ, 0f);
        FloatVector f = bits.sub(k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f)
            .blend(x, unscaled);
        FloatVector den = f.add(2f);
        FloatVector q = ONE.div(u.mul(den));
        FloatVector r0 = den.mul(q);
        FloatVector rk = r0.fma(u.neg().fma(r0, ONE), r0);
        FloatVector c = x.sub(u.sub(1f)).mul(rk).blend(0f, unscaled);
        FloatVector s = f.mul(u).mul(q);
        FloatVector z = s.mul(s);
        FloatVector hfsq = f.mul(0.5f).mul(f);
        // logTail's operations, in its order
        FloatVector lo = s.fma(V_L4.fma(z, V_L3).fma(z, V_L2).fma(z, V_L1).fma(z, hfsq), kd.fma(V_LN2_LO, c));
        VectorMask<Float> nan = x.test(VectorOperators.IS_NAN);
        kd.fma(V_LN2_HI, f.sub(hfsq.sub(lo))).blend(x, nan).intoArray(lp, i);
        rk.blend(x, nan).intoArray(r, i);
      }
      return full;
    }

    /**
     * log ({@code plusOne == false}) or log1p over {@code [0, full)}, full a multiple of L; returns full. One
     * body for both, as {@link SimdMath}'s: log takes {@code u = x + 0}, no correction and the pole at 0; log1p
     * takes {@code u = 1 + x}, the correction where u is scaled, and the pole at -1 (u is never subnormal there).
     */
    static int log(float[] src, int so, float[] dst, int full, boolean plusOne) {
      VectorMask<Float> one = VectorMask.fromLong(F, plusOne ? -1L : 0L);
      float pole = plusOne ? -1f : 0f;
      float add = plusOne ? 1f : 0f;
      FloatVector zero = FloatVector.zero(F);
      for (int i = 0; i < full; i += L) {
        FloatVector x = FloatVector.fromArray(F, src, so + i);
        FloatVector u = x.add(add);
        VectorMask<Float> sub = u.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector us = u.blend(u.mul(TWO_POW_23), sub);
        IntVector bits = us.reinterpretAsInts();
        IntVector k = bits.sub(SQRT_HALF_BITS).lanewise(VectorOperators.ASHR, 23);
        FloatVector m = bits.sub(k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats();
        FloatVector kd = ((FloatVector) k.convert(VectorOperators.I2F, 0)).sub(zero.blend(23f, sub));
        VectorMask<Float> unscaled = kd.compare(VectorOperators.EQ, 0f).and(one);
        FloatVector f = m.sub(1f).blend(x, unscaled);
        FloatVector c = x.sub(u.sub(1f)).div(u).blend(zero, unscaled.or(one.not()));
        FloatVector s = f.div(f.add(2f));
        FloatVector z = s.mul(s);
        FloatVector t = V_L4.fma(z, V_L3);
        t = t.fma(z, V_L2);
        t = t.fma(z, V_L1);
        FloatVector hfsq = f.mul(0.5f).mul(f);
        FloatVector lo = kd.fma(V_LN2_LO, c);
        lo = s.fma(t.fma(z, hfsq), lo);
        FloatVector y = kd.fma(V_LN2_HI, f.sub(hfsq.sub(lo)));
        y = y.blend(x, x.abs().compare(VectorOperators.LT, TINY_LOG1P).and(one));
        VectorMask<Float> ok = x.compare(VectorOperators.GT, pole)
            .and(x.compare(VectorOperators.LT, Float.POSITIVE_INFINITY));
        FloatVector special = FloatVector.broadcast(F, Float.NaN)
            .blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, pole))
            .blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
        special.blend(y, ok).intoArray(dst, i);
      }
      return full;
    }
  }
}
