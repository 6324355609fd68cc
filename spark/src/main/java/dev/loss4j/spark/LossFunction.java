package dev.loss4j.spark;

import org.apache.spark.sql.connector.catalog.functions.BoundFunction;
import org.apache.spark.sql.types.DataType;

/** What the aggregate and the per-row functions share: the bound signature and a name with a suffix. */
abstract class LossFunction implements BoundFunction {
  private static final long serialVersionUID = 1L;

  final Signature sig;
  private final String suffix;

  LossFunction(Signature sig, String suffix) {
    this.sig = sig;
    this.suffix = suffix;
  }

  @Override
  public DataType[] inputTypes() {
    return sig.types;
  }

  @Override
  public String name() {
    return sig.loss.sqlName() + suffix;
  }

  @Override
  public String canonicalName() {
    return Loss4jSpark.CATALOG + "." + name();
  }
}
