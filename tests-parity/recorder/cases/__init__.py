"""Declarative case tables, one module per loss family. Each module defines CASES, a list of Case rows.

A Case names the torch.nn.functional op, its positional tensor inputs (Input specs: shape, dtype, a value
domain, whether a gradient is asked) and its keyword options. record.py turns each row into a fixture.
"""
import itertools
from dataclasses import dataclass, field

import torch

DTYPES = {'float32': torch.float32, 'float64': torch.float64, 'int64': torch.int64, 'bool': torch.bool,
          'int32': torch.int32, 'float16': torch.float16, 'bfloat16': torch.bfloat16}


@dataclass
class Input:
    """How to make one input tensor.

    kind: 'normal' (standard normal), 'uniform' (lo..hi), 'randint' (lo..hi-1 integers),
    'values' (the literal nested list in `values`).
    """
    shape: tuple = ()
    dtype: str = 'float32'
    kind: str = 'normal'
    lo: float = 0.0
    hi: float = 1.0
    values: object = None
    requires_grad: bool = False

    def make(self, gen):
        dt = DTYPES[self.dtype]
        if self.kind == 'values':
            return torch.tensor(self.values, dtype=dt)
        if self.kind == 'normal':
            return torch.randn(self.shape, generator=gen, dtype=torch.float64).to(dt)
        if self.kind == 'uniform':
            u = torch.rand(self.shape, generator=gen, dtype=torch.float64)
            return (self.lo + (self.hi - self.lo) * u).to(dt)
        if self.kind == 'randint':
            return torch.randint(int(self.lo), int(self.hi), self.shape, generator=gen).to(dt)
        if self.kind == 'sign':  # random -1 / +1 labels (embedding family)
            return (torch.randint(0, 2, self.shape, generator=gen) * 2 - 1).to(dt)
        if self.kind == 'log_softmax':  # sequence family: standard normal logits, log_softmax over the last dim
            return torch.randn(self.shape, generator=gen, dtype=torch.float64).log_softmax(-1).to(dt)
        raise ValueError(self.kind)


@dataclass
class Case:
    id: str
    op: str
    inputs: list
    kwargs: dict = field(default_factory=dict)
    module: str = None
    ctor: dict = None


def shape_tag(shape):
    return 'x'.join(str(s) for s in shape) if shape else 'scalar'


def product(**axes):
    """Every combination of the named axes, as dicts."""
    keys = list(axes)
    for values in itertools.product(*(axes[k] for k in keys)):
        yield dict(zip(keys, values))
