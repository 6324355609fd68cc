package dev.loss4j.errors;

/** PyTorch raises Python's {@code ValueError} here; the message is PyTorch's, word for word. */
public final class ValueError extends TorchException {
  private static final long serialVersionUID = 1L;

  public ValueError(String message) {
    super(message);
  }

  @Override
  public String pythonType() {
    return "ValueError";
  }
}
