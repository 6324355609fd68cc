package dev.loss4j.spark;

import dev.loss4j.autograd.Variable;
import dev.loss4j.loss.Binary;
import dev.loss4j.loss.Classification;
import dev.loss4j.loss.Functional;
import dev.loss4j.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code make spark-demo}: writes a Parquet file of predictions (10 float32 logits and a label, a
 * regression prediction and its target per row), computes losses over it with Spark SQL, and prints
 * them beside loss4j's single-machine engine on the same rows (regenerated from the same seeds).
 *
 * <p>Arguments: rows (default 10,000,000), the Parquet path (default spark/target/demo/predictions.parquet).
 */
public final class SparkDemo {
  static final int CLASSES = 10;

  private SparkDemo() {}

  /** Row {@code id}'s values, a pure function of the id so that both sides see the same data. */
  static void row(long id, float[] logits, float[] out) {
    SplittableRandom r = new SplittableRandom(id * 0x9E3779B97F4A7C15L + 12345);
    for (int c = 0; c < CLASSES; c++) {
      logits[c] = (float) (2 * r.nextGaussian());
    }
    out[0] = r.nextInt(CLASSES);
    out[1] = (float) r.nextGaussian();
    out[2] = (float) (out[1] + 0.5 * r.nextGaussian());
    out[3] = r.nextDouble() < 0.5 ? 0f : 1f;
  }

  /** Rows 0..n-1 (see {@link #row}) as the engine's tensors: the same values the DataFrame holds. */
  record EngineRows(Variable logits, Variable labels, Variable pred, Variable target, Variable clicked) {
    static EngineRows of(long n) {
      int rows = Math.toIntExact(n);
      float[] logits = new float[rows * CLASSES];
      long[] labels = new long[rows];
      float[] pred = new float[rows];
      float[] target = new float[rows];
      float[] clicked = new float[rows];
      float[] l = new float[CLASSES];
      float[] v = new float[4];
      for (int i = 0; i < rows; i++) {
        row(i, l, v);
        System.arraycopy(l, 0, logits, i * CLASSES, CLASSES);
        labels[i] = (long) v[0];
        pred[i] = v[1];
        target[i] = v[2];
        clicked[i] = v[3];
      }
      return new EngineRows(Variable.constant(Tensor.ofFloats(logits, rows, CLASSES)),
          Variable.constant(Tensor.ofLongs(labels, rows)), Variable.constant(Tensor.ofFloats(pred, rows)),
          Variable.constant(Tensor.ofFloats(target, rows)), Variable.constant(Tensor.ofFloats(clicked, rows)));
    }
  }

  /** Rows 0..n-1 (see {@link #row}) as a DataFrame of logits, label, pred, target and clicked. */
  static Dataset<Row> rows(SparkSession spark, long n, int partitions) {
    StructType schema = new StructType()
        .add("logits", DataTypes.createArrayType(DataTypes.FloatType, false), false)
        .add("label", DataTypes.IntegerType, false)
        .add("pred", DataTypes.FloatType, false)
        .add("target", DataTypes.FloatType, false)
        .add("clicked", DataTypes.FloatType, false);
    return spark.range(0, n, 1, partitions).map((MapFunction<Long, Row>) id -> {
      float[] logits = new float[CLASSES];
      float[] v = new float[4];
      row(id, logits, v);
      Float[] boxed = new Float[CLASSES];
      for (int c = 0; c < CLASSES; c++) {
        boxed[c] = logits[c];
      }
      return RowFactory.create(boxed, (int) v[0], v[1], v[2], v[3]);
    }, Encoders.row(schema));
  }

  public static void main(String[] args) throws Exception {
    long n = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 10_000_000L;
    Path path = Path.of(args.length > 1 ? args[1] : "spark/target/demo/predictions.parquet");
    SparkSession spark = SparkSession.builder().master("local[*]").appName("loss4j-spark-demo")
        .config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    Loss4jSpark.register(spark);

    long t0 = System.nanoTime();
    if (!Files.exists(path.resolve("_SUCCESS")) || spark.read().parquet(path.toString()).count() != n) {
      rows(spark, n, 16).write().mode("overwrite").parquet(path.toString());
      System.out.printf(Locale.ROOT, "wrote %,d rows to %s in %.1f s%n", n, path, (System.nanoTime() - t0) / 1e9);
    }
    spark.read().parquet(path.toString()).createOrReplaceTempView("predictions");

    String[][] queries = {
        {"cross_entropy", "loss4j.cross_entropy(logits, label)"},
        {"cross_entropy weighted, smoothed",
            "loss4j.cross_entropy(logits, label, 'mean', sequence(1, 10), -100, 0.1d)"},
        {"mse_loss", "loss4j.mse_loss(pred, target)"},
        {"l1_loss sum", "loss4j.l1_loss(pred, target, 'sum')"},
        {"huber_loss delta=0.5", "loss4j.huber_loss(pred, target, 'mean', 0.5d)"},
        {"bce_with_logits", "loss4j.binary_cross_entropy_with_logits(pred, clicked)"},
    };
    StringBuilder sql = new StringBuilder("SELECT ");
    for (int i = 0; i < queries.length; i++) {
      sql.append(i > 0 ? ", " : "").append(queries[i][1]);
    }
    sql.append(", avg(pow(pred - target, 2)) FROM predictions");
    long t1 = System.nanoTime();
    Row spk = spark.sql(sql.toString()).first();
    double sparkSeconds = (System.nanoTime() - t1) / 1e9;

    long t2 = System.nanoTime();
    EngineRows data = EngineRows.of(n);
    double genSeconds = (System.nanoTime() - t2) / 1e9;
    Variable x = data.logits();
    Variable y = data.labels();
    Variable p = data.pred();
    Variable t = data.target();
    Variable c = data.clicked();
    double[] w = new double[CLASSES];
    float[] wf = new float[CLASSES];
    for (int k = 0; k < CLASSES; k++) {
      w[k] = k + 1;
      wf[k] = k + 1;
    }
    long t3 = System.nanoTime();
    double[] engine = {
        Classification.crossEntropy(x, y, null, null, -100, null, "mean", 0).quiet().data().item(),
        Classification.crossEntropy(x, y, Variable.constant(Tensor.ofFloats(wf, CLASSES)), null, -100, null, "mean",
            0.1).quiet().data().item(),
        Functional.mseLoss(p, t, null, null, "mean").quiet().data().item(),
        Functional.l1Loss(p, t, null, null, "sum").quiet().data().item(),
        Functional.huberLoss(p, t, "mean", 0.5).quiet().data().item(),
        Binary.binaryCrossEntropyWithLogits(p, c, null, null, null, "mean", null).quiet().data().item(),
    };
    double engineSeconds = (System.nanoTime() - t3) / 1e9;

    System.out.printf(Locale.ROOT, "%n%,d rows, %d cores (local[*])%n", n, Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "%-34s %16s %16s %10s%n", "loss (float32)", "Spark SQL", "engine, 1 JVM", "rel. diff");
    for (int i = 0; i < queries.length; i++) {
      double s = ((Number) spk.get(i)).doubleValue();
      System.out.printf(Locale.ROOT, "%-34s %16.9g %16.9g %10.1e%n", queries[i][0], s, engine[i],
          Math.abs(s - engine[i]) / Math.abs(engine[i]));
    }
    System.out.printf(Locale.ROOT, "%-34s %16.9g%n", "Spark's avg(pow(pred - target, 2))",
        spk.getDouble(queries.length));
    System.out.printf(Locale.ROOT, "%nSpark: the 7 aggregates in one scan of the Parquet file: %.1f s (%,.0f rows/s)%n",
        sparkSeconds, n / sparkSeconds);
    System.out.printf(Locale.ROOT, "engine: the 6 losses on in-memory tensors: %.1f s (data regenerated in %.1f s)%n",
        engineSeconds, genSeconds);
    spark.stop();
  }
}
