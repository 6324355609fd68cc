package dev.loss4j.python;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * Embedding API: GraalPy contexts in which {@code import torch} (and {@code import loss4j}) resolve to
 * loss4j's shim over the Java engine.
 *
 * <p>All contexts share one {@link Engine}, so the second and later contexts start in a fraction of the
 * first one's time and share compiled code. A context is single-threaded (Python has a GIL): keep one
 * per thread and reuse it, never one per call.
 *
 * <pre>{@code
 * try (Context py = Loss4jPython.newContext()) {
 *   py.eval("python", "import torch; print(torch.nn.MSELoss()(torch.ones(2), torch.zeros(2)))");
 * }
 * }</pre>
 */
public final class Loss4jPython {
  private static final String BOOTSTRAP = resource("dev/loss4j/python/bootstrap.py");

  private Loss4jPython() {}

  private static final class SharedEngine {
    static final Engine ENGINE = Engine.newBuilder("python").build();
  }

  /** The engine every context of this class shares. */
  public static Engine engine() {
    return SharedEngine.ENGINE;
  }

  /**
   * A builder for a context on the shared engine with full host access (like the {@code python} command:
   * files, environment, Java interop) and {@code sys.argv} set to {@code argv}. Call {@link #installShim}
   * on the built context, or use {@link #newContext}.
   */
  public static Context.Builder contextBuilder(String... argv) {
    return Context.newBuilder("python")
        .engine(engine())
        .allowAllAccess(true)
        .option("python.AlwaysRunExcepthook", "true")
        .arguments("python", argv.length == 0 ? new String[] {""} : argv);
  }

  /** A ready context: shim installed, {@code import torch} works. */
  public static Context newContext(String... argv) {
    Context context = contextBuilder(argv).build();
    installShim(context);
    return context;
  }

  /** Installs the import hook that serves {@code loss4j} from this jar and aliases {@code torch} to it. */
  public static void installShim(Context context) {
    context.eval(Source.newBuilder("python", BOOTSTRAP, "<loss4j-bootstrap>").buildLiteral());
  }

  /** Runs a script file as {@code __main__} in {@code context}. */
  public static Value runFile(Context context, Path script) throws IOException {
    return context.eval(Source.newBuilder("python", script.toFile()).build());
  }

  static String resource(String path) {
    try (InputStream in = Loss4jPython.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
