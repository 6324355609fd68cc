"""Regression loss modules: L1Loss, MSELoss. Each holds options and calls torch.nn.functional."""
from ._loss import _Loss
from .. import functional as F

__all__ = ['L1Loss', 'MSELoss']


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
