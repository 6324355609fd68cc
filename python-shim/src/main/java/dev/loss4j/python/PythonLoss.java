package dev.loss4j.python;

import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.IndexError;
import dev.loss4j.errors.NotImplementedError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.errors.TorchException;
import dev.loss4j.errors.TypeError;
import dev.loss4j.errors.ValueError;
import dev.loss4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * A loss written in Python (against {@code torch}'s API) called from Java with engine tensors.
 *
 * <p>Each instance owns one GraalPy context on the shared engine, made once and reused for every call
 * (contexts are never made per call). Calls are serialised: a context runs one thread at a time. The
 * result is a {@link Variable} whose graph lives in the engine, so {@code backward()} in Java fills the
 * gradients of the Java leaves passed in. Python exceptions of PyTorch's classes arrive as the engine's
 * typed exceptions ({@link ValueError}, {@link RuntimeError}...).
 *
 * <pre>{@code
 * try (PythonLoss loss = PythonLoss.fromSource(
 *     "import torch.nn.functional as F\ndef my_loss(x, y):\n    return F.mse_loss(x, y, reduction='sum')\n",
 *     "my_loss")) {
 *   Variable x = Variable.leaf(input, true);
 *   loss.apply(x, Variable.constant(target)).backward();
 *   Tensor grad = x.grad();
 * }
 * }</pre>
 */
public final class PythonLoss implements AutoCloseable {
  private final Context context;
  private final Value function;
  private final Value caller;

  private PythonLoss(Context context, Value function) {
    this.context = context;
    this.function = function;
    this.caller = context.eval("python", "import loss4j._embed\nloss4j._embed.call");
  }

  /** Defines {@code source} as a module and binds its function {@code name}. */
  public static PythonLoss fromSource(String source, String name) {
    Context context = Loss4jPython.newContext("loss4j-embedded");
    try {
      context.eval(Source.newBuilder("python", source, "<python-loss>").buildLiteral());
      Value fn = context.getBindings("python").getMember(name);
      if (fn == null || !fn.canExecute()) {
        throw new IllegalArgumentException("the Python source defines no function " + name);
      }
      return new PythonLoss(context, fn);
    } catch (RuntimeException e) {
      context.close();
      throw e;
    }
  }

  /** As {@link #fromSource}, reading a script file. */
  public static PythonLoss fromFile(Path script, String name) throws IOException {
    return fromSource(Files.readString(script), name);
  }

  /** Calls the Python function on variables; the result is in the engine's autograd graph. */
  public synchronized Variable apply(Variable... inputs) {
    try {
      return caller.execute(function, (Object) inputs).as(Variable.class);
    } catch (PolyglotException e) {
      throw translate(e);
    }
  }

  /** Calls the Python function on plain tensors (no gradients) and returns the value. */
  public Tensor apply(Tensor... inputs) {
    Variable[] vars = new Variable[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      vars[i] = Variable.constant(inputs[i]);
    }
    return apply(vars).data();
  }

  private static RuntimeException translate(PolyglotException e) {
    if (e.isHostException() && e.asHostException() instanceof TorchException t) {
      return t;
    }
    if (e.isGuestException() && e.getGuestObject() != null) {
      Value type = e.getGuestObject().getMetaObject();
      String name = type == null ? "" : type.getMetaSimpleName();
      String message = e.getGuestObject().invokeMember("__str__").asString();
      switch (name) {
        case "ValueError": return new ValueError(message);
        case "RuntimeError": return new RuntimeError(message);
        case "IndexError": return new IndexError(message);
        case "TypeError": return new TypeError(message);
        case "NotImplementedError": return new NotImplementedError(message);
        default: break;
      }
    }
    return e;
  }

  @Override
  public synchronized void close() {
    context.close();
  }
}
