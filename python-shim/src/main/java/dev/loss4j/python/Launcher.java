package dev.loss4j.python;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;

/**
 * {@code bin/loss4j-python}: runs a Python script on GraalPy with {@code import torch} served by
 * loss4j, the way {@code python SCRIPT ARGS} does: {@code sys.argv}, {@code __name__ == "__main__"},
 * a traceback on stderr and exit status 1 for an uncaught exception, {@code sys.exit(n)} as the status.
 * {@code -c CODE} runs a string; {@code -} reads the script from standard input.
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) {
    System.exit(run(args));
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
      try (Context context = Loss4jPython.newContext(argv)) {
        try {
          if (!args[0].startsWith("-")) {
            // As python does: the script's folder comes first on sys.path.
            String dir = new File(args[0]).getAbsoluteFile().getParent();
            context.getBindings("python").putMember("__loss4j_script_dir", dir);
            context.eval("python", "import sys; sys.path.insert(0, __loss4j_script_dir); del __loss4j_script_dir");
          }
          context.eval(source);
          return 0;
        } catch (PolyglotException e) {
          return exitStatus(e);
        } finally {
          flush(context);
        }
      }
    } catch (PolyglotException e) {
      return exitStatus(e);
    } catch (java.io.IOException e) {
      System.err.println("loss4j-python: " + e.getMessage());
      return 1;
    }
  }

  private static int exitStatus(PolyglotException e) {
    if (e.isExit()) {
      return e.getExitStatus();
    }
    if (e.isGuestException()) {
      return 1; // the traceback was printed by sys.excepthook (python.AlwaysRunExcepthook)
    }
    e.printStackTrace();
    return 1;
  }

  private static void flush(Context context) {
    try {
      context.eval("python", "import sys\nfor s in (sys.stdout, sys.stderr):\n  s.flush()");
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
