package dev.loss4j.kernel;

/**
 * Whether kernels take their SIMD path ({@code jdk.incubator.vector}), decided once per JVM.
 *
 * <p>The SIMD path is on when the JVM was started with {@code --add-modules jdk.incubator.vector}, the
 * preferred vector width is at least 256 bits (AVX2 and wider; narrower hardware gains nothing) and the
 * system property {@code loss4j.vector} is not {@code false} (tests set it to run the scalar path). Without
 * it every kernel runs its scalar loop, with the same results within tolerance: the SIMD loops compute each
 * element with the same double arithmetic as the scalar ones and differ only in the order partial sums are
 * added. Classes named {@code Simd*} touch the Vector API and are loaded only when this says so.
 */
public final class Vectorization {
  private Vectorization() {}

  /** True when kernels use their Vector API loops. */
  public static final boolean ENABLED = detect();

  private static boolean detect() {
    if ("false".equalsIgnoreCase(System.getProperty("loss4j.vector", "true"))) {
      return false;
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    try {
      return SimdSpecies.wideEnough();
    } catch (LinkageError e) {
      return false;
    }
  }

  /** The width in bits of the vectors the kernels run on (256 or 512), 0 on the scalar path. */
  public static int bits() {
    return ENABLED ? SimdSpecies.bits() : 0;
  }

  /** "vector (512-bit)" or "scalar": which path runs, for reports. */
  public static String describe() {
    return ENABLED ? "vector (" + SimdSpecies.bits() + "-bit)" : "scalar";
  }
}
