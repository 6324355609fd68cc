"""torch.nn.Module, reduced to what loss modules need: call-through to forward and PyTorch's repr."""


class Module:
    """Base class of the shim's modules; `module(*args)` calls `forward(*args)`."""

    def __init__(self):
        self.training = True

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def forward(self, *args, **kwargs):
        raise NotImplementedError('Module [%s] is missing the required "forward" function' % type(self).__name__)

    def extra_repr(self):
        return ''

    def __repr__(self):
        return '%s(%s)' % (type(self).__name__, self.extra_repr())

    def train(self, mode=True):
        self.training = mode
        return self

    def eval(self):
        return self.train(False)

    def parameters(self, recurse=True):
        return iter(())
