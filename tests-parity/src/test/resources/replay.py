"""Replays one recorded case through the shim (torch.nn.functional, and the torch.nn module form).

`replay(line)` takes a fixture line and returns {'functional': json, 'module': json or None}, each the
observed result: output, grad_fn, grads or backward error, warnings, or the error class and message.
"""
import json
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

_DTYPES = {'float32': torch.float32, 'float64': torch.float64, 'int64': torch.int64, 'bool': torch.bool,
           'int32': torch.int32, 'float16': torch.float16, 'bfloat16': torch.bfloat16}
_ERRORS = (ValueError, RuntimeError, IndexError, TypeError, NotImplementedError)


def _nest(flat, shape):
    for size in reversed(shape[1:]):
        flat = [flat[i:i + size] for i in range(0, len(flat), size)]
    return flat


def _make(spec):
    """A tensor from a recorded {dtype, shape, data}, built as a user would: torch.tensor(nested list)."""
    if spec is None:
        return None
    dtype, shape, data = _DTYPES[spec['dtype']], spec['shape'], spec['data']
    if len(shape) == 0:
        t = torch.tensor(data[0], dtype=dtype)
    elif 0 in shape:
        t = torch.zeros(*shape, dtype=dtype)
    else:
        t = torch.tensor(_nest(data, shape), dtype=dtype)
    if spec.get('requires_grad'):
        t.requires_grad_(True)
    return t


def _flat(x):
    if not isinstance(x, list):
        return [x]
    out = []
    for v in x:
        if isinstance(v, list):
            out.extend(_flat(v))
        else:
            out.append(v)
    return out


def _encode(t):
    if t is None:
        return None
    return {'dtype': str(t.dtype).replace('torch.', ''), 'shape': list(t.shape), 'data': _flat(t.tolist())}


def _observe(case, call):
    args = [_make(s) for s in case['args']]
    result = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        try:
            out = call(args)
        except _ERRORS as e:
            result.update(error_type=type(e).__name__, error_message=str(e))
            out = None
        result['warnings'] = [str(w.message) for w in caught]
    if out is None:
        return json.dumps(result)
    result['output'] = _encode(out)
    result['grad_fn'] = None if out.grad_fn is None else type(out.grad_fn).__name__  # as the recorder
    if out.requires_grad:
        g = case.get('grad_output')
        try:
            out.backward(None if g is None else _make(g))
            result['grads'] = [None if a is None else _encode(a.grad) for a in args]
        except _ERRORS as e:
            result.update(backward_error_type=type(e).__name__, backward_error_message=str(e))
    return json.dumps(result)


def _options(options):
    """Keyword options with recorded tensors ({"__tensor__": spec}) made into tensors, fresh for each call."""
    return {k: _make(v['__tensor__']) if isinstance(v, dict) and '__tensor__' in v else v
            for k, v in (options or {}).items()}


def _lce_options(kwargs):
    """linear_cross_entropy's options travel as a dict of LinearCrossEntropyOptions' fields."""
    options = kwargs.pop('options', None)
    return None if options is None else nn.LinearCrossEntropyOptions(**options)


def _linear_cross_entropy(input, linear_weight, target, linear_bias=None, **kwargs):
    """The recorder's linear_cross_entropy: the bias comes positionally, the options as a dict."""
    options = _lce_options(kwargs)
    return F.linear_cross_entropy(input, linear_weight, target, linear_bias=linear_bias, options=options, **kwargs)


def _linear_cross_entropy_module(ctor, args):
    """LinearCrossEntropyLoss over the recorded parameters, flattened into its linear layer as PyTorch stores them."""
    input, linear_weight, target, linear_bias = args
    options = _lce_options(ctor)
    ctor['out_features'] = tuple(ctor['out_features'])
    m = nn.LinearCrossEntropyLoss(**ctor, options=options)
    # The recorded parameters replace the layer's own, as plain tensors (so the gradients reach them): a
    # registered parameter takes only a Parameter, so it is removed first, as PyTorch allows.
    del m.linear.weight
    m.linear.weight = linear_weight.reshape(-1, linear_weight.shape[-1])
    if linear_bias is not None:
        del m.linear.bias
        m.linear.bias = linear_bias.reshape(-1)
    return m(input, target)


_OPS = {'linear_cross_entropy': _linear_cross_entropy}
_MODULES = {'LinearCrossEntropyLoss': _linear_cross_entropy_module}


def replay(line):
    case = json.loads(line)
    op = _OPS.get(case['op']) or getattr(F, case['op'])
    functional = _observe(case, lambda args: op(*args, **_options(case['kwargs'])))
    module = None
    if case.get('module') and 'error' not in case:
        if case['module'] in _MODULES:
            make = _MODULES[case['module']]
            module = _observe(case, lambda args: make(_options(case['ctor']), args))
        else:
            cls = getattr(nn, case['module'])
            module = _observe(case, lambda args: cls(**_options(case['ctor']))(*args))
    return {'functional': functional, 'module': module}
