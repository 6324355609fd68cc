"""Probabilistic losses as torch.nn.functional functions: poisson_nll_loss, gaussian_nll_loss, kl_div.

The engine (dev.loss4j.loss.Probabilistic) checks, computes and warns; this file only forwards.
"""
import java

from ... import _bridge
from ..._tensor import Tensor
from ._common import finish as _finish

_Foreign, _translate = _bridge.Foreign, _bridge.translate

__all__ = ['poisson_nll_loss', 'gaussian_nll_loss', 'kl_div']

_P = java.type('dev.loss4j.loss.Probabilistic')


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None,
                     reduction="mean"):
    r"""Poisson negative log likelihood, for a target of counts drawn from Poisson(rate).

    With ``log_input`` (default) the input is the log-rate and :math:`\ell = e^x - y x`; otherwise the input is
    the rate and :math:`\ell = x - y \log(x + \mathrm{eps})` (``eps`` 1e-8 keeps the log finite at 0). ``full``
    adds Stirling's term :math:`y \log y - y + \frac{1}{2} \log(2 \pi y)`, counted only where y > 1.
    ``input`` and ``target`` broadcast; ``reduction`` 'none' | 'mean' (default) | 'sum' (``size_average`` and
    ``reduce`` are its deprecated form). Counterpart: torch.nn.functional.poisson_nll_loss (torch.nn.PoissonNLLLoss).
    """
    try:
        return _finish(_P.poissonNllLoss(input._v, target._v, bool(log_input), bool(full), size_average,
                                         float(eps), reduce, reduction))
    except _Foreign as e:
        raise _translate(e) from None


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    r"""Gaussian negative log likelihood of ``target`` under mean ``input`` and variance ``var``:
    :math:`\ell = \frac{1}{2} (\log v + (x - y)^2 / v)` with :math:`v = \max(\mathrm{var}, \mathrm{eps})`, plus
    :math:`\frac{1}{2} \log 2\pi` when ``full``.

    ``input`` and ``target``: :math:`(N, *)` or :math:`(*)`. ``var``: the input's shape (one variance per
    element), the input's shape with its last dimension 1 or dropped (one per sample), or a Python float (one for
    all); must be non-negative. ``eps`` default 1e-6 (the clamp is not differentiated); ``reduction`` 'none' |
    'mean' (default) | 'sum'. Counterpart: torch.nn.functional.gaussian_nll_loss (torch.nn.GaussianNLLLoss).
    """
    try:
        # A Python float var (PyTorch 2.x) is one variance for every element; a tensor var goes as it is.
        v = var if isinstance(var, float) else var._v
        return _finish(_P.gaussianNllLoss(input._v, target._v, v, bool(full), float(eps), reduction))
    except _Foreign as e:
        raise _translate(e) from None


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    r"""Kullback-Leibler divergence term by term, with ``input`` given as log-probabilities x:
    :math:`\ell = y (\log y - x)` for a probability target, :math:`e^{y} (y - x)` when ``log_target`` says the
    target is in log space too (0 where y = 0 in the first form).

    ``input`` any shape, ``target`` the same; ``reduction`` 'none' | 'batchmean' | 'sum' | 'mean' (default).
    Only 'batchmean' (the sum over the batch size, input.size(0)) gives KL(target || input) per sample; 'mean'
    divides by the element count and warns that it does. Counterpart: torch.nn.functional.kl_div
    (module: torch.nn.KLDivLoss).
    """
    try:
        return _finish(_P.klDiv(input._v, target._v, size_average, reduce, reduction, bool(log_target)))
    except _Foreign as e:
        raise _translate(e) from None
