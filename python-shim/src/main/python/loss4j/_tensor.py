"""torch.Tensor, torch.Size, the dtypes and the tensor factories, over the Java engine's Variable.

Data lives in Java (`dev.loss4j.tensor.Tensor`); a shim Tensor is a handle. Python data crosses in bulk:
nested lists are flattened and packed into one `array.array`, read by Java as one byte[].
"""
import array
import builtins
import math

import warnings as _warnings

from . import _bridge
from . import _missing
from . import _ops
from ._bridge import Foreign as _Foreign, call, translate as _translate
from ._ops import is_number as _is_number, number as _number

_pyfloat = builtins.float
_pybool = builtins.bool
_pyint = builtins.int


class dtype:
    """A tensor element type, printed as PyTorch prints it (`torch.float32`)."""

    def __init__(self, name, is_floating_point, itemsize):
        self._name = name
        self.is_floating_point = is_floating_point
        self.itemsize = itemsize
        self.is_signed = not name.startswith('uint') and name != 'bool'

    def __repr__(self):
        return 'torch.' + self._name

    def __reduce__(self):
        return self._name


float32 = dtype('float32', True, 4)
float64 = dtype('float64', True, 8)
int64 = dtype('int64', False, 8)
bool = dtype('bool', False, 1)
int32 = dtype('int32', False, 4)
float16 = dtype('float16', True, 2)
bfloat16 = dtype('bfloat16', True, 2)
uint8 = dtype('uint8', False, 1)
int8 = dtype('int8', False, 1)
int16 = dtype('int16', False, 2)
uint16 = dtype('uint16', False, 2)
uint32 = dtype('uint32', False, 4)
uint64 = dtype('uint64', False, 8)
float = float32
double = float64
long = int64
int = int32
half = float16
short = int16

_DTYPES = {'float32': float32, 'float64': float64, 'int64': int64, 'bool': bool, 'int32': int32, 'float16': float16,
           'bfloat16': bfloat16, 'uint8': uint8, 'int8': int8, 'int16': int16, 'uint16': uint16, 'uint32': uint32,
           'uint64': uint64}
# In the order of the engine's DType enum (ShimBridge.dtypeCode).
_BY_CODE = (float32, float64, int64, bool, int32, float16, bfloat16, uint8, int8, int16, uint16, uint32, uint64)
# The integer dtypes narrower than int32, whose Python-number inputs are range-checked as PyTorch checks them:
# an int in [lo, hi] (uint8 takes negative ints down to -255 and wraps them), a float in [flo, hi].
_SMALL_INTS = {'uint8': (-255, 0, 255), 'int8': (-128, -128, 127), 'int16': (-32768, -32768, 32767),
               'uint16': (-65535, 0, 65535), 'uint32': (-4294967295, 0, 4294967295)}
_Bridge = _bridge.Bridge
# torch.div's rounding_mode when not given: true division (an explicit None names the grad_fn DivBackward2)
_TRUE_DIVISION = object()


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
    """A stand-in for an autograd node, as `tensor.grad_fn`: its class is named after the node, as PyTorch's are
    (`type(t.grad_fn).__name__ == 'MseLossBackward0'`)."""

    def __init__(self, name):
        self._name = name

    def name(self):
        # autograd's C++ nodes outside the generated ones report their namespace, as CopySlices does
        return 'torch::autograd::' + self._name if self._name in ('CopySlices', 'NotImplemented') else self._name

    def __repr__(self):
        return '<%s object at 0x%x>' % (self._name, id(self))


_GRAD_FN_CLASSES = {}


def _grad_fn(name):
    cls = _GRAD_FN_CLASSES.get(name)
    if cls is None:
        cls = _GRAD_FN_CLASSES[name] = type(name, (_GradFn,), {})
    return cls(name)


class Tensor:
    """torch.Tensor: a handle on an engine variable (data, requires_grad, grad, grad_fn)."""

    __slots__ = ('_v', '_owner', '__weakref__')

    def __new__(cls, *args, **kwargs):
        """The legacy constructor: torch.Tensor(data) copies data as float32; torch.Tensor(*sizes) makes a
        float32 tensor of that shape (zeroed here, uninitialised under PyTorch)."""
        return _legacy_new(float32, args)

    def __init__(self, *args, **kwargs):
        pass

    @staticmethod
    def _wrap(jvar):
        return _wrap(jvar)

    __hash__ = object.__hash__

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
        return _BY_CODE[_Bridge.dtypeCode(self._v)]

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
        _check_can_require_grad(self.dtype, flag)
        call(self._v.requiresGrad, _pybool(flag))

    def requires_grad_(self, requires_grad=True):
        # The engine checks the dtype (PyTorch's message) and the leaf rule itself: one crossing.
        call(self._v.requiresGrad, _pybool(requires_grad))
        return self

    @property
    def is_leaf(self):
        return _pybool(self._v.isLeaf())

    @property
    def grad(self):
        g = self._v.grad()
        if g is None:
            return None
        t = Tensor._wrap(_bridge.Variable.constant(g))
        t._owner = self  # in-place ops on it (x.grad.zero_()) write back to this tensor's grad
        return t

    @grad.setter
    def grad(self, value):
        self._v.setGrad(None if value is None else value._data)

    @property
    def grad_fn(self):
        name = self._v.gradFnName()
        return None if name is None else _grad_fn(str(name))

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        g = None if gradient is None else _as_tensor_like(gradient, self)._data
        try:
            self._v.backward(g, _pybool(retain_graph))
        except _Foreign as e:
            raise _translate(e) from None

    def detach(self):
        return Tensor._wrap(self._v.detach())

    # ---- values -----------------------------------------------------------------------------------
    def item(self):
        try:
            v = _Bridge.item(self._v)
        except _Foreign as e:
            raise _translate(e) from None
        return _pyint(v) if isinstance(v, str) else v  # a uint64 of 2^63 or more crosses as its digits

    def tolist(self):
        data = self._v.data()
        shape = [_pyint(s) for s in data.shape()]
        if not shape:
            return self.item()
        n = 1
        for s in shape:
            n *= s
        return _nest(_bridge.to_list(data, _BY_CODE[_Bridge.dtypeCode(self._v)]._name, n), shape)

    def __float__(self):
        _SCALAR_READS[0] += 1
        _one_element(self)
        return _pyfloat(self.item())

    def __int__(self):
        _one_element(self)
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
    def sum(self, dim=None, keepdim=False, dtype=None):
        src = self if dtype is None else self.to(dtype)
        if dim is None:
            if not src.dtype.is_floating_point:
                # integers and bools sum to int64
                return _op(_ops.DimReductions.sum, src._v, None, False)
            return _apply(_bridge.Reductions.SUM, src)
        return _op(_ops.DimReductions.sum, src._v, _dims(dim), _pybool(keepdim))

    def mean(self, dim=None, keepdim=False, dtype=None):
        src = self if dtype is None else self.to(dtype)
        if dim is None:
            return _apply(_bridge.Reductions.MEAN, src)
        return _op(_ops.DimReductions.mean, src._v, _dims(dim), _pybool(keepdim))

    def norm(self, p='fro', dim=None, keepdim=False, dtype=None):
        src = self if dtype is None else self.to(dtype)
        if p == 'fro' or p is None:
            p = 2.0
        elif isinstance(p, str):
            raise NotImplementedError('norm(p=%r) is not supported by loss4j' % p)
        return _op(_ops.DimReductions.norm, src._v, _pyfloat(p), None if dim is None else _dims(dim), _pybool(keepdim))

    # ---- element-wise -----------------------------------------------------------------------------
    def exp(self):
        return _op(_ops.Pointwise.exp, self._v)

    def log(self):
        return _op(_ops.Pointwise.log, self._v)

    def sqrt(self):
        return _op(_ops.Pointwise.sqrt, self._v)

    def abs(self):
        return _op(_ops.Pointwise.abs, self._v)

    def sigmoid(self):
        return _op(_ops.Pointwise.sigmoid, self._v)

    def floor(self):
        return _op(_ops.Pointwise.floor, self._v)

    def ceil(self):
        return _op(_ops.Pointwise.ceil, self._v)

    def round(self, decimals=0):
        if decimals == 0:
            return _op(_ops.Pointwise.round, self._v)
        return _op(_ops.Pointwise.round, self._v, _pyint(decimals))

    def trunc(self):
        return _op(_ops.Pointwise.trunc, self._v)

    fix = trunc

    def frac(self):
        return _op(_ops.Pointwise.frac, self._v)

    def exp2(self):
        return _op(_ops.Pointwise.exp2, self._v)

    def log2(self):
        return _op(_ops.Pointwise.log2, self._v)

    def log10(self):
        return _op(_ops.Pointwise.log10, self._v)

    def expm1(self):
        return _op(_ops.Pointwise.expm1, self._v)

    def rsqrt(self):
        return _op(_ops.Pointwise.rsqrt, self._v)

    def reciprocal(self):
        return _op(_ops.Pointwise.reciprocal, self._v)

    def count_nonzero(self, dim=None):
        return (self != 0).sum(dim)

    def logit(self, eps=None):
        return _op(_ops.Special.logit, self._v, None if eps is None else _pyfloat(eps))

    def erf(self):
        return _op(_ops.Special.erf, self._v)

    def erfc(self):
        return _op(_ops.Special.erfc, self._v)

    def lgamma(self):
        return _op(_ops.Special.lgamma, self._v)

    def digamma(self):
        return _op(_ops.Special.digamma, self._v)

    def tril(self, diagonal=0):
        return _op(_ops.Selection.triangle, self._v, _pyint(diagonal), False)

    def triu(self, diagonal=0):
        return _op(_ops.Selection.triangle, self._v, _pyint(diagonal), True)

    def nan_to_num(self, nan=0.0, posinf=None, neginf=None):
        return _op(_ops.Pointwise.nanToNum, self._v, _pyfloat(nan), None if posinf is None else _pyfloat(posinf),
                   None if neginf is None else _pyfloat(neginf))

    def isnan(self):
        return _op(_ops.Pointwise.isnan, self._v)

    def isinf(self):
        return _op(_ops.Pointwise.isinf, self._v)

    def isfinite(self):
        return _op(_ops.Pointwise.isfinite, self._v)

    def roll(self, shifts, dims=None):
        shifts = [_pyint(v) for v in shifts] if isinstance(shifts, (list, tuple)) else [_pyint(shifts)]
        dims = [] if dims is None else [_pyint(v) for v in dims] if isinstance(dims, (list, tuple)) else [_pyint(dims)]
        return _op(_ops.Views.roll, self._v, shifts, dims)

    def index_select(self, dim, index):
        if not isinstance(index, Tensor):
            raise TypeError("index_select(): argument 'index' (position 2) must be Tensor, not %s"
                            % type(index).__name__)
        return _op(_ops.Views.indexSelect, self._v, _pyint(dim), index._v)

    def outer(self, vec2):
        for name, t in (('self', self), ('vec2', vec2)):
            if t.dim() != 1:
                raise RuntimeError('outer: Expected 1-D argument %s, but got %d-D' % (name, t.dim()))
        return self.reshape(-1, 1) * vec2

    ger = outer

    def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        if self.dtype is not other.dtype:
            raise RuntimeError('%s did not match %s' % (_SCALAR_NAMES[self.dtype._name], _SCALAR_NAMES[other.dtype._name]))
        with no_grad():
            close = self == other
            if equal_nan and self.is_floating_point():
                close = close | (self.isnan() & other.isnan())
            if self.dtype is bool:
                return close
            error = (self - other).abs()
            allowed = atol + (rtol * other).abs()
            return close | (error.isfinite() & (error <= allowed))

    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        return _pybool(self.isclose(other, rtol, atol, equal_nan).all())

    def neg(self):
        return _op(_ops.Pointwise.neg, self._v)

    def relu(self):
        return _op(_ops.Pointwise.relu, self._v)

    def tanh(self):
        return _op(_ops.Pointwise.tanh, self._v)

    def log1p(self):
        return _op(_ops.Pointwise.log1p, self._v)

    def max(self, dim=None, keepdim=False):
        if isinstance(dim, Tensor):
            return self.maximum(dim)
        if dim is None:
            return _op(_ops.Selection.max, self._v)
        return _extreme_dim('max', self, dim, keepdim)

    def min(self, dim=None, keepdim=False):
        if isinstance(dim, Tensor):
            return self.minimum(dim)
        if dim is None:
            return _op(_ops.Selection.min, self._v)
        return _extreme_dim('min', self, dim, keepdim)

    def argmax(self, dim=None, keepdim=False):
        return _op(_ops.Selection.argExtreme, self._v, None if dim is None else _pyint(dim), _pybool(keepdim), True)

    def argmin(self, dim=None, keepdim=False):
        return _op(_ops.Selection.argExtreme, self._v, None if dim is None else _pyint(dim), _pybool(keepdim), False)

    # ---- matrix products and transposes -----------------------------------------------------------
    def matmul(self, other):
        return _op(_ops.Linalg.matmul, self._v, other._v)

    __matmul__ = matmul

    def mm(self, mat2):
        return _op(_ops.Linalg.mm, self._v, mat2._v)

    def lerp(self, end, weight):
        if isinstance(weight, Tensor):
            return _op(_ops.Arithmetic.lerp, self._v, end._v, weight._v)
        return _op(_ops.Arithmetic.lerp, self._v, end._v, _pyfloat(weight))

    def lerp_(self, end, weight):
        return _inplace(self, lambda: self.lerp(end, weight))

    def bmm(self, mat2):
        return _op(_ops.Linalg.bmm, self._v, mat2._v)

    def mv(self, vec):
        return _op(_ops.Linalg.mv, self._v, vec._v)

    def dot(self, other):
        return _op(_ops.Linalg.dot, self._v, other._v)

    def t(self):
        return _op(_ops.Views.t, self._v)

    @property
    def T(self):
        return _op(_ops.Views.permute, self._v, list(range(self.dim() - 1, -1, -1)))

    def transpose(self, dim0, dim1):
        return _op(_ops.Views.transpose, self._v, _pyint(dim0), _pyint(dim1))

    def permute(self, *dims):
        return _op(_ops.Views.permute, self._v, _size_args(dims))

    def masked_fill(self, mask, value):
        if isinstance(value, Tensor):
            value = value.item()
        v, t = _number(value)
        return _op(_ops.Selection.maskedFill, self._v, mask._v, v, t)

    def gather(self, dim, index):
        return _op(_ops.Selection.gather, self._v, _pyint(dim), index._v)

    # ---- ops custom losses are written with (element-wise, ordering, scatter, indexing) -----------
    def cos(self):
        return _op(_ops.Pointwise.cos, self._v)

    def sin(self):
        return _op(_ops.Pointwise.sin, self._v)

    def cosh(self):
        return _op(_ops.Pointwise.cosh, self._v)

    def acos(self):
        return _op(_ops.Pointwise.acos, self._v)

    arccos = acos

    def logsumexp(self, dim, keepdim=False):
        return _op(_ops.Softmax.logsumexp, self._v, _dims(dim), _pybool(keepdim))

    def sign(self):
        return _op(_ops.Pointwise.sign, self._v)

    def atan(self):
        return _op(_ops.Pointwise.atan, self._v)

    arctan = atan

    def square(self):
        return self.pow(2)

    def flip(self, *dims):
        return _op(_ops.Views.flip, self._v, _size_args(dims))

    def repeat(self, *sizes):
        return _op(_ops.Views.repeat, self._v, _size_args(sizes))

    def var(self, dim=None, unbiased=True, keepdim=False, *, correction=None):
        return _variance(self, dim, unbiased, keepdim, correction, False)

    def std(self, dim=None, unbiased=True, keepdim=False, *, correction=None):
        return _variance(self, dim, unbiased, keepdim, correction, True)

    def prod(self, dim=None, keepdim=False, dtype=None):
        src = self if dtype is None else self.to(dtype)
        return _op(_ops.DimReductions.prod, src._v, None if dim is None else [_pyint(dim)], _pybool(keepdim))

    def amax(self, dim=(), keepdim=False):
        return _op(_ops.DimReductions.amax, self._v, _dims(dim) if dim != () else [], _pybool(keepdim), True)

    def amin(self, dim=(), keepdim=False):
        return _op(_ops.DimReductions.amax, self._v, _dims(dim) if dim != () else [], _pybool(keepdim), False)

    def clamp_min(self, min):
        return self.clamp(min=min)

    def clamp_max(self, max):
        return self.clamp(max=max)

    def maximum(self, other):
        return _op(_ops.Selection.maximum, self._v, _tensor_arg('maximum', 'other', other)._v)

    def minimum(self, other):
        return _op(_ops.Selection.minimum, self._v, _tensor_arg('minimum', 'other', other)._v)

    def cumsum(self, dim, dtype=None):
        src = self if dtype is None else self.to(dtype)
        return _op(_ops.Ordering.cumsum, src._v, _pyint(dim))

    def sort(self, dim=-1, descending=False, stable=False):
        vi = call(_ops.Ordering.sort, self._v, _pyint(dim), _pybool(descending))
        return _ReturnType('sort', Tensor._wrap(vi[0]), Tensor._wrap(vi[1]))

    def argsort(self, dim=-1, descending=False, stable=False):
        return self.sort(dim, descending)[1]

    def topk(self, k, dim=-1, largest=True, sorted=True):
        vi = call(_ops.Ordering.topk, self._v, _pyint(k), _pyint(dim), _pybool(largest), _pybool(sorted))
        return _ReturnType('topk', Tensor._wrap(vi[0]), Tensor._wrap(vi[1]))

    def diff(self, n=1, dim=-1, prepend=None, append=None):
        return _op(_ops.Ordering.diff, self._v, _pyint(n), _pyint(dim), None if prepend is None else prepend._v,
                   None if append is None else append._v)

    def diagonal(self, offset=0, dim1=0, dim2=1):
        return _op(_ops.Views.diagonal, self._v, _pyint(offset), _pyint(dim1), _pyint(dim2))

    def chunk(self, chunks, dim=0):
        return tuple(Tensor._wrap(v) for v in call(_ops.Views.chunk, self._v, _pyint(chunks), _pyint(dim)))

    def split(self, split_size, dim=0):
        if isinstance(split_size, (list, tuple)):
            sizes, name = [_pyint(s) for s in split_size], 'SplitWithSizesBackward0'
        else:
            size = self.shape[_check_dim(_pyint(dim), self.dim())] if self.dim() else 0
            sizes, name = [_pyint(s) for s in _ops.Views.splitSizes(size, _pyint(split_size))], 'SplitBackward0'
        return tuple(Tensor._wrap(v) for v in call(_ops.Views.split, self._v, sizes, _pyint(dim), name))

    def masked_select(self, mask):
        return _op(_ops.Indexing.maskedSelect, self._v, mask._v)

    def nonzero(self, as_tuple=False):
        out = _op(_ops.Indexing.nonzero, self._v)
        if as_tuple:
            return tuple(out[:, k] for k in range(max(self.dim(), 1)))
        return out

    def scatter(self, dim, index, src=None, value=None, reduce=None):
        if src is None:
            src = value
        if reduce is not None:
            if isinstance(src, Tensor):
                out = _op(_ops.ScatterReduce.scatterLegacy, self._v, _pyint(dim), index._v, src._v, str(reduce))
                _warn_once(_SCATTER_REDUCE_WARNED, 'The reduce argument of torch.scatter with Tensor src is '
                           'deprecated and will be removed in a future PyTorch release. Use torch.scatter_reduce '
                           'instead for more reduction options. (Triggered internally at '
                           '/__w/pytorch/pytorch/aten/src/ATen/native/TensorAdvancedIndexing.cpp:225.)')
                return out
            v, t = _number(src)
            return _op(_ops.ScatterReduce.scatterLegacyValue, self._v, _pyint(dim), index._v, v, t, str(reduce))
        if isinstance(src, Tensor):
            return _op(_ops.Scatter.scatter, self._v, _pyint(dim), index._v, src._v)
        v, t = _number(src)
        return _op(_ops.Scatter.scatterValue, self._v, _pyint(dim), index._v, v, t)

    def scatter_reduce(self, dim, index, src, reduce, *, include_self=True):
        return _op(_ops.ScatterReduce.scatterReduce, self._v, _pyint(dim), index._v, src._v, str(reduce),
                   _pybool(include_self))

    def scatter_reduce_(self, dim, index, src, reduce, *, include_self=True):
        return _inplace(self, lambda: self.scatter_reduce(dim, index, src, reduce, include_self=include_self))

    def scatter_(self, dim, index, src=None, value=None, reduce=None):
        return _inplace(self, lambda: self.scatter(dim, index, src, value, reduce))

    def scatter_add(self, dim, index, src):
        return _op(_ops.Scatter.scatterAdd, self._v, _pyint(dim), index._v, src._v)

    def scatter_add_(self, dim, index, src):
        return _inplace(self, lambda: self.scatter_add(dim, index, src))

    def index_put(self, indices, values, accumulate=False):
        return _op(_ops.Indexing.indexPut, self._v, [None if i is None else _index_tensor(i)._v for i in indices],
                   values._v, _pybool(accumulate))

    def index_put_(self, indices, values, accumulate=False):
        return _inplace(self, lambda: self.index_put(indices, values, accumulate))

    def masked_fill_(self, mask, value):
        return _inplace(self, lambda: self.masked_fill(mask, value))

    def __setitem__(self, index, value):
        _setitem(self, index, value)

    def addmm(self, mat1, mat2, beta=1, alpha=1):
        return _op(_ops.Linalg.addmm, self._v, mat1._v, mat2._v, _pyfloat(beta), _pyfloat(alpha))

    def addmm_(self, mat1, mat2, *, beta=1, alpha=1):
        if self.dtype is not mat2.dtype:
            raise RuntimeError('self and mat2 must have the same dtype, but got %s and %s'
                               % (_SCALAR_NAMES[self.dtype._name], _SCALAR_NAMES[mat2.dtype._name]))
        if mat1.dim() == 2 and mat2.dim() == 2 and mat1.shape[1] == mat2.shape[0] \
                and tuple(self.shape) != (mat1.shape[0], mat2.shape[1]):
            raise RuntimeError('Bad in-place call: input tensor size [%s] and output tensor size [%d, %d] should '
                               'match' % (', '.join(map(str, self.shape)), mat1.shape[0], mat2.shape[1]))
        return _inplace(self, lambda: self.addmm(mat1, mat2, beta=beta, alpha=alpha))

    negative = neg

    def pow(self, exponent):
        return _binary(_ops.POW, self, exponent)

    def clamp(self, min=None, max=None):
        if isinstance(min, Tensor) or isinstance(max, Tensor):
            raise NotImplementedError('clamp with tensor bounds is not supported by loss4j')
        lo, lt = (0.0, None) if min is None else _number(min)
        hi, ht = (0.0, None) if max is None else _number(max)
        return _op(_ops.Pointwise.clamp, self._v, lo, lt, hi, ht)

    clip = clamp

    def softmax(self, dim, dtype=None):
        src = self if dtype is None else self.to(dtype)
        return _op(_ops.Softmax.softmax, src._v, _pyint(dim))

    def log_softmax(self, dim, dtype=None):
        src = self if dtype is None else self.to(dtype)
        return _op(_ops.Softmax.logSoftmax, src._v, _pyint(dim))

    # ---- arithmetic -------------------------------------------------------------------------------
    def add(self, other):
        return _binary(_ops.ADD, self, other)

    def sub(self, other):
        return _binary(_ops.SUB, self, other)

    def mul(self, other):
        return _binary(_ops.MUL, self, other)

    def div(self, other, *, rounding_mode=_TRUE_DIVISION):
        if rounding_mode is _TRUE_DIVISION:
            return _binary(_ops.DIV, self, other)
        return _rounded_div(self, other, rounding_mode)

    def true_divide(self, other):
        return _binary(_ops.DIV, self, other)

    def floor_divide(self, other):
        return _binary(_ops.FLOOR_DIVIDE, self, other)

    def remainder(self, other):
        return _binary(_ops.REMAINDER, self, other)

    def fmod(self, other):
        return _binary(_ops.FMOD, self, other)

    def logaddexp(self, other):
        return _tensor_binary('logaddexp', _ops.LOGADDEXP, self, other)

    def atan2(self, other):
        return _tensor_binary('atan2', _ops.ATAN2, self, other)

    arctan2 = atan2

    def hypot(self, other):
        return _tensor_binary('hypot', _ops.HYPOT, self, other)

    def xlogy(self, other):
        return _binary(_ops.XLOGY, self, other)

    def copysign(self, other):
        return _binary(_ops.COPYSIGN, self, other)

    subtract, multiply, divide = sub, mul, div

    def __add__(self, other):
        return _binary(_ops.ADD, self, other)

    def __radd__(self, other):
        return _binary(_ops.ADD, self, other)

    def __sub__(self, other):
        return _binary(_ops.SUB, self, other)

    def __rsub__(self, other):
        return _reflected(_ops.SUB, other, self)

    def __mul__(self, other):
        return _binary(_ops.MUL, self, other)

    def __rmul__(self, other):
        return _binary(_ops.MUL, self, other)

    def __truediv__(self, other):
        return _binary(_ops.DIV, self, other)

    def __rtruediv__(self, other):
        return _reflected(_ops.DIV, other, self)

    def __floordiv__(self, other):
        return _binary(_ops.FLOOR_DIVIDE, self, other)

    def __rfloordiv__(self, other):
        return _reflected(_ops.FLOOR_DIVIDE, other, self)

    def __mod__(self, other):
        return _binary(_ops.REMAINDER, self, other)

    def __rmod__(self, other):
        return _reflected(_ops.REMAINDER, other, self)

    def __pow__(self, other):
        return _binary(_ops.POW, self, other)

    def __rpow__(self, other):
        return _reflected(_ops.POW, other, self)

    def __neg__(self):
        return self.neg()

    def __pos__(self):
        return self

    def __abs__(self):
        return self.abs()

    # ---- comparisons (bool tensors, outside the graph) --------------------------------------------
    def __eq__(self, other):
        return _compare(_ops.EQ, self, other)

    def __ne__(self, other):
        return _compare(_ops.NE, self, other)

    def __lt__(self, other):
        return _compare(_ops.LT, self, other)

    def __le__(self, other):
        return _compare(_ops.LE, self, other)

    def __gt__(self, other):
        return _compare(_ops.GT, self, other)

    def __ge__(self, other):
        return _compare(_ops.GE, self, other)

    def eq(self, other):
        return _compare(_ops.EQ, self, other)

    def ne(self, other):
        return _compare(_ops.NE, self, other)

    def lt(self, other):
        return _compare(_ops.LT, self, other)

    def le(self, other):
        return _compare(_ops.LE, self, other)

    def gt(self, other):
        return _compare(_ops.GT, self, other)

    def ge(self, other):
        return _compare(_ops.GE, self, other)

    def equal(self, other):
        return self.shape == other.shape and _pybool(_compare(_ops.EQ, self, other).all())

    def all(self, dim=None, keepdim=False):
        if dim is not None:
            return (self == 0).sum(dim, keepdim) == 0
        return Tensor._wrap(_bridge.Variable.constant(call(_ops.TensorMath.all, self._data)))

    def any(self, dim=None, keepdim=False):
        if dim is not None:
            return (self != 0).sum(dim, keepdim) > 0
        return Tensor._wrap(_bridge.Variable.constant(call(_ops.TensorMath.any, self._data)))

    # ---- bitwise ops on integer and bool tensors: ~, &, |, ^, <<, >>; logical ops on any dtype ------
    def __invert__(self):
        if self.dtype.is_floating_point:
            raise TypeError('~ (operator.invert) is only implemented on integer and Boolean-type tensors')
        return _op(_ops.Bitwise.bitwiseNot, self._v)

    def bitwise_not(self):
        return _op(_ops.Bitwise.bitwiseNot, self._v)

    def __and__(self, other):
        return _bitwise(_ops.BAND, self, other)

    def __or__(self, other):
        return _bitwise(_ops.BOR, self, other)

    def __xor__(self, other):
        return _bitwise(_ops.BXOR, self, other)

    def __lshift__(self, other):
        return _bitwise(_ops.LSHIFT, self, other)

    def __rshift__(self, other):
        return _bitwise(_ops.RSHIFT, self, other)

    def __rand__(self, other):
        return _bitwise(_ops.BAND, self, other, True)

    def __ror__(self, other):
        return _bitwise(_ops.BOR, self, other, True)

    def __rxor__(self, other):
        return _bitwise(_ops.BXOR, self, other, True)

    def __rlshift__(self, other):
        return _bitwise(_ops.LSHIFT, self, other, True)

    def __rrshift__(self, other):
        return _bitwise(_ops.RSHIFT, self, other, True)

    bitwise_and, bitwise_or, bitwise_xor = __and__, __or__, __xor__
    bitwise_left_shift, bitwise_right_shift = __lshift__, __rshift__

    def __iand__(self, other):
        return _inplace(self, lambda: self & other)

    def __ior__(self, other):
        return _inplace(self, lambda: self | other)

    def __ixor__(self, other):
        return _inplace(self, lambda: self ^ other)

    def __ilshift__(self, other):
        return _inplace(self, lambda: self << other)

    def __irshift__(self, other):
        return _inplace(self, lambda: self >> other)

    bitwise_and_, bitwise_or_, bitwise_xor_ = __iand__, __ior__, __ixor__
    bitwise_left_shift_, bitwise_right_shift_ = __ilshift__, __irshift__

    def bitwise_not_(self):
        return _inplace(self, lambda: self.bitwise_not())

    def logical_not(self):
        return _compare(_ops.EQ, self, 0)

    def logical_and(self, other):
        return _compare(_ops.NE, self, 0) & _compare(_ops.NE, other, 0)

    def logical_or(self, other):
        return _compare(_ops.NE, self, 0) | _compare(_ops.NE, other, 0)

    def logical_xor(self, other):
        return _compare(_ops.NE, self, 0) ^ _compare(_ops.NE, other, 0)

    # ---- in-place ops -----------------------------------------------------------------------------
    # Engine tensors are immutable: an in-place op computes the result and re-points this handle at it,
    # so every reference to this Python tensor sees the change. A leaf stays a leaf (keeping its grad).
    def add_(self, other, alpha=1):
        return _inplace(self, lambda: self + (other if alpha == 1 else other * alpha))

    def sub_(self, other, alpha=1):
        return _inplace(self, lambda: self - (other if alpha == 1 else other * alpha))

    def mul_(self, other):
        return _inplace(self, lambda: self * other)

    def div_(self, other, *, rounding_mode=_TRUE_DIVISION):
        return _inplace(self, lambda: self.div(other, rounding_mode=rounding_mode))

    def floor_divide_(self, other):
        return _inplace(self, lambda: self // other)

    def remainder_(self, other):
        return _inplace(self, lambda: self % other)

    def fmod_(self, other):
        return _inplace(self, lambda: self.fmod(other))

    def floor_(self):
        return _inplace(self, self.floor)

    def ceil_(self):
        return _inplace(self, self.ceil)

    def round_(self, decimals=0):
        return _inplace(self, lambda: self.round(decimals))

    def trunc_(self):
        return _inplace(self, self.trunc)

    def frac_(self):
        return _inplace(self, self.frac)

    def reciprocal_(self):
        return _inplace(self, self.reciprocal)

    def pow_(self, exponent):
        return _inplace(self, lambda: self ** exponent)

    def clamp_(self, min=None, max=None):
        return _inplace(self, lambda: self.clamp(min, max))

    clip_ = clamp_

    def neg_(self):
        return _inplace(self, lambda: -self)

    def exp_(self):
        return _inplace(self, self.exp)

    def log_(self):
        return _inplace(self, self.log)

    def sqrt_(self):
        return _inplace(self, self.sqrt)

    def abs_(self):
        return _inplace(self, self.abs)

    def sigmoid_(self):
        return _inplace(self, self.sigmoid)

    def relu_(self):
        return _inplace(self, self.relu)

    def zero_(self):
        return _inplace(self, lambda: zeros_like(self))

    def fill_(self, value):
        return _inplace(self, lambda: full_like(self, value.item() if isinstance(value, Tensor) else value))

    def copy_(self, src, non_blocking=False):
        return _inplace(self, lambda: src.detach().to(self.dtype).expand(self.shape) if src.shape != self.shape
                        else src.to(self.dtype))

    def __iadd__(self, other):
        return self.add_(other)

    def __isub__(self, other):
        return self.sub_(other)

    def __imul__(self, other):
        return self.mul_(other)

    def __itruediv__(self, other):
        return self.div_(other)

    def __ifloordiv__(self, other):
        return self.floor_divide_(other)

    def __imod__(self, other):
        return self.remainder_(other)

    def __ipow__(self, other):
        return self.pow_(other)

    # ---- shape ------------------------------------------------------------------------------------
    def view(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], dtype):
            raise NotImplementedError('view(dtype) is not supported by loss4j')
        return _op(_ops.Views.view, self._v, _size_args(shape))

    def reshape(self, *shape):
        return _op(_ops.Views.reshape, self._v, _size_args(shape))

    def view_as(self, other):
        return self.view(other.shape)

    def reshape_as(self, other):
        return self.reshape(other.shape)

    def expand(self, *sizes):
        return _op(_ops.Views.expand, self._v, _size_args(sizes))

    def expand_as(self, other):
        return self.expand(other.shape)

    def unsqueeze(self, dim):
        return _op(_ops.Views.unsqueeze, self._v, _pyint(dim))

    def squeeze(self, dim=None):
        if dim is None:
            return _op(_ops.Views.squeeze, self._v)
        return _op(_ops.Views.squeeze, self._v, _pyint(dim))

    def flatten(self, start_dim=0, end_dim=-1):
        out = call(_ops.Views.flatten, self._v, _pyint(start_dim), _pyint(end_dim))
        return self if out is self._v or out.equals(self._v) else Tensor._wrap(out)

    def __getitem__(self, index):
        return _index(self, index)

    def __iter__(self):
        if self.dim() == 0:
            raise TypeError('iteration over a 0-d tensor')
        return iter(self.unbind(0))

    def unbind(self, dim=0):
        return tuple(Tensor._wrap(v) for v in call(_ops.Views.unbind, self._v, _pyint(dim)))

    # ---- copies and conversions -------------------------------------------------------------------
    def clone(self, memory_format=None):
        return _op(_ops.Views.cloneOf, self._v)

    def to(self, *args, **kwargs):
        target = kwargs.get('dtype')
        for a in args:
            if isinstance(a, dtype):
                target = a
            elif isinstance(a, Tensor):
                target = a.dtype
        if target is None or target is self.dtype:
            return self
        return _op(_ops.Views.to, self._v, _jdtype(target))

    def new_tensor(self, data, dtype=None, requires_grad=False, device=None):
        return tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_zeros(self, *size, dtype=None, requires_grad=False, device=None):
        return full(_size_args(size), 0.0, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, requires_grad=False, device=None):
        return full(_size_args(size), 1.0, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_empty(self, *size, dtype=None, requires_grad=False, device=None):
        return full(_size_args(size), 0.0, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_full(self, size, fill_value, dtype=None, requires_grad=False, device=None):
        return full(size, fill_value, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def type_as(self, other):
        return self.to(other.dtype)

    def float(self):
        return self.to(float32)

    def double(self):
        return self.to(float64)

    def long(self):
        return self.to(int64)

    def int(self):
        return self.to(int32)

    def half(self):
        return self.to(float16)

    def bfloat16(self):
        return self.to(bfloat16)

    def bool(self):
        return self.to(bool)

    def byte(self):
        return self.to(uint8)

    def char(self):
        return self.to(int8)

    def short(self):
        return self.to(int16)

    def element_size(self):
        return self.dtype.itemsize

    def cpu(self):
        return self

    def contiguous(self, memory_format=None):
        return self

    def numpy(self):
        raise NotImplementedError('numpy() is not available under loss4j (no NumPy on GraalPy); use tolist()')

    @property
    def data(self):
        return self.detach()

    def __index__(self):
        _SCALAR_READS[0] += 1
        if self.dtype not in (int64, int32, int16, int8, uint8) or self.numel() != 1:
            raise TypeError('only integer tensors of a single element can be converted to an index')
        return self.item()


_new = object.__new__


def _wrap(jvar):
    """A Tensor handle on an engine variable (no Java call while grad mode is on)."""
    if not _GRAD[0] and jvar.requiresGrad() and not jvar.isLeaf():
        # Under torch.no_grad() nothing is recorded, whichever engine op made the result.
        jvar = jvar.detach()
    t = _new(Tensor)
    t._v = jvar
    return t


def _one_element(t):
    """float(), int() and building a tensor from tensors read one element; item() itself raises another error."""
    if t.numel() != 1:
        raise ValueError('only one element tensors can be converted to Python scalars')


def _apply(op, t):
    try:
        return _wrap(_bridge.unwrap(_bridge.Functional.apply(op, t._v)))
    except _Foreign as e:
        raise _translate(e) from None


def _check_can_require_grad(dt, flag):
    if flag and not dt.is_floating_point:
        raise RuntimeError('only Tensors of floating point dtype can require gradients')


_CATEGORY = {'bool': 0, 'int64': 1, 'int32': 1, 'float32': 2, 'float64': 2, 'float16': 2, 'bfloat16': 2, 'uint8': 1,
             'int8': 1, 'int16': 1, 'uint16': 1, 'uint32': 1, 'uint64': 1}
_SCALAR_NAMES = {'bool': 'Bool', 'int64': 'Long', 'int32': 'Int', 'float32': 'Float', 'float64': 'Double',
                 'uint8': 'Byte', 'int8': 'Char', 'int16': 'Short', 'uint16': 'UInt16', 'uint32': 'UInt32',
                 'uint64': 'UInt64',
                 'float16': 'Half', 'bfloat16': 'BFloat16'}


def _inplace(self, compute):
    """Re-points `self` at `compute()`'s result, with PyTorch's in-place rules (leaf check, no dtype widening
    across categories, no shape growth)."""
    v = self._v
    if _GRAD[0] and v.isLeaf() and v.requiresGrad():
        raise RuntimeError('a leaf Variable that requires grad is being used in an in-place operation.')
    out = compute()
    if out is NotImplemented:
        raise TypeError('unsupported operand for an in-place operation')
    if out.dtype is not self.dtype:
        if _CATEGORY[out.dtype._name] > _CATEGORY[self.dtype._name]:
            raise RuntimeError("result type %s can't be cast to the desired output type %s"
                               % (_SCALAR_NAMES[out.dtype._name], _SCALAR_NAMES[self.dtype._name]))
        out = out.to(self.dtype)
    if out.shape != self.shape:
        raise RuntimeError("output with shape [%s] doesn't match the broadcast shape [%s]"
                           % (', '.join(map(str, self.shape)), ', '.join(map(str, out.shape))))
    nv = out._v
    if not (nv.requiresGrad() and not nv.isLeaf()):
        # no graph to keep: this stays (or becomes) a leaf, with its requires_grad and accumulated grad
        g = v.grad()
        nv = call(_bridge.Variable.leaf, out._data, _pybool(v.requiresGrad()))
        if g is not None:
            nv.setGrad(g)
    self._v = nv
    owner = getattr(self, '_owner', None)
    if owner is not None:
        owner._v.setGrad(nv.data())
    return self


class _ReturnType(tuple):
    """torch.return_types.max / min: a (values, indices) named tuple printed as PyTorch prints it."""

    def __new__(cls, name, values, indices):
        t = tuple.__new__(cls, (values, indices))
        t._name = name
        return t

    @property
    def values(self):
        return self[0]

    @property
    def indices(self):
        return self[1]

    def __repr__(self):
        return 'torch.return_types.%s(\nvalues=%r,\nindices=%r)' % (self._name, self[0], self[1])


def _extreme_dim(name, t, dim, keepdim):
    vi = call(_ops.Selection.extremeDim, t._v, _pyint(dim), _pybool(keepdim), name == 'max')
    return _ReturnType(name, Tensor._wrap(vi[0]), Tensor._wrap(vi[1]))


def _check_factory_grad(dt, flag):
    if flag and not dt.is_floating_point:
        raise RuntimeError('Only Tensors of floating point and complex dtype can require gradients')


def _op(fn, *args):
    """One engine op on whole tensors, its result wrapped."""
    return Tensor._wrap(call(fn, *args))


def _binary(kind, a, b):
    try:
        if isinstance(b, Tensor):
            return _wrap(_ops.Arithmetic.binary(kind, a._v, b._v))
        if _is_number(b):
            v, t = _number(b)
            return _wrap(_ops.Arithmetic.binaryScalar(kind, a._v, v, t))
    except _Foreign as e:
        raise _translate(e) from None
    return NotImplemented


def _tensor_binary(name, kind, a, b):
    """A binary op whose second operand PyTorch takes only as a tensor (logaddexp, atan2, hypot)."""
    if not isinstance(b, Tensor):
        raise TypeError("%s(): argument 'other' (position 2) must be Tensor, not %s" % (name, type(b).__name__))
    return _binary(kind, a, b)


def _rounded_div(a, b, mode):
    """torch.div with a rounding_mode (None, 'trunc' or 'floor'; anything else raises as PyTorch does)."""
    if mode is not None and not isinstance(mode, str):
        raise TypeError('div() received an invalid combination of arguments: rounding_mode must be None or a str, '
                        'not %s' % type(mode).__name__)
    try:
        if isinstance(b, Tensor):
            return _wrap(_ops.Arithmetic.div(a._v, b._v, mode))
        if _is_number(b):
            v, t = _number(b)
            return _wrap(_ops.Arithmetic.divScalar(a._v, v, t, mode))
    except _Foreign as e:
        raise _translate(e) from None
    raise TypeError('div(): argument \'other\' (position 1) must be Tensor, not %s' % type(b).__name__)


def _reflected(kind, number, a):
    if not _is_number(number):
        return NotImplemented
    v, t = _number(number)
    try:
        return _wrap(_ops.Arithmetic.reflectedScalar(kind, v, t, a._v))
    except _Foreign as e:
        raise _translate(e) from None


def _compare(kind, a, b):
    if not isinstance(b, Tensor) and not _is_number(b):
        if kind is _ops.EQ:
            return False
        if kind is _ops.NE:
            return True
        return NotImplemented
    try:
        if isinstance(b, Tensor):
            out = _ops.Comparisons.compare(kind, a._v, b._v)
        else:
            out = _ops.Comparisons.compareScalar(kind, a._v, *_number(b))
    except _Foreign as e:
        raise _translate(e) from None
    return _wrap(out)


def _dims(dim):
    if isinstance(dim, (list, tuple)):
        return [_pyint(d) for d in dim]
    return [_pyint(dim)]


def _variance(t, dim, unbiased, keepdim, correction, sqrt):
    """var / std: `dim` may also arrive as `unbiased` positionally (x.var(False)), as PyTorch's overloads allow."""
    if isinstance(dim, _pybool):
        dim, unbiased = None, dim
    c = (1.0 if unbiased else 0.0) if correction is None else _pyfloat(correction)
    return Tensor._wrap(_bridge.unwrap(call(_ops.DimReductions.varianceWarned, t._v, None if dim is None else
                                            _dims(dim), c, _pybool(keepdim), _pybool(sqrt))))


_SCATTER_REDUCE_WARNED = [False]


def _warn_once(flag, message):
    """A UserWarning PyTorch emits once per process (TORCH_WARN_ONCE); `flag` is a one-element list."""
    if not flag[0]:
        flag[0] = True
        _bridge.emit([message])


def _bitwise(kind, a, b, reflected=False):
    """a <op> b for a bitwise op (dev.loss4j.ops.Bitwise); `reflected` when b, a Python number, came first."""
    if isinstance(b, Tensor):
        return _op(_ops.Bitwise.binary, kind, a._v, b._v)
    if _is_number(b):
        v, t = _number(b)
        if reflected:
            return _op(_ops.Bitwise.reflectedScalar, kind, v, t, a._v)
        return _op(_ops.Bitwise.binaryScalar, kind, a._v, v, t)
    return NotImplemented


def _tensor_arg(fn, name, value, position=1):
    """`value` when it is a Tensor, else the TypeError of PyTorch's argument parser."""
    if not isinstance(value, Tensor):
        raise TypeError("%s(): argument '%s' (position %d) must be Tensor, not %s"
                        % (fn, name, position, type(value).__name__))
    return value


def _index_tensor(it):
    """A tensor index: tensors as they are, lists (and Python bools) as the tensors PyTorch makes of them."""
    if isinstance(it, Tensor):
        return it
    return tensor(it)


def _is_advanced(it):
    if isinstance(it, Tensor):
        return not (it.dtype is int64 and it.dim() == 0)
    return isinstance(it, (list, _pybool))


def _index(t, index):
    """x[...] as PyTorch's applySlicing then index: ints, slices, None and Ellipsis apply left to right as views;
    tensors, lists and bools are gathered as advanced indices of the dims they stand at and applied together
    (Indexing.index) at the end."""
    v, advanced = _basic_index(t, index)
    if advanced is not None:
        v = call(_ops.Indexing.index, v, advanced)
    return Tensor._wrap(v)


def _basic_index(t, index):
    """(the variable after basic indexing, the per-dim list of advanced index variables or None)."""
    items = index if isinstance(index, tuple) else (index,)
    consuming = 0
    for it in items:
        if it is None or it is Ellipsis:
            continue
        if isinstance(it, _pybool) or (isinstance(it, Tensor) and it.dtype is bool and it.dim() == 0):
            continue  # a 0-d bool adds a dim of its own
        if isinstance(it, Tensor) and it.dtype is bool:
            consuming += it.dim()
        else:
            consuming += 1
    ndim = t.dim()
    if consuming > ndim:
        first = next(it for it in items if it is not None and it is not Ellipsis)
        if ndim == 0 and isinstance(first, slice):
            call(_ops.Views.slice, t._v, 0, None, None, 1)  # raises PyTorch's 0-dim slice message
        if ndim == 0 and consuming == 1 and not _is_advanced(first):
            call(_ops.Views.select, t._v, 0, 0)  # raises PyTorch's 0-dim message
        raise IndexError('too many indices for tensor of dimension %d' % ndim)
    v = t._v
    dim = 0
    applied = False
    advanced = []  # one entry per advanced index (a bool mask covers its dims), None for a whole dim
    covered = 0
    for it in items:
        if it is Ellipsis:
            dim += ndim - consuming
            continue
        if it is None:
            v = call(_ops.Views.unsqueeze, v, dim)
            dim += 1
        elif isinstance(it, slice):
            step = 1 if it.step is None else _pyint(it.step)
            start = None if it.start is None else _pyint(it.start)
            stop = None if it.stop is None else _pyint(it.stop)
            v = call(_ops.Views.slice, v, dim, start, stop, step)
            dim += 1
        elif _is_advanced(it):
            idx = _index_tensor(it)
            if idx.dtype is bool and idx.dim() == 0:
                # x[True] / x[False]: a new dim of size 1, kept or emptied
                v = call(_ops.Views.unsqueeze, v, dim)
                idx = tensor([_pybool(idx.item())])
            while covered < dim:
                advanced.append(None)
                covered += 1
            advanced.append(idx._v)
            width = idx.dim() if idx.dtype is bool else 1
            dim += width
            covered += width
        else:
            v = call(_ops.Views.select, v, dim, _pyint(it.__index__() if isinstance(it, Tensor) else it))
        applied = True
    if not applied:
        v = call(_ops.Views.alias, v)
    return v, (advanced if advanced else None)


def _setitem(t, index, value):
    """x[key] = value: the elements x[key] picks (found by indexing a tensor of flat positions with the same key)
    are replaced by value, cast to x's dtype and broadcast; grad_fn IndexPutBackward0 for tensor keys and
    CopySlices for basic ones, as PyTorch names them."""
    positions = arange(t.numel()).reshape(t.shape) if t.dim() else tensor(0)
    picked, advanced = _basic_index(positions, index)
    if advanced is not None:
        picked = call(_ops.Indexing.index, picked, advanced)
    if isinstance(value, Tensor):
        if value.dtype is not t.dtype:
            if advanced is not None:  # index_put_ takes no other dtype; a copy into a view casts
                raise RuntimeError('Index put requires the source and destination dtypes match, got %s for the '
                                   'destination and %s for the source.'
                                   % (_SCALAR_NAMES[t.dtype._name], _SCALAR_NAMES[value.dtype._name]))
            value = value.to(t.dtype)
    else:
        value = tensor(value, dtype=t.dtype)
    if advanced is None and _GRAD[0] and t._v.isLeaf() and t._v.requiresGrad():
        raise RuntimeError('a view of a leaf Variable that requires grad is being used in an in-place operation.')
    name = 'IndexPutBackward0' if advanced is not None else 'CopySlices'
    _inplace(t, lambda: Tensor._wrap(call(_ops.Indexing.putAt, t._v, picked, value._v, name)))


# ---- grad mode ------------------------------------------------------------------------------------

_GRAD = [True]


def is_grad_enabled():
    return _GRAD[0]


def _set_grad(flag):
    prev = _GRAD[0]
    _GRAD[0] = _pybool(flag)
    _ops.GradMode.setEnabled(_GRAD[0])
    return prev


class _GradContext:
    """Base of the grad-mode context managers; instances also decorate functions."""

    _mode = True

    def __enter__(self):
        self._prev = _set_grad(self._mode)
        return None

    def __exit__(self, *exc):
        _set_grad(self._prev)
        return False

    def __call__(self, fn):
        import functools

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__():
                return fn(*args, **kwargs)
        return wrapper


class no_grad(_GradContext):
    """torch.no_grad(): ops inside record no graph (results have requires_grad=False)."""

    _mode = False


class enable_grad(_GradContext):
    """torch.enable_grad(): turns recording back on inside a no_grad block."""

    _mode = True


class set_grad_enabled(_GradContext):
    """torch.set_grad_enabled(mode): sets grad mode now, and restores it when used as a context manager."""

    def __init__(self, mode):
        self._prev = _set_grad(mode)
        self._mode = _pybool(mode)

    def __enter__(self):
        return None

    def __call__(self, fn):
        _set_grad(self._prev)
        mode = self._mode

        def wrapper(*args, **kwargs):
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)
        return wrapper


class inference_mode(no_grad):
    """torch.inference_mode(): as no_grad here."""

    def __init__(self, mode=True):
        self._mode = not mode


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

# What torch.tensor reads as a sequence: nested lists and tuples, and buffers inside them.
_SEQUENCES = (list, tuple, array.array, memoryview)


def _flatten(data):
    """(flat list of Python scalars, shape) of a nested sequence, checked rectangular as PyTorch does."""
    shape = []
    probe = data
    while isinstance(probe, _SEQUENCES):
        shape.append(len(probe))
        if len(probe) == 0:
            break
        probe = probe[0]
    flat = data
    for depth in range(len(shape) - 1):
        expected = shape[depth + 1]
        nxt = []
        for item in flat:
            if not isinstance(item, _SEQUENCES):
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




def _tensor_items(flat, dt):
    """One-element tensors inside a nested list become their values; the dtype is inferred over tensor
    dtypes and Python numbers (bool, int64, float32) by type promotion, as PyTorch infers it."""
    values = []
    inferred = None
    for v in flat:
        if isinstance(v, Tensor):
            _one_element(v)
            kind = v.dtype
            v = v.item()
        else:
            kind = bool if isinstance(v, _pybool) else int64 if isinstance(v, _pyint) else float32
        values.append(v)
        if inferred is None:
            inferred = kind
        elif kind is not inferred:
            # tensor dtypes and Python numbers' defaults promote as in arithmetic (uint8 with an int gives int64)
            inferred = _DTYPES[str(_bridge.DType.promote(_jdtype(inferred), _jdtype(kind)).torchName())]
    return values, dt or inferred


# Counts Tensor.__float__/__index__ calls: array.array reads tensors inside a list through them, and a
# change during packing tells torch.tensor that the list held tensors (whose dtypes take part in inference).
_SCALAR_READS = [0]


def _pack_numbers(flat, dtype):
    """The packed data and dtype of a list of Python numbers, without a Python-level pass over it; None when
    the list holds anything else (tensors among them), for the exact path to handle."""
    if dtype is not None and not dtype.is_floating_point:
        return None
    mark = _SCALAR_READS[0]
    try:
        packed = _infer_and_pack(flat, dtype)
    except Exception:
        return None
    return packed if _SCALAR_READS[0] == mark else None


def _infer_and_pack(flat, dtype):
    """Packs Python scalars into an array.array of the dtype PyTorch would infer (or `dtype`)."""
    inferred = dtype is None
    if dtype is None:
        if flat and all(type(v) is _pybool for v in flat):
            dtype = bool
        else:
            try:
                packed = array.array('q', flat)
                return packed, int64
            except TypeError:
                dtype = float32
            except OverflowError:
                # an int past int64: PyTorch infers int64 and cannot unpack it, unless a float makes it float32
                if not any(isinstance(v, _pyfloat) for v in flat):
                    raise ValueError('Overflow when unpacking long long') from None
                dtype = float32
    code = _bridge.TYPECODES[dtype._name]
    if dtype is bool:
        return array.array('b', [1 if v else 0 for v in flat]), dtype
    if dtype is int64 or dtype is int32:
        return array.array('q', [_int_item(v, dtype) for v in flat]), dtype
    if dtype._name in _SMALL_INTS:
        return array.array('q', [_small_int(v, dtype, '') for v in flat]), dtype
    if dtype is uint64:
        return array.array('q', [_uint64(v, False) for v in flat]), dtype
    try:
        return array.array(code, flat), dtype
    except TypeError:
        # Only now a pass over the values in Python: a list of plain floats (the common case) never gets here.
        # PyTorch infers complex64 from a complex number; loss4j has no complex dtypes.
        if inferred and any(type(v) is complex for v in flat):
            raise _missing.missing('torch.complex64 (a tensor of complex numbers)') from None
        return array.array(code, [_pyfloat(v) for v in flat]), dtype


def _int_item(v, dt):
    """A Python number stored into int64 or int32 by torch.tensor, checked as PyTorch checks it: an int past
    int64 is ValueError ("Overflow when unpacking long long"); an int past int32, or a float that is NaN, infinite
    or past the dtype's range, is RuntimeError "value cannot be converted to type int32 without overflow"; a
    float is truncated toward zero. The float 2^63 passes PyTorch's check (int64's maximum rounds to it) and
    lands on int64's minimum."""
    if isinstance(v, _pyint):
        if not -(1 << 63) <= v < 1 << 63:
            raise ValueError('Overflow when unpacking long long')
        if dt is int32 and not -(1 << 31) <= v < 1 << 31:
            raise RuntimeError('value cannot be converted to type int32 without overflow')
        return _pyint(v)
    f = _pyfloat(v)
    bits = 63 if dt is int64 else 31
    if not -_pyfloat(1 << bits) <= f <= _pyfloat((1 << bits) - 1):  # False for NaN
        raise RuntimeError('value cannot be converted to type %s without overflow' % dt._name)
    if f == _pyfloat(1 << 63):
        return -(1 << 63)
    return _pyint(f)


def _small_int(v, dt, suffix):
    """A Python number stored into uint8/int8/int16/uint16/uint32: range-checked as PyTorch checks it (RuntimeError "value cannot
    be converted to type uint8 without overflow", with `suffix` '_t' after the name where PyTorch's message has
    it), truncated toward zero; a negative int in uint8 is returned as is and wraps on the Java side."""
    lo, flo, hi = _SMALL_INTS[dt._name]
    if isinstance(v, _pyint) and not -(1 << 63) <= v < 1 << 63:
        # past int64: torch.tensor cannot unpack it; torch.full names what its Scalar conversion refused
        if not suffix:
            raise ValueError('Overflow when unpacking long long')
        if v >= 1 << 64:
            raise OverflowError('int too big to convert')
        if v < 0:
            raise OverflowError("can't convert negative int to unsigned")
    if isinstance(v, _pyint):
        ok = lo <= v <= hi
    else:
        v = _pyfloat(v)
        ok = flo <= v <= hi  # False for NaN
    if not ok:
        raise RuntimeError('value cannot be converted to type %s%s without overflow' % (dt._name, suffix))
    return _pyint(v)


def _uint64(v, filled):
    """A Python number stored into uint64, as its 64 bits in an int64 (2^63 and above wrap negative). torch.tensor
    takes only ints in [0, 2^64) (OverflowError for a negative one, TypeError for a float); torch.full (`filled`)
    also wraps a negative int and truncates a float in [0, 2^64), as PyTorch 2.13 does."""
    if isinstance(v, _pyint):
        if v >= 1 << 64:
            raise OverflowError('int too big to convert')
        if v < 0 and not filled:
            raise OverflowError("can't convert negative int to unsigned")
        if v < -(1 << 63):
            raise RuntimeError('value cannot be converted to type uint64_t without overflow')
    else:
        if not filled:
            raise TypeError('an integer is required')
        f = _pyfloat(v)
        if not 0 <= f <= 18446744073709551615.0:
            raise RuntimeError('value cannot be converted to type uint64_t without overflow')
        v = _pyint(f)
    v = _pyint(v) & ((1 << 64) - 1)
    return v - (1 << 64) if v >= 1 << 63 else v


def tensor(data, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """torch.tensor: copies `data` (nested lists/tuples of numbers, a Tensor, or a buffer) into a new tensor.

    Buffers (array.array, bytearray, memoryview) cross to Java in one piece; their elements are typed as
    PyTorch types a sequence of such numbers (float formats give float32, integer formats int64).
    """
    if isinstance(data, Tensor):
        _warnings.warn('To copy construct from a tensor, it is recommended to use sourceTensor.clone().detach() '
                       'or sourceTensor.clone().detach().requires_grad_(True), rather than '
                       'torch.tensor(sourceTensor).', UserWarning, stacklevel=2)
        src = data.detach()
        if dtype is not None and dtype is not src.dtype:
            src = src.to(dtype)
        return Tensor._wrap(call(_bridge.Variable.leaf, src._data, _pybool(requires_grad)))
    if isinstance(data, (bytes, bytearray, memoryview, array.array)):
        t = _buffer_leaf(data, dtype, requires_grad)
        if t is not None:
            return t
        data = memoryview(data).tolist()
    flat, shape = _flatten(data)
    if flat and (dtype is None or dtype.is_floating_point or dtype is int64):
        # A list of floats or of ints: Java reads the array behind it, with no pass over it in Python.
        v = _bridge.leaf_from_list(flat, shape, None if dtype is None else dtype._name, _pybool(requires_grad))
        if v is not None:
            return Tensor._wrap(v)
    packed = _pack_numbers(flat, dtype)
    if packed is None:
        if any(isinstance(v, Tensor) for v in flat):
            flat, dtype = _tensor_items(flat, dtype)
        packed = _infer_and_pack(flat, dtype)
    packed, dt = packed
    _check_factory_grad(dt, requires_grad)
    return Tensor._wrap(_bridge.from_buffer(packed.tobytes(), dt._name, shape, _pybool(requires_grad)))


# loss4j's tensors index each dimension, and count their elements, with Java ints.
_INT32_MAX = 2 ** 31 - 1


def _size_args(size):
    if len(size) == 1 and isinstance(size[0], (list, tuple)):
        size = tuple(size[0])
    dims = [_pyint(s) for s in size]
    for d in dims:
        if d > _INT32_MAX:
            raise RuntimeError('loss4j: a dimension of size %d is past loss4j\'s limit of %d (2**31 - 1) '
                               'elements per dimension; PyTorch allows it' % (d, _INT32_MAX))
    return dims


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
    _check_factory_grad(dtype, requires_grad)
    if dtype._name in _SMALL_INTS:
        fill_value = _small_int(fill_value, dtype, '_t')
    if dtype is uint64:
        # the 64 bits cross as an int64 (a float would round them), then reinterpret
        return tensor(_uint64(fill_value, True), dtype=int64).expand(*shape).clone().to(uint64)
    jt = call(_bridge.Tensor.full, _pyfloat(fill_value), _jdtype(dtype), shape)
    return Tensor._wrap(call(_bridge.Variable.leaf, jt, _pybool(requires_grad)))


def zeros(*size, dtype=None, requires_grad=False, device=None):
    return full(_size_args(size), 0.0, dtype=dtype or float32, requires_grad=requires_grad)


def ones(*size, dtype=None, requires_grad=False, device=None):
    return full(_size_args(size), 1.0, dtype=dtype or float32, requires_grad=requires_grad)


_JDTYPES = {}


def _jdtype(dt):
    j = _JDTYPES.get(dt._name)
    if j is None:
        j = _JDTYPES[dt._name] = _bridge.DType.fromName(dt._name)
    return j


def _as_tensor_like(value, like):
    if isinstance(value, Tensor):
        return value
    return tensor(value, dtype=like.dtype)


def is_tensor(obj):
    return isinstance(obj, Tensor)


# The kind of each native memoryview format for ShimBridge.leafFromBuffer: floating point, signed, unsigned, bool.
_BUFFER_KINDS = {'f': 'f', 'd': 'f', 'b': 'i', 'h': 'i', 'i': 'i', 'l': 'i', 'q': 'i', 'n': 'i',
                 'B': 'u', 'H': 'u', 'I': 'u', 'L': 'u', 'Q': 'u', 'N': 'u', '?': 'b'}
# The dtype a sequence of each kind's Python scalars gets (floats are float32, ints int64).
_KIND_DTYPES = {'f': float32, 'i': int64, 'u': int64, 'b': bool}


def _buffer_leaf(data, dt, requires_grad):
    """torch.tensor of a buffer (array.array, bytearray, memoryview): its elements are typed as PyTorch types
    a sequence of such Python numbers, and the buffer is read by Java in one piece. None for formats left to
    the sequence path."""
    if isinstance(data, bytes):
        raise TypeError("new(): invalid data type 'bytes'")
    if isinstance(data, array.array) and data.typecode in ('u', 'w'):
        raise ValueError("too many dimensions 'str'")
    mv = memoryview(data)
    if mv.ndim != 1:
        raise ValueError("could not determine the shape of object type 'memoryview'")
    fmt = mv.format
    if fmt == 'c':
        raise TypeError("new(): invalid data type 'bytes'")
    kind = _BUFFER_KINDS.get(fmt[1:] if fmt[:1] == '@' else fmt)
    if kind is None:
        return None
    n = len(mv)
    target = dt or (float32 if n == 0 else _KIND_DTYPES[kind])
    _check_factory_grad(target, requires_grad)
    if not mv.c_contiguous:
        mv = memoryview(mv.tobytes()).cast(fmt)
    return Tensor._wrap(_bridge.leaf_from_buffer(mv, 0, n, kind, mv.itemsize, target._name, _pybool(requires_grad)))


# Each dtype's element kind and size, as frombuffer reads the raw bytes.
_RAW_LAYOUT = {'float32': ('f', 4), 'float64': ('f', 8), 'int64': ('i', 8), 'bool': ('b', 1), 'int32': ('i', 4),
               'float16': ('h', 2), 'bfloat16': ('h', 2), 'uint8': ('u', 1), 'int8': ('i', 1), 'int16': ('i', 2)}
_FROMBUFFER_KEYWORDS = ('buffer', 'dtype', 'count', 'offset', 'requires_grad')
_READONLY_WARNED = [False]


def frombuffer(*args, **kwargs):
    """torch.frombuffer: a 1-D tensor of `count` `dtype` elements (default -1: all that fit) read from byte
    `offset` (default 0) of `buffer`, an object with the buffer protocol (bytes, bytearray, array.array,
    memoryview); `dtype` is keyword-only and required, `requires_grad` defaults to False. PyTorch's argument and
    length checks apply.

    Java reads the bytes in one piece. Unlike PyTorch, which shares the buffer's memory, the tensor holds a
    copy: loss4j tensors own their data, so later writes to the buffer do not show in the tensor.
    """
    buffer, dt, count, offset, requires_grad = _frombuffer_args(args, kwargs)
    try:
        mv = memoryview(buffer)
    except TypeError:
        raise ValueError('object does not implement Python buffer protocol.') from None
    if not mv.c_contiguous:
        raise RuntimeError('could not retrieve buffer from object')
    if mv.readonly and not _READONLY_WARNED[0]:
        _READONLY_WARNED[0] = True  # PyTorch warns once per process
        _warnings.warn(
            'The given buffer is not writable, and PyTorch does not support non-writable tensors. This means you '
            'can write to the underlying (supposedly non-writable) buffer using the tensor. You may want to copy '
            'the buffer to protect its data or make it writable before converting it to a tensor. This type of '
            'warning will be suppressed for the rest of this program. (Triggered internally at '
            '/__w/pytorch/pytorch/torch/csrc/utils/tensor_new.cpp:1556.)', UserWarning,
            skip_file_prefixes=_bridge._SHIM_FILES)
    kind, size = _RAW_LAYOUT[dt._name]
    length = mv.nbytes
    if length <= 0 or count == 0:
        raise ValueError('both buffer length (%d) and count (%d) must not be 0' % (length, count))
    if offset < 0 or offset >= length:
        raise ValueError('offset (%d bytes) must be non-negative and no greater than buffer length (%d bytes) minus 1'
                         % (offset, length))
    if count < 0:
        if (length - offset) % size:
            raise ValueError('buffer length (%d bytes) after offset (%d bytes) must be a multiple of element size (%d)'
                             % (length - offset, offset, size))
        count = (length - offset) // size
    elif offset + count * size > length:
        raise ValueError('requested buffer length (%d * %d bytes) after offset (%d bytes) must not be greater than '
                         'actual buffer length (%d bytes)' % (count, size, offset, length))
    _check_factory_grad(dt, requires_grad)
    if mv.ndim != 1:
        mv = mv.cast('B')
    return Tensor._wrap(_bridge.leaf_from_buffer(mv, offset, count, kind, size, dt._name, requires_grad))


_MISSING = object()


def _frombuffer_args(args, kwargs):
    """frombuffer's arguments, refused with the messages of PyTorch's argument parser."""
    if len(args) > 1:
        raise TypeError('frombuffer() takes from 2 to 1 positional arguments but %d were given' % len(args))
    for key in kwargs:
        if key not in _FROMBUFFER_KEYWORDS:
            raise TypeError("frombuffer() got an unexpected keyword argument '%s'" % key)
    if args and 'buffer' in kwargs:
        raise TypeError("frombuffer() got multiple values for argument 'buffer'")
    buffer = args[0] if args else kwargs.get('buffer', _MISSING)
    if buffer is _MISSING:
        raise TypeError('frombuffer() missing 2 required positional argument: "buffer", "dtype"')
    if 'dtype' not in kwargs:
        raise TypeError('frombuffer() missing 1 required positional arguments: "dtype"')
    dt = kwargs['dtype']
    if not isinstance(dt, dtype):
        raise TypeError("frombuffer(): argument 'dtype' must be torch.dtype, not %s" % type(dt).__name__)
    requires_grad = kwargs.get('requires_grad', False)
    if type(requires_grad) is not _pybool:
        raise TypeError("frombuffer(): argument 'requires_grad' must be bool, not %s" % type(requires_grad).__name__)
    return (buffer, dt, _int_arg('count', kwargs.get('count', -1)), _int_arg('offset', kwargs.get('offset', 0)),
            requires_grad)


def _int_arg(name, value):
    if isinstance(value, _pyint) and not isinstance(value, _pybool):
        return value
    if not isinstance(value, _pybool) and hasattr(type(value), '__index__'):
        return value.__index__()
    raise TypeError("frombuffer(): argument '%s' must be int, not %s" % (name, type(value).__name__))


def as_tensor(data, dtype=None, device=None):
    """torch.as_tensor: the tensor itself when it already has the dtype, else a new one."""
    if isinstance(data, Tensor):
        return data if dtype is None or dtype is data.dtype else data.to(dtype)
    return tensor(data, dtype=dtype)


def empty(*size, dtype=None, requires_grad=False, device=None, out=None, layout=None, pin_memory=False,
          memory_format=None):
    """torch.empty: loss4j tensors start zeroed (PyTorch leaves the memory uninitialised)."""
    return full(_size_args(size), 0.0, dtype=dtype or float32, requires_grad=requires_grad)


def _like(t, value, dtype, requires_grad):
    return full(list(t.shape), value, dtype=dtype or t.dtype, requires_grad=requires_grad)


def zeros_like(input, dtype=None, requires_grad=False, device=None, layout=None, memory_format=None):
    return _like(input, 0.0, dtype, requires_grad)


def ones_like(input, dtype=None, requires_grad=False, device=None, layout=None, memory_format=None):
    return _like(input, 1.0, dtype, requires_grad)


def empty_like(input, dtype=None, requires_grad=False, device=None, layout=None, memory_format=None):
    return _like(input, 0.0, dtype, requires_grad)


def full_like(input, fill_value, dtype=None, requires_grad=False, device=None, layout=None, memory_format=None):
    return _like(input, fill_value, dtype, requires_grad)


def arange(start, end=None, step=1, dtype=None, requires_grad=False, device=None, out=None, layout=None):
    """torch.arange: int64 when every bound is an int, else float32 (or `dtype`)."""
    if end is None:
        start, end = 0, start
    vals = [start, end, step]
    if dtype is None:
        dtype = int64 if all(isinstance(v, _pyint) and not isinstance(v, _pybool) for v in vals) else float32
    if step == 0:
        raise RuntimeError('step must be nonzero')
    if (step > 0 and start > end) or (step < 0 and start < end):
        raise RuntimeError('upper bound and lower bound inconsistent with step sign')
    _check_factory_grad(dtype, requires_grad)
    jt = call(_ops.TensorMath.arange, _pyfloat(start), _pyfloat(end), _pyfloat(step), _jdtype(dtype))
    return Tensor._wrap(call(_bridge.Variable.leaf, jt, _pybool(requires_grad)))


# ---- legacy constructors (torch.Tensor(...), torch.FloatTensor(...), ...) -------------------------

def _legacy_new(dt, args):
    if len(args) == 0:
        return full([0], 0.0, dtype=dt)
    if len(args) == 1 and not isinstance(args[0], _pyint):
        data = args[0]
        if isinstance(data, Tensor):
            return data.to(dt)
        if isinstance(data, Size):
            return full(list(data), 0.0, dtype=dt)
        return tensor(data, dtype=dt)
    return full(_size_args(args), 0.0, dtype=dt)


class _LegacyType(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj.dtype is cls._dtype

    def __call__(cls, *args):
        return _legacy_new(cls._dtype, args)


class FloatTensor(metaclass=_LegacyType):
    """torch.FloatTensor(data or sizes): a float32 tensor; isinstance checks the dtype."""
    _dtype = float32


class DoubleTensor(metaclass=_LegacyType):
    """torch.DoubleTensor(data or sizes): a float64 tensor."""
    _dtype = float64


class LongTensor(metaclass=_LegacyType):
    """torch.LongTensor(data or sizes): an int64 tensor."""
    _dtype = int64


class BoolTensor(metaclass=_LegacyType):
    """torch.BoolTensor(data or sizes): a bool tensor."""
    _dtype = bool


class IntTensor(metaclass=_LegacyType):
    """torch.IntTensor(data or sizes): an int32 tensor."""
    _dtype = int32


class ByteTensor(metaclass=_LegacyType):
    """torch.ByteTensor(data or sizes): a uint8 tensor."""
    _dtype = uint8


class CharTensor(metaclass=_LegacyType):
    """torch.CharTensor(data or sizes): an int8 tensor."""
    _dtype = int8


class ShortTensor(metaclass=_LegacyType):
    """torch.ShortTensor(data or sizes): an int16 tensor."""
    _dtype = int16


class HalfTensor(metaclass=_LegacyType):
    """torch.HalfTensor(data or sizes): a float16 tensor."""
    _dtype = float16


class BFloat16Tensor(metaclass=_LegacyType):
    """torch.BFloat16Tensor(data or sizes): a bfloat16 tensor."""
    _dtype = bfloat16
