package dev.loss4j.ops;

import static dev.loss4j.ops.GradCheck.check;
import static dev.loss4j.ops.GradCheck.leaf;

import org.junit.jupiter.api.Test;

/** Finite-difference checks of every op's backward, in float64, including broadcasting. */
class OpsGradientTest {
  private static final double[] A = {0.3, -1.2, 2.5, 0.7, -0.4, 1.9};
  private static final double[] B = {1.1, 0.6, -0.8, 2.2, -1.5, 0.9};
  private static final double[] POS = {0.3, 1.2, 2.5, 0.7, 0.4, 1.9};

  @Test
  void arithmeticWithBroadcasting() {
    check(v -> Arithmetic.add(v[0], v[1]), leaf(A, 2, 3), leaf(new double[] {1, 2, 3}, 3));
    check(v -> Arithmetic.sub(v[0], v[1]), leaf(A, 2, 3), leaf(new double[] {1, -2}, 2, 1));
    check(v -> Arithmetic.mul(v[0], v[1]), leaf(A, 2, 3), leaf(B, 2, 3));
    check(v -> Arithmetic.div(v[0], v[1]), leaf(A, 2, 3), leaf(new double[] {1.5, -2.5, 0.75}, 3));
    check(v -> Arithmetic.pow(v[0], v[1]), leaf(POS, 2, 3), leaf(B, 2, 3));
    check(v -> Arithmetic.mul(v[0], v[1]), leaf(A, 2, 3), leaf(new double[] {1.5}));
  }

  @Test
  void scalarArithmetic() {
    check(v -> Arithmetic.binaryScalar(Arithmetic.Kind.ADD, v[0], 2.5), leaf(A, 6));
    check(v -> Arithmetic.binaryScalar(Arithmetic.Kind.MUL, v[0], 3L), leaf(A, 6));
    check(v -> Arithmetic.binaryScalar(Arithmetic.Kind.DIV, v[0], 0.5, "float"), leaf(A, 6));
    check(v -> Arithmetic.reflectedScalar(Arithmetic.Kind.SUB, 1.0, v[0]), leaf(A, 6));
    check(v -> Arithmetic.reflectedScalar(Arithmetic.Kind.DIV, 2.0, v[0]), leaf(A, 6));
    check(v -> Arithmetic.reflectedScalar(Arithmetic.Kind.POW, 2.0, v[0]), leaf(A, 6));
  }

  @Test
  void pointwise() {
    check(v -> Pointwise.exp(v[0]), leaf(A, 2, 3));
    check(v -> Pointwise.log(v[0]), leaf(POS, 2, 3));
    check(v -> Pointwise.sqrt(v[0]), leaf(POS, 2, 3));
    check(v -> Pointwise.abs(v[0]), leaf(A, 2, 3));
    check(v -> Pointwise.sigmoid(v[0]), leaf(A, 2, 3));
    check(v -> Pointwise.neg(v[0]), leaf(A, 2, 3));
    check(v -> Pointwise.pow(v[0], 3L), leaf(A, 2, 3));
    check(v -> Pointwise.pow(v[0], 0.5), leaf(POS, 2, 3));
    check(v -> Pointwise.clamp(v[0], -1.0, 1.0), leaf(A, 2, 3));
    check(v -> Pointwise.clamp(v[0], null, 0.5), leaf(A, 2, 3));
  }

  @Test
  void softmaxes() {
    for (int dim : new int[] {0, 1, -1}) {
      check(v -> Softmax.softmax(v[0], dim), leaf(A, 2, 3));
      check(v -> Softmax.logSoftmax(v[0], dim), leaf(A, 2, 3));
    }
    check(v -> Softmax.logSoftmax(v[0], 1), leaf(new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8}, 2, 2, 2));
  }

  @Test
  void reductions() {
    check(v -> DimReductions.sum(v[0], new int[] {1}, false), leaf(A, 2, 3));
    check(v -> DimReductions.sum(v[0], new int[] {0}, true), leaf(A, 2, 3));
    check(v -> DimReductions.mean(v[0], new int[] {-1}, false), leaf(A, 2, 3));
    check(v -> DimReductions.mean(v[0], new int[] {0, 1}, false), leaf(A, 2, 3));
    for (double p : new double[] {0.5, 1, 1.5, 2, 3, Double.POSITIVE_INFINITY}) {
      check(v -> DimReductions.norm(v[0], p, new int[] {1}, false), leaf(A, 2, 3));
      check(v -> DimReductions.norm(v[0], p, null, false), leaf(A, 2, 3));
    }
  }

  @Test
  void viewsAndIndexing() {
    check(v -> Views.view(v[0], new int[] {3, 2}), leaf(A, 2, 3));
    check(v -> Views.reshape(v[0], new int[] {-1}), leaf(A, 2, 3));
    check(v -> Views.unsqueeze(v[0], 1), leaf(A, 2, 3));
    check(v -> Views.squeeze(v[0]), leaf(A, 1, 2, 3));
    check(v -> Views.flatten(v[0], 0, -1), leaf(A, 2, 3));
    check(v -> Views.select(v[0], 1, -1), leaf(A, 2, 3));
    check(v -> Views.slice(v[0], 1, 0L, null, 2), leaf(A, 2, 3));
    check(v -> Views.expand(v[0], new int[] {4, 3}), leaf(new double[] {1, 2, 3}, 3));
    check(v -> Views.cloneOf(v[0]), leaf(A, 2, 3));
  }

  @Test
  void selection() {
    dev.loss4j.autograd.Variable mask = dev.loss4j.autograd.Variable.constant(dev.loss4j.tensor.Tensor.ofBooleans(
        new boolean[] {true, false, false, true, true, false}, 2, 3));
    check(v -> Selection.where(mask, v[0], v[1]), leaf(A, 2, 3), leaf(new double[] {1, 2, 3}, 3));
    check(v -> Selection.maskedFill(v[0], mask, 0.5, "float"), leaf(A, 2, 3));
    dev.loss4j.autograd.Variable idx = dev.loss4j.autograd.Variable.constant(
        dev.loss4j.tensor.Tensor.ofLongs(new long[] {2, 2, 0, 1}, 2, 2));
    check(v -> Selection.gather(v[0], 1, idx), leaf(A, 2, 3));
    check(v -> Selection.max(v[0]), leaf(A, 2, 3));
    check(v -> Selection.min(v[0]), leaf(A, 2, 3));
    check(v -> Pointwise.relu(v[0]), leaf(A, 2, 3));
    check(v -> Pointwise.tanh(v[0]), leaf(A, 2, 3));
    check(v -> Pointwise.log1p(v[0]), leaf(POS, 2, 3));
  }

  @Test
  void matrixProductsAndTransposes() {
    check(v -> Linalg.mm(v[0], v[1]), leaf(A, 2, 3), leaf(B, 3, 2));
    check(v -> Linalg.matmul(v[0], v[1]), leaf(A, 2, 3), leaf(new double[] {1, -2, 0.5}, 3));
    check(v -> Linalg.matmul(v[0], v[1]), leaf(new double[] {1, -2, 0.5}, 3), leaf(B, 3, 2));
    check(v -> Linalg.dot(v[0], v[1]), leaf(A, 6), leaf(B, 6));
    check(v -> Views.t(v[0]), leaf(A, 2, 3));
    check(v -> Views.permute(v[0], new int[] {2, 0, 1}), leaf(A, 1, 2, 3));
    check(v -> Views.transpose(v[0], 0, -1), leaf(A, 3, 2));
    check(v -> Selection.extremeDim(v[0], 1, false, true)[0], leaf(A, 2, 3));
    check(v -> Selection.extremeDim(v[0], 0, true, false)[0], leaf(A, 2, 3));
  }

  @Test
  void joins() {
    check(v -> Joins.cat(new dev.loss4j.autograd.Variable[] {v[0], v[1]}, 1), leaf(A, 2, 3), leaf(new double[] {4, 5}, 2, 1));
    check(v -> Joins.cat(new dev.loss4j.autograd.Variable[] {v[0], v[1]}, 0), leaf(A, 2, 3), leaf(B, 2, 3));
    check(v -> Joins.stack(new dev.loss4j.autograd.Variable[] {v[0], v[1]}, 2), leaf(A, 2, 3), leaf(B, 2, 3));
  }

  @Test
  void distances() {
    check(v -> Distances.pairwiseDistance(v[0], v[1], 2, 1e-6, false), leaf(A, 2, 3), leaf(B, 2, 3));
    check(v -> Distances.pairwiseDistance(v[0], v[1], 1.5, 1e-6, true), leaf(A, 2, 3), leaf(B, 2, 3));
    check(v -> Distances.cosineSimilarity(v[0], v[1], 1, 1e-8), leaf(A, 2, 3), leaf(B, 2, 3));
    check(v -> Distances.cosineSimilarity(v[0], v[1], 0, 1e-8), leaf(A, 2, 3), leaf(new double[] {1, 2}, 2, 1));
  }

  @Test
  void chainThroughLogSoftmaxIntoALoss() {
    check(v -> dev.loss4j.loss.Functional.mseLoss(Softmax.logSoftmax(v[0], 1), v[1], null, null, "mean").value(),
        leaf(A, 2, 3), leaf(B, 2, 3));
  }
}
