"""AdaptiveLogSoftmaxWithLoss: a module with parameters (head Linear, tail Sequential(Linear, Linear) per
cluster), computed by dev.loss4j.loss.Adaptive.AdaptiveLogSoftmaxWithLoss."""

import java

from ... import _bridge, _random
from ..._tensor import Tensor, float32
from .module import Module
from ..parameter import Parameter

__all__ = ['AdaptiveLogSoftmaxWithLoss']

_Adaptive = java.type('dev.loss4j.loss.Adaptive')
_DType = java.type('dev.loss4j.tensor.DType')

_ASMoutput = None  # made on first use: importing collections costs `import torch` several stdlib modules


def _asm_output(output, loss):
    global _ASMoutput
    if _ASMoutput is None:
        from collections import namedtuple
        _ASMoutput = namedtuple('_ASMoutput', ['output', 'loss'])
    return _ASMoutput(output, loss)


class _Container(Module):
    """What the adaptive softmax's submodules share: named parameters gathered from children."""

    def _own(self):
        return []

    def _children(self):
        return []

    def named_parameters(self, prefix='', recurse=True):
        for name, p in self._own():
            if p is not None:
                yield prefix + name, p
        for name, child in self._children():
            yield from child.named_parameters(prefix + name + '.')

    def parameters(self, recurse=True):
        for _, p in self.named_parameters():
            yield p

    def zero_grad(self, set_to_none=False):
        for p in self.parameters():
            p.grad = None


class Linear(_Container):
    """A linear layer's parameters (the adaptive softmax's head and tail layers)."""

    def __init__(self, weight, bias=None):
        super().__init__()
        self.weight = weight
        self.bias = bias
        self.out_features, self.in_features = weight.shape

    def _own(self):
        return [('weight', self.weight), ('bias', self.bias)]

    def extra_repr(self):
        return 'in_features={}, out_features={}, bias={}'.format(self.in_features, self.out_features,
                                                                 self.bias is not None)


class Sequential(_Container):
    def __init__(self, *layers):
        super().__init__()
        self._layers = list(layers)
        for i, layer in enumerate(self._layers):
            self.add_module(str(i), layer)

    def __getitem__(self, i):
        return self._layers[i]

    def __len__(self):
        return len(self._layers)

    def __iter__(self):
        return iter(self._layers)

    def _children(self):
        return [(str(i), m) for i, m in enumerate(self._layers)]


class ModuleList(Sequential):
    pass


class AdaptiveLogSoftmaxWithLoss(_Container):
    r"""Adaptive softmax (Grave et al., 2017): a log-softmax over many classes, cheap for the frequent ones.

    Classes are split by ``cutoffs`` (increasing ints below ``n_classes``; n_classes is appended): the head
    scores the first cutoffs[0] classes and one entry per tail cluster; cluster i projects ``in_features`` down to
    in_features // div_value**(i + 1) and scores its own classes, so
    :math:`\log p(y) = \log p_{head}(\text{cluster}) + \log p_{cluster}(y)` for a tail class.
    ``div_value`` default 4.0; ``head_bias`` gives the head's linear layer a bias (default False).

    forward(input, target) gives a named tuple: ``output``, each target's log-probability, and ``loss``, the
    mean of -output; log_prob(input) gives all classes' log-probabilities, predict(input) the likeliest.
    Shape: input (N, in_features) or (in_features), target (N) or ().
    Parameters are initialised as nn.Linear initialises them, from torch's default generator: after the same
    torch.manual_seed the module starts from PyTorch's values. Counterpart: torch.nn.AdaptiveLogSoftmaxWithLoss.
    """

    def __init__(self, in_features, n_classes, cutoffs, div_value=4., head_bias=False, device=None, dtype=None):
        super().__init__()
        cutoffs = list(cutoffs)
        dt = _DType.fromName((dtype or float32)._name)
        jm = _bridge.call(_Adaptive.create, int(in_features), int(n_classes), [float(c) for c in cutoffs],
                          float(div_value), bool(head_bias), dt, _random.default_generator._g)
        self.in_features = in_features
        self.n_classes = n_classes
        self.cutoffs = [int(c) for c in jm.cutoffs()]
        self.div_value = div_value
        self.head_bias = head_bias
        self.shortlist_size = self.cutoffs[0]
        self.n_clusters = len(self.cutoffs) - 1
        self.head_size = self.shortlist_size + self.n_clusters
        for p in jm.parameters():
            if p.data().numel() == 0:  # nn.init's kaiming_uniform_ on a zero-hidden-size tail layer
                _bridge.emit(["Initializing zero-element tensors is a no-op"])
        bias = jm.headBias()
        self.head = Linear(Parameter._of(jm.headWeight()), None if bias is None else Parameter._of(bias))
        self.tail = ModuleList(*[Sequential(Linear(Parameter._of(jm.tailWeight(i, 0))),
                                            Linear(Parameter._of(jm.tailWeight(i, 1))))
                                 for i in range(self.n_clusters)])

    def _children(self):
        return [('head', self.head), ('tail', self.tail)]

    def _engine(self):
        tails = [layer.weight._v for seq in self.tail for layer in seq]
        bias = self.head.bias
        return _bridge.call(_Adaptive.withParameters, int(self.in_features), int(self.n_classes),
                            [float(c) for c in self.cutoffs[:-1]], float(self.div_value), self.head.weight._v,
                            None if bias is None else bias._v, tails)

    def forward(self, input_, target_):
        out = _bridge.call(self._engine().forward, input_._v, target_._v)
        return _asm_output(Tensor._wrap(out.output()), Tensor._wrap(out.loss()))

    def log_prob(self, input):
        return Tensor._wrap(_bridge.call(self._engine().logProb, input._v))

    def predict(self, input):
        return Tensor._wrap(_bridge.Variable.constant(_bridge.call(self._engine().predict, input._v)))

    def __repr__(self):
        return str(self._engine().toString())
