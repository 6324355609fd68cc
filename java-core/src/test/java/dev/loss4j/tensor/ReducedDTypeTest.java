package dev.loss4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** int32, float16 and bfloat16: rounding on store, promotion, conversion, the byte form and printing. */
class ReducedDTypeTest {
  @Test
  void valuesAreRoundedToTheDtypeOnStore() {
    // float16 keeps 11 significant bits, bfloat16 8 (both round to nearest, ties to even).
    assertEquals(0.0999755859375, Tensor.ofReduced(DType.FLOAT16, new float[] {0.1f}, 1).getDouble(0));
    assertEquals(0.333984375, Tensor.ofReduced(DType.BFLOAT16, new float[] {1f / 3}, 1).getDouble(0));
    assertEquals(Double.POSITIVE_INFINITY, Tensor.full(70000, DType.FLOAT16).item());
    assertEquals(0.0, Tensor.full(1e-8, DType.FLOAT16).item());
    assertTrue(Double.isNaN(Tensor.full(Double.NaN, DType.BFLOAT16).item()));
    // bfloat16 ties to even: 1 + 2^-8 lies halfway between 1 and 1 + 2^-7.
    assertEquals(1.0, DType.BFLOAT16.round(1 + 0x1p-8));
    assertEquals(1 + 0x1p-6, DType.BFLOAT16.round(1 + 0x1p-7 + 0x1p-8));
    assertEquals(-7.0, DType.INT32.round(-7.9));
  }

  @Test
  void promotionFollowsPyTorch() {
    assertEquals(DType.FLOAT32, DType.promote(DType.FLOAT16, DType.BFLOAT16));
    assertEquals(DType.FLOAT32, DType.promote(DType.FLOAT16, DType.FLOAT32));
    assertEquals(DType.FLOAT64, DType.promote(DType.BFLOAT16, DType.FLOAT64));
    assertEquals(DType.FLOAT16, DType.promote(DType.INT64, DType.FLOAT16));
    assertEquals(DType.BFLOAT16, DType.promote(DType.BOOL, DType.BFLOAT16));
    assertEquals(DType.INT64, DType.promote(DType.INT32, DType.INT64));
    assertEquals(DType.INT32, DType.promote(DType.BOOL, DType.INT32));
  }

  @Test
  void conversionsAndBytesRoundTrip() {
    Tensor f = Tensor.ofFloats(new float[] {0.1f, -2.75f, 3.9f}, 3);
    Tensor i = f.to(DType.INT32);
    assertEquals(DType.INT32, i.dtype());
    assertArrayEquals(new long[] {0, -2, 3}, i.toLongArray());
    for (DType d : new DType[] {DType.INT32, DType.FLOAT16, DType.BFLOAT16}) {
      Tensor t = f.to(d);
      Tensor back = new TensorBuilder(d, 3).readBytes(t.toBytes()).build();
      assertEquals(t, back, d.toString());
    }
    assertEquals(6, f.to(DType.FLOAT16).toBytes().length);
    assertEquals(12, i.toBytes().length);
  }

  @Test
  void printsWithTheDtypeSuffix() {
    assertEquals("tensor([ 0, -2,  3], dtype=torch.int32)",
        Tensor.ofInts(new int[] {0, -2, 3}, 3).toString());
    assertEquals("tensor([0.1000, 0.2000, 0.7002], dtype=torch.float16)",
        Tensor.ofReduced(DType.FLOAT16, new float[] {0.1f, 0.2f, 0.7f}, 3).toString());
    assertEquals("tensor(0.3340, dtype=torch.bfloat16)", Tensor.full(1.0 / 3, DType.BFLOAT16).toString());
  }
}
