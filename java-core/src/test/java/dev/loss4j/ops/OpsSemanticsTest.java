package dev.loss4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loss4j.autograd.GradMode;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.IndexError;
import dev.loss4j.errors.NotImplementedError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** grad_fn names, type promotion, errors and grad mode, as PyTorch 2.13 defines them. */
class OpsSemanticsTest {
  private static Variable f32(float... v) {
    return Variable.leaf(Tensor.ofFloats(v, v.length), true);
  }

  private static Variable longs(long... v) {
    return Variable.constant(Tensor.ofLongs(v, v.length));
  }

  @Test
  void gradFnNames() {
    Variable x = f32(0.5f, 1.5f);
    assertEquals("AddBackward0", Arithmetic.add(x, x).gradFnName());
    assertEquals("RsubBackward1", Arithmetic.reflectedScalar(Arithmetic.Kind.SUB, 1L, x).gradFnName());
    assertEquals("MulBackward0", Arithmetic.reflectedScalar(Arithmetic.Kind.DIV, 2L, x).gradFnName());
    assertEquals("PowBackward0", Pointwise.pow(x, 2L).gradFnName());
    assertEquals("PowBackward1", Arithmetic.pow(x, x).gradFnName());
    assertEquals("ClampBackward1", Pointwise.clamp(x, 0L, null).gradFnName());
    assertEquals("LogSoftmaxBackward0", Softmax.logSoftmax(x, 0).gradFnName());
    assertEquals("SumBackward1", DimReductions.sum(x, new int[0], false).gradFnName());
    assertEquals("NormBackward1", Distances.pairwiseDistance(x, x, 2, 1e-6, false).gradFnName());
    assertEquals("SumBackward1", Distances.cosineSimilarity(x, x, 0, 1e-8).gradFnName());
    assertEquals("ViewBackward0", Views.reshape(x, new int[] {2, 1}).gradFnName());
    assertEquals("SliceBackward0", Views.slice(x, 0, null, null, 1).gradFnName());
    assertSame(x, Views.flatten(x, 0, -1));
    assertSame(x, Views.to(x, DType.FLOAT32));
    assertNull(Views.to(x, DType.INT64).gradFnName());
  }

  @Test
  void typePromotion() {
    Variable ints = longs(1, 2);
    assertEquals(DType.FLOAT32, Arithmetic.binaryScalar(Arithmetic.Kind.ADD, ints, 0.5).data().dtype());
    assertEquals(DType.INT64, Arithmetic.binaryScalar(Arithmetic.Kind.ADD, ints, 2L).data().dtype());
    assertEquals(DType.FLOAT32, Arithmetic.div(ints, ints).data().dtype());
    Variable zeroDimDouble = Variable.constant(Tensor.scalar(1.5, DType.FLOAT64));
    assertEquals(DType.FLOAT64, Arithmetic.add(ints, zeroDimDouble).data().dtype());
    assertEquals(DType.FLOAT32, Arithmetic.add(f32(1f), zeroDimDouble).data().dtype());
    // A Python float is rounded to float32 before a float32 op, as ATen does.
    Tensor r = Arithmetic.binaryScalar(Arithmetic.Kind.ADD, f32(0f), 0.1).data();
    assertEquals(0.1f, r.toFloatArray()[0]);
    assertEquals(DType.FLOAT32, Pointwise.exp(ints).data().dtype());
    assertEquals(DType.INT64, DimReductions.sum(Variable.constant(Tensor.ofBooleans(new boolean[] {true, true}, 2)),
        new int[] {0}, false).data().dtype());
  }

  @Test
  void errorsCarryPyTorchsMessages() {
    Variable x = Variable.leaf(Tensor.zeros(DType.FLOAT32, 2, 3), true);
    assertEquals("Dimension out of range (expected to be in range of [-2, 1], but got 2)",
        assertThrows(IndexError.class, () -> DimReductions.sum(x, new int[] {2}, false)).getMessage());
    assertEquals("index 3 is out of bounds for dimension 0 with size 2",
        assertThrows(IndexError.class, () -> Views.select(x, 0, 3)).getMessage());
    assertEquals("shape '[4, 2]' is invalid for input of size 6",
        assertThrows(RuntimeError.class, () -> Views.view(x, new int[] {4, 2})).getMessage());
    assertEquals("\"softmax_lastdim_kernel_impl\" not implemented for 'Long'",
        assertThrows(NotImplementedError.class, () -> Softmax.softmax(longs(1, 2), 0)).getMessage());
    assertEquals("dim 0 appears multiple times in the list of dims",
        assertThrows(RuntimeError.class, () -> DimReductions.sum(x, new int[] {0, -2}, false)).getMessage());
  }

  @Test
  void softmaxOfExtremes() {
    Variable x = Variable.constant(Tensor.ofDoubles(new double[] {1e4, -1e4, 0, Double.NEGATIVE_INFINITY}, 4));
    double[] y = Softmax.softmax(x, 0).data().toDoubleArray();
    assertArrayEquals(new double[] {1, 0, 0, 0}, y);
    double[] ly = Softmax.logSoftmax(x, 0).data().toDoubleArray();
    assertEquals(0, ly[0]);
    assertEquals(Double.NEGATIVE_INFINITY, ly[3]);
  }

  @Test
  void noGradRecordsNothing() {
    Variable x = f32(1f, 2f);
    try (GradMode.Guard g = GradMode.noGrad()) {
      assertFalse(GradMode.isEnabled());
      Variable y = Arithmetic.mul(x, x);
      assertFalse(y.requiresGrad());
      assertNull(y.gradFnName());
    }
    assertTrue(GradMode.isEnabled());
    assertTrue(Arithmetic.mul(x, x).requiresGrad());
  }

  @Test
  void comparisonsAreBoolAndOutsideTheGraph() {
    Variable x = f32(1f, 2f, Float.NaN);
    Variable lt = Comparisons.compareScalar(Comparisons.Kind.LT, x, 1.5);
    assertEquals(DType.BOOL, lt.data().dtype());
    assertFalse(lt.requiresGrad());
    assertEquals("tensor([ True, False, False])", lt.data().toString());
    assertEquals("tensor([False, False,  True])",
        Comparisons.compare(Comparisons.Kind.NE, x, x).data().toString());
  }
}
