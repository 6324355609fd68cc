"""NotImplementedError for the parts of torch that loss4j does not provide, naming the part and what is covered."""

COVERED = ('loss4j provides the part of torch that loss code touches: tensors and their factories, autograd '
           '(backward, grad), the losses of torch.nn and torch.nn.functional, and the ops and modules around them '
           '(log_softmax, softmax, sigmoid, pairwise_distance, cosine_similarity, ...). Compute the model outside '
           'loss4j and pass its outputs in as tensors.')


class _NotProvided(NotImplementedError, AttributeError):
    """The error for a part of torch that loss4j lacks: a NotImplementedError that names it, and also an
    AttributeError, so that `hasattr(torch, 'compile')` and `getattr(F, name, None)` answer as for any missing
    attribute instead of raising. Tracebacks print it as NotImplementedError."""


_NotProvided.__name__ = _NotProvided.__qualname__ = 'NotImplementedError'
_NotProvided.__module__ = 'builtins'


def missing(what):
    return _NotProvided('%s is not provided by loss4j. %s' % (what, COVERED))


def module_getattr(module_name):
    """A module-level __getattr__ that raises NotImplementedError for every public name not defined."""
    def __getattr__(name):
        if name.startswith('__'):
            raise AttributeError("module '%s' has no attribute '%s'" % (module_name, name))
        raise missing('%s.%s' % (module_name, name))
    return __getattr__
