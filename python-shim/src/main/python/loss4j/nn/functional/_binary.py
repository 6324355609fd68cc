"""Binary losses as torch.nn.functional functions; the engine (dev.loss4j.loss.Binary) checks, computes, warns."""
import java

from ... import _bridge
from ..._tensor import Tensor
from ._common import finish as _finish, flag as _flag, var as _var

_Foreign, _translate = _bridge.Foreign, _bridge.translate

__all__ = ['binary_cross_entropy', 'binary_cross_entropy_with_logits', 'soft_margin_loss',
           'multilabel_soft_margin_loss']

_Binary = java.type('dev.loss4j.loss.Binary')


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    r"""Binary cross entropy of probabilities: :math:`\ell_n = -w_n [y_n \log x_n + (1 - y_n) \log(1 - x_n)]`,
    each log clamped at -100 so that x = 0 or 1 stays finite.

    Args: ``input`` probabilities in [0, 1], any shape; ``target`` the same shape, values in [0, 1];
    ``weight`` optional, broadcast to the target's shape; ``reduction`` 'none' | 'mean' (default) | 'sum'
    (``size_average``/``reduce``: the deprecated spelling of it). Returns a scalar, or the input's shape
    for 'none'. Counterpart: torch.nn.functional.binary_cross_entropy (module: torch.nn.BCELoss).
    """
    try:
        return _finish(_Binary.binaryCrossEntropy(input._v, target._v, _var(weight),
                                                  _flag(size_average), _flag(reduce), reduction))
    except _Foreign as e:
        raise _translate(e) from None


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None, reduction="mean",
                                     pos_weight=None):
    r"""Binary cross entropy on logits, sigmoid folded in for stability:
    :math:`\ell_n = -w_n [p\, y_n \log \sigma(x_n) + (1 - y_n) \log(1 - \sigma(x_n))]`.

    Args: ``input`` logits, any shape; ``target`` the same shape, values in [0, 1]; ``weight`` optional,
    broadcast to the target's shape; ``pos_weight`` (p above) optional, broadcast along the last dimension, so a
    length-C vector weighs each class's positives; ``reduction`` 'none' | 'mean' (default) | 'sum'.
    Counterpart: torch.nn.functional.binary_cross_entropy_with_logits (module: torch.nn.BCEWithLogitsLoss).
    """
    try:
        return _finish(_Binary.binaryCrossEntropyWithLogits(input._v, target._v, _var(weight), _flag(size_average),
                                                            _flag(reduce), reduction, _var(pos_weight)))
    except _Foreign as e:
        raise _translate(e) from None


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    r"""Two-class logistic loss, :math:`\ell_i = \log(1 + e^{-y_i x_i})` with targets :math:`y_i \in \{-1, 1\}`.

    ``input`` and ``target`` share a shape; ``reduction`` 'none' | 'mean' (default) | 'sum'.
    Counterpart: torch.nn.functional.soft_margin_loss (module: torch.nn.SoftMarginLoss).
    """
    try:
        return _finish(_Binary.softMarginLoss(input._v, target._v, _flag(size_average), _flag(reduce),
                                              reduction))
    except _Foreign as e:
        raise _translate(e) from None


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    r"""One-vs-all logistic loss over C labels, averaged over the labels:
    :math:`\ell_n = -\frac{1}{C} \sum_c w_c [y_{n,c} \log \sigma(x_{n,c}) + (1 - y_{n,c}) \log \sigma(-x_{n,c})]`.

    ``input`` :math:`(N, C)` or :math:`(C)`; ``target`` the same shape, 0/1 labels; ``weight`` optional, :math:`(C)`;
    ``reduction`` 'none' (gives :math:`(N)`) | 'mean' (default) | 'sum'.
    Counterpart: torch.nn.functional.multilabel_soft_margin_loss (module: torch.nn.MultiLabelSoftMarginLoss).
    """
    try:
        return _finish(_Binary.multilabelSoftMarginLoss(input._v, target._v, _var(weight),
                                                        _flag(size_average), _flag(reduce), reduction))
    except _Foreign as e:
        raise _translate(e) from None
