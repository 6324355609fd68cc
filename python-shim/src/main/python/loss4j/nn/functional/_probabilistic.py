"""Probabilistic losses as torch.nn.functional functions: poisson_nll_loss, gaussian_nll_loss, kl_div.

The engine (dev.loss4j.loss.Probabilistic) checks, computes and warns; this file only forwards.
"""
import java

from ... import _bridge
from ..._tensor import Tensor, full_like as _full_like
from . import _args as _a
from ._common import finish as _finish

_Foreign, _translate, _Misuse, _retry = _bridge.Foreign, _bridge.translate, _bridge.Misuse, _a.retry

__all__ = ['poisson_nll_loss', 'gaussian_nll_loss', 'kl_div']

_P = java.type('dev.loss4j.loss.Probabilistic')
_POISSON = ('poisson_nll_loss', (('input', _a.tensor, 1), ('target', _a.tensor, 2), ('log_input', _a.boolean, 3),
                                 ('full', _a.boolean, 4), ('size_average', _a.flag, None), ('eps', _a.real, 5),
                                 ('reduce', _a.flag, None), ('reduction', _a.concat_reduction, None)))
_KL_DIV = ('kl_div', (('input', _a.tensor, 1), ('target', _a.tensor, 2), ('size_average', _a.flag, None),
                      ('reduce', _a.flag, None), ('reduction', _a.reduction, None),
                      ('log_target', _a.boolean, None)))
_INVALID_ANY = ('any() received an invalid combination of arguments - got (bool), but expected one of:\n'
                ' * (Tensor input, *, Tensor out = None)\n'
                ' * (Tensor input, tuple of ints dim = None, bool keepdim = False, *, Tensor out = None)\n'
                ' * (Tensor input, int dim, bool keepdim = False, *, Tensor out = None)\n'
                ' * (Tensor input, name dim, bool keepdim = False, *, Tensor out = None)\n')
_INVALID_CLAMP = ('clamp_() received an invalid combination of arguments - got (min=%s, ), but expected one of:\n'
                  ' * (Tensor min = None, Tensor max = None)\n * (Number min = None, Number max = None)\n')


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
        return _finish(_P.poissonNllLoss(input._v, target._v, log_input, full, size_average, eps, reduce,
                                         reduction))
    except _Foreign as e:
        raise _translate(e) from None
    except _Misuse as e:
        return _retry(poisson_nll_loss, _POISSON, (input, target, log_input, full, size_average, eps, reduce,
                                                   reduction), e)


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
        return _finish(_P.gaussianNllLoss(input._v, target._v, v, full, eps, reduction))
    except _Foreign as e:
        raise _translate(e) from None
    except _Misuse as e:
        return _gaussian_misuse(input, target, var, full, eps, reduction, e)


def _gaussian_misuse(input, target, var, full, eps, reduction, error):
    """gaussian_nll_loss's slow path. PyTorch computes this loss in Python, so a value of the wrong kind fails
    at its first use there: var in `var < 0`, input in `.size()`, the reduction in its refusal's
    concatenation, target in `input - target` (a Python number works), eps in `clamp_(min=eps)`; full is
    only tested for truth."""
    if not isinstance(var, (float, Tensor)):
        if isinstance(var, int):  # `var < 0` is then a bool, which torch.any refuses
            raise TypeError(_INVALID_ANY)
        var < 0  # Python's own TypeError for the comparison
        raise TypeError("'<' not supported between instances of '%s' and 'int'" % type(var).__name__)
    _a.sized(input, None, 'input', None)
    _a.concat_reduction(reduction)
    if isinstance(target, bool):
        raise RuntimeError('Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying '
                           'to invert a mask, use the `~` or `logical_not()` operator instead.')
    converted = isinstance(target, (int, float))
    if converted:
        target = _full_like(input, float(target))
    elif not isinstance(target, Tensor):
        raise TypeError("unsupported operand type(s) for -: 'Tensor' and '%s'" % _a.type_name(target))
    if eps is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    eps_value = eps.item() if isinstance(eps, Tensor) and eps.dim() == 0 else eps
    if not isinstance(eps_value, (int, float)):
        raise TypeError(_INVALID_CLAMP % _a.type_name(eps))
    converted = converted or eps_value is not eps or type(eps_value) is not float or type(full) is not bool
    if not converted:
        raise error
    full = _a.truth(full, None, 'full', None)
    return gaussian_nll_loss(input, target, var, full, float(eps_value), reduction)


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
        return _finish(_P.klDiv(input._v, target._v, size_average, reduce, reduction, log_target))
    except _Foreign as e:
        raise _translate(e) from None
    except _Misuse as e:
        return _retry(kl_div, _KL_DIV, (input, target, size_average, reduce, reduction, log_target), e)
