"""Binary losses as torch.nn.functional functions; the engine (dev.loss4j.loss.Binary) checks, computes, warns."""
import java

from ... import _bridge
from ..._tensor import Tensor, full_like as _full_like
from . import _args as _a
from ._common import finish as _finish, flag as _flag, var as _var

_Foreign, _translate, _Misuse, _retry = _bridge.Foreign, _bridge.translate, _bridge.Misuse, _a.retry

__all__ = ['binary_cross_entropy', 'binary_cross_entropy_with_logits', 'soft_margin_loss',
           'multilabel_soft_margin_loss']

_Binary = java.type('dev.loss4j.loss.Binary')
_LEGACY = (('size_average', _a.flag, None), ('reduce', _a.flag, None), ('reduction', _a.reduction, None))
_BCE = ('binary_cross_entropy', (('input', _a.sized, 1), ('target', _a.sized, 2),
                                 ('weight', _a.optional_sized, 3)) + _LEGACY)
_BCE_LOGITS = ('binary_cross_entropy_with_logits', (('input', _a.sized, 1), ('target', _a.sized, 2),
                                                     ('weight', _a.optional_tensor, 3)) + _LEGACY
               + (('pos_weight', _a.optional_tensor, 4),))
_SOFT_MARGIN = ('soft_margin_loss', (('input', _a.tensor, 1), ('target', _a.tensor, 2)) + _LEGACY)


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
    except _Misuse as e:
        return _retry(binary_cross_entropy, _BCE, (input, target, weight, size_average, reduce, reduction), e)


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
    except _Misuse as e:
        return _retry(binary_cross_entropy_with_logits, _BCE_LOGITS,
                      (input, target, weight, size_average, reduce, reduction, pos_weight), e)


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    r"""soft_margin_loss(input, target, size_average=None, reduce=None, reduction='mean') -> Tensor

    See :class:`~torch.nn.SoftMarginLoss` for details.
    """
    try:
        return _finish(_Binary.softMarginLoss(input._v, target._v, _flag(size_average), _flag(reduce),
                                              reduction))
    except _Foreign as e:
        raise _translate(e) from None
    except _Misuse as e:
        return _retry(soft_margin_loss, _SOFT_MARGIN, (input, target, size_average, reduce, reduction), e)


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    r"""multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None, reduction='mean') -> Tensor

    See :class:`~torch.nn.MultiLabelSoftMarginLoss` for details.
    """
    try:
        return _finish(_Binary.multilabelSoftMarginLoss(input._v, target._v, _var(weight),
                                                        _flag(size_average), _flag(reduce), reduction))
    except _Foreign as e:
        raise _translate(e) from None
    except _Misuse as e:
        return _multilabel_soft_margin_misuse(input, target, weight, size_average, reduce, reduction, e)


def _multilabel_soft_margin_misuse(input, target, weight, size_average, reduce, reduction, error):
    """multilabel_soft_margin_loss's slow path. PyTorch computes this loss in Python: input goes to
    log_sigmoid first, target and weight are multiplied in (a Python number works; a sequence or string is
    taken as an index and refused), the reduction is refused by concatenation."""
    _a.tensor(input, 'log_sigmoid', 'input', 1)
    changed = False
    if isinstance(target, (int, float)):
        target, changed = _full_like(input, float(target)), True
    elif not isinstance(target, Tensor):
        if isinstance(target, (list, tuple, str)):
            raise TypeError('only integer tensors of a single element can be converted to an index')
        raise TypeError("unsupported operand type(s) for *: '%s' and 'Tensor'" % _a.type_name(target))
    if isinstance(weight, (int, float)):
        weight, changed = _full_like(input, float(weight)), True
    elif weight is not None and not isinstance(weight, Tensor):
        if isinstance(weight, (list, tuple, str)):
            raise TypeError('only integer tensors of a single element can be converted to an index')
        raise TypeError("unsupported operand type(s) for *: 'Tensor' and '%s'" % _a.type_name(weight))
    if size_average is not None or reduce is not None:
        flags = _a.flag(size_average, 0, 0, 0), _a.flag(reduce, 0, 0, 0)
        changed = changed or flags[0] is not size_average or flags[1] is not reduce
        size_average, reduce = flags
    else:
        _a.concat_reduction(reduction)
    if not changed:
        raise error
    return multilabel_soft_margin_loss(input, target, weight, size_average, reduce, reduction)
