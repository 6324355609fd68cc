package dev.loss4j.errors;

/** PyTorch raises Python's {@code NotImplementedError} here; the message is PyTorch's, word for word. */
public final class NotImplementedError extends TorchException {
  private static final long serialVersionUID = 1L;

  public NotImplementedError(String message) {
    super(message);
  }

  @Override
  public String pythonType() {
    return "NotImplementedError";
  }
}
