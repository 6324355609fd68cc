"""Activations and distances of torch.nn.functional that losses are built from: log_softmax, softmax, sigmoid,
pairwise_distance, cosine_similarity. The engine (dev.loss4j.ops) computes, warns and records the graph."""
import warnings

from ... import _bridge
from ..._ops import Softmax as _Softmax
from ..._tensor import Tensor, _op
from ..._functions import cosine_similarity  # noqa: F401

_Foreign, _translate = _bridge.Foreign, _bridge.translate

# F.pairwise_distance lives with the embedding losses that use it (_embedding.py).
__all__ = ['log_softmax', 'softmax', 'sigmoid', 'tanh', 'relu', 'cosine_similarity']


def _softmax_outcome(fn, input, dim, _stacklevel, dtype):
    try:
        out = fn(input._v, None if dim is None else int(dim), None if dtype is None else dtype._name)
    except _Foreign as e:
        raise _translate(e) from None
    return Tensor._wrap(_bridge.unwrap(out))


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    r"""Softmax along `dim`: each slice becomes :math:`e^{x_i} / \sum_j e^{x_j}`, positive and summing to 1;
    `dtype` casts the input first. Counterpart: torch.nn.functional.softmax (module: torch.nn.Softmax)."""
    return _softmax_outcome(_Softmax.softmax, input, dim, _stacklevel, dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    r"""Applies a softmax followed by a logarithm, computed together for stability. See torch.nn.LogSoftmax."""
    return _softmax_outcome(_Softmax.logSoftmax, input, dim, _stacklevel, dtype)


def sigmoid(input):
    r"""sigmoid(input) -> Tensor: :math:`1 / (1 + \exp(-x))` element-wise (deprecated: use torch.sigmoid)."""
    warnings.warn("nn.functional.sigmoid is deprecated. Use torch.sigmoid instead.")
    return input.sigmoid()


def tanh(input):
    r"""tanh(input) -> Tensor element-wise (deprecated: use torch.tanh)."""
    warnings.warn("nn.functional.tanh is deprecated. Use torch.tanh instead.")
    return input.tanh()


def relu(input, inplace=False):
    r"""relu(input, inplace=False) -> Tensor: :math:`\max(0, x)` element-wise."""
    if inplace:
        raise NotImplementedError('in-place relu is not supported by loss4j (tensors are immutable)')
    return input.relu()
