"""Regression losses as torch.nn.functional functions; the engine checks, computes and warns."""
from ... import _bridge
from . import _args as _a
from ._common import finish as _finish

_Foreign, _translate, _Misuse, _retry = _bridge.Foreign, _bridge.translate, _bridge.Misuse, _a.retry

__all__ = ['l1_loss', 'mse_loss', 'smooth_l1_loss', 'huber_loss']

_F = _bridge.Functional
# Argument specs for the slow path (_args.retry): PyTorch's first use of each argument decides its error.
_COMMON = (('input', _a.sized, 1), ('target', _a.sized, 2), ('size_average', _a.flag, None),
           ('reduce', _a.flag, None), ('reduction', _a.reduction, None))
_L1 = ('l1_loss', _COMMON + (('weight', _a.optional_sized, None),))
_MSE = ('mse_loss', _L1[1])
_SMOOTH_L1 = ('smooth_l1_loss', _COMMON + (('beta', _a.real, 4),))
_HUBER = ('huber_loss', (('input', _a.sized, 1), ('target', _a.sized, 2), ('reduction', _a.reduction, None),
                         ('delta', _a.real, 4), ('weight', _a.optional_sized, None)))
# The optional weight's handle is read inline, not through a helper: a Python call costs about 2 us per loss
# call while the call is still interpreted (the first thousands of calls on a stock JDK).


def l1_loss(input, target, size_average=None, reduce=None, reduction='mean', weight=None):
    r"""Mean absolute error, :math:`|x - y|` element-wise, reduced; with `weight` (input's shape),
    :math:`w |x - y|`, whose mean divides by the weights' sum. See torch.nn.L1Loss."""
    try:
        return _finish(_F.l1Loss(input._v, target._v, size_average, reduce, reduction,
                                 None if weight is None else weight._v))
    except _Foreign as e:
        raise _translate(e) from None
    except _Misuse as e:
        return _retry(l1_loss, _L1, (input, target, size_average, reduce, reduction, weight), e)


def mse_loss(input, target, size_average=None, reduce=None, reduction='mean', weight=None):
    r"""Mean squared error, :math:`(x - y)^2` element-wise, reduced; with `weight` (input's shape),
    :math:`w (x - y)^2`, whose mean divides by the weights' sum. See torch.nn.MSELoss."""
    try:
        return _finish(_F.mseLoss(input._v, target._v, size_average, reduce, reduction,
                                  None if weight is None else weight._v))
    except _Foreign as e:
        raise _translate(e) from None
    except _Misuse as e:
        return _retry(mse_loss, _MSE, (input, target, size_average, reduce, reduction, weight), e)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    r"""Smooth L1: quadratic near zero, linear beyond ``beta``. With :math:`z = |x - y|` element-wise,
    :math:`\ell = 0.5 z^2 / \beta` for :math:`z < \beta`, else :math:`z - 0.5 \beta`; ``beta`` = 0 gives
    plain L1. ``input`` and ``target`` broadcast; ``reduction`` 'none' | 'mean' (default) | 'sum'.
    Counterpart: torch.nn.functional.smooth_l1_loss (module: torch.nn.SmoothL1Loss).
    """
    try:
        return _finish(_F.smoothL1Loss(input._v, target._v, size_average, reduce, reduction, beta))
    except _Foreign as e:
        raise _translate(e) from None
    except _Misuse as e:
        return _retry(smooth_l1_loss, _SMOOTH_L1, (input, target, size_average, reduce, reduction, beta), e)


def huber_loss(input, target, reduction='mean', delta=1.0, weight=None):
    r"""Huber loss: with :math:`z = |x - y|` element-wise, :math:`\ell = 0.5 z^2` for :math:`z < \delta`, else
    :math:`\delta (z - 0.5 \delta)`. ``weight`` (optional, the input's shape) scales each element's loss
    before the reduction; ``reduction`` 'none' | 'mean' (default) | 'sum'.
    Counterpart: torch.nn.functional.huber_loss (module: torch.nn.HuberLoss).
    """
    try:
        return _finish(_F.huberLoss(input._v, target._v, reduction, delta, None if weight is None else weight._v))
    except _Foreign as e:
        raise _translate(e) from None
    except _Misuse as e:
        return _retry(huber_loss, _HUBER, (input, target, reduction, delta, weight), e)

