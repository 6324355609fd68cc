package dev.loss4j.ops;

import static dev.loss4j.ops.GradCheck.check;
import static dev.loss4j.ops.GradCheck.leaf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.IndexError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorMath;
import org.junit.jupiter.api.Test;

/**
 * The ops hand-written losses use, through the Java API: values on small literal inputs, finite-difference
 * gradients in float64, and PyTorch's error messages (the shim's recorded cases are in examples/custom_ops.py).
 */
class CustomLossOpsTest {
  private static final double[] A = {0.3, -1.2, 2.5, 0.7, -0.4, 1.9, 1.1, -0.6, 0.2, 0.8, -2.1, 1.4};
  private static final double[] B = {1.1, 0.6, -0.8, 2.2, -1.5, 0.9};

  private static Variable longs(long[] v, int... shape) {
    return Variable.constant(Tensor.ofLongs(v, shape));
  }

  private static Variable bools(boolean[] v, int... shape) {
    return Variable.constant(Tensor.ofBooleans(v, shape));
  }

  @Test
  void advancedIndexingReadsAndScattersBack() {
    Variable x = leaf(A, 3, 4);
    Variable rows = longs(new long[] {2, 0, 2}, 3);
    Variable out = Indexing.index(x, new Variable[] {rows});
    assertArrayEquals(new int[] {3, 4}, out.data().shape());
    assertEquals(0.2, out.data().getDouble(0), 0);
    assertEquals("IndexBackward0", out.gradFnName());
    check(v -> Indexing.index(v[0], new Variable[] {rows}), leaf(A, 3, 4));
    Variable cols = longs(new long[] {3, 1}, 2);
    // x[:, [3, 1]] and the non-adjacent case x[[0, 2], :, ...] with a broadcast pair
    check(v -> Indexing.index(v[0], new Variable[] {null, cols}), leaf(A, 3, 4));
    check(v -> Indexing.index(v[0], new Variable[] {longs(new long[] {0, 2}, 2, 1), cols}), leaf(A, 3, 4));
    Variable mask = bools(new boolean[] {true, false, true}, 3);
    assertArrayEquals(new int[] {2, 4}, Indexing.index(x, new Variable[] {mask}).data().shape());
    IndexError e = assertThrows(IndexError.class, () -> Indexing.index(x, new Variable[] {longs(new long[] {3}, 1)}));
    assertEquals("index 3 is out of bounds for dimension 0 with size 3", e.getMessage());
    IndexError m = assertThrows(IndexError.class,
        () -> Indexing.index(x, new Variable[] {bools(new boolean[] {true, false}, 2)}));
    assertEquals("The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [3, 4] at index 0",
        m.getMessage());
  }

  @Test
  void indexPutAndMaskedSelect() {
    Variable idx = longs(new long[] {1, 1}, 2);
    Variable put = Indexing.indexPut(leaf(A, 3, 4), new Variable[] {null, idx}, Variable.constant(
        Tensor.ofDoubles(new double[] {5}, new int[0])), true);
    assertEquals(A[1] + 10, put.data().getDouble(1), 1e-12);
    check(v -> Indexing.indexPut(v[0], new Variable[] {longs(new long[] {0, 2}, 2)}, v[1], false),
        leaf(A, 3, 4), leaf(new double[] {1, 2, 3, 4}, 4));
    check(v -> Indexing.maskedSelect(v[0], bools(new boolean[] {true, false, false, true}, 4)), leaf(A, 3, 4));
    RuntimeError e = assertThrows(RuntimeError.class,
        () -> Indexing.maskedSelect(leaf(A, 3, 4), longs(new long[] {1, 0, 1, 0}, 4)));
    assertEquals("masked_select: expected BoolTensor for mask", e.getMessage());
  }

  @Test
  void scatterAndOneHot() {
    // scatter is differentiable where no two elements write one place (PyTorch then gathers for each of them)
    Variable index = longs(new long[] {0, 3, 1, 2, 2, 0}, 3, 2);
    Variable repeated = longs(new long[] {0, 3, 1, 1, 2, 0}, 3, 2);
    check(v -> Scatter.scatter(v[0], 1, index, v[1]), leaf(A, 3, 4), leaf(B, 3, 2));
    check(v -> Scatter.scatterAdd(v[0], 1, repeated, v[1]), leaf(A, 3, 4), leaf(B, 3, 2));
    check(v -> Scatter.scatterValue(v[0], 1, index, 0.5, "float"), leaf(A, 3, 4));
    Tensor oh = Scatter.oneHot(longs(new long[] {2, 0}, 2), -1).data();
    assertArrayEquals(new long[] {0, 0, 1, 1, 0, 0}, oh.toLongArray());
    RuntimeError e = assertThrows(RuntimeError.class, () -> Scatter.oneHot(longs(new long[] {2}, 1), 2));
    assertEquals("Class values must be smaller than num_classes.", e.getMessage());
  }

  @Test
  void elementwise() {
    double[] small = {0.3, -0.2, 0.5, 0.7, -0.4, 0.9};
    check(v -> Pointwise.cos(v[0]), leaf(A, 3, 4));
    check(v -> Pointwise.sin(v[0]), leaf(A, 3, 4));
    check(v -> Pointwise.cosh(v[0]), leaf(A, 3, 4));
    check(v -> Pointwise.acos(v[0]), leaf(small, 2, 3));
    check(v -> Pointwise.softplus(v[0], 2.0, 1.5), leaf(A, 3, 4));
    check(v -> Selection.maximum(v[0], v[1]), leaf(A, 2, 6), leaf(new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, 6));
    check(v -> Selection.minimum(v[0], v[1]), leaf(A, 3, 4), leaf(new double[] {0, 0.5, -1}, 3, 1));
    check(v -> Distances.normalize(v[0], 2.0, 1, 1e-12), leaf(A, 3, 4));
    check(v -> Distances.normalize(v[0], 1.0, 0, 1e-12), leaf(A, 3, 4));
    // equal pairs share the gradient
    Variable a = leaf(new double[] {1, 2}, 2);
    Variable b = leaf(new double[] {1, 3}, 2);
    Selection.maximum(a, b).backward(Tensor.ofDoubles(new double[] {1, 1}, 2));
    assertArrayEquals(new double[] {0.5, 0}, a.grad().toDoubleArray(), 0);
    assertArrayEquals(new double[] {0.5, 1}, b.grad().toDoubleArray(), 0);
  }

  @Test
  void orderingAndScans() {
    Variable x = leaf(A, 3, 4);
    Variable[] sorted = Ordering.sort(x, 1, false);
    assertArrayEquals(new long[] {1, 0, 3, 2}, java.util.Arrays.copyOf(sorted[1].data().toLongArray(), 4));
    check(v -> Ordering.sort(v[0], 0, true)[0], leaf(A, 3, 4));
    check(v -> Ordering.topk(v[0], 2, 1, true)[0], leaf(A, 3, 4));
    check(v -> Ordering.cumsum(v[0], 1), leaf(A, 3, 4));
    check(v -> Ordering.diff(v[0], 2, -1, null, null), leaf(A, 3, 4));
    check(v -> Ordering.diff(v[0], 1, 0, v[1], null), leaf(A, 3, 4), leaf(new double[] {1, 2, 3, 4}, 1, 4));
    assertEquals("selected index k out of range",
        assertThrows(RuntimeError.class, () -> Ordering.topk(x, 5, 1, true)).getMessage());
    Tensor ints = Ordering.cumsum(Variable.constant(Tensor.ofBooleans(new boolean[] {true, true}, 2)), 0).data();
    assertEquals(DType.INT64, ints.dtype());
  }

  @Test
  void viewsProductsAndDistances() {
    check(v -> Views.diagonal(v[0], 1, 0, 1), leaf(A, 3, 4));
    check(v -> Views.diagonal(v[0], -1, 1, 0), leaf(A, 3, 4));
    check(v -> Views.chunk(v[0], 3, 1)[1], leaf(A, 3, 4));
    assertEquals(2, Views.chunk(leaf(A, 12), 2, 0).length);
    check(v -> Linalg.linear(v[0], v[1], v[2]), leaf(A, 3, 4), leaf(java.util.Arrays.copyOf(A, 8), 2, 4),
        leaf(new double[] {0.5, -1}, 2));
    check(v -> Linalg.linear(v[0], v[1], null), leaf(A, 12), leaf(java.util.Arrays.copyOf(B, 12), 1, 12));
    check(v -> Linalg.addmm(v[0], v[1], v[2], 0.5, 2), leaf(new double[] {1, 2}, 2), leaf(A, 3, 4),
        leaf(java.util.Arrays.copyOf(A, 8), 4, 2));
    check(v -> Einsum.einsum("ij,kj->ik", v[0], v[1]), leaf(A, 3, 4), leaf(java.util.Arrays.copyOf(A, 8), 2, 4));
    check(v -> Einsum.einsum("ii->i", v[0]), leaf(java.util.Arrays.copyOf(A, 9), 3, 3));
    check(v -> Einsum.einsum("...j,j", v[0], v[1]), leaf(A, 3, 4), leaf(new double[] {1, 2, 3, 4}, 4));
    for (double p : new double[] {1, 2, 3, Double.POSITIVE_INFINITY}) {
      // rows with no tie for the largest |difference| (PyTorch sends p = inf's gradient to every tied entry)
      check(v -> Distances.cdist(v[0], v[1], p), leaf(A, 3, 4),
          leaf(new double[] {1.1, 0.6, -0.8, 2.2, -1.5, 0.95, 0.05, 0.3}, 2, 4));
    }
    Tensor eye = TensorMath.eye(2, 3, DType.FLOAT64);
    assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0}, eye.toDoubleArray(), 0);
    assertEquals("einsum(): subscript j has size 3 for operand 1 which does not broadcast with previously seen size 4",
        assertThrows(RuntimeError.class, () -> Einsum.einsum("ij,jk", leaf(A, 3, 4), leaf(A, 3, 4))).getMessage());
  }

  @Test
  void scatterReduceGradients() {
    // distinct values, so amax/amin have no ties and each reduction is smooth at the point checked
    Variable repeated = longs(new long[] {0, 3, 1, 1, 2, 0}, 3, 2);
    for (String reduce : new String[] {"sum", "prod", "mean", "amax", "amin"}) {
      for (boolean includeSelf : new boolean[] {true, false}) {
        check(v -> ScatterReduce.scatterReduce(v[0], 1, repeated, v[1], reduce, includeSelf), leaf(A, 3, 4),
            leaf(B, 3, 2));
      }
    }
    Tensor mean = ScatterReduce.scatterReduce(longs(new long[] {0, 5}, 2), 0, longs(new long[] {1, 1}, 2),
        longs(new long[] {-3, -30}, 2), "mean", true).data();
    assertArrayEquals(new long[] {0, -10}, mean.toLongArray()); // (5 - 3 - 30) / 3 rounded down
    Tensor legacy = ScatterReduce.scatterLegacyValue(leaf(new double[] {1, 2, 3}, 3), 0, longs(new long[] {2, 2}, 2),
        2, "float", "multiply").data();
    assertArrayEquals(new double[] {1, 2, 12}, legacy.toDoubleArray(), 0);
    assertEquals("reduce argument must be either sum, prod, mean, amax or amin, got add", assertThrows(
        RuntimeError.class, () -> ScatterReduce.scatterReduce(leaf(A, 3, 4), 1, repeated, leaf(B, 3, 2), "add", true))
        .getMessage());
  }

  @Test
  void bitwise() {
    Variable a = longs(new long[] {5, -3, 12, -8}, 4);
    Variable b = longs(new long[] {3, 6, 70, -1}, 4);
    assertArrayEquals(new long[] {1, 4, 4, -8}, Bitwise.binary(Bitwise.Kind.AND, a, b).data().toLongArray());
    assertArrayEquals(new long[] {7, -1, 78, -1}, Bitwise.binary(Bitwise.Kind.OR, a, b).data().toLongArray());
    // shift counts outside [0, 64): 0 for <<, the sign for >>
    assertArrayEquals(new long[] {40, -192, 0, 0}, Bitwise.binary(Bitwise.Kind.LSHIFT, a, b).data().toLongArray());
    assertArrayEquals(new long[] {0, -1, 0, -1}, Bitwise.binary(Bitwise.Kind.RSHIFT, a, b).data().toLongArray());
    assertArrayEquals(new long[] {-6, 2, -13, 7}, Bitwise.bitwiseNot(a).data().toLongArray());
    assertEquals("\"bitwise_xor_cpu\" not implemented for 'Float'", assertThrows(
        dev.loss4j.errors.NotImplementedError.class,
        () -> Bitwise.binaryScalar(Bitwise.Kind.XOR, a, 1.5, "float")).getMessage());
  }

  @Test
  void pdistAndPad() {
    double[] rows = {0.3, -1.2, 2.5, 0.7, -0.4, 1.9, 1.1, -0.65, 0.2, 0.8, -2.1, 1.45};
    for (double p : new double[] {1, 2, 3, 0.5, Double.POSITIVE_INFINITY}) {
      check(v -> Distances.pdist(v[0], p), leaf(rows, 4, 3));
    }
    assertArrayEquals(new double[] {5, 5, 0}, Distances.pdist(leaf(new double[] {0, 0, 3, 4, 3, 4}, 3, 2), 2).data()
        .toDoubleArray(), 1e-12);
    for (String mode : new String[] {"constant", "reflect", "replicate", "circular"}) {
      check(v -> Padding.pad(v[0], new int[] {2, 1, 1, -1}, mode, 0, null), leaf(A, 1, 3, 4));
    }
    Tensor reflected = Padding.pad(leaf(new double[] {1, 2, 3}, 1, 3), new int[] {2, 1}, "reflect", 0, null).data();
    assertArrayEquals(new double[] {3, 2, 1, 2, 3, 2}, reflected.toDoubleArray(), 0);
    Tensor wrapped = Padding.pad(leaf(new double[] {1, 2, 3}, 1, 3), new int[] {-1, 2}, "circular", 0, null).data();
    assertArrayEquals(new double[] {2, 3, 2, 3}, wrapped.toDoubleArray(), 0);
    assertEquals("Padding value causes wrapping around more than once.", assertThrows(RuntimeError.class,
        () -> Padding.pad(leaf(new double[] {1, 2, 3}, 1, 3), new int[] {4, 0}, "circular", 0, null)).getMessage());
  }

  @Test
  void varianceWithoutDegreesOfFreedom() {
    Softmax.Outcome o = DimReductions.varianceWarned(leaf(new double[] {1, 2, 4, 7}, 1, 4), new int[] {1}, 5, false,
        false);
    assertEquals(Double.POSITIVE_INFINITY, o.value().data().getDouble(0));
    assertEquals(1, o.warnings().size());
    // the gradient divides by N - correction = -1 unclamped, as PyTorch's does: -2 (x - mean)
    Variable x = leaf(new double[] {1, 2, 4, 7}, 1, 4);
    DimReductions.variance(x, new int[] {1}, 5, false, false).backward(Tensor.ofDoubles(new double[] {1}, 1));
    assertArrayEquals(new double[] {5, 3, -1, -7}, x.grad().toDoubleArray(), 1e-12);
    assertEquals(0, DimReductions.varianceWarned(leaf(A, 3, 4), null, 1, false, true).warnings().size());
  }
}
