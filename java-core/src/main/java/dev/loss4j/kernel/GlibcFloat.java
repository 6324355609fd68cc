package dev.loss4j.kernel;

/**
 * glibc's single-precision {@code expf} and {@code logf} (the Arm optimized-routines algorithms that
 * glibc 2.28+ ships: a 32-entry 2^(i/32) table with a cubic, a 16-entry 1/c, log(c) table with a cubic,
 * evaluated in double), which PyTorch's float32 CPU kernels call through {@code std::exp}/{@code std::log}.
 * They are within 0.502 and 0.82 ULP, not correctly rounded, so {@code (float) Math.exp(x)} differs in a
 * few cases per thousand; reproducing them bit for bit keeps long float32 recursions on PyTorch's values.
 */
public final class GlibcFloat {
  private GlibcFloat() {}

  private static final long[] EXP2_TABLE = {
    0x3ff0000000000000L, 0x3fefd9b0d3158574L, 0x3fefb5586cf9890fL, 0x3fef9301d0125b51L,
    0x3fef72b83c7d517bL, 0x3fef54873168b9aaL, 0x3fef387a6e756238L, 0x3fef1e9df51fdee1L,
    0x3fef06fe0a31b715L, 0x3feef1a7373aa9cbL, 0x3feedea64c123422L, 0x3feece086061892dL,
    0x3feebfdad5362a27L, 0x3feeb42b569d4f82L, 0x3feeab07dd485429L, 0x3feea47eb03a5585L,
    0x3feea09e667f3bcdL, 0x3fee9f75e8ec5f74L, 0x3feea11473eb0187L, 0x3feea589994cce13L,
    0x3feeace5422aa0dbL, 0x3feeb737b0cdc5e5L, 0x3feec49182a3f090L, 0x3feed503b23e255dL,
    0x3feee89f995ad3adL, 0x3feeff76f2fb5e47L, 0x3fef199bdd85529cL, 0x3fef3720dcef9069L,
    0x3fef5818dcfba487L, 0x3fef7c97337b9b5fL, 0x3fefa4afa2a490daL, 0x3fefd0765b6e4540L};
  private static final double INV_LN2_N = 0x1.71547652b82fep+0 * 32;
  private static final double SHIFT = 0x1.8p+52;
  private static final double C0 = 0x1.c6af84b912394p-5 / 32 / 32 / 32;
  private static final double C1 = 0x1.ebfce50fac4f3p-3 / 32 / 32;
  private static final double C2 = 0x1.62e42ff0c52d6p-1 / 32;

  /** glibc {@code expf}. */
  public static float expf(float x) {
    int ix = Float.floatToRawIntBits(x);
    int abstop = (ix >>> 20) & 0x7ff;
    if (abstop >= (Float.floatToRawIntBits(88.0f) >>> 20)) {
      if (x == Float.NEGATIVE_INFINITY) {
        return 0.0f;
      }
      if (abstop >= (Float.floatToRawIntBits(Float.POSITIVE_INFINITY) >>> 20)) {
        return x + x;
      }
      if (x > 0x1.62e42ep6f) {
        return Float.POSITIVE_INFINITY;
      }
      if (x < -0x1.9fe368p6f) {
        return 0.0f;
      }
    }
    double xd = x;
    double z = INV_LN2_N * xd;
    double kd = z + SHIFT;
    long ki = Double.doubleToRawLongBits(kd);
    kd -= SHIFT;
    double r = z - kd;
    long t = EXP2_TABLE[(int) (ki & 31)] + (ki << 47);
    double s = Double.longBitsToDouble(t);
    double p = C0 * r + C1;
    double r2 = r * r;
    double y = C2 * r + 1;
    y = p * r2 + y;
    return (float) (y * s);
  }

  private static final double[] INVC = {
    0x1.661ec79f8f3bep+0, 0x1.571ed4aaf883dp+0, 0x1.49539f0f010bp+0, 0x1.3c995b0b80385p+0,
    0x1.30d190c8864a5p+0, 0x1.25e227b0b8eap+0, 0x1.1bb4a4a1a343fp+0, 0x1.12358f08ae5bap+0,
    0x1.0953f419900a7p+0, 0x1p+0, 0x1.e608cfd9a47acp-1, 0x1.ca4b31f026aap-1,
    0x1.b2036576afce6p-1, 0x1.9c2d163a1aa2dp-1, 0x1.886e6037841edp-1, 0x1.767dcf5534862p-1};
  private static final double[] LOGC = {
    -0x1.57bf7808caadep-2, -0x1.2bef0a7c06ddbp-2, -0x1.01eae7f513a67p-2, -0x1.b31d8a68224e9p-3,
    -0x1.6574f0ac07758p-3, -0x1.1aa2bc79c81p-3, -0x1.a4e76ce8c0e5ep-4, -0x1.1973c5a611cccp-4,
    -0x1.252f438e10c1ep-5, 0x0p+0, 0x1.aa5aa5df25984p-5, 0x1.c5e53aa362eb4p-4,
    0x1.526e57720db08p-3, 0x1.bc2860d22477p-3, 0x1.1058bc8a07ee1p-2, 0x1.4043057b6ee09p-2};
  private static final double LN2 = 0x1.62e42fefa39efp-1;
  private static final double A0 = -0x1.00ea348b88334p-2;
  private static final double A1 = 0x1.5575b0be00b6ap-2;
  private static final double A2 = -0x1.ffffef20a4123p-2;

  /** glibc {@code logf}. */
  public static float logf(float x) {
    int ix = Float.floatToRawIntBits(x);
    if (ix == 0x3f800000) {
      return 0.0f;
    }
    if (Integer.compareUnsigned(ix - 0x00800000, 0x7f800000 - 0x00800000) >= 0) {
      if (ix * 2 == 0) {
        return Float.NEGATIVE_INFINITY;
      }
      if (ix == 0x7f800000) {
        return x;
      }
      if ((ix & 0x80000000) != 0 || Integer.compareUnsigned(ix * 2, 0xff000000) >= 0) {
        return Float.NaN;
      }
      // Subnormal: normalise.
      ix = Float.floatToRawIntBits(x * 0x1p23f);
      ix -= 23 << 23;
    }
    int tmp = ix - 0x3f330000;
    int i = (tmp >>> 19) & 15;
    int k = tmp >> 23;
    int iz = ix - (tmp & 0xff800000);
    double z = Float.intBitsToFloat(iz);
    double r = z * INVC[i] - 1;
    double y0 = LOGC[i] + (double) k * LN2;
    double r2 = r * r;
    double y = A1 * r + A2;
    y = A0 * r2 + y;
    y = y * r2 + (y0 + r);
    return (float) y;
  }
}
