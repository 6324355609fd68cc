"""LinearCrossEntropyLoss (PyTorch 2.13): a loss module that owns a linear layer's parameters. Computed by
dev.loss4j.loss.LinearCrossEntropy."""
import java

from ... import _bridge, _random
from ..._tensor import float32
from ..functional._linear_cross_entropy import LinearCrossEntropyOptions, linear_cross_entropy
from ..parameter import Parameter
from ._adaptive import _Container, Linear

__all__ = ['LinearCrossEntropyLoss', 'LinearCrossEntropyOptions']

_L = java.type('dev.loss4j.loss.LinearCrossEntropy')
_JModule = java.type('dev.loss4j.loss.LinearCrossEntropy$LinearCrossEntropyLoss')
_DType = java.type('dev.loss4j.tensor.DType')


class LinearCrossEntropyLoss(_Container):
    r"""Cross entropy of the logits of a built-in linear layer: :math:`z = x W^T + b`, then CrossEntropyLoss on z
    (class weights, ignore_index, label smoothing, probability targets and reductions as there).

    Arguments: in_features, the width of a sample; num_classes, C; out_features, a tuple (d_1, ..., d_K) that
    makes the loss K-dimensional, with logits (N, C, d_1, ...); bias, whether the layer has one; dtype, that of
    the parameters (float32 unless given); reduction, weight, ignore_index, label_smoothing and options mean what
    they mean for linear_cross_entropy.
    The layer is ``self.linear`` with ``weight`` of shape (C * d_1 * ... * d_K, in_features) and ``bias`` of shape
    (C * d_1 * ... * d_K), drawn as nn.Linear draws them from torch's default generator (uniform in
    +-1/sqrt(in_features)), so after the same torch.manual_seed they hold PyTorch's values.
    Shape: input (in_features) or (N, in_features); target as linear_cross_entropy; output scalar, or the
    target's shape (class targets) for reduction='none'.
    Counterpart of torch.nn.LinearCrossEntropyLoss (PyTorch 2.13).
    """

    def __init__(self, in_features, num_classes, *, out_features=(), bias=False, device=None, dtype=None,
                 reduction='mean', weight=None, ignore_index=None, label_smoothing=0.0, options=None):
        super().__init__()
        dt = _DType.fromName((dtype or float32)._name)
        out_features = tuple(out_features)
        jm = _bridge.call(_JModule, int(in_features), int(num_classes), [int(d) for d in out_features], bool(bias),
                          dt, reduction, None if weight is None else weight._v,
                          None if ignore_index is None else int(ignore_index), float(label_smoothing),
                          None if options is None else options._j, _random.default_generator._g)
        self._jm = jm
        self.weight = weight
        self.reduction = reduction
        self.num_classes = num_classes
        self.out_features = out_features
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing
        self.options = options
        b = jm.linearBias()
        self.linear = Linear(Parameter._of(jm.linearWeight()), None if b is None else Parameter._of(b))

    def _children(self):
        return [('linear', self.linear)]

    def forward(self, input, target):
        linear_weight = self.linear.weight.reshape((self.num_classes, *self.out_features, self.linear.in_features))
        bias = self.linear.bias
        linear_bias = None if bias is None else bias.reshape((self.num_classes, *self.out_features))
        return linear_cross_entropy(input, linear_weight, target, linear_bias=linear_bias, weight=self.weight,
                                    reduction=self.reduction, ignore_index=self.ignore_index,
                                    label_smoothing=self.label_smoothing, options=self.options)

    def extra_repr(self):
        return ('in_features={}, num_classes={}, out_features={}, bias={}, reduction={}, ignore_index={}, '
                'label_smoothing={}, options={}'.format(self.linear.in_features, self.num_classes,
                                                        self.out_features, self.linear.bias is not None,
                                                        self.reduction, self.ignore_index, self.label_smoothing,
                                                        self.options))

    def __repr__(self):
        return '%s(\n  %s\n  (linear): %r\n)' % (type(self).__name__, self.extra_repr(), self.linear)
