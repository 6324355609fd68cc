"""Classification losses as torch.nn.functional functions; the engine checks, computes and warns.

The Java side is dev.loss4j.loss.Classification: each function hands its tensors and options over in one
call and wraps the resulting variable.
"""
import java

from ... import _bridge
from . import _args as _a
from ._common import finish as _wrap, var as _var

_Foreign, _translate, _Misuse, _retry = _bridge.Foreign, _bridge.translate, _bridge.Misuse, _a.retry
_int = int

__all__ = ['nll_loss', 'cross_entropy', 'multi_margin_loss', 'multilabel_margin_loss']

_C = java.type('dev.loss4j.loss.Classification')


def _margin_p(v, fn, name, position):
    """multi_margin_loss's p: PyTorch compares it with 1 and 2 before anything else."""
    if v != 1 and v != 2:
        raise ValueError('only p == 1 and p == 2 supported')
    return _a.number(v, fn, name, position)


_LEGACY = (('size_average', _a.flag, None), ('reduce', _a.flag, None), ('reduction', _a.reduction, None))
_NLL = ('nll_loss_nd', (('input', _a.tensor, 1), ('target', _a.tensor, 2), ('weight', _a.optional_tensor, 3),
                        ('size_average', _a.flag, None), ('ignore_index', _a.integer, 5), ('reduce', _a.flag, None),
                        ('reduction', _a.reduction, None)))
_CROSS_ENTROPY = ('cross_entropy_loss', _NLL[1] + (('label_smoothing', _a.real, 6),))
_MULTI_MARGIN = ('multi_margin_loss', (('input', _a.tensor, 1), ('target', _a.tensor, 2), ('p', _margin_p, 3),
                                       ('margin', _a.number, 4), ('weight', _a.optional_dimmed, 5)) + _LEGACY)
_MULTILABEL_MARGIN = ('multilabel_margin_loss', (('input', _a.tensor, 1), ('target', _a.tensor, 2)) + _LEGACY)


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    r"""Negative log likelihood of class indices under log-probabilities:
    :math:`\ell_n = -w_{y_n} x_{n, y_n}`, and 0 where :math:`y_n` = ``ignore_index``.

    Args:
        input: log-probabilities (e.g. from log_softmax), :math:`(N, C)`, :math:`(C)`, or
            :math:`(N, C, d_1, ..., d_K)` for a loss per position (images: K = 2).
        target: int64 class indices in :math:`[0, C)`, :math:`(N)`, :math:`()` or :math:`(N, d_1, ..., d_K)`.
        weight: optional :math:`(C)` tensor, one factor per class (1 when None).
        ignore_index: a target value that adds nothing to the loss or the gradient; default -100.
        reduction: 'none' (the target's shape) | 'mean' (default: the sum over :math:`\sum_n w_{y_n}`, the weights
            of the non-ignored targets) | 'sum'. ``size_average``/``reduce`` are its deprecated form and, when
            given, win over it.

    Counterpart: torch.nn.functional.nll_loss (module: torch.nn.NLLLoss).

    Example: ``F.nll_loss(F.log_softmax(torch.randn(4, 3), dim=1), torch.tensor([0, 2, 1, 1]))``
    """
    try:
        if type(ignore_index) is _int:  # PyTorch takes Python ints only; anything else goes the slow way
            return _wrap(_C.nllLoss(input._v, target._v, _var(weight), size_average, ignore_index, reduce,
                                    reduction))
        error = None
    except _Foreign as e:
        raise _translate(e) from None
    except _Misuse as e:
        error = e
    return _retry(nll_loss, _NLL, (input, target, weight, size_average, ignore_index, reduce, reduction), error)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean",
                  label_smoothing=0.0):
    r"""Cross entropy of unnormalised scores (logits) against a target, log-softmax taken over dimension 1
    (dimension 0 for an unbatched :math:`(C)` input). With p = log_softmax(input):

    - class-index target: :math:`\ell_n = -w_{y_n} p_{n, y_n}`, 0 where :math:`y_n` = ``ignore_index``; 'mean'
      divides by the summed weights of the counted targets (nll_loss on p);
    - class-probability target (floating, the input's shape): :math:`\ell_n = -\sum_c w_c y_{n,c} p_{n,c}`;
      'mean' divides by the number of samples (N times the d_k), weights or not.

    ``label_smoothing`` :math:`\varepsilon \in [0, 1]` (default 0) mixes the target with the uniform one,
    :math:`(1 - \varepsilon) y + \varepsilon / C` (Szegedy et al., 2016, arXiv:1512.00567).

    Args:
        input: logits, :math:`(C)`, :math:`(N, C)` or :math:`(N, C, d_1, ..., d_K)`.
        target: int64 indices in :math:`[0, C)` shaped :math:`()`, :math:`(N)` or :math:`(N, d_1, ..., d_K)`; or
            probabilities in [0, 1] shaped as the input.
        weight: optional :math:`(C)` class weights.
        ignore_index: index targets only; default -100.
        reduction: 'none' (one loss per sample) | 'mean' (default) | 'sum'; ``size_average``/``reduce`` are its
            deprecated form.

    Counterpart: torch.nn.functional.cross_entropy (module: torch.nn.CrossEntropyLoss).

    Example: ``F.cross_entropy(torch.randn(4, 3, requires_grad=True), torch.tensor([0, 2, 1, 1])).backward()``
    """
    try:
        if type(ignore_index) is _int:  # PyTorch takes Python ints only; anything else goes the slow way
            return _wrap(_C.crossEntropy(input._v, target._v, _var(weight), size_average, ignore_index,
                                         reduce, reduction, label_smoothing))
        error = None
    except _Foreign as e:
        raise _translate(e) from None
    except _Misuse as e:
        error = e
    return _retry(cross_entropy, _CROSS_ENTROPY, (input, target, weight, size_average, ignore_index, reduce,
                                                  reduction, label_smoothing), error)


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None, reduce=None,
                      reduction="mean"):
    r"""Multi-class hinge: for each sample, :math:`\ell = \frac{1}{C} \sum_{i \neq y} w_y \max(0,
    \mathrm{margin} - x_y + x_i)^p`.

    ``input`` :math:`(N, C)` or :math:`(C)`; ``target`` int64 :math:`(N)` or :math:`()`; ``p`` 1 (default) or 2;
    ``margin`` default 1; ``weight`` optional :math:`(C)`; ``reduction`` 'none' (:math:`(N)`) | 'mean' (default)
    | 'sum'. Counterpart: torch.nn.functional.multi_margin_loss (module: torch.nn.MultiMarginLoss).
    """
    try:
        return _wrap(_C.multiMarginLoss(input._v, target._v, p, margin, _var(weight), size_average, reduce,
                                        reduction))
    except _Foreign as e:
        raise _translate(e) from None
    except _Misuse as e:
        return _retry(multi_margin_loss, _MULTI_MARGIN, (input, target, p, margin, weight, size_average, reduce,
                                                         reduction), e)


def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    r"""Multi-label hinge: target row n lists its classes, padded after the last by -1; with J that set,
    :math:`\ell_n = \sum_{j \in J} \sum_{i \notin J} \max(0, 1 - (x_{n,j} - x_{n,i})) / C`.

    ``input`` :math:`(N, C)` or :math:`(C)`; ``target`` int64 of the same shape; ``reduction`` 'none'
    (:math:`(N)`) | 'mean' (default) | 'sum'.
    Counterpart: torch.nn.functional.multilabel_margin_loss (module: torch.nn.MultiLabelMarginLoss).
    """
    try:
        return _wrap(_C.multilabelMarginLoss(input._v, target._v, size_average, reduce, reduction))
    except _Foreign as e:
        raise _translate(e) from None
    except _Misuse as e:
        return _retry(multilabel_margin_loss, _MULTILABEL_MARGIN, (input, target, size_average, reduce, reduction),
                      e)
