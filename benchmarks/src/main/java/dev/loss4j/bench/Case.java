package dev.loss4j.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One benchmark case: a loss (or op) {@code kind} at one {@code size} and dtype, with its inputs described
 * declaratively so that the PyTorch runner (benchmarks/torch_cases.py, fed by {@link Cases#main}) builds the
 * same shapes from the same distributions.
 *
 * @param kind the loss or op, named like its torch.nn.functional function (plus a suffix for a variant)
 * @param size small (at most 1K elements), medium (64K), large (1M; the headline shapes) or xlarge (4M)
 * @param dtype float32 or float64 (the dtype of every floating input)
 * @param inputs the arguments in call order
 * @param options constructor or functional options both runners read (numbers, strings, int arrays)
 * @param elementwise whether one pass over the inputs is all a perfect kernel needs (bandwidth floor applies)
 */
public record Case(String kind, String size, String dtype, List<Input> inputs, Map<String, Object> options,
                   boolean elementwise) {

  /** "mse/large/float32": the id both runners and the report key results by. */
  public String id() {
    return kind + "/" + size + "/" + dtype;
  }

  /** The elements of the first input (the headline shape). */
  public long elements() {
    return inputs.get(0).numel();
  }

  /**
   * Bytes a perfect single-pass kernel must move: every input read once, and for forward+backward every
   * gradient written once.
   */
  public long bytesTouched(boolean backward) {
    long bytes = 0;
    for (Input in : inputs) {
      long b = in.numel() * in.itemSize(dtype);
      bytes += b;
      if (backward && in.grad()) {
        bytes += b;
      }
    }
    return bytes;
  }

  /**
   * One argument.
   *
   * @param name the argument's name in PyTorch's signature
   * @param shape its shape
   * @param type "float" (the case's dtype) or "long" (int64)
   * @param dist how values are drawn: uniform (lo, hi), sign (+-1), randint [lo, hi), logsoftmax (rows of
   *     log-probabilities over the last dimension, from uniform(lo, hi) logits), labels (multilabel_margin
   *     targets: lo labels from [0, hi) per row, then -1), full (every value lo)
   * @param grad whether forward+backward asks for its gradient
   */
  public record Input(String name, int[] shape, String type, String dist, double lo, double hi, boolean grad) {
    long numel() {
      long n = 1;
      for (int d : shape) {
        n *= d;
      }
      return n;
    }

    int itemSize(String dtype) {
      return type.equals("long") || dtype.equals("float64") ? 8 : 4;
    }

    String toJson() {
      return "{\"name\":\"" + name + "\",\"shape\":" + Arrays.toString(shape).replace(" ", "") + ",\"type\":\""
          + type + "\",\"dist\":\"" + dist + "\",\"lo\":" + lo + ",\"hi\":" + hi + ",\"grad\":" + grad + "}";
    }
  }

  /** The case as one JSON object (what benchmarks/torch_cases.py reads). */
  public String toJson() {
    StringBuilder sb = new StringBuilder();
    sb.append("{\"id\":\"").append(id()).append("\",\"kind\":\"").append(kind).append("\",\"size\":\"")
        .append(size).append("\",\"dtype\":\"").append(dtype).append("\",\"elementwise\":").append(elementwise)
        .append(",\"elements\":").append(elements())
        .append(",\"bytes_forward\":").append(bytesTouched(false))
        .append(",\"bytes_backward\":").append(bytesTouched(true)).append(",\"inputs\":[");
    for (int i = 0; i < inputs.size(); i++) {
      sb.append(i == 0 ? "" : ",").append(inputs.get(i).toJson());
    }
    sb.append("],\"options\":{");
    int k = 0;
    for (Map.Entry<String, Object> e : options.entrySet()) {
      Object v = e.getValue();
      String text = v instanceof int[] a ? Arrays.toString(a).replace(" ", "")
          : v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
      sb.append(k++ == 0 ? "" : ",").append('"').append(e.getKey()).append("\":").append(text);
    }
    return sb.append("}}").toString();
  }
}
