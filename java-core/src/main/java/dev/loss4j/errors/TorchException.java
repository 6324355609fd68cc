package dev.loss4j.errors;

/**
 * An error that PyTorch would raise, carrying PyTorch's Python exception class and its exact message.
 *
 * <p>The Python shim re-raises it as {@link #pythonType()} with {@link #getMessage()}, so a script's
 * {@code except RuntimeError} catches it as it would under PyTorch.
 */
public abstract sealed class TorchException extends java.lang.RuntimeException
    permits ValueError, RuntimeError, IndexError, TypeError, NotImplementedError {

  private static final long serialVersionUID = 1L;

  TorchException(String message) {
    super(message);
  }

  /** The name of the Python builtin exception PyTorch raises: {@code "RuntimeError"}, {@code "ValueError"}... */
  public abstract String pythonType();
}
