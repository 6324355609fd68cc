package dev.loss4j.ops;

import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;

/**
 * PyTorch's CPU random numbers, bit for bit: {@code torch.manual_seed}, {@code torch.rand},
 * {@code torch.randn} and {@code torch.randint} draw the same values as PyTorch 1.13 for the same seed.
 *
 * <p>The generator is a 32-bit Mersenne Twister (mt19937) seeded as PyTorch seeds it. rand: float32 takes 24
 * random bits of one draw (x * 2^-24), float64 53 bits of a 64-bit draw (two 32-bit draws, high first).
 * randn: tensors of 16 or more elements are filled with uniforms and transformed 16 at a time by Box-Muller
 * (u1 = 1 - a[j], u2 = a[j+8]; a[j] = r cos t, a[j+8] = r sin t, r = sqrt(-2 log u1), t = 2 pi u2), the
 * last 16 redrawn when the size is not a multiple of 16; smaller tensors draw double normals one by one
 * (a pair from two 53-bit uniforms, the second cached). randint(low, high) maps one draw x (64-bit when
 * the range is 2^32 or more) to low + x mod (high - low).
 *
 * <p>Exact for rand, randint and float64 randn. float32 randn of 16 or more elements computes Box-Muller in
 * float with the JDK's math where PyTorch uses SLEEF's vectorised float functions (1 ulp accuracy), so an
 * element can differ from PyTorch's in its last bit or two.
 *
 * <p>One default generator per JVM, as PyTorch has one per process; it is not thread-safe.
 */
public final class Random {
  private static final Random DEFAULT = new Random(67280421310721L);

  private final int[] mt = new int[624];
  private int index;
  private Double nextNormal;

  private Random(long seed) {
    seed(seed);
  }

  /** The default generator. */
  public static Random defaultGenerator() {
    return DEFAULT;
  }

  /** {@code torch.manual_seed(seed)}. */
  public static void manualSeed(long seed) {
    DEFAULT.seed(seed);
  }

  /** Reseeds this generator. */
  public synchronized void seed(long seed) {
    mt[0] = (int) (seed & 0xffffffffL);
    for (int i = 1; i < 624; i++) {
      mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
    }
    index = 624;
    nextNormal = null;
  }

  /** One 32-bit draw, unsigned in a long. */
  long next32() {
    if (index >= 624) {
      for (int i = 0; i < 624; i++) {
        int y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff);
        mt[i] = mt[(i + 397) % 624] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
      }
      index = 0;
    }
    int y = mt[index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y & 0xffffffffL;
  }

  long next64() {
    long hi = next32();
    long lo = next32();
    return (hi << 32) | lo;
  }

  private double uniform(DType dtype) {
    if (dtype == DType.FLOAT64) {
      return (next64() & ((1L << 53) - 1)) * 0x1.0p-53;
    }
    return (next32() & ((1 << 24) - 1)) * 0x1.0p-24;
  }

  private double normalDouble() {
    if (nextNormal != null) {
      double r = nextNormal;
      nextNormal = null;
      return r;
    }
    double u1 = uniform(DType.FLOAT64);
    double u2 = uniform(DType.FLOAT64);
    double r = Math.sqrt(-2.0 * Math.log1p(-u2));
    double theta = 2.0 * Math.PI * u1;
    nextNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** {@code torch.rand(shape, dtype)}: uniform in [0, 1). */
  public synchronized Tensor rand(int[] shape, DType dtype) {
    checkFloating(dtype, "uniform_");
    TensorBuilder b = new TensorBuilder(dtype, shape);
    for (int i = 0, n = b.numel(); i < n; i++) {
      b.set(i, uniform(dtype));
    }
    return b.build();
  }

  /** {@code torch.randn(shape, dtype)}: standard normal. */
  public synchronized Tensor randn(int[] shape, DType dtype) {
    checkFloating(dtype, "normal_kernel_cpu");
    int n = Shapes.numel(shape);
    double[] a = new double[n];
    if (n >= 16) {
      for (int i = 0; i < n; i++) {
        a[i] = uniform(dtype);
      }
      for (int i = 0; i + 16 <= n; i += 16) {
        boxMuller16(a, i, dtype);
      }
      if (n % 16 != 0) {
        int start = n - 16;
        for (int i = 0; i < 16; i++) {
          a[start + i] = uniform(dtype);
        }
        boxMuller16(a, start, dtype);
      }
    } else {
      for (int i = 0; i < n; i++) {
        a[i] = normalDouble();
      }
    }
    return Kernels.fromDoubles(a, dtype, shape);
  }

  private static void boxMuller16(double[] a, int at, DType dtype) {
    for (int j = 0; j < 8; j++) {
      if (dtype == DType.FLOAT32) {
        float u1 = 1 - (float) a[at + j];
        float u2 = (float) a[at + j + 8];
        float radius = (float) Math.sqrt((float) (-2 * (float) Math.log(u1)));
        float theta = (float) (2.0f * (float) Math.PI * u2);
        a[at + j] = (float) (radius * (float) Math.cos(theta));
        a[at + j + 8] = (float) (radius * (float) Math.sin(theta));
      } else {
        double u1 = 1 - a[at + j];
        double u2 = a[at + j + 8];
        double radius = Math.sqrt(-2 * Math.log(u1));
        double theta = 2.0 * Math.PI * u2;
        a[at + j] = radius * Math.cos(theta);
        a[at + j + 8] = radius * Math.sin(theta);
      }
    }
  }

  /** {@code torch.randint(low, high, shape, dtype)}. */
  public synchronized Tensor randint(long low, long high, int[] shape, DType dtype) {
    if (low >= high) {
      throw new RuntimeError("random_ expects 'from' to be less than 'to', but got from=" + low + " >= to=" + high);
    }
    long range = high - low;
    TensorBuilder b = new TensorBuilder(dtype, shape);
    for (int i = 0, n = b.numel(); i < n; i++) {
      long x = range >= (1L << 32) ? next64() : next32();
      b.setLong(i, low + Long.remainderUnsigned(x, range));
    }
    return b.build();
  }

  private static void checkFloating(DType dtype, String kernel) {
    if (!dtype.isFloatingPoint()) {
      throw new RuntimeError("\"" + kernel + "\" not implemented for '" + dtype.scalarTypeName() + "'");
    }
  }
}
