#!/usr/bin/env python3
"""Records PyTorch's CPU random streams into ../src/test/resources/random/random.jsonl.

Each line seeds torch.manual_seed(seed) and makes a sequence of calls (rand, randn, randint, random_, uniform_) whose
results must come out of dev.loss4j.random.Generator identically (RandomParityTest): the sequences check
that the generator's state, including randn's cached second sample, carries from call to call.
"""
import json
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'src', 'test', 'resources', 'random', 'random.jsonl')
DT = {'float32': torch.float32, 'float64': torch.float64, 'int64': torch.int64, 'float16': torch.float16,
      'bfloat16': torch.bfloat16}

SEQUENCES = {
    'rand-f32': [('rand', 'float32', [3]), ('rand', 'float32', [5, 4])],
    'rand-f64': [('rand', 'float64', [3]), ('rand', 'float64', [17])],
    'randn-small-f32': [('randn', 'float32', [3]), ('randn', 'float32', [1]), ('randn', 'float32', [5])],
    'randn-small-f64': [('randn', 'float64', [3]), ('randn', 'float64', [2, 3])],
    'randn-16-f32': [('randn', 'float32', [16])],
    'randn-17-f32': [('randn', 'float32', [17]), ('randn', 'float32', [3])],
    'randn-block-f32': [('randn', 'float32', [5, 7]), ('randn', 'float32', [100])],
    'randn-block-f64': [('randn', 'float64', [33]), ('randn', 'float64', [4, 8])],
    # float16/bfloat16 normals of 16 or more draw block by block (a partial last block 16 more at n - 16).
    'randn-f16': [('randn', 'float16', [16]), ('randn', 'float16', [20]), ('randn', 'float16', [5, 7]),
                  ('randn', 'float16', [3]), ('randn', 'float32', [17])],
    'randn-bf16': [('randn', 'bfloat16', [33]), ('randn', 'bfloat16', [4, 8]), ('randn', 'bfloat16', [100]),
                   ('rand', 'bfloat16', [5]), ('randn', 'float64', [3])],
    'rand-half': [('rand', 'float16', [6]), ('uniform', 'float16', [7], -0.3, 0.45),
                  ('uniform', 'bfloat16', [7], -2.0, 3.0), ('rand', 'float32', [2])],
    'randint-small': [('randint', 'int64', [6], 0, 10), ('randint', 'int64', [2, 3], -5, 5)],
    'randint-wide': [('randint', 'int64', [5], 0, 2 ** 33), ('randint', 'int64', [3], -2 ** 40, 2 ** 40)],
    'random_-long': [('random_', 'int64', [5, 8, 8], 0, 4)],
    'random_-float': [('random_', 'float32', [7], 0, 100), ('random_', 'float64', [3], -3, 3)],
    'uniform': [('uniform', 'float32', [7, 5], -0.3, 0.45), ('uniform', 'float64', [9], -2.0, 3.0),
                ('uniform', 'float32', [4], -0.35355339059327373, 0.35355339059327373)],
    'mixed': [('rand', 'float32', [2]), ('randn', 'float32', [3]), ('randint', 'int64', [4], 0, 7),
              ('randn', 'float64', [18]), ('rand', 'float64', [1])],
}
SEEDS = [0, 1, 42, 12345, 2 ** 40 + 3]


def call(c):
    fn, dtype, shape = c[0], DT[c[1]], c[2]
    if fn == 'rand':
        return torch.rand(shape, dtype=dtype)
    if fn == 'randn':
        return torch.randn(shape, dtype=dtype)
    if fn == 'uniform':
        return torch.empty(shape, dtype=dtype).uniform_(c[3], c[4])
    if fn == 'randint':
        return torch.randint(c[3], c[4], shape, dtype=dtype)
    return torch.empty(shape, dtype=dtype).random_(c[3], c[4])


def main():
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    n = 0
    with open(OUT, 'w') as f:
        for name, calls in SEQUENCES.items():
            for seed in SEEDS:
                torch.manual_seed(seed)
                rec = []
                for c in calls:
                    t = call(c)
                    rec.append({'fn': c[0], 'dtype': c[1], 'shape': c[2], 'low': c[3] if len(c) > 3 else None,
                                'high': c[4] if len(c) > 4 else None,
                                'result': {'dtype': c[1], 'shape': list(t.shape), 'data': t.reshape(-1).tolist()}})
                f.write(json.dumps({'id': '%s/seed=%d' % (name, seed), 'torch': torch.__version__, 'seed': seed,
                                    'calls': rec}) + '\n')
                n += 1
    print('recorded %d random sequences with torch %s -> %s' % (n, torch.__version__, os.path.relpath(OUT)))


if __name__ == '__main__':
    main()
