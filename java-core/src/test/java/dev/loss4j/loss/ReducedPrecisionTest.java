package dev.loss4j.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.NotImplementedError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Losses given float16, bfloat16 and int32 tensors: computed, or refused as PyTorch (or loss4j) refuses them. */
class ReducedPrecisionTest {
  private static Tensor half(DType d, float... v) {
    return Tensor.ofReduced(d, v, v.length);
  }

  @Test
  void mseInHalfTakesAtensRoundedSteps() {
    // F.mse_loss(x, y) and x.grad[2] for x = [0.3, -1.2, 2.5], y = [0.1, 0.2, 0.3] in each dtype, printed by
    // PyTorch 2.13.0+cpu: (x - y) and its square rounded to the dtype, then the mean; rounding once from float32
    // instead gives 1.466796875 for the float16 gradient.
    DType[] dtypes = {DType.FLOAT16, DType.BFLOAT16};
    double[] losses = {2.279296875, 2.28125};
    double[] grads = {1.4658203125, 1.46875};
    for (int k = 0; k < 2; k++) {
      DType d = dtypes[k];
      Variable x = Variable.leaf(half(d, 0.3f, -1.2f, 2.5f), true);
      Variable y = Variable.constant(half(d, 0.1f, 0.2f, 0.3f));
      Variable loss = Functional.mseLoss(x, y, null, null, "mean").value();
      assertEquals(d, loss.data().dtype());
      assertEquals(losses[k], loss.data().item());
      loss.backward();
      assertEquals(d, x.grad().dtype());
      assertEquals(grads[k], x.grad().getDouble(2));
    }
  }

  @Test
  void tensorLevelForwardTakesReducedPrecisionToo() {
    Tensor out = new Regression.L1Loss(Reduction.SUM).forward(half(DType.FLOAT16, 1.5f, -2f), half(DType.FLOAT16, 1f, 1f));
    assertEquals(DType.FLOAT16, out.dtype());
    assertEquals(3.5, out.item());
  }

  @Test
  void pytorchRefusalsKeepItsMessages() {
    Variable x = Variable.leaf(half(DType.FLOAT16, 0.5f, 0.25f, 1f), true);
    Variable target = Variable.constant(Tensor.ofLongs(new long[] {1}, 1));
    NotImplementedError e = assertThrows(NotImplementedError.class,
        () -> Variable.apply(new Classification.MultiMarginLoss(1, 1.0, Reduction.MEAN), null,
            Variable.constant(x.data().reshape(1, 3)), target, null));
    assertEquals("\"multi_margin_loss_cpu_kernel\" not implemented for 'Half'", e.getMessage());
  }

  @Test
  void lossesNotYetMirroredSayWhich() {
    // cosine_embedding_loss of a bfloat16 input against a float32 one: PyTorch promotes op by op, rounding the
    // bfloat16 operand's own products; loss4j does not mirror those mixed steps yet.
    Variable x = Variable.leaf(Tensor.ofReduced(DType.BFLOAT16, new float[] {0.5f, -0.25f, 1f, 2f}, 2, 2), true);
    Variable y = Variable.leaf(Tensor.ofFloats(new float[] {0.5f, 2f, 1f, 1f}, 2, 2), true);
    Variable t = Variable.constant(Tensor.ofReduced(DType.BFLOAT16, new float[] {1f, -1f}, 2));
    NotImplementedError e = assertThrows(NotImplementedError.class,
        () -> Variable.apply(new Embedding.CosineEmbeddingLoss(), null, x, y, t));
    assertTrue(e.getMessage().startsWith("CosineEmbeddingLoss in torch.bfloat16 is not implemented in loss4j"),
        e.getMessage());
  }

  @Test
  void aReducedDtypeMixedWithAnotherIsRefusedByTheStepByStepLosses() {
    Variable x = Variable.leaf(half(DType.FLOAT16, 0.5f, -0.25f), true);
    Variable y = Variable.constant(Tensor.ofFloats(new float[] {1f, 0f}, 2));
    NotImplementedError e = assertThrows(NotImplementedError.class,
        () -> Variable.apply(new Binary.BCEWithLogitsLoss(), null, x, y));
    assertTrue(e.getMessage().startsWith("BCEWithLogitsLoss in torch.float16 is not implemented in loss4j"),
        e.getMessage());
  }

  @Test
  void softMarginScalesByTheNormRoundedToTheDtype() {
    // Mean over 3 elements: PyTorch's backward multiplies in place by -1/3 rounded to float16 first.
    Variable x = Variable.leaf(half(DType.FLOAT16, 0.5f, -0.25f, 1f), true);
    Variable y = Variable.constant(half(DType.FLOAT16, 1f, -1f, 1f));
    Variable loss = Variable.apply(new Binary.SoftMarginLoss(Reduction.MEAN), null, x, y);
    loss.backward();
    DType d = DType.FLOAT16;
    double z = d.round(Math.exp(d.round(-0.5)));
    double expected = d.round(d.round(d.round(z) * d.round(-1.0 / 3)) / d.round(z + 1));
    assertEquals(expected, x.grad().getDouble(0));
  }

  @Test
  void int32ClassTargetsAreRefusedAsPyTorchDoes() {
    Variable x = Variable.leaf(Tensor.ofFloats(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, 2, 2), true);
    Variable t = Variable.constant(Tensor.ofInts(new int[] {0, 1}, 2));
    RuntimeError e = assertThrows(RuntimeError.class,
        () -> Variable.apply(new Classification.NLLLoss(), null, x, t, null));
    assertEquals("expected target dtype to be Long or Byte, but got Int", e.getMessage());
  }
}
