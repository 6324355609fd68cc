"""torch.backends.cudnn: no GPU here. Scripts that set `deterministic` or `benchmark` for reproducibility keep
working; the values are kept and have no effect (loss4j's results are the same bits run to run anyway)."""
enabled = True
deterministic = False
benchmark = False
allow_tf32 = True


def is_available():
    return False


def version():
    return None
