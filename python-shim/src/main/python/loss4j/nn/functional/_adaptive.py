"""The adaptive softmax as a function of its parameters (a loss4j extension: PyTorch has only the module).

`adaptive_log_softmax_with_loss(input, target, head_weight, head_bias, *tail_weights, ...)` runs what
torch.nn.AdaptiveLogSoftmaxWithLoss runs with those parameters, in dev.loss4j.loss.Adaptive, and returns one
`result`: 'output' or 'loss' of the forward, 'log_prob' of the input, or 'predict'.
"""
import java

from ... import _bridge
from ._common import finish as _finish, var as _v

_Foreign, _translate = _bridge.Foreign, _bridge.translate

__all__ = ['adaptive_log_softmax_with_loss']

_Adaptive = java.type('dev.loss4j.loss.Adaptive')


def adaptive_log_softmax_with_loss(input, target, head_weight, head_bias, *tail_weights, in_features, n_classes,
                                   cutoffs, div_value=4.0, result='loss'):
    r"""AdaptiveLogSoftmaxWithLoss over explicit parameters.

    Args:
        input: (N, in_features) or (in_features)
        target: (N) or () int64 class indices in [0, n_classes)
        head_weight: (shortlist + n_clusters, in_features); head_bias: (shortlist + n_clusters) or None
        tail_weights: tail.i.0.weight (hidden_i, in_features) and tail.i.1.weight (cluster_i size, hidden_i) for
            each cluster i, in order
        in_features, n_classes, cutoffs, div_value: the module's configuration
        result: 'output' | 'loss' | 'log_prob' | 'predict'
    """
    try:
        out = _Adaptive.adaptiveLogSoftmaxWithLoss(_v(input), _v(target), _v(head_weight), _v(head_bias),
                                                   [t._v for t in tail_weights], int(in_features), int(n_classes),
                                                   [float(c) for c in cutoffs], float(div_value), result)
    except _Foreign as e:
        raise _translate(e) from None
    return _finish(out)
