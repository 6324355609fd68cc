package dev.loss4j.random;

import dev.loss4j.errors.NotImplementedError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;

/**
 * PyTorch 1.13's CPU random number generator, bit for bit: a 32-bit Mersenne Twister (mt19937) with
 * PyTorch's transforms, so {@code rand}, {@code randn}, {@code randint} and {@code random_} after
 * {@code manualSeed(s)} give the values {@code torch.manual_seed(s)} gives on CPU.
 *
 * <ul>
 *   <li>uniform float32: the low 24 bits of one 32-bit draw times 2^-24; float64: the low 53 bits of a
 *       64-bit draw (two 32-bit draws, the first high) times 2^-53;
 *   <li>normal, contiguous tensors of 16 or more elements: uniforms filled first, then Box-Muller over
 *       blocks of 16 (u1 = 1 - data[j], u2 = data[j + 8]), the last partial block recomputed from fresh
 *       draws; float32 blocks use the float log/sin/cos of PyTorch's AVX2 kernel; float16/bfloat16 use that
 *       float kernel too, drawing each block's uniforms just before it (see {@link #randn}); smaller tensors: Box-Muller on two float64 uniforms, caching the sine half for the next
 *       draw;
 *   <li>integers in [from, to): a 32-bit draw (64-bit when the range is 2^32 or more) modulo the range.
 * </ul>
 *
 * <p>A generator is mutable state: like {@code torch.Generator}, use one from one thread at a time.
 * The engine holds no global generator; the Python shim keeps one per context as torch's default.
 */
public final class Generator {
  /** The seed of PyTorch's default CPU generator when nothing seeds it. */
  public static final long DEFAULT_SEED = 67280421310721L;

  private static final int N = 624;
  private static final int M = 397;
  private final int[] state = new int[N];
  private int next;
  private long seed;
  private boolean haveNextNormal;
  private double nextNormal;

  public Generator() {
    manualSeed(DEFAULT_SEED);
  }

  public Generator(long seed) {
    manualSeed(seed);
  }

  /** Re-seeds, as {@code torch.manual_seed(seed)}: the twister takes the low 32 bits; the normal cache clears. */
  public synchronized Generator manualSeed(long seed) {
    this.seed = seed;
    state[0] = (int) seed;
    for (int j = 1; j < N; j++) {
      state[j] = 1812433253 * (state[j - 1] ^ (state[j - 1] >>> 30)) + j;
    }
    next = N;
    haveNextNormal = false;
    return this;
  }

  public long initialSeed() {
    return seed;
  }

  /** The next 32-bit output, unsigned, as mt19937's operator(). */
  public long random32() {
    if (next >= N) {
      twist();
    }
    int y = state[next++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y & 0xffffffffL;
  }

  /** Two 32-bit outputs, the first as the high half, as CPUGeneratorImpl::random64. */
  public long random64() {
    long hi = random32();
    long lo = random32();
    return (hi << 32) | lo;
  }

  private void twist() {
    for (int i = 0; i < N; i++) {
      int y = (state[i] & 0x80000000) | (state[(i + 1) % N] & 0x7fffffff);
      int v = state[(i + M) % N] ^ (y >>> 1);
      if ((y & 1) != 0) {
        v ^= 0x9908b0df;
      }
      state[i] = v;
    }
    next = 0;
  }

  private double uniform(DType dtype) {
    if (dtype == DType.FLOAT64) {
      return (random64() & ((1L << 53) - 1)) * 0x1.0p-53;
    }
    return (random32() & ((1L << 24) - 1)) * 0x1.0p-24;
  }

  private double normalDouble() {
    if (haveNextNormal) {
      haveNextNormal = false;
      return nextNormal;
    }
    double u1 = uniform(DType.FLOAT64);
    double u2 = uniform(DType.FLOAT64);
    double r = Math.sqrt(-2.0 * Math.log1p(-u2));
    double theta = 2.0 * Math.PI * u1;
    nextNormal = r * Math.sin(theta);
    haveNextNormal = true;
    return r * Math.cos(theta);
  }

  /** {@code torch.rand(shape, dtype=dtype)}: uniform on [0, 1). */
  public synchronized Tensor rand(DType dtype, int... shape) {
    requireFloating(dtype, "check_uniform_bounds");
    TensorBuilder b = new TensorBuilder(dtype, shape);
    for (int i = 0, n = b.numel(); i < n; i++) {
      b.set(i, uniform(dtype));
    }
    return b.build();
  }

  /**
   * {@code torch.empty(shape, dtype=dtype).uniform_(from, to)}: {@code x * (to - from) + from} for a unit
   * uniform {@code x}, computed in the dtype (float32 bounds are rounded to float first), as ATen does.
   */
  public synchronized Tensor uniform(DType dtype, double from, double to, int... shape) {
    requireFloating(dtype, "check_uniform_bounds");
    TensorBuilder b = new TensorBuilder(dtype, shape);
    for (int i = 0, n = b.numel(); i < n; i++) {
      double x = uniform(dtype);
      if (dtype == DType.FLOAT32) {
        float lo = (float) from;
        float hi = (float) to;
        b.set(i, Math.fma((float) x, hi - lo, lo)); // ATen's AVX2 build fuses this multiply-add
      } else {
        b.set(i, x * (to - from) + from);
      }
    }
    return b.build();
  }

  /** {@code torch.randn(shape, dtype=dtype)}: standard normal. */
  public synchronized Tensor randn(DType dtype, int... shape) {
    requireFloating(dtype, "normal_kernel_cpu");
    TensorBuilder b = new TensorBuilder(dtype, shape);
    int n = b.numel();
    if (n >= 16 && dtype.isReducedFloat()) {
      // 2.13 draws float16/bfloat16 normals block by block with the float32 kernel: 16 uniforms, then their 16
      // normals, for each whole block; a last partial block draws 16 more at n - 16. Each result is rounded to
      // the dtype (found by experiment against 2.13.0+cpu; float32 draws all n uniforms first).
      double[] data = new double[n];
      for (int at = 0; at + 16 <= n; at += 16) {
        drawBlockFloat(data, at);
      }
      if (n % 16 != 0) {
        drawBlockFloat(data, n - 16);
      }
      for (int i = 0; i < n; i++) {
        b.set(i, data[i]);
      }
    } else if (n >= 16) {
      double[] data = new double[n];
      for (int i = 0; i < n; i++) {
        data[i] = roundTo(dtype, uniform(dtype));
      }
      for (int i = 0; i + 16 <= n; i += 16) {
        boxMuller16(data, i, dtype);
      }
      if (n % 16 != 0) {
        int start = n - 16;
        for (int i = 0; i < 16; i++) {
          data[start + i] = roundTo(dtype, uniform(dtype));
        }
        boxMuller16(data, start, dtype);
      }
      for (int i = 0; i < n; i++) {
        b.set(i, data[i]);
      }
    } else {
      for (int i = 0; i < n; i++) {
        b.set(i, normalDouble());
      }
    }
    return b.build();
  }

  private static void boxMuller16(double[] data, int at, DType dtype) {
    if (dtype == DType.FLOAT32) {
      boxMuller16Float(data, at);
      return;
    }
    for (int j = 0; j < 8; j++) {
      double u1 = 1 - data[at + j];
      double u2 = data[at + j + 8];
      double radius = Math.sqrt(-2 * Math.log(u1));
      double theta = 2.0 * Math.PI * u2;
      data[at + j] = radius * Math.cos(theta);
      data[at + j + 8] = radius * Math.sin(theta);
    }
  }

  /** 16 fresh float32 uniforms at {@code at}, then their 16 normals (a float16/bfloat16 block of {@link #randn}). */
  private void drawBlockFloat(double[] data, int at) {
    for (int i = 0; i < 16; i++) {
      data[at + i] = (float) uniform(DType.FLOAT32);
    }
    boxMuller16Float(data, at);
  }

  /** The AVX2 float kernel PyTorch runs for float32: its own float log/sin/cos (see {@link Float8Math}). */
  private static void boxMuller16Float(double[] data, int at) {
    float twoPi = (float) (2.0 * Math.PI);
    for (int j = 0; j < 8; j++) {
      float u1 = 1f - (float) data[at + j];
      float u2 = (float) data[at + j + 8];
      float radius = (float) Math.sqrt(-2f * Float8Math.log(u1));
      float[] sincos = Float8Math.sincos(twoPi * u2);
      data[at + j] = radius * sincos[1];
      data[at + j + 8] = radius * sincos[0];
    }
  }

  private static double roundTo(DType dtype, double v) {
    return dtype == DType.FLOAT32 ? (float) v : v;
  }

  /** {@code torch.randint(low, high, shape, dtype=dtype)} and {@code random_(low, high)}: integers in [low, high). */
  public synchronized Tensor randint(long low, long high, DType dtype, int... shape) {
    if (low >= high) {
      throw new RuntimeError("random_ expects 'from' to be less than 'to', but got from=" + low + " >= to=" + high);
    }
    long range = high - low;
    TensorBuilder b = new TensorBuilder(dtype, shape);
    for (int i = 0, n = b.numel(); i < n; i++) {
      long draw = range >= (1L << 32) ? random64() : random32();
      b.setLong(i, Long.remainderUnsigned(draw, range) + low);
    }
    return b.build();
  }

  private static void requireFloating(DType dtype, String op) {
    if (!dtype.isFloatingPoint()) {
      throw NotImplementedError.forDtype(op, dtype.scalarTypeName());
    }
  }
}
