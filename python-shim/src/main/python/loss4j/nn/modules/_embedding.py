"""Embedding loss modules: MarginRankingLoss, HingeEmbeddingLoss, CosineEmbeddingLoss, TripletMarginLoss,
TripletMarginWithDistanceLoss, and PairwiseDistance (the default distance). Each holds its options and calls
torch.nn.functional; the engine is dev.loss4j.loss.Embedding."""
from ._loss import _Loss
from .module import Module
from .. import functional as F

__all__ = ['MarginRankingLoss', 'HingeEmbeddingLoss', 'CosineEmbeddingLoss', 'TripletMarginLoss',
           'TripletMarginWithDistanceLoss', 'PairwiseDistance']


class MarginRankingLoss(_Loss):
    r"""Ranking hinge: :math:`\ell_n = \max(0, -y_n (x1_n - x2_n) + \text{margin})`, then reduced.

    Shape: input1, input2, target of the same rank, (N) or (); output (N) or () for reduction='none', else scalar.
    Gradients reach both inputs and the target. Counterpart of torch.nn.MarginRankingLoss.
    """

    def __init__(self, margin=0., size_average=None, reduce=None, reduction='mean'):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        return F.margin_ranking_loss(input1, input2, target, margin=self.margin, reduction=self.reduction)


class HingeEmbeddingLoss(_Loss):
    r"""Hinge embedding: :math:`\ell_n = x_n` where :math:`y_n = 1`, :math:`\max(0, \text{margin} - x_n)` where
    :math:`y_n = -1`, then reduced.

    Shape: input (*), target broadcastable to it; output (*) for reduction='none', else scalar.
    Counterpart of torch.nn.HingeEmbeddingLoss.
    """

    def __init__(self, margin=1.0, size_average=None, reduce=None, reduction='mean'):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input, target):
        return F.hinge_embedding_loss(input, target, margin=self.margin, reduction=self.reduction)


class CosineEmbeddingLoss(_Loss):
    r"""Cosine embedding: :math:`1 - \cos(x1, x2)` where :math:`y = 1`, :math:`\max(0, \cos(x1, x2) - \text{margin})`
    where :math:`y = -1`, then reduced.

    Shape: input1, input2 (N, D) with target (N), or (D) with a 0-d target; output (N) or () for 'none'.
    Counterpart of torch.nn.CosineEmbeddingLoss.
    """

    def __init__(self, margin=0., size_average=None, reduce=None, reduction='mean'):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        return F.cosine_embedding_loss(input1, input2, target, margin=self.margin, reduction=self.reduction)


class TripletMarginLoss(_Loss):
    r"""Triplet loss: :math:`\max(d(a, p) - d(a, n) + \text{margin}, 0)`, :math:`d(x, y) = \|x - y + \epsilon\|_p`;
    `swap` uses :math:`\min(d(a, n), d(p, n))` for the negative distance.

    Shape: anchor, positive, negative (N, D) or (D); output (N) or () for 'none'. Counterpart of
    torch.nn.TripletMarginLoss.
    """

    def __init__(self, margin=1.0, p=2., eps=1e-6, swap=False, size_average=None, reduce=None, reduction='mean'):
        super().__init__(size_average, reduce, reduction)
        _check_margin('TripletMarginLoss', margin)
        self.margin = margin
        self.p = p
        self.eps = eps
        self.swap = swap

    def forward(self, anchor, positive, negative):
        return F.triplet_margin_loss(anchor, positive, negative, margin=self.margin, p=self.p, eps=self.eps,
                                     swap=self.swap, reduction=self.reduction)


class PairwiseDistance(Module):
    r"""Distance :math:`\|x_1 - x_2 + \epsilon\|_p` over the last dimension. Counterpart of torch.nn.PairwiseDistance."""

    def __init__(self, p=2., eps=1e-6, keepdim=False):
        super().__init__()
        self.norm = p
        self.eps = eps
        self.keepdim = keepdim

    def forward(self, x1, x2):
        return F.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)


class TripletMarginWithDistanceLoss(_Loss):
    r"""Triplet loss with any distance: :math:`\max(d(a, p) - d(a, n) + \text{margin}, 0)`, `distance_function`
    defaulting to PairwiseDistance(); `swap` uses :math:`\min(d(a, n), d(p, n))`.

    Counterpart of torch.nn.TripletMarginWithDistanceLoss.
    """

    def __init__(self, *, distance_function=None, margin=1.0, swap=False, reduction='mean'):
        super().__init__(size_average=None, reduce=None, reduction=reduction)
        _check_margin('TripletMarginWithDistanceLoss', margin)
        self.distance_function = distance_function if distance_function is not None else PairwiseDistance()
        self.margin = margin
        self.swap = swap

    def forward(self, anchor, positive, negative):
        return F.triplet_margin_with_distance_loss(anchor, positive, negative,
                                                   distance_function=self.distance_function,
                                                   margin=self.margin, swap=self.swap, reduction=self.reduction)


def _check_margin(name, margin):
    """PyTorch 2.x's triplet modules refuse a margin that is not positive when they are made."""
    if margin <= 0:
        raise ValueError('%s: expected margin to be greater than 0, got %s instead' % (name, margin))
