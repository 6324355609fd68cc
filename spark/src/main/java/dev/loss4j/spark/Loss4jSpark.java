package dev.loss4j.spark;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Aggregator;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * loss4j in Spark SQL. After {@code Loss4jSpark.register(spark)}, every loss is a function of the
 * catalog {@code loss4j}:
 *
 * <pre>{@code
 * SELECT loss4j.cross_entropy(logits, label, 'mean', array(1d, 2d, 0.5d), -100, 0.1) FROM predictions
 * SELECT loss4j.mse_loss(prediction, target) FROM pairs           -- reduction defaults to 'mean'
 * SELECT loss4j.mse_loss_none(prediction, target) FROM pairs      -- per row, PyTorch's reduction='none'
 * }</pre>
 *
 * Arguments follow {@code torch.nn.functional}: the tensors (array&lt;float&gt;/array&lt;double&gt; columns,
 * scalar columns for elementwise losses, integer columns for class indices), then {@code reduction},
 * then the keyword options in PyTorch's order. From the DataFrame API, {@link #loss} builds the same
 * call as a {@link Column}, and {@link #aggregator} gives a typed {@link Aggregator}.
 */
public final class Loss4jSpark {
  /** The catalog name the functions live under. */
  public static final String CATALOG = "loss4j";

  private Loss4jSpark() {}

  /** Makes the {@code loss4j} function catalog available to {@code spark}'s SQL and DataFrames. */
  public static void register(SparkSession spark) {
    spark.conf().set("spark.sql.catalog." + CATALOG, Loss4jCatalog.class.getName());
  }

  /**
   * A loss (its {@code torch.nn.functional} name, e.g. {@code "cross_entropy"}) as a typed aggregator over
   * rows whose columns are its arguments in order: the tensors, then optionally reduction and options.
   */
  public static Aggregator<Row, ?, Double> aggregator(String loss, StructType schema) {
    Loss l = Loss.fromSqlName(loss);
    if (l == null) {
      throw new IllegalArgumentException("no loss " + loss);
    }
    return new LossAggregator(l, schema);
  }

  /**
   * {@code loss4j.<function>(args...)} as a column, e.g. {@code loss("mse_loss", col("p"), col("y"),
   * lit("sum"))} inside {@code df.agg(...)}.
   */
  public static Column loss(String function, Column... args) {
    return functions.call_function(CATALOG + "." + function, Arrays.copyOf(args, args.length));
  }
}
