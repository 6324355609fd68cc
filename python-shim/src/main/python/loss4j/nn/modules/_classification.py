"""Classification loss modules: NLLLoss, CrossEntropyLoss, MultiMarginLoss, MultiLabelMarginLoss.

Each holds its options and calls torch.nn.functional; the math is dev.loss4j.loss.Classification's.
"""
from ._loss import _Loss, _WeightedLoss
from .. import functional as F

__all__ = ['NLLLoss', 'CrossEntropyLoss', 'MultiMarginLoss', 'MultiLabelMarginLoss']


class NLLLoss(_WeightedLoss):
    r"""The negative log likelihood loss: :math:`\ell_n = -w_{y_n} x_{n,y_n}`, 0 where
    :math:`y_n` = ``ignore_index``; 'mean' divides the sum by :math:`\sum_n w_{y_n}` over non-ignored targets.

    Shape: input :math:`(N, C)` or :math:`(C)` or :math:`(N, C, d_1, ..., d_K)` of log-probabilities; target
    :math:`(N)` or :math:`()` or :math:`(N, d_1, ..., d_K)` of int64 classes in :math:`[0, C)`; output
    scalar, or the target's shape for reduction='none'.
    Counterpart of torch.nn.NLLLoss; computed by dev.loss4j.loss.Classification.NLLLoss.
    """
    __constants__ = ['ignore_index', 'reduction']

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean'):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return F.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)


class CrossEntropyLoss(_WeightedLoss):
    r"""Cross entropy between logits and class indices (log-softmax then NLLLoss) or class probabilities
    (:math:`\ell_n = -\sum_c w_c y_{n,c} \log \mathrm{softmax}(x_n)_c`), with optional label smoothing.

    Shape: input :math:`(C)`, :math:`(N, C)` or :math:`(N, C, d_1, ..., d_K)`; target of class indices
    :math:`()`, :math:`(N)` or :math:`(N, d_1, ..., d_K)`, or of probabilities with the input's shape.
    Counterpart of torch.nn.CrossEntropyLoss; computed by dev.loss4j.loss.Classification.CrossEntropyLoss.
    """
    __constants__ = ['ignore_index', 'reduction', 'label_smoothing']

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean',
                 label_smoothing=0.0):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        return F.cross_entropy(input, target, weight=self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)


class MultiMarginLoss(_WeightedLoss):
    r"""Multi-class hinge loss: :math:`\ell = \sum_{i \neq y} w_y \max(0, \mathrm{margin} - x_y + x_i)^p / C`,
    p in {1, 2}.

    Shape: input :math:`(N, C)` or :math:`(C)`; target :math:`(N)` or :math:`()` of int64 classes;
    output scalar, or :math:`(N)` for reduction='none'.
    Counterpart of torch.nn.MultiMarginLoss; computed by dev.loss4j.loss.Classification.MultiMarginLoss.
    """
    __constants__ = ['p', 'margin', 'reduction']

    def __init__(self, p=1, margin=1., weight=None, size_average=None, reduce=None, reduction='mean'):
        super().__init__(weight, size_average, reduce, reduction)
        if p != 1 and p != 2:
            raise ValueError("only p == 1 and p == 2 supported")
        if weight is not None and weight.dim() != 1:
            raise ValueError('MultiMarginLoss: expected weight to be None or 1D tensor, got %dD instead' % weight.dim())
        self.p = p
        self.margin = margin

    def forward(self, input, target):
        return F.multi_margin_loss(input, target, p=self.p, margin=self.margin, weight=self.weight,
                                   reduction=self.reduction)


class MultiLabelMarginLoss(_Loss):
    r"""Multi-label hinge loss: with :math:`J` the target classes (up to the first -1),
    :math:`\ell = \sum_{j \in J} \sum_{i \notin J} \max(0, 1 - x_j + x_i) / C`.

    Shape: input :math:`(C)` or :math:`(N, C)`; target of the same shape, int64 in :math:`[-1, C)`;
    output scalar, or :math:`(N)` for reduction='none'.
    Counterpart of torch.nn.MultiLabelMarginLoss; computed by dev.loss4j.loss.Classification.MultiLabelMarginLoss.
    """
    __constants__ = ['reduction']

    def __init__(self, size_average=None, reduce=None, reduction='mean'):
        super().__init__(size_average, reduce, reduction)

    def forward(self, input, target):
        return F.multilabel_margin_loss(input, target, reduction=self.reduction)
