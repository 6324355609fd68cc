"""The functional losses' slow path for arguments of the wrong kind.

A loss call hands its arguments to the engine as they are: a tensor's handle, a float, a bool, a string. When
one does not fit (a list where a tensor goes, a string for a float option, None for the reduction), reading
the handle raises AttributeError or the Java call refuses the value with TypeError, and the function comes
here with a spec of its arguments. `retry` then raises the error PyTorch 2.13 raises for that argument, or,
where PyTorch converts the value (a bool or a 0-d tensor for a float, any object for a legacy flag), calls
the function again with the converted values. Nothing here runs on a well-formed call.

A spec is (PyTorch's function name in its argument-parser messages, ((name, kind, position), ...)) in the
function's parameter order; a kind is one of the checkers below, position None where PyTorch's message
names none.
"""
import builtins

from ..._tensor import Tensor

_float, _int, _bool, _str = builtins.float, builtins.int, builtins.bool, builtins.str


def type_name(v):
    return 'Tensor' if isinstance(v, Tensor) else type(v).__name__


def parser_error(fn, name, position, expected, v):
    """PyTorch's argument-parser TypeError for a value of the wrong type."""
    where = '' if position is None else ' (position %d)' % position
    return TypeError("%s(): argument '%s'%s must be %s, not %s" % (fn, name, where, expected, type_name(v)))


def _scalar_of(v):
    """The Python number of a 0-d tensor that PyTorch's parser takes for a number (no gradient), else None."""
    if isinstance(v, Tensor) and v.dim() == 0 and not v.requires_grad:
        return v.item()
    return None


# ---- checkers: each returns the value as the engine takes it, or raises PyTorch's error ----

def tensor(v, fn, name, position):
    """A tensor argument PyTorch's parser checks."""
    if isinstance(v, Tensor):
        return v
    raise parser_error(fn, name, position, 'Tensor', v)


def optional_tensor(v, fn, name, position):
    return v if v is None else tensor(v, fn, name, position)


def _attribute(attr, optional=False):
    """A tensor argument whose first use in PyTorch's Python code is `v.<attr>`: anything else fails there."""
    def check(v, fn, name, position):
        if isinstance(v, Tensor) or (optional and v is None):
            return v
        raise AttributeError("'%s' object has no attribute '%s'" % (type(v).__name__, attr))
    return check


sized = _attribute('size')
optional_sized = _attribute('size', True)
dimmed = _attribute('dim')
optional_dimmed = _attribute('dim', True)
ndimmed = _attribute('ndim')


def _number(expected):
    def check(v, fn, name, position):
        if type(v) is _float:
            return v
        if isinstance(v, (_int, _float)):  # bool and int subclasses too, as PyTorch's parser takes them
            return _float(v)
        s = _scalar_of(v)
        if s is not None and not isinstance(s, _bool):
            return _float(s)
        raise parser_error(fn, name, position, expected, v)
    return check


real = _number('float')
number = _number('Number')


def integer(v, fn, name, position):
    """An int argument: Python ints only (a bool or a float is refused, as PyTorch's parser refuses them)."""
    if type(v) is _int:
        return v
    if isinstance(v, _int) and not isinstance(v, _bool):
        return _int(v)
    raise parser_error(fn, name, position, 'int', v)


def boolean(v, fn, name, position):
    if isinstance(v, _bool):
        return v
    raise parser_error(fn, name, position, 'bool', v)


def flag(v, fn, name, position):
    """A deprecated size_average/reduce flag: PyTorch only tests it for truth."""
    return v if v is None or type(v) is _bool else _bool(v)


def truth(v, fn, name, position):
    """An option PyTorch's Python code only tests for truth."""
    return v if type(v) is _bool else _bool(v)


def reduction(v, fn, name, position):
    """torch.nn._reduction.get_enum's refusal, "<value> is not a valid value for reduction"."""
    if isinstance(v, _str):
        return v
    raise ValueError('%s is not a valid value for reduction' % (v,))


def concat_reduction(v, fn=None, name=None, position=None):
    """The losses whose PyTorch code builds the refusal as `reduction + "..."`: a non-string fails in that
    concatenation, with Python's own TypeError."""
    if isinstance(v, _str):
        return v
    raise ValueError(v + ' is not a valid value for reduction')


def anything(v, fn, name, position):
    return v


def retry(function, spec, values, error):
    """Raises PyTorch's error for the first argument of the wrong kind, or calls `function` again with the
    arguments converted as PyTorch converts them; re-raises `error` when every argument already fits."""
    fn, params = spec
    converted = []
    changed = False
    for (name, kind, position), v in zip(params, values):
        c = kind(v, fn, name, position)
        changed = changed or c is not v
        converted.append(c)
    if not changed:
        raise error if error is not None else TypeError('%s(): arguments of unsupported types' % fn)
    return function(*converted)


def buffer(module, name, value):
    """A module's tensor option (weight, pos_weight) as a buffer: Module.register_buffer, which refuses
    anything but a tensor or None with PyTorch's message."""
    module.register_buffer(name, value)
