package dev.loss4j.spark;

import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import java.io.Serializable;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.catalog.functions.AggregateFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * A loss as a Spark aggregate: {@code reduction='mean'} or {@code 'sum'} ({@code 'batchmean'} for
 * kl_div) over every row of a group, equal to PyTorch's value over the rows concatenated into one batch.
 *
 * <p>Rows are buffered and handed to the engine in batches with {@code reduction='none'}; the per-element
 * losses (in the input's dtype, as PyTorch computes them) go into an {@link ExactSum}, and so does the
 * mean's divisor: the element count, the row count, or for nll_loss and cross_entropy with class
 * targets the summed weight {@code weight[target]} of the rows not ignored. The result is rounded once,
 * at the end, so it does not depend on how rows fall into partitions or in what order partial states
 * merge. In {@code denominator} mode the aggregate returns that divisor instead (as a double), which the
 * per-row gradient needs for a mean. A group no row reached gives NULL.
 */
final class LossAggregate extends LossFunction implements AggregateFunction<LossAggregate.State, Object> {
  private static final long serialVersionUID = 1L;

  private final boolean denominator;

  LossAggregate(Signature sig, boolean denominator) {
    super(sig, denominator ? "_denominator" : "");
    this.denominator = denominator;
  }

  /** One partial aggregate: the options, the rows not yet sent to the engine, and the exact sums. */
  public static final class State implements Serializable {
    private static final long serialVersionUID = 1L;
    Options options;
    final Batch batch;
    final ExactSum num = new ExactSum();
    final ExactSum den = new ExactSum();

    State(DType[] dtypes) {
      batch = new Batch(dtypes);
    }
  }

  @Override
  public State newAggregationState() {
    return new State(sig.slotDtype);
  }

  @Override
  public State update(State state, InternalRow input) {
    if (state.options == null) {
      state.options = sig.options(input);
      if (state.options.reduction.equals("none")) {
        throw new IllegalArgumentException("reduction='none' is a per-row function: use loss4j."
            + sig.loss.sqlName() + "_none");
      }
    }
    if (sig.allScalar) {
      if (sig.readScalars(input, state.batch) && state.batch.full()) {
        flush(state);
      }
      return state;
    }
    double[][] data = new double[sig.slots()][];
    int[][] shapes = new int[sig.slots()][];
    if (!sig.read(input, data, shapes)) {
      return state;
    }
    if (!state.batch.fits(shapes)) {
      flush(state);
    }
    state.batch.add(data, shapes);
    if (state.batch.full()) {
      flush(state);
    }
    return state;
  }

  @Override
  public State merge(State left, State right) {
    flush(left);
    flush(right);
    left.num.add(right.num);
    left.den.add(right.den);
    if (left.options == null) {
      left.options = right.options;
    }
    return left;
  }

  @Override
  public Object produceResult(State state) {
    if (state.options == null) {
      // No row reached this group, so its reduction (a row argument) is unknown: NULL, as SQL's own
      // aggregates give over no rows (PyTorch's value would be 0 for 'sum' and NaN for 'mean').
      return null;
    }
    flush(state);
    Options o = state.options;
    if (denominator) {
      return o.reduction.equals("sum") ? 1.0 : state.den.doubleValue();
    }
    double v = o.reduction.equals("sum") ? ExactSum.round(state.num, sig.float32)
        : ExactSum.divide(state.num, state.den, sig.float32);
    return sig.box(v);
  }

  /** Sends the buffered rows to the engine and adds their losses and divisor to the sums. */
  private void flush(State s) {
    Batch b = s.batch;
    if (b.rows == 0) {
      return;
    }
    Options o = s.options;
    Loss loss = sig.loss;
    Tensor out = loss.call(b.variables(loss == Loss.CTC_LOSS, false), o, sig.dtype, "none").value().data();
    int n = out.numel();
    boolean mean = !o.reduction.equals("sum");
    if (loss.kind == Loss.Kind.CTC && mean) {
      for (int r = 0; r < n; r++) {
        s.num.add(perTargetLength(out.getDouble(r), b.scalar(3, r)));
      }
    } else {
      for (int i = 0; i < n; i++) {
        s.num.add(out.getDouble(i));
      }
    }
    switch (loss.kind) {
      case ELEMENTWISE -> s.den.add(o.reduction.equals("batchmean") ? b.rows : n);
      case ROW, CTC -> s.den.add(b.rows);
      case CLASS_INDEX -> {
        if (sig.slotDtype[1] != DType.INT64) {
          s.den.add(b.rows);
        } else {
          for (int r = 0; r < b.rows; r++) {
            long y = (long) b.scalar(1, r);
            if (y != o.ignoreIndex) {
              s.den.add(o.weight == null ? 1.0 : sig.float32 ? (float) o.weight[(int) y] : o.weight[(int) y]);
            }
          }
        }
      }
    }
    b.clear();
  }

  /** CTC's mean divides each sample's loss by its target length (at least 1) in the loss's dtype. */
  double perTargetLength(double loss, double targetLength) {
    double len = Math.max(targetLength, 1);
    return sig.float32 ? (float) ((float) loss / (float) len) : loss / len;
  }


  @Override
  public DataType resultType() {
    return denominator ? DataTypes.DoubleType : sig.scalarType();
  }


}
