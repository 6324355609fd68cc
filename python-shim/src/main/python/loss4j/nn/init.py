"""torch.nn.init is not provided: every name raises NotImplementedError."""
from .._missing import module_getattr

__getattr__ = module_getattr('torch.nn.init')
