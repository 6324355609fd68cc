package dev.loss4j.python;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the Python package {@code loss4j} from this jar's resources, for the import hook that
 * {@code bootstrap.py} installs: the shim runs from inside the jar, nothing is unpacked to disk.
 */
public final class ShimSources {
  private ShimSources() {}

  /** The source text of a resource such as {@code loss4j/nn/functional.py}, or null when absent. */
  public static String read(String path) {
    if (!path.startsWith("loss4j/") || path.contains("..")) {
      return null;
    }
    try (InputStream in = ShimSources.class.getClassLoader().getResourceAsStream(path)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
