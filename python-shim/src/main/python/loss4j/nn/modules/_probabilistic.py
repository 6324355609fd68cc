"""Probabilistic loss modules: PoissonNLLLoss, GaussianNLLLoss, KLDivLoss. Each holds options and calls
torch.nn.functional; the math is in dev.loss4j.loss.Probabilistic."""
from ._loss import _Loss
from .. import functional as F

__all__ = ['PoissonNLLLoss', 'GaussianNLLLoss', 'KLDivLoss']


class PoissonNLLLoss(_Loss):
    r"""Poisson negative log likelihood, for count targets:
    :math:`\ell_n = \exp(x_n) - y_n x_n` (log_input=True) or :math:`x_n - y_n \log(x_n + eps)`, plus the
    Stirling term :math:`y \log y - y + 0.5 \log(2 \pi y)` where :math:`y > 1` when ``full``.

    Shape: input (*), target (*) of the same shape; output scalar, or (*) for reduction='none'.
    Counterpart of torch.nn.PoissonNLLLoss; computed by dev.loss4j.loss.Probabilistic.PoissonNLLLoss.
    """
    __constants__ = ['log_input', 'full', 'eps', 'reduction']

    def __init__(self, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None, reduction='mean'):
        super().__init__(size_average, reduce, reduction)
        self.log_input = log_input
        self.full = full
        self.eps = eps

    def forward(self, log_input, target):
        return F.poisson_nll_loss(log_input, target, log_input=self.log_input, full=self.full, eps=self.eps,
                                  reduction=self.reduction)


class GaussianNLLLoss(_Loss):
    r"""Gaussian negative log likelihood loss:
    :math:`\ell_n = 0.5 (\log(\max(var_n, eps)) + (x_n - y_n)^2 / \max(var_n, eps))` (+ const if ``full``).

    Shape: input (N, *) or (*), target like input, var like input or with its last dimension 1 or dropped;
    output scalar, or the input's shape for reduction='none'.
    Counterpart of torch.nn.GaussianNLLLoss; computed by dev.loss4j.loss.Probabilistic.GaussianNLLLoss.
    """
    __constants__ = ['full', 'eps', 'reduction']

    def __init__(self, *, full=False, eps=1e-6, reduction='mean'):
        super().__init__(None, None, reduction)
        self.full = full
        self.eps = eps

    def forward(self, input, target, var):
        return F.gaussian_nll_loss(input, target, var, full=self.full, eps=self.eps, reduction=self.reduction)


class KLDivLoss(_Loss):
    r"""Kullback-Leibler divergence, term by term, of log-probability inputs:
    :math:`\ell_n = y_n (\log y_n - x_n)`, or :math:`e^{y_n} (y_n - x_n)` with ``log_target``; reductions
    'none' | 'batchmean' | 'sum' | 'mean'.

    Shape: input (*), target (*) of the same shape; output scalar, or (*) for reduction='none'.
    Counterpart of torch.nn.KLDivLoss; computed by dev.loss4j.loss.Probabilistic.KLDivLoss.
    """
    __constants__ = ['reduction']

    def __init__(self, size_average=None, reduce=None, reduction='mean', log_target=False):
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input, target):
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)
