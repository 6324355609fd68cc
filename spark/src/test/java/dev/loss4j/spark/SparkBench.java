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
 * float32 rows (SparkDemo's data), each computed four ways: loss4j's aggregate, Spark SQL's own expression
 * for the same value, loss4j's single-machine engine on the rows as in-memory tensors, and MLlib's evaluator
 * for the metric ({@code logLoss} for the two log losses, regression's {@code mse}).
 *
 * <p>Spark runs {@code local[1]} (one task thread, so the rate is per core) over a cached DataFrame (the
 * rows are read once, then every query scans memory, as the engine does). Each figure is the median of
 * {@code --repeat} timed runs after one untimed one. Prints one JSON object (to {@code --out} if given).
 *
 * <p>Arguments: {@code [--rows N] [--repeat R] [--out FILE]}.
 */
public final class SparkBench {
  private SparkBench() {}

  /**
   * One loss's queries: loss4j's aggregate, Spark SQL's expression, the engine, and MLlib's evaluator
   * ({@code mllibMetric} of {@code mllibEvaluator}, on the prepared columns of {@link #mllibInputs}).
   */
  private record Case(String name, String loss4j, String sparkSql, String engine, String mllibEvaluator,
                      String mllibMetric) {}

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
        new Case("mse_loss", "loss4j.mse_loss(pred, target)", "avg(pow(pred - target, 2))", "mse",
            "regression", "mse"),
        new Case("cross_entropy", "loss4j.cross_entropy(logits, label)",
            "avg(ln(aggregate(logits, 0d, (a, z) -> a + exp(z))) - element_at(logits, label + 1))", "ce",
            "multiclass", "logLoss"),
        new Case("binary_cross_entropy_with_logits", "loss4j.binary_cross_entropy_with_logits(pred, clicked)",
            "avg(greatest(pred, 0) - pred * clicked + ln(1 + exp(-abs(pred))))", "bcewl",
            "binary", "logLoss"));
    Dataset<Row> mllib = mllibInputs(spark);

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
      double[] m = time(mllibEvaluation(mllib, cs.mllibEvaluator(), cs.mllibMetric()), repeat);
      json.append(k > 0 ? "," : "").append(String.format(Locale.ROOT,
          "{\"loss\":\"%s\",\"loss4j_s\":%.6f,\"loss4j_value\":%.9g,\"spark_sql_s\":%.6f,\"spark_sql_value\":%.9g,"
              + "\"engine_s\":%.6f,\"engine_value\":%.9g,\"mllib_s\":%.6f,\"mllib_value\":%.9g,\"mllib\":\"%s\","
              + "\"loss4j_sql\":\"%s\",\"spark_sql\":\"%s\"}",
          cs.name(), a[0], a[1], s[0], s[1], e[0], e[1], m[0], m[1], cs.mllibEvaluator() + " " + cs.mllibMetric(),
          cs.loss4j(), cs.sparkSql().replace("\"", "\\\"")));
    }
    json.append("]}");
    spark.stop();
    if (out != null) {
      Files.writeString(out, json + "\n");
    }
    System.out.println(json);
  }

  /**
   * The columns MLlib's evaluators read, made once and cached before any timing (so MLlib is timed on its
   * metric alone, not on making its inputs): {@code probability}, the softmax of the logits as an ML vector,
   * {@code click_probability}, the vector (1 - s, s) of s = sigmoid(pred), and the labels as doubles.
   */
  private static Dataset<Row> mllibInputs(SparkSession spark) {
    Dataset<Row> d = spark.sql("SELECT"
        + " transform(logits, z -> exp(z) / aggregate(logits, 0d, (a, w) -> a + exp(w))) AS p,"
        + " 1 / (1 + exp(-pred)) AS s, cast(label AS double) AS label_d, cast(clicked AS double) AS clicked_d,"
        + " cast(pred AS double) AS pred_d, cast(target AS double) AS target_d FROM predictions");
    d = d.select(org.apache.spark.ml.functions.array_to_vector(d.col("p")).as("probability"),
        org.apache.spark.ml.functions.array_to_vector(org.apache.spark.sql.functions.array(
            org.apache.spark.sql.functions.lit(1.0).minus(d.col("s")), d.col("s"))).as("click_probability"),
        d.col("label_d"), d.col("clicked_d"), d.col("pred_d"), d.col("target_d")).cache();
    d.count();
    return d;
  }

  /** One MLlib evaluation over the prepared columns: the multiclass or binary logLoss, or regression's mse. */
  private static DoubleSupplier mllibEvaluation(Dataset<Row> d, String evaluator, String metric) {
    return switch (evaluator) {
      case "regression" -> {
        var ev = new org.apache.spark.ml.evaluation.RegressionEvaluator().setMetricName(metric)
            .setPredictionCol("pred_d").setLabelCol("target_d");
        yield () -> ev.evaluate(d);
      }
      case "multiclass" -> {
        var ev = new org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator().setMetricName(metric)
            .setProbabilityCol("probability").setLabelCol("label_d").setPredictionCol("label_d");
        yield () -> ev.evaluate(d);
      }
      default -> {
        var ev = new org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator().setMetricName(metric)
            .setProbabilityCol("click_probability").setLabelCol("clicked_d").setPredictionCol("clicked_d");
        yield () -> ev.evaluate(d);
      }
    };
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
