"""Case table for the linear family: PyTorch 2.13's linear_cross_entropy (LinearCrossEntropyLoss).

The op is a custom one, registered in CUSTOM_OPS: linear_cross_entropy(input, linear_weight, target, linear_bias,
**kwargs) takes the bias positionally (so its gradient is recorded like the others') and the options as a dict of
LinearCrossEntropyOptions' fields (kwargs stay JSON); it calls torch.nn.functional.linear_cross_entropy. The
module form builds LinearCrossEntropyLoss from the ctor and puts the recorded parameters, flattened, in its
linear layer. Paths: 'ref' (options=None), 'chunked' (LinearCrossEntropyOptions()), 'chunk3' (batch_chunk_size=3).
"""
import torch.nn as nn
import torch.nn.functional as F

from cases import Case, Input, product

REDUCTIONS = ['none', 'mean', 'sum']
DTYPES = ['float32', 'float64']
OP = 'linear_cross_entropy'
PATHS = {'ref': None, 'chunked': {}, 'chunk3': {'batch_chunk_size': 3}}


def linear_cross_entropy(input, linear_weight, target, linear_bias=None, *, options=None, **kwargs):
    opts = None if options is None else nn.LinearCrossEntropyOptions(**options)
    return F.linear_cross_entropy(input, linear_weight, target, linear_bias=linear_bias, options=opts, **kwargs)


CUSTOM_OPS = {OP: linear_cross_entropy}
CASES = []


def add(id, ins, kwargs=None, module=True):
    """ins: input, linear weight, target, bias (or None). The module form needs in_features and num_classes."""
    kwargs = dict(kwargs or {})
    ctor = None
    if module:
        w = ins[1]
        ctor = dict(kwargs, in_features=w.shape[-1], num_classes=w.shape[0], out_features=list(w.shape[1:-1]),
                    bias=ins[3] is not None)
    CASES.append(Case(id, OP, list(ins), kwargs, 'LinearCrossEntropyLoss' if module else None, ctor))


def x(shape, dtype, grad=True):
    return Input(shape, dtype, requires_grad=grad)


def classes(shape, c):
    return Input(shape, 'int64', kind='randint', lo=0, hi=c)


def values(v, dtype='int64'):
    return Input(dtype=dtype, kind='values', values=v)


def weight(c, dtype):
    return Input((c,), dtype, kind='uniform', lo=0.1, hi=2.0)


def path_kw(path, kw):
    kw = dict(kw)
    if PATHS[path] is not None:
        kw['options'] = PATHS[path]
    return kw


# Every reduction, dtype, with and without bias, on each path: N=7, in=5, C=6.
for p in product(path=list(PATHS), reduction=REDUCTIONS, dtype=DTYPES, bias=[False, True]):
    d = p['dtype']
    add('%s/%s/%s/%s%s' % (p['path'], p['reduction'], d, '7x5x6', '/bias' if p['bias'] else ''),
        [x((7, 5), d), x((6, 5), d), classes((7,), 6), x((6,), d) if p['bias'] else None],
        path_kw(p['path'], {'reduction': p['reduction']}))

# Class weights.
for p in product(path=['ref', 'chunk3'], reduction=REDUCTIONS, dtype=DTYPES):
    d = p['dtype']
    add('%s/%s/%s/weight' % (p['path'], p['reduction'], d),
        [x((7, 5), d), x((6, 5), d), classes((7,), 6), x((6,), d)],
        path_kw(p['path'], {'reduction': p['reduction'], 'weight': weight(6, d)}))

# ignore_index: the default -100, an index inside [0, C), every target ignored (mean is NaN); with a weight.
IGNORE = [('default', None, [2, -100, 0, -100, 4, 1, 5]), ('inside', 1, [1, 3, 1, 0, 2, 1, 5]),
          ('all', None, [-100] * 7)]
for p in product(path=['ref', 'chunk3'], reduction=REDUCTIONS, ign=IGNORE, weighted=[False, True]):
    name, ii, tgt = p['ign']
    kw = {'reduction': p['reduction']}
    if ii is not None:
        kw['ignore_index'] = ii
    if p['weighted']:
        kw['weight'] = weight(6, 'float64')
    add('%s/%s/ignore-%s%s' % (p['path'], p['reduction'], name, '/weight' if p['weighted'] else ''),
        [x((7, 5), 'float64'), x((6, 5), 'float64'), values(tgt), x((6,), 'float64')], path_kw(p['path'], kw))

# Label smoothing (the reference path; options fall back to it with a warning).
for p in product(path=['ref', 'chunked'], reduction=REDUCTIONS, ls=[0.1, 1.0], dtype=DTYPES):
    d = p['dtype']
    add('%s/%s/%s/smoothing-%s' % (p['path'], p['reduction'], d, p['ls']),
        [x((7, 5), d), x((6, 5), d), values([2, -100, 0, 3, 4, 1, 5]), x((6,), d)],
        path_kw(p['path'], {'reduction': p['reduction'], 'label_smoothing': p['ls'], 'weight': weight(6, d)}))

# Probability targets: the logits' shape, float (options fall back with a warning).
for p in product(path=['ref', 'chunked'], reduction=REDUCTIONS, ls=[0.0, 0.2], dtype=DTYPES):
    d = p['dtype']
    add('%s/%s/%s/probabilities%s' % (p['path'], p['reduction'], d, '-smoothing' if p['ls'] else ''),
        [x((7, 5), d), x((6, 5), d), Input((7, 6), d, kind='uniform', requires_grad=True), None],
        path_kw(p['path'], {'reduction': p['reduction'], 'label_smoothing': p['ls']}), module=False)
    add('%s/%s/%s/probabilities-unbatched%s' % (p['path'], p['reduction'], d, '-smoothing' if p['ls'] else ''),
        [x((5,), d), x((6, 5), d), Input((6,), d, kind='uniform'), x((6,), d)],
        path_kw(p['path'], {'reduction': p['reduction'], 'label_smoothing': p['ls']}))

# K-dimensional out_features: weight (C, d1, ..., dK, in), logits (N, C, d1, ..., dK).
for p in product(path=['ref', 'chunked'], reduction=REDUCTIONS, dtype=DTYPES, bias=[False, True]):
    d = p['dtype']
    add('%s/%s/%s/kdim-2x3%s' % (p['path'], p['reduction'], d, '/bias' if p['bias'] else ''),
        [x((4, 5), d), x((6, 2, 3, 5), d), classes((4, 2, 3), 6), x((6, 2, 3), d) if p['bias'] else None],
        path_kw(p['path'], {'reduction': p['reduction']}))
for r in REDUCTIONS:
    add('ref/%s/kdim-3/weight-ignore-smoothing' % r,
        [x((4, 5), 'float64'), x((6, 3, 5), 'float64'), values([[0, -100, 5], [1, 2, 3], [-100, 4, 4], [5, 5, 0]]),
         x((6, 3), 'float64')],
        {'reduction': r, 'weight': weight(6, 'float64'), 'label_smoothing': 0.25})
    add('ref/%s/kdim-2/probabilities' % r,
        [x((4, 5), 'float64'), x((6, 2, 5), 'float64'), Input((4, 6, 2), 'float64', kind='uniform'), None],
        {'reduction': r})

# Unbatched input: (in) with a () target.
for p in product(path=list(PATHS), reduction=REDUCTIONS, dtype=DTYPES):
    d = p['dtype']
    add('%s/%s/%s/unbatched' % (p['path'], p['reduction'], d),
        [x((5,), d), x((6, 5), d), values(4), x((6,), d)], path_kw(p['path'], {'reduction': p['reduction']}))

# Chunk sizes: the methods, explicit sizes, a chunk of one row, a chunk larger than the batch; N=37, C=50, in=4.
CHUNKING = [('auto', {}), ('aspect_ratio', {'chunking_method': 'aspect_ratio'}),
            ('aspect_ratio-4', {'chunking_method': 'aspect_ratio:4'}),
            ('size-1', {'batch_chunk_size': 1, 'chunking_method': None}), ('size-5', {'batch_chunk_size': 5}),
            ('size-64', {'batch_chunk_size': 64}), ('accurate-retain', {'acc_policy': 'accurate',
                                                                      'allow_retain_graph': True})]
for p in product(chunking=CHUNKING, reduction=REDUCTIONS, dtype=DTYPES):
    d = p['dtype']
    name, opts = p['chunking']
    add('chunking/%s/%s/%s' % (name, p['reduction'], d),
        [x((37, 4), d), x((50, 4), d), values([(7 * i) % 50 if i % 9 else -100 for i in range(37)]), x((50,), d)],
        {'reduction': p['reduction'], 'options': opts, 'weight': weight(50, d)})

# Large logits: the softmax must stay finite. In float32 at +-300 PyTorch's own weight gradient is 6e-5 away from
# the exact value (its float32 products), more than float32's tolerance: that range is recorded in float64 only.
for p in product(path=['ref', 'chunk3'], dtype=DTYPES):
    d = p['dtype']
    big = 300 if d == 'float64' else 30
    add('%s/mean/%s/large-logits' % (p['path'], p['dtype']),
        [Input((5, 3), d, kind='uniform', lo=-big, hi=big, requires_grad=True), x((4, 3), d), classes((5,), 4),
         None], path_kw(p['path'], {}))

# A 50,000-class head; in_features 1 and small-integer weights keep the fixture small. Gradients in float64: in
# float32 PyTorch's own gradients over 50,000 classes are up to 7e-5 (relative) from the exact ones (its float32
# sums over the classes, in MKL's order), far outside float32's tolerance, so float32 records the loss only.
# Three cases only: through the shim each takes seconds (50,000-row nested lists in and out).
VOCAB = [('ref', 'mean', 'float64', True, False), ('chunked', 'sum', 'float64', True, True),
         ('chunked', 'mean', 'float32', False, False)]
for path, reduction, d, xgrad, wgrad in VOCAB:
    add('vocab50k/%s/%s/%s' % (path, reduction, d),
        [x((5, 1), d, grad=xgrad), Input((50000, 1), d, kind='randint', lo=-8, hi=9, requires_grad=wgrad),
         values([0, 49999, 12345, -100, 777]), None], path_kw(path, {'reduction': reduction}), module=False)

# Errors, in PyTorch's order of checks.
E = 'error/'
add(E + 'input-3d', [x((2, 3, 5), 'float32'), x((6, 5), 'float32'), classes((2,), 6), None])
add(E + 'input-0d', [x((), 'float32'), x((6, 5), 'float32'), classes((), 6), None], module=False)
add(E + 'weight-1d', [x((3, 5), 'float32'), x((5,), 'float32'), classes((3,), 6), None], module=False)
add(E + 'in-features', [x((3, 4), 'float32'), x((6, 5), 'float32'), classes((3,), 6), None])
add(E + 'bias-shape', [x((3, 5), 'float32'), x((6, 5), 'float32'), classes((3,), 6), x((5,), 'float32')],
    module=False)
add(E + 'bias-shape-kdim', [x((3, 5), 'float32'), x((6, 2, 5), 'float32'), classes((3, 2), 6), x((6,), 'float32')],
    module=False)
add(E + 'kdim-unbatched', [x((5,), 'float32'), x((6, 2, 5), 'float32'), classes((2,), 6), None])
add(E + 'ignore-index-with-probabilities', [x((3, 5), 'float32'), x((6, 5), 'float32'),
                                            Input((3, 6), kind='uniform'), None], {'ignore_index': 1})
for path in PATHS:
    add(E + '%s/bad-reduction' % path, [x((3, 5), 'float32'), x((6, 5), 'float32'), classes((3,), 6), None],
        path_kw(path, {'reduction': 'foo'}))
    add(E + '%s/dtype-mismatch' % path, [x((3, 5), 'float32'), x((6, 5), 'float64'), classes((3,), 6), None],
        path_kw(path, {}))
    add(E + '%s/target-out-of-bounds' % path, [x((3, 5), 'float32'), x((6, 5), 'float32'), values([0, 6, 1]), None],
        path_kw(path, {}))
    add(E + '%s/target-negative' % path, [x((3, 5), 'float64'), x((6, 5), 'float64'), values([0, -3, 1]), None],
        path_kw(path, {'reduction': 'sum'}))
    add(E + '%s/float-class-target' % path, [x((3, 5), 'float32'), x((6, 5), 'float32'),
                                            values([0.0, 1.0, 2.0], 'float32'), None], path_kw(path, {}))
add(E + 'ref/batch-size', [x((3, 5), 'float32'), x((6, 5), 'float32'), classes((2,), 6), None])
add(E + 'chunk3/short-target', [x((7, 5), 'float32'), x((6, 5), 'float32'), classes((5,), 6), None],
    {'options': {'batch_chunk_size': 3}})
add(E + 'ref/weight-size', [x((3, 5), 'float32'), x((6, 5), 'float32'), classes((3,), 6), None],
    {'weight': weight(4, 'float32')}, module=False)
add(E + 'ref/label-smoothing', [x((3, 5), 'float32'), x((6, 5), 'float32'), classes((3,), 6), None],
    {'label_smoothing': 1.5}, module=False)
OPTION_ERRORS = [('acc-policy', {'acc_policy': 'fast'}), ('chunking-method', {'chunking_method': 'rows'}),
                 ('chunking-factor', {'chunking_method': 'aspect_ratio:0'}), ('chunk-size-0', {'batch_chunk_size': 0}),
                 ('size-and-method', {'batch_chunk_size': 2, 'chunking_method': 'aspect_ratio'})]
for name, opts in OPTION_ERRORS:
    add(E + 'options/' + name, [x((7, 5), 'float32'), x((6, 5), 'float32'), classes((7,), 6), None],
        {'options': opts})
