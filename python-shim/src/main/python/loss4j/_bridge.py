"""The one place the shim touches Java: engine classes, bulk data transfer and exception translation.

Engine exceptions arrive as `polyglot.ForeignException`, which `except Exception` would miss; `call`
re-raises them as the Python builtin PyTorch raises (ValueError, RuntimeError, IndexError, ...).
"""
import builtins
import warnings

import java
import polyglot

Variable = java.type('dev.loss4j.autograd.Variable')
Tensor = java.type('dev.loss4j.tensor.Tensor')
DType = java.type('dev.loss4j.tensor.DType')
Functional = java.type('dev.loss4j.loss.Functional')
Reductions = java.type('dev.loss4j.ops.Reductions')
Bridge = java.type('dev.loss4j.python.ShimBridge')
_TorchException = java.type('dev.loss4j.errors.TorchException')
_OutOfMemory = java.type('java.lang.OutOfMemoryError')

# array.array type codes of the data each dtype crosses to Java as: its own storage, except that float16 and
# bfloat16 cross as float64 and int32, int16, int8 and uint8 as int64, converted on the Java side
# (ShimBridge.fromBytes).
TYPECODES = {'float32': 'f', 'float64': 'd', 'int64': 'q', 'bool': 'b', 'float16': 'd', 'bfloat16': 'd', 'int32': 'q',
             'uint8': 'q', 'int8': 'q', 'int16': 'q', 'uint16': 'q', 'uint32': 'q', 'uint64': 'q'}


def translate(exc):
    """The Python exception PyTorch raises for an engine exception."""
    if isinstance(exc, _TorchException):
        emit(exc.warnings())
        cls = getattr(builtins, str(exc.pythonType()), RuntimeError)
        return cls(str(exc.getMessage()))
    if isinstance(exc, _OutOfMemory):  # the engine could not allocate a tensor: Python's MemoryError
        return MemoryError(str(Bridge.heapAdvice()))
    return RuntimeError('loss4j internal error: %s' % exc)


# Hot paths invoke the engine directly (`Cls.method(...)` inside `try: ... except Foreign as e: raise
# translate(e) from None`): each call site then stays monomorphic for the JIT. `call` is for the cold ones.
Foreign = polyglot.ForeignException
# What a call raises before reaching the engine when an argument is of the wrong kind: reading a non-tensor's
# handle (AttributeError), or the Java method refusing a Python value for its parameter type (TypeError).
# Functions catch it after Foreign and take their slow path (nn/functional/_args.py).
Misuse = (AttributeError, TypeError)


def call(fn, *args):
    """Calls a Java method, translating engine exceptions into Python ones."""
    try:
        return fn(*args)
    except polyglot.ForeignException as e:
        raise translate(e) from None


# The shim's modules are compiled with file names under this prefix (see bootstrap.py).
_SHIM_FILES = ('loss4j.jar!/',)


def emit(java_warnings, stacklevel=None):
    """Re-emits the engine's warnings (PyTorch's UserWarnings, word for word), attributed to the first
    caller outside the shim, as PyTorch attributes them to the line that called the loss."""
    for w in java_warnings:
        warnings.warn(str(w), UserWarning, skip_file_prefixes=_SHIM_FILES)


def unwrap(outcome):
    """The Java variable of an engine Outcome, its warnings emitted first; in the usual case (no warnings)
    this is one call across the boundary."""
    value = outcome.quiet()
    if value is None:
        emit(outcome.warnings())
        value = outcome.value()
    return value


def from_buffer(buf, dtype_name, shape, requires_grad=False):
    """A Java leaf Variable from a bytes-like object holding little-endian `dtype_name` values."""
    return call(Bridge.leafFromBytes, bytes(buf), dtype_name, list(shape), requires_grad)


def leaf_from_list(flat, shape, dtype_name, requires_grad):
    """torch.tensor of a flat list of floats or ints in one Java call, reading the array behind the list
    (ShimBridge.leafFromList); None where the runtime does not expose it or the values need the general path."""
    if _storage is None:
        return None
    return call(Bridge.leafFromList, _storage(flat), len(flat), dtype_name, list(shape), requires_grad)


def leaf_from_buffer(buf, offset, count, kind, itemsize, dtype_name, requires_grad):
    """A Java leaf Variable of `count` elements read from byte `offset` of a contiguous buffer in one bulk read
    (see ShimBridge.leafFromBuffer for `kind`)."""
    return call(Bridge.leafFromBuffer, buf, offset, count, kind, itemsize, dtype_name, requires_grad)


# GraalPy hands out the Java array behind a list (polyglot.storage): `[0.0] * n` is backed by a double[n], which
# Java fills in one call. Each dtype's placeholder gives the array type ShimBridge.fillList expects (an int
# beyond 32 bits makes a long[]).
try:
    from polyglot import storage as _storage
except ImportError:  # another runtime: the string route below
    _storage = None
_PLACEHOLDERS = {'float32': 0.0, 'float64': 0.0, 'int64': 1 << 40, 'bool': False, 'int32': 1 << 40, 'float16': 0.0,
                 'bfloat16': 0.0, 'uint8': 1 << 40, 'int8': 1 << 40, 'int16': 1 << 40, 'uint16': 1 << 40,
                 'uint32': 1 << 40, 'uint64': 1 << 40}

# struct formats of each dtype's little-endian elements, for reading them back as Python scalars.
_UNPACK = {'float32': 'f', 'float64': 'd', 'int64': 'q', 'bool': '?', 'int32': 'i', 'float16': 'e', 'uint8': 'B',
           'int8': 'b', 'int16': 'h', 'uint16': 'H', 'uint32': 'I', 'uint64': 'Q'}
_SIZES = {'f': 4, 'd': 8, 'q': 8, '?': 1, 'i': 4, 'e': 2, 'B': 1, 'b': 1, 'h': 2, 'H': 2, 'I': 4, 'Q': 8}


def to_list(jtensor, dtype_name, n):
    """The tensor's `n` elements as a flat list of Python scalars, in one Java call: Java fills the array behind
    a list of placeholders. Where the runtime does not expose that array, one Java call gives the bytes as a
    Latin-1 string, bytearray() turns it into bytes natively and struct unpacks them."""
    if _storage is not None:
        out = [_PLACEHOLDERS[dtype_name]] * n
        if Bridge.fillList(_storage(out), jtensor):
            return out
    import struct  # only on this fallback path: a fresh interpreter takes about 0.2 s to import it
    raw = bytearray(str(call(Bridge.toLatin1, jtensor)), 'latin-1')
    if dtype_name == 'bfloat16':  # struct has no bfloat16: its bits are the high half of a float32's
        n = len(raw) // 2
        bits = [h << 16 for h in struct.unpack('<%dH' % n, raw)]
        return list(struct.unpack('<%df' % n, struct.pack('<%dI' % n, *bits)))
    code = _UNPACK[dtype_name]
    return list(struct.unpack('<%d%s' % (len(raw) // _SIZES[code], code), raw))
