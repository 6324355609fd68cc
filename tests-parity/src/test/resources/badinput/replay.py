"""Replays bad-input catalogue cases through the shim. `replay_case(line)` evaluates the case's code over the
prelude (exec'd into this module's globals first by BadInputTest) and returns a JSON string: the error class
and message, or the output tensor as {dtype, shape, data}, or {"repr": ...} for another result."""
import json
import warnings


def _flat(x):
    if not isinstance(x, list):
        return [x]
    out = []
    for v in x:
        out.extend(_flat(v))
    return out


def _encode(value):
    if isinstance(value, torch.Tensor):
        t = value.detach()
        return {'dtype': str(t.dtype).replace('torch.', ''), 'shape': list(t.shape), 'data': _flat(t.tolist())}
    return {'repr': repr(value)}


def replay_case(line):
    case = json.loads(line)
    result = {}
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        try:
            result['output'] = _encode(eval(case['code'], globals()))
        except Exception as e:  # compared with PyTorch's exception
            result['error'] = {'type': type(e).__name__, 'message': str(e)}
    return json.dumps(result)
