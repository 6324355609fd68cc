"""NotImplementedError for the parts of torch that loss4j does not provide, naming the part and what is covered."""

COVERED = ('loss4j provides the part of torch that loss code touches: tensors and their factories, autograd '
           '(backward, grad), the losses of torch.nn and torch.nn.functional, and the ops and modules around them '
           '(log_softmax, softmax, sigmoid, pairwise_distance, cosine_similarity, ...). Compute the model outside '
           'loss4j and pass its outputs in as tensors.')


def missing(what):
    return NotImplementedError('%s is not provided by loss4j. %s' % (what, COVERED))


def module_getattr(module_name):
    """A module-level __getattr__ that raises NotImplementedError for every public name not defined."""
    def __getattr__(name):
        if name.startswith('__'):
            raise AttributeError("module '%s' has no attribute '%s'" % (module_name, name))
        raise missing('%s.%s' % (module_name, name))
    return __getattr__
