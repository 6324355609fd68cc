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
    except _Misuse as e:
        return _retry(binary_cross_entropy, _BCE, (input, target, weight, size_average, reduce, reduction), e)


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
    except _Misuse as e:
        return _retry(binary_cross_entropy_with_logits, _BCE_LOGITS,
                      (input, target, weight, size_average, reduce, reduction, pos_weight), e)


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
    except _Misuse as e:
        return _retry(soft_margin_loss, _SOFT_MARGIN, (input, target, size_average, reduce, reduction), e)


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
