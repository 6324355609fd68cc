"""torch.backends.mps: no Apple GPU here, as PyTorch answers on Linux."""


def is_available():
    return False


def is_built():
    return False
