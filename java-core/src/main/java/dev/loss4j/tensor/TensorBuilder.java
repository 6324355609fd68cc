package dev.loss4j.tensor;

/**
 * A write-once buffer that becomes a {@link Tensor}: kernels fill it element by element (values are
 * rounded to the dtype as they are stored) and {@link #build()} hands the storage over without a copy.
 * Writing after {@code build()} throws, which keeps built tensors immutable.
 */
public final class TensorBuilder {
  private final DType dtype;
  private final int[] shape;
  private Object storage;

  public TensorBuilder(DType dtype, int... shape) {
    this.dtype = dtype;
    this.shape = shape.clone();
    int n = Shapes.numel(shape);
    this.storage = switch (dtype) {
      case FLOAT32, FLOAT16, BFLOAT16 -> new float[n];
      case FLOAT64 -> new double[n];
      case INT64, UINT32, UINT64 -> new long[n];
      case BOOL -> new boolean[n];
      case INT32, UINT8, INT8, INT16, UINT16 -> new int[n];
    };
  }

  public DType dtype() {
    return dtype;
  }

  public int numel() {
    return Shapes.numel(shape);
  }

  public void set(int i, double v) {
    switch (dtype) {
      case FLOAT32 -> ((float[]) live())[i] = (float) v;
      case FLOAT64 -> ((double[]) live())[i] = v;
      case INT64 -> ((long[]) live())[i] = (long) v;
      case BOOL -> ((boolean[]) live())[i] = v != 0;
      case INT32 -> ((int[]) live())[i] = (int) (long) v;
      case UINT8, INT8, INT16, UINT16 -> ((int[]) live())[i] = (int) dtype.fromFloating(v);
      case UINT32, UINT64 -> ((long[]) live())[i] = dtype.fromFloating(v);
      case FLOAT16, BFLOAT16 -> ((float[]) live())[i] = dtype.roundFloat((float) v);
    }
  }

  public void setLong(int i, long v) {
    switch (dtype) {
      case INT64 -> ((long[]) live())[i] = v;
      case INT32 -> ((int[]) live())[i] = (int) v;
      case UINT8, INT8, INT16, UINT16 -> ((int[]) live())[i] = (int) dtype.wrap(v);
      case UINT32, UINT64 -> ((long[]) live())[i] = dtype.wrap(v);
      default -> set(i, v);
    }
  }

  public double get(int i) {
    return switch (dtype) {
      case FLOAT32, FLOAT16, BFLOAT16 -> ((float[]) live())[i];
      case FLOAT64 -> ((double[]) live())[i];
      case INT64, UINT32 -> ((long[]) live())[i];
      case UINT64 -> dtype.unsignedAware(((long[]) live())[i]);
      case BOOL -> ((boolean[]) live())[i] ? 1 : 0;
      case INT32, UINT8, INT8, INT16, UINT16 -> ((int[]) live())[i];
    };
  }

  public void fill(double v) {
    switch (dtype) {
      case FLOAT32 -> java.util.Arrays.fill((float[]) live(), (float) v);
      case FLOAT64 -> java.util.Arrays.fill((double[]) live(), v);
      case INT64 -> java.util.Arrays.fill((long[]) live(), (long) v);
      case BOOL -> java.util.Arrays.fill((boolean[]) live(), v != 0);
      case INT32 -> java.util.Arrays.fill((int[]) live(), (int) (long) v);
      case UINT8, INT8, INT16, UINT16 -> java.util.Arrays.fill((int[]) live(), (int) dtype.fromFloating(v));
      case UINT32, UINT64 -> java.util.Arrays.fill((long[]) live(), dtype.fromFloating(v));
      case FLOAT16, BFLOAT16 -> java.util.Arrays.fill((float[]) live(), dtype.roundFloat((float) v));
    }
  }

  /**
   * Takes raw little-endian bytes of this builder's dtype (8 for float64/int64, 4 for float32/int32, 2 for int16
   * and the bit patterns of float16/bfloat16, 1 for bool, uint8 and int8).
   */
  public TensorBuilder readBytes(byte[] bytes) {
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    switch (dtype) {
      case FLOAT32 -> buf.asFloatBuffer().get((float[]) live());
      case FLOAT64 -> buf.asDoubleBuffer().get((double[]) live());
      case INT64 -> buf.asLongBuffer().get((long[]) live());
      case INT32 -> buf.asIntBuffer().get((int[]) live());
      case UINT8, INT8, INT16, UINT16 -> {
        int[] v = (int[]) live();
        for (int i = 0; i < v.length; i++) {
          v[i] = (int) dtype.wrap(dtype == DType.INT16 || dtype == DType.UINT16 ? buf.getShort() : buf.get());
        }
      }
      case UINT32 -> {
        long[] v = (long[]) live();
        for (int i = 0; i < v.length; i++) {
          v[i] = dtype.wrap(buf.getInt());
        }
      }
      case UINT64 -> buf.asLongBuffer().get((long[]) live());
      case FLOAT16, BFLOAT16 -> {
        float[] f = (float[]) live();
        for (int i = 0; i < f.length; i++) {
          short h = buf.getShort();
          f[i] = dtype == DType.FLOAT16 ? Float.float16ToFloat(h) : Float.intBitsToFloat((h & 0xffff) << 16);
        }
      }
      case BOOL -> {
        boolean[] b = (boolean[]) live();
        for (int i = 0; i < b.length; i++) {
          b[i] = bytes[i] != 0;
        }
      }
    }
    return this;
  }

  private Object live() {
    if (storage == null) {
      throw new IllegalStateException("TensorBuilder already built");
    }
    return storage;
  }

  /** The finished tensor; the builder is unusable afterwards. */
  public Tensor build() {
    Tensor t = new Tensor(dtype, shape, live());
    storage = null;
    return t;
  }
}
