"""torch.special: the special functions losses use, each the torch function of the same value (erf, erfc,
gammaln = lgamma, digamma = psi, expm1, exp2, log1p, xlogy, logit, round, softmax, log_softmax) and ndtr, the
standard normal distribution function. Any other name raises NotImplementedError naming it."""
from . import _functions, _ops
from ._tensor import _op
from ._missing import module_getattr as _module_getattr

__all__ = ['erf', 'erfc', 'gammaln', 'digamma', 'psi', 'expm1', 'exp2', 'log1p', 'xlogy', 'logit', 'ndtr', 'round',
           'softmax', 'log_softmax']

erf, erfc, expm1, exp2, log1p, xlogy = (_functions.erf, _functions.erfc, _functions.expm1, _functions.exp2,
                                        _functions.log1p, _functions.xlogy)
gammaln = _functions.lgamma
round = _functions.round
logit = _functions.logit
digamma = psi = _functions.digamma


def ndtr(input):
    return _op(_ops.Special.ndtr, input._v)


def softmax(input, dim, *, dtype=None):
    return input.softmax(dim, dtype=dtype)


def log_softmax(input, dim, *, dtype=None):
    return input.log_softmax(dim, dtype=dtype)


__getattr__ = _module_getattr('torch.special')
