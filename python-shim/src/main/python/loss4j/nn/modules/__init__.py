"""The modules of torch.nn that loss4j provides, re-exported one family per line."""
from .module import Module  # noqa: F401
from ._regression import L1Loss, MSELoss  # noqa: F401

__all__ = ['Module', 'L1Loss', 'MSELoss']
