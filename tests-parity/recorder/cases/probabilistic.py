"""Case table for the probabilistic family: gaussian_nll_loss, poisson_nll_loss, kl_div
(GaussianNLLLoss, PoissonNLLLoss, KLDivLoss)."""
from cases import Case, Input, product, shape_tag

MODULES = {'gaussian_nll_loss': 'GaussianNLLLoss', 'poisson_nll_loss': 'PoissonNLLLoss', 'kl_div': 'KLDivLoss'}
REDUCTIONS = ['none', 'mean', 'sum']
DTYPES = ['float32', 'float64']
NAN, INF = float('nan'), float('inf')

CASES = []


def add(id, op, inputs, kwargs, ctor=None):
    CASES.append(Case(id, op, inputs, kwargs, MODULES[op], kwargs if ctor is None else ctor))


def normal(shape, dtype='float32', grad=True):
    return Input(shape, dtype, requires_grad=grad)


def uniform(shape, lo, hi, dtype='float32', grad=True):
    return Input(shape, dtype, kind='uniform', lo=lo, hi=hi, requires_grad=grad)


def values(v, dtype='float32', grad=True):
    return Input(dtype=dtype, kind='values', values=v, requires_grad=grad)


# ---- gaussian_nll_loss ----------------------------------------------------------------------------------
G = 'gaussian_nll_loss'
for p in product(reduction=REDUCTIONS, dtype=DTYPES, full=[False, True], shape=[(5,), (3, 4), (2, 3, 4)]):
    add('%s/%s/%s/full=%s/%s' % (G, p['reduction'], p['dtype'], p['full'], shape_tag(p['shape'])), G,
        [normal(p['shape'], p['dtype']), normal(p['shape'], p['dtype']), uniform(p['shape'], 0.1, 2.0, p['dtype'])],
        {'reduction': p['reduction'], 'full': p['full']})

# Homoscedastic var: one dimension fewer (unsqueezed), or the last dimension 1.
VAR_SHAPES = [((4, 3), (4,)), ((2, 3, 4), (2, 3)), ((5,), ()), ((4, 3), (4, 1)), ((2, 3, 4), (2, 3, 1)), ((), (1,))]
for p in product(reduction=REDUCTIONS, dtype=DTYPES, shapes=VAR_SHAPES):
    a, v = p['shapes']
    add('%s/%s/%s/var%s-for-input%s' % (G, p['reduction'], p['dtype'], shape_tag(v), shape_tag(a)), G,
        [normal(a, p['dtype']), normal(a, p['dtype']), uniform(v, 0.2, 3.0, p['dtype'])],
        {'reduction': p['reduction']})

# The target broadcasts with the input (no size warning in gaussian_nll_loss).
for p in product(reduction=REDUCTIONS, shapes=[((3, 4), (4,), (3, 4)), ((4,), (2, 4), (4,)),
                                               ((3, 1), (1, 4), (3, 1)), ((), (3,), ())]):
    a, t, v = p['shapes']
    add('%s/%s/broadcast-target/%s-%s-%s' % (G, p['reduction'], shape_tag(a), shape_tag(t), shape_tag(v)), G,
        [normal(a), normal(t), uniform(v, 0.2, 2.0)], {'reduction': p['reduction']})

# eps: variances below it are clamped (the gradient still reaches var); eps=0 with positive var.
for p in product(reduction=REDUCTIONS, dtype=DTYPES):
    add('%s/%s/%s/eps=0.01/clamped' % (G, p['reduction'], p['dtype']), G,
        [normal((3, 4), p['dtype']), normal((3, 4), p['dtype']), uniform((3, 4), 0.0, 0.03, p['dtype'])],
        {'reduction': p['reduction'], 'eps': 0.01})
    add('%s/%s/%s/eps=0/zero-var' % (G, p['reduction'], p['dtype']), G,
        [values([1.0, 2.0, 0.5]), values([0.5, 2.0, 0.0]), values([0.0, 1.0, 2.0])][:0] or
        [values([1.0, 2.0, 0.5], p['dtype']), values([0.5, 2.0, 0.0], p['dtype']), values([0.0, 1.0, 2.0], p['dtype'])],
        {'reduction': p['reduction'], 'eps': 0.0})
    add('%s/%s/%s/default-eps/zero-var' % (G, p['reduction'], p['dtype']), G,
        [values([1.0, 2.0, 0.5, -1.0], p['dtype']), values([0.5, 2.0, 0.0, 3.0], p['dtype']),
         values([0.0, 1e-8, 2.0, 1e-6], p['dtype'])], {'reduction': p['reduction']})

# NaN, inf and extreme values.
GX = [0.5, NAN, INF, -INF, 1e4, -1e4, 0.0, INF]
GT = [0.0, 1.0, 0.0, 1.0, -1e4, 1e4, 0.0, INF]
GV = [1.0, 1.0, 2.0, 0.5, 1e-3, 1e4, INF, 1.0]
for p in product(reduction=REDUCTIONS, dtype=DTYPES):
    add('%s/%s/%s/nan-inf-extreme' % (G, p['reduction'], p['dtype']), G,
        [values(GX, p['dtype']), values(GT, p['dtype']), values(GV, p['dtype'])], {'reduction': p['reduction']})
    add('%s/%s/%s/nan-var' % (G, p['reduction'], p['dtype']), G,
        [values([1.0, 2.0], p['dtype']), values([0.0, 0.0], p['dtype']), values([NAN, 1.0], p['dtype'])],
        {'reduction': p['reduction'], 'full': True})

for p in product(reduction=REDUCTIONS, shapes=[((0,), (0,)), ((0, 3), (0, 3)), ((0, 3), (0,)), ((3, 0), (3,))]):
    a, v = p['shapes']
    add('%s/%s/empty/%s-var%s' % (G, p['reduction'], shape_tag(a), shape_tag(v)), G,
        [normal(a), normal(a), uniform(v, 0.5, 1.0)], {'reduction': p['reduction']})

# Gradients for some arguments only; mixed dtypes; integral input and target.
for r in REDUCTIONS:
    add('%s/%s/var-grad-only' % (G, r), G, [normal((3, 4), grad=False), normal((3, 4), grad=False),
                                            uniform((3, 4), 0.1, 2.0)], {'reduction': r})
    add('%s/%s/input-grad-only' % (G, r), G, [normal((3, 4)), normal((3, 4), grad=False),
                                              uniform((3, 4), 0.1, 2.0, grad=False)], {'reduction': r})
    add('%s/%s/mixed/float32-float64-float32' % (G, r), G,
        [normal((2, 3)), normal((2, 3), 'float64'), uniform((2, 3), 0.1, 2.0)], {'reduction': r})
    add('%s/%s/mixed/float32-float32-float64' % (G, r), G,
        [normal((2, 3)), normal((2, 3)), uniform((2, 3), 0.1, 2.0, 'float64')], {'reduction': r})
    add('%s/%s/int64-input-target' % (G, r), G,
        [Input((2, 3), 'int64', kind='randint', lo=-3, hi=4), Input((2, 3), 'int64', kind='randint', lo=-3, hi=4),
         uniform((2, 3), 0.1, 2.0)], {'reduction': r})
add('%s/no-grad' % G, G, [normal((3,), grad=False), normal((3,), grad=False), uniform((3,), 0.1, 1, grad=False)], {})
add('%s/full=True/eps=1e-3/sum/float64' % G, G,
    [normal((4, 2), 'float64'), normal((4, 2), 'float64'), uniform((4,), 0.0, 0.01, 'float64')],
    {'full': True, 'eps': 1e-3, 'reduction': 'sum'})

# A Python float var (PyTorch 2.x): one variance for every element. The modules take var as a tensor
# argument of forward, so these cases are functional only (keyword var).
for p in product(reduction=REDUCTIONS, dtype=DTYPES, full=[False, True], shape=[(), (5,), (3, 4)]):
    CASES.append(Case('%s/%s/%s/full=%s/float-var/%s' % (G, p['reduction'], p['dtype'], p['full'],
                                                        shape_tag(p['shape'])), G,
                      [normal(p['shape'], p['dtype']), normal(p['shape'], p['dtype'])],
                      {'var': 0.75, 'reduction': p['reduction'], 'full': p['full']}))
for p in product(reduction=REDUCTIONS, var=[0.0, 1e-8, 3.0]):
    CASES.append(Case('%s/%s/float-var=%r' % (G, p['reduction'], p['var']), G, [normal((2, 3)), normal((2, 3))],
                      {'var': p['var'], 'reduction': p['reduction']}))
CASES.append(Case('%s/float-var/eps=0.5' % G, G, [normal((4,)), normal((4,))], {'var': 0.25, 'eps': 0.5}))
CASES.append(Case('%s/float-var/target-grad-only' % G, G, [normal((3,), grad=False), normal((3,))], {'var': 2.0}))
CASES.append(Case('%s/float-var/broadcast-target' % G, G, [normal((3, 4)), normal((4,))], {'var': 1.5}))
CASES.append(Case('%s/float-var/int64-input' % G, G,
                  [Input((3,), 'int64', kind='randint', lo=-3, hi=3), normal((3,))], {'var': 1.5}))
CASES.append(Case('%s/error/negative-float-var' % G, G, [normal((3,)), normal((3,))], {'var': -0.5}))
CASES.append(Case('%s/error/negative-float-var-before-reduction' % G, G, [normal((3,)), normal((3,))],
                  {'var': -0.5, 'reduction': 'avg'}))
CASES.append(Case('%s/error/float-var-bad-reduction' % G, G, [normal((3,)), normal((3,))],
                  {'var': 0.5, 'reduction': 'avg'}))
# Any one dimension of var may be 1 (PyTorch 2.x), not only the last.
for name, a, v in [('var-middle-1', (2, 3, 4), (2, 1, 4)), ('var-first-1', (3, 4), (1, 4)),
                   ('var-two-dims-1', (2, 3, 4), (2, 1, 1))]:
    add('%s/%s' % (G, name), G, [normal(a), normal(a), uniform(v, 0.1, 1)], {})

# Errors, in PyTorch 2.13's order: negative var, var size, reduction, var dtype, bool operands, target shape.
for name, a, v in [('var-wrong-last', (3, 4), (4,)), ('var-row', (3, 4), (1, 4)), ('var-scalar', (3, 4), ()),
                   ('var-extra-dim', (), (1, 1)), ('var-bigger', (3, 4), (3, 4, 1)), ('var-last-2', (3, 4), (3, 2))]:
    add('%s/error/%s' % (G, name), G, [normal(a, grad=False), normal(a, grad=False), uniform(v, 0.1, 1, grad=False)],
        {})
add('%s/error/var-size-before-reduction' % G, G, [normal((3, 4)), normal((3, 4)), uniform((5,), 0.1, 1)],
    {'reduction': 'avg'})
for r in ['avg', 'batchmean', 'elementwise_mean']:
    add('%s/error/reduction=%s' % (G, r), G, [normal((3,)), normal((3,)), uniform((3,), 0.1, 1)], {'reduction': r})
add('%s/error/negative-var' % G, G, [normal((3,)), normal((3,)), values([1.0, -0.5, 2.0])], {})
add('%s/error/reduction-before-negative-var' % G, G, [normal((3,)), normal((3,)), values([1.0, -0.5, 2.0])],
    {'reduction': 'avg'})
add('%s/error/int64-var' % G, G, [normal((3,)), normal((3,)), Input((3,), 'int64', kind='randint', lo=1, hi=4)], {})
add('%s/error/bool-var' % G, G, [normal((2,)), normal((2,)), values([True, False], 'bool', grad=False)], {})
add('%s/error/bool-input' % G, G, [values([True, False], 'bool', grad=False), normal((2,)), uniform((2,), 0.1, 1)],
    {})
add('%s/error/bool-input-target' % G, G, [values([True, False], 'bool', grad=False),
                                          values([True, True], 'bool', grad=False), uniform((2,), 0.1, 1)], {})
add('%s/error/target-shape' % G, G, [normal((3, 4)), normal((3, 5)), uniform((3, 4), 0.1, 1)], {})

# ---- poisson_nll_loss -----------------------------------------------------------------------------------
P = 'poisson_nll_loss'


def poisson_inputs(shape, dtype, log_input):
    x = normal(shape, dtype) if log_input else uniform(shape, 0.1, 3.0, dtype)
    # Counts 0..5: the Stirling term applies only where the target is above 1 (its gradient is NaN at 0).
    return [x, Input(shape, dtype, kind='randint', lo=0, hi=6, requires_grad=True)]


for p in product(log_input=[True, False], full=[False, True], reduction=REDUCTIONS, dtype=DTYPES,
                 shape=[(5,), (3, 4), (2, 3, 4)]):
    add('%s/%s/%s/log_input=%s/full=%s/%s' % (P, p['reduction'], p['dtype'], p['log_input'], p['full'],
                                              shape_tag(p['shape'])), P,
        poisson_inputs(p['shape'], p['dtype'], p['log_input']),
        {'log_input': p['log_input'], 'full': p['full'], 'reduction': p['reduction']})

# Non-integral positive targets (both sides of 1), and eps at input 0.
for p in product(log_input=[True, False], reduction=REDUCTIONS):
    add('%s/%s/log_input=%s/full=True/positive-real-target' % (P, p['reduction'], p['log_input']), P,
        [uniform((4, 3), 0.1, 2.0), uniform((4, 3), 0.2, 4.0)],
        {'log_input': p['log_input'], 'full': True, 'reduction': p['reduction']})
for p in product(eps=[1e-8, 1e-3, 0.5], dtype=DTYPES):
    add('%s/log_input=False/eps=%s/%s/zero-input' % (P, p['eps'], p['dtype']), P,
        [values([0.0, 0.5, 2.0, 1e-9], p['dtype']), values([1.0, 0.0, 3.0, 2.0], p['dtype'])],
        {'log_input': False, 'eps': p['eps'], 'reduction': 'none'})

for p in product(size_average=[None, True, False], reduce=[None, True, False]):
    if p['size_average'] is None and p['reduce'] is None:
        continue
    kwargs = {'size_average': p['size_average'], 'reduce': p['reduce'], 'reduction': 'sum'}
    add('%s/legacy/size_average=%s/reduce=%s' % (P, p['size_average'], p['reduce']), P,
        poisson_inputs((3, 2), 'float32', True), kwargs)
add('%s/legacy/overrides-invalid-reduction' % P, P, poisson_inputs((3, 2), 'float32', True),
    {'reduce': False, 'reduction': 'avg'})

for p in product(reduction=REDUCTIONS, shapes=[((3, 4), (4,)), ((4,), (3, 4)), ((3, 1), (1, 4))]):
    a, b = p['shapes']
    add('%s/%s/broadcast/%s-%s' % (P, p['reduction'], shape_tag(a), shape_tag(b)), P,
        [normal(a), Input(b, kind='randint', lo=0, hi=6, requires_grad=True)],
        {'reduction': p['reduction'], 'full': True})

for p in product(reduction=REDUCTIONS, shape=[(0,), (2, 0)]):
    add('%s/%s/empty/%s' % (P, p['reduction'], shape_tag(p['shape'])), P,
        [normal(p['shape']), normal(p['shape'])], {'reduction': p['reduction']})

PX = [1e4, -1e4, 80.0, -INF, INF, NAN, 0.0, 2.0, 1.0]
PT = [0.0, 3.0, 1.0, 2.0, 0.0, 1.0, NAN, INF, -1.0]
for p in product(full=[False, True], reduction=REDUCTIONS, dtype=DTYPES):
    add('%s/%s/%s/full=%s/nan-inf-extreme' % (P, p['reduction'], p['dtype'], p['full']), P,
        [values(PX, p['dtype']), values(PT, p['dtype'])], {'full': p['full'], 'reduction': p['reduction']})
for p in product(reduction=REDUCTIONS, dtype=DTYPES):
    add('%s/%s/%s/log_input=False/nan-inf-extreme' % (P, p['reduction'], p['dtype']), P,
        [values([0.0, 1e4, INF, NAN, -1.0, 1e-9, 3.0], p['dtype']),
         values([1.0, 2.0, 1.0, 1.0, 1.0, 0.0, INF], p['dtype'])],
        {'log_input': False, 'full': True, 'reduction': p['reduction']})

# A float32 input with a float64 target: exp(input) is rounded to float32 by PyTorch's libm (glibc/SLEEF,
# not correctly rounded: about 9% of values are 1 ulp off), and the float64 result's tolerance cannot absorb
# that ulp where the loss cancels, element by element. The reduced forms are recorded; 'none' is not.
for r in ['mean', 'sum']:
    add('%s/%s/mixed/float32-float64' % (P, r), P,
        [normal((2, 3)), Input((2, 3), 'float64', kind='randint', lo=0, hi=6, requires_grad=True)],
        {'reduction': r, 'full': True})
for r in REDUCTIONS:
    add('%s/%s/mixed/float64-float32' % (P, r), P,
        [normal((2, 3), 'float64'), Input((2, 3), 'float32', kind='randint', lo=0, hi=6, requires_grad=True)],
        {'reduction': r, 'full': True})
    add('%s/%s/int64-target/full' % (P, r), P,
        [normal((2, 3), 'float64'), Input((2, 3), 'int64', kind='randint', lo=0, hi=9)], {'reduction': r, 'full': True})
add('%s/int64-input-target' % P, P, [Input((2, 3), 'int64', kind='randint', lo=-2, hi=3),
                                     Input((2, 3), 'int64', kind='randint', lo=0, hi=5)], {})
add('%s/int64-input-target/log_input=False' % P, P, [Input((2, 3), 'int64', kind='randint', lo=1, hi=4),
                                                     Input((2, 3), 'int64', kind='randint', lo=0, hi=5)],
    {'log_input': False})
add('%s/bool-target' % P, P, [normal((2,)), values([True, False], 'bool', grad=False)], {})
add('%s/input-grad-only' % P, P, [normal((3, 4)), Input((3, 4), kind='randint', lo=0, hi=5)], {'full': True})
add('%s/target-grad-only' % P, P, [normal((3, 4), grad=False), Input((3, 4), kind='randint', lo=0, hi=5,
                                                                      requires_grad=True)], {'full': True})
for r in ['avg', 'batchmean', 'elementwise_mean']:
    add('%s/error/reduction=%s' % (P, r), P, [normal((3,)), normal((3,))], {'reduction': r})
add('%s/error/shape-mismatch' % P, P, [normal((4,)), normal((3,))], {})
add('%s/error/bool-input' % P, P, [values([True, False], 'bool', grad=False), normal((2,))], {})
add('%s/error/bool-target-full' % P, P, [normal((2,)), values([True, False], 'bool', grad=False)], {'full': True})

# ---- kl_div ---------------------------------------------------------------------------------------------
K = 'kl_div'
KL_REDUCTIONS = ['none', 'mean', 'sum', 'batchmean']


def kl_target(shape, dtype, log_target):
    return normal(shape, dtype) if log_target else uniform(shape, 0.0, 1.0, dtype)


for p in product(log_target=[False, True], reduction=KL_REDUCTIONS, dtype=DTYPES,
                 shape=[(), (5,), (3, 4), (2, 3, 4)]):
    add('%s/%s/%s/log_target=%s/%s' % (K, p['reduction'], p['dtype'], p['log_target'], shape_tag(p['shape'])), K,
        [normal(p['shape'], p['dtype']), kl_target(p['shape'], p['dtype'], p['log_target'])],
        {'reduction': p['reduction'], 'log_target': p['log_target']})

# batchmean divides by the input's first dimension, whatever the broadcast output's shape.
for p in product(reduction=KL_REDUCTIONS, shapes=[((3, 4), (4,)), ((4,), (3, 4)), ((3, 1), (1, 4))]):
    a, b = p['shapes']
    add('%s/%s/broadcast/%s-%s' % (K, p['reduction'], shape_tag(a), shape_tag(b)), K,
        [normal(a), uniform(b, 0.0, 1.0)], {'reduction': p['reduction']})

for p in product(reduction=KL_REDUCTIONS, shape=[(0, 3), (0,)]):
    add('%s/%s/empty/%s' % (K, p['reduction'], shape_tag(p['shape'])), K,
        [normal(p['shape']), uniform(p['shape'], 0.0, 1.0)], {'reduction': p['reduction']})

# Legacy flags: no 'mean' warning; with reduction='batchmean' PyTorch still divides by the batch size.
for p in product(size_average=[None, True, False], reduce=[None, True, False], reduction=['sum', 'batchmean']):
    if p['size_average'] is None and p['reduce'] is None:
        continue
    # The module form is left out for 'batchmean': KLDivLoss's constructor turns the flags into a reduction
    # string, so torch.nn.KLDivLoss never divides by the batch size there, unlike F.kl_div.
    kw = dict(size_average=p['size_average'], reduce=p['reduce'], reduction=p['reduction'])
    CASES.append(Case('%s/legacy/size_average=%s/reduce=%s/reduction=%s' % (K, p['size_average'], p['reduce'],
                                                                            p['reduction']), K,
                      [normal((3, 2)), uniform((3, 2), 0.0, 1.0)], kw,
                      None if p['reduction'] == 'batchmean' else MODULES[K], kw))
add('%s/legacy/reduce=False/reduction=mean' % K, K, [normal((3, 2)), uniform((3, 2), 0.0, 1.0)],
    {'reduce': False, 'reduction': 'mean'})

# Zeros, negatives, NaN and inf in the target; extreme log-probabilities.
KX = [-1e4, 1e4, -INF, 0.0, -2.0, NAN, -1.0, -0.5]
KT = [0.5, 0.0, 0.5, 0.0, -0.5, 0.2, NAN, INF]
KLT = [-1e4, 0.0, -1.0, 50.0, -INF, NAN, 2.0, 0.0]
for p in product(reduction=KL_REDUCTIONS, dtype=DTYPES):
    add('%s/%s/%s/edge-values' % (K, p['reduction'], p['dtype']), K,
        [values(KX, p['dtype']), values(KT, p['dtype'])], {'reduction': p['reduction']})
    add('%s/%s/%s/log_target=True/edge-values' % (K, p['reduction'], p['dtype']), K,
        [values(KX, p['dtype']), values(KLT, p['dtype'])], {'reduction': p['reduction'], 'log_target': True})

for r in KL_REDUCTIONS:
    add('%s/%s/mixed/float32-float64' % (K, r), K, [normal((2, 3)), uniform((2, 3), 0, 1, 'float64')],
        {'reduction': r})
    add('%s/%s/input-grad-only' % (K, r), K, [normal((2, 3)), uniform((2, 3), 0, 1, grad=False)],
        {'reduction': r, 'log_target': True})
add('%s/mixed/float64-float32/log_target' % K, K, [normal((2, 3), 'float64'), normal((2, 3))],
    {'reduction': 'batchmean', 'log_target': True})
add('%s/elementwise_mean' % K, K, [normal((2, 3)), uniform((2, 3), 0, 1)], {'reduction': 'elementwise_mean'})
add('%s/default-reduction' % K, K, [normal((2, 3)), uniform((2, 3), 0, 1)], {})
add('%s/error/reduction=avg' % K, K, [normal((2, 3)), uniform((2, 3), 0, 1)], {'reduction': 'avg'})
add('%s/error/int64' % K, K, [Input((2, 3), 'int64', kind='randint', lo=-3, hi=0),
                              Input((2, 3), 'int64', kind='randint', lo=0, hi=2)], {})
add('%s/error/int64-target' % K, K, [normal((2, 3), grad=False), Input((2, 3), 'int64', kind='randint', lo=0, hi=2)],
    {'reduction': 'sum'})
add('%s/error/bool' % K, K, [values([True], 'bool', grad=False), values([True], 'bool', grad=False)],
    {'reduction': 'batchmean'})
add('%s/error/shape-mismatch' % K, K, [normal((4,)), uniform((3,), 0, 1)], {})
add('%s/error/shape-mismatch-batchmean' % K, K, [normal((2, 4)), uniform((2, 3), 0, 1)], {'reduction': 'batchmean'})

# ---- type promotion with 0-d tensors: a dimensioned operand's dtype wins within a category ----------------
Z = [((3,), 'float32', (), 'float64'), ((), 'float64', (3,), 'float32'), ((2, 3), 'float64', (), 'float32')]
# Known limit: a 0-d float64 operand of a float32 op whose gradient PyTorch assembles from several ops, part
# in float32 and part in float64 (exp(x) * sum(g) - sum(g * t)), is matched only to float32 accuracy, so the
# (0-d float64 input, float32 target) rows below ask no gradient of the operands where that happens.
for xs, xd, ts, td in Z:
    tag = '%s-%s/%s-%s' % (shape_tag(xs), xd, shape_tag(ts), td)
    mixed_scalar = xs == () and xd == 'float64'
    add('%s/zero-dim-promotion/%s' % (G, tag), G,
        [normal(xs, xd), normal(ts, td), uniform(xs[:-1] if xs else (), 0.2, 2.0, xd, grad=not mixed_scalar)],
        {'reduction': 'sum'})
    for li in [True, False]:
        add('%s/zero-dim-promotion/log_input=%s/%s' % (P, li, tag), P,
            [uniform(xs, 0.1, 2.0, xd, grad=not mixed_scalar),
             Input(ts, td, kind='randint', lo=0, hi=5, requires_grad=True)],
            {'reduction': 'none', 'log_input': li, 'full': True})
    add('%s/zero-dim-promotion/%s' % (K, tag), K, [normal(xs, xd), uniform(ts, 0.1, 1.0, td)], {'reduction': 'none'})
# Integral operands: a 0-d float target outranks an int64 input.
for li in [True, False]:
    add('%s/zero-dim-promotion/log_input=%s/int64-float64-scalar' % (P, li), P,
        [Input((3,), 'int64', kind='randint', lo=1, hi=4), Input((), 'float64', kind='uniform', lo=0.5, hi=3,
                                                                 requires_grad=True)],
        {'reduction': 'none', 'log_input': li})
add('%s/zero-dim-promotion/int64-input-target/float64-scalar-var' % G, G,
    [Input((3,), 'int64', kind='randint', lo=-2, hi=3), Input((3,), 'int64', kind='randint', lo=-2, hi=3),
     Input((), 'float64', kind='uniform', lo=0.5, hi=2, requires_grad=True)], {'reduction': 'none'})

# ---- float16 and bfloat16 -------------------------------------------------------------------------------
# PyTorch's CPU composes these losses of elementwise ops, each rounding its result to the dtype (a sum or mean
# accumulates in float32 and rounds once); loss4j mirrors those steps. Targets with gradients where loss4j
# mirrors autograd's steps for them (poisson's Stirling term included).
HALF = ['float16', 'bfloat16']
for p in product(reduction=REDUCTIONS + ['batchmean'], dtype=HALF, log_target=[False, True]):
    r, dt, lt = p['reduction'], p['dtype'], p['log_target']
    for shape in [(3, 4), (4, 5, 6)]:
        t = Input(shape, dt, kind='uniform', lo=0.0, hi=1.0, requires_grad=True)
        if lt:
            t = Input(shape, dt, kind='uniform', lo=-4.0, hi=0.0, requires_grad=True)
        add('%s/%s/%s/log_target=%s/%s' % (K, r, dt, lt, shape_tag(shape)), K,
            [Input(shape, dt, kind='log_softmax', requires_grad=True), t], {'reduction': r, 'log_target': lt})
    add('%s/%s/%s/log_target=%s/broadcast-target-4' % (K, r, dt, lt), K,
        [normal((3, 4), dt), uniform((4,), 0.0, 1.0, dt, grad=False)], {'reduction': r, 'log_target': lt})
    # Targets that need a gradient while the input or the target broadcasts: autograd sums each op's
    # gradient over the broadcast dimensions before the next step.
    for a, b in [((3, 4), (4,)), ((4,), (3, 4)), ((3, 1), (1, 4))]:
        t = uniform(b, -4.0, 0.0, dt) if lt else uniform(b, 0.05, 1.0, dt)
        add('%s/%s/%s/log_target=%s/broadcast/%s-%s/target-grad' % (K, r, dt, lt, shape_tag(a), shape_tag(b)), K,
            [normal(a, dt), t], {'reduction': r, 'log_target': lt})
for p in product(reduction=REDUCTIONS, dtype=HALF, log_input=[True, False], full=[False, True]):
    r, dt, li, full = p['reduction'], p['dtype'], p['log_input'], p['full']
    for shape in [(3, 4), (4, 5, 6)]:
        x = normal(shape, dt) if li else uniform(shape, 0.05, 3.0, dt)
        add('%s/%s/%s/log_input=%s/full=%s/%s' % (P, r, dt, li, full, shape_tag(shape)), P,
            [x, Input(shape, dt, kind='randint', lo=0, hi=6, requires_grad=True)],
            {'reduction': r, 'log_input': li, 'full': full})
    if full:
        add('%s/%s/%s/log_input=%s/full=True/3x4/real-target' % (P, r, dt, li), P,
            [normal((3, 4), dt) if li else uniform((3, 4), 0.05, 3.0, dt), uniform((3, 4), 0.5, 6.0, dt)],
            {'reduction': r, 'log_input': li, 'full': True})
    add('%s/%s/%s/log_input=%s/full=%s/broadcast-target-4' % (P, r, dt, li, full), P,
        [normal((3, 4), dt) if li else uniform((3, 4), 0.05, 3.0, dt), uniform((4,), 0.0, 5.0, dt, grad=False)],
        {'reduction': r, 'log_input': li, 'full': full})
for p in product(reduction=REDUCTIONS, dtype=HALF, full=[False, True]):
    r, dt, full = p['reduction'], p['dtype'], p['full']
    for a, v in [((3, 4), (3, 4)), ((4, 5, 6), (4, 5, 6)), ((4, 3), (4,)), ((2, 3, 4), (2, 3, 1))]:
        add('%s/%s/%s/full=%s/var%s-for-input%s' % (G, r, dt, full, shape_tag(v), shape_tag(a)), G,
            [normal(a, dt), normal(a, dt), uniform(v, 0.1, 2.0, dt)], {'reduction': r, 'full': full})
    add('%s/%s/%s/full=%s/broadcast-target-4' % (G, r, dt, full), G,
        [normal((3, 4), dt), normal((4,), dt), uniform((3, 4), 0.1, 2.0, dt)], {'reduction': r, 'full': full})
