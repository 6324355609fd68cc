"""torch.nn: the loss modules, the activation and distance modules around them, and the Module base; each read
on first use (see loss4j._lazy). Any other torch.nn name (Conv2d, Linear, Sequential, ...) raises
NotImplementedError naming it."""
from .. import _lazy
from .._missing import module_getattr as _module_getattr
from . import functional, modules  # noqa: F401  (both cheap: their names are read lazily too)

_FAMILIES = {'modules.' + family: names for family, names in modules._FAMILIES.items()}
_FAMILIES['parameter'] = ('Parameter',)
__getattr__, __dir__, __all__ = _lazy.exports(__name__, _FAMILIES, _module_getattr('torch.nn'))
