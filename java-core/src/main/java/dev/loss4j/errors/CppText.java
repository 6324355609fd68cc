package dev.loss4j.errors;

/** Numbers in PyTorch's error messages, as its C++ code prints them. */
public final class CppText {
  private CppText() {}

  /** A double as C++'s {@code operator<<} prints it: 6 significant digits, %g style. */
  public static String of(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == 0) {
      return v == 0.0 && 1 / v < 0 ? "-0" : "0";
    }
    java.math.BigDecimal bd = new java.math.BigDecimal(v).round(new java.math.MathContext(6));
    int exponent = bd.precision() - bd.scale() - 1;
    if (exponent < -4 || exponent >= 6) {
      java.math.BigDecimal mant = bd.movePointLeft(exponent).stripTrailingZeros();
      String m = mant.toPlainString();
      String sign = exponent < 0 ? "-" : "+";
      int ae = Math.abs(exponent);
      return m + "e" + sign + (ae < 10 ? "0" : "") + ae;
    }
    return bd.stripTrailingZeros().toPlainString();
  }
}
