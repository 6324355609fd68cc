package dev.loss4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.loss4j.tensor.DType;
import org.junit.jupiter.api.Test;

/**
 * The generator reproduces PyTorch's stream: the expected values were recorded from PyTorch 1.13 with
 * {@code torch.manual_seed(0)} followed by exactly these calls, in this order.
 */
class RandomTest {
  @Test
  void sameStreamAsPyTorch() {
    Random.manualSeed(0);
    Random g = Random.defaultGenerator();
    assertArrayEquals(new double[] {0.9700530018065531, 0.707819864399788, 0.45938294312745087},
        g.rand(new int[] {3}, DType.FLOAT64).toDoubleArray());
    assertArrayEquals(new double[] {1.2644587093281903, -0.6874263917320185, 0.1603812602788958},
        g.randn(new int[] {3}, DType.FLOAT64).toDoubleArray());
    double[] boxMuller = g.randn(new int[] {20}, DType.FLOAT64).toDoubleArray();
    assertArrayEquals(new double[] {0.14821544548810084, -1.1461092231976013},
        new double[] {boxMuller[18], boxMuller[19]});
    assertArrayEquals(new float[] {0.41771942377090454f, 0.2711215615272522f},
        g.rand(new int[] {2}, DType.FLOAT32).toFloatArray());
    assertArrayEquals(new long[] {9, 8, 5, 3, 2}, g.randint(0, 10, new int[] {5}, DType.INT64).toLongArray());
  }
}
