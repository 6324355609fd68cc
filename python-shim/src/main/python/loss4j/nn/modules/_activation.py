"""The torch.nn modules around the activation and distance functions: LogSoftmax, Softmax, Sigmoid, Tanh,
ReLU, CosineSimilarity."""
from .module import Module
from .. import functional as F
from ... import _functions

# nn.PairwiseDistance lives with the embedding losses that use it (modules/_embedding.py).
__all__ = ['LogSoftmax', 'Softmax', 'Sigmoid', 'Tanh', 'ReLU', 'LeakyReLU', 'ELU', 'SiLU', 'GELU', 'CosineSimilarity']


class Softmax(Module):
    """Softmax(dim=None): rescales elements along `dim` to lie in [0, 1] and sum to 1."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self):
        return 'dim={dim}'.format(dim=self.dim)


class LogSoftmax(Module):
    """LogSoftmax(dim=None): log(softmax(x)) along `dim`."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.log_softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self):
        return 'dim={dim}'.format(dim=self.dim)


class Sigmoid(Module):
    """Sigmoid(): 1 / (1 + exp(-x)) element-wise."""

    def forward(self, input):
        return _functions.sigmoid(input)


class Tanh(Module):
    """Tanh(): tanh(x) element-wise."""

    def forward(self, input):
        return _functions.tanh(input)


class ReLU(Module):
    """ReLU(inplace=False): max(0, x) element-wise."""

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return F.relu(input, inplace=self.inplace)

    def extra_repr(self):
        return 'inplace=True' if self.inplace else ''


class LeakyReLU(Module):
    """LeakyReLU(negative_slope=0.01, inplace=False): x where x > 0, else negative_slope * x."""

    def __init__(self, negative_slope=0.01, inplace=False):
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input):
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self):
        return 'negative_slope={}{}'.format(self.negative_slope, ', inplace=True' if self.inplace else '')


class ELU(Module):
    """ELU(alpha=1.0, inplace=False): x where x > 0, else alpha * (exp(x) - 1)."""

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def forward(self, input):
        return F.elu(input, self.alpha, self.inplace)

    def extra_repr(self):
        return 'alpha={}{}'.format(self.alpha, ', inplace=True' if self.inplace else '')


class SiLU(Module):
    """SiLU(inplace=False): x * sigmoid(x)."""

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return F.silu(input, inplace=self.inplace)

    def extra_repr(self):
        return 'inplace=True' if self.inplace else ''


class GELU(Module):
    """GELU(approximate='none'): x * Phi(x), Phi the standard normal distribution function (or its tanh form)."""

    def __init__(self, approximate='none'):
        super().__init__()
        self.approximate = approximate

    def forward(self, input):
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self):
        return 'approximate={}'.format(repr(self.approximate))


class CosineSimilarity(Module):
    """CosineSimilarity(dim=1, eps=1e-8): x1 . x2 / max(||x1|| ||x2||, eps) along `dim`."""

    def __init__(self, dim=1, eps=1e-8):
        super().__init__()
        self.dim = dim
        self.eps = eps

    def forward(self, x1, x2):
        return F.cosine_similarity(x1, x2, self.dim, self.eps)
