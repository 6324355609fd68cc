package dev.loss4j.ops;

import static dev.loss4j.ops.GradCheck.check;
import static dev.loss4j.ops.GradCheck.leaf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.NotImplementedError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * conv1d/conv2d, avg_pool2d, the interpolation kernels and cdist's matrix-product path through the Java API:
 * values on literal inputs, finite-difference gradients in float64 and PyTorch's messages (the shim's recorded
 * cases are in examples/custom_ops.py).
 */
class SpatialOpsTest {
  /** 0.1 k - 1.3 for k = 0 .. n - 1, shuffled by a fixed stride so neighbours differ. */
  private static double[] ramp(int n) {
    double[] v = new double[n];
    for (int k = 0; k < n; k++) {
      v[k] = 0.1 * ((k * 7) % n) - 1.3;
    }
    return v;
  }

  @Test
  void convolutionValuesAndGradients() {
    // one 2x2 kernel of ones over a 3x3 ramp: each output is the sum of a 2x2 block, plus the bias
    Variable x = leaf(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
    Variable w = leaf(new double[] {1, 1, 1, 1}, 1, 1, 2, 2);
    Variable y = Convolution.conv(x, w, leaf(new double[] {0.5}, 1), new int[] {1}, new int[] {0}, new int[] {1}, 1,
        2);
    assertArrayEquals(new double[] {12.5, 16.5, 24.5, 28.5}, y.data().toDoubleArray(), 1e-12);
    assertEquals("ConvolutionBackward0", y.gradFnName());
    check(v -> Convolution.conv(v[0], v[1], v[2], new int[] {1, 2}, new int[] {1, 0}, new int[] {1}, 1, 2),
        leaf(ramp(2 * 2 * 4 * 5), 2, 2, 4, 5), leaf(ramp(3 * 2 * 3 * 2), 3, 2, 3, 2), leaf(ramp(3), 3));
    check(v -> Convolution.conv(v[0], v[1], null, new int[] {1}, new int[] {1}, new int[] {2}, 2, 2),
        leaf(ramp(4 * 5 * 5), 4, 5, 5), leaf(ramp(2 * 2 * 2 * 2), 2, 2, 2, 2));
    check(v -> Convolution.conv(v[0], v[1], null, new int[] {1}, "same", new int[] {1}, 1, 2),
        leaf(ramp(4 * 5), 1, 1, 4, 5), leaf(ramp(2 * 4), 1, 1, 2, 4));
    check(v -> Convolution.conv(v[0], v[1], v[2], new int[] {2}, new int[] {1}, new int[] {1}, 1, 1),
        leaf(ramp(2 * 2 * 7), 2, 2, 7), leaf(ramp(3 * 2 * 3), 3, 2, 3), leaf(ramp(3), 3));
    assertEquals("Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of size "
        + "[[3, 1, 3, 3]] instead", assertThrows(RuntimeError.class, () -> Convolution.conv(leaf(ramp(2 * 64), 1, 2,
            8, 8), leaf(ramp(27), 3, 1, 3, 3), null, new int[] {1}, new int[] {0}, new int[] {1}, 2, 2)).getMessage());
    assertEquals("Calculated padded input size per channel: (4 x 4). Kernel size: (5 x 5). Kernel size can't be "
        + "greater than actual input size", assertThrows(RuntimeError.class, () -> Convolution.conv(leaf(ramp(16), 1,
            1, 4, 4), leaf(ramp(25), 1, 1, 5, 5), null, new int[] {1}, new int[] {0}, new int[] {1}, 1, 2))
        .getMessage());
  }

  @Test
  void averagePooling() {
    Variable x = leaf(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, 1, 4, 4);
    Variable y = Pooling.avgPool2d(x, new int[] {2}, new int[0], new int[] {0}, false, true, null);
    assertArrayEquals(new double[] {3.5, 5.5, 11.5, 13.5}, y.data().toDoubleArray(), 1e-12);
    assertEquals("AvgPool2DBackward0", y.gradFnName());
    // padding counted in the divisor or not: the corner window holds one real value of a 2x2 window
    assertEquals(0.25, Pooling.avgPool2d(x, new int[] {2}, new int[] {2}, new int[] {1}, false, true, null).data()
        .getDouble(0), 1e-12);
    assertEquals(1, Pooling.avgPool2d(x, new int[] {2}, new int[] {2}, new int[] {1}, false, false, null).data()
        .getDouble(0), 1e-12);
    check(v -> Pooling.avgPool2d(v[0], new int[] {3, 2}, new int[] {2}, new int[] {1}, true, false, null),
        leaf(ramp(2 * 7 * 5), 1, 2, 7, 5));
    check(v -> Pooling.avgPool2d(v[0], new int[] {2}, new int[] {1}, new int[] {0}, false, true, 3),
        leaf(ramp(25), 1, 5, 5));
    assertEquals("pad should be at most half of effective kernel size, but got pad=2, kernel_size=2 and dilation=1",
        assertThrows(RuntimeError.class, () -> Pooling.avgPool2d(x, new int[] {2}, new int[0], new int[] {2}, false,
            true, null)).getMessage());
  }

  @Test
  void maxPooling() {
    // ties keep the first place, NaN wins (the last NaN of the window)
    double nan = Double.NaN;
    Variable x = leaf(new double[] {1, 3, 3, nan, 2, 3, nan, 1}, 1, 1, 2, 4);
    Variable[] r = Pooling.maxPool2d(x, new int[] {2}, new int[0], new int[] {0}, new int[] {1}, false);
    assertEquals(3, r[0].data().getDouble(0), 0);
    assertEquals(Double.NaN, r[0].data().getDouble(1), 0);
    assertArrayEquals(new long[] {1, 6}, r[1].data().toLongArray());
    assertEquals("MaxPool2DWithIndicesBackward0", r[0].gradFnName());
    check(v -> Pooling.maxPool2d(v[0], new int[] {3, 2}, new int[] {2, 1}, new int[] {1}, new int[] {1, 2}, true)[0],
        leaf(ramp(2 * 6 * 5), 1, 2, 6, 5)); // 60 values, all distinct (7 and 60 coprime): no ties
    assertEquals("non-empty 3D or 4D (batch mode) tensor expected for input", assertThrows(RuntimeError.class,
        () -> Pooling.maxPool2d(leaf(ramp(16), 4, 4), new int[] {2}, new int[0], new int[] {0}, new int[] {1},
            false)).getMessage());
  }

  @Test
  void interpolation() {
    Variable x = leaf(new double[] {0, 1, 2, 3}, 1, 1, 2, 2);
    Variable near = Interpolation.nearest(x, new int[] {4, 4}, null);
    assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3}, near.data().toDoubleArray(), 0);
    assertEquals("UpsampleNearest2DBackward0", near.gradFnName());
    Variable corners = Interpolation.linear(x, new int[] {3, 3}, true, null);
    assertArrayEquals(new double[] {0, 0.5, 1, 1, 1.5, 2, 2, 2.5, 3}, corners.data().toDoubleArray(), 1e-12);
    assertEquals("UpsampleBilinear2DBackward0", corners.gradFnName());
    for (boolean align : new boolean[] {false, true}) {
      check(v -> Interpolation.linear(v[0], new int[] {5, 7}, align, null), leaf(ramp(2 * 3 * 4), 1, 2, 3, 4));
      check(v -> Interpolation.linear(v[0], new int[] {3}, align, null), leaf(ramp(2 * 7), 2, 1, 7));
    }
    check(v -> Interpolation.linear(v[0], new int[] {2, 2}, false, new double[] {0.5, 0.5}), leaf(ramp(16), 1, 1, 4,
        4));
    check(v -> Interpolation.nearest(v[0], new int[] {5, 3}, null), leaf(ramp(2 * 3 * 4), 1, 2, 3, 4));
    assertEquals("Input and output sizes should be greater than 0, but got input (W: 4) and output (W: 0)",
        assertThrows(RuntimeError.class, () -> Interpolation.linear(leaf(ramp(4), 1, 1, 4), new int[] {0}, false,
            null)).getMessage());
    assertEquals("\"upsample_nearest2d_channels_last\" not implemented for 'Long'", assertThrows(
        NotImplementedError.class, () -> Interpolation.nearest(Variable.constant(Tensor.ofLongs(new long[] {1, 2, 3,
            4}, 1, 1, 2, 2)), new int[] {3, 3}, null)).getMessage());
  }

  @Test
  void cdistByMatrixProducts() {
    Variable a = leaf(ramp(30 * 3), 30, 3);
    Variable b = leaf(ramp(4 * 3), 4, 3);
    Variable direct = Distances.cdist(a, b, 2, 2);
    Variable products = Distances.cdist(a, b, 2, 0);
    assertEquals("CdistBackward0", direct.gradFnName());
    assertEquals("ViewBackward0", products.gradFnName());
    assertArrayEquals(direct.data().toDoubleArray(), products.data().toDoubleArray(), 1e-12);
    check(v -> Distances.cdist(v[0], v[1], 2, 1), leaf(ramp(4 * 3), 4, 3), leaf(new double[] {1.1, 0.6, -0.8, 2.2,
        -1.5, 0.95}, 2, 3));
  }
}
