"""Called by dev.loss4j.python.PythonLoss: runs a Python-defined loss on Java variables.

The Java variables are wrapped (no copy) as shim tensors, so the graph the function builds lives in the
Java engine and a backward() started from Java reaches the Java leaves.
"""
from ._tensor import Tensor


def call(fn, jvars):
    out = fn(*[Tensor._wrap(v) for v in jvars])
    if not isinstance(out, Tensor):
        raise TypeError('a loss called from Java must return a tensor, got %s' % type(out).__name__)
    return out._v
