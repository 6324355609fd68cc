package dev.loss4j.tensor;

import dev.loss4j.errors.RuntimeError;
import java.util.Arrays;

/**
 * An immutable n-dimensional array: a shape, a {@link DType} and row-major primitive storage
 * ({@code float[]} for float32, {@code double[]} for float64, {@code long[]} for int64, {@code boolean[]}
 * for bool, {@code int[]} for int32, int16, int8 and uint8 (each value wrapped into its dtype's range), and {@code float[]} holding exactly representable values for float16 and
 * bfloat16). Any rank, including 0-d scalars and empty tensors.
 *
 * <p>Factories copy the caller's array, accessors copy out, and reshapes share storage: nothing can
 * change a Tensor once built, so tensors are safe to share between threads. Gradients and graphs live
 * in {@code dev.loss4j.autograd.Variable}, not here.
 */
public final class Tensor {
  private final DType dtype;
  private final int[] shape;
  private final Object storage;

  Tensor(DType dtype, int[] shape, Object storage) {
    this.dtype = dtype;
    this.shape = shape;
    this.storage = storage;
  }

  // ---- factories ------------------------------------------------------------------------------------

  public static Tensor ofFloats(float[] data, int... shape) {
    checkLength(data.length, shape);
    return new Tensor(DType.FLOAT32, shape.clone(), data.clone());
  }

  public static Tensor ofDoubles(double[] data, int... shape) {
    checkLength(data.length, shape);
    return new Tensor(DType.FLOAT64, shape.clone(), data.clone());
  }

  public static Tensor ofLongs(long[] data, int... shape) {
    checkLength(data.length, shape);
    return new Tensor(DType.INT64, shape.clone(), data.clone());
  }

  public static Tensor ofInts(int[] data, int... shape) {
    checkLength(data.length, shape);
    return new Tensor(DType.INT32, shape.clone(), data.clone());
  }

  /**
   * An int32, int16, int8 or uint8 tensor of {@code data}, each value narrowed to {@code dtype} as a C++ cast does
   * ({@link DType#wrap}: 300 becomes 44 in uint8).
   */
  public static Tensor ofInts(DType dtype, int[] data, int... shape) {
    if (!dtype.storedAsInts()) {
      throw new IllegalArgumentException(dtype + " is not int32, int16, int8 or uint8");
    }
    checkLength(data.length, shape);
    int[] wrapped = new int[data.length];
    for (int i = 0; i < wrapped.length; i++) {
      wrapped[i] = (int) dtype.wrap(data[i]);
    }
    return new Tensor(dtype, shape.clone(), wrapped);
  }

  /** A float16 or bfloat16 tensor of {@code data}, each value rounded to {@code dtype}. */
  public static Tensor ofReduced(DType dtype, float[] data, int... shape) {
    if (!dtype.isReducedFloat()) {
      throw new IllegalArgumentException(dtype + " is not float16 or bfloat16");
    }
    checkLength(data.length, shape);
    float[] rounded = new float[data.length];
    for (int i = 0; i < rounded.length; i++) {
      rounded[i] = dtype.roundFloat(data[i]);
    }
    return new Tensor(dtype, shape.clone(), rounded);
  }

  public static Tensor ofBooleans(boolean[] data, int... shape) {
    checkLength(data.length, shape);
    return new Tensor(DType.BOOL, shape.clone(), data.clone());
  }

  /** A 0-d tensor holding {@code value} converted to {@code dtype}. */
  public static Tensor scalar(double value, DType dtype) {
    return full(value, dtype);
  }

  public static Tensor zeros(DType dtype, int... shape) {
    return new TensorBuilder(dtype, shape).build();
  }

  /** A tensor of {@code shape} filled with {@code value} converted to {@code dtype}. */
  public static Tensor full(double value, DType dtype, int... shape) {
    TensorBuilder b = new TensorBuilder(dtype, shape);
    b.fill(value);
    return b.build();
  }

  private static void checkLength(int length, int[] shape) {
    int n = Shapes.numel(shape);
    if (n != length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + n + " elements, the data has " + length);
    }
  }

  // ---- shape ----------------------------------------------------------------------------------------

  public DType dtype() {
    return dtype;
  }

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  public int dim() {
    return shape.length;
  }

  public int size(int d) {
    return shape[d < 0 ? d + shape.length : d];
  }

  public int numel() {
    return switch (dtype) {
      case FLOAT32, FLOAT16, BFLOAT16 -> ((float[]) storage).length;
      case FLOAT64 -> ((double[]) storage).length;
      case INT64, UINT32, UINT64 -> ((long[]) storage).length;
      case BOOL -> ((boolean[]) storage).length;
      case INT32, UINT8, INT8, INT16, UINT16 -> ((int[]) storage).length;
    };
  }

  public boolean sameShape(Tensor other) {
    return Arrays.equals(shape, other.shape);
  }

  /** The same data viewed with another shape of equal element count; -1 infers one size, as torch does. */
  public Tensor reshape(int... newShape) {
    int[] resolved = newShape.clone();
    int infer = -1;
    long known = 1;
    for (int d = 0; d < resolved.length; d++) {
      if (resolved[d] == -1) {
        if (infer >= 0) {
          throw new RuntimeError("only one dimension can be inferred");
        }
        infer = d;
      } else {
        known *= resolved[d];
      }
    }
    int n = numel();
    if (infer >= 0) {
      if (known == 0 || n % known != 0) {
        throw new RuntimeError("shape '" + Shapes.format(newShape) + "' is invalid for input of size " + n);
      }
      resolved[infer] = (int) (n / known);
    } else if (known != n) {
      throw new RuntimeError("shape '" + Shapes.format(newShape) + "' is invalid for input of size " + n);
    }
    return new Tensor(dtype, resolved, storage);
  }

  // ---- elements -------------------------------------------------------------------------------------

  /** The element at a row-major flat index, widened to double (int64 beyond 2^53 loses precision). */
  public double getDouble(int flatIndex) {
    return switch (dtype) {
      case FLOAT32, FLOAT16, BFLOAT16 -> ((float[]) storage)[flatIndex];
      case FLOAT64 -> ((double[]) storage)[flatIndex];
      case INT64, UINT32 -> ((long[]) storage)[flatIndex];
      case UINT64 -> dtype.unsignedAware(((long[]) storage)[flatIndex]);
      case BOOL -> ((boolean[]) storage)[flatIndex] ? 1.0 : 0.0;
      case INT32, UINT8, INT8, INT16, UINT16 -> ((int[]) storage)[flatIndex];
    };
  }

  /** The element at a row-major flat index as a long (floating values truncate toward zero). */
  public long getLong(int flatIndex) {
    return switch (dtype) {
      case INT64, UINT32, UINT64 -> ((long[]) storage)[flatIndex];
      case INT32, UINT8, INT8, INT16, UINT16 -> ((int[]) storage)[flatIndex];
      case BOOL -> ((boolean[]) storage)[flatIndex] ? 1L : 0L;
      default -> (long) getDouble(flatIndex);
    };
  }

  /** The value of a one-element tensor, as {@code Tensor.item()}. */
  public double item() {
    if (numel() != 1) {
      throw new RuntimeError("a Tensor with " + numel() + " elements cannot be converted to Scalar");
    }
    return getDouble(0);
  }

  public float[] toFloatArray() {
    if (dtype == DType.FLOAT32) {
      return ((float[]) storage).clone();
    }
    float[] out = new float[numel()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) getDouble(i);
    }
    return out;
  }

  public double[] toDoubleArray() {
    if (dtype == DType.FLOAT64) {
      return ((double[]) storage).clone();
    }
    double[] out = new double[numel()];
    for (int i = 0; i < out.length; i++) {
      out[i] = getDouble(i);
    }
    return out;
  }

  public long[] toLongArray() {
    if (dtype == DType.INT64) {
      return ((long[]) storage).clone();
    }
    long[] out = new long[numel()];
    for (int i = 0; i < out.length; i++) {
      out[i] = getLong(i);
    }
    return out;
  }

  /** This tensor converted to {@code target} ({@code this} when it already is), as {@code Tensor.to(dtype)}. */
  public Tensor to(DType target) {
    if (target == dtype) {
      return this;
    }
    TensorBuilder b = new TensorBuilder(target, shape);
    int n = numel();
    for (int i = 0; i < n; i++) {
      // floating values reach the small integer dtypes through DType.fromFloating (TensorBuilder.set)
      if (target == DType.INT64 || target == DType.INT32 || (target.isIntegral() && !dtype.isFloatingPoint())) {
        b.setLong(i, getLong(i));
      } else {
        b.set(i, getDouble(i));
      }
    }
    return b.build();
  }

  /**
   * The elements as little-endian bytes of this dtype (4 a float32 or int32, 8 a float64 or int64, 2 an int16, a
   * float16 or a bfloat16 (their IEEE / truncated-float32 bit patterns), 1 a bool, uint8 or int8): the bulk form
   * in which data crosses to Python.
   */
  public byte[] toBytes() {
    int n = numel();
    java.nio.ByteBuffer buf;
    switch (dtype) {
      case FLOAT32 -> {
        buf = java.nio.ByteBuffer.allocate(4 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put((float[]) storage);
      }
      case FLOAT64 -> {
        buf = java.nio.ByteBuffer.allocate(8 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.asDoubleBuffer().put((double[]) storage);
      }
      case INT64 -> {
        buf = java.nio.ByteBuffer.allocate(8 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put((long[]) storage);
      }
      case INT32 -> {
        buf = java.nio.ByteBuffer.allocate(4 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.asIntBuffer().put((int[]) storage);
      }
      case UINT8, INT8 -> {
        byte[] out = new byte[n];
        int[] v = (int[]) storage;
        for (int i = 0; i < n; i++) {
          out[i] = (byte) v[i];
        }
        return out;
      }
      case INT16, UINT16 -> {
        buf = java.nio.ByteBuffer.allocate(2 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int v : (int[]) storage) {
          buf.putShort((short) v);
        }
      }
      case UINT32 -> {
        buf = java.nio.ByteBuffer.allocate(4 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long v : (long[]) storage) {
          buf.putInt((int) v);
        }
      }
      case UINT64 -> {
        buf = java.nio.ByteBuffer.allocate(8 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put((long[]) storage);
      }
      case FLOAT16, BFLOAT16 -> {
        buf = java.nio.ByteBuffer.allocate(2 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        float[] f = (float[]) storage;
        for (int i = 0; i < n; i++) {
          buf.putShort(dtype == DType.FLOAT16 ? Float.floatToFloat16(f[i])
              : (short) (Float.floatToRawIntBits(f[i]) >>> 16));
        }
      }
      default -> {
        byte[] out = new byte[n];
        boolean[] b = (boolean[]) storage;
        for (int i = 0; i < n; i++) {
          out[i] = (byte) (b[i] ? 1 : 0);
        }
        return out;
      }
    }
    return buf.array();
  }

  /** The raw storage, for code in this package and builders; never handed out mutable. */
  Object storage() {
    return storage;
  }

  /** PyTorch's printed form, e.g. {@code tensor([0.5000, 1.0000])}. */
  @Override
  public String toString() {
    return TensorFormatter.repr(this, java.util.List.of());
  }

  /** Equal dtype, shape and elements (NaN equal to NaN). */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Tensor t) || t.dtype != dtype || !Arrays.equals(t.shape, shape)) {
      return false;
    }
    return switch (dtype) {
      case FLOAT32, FLOAT16, BFLOAT16 -> Arrays.equals((float[]) storage, (float[]) t.storage);
      case FLOAT64 -> Arrays.equals((double[]) storage, (double[]) t.storage);
      case INT64, UINT32, UINT64 -> Arrays.equals((long[]) storage, (long[]) t.storage);
      case BOOL -> Arrays.equals((boolean[]) storage, (boolean[]) t.storage);
      case INT32, UINT8, INT8, INT16, UINT16 -> Arrays.equals((int[]) storage, (int[]) t.storage);
    };
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + dtype.hashCode();
  }
}
