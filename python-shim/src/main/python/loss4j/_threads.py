"""torch.set_num_threads / torch.get_num_threads: the engine's kernel thread count (dev.loss4j.kernel.Parallel).

The count only changes speed: kernels cut work into fixed blocks and add their partial sums in a fixed
order, so results are the same bits at any count (PyTorch's are not).
"""
import builtins

import java

from ._bridge import call

_Parallel = java.type('dev.loss4j.kernel.Parallel')


def set_num_threads(n):
    """Sets the number of threads the engine's kernels use for large inputs (a positive int)."""
    if type(n) is not builtins.int:
        raise RuntimeError('set_num_threads expects an int, but got %s' % type(n).__name__)
    if n < 1:
        raise RuntimeError('set_num_threads expects a positive integer')
    call(_Parallel.setThreads, n)


def get_num_threads():
    """The number of threads the engine's kernels use (the core count unless set)."""
    return builtins.int(_Parallel.threads())
