package dev.loss4j.tensor;

/**
 * Walks a row-major tensor of some {@code target} shape and yields, position by position, the flat index
 * of the element that broadcasting reads from a tensor of a smaller {@code shape}. Keeps one counter per
 * dimension: no index array the size of the target.
 *
 * <pre>{@code
 * BroadcastCursor c = new BroadcastCursor(input.shape(), outShape);
 * for (int i = 0; i < n; i++) { double x = input.getDouble(c.next()); ... }
 * }</pre>
 */
public final class BroadcastCursor {
  private final int[] target;
  private final int[] strides;
  private final int[] counter;
  private int offset;

  public BroadcastCursor(int[] shape, int[] target) {
    this.target = target.clone();
    this.strides = Shapes.expandedStrides(shape, target);
    this.counter = new int[target.length];
  }

  /** The source index for the current position; advances to the next position. */
  public int next() {
    int current = offset;
    for (int d = target.length - 1; d >= 0; d--) {
      counter[d]++;
      offset += strides[d];
      if (counter[d] < target[d]) {
        break;
      }
      offset -= strides[d] * counter[d];
      counter[d] = 0;
    }
    return current;
  }
}
