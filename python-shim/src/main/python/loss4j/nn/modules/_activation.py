"""The torch.nn modules around the activation and distance functions: LogSoftmax, Softmax, Sigmoid,
PairwiseDistance, CosineSimilarity."""
from .module import Module
from .. import functional as F
from ... import _functions

__all__ = ['LogSoftmax', 'Softmax', 'Sigmoid', 'Tanh', 'ReLU', 'PairwiseDistance', 'CosineSimilarity']


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


class PairwiseDistance(Module):
    """PairwiseDistance(p=2.0, eps=1e-6, keepdim=False): ||x1 - x2 + eps||_p over the last dim."""

    def __init__(self, p=2., eps=1e-6, keepdim=False):
        super().__init__()
        self.norm = p
        self.eps = eps
        self.keepdim = keepdim

    def forward(self, x1, x2):
        return F.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)


class CosineSimilarity(Module):
    """CosineSimilarity(dim=1, eps=1e-8): x1 . x2 / max(||x1|| ||x2||, eps) along `dim`."""

    def __init__(self, dim=1, eps=1e-8):
        super().__init__()
        self.dim = dim
        self.eps = eps

    def forward(self, x1, x2):
        return F.cosine_similarity(x1, x2, self.dim, self.eps)
