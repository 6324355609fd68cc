"""loss4j: PyTorch's torch.nn losses on the JVM. Under bin/loss4j-python this package is `torch`.

Covers the part of torch that loss code touches: tensors and their factories, autograd's backward,
and every loss in torch.nn and torch.nn.functional. What it does not provide raises NotImplementedError.
"""
from ._tensor import (  # noqa: F401
    Size, Tensor, bool, double, dtype, float, float32, float64, full, get_default_dtype, int64,
    is_tensor, long, ones, tensor, zeros,
)
from . import nn  # noqa: F401

__version__ = '1.13.1+loss4j'
from ._random import (  # noqa: F401,E402
    Generator, default_generator, initial_seed, manual_seed, rand, rand_like, randint, randint_like, randn,
    randn_like, seed,
)
from . import cuda, optim  # noqa: F401,E402
from ._missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr('torch')
