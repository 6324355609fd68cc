"""Case table for the regression family: l1_loss, mse_loss (L1Loss, MSELoss)."""
from cases import Case, Input, product, shape_tag

OPS = {'l1_loss': 'L1Loss', 'mse_loss': 'MSELoss'}
REDUCTIONS = ['none', 'mean', 'sum']
DTYPES = ['float32', 'float64']
SHAPES = [(), (5,), (3, 4), (2, 3, 4), (2, 1, 3, 2)]
# (input shape, target shape): broadcastable pairs that PyTorch warns about.
BROADCASTS = [((3, 4), (4,)), ((3, 1), (1, 4)), ((4,), (3, 4)), ((2, 3, 1), (3, 5)), ((), (3,))]

CASES = []


def add(id, op, inputs, kwargs, ctor=None):
    CASES.append(Case(id, op, inputs, kwargs, OPS[op], kwargs if ctor is None else ctor))


for p in product(op=OPS, reduction=REDUCTIONS, dtype=DTYPES, shape=SHAPES):
    both = [Input(p['shape'], p['dtype'], requires_grad=True), Input(p['shape'], p['dtype'], requires_grad=True)]
    add('%s/%s/%s/%s' % (p['op'], p['reduction'], p['dtype'], shape_tag(p['shape'])), p['op'], both,
        {'reduction': p['reduction']})

for p in product(op=OPS, reduction=REDUCTIONS, dtype=DTYPES, shapes=BROADCASTS):
    a, b = p['shapes']
    add('%s/%s/%s/broadcast/%s-%s' % (p['op'], p['reduction'], p['dtype'], shape_tag(a), shape_tag(b)), p['op'],
        [Input(a, p['dtype'], requires_grad=True), Input(b, p['dtype'], requires_grad=True)],
        {'reduction': p['reduction']})

for p in product(op=OPS, reduction=REDUCTIONS, shape=[(0,), (0, 3), (2, 0, 4)]):
    add('%s/%s/empty/%s' % (p['op'], p['reduction'], shape_tag(p['shape'])), p['op'],
        [Input(p['shape'], requires_grad=True), Input(p['shape'], requires_grad=True)], {'reduction': p['reduction']})

SPECIALS = [[0.5, float('nan'), float('inf'), -float('inf'), 2.0, float('inf')],
            [0.25, 1.0, 3.0, -float('inf'), float('nan'), float('inf')]]
for p in product(op=OPS, reduction=REDUCTIONS, dtype=DTYPES):
    add('%s/%s/%s/nan-inf' % (p['op'], p['reduction'], p['dtype']), p['op'],
        [Input(dtype=p['dtype'], kind='values', values=SPECIALS[0], requires_grad=True),
         Input(dtype=p['dtype'], kind='values', values=SPECIALS[1], requires_grad=True)],
        {'reduction': p['reduction']})

# Equal input and target: the L1 gradient there is sign(0) = 0.
for p in product(op=OPS, reduction=REDUCTIONS):
    v = [[1.5, -2.0, 0.0], [3.0, 3.0, -0.5]]
    add('%s/%s/ties' % (p['op'], p['reduction']), p['op'],
        [Input(kind='values', values=v, requires_grad=True), Input(kind='values', values=v)],
        {'reduction': p['reduction']})

# Only the input requires grad; large magnitudes.
for p in product(op=OPS, reduction=REDUCTIONS, dtype=DTYPES):
    add('%s/%s/%s/input-grad-only/large' % (p['op'], p['reduction'], p['dtype']), p['op'],
        [Input((4, 3), p['dtype'], kind='uniform', lo=-1e4, hi=1e4, requires_grad=True),
         Input((4, 3), p['dtype'], kind='uniform', lo=-1e4, hi=1e4)],
        {'reduction': p['reduction']})

# The deprecated size_average / reduce flags, with the reduction they override.
for p in product(op=OPS, size_average=[None, True, False], reduce=[None, True, False]):
    if p['size_average'] is None and p['reduce'] is None:
        continue
    kwargs = {'size_average': p['size_average'], 'reduce': p['reduce'], 'reduction': 'sum'}
    add('%s/legacy/size_average=%s/reduce=%s' % (p['op'], p['size_average'], p['reduce']), p['op'],
        [Input((3, 2), requires_grad=True), Input((3, 2), requires_grad=True)], kwargs)

# Mixed dtypes promote to float64.
for p in product(op=OPS, reduction=REDUCTIONS):
    add('%s/%s/mixed-dtype' % (p['op'], p['reduction']), p['op'],
        [Input((2, 3), 'float32', requires_grad=True), Input((2, 3), 'float64', requires_grad=True)],
        {'reduction': p['reduction']})

# Errors: incompatible shapes, invalid reduction strings, integer tensors.
for op in OPS:
    add('%s/error/shape-mismatch' % op, op, [Input((2, 3)), Input((2, 4))], {})
    add('%s/error/shape-mismatch-rank3' % op, op, [Input((2, 3, 4)), Input((3, 3, 4))], {'reduction': 'sum'})
    add('%s/error/bad-reduction' % op, op, [Input((2, 3)), Input((2, 3))], {'reduction': 'avg'})
    add('%s/error/bad-reduction-batchmean' % op, op, [Input((2, 3)), Input((2, 3))], {'reduction': 'batchmean'})
    for r in REDUCTIONS:
        add('%s/%s/int64' % (op, r), op, [Input((2, 3), 'int64', kind='randint', lo=-5, hi=5),
                                         Input((2, 3), 'int64', kind='randint', lo=-5, hi=5)], {'reduction': r})
