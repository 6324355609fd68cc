package dev.loss4j.tensor;

/**
 * Engine-internal access to a tensor's backing array, for the kernel layer ({@code dev.loss4j.kernel}) and
 * the losses that hand it arrays: reading without a copy and adopting a freshly filled array as a tensor.
 *
 * <p>The arrays returned here are the tensor's own storage. Callers must never write to them: tensors
 * are immutable and shared between threads. Arrays passed to an {@code adopt} method become the tensor's
 * storage and must not be written after the call. Application code should use {@link Tensor}'s copying
 * factories and accessors instead.
 */
public final class Storage {
  private Storage() {}

  /** The float32 storage of {@code t} (not a copy). */
  public static float[] floats(Tensor t) {
    return (float[]) t.storage();
  }

  /** The float64 storage of {@code t} (not a copy). */
  public static double[] doubles(Tensor t) {
    return (double[]) t.storage();
  }

  /** The int64 storage of {@code t} (not a copy). */
  public static long[] longs(Tensor t) {
    return (long[]) t.storage();
  }

  /** The int32, int16, int8 or uint8 storage of {@code t} (not a copy; small types hold wrapped values). */
  public static int[] ints(Tensor t) {
    return (int[]) t.storage();
  }

  /** The bool storage of {@code t} (not a copy). */
  public static boolean[] booleans(Tensor t) {
    return (boolean[]) t.storage();
  }

  /** A float32 tensor of {@code shape} whose storage is {@code data} itself. */
  public static Tensor adopt(float[] data, int... shape) {
    return new Tensor(DType.FLOAT32, checked(data.length, shape), data);
  }

  /** A float64 tensor of {@code shape} whose storage is {@code data} itself. */
  public static Tensor adopt(double[] data, int... shape) {
    return new Tensor(DType.FLOAT64, checked(data.length, shape), data);
  }

  /** An int32 tensor of {@code shape} whose storage is {@code data} itself. */
  public static Tensor adopt(int[] data, int... shape) {
    return new Tensor(DType.INT32, checked(data.length, shape), data);
  }

  /**
   * A float16 or bfloat16 tensor of {@code shape} whose storage is {@code data} itself; every value must already
   * be exactly representable in {@code dtype} (rounded with {@link DType#roundFloat}).
   */
  public static Tensor adoptReduced(DType dtype, float[] data, int... shape) {
    if (!dtype.isReducedFloat()) {
      throw new IllegalArgumentException(dtype + " is not float16 or bfloat16");
    }
    return new Tensor(dtype, checked(data.length, shape), data);
  }

  /** A int64 tensor of {@code shape} whose storage is {@code data} itself. */
  public static Tensor adopt(long[] data, int... shape) {
    return new Tensor(DType.INT64, checked(data.length, shape), data);
  }

  private static int[] checked(int length, int[] shape) {
    if (Shapes.numel(shape) != length) {
      throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " does not hold " + length
          + " elements");
    }
    return shape.clone();
  }
}
