"""Functions of torch.nn.functional that hand-written losses are built from: normalize, one_hot, softplus,
linear. Each is one engine op (dev.loss4j.ops) with PyTorch's signature and grad_fn."""
from ... import _ops
from ..._tensor import Tensor, _op

__all__ = ['normalize', 'one_hot', 'softplus', 'logsigmoid', 'linear', 'leaky_relu', 'elu', 'silu', 'gelu']


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    r"""normalize(input, p=2.0, dim=1, eps=1e-12): :math:`x / \max(\lVert x \rVert_p, \epsilon)` along `dim`
    (DivBackward0), as torch.nn.functional.normalize."""
    if out is not None:
        raise NotImplementedError('F.normalize(out=...) is not supported by loss4j')
    return _op(_ops.Distances.normalize, input._v, float(p), int(dim), float(eps))


def one_hot(tensor, num_classes=-1):
    r"""one_hot(tensor, num_classes=-1): int64 tensor of shape `tensor.shape + (C,)` with a 1 at each class index;
    C = max + 1 when `num_classes` is -1. As torch.nn.functional.one_hot."""
    return _op(_ops.Scatter.oneHot, tensor._v, int(num_classes))


def softplus(input, beta=1.0, threshold=20.0):
    r"""softplus(input, beta=1, threshold=20): :math:`\log(1 + e^{\beta x}) / \beta`, and x where
    :math:`\beta x > threshold` (SoftplusBackward0). As torch.nn.functional.softplus."""
    return _op(_ops.Pointwise.softplus, input._v, float(beta), float(threshold))


def logsigmoid(input):
    r"""logsigmoid(input): :math:`\log(1 / (1 + e^{-x}))`, computed as :math:`\min(x, 0) - \log(1 + e^{-|x|})`
    (LogSigmoidBackward0). As torch.nn.functional.logsigmoid."""
    return _op(_ops.Pointwise.logSigmoid, input._v)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    r"""leaky_relu(input, negative_slope=0.01): x where x > 0, else negative_slope * x (LeakyReluBackward0). As
    torch.nn.functional.leaky_relu."""
    if inplace:
        raise NotImplementedError('in-place leaky_relu is not supported by loss4j (tensors are immutable)')
    return _op(_ops.Pointwise.leakyRelu, input._v, float(negative_slope))


def elu(input, alpha=1.0, inplace=False):
    r"""elu(input, alpha=1.0): x where x > 0, else :math:`\alpha (e^x - 1)` (EluBackward0). As
    torch.nn.functional.elu."""
    if inplace:
        raise NotImplementedError('in-place elu is not supported by loss4j (tensors are immutable)')
    return _op(_ops.Pointwise.elu, input._v, float(alpha))


def silu(input, inplace=False):
    r"""silu(input): :math:`x \sigma(x)`, the swish (SiluBackward0). As torch.nn.functional.silu."""
    if inplace:
        raise NotImplementedError('in-place silu is not supported by loss4j (tensors are immutable)')
    return _op(_ops.Pointwise.silu, input._v)


def gelu(input, approximate='none'):
    r"""gelu(input, approximate='none'): :math:`x \Phi(x)`, :math:`\Phi` the standard normal distribution function;
    approximate='tanh' takes its tanh approximation (GeluBackward0). As torch.nn.functional.gelu."""
    if not isinstance(approximate, str):
        raise TypeError("gelu(): argument 'approximate' must be str, not %s" % type(approximate).__name__)
    return _op(_ops.Special.gelu, input._v, approximate)


def linear(input, weight, bias=None):
    r"""linear(input, weight, bias=None): :math:`x W^T + b` over the last dim of `input` (..., in_features), weight
    (out_features, in_features), bias (out_features). As torch.nn.functional.linear."""
    if not isinstance(input, Tensor) or not isinstance(weight, Tensor):
        bad, name, pos = (input, 'input', 1) if not isinstance(input, Tensor) else (weight, 'weight', 2)
        raise TypeError("linear(): argument '%s' (position %d) must be Tensor, not %s" % (name, pos, type(bad).__name__))
    return _op(_ops.Linalg.linear, input._v, weight._v, None if bias is None else bias._v)
