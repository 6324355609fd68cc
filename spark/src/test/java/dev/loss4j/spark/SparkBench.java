package dev.loss4j.spark;

import dev.loss4j.autograd.Variable;
import dev.loss4j.loss.Binary;
import dev.loss4j.loss.Classification;
import dev.loss4j.loss.Functional;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark throughput table of {@code make bench}: rows per second per core of three losses over the same
 * float32 rows (SparkDemo's data), each computed three ways: loss4j's aggregate, Spark SQL's own expression
 * for the same value, and loss4j's single-machine engine on the rows as in-memory tensors.
 *
 * <p>Spark runs {@code local[1]} (one task thread, so the rate is per core) over a cached DataFrame (the
 * rows are read once, then every query scans memory, as the engine does). Each figure is the median of
 * {@code --repeat} timed runs after one untimed one. Prints one JSON object (to {@code --out} if given).
 *
 * <p>Arguments: {@code [--rows N] [--repeat R] [--out FILE]}.
 */
public final class SparkBench {
  private SparkBench() {}

  /** One loss's three queries: loss4j's aggregate, Spark SQL's expression, the engine. */
  private record Case(String name, String loss4j, String sparkSql, String engine) {}

  public static void main(String[] args) throws Exception {
    long n = 2_000_000;
    int repeat = 3;
    Path out = null;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--rows" -> n = Long.parseLong(args[i + 1].replace("_", ""));
        case "--repeat" -> repeat = Integer.parseInt(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    SparkSession spark = SparkSession.builder().master("local[1]").appName("loss4j-spark-bench")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1").getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    Loss4jSpark.register(spark);

    Dataset<Row> rows = SparkDemo.rows(spark, n, 8).cache();
    rows.count();
    rows.createOrReplaceTempView("predictions");

    // The engine's tensors: the same rows, regenerated from the same ids.
    SparkDemo.EngineRows data = SparkDemo.EngineRows.of(n);
    Variable x = data.logits();
    Variable y = data.labels();
    Variable p = data.pred();
    Variable t = data.target();
    Variable c = data.clicked();

    // Spark's own expressions for the same values (no stabilising shift in the log-sum-exp: the logits are
    // small, and the point is the cost of the expression, checked against the engine's value below).
    List<Case> cases = List.of(
        new Case("mse_loss", "loss4j.mse_loss(pred, target)", "avg(pow(pred - target, 2))", "mse"),
        new Case("cross_entropy", "loss4j.cross_entropy(logits, label)",
            "avg(ln(aggregate(logits, 0d, (a, z) -> a + exp(z))) - element_at(logits, label + 1))", "ce"),
        new Case("binary_cross_entropy_with_logits", "loss4j.binary_cross_entropy_with_logits(pred, clicked)",
            "avg(greatest(pred, 0) - pred * clicked + ln(1 + exp(-abs(pred))))", "bcewl"));

    StringBuilder json = new StringBuilder();
    json.append(String.format(Locale.ROOT, "{\"rows\":%d,\"repeat\":%d,\"spark\":\"%s\",\"master\":\"local[1]\",\"cases\":[",
        n, repeat, spark.version()));
    for (int k = 0; k < cases.size(); k++) {
      Case cs = cases.get(k);
      double[] a = timeQuery(spark, cs.loss4j(), repeat);
      double[] s = timeQuery(spark, cs.sparkSql(), repeat);
      DoubleSupplier engine = switch (cs.engine()) {
        case "mse" -> () -> Functional.mseLoss(p, t, null, null, "mean").quiet().data().item();
        case "ce" -> () -> Classification.crossEntropy(x, y, null, null, -100, null, "mean", 0).quiet().data().item();
        default -> () -> Binary.binaryCrossEntropyWithLogits(p, c, null, null, null, "mean", null).quiet().data().item();
      };
      for (int w = 0; w < 5; w++) {
        engine.getAsDouble(); // the engine's loops JIT-compiled before timing, as Spark's get its first run
      }
      double[] e = time(engine, repeat);
      json.append(k > 0 ? "," : "").append(String.format(Locale.ROOT,
          "{\"loss\":\"%s\",\"loss4j_s\":%.6f,\"loss4j_value\":%.9g,\"spark_sql_s\":%.6f,\"spark_sql_value\":%.9g,"
              + "\"engine_s\":%.6f,\"engine_value\":%.9g,\"loss4j_sql\":\"%s\",\"spark_sql\":\"%s\"}",
          cs.name(), a[0], a[1], s[0], s[1], e[0], e[1], cs.loss4j(), cs.sparkSql().replace("\"", "\\\"")));
    }
    json.append("]}");
    spark.stop();
    if (out != null) {
      Files.writeString(out, json + "\n");
    }
    System.out.println(json);
  }

  /** {seconds (median of repeat runs after one untimed), value} of one aggregate over the cached rows. */
  private static double[] timeQuery(SparkSession spark, String expression, int repeat) {
    String sql = "SELECT " + expression + " FROM predictions";
    return time(() -> ((Number) spark.sql(sql).first().get(0)).doubleValue(), repeat);
  }

  private static double[] time(DoubleSupplier run, int repeat) {
    double value = run.getAsDouble();
    List<Double> seconds = new ArrayList<>();
    for (int r = 0; r < repeat; r++) {
      long t0 = System.nanoTime();
      value = run.getAsDouble();
      seconds.add((System.nanoTime() - t0) / 1e9);
    }
    double[] s = seconds.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(s);
    return new double[] {s[s.length / 2], value};
  }
}
