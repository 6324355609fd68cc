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
    r"""Poisson negative log likelihood loss.

    See :class:`~torch.nn.PoissonNLLLoss` for details.

    Args:
        input: expectation of underlying Poisson distribution.
        target: random sample :math:`target \sim \text{Poisson}(input)`.
        log_input: if ``True`` the loss is computed as
            :math:`\exp(\text{input}) - \text{target} * \text{input}`, if ``False`` then loss is
            :math:`\text{input} - \text{target} * \log(\text{input}+\text{eps})`. Default: ``True``
        full: whether to compute full loss, i. e. to add the Stirling
            approximation term. Default: ``False``
            :math:`\text{target} * \log(\text{target}) - \text{target} + 0.5 * \log(2 * \pi * \text{target})`.
        size_average (bool, optional): Deprecated (see :attr:`reduction`).
        eps (float, optional): Small value to avoid evaluation of :math:`\log(0)` when
            :attr:`log_input`\ =\ ``False``. Default: 1e-8
        reduce (bool, optional): Deprecated (see :attr:`reduction`).
        reduction (str, optional): Specifies the reduction to apply to the output:
            ``'none'`` | ``'mean'`` | ``'sum'``. Default: ``'mean'``
    """
    try:
        return _finish(_P.poissonNllLoss(input._v, target._v, bool(log_input), bool(full), size_average,
                                         float(eps), reduce, reduction))
    except _Foreign as e:
        raise _translate(e) from None


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    r"""Gaussian negative log likelihood loss.

    See :class:`~torch.nn.GaussianNLLLoss` for details.

    Args:
        input: expectation of the Gaussian distribution.
        target: sample from the Gaussian distribution.
        var: tensor of positive variance(s), one for each of the expectations
            in the input (heteroscedastic), or a single one (homoscedastic); or a float, one
            variance for all.
        full (bool, optional): include the constant term in the loss calculation. Default: ``False``.
        eps (float, optional): value added to var, for stability. Default: 1e-6.
        reduction (str, optional): specifies the reduction to apply to the output:
            ``'none'`` | ``'mean'`` | ``'sum'``. Default: ``'mean'``.
    """
    try:
        # A Python float var (PyTorch 2.x) is one variance for every element; a tensor var goes as it is.
        v = var if isinstance(var, float) else var._v
        return _finish(_P.gaussianNllLoss(input._v, target._v, v, bool(full), float(eps), reduction))
    except _Foreign as e:
        raise _translate(e) from None


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    r"""The `Kullback-Leibler divergence Loss
    <https://en.wikipedia.org/wiki/Kullback-Leibler_divergence>`__

    See :class:`~torch.nn.KLDivLoss` for details.

    Args:
        input: Tensor of arbitrary shape in log-probabilities.
        target: Tensor of the same shape as input. See :attr:`log_target` for
            the target's interpretation.
        size_average (bool, optional): Deprecated (see :attr:`reduction`).
        reduce (bool, optional): Deprecated (see :attr:`reduction`).
        reduction (str, optional): Specifies the reduction to apply to the output:
            ``'none'`` | ``'batchmean'`` | ``'sum'`` | ``'mean'``. Default: ``'mean'``
        log_target (bool): A flag indicating whether ``target`` is passed in the log space.
            Default: ``False``

    .. note::
        :attr:`reduction` = ``'mean'`` doesn't return the true kl divergence value, please use
        :attr:`reduction` = ``'batchmean'`` which aligns with KL math definition.
    """
    try:
        return _finish(_P.klDiv(input._v, target._v, size_average, reduce, reduction, bool(log_target)))
    except _Foreign as e:
        raise _translate(e) from None
