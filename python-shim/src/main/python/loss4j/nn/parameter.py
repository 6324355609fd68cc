"""torch.nn.Parameter: a leaf tensor that requires grad, printed as PyTorch prints parameters."""
from .._tensor import Tensor


class Parameter(Tensor):
    """A module parameter: `Parameter(data, requires_grad=True)` shares `data`'s values as a new leaf."""

    __slots__ = ()

    def __new__(cls, data=None, requires_grad=True):
        from .. import _bridge
        from .._tensor import zeros
        source = zeros(0) if data is None else data
        jvar = _bridge.call(_bridge.Variable.leaf, source._v.data(), bool(requires_grad))
        t = object.__new__(cls)  # an instance of Parameter, so that modules can tell parameters from tensors
        t._v = jvar
        return t

    def __init__(self, data=None, requires_grad=True):
        pass

    @classmethod
    def _of(cls, jvar):
        """A Parameter over an engine leaf as it is (a module's own parameter: its gradients land there)."""
        p = object.__new__(cls)
        p._v = jvar
        return p

    def __repr__(self):
        return 'Parameter containing:\n' + Tensor.__repr__(self)

    __str__ = __repr__
