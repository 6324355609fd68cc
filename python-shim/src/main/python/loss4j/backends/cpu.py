"""torch.backends.cpu: the instruction set of the engine's kernels."""
import java

_Vectorization = java.type('dev.loss4j.kernel.Vectorization')


def get_cpu_capability():
    """'AVX512' or 'AVX2' when the kernels run on 512- or 256-bit vectors (the JVM's jdk.incubator.vector
    module, which bin/loss4j-python always adds), 'DEFAULT' when they run their scalar loops: the names
    PyTorch gives its own kernels' instruction sets."""
    bits = int(_Vectorization.bits())
    if bits >= 512:
        return 'AVX512'
    return 'AVX2' if bits >= 256 else 'DEFAULT'
