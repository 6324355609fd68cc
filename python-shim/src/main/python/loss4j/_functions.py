"""torch.* functions over tensors (torch.exp, torch.softmax, torch.sum, ...): each calls the Tensor method,
which is one engine op on the whole tensor."""
from ._tensor import Tensor, _TRUE_DIVISION, _binary, _ops, _reflected

__all__ = [
    'abs', 'add', 'clamp', 'clip', 'clone', 'cosine_similarity', 'div', 'divide', 'eq', 'exp', 'flatten', 'ge',
    'gt', 'le', 'log', 'log_softmax', 'lt', 'mean', 'mul', 'multiply', 'ne', 'neg', 'negative', 'norm', 'numel',
    'pairwise_distance', 'pow', 'reshape', 'sigmoid', 'softmax', 'sqrt', 'squeeze', 'sub', 'subtract', 'sum',
    'true_divide', 'unsqueeze', 'is_floating_point', 'cat', 'concat', 'stack',
    'relu', 'tanh', 'log1p', 'max', 'min', 'where', 'gather', 'masked_fill',
    'argmax', 'argmin', 'matmul', 'mm', 'mv', 'dot', 't', 'transpose', 'permute',
    'cos', 'sin', 'cosh', 'acos', 'arccos', 'maximum', 'minimum', 'eye', 'sort', 'argsort', 'topk', 'cumsum',
    'diff', 'diagonal', 'chunk', 'split', 'masked_select', 'nonzero', 'scatter', 'scatter_add', 'index_put',
    'addmm', 'cdist', 'einsum', 'clamp_min', 'clamp_max', 'logsumexp', 'sign', 'atan', 'arctan', 'square', 'flip',
    'var', 'std', 'any', 'all', 'prod', 'amax', 'amin', 'scatter_reduce', 'bitwise_and', 'bitwise_or', 'bitwise_xor',
    'bitwise_not', 'bitwise_left_shift', 'bitwise_right_shift', 'logical_and', 'logical_or', 'logical_xor',
    'logical_not', 'pdist', 'floor_divide', 'remainder', 'fmod', 'floor', 'ceil', 'round', 'trunc', 'fix', 'frac',
    'exp2', 'log2', 'log10', 'expm1', 'rsqrt', 'reciprocal', 'logaddexp', 'atan2', 'arctan2', 'hypot', 'xlogy',
    'copysign', 'tril', 'triu', 'nan_to_num', 'outer', 'ger', 'isclose', 'allclose', 'isnan', 'isinf', 'isfinite',
    'roll', 'index_select', 'erf', 'erfc', 'lgamma', 'digamma', 'count_nonzero', 'logit', 'bmm', 'lerp',
]

_abs = abs
_sum = sum


def _method_call(name):
    """torch.<name>(input) for a Tensor method that takes no argument: one engine op on the whole tensor."""
    def call(input):
        return getattr(input, name)()
    call.__name__ = call.__qualname__ = name
    call.__doc__ = 'torch.%s(input): the same as input.%s().' % (name, name)
    return call


_NO_ARGUMENT_METHODS = (
    'exp', 'log', 'sqrt', 'abs', 'sigmoid', 'floor', 'ceil', 'trunc', 'frac', 'exp2', 'log2', 'log10', 'expm1',
    'rsqrt', 'reciprocal', 'neg', 'numel', 'is_floating_point', 'relu', 'tanh', 'log1p', 'cos', 'sin', 'cosh',
    'acos', 'sign', 'atan', 'square', 'bitwise_not', 'logical_not', 't', 'isnan', 'isinf', 'isfinite', 'erf',
    'erfc', 'lgamma', 'digamma',
)
globals().update({name: _method_call(name) for name in _NO_ARGUMENT_METHODS})


def round(input, *, decimals=0):
    return input.round(decimals)


fix = trunc


negative = neg


def pow(input, exponent):
    if isinstance(input, Tensor):
        return input.pow(exponent)
    return exponent.__rpow__(input)


def clamp(input, min=None, max=None):
    return input.clamp(min, max)


clip = clamp


def softmax(input, dim, dtype=None):
    return input.softmax(dim, dtype=dtype)


def log_softmax(input, dim, dtype=None):
    return input.log_softmax(dim, dtype=dtype)


def sum(input, dim=None, keepdim=False, dtype=None):
    return input.sum(dim, keepdim, dtype=dtype)


def mean(input, dim=None, keepdim=False, dtype=None):
    return input.mean(dim, keepdim, dtype=dtype)


def norm(input, p='fro', dim=None, keepdim=False, dtype=None):
    return input.norm(p, dim, keepdim, dtype=dtype)


def _arith(kind, input, other):
    if isinstance(input, Tensor):
        return _binary(kind, input, other)
    from ._tensor import tensor
    return _binary(kind, tensor(input), other)


def add(input, other):
    return _arith(_ops.ADD, input, other)


def sub(input, other):
    return _arith(_ops.SUB, input, other)


def mul(input, other):
    return _arith(_ops.MUL, input, other)


def div(input, other, *, rounding_mode=_TRUE_DIVISION):
    if rounding_mode is _TRUE_DIVISION:
        return _arith(_ops.DIV, input, other)
    if not isinstance(input, Tensor):
        from ._tensor import tensor
        input = tensor(input)
    return input.div(other, rounding_mode=rounding_mode)


def true_divide(input, other):
    return _arith(_ops.DIV, input, other)


def floor_divide(input, other):
    if not isinstance(input, Tensor) and isinstance(other, Tensor):
        return other.__rfloordiv__(input)
    return _arith(_ops.FLOOR_DIVIDE, input, other)


def remainder(input, other):
    """torch.remainder: the remainder with the divisor's sign (Python's %); a number first is ATen's
    Scalar_Tensor form, which has no derivative."""
    if not isinstance(input, Tensor) and isinstance(other, Tensor):
        return other.__rmod__(input)
    return _arith(_ops.REMAINDER, input, other)


def logaddexp(input, other):
    """torch.logaddexp: log(exp(a) + exp(b)) without overflow (LogaddexpBackward0)."""
    return input.logaddexp(other)


def atan2(input, other):
    """torch.atan2: the angle of the point (other, input), in (-pi, pi] (Atan2Backward0)."""
    return input.atan2(other)


arctan2 = atan2


def hypot(input, other):
    """torch.hypot: sqrt(a^2 + b^2) without overflow (HypotBackward0)."""
    return input.hypot(other)


def xlogy(input, other):
    """torch.xlogy: a log(b), 0 where a is 0 (unless b is NaN); either side may be a number."""
    if not isinstance(input, Tensor) and isinstance(other, Tensor):
        return _reflected(_ops.XLOGY, input, other)
    return _arith(_ops.XLOGY, input, other)


def copysign(input, other):
    """torch.copysign: |input| with the sign of other (CopysignBackward0/1)."""
    return _arith(_ops.COPYSIGN, input, other)


def tril(input, diagonal=0):
    return input.tril(diagonal)


def triu(input, diagonal=0):
    return input.triu(diagonal)


def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    return input.nan_to_num(nan, posinf, neginf)


def logit(input, eps=None):
    """torch.logit: log(p / (1 - p)), p clamped to [eps, 1 - eps] first when eps is given (LogitBackward0)."""
    return input.logit(eps)


def count_nonzero(input, dim=None):
    """torch.count_nonzero: the number of non-zero elements (over `dim`, an int or a tuple), as int64."""
    return (input != 0).sum(dim)


def roll(input, shifts, dims=None):
    return input.roll(shifts, dims)


def index_select(input, dim, index):
    return input.index_select(dim, index)


def outer(input, vec2):
    return input.outer(vec2)


ger = outer


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return input.isclose(other, rtol, atol, equal_nan)


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return input.allclose(other, rtol, atol, equal_nan)


def fmod(input, other):
    """torch.fmod: the remainder of division truncated toward zero, with the dividend's sign (C's fmod)."""
    return _arith(_ops.FMOD, input, other)


subtract, multiply, divide = sub, mul, div


def eq(input, other):
    return input.eq(other)


def ne(input, other):
    return input.ne(other)


def lt(input, other):
    return input.lt(other)


def le(input, other):
    return input.le(other)


def gt(input, other):
    return input.gt(other)


def ge(input, other):
    return input.ge(other)


def reshape(input, shape):
    return input.reshape(shape)


def flatten(input, start_dim=0, end_dim=-1):
    return input.flatten(start_dim, end_dim)


def unsqueeze(input, dim):
    return input.unsqueeze(dim)


def squeeze(input, dim=None):
    return input.squeeze(dim)


def clone(input, memory_format=None):
    return input.clone()


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """torch.pairwise_distance: the same function as F.pairwise_distance (one implementation, with its checks)."""
    from .nn.functional._embedding import pairwise_distance as _pairwise_distance
    return _pairwise_distance(x1, x2, p, eps, keepdim)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    return Tensor._wrap(_ops.call(_ops.Distances.cosineSimilarity, x1._v, x2._v, int(dim), float(eps)))


def cat(tensors, dim=0):
    """torch.cat: joins tensors along an existing dim (CatBackward0)."""
    return Tensor._wrap(_ops.call(_ops.Joins.cat, [t._v for t in tensors], int(dim)))


concat = cat


def stack(tensors, dim=0):
    """torch.stack: joins equal-shaped tensors along a new dim (StackBackward0)."""
    return Tensor._wrap(_ops.call(_ops.Joins.stack, [t._v for t in tensors], int(dim)))


_NO_DIM = object()

_MAX_SIGNATURES = (' * (Tensor input, *, Tensor out = None)\n'
                   ' * (Tensor input, Tensor other, *, Tensor out = None)\n'
                   ' * (Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = None)\n')


def _extreme(name, input, dim, keepdim):
    """torch.max / torch.min's three overloads: over all elements, over a dim (values, indices), or element-wise
    against another tensor (as maximum / minimum)."""
    if dim is _NO_DIM:
        return getattr(input, name)()
    if isinstance(dim, Tensor):
        return getattr(input, name + 'imum')(dim)
    if isinstance(dim, int) or (hasattr(type(dim), '__index__') and not isinstance(dim, float)):
        return getattr(input, name)(int(dim), keepdim)
    raise TypeError('%s() received an invalid combination of arguments - got (Tensor, %s), but expected one of:\n%s'
                    % (name, type(dim).__name__, _MAX_SIGNATURES))


def max(input, dim=_NO_DIM, keepdim=False, *, other=None):
    if other is not None:
        return input.maximum(other)
    return _extreme('max', input, dim, keepdim)


def min(input, dim=_NO_DIM, keepdim=False, *, other=None):
    if other is not None:
        return input.minimum(other)
    return _extreme('min', input, dim, keepdim)


def maximum(input, other):
    """torch.maximum(input, other) (MaximumBackward0): the larger of each broadcast pair; equal pairs split the
    gradient."""
    from ._tensor import _tensor_arg
    return input.maximum(_tensor_arg('maximum', 'other', other, 2))


def minimum(input, other):
    """torch.minimum(input, other) (MinimumBackward0)."""
    from ._tensor import _tensor_arg
    return input.minimum(_tensor_arg('minimum', 'other', other, 2))


arccos = acos


def clamp_min(input, min):
    return input.clamp(min=min)


def clamp_max(input, max):
    return input.clamp(max=max)


arctan = atan


def flip(input, dims):
    return input.flip(dims)


def var(input, dim=None, unbiased=True, keepdim=False, *, correction=None):
    return input.var(dim, unbiased, keepdim, correction=correction)


def std(input, dim=None, unbiased=True, keepdim=False, *, correction=None):
    return input.std(dim, unbiased, keepdim, correction=correction)


def any(input, dim=None, keepdim=False):
    return input.any(dim, keepdim)


def all(input, dim=None, keepdim=False):
    return input.all(dim, keepdim)


def prod(input, dim=None, keepdim=False, dtype=None):
    return input.prod(dim, keepdim, dtype=dtype)


def amax(input, dim=(), keepdim=False):
    return input.amax(dim, keepdim)


def amin(input, dim=(), keepdim=False):
    return input.amin(dim, keepdim)


def logsumexp(input, dim, keepdim=False):
    """torch.logsumexp: log(sum(exp(x))) over `dim`, computed around the maximum (LogsumexpBackward0)."""
    return input.logsumexp(dim, keepdim)


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False, out=None):
    """torch.eye(n, m=n): ones on the main diagonal (float32 unless `dtype`)."""
    from ._tensor import float32, _jdtype, _check_factory_grad
    from . import _bridge
    dt = dtype or float32
    _check_factory_grad(dt, requires_grad)
    jt = _ops.call(_ops.TensorMath.eye, int(n), int(n if m is None else m), _jdtype(dt))
    return Tensor._wrap(_ops.call(_bridge.Variable.leaf, jt, bool(requires_grad)))


def sort(input, dim=-1, descending=False, stable=False):
    return input.sort(dim, descending, stable)


def argsort(input, dim=-1, descending=False, stable=False):
    return input.argsort(dim, descending, stable)


def topk(input, k, dim=-1, largest=True, sorted=True):
    return input.topk(k, dim, largest, sorted)


def cumsum(input, dim, dtype=None):
    return input.cumsum(dim, dtype=dtype)


def diff(input, n=1, dim=-1, prepend=None, append=None):
    return input.diff(n, dim, prepend, append)


def diagonal(input, offset=0, dim1=0, dim2=1):
    return input.diagonal(offset, dim1, dim2)


def chunk(input, chunks, dim=0):
    return input.chunk(chunks, dim)


def split(tensor, split_size_or_sections, dim=0):
    return tensor.split(split_size_or_sections, dim)


def masked_select(input, mask):
    return input.masked_select(mask)


def nonzero(input, as_tuple=False):
    return input.nonzero(as_tuple=as_tuple)


def scatter(input, dim, index, src=None, value=None, reduce=None):
    return input.scatter(dim, index, src, value, reduce)


def scatter_add(input, dim, index, src):
    return input.scatter_add(dim, index, src)


def scatter_reduce(input, dim, index, src, reduce, *, include_self=True):
    """torch.scatter_reduce: input with each place index points at reduced with the src values sent there
    (ScatterReduceBackward0)."""
    return input.scatter_reduce(dim, index, src, reduce, include_self=include_self)


def bitwise_and(input, other):
    return input & other


def bitwise_or(input, other):
    return input | other


def bitwise_xor(input, other):
    return input ^ other


def bitwise_left_shift(input, other):
    return input << other


def bitwise_right_shift(input, other):
    return input >> other


def logical_and(input, other):
    return input.logical_and(other)


def logical_or(input, other):
    return input.logical_or(other)


def logical_xor(input, other):
    return input.logical_xor(other)


def pdist(input, p=2):
    """torch.pdist: the p-norm distance between every pair of rows i < j of an (N, M) input, a vector of
    N (N - 1) / 2 (PdistBackward0)."""
    return Tensor._wrap(_ops.call(_ops.Distances.pdist, input._v, float(p)))


def index_put(input, indices, values, accumulate=False):
    return input.index_put(indices, values, accumulate)


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """torch.addmm: beta * input + alpha * mat1 @ mat2 (AddmmBackward0)."""
    return input.addmm(mat1, mat2, beta=beta, alpha=alpha)


def cdist(x1, x2, p=2.0, compute_mode='use_mm_for_euclid_dist_if_necessary'):
    """torch.cdist: the p-norm distance between every row of x1 (.., P, M) and every row of x2 (.., R, M). For
    p = 2, compute_mode picks the matrix-product formula sqrt(|a|^2 - 2 a.b + |b|^2): past 25 rows
    ('use_mm_for_euclid_dist_if_necessary'), always ('use_mm_for_euclid_dist') or never
    ('donot_use_mm_for_euclid_dist')."""
    modes = {'use_mm_for_euclid_dist_if_necessary': 0, 'use_mm_for_euclid_dist': 1, 'donot_use_mm_for_euclid_dist': 2}
    if compute_mode not in modes:
        raise ValueError('%s is not a valid value for compute_mode' % (compute_mode,))
    return Tensor._wrap(_ops.call(_ops.Distances.cdist, x1._v, x2._v, float(p), modes[compute_mode]))


def einsum(equation, *operands):
    """torch.einsum(equation, *operands): sums of products over the letters an equation names (Einsum)."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    return Tensor._wrap(_ops.call(_ops.Einsum.einsum, str(equation), [t._v for t in operands]))


def gather(input, dim, index):
    return input.gather(dim, index)


def masked_fill(input, mask, value):
    return input.masked_fill(mask, value)


def where(condition, input, other):
    """torch.where(condition, input, other): Python numbers are taken as 0-d tensors of their inferred dtype."""
    from ._tensor import tensor
    if not isinstance(input, Tensor):
        input = tensor(input)
    if not isinstance(other, Tensor):
        other = tensor(other)
    return Tensor._wrap(_ops.call(_ops.Selection.where, condition._v, input._v, other._v))


def argmax(input, dim=None, keepdim=False):
    return input.argmax(dim, keepdim)


def argmin(input, dim=None, keepdim=False):
    return input.argmin(dim, keepdim)


def matmul(input, other):
    return input.matmul(other)


def mm(input, mat2):
    return input.mm(mat2)


def lerp(input, end, weight):
    """torch.lerp: input + weight (end - input), weight a number (LerpBackward0) or a tensor (LerpBackward1)."""
    return input.lerp(end, weight)


def bmm(input, mat2):
    return input.bmm(mat2)


def mv(input, vec):
    return input.mv(vec)


def dot(input, other):
    return input.dot(other)


def transpose(input, dim0, dim1):
    return input.transpose(dim0, dim1)


def permute(input, dims):
    return input.permute(*dims)
