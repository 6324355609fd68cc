"""torch.* functions over tensors (torch.exp, torch.softmax, torch.sum, ...): each calls the Tensor method,
which is one engine op on the whole tensor."""
from ._tensor import Tensor, _binary, _ops

__all__ = [
    'abs', 'add', 'clamp', 'clip', 'clone', 'cosine_similarity', 'div', 'divide', 'eq', 'exp', 'flatten', 'ge',
    'gt', 'le', 'log', 'log_softmax', 'lt', 'mean', 'mul', 'multiply', 'ne', 'neg', 'negative', 'norm', 'numel',
    'pairwise_distance', 'pow', 'reshape', 'sigmoid', 'softmax', 'sqrt', 'squeeze', 'sub', 'subtract', 'sum',
    'true_divide', 'unsqueeze', 'is_floating_point', 'cat', 'concat', 'stack',
    'relu', 'tanh', 'log1p', 'max', 'min', 'where', 'gather', 'masked_fill',
    'argmax', 'argmin', 'matmul', 'mm', 'mv', 'dot', 't', 'transpose', 'permute',
]

_abs = abs
_sum = sum


def exp(input):
    return input.exp()


def log(input):
    return input.log()


def sqrt(input):
    return input.sqrt()


def abs(input):
    return input.abs()


def sigmoid(input):
    return input.sigmoid()


def neg(input):
    return input.neg()


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


def div(input, other):
    return _arith(_ops.DIV, input, other)


subtract, multiply, divide, true_divide = sub, mul, div, div


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


def numel(input):
    return input.numel()


def is_floating_point(input):
    return input.is_floating_point()


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


def relu(input):
    return input.relu()


def tanh(input):
    return input.tanh()


def log1p(input):
    return input.log1p()


def max(input, dim=None, keepdim=False):
    return input.max(dim, keepdim)


def min(input, dim=None, keepdim=False):
    return input.min(dim, keepdim)


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


def mv(input, vec):
    return input.mv(vec)


def dot(input, other):
    return input.dot(other)


def t(input):
    return input.t()


def transpose(input, dim0, dim1):
    return input.transpose(dim0, dim1)


def permute(input, dims):
    return input.permute(*dims)
