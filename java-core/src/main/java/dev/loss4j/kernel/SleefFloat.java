package dev.loss4j.kernel;

/**
 * SLEEF's single-precision {@code expf_u10} and {@code logf_u1} as PyTorch's AVX2 build computes them
 * ({@code Vectorized<float>::exp()} and {@code log()}): float32 kernels that follow PyTorch's float arithmetic
 * (the adaptive softmax's log_softmax, sigmoid) take their exponentials here. Scalar twins of the lanes in
 * {@link SimdSleefFloat}; the same bits.
 */
public final class SleefFloat {
  private SleefFloat() {}

  /** {@code e[i] = expf(z[o + i] - shift)} for i in [0, n), on float lanes when the SIMD path is on. */
  public static void expShifted(float[] z, int o, int n, float shift, float[] e) {
    expShifted(z, o, n, shift, e, 0);
  }

  public static void expShifted(float[] z, int o, int n, float shift, float[] e, int eo) {
    expShifted(z, o, n, shift, e, eo, Vectorization.ENABLED);
  }

  /** {@link #expShifted(float[], int, int, float, float[], int)} on lanes only when {@code simd}. */
  static void expShifted(float[] z, int o, int n, float shift, float[] e, int eo, boolean simd) {
    int i = simd ? SimdSleefFloat.expShifted(z, o, n, shift, e, eo) : 0;
    for (; i < n; i++) {
      e[eo + i] = expf(z[o + i] - shift);
    }
  }

  /**
   * SLEEF's {@code expf_u10} as its AVX2 build computes it (fused multiply-adds), which is PyTorch's
   * {@code Vectorized<float>::exp()}: it differs from glibc's {@code expf} in the last bit now and then.
   * Round-to-nearest q, Cody-Waite reduction, degree-6 polynomial; the lanes of {@link SimdSleefFloat} are
   * the same bits.
   */
  public static float expf(float d) {
    float q = (float) Math.rint(d * LOG2E_F);
    int qi = (int) q;
    float s = Math.fma(q, -LN2_HI_F, d);
    s = Math.fma(q, -LN2_LO_F, s);
    float u = X6;
    u = Math.fma(u, s, X5);
    u = Math.fma(u, s, X4);
    u = Math.fma(u, s, X3);
    u = Math.fma(u, s, X2);
    u = Math.fma(u, s, 0.5f);
    u = 1.0f + Math.fma(s * s, u, s);
    int h = qi >> 1;
    u = u * Float.intBitsToFloat((h + 0x7f) << 23) * Float.intBitsToFloat((qi - h + 0x7f) << 23);
    if (d < -104) {
      u = 0;
    }
    if (100 < d) {
      u = Float.POSITIVE_INFINITY;
    }
    return u;
  }

  static final float LOG2E_F = 1.442695040888963407359924681001892137426645954152985934135449406931f;
  static final float LN2_HI_F = 0.693145751953125f;
  static final float LN2_LO_F = 1.428606765330187045e-06f;
  static final float X6 = 0.000198527617612853646278381f;
  static final float X5 = 0.00139304355252534151077271f;
  static final float X4 = 0.00833336077630519866943359f;
  static final float X3 = 0.0416664853692054748535156f;
  static final float X2 = 0.166666671633720397949219f;

  /**
   * SLEEF's {@code logf_u1} (PyTorch's {@code Vectorized<float>::log()}) with its AVX2 fused multiply-adds:
   * a double-float evaluation of 2 atanh((m - 1) / (m + 1)) + e log 2.
   */
  public static float logf(float d) {
    boolean o = d < Float.MIN_NORMAL;
    float dd = o ? d * ((float) (1L << 32) * (float) (1L << 32)) : d;
    int e = ((Float.floatToRawIntBits(dd * (1.0f / 0.75f)) >>> 23) & 0xff) - 0x7f;
    float m = Float.intBitsToFloat(Float.floatToRawIntBits(dd) + ((-e) << 23));
    if (o) {
      e -= 64;
    }
    // s = e log 2 as a double-float (hi, lo)
    float sh = 0.69314718246459960938f * e;
    float sl = Math.fma(-1.904654323148236017e-09f, e, Math.fma(0.69314718246459960938f, e, -sh));
    // x = (m - 1) / (m + 1) as a double-float
    float nh = -1 + m;
    float nv = nh - (-1);
    float nl = (-1 - (nh - nv)) + (m - nv);
    float dh = 1 + m;
    float dv = dh - 1;
    float dl = (1 - (dh - dv)) + (m - dv);
    float t0 = 1.0f / dh;
    float xh = nh * t0;
    float u0 = Math.fma(t0, nh, -xh);
    float v0 = Math.fma(-dl, t0, Math.fma(-dh, t0, 1));
    float xl = Math.fma(xh, v0, Math.fma(nl, t0, u0));
    float x2 = xh * xh;
    float t = 0.3027294874e+0f;
    t = Math.fma(t, x2, 0.3996108174e+0f);
    t = Math.fma(t, x2, 0.6666694880e+0f);
    float sx = sh + xh * 2;
    float sxl = (((sh - sx) + xh * 2) + sl) + xl * 2;
    float y = (x2 * xh) * t;
    float sx2 = sx + y;
    float r = sx2 + (((sx - sx2) + y) + sxl);
    if (d == Float.POSITIVE_INFINITY) {
      r = Float.POSITIVE_INFINITY;
    }
    if (d < 0 || Float.isNaN(d)) {
      r = Float.NaN;
    }
    if (d == 0) {
      r = Float.NEGATIVE_INFINITY;
    }
    return r;
  }
}
