#!/usr/bin/env python3
"""Times PyTorch on the cases of ElementwiseLossBench and prints a table against JMH's results.

Usage: pytorch_bench.py JMH_RESULT.json    (from `java -jar ... -rf json`); same thread count as JMH (1).
"""
import json
import sys
import timeit

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
FNS = {'l1': F.l1_loss, 'mse': F.mse_loss}
DTYPES = {'float32': torch.float32, 'float64': torch.float64}


def time_us(stmt, number):
    best = min(timeit.repeat(stmt, number=number, repeat=5))
    return best / number * 1e6


def torch_case(loss, size, dtype, mode):
    g = torch.Generator().manual_seed(42)
    x = (torch.rand(size, generator=g, dtype=torch.float64) * 2 - 1).to(DTYPES[dtype])
    y = (torch.rand(size, generator=g, dtype=torch.float64) * 2 - 1).to(DTYPES[dtype])
    fn = FNS[loss]
    number = 2000 if size <= 1000 else 20
    if mode == 'forward':
        with torch.no_grad():
            return time_us(lambda: fn(x, y), number)

    def fwd_bwd():
        xr = x.detach().requires_grad_(True)
        fn(xr, y).backward()
        return xr.grad
    return time_us(fwd_bwd, number)


def main(path):
    results = json.load(open(path))
    print('%-32s %12s %12s %8s  %s' % ('case', 'loss4j us', 'torch us', 'ratio', 'floor us at 10 GB/s'))
    for r in results:
        p = r['params']
        mode = r['benchmark'].rsplit('.', 1)[1]
        ours = r['primaryMetric']['score']
        theirs = torch_case(p['loss'], int(p['size']), p['dtype'], mode)
        itemsize = 4 if p['dtype'] == 'float32' else 8
        # Bytes a perfect kernel must move: read input and target; forward+backward also writes the gradient.
        moved = int(p['size']) * itemsize * (2 if mode == 'forward' else 3)
        floor_us = moved / 10e9 * 1e6  # at an assumed 10 GB/s of single-core memory bandwidth
        print('%-32s %12.2f %12.2f %8.2f  %.1f' % ('%s/%s/%s/%s' % (p['loss'], mode, p['size'], p['dtype']),
                                                   ours, theirs, ours / theirs, floor_us))


if __name__ == '__main__':
    main(sys.argv[1])
