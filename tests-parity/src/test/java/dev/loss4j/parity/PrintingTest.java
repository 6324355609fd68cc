package dev.loss4j.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorFormatter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** TensorFormatter against PyTorch's recorded repr of each tensor in printing/repr.jsonl. */
class PrintingTest {
  @TestFactory
  @SuppressWarnings("unchecked")
  Stream<DynamicTest> reprMatchesPyTorch() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("src/test/resources/printing/repr.jsonl"));
    return lines.stream().map(line -> {
      Map<String, Object> m = (Map<String, Object>) Json.parse(line);
      return DynamicTest.dynamicTest("repr " + m.get("id"), () -> {
        Tensor t = Fixture.tensor((Map<String, Object>) m.get("tensor"));
        List<String> suffixes = Boolean.TRUE.equals(m.get("requires_grad")) ? List.of("requires_grad=True") : List.of();
        assertEquals(m.get("repr"), TensorFormatter.repr(t, suffixes), (String) m.get("id"));
      });
    });
  }
}
