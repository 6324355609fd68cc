"""Helpers every functional family shares: optional tensors and flags into Java, engine outcomes back out."""
import builtins

from ... import _bridge
from ..._tensor import Tensor, _wrap


def var(t):
    """The Java variable of an optional tensor argument (None stays None)."""
    return None if t is None else t._v


def flag(v):
    """A legacy size_average/reduce flag: PyTorch only tests it for truth (a 0-d tensor works too)."""
    return None if v is None else builtins.bool(v)


def finish(outcome):
    """Emits the engine's warnings at the caller's line and wraps the result as a Tensor; with no warnings
    (the usual case) this is one Java call."""
    v = outcome.quiet()
    if v is None:
        _bridge.emit(outcome.warnings())
        v = outcome.value()
    return _wrap(v)
