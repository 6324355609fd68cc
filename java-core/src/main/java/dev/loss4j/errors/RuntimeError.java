package dev.loss4j.errors;

/** PyTorch raises Python's {@code RuntimeError} here; the message is PyTorch's, word for word. */
public final class RuntimeError extends TorchException {
  private static final long serialVersionUID = 1L;

  public RuntimeError(String message) {
    super(message);
  }

  @Override
  public String pythonType() {
    return "RuntimeError";
  }
}
