package dev.loss4j.parity;

import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** One recorded PyTorch case (a line of a fixtures/*.jsonl file), decoded. */
record Fixture(String family, String id, String op, String line, Map<String, Object> json) {

  /** The fixture folder: the recorded one, or {@code -Dparity.fixtures=DIR} (the fuzzer's cases). */
  static final Path DIR = Path.of(System.getProperty("parity.fixtures", "").isBlank()
      ? "src/test/resources/fixtures" : System.getProperty("parity.fixtures"));

  /**
   * The families with fixtures: the file names without .jsonl, sorted; {@code -Dparity.families=a,b}
   * narrows a run to some of them. A file {@code F.fuzz.jsonl} (the fuzzer's kept cases) belongs to family F.
   */
  static List<String> families() {
    String only = System.getProperty("parity.families", "");
    List<String> wanted = only.isBlank() ? null : List.of(only.split(","));
    try (Stream<Path> files = Files.list(DIR)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".jsonl"))
          .map(n -> n.substring(0, n.length() - ".jsonl".length()))
          .filter(n -> wanted == null || wanted.contains(n) || wanted.contains(n.split("\\.")[0]))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static List<Fixture> load(String family) {
    try {
      List<Fixture> out = new ArrayList<>();
      for (String line : Files.readAllLines(DIR.resolve(family + ".jsonl"), StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        Map<String, Object> m = (Map<String, Object>) Json.parse(line);
        out.add(new Fixture(family, (String) m.get("id"), (String) m.get("op"), line, m));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  List<Map<String, Object>> args() {
    return (List<Map<String, Object>>) json.get("args");
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> kwargs() {
    return (Map<String, Object>) json.get("kwargs");
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> expected() {
    return (Map<String, Object>) json.get("expected");
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> error() {
    return (Map<String, Object>) json.get("error");
  }

  @SuppressWarnings("unchecked")
  List<String> warnings() {
    return (List<String>) json.get("warnings");
  }

  @SuppressWarnings("unchecked")
  Tensor gradOutput() {
    return tensor((Map<String, Object>) json.get("grad_output"));
  }

  /** A recorded tensor ({dtype, shape, data}) as an engine Tensor; null stays null. */
  @SuppressWarnings("unchecked")
  static Tensor tensor(Map<String, Object> spec) {
    if (spec == null) {
      return null;
    }
    DType dtype = DType.fromName((String) spec.get("dtype"));
    List<Object> shapeList = (List<Object>) spec.get("shape");
    int[] shape = shapeList.stream().mapToInt(o -> ((Number) o).intValue()).toArray();
    List<Object> data = (List<Object>) spec.get("data");
    TensorBuilder b = new TensorBuilder(dtype, shape);
    for (int i = 0; i < data.size(); i++) {
      Object v = data.get(i);
      if (v instanceof Boolean bool) {
        b.set(i, bool ? 1 : 0);
      } else if (v instanceof Long l) {
        b.setLong(i, l);
      } else {
        b.set(i, ((Number) v).doubleValue());
      }
    }
    return b.build();
  }

  @Override
  public String toString() {
    return id;
  }
}
