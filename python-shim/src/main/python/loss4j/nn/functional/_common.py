"""Helpers every functional family shares: optional tensors and flags into Java, engine outcomes back out."""
import builtins

from ... import _bridge
from ..._tensor import Tensor, _wrap, _GRAD, _new


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
    if not _GRAD[0]:
        return _wrap(v)
    # _wrap's grad-mode branch inlined: every loss call ends here, and one Python frame less is measurable
    # while the call is still interpreted (the first thousands of calls).
    t = _new(Tensor)
    t._v = v
    return t

