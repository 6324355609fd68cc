"""linear_cross_entropy (PyTorch 2.13): a linear layer fused with cross entropy, and the options of its chunked
path. The math, the checks and the warnings are dev.loss4j.loss.LinearCrossEntropy's."""
import java

from ... import _bridge
from ._common import finish as _finish, var as _v

_Foreign, _translate = _bridge.Foreign, _bridge.translate

__all__ = ['linear_cross_entropy']

_L = java.type('dev.loss4j.loss.LinearCrossEntropy')
_JOptions = java.type('dev.loss4j.loss.LinearCrossEntropy$Options')


class LinearCrossEntropyOptions:
    """How linear_cross_entropy's chunked path cuts the batch (torch.nn.LinearCrossEntropyOptions).

    Args:
        allow_retain_graph (bool): accepted; loss4j's backward keeps what it needs either way. Default False.
        batch_chunk_size (int or None): rows per chunk; None lets chunking_method decide. Default None.
        chunking_method (str or None): 'auto' (here 'aspect_ratio:2' unless batch_chunk_size is given),
            'aspect_ratio' (a power of two near N / ceil(C / in_features)), 'aspect_ratio:F' (that divided by F),
            or None (use batch_chunk_size). Default 'auto'.
        acc_policy (str): 'auto', 'accurate', 'balanced' or 'compact'; checked, and loss4j always accumulates in
            double. Default 'auto'.
        acc_dtype: None, or a floating dtype; checked only. Default None.
    Frozen, like PyTorch's dataclass.
    """
    __slots__ = ('allow_retain_graph', 'batch_chunk_size', 'chunking_method', 'acc_policy', 'acc_dtype', '_j')

    def __init__(self, allow_retain_graph=False, batch_chunk_size=None, chunking_method='auto', acc_policy='auto',
                 acc_dtype=None):
        from ... import _tensor
        if acc_policy not in {'auto', 'accurate', 'balanced', 'compact'}:
            raise ValueError('invalid acc_policy: %r' % (acc_policy,))
        if chunking_method is not None and not isinstance(chunking_method, str):
            raise ValueError('invalid chunking_method: %r' % (chunking_method,))
        if not (batch_chunk_size is None or (isinstance(batch_chunk_size, int) and batch_chunk_size > 0)):
            raise ValueError('batch_chunk_size must be positive int or None, got %r' % (batch_chunk_size,))
        allowed = [d for d in (getattr(_tensor, n, None) for n in ('float16', 'bfloat16', 'float32', 'float64'))
                   if d is not None]
        if acc_dtype is not None and acc_dtype not in allowed:
            raise ValueError('acc_dtype must be one of {None, torch.float16, torch.bfloat16, torch.float32, '
                             'torch.float64}, got %r. Pass acc_dtype=None to let the op pick automatically.'
                             % (acc_dtype,))
        try:
            j = _JOptions(bool(allow_retain_graph), batch_chunk_size, chunking_method, acc_policy)
        except _Foreign as e:
            raise _translate(e) from None
        for k, v in (('allow_retain_graph', allow_retain_graph), ('batch_chunk_size', batch_chunk_size),
                     ('chunking_method', chunking_method), ('acc_policy', acc_policy), ('acc_dtype', acc_dtype),
                     ('_j', j)):
            object.__setattr__(self, k, v)

    def __setattr__(self, name, value):
        from dataclasses import FrozenInstanceError  # PyTorch's options are a frozen dataclass
        raise FrozenInstanceError("cannot assign to field '%s'" % name)

    def __delattr__(self, name):
        from dataclasses import FrozenInstanceError
        raise FrozenInstanceError("cannot delete field '%s'" % name)

    def __eq__(self, other):
        return isinstance(other, LinearCrossEntropyOptions) and all(
            getattr(self, k) == getattr(other, k) for k in self.__slots__[:-1])

    def __hash__(self):
        return hash(tuple(getattr(self, k) for k in self.__slots__[:-1]))

    def __repr__(self):
        return ('LinearCrossEntropyOptions(allow_retain_graph=%r, batch_chunk_size=%r, chunking_method=%r, '
                'acc_policy=%r, acc_dtype=%s)' % (self.allow_retain_graph, self.batch_chunk_size,
                                                  self.chunking_method, self.acc_policy, self.acc_dtype))


def _options(options):
    if options is None:
        return None
    if not isinstance(options, LinearCrossEntropyOptions):
        raise TypeError('options must be a LinearCrossEntropyOptions or None, got %s' % type(options).__name__)
    return options._j


def linear_cross_entropy(input, linear_weight, target, *, linear_bias=None, weight=None, reduction='mean',
                         ignore_index=None, label_smoothing=0.0, options=None):
    r"""Cross entropy of the logits ``input @ linear_weight.T + linear_bias`` against ``target``, made without
    a separate linear layer; with ``options`` the batch goes through in chunks and the full logits never exist.

    Args:
        input: (in_features) or (N, in_features).
        linear_weight: (C, in_features), or (C, d_1, ..., d_K, in_features) for a K-dimensional loss (batched
            input only).
        target: int64 class indices of shape (), (N) or (N, d_1, ..., d_K), or probabilities of the logits'
            shape (C), (N, C) or (N, C, d_1, ..., d_K).
        linear_bias: (C) or (C, d_1, ..., d_K), optional.
        weight: (C) per-class weights, optional.
        reduction: 'none' | 'mean' | 'sum'.
        ignore_index: a class index whose targets do not count; None is -100 for class targets and must stay
            None for probability targets.
        label_smoothing: in [0, 1].
        options: LinearCrossEntropyOptions for the chunked path (class targets, no smoothing, K = 0), or None.
    Counterpart of torch.nn.functional.linear_cross_entropy (PyTorch 2.13); computed by
    dev.loss4j.loss.LinearCrossEntropy.
    """
    try:
        out = _L.linearCrossEntropy(input._v, linear_weight._v, target._v, _v(linear_bias), _v(weight), reduction,
                                    None if ignore_index is None else int(ignore_index), float(label_smoothing),
                                    _options(options))
    except _Foreign as e:
        raise _translate(e) from None
    return _finish(out)
