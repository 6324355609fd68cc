package dev.loss4j.spark;

import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.expressions.Aggregator;
import org.apache.spark.sql.types.StructType;

/**
 * A loss as a typed {@link Aggregator} over rows of a known schema (the loss's arguments in order:
 * tensors, then optionally reduction and options as columns), for code that wants a typed column:
 *
 * <pre>{@code
 * Aggregator<Row, ?, Double> mse = Loss4jSpark.aggregator("mse_loss", df.schema());
 * double v = df.select(mse.toColumn()).first();   // or functions.udaf(mse, Encoders.row(df.schema()))
 * }</pre>
 *
 * It is the SQL aggregate underneath (same batching, same exact sums); the result is a double holding
 * the float32 value for float32 columns. The catalog functions ({@link Loss4jSpark#loss}) avoid the
 * conversion of each row from Spark's external Row to its internal one, and keep the float type.
 */
final class LossAggregator extends Aggregator<Row, LossAggregate.State, Double> {
  private static final long serialVersionUID = 1L;

  private final LossAggregate aggregate;

  LossAggregator(Loss loss, StructType schema) {
    this.aggregate = new LossAggregate(new Signature(loss, schema, 0), false);
  }

  @Override
  public LossAggregate.State zero() {
    return aggregate.newAggregationState();
  }

  @Override
  public LossAggregate.State reduce(LossAggregate.State state, Row row) {
    return aggregate.update(state, (InternalRow) CatalystTypeConverters.convertToCatalyst(row));
  }

  @Override
  public LossAggregate.State merge(LossAggregate.State left, LossAggregate.State right) {
    return aggregate.merge(left, right);
  }

  @Override
  public Double finish(LossAggregate.State state) {
    Object v = aggregate.produceResult(state);
    return v == null ? null : ((Number) v).doubleValue();
  }

  @Override
  public Encoder<LossAggregate.State> bufferEncoder() {
    return Encoders.javaSerialization(LossAggregate.State.class);
  }

  @Override
  public Encoder<Double> outputEncoder() {
    return Encoders.DOUBLE();
  }
}
