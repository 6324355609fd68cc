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
    r"""Function that measures the Binary Cross Entropy between the target and input probabilities.

    See :class:`~torch.nn.BCELoss` for details. ``input`` holds probabilities in [0, 1]; ``target`` has
    the same shape; ``weight`` (optional) is broadcast to the target's shape.
    """
    try:
        return _finish(_Binary.binaryCrossEntropy(input._v, target._v, _var(weight),
                                                  _flag(size_average), _flag(reduce), reduction))
    except _Foreign as e:
        raise _translate(e) from None


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None, reduction="mean",
                                     pos_weight=None):
    r"""Function that measures Binary Cross Entropy between target and input logits.

    See :class:`~torch.nn.BCEWithLogitsLoss` for details. ``pos_weight`` (optional) weighs positive
    examples; a vector of length C applies per class (the last dimension).
    """
    try:
        return _finish(_Binary.binaryCrossEntropyWithLogits(input._v, target._v, _var(weight), _flag(size_average),
                                                            _flag(reduce), reduction, _var(pos_weight)))
    except _Foreign as e:
        raise _translate(e) from None


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    r"""soft_margin_loss(input, target, size_average=None, reduce=None, reduction='mean') -> Tensor

    See :class:`~torch.nn.SoftMarginLoss` for details.
    """
    try:
        return _finish(_Binary.softMarginLoss(input._v, target._v, _flag(size_average), _flag(reduce),
                                              reduction))
    except _Foreign as e:
        raise _translate(e) from None


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    r"""multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None, reduction='mean') -> Tensor

    See :class:`~torch.nn.MultiLabelSoftMarginLoss` for details.
    """
    try:
        return _finish(_Binary.multilabelSoftMarginLoss(input._v, target._v, _var(weight),
                                                        _flag(size_average), _flag(reduce), reduction))
    except _Foreign as e:
        raise _translate(e) from None
