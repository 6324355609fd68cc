package dev.loss4j.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loss4j.kernel.Vectorization;
import dev.loss4j.python.Loss4jPython;
import org.graalvm.polyglot.Context;
import org.junit.jupiter.api.Test;

/**
 * The shim's lazy packages (loss4j._lazy): `import torch` leaves the family modules unimported, and each
 * package's table names exactly what its family modules export.
 */
class ShimImportTest {
  private static String run(String code) {
    try (Context py = Loss4jPython.newContext()) {
      py.eval("python", code);
      return py.eval("python", "result").asString();
    }
  }

  @Test
  void importTorchLeavesTheFamilyModulesUnimported() {
    String out = run("""
        import sys
        import torch
        import torch.nn.functional as F
        before = sorted(m for m in sys.modules if m.startswith(('loss4j.nn.functional._', 'loss4j.nn.modules.')))
        F.mse_loss(torch.ones(2), torch.zeros(2))
        after = sorted(m for m in sys.modules if m.startswith('loss4j.nn.functional._regression'))
        result = repr((before, after))
        """);
    assertEquals("([], ['loss4j.nn.functional._regression'])", out);
  }

  @Test
  void eachTableNamesExactlyWhatItsFamiliesExport() {
    String out = run("""
        import importlib
        import torch
        problems = []
        for package in ('loss4j.nn.functional', 'loss4j.nn.modules', 'loss4j.nn'):
            p = importlib.import_module(package)
            for family, names in p._FAMILIES.items():
                m = importlib.import_module(package + '.' + family)
                exported = set(getattr(m, '__all__', names))
                if exported != set(names):
                    problems.append('%s.%s: table %s, __all__ %s' % (package, family, sorted(names), sorted(exported)))
                for name in names:
                    if getattr(p, name) is not getattr(m, name):
                        problems.append('%s.%s differs' % (package, name))
            if sorted(dir(p)) != sorted(set(dir(p))) or not set(p.__all__) <= set(dir(p)):
                problems.append(package + ': dir() misses exported names')
        import torch.nn as nn
        if nn.MSELoss is not torch.nn.modules.MSELoss or nn.functional is not torch.nn.functional:
            problems.append('torch.nn and torch.nn.modules disagree')
        result = '\\n'.join(problems)
        """);
    assertEquals("", out);
  }

  @Test
  void aNameNoFamilyHasStillRaisesNotImplementedError() {
    String out = run("""
        import torch
        try:
            torch.nn.functional.conv3d
            result = 'no error'
        except NotImplementedError as e:
            result = str(e).split(' is not provided')[0]
        """);
    assertEquals("torch.nn.functional.conv3d", out);
  }

  @Test
  void backendsAnswerAsOnAMachineWithoutAGpu() {
    // Recorded from PyTorch 2.13.0+cpu: is_available() False, cudnn.version() None, settings kept. The CPU
    // capability names the kernels' own path in this JVM (scalar when the suite runs with loss4j.vector=false).
    String out = run("""
        import torch
        torch.backends.cudnn.deterministic = True
        torch.backends.cudnn.benchmark = False
        result = repr((torch.backends.cpu.get_cpu_capability(), torch.backends.cudnn.is_available(),
                       torch.backends.cudnn.version(), torch.backends.cudnn.deterministic,
                       torch.backends.cudnn.benchmark, torch.backends.mps.is_available(),
                       torch.backends.mps.is_built()))
        """);
    int bits = Vectorization.bits();
    String capability = bits >= 512 ? "AVX512" : bits >= 256 ? "AVX2" : "DEFAULT";
    assertEquals("('" + capability + "', False, None, True, False, False, False)", out);
  }

  @Test
  void featureChecksWithHasattrAnswerFalseForWhatIsNotProvided() {
    String out = run("""
        import torch
        import torch.nn.functional as F
        result = repr((hasattr(torch, 'compile'), getattr(F, 'scaled_dot_product_attention', 'absent'),
                       hasattr(torch.nn, 'Conv3d'), hasattr(torch, 'randn'), hasattr(F, 'mse_loss')))
        """);
    assertEquals("(False, 'absent', False, True, True)", out);
  }

  @Test
  void aTensorOfComplexNumbersIsRefusedAsNotProvided() {
    String out = run("""
        import torch
        try:
            torch.tensor([1 + 2j, 3.0])
            result = 'no error'
        except NotImplementedError as e:
            result = str(e).split(' is not provided')[0]
        """);
    assertEquals("torch.complex64 (a tensor of complex numbers)", out);
  }
}
