"""Binary loss modules: BCELoss, BCEWithLogitsLoss, SoftMarginLoss, MultiLabelSoftMarginLoss."""
from ._loss import _Loss, _WeightedLoss
from .. import functional as F
from ..functional._args import buffer

__all__ = ['BCELoss', 'BCEWithLogitsLoss', 'SoftMarginLoss', 'MultiLabelSoftMarginLoss']


class BCELoss(_WeightedLoss):
    r"""Binary cross entropy of predicted probabilities against targets in [0, 1]:
    :math:`\ell_n = -w_n [y_n \log x_n + (1 - y_n) \log(1 - x_n)]`, logs clamped at -100, then reduced.

    Shape: input (*) in [0, 1], target (*) of the same shape; output scalar, or (*) for reduction='none'.
    Counterpart of torch.nn.BCELoss; computed by dev.loss4j.loss.Binary.BCELoss.
    """

    def __init__(self, weight=None, size_average=None, reduce=None, reduction='mean'):
        super().__init__(weight, size_average, reduce, reduction)

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    r"""Sigmoid and binary cross entropy in one numerically stable step:
    :math:`\ell_n = -w_n [p\, y_n \log \sigma(x_n) + (1 - y_n) \log(1 - \sigma(x_n))]`, then reduced.

    Shape: input (*) logits, target (*) of the same shape; pos_weight broadcast over the last (class)
    dimension. Counterpart of torch.nn.BCEWithLogitsLoss; computed by dev.loss4j.loss.Binary.BCEWithLogitsLoss.
    """

    def __init__(self, weight=None, size_average=None, reduce=None, reduction='mean', pos_weight=None):
        super().__init__(size_average, reduce, reduction)
        buffer(self, 'weight', weight)
        buffer(self, 'pos_weight', pos_weight)

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, self.weight, pos_weight=self.pos_weight,
                                                  reduction=self.reduction)


class SoftMarginLoss(_Loss):
    r"""Two-class logistic loss :math:`\ell_n = \log(1 + \exp(-y_n x_n))` for targets of 1 or -1, then reduced.

    Shape: input (*), target (*) broadcastable to it; output scalar, or (*) for reduction='none'.
    Counterpart of torch.nn.SoftMarginLoss; computed by dev.loss4j.loss.Binary.SoftMarginLoss.
    """

    def __init__(self, size_average=None, reduce=None, reduction='mean'):
        super().__init__(size_average, reduce, reduction)

    def forward(self, input, target):
        return F.soft_margin_loss(input, target, reduction=self.reduction)


class MultiLabelSoftMarginLoss(_WeightedLoss):
    r"""Multi-label one-versus-all loss: :math:`\ell_n = -\frac{1}{C}\sum_c w_c [y_{nc} \log \sigma(x_{nc})
    + (1 - y_{nc}) \log \sigma(-x_{nc})]`, then reduced over the samples.

    Shape: input (N, C) or (C), target of the same shape; output (N) for reduction='none', else a scalar.
    Counterpart of torch.nn.MultiLabelSoftMarginLoss; computed by dev.loss4j.loss.Binary.MultiLabelSoftMarginLoss.
    """

    def __init__(self, weight=None, size_average=None, reduce=None, reduction='mean'):
        super().__init__(weight, size_average, reduce, reduction)

    def forward(self, input, target):
        return F.multilabel_soft_margin_loss(input, target, weight=self.weight, reduction=self.reduction)
