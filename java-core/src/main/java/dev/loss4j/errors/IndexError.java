package dev.loss4j.errors;

/** PyTorch raises Python's {@code IndexError} here; the message is PyTorch's, word for word. */
public final class IndexError extends TorchException {
  private static final long serialVersionUID = 1L;

  public IndexError(String message) {
    super(message);
  }

  @Override
  public String pythonType() {
    return "IndexError";
  }
}
