package dev.loss4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.analysis.NoSuchFunctionException;
import org.apache.spark.sql.connector.catalog.FunctionCatalog;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.functions.BoundFunction;
import org.apache.spark.sql.connector.catalog.functions.UnboundFunction;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * A Spark function catalog holding every loss: {@code <loss>} and {@code <loss>_denominator}
 * (aggregates), {@code <loss>_none} and {@code <loss>_grad} (per-row). Spark binds a function to its
 * argument types when a query is analysed, so float and double columns, scalars and arrays each get
 * their own bound function. {@link Loss4jSpark#register} installs it under the name {@code loss4j}.
 */
public final class Loss4jCatalog implements FunctionCatalog {
  private static final String[] SUFFIXES = {"", "_none", "_grad", "_denominator"};
  private String name = "loss4j";

  @Override
  public void initialize(String name, CaseInsensitiveStringMap options) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Identifier[] listFunctions(String[] namespace) {
    List<Identifier> out = new ArrayList<>();
    for (Loss l : Loss.values()) {
      for (String s : SUFFIXES) {
        out.add(Identifier.of(namespace, l.sqlName() + s));
      }
    }
    return out.toArray(new Identifier[0]);
  }

  @Override
  public UnboundFunction loadFunction(Identifier ident) throws NoSuchFunctionException {
    String fn = ident.name();
    for (int k = SUFFIXES.length - 1; k >= 0; k--) {
      String suffix = SUFFIXES[k];
      if (!fn.endsWith(suffix)) {
        continue;
      }
      Loss loss = Loss.fromSqlName(fn.substring(0, fn.length() - suffix.length()));
      if (loss != null) {
        return new Unbound(loss, suffix);
      }
    }
    throw new NoSuchFunctionException(ident);
  }

  private record Unbound(Loss loss, String suffix) implements UnboundFunction {
    @Override
    public BoundFunction bind(StructType inputType) {
      return switch (suffix) {
        case "_none" -> new RowFunction(new Signature(loss, inputType, 0), false);
        case "_grad" -> new RowFunction(new Signature(loss, inputType, 1), true);
        case "_denominator" -> new LossAggregate(new Signature(loss, inputType, 0), true);
        default -> new LossAggregate(new Signature(loss, inputType, 0), false);
      };
    }

    @Override
    public String description() {
      return "loss4j " + loss.sqlName() + suffix + "(" + (suffix.equals("_grad") ? "denominator, " : "")
          + "tensors..., reduction, " + String.join(", ", loss.options) + ")";
    }

    @Override
    public String name() {
      return loss.sqlName() + suffix;
    }
  }
}
