package dev.loss4j.spark;

import dev.loss4j.autograd.Variable;
import dev.loss4j.tensor.Tensor;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.connector.catalog.functions.ScalarFunction;
import org.apache.spark.sql.types.DataType;

/**
 * Per-row column functions of a loss.
 *
 * <ul>
 *   <li>{@code loss4j.<loss>_none(tensors..., reduction, options...)}: the row's unreduced loss, as
 *       PyTorch's {@code reduction='none'} gives it for that batch element (the reduction argument is
 *       accepted and ignored, so a call can be copied from the aggregate).</li>
 *   <li>{@code loss4j.<loss>_grad(denominator, tensors..., reduction, options...)}: the gradient of the
 *       table's reduced loss with respect to this row's first tensor argument. For {@code 'sum'} it is the
 *       row loss's own gradient; for {@code 'mean'} and {@code 'batchmean'} PyTorch scales it by
 *       1 / divisor, and the divisor is the table's: pass {@code loss4j.<loss>_denominator(...)} computed
 *       over the same rows.</li>
 * </ul>
 */
final class RowFunction extends LossFunction implements ScalarFunction<Object> {
  private static final long serialVersionUID = 1L;

  private final boolean gradient;

  RowFunction(Signature sig, boolean gradient) {
    super(sig, gradient ? "_grad" : "_none");
    this.gradient = gradient;
  }

  @Override
  public Object produceResult(InternalRow input) {
    Options o = sig.options(input);
    double[][] data = new double[sig.slots()][];
    int[][] shapes = new int[sig.slots()][];
    if (!sig.read(input, data, shapes) || (gradient && input.isNullAt(0))) {
      return null;
    }
    Batch one = new Batch(sig.slotDtype);
    one.add(data, shapes);
    boolean ctc = sig.loss == Loss.CTC_LOSS;
    Variable[] v = one.variables(ctc, gradient);
    Variable out = sig.loss.call(v, o, sig.dtype, "none").value();
    if (!gradient) {
      Tensor t = out.data();
      return sig.loss.kind == Loss.Kind.ELEMENTWISE && shapes[0].length > 0
          ? array(t.toDoubleArray()) : sig.box(t.getDouble(0));
    }
    double scale = 1;
    boolean noWeight = false;
    if (!o.reduction.equals("sum") && !o.reduction.equals("none")) {
      double den = Signature.number(input, 0, sig.types[0]);
      scale = sig.float32 ? (float) (1.0 / den) : 1.0 / den;
      if (den == 0 && sig.loss.kind == Loss.Kind.CLASS_INDEX) {
        noWeight = true;
        scale = 0;
      }
      if (ctc) {
        double len = Math.max(one.scalar(3, 0), 1);
        scale = sig.float32 ? (float) ((float) scale / (float) len) : scale / len;
      }
    }
    out.backward(Tensor.full(scale, sig.dtype, out.data().shape()));
    double[] g = v[0].grad().toDoubleArray();
    if (noWeight) {
      noWeight(g, one, o);
    }
    if (shapes[0].length == 0) {
      return sig.box(g[0]);
    }
    if (shapes[0].length == 1) {
      return array(g);
    }
    // CTC: the gradient is (T, 1, C); one array of C per time step
    int steps = shapes[0][0];
    int classes = shapes[0][1];
    Object[] rows = new Object[steps];
    for (int t = 0; t < steps; t++) {
      double[] r = new double[classes];
      System.arraycopy(g, t * classes, r, 0, classes);
      rows[t] = array(r);
    }
    return new GenericArrayData(rows);
  }

  /**
   * The gradient when no target carries class weight (all ignored, or all weights zero): PyTorch computes
   * weight[target] * (-1 / 0), which is 0 * inf = NaN at the target of every row not ignored; cross
   * entropy's log_softmax backward spreads that NaN over the row. Ignored rows keep a zero gradient.
   */
  private void noWeight(double[] g, Batch one, Options o) {
    long y = (long) one.scalar(1, 0);
    if (y == o.ignoreIndex) {
      return;
    }
    if (sig.loss == Loss.NLL_LOSS) {
      g[(int) y] = Double.NaN;
    } else {
      java.util.Arrays.fill(g, Double.NaN);
    }
  }

  private ArrayData array(double[] d) {
    if (!sig.float32) {
      return UnsafeArrayData.fromPrimitiveArray(d);
    }
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return UnsafeArrayData.fromPrimitiveArray(f);
  }

  @Override
  public DataType resultType() {
    if (gradient) {
      return sig.floatLike(sig.types[sig.offset]);
    }
    return sig.loss.kind == Loss.Kind.ELEMENTWISE ? sig.floatLike(sig.types[sig.offset]) : sig.scalarType();
  }

}
