package dev.loss4j.errors;

/** PyTorch raises Python's {@code TypeError} here; the message is PyTorch's, word for word. */
public final class TypeError extends TorchException {
  private static final long serialVersionUID = 1L;

  public TypeError(String message) {
    super(message);
  }

  @Override
  public String pythonType() {
    return "TypeError";
  }
}
