package dev.loss4j.python;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * {@code bin/loss4j-python}: runs a Python script on GraalPy with {@code import torch} served by
 * loss4j, the way {@code python SCRIPT ARGS} does: {@code sys.argv}, {@code __name__ == "__main__"},
 * a traceback on stderr and exit status 1 for an uncaught exception, {@code sys.exit(n)} as the status.
 * {@code -c CODE} runs a string; {@code -} reads the script from standard input.
 *
 * <p>Its limits, as CPython's: Ctrl-C (SIGINT) raises KeyboardInterrupt in the script ({@code finally} and
 * atexit run), and an uncaught KeyboardInterrupt exits with 130; writing to a closed pipe raises
 * BrokenPipeError at once; a full Java heap raises MemoryError (the shim's message names the heap size and
 * {@code LOSS4J_JAVA_OPTS=-Xmx...}); every other failure prints a line on stderr and exits non-zero.
 */
public final class Launcher {
  /** CPython's status for a script ended by an uncaught KeyboardInterrupt (128 + SIGINT). */
  static final int INTERRUPTED = 130;

  /**
   * Room kept for the message of a full heap: released before that message is written, so that writing it cannot
   * itself run out of memory (seen with -Xmx48m, when the heap filled while the source was compiled).
   */
  private static byte[] reserve = new byte[1 << 20];

  private Launcher() {}

  public static void main(String[] args) {
    // Made while there is room: written as it is if the heap is still too full to make it then.
    String heapFull = "loss4j-python: " + outOfMemory("the source could not be read or compiled");
    int status;
    try {
      status = run(args);
    } catch (OutOfMemoryError e) {
      // The heap filled outside the script (reading or compiling the source, or the context's own set-up).
      reserve = null;
      System.err.println(heapFull);
      status = 1;
    } catch (IllegalArgumentException | ExceptionInInitializerError e) {
      // The engine refused its options (a -Dpolyglot.* system property in LOSS4J_JAVA_OPTS): one line, no trace.
      Throwable cause = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
      reserve = null;
      System.err.println(causedByFullHeap(e) ? heapFull
          : "loss4j-python: the GraalPy engine could not start: " + cause.getMessage());
      status = 1;
    } catch (RuntimeException | LinkageError e) {
      // Anything else that escapes the engine: one line, no Java trace. A full heap can surface as a class whose
      // initialisation it broke (NoClassDefFoundError "Could not initialize class ...", the heap error as cause).
      reserve = null;
      System.err.println(causedByFullHeap(e) ? heapFull : "loss4j-python: internal error: " + e);
      status = 1;
    }
    System.exit(status);
  }

  /** Whether {@code e} or one of its causes is the heap running out (by class or by the JVM's message). */
  private static boolean causedByFullHeap(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError || String.valueOf(t.getMessage()).contains("OutOfMemoryError")) {
        return true;
      }
    }
    return false;
  }

  static int run(String[] args) {
    if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
      System.err.println("usage: loss4j-python SCRIPT [ARGS...] | -c CODE [ARGS...] | - [ARGS...]");
      return args.length == 0 ? 2 : 0;
    }
    try {
      Source source;
      String[] argv;
      if (args[0].equals("-c")) {
        if (args.length < 2) {
          System.err.println("Argument expected for the -c option");
          return 2;
        }
        source = Source.newBuilder("python", args[1], "<string>").build();
        argv = concat("-c", Arrays.copyOfRange(args, 2, args.length));
      } else if (args[0].equals("-")) {
        String code = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        source = Source.newBuilder("python", code, "<stdin>").build();
        argv = concat("-", Arrays.copyOfRange(args, 1, args.length));
      } else {
        File file = new File(args[0]);
        if (!file.isFile()) {
          System.err.println("loss4j-python: can't open file '" + Path.of(args[0]).toAbsolutePath()
              + "': [Errno 2] No such file or directory");
          return 2;
        }
        source = Source.newBuilder("python", file).build();
        argv = args;
      }
      try (Context context = newContext(argv)) {
        boolean started = false;
        try {
          if (!args[0].startsWith("-")) {
            // As python does: the script's folder comes first on sys.path.
            String dir = new File(args[0]).getAbsoluteFile().getParent();
            context.getBindings("python").putMember("__loss4j_script_dir", dir);
            context.eval("python", "import sys; sys.path.insert(0, __loss4j_script_dir); del __loss4j_script_dir");
          }
          started = true;
          context.eval(source);
          return 0;
        } catch (PolyglotException e) {
          return exitStatus(e, started, uncaught(context));
        } finally {
          flush(context);
        }
      }
    } catch (PolyglotException e) {
      return exitStatus(e, false, null);
    } catch (IOException e) {
      System.err.println("loss4j-python: " + e.getMessage());
      return 1;
    }
  }

  /**
   * The launcher's context: the shim installed, Python's signal handlers on (SIGINT raises KeyboardInterrupt
   * in the script), and standard output written straight to file descriptor 1, so that a closed pipe fails
   * the script's next write (System.out would swallow the error and let the script run on).
   */
  static Context newContext(String[] argv) {
    OutputStream out = new FileOutputStream(FileDescriptor.out);
    Context context = Loss4jPython.contextBuilder(argv)
        .option("python.InstallSignalHandlers", "true")
        .out(out)
        .build();
    Loss4jPython.installShim(context);
    context.eval("python", RECORD_UNCAUGHT);
    return context;
  }

  /**
   * GraalPy reports a script's uncaught exception as an exit with status 1 once sys.excepthook has printed
   * it; the hook below also keeps the exception's class name, for the statuses CPython gives
   * (KeyboardInterrupt: 130) and the launcher's hint on a full heap.
   */
  private static final String RECORD_UNCAUGHT = """
      import sys
      def _loss4j_hook(hook=sys.excepthook):
          def excepthook(kind, value, tb):
              sys._loss4j_uncaught = kind.__name__
              hook(kind, value, tb)
          return excepthook
      sys.excepthook = _loss4j_hook()
      del _loss4j_hook
      """;

  /** The class name of the exception that ended the script, when sys.excepthook saw one. */
  private static String uncaught(Context context) {
    try {
      Value v = context.eval("python", "getattr(__import__('sys'), '_loss4j_uncaught', None)");
      return v.isString() ? v.asString() : null;
    } catch (RuntimeException ignored) {
      return null; // the context is closed or cancelled
    }
  }

  /**
   * The exit status for an exception that ended the script, with a line on stderr for every failure the
   * script's own traceback did not report.
   */
  private static int exitStatus(PolyglotException e, boolean started, String uncaught) {
    if (e.isExit() || e.isGuestException() && uncaught != null) {
      // An uncaught exception's traceback was printed by sys.excepthook (python.AlwaysRunExcepthook).
      int status = e.isExit() ? e.getExitStatus() : 1;
      if (status == 1 && "KeyboardInterrupt".equals(uncaught)) {
        return INTERRUPTED;
      }
      if (status == 1 && "MemoryError".equals(uncaught)) {
        System.err.println("loss4j-python: " + outOfMemory(null));
      }
      return status;
    }
    if (e.isGuestException()) {
      // Raised before the script ran, so no hook printed it: compiling the source failed.
      boolean memory = String.valueOf(e.getMessage()).startsWith("MemoryError") || isOutOfMemory(e);
      System.err.println("loss4j-python: " + (memory ? outOfMemory("the source is too large to compile")
          : "the source could not be compiled: " + e.getMessage()));
      return 1;
    }
    if (e.isInterrupted() || e.isCancelled()) {
      System.err.println("loss4j-python: interrupted");
      return INTERRUPTED;
    }
    if (isOutOfMemory(e) || e.isResourceExhausted()) {
      System.err.println("loss4j-python: " + (started ? "MemoryError: " + outOfMemory(null)
          : outOfMemory("the source could not be compiled")));
      return 1;
    }
    System.err.println("loss4j-python: " + (e.isHostException() ? "error in the engine: " : "internal error: ")
        + e.getMessage());
    return 1;
  }

  /** Heap exhaustion, however it arrived: GraalPy can pass on only the JVM's message ("Java heap space"). */
  private static boolean isOutOfMemory(PolyglotException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (t instanceof OutOfMemoryError || message.contains("OutOfMemoryError") || message.equals("Java heap space")
          || message.equals("GC overhead limit exceeded")) {
        return true;
      }
    }
    if (e.isHostException()) {
      return e.asHostException() instanceof OutOfMemoryError;
    }
    return false;
  }

  /**
   * What to tell a user whose heap filled: its size and how to raise it ({@code what} says what could not
   * be done, or null).
   */
  static String outOfMemory(String what) {
    return (what == null ? "" : what + ": ") + ShimBridge.heapAdvice();
  }

  private static void flush(Context context) {
    try {
      context.eval("python", "import sys\nfor s in (sys.stdout, sys.stderr):\n  try:\n    s.flush()\n"
          + "  except OSError:\n    pass");
    } catch (PolyglotException ignored) {
      // the context is exiting: nothing left to flush
    }
  }

  private static String[] concat(String first, String[] rest) {
    String[] out = new String[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }

}
