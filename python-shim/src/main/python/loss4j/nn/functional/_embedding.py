"""Embedding losses as torch.nn.functional functions (and pairwise_distance, their default distance).

The engine (dev.loss4j.loss.Embedding) checks, computes and warns; these wrappers only pass arguments.
triplet_margin_with_distance_loss calls a Python distance_function here, in Python, and hands the
distance tensors to the engine, so gradients flow through whatever the callable computed.
"""
import builtins

import java

from ... import _bridge
from ..._tensor import Tensor
from . import _args as _a
from ._common import finish as _wrap, flag as _flag

_Foreign, _translate, _Misuse, _retry = _bridge.Foreign, _bridge.translate, _bridge.Misuse, _a.retry

__all__ = ['margin_ranking_loss', 'hinge_embedding_loss', 'cosine_embedding_loss', 'triplet_margin_loss',
           'triplet_margin_with_distance_loss', 'pairwise_distance']

_E = java.type('dev.loss4j.loss.Embedding')
_Reduction = java.type('dev.loss4j.loss.Reduction')


def _where(position):
    # PyTorch's argument parser names the position of an argument passed positionally (the functional
    # wrappers pass theirs on positionally); pairwise_distance, a builtin, cannot tell here: None omits it.
    return '' if position is None else ' (position %d)' % position


def _num(v, fn, name, position):
    """A Python number as the engine's double (bools and ints included, as PyTorch accepts them, and a 0-d
    tensor without grad), else PyTorch's argument-parser TypeError."""
    if isinstance(v, (builtins.bool, builtins.int, builtins.float)):
        return builtins.float(v)
    if isinstance(v, Tensor) and v.dim() == 0 and not v.requires_grad:
        return builtins.float(v.item())
    raise TypeError("%s(): argument '%s'%s must be float, not %s" % (fn, name, _where(position), type(v).__name__))


def _bool(v, fn, name, position):
    if isinstance(v, builtins.bool):
        return v
    raise TypeError("%s(): argument '%s'%s must be bool, not %s" % (fn, name, _where(position), type(v).__name__))


def _margin(v, size_average=None, reduce=None, reduction='mean'):
    """The triplet losses compare the margin with 0 in Python first (`margin <= 0`): a non-number fails
    there, a margin not above 0 is refused with its value as given; a 0-d tensor is taken as its value.
    triplet_margin_loss resolves its reduction before that comparison: on the refusal path its warnings and
    its own refusal come first (the engine gives them on every other path)."""
    if isinstance(v, Tensor) and v.dim() == 0:
        m = builtins.float(v.item())
    elif isinstance(v, (builtins.bool, builtins.int, builtins.float)):
        m = builtins.float(v)
    else:
        _reduction_first(size_average, reduce, reduction)
        raise TypeError("'<=' not supported between instances of '%s' and 'int'" % _a.type_name(v))
    if m <= 0:
        _reduction_first(size_average, reduce, reduction)
        raise ValueError('margin must be greater than 0, got %s' % (v,))
    return m


def _reduction_first(size_average, reduce, reduction):
    """PyTorch's reduction step ahead of the margin check: the legacy flags' deprecation warning, the
    elementwise_mean alias's, or the refusal of an unknown reduction."""
    if size_average is not None or reduce is not None:
        legacy = _Reduction.fromLegacy(None if size_average is None else builtins.bool(size_average),
                                       None if reduce is None else builtins.bool(reduce))
        _bridge.emit([_Reduction.legacyWarning(legacy)])
        return
    _a.reduction(reduction, None, None, None)
    warning = _Reduction.deprecationWarning(reduction)
    if warning is not None:
        _bridge.emit([warning])
    else:
        _bridge.call(_Reduction.fromString, reduction)


_LEGACY = (('size_average', _a.flag, None), ('reduce', _a.flag, None), ('reduction', _a.reduction, None))
_MARGIN_RANKING = ('margin_ranking_loss', (('input1', _a.dimmed, 1), ('input2', _a.dimmed, 2),
                                           ('target', _a.dimmed, 3), ('margin', _a.anything, 4)) + _LEGACY)
_HINGE = ('hinge_embedding_loss', (('input', _a.tensor, 1), ('target', _a.tensor, 2),
                                   ('margin', _a.anything, 3)) + _LEGACY)
_COSINE = ('cosine_embedding_loss', (('input1', _a.tensor, 1), ('input2', _a.tensor, 2), ('target', _a.tensor, 3),
                                     ('margin', _a.anything, 4)) + _LEGACY)
_TRIPLET = ('triplet_margin_loss', (('anchor', _a.tensor, 1), ('positive', _a.tensor, 2), ('negative', _a.tensor, 3),
                                    ('margin', _a.anything, 4), ('p', _a.anything, 5), ('eps', _a.anything, 6),
                                    ('swap', _a.anything, 7)) + _LEGACY)
_TRIPLET_DISTANCE = ('triplet_margin_with_distance_loss', (('anchor', _a.ndimmed, 1), ('positive', _a.ndimmed, 2),
                                                           ('negative', _a.ndimmed, 3)))
_PAIRWISE = ('pairwise_distance', (('x1', _a.tensor, 1), ('x2', _a.tensor, 2), ('p', _a.anything, 3),
                                   ('eps', _a.anything, 4), ('keepdim', _a.anything, 5)))


def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean'):
    r"""Ranking hinge on a pair of scores: :math:`\ell = \max(0, -y (x_1 - x_2) + \mathrm{margin})`, y in {1, -1}
    saying which of ``input1``/``input2`` should rank higher.

    ``input1``, ``input2``, ``target``: :math:`(N)` or :math:`()`; ``margin`` default 0; ``reduction`` 'none' |
    'mean' (default) | 'sum'. Counterpart: torch.nn.functional.margin_ranking_loss (torch.nn.MarginRankingLoss).
    """
    margin = _num(margin, 'margin_ranking_loss', 'margin', 4)
    try:
        return _wrap(_E.marginRankingLoss(input1._v, input2._v, target._v, margin, _flag(size_average),
                                          _flag(reduce), reduction))
    except _Foreign as e:
        raise _translate(e) from None
    except _Misuse as e:
        return _retry(margin_ranking_loss, _MARGIN_RANKING, (input1, input2, target, margin, size_average, reduce,
                                                             reduction), e)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None, reduction='mean'):
    r"""Hinge on a distance-like input: :math:`\ell = x` where y = 1, :math:`\max(0, \mathrm{margin} - x)` where
    y = -1.

    ``input`` and ``target`` share a shape (any); ``margin`` default 1.0; ``reduction`` 'none' | 'mean' (default)
    | 'sum'. Counterpart: torch.nn.functional.hinge_embedding_loss (torch.nn.HingeEmbeddingLoss).
    """
    margin = _num(margin, 'hinge_embedding_loss', 'margin', 3)
    try:
        return _wrap(_E.hingeEmbeddingLoss(input._v, target._v, margin, _flag(size_average), _flag(reduce),
                                           reduction))
    except _Foreign as e:
        raise _translate(e) from None
    except _Misuse as e:
        return _retry(hinge_embedding_loss, _HINGE, (input, target, margin, size_average, reduce, reduction), e)


def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean'):
    r"""Pulls pairs together or apart by cosine similarity c = cos(x1, x2): :math:`\ell = 1 - c` where y = 1,
    :math:`\max(0, c - \mathrm{margin})` where y = -1.

    ``input1``, ``input2``: :math:`(N, D)` or :math:`(D)`; ``target``: :math:`(N)` or :math:`()`; ``margin``
    default 0; ``reduction`` 'none' | 'mean' (default) | 'sum'.
    Counterpart: torch.nn.functional.cosine_embedding_loss (torch.nn.CosineEmbeddingLoss).
    """
    margin = _num(margin, 'cosine_embedding_loss', 'margin', 4)
    try:
        return _wrap(_E.cosineEmbeddingLoss(input1._v, input2._v, target._v, margin, _flag(size_average),
                                            _flag(reduce), reduction))
    except _Foreign as e:
        raise _translate(e) from None
    except _Misuse as e:
        return _retry(cosine_embedding_loss, _COSINE, (input1, input2, target, margin, size_average, reduce,
                                                       reduction), e)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False, size_average=None,
                        reduce=None, reduction='mean'):
    r"""Triplet loss with p-norm distances: :math:`\ell = \max(d(a, p) - d(a, n) + \mathrm{margin}, 0)`,
    :math:`d(u, v) = \lVert u - v + \epsilon \rVert_p` over the last dimension; ``swap`` uses
    :math:`\min(d(a, n), d(p, n))` as the negative distance.

    ``anchor``, ``positive``, ``negative``: :math:`(N, D)` or :math:`(D)`; ``margin`` 1.0, ``p`` 2, ``eps`` 1e-6
    by default; ``reduction`` 'none' | 'mean' (default) | 'sum'.
    Counterpart: torch.nn.functional.triplet_margin_loss (torch.nn.TripletMarginLoss).
    """
    fn = 'triplet_margin_loss'
    margin, p, eps = _margin(margin, size_average, reduce, reduction), _num(p, fn, 'p', 5), _num(eps, fn, 'eps', 6)
    swap = _bool(swap, fn, 'swap', 7)
    try:
        return _wrap(_E.tripletMarginLoss(anchor._v, positive._v, negative._v, margin, p, eps, swap,
                                          _flag(size_average), _flag(reduce), reduction))
    except _Foreign as e:
        raise _translate(e) from None
    except _Misuse as e:
        return _retry(triplet_margin_loss, _TRIPLET, (anchor, positive, negative, margin, p, eps, swap,
                                                      size_average, reduce, reduction), e)


def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None, margin=1.0, swap=False,
                                      reduction='mean'):
    r"""Triplet loss with a distance of your choosing:
    :math:`\ell = \max(d(a, p) - d(a, n) + \mathrm{margin}, 0)`, d = ``distance_function`` (a callable on two
    tensors returning one distance per row; pairwise_distance when None). ``swap`` also tries d(p, n) and keeps
    the smaller negative distance. Keyword-only options; ``margin`` 1.0 by default, must be > 0;
    ``reduction`` 'none' | 'mean' (default) | 'sum'.
    Counterpart: torch.nn.functional.triplet_margin_with_distance_loss (torch.nn.TripletMarginWithDistanceLoss).
    """
    swap = builtins.bool(swap)
    for position, (name, check, _) in enumerate(_TRIPLET_DISTANCE[1]):
        check((anchor, positive, negative)[position], None, name, None)
    if reduction not in ('mean', 'sum', 'none'):  # PyTorch checks the reduction, then the margin
        raise ValueError('%s is not a valid value for reduction' % (reduction,))
    try:
        # PyTorch 2.x checks the reduction, the margin and the ranks before calling any distance.
        _E.checkTripletWithDistance(anchor.dim(), positive.dim(), negative.dim(), _margin(margin), reduction)
    except _Foreign as e:
        raise _translate(e) from None
    if distance_function is None:
        try:
            return _wrap(_E.tripletMarginWithDistanceLoss(anchor._v, positive._v, negative._v,
                                                          _margin(margin), swap, reduction))
        except _Foreign as e:
            raise _translate(e) from None
    positive_dist = distance_function(anchor, positive)
    negative_dist = distance_function(anchor, negative)
    swap_dist = distance_function(positive, negative) if swap else None
    try:
        return _wrap(_E.tripletMarginWithDistances(positive_dist._v, negative_dist._v,
                                                   None if swap_dist is None else swap_dist._v, _margin(margin), swap,
                                                   reduction))
    except _Foreign as e:
        raise _translate(e) from None


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    r"""p-norm distance of each row pair, :math:`\lVert x_1 - x_2 + \epsilon \rVert_p` over the last dimension
    (inputs broadcast); ``keepdim`` keeps that dimension with size 1.
    Counterpart: torch.nn.functional.pairwise_distance (module: torch.nn.PairwiseDistance).
    """
    fn = 'pairwise_distance'
    p, eps, keepdim = _num(p, fn, 'p', None), _num(eps, fn, 'eps', None), _bool(keepdim, fn, 'keepdim', None)
    try:
        return _wrap(_E.pairwiseDistance(x1._v, x2._v, p, eps, keepdim))
    except _Foreign as e:
        raise _translate(e) from None
    except _Misuse as e:
        return _retry(pairwise_distance, _PAIRWISE, (x1, x2, p, eps, keepdim), e)
