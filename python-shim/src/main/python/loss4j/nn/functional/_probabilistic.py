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
    r"""Poisson negative log likelihood, for a target of counts drawn from Poisson(rate).

    With ``log_input`` (default) the input is the log-rate and :math:`\ell = e^x - y x`; otherwise the input is
    the rate and :math:`\ell = x - y \log(x + \mathrm{eps})` (``eps`` 1e-8 keeps the log finite at 0). ``full``
    adds Stirling's term :math:`y \log y - y + \frac{1}{2} \log(2 \pi y)`, counted only where y > 1.
    ``input`` and ``target`` broadcast; ``reduction`` 'none' | 'mean' (default) | 'sum' (``size_average`` and
    ``reduce`` are its deprecated form). Counterpart: torch.nn.functional.poisson_nll_loss (torch.nn.PoissonNLLLoss).
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
    r"""Kullback-Leibler divergence term by term, with ``input`` given as log-probabilities x:
    :math:`\ell = y (\log y - x)` for a probability target, :math:`e^{y} (y - x)` when ``log_target`` says the
    target is in log space too (0 where y = 0 in the first form).

    ``input`` any shape, ``target`` the same; ``reduction`` 'none' | 'batchmean' | 'sum' | 'mean' (default).
    Only 'batchmean' (the sum over the batch size, input.size(0)) gives KL(target || input) per sample; 'mean'
    divides by the element count and warns that it does. Counterpart: torch.nn.functional.kl_div
    (module: torch.nn.KLDivLoss).
    """
    try:
        return _finish(_P.klDiv(input._v, target._v, size_average, reduce, reduction, log_target))
    except _Foreign as e:
        raise _translate(e) from None
    except _Misuse as e:
        return _retry(kl_div, _KL_DIV, (input, target, size_average, reduce, reduction, log_target), e)
