# Data crossing the Python/Java boundary in the shim: 1,000,000-element torch.tensor(list) and tolist(),
# flat and nested, float32 and float64. Run by `make bench` under bin/loss4j-python (and, for comparison,
# under PyTorch when /usr/bin/python3 has it: same script, same numbers printed).
import time

import torch

N = 1_000_000


def best_of(fn, repeat=5, warmup=3):
    for _ in range(warmup):
        fn()
    best = float('inf')
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


flat = [i * 0.5 for i in range(N)]
nested = [flat[i:i + 1000] for i in range(0, N, 1000)]
cases = [
    ('tensor(list of 1e6 floats)', lambda: torch.tensor(flat)),
    ('tensor(1000x1000 nested list)', lambda: torch.tensor(nested)),
    ('tensor(list, dtype=float64)', lambda: torch.tensor(flat, dtype=torch.float64)),
]
t32 = torch.tensor(flat)
t2d = torch.tensor(nested)
cases += [
    ('tolist() of 1e6 float32', lambda: t32.tolist()),
    ('tolist() of 1000x1000', lambda: t2d.tolist()),
]
for name, fn in cases:
    print('%-34s %8.1f ms' % (name, best_of(fn)))
