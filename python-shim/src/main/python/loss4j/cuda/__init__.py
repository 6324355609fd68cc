"""torch.cuda: loss4j runs on the CPU (the JVM) only. is_available() is False, as on a machine without a GPU,
so the usual `device = 'cuda' if torch.cuda.is_available() else 'cpu'` keeps working; the rest raises
NotImplementedError."""
from .._missing import module_getattr


def is_available():
    return False


def device_count():
    return 0


__getattr__ = module_getattr('torch.cuda')
