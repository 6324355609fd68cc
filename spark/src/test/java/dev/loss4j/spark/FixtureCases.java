package dev.loss4j.spark;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Recorded PyTorch cases (tests-parity's fixtures, JSON lines) turned into tables: one row per batch
 * element, one column per tensor argument, the options as values. Cases that do not split into rows
 * (legacy size_average/reduce flags, empty batches, mixed float dtypes, spatial class dimensions,
 * broadcasting that depends on the batch dimension) are left out, and counted.
 */
final class FixtureCases {
  static final Path DIR = Path.of(System.getProperty("loss4j.fixtures", "../tests-parity/src/test/resources/fixtures"));
  private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  /** A recorded tensor. */
  record T(String dtype, int[] shape, double[] data) {
    int numel() {
      int n = 1;
      for (int s : shape) {
        n *= s;
      }
      return n;
    }

    boolean isFloat() {
      return dtype.startsWith("float");
    }

    /** Row {@code r} of the first dimension, flattened. */
    double[] row(int r) {
      int per = shape.length == 0 ? 1 : numel() / shape[0];
      return Arrays.copyOfRange(data, r * per, (r + 1) * per);
    }

    int[] rowShape() {
      return Arrays.copyOfRange(shape, 1, shape.length);
    }
  }

  /**
   * One case as a table: {@code slots[s][r]} is row r's value of tensor argument s (a double[] of its
   * elements), {@code slotShape[s]} the per-row shape, {@code options} the constant arguments by name.
   */
  record Case(String id, Loss loss, String reduction, String[] slotDtype, int[][] slotShape, List<double[][]> slots,
              Map<String, Object> options, T expected, T gradInput, T gradOutput) {
    int rows() {
      return slots.get(0).length;
    }

    /** Cases that can share one table: the same loss, column types and option names. */
    String group() {
      StringBuilder b = new StringBuilder(loss.sqlName());
      for (int s = 0; s < slotDtype.length; s++) {
        b.append('/').append(slotDtype[s]).append(slotShape[s].length);
      }
      return b.append('/').append(options.keySet()).toString();
    }

    DataType slotType(int s) {
      DataType e = switch (slotDtype[s]) {
        case "float32" -> DataTypes.FloatType;
        case "float64" -> DataTypes.DoubleType;
        default -> DataTypes.LongType;
      };
      for (int d = 0; d < slotShape[s].length; d++) {
        e = DataTypes.createArrayType(e, false);
      }
      return e;
    }
  }

  static List<Map<String, Object>> read(String family) {
    try {
      List<Map<String, Object>> out = new ArrayList<>();
      for (String line : Files.readAllLines(DIR.resolve(family + ".jsonl"))) {
        if (!line.isBlank()) {
          @SuppressWarnings("unchecked")
          Map<String, Object> m = JSON.readValue(line, Map.class);
          out.add(m);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static T tensor(Object spec) {
    if (!(spec instanceof Map<?, ?> m)) {
      return null;
    }
    if (m.containsKey("__tensor__")) {
      return tensor(m.get("__tensor__"));
    }
    List<Object> shape = (List<Object>) m.get("shape");
    List<Object> data = (List<Object>) m.get("data");
    double[] d = new double[data.size()];
    for (int i = 0; i < d.length; i++) {
      Object v = data.get(i);
      d[i] = v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).doubleValue();
    }
    return new T((String) m.get("dtype"), shape.stream().mapToInt(o -> ((Number) o).intValue()).toArray(), d);
  }

  /** The case as a table, or null when it does not split into rows. */
  @SuppressWarnings("unchecked")
  static Case convert(Map<String, Object> json) {
    Loss loss = Loss.fromSqlName((String) json.get("op"));
    if (loss == null || json.containsKey("error")) {
      return null;
    }
    if (((String) json.get("id")).contains("/cancel-")) {
      // terms that cancel in float32: PyTorch's answer is its float summation order, which an aggregate
      // adding rows in double, in any partition order, does not follow (README, Spark)
      return null;
    }
    Map<String, Object> kw = (Map<String, Object>) json.get("kwargs");
    if (kw.get("size_average") != null || kw.get("reduce") != null) {
      return null;
    }
    String reduction = kw.get("reduction") == null ? "mean" : (String) kw.get("reduction");
    if (!List.of("mean", "sum", "none", "batchmean").contains(reduction)) {
      return null; // legacy names ('elementwise_mean') that PyTorch maps with a warning
    }
    List<Object> rawArgs = (List<Object>) json.get("args");
    List<T> args = new ArrayList<>();
    for (Object a : rawArgs) {
      args.add(tensor(a));
    }
    Map<String, Object> expectedMap = (Map<String, Object>) json.get("expected");
    T expected = tensor(expectedMap.get("output"));
    List<Object> grads = (List<Object>) expectedMap.get("grads");
    T gradInput = grads == null || grads.isEmpty() ? null : tensor(grads.get(0));
    T gradOutput = tensor(json.get("grad_output"));
    Map<String, Object> options = new LinkedHashMap<>();
    List<T> tensors = new ArrayList<>(args.subList(0, Math.min(loss.tensors, args.size())));
    if (!options(loss, args, kw, options, tensors)) {
      return null;
    }
    T input = tensors.get(0);
    if (input != null && input.isFloat() && !input.dtype.equals("float32") && !input.dtype.equals("float64")) {
      return null; // float16 / bfloat16: Spark's columns are float or double, so such a case has no table
    }
    for (Object v : List.of(kw.getOrDefault("weight", ""), kw.getOrDefault("pos_weight", ""))) {
      T w = tensor(v);
      if (w != null && input != null && !w.dtype.equals(input.dtype)) {
        return null; // PyTorch promotes the result to the wider dtype
      }
    }
    for (int i = loss.tensors; i < args.size(); i++) {
      if (args.get(i) != null && input != null && args.get(i).isFloat() && !args.get(i).dtype.equals(input.dtype)) {
        return null;
      }
    }
    if (loss == Loss.CTC_LOSS && input != null && input.isFloat() && input.numel() > 0 && tensors.size() >= 2) {
      return ctc(json, loss, reduction, tensors, kw, options, expected, gradInput, gradOutput);
    }
    if (tensors.size() < loss.tensors || input == null || !input.isFloat()) {
      return null;
    }
    for (T t : tensors) {
      if (t == null || t.numel() == 0 || (t.isFloat() && !t.dtype.equals(input.dtype))) {
        return null;
      }
    }
    if (loss == Loss.CTC_LOSS) {
      return null;
    }
    if (loss.kind == Loss.Kind.CLASS_INDEX && input.shape.length >= 3) {
      // (N, C, d1, ...): each position is a row of C class scores, as PyTorch's mean counts it
      input = positionsAsRows(input);
      tensors.set(0, input);
      T target = tensors.get(1);
      tensors.set(1, target.isFloat() ? positionsAsRows(target)
          : new T(target.dtype, new int[] {target.numel()}, target.data));
      if (expected.shape.length > 0) {
        expected = new T(expected.dtype, new int[] {expected.numel()}, expected.data);
      }
      gradInput = null; // the recorded gradient is laid out (N, C, d...), not by rows
    }
    boolean batched = switch (loss.kind) {
      case ELEMENTWISE -> input.shape.length >= 1;
      default -> input.shape.length == 2;
    };
    if (loss.kind != Loss.Kind.ELEMENTWISE && (input.shape.length > 2 || input.shape.length == 0)) {
      return null;
    }
    if (!batched && reduction.equals("batchmean")) {
      return null;
    }
    int n = batched ? input.shape[0] : 1;
    int k = tensors.size();
    String[] dtypes = new String[k];
    int[][] shapes = new int[k][];
    List<double[][]> slots = new ArrayList<>();
    for (int s = 0; s < k; s++) {
      T t = tensors.get(s);
      if (loss.rowWeight() && s == loss.tensors) {
        t = broadcast(t, input);
        if (t == null) {
          return null;
        }
      }
      boolean integral = loss.integral(s, !t.isFloat());
      if (!integral && !t.isFloat()) {
        return null; // an integer tensor where PyTorch promotes to its default dtype
      }
      if (!batched && integral && t.shape.length == 1 && loss != Loss.MULTILABEL_MARGIN_LOSS) {
        if (t.shape[0] != 1) {
          return null; // a 1-d input with as many targets: PyTorch's (N, 1) reading, not one row
        }
        t = new T(t.dtype, new int[0], t.data); // an unbatched class index given as shape (1)
      }
      if (loss.kind == Loss.Kind.ELEMENTWISE && s > 0 && !(loss == Loss.GAUSSIAN_NLL_LOSS && s == 2)
          && !Arrays.equals(t.shape, input.shape)) {
        return null; // broadcasting across rows does not split into rows
      }
      if (loss == Loss.GAUSSIAN_NLL_LOSS && s == 2 && (t.shape.length > input.shape.length
          || input.shape.length > 2 && !Arrays.equals(t.shape, input.shape))) {
        return null;
      }
      dtypes[s] = integral ? "int64" : input.dtype;
      double[][] rows = new double[n][];
      if (batched) {
        if (t.shape.length == 0 || t.shape[0] != n) {
          return null;
        }
        shapes[s] = t.rowShape();
        for (int r = 0; r < n; r++) {
          rows[r] = t.row(r);
        }
      } else {
        shapes[s] = t.shape;
        rows[0] = t.data;
      }
      if (shapes[s].length > 1) {
        if (loss.kind != Loss.Kind.ELEMENTWISE || options.containsKey("pos_weight")) {
          return null;
        }
        shapes[s] = new int[] {rows[0].length}; // elementwise: a row's elements flattened
      }
      slots.add(rows);
    }
    return new Case((String) json.get("id"), loss, reduction, dtypes, shapes, slots, options, expected, gradInput,
        gradOutput);
  }

  /** Reads the options (keyword, or positional where PyTorch's signature has them); false to skip the case. */
  private static boolean options(Loss loss, List<T> args, Map<String, Object> kw, Map<String, Object> out,
                                 List<T> rowTensors) {
    T weight = arg(args, 2) != null ? arg(args, 2) : tensor(kw.get("weight"));
    switch (loss) {
      case NLL_LOSS, CROSS_ENTROPY, MULTILABEL_SOFT_MARGIN_LOSS -> {
        if (args.size() > 3) {
          return false;
        }
        if (weight != null) {
          if (weight.shape.length != 1) {
            return false;
          }
          out.put("weight", weight.data);
        }
      }
      case BINARY_CROSS_ENTROPY, BINARY_CROSS_ENTROPY_WITH_LOGITS -> {
        if (arg(args, 3) != null || arg(args, 4) != null || arg(args, 5) != null) {
          return false;
        }
        T posWeight = arg(args, 6) != null ? arg(args, 6) : tensor(kw.get("pos_weight"));
        if (weight != null) {
          rowTensors.add(weight);
        }
        if (posWeight != null) {
          if (posWeight.shape.length != 1 || args.get(0).shape.length < 2) {
            return false;
          }
          out.put("pos_weight", posWeight.data);
        }
      }
      case MULTI_MARGIN_LOSS -> {
        T p = arg(args, 2);
        T margin = arg(args, 3);
        T w = arg(args, 4) != null ? arg(args, 4) : tensor(kw.get("weight"));
        if (args.size() > 5) {
          return false;
        }
        put(out, "p", p != null ? (Object) p.data[0] : kw.get("p"));
        put(out, "margin", margin != null ? (Object) margin.data[0] : kw.get("margin"));
        if (w != null) {
          if (w.shape.length != 1) {
            return false;
          }
          out.put("weight", w.data);
        }
        return true;
      }
      default -> {
        if (args.size() > loss.tensors) {
          return false;
        }
      }
    }
    for (String name : loss.options) {
      if (!name.equals("weight") && !name.equals("pos_weight") && kw.get(name) != null) {
        Object v = kw.get(name);
        if (v instanceof Map) {
          return false;
        }
        put(out, name, v);
      }
    }
    if (kw.get("weight") != null && !loss.options.contains("weight")) {
      return false; // PyTorch 2.x's weight of l1/mse/huber, which the Spark functions do not take
    }
    for (String k : kw.keySet()) {
      if (!k.equals("reduction") && !k.equals("weight") && !k.equals("pos_weight") && !loss.options.contains(k)
          && kw.get(k) != null && !(loss == Loss.CTC_LOSS && k.endsWith("_lengths"))) {
        return false; // an option the Spark signature does not take (e.g. a custom distance function)
      }
    }
    return true;
  }

  private static void put(Map<String, Object> out, String name, Object v) {
    if (v != null) {
      out.put(name, v instanceof Number num && !(v instanceof Double) ? (Object) num.doubleValue() : v);
    }
  }

  private static T arg(List<T> args, int i) {
    return i < args.size() ? args.get(i) : null;
  }

  /** (N, C, d1, ...) as (N * d1 * ..., C): row n * D + p holds position p's C values of batch element n. */
  private static T positionsAsRows(T t) {
    int n = t.shape[0];
    int c = t.shape[1];
    int d = t.numel() / (n * c);
    double[] out = new double[t.data.length];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < c; k++) {
        for (int p = 0; p < d; p++) {
          out[(i * d + p) * c + k] = t.data[(i * c + k) * d + p];
        }
      }
    }
    return new T(t.dtype, new int[] {n * d, c}, out);
  }

  /** {@code w} broadcast to {@code input}'s shape (numpy rules), or null when it does not broadcast. */
  private static T broadcast(T w, T input) {
    int[] out = input.shape;
    int nd = out.length;
    if (w.shape.length > nd) {
      return null;
    }
    int[] ws = new int[nd];
    Arrays.fill(ws, 1);
    System.arraycopy(w.shape, 0, ws, nd - w.shape.length, w.shape.length);
    for (int d = 0; d < nd; d++) {
      if (ws[d] != 1 && ws[d] != out[d]) {
        return null;
      }
    }
    double[] data = new double[input.numel()];
    int[] idx = new int[nd];
    for (int i = 0; i < data.length; i++) {
      int rem = i;
      for (int d = nd - 1; d >= 0; d--) {
        idx[d] = rem % out[d];
        rem /= out[d];
      }
      int j = 0;
      for (int d = 0; d < nd; d++) {
        j = j * ws[d] + (ws[d] == 1 ? 0 : idx[d]);
      }
      data[i] = w.data[j];
    }
    return new T(w.dtype, out, data);
  }

  /** CTC: one row per sample, log_probs[:, n, :] as a (T, C) array of arrays. */
  @SuppressWarnings("unchecked")
  private static Case ctc(Map<String, Object> json, Loss loss, String reduction, List<T> tensors,
                          Map<String, Object> kw, Map<String, Object> options, T expected, T gradInput,
                          T gradOutput) {
    T lp = tensors.get(0);
    T targets = tensors.get(1);
    long[] il;
    long[] tl;
    if (tensors.size() >= 4 && tensors.get(2) != null && tensors.get(3) != null) {
      il = Arrays.stream(tensors.get(2).data).mapToLong(d -> (long) d).toArray();
      tl = Arrays.stream(tensors.get(3).data).mapToLong(d -> (long) d).toArray();
    } else if (kw.get("input_lengths") instanceof List<?> a && kw.get("target_lengths") instanceof List<?> b) {
      il = ((List<Object>) a).stream().mapToLong(o -> ((Number) o).longValue()).toArray();
      tl = ((List<Object>) b).stream().mapToLong(o -> ((Number) o).longValue()).toArray();
    } else {
      return null;
    }
    if (lp.shape.length != 3 || targets == null) {
      return null;
    }
    int steps = lp.shape[0];
    int n = lp.shape[1];
    int classes = lp.shape[2];
    if (il.length != n || tl.length != n) {
      return null;
    }
    double[][] logProbs = new double[n][];
    double[][] tgt = new double[n][];
    double[][] ils = new double[n][];
    double[][] tls = new double[n][];
    int maxLen = 0;
    for (long t : tl) {
      maxLen = (int) Math.max(maxLen, t);
    }
    long offset = 0;
    for (int i = 0; i < n; i++) {
      double[] row = new double[steps * classes];
      for (int t = 0; t < steps; t++) {
        System.arraycopy(lp.data, (t * n + i) * classes, row, t * classes, classes);
      }
      logProbs[i] = row;
      double[] ti = new double[maxLen];
      if (targets.shape.length == 2) {
        System.arraycopy(targets.data, i * targets.shape[1], ti, 0, (int) Math.min(tl[i], targets.shape[1]));
      } else {
        System.arraycopy(targets.data, (int) offset, ti, 0, (int) tl[i]);
        offset += tl[i];
      }
      tgt[i] = ti;
      ils[i] = new double[] {il[i]};
      tls[i] = new double[] {tl[i]};
    }
    if (maxLen == 0) {
      return null;
    }
    return new Case((String) json.get("id"), loss, reduction,
        new String[] {lp.dtype, "int64", "int64", "int64"},
        new int[][] {{steps, classes}, {maxLen}, {}, {}},
        List.of(logProbs, tgt, ils, tls), options, expected, gradInput, gradOutput);
  }
}
