"""torch.backends: the switches scripts set before training. loss4j's kernels are its own, so cudnn and mps
are there only to answer as on a CPU-only machine (is_available() False, settings stored and ignored), and
cpu says which vector instructions the kernels run on."""
from .._missing import module_getattr
from . import cpu, cudnn, mps  # noqa: F401

__getattr__ = module_getattr('torch.backends')
