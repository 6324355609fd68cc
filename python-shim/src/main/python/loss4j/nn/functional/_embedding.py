"""Embedding losses as torch.nn.functional functions (and pairwise_distance, their default distance).

The engine (dev.loss4j.loss.Embedding) checks, computes and warns; these wrappers only pass arguments.
triplet_margin_with_distance_loss calls a Python distance_function here, in Python, and hands the
distance tensors to the engine, so gradients flow through whatever the callable computed.
"""
import builtins

import java

from ... import _bridge
from ..._tensor import Tensor

__all__ = ['margin_ranking_loss', 'hinge_embedding_loss', 'cosine_embedding_loss', 'triplet_margin_loss',
           'triplet_margin_with_distance_loss', 'pairwise_distance']

_E = java.type('dev.loss4j.loss.Embedding')


def _num(v):
    """A Python number as the engine's double (bools and ints included, as PyTorch accepts them)."""
    if isinstance(v, (builtins.bool, builtins.int, builtins.float)):
        return builtins.float(v)
    return v


def _flag(v):
    return None if v is None else builtins.bool(v)


def _wrap(outcome):
    _bridge.emit(outcome.warnings(), stacklevel=4)
    return Tensor._wrap(outcome.value())


def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean'):
    r"""margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean') -> Tensor

    See :class:`~torch.nn.MarginRankingLoss` for details.
    """
    return _wrap(_bridge.call(_E.marginRankingLoss, input1._v, input2._v, target._v, _num(margin),
                              _flag(size_average), _flag(reduce), reduction))


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None, reduction='mean'):
    r"""hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None, reduction='mean') -> Tensor

    See :class:`~torch.nn.HingeEmbeddingLoss` for details.
    """
    return _wrap(_bridge.call(_E.hingeEmbeddingLoss, input._v, target._v, _num(margin), _flag(size_average),
                              _flag(reduce), reduction))


def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean'):
    r"""cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean') -> Tensor

    See :class:`~torch.nn.CosineEmbeddingLoss` for details.
    """
    return _wrap(_bridge.call(_E.cosineEmbeddingLoss, input1._v, input2._v, target._v, _num(margin),
                              _flag(size_average), _flag(reduce), reduction))


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False, size_average=None,
                        reduce=None, reduction='mean'):
    r"""
    See :class:`~torch.nn.TripletMarginLoss` for details
    """
    return _wrap(_bridge.call(_E.tripletMarginLoss, anchor._v, positive._v, negative._v, _num(margin), _num(p),
                              _num(eps), builtins.bool(swap), _flag(size_average), _flag(reduce), reduction))


def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None, margin=1.0, swap=False,
                                      reduction='mean'):
    r"""
    See :class:`~torch.nn.TripletMarginWithDistanceLoss` for details.
    """
    swap = builtins.bool(swap)
    if distance_function is None:
        return _wrap(_bridge.call(_E.tripletMarginWithDistanceLoss, anchor._v, positive._v, negative._v, _num(margin),
                                  swap, reduction))
    positive_dist = distance_function(anchor, positive)
    negative_dist = distance_function(anchor, negative)
    swap_dist = distance_function(positive, negative) if swap else None
    return _wrap(_bridge.call(_E.tripletMarginWithDistances, positive_dist._v, negative_dist._v,
                              None if swap_dist is None else swap_dist._v, _num(margin), swap, reduction))


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    r"""
pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False) -> Tensor

See :class:`torch.nn.PairwiseDistance` for details
"""
    return _wrap(_bridge.call(_E.pairwiseDistance, x1._v, x2._v, _num(p), _num(eps), builtins.bool(keepdim)))
