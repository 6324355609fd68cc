"""torch.nn: the loss modules (and the Module base they need)."""
from .modules import *  # noqa: F401,F403
from . import functional  # noqa: F401
