"""Regression losses as torch.nn.functional functions; the engine checks, computes and warns."""
from ... import _bridge
from ._common import finish as _finish

__all__ = ['l1_loss', 'mse_loss', 'smooth_l1_loss', 'huber_loss']

_F = _bridge.Functional


def _outcome(fn, input, target, size_average, reduce, reduction):
    return _finish(_bridge.call(fn, input._v, target._v, size_average, reduce, reduction))


def l1_loss(input, target, size_average=None, reduce=None, reduction='mean'):
    r"""Mean absolute error, :math:`|x - y|` element-wise, reduced. See torch.nn.L1Loss."""
    return _outcome(_F.l1Loss, input, target, size_average, reduce, reduction)


def mse_loss(input, target, size_average=None, reduce=None, reduction='mean'):
    r"""Mean squared error, :math:`(x - y)^2` element-wise, reduced. See torch.nn.MSELoss."""
    return _outcome(_F.mseLoss, input, target, size_average, reduce, reduction)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    r"""Function that uses a squared term if the absolute
    element-wise error falls below beta and an L1 term otherwise.

    See :class:`~torch.nn.SmoothL1Loss` for details.
    """
    out = _bridge.call(_F.smoothL1Loss, input._v, target._v, size_average, reduce, reduction, float(beta))
    return _finish(out)


def huber_loss(input, target, reduction='mean', delta=1.0):
    r"""Function that uses a squared term if the absolute
    element-wise error falls below delta and a delta-scaled L1 term otherwise.

    See :class:`~torch.nn.HuberLoss` for details.
    """
    out = _bridge.call(_F.huberLoss, input._v, target._v, reduction, float(delta))
    return _finish(out)
