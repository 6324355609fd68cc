"""Handles on the engine's tensor operations (dev.loss4j.ops) and the Python-number convention they take.

Every op is one call into Java on whole tensors; Python numbers cross as (value, python type name), since
polyglot boxing alone would turn 1.0 into an integer.
"""
import builtins

import java

from ._bridge import call

Arithmetic = java.type('dev.loss4j.ops.Arithmetic')
Pointwise = java.type('dev.loss4j.ops.Pointwise')
Softmax = java.type('dev.loss4j.ops.Softmax')
DimReductions = java.type('dev.loss4j.ops.DimReductions')
Views = java.type('dev.loss4j.ops.Views')
Special = java.type('dev.loss4j.ops.Special')
Comparisons = java.type('dev.loss4j.ops.Comparisons')
Distances = java.type('dev.loss4j.ops.Distances')
Joins = java.type('dev.loss4j.ops.Joins')
Selection = java.type('dev.loss4j.ops.Selection')
Linalg = java.type('dev.loss4j.ops.Linalg')
Indexing = java.type('dev.loss4j.ops.Indexing')
Scatter = java.type('dev.loss4j.ops.Scatter')
Ordering = java.type('dev.loss4j.ops.Ordering')
Einsum = java.type('dev.loss4j.ops.Einsum')
Bitwise = java.type('dev.loss4j.ops.Bitwise')
ScatterReduce = java.type('dev.loss4j.ops.ScatterReduce')
Padding = java.type('dev.loss4j.ops.Padding')
Convolution = java.type('dev.loss4j.ops.Convolution')
Pooling = java.type('dev.loss4j.ops.Pooling')
Interpolation = java.type('dev.loss4j.ops.Interpolation')
GradMode = java.type('dev.loss4j.autograd.GradMode')
TensorMath = java.type('dev.loss4j.tensor.TensorMath')

_Kind = java.type('dev.loss4j.ops.Arithmetic$Kind')
ADD, SUB, MUL, DIV, POW = _Kind.ADD, _Kind.SUB, _Kind.MUL, _Kind.DIV, _Kind.POW
REMAINDER, FMOD, FLOOR_DIVIDE = _Kind.REMAINDER, _Kind.FMOD, _Kind.FLOOR_DIVIDE
LOGADDEXP, XLOGY, ATAN2, HYPOT, COPYSIGN = _Kind.LOGADDEXP, _Kind.XLOGY, _Kind.ATAN2, _Kind.HYPOT, _Kind.COPYSIGN
_Cmp = java.type('dev.loss4j.ops.Comparisons$Kind')
EQ, NE, LT, LE, GT, GE = _Cmp.EQ, _Cmp.NE, _Cmp.LT, _Cmp.LE, _Cmp.GT, _Cmp.GE
_Bit = java.type('dev.loss4j.ops.Bitwise$Kind')
BAND, BOR, BXOR, LSHIFT, RSHIFT = _Bit.AND, _Bit.OR, _Bit.XOR, _Bit.LSHIFT, _Bit.RSHIFT

_NUMBER_TYPES = (builtins.bool, builtins.int, builtins.float)


def is_number(x):
    return isinstance(x, _NUMBER_TYPES)


def number(x):
    """(value as float, 'bool' | 'int' | 'float') for a Python number."""
    if isinstance(x, builtins.bool):
        return builtins.float(x), 'bool'
    if isinstance(x, builtins.int):
        return builtins.float(x), 'int'
    return builtins.float(x), 'float'


__all__ = ['call']
