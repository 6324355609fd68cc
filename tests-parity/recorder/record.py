#!/usr/bin/env python3
"""Records loss4j's parity fixtures from real PyTorch.

Runs every row of the case tables under cases/ through torch.nn.functional (and the matching torch.nn
module), and writes one JSON line per case to ../src/test/resources/fixtures/<family>.jsonl: the inputs,
options, torch version, output with shape and dtype, grad_fn name, every gradient, the warnings, or the
exception class and message. Deterministic: each case seeds torch from its id, and torch runs on one thread
(PyTorch 2.x checks some targets inside parallel loops, where which bad target gets reported depends on the
thread count; one thread also fixes every reduction order).

Usage: python3 record.py [FAMILY ...]    (default: every table in cases/)
"""
import importlib
import json
import os
import pkgutil
import sys
import warnings
import zlib

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, '..', 'src', 'test', 'resources', 'fixtures')
DTYPES = {'float32': torch.float32, 'float64': torch.float64, 'int64': torch.int64, 'bool': torch.bool,
          'int32': torch.int32, 'float16': torch.float16, 'bfloat16': torch.bfloat16}

sys.path.insert(0, HERE)
import cases  # noqa: E402

# Ops that are not torch.nn.functional functions (e.g. a module run over parameters given as arguments):
# op name -> callable(*args, **kwargs). A case table registers its own by defining CUSTOM_OPS.
CUSTOM_OPS = {}


def op_function(name):
    """The callable a case's op names: a registered custom op, else torch.nn.functional.<name>."""
    return CUSTOM_OPS[name] if name in CUSTOM_OPS else getattr(F, name)


def encode(t):
    """A tensor as {dtype, shape, data}; floats keep their exact value (float32 widened exactly)."""
    t = t.detach()
    name = str(t.dtype).replace('torch.', '')
    return {'dtype': name, 'shape': list(t.shape), 'data': t.reshape(-1).tolist()}


def build(spec, gen):
    """A tensor from a case's input spec (see cases.Input)."""
    return spec.make(gen)


def tensor_options(options, gen, made):
    """Options with their Input values made into tensors (once per Input object, shared by kwargs and ctor),
    and their JSON form, where a tensor is {"__tensor__": {dtype, shape, data, requires_grad}}."""
    if options is None:
        return None, None
    values, encoded = {}, {}
    for key, value in options.items():
        if isinstance(value, cases.Input):
            if id(value) not in made:
                t = value.make(gen)
                if value.requires_grad:
                    t.requires_grad_(True)
                made[id(value)] = t
            values[key] = made[id(value)]
            encoded[key] = {'__tensor__': dict(encode(made[id(value)]), requires_grad=bool(value.requires_grad))}
        else:
            values[key] = encoded[key] = value
    return values, encoded


def run(case):
    gen = torch.Generator().manual_seed(zlib.crc32(case.id.encode()))
    args = [spec.make(gen) if spec is not None else None for spec in case.inputs]
    made = {}
    kwargs, kwargs_json = tensor_options(case.kwargs, gen, made)
    _, ctor_json = tensor_options(case.ctor, gen, made)
    rec = {'id': case.id, 'op': case.op, 'torch': torch.__version__}
    if case.module:
        rec['module'] = case.module
        rec['ctor'] = ctor_json
    rec['args'] = [None if a is None else dict(encode(a), requires_grad=bool(s.requires_grad))
                   for a, s in zip(args, case.inputs)]
    rec['kwargs'] = kwargs_json
    for a, s in zip(args, case.inputs):
        if a is not None and s.requires_grad:
            a.requires_grad_(True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        try:
            out = op_function(case.op)(*args, **kwargs)
        except Exception as e:  # the error itself is the expected result
            rec['error'] = {'type': type(e).__name__, 'message': str(e)}
            rec['warnings'] = [str(w.message) for w in caught]
            return rec
        rec['warnings'] = [str(w.message) for w in caught]
    expected = {'output': encode(out), 'grad_fn': None if out.grad_fn is None else type(out.grad_fn).__name__}
    if out.requires_grad:
        grad_output = None
        if out.numel() != 1 or out.dim() != 0:
            grad_output = torch.randn(out.shape, generator=gen, dtype=out.dtype)
            rec['grad_output'] = encode(grad_output)
        try:
            out.backward(grad_output)
        except Exception as e:  # PyTorch refuses some backward passes: that is the expected result too
            expected['backward_error'] = {'type': type(e).__name__, 'message': str(e)}
            rec['expected'] = expected
            return rec
        expected['grads'] = [None if a is None or a.grad is None else encode(a.grad) for a in args]
    rec['expected'] = expected
    return rec


def main(families):
    torch.set_num_threads(1)
    os.makedirs(FIXTURES, exist_ok=True)
    names = families or sorted(m.name for m in pkgutil.iter_modules(cases.__path__) if not m.name.startswith('_'))
    total = 0
    for name in names:
        table = importlib.import_module('cases.' + name)
        CUSTOM_OPS.update(getattr(table, 'CUSTOM_OPS', {}))
        seen = set()
        path = os.path.join(FIXTURES, name + '.jsonl')
        with open(path, 'w') as f:
            for case in table.CASES:
                if case.id in seen:
                    raise SystemExit('duplicate case id ' + case.id)
                seen.add(case.id)
                f.write(json.dumps(run(case), sort_keys=False) + '\n')
        print('%-24s %5d cases -> %s' % (name, len(seen), os.path.relpath(path)))
        total += len(seen)
    print('recorded %d cases with torch %s' % (total, torch.__version__))


if __name__ == '__main__':
    main(sys.argv[1:])
