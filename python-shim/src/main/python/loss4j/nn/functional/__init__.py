"""torch.nn.functional: every loss function and the activations and distances around them, each read from its
family module on first use (see loss4j._lazy). Any other name raises NotImplementedError naming it."""
from ... import _lazy
from ..._missing import module_getattr as _module_getattr

_FAMILIES = {
    '_regression': ('l1_loss', 'mse_loss', 'smooth_l1_loss', 'huber_loss'),
    '_probabilistic': ('poisson_nll_loss', 'gaussian_nll_loss', 'kl_div'),
    '_binary': ('binary_cross_entropy', 'binary_cross_entropy_with_logits', 'soft_margin_loss',
                'multilabel_soft_margin_loss'),
    '_classification': ('nll_loss', 'cross_entropy', 'multi_margin_loss', 'multilabel_margin_loss'),
    '_embedding': ('margin_ranking_loss', 'hinge_embedding_loss', 'cosine_embedding_loss', 'triplet_margin_loss',
                   'triplet_margin_with_distance_loss', 'pairwise_distance'),
    '_sequence': ('ctc_loss',),
    '_adaptive': ('adaptive_log_softmax_with_loss',),
    '_linear_cross_entropy': ('linear_cross_entropy',),
    '_activation': ('log_softmax', 'softmax', 'sigmoid', 'tanh', 'relu', 'cosine_similarity'),
    '_blocks': ('normalize', 'one_hot', 'softplus', 'logsigmoid', 'linear', 'leaky_relu', 'elu', 'silu', 'gelu'),
    '_extras': ('pad', 'pdist'),
    '_spatial': ('conv1d', 'conv2d', 'avg_pool1d', 'avg_pool2d', 'max_pool2d', 'interpolate'),
}
__getattr__, __dir__, __all__ = _lazy.exports(__name__, _FAMILIES, _module_getattr('torch.nn.functional'))
