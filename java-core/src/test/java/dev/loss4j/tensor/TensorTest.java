package dev.loss4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.loss4j.errors.RuntimeError;
import org.junit.jupiter.api.Test;

/** Tensor storage, immutability, reshapes, broadcasting and the bulk byte form. */
class TensorTest {
  @Test
  void factoriesCopyTheCallersArray() {
    double[] data = {1, 2, 3};
    Tensor t = Tensor.ofDoubles(data, 3);
    data[0] = 99;
    assertEquals(1.0, t.getDouble(0));
    double[] out = t.toDoubleArray();
    out[1] = 99;
    assertEquals(2.0, t.getDouble(1));
  }

  @Test
  void zeroDimensionalAndEmptyTensors() {
    Tensor s = Tensor.scalar(2.5, DType.FLOAT32);
    assertEquals(0, s.dim());
    assertEquals(1, s.numel());
    assertEquals(2.5, s.item());
    Tensor e = Tensor.zeros(DType.FLOAT64, 2, 0, 4);
    assertEquals(0, e.numel());
    assertEquals(3, e.dim());
  }

  @Test
  void float32StorageRoundsToFloat() {
    Tensor t = Tensor.full(0.1, DType.FLOAT32, 1);
    assertEquals((double) 0.1f, t.getDouble(0));
  }

  @Test
  void reshapeInfersOneDimensionAndSharesNothingMutable() {
    Tensor t = Tensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor r = t.reshape(3, -1);
    assertArrayEquals(new int[] {3, 2}, r.shape());
    assertNotSame(t, r);
    RuntimeError e = assertThrows(RuntimeError.class, () -> t.reshape(4, -1));
    assertEquals("shape '[4, -1]' is invalid for input of size 6", e.getMessage());
  }

  @Test
  void broadcastFollowsNumpyRules() {
    assertArrayEquals(new int[] {2, 3, 5}, Shapes.broadcast(new int[] {2, 3, 1}, new int[] {3, 5}));
    assertArrayEquals(new int[] {3}, Shapes.broadcast(new int[] {}, new int[] {3}));
    assertThrows(RuntimeError.class, () -> Shapes.broadcast(new int[] {2, 3}, new int[] {2, 4}));
  }

  @Test
  void broadcastIndexReadsTheSourceElementOfEveryTargetPosition() {
    assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2}, walk(new int[] {3, 1}, new int[] {3, 2}));
    assertArrayEquals(new int[] {0, 1, 0, 1, 0, 1}, walk(new int[] {2}, new int[] {3, 2}));
    assertArrayEquals(new int[] {0, 0, 0}, walk(new int[] {}, new int[] {3}));
  }

  private static int[] walk(int[] shape, int[] target) {
    BroadcastCursor c = new BroadcastCursor(shape, target);
    int[] out = new int[Shapes.numel(target)];
    for (int i = 0; i < out.length; i++) {
      out[i] = c.next();
    }
    return out;
  }

  @Test
  void sumToShapeReversesBroadcasting() {
    Tensor g = Tensor.ofDoubles(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
    Tensor col = TensorMath.sumToShape(g, new int[] {3, 1}, DType.FLOAT64);
    assertArrayEquals(new double[] {3, 7, 11}, col.toDoubleArray());
    Tensor row = TensorMath.sumToShape(g, new int[] {2}, DType.FLOAT64);
    assertArrayEquals(new double[] {9, 12}, row.toDoubleArray());
  }

  @Test
  void bytesRoundTripEveryDtype() {
    Tensor f = Tensor.ofFloats(new float[] {1.5f, -2f, Float.NaN}, 3);
    Tensor l = Tensor.ofLongs(new long[] {Long.MAX_VALUE, -1}, 2);
    Tensor b = Tensor.ofBooleans(new boolean[] {true, false}, 2);
    for (Tensor t : new Tensor[] {f, l, b}) {
      Tensor back = new TensorBuilder(t.dtype(), t.shape()).readBytes(t.toBytes()).build();
      assertEquals(t, back);
    }
  }

  @Test
  void builderRefusesWritesAfterBuild() {
    TensorBuilder b = new TensorBuilder(DType.FLOAT64, 2);
    b.build();
    assertThrows(IllegalStateException.class, () -> b.set(0, 1));
  }
}
