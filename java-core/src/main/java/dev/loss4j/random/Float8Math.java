package dev.loss4j.random;

/**
 * The single-precision log, sine and cosine that PyTorch 1.13's AVX2 {@code normal_fill} uses (Cephes'
 * polynomials, as vectorised in avx_mathfun), reproduced operation for operation in float arithmetic,
 * including the fused multiply-adds the compiler forms, so float32 {@code randn} matches PyTorch bit for bit
 * (checked against 100,000 recorded samples; libm's log/cos/sin differ in the last bit for about 40% of them).
 */
final class Float8Math {
  private Float8Math() {}

  private static final float SQRT_HALF = 0.707106781186547524f;
  private static final float[] LOG_P = {
    7.0376836292E-2f, -1.1514610310E-1f, 1.1676998740E-1f, -1.2420140846E-1f, 1.4249322787E-1f,
    -1.6668057665E-1f, 2.0000714765E-1f, -2.4999993993E-1f, 3.3333331174E-1f,
  };
  private static final float LOG_Q1 = -2.12194440e-4f;
  private static final float LOG_Q2 = 0.693359375f;
  private static final float FOUR_OVER_PI = 1.27323954473516f;
  private static final float DP1 = -0.78515625f;
  private static final float DP2 = -2.4187564849853515625e-4f;
  private static final float DP3 = -3.77489497744594108e-8f;
  private static final float[] SIN_P = {-1.9515295891E-4f, 8.3321608736E-3f, -1.6666654611E-1f};
  private static final float[] COS_P = {2.443315711809948E-005f, -1.388731625493765E-003f, 4.166664568298827E-002f};

  /** Natural log of a positive float: exponent split, then a degree-8 polynomial on the mantissa. */
  static float log(float x) {
    boolean invalid = x <= 0 || Float.isNaN(x);
    x = Math.max(x, Float.MIN_NORMAL);
    int bits = Float.floatToRawIntBits(x);
    float e = (float) ((bits >>> 23) - 0x7f) + 1f;
    x = Float.intBitsToFloat((bits & ~0x7f800000) | Float.floatToRawIntBits(0.5f));
    boolean small = x < SQRT_HALF;
    float tmp = small ? x : 0f;
    x = x - 1f;
    e = e - (small ? 1f : 0f);
    x = x + tmp;
    float z = x * x;
    float y = LOG_P[0];
    for (int i = 1; i < LOG_P.length; i++) {
      y = Math.fma(y, x, LOG_P[i]);
    }
    y = y * x;
    y = Math.fma(y, z, e * LOG_Q1);
    y = Math.fma(-z, 0.5f, y);
    x = x + y;
    x = Math.fma(e, LOG_Q2, x);
    return invalid ? Float.NaN : x;
  }

  /** {sin(x), cos(x)}: reduction by pi/4 in three parts, then the two Cephes polynomials. */
  static float[] sincos(float x) {
    int signSin = Float.floatToRawIntBits(x) & 0x80000000;
    x = Math.abs(x);
    int j = (int) (x * FOUR_OVER_PI);
    j = (j + 1) & ~1;
    float y = (float) j;
    int swapSin = (j & 4) << 29;
    boolean sinPoly = (j & 2) == 0;
    x = Math.fma(y, DP1, x);
    x = Math.fma(y, DP2, x);
    x = Math.fma(y, DP3, x);
    int signCos = (~(j - 2) & 4) << 29;
    signSin ^= swapSin;
    float z = x * x;
    float c = Math.fma(Math.fma(COS_P[0], z, COS_P[1]), z, COS_P[2]) * z;
    c = Math.fma(c, z, -(z * 0.5f));
    c = c + 1f;
    float s = Math.fma(Math.fma(SIN_P[0], z, SIN_P[1]), z, SIN_P[2]) * z;
    s = Math.fma(s, x, x);
    float sin = sinPoly ? s : c;
    float cos = sinPoly ? c : s;
    return new float[] {
      Float.intBitsToFloat(Float.floatToRawIntBits(sin) ^ signSin),
      Float.intBitsToFloat(Float.floatToRawIntBits(cos) ^ signCos)
    };
  }
}
