package dev.loss4j.tensor;

/** The element types loss4j stores, named as PyTorch prints them ({@code torch.float32}...). */
public enum DType {
  FLOAT32("float32", "Float", true),
  FLOAT64("float64", "Double", true),
  INT64("int64", "Long", false),
  BOOL("bool", "Bool", false),
  /** 32-bit signed integers, stored as {@code int[]}. */
  INT32("int32", "Int", false),
  /** IEEE binary16, stored as {@code float[]} holding only values binary16 represents exactly. */
  FLOAT16("float16", "Half", true),
  /** bfloat16 (float32's exponent, 8 significand bits), stored as {@code float[]} of representable values. */
  BFLOAT16("bfloat16", "BFloat16", true),
  /** 8-bit unsigned integers (0..255), stored as {@code int[]} holding values already wrapped into that range. */
  UINT8("uint8", "Byte", false),
  /** 8-bit signed integers (-128..127), stored as {@code int[]} holding values already wrapped into that range. */
  INT8("int8", "Char", false),
  /** 16-bit signed integers, stored as {@code int[]} holding values already wrapped into their range. */
  INT16("int16", "Short", false),
  /**
   * 16-bit unsigned integers, stored as {@code int[]} of values in 0..65535. PyTorch 2.13 has this dtype with few
   * ops (creation, conversion, printing, mul, sum, comparisons with a number); the others refuse it.
   */
  UINT16("uint16", "UInt16", false),
  /** 32-bit unsigned integers, stored as {@code long[]} of values in 0..2^32 - 1; PyTorch's few ops as uint16. */
  UINT32("uint32", "UInt32", false),
  /**
   * 64-bit unsigned integers, stored as {@code long[]} holding the bits (a negative long is a value of 2^63 or
   * more); PyTorch's few ops as uint16.
   */
  UINT64("uint64", "UInt64", false);

  private final String torchName;
  private final String scalarTypeName;
  private final boolean floatingPoint;

  DType(String torchName, String scalarTypeName, boolean floatingPoint) {
    this.torchName = torchName;
    this.scalarTypeName = scalarTypeName;
    this.floatingPoint = floatingPoint;
  }

  /** {@code "float32"}, as in {@code torch.float32}. */
  public String torchName() {
    return torchName;
  }

  /** ATen's ScalarType name, used in PyTorch's messages: {@code "Float"}, {@code "Long"}. */
  public String scalarTypeName() {
    return scalarTypeName;
  }

  /** The C++ type name some of PyTorch's messages print: {@code "float"}, {@code "double"}, {@code "long int"}. */
  public String cTypeName() {
    return switch (this) {
      case FLOAT32 -> "float";
      case FLOAT64 -> "double";
      case INT64 -> "long int";
      case BOOL -> "bool";
      case INT32 -> "int";
      case FLOAT16 -> "c10::Half";
      case BFLOAT16 -> "c10::BFloat16";
      case UINT8 -> "unsigned char";
      case INT8 -> "signed char";
      case INT16 -> "short int";
      case UINT16 -> "unsigned short";
      case UINT32 -> "unsigned int";
      case UINT64 -> "unsigned long";
    };
  }

  public boolean isFloatingPoint() {
    return floatingPoint;
  }

  /** An integer dtype (int64, int32, int16, int8, uint8, and uint16/uint32/uint64); bool is not one. */
  public boolean isIntegral() {
    return this == INT64 || this == INT32 || this == UINT8 || this == INT8 || this == INT16 || isBarebonesUnsigned();
  }

  /**
   * uint16, uint32 and uint64: PyTorch 2.13 calls them "barebones" dtypes, with limited op support (no add, sub,
   * neg, abs, comparisons between tensors, min/max...) and no type promotion with other integer dtypes.
   */
  public boolean isBarebonesUnsigned() {
    return this == UINT16 || this == UINT32 || this == UINT64;
  }

  /**
   * Throws PyTorch 2.13's NotImplementedError ({@code "add_stub" not implemented for 'UInt16'}) when this is
   * uint16, uint32 or uint64, which {@code kernel} does not take; other dtypes pass.
   */
  public void refuseBarebones(String kernel) {
    if (isBarebonesUnsigned()) {
      throw dev.loss4j.errors.NotImplementedError.forDtype(kernel, scalarTypeName());
    }
  }

  /** The dtypes whose storage is an {@code int[]}: int32, int16, int8, uint8 and uint16. */
  public boolean storedAsInts() {
    return this == INT32 || this == UINT8 || this == INT8 || this == INT16 || this == UINT16;
  }

  /** The dtypes whose storage is a {@code long[]}: int64, uint32 and uint64 (uint64 as raw bits). */
  public boolean storedAsLongs() {
    return this == INT64 || this == UINT32 || this == UINT64;
  }

  /**
   * A stored integer value of this dtype as a double: uint64's bits read unsigned (2^63 and above), the others
   * as they are.
   */
  public double unsignedAware(long v) {
    if (this == UINT64 && v < 0) {
      return (double) (v >>> 1 | (v & 1)) * 2.0;
    }
    return v;
  }

  /** Bits per element: 8 for bool, uint8 and int8, 16 for int16 and float16/bfloat16, 32, or 64. */
  public int bits() {
    return switch (this) {
      case BOOL, UINT8, INT8 -> 8;
      case INT16, FLOAT16, BFLOAT16, UINT16 -> 16;
      case INT32, FLOAT32, UINT32 -> 32;
      case INT64, FLOAT64, UINT64 -> 64;
    };
  }

  /**
   * An integer narrowed to this integral dtype the way a C++ cast does, keeping the low bits (two's complement):
   * 300 becomes 44 in uint8, 200 becomes -56 in int8. int64 and the floating dtypes return {@code v} unchanged;
   * bool gives 1 for any non-zero value.
   */
  public long wrap(long v) {
    return switch (this) {
      case UINT8 -> v & 0xFF;
      case INT8 -> (byte) v;
      case INT16 -> (short) v;
      case INT32 -> (int) v;
      case UINT16 -> v & 0xFFFF;
      case UINT32 -> v & 0xFFFFFFFFL;
      case BOOL -> v != 0 ? 1 : 0;
      default -> v;
    };
  }

  /**
   * A floating value converted to this small integer dtype (uint8, int8, int16) as PyTorch 2.13's CPU kernels
   * do it on x86-64: truncated toward zero to an int64 for uint8 and to an int32 for int8 and int16, where a NaN
   * or a value outside that intermediate type becomes its minimum (the x86 conversion instructions' answer to
   * what C++ leaves undefined), then narrowed by {@link #wrap}. Measured on 2.13.0+cpu: 300.0 gives 44 in uint8,
   * -1.7 gives 255, 1e10 and NaN give 0; 3000000001.0 (float64) gives 1 in uint8 but 0 in int8 and int16.
   */
  public long fromFloating(double v) {
    long t;
    if (this == UINT64) {
      // 2^63 and above through the upper half (x86's unsigned conversion); out of range or NaN, as the signed
      // conversion's answer (2^63), which the upper half's xor turns to 0 past 2^64. Measured on 2.13.0+cpu:
      // NaN and -inf give 2^63, inf and 1.9e19 give 0, -1.7 gives 2^64 - 1.
      if (v >= 0x1p63) {
        return (v - 0x1p63 < 0x1p63 ? (long) (v - 0x1p63) : Long.MIN_VALUE) ^ Long.MIN_VALUE;
      }
      return v >= -0x1p63 ? (long) v : Long.MIN_VALUE;
    }
    if (this == UINT8 || this == UINT32) {
      t = v >= -0x1p63 && v < 0x1p63 ? (long) v : Long.MIN_VALUE;
    } else {
      t = v > -0x1p31 - 1 && v < 0x1p31 ? (long) v : Integer.MIN_VALUE;
    }
    return wrap(t);
  }

  /**
   * A Python number stored into this small integer dtype (uint8, int8, int16) by a factory or used as an op's
   * scalar, checked as PyTorch checks it: an int may lie anywhere in [-max, max] for uint8 (a negative one wraps)
   * and in the type's range for int8/int16; a float must lie in the type's range (from 0 for uint8), NaN and inf
   * never do. Otherwise a RuntimeError "value cannot be converted to type uint8_t without overflow" ({@code
   * "uint8"} without the suffix when {@code cName} is false, as torch.tensor says it). Other dtypes accept any
   * value. Returns the value converted to this dtype.
   */
  public double checkedScalar(double v, boolean isFloat, boolean cName) {
    if (this != UINT8 && this != INT8 && this != INT16) {
      return round(v);
    }
    double max = this == UINT8 ? 255 : this == INT8 ? 127 : 32767;
    double min = this == UINT8 ? (isFloat ? 0 : -255) : -max - 1;
    if (!(v >= min && v <= max)) {
      throw new dev.loss4j.errors.RuntimeError("value cannot be converted to type " + torchName
          + (cName ? "_t" : "") + " without overflow");
    }
    return round(v);
  }

  /**
   * A float scalar stored into this integral dtype by {@code fill_} (as ATen's composites do with a loss's margin,
   * {@code empty_like(self).fill_(margin)}): a value outside the type's range, NaN or inf raises PyTorch's
   * "value cannot be converted to type uint8_t without overflow" (int32 names itself "int", int64 "int64_t"), a
   * value inside it truncates toward zero. Measured on 2.13.0+cpu: 127.9 overflows int8, -0.5 overflows uint8,
   * -0.99 gives 0 in int8.
   */
  public double filled(double v) {
    if (this == UINT8 || this == INT8 || this == INT16) {
      return checkedScalar(v, true, true);
    }
    if (isBarebonesUnsigned()) {
      double max = this == UINT16 ? 65535 : this == UINT32 ? 0x1p32 - 1 : 0x1p64;
      if (!(v >= 0 && v <= max)) {
        throw new dev.loss4j.errors.RuntimeError("value cannot be converted to type " + torchName
            + "_t without overflow");
      }
      return Math.floor(v);
    }
    double lo = this == INT32 ? -0x1p31 : -0x1p63;
    double hi = this == INT32 ? 0x1p31 - 1 : 0x1p63;
    if (this == INT32 || this == INT64) {
      if (!(v >= lo && v <= hi)) {
        throw new dev.loss4j.errors.RuntimeError("value cannot be converted to type "
            + (this == INT32 ? "int" : "int64_t") + " without overflow");
      }
      return (double) (long) v;
    }
    return round(v);
  }

  /** float16 or bfloat16: stored in a {@code float[]}, computed in float32 and rounded back, as on PyTorch's CPU. */
  public boolean isReducedFloat() {
    return this == FLOAT16 || this == BFLOAT16;
  }

  /** The largest finite value of a floating dtype ({@code torch.finfo(dtype).max}). */
  public double maxFinite() {
    return switch (this) {
      case FLOAT32 -> Float.MAX_VALUE;
      case FLOAT64 -> Double.MAX_VALUE;
      case FLOAT16 -> 65504.0;
      case BFLOAT16 -> 3.3895313892515355e38;
      default -> throw new IllegalStateException(name() + " is not a floating dtype");
    };
  }

  /** {@code v} rounded to this dtype's precision (to nearest, ties to even), as a double; integral dtypes truncate. */
  public double round(double v) {
    return switch (this) {
      case FLOAT32 -> (float) v;
      case FLOAT64 -> v;
      case INT64 -> (double) (long) v;
      case INT32 -> (double) (int) (long) v;
      case UINT8, INT8, INT16, UINT16, UINT32 -> fromFloating(v);
      case UINT64 -> unsignedAware(fromFloating(v));
      case BOOL -> v != 0 ? 1 : 0;
      case FLOAT16, BFLOAT16 -> roundFloat((float) v);
    };
  }

  /** A float32 value rounded to float16 or bfloat16 when this is one of them; other dtypes return it unchanged. */
  public float roundFloat(float v) {
    if (this == FLOAT16) {
      return Float.float16ToFloat(Float.floatToFloat16(v));
    }
    if (this == BFLOAT16) {
      if (Float.isNaN(v)) {
        return v;
      }
      int bits = Float.floatToRawIntBits(v);
      bits += 0x7fff + ((bits >>> 16) & 1);
      return Float.intBitsToFloat(bits & 0xffff0000);
    }
    return v;
  }

  /**
   * Looks a dtype up by its torch name or alias: float32/float, float64/double, int64/long, bool, int32/int,
   * float16/half, bfloat16, uint8, int8, int16/short.
   */
  public static DType fromName(String name) {
    return switch (name) {
      case "float32", "float" -> FLOAT32;
      case "float64", "double" -> FLOAT64;
      case "int64", "long" -> INT64;
      case "bool" -> BOOL;
      case "int32", "int" -> INT32;
      case "float16", "half" -> FLOAT16;
      case "bfloat16" -> BFLOAT16;
      case "uint8" -> UINT8;
      case "int8" -> INT8;
      case "int16", "short" -> INT16;
      case "uint16" -> UINT16;
      case "uint32" -> UINT32;
      case "uint64" -> UINT64;
      default -> throw new IllegalArgumentException("unknown dtype " + name);
    };
  }

  /**
   * PyTorch's type promotion for two tensors of these dtypes ({@code torch.result_type} when both are
   * dimensioned): the wider floating type wins, any floating type beats an integer one, bool yields to any
   * other type, and two integer types give the narrowest type holding both (uint8 with int8 gives int16); uint16,
   * uint32 and uint64 meet only their own dtype or a floating one (else PyTorch's RuntimeError).
   */
  public static DType promote(DType a, DType b) {
    if (a == b) {
      return a;
    }
    if ((a.isBarebonesUnsigned() || b.isBarebonesUnsigned()) && !a.isFloatingPoint() && !b.isFloatingPoint()) {
      // PyTorch 2.13 promotes uint16/uint32/uint64 only with a floating dtype.
      throw new dev.loss4j.errors.RuntimeError("Promotion for uint16, uint32, uint64 types is not supported, "
          + "attempted to promote " + a.scalarTypeName() + " and " + b.scalarTypeName());
    }
    if (a == FLOAT64 || b == FLOAT64) {
      return FLOAT64;
    }
    if (a == FLOAT32 || b == FLOAT32 || (a.isReducedFloat() && b.isReducedFloat())) {
      return FLOAT32;
    }
    if (a.isReducedFloat() || b.isReducedFloat()) {
      return a.isReducedFloat() ? a : b;
    }
    if (a == BOOL || b == BOOL) {
      return a == BOOL ? b : a;
    }
    if (a == UINT8 || b == UINT8) {
      DType other = a == UINT8 ? b : a;
      return other == INT8 ? INT16 : other;
    }
    return a.bits() >= b.bits() ? a : b;
  }

  @Override
  public String toString() {
    return "torch." + torchName;
  }
}
