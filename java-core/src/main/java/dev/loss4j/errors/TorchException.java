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

  private java.util.List<String> warnings = java.util.List.of();

  TorchException(String message) {
    super(message);
  }

  /** The UserWarnings PyTorch emits before raising this error (e.g. the broadcast size warning). */
  public java.util.List<String> warnings() {
    return warnings;
  }

  /** Records the warnings emitted before this error; returns this exception for rethrowing. */
  public TorchException withWarnings(java.util.List<String> emitted) {
    this.warnings = java.util.List.copyOf(emitted);
    return this;
  }

  /** The name of the Python builtin exception PyTorch raises: {@code "RuntimeError"}, {@code "ValueError"}... */
  public abstract String pythonType();
}
