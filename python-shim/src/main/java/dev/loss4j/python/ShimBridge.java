package dev.loss4j.python;

import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.errors.ValueError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Storage;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.Value;

/**
 * The few conversions the Python shim needs, each one crossing the language boundary once, in bulk.
 *
 * <p>In: a Python buffer (bytes, bytearray, array.array, a contiguous memoryview) arrives as a polyglot
 * {@link Value} with buffer elements and is read with one {@link Value#readBuffer} call. Out: Python makes a
 * list of the right length and element type ({@code [0.0] * n}), whose backing Java array GraalPy hands over
 * ({@code polyglot.storage}), and {@link #fillList} copies the tensor into it; the string form
 * ({@link #toLatin1}) remains for runtimes that do not expose that array. Nothing here goes element by
 * element across the boundary.
 */
public final class ShimBridge {
  private ShimBridge() {}

  /**
   * A tensor of {@code dtype} and {@code shape} from the raw little-endian bytes of a Python buffer: its own
   * storage layout, except float16 and bfloat16 (sent as float64) and int32, int16, int8 and uint8 (sent as int64),
   * which are converted (the integers wrapped into their dtype's range).
   */
  public static Tensor fromBytes(Value bytes, String dtype, int[] shape) {
    byte[] raw = bytes.as(byte[].class);
    DType target = DType.fromName(dtype);
    DType carrier = target.isReducedFloat() ? DType.FLOAT64
        : target.storedAsInts() || target == DType.UINT32 || target == DType.UINT64 ? DType.INT64 : target;
    return new TensorBuilder(carrier, shape).readBytes(raw).build().to(target);
  }

  /** A leaf variable over {@link #fromBytes}. */
  public static Variable leafFromBytes(Value bytes, String dtype, int[] shape, boolean requiresGrad) {
    return Variable.leaf(fromBytes(bytes, dtype, shape), requiresGrad);
  }

  /**
   * {@code torch.tensor} of a flat Python list in one crossing, without a Python-level pass: {@code storage}
   * is the Java array behind the list ({@code polyglot.storage}), whose first {@code n} elements are the
   * list's. A {@code double[]} (a list of floats, or of floats and ints) gives {@code dtype} when that is a
   * floating dtype, float32 when it is null (PyTorch's inference); float32 and float64 are converted directly,
   * float16 and bfloat16 rounded from float64 as PyTorch rounds a Python float. An {@code int[]} or
   * {@code long[]} (a list of ints) gives int64 when {@code dtype} is null or int64. Anything else (bools,
   * mixed objects, ints into a floating dtype, an integer leaf asked to require grad) returns null, and the
   * shim takes its general path, which also raises PyTorch's errors.
   */
  public static Variable leafFromList(Object storage, int n, String dtype, int[] shape, boolean requiresGrad) {
    DType target = dtype == null ? null : DType.fromName(dtype);
    Tensor t;
    if (storage instanceof double[] d && d.length >= n && (target == null || target.isFloatingPoint())) {
      if (target == null || target == DType.FLOAT32) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
          f[i] = (float) d[i];
        }
        t = Tensor.ofFloats(f, shape);
      } else {
        double[] copy = java.util.Arrays.copyOf(d, n);
        t = Tensor.ofDoubles(copy, shape);
        if (target != DType.FLOAT64) {
          t = t.to(target);
        }
      }
    } else if ((target == null || target == DType.INT64) && !requiresGrad
        && (storage instanceof int[] || storage instanceof long[])) {
      long[] l = new long[n];
      if (storage instanceof int[] a) {
        if (a.length < n) {
          return null;
        }
        for (int i = 0; i < n; i++) {
          l[i] = a[i];
        }
      } else {
        long[] a = (long[]) storage;
        if (a.length < n) {
          return null;
        }
        System.arraycopy(a, 0, l, 0, n);
      }
      t = Tensor.ofLongs(l, shape);
    } else {
      return null;
    }
    return Variable.leaf(t, requiresGrad);
  }

  /**
   * {@code torch.frombuffer} and {@code torch.tensor(buffer)}: {@code count} elements read from byte
   * {@code offset} of a Python buffer in one bulk read, in the machine's byte order, converted to
   * {@code dtype} as PyTorch converts Python scalars of that kind.
   *
   * @param kind the buffer's element kind: {@code 'f'} floating point, {@code 'i'} signed integer,
   *     {@code 'u'} unsigned integer, {@code 'b'} bool (any non-zero byte is true), {@code 'h'} the 2-byte bit
   *     patterns of a float16 or bfloat16 {@code dtype}
   * @param itemSize bytes per element (1, 2, 4 or 8; 4 or 8 for floating point)
   */
  public static Variable leafFromBuffer(Value buffer, long offset, int count, String kind, int itemSize,
                                        String dtype, boolean requiresGrad) {
    byte[] raw = new byte[Math.multiplyExact(count, itemSize)];
    buffer.readBuffer(offset, raw, 0, raw.length);
    ByteBuffer in = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
    DType target = DType.fromName(dtype);
    TensorBuilder out = new TensorBuilder(target, count);
    char k = kind.charAt(0);
    if (k == 'h') {
      out.readBytes(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? raw : swapShorts(in, count));
    } else if (k == 'b') {
      for (int i = 0; i < count; i++) {
        out.set(i, raw[i] != 0 ? 1 : 0);
      }
    } else if (k == 'f' && (target == DType.FLOAT32 || target == DType.FLOAT64)) {
      // the common case, float data to a float tensor: one bulk read of the same width when it matches
      if (itemSize == (target == DType.FLOAT32 ? 4 : 8)) {
        out.readBytes(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? raw : littleEndian(in, itemSize, count));
      } else {
        for (int i = 0; i < count; i++) {
          out.set(i, itemSize == 4 ? in.getFloat(4 * i) : in.getDouble(8 * i));
        }
      }
    } else if (k == 'f') {
      for (int i = 0; i < count; i++) {
        double v = itemSize == 4 ? in.getFloat(4 * i) : in.getDouble(8 * i);
        if (target == DType.INT64 || target == DType.INT32) {
          out.setLong(i, toLong(v));
        } else if (target.isIntegral()) {
          out.set(i, target.checkedScalar(v, true, false));
        } else if (target.isFloatingPoint()) {
          out.set(i, v);
        } else {
          out.set(i, v != 0 ? 1 : 0); // NaN is true, as bool(nan) is
        }
      }
    } else {
      for (int i = 0; i < count; i++) {
        long v = integer(in, i, itemSize, k == 'u');
        boolean unsignedHigh = k == 'u' && v < 0;
        if (target.isIntegral()) {
          if (unsignedHigh) {
            throw new ValueError("Overflow when unpacking long long");
          }
          // Python ints stored into uint8/int8/int16 are range-checked as torch.tensor checks them
          out.setLong(i, target == DType.INT64 || target == DType.INT32 ? v : (long) target.checkedScalar(v, false, false));
        } else if (target == DType.BOOL) {
          out.set(i, v != 0 ? 1 : 0);
        } else {
          out.set(i, unsignedHigh ? new BigDecimal(Long.toUnsignedString(v)).doubleValue() : (double) v);
        }
      }
    }
    return Variable.leaf(out.build(), requiresGrad);
  }

  private static byte[] littleEndian(ByteBuffer in, int itemSize, int count) {
    ByteBuffer le = ByteBuffer.allocate(itemSize * count).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      if (itemSize == 4) {
        le.putFloat(in.getFloat(4 * i));
      } else {
        le.putDouble(in.getDouble(8 * i));
      }
    }
    return le.array();
  }

  private static byte[] swapShorts(ByteBuffer in, int count) {
    ByteBuffer le = ByteBuffer.allocate(2 * count).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      le.putShort(in.getShort(2 * i));
    }
    return le.array();
  }

  private static long integer(ByteBuffer in, int i, int itemSize, boolean unsigned) {
    return switch (itemSize) {
      case 1 -> unsigned ? in.get(i) & 0xFFL : in.get(i);
      case 2 -> unsigned ? in.getShort(2 * i) & 0xFFFFL : in.getShort(2 * i);
      case 4 -> unsigned ? in.getInt(4 * i) & 0xFFFFFFFFL : in.getInt(4 * i);
      default -> in.getLong(8 * i);
    };
  }

  /** A Python float stored into an int64 tensor: truncated toward zero, refused outside int64's range. */
  private static long toLong(double v) {
    if (!(v >= -0x1p63 && v < 0x1p63)) {
      throw new RuntimeError("value cannot be converted to type int64 without overflow");
    }
    return (long) v;
  }

  /**
   * {@code tensor.tolist()}'s one crossing: copies the tensor's elements into {@code storage}, the Java
   * array behind a Python list of {@code numel} placeholders ({@code double[]} for float32 and float64,
   * {@code long[]} for the integer dtypes, {@code boolean[]} for bool), so the list holds Python floats, ints or bools.
   * Returns false, copying nothing, when {@code storage} is not such an array.
   */
  public static boolean fillList(Object storage, Tensor t) {
    int n = t.numel();
    switch (t.dtype()) {
      case FLOAT32, FLOAT16, BFLOAT16 -> {
        if (!(storage instanceof double[] d) || d.length < n) {
          return false;
        }
        float[] f = Storage.floats(t);
        for (int i = 0; i < n; i++) {
          d[i] = f[i];
        }
      }
      case FLOAT64 -> {
        if (!(storage instanceof double[] d) || d.length < n) {
          return false;
        }
        System.arraycopy(Storage.doubles(t), 0, d, 0, n);
      }
      case INT64 -> {
        if (!(storage instanceof long[] l) || l.length < n) {
          return false;
        }
        System.arraycopy(Storage.longs(t), 0, l, 0, n);
      }
      case INT32, UINT8, INT8, INT16, UINT16 -> {
        if (!(storage instanceof long[] l) || l.length < n) {
          return false;
        }
        int[] v = Storage.ints(t);
        for (int i = 0; i < n; i++) {
          l[i] = v[i];
        }
      }
      case UINT32 -> {
        if (!(storage instanceof long[] l) || l.length < n) {
          return false;
        }
        System.arraycopy(Storage.longs(t), 0, l, 0, n);
      }
      case UINT64 -> {
        // values of 2^63 and more have no long: the bytes route (unpacked unsigned) takes this dtype
        return false;
      }
      case BOOL -> {
        if (!(storage instanceof boolean[] b) || b.length < n) {
          return false;
        }
        System.arraycopy(Storage.booleans(t), 0, b, 0, n);
      }
    }
    return true;
  }

  /** The tensor's bytes as an ISO-8859-1 string: one char a byte, which Python encodes back for free. */
  public static String toLatin1(Tensor t) {
    return new String(t.toBytes(), StandardCharsets.ISO_8859_1);
  }

  /** The dtype's position in {@link DType#values()}: the shim maps it to its dtype object in one call. */
  public static int dtypeCode(Variable v) {
    return v.data().dtype().ordinal();
  }

  /**
   * {@code tensor.item()}: the one element as a Python float, int or bool (a {@code Double}, {@code Long}
   * or {@code Boolean} here), in one call.
   */
  public static Object item(Variable v) {
    Tensor t = v.data();
    if (t.numel() != 1) {
      throw new RuntimeError("a Tensor with " + t.numel() + " elements cannot be converted to Scalar");
    }
    return switch (t.dtype()) {
      case INT64, INT32, UINT8, INT8, INT16, UINT16, UINT32 -> t.getLong(0);
      // 2^63 and above as the decimal string, which the shim's item() turns into a Python int
      case UINT64 -> t.getLong(0) >= 0 ? (Object) t.getLong(0) : Long.toUnsignedString(t.getLong(0));
      case BOOL -> t.getDouble(0) != 0;
      default -> t.getDouble(0);
    };
  }

  /**
   * The Java heap's size and how to raise it, for a MemoryError's message: "out of memory: the Java heap
   * (4096 MiB) is full; give loss4j more with LOSS4J_JAVA_OPTS=-Xmx8g (or more)".
   */
  public static String heapAdvice() {
    long mib = Runtime.getRuntime().maxMemory() >> 20;
    long doubled = Math.max(1, (mib * 2 + 1023) >> 10);
    return "out of memory: the Java heap (" + mib + " MiB) is full; give loss4j more with LOSS4J_JAVA_OPTS=-Xmx"
        + doubled + "g (or more)";
  }

  /** PyTorch's repr of a variable, with its grad_fn or requires_grad suffix. */
  public static String repr(Variable v) {
    return v.toString();
  }
}
