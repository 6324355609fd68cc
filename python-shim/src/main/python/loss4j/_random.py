"""torch's random functions over dev.loss4j.random.Generator: PyTorch 2.13's CPU streams, bit for bit.

The context's default generator lives here (as torch's global default generator); `manual_seed` re-seeds it.
"""
import builtins

import java

from . import _tensor
from ._bridge import call
from ._tensor import Tensor

_JGenerator = java.type('dev.loss4j.random.Generator')
_Variable = java.type('dev.loss4j.autograd.Variable')


class Generator:
    """torch.Generator: a seeded CPU random stream."""

    def __init__(self, device='cpu'):
        self._g = _JGenerator()

    def manual_seed(self, seed):
        self._g.manualSeed(builtins.int(seed))
        return self

    def initial_seed(self):
        return builtins.int(self._g.initialSeed())

    def seed(self):
        import time
        s = time.time_ns() & 0xFFFFFFFFFFFF
        self._g.manualSeed(s)
        return s

    def __repr__(self):
        return '<torch._C.Generator object at 0x%x>' % id(self)


default_generator = Generator()


def manual_seed(seed):
    """torch.manual_seed: re-seeds the default generator and returns it."""
    return default_generator.manual_seed(seed)


def initial_seed():
    return default_generator.initial_seed()


def seed():
    return default_generator.seed()


def _shape(size):
    if len(size) == 1 and isinstance(size[0], (list, tuple)):
        size = tuple(size[0])
    return [builtins.int(s) for s in size]


def _leaf(jtensor, requires_grad):
    return Tensor._wrap(call(_Variable.leaf, jtensor, builtins.bool(requires_grad)))


def _checked(dtype, requires_grad):
    _tensor._check_factory_grad(dtype, requires_grad)
    return dtype


def _gen(generator):
    return (generator or default_generator)._g


def rand(*size, generator=None, dtype=None, requires_grad=False, device=None, out=None):
    """torch.rand: uniform on [0, 1)."""
    dt = _checked(dtype or _tensor.float32, requires_grad)
    return _leaf(call(_gen(generator).rand, _tensor._jdtype(dt), _shape(size)), requires_grad)


def randn(*size, generator=None, dtype=None, requires_grad=False, device=None, out=None):
    """torch.randn: standard normal."""
    dt = _checked(dtype or _tensor.float32, requires_grad)
    return _leaf(call(_gen(generator).randn, _tensor._jdtype(dt), _shape(size)), requires_grad)


def randint(low=0, high=None, size=None, *, generator=None, dtype=None, requires_grad=False, device=None):
    """torch.randint(high, size) or torch.randint(low, high, size): integers in [low, high)."""
    if size is None:
        low, high, size = 0, low, high
    dt = _checked(dtype or _tensor.int64, requires_grad)
    return _leaf(call(_gen(generator).randint, builtins.int(low), builtins.int(high), _tensor._jdtype(dt),
                      _shape((size,) if isinstance(size, builtins.int) else tuple(size))), requires_grad)


def rand_like(input, *, dtype=None, requires_grad=False, device=None):
    return rand(*input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randn_like(input, *, dtype=None, requires_grad=False, device=None):
    return randn(*input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randint_like(input, low=0, high=None, *, dtype=None, requires_grad=False, device=None):
    if high is None:
        low, high = 0, low
    return randint(low, high, tuple(input.shape), dtype=dtype or input.dtype, requires_grad=requires_grad)


def _random_(self, from_=0, to=None, *, generator=None):
    """Tensor.random_(from, to): fills in place with integers in [from, to) (to defaults to the dtype's range)."""
    if self.requires_grad and self.is_leaf:
        raise RuntimeError('a leaf Variable that requires grad is being used in an in-place operation.')
    if to is None:
        from_, to = 0, from_ if from_ else (2 ** 24 + 1 if self.dtype is _tensor.float32 else 2 ** 53 + 1
                                            if self.dtype is _tensor.float64 else 2 ** 63 - 1)
    jt = call(_gen(generator).randint, builtins.int(from_), builtins.int(to), self._data.dtype(), list(self.shape))
    self._v = call(_Variable.leaf, jt, False)
    return self


Tensor.random_ = _random_


def _uniform_(self, from_=0.0, to=1.0, *, generator=None):
    """Tensor.uniform_(from, to): fills in place with uniform values in [from, to)."""
    if self.requires_grad and self.is_leaf:
        raise RuntimeError('a leaf Variable that requires grad is being used in an in-place operation.')
    jt = call(_gen(generator).uniform, self._data.dtype(), builtins.float(from_), builtins.float(to), list(self.shape))
    self._v = call(_Variable.leaf, jt, False)
    return self


Tensor.uniform_ = _uniform_
