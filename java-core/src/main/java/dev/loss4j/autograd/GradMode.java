package dev.loss4j.autograd;

/**
 * Whether operations record an autograd graph on this thread, as PyTorch's {@code torch.no_grad()} /
 * {@code torch.enable_grad()} / {@code torch.is_grad_enabled()}. Variable.apply and the ops consult it: with
 * grad mode off their results are constants (no grad_fn, {@code requires_grad=False}).
 *
 * <pre>{@code
 * try (GradMode.Guard g = GradMode.noGrad()) {
 *   Variable y = Arithmetic.mul(x, x); // y.requiresGrad() == false
 * }
 * }</pre>
 */
public final class GradMode {
  private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

  private GradMode() {}

  /** {@code torch.is_grad_enabled()}. */
  public static boolean isEnabled() {
    return ENABLED.get()[0];
  }

  /** {@code torch.set_grad_enabled(flag)}; returns the previous setting. */
  public static boolean setEnabled(boolean flag) {
    boolean[] cell = ENABLED.get();
    boolean previous = cell[0];
    cell[0] = flag;
    return previous;
  }

  /** Turns recording off until the returned guard is closed (then restores the previous setting). */
  public static Guard noGrad() {
    return new Guard(setEnabled(false));
  }

  /** Turns recording on until the returned guard is closed. */
  public static Guard enableGrad() {
    return new Guard(setEnabled(true));
  }

  /** Restores the grad mode that was in force when it was made. */
  public static final class Guard implements AutoCloseable {
    private final boolean previous;

    private Guard(boolean previous) {
      this.previous = previous;
    }

    @Override
    public void close() {
      setEnabled(previous);
    }
  }
}
