"""loss4j: PyTorch's torch.nn losses on the JVM. Under bin/loss4j-python this package is `torch`.

Covers the part of torch that loss code touches: tensors and their factories, autograd's backward,
and every loss in torch.nn and torch.nn.functional. What it does not provide raises NotImplementedError.
"""
from ._tensor import (  # noqa: F401
    Size, Tensor, arange, as_tensor, bool, double, dtype, empty, empty_like, enable_grad, float, float32,
    float64, frombuffer, full, full_like, get_default_dtype, inference_mode, int64, is_grad_enabled, is_tensor, long,
    no_grad, ones, ones_like, set_grad_enabled, tensor, zeros, zeros_like, FloatTensor, DoubleTensor, LongTensor,
    BoolTensor, int32, int, float16, half, bfloat16, IntTensor, HalfTensor, BFloat16Tensor, uint8, int8, int16, short,
    uint16, uint32, uint64,
    ByteTensor, CharTensor, ShortTensor,
)
from ._functions import *  # noqa: F401,F403
from . import nn  # noqa: F401
from . import linalg, special  # noqa: F401

# The PyTorch release whose behaviour this shim mirrors (its parity fixtures are recorded from 2.13.0+cpu).
__version__ = '2.13.0+loss4j'
from ._random import (  # noqa: F401,E402
    Generator, default_generator, initial_seed, manual_seed, rand, rand_like, randint, randint_like, randn,
    randn_like, seed,
)
from . import backends, cuda, optim  # noqa: F401,E402
from ._threads import get_num_threads, set_num_threads  # noqa: F401,E402
from ._missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr('torch')
