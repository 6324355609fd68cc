package dev.loss4j.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.errors.TypeError;
import dev.loss4j.errors.ValueError;
import dev.loss4j.loss.Reduction;
import dev.loss4j.loss.Regression;
import dev.loss4j.python.PythonLoss;
import dev.loss4j.tensor.Tensor;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The JVM embedding API: Python-defined losses on Java tensors, one reused context, typed errors. */
class EmbeddingApiTest {
  private static final String SOURCE = """
      import torch
      import torch.nn.functional as F
      calls = 0

      def sum_sq(x, y):
          return F.mse_loss(x, y, reduction='sum')

      def counted(x):
          global calls
          calls += 1
          return torch.full((), float(calls))

      def bad_reduction(x, y):
          return F.l1_loss(x, y, reduction='avg')

      def raises(x, y):
          raise ValueError('custom message')

      def not_a_tensor(x):
          return 3
      """;

  private static final Tensor X = Tensor.ofDoubles(new double[] {0.25, -1.5, 3.0, 0.125}, 2, 2);
  private static final Tensor Y = Tensor.ofDoubles(new double[] {0.0, -1.0, 2.0, 1.0}, 2, 2);

  @Test
  void pythonLossGivesTheEnginesValueAndGradientToJavaLeaves() {
    try (PythonLoss loss = PythonLoss.fromSource(SOURCE, "sum_sq")) {
      Variable x = Variable.leaf(X, true);
      Variable out = loss.apply(x, Variable.constant(Y));
      out.backward();
      Variable ref = Variable.leaf(X, true);
      new Regression.MSELoss(Reduction.SUM).forward(ref, Variable.constant(Y)).backward();
      assertEquals(new Regression.MSELoss(Reduction.SUM).forward(X, Y), out.data());
      assertEquals("MseLossBackward0", out.gradFnName());
      assertEquals(ref.grad(), x.grad());
    }
  }

  @Test
  void oneContextServesEveryCall() {
    try (PythonLoss counted = PythonLoss.fromSource(SOURCE, "counted")) {
      Tensor last = null;
      for (int i = 0; i < 50; i++) {
        last = counted.apply(X);
      }
      assertEquals(50.0, last.item(), "module state persists from call to call: one context");
    }
  }

  @Test
  void aFunctionThatReturnsNoTensorIsATypeError() {
    try (PythonLoss loss = PythonLoss.fromSource(SOURCE, "not_a_tensor")) {
      TypeError e = assertThrows(TypeError.class, () -> loss.apply(X));
      assertEquals("a loss called from Java must return a tensor, got int", e.getMessage());
    }
  }

  @Test
  void pythonErrorsArriveAsTypedExceptions() {
    try (PythonLoss bad = PythonLoss.fromSource(SOURCE, "bad_reduction");
         PythonLoss raising = PythonLoss.fromSource(SOURCE, "raises")) {
      ValueError e = assertThrows(ValueError.class, () -> bad.apply(X, Y));
      assertEquals("avg is not a valid value for reduction", e.getMessage());
      ValueError custom = assertThrows(ValueError.class, () -> raising.apply(X, Y));
      assertEquals("custom message", custom.getMessage());
    }
  }

  @Test
  void engineErrorsInsidePythonKeepTheirClass() {
    try (PythonLoss loss = PythonLoss.fromSource(SOURCE, "sum_sq")) {
      RuntimeError e = assertThrows(RuntimeError.class,
          () -> loss.apply(X, Tensor.ofDoubles(new double[] {1, 2, 3}, 3)));
      assertEquals("The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 1",
          e.getMessage());
    }
  }

  @Test
  void javaExampleRunsAndPrintsWhatPyTorchPrints() throws Exception {
    LauncherTest.Run r = LauncherTest.run("bin/loss4j-java", "examples/java/CustomLossExample.java");
    assertEquals(0, r.status(), r.err());
    assertEquals(Files.readString(LauncherTest.RESOURCES.resolve("java-examples/custom_loss.expected")), r.out());
  }
}
