"""Shared by the bad-input catalogue's recorder (real PyTorch) and its replay (the shim): deterministic tensors
made only from Python lists, so both runtimes evaluate a case's code over the same values."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

nan, inf = float('nan'), float('inf')


class Obj:
    """An arbitrary object, printed the same way in both runtimes."""

    def __repr__(self):
        return 'Obj()'


Obj.__module__ = 'builtins'  # printed as <class 'Obj'> wherever this file is run


def _values(n, lo, hi):
    return [lo + (hi - lo) * ((i * 37 % 101) / 100.0) for i in range(n)]


def _shaped(vals, shape, dtype):
    if 0 in shape:
        return torch.zeros(shape, dtype=dtype)
    if len(shape) == 0:
        return torch.tensor(vals[0], dtype=dtype)
    return torch.tensor(vals, dtype=dtype).reshape(shape)


def f(*shape, dtype=torch.float32, lo=-1.0, hi=1.0, grad=False):
    """A float tensor of `shape` with values spread over [lo, hi]."""
    n = math.prod(shape)
    t = _shaped(_values(n, lo, hi), shape, dtype)
    return t.requires_grad_() if grad else t


def p(*shape, dtype=torch.float32, grad=False):
    """Probabilities in (0, 1)."""
    return f(*shape, dtype=dtype, lo=0.05, hi=0.95, grad=grad)


def ints(*shape, hi=3, lo=0, dtype=torch.int64):
    """Integers in [lo, hi) (class indices, lengths)."""
    n = math.prod(shape)
    return _shaped([lo + (i * 7 % (hi - lo)) for i in range(n)], shape, dtype)


def sign(*shape, dtype=torch.float32):
    """+1/-1 labels."""
    n = math.prod(shape)
    return _shaped([1.0 if i % 3 else -1.0 for i in range(n)], shape, dtype)


def logp(*shape):
    """CTC log-probabilities of shape (T, N, C) or (T, C): log_softmax over the classes."""
    return f(*shape, lo=-2.0, hi=2.0).log_softmax(-1)


def with_nan(t):
    """A copy of float tensor `t` whose first element is NaN and second +inf."""
    vals = t.detach().reshape(-1).tolist()
    vals[0] = nan
    if len(vals) > 1:
        vals[1] = inf
    return _shaped(vals, tuple(t.shape), t.dtype).requires_grad_(t.requires_grad)
