package dev.loss4j.kernel;

/**
 * The order in which PyTorch 2.13's CPU sum kernel (AVX2) adds the float32 elements of a full reduction, so
 * that a float32 sum which autograd then widens to float64 (a 0-d float64 operand of a float32 op) has
 * PyTorch's bits, not only float32 accuracy.
 *
 * <p>The kernel reads items (single floats, or vectors of eight lanes for a contiguous input of eight or
 * more elements) into four interleaved accumulators ("ilp"): item i goes to accumulator {@code i % 4} for the
 * items that fill whole groups of four, the rest to accumulator 0, and the four are then added in order. Each
 * accumulator is itself a cascade of four levels: after every 2^p groups (p = max(4, ceil(log2(groups)) / 4))
 * level 0 is moved up into level 1, and level j into j + 1 while the group count is a multiple of 2^(p j);
 * the levels are added in order at the end. For a contiguous input the lanes of the vector sum are finally
 * added, in order, to the scalar sum of the elements past the last whole vector. A strided input (an
 * expanded gradient, stride 0) is summed as single floats. Checked against {@code torch.sum} on random
 * float32 tensors of 1 to 20,000 elements, contiguous and expanded: the same bits in all 915 tried (larger
 * inputs, which ATen splits into chunks, are not modelled).
 */
public final class AtenFloatSum {
  private static final int ILP = 4;
  private static final int LEVELS = 4;
  private static final int LANES = 8;

  private AtenFloatSum() {}

  /** The sum of {@code v[0, n)} as a contiguous float32 tensor's {@code sum()}. */
  public static float contiguous(float[] v, int n) {
    if (n < LANES) {
      return rowSum(v, n, 1)[0];
    }
    int vectors = n / LANES;
    float[] lanes = rowSum(v, vectors, LANES);
    float acc = 0f;
    for (int k = vectors * LANES; k < n; k++) {
      acc += v[k];
    }
    for (int l = 0; l < LANES; l++) {
      acc += lanes[l];
    }
    return acc;
  }

  /** The sum of {@code v[0, n)} read through a non-contiguous (e.g. expanded) view. */
  public static float strided(float[] v, int n) {
    return rowSum(v, n, 1)[0];
  }

  /** ATen's row_sum over {@code count} items of {@code width} floats each: the lanes of the total. */
  private static float[] rowSum(float[] v, int count, int width) {
    int groups = count / ILP;
    float[][] part = new float[ILP][width];
    if (groups > 0) {
      multiRowSum(v, groups, width, part);
    }
    for (int i = groups * ILP; i < count; i++) {
      add(part[0], v, i * width);
    }
    for (int k = 1; k < ILP; k++) {
      add(part[0], part[k], 0);
    }
    return part[0];
  }

  /** ATen's multi_row_sum: {@code groups} groups of four items into {@code out[4][width]}, with its cascade. */
  private static void multiRowSum(float[] v, int groups, int width, float[][] out) {
    int power = Math.max(4, ceilLog2(groups) / LEVELS);
    int step = 1 << power;
    long mask = step - 1;
    float[][][] acc = new float[LEVELS][ILP][width];
    int i = 0;
    while (i + step <= groups) {
      for (int j = 0; j < step; j++, i++) {
        for (int k = 0; k < ILP; k++) {
          add(acc[0][k], v, (i * ILP + k) * width);
        }
      }
      for (int j = 1; j < LEVELS; j++) {
        for (int k = 0; k < ILP; k++) {
          add(acc[j][k], acc[j - 1][k], 0);
          java.util.Arrays.fill(acc[j - 1][k], 0f);
        }
        if ((i & (mask << (j * power))) != 0) {
          break;
        }
      }
    }
    for (; i < groups; i++) {
      for (int k = 0; k < ILP; k++) {
        add(acc[0][k], v, (i * ILP + k) * width);
      }
    }
    for (int j = 1; j < LEVELS; j++) {
      for (int k = 0; k < ILP; k++) {
        add(acc[0][k], acc[j][k], 0);
      }
    }
    for (int k = 0; k < ILP; k++) {
      System.arraycopy(acc[0][k], 0, out[k], 0, width);
    }
  }

  private static void add(float[] into, float[] from, int offset) {
    for (int l = 0; l < into.length; l++) {
      into[l] += from[offset + l];
    }
  }

  private static int ceilLog2(int x) {
    return x <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(x - 1);
  }
}
