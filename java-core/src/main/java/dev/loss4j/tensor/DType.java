package dev.loss4j.tensor;

/** The element types loss4j stores, named as PyTorch prints them ({@code torch.float32}...). */
public enum DType {
  FLOAT32("float32", "Float", true),
  FLOAT64("float64", "Double", true),
  INT64("int64", "Long", false),
  BOOL("bool", "Bool", false);

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
    };
  }

  public boolean isFloatingPoint() {
    return floatingPoint;
  }

  /** Looks a dtype up by its torch name or alias: float32/float, float64/double, int64/long, bool. */
  public static DType fromName(String name) {
    return switch (name) {
      case "float32", "float" -> FLOAT32;
      case "float64", "double" -> FLOAT64;
      case "int64", "long" -> INT64;
      case "bool" -> BOOL;
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
    if (a == FLOAT32 || b == FLOAT32) {
      return FLOAT32;
    }
    return INT64;
  }

  @Override
  public String toString() {
    return "torch." + torchName;
  }
}
