"""torch.nn: the loss modules, the activation and distance modules around them, and the Module base.

Any other torch.nn name (Conv2d, Linear, Sequential, ...) raises NotImplementedError naming it.
"""
from .modules import *  # noqa: F401,F403
from . import functional  # noqa: F401
from .parameter import Parameter  # noqa: F401
from .._missing import module_getattr as _module_getattr

__getattr__ = _module_getattr('torch.nn')
