"""torch.Tensor, torch.Size, the dtypes and the tensor factories, over the Java engine's Variable.

Data lives in Java (`dev.loss4j.tensor.Tensor`); a shim Tensor is a handle. Python data crosses in bulk:
nested lists are flattened and packed into one `array.array`, read by Java as one byte[].
"""
import array
import builtins
import math

from . import _bridge
from ._bridge import call

_pyfloat = builtins.float
_pybool = builtins.bool
_pyint = builtins.int


class dtype:
    """A tensor element type, printed as PyTorch prints it (`torch.float32`)."""

    def __init__(self, name, is_floating_point, itemsize):
        self._name = name
        self.is_floating_point = is_floating_point
        self.itemsize = itemsize

    def __repr__(self):
        return 'torch.' + self._name

    def __reduce__(self):
        return self._name


float32 = dtype('float32', True, 4)
float64 = dtype('float64', True, 8)
int64 = dtype('int64', False, 8)
bool = dtype('bool', False, 1)
float = float32
double = float64
long = int64

_DTYPES = {'float32': float32, 'float64': float64, 'int64': int64, 'bool': bool}


def get_default_dtype():
    return float32


class Size(tuple):
    """torch.Size: a tuple of ints printed as `torch.Size([2, 3])`."""

    def __repr__(self):
        return 'torch.Size([%s])' % ', '.join(str(s) for s in self)

    __str__ = __repr__

    def numel(self):
        n = 1
        for s in self:
            n *= s
        return n


class _GradFn:
    """A stand-in for an autograd node, as `tensor.grad_fn`."""

    def __init__(self, name):
        self._name = name

    def name(self):
        return self._name

    def __repr__(self):
        return '<%s object at 0x%x>' % (self._name, id(self))


class Tensor:
    """torch.Tensor: a handle on an engine variable (data, requires_grad, grad, grad_fn)."""

    __slots__ = ('_v', '__weakref__')

    def __init__(self, *args, **kwargs):
        raise TypeError('use torch.tensor(...) or a factory such as torch.zeros to make a tensor')

    @classmethod
    def _wrap(cls, jvar):
        t = object.__new__(cls)
        t._v = jvar
        return t

    # ---- metadata ---------------------------------------------------------------------------------
    @property
    def _data(self):
        return self._v.data()

    @property
    def shape(self):
        return Size(_pyint(s) for s in self._data.shape())

    def size(self, dim=None):
        shape = self.shape
        if dim is None:
            return shape
        return shape[_check_dim(dim, len(shape))]

    def dim(self):
        return _pyint(self._data.dim())

    ndim = property(dim)

    def numel(self):
        return _pyint(self._data.numel())

    nelement = numel

    @property
    def dtype(self):
        return _DTYPES[str(self._data.dtype().torchName())]

    @property
    def device(self):
        return 'cpu'

    @property
    def is_cuda(self):
        return False

    def is_floating_point(self):
        return self.dtype.is_floating_point

    def __len__(self):
        if self.dim() == 0:
            raise TypeError('len() of a 0-d tensor')
        return self.shape[0]

    # ---- autograd ---------------------------------------------------------------------------------
    @property
    def requires_grad(self):
        return _pybool(self._v.requiresGrad())

    @requires_grad.setter
    def requires_grad(self, flag):
        call(self._v.requiresGrad, _pybool(flag))

    def requires_grad_(self, requires_grad=True):
        call(self._v.requiresGrad, _pybool(requires_grad))
        return self

    @property
    def is_leaf(self):
        return _pybool(self._v.isLeaf())

    @property
    def grad(self):
        g = self._v.grad()
        return None if g is None else Tensor._wrap(_bridge.Variable.constant(g))

    @grad.setter
    def grad(self, value):
        self._v.setGrad(None if value is None else value._data)

    @property
    def grad_fn(self):
        name = self._v.gradFnName()
        return None if name is None else _GradFn(str(name))

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        g = None if gradient is None else _as_tensor_like(gradient, self)._data
        call(self._v.backward, g, _pybool(retain_graph))

    def detach(self):
        return Tensor._wrap(self._v.detach())

    # ---- values -----------------------------------------------------------------------------------
    def item(self):
        n = self.numel()
        if n != 1:
            raise ValueError('only one element tensors can be converted to Python scalars')
        v = self._data.getDouble(0)
        if self.dtype is int64:
            return _pyint(self._data.getLong(0))
        if self.dtype is bool:
            return _pybool(v)
        return _pyfloat(v)

    def tolist(self):
        flat = _bridge.to_array(self._data)
        if self.dtype is bool:
            flat = [_pybool(v) for v in flat]
        else:
            flat = flat.tolist()
        return _nest(flat, self.shape)

    def __float__(self):
        return _pyfloat(self.item())

    def __int__(self):
        return _pyint(self.item())

    def __bool__(self):
        if self.numel() != 1:
            raise RuntimeError('Boolean value of Tensor with more than one value is ambiguous')
        return _pybool(self.item())

    def __format__(self, spec):
        if self.dim() == 0:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    def __repr__(self):
        return str(call(_bridge.Bridge.repr, self._v))

    __str__ = __repr__

    # ---- reductions -------------------------------------------------------------------------------
    def sum(self):
        return _apply(_bridge.Reductions.SUM, self)

    def mean(self):
        return _apply(_bridge.Reductions.MEAN, self)


def _apply(op, *tensors):
    outcome = call(_bridge.Functional.apply, op, *[t._v for t in tensors])
    _bridge.emit(outcome.warnings())
    return Tensor._wrap(outcome.value())


def _check_dim(dim, ndim):
    lo, hi = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    if dim < lo or dim > hi:
        raise IndexError('Dimension out of range (expected to be in range of [%d, %d], but got %d)' % (lo, hi, dim))
    return dim % max(ndim, 1)


def _nest(flat, shape):
    """Splits a flat list into nested lists of `shape` (row-major)."""
    if len(shape) == 0:
        return flat[0]
    if len(shape) == 1:
        return flat
    for size in reversed(shape[1:]):
        flat = [flat[i:i + size] for i in range(0, len(flat), size)] if size else [[] for _ in range(len(flat))]
    if shape[0] != len(flat):
        # A zero-size inner dimension leaves nothing to split: rebuild the outer lists explicitly.
        return _empty_nest(shape)
    return flat


def _empty_nest(shape):
    if len(shape) == 1:
        return [] if shape[0] == 0 else [None] * shape[0]
    return [_empty_nest(shape[1:]) for _ in range(shape[0])]


# ---- construction ---------------------------------------------------------------------------------

def _flatten(data):
    """(flat list of Python scalars, shape) of a nested sequence, checked rectangular as PyTorch does."""
    shape = []
    probe = data
    while isinstance(probe, (list, tuple)):
        shape.append(len(probe))
        if len(probe) == 0:
            break
        probe = probe[0]
    if isinstance(probe, Tensor):
        raise ValueError('only one element tensors can be converted to Python scalars')
    flat = data
    for depth in range(len(shape) - 1):
        expected = shape[depth + 1]
        nxt = []
        for item in flat:
            if not isinstance(item, (list, tuple)):
                raise TypeError("not a sequence")
            if len(item) != expected:
                raise ValueError('expected sequence of length %d at dim %d (got %d)' % (expected, depth + 1, len(item)))
            nxt.extend(item)
        flat = nxt
    if not shape:
        flat = [data]
    elif not isinstance(flat, list):
        flat = list(flat)
    return flat, shape


def _infer_and_pack(flat, dtype):
    """Packs Python scalars into an array.array of the dtype PyTorch would infer (or `dtype`)."""
    if dtype is None:
        if flat and all(type(v) is _pybool for v in flat):
            dtype = bool
        else:
            try:
                packed = array.array('q', flat)
                return packed, int64
            except TypeError:
                dtype = float32
    code = _bridge.TYPECODES[dtype._name]
    if dtype is bool:
        return array.array('b', [1 if v else 0 for v in flat]), dtype
    if dtype is int64:
        return array.array('q', [_pyint(v) for v in flat]), dtype
    try:
        return array.array(code, flat), dtype
    except TypeError:
        return array.array(code, [_pyfloat(v) for v in flat]), dtype


def tensor(data, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """torch.tensor: copies `data` (nested lists/tuples of numbers, a Tensor, or a buffer) into a new tensor."""
    if isinstance(data, Tensor):
        src = data.detach()
        if dtype is not None and dtype is not src.dtype:
            raise NotImplementedError('torch.tensor(tensor, dtype=...) is not supported yet by loss4j')
        jt = src._data
        return Tensor._wrap(call(_bridge.Variable.leaf, jt, _pybool(requires_grad)))
    flat, shape = _flatten(data)
    packed, dt = _infer_and_pack(flat, dtype)
    return Tensor._wrap(_bridge.from_buffer(packed.tobytes(), dt._name, shape, _pybool(requires_grad)))


def _size_args(size):
    if len(size) == 1 and isinstance(size[0], (list, tuple)):
        size = tuple(size[0])
    return [_pyint(s) for s in size]


def full(size, fill_value, dtype=None, requires_grad=False, device=None):
    """torch.full(size, fill_value): dtype inferred from fill_value as PyTorch does."""
    if dtype is None:
        if isinstance(fill_value, _pybool):
            dtype = bool
        elif isinstance(fill_value, _pyint):
            dtype = int64
        else:
            dtype = float32
    shape = _size_args(tuple(size) if isinstance(size, (list, tuple)) else (size,))
    jt = call(_bridge.Tensor.full, _pyfloat(fill_value), _jdtype(dtype), shape)
    return Tensor._wrap(call(_bridge.Variable.leaf, jt, _pybool(requires_grad)))


def zeros(*size, dtype=None, requires_grad=False, device=None):
    return full(_size_args(size), 0.0, dtype=dtype or float32, requires_grad=requires_grad)


def ones(*size, dtype=None, requires_grad=False, device=None):
    return full(_size_args(size), 1.0, dtype=dtype or float32, requires_grad=requires_grad)


def _jdtype(dt):
    return _bridge.DType.fromName(dt._name)


def _as_tensor_like(value, like):
    if isinstance(value, Tensor):
        return value
    return tensor(value, dtype=like.dtype)


def is_tensor(obj):
    return isinstance(obj, Tensor)
