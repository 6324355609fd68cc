package dev.loss4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loss4j.spark.FixtureCases.Case;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Recorded PyTorch cases as Spark tables (one row per batch element), aggregated with the loss4j
 * functions: the value must match PyTorch's recorded output at assert_close's tolerances for its dtype,
 * and the same rows shuffled into 1, 3 and 16 partitions must give the same bits. Per-row gradients
 * ({@code <loss>_grad} with the table's {@code <loss>_denominator}) are checked against the recorded
 * input gradient, and per-row losses ({@code <loss>_none}) against the recorded unreduced output.
 * Cases are grouped by loss and column types, so one Spark job checks a whole group.
 */
class SparkParityTest {
  static final double FLOAT32_RTOL = 1.3e-6;
  static final double FLOAT32_ATOL = 1e-5;
  static final double FLOAT64_RTOL = 1e-7;
  static final double FLOAT64_ATOL = 1e-7;
  static final int[] PARTITIONS = {1, 3, 16};

  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("loss4j-spark-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.adaptive.enabled", "false")
        // hundreds of tiny queries: interpreting them is faster than compiling each one
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Loss4jSpark.register(spark);
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  static int recorded;
  static int converted;

  static Map<String, List<Case>> groups() {
    Map<String, List<Case>> groups = new TreeMap<>();
    for (String family : List.of("regression", "binary", "probabilistic", "classification", "embedding",
        "sequence")) {
      for (Map<String, Object> json : FixtureCases.read(family)) {
        Case c = FixtureCases.convert(json);
        if (Loss.fromSqlName((String) json.get("op")) != null && !json.containsKey("error")) {
          recorded++;
        }
        if (c != null) {
          converted++;
          String key = c.group();
          groups.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
        }
      }
    }
    return groups;
  }

  @TestFactory
  Stream<DynamicTest> fixtures() {
    List<DynamicTest> tests = new ArrayList<>();
    Map<String, List<Case>> groups = groups();
    int reduced = 0;
    for (Map.Entry<String, List<Case>> g : groups.entrySet()) {
      List<Case> cases = g.getValue();
      try {
        reduced += check(cases, tests);
      } catch (Exception e) {
        // a failed job: run the group's cases one by one, so that only the broken ones fail
        for (Case c : cases) {
          try {
            reduced += check(List.of(c), tests);
          } catch (Exception alone) {
            tests.add(DynamicTest.dynamicTest(c.id(), () -> fail(c.id() + ": " + alone, alone)));
          }
        }
      }
    }
    System.out.printf("loss4j-spark: %d of %d recorded cases (no error expected) as tables, in %d groups%n",
        converted, recorded, groups.size());
    assertTrue(reduced > 1000, "too few fixture cases converted: " + reduced);
    return tests.stream();
  }

  /**
   * Runs one group's two Spark jobs (the aggregates at every partitioning in one union, then the per-row
   * functions) and adds a test per case; returns how many reduced cases it holds.
   */
  static int check(List<Case> cases, List<DynamicTest> tests) {
    Table table = new Table(cases);
    Map<List<Integer>, Object[]> agg = table.aggregates();
    Map<List<Integer>, Object[]> rows = table.rowFunctions(agg);
    int reduced = 0;
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      int id = i;
      if (c.reduction().equals("none")) {
        tests.add(DynamicTest.dynamicTest("none " + c.id(), () -> checkRows(c, id, rows, 0, c.expected())));
        continue;
      }
      reduced++;
      tests.add(DynamicTest.dynamicTest(c.id(), () -> {
        Object one = agg.get(List.of(0, id))[0];
        close(c.id(), c.expected().dtype(), c.expected().data()[0], one);
        for (int k = 1; k < PARTITIONS.length; k++) {
          assertEquals(one, agg.get(List.of(k, id))[0], c.id() + " at " + PARTITIONS[k] + " partitions");
        }
      }));
      if (c.gradInput() != null && c.gradOutput() == null) {
        tests.add(DynamicTest.dynamicTest("grad " + c.id(), () -> checkRows(c, id, rows, 1, c.gradInput())));
      }
    }
    return reduced;
  }

  /** Row r's value of the per-row function against the recorded tensor's row r. */
  static void checkRows(Case c, int id, Map<List<Integer>, Object[]> rows, int column, FixtureCases.T expected) {
    boolean batched = c.loss() == Loss.CTC_LOSS || expected.shape().length > 0
        && expected.numel() != expectedRowSize(c) || c.rows() > 1;
    for (int r = 0; r < c.rows(); r++) {
      Object got = rows.get(List.of(id, r))[column];
      double[] want;
      if (c.loss() == Loss.CTC_LOSS && expected.shape().length == 3) {
        int steps = expected.shape()[0];
        int n = expected.shape()[1];
        int classes = expected.shape()[2];
        want = new double[steps * classes];
        for (int t = 0; t < steps; t++) {
          System.arraycopy(expected.data(), (t * n + r) * classes, want, t * classes, classes);
        }
      } else {
        want = batched ? expected.row(r) : expected.data();
      }
      double[] have = flatten(got);
      assertEquals(want.length, have.length, c.id() + " row " + r + " length");
      for (int j = 0; j < want.length; j++) {
        close(c.id() + " row " + r + " [" + j + "]", expected.dtype(), want[j], box(got, have[j]));
      }
    }
  }

  private static int expectedRowSize(Case c) {
    return c.slots().get(0)[0].length;
  }

  private static Object box(Object like, double v) {
    return containsFloat(like) ? (Object) (float) v : (Object) v;
  }

  private static boolean containsFloat(Object o) {
    if (o instanceof Float) {
      return true;
    }
    if (o instanceof scala.collection.Seq<?> s) {
      return !s.isEmpty() && containsFloat(s.head());
    }
    return false;
  }

  private static double[] flatten(Object o) {
    List<Double> out = new ArrayList<>();
    flattenInto(o, out);
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void flattenInto(Object o, List<Double> out) {
    if (o instanceof Number n) {
      out.add(n.doubleValue());
    } else if (o instanceof scala.collection.Seq<?> s) {
      scala.collection.Iterator<?> it = s.iterator();
      while (it.hasNext()) {
        flattenInto(it.next(), out);
      }
    } else {
      fail("unexpected value " + o);
    }
  }

  /** assert_close for one value, the result's type included (Float for float32, Double for float64). */
  static void close(String what, String dtype, double expected, Object actual) {
    boolean f32 = dtype.equals("float32");
    assertTrue(f32 ? actual instanceof Float : actual instanceof Double,
        what + ": result " + actual + " should be " + dtype);
    double a = ((Number) actual).doubleValue();
    double rtol = f32 ? FLOAT32_RTOL : FLOAT64_RTOL;
    double atol = f32 ? FLOAT32_ATOL : FLOAT64_ATOL;
    boolean ok = Double.isNaN(expected) ? Double.isNaN(a)
        : Double.isInfinite(expected) ? a == expected
        : Math.abs(a - expected) <= atol + rtol * Math.abs(expected);
    assertTrue(ok, what + ": got " + a + ", PyTorch " + expected);
  }

  /** A group of cases as one table: columns case, r, the tensor slots, reduction, the options. */
  static final class Table {
    final List<Case> cases;
    final Case first;
    final StructType schema;
    final List<Row> rows = new ArrayList<>();
    final List<String> optionNames;

    Table(List<Case> cases) {
      this.cases = cases;
      this.first = cases.get(0);
      optionNames = new ArrayList<>(first.options().keySet());
      List<StructField> fields = new ArrayList<>();
      fields.add(new StructField("case", DataTypes.IntegerType, false, Metadata.empty()));
      fields.add(new StructField("r", DataTypes.IntegerType, false, Metadata.empty()));
      for (int s = 0; s < first.slotDtype().length; s++) {
        fields.add(new StructField("s" + s, first.slotType(s), false, Metadata.empty()));
      }
      fields.add(new StructField("reduction", DataTypes.StringType, false, Metadata.empty()));
      for (String o : optionNames) {
        Object v = first.options().get(o);
        DataType t = v instanceof double[] ? DataTypes.createArrayType(DataTypes.DoubleType, false)
            : v instanceof Boolean ? DataTypes.BooleanType : DataTypes.DoubleType;
        fields.add(new StructField("o_" + o, t, false, Metadata.empty()));
      }
      schema = new StructType(fields.toArray(new StructField[0]));
      for (int i = 0; i < cases.size(); i++) {
        Case c = cases.get(i);
        for (int r = 0; r < c.rows(); r++) {
          List<Object> values = new ArrayList<>();
          values.add(i);
          values.add(r);
          for (int s = 0; s < c.slotDtype().length; s++) {
            values.add(value(c.slots().get(s)[r], c.slotShape()[s], c.slotDtype()[s]));
          }
          values.add(c.reduction());
          for (String o : optionNames) {
            Object v = c.options().get(o);
            values.add(v instanceof double[] d ? Arrays.stream(d).boxed().toArray() : v);
          }
          rows.add(RowFactory.create(values.toArray()));
        }
      }
    }

    private static Object value(double[] d, int[] shape, String dtype) {
      if (shape.length == 0) {
        return scalar(d[0], dtype);
      }
      // arrays as Object[]: both createDataFrame paths (local rows and an RDD) accept them
      if (shape.length == 1) {
        Object[] a = new Object[d.length];
        for (int i = 0; i < d.length; i++) {
          a[i] = scalar(d[i], dtype);
        }
        return a;
      }
      Object[] outer = new Object[shape[0]];
      for (int i = 0; i < shape[0]; i++) {
        outer[i] = value(Arrays.copyOfRange(d, i * shape[1], (i + 1) * shape[1]), new int[] {shape[1]}, dtype);
      }
      return outer;
    }

    private static Object scalar(double v, String dtype) {
      return switch (dtype) {
        case "float32" -> (float) v;
        case "float64" -> v;
        default -> (long) v;
      };
    }

    /** The rows shuffled (seeded) and cut into {@code partitions} partitions. */
    Dataset<Row> df(List<Row> source, StructType schema, int partitions, long seed) {
      List<Row> shuffled = new ArrayList<>(source);
      Collections.shuffle(shuffled, new Random(seed));
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      return spark.createDataFrame(jsc.parallelize(shuffled, partitions), schema);
    }

    /** The loss's arguments: tensors, reduction, options in PyTorch's order (null literals for gaps). */
    Column[] args(Column... before) {
      Loss loss = first.loss();
      List<Column> a = new ArrayList<>(Arrays.asList(before));
      for (int s = 0; s < loss.tensors; s++) {
        a.add(functions.col("s" + s));
      }
      a.add(functions.col("reduction"));
      List<Column> opts = new ArrayList<>();
      int last = -1;
      for (String o : loss.options) {
        if (o.equals("weight") && loss.rowWeight() && first.slotDtype().length > loss.tensors) {
          opts.add(functions.col("s" + loss.tensors));
          last = opts.size();
        } else if (optionNames.contains(o)) {
          opts.add(functions.col("o_" + o));
          last = opts.size();
        } else {
          opts.add(functions.lit(null));
        }
      }
      a.addAll(opts.subList(0, Math.max(last, 0)));
      return a.toArray(new Column[0]);
    }

    /**
     * The loss and its denominator per (partitioning, case): the reduced cases' rows shuffled into 1, 3 and
     * 16 partitions, tagged, in one union, so one Spark job aggregates all three.
     */
    Map<List<Integer>, Object[]> aggregates() {
      List<Row> reducedRows = rows.stream().filter(r -> !r.getString(2 + first.slotDtype().length).equals("none"))
          .toList();
      Map<List<Integer>, Object[]> out = new HashMap<>();
      if (reducedRows.isEmpty()) {
        return out;
      }
      Dataset<Row> all = null;
      for (int k = 0; k < PARTITIONS.length; k++) {
        Dataset<Row> d = df(reducedRows, schema, PARTITIONS[k], 1000 + k).withColumn("part", functions.lit(k));
        all = all == null ? d : all.union(d);
      }
      String name = first.loss().sqlName();
      for (Row row : all.groupBy("part", "case").agg(Loss4jSpark.loss(name, args()),
          Loss4jSpark.loss(name + "_denominator", args())).collectAsList()) {
        out.put(List.of(row.getInt(0), row.getInt(1)), new Object[] {row.get(2), row.get(3)});
      }
      return out;
    }

    /** {@code <loss>_none} and {@code <loss>_grad} by (case, row), each case's denominator from {@code agg}. */
    Map<List<Integer>, Object[]> rowFunctions(Map<List<Integer>, Object[]> agg) {
      List<Row> withDen = new ArrayList<>();
      for (Row r : rows) {
        Object[] a = agg.get(List.of(0, r.getInt(0)));
        List<Object> values = new ArrayList<>(scala.jdk.javaapi.CollectionConverters.asJava(r.toSeq()));
        values.add(a == null ? null : a[1]);
        withDen.add(RowFactory.create(values.toArray()));
      }
      StructType s = schema.add("d", DataTypes.DoubleType, true);
      String name = first.loss().sqlName();
      Map<List<Integer>, Object[]> out = new HashMap<>();
      for (Row row : spark.createDataFrame(withDen, s).select(functions.col("case"), functions.col("r"),
          Loss4jSpark.loss(name + "_none", args()), Loss4jSpark.loss(name + "_grad", args(functions.col("d"))))
          .collectAsList()) {
        out.put(List.of(row.getInt(0), row.getInt(1)), new Object[] {row.get(2), row.get(3)});
      }
      return out;
    }
  }

  @Test
  void sqlCallsWithLiteralOptions() {
    spark.sql("SELECT CAST(logits AS array<float>) logits, label FROM VALUES (array(1.5, 0, -1), 0L),"
        + " (array(0, 2, 1), 1L), (array(0.5, 0.5, 3), 2L) AS t(logits, label)").createOrReplaceTempView("preds");
    Row r = spark.sql("SELECT loss4j.cross_entropy(logits, label), loss4j.cross_entropy(logits, label, 'sum'),"
        + " loss4j.cross_entropy(logits, label, 'mean', array(1d, 2d, 0.5d), 2, 0.1),"
        + " loss4j.cross_entropy_denominator(logits, label, 'mean', array(1d, 2d, 0.5d), 2) FROM preds").first();
    // torch.nn.functional.cross_entropy on the same float32 rows (PyTorch 2.13)
    close("mean", "float32", 0.2753274738788605, r.get(0));
    close("sum", "float32", 0.825982391834259, r.get(1));
    close("weighted", "float32", 0.4256840944290161, r.get(2));
    assertEquals(3.0, r.getDouble(3));
    Row none = spark.sql("SELECT loss4j.cross_entropy(logits, label, 'sum'), loss4j.cross_entropy(logits, label),"
        + " loss4j.cross_entropy_denominator(logits, label) FROM preds WHERE label > 5").first();
    for (int i = 0; i < 3; i++) {
      assertTrue(none.isNullAt(i), "an aggregate over no rows is NULL, column " + i);
    }
  }

  @Test
  void typedAggregatorAndColumnApi() {
    StructType schema = new StructType().add("pred", DataTypes.DoubleType).add("target", DataTypes.DoubleType)
        .add("reduction", DataTypes.StringType);
    List<Row> rows = List.of(RowFactory.create(0.5, 1.0, "sum"), RowFactory.create(-1.0, 2.0, "sum"),
        RowFactory.create(3.0, 2.5, "sum"));
    Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(2);
    double typed = df.select(Loss4jSpark.aggregator("mse_loss", schema).toColumn()).as(
        org.apache.spark.sql.Encoders.DOUBLE()).first();
    assertEquals(0.25 + 9 + 0.25, typed);
    Row r = df.agg(Loss4jSpark.loss("mse_loss", functions.col("pred"), functions.col("target")),
        Loss4jSpark.loss("mse_loss_denominator", functions.col("pred"), functions.col("target"))).first();
    assertEquals((0.25 + 9 + 0.25) / 3, r.getDouble(0));
    assertEquals(3.0, r.getDouble(1));
    // d/dpred of mean((pred - target)^2) = 2 (pred - target) / 3
    List<Row> grads = df.select(functions.col("pred"), Loss4jSpark.loss("mse_loss_grad", functions.lit(3.0),
        functions.col("pred"), functions.col("target"), functions.lit("mean")),
        Loss4jSpark.loss("mse_loss_none", functions.col("pred"), functions.col("target"))).collectAsList();
    for (Row g : grads) {
      double p = g.getDouble(0);
      double t = p == 0.5 ? 1.0 : p == -1.0 ? 2.0 : 2.5;
      assertEquals(2 * (p - t) / 3, g.getDouble(1), 1e-15);
      assertEquals((p - t) * (p - t), g.getDouble(2), 1e-15);
    }
  }
}
