"""Case table for the regression family: l1_loss, mse_loss (L1Loss, MSELoss), smooth_l1_loss, huber_loss
(SmoothL1Loss, HuberLoss), and the weight tensor of l1_loss, mse_loss and huber_loss."""
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

# ---- smooth_l1_loss (SmoothL1Loss) and huber_loss (HuberLoss) ----
SMOOTH = {'smooth_l1_loss': ('SmoothL1Loss', 'beta'), 'huber_loss': ('HuberLoss', 'delta')}


def add_smooth(id, op, inputs, kwargs, ctor=None):
    CASES.append(Case(id, op, inputs, kwargs, SMOOTH[op][0], kwargs if ctor is None else ctor))


def grads(a, b, dtype='float32', **kw):
    return [Input(a, dtype, requires_grad=True, **kw), Input(b, dtype, requires_grad=True, **kw)]


for p in product(op=SMOOTH, reduction=REDUCTIONS, dtype=DTYPES, shape=SHAPES):
    add_smooth('%s/%s/%s/%s' % (p['op'], p['reduction'], p['dtype'], shape_tag(p['shape'])), p['op'],
               grads(p['shape'], p['shape'], p['dtype']), {'reduction': p['reduction']})

# The threshold: both regions of the piecewise loss (inputs spread over +-3), beta/delta values incl. an int.
for p in product(op=SMOOTH, reduction=REDUCTIONS, dtype=DTYPES, param=[0.5, 2.5, 2, 1e-3]):
    k = SMOOTH[p['op']][1]
    add_smooth('%s/%s/%s/%s=%s' % (p['op'], p['reduction'], p['dtype'], k, p['param']), p['op'],
               grads((4, 5), (4, 5), p['dtype'], kind='uniform', lo=-3, hi=3),
               {'reduction': p['reduction'], k: p['param']})

# beta = 0: the L1 value (smooth_l1_loss only; huber_loss refuses delta = 0).
for p in product(reduction=REDUCTIONS, dtype=DTYPES, shape=[(5,), (3, 4)]):
    add_smooth('smooth_l1_loss/%s/%s/beta=0/%s' % (p['reduction'], p['dtype'], shape_tag(p['shape'])),
               'smooth_l1_loss', grads(p['shape'], p['shape'], p['dtype']),
               {'reduction': p['reduction'], 'beta': 0.0})

for p in product(op=SMOOTH, reduction=REDUCTIONS, dtype=DTYPES, shapes=BROADCASTS):
    a, b = p['shapes']
    add_smooth('%s/%s/%s/broadcast/%s-%s' % (p['op'], p['reduction'], p['dtype'], shape_tag(a), shape_tag(b)),
               p['op'], grads(a, b, p['dtype']), {'reduction': p['reduction']})

for p in product(op=SMOOTH, reduction=REDUCTIONS, shape=[(0,), (0, 3), (2, 0, 4)]):
    add_smooth('%s/%s/empty/%s' % (p['op'], p['reduction'], shape_tag(p['shape'])), p['op'],
               grads(p['shape'], p['shape']), {'reduction': p['reduction']})

# NaN, inf and exact threshold points (|x - y| == 1 and == 0.5).
EDGE = [[0.5, float('nan'), float('inf'), -float('inf'), 2.0, float('inf'), 1.0, -1.0, 0.5, 3.0],
        [0.25, 1.0, 3.0, -float('inf'), float('nan'), float('inf'), 0.0, 0.0, 0.0, 3.0]]
for p in product(op=SMOOTH, reduction=REDUCTIONS, dtype=DTYPES, param=[1.0, 0.5]):
    k = SMOOTH[p['op']][1]
    add_smooth('%s/%s/%s/nan-inf-threshold/%s=%s' % (p['op'], p['reduction'], p['dtype'], k, p['param']), p['op'],
               [Input(dtype=p['dtype'], kind='values', values=EDGE[0], requires_grad=True),
                Input(dtype=p['dtype'], kind='values', values=EDGE[1], requires_grad=True)],
               {'reduction': p['reduction'], k: p['param']})
for p in product(reduction=REDUCTIONS, dtype=DTYPES):
    add_smooth('smooth_l1_loss/%s/%s/nan-inf-threshold/beta=0' % (p['reduction'], p['dtype']), 'smooth_l1_loss',
               [Input(dtype=p['dtype'], kind='values', values=EDGE[0], requires_grad=True),
                Input(dtype=p['dtype'], kind='values', values=EDGE[1], requires_grad=True)],
               {'reduction': p['reduction'], 'beta': 0.0})

# Ties (x == y): gradient 0 (beta = 0 is l1_loss in PyTorch 2.x: sign(0) = 0 too).
for p in product(op=SMOOTH, reduction=REDUCTIONS):
    v = [[1.5, -2.0, 0.0], [3.0, 3.0, -0.5]]
    add_smooth('%s/%s/ties' % (p['op'], p['reduction']), p['op'],
               [Input(kind='values', values=v, requires_grad=True), Input(kind='values', values=v, requires_grad=True)],
               {'reduction': p['reduction']})
for r in REDUCTIONS:
    v = [[1.5, -2.0, 0.0], [3.0, 3.0, -0.5]]
    add_smooth('smooth_l1_loss/%s/ties/beta=0' % r, 'smooth_l1_loss',
               [Input(kind='values', values=v, requires_grad=True), Input(kind='values', values=v, requires_grad=True)],
               {'reduction': r, 'beta': 0.0})

# Large magnitudes, only the input requiring grad.
for p in product(op=SMOOTH, reduction=REDUCTIONS, dtype=DTYPES):
    add_smooth('%s/%s/%s/input-grad-only/large' % (p['op'], p['reduction'], p['dtype']), p['op'],
               [Input((4, 3), p['dtype'], kind='uniform', lo=-1e4, hi=1e4, requires_grad=True),
                Input((4, 3), p['dtype'], kind='uniform', lo=-1e4, hi=1e4)],
               {'reduction': p['reduction']})

# Legacy flags (smooth_l1_loss only: huber_loss never had them).
for p in product(size_average=[None, True, False], reduce=[None, True, False]):
    if p['size_average'] is None and p['reduce'] is None:
        continue
    kwargs = {'size_average': p['size_average'], 'reduce': p['reduce'], 'reduction': 'sum'}
    add_smooth('smooth_l1_loss/legacy/size_average=%s/reduce=%s' % (p['size_average'], p['reduce']),
               'smooth_l1_loss', grads((3, 2), (3, 2)), kwargs)
add_smooth('smooth_l1_loss/legacy/reduce=False/beta=0.5', 'smooth_l1_loss', grads((3, 2), (3, 2)),
           {'reduce': False, 'beta': 0.5})

# Mixed dtypes: smooth_l1_loss promotes; huber_loss writes into the input's dtype and refuses backward.
for p in product(op=SMOOTH, reduction=REDUCTIONS, order=[('float32', 'float64'), ('float64', 'float32')]):
    a, b = p['order']
    add_smooth('%s/%s/mixed-dtype/%s-%s' % (p['op'], p['reduction'], a, b), p['op'],
               [Input((2, 3), a, requires_grad=True), Input((2, 3), b, requires_grad=True)],
               {'reduction': p['reduction']})
for op in SMOOTH:
    add_smooth('%s/mixed-dtype/no-grad' % op, op, [Input((2, 3), 'float32'), Input((2, 3), 'float64')], {})
    add_smooth('%s/float-input-int64-target' % op, op,
               [Input((2, 3), requires_grad=True), Input((2, 3), 'int64', kind='randint', lo=-2, hi=3)], {})
    add_smooth('%s/float-input-bool-target/no-grad' % op, op,
               [Input((2, 3)), Input((2, 3), 'bool', kind='values', values=[[True, False, True], [False] * 3])], {})
add_smooth('smooth_l1_loss/mixed-dtype/beta=0', 'smooth_l1_loss',
           [Input((2, 3), 'float32', requires_grad=True), Input((2, 3), 'float64', requires_grad=True)], {'beta': 0.0})
add_smooth('smooth_l1_loss/int64-input-float-target', 'smooth_l1_loss',
           [Input((2, 3), 'int64', kind='randint', lo=-3, hi=3), Input((2, 3), requires_grad=True)], {})

# Errors: shapes, reductions, dtypes, beta / delta out of range (checked after the reduction).
for op, (mod, k) in SMOOTH.items():
    add_smooth('%s/error/shape-mismatch' % op, op, [Input((2, 3)), Input((2, 4))], {})
    add_smooth('%s/error/shape-mismatch-rank3' % op, op, [Input((2, 3, 4)), Input((3, 3, 4))], {'reduction': 'sum'})
    add_smooth('%s/error/bad-reduction' % op, op, [Input((2, 3)), Input((2, 3))], {'reduction': 'avg'})
    add_smooth('%s/error/bad-reduction-batchmean' % op, op, [Input((2, 3)), Input((2, 3))], {'reduction': 'batchmean'})
    add_smooth('%s/error/bad-reduction-before-%s' % (op, k), op, [Input((2, 3)), Input((2, 3))],
               {'reduction': 'avg', k: -1.0})
    add_smooth('%s/error/%s=-1' % (op, k), op, [Input((2, 3)), Input((2, 3))], {k: -1.0})
    add_smooth('%s/error/%s-before-dtype' % (op, k), op,
               [Input((2, 3), 'int64', kind='randint', lo=-5, hi=5), Input((2, 3), 'int64', kind='randint', lo=-5, hi=5)],
               {k: -0.5})
    add_smooth('%s/error/bool' % op, op,
               [Input(dtype='bool', kind='values', values=[True, False]),
                Input(dtype='bool', kind='values', values=[True, True])], {})
    add_smooth('%s/error/broadcast-warning-then-shape' % op, op, [Input((3,)), Input((4,))], {'reduction': 'none'})
    for r in REDUCTIONS:
        add_smooth('%s/%s/int64' % (op, r), op, [Input((2, 3), 'int64', kind='randint', lo=-5, hi=5),
                                                Input((2, 3), 'int64', kind='randint', lo=-5, hi=5)], {'reduction': r})
add_smooth('huber_loss/error/delta=0', 'huber_loss', [Input((2, 3)), Input((2, 3))], {'delta': 0.0})
add_smooth('huber_loss/error/int64-input-float-target', 'huber_loss',
           [Input((2, 3), 'int64', kind='randint', lo=-3, hi=3), Input((2, 3))], {})

# ---- the weight tensor of l1_loss, mse_loss and huber_loss (PyTorch 2.x; the modules have no weight) ----
WEIGHTED = ['l1_loss', 'mse_loss', 'huber_loss']


def add_weighted(id, op, inputs, kwargs):
    CASES.append(Case(id, op, inputs, kwargs))


def weight(shape, dtype='float32', grad=True):
    return Input(shape, dtype, kind='uniform', lo=0.0, hi=2.0, requires_grad=grad)


for p in product(op=WEIGHTED, reduction=REDUCTIONS, dtype=DTYPES, shape=[(), (5,), (3, 4), (2, 3, 4)]):
    add_weighted('%s/%s/%s/weight/%s' % (p['op'], p['reduction'], p['dtype'], shape_tag(p['shape'])), p['op'],
                 grads(p['shape'], p['shape'], p['dtype']),
                 {'reduction': p['reduction'], 'weight': weight(p['shape'], p['dtype'])})
for p in product(op=WEIGHTED, reduction=REDUCTIONS):
    add_weighted('%s/%s/weight/no-grad' % (p['op'], p['reduction']), p['op'], grads((3, 4), (3, 4)),
                 {'reduction': p['reduction'], 'weight': weight((3, 4), grad=False)})
    add_weighted('%s/%s/weight/broadcast-target' % (p['op'], p['reduction']), p['op'], grads((3, 4), (4,)),
                 {'reduction': p['reduction'], 'weight': weight((3, 4))})
    add_weighted('%s/%s/weight/float64-weight' % (p['op'], p['reduction']), p['op'], grads((3, 4), (3, 4)),
                 {'reduction': p['reduction'], 'weight': weight((3, 4), 'float64')})
    add_weighted('%s/%s/weight/zeros' % (p['op'], p['reduction']), p['op'], grads((2, 3), (2, 3)),
                 {'reduction': p['reduction'],
                  'weight': Input(kind='values', values=[[0.0] * 3] * 2, requires_grad=True)})
    add_weighted('%s/%s/weight/ties' % (p['op'], p['reduction']), p['op'],
                 [Input(kind='values', values=[[1.5, -2.0, 0.0], [3.0, 3.0, -0.5]], requires_grad=True),
                  Input(kind='values', values=[[1.5, -2.0, 0.0], [3.0, 3.5, -0.5]], requires_grad=True)],
                 {'reduction': p['reduction'], 'weight': weight((2, 3))})
    add_weighted('%s/%s/weight/empty' % (p['op'], p['reduction']), p['op'], grads((0, 3), (0, 3)),
                 {'reduction': p['reduction'], 'weight': weight((0, 3))})
for p in product(op=['huber_loss'], reduction=REDUCTIONS, delta=[0.5, 2.5]):
    add_weighted('huber_loss/%s/weight/delta=%s' % (p['reduction'], p['delta']), 'huber_loss',
                 grads((3, 4), (3, 4), kind='normal'),
                 {'reduction': p['reduction'], 'delta': p['delta'], 'weight': weight((3, 4))})
for op in WEIGHTED:
    add_weighted('%s/error/weight-shape' % op, op, grads((3, 4), (3, 4)), {'weight': weight((4,))})
    add_weighted('%s/error/weight-broadcast-input' % op, op, grads((4,), (3, 4)), {'weight': weight((3, 4))})
    add_weighted('%s/error/weight-bad-reduction' % op, op, grads((3, 4), (3, 4)),
                 {'reduction': 'avg', 'weight': weight((3, 4))})
    add_weighted('%s/error/weight-elementwise_mean' % op, op, grads((3, 4), (3, 4)),
                 {'reduction': 'elementwise_mean', 'weight': weight((3, 4))})
    add_weighted('%s/error/weight-shape-mismatch' % op, op, grads((2, 3), (2, 4)), {'weight': weight((2, 3))})
for op in ['l1_loss', 'mse_loss']:
    for size_average, reduce in [(True, None), (False, None), (None, False)]:
        add_weighted('%s/weight/legacy/size_average=%s/reduce=%s' % (op, size_average, reduce), op,
                     grads((3, 4), (3, 4)),
                     {'size_average': size_average, 'reduce': reduce, 'weight': weight((3, 4))})
add_weighted('huber_loss/error/weight-delta=-1', 'huber_loss', grads((3, 4), (3, 4)),
             {'delta': -1.0, 'weight': weight((3, 4))})
add_weighted('smooth_l1_loss/weight-less/beta=0/sum', 'smooth_l1_loss', grads((3, 4), (3, 4)),
             {'reduction': 'sum', 'beta': 0.0})

# float16 and bfloat16 (PyTorch's CPU computes them in float32 and rounds to the dtype).
REDUCED_MODULES = {'l1_loss': 'L1Loss', 'mse_loss': 'MSELoss', 'smooth_l1_loss': 'SmoothL1Loss',
                   'huber_loss': 'HuberLoss'}
for p in product(op=REDUCED_MODULES, reduction=REDUCTIONS, dtype=['float16', 'bfloat16'], shape=[(5,), (3, 4)]):
    CASES.append(Case('%s/%s/%s/%s' % (p['op'], p['reduction'], p['dtype'], shape_tag(p['shape'])), p['op'],
                      [Input(p['shape'], p['dtype'], requires_grad=True),
                       Input(p['shape'], p['dtype'], requires_grad=True)],
                      {'reduction': p['reduction']}, REDUCED_MODULES[p['op']], {'reduction': p['reduction']}))
