"""Helpers every functional family shares: optional tensors and flags into Java, engine outcomes back out."""
import builtins

from ... import _bridge
from ..._tensor import Tensor


def var(t):
    """The Java variable of an optional tensor argument (None stays None)."""
    return None if t is None else t._v


def flag(v):
    """A legacy size_average/reduce flag: PyTorch only tests it for truth (a 0-d tensor works too)."""
    return None if v is None else builtins.bool(v)


def finish(outcome):
    """Emits the engine's warnings at the caller's line and wraps the result as a Tensor."""
    return Tensor._wrap(_bridge.unwrap(outcome))
