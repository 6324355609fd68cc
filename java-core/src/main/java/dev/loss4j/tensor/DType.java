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
  BFLOAT16("bfloat16", "BFloat16", true);

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
    };
  }

  public boolean isFloatingPoint() {
    return floatingPoint;
  }

  /** float16 or bfloat16: stored in a {@code float[]}, computed in float32 and rounded back, as on PyTorch's CPU. */
  public boolean isReducedFloat() {
    return this == FLOAT16 || this == BFLOAT16;
  }

  /** {@code v} rounded to this dtype's precision (to nearest, ties to even), as a double; integral dtypes truncate. */
  public double round(double v) {
    return switch (this) {
      case FLOAT32 -> (float) v;
      case FLOAT64 -> v;
      case INT64 -> (double) (long) v;
      case INT32 -> (double) (int) (long) v;
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
   * float16/half, bfloat16.
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
      default -> throw new IllegalArgumentException("unknown dtype " + name);
    };
  }

  /**
   * PyTorch's type promotion for two tensors of these dtypes ({@code torch.result_type} when both are
   * dimensioned): the wider floating type wins, any floating type beats an integer one.
   */
  public static DType promote(DType a, DType b) {
    if (a == b) {
      return a;
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
    if (a == INT64 || b == INT64) {
      return INT64;
    }
    return INT32;
  }

  @Override
  public String toString() {
    return "torch." + torchName;
  }
}
