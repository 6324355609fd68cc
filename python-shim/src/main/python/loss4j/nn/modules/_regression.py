"""Regression loss modules: L1Loss, MSELoss, SmoothL1Loss, HuberLoss. Each holds options and calls torch.nn.functional."""
from ._loss import _Loss
from .. import functional as F
from ..._tensor import Tensor

__all__ = ['L1Loss', 'MSELoss', 'SmoothL1Loss', 'HuberLoss']


class L1Loss(_Loss):
    r"""Mean absolute error: :math:`\ell_n = |x_n - y_n|`, then reduced ('none' | 'mean' | 'sum').

    Shape: input (*), target (*) of the same shape; output scalar, or (*) for reduction='none'.
    Counterpart of torch.nn.L1Loss; computed by dev.loss4j.loss.Regression.L1Loss.
    """

    def __init__(self, size_average=None, reduce=None, reduction='mean'):
        super().__init__(size_average, reduce, reduction)

    def forward(self, input, target):
        return F.l1_loss(input, target, reduction=self.reduction)


class MSELoss(_Loss):
    r"""Mean squared error: :math:`\ell_n = (x_n - y_n)^2`, then reduced ('none' | 'mean' | 'sum').

    Shape: input (*), target (*) of the same shape; output scalar, or (*) for reduction='none'.
    Counterpart of torch.nn.MSELoss; computed by dev.loss4j.loss.Regression.MSELoss.
    """

    def __init__(self, size_average=None, reduce=None, reduction='mean'):
        super().__init__(size_average, reduce, reduction)

    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


class SmoothL1Loss(_Loss):
    r"""Smooth L1 loss, quadratic for small errors and linear for large ones: with :math:`z = |x_n - y_n|`, :math:`\ell_n = 0.5 z^2 / beta` if
    :math:`z < beta`, else :math:`z - 0.5 * beta`; then reduced ('none' | 'mean' | 'sum').

    Shape: input (*), target (*) of the same shape; output scalar, or (*) for reduction='none'.
    Counterpart of torch.nn.SmoothL1Loss; computed by dev.loss4j.loss.Regression.SmoothL1Loss.
    """
    __constants__ = ['reduction']

    def __init__(self, size_average=None, reduce=None, reduction: str = 'mean', beta: float = 1.0) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input, target):
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    r"""Huber loss, quadratic for errors under delta and delta-scaled linear above: with :math:`z = |x_n - y_n|`, :math:`\ell_n = 0.5 z^2` if
    :math:`z < delta`, else :math:`delta * (z - 0.5 * delta)`; then reduced ('none' | 'mean' | 'sum').

    Shape: input (*), target (*) of the same shape; output scalar, or (*) for reduction='none'.
    Counterpart of torch.nn.HuberLoss; computed by dev.loss4j.loss.Regression.HuberLoss.
    """
    __constants__ = ['reduction', 'delta']

    def __init__(self, reduction: str = 'mean', delta: float = 1.0) -> None:
        if not isinstance(delta, (float, int)):
            # PyTorch prints the class; a shim tensor's is torch.Tensor to a script.
            kind = "<class 'torch.Tensor'>" if isinstance(delta, Tensor) else str(type(delta))
            raise TypeError('delta must be a float or int, got: ' + kind)
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input, target):
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)
