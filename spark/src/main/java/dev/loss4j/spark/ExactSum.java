package dev.loss4j.spark;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * An exact sum of doubles: a fixed-point superaccumulator wide enough for every finite double.
 *
 * <p>Why exact and not compensated: Spark adds rows to a buffer in whatever order a partition yields
 * them and merges buffers in whatever order tasks finish. A plain double sum, or even a Kahan or
 * double-double sum, then gives results that can differ in the last bits between runs and partitionings.
 * Here every finite double is a multiple of 2^-1074 below 2^1024, so it is an integer of at most 2098
 * bits in units of 2^-1074. The buffer holds that integer in 32-bit limbs stored in longs: adding a
 * double adds its 53-bit significand, shifted, into at most three limbs, with no rounding at all.
 * Integer addition is associative and commutative, so the sum (and anything computed from it once, at
 * the end) is the same bits at any partitioning and in any merge order. Each add moves a limb by less
 * than 2^32, so carries are propagated only every 2^30 adds. The one rounding happens in
 * {@link #divide}: the exact sum goes to a {@link BigDecimal}, is divided to 34 significant digits, and
 * rounded once to the result's precision (float or double).
 *
 * <p>Infinities and NaN are counted apart and combine as IEEE arithmetic would: NaN, or +inf together
 * with -inf, gives NaN.
 */
final class ExactSum implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int LIMBS = 68; // 2176 bits: 2098 for any double plus room for the top carries
  private static final long MASK = 0xFFFFFFFFL;
  private static final int CARRY_EVERY = 1 << 30;
  private static final BigDecimal UNIT = new BigDecimal(Double.MIN_VALUE); // exactly 2^-1074

  private final long[] limb = new long[LIMBS];
  private int pending;
  private boolean nan;
  private boolean posInf;
  private boolean negInf;

  /** Adds {@code x} exactly. */
  void add(double x) {
    if (x == 0) {
      return;
    }
    if (!Double.isFinite(x)) {
      if (x != x) {
        nan = true;
      } else if (x > 0) {
        posInf = true;
      } else {
        negInf = true;
      }
      return;
    }
    long bits = Double.doubleToRawLongBits(x);
    int exponent = (int) ((bits >>> 52) & 0x7FF);
    long significand = bits & 0xFFFFFFFFFFFFFL;
    int lsb = 0; // position of the significand's lowest bit, in units of 2^-1074
    if (exponent != 0) {
      significand |= 1L << 52;
      lsb = exponent - 1;
    }
    int q = lsb >>> 5;
    int r = lsb & 31;
    long shifted = significand << r; // bits 0..63 of significand * 2^r
    long p0 = shifted & MASK;
    long p1 = shifted >>> 32;
    long p2 = r == 0 ? 0 : significand >>> (64 - r);
    if (bits < 0) {
      limb[q] -= p0;
      limb[q + 1] -= p1;
      limb[q + 2] -= p2;
    } else {
      limb[q] += p0;
      limb[q + 1] += p1;
      limb[q + 2] += p2;
    }
    if (++pending >= CARRY_EVERY) {
      carry();
    }
  }

  /** Adds {@code other}'s sum into this one; {@code other} is left as it was. */
  void add(ExactSum other) {
    carry();
    other.carry();
    for (int i = 0; i < LIMBS; i++) {
      limb[i] += other.limb[i];
    }
    pending = 2;
    nan |= other.nan;
    posInf |= other.posInf;
    negInf |= other.negInf;
  }

  /** Moves each limb's overflow into the next one, leaving limbs 0..n-2 in [0, 2^32). */
  private void carry() {
    for (int i = 0; i < LIMBS - 1; i++) {
      long c = limb[i] >> 32;
      limb[i] &= MASK;
      limb[i + 1] += c;
    }
    pending = 0;
  }

  /** The exact finite part of the sum. */
  BigDecimal exact() {
    carry();
    BigInteger v = BigInteger.ZERO;
    for (int i = LIMBS - 1; i >= 0; i--) {
      v = v.shiftLeft(32).add(BigInteger.valueOf(limb[i]));
    }
    return new BigDecimal(v).multiply(UNIT);
  }

  /** NaN, +inf or -inf when a non-finite value was added, else null. */
  Double special() {
    if (nan || (posInf && negInf)) {
      return Double.NaN;
    }
    if (posInf) {
      return Double.POSITIVE_INFINITY;
    }
    return negInf ? Double.NEGATIVE_INFINITY : null;
  }

  /** The sum as a double, rounded once. */
  double doubleValue() {
    Double s = special();
    return s != null ? s : exact().doubleValue();
  }

  /**
   * {@code numerator / denominator}, rounded once to a float when {@code float32}: NaN for a zero
   * denominator, as PyTorch's mean of nothing and its weighted mean with no weight.
   */
  static double divide(ExactSum numerator, ExactSum denominator, boolean float32) {
    Double s = numerator.special();
    Double d = denominator.special();
    if (s != null || d != null) {
      double a = s != null ? s : numerator.exact().doubleValue();
      double b = d != null ? d : denominator.exact().doubleValue();
      return float32 ? (float) (a / b) : a / b;
    }
    BigDecimal b = denominator.exact();
    BigDecimal a = numerator.exact();
    if (b.signum() == 0) {
      return Double.NaN; // nothing to average over: PyTorch's mean of no element, or of no class weight
    }
    BigDecimal q = a.divide(b, MathContext.DECIMAL128);
    return float32 ? q.floatValue() : q.doubleValue();
  }

  /** The sum rounded once to float or double. */
  static double round(ExactSum sum, boolean float32) {
    Double s = sum.special();
    if (s != null) {
      return s;
    }
    BigDecimal a = sum.exact();
    return float32 ? a.floatValue() : a.doubleValue();
  }
}
