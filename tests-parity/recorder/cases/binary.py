"""Case table for the binary family: binary_cross_entropy_with_logits, binary_cross_entropy, soft_margin_loss,
multilabel_soft_margin_loss (BCEWithLogitsLoss, BCELoss, SoftMarginLoss, MultiLabelSoftMarginLoss).

pos_weight (and the weight beside it) travel as keyword tensors, so those cases run the module form too.
"""
from cases import Case, Input, product, shape_tag

REDUCTIONS = ['none', 'mean', 'sum']
DTYPES = ['float32', 'float64']
SHAPES = [(), (5,), (3, 4), (2, 3, 4), (2, 1, 3, 2)]
LEGACY = [(None, True), (None, False), (True, None), (True, True), (True, False), (False, None), (False, True),
          (False, False)]
INF = float('inf')
NAN = float('nan')

BCEL = 'binary_cross_entropy_with_logits'
BCE = 'binary_cross_entropy'
SM = 'soft_margin_loss'
MLSM = 'multilabel_soft_margin_loss'
MODULES = {BCEL: 'BCEWithLogitsLoss', BCE: 'BCELoss', SM: 'SoftMarginLoss', MLSM: 'MultiLabelSoftMarginLoss'}

CASES = []


def add(id, op, inputs, kwargs=None, module=True, ctor=None):
    kwargs = kwargs or {}
    if module and len(inputs) == 2:
        CASES.append(Case(id, op, inputs, kwargs, MODULES[op], kwargs if ctor is None else ctor))
    else:
        CASES.append(Case(id, op, inputs, kwargs))


def flag(v):
    """A legacy flag passed positionally as a 0-d bool tensor (PyTorch only tests it for truth)."""
    return None if v is None else Input(dtype='bool', kind='values', values=v)


def add_pos_weight(id, x, y, weight, pos_weight, reduction):
    """A binary_cross_entropy_with_logits case with pos_weight (and weight, when given) as keyword tensors."""
    kwargs = {'reduction': reduction, 'pos_weight': pos_weight}
    if weight is not None:
        kwargs['weight'] = weight
    CASES.append(Case(id, BCEL, [x, y], kwargs, MODULES[BCEL], kwargs))


def logits(shape, dtype, grad=True, lo=None, hi=None):
    if lo is not None:
        return Input(shape, dtype, kind='uniform', lo=lo, hi=hi, requires_grad=grad)
    return Input(shape, dtype, requires_grad=grad)


def probs(shape, dtype, grad=True, lo=0.02, hi=0.98):
    return Input(shape, dtype, kind='uniform', lo=lo, hi=hi, requires_grad=grad)


def binary(shape, dtype, grad=False):
    return Input(shape, dtype, kind='randint', lo=0, hi=2, requires_grad=grad)


def vals(values, dtype='float32', grad=False):
    return Input(dtype=dtype, kind='values', values=values, requires_grad=grad)


# ---- BCEWithLogitsLoss ------------------------------------------------------------------------------------

for p in product(reduction=REDUCTIONS, dtype=DTYPES, shape=SHAPES):
    add('bcel/%s/%s/%s' % (p['reduction'], p['dtype'], shape_tag(p['shape'])), BCEL,
        [logits(p['shape'], p['dtype']), probs(p['shape'], p['dtype'], lo=0, hi=1)], {'reduction': p['reduction']})

for p in product(reduction=REDUCTIONS, dtype=DTYPES):
    add('bcel/%s/%s/binary-targets' % (p['reduction'], p['dtype']), BCEL,
        [logits((4, 3), p['dtype']), binary((4, 3), p['dtype'])], {'reduction': p['reduction']})
    add('bcel/%s/%s/input-grad-only' % (p['reduction'], p['dtype']), BCEL,
        [logits((2, 5), p['dtype']), probs((2, 5), p['dtype'], grad=False)], {'reduction': p['reduction']})
    add('bcel/%s/%s/target-grad-only' % (p['reduction'], p['dtype']), BCEL,
        [logits((2, 5), p['dtype'], grad=False), probs((2, 5), p['dtype'])], {'reduction': p['reduction']})

for p in product(reduction=REDUCTIONS, dtype=DTYPES, wshape=[(4,), (3, 1), (), (3, 4), (1, 4)]):
    add('bcel/%s/%s/weight-%s' % (p['reduction'], p['dtype'], shape_tag(p['wshape'])), BCEL,
        [logits((3, 4), p['dtype']), probs((3, 4), p['dtype'], lo=0, hi=1),
         Input(p['wshape'], p['dtype'], kind='uniform', lo=0, hi=2)], {'reduction': p['reduction']})

for p in product(reduction=REDUCTIONS, dtype=DTYPES, pshape=[(4,), (1,), (), (3, 1), (3, 4)]):
    add_pos_weight('bcel/%s/%s/pos_weight-%s' % (p['reduction'], p['dtype'], shape_tag(p['pshape'])), logits((3, 4), p['dtype']), probs((3, 4), p['dtype'], lo=0, hi=1), None, Input(p['pshape'], p['dtype'], kind='uniform', lo=0.2, hi=4), p['reduction'])

for p in product(reduction=REDUCTIONS, dtype=DTYPES):
    add_pos_weight('bcel/%s/%s/weight-and-pos_weight' % (p['reduction'], p['dtype']), logits((2, 3, 4), p['dtype']), binary((2, 3, 4), p['dtype'], grad=True), Input((3, 1), p['dtype'], kind='uniform', lo=0, hi=2), Input((4,), p['dtype'], kind='uniform', lo=0.2, hi=4), p['reduction'])

# Extreme logits (+-1e4, +-100, +-20), infinities and NaN against 0, 1 and soft targets.
BCEL_X = [1e4, -1e4, 1e4, -1e4, 20., -20., 100., -100., 0., INF, -INF, INF, -INF, NAN, 1e4, -1e4]
BCEL_Y = [1., 1., 0., 0., 1., 0., 0.3, 0.7, 0.5, 1., 0., 0., 1., 0.5, 0.3, 0.6]
for p in product(reduction=REDUCTIONS, dtype=DTYPES):
    add('bcel/%s/%s/extreme' % (p['reduction'], p['dtype']), BCEL,
        [vals(BCEL_X, p['dtype'], True), vals(BCEL_Y, p['dtype'], True)], {'reduction': p['reduction']})
    add('bcel/%s/%s/extreme-finite' % (p['reduction'], p['dtype']), BCEL,
        [vals(BCEL_X[:9] + BCEL_X[14:], p['dtype'], True), vals(BCEL_Y[:9] + BCEL_Y[14:], p['dtype'], True)],
        {'reduction': p['reduction']})
    add_pos_weight('bcel/%s/%s/extreme/pos_weight' % (p['reduction'], p['dtype']), vals(BCEL_X, p['dtype'], True), vals(BCEL_Y, p['dtype'], True), None, vals(2.5, p['dtype']), p['reduction'])
    add('bcel/%s/%s/large-uniform' % (p['reduction'], p['dtype']), BCEL,
        [logits((4, 3), p['dtype'], lo=-1e4, hi=1e4), probs((4, 3), p['dtype'], lo=0, hi=1)],
        {'reduction': p['reduction']})

for p in product(reduction=REDUCTIONS, shape=[(0,), (0, 3), (2, 0)]):
    add('bcel/%s/empty/%s' % (p['reduction'], shape_tag(p['shape'])), BCEL,
        [logits(p['shape'], 'float32'), probs(p['shape'], 'float32')], {'reduction': p['reduction']})
add_pos_weight('bcel/mean/empty/pos_weight', logits((0, 4), 'float32'), probs((0, 4), 'float32'), None, Input((4,), kind='uniform', lo=0.5, hi=2), 'mean')

for sa, r in LEGACY:
    kwargs = {'size_average': sa, 'reduce': r, 'reduction': 'sum'}
    add('bcel/legacy/size_average=%s/reduce=%s' % (sa, r), BCEL,
        [logits((3, 2), 'float32'), probs((3, 2), 'float32')], kwargs)
add('bcel/elementwise_mean', BCEL, [logits((3, 2), 'float32'), probs((3, 2), 'float32')],
    {'reduction': 'elementwise_mean'})

for r in REDUCTIONS:
    add('bcel/%s/mixed/input-float64' % r, BCEL, [logits((2, 3), 'float64'), probs((2, 3), 'float32')],
        {'reduction': r})
    add('bcel/%s/mixed/target-float64' % r, BCEL, [logits((2, 3), 'float32'), probs((2, 3), 'float64')],
        {'reduction': r})
add('bcel/mixed/weight-float64', BCEL, [logits((2, 3), 'float32'), probs((2, 3), 'float32'),
                                         Input((3,), 'float64', kind='uniform', lo=0, hi=2)])
add('bcel/weight-int64', BCEL, [logits((2, 3), 'float32'), probs((2, 3), 'float32'),
                                Input((3,), 'int64', kind='randint', lo=0, hi=3)])

# Errors, in PyTorch's order of checks.
add('bcel/error/size-mismatch', BCEL, [logits((3, 4), 'float32'), probs((4,), 'float32')])
add('bcel/error/size-mismatch-same-numel', BCEL, [logits((3, 4), 'float32'), probs((4, 3), 'float32')])
add('bcel/error/bad-reduction', BCEL, [logits((3, 4), 'float32'), probs((3, 4), 'float32')], {'reduction': 'avg'})
add('bcel/error/bad-reduction-before-size', BCEL, [logits((3, 4), 'float32'), probs((4,), 'float32')],
    {'reduction': 'avg'})
add('bcel/error/batchmean', BCEL, [logits((3, 4), 'float32'), probs((3, 4), 'float32')], {'reduction': 'batchmean'})
add('bcel/error/weight-requires-grad', BCEL,
    [logits((3, 4), 'float32'), probs((3, 4), 'float32'), Input((4,), kind='uniform', requires_grad=True)])
add_pos_weight('bcel/error/pos_weight-requires-grad', logits((3, 4), 'float32'), probs((3, 4), 'float32'), None, Input((4,), kind='uniform', requires_grad=True), 'mean')
add('bcel/error/weight-broadcast', BCEL,
    [logits((3, 4), 'float32'), probs((3, 4), 'float32'), Input((5,), kind='uniform')])
add('bcel/error/weight-grows-output', BCEL,
    [logits((3, 4), 'float32'), probs((3, 4), 'float32'), Input((2, 3, 4), kind='uniform')], {'reduction': 'none'})
add_pos_weight('bcel/error/pos_weight-broadcast', logits((3, 4), 'float32'), probs((3, 4), 'float32'), None, Input((5,), kind='uniform'), 'mean')
add_pos_weight('bcel/error/pos_weight-grows-output', logits((3, 4), 'float32'), probs((3, 4), 'float32'), None, Input((2, 3, 4), kind='uniform'), 'none')
add('bcel/error/int64', BCEL, [Input((2, 3), 'int64', kind='randint', lo=-3, hi=3), binary((2, 3), 'int64')])
add('bcel/error/int64-target', BCEL, [logits((2, 3), 'float32'), binary((2, 3), 'int64')])
add('bcel/error/int64-input', BCEL, [Input((2, 3), 'int64', kind='randint', lo=-3, hi=3), probs((2, 3), 'float32')])
add('bcel/error/bool-input', BCEL, [Input((2, 3), 'bool', kind='randint', lo=0, hi=2), probs((2, 3), 'float32')])
add('bcel/error/bool-target', BCEL, [logits((2, 3), 'float32'), Input((2, 3), 'bool', kind='randint', lo=0, hi=2)])

# ---- BCELoss ----------------------------------------------------------------------------------------------

for p in product(reduction=REDUCTIONS, dtype=DTYPES, shape=SHAPES):
    add('bce/%s/%s/%s' % (p['reduction'], p['dtype'], shape_tag(p['shape'])), BCE,
        [probs(p['shape'], p['dtype']), probs(p['shape'], p['dtype'], lo=0, hi=1)], {'reduction': p['reduction']})

for p in product(reduction=REDUCTIONS, dtype=DTYPES):
    add('bce/%s/%s/binary-targets' % (p['reduction'], p['dtype']), BCE,
        [probs((4, 3), p['dtype']), binary((4, 3), p['dtype'], grad=True)], {'reduction': p['reduction']})
    add('bce/%s/%s/input-grad-only' % (p['reduction'], p['dtype']), BCE,
        [probs((2, 5), p['dtype']), probs((2, 5), p['dtype'], grad=False)], {'reduction': p['reduction']})
    add('bce/%s/%s/target-grad-only' % (p['reduction'], p['dtype']), BCE,
        [probs((2, 5), p['dtype'], grad=False), probs((2, 5), p['dtype'])], {'reduction': p['reduction']})

for p in product(reduction=REDUCTIONS, dtype=DTYPES, wshape=[(4,), (3, 1), (), (3, 4), (1, 4)]):
    add('bce/%s/%s/weight-%s' % (p['reduction'], p['dtype'], shape_tag(p['wshape'])), BCE,
        [probs((3, 4), p['dtype']), probs((3, 4), p['dtype'], lo=0, hi=1),
         Input(p['wshape'], p['dtype'], kind='uniform', lo=0, hi=2)], {'reduction': p['reduction']})

# Probabilities of exactly 0 and 1 (logs clamped at -100, input gradient through the 1e-12 floor, target
# gradient infinite), tiny and near-one probabilities, and a float32 denormal.
BCE_X = [0., 1., 0., 1., 0.5, 1e-30, 1 - 1e-7, 1e-45, 1e-3, 0.999, 0.25, 0.]
BCE_Y = [0., 1., 1., 0., 0.5, 0.3, 0.7, 1., 0., 1., 0.25, 0.5]
for p in product(reduction=REDUCTIONS, dtype=DTYPES):
    add('bce/%s/%s/edges' % (p['reduction'], p['dtype']), BCE,
        [vals(BCE_X, p['dtype'], True), vals(BCE_Y, p['dtype'], True)], {'reduction': p['reduction']})
    add('bce/%s/%s/edges/weight' % (p['reduction'], p['dtype']), BCE,
        [vals(BCE_X, p['dtype'], True), vals(BCE_Y, p['dtype'], True),
         vals([2., 0.5, 0., 1., 3., 1., 1., 0.25, 1., 2., 0., 1.], p['dtype'])], {'reduction': p['reduction']})
    add('bce/%s/%s/targets-outside-0-1' % (p['reduction'], p['dtype']), BCE,
        [probs((3, 4), p['dtype']), Input((3, 4), p['dtype'], kind='uniform', lo=-2, hi=3, requires_grad=True)],
        {'reduction': p['reduction']})
add('bce/none/target-nan-inf', BCE, [vals([0.3, 0.5, 0.7, 0.], grad=True), vals([NAN, INF, -INF, 1.], grad=True)],
    {'reduction': 'none'})
add('bce/mean/target-nan', BCE, [vals([0.3, 0.5], grad=True), vals([NAN, 1.], grad=True)])

for p in product(reduction=REDUCTIONS, shape=[(0,), (0, 3), (2, 0)]):
    add('bce/%s/empty/%s' % (p['reduction'], shape_tag(p['shape'])), BCE,
        [probs(p['shape'], 'float32'), probs(p['shape'], 'float32')], {'reduction': p['reduction']})

for sa, r in LEGACY:
    kwargs = {'size_average': sa, 'reduce': r, 'reduction': 'sum'}
    add('bce/legacy/size_average=%s/reduce=%s' % (sa, r), BCE, [probs((3, 2), 'float32'), probs((3, 2), 'float32')],
        kwargs)
add('bce/legacy/with-weight', BCE, [probs((3, 2), 'float32'), probs((3, 2), 'float32'), Input((2,), kind='uniform'),
                                    flag(False)])
add('bce/elementwise_mean', BCE, [probs((3, 2), 'float32'), probs((3, 2), 'float32')],
    {'reduction': 'elementwise_mean'})
add('bce/weight-float64', BCE, [probs((2, 3), 'float32'), probs((2, 3), 'float32'),
                                Input((3,), 'float64', kind='uniform', lo=0, hi=2)])
add('bce/weight-int64', BCE, [probs((2, 3), 'float32'), probs((2, 3), 'float32'),
                              Input((3,), 'int64', kind='randint', lo=0, hi=3)])

add('bce/error/input-above-1', BCE, [vals([0.5, 1.5], grad=True), vals([0., 1.])])
add('bce/error/input-below-0', BCE, [vals([[0.5, -1e-7], [0.1, 0.2]], 'float64'), vals([[0., 1.], [1., 0.]], 'float64')])
add('bce/error/input-nan', BCE, [vals([0.5, NAN]), vals([0., 1.])])
add('bce/error/input-logits', BCE, [Input((3, 4), requires_grad=True), probs((3, 4), 'float32')])
add('bce/error/size-mismatch', BCE, [probs((3, 4), 'float32'), probs((4,), 'float32')])
add('bce/error/size-mismatch-same-numel', BCE, [probs((3, 4), 'float32'), probs((2, 6), 'float32')])
add('bce/error/bad-reduction', BCE, [probs((3, 4), 'float32'), probs((3, 4), 'float32')], {'reduction': 'avg'})
add('bce/error/bad-reduction-before-size', BCE, [probs((3, 4), 'float32'), probs((4,), 'float32')],
    {'reduction': 'avg'})
add('bce/error/legacy-then-size', BCE, [probs((3, 4), 'float32'), probs((4,), 'float32')], {'size_average': False})
add('bce/error/weight-broadcast', BCE, [probs((3, 4), 'float32'), probs((3, 4), 'float32'), Input((5,), kind='uniform')])
add('bce/error/weight-broadcast-before-range', BCE,
    [vals([[2.0, 0.5]]), vals([[1.0, 0.5]]), Input((3,), kind='uniform')])
add('bce/error/weight-grows-output', BCE,
    [probs((3, 4), 'float32'), probs((3, 4), 'float32'), Input((2, 1, 1), kind='uniform')], {'reduction': 'none'})
add('bce/error/weight-requires-grad', BCE,
    [probs((3, 4), 'float32'), probs((3, 4), 'float32'), Input((4,), kind='uniform', requires_grad=True)])
add('bce/error/weight-requires-grad-before-range', BCE,
    [vals([2.0, 0.5]), vals([1.0, 0.5]), Input((2,), kind='uniform', requires_grad=True)])
add('bce/error/mixed-target-float64', BCE, [probs((2, 3), 'float32'), probs((2, 3), 'float64')])
add('bce/error/mixed-input-float64', BCE, [probs((2, 3), 'float64'), probs((2, 3), 'float32')])
add('bce/error/int64', BCE, [binary((2, 3), 'int64'), binary((2, 3), 'int64')])
add('bce/error/int64-target', BCE, [probs((2, 3), 'float32'), binary((2, 3), 'int64')])
add('bce/error/bool', BCE, [Input((2, 3), 'bool', kind='randint', lo=0, hi=2),
                            Input((2, 3), 'bool', kind='randint', lo=0, hi=2)])

# ---- SoftMarginLoss ---------------------------------------------------------------------------------------

for p in product(reduction=REDUCTIONS, dtype=DTYPES, shape=SHAPES):
    add('sm/%s/%s/%s' % (p['reduction'], p['dtype'], shape_tag(p['shape'])), SM,
        [logits(p['shape'], p['dtype']), Input(p['shape'], p['dtype'], kind='sign')], {'reduction': p['reduction']})

for p in product(reduction=REDUCTIONS, dtype=DTYPES, shape=[(5,), (3, 4), (2, 3, 4)]):
    add('sm/%s/%s/%s/real-targets' % (p['reduction'], p['dtype'], shape_tag(p['shape'])), SM,
        [logits(p['shape'], p['dtype']), Input(p['shape'], p['dtype'])], {'reduction': p['reduction']})

for p in product(reduction=REDUCTIONS, dtype=DTYPES, tshape=[(4,), (1, 4), (3, 1), ()]):
    add('sm/%s/%s/broadcast-target-%s' % (p['reduction'], p['dtype'], shape_tag(p['tshape'])), SM,
        [logits((3, 4), p['dtype']), Input(p['tshape'], p['dtype'], kind='sign')], {'reduction': p['reduction']})

SM_X = [1e4, -1e4, 1e4, -1e4, 20., -20., 88., 89., 100., -100., 0., INF, -INF, INF, NAN, 50.]
SM_Y = [1., 1., -1., -1., 1., -1., -1., -1., -1., 1., 1., 1., 1., -1., 1., -2.]
for p in product(reduction=REDUCTIONS, dtype=DTYPES):
    add('sm/%s/%s/extreme' % (p['reduction'], p['dtype']), SM,
        [vals(SM_X, p['dtype'], True), vals(SM_Y, p['dtype'])], {'reduction': p['reduction']})
    add('sm/%s/%s/extreme-finite-loss' % (p['reduction'], p['dtype']), SM,
        [vals([1e4, -1e4, 20., -20., 80., -80., 0., 3.], p['dtype'], True),
         vals([1., -1., 1., -1., -1., 1., -1., 0.], p['dtype'])], {'reduction': p['reduction']})
    add('sm/%s/%s/large-uniform' % (p['reduction'], p['dtype']), SM,
        [logits((4, 3), p['dtype'], lo=-60, hi=60), Input((4, 3), p['dtype'], kind='sign')],
        {'reduction': p['reduction']})
    add('sm/%s/%s/no-grad' % (p['reduction'], p['dtype']), SM,
        [logits((2, 3), p['dtype'], grad=False), Input((2, 3), p['dtype'], kind='sign')], {'reduction': p['reduction']})

for p in product(reduction=REDUCTIONS, shape=[(0,), (0, 3), (2, 0)]):
    add('sm/%s/empty/%s' % (p['reduction'], shape_tag(p['shape'])), SM,
        [logits(p['shape'], 'float32'), Input(p['shape'], kind='sign')], {'reduction': p['reduction']})

for sa, r in LEGACY:
    kwargs = {'size_average': sa, 'reduce': r, 'reduction': 'sum'}
    add('sm/legacy/size_average=%s/reduce=%s' % (sa, r), SM, [logits((3, 2), 'float32'), Input((3, 2), kind='sign')],
        kwargs)
add('sm/elementwise_mean', SM, [logits((3, 2), 'float32'), Input((3, 2), kind='sign')],
    {'reduction': 'elementwise_mean'})

for r in REDUCTIONS:
    add('sm/%s/mixed/target-float64' % r, SM, [logits((2, 3), 'float32'), Input((2, 3), 'float64', kind='sign')],
        {'reduction': r})
    add('sm/%s/mixed/input-float64' % r, SM, [logits((2, 3), 'float64'), Input((2, 3), 'float32', kind='sign')],
        {'reduction': r})
    add('sm/%s/target-int64' % r, SM, [logits((2, 3), 'float32'), Input((2, 3), 'int64', kind='sign')],
        {'reduction': r})
add('sm/target-bool', SM, [logits((2, 3), 'float32'), Input((2, 3), 'bool', kind='randint', lo=0, hi=2)])

add('sm/error/target-requires-grad', SM, [logits((3, 4), 'float32'), Input((3, 4), kind='sign', requires_grad=True)])
add('sm/error/target-requires-grad-before-shape', SM,
    [logits((3, 4), 'float32'), Input((3, 5), kind='sign', requires_grad=True)])
add('sm/error/bad-reduction-before-requires-grad', SM,
    [logits((3, 4), 'float32'), Input((3, 4), kind='sign', requires_grad=True)], {'reduction': 'avg'})
add('sm/error/shape-mismatch', SM, [logits((3, 4), 'float32'), Input((3, 5), kind='sign')])
add('sm/error/target-grows-output', SM, [logits((4,), 'float32'), Input((3, 4), kind='sign')], {'reduction': 'none'})
add('sm/error/target-grows-output-mean', SM, [logits((4,), 'float32'), Input((3, 4), kind='sign')])
add('sm/error/bad-reduction', SM, [logits((3, 4), 'float32'), Input((3, 4), kind='sign')], {'reduction': 'avg'})
add('sm/error/batchmean', SM, [logits((3, 4), 'float32'), Input((3, 4), kind='sign')], {'reduction': 'batchmean'})
add('sm/error/int64', SM, [Input((2, 3), 'int64', kind='randint', lo=-3, hi=3), Input((2, 3), 'int64', kind='sign')])
add('sm/error/int64-input', SM, [Input((2, 3), 'int64', kind='randint', lo=-3, hi=3), Input((2, 3), kind='sign')])
add('sm/error/bool-input', SM, [Input((2, 3), 'bool', kind='randint', lo=0, hi=2), Input((2, 3), kind='sign')])

# ---- MultiLabelSoftMarginLoss -----------------------------------------------------------------------------

for p in product(reduction=REDUCTIONS, dtype=DTYPES, shape=[(5,), (3, 4), (2, 3, 4), (1, 1), (4, 1)]):
    add('mlsm/%s/%s/%s' % (p['reduction'], p['dtype'], shape_tag(p['shape'])), MLSM,
        [logits(p['shape'], p['dtype']), binary(p['shape'], p['dtype'], grad=True)], {'reduction': p['reduction']})

for p in product(reduction=REDUCTIONS, dtype=DTYPES):
    add('mlsm/%s/%s/soft-targets' % (p['reduction'], p['dtype']), MLSM,
        [logits((3, 5), p['dtype']), probs((3, 5), p['dtype'], lo=0, hi=1)], {'reduction': p['reduction']})
    add('mlsm/%s/%s/input-grad-only' % (p['reduction'], p['dtype']), MLSM,
        [logits((3, 5), p['dtype']), binary((3, 5), p['dtype'])], {'reduction': p['reduction']})

for p in product(reduction=REDUCTIONS, dtype=DTYPES, wshape=[(4,), (3, 4), (1, 4), ()]):
    add('mlsm/%s/%s/weight-%s' % (p['reduction'], p['dtype'], shape_tag(p['wshape'])), MLSM,
        [logits((3, 4), p['dtype']), binary((3, 4), p['dtype'], grad=True),
         Input(p['wshape'], p['dtype'], kind='uniform', lo=0, hi=2, requires_grad=True)], {'reduction': p['reduction']})

for p in product(reduction=REDUCTIONS, dtype=DTYPES):
    add('mlsm/%s/%s/weight-no-grad' % (p['reduction'], p['dtype']), MLSM,
        [logits((3, 4), p['dtype']), binary((3, 4), p['dtype']),
         Input((4,), p['dtype'], kind='uniform', lo=0, hi=2)], {'reduction': p['reduction']})

for r in REDUCTIONS:
    add('mlsm/%s/broadcast-target-row' % r, MLSM, [logits((3, 4), 'float32'), binary((4,), 'float32', grad=True)],
        {'reduction': r})
    add('mlsm/%s/broadcast-target-grows' % r, MLSM,
        [logits((3, 4), 'float32'), binary((2, 3, 4), 'float32', grad=True)], {'reduction': r})
    add('mlsm/%s/broadcast-weight-grows' % r, MLSM,
        [logits((4,), 'float32'), binary((4,), 'float32', grad=True),
         Input((3, 4), kind='uniform', requires_grad=True)], {'reduction': r})

MLSM_X = [[1e4, -1e4, 1e4, -1e4], [20., -20., INF, -INF], [INF, -INF, 0., NAN], [100., -100., 0.5, 88.]]
MLSM_Y = [[1., 1., 0., 0.], [1., 0., 0., 1.], [1., 0., 0.5, 0.5], [0.3, 0.7, 0., 1.]]
for p in product(reduction=REDUCTIONS, dtype=DTYPES):
    add('mlsm/%s/%s/extreme' % (p['reduction'], p['dtype']), MLSM,
        [vals(MLSM_X, p['dtype'], True), vals(MLSM_Y, p['dtype'], True)], {'reduction': p['reduction']})
    add('mlsm/%s/%s/extreme-finite' % (p['reduction'], p['dtype']), MLSM,
        [vals([MLSM_X[0], MLSM_X[3]], p['dtype'], True), vals([MLSM_Y[0], MLSM_Y[3]], p['dtype'], True),
         vals([0.5, 1., 2., 0.], p['dtype'], True)], {'reduction': p['reduction']})

for p in product(reduction=REDUCTIONS, shape=[(0, 4), (3, 0)]):
    add('mlsm/%s/empty/%s' % (p['reduction'], shape_tag(p['shape'])), MLSM,
        [logits(p['shape'], 'float32'), binary(p['shape'], 'float32', grad=True)], {'reduction': p['reduction']})

for sa, r in LEGACY:
    kwargs = {'size_average': sa, 'reduce': r, 'reduction': 'sum'}
    add('mlsm/legacy/size_average=%s/reduce=%s' % (sa, r), MLSM,
        [logits((3, 2), 'float32'), binary((3, 2), 'float32', grad=True)], kwargs)
add('mlsm/legacy/bad-reduction-ignored', MLSM, [logits((3, 2), 'float32'), binary((3, 2), 'float32')],
    {'size_average': False, 'reduction': 'avg'})

for r in REDUCTIONS:
    add('mlsm/%s/mixed/target-float64' % r, MLSM, [logits((2, 3), 'float32'), binary((2, 3), 'float64', grad=True)],
        {'reduction': r})
    add('mlsm/%s/target-int64' % r, MLSM, [logits((2, 3), 'float32'), binary((2, 3), 'int64')], {'reduction': r})
add('mlsm/mixed/weight-float64', MLSM, [logits((2, 3), 'float32'), binary((2, 3), 'float32'),
                                         Input((3,), 'float64', kind='uniform', requires_grad=True)])
add('mlsm/weight-int64', MLSM, [logits((2, 3), 'float32'), binary((2, 3), 'float32', grad=True),
                                Input((3,), 'int64', kind='randint', lo=0, hi=3)])

add('mlsm/error/elementwise_mean', MLSM, [logits((3, 4), 'float32'), binary((3, 4), 'float32')],
    {'reduction': 'elementwise_mean'})
add('mlsm/error/batchmean', MLSM, [logits((3, 4), 'float32'), binary((3, 4), 'float32')], {'reduction': 'batchmean'})
add('mlsm/error/bad-reduction', MLSM, [logits((3, 4), 'float32'), binary((3, 4), 'float32')], {'reduction': 'avg'})
add('mlsm/error/shape-before-reduction', MLSM, [logits((3, 4), 'float32'), binary((3, 5), 'float32')],
    {'reduction': 'avg'})
add('mlsm/error/shape-mismatch', MLSM, [logits((3, 4), 'float32'), binary((3, 5), 'float32')])
add('mlsm/error/weight-mismatch', MLSM, [logits((3, 4), 'float32'), binary((3, 4), 'float32'),
                                         Input((5,), kind='uniform')])
add('mlsm/error/scalar-input', MLSM, [Input((), requires_grad=True), binary((), 'float32')])
add('mlsm/error/scalar-input-bad-reduction', MLSM, [Input(()), binary((), 'float32')], {'reduction': 'x'})
add('mlsm/error/int64-input', MLSM, [Input((2, 3), 'int64', kind='randint', lo=-3, hi=3), binary((2, 3), 'float32')])
add('mlsm/error/bool-input', MLSM, [Input((2, 3), 'bool', kind='randint', lo=0, hi=2), binary((2, 3), 'float32')])
add('mlsm/error/bool-target', MLSM, [logits((2, 3), 'float32'), Input((2, 3), 'bool', kind='randint', lo=0, hi=2)])

# ---- more shapes: class weights on rank-3 inputs, broadcast targets on rank 3 --------------------------------

for p in product(reduction=REDUCTIONS, dtype=DTYPES):
    add('mlsm/%s/%s/2x3x4/weight-4' % (p['reduction'], p['dtype']), MLSM,
        [logits((2, 3, 4), p['dtype']), binary((2, 3, 4), p['dtype'], grad=True),
         Input((4,), p['dtype'], kind='uniform', lo=0, hi=2, requires_grad=True)], {'reduction': p['reduction']})
    add('bce/%s/%s/2x3x4/weight-4' % (p['reduction'], p['dtype']), BCE,
        [probs((2, 3, 4), p['dtype']), probs((2, 3, 4), p['dtype'], lo=0, hi=1),
         Input((4,), p['dtype'], kind='uniform', lo=0, hi=2)], {'reduction': p['reduction']})
    add('sm/%s/%s/2x3x4/broadcast-target-3x1' % (p['reduction'], p['dtype']), SM,
        [logits((2, 3, 4), p['dtype']), Input((3, 1), p['dtype'], kind='sign')], {'reduction': p['reduction']})
    add('bcel/%s/%s/2x3x4/weight-3x1' % (p['reduction'], p['dtype']), BCEL,
        [logits((2, 3, 4), p['dtype']), probs((2, 3, 4), p['dtype'], lo=0, hi=1),
         Input((3, 1), p['dtype'], kind='uniform', lo=0, hi=2)], {'reduction': p['reduction']})

# ---- float16 and bfloat16 (PyTorch's CPU computes them in float32 and rounds to the dtype) -----------------
# BCEWithLogitsLoss and SoftMarginLoss round each intermediate step to the dtype (composite kernels in PyTorch),
# and loss4j mirrors those steps; the larger shapes give the rounding room to show.
for p in product(reduction=REDUCTIONS, dtype=['float16', 'bfloat16']):
    r, dt = p['reduction'], p['dtype']
    for shape in [(3, 4), (4, 5, 6)]:
        add('sm/%s/%s/%s' % (r, dt, shape_tag(shape)), SM,
            [logits(shape, dt), Input(shape, dt, kind='sign')], {'reduction': r})
        add('bcel/%s/%s/%s' % (r, dt, shape_tag(shape)), BCEL,
            [logits(shape, dt), probs(shape, dt, lo=0, hi=1)], {'reduction': r})
    add('sm/%s/%s/3x4/broadcast-target-4' % (r, dt), SM, [logits((3, 4), dt), Input((4,), dt, kind='sign')],
        {'reduction': r})
    add('bcel/%s/%s/3x4/weight-4' % (r, dt), BCEL,
        [logits((3, 4), dt), probs((3, 4), dt, lo=0, hi=1), Input((4,), dt, kind='uniform', lo=0, hi=2)],
        {'reduction': r})
    add_pos_weight('bcel/%s/%s/3x4/pos_weight-4' % (r, dt), logits((3, 4), dt), probs((3, 4), dt, lo=0, hi=1),
                   None, Input((4,), dt, kind='uniform', lo=0.5, hi=3), r)
    add_pos_weight('bcel/%s/%s/3x4/weight-pos_weight' % (r, dt), logits((3, 4), dt), probs((3, 4), dt, lo=0, hi=1),
                   Input((3, 4), dt, kind='uniform', lo=0, hi=2), Input((4,), dt, kind='uniform', lo=0.5, hi=3), r)
    add('bcel/%s/%s/3x4/binary-targets' % (r, dt), BCEL, [logits((3, 4), dt), binary((3, 4), dt)],
        {'reduction': r})
    add('bce/%s/%s/3x4' % (r, dt), BCE, [probs((3, 4), dt), probs((3, 4), dt, grad=False)], {'reduction': r})
    add('multilabel_soft_margin/%s/%s/3x4' % (r, dt), MLSM, [logits((3, 4), dt), binary((3, 4), dt)],
        {'reduction': r})
