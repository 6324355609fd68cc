#!/usr/bin/env python3
"""Records PyTorch's printed form (repr) of a table of tensors into ../src/test/resources/printing/repr.jsonl.

Each line: id, the tensor ({dtype, shape, data}), requires_grad, and PyTorch's repr. PrintingTest checks that
dev.loss4j.tensor.TensorFormatter prints the same text. Deterministic (fixed seeds).
"""
import json
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'src', 'test', 'resources', 'printing', 'repr.jsonl')
inf, nan = float('inf'), float('nan')


def cases():
    g = torch.Generator().manual_seed(7)
    yield 'scalar-int-valued', torch.tensor(1.0)
    yield 'scalar-fraction', torch.tensor(0.51953125)
    yield 'scalar-negative-zero', torch.tensor(-0.0)
    yield 'scalar-large', torch.tensor(123456789.0)
    yield 'scalar-tiny', torch.tensor(1.5e-7)
    yield 'scalar-nan', torch.tensor(nan)
    yield 'scalar-inf-f64', torch.tensor(-inf, dtype=torch.float64)
    yield 'vector-half-even', torch.tensor([0.765625, 0.0625, 0.25, 1.0])
    yield 'matrix-mixed-sign', torch.tensor([[0.5, -1.0], [2.0, -1.75]])
    yield 'matrix-int-valued', torch.tensor([[1.0, -1.0], [1.0, -1.0]])
    yield 'int-valued-wide-range', torch.tensor([1.0, 2000.0, 3.0])
    yield 'sci-small', torch.tensor([1e-5, 0.5, 2.0])
    yield 'sci-range', torch.tensor([1e-3, 1.5, 2500.0])
    yield 'nan-inf-mixed', torch.tensor([0.5, nan, inf, -inf, 2.0])
    yield 'nan-inf-int-mode', torch.tensor([1.0, nan, inf, -inf])
    yield 'all-nonfinite', torch.tensor([nan, inf])
    yield 'zeros', torch.zeros(2, 3)
    yield 'f64-vector', torch.tensor([0.1, 0.2, 0.3], dtype=torch.float64)
    yield 'f64-matrix', torch.randn(3, 4, generator=g, dtype=torch.float64)
    yield 'int64', torch.tensor([[1, -20, 300], [4, 5, 6]])
    yield 'int64-scalar', torch.tensor(7)
    yield 'bool', torch.tensor([True, False, True])
    yield 'empty-1d', torch.zeros(0)
    yield 'empty-2d', torch.zeros(0, 3)
    yield 'empty-3d-f64', torch.zeros(2, 0, 4, dtype=torch.float64)
    yield 'empty-int64', torch.zeros(0, dtype=torch.int64)
    yield 'rank3', torch.randn(2, 3, 4, generator=g)
    yield 'rank4', torch.randn(2, 1, 3, 2, generator=g)
    yield 'wide-row-wraps', torch.randn(30, generator=g)
    yield 'wide-matrix-wraps', torch.randn(2, 20, generator=g) * 100
    yield 'summarized-vector', torch.arange(2000, dtype=torch.float32) / 7
    yield 'summarized-matrix', torch.randn(40, 50, generator=g)
    yield 'summarized-int', torch.arange(1500)
    yield 'negative-rounding', torch.tensor([-0.00001, 0.25])
    yield 'large-values', torch.tensor([1e9, 2e9])
    yield 'large-fraction', torch.tensor([123456.789, 0.5])
    yield 'int32', torch.tensor([[1, -20, 300], [4, 5, 6]], dtype=torch.int32)
    yield 'int32-scalar', torch.tensor(7, dtype=torch.int32)
    yield 'empty-int32', torch.zeros(0, dtype=torch.int32)
    yield 'float16-vector', torch.tensor([0.1, 0.2, 0.7, -3.5], dtype=torch.float16)
    yield 'float16-sci', torch.tensor([1e-5, 2e4], dtype=torch.float16)
    yield 'float16-overflow', torch.tensor([70000.0, 1.0, -1e-8], dtype=torch.float16)
    yield 'float16-scalar', torch.tensor(1 / 3, dtype=torch.float16)
    yield 'float16-matrix', torch.randn(3, 4, generator=g).half()
    yield 'bfloat16-vector', torch.tensor([1 / 3, 3.14159, -2.0], dtype=torch.bfloat16)
    yield 'bfloat16-large', torch.tensor([1e30, 123456.0], dtype=torch.bfloat16)
    yield 'bfloat16-matrix', torch.randn(2, 3, generator=g).bfloat16()
    yield 'empty-float16', torch.zeros(2, 0, dtype=torch.float16)
    yield 'uint8', torch.tensor([[1, 200, 3], [255, 0, 17]], dtype=torch.uint8)
    yield 'uint8-scalar', torch.tensor(7, dtype=torch.uint8)
    yield 'int8', torch.tensor([-128, 5, 127], dtype=torch.int8)
    yield 'int8-scalar', torch.tensor(-3, dtype=torch.int8)
    yield 'int16', torch.tensor([[-30000, 5], [300, 32767]], dtype=torch.int16)
    yield 'empty-uint8', torch.zeros(0, 2, dtype=torch.uint8)
    yield 'summarized-int16', torch.arange(1500, dtype=torch.int16)
    yield 'uint16', torch.tensor([[1, 65535, 3], [300, 0, 17]], dtype=torch.uint16)
    yield 'uint32-scalar', torch.tensor(4294967295, dtype=torch.uint32)
    yield 'uint32', torch.tensor([7, 4000000000, 12], dtype=torch.uint32)
    yield 'uint64', torch.tensor([5, 1000000, 0], dtype=torch.uint64)
    yield 'empty-uint32', torch.zeros(0, 2, dtype=torch.uint32)


def encode(t):
    return {'dtype': str(t.dtype).replace('torch.', ''), 'shape': list(t.shape), 'data': t.reshape(-1).tolist()}


def main():
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    n = 0
    with open(OUT, 'w') as f:
        for name, t in cases():
            f.write(json.dumps({'id': name, 'torch': torch.__version__, 'tensor': encode(t), 'requires_grad': False,
                                'repr': repr(t)}) + '\n')
            n += 1
            if t.dtype.is_floating_point and t.numel() > 0 and t.numel() < 100:
                r = t.clone().requires_grad_(True)
                f.write(json.dumps({'id': name + '/requires_grad', 'torch': torch.__version__, 'tensor': encode(t),
                                    'requires_grad': True, 'repr': repr(r)}) + '\n')
                n += 1
    print('recorded %d reprs with torch %s -> %s' % (n, torch.__version__, os.path.relpath(OUT)))


if __name__ == '__main__':
    main()
