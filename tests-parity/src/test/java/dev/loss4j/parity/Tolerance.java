package dev.loss4j.parity;

import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import java.util.Arrays;

/**
 * torch.testing.assert_close's default tolerances, in one place: |actual - expected| <= atol + rtol *
 * |expected|; NaN equals NaN; infinities must match in sign; integer and bool tensors must be exact.
 */
final class Tolerance {
  static final double FLOAT32_RTOL = 1.3e-6;
  static final double FLOAT32_ATOL = 1e-5;
  static final double FLOAT64_RTOL = 1e-7;
  static final double FLOAT64_ATOL = 1e-7;
  static final double FLOAT16_RTOL = 1e-3;
  static final double FLOAT16_ATOL = 1e-5;
  static final double BFLOAT16_RTOL = 1.6e-2;
  static final double BFLOAT16_ATOL = 1e-5;

  private Tolerance() {}

  /** Null when {@code actual} matches {@code expected}, else what differs (dtype, shape, or the worst element). */
  static String compare(String what, Tensor expected, Tensor actual) {
    if (expected == null || actual == null) {
      return expected == actual ? null : what + ": expected " + expected + " but got " + actual;
    }
    if (expected.dtype() != actual.dtype()) {
      return what + ": dtype " + actual.dtype() + ", expected " + expected.dtype();
    }
    if (!Arrays.equals(expected.shape(), actual.shape())) {
      return what + ": shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.shape());
    }
    double rtol = switch (expected.dtype()) {
      case FLOAT64 -> FLOAT64_RTOL;
      case FLOAT16 -> FLOAT16_RTOL;
      case BFLOAT16 -> BFLOAT16_RTOL;
      default -> FLOAT32_RTOL;
    };
    double atol = switch (expected.dtype()) {
      case FLOAT64 -> FLOAT64_ATOL;
      case FLOAT16 -> FLOAT16_ATOL;
      case BFLOAT16 -> BFLOAT16_ATOL;
      default -> FLOAT32_ATOL;
    };
    boolean exact = !expected.dtype().isFloatingPoint();
    int worst = -1;
    double worstExcess = 0;
    for (int i = 0, n = expected.numel(); i < n; i++) {
      double e = expected.getDouble(i);
      double a = actual.getDouble(i);
      if (exact ? expected.getLong(i) == actual.getLong(i) : close(e, a, rtol, atol)) {
        continue;
      }
      double excess = Double.isFinite(e) && Double.isFinite(a) ? Math.abs(a - e) : Double.POSITIVE_INFINITY;
      if (worst < 0 || excess > worstExcess) {
        worst = i;
        worstExcess = excess;
      }
    }
    if (worst < 0) {
      return null;
    }
    return what + ": element " + worst + " is " + actual.getDouble(worst) + ", expected " + expected.getDouble(worst)
        + " (|diff| " + worstExcess + ", rtol " + rtol + ", atol " + atol + ")";
  }

  static boolean close(double e, double a, double rtol, double atol) {
    if (Double.isNaN(e) || Double.isNaN(a)) {
      return Double.isNaN(e) && Double.isNaN(a);
    }
    if (Double.isInfinite(e) || Double.isInfinite(a)) {
      return e == a;
    }
    return Math.abs(a - e) <= atol + rtol * Math.abs(e);
  }
}
