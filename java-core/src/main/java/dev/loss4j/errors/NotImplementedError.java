package dev.loss4j.errors;

/** PyTorch raises Python's {@code NotImplementedError} here; the message is PyTorch's, word for word. */
public final class NotImplementedError extends TorchException {
  private static final long serialVersionUID = 1L;

  public NotImplementedError(String message) {
    super(message);
  }

  /**
   * PyTorch's dtype-dispatch refusal, {@code "KERNEL" not implemented for 'TYPE'} (a NotImplementedError since
   * PyTorch 2.x; 1.13 raised it as a RuntimeError).
   */
  public static NotImplementedError forDtype(String kernel, String scalarTypeName) {
    return new NotImplementedError("\"" + kernel + "\" not implemented for '" + scalarTypeName + "'");
  }

  @Override
  public String pythonType() {
    return "NotImplementedError";
  }
}
