"""The modules of torch.nn that loss4j provides, each read from its family module on first use (see
loss4j._lazy)."""
from ... import _lazy
from ..._missing import module_getattr as _module_getattr

_FAMILIES = {
    'module': ('Module',),
    '_regression': ('L1Loss', 'MSELoss', 'SmoothL1Loss', 'HuberLoss'),
    '_probabilistic': ('PoissonNLLLoss', 'GaussianNLLLoss', 'KLDivLoss'),
    '_binary': ('BCELoss', 'BCEWithLogitsLoss', 'SoftMarginLoss', 'MultiLabelSoftMarginLoss'),
    '_classification': ('NLLLoss', 'CrossEntropyLoss', 'MultiMarginLoss', 'MultiLabelMarginLoss'),
    '_embedding': ('MarginRankingLoss', 'HingeEmbeddingLoss', 'CosineEmbeddingLoss', 'TripletMarginLoss',
                   'TripletMarginWithDistanceLoss', 'PairwiseDistance'),
    '_sequence': ('CTCLoss',),
    '_adaptive': ('AdaptiveLogSoftmaxWithLoss',),
    '_linear_cross_entropy': ('LinearCrossEntropyLoss', 'LinearCrossEntropyOptions'),
    '_activation': ('LogSoftmax', 'Softmax', 'Sigmoid', 'Tanh', 'ReLU', 'LeakyReLU', 'ELU', 'SiLU', 'GELU', 'CosineSimilarity'),
}
__getattr__, __dir__, __all__ = _lazy.exports(__name__, _FAMILIES, _module_getattr('torch.nn'))
