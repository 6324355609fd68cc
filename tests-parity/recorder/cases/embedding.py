"""Case table for the embedding family: margin_ranking_loss, hinge_embedding_loss, cosine_embedding_loss,
triplet_margin_loss, triplet_margin_with_distance_loss (default distance only: a Python callable cannot be
recorded as data)."""
from cases import Case, Input, product, shape_tag

OPS = {'margin_ranking_loss': 'MarginRankingLoss', 'hinge_embedding_loss': 'HingeEmbeddingLoss',
       'cosine_embedding_loss': 'CosineEmbeddingLoss', 'triplet_margin_loss': 'TripletMarginLoss',
       'triplet_margin_with_distance_loss': 'TripletMarginWithDistanceLoss'}
REDUCTIONS = ['none', 'mean', 'sum']
DTYPES = ['float32', 'float64']
INF = float('inf')
NAN = float('nan')
LEGACY = [(sa, r) for sa in (None, True, False) for r in (None, True, False) if not (sa is None and r is None)]

CASES = []


def add(id, op, inputs, kwargs, ctor=None, module=True):
    CASES.append(Case(id, op, inputs, kwargs, OPS[op] if module else None, kwargs if ctor is None else ctor))


def g(shape, dtype='float32', **kw):
    """A normal input that asks for a gradient."""
    return Input(shape, dtype, requires_grad=True, **kw)


def sign(shape, dtype='float32', requires_grad=False):
    return Input(shape, dtype, kind='sign', requires_grad=requires_grad)


def vals(values, dtype='float32', requires_grad=True):
    return Input(dtype=dtype, kind='values', values=values, requires_grad=requires_grad)


def fmt(v):
    return repr(v).replace(' ', '')


# ---- margin_ranking_loss ------------------------------------------------------------------------------
OP = 'margin_ranking_loss'
for p in product(reduction=REDUCTIONS, dtype=DTYPES, shape=[(), (1,), (5,), (4, 3), (2, 3, 2)], margin=[0, 0.5]):
    add('%s/%s/%s/%s/margin=%s' % (OP, p['reduction'], p['dtype'], shape_tag(p['shape']), p['margin']), OP,
        [g(p['shape'], p['dtype']), g(p['shape'], p['dtype']), sign(p['shape'], p['dtype'], True)],
        {'margin': p['margin'], 'reduction': p['reduction']})
for p in product(reduction=REDUCTIONS, dtype=DTYPES,
                 shapes=[((3,), (1,), (3,)), ((4, 1), (1, 3), (4, 3)), ((2, 3), (2, 3), (1, 3)), ((1,), (1,), (5,))]):
    a, b, t = p['shapes']
    add('%s/%s/%s/broadcast/%s-%s-%s' % (OP, p['reduction'], p['dtype'], shape_tag(a), shape_tag(b), shape_tag(t)), OP,
        [g(a, p['dtype']), g(b, p['dtype']), sign(t, p['dtype'], True)], {'margin': 0.2, 'reduction': p['reduction']})
for p in product(reduction=REDUCTIONS, shape=[(0,), (0, 3)]):
    add('%s/%s/empty/%s' % (OP, p['reduction'], shape_tag(p['shape'])), OP,
        [g(p['shape']), g(p['shape']), sign(p['shape'], requires_grad=True)], {'reduction': p['reduction']})
for p in product(reduction=REDUCTIONS, dtype=DTYPES):
    add('%s/%s/%s/nan-inf' % (OP, p['reduction'], p['dtype']), OP,
        [vals([NAN, INF, -INF, 1.0, INF, 0.5, -INF], p['dtype']), vals([0.0, 1.0, 2.0, INF, INF, NAN, -INF], p['dtype']),
         vals([1.0, -1.0, 1.0, -1.0, 1.0, 1.0, -1.0], p['dtype'])], {'margin': 0.1, 'reduction': p['reduction']})
    add('%s/%s/%s/large' % (OP, p['reduction'], p['dtype']), OP,
        [Input((6,), p['dtype'], 'uniform', -1e4, 1e4, requires_grad=True),
         Input((6,), p['dtype'], 'uniform', -1e4, 1e4, requires_grad=True), sign((6,), p['dtype'], True)],
        {'margin': 1e3, 'reduction': p['reduction']})
    add('%s/%s/%s/target-not-sign' % (OP, p['reduction'], p['dtype']), OP,
        [g((5,), p['dtype']), g((5,), p['dtype']), vals([0.0, 2.0, -0.5, 3.0, -1.0], p['dtype'])],
        {'margin': 0.3, 'reduction': p['reduction']})
for r in REDUCTIONS:
    # Ties: x1 == x2 and margin 0 put the hinge exactly at 0, where clamp_min passes the gradient.
    v = [1.5, -2.0, 0.0, 3.0]
    add('%s/%s/ties' % (OP, r), OP, [vals(v), vals(v), vals([1.0, -1.0, 1.0, -1.0])], {'margin': 0.0, 'reduction': r})
    add('%s/%s/ties-at-margin' % (OP, r), OP, [vals([1.0, 2.0, 0.5]), vals([0.5, 1.5, 1.0]), vals([1.0, 1.0, -1.0])],
        {'margin': 0.5, 'reduction': r})
    add('%s/%s/mixed-dtype' % (OP, r), OP, [g((4,)), g((4,), 'float64'), sign((4,), requires_grad=True)],
        {'reduction': r})
    add('%s/%s/int64' % (OP, r), OP, [Input((4,), 'int64', 'randint', -5, 5), Input((4,), 'int64', 'randint', -5, 5),
                                      sign((4,), 'int64')], {'margin': 1.5, 'reduction': r})
    add('%s/%s/int64-target' % (OP, r), OP, [g((4,)), g((4,)), sign((4,), 'int64')], {'margin': 0.1, 'reduction': r})
    add('%s/%s/target-grad-only' % (OP, r), OP, [Input((4,)), Input((4,)), sign((4,), requires_grad=True)],
        {'reduction': r})
    add('%s/%s/input1-grad-only' % (OP, r), OP, [g((4,)), Input((4,)), sign((4,))], {'margin': 0.5, 'reduction': r})
    add('%s/%s/float64-target-float32-inputs' % (OP, r), OP, [g((4,)), g((4,)), sign((4,), 'float64', True)],
        {'reduction': r})
for sa, rd in LEGACY:
    add('%s/legacy/size_average=%s/reduce=%s' % (OP, sa, rd), OP, [g((4,)), g((4,)), sign((4,), requires_grad=True)],
        {'margin': 0.2, 'size_average': sa, 'reduce': rd, 'reduction': 'sum'})
add('%s/elementwise_mean' % OP, OP, [g((4,)), g((4,)), sign((4,))], {'reduction': 'elementwise_mean'})
add('%s/error/rank-mismatch' % OP, OP, [Input((3,)), Input((3, 1)), Input((3,))], {})
add('%s/error/rank-mismatch-target' % OP, OP, [Input((3,)), Input((3,)), Input((3, 1))], {})
add('%s/error/broadcast' % OP, OP, [Input((3,)), Input((4,)), Input((3,))], {})
add('%s/error/broadcast-target' % OP, OP, [Input((2, 3)), Input((2, 3)), Input((2, 4))], {})
add('%s/error/bad-reduction' % OP, OP, [Input((3,)), Input((3,)), Input((3,))], {'reduction': 'avg'})
add('%s/error/bad-reduction-before-rank' % OP, OP, [Input((3,)), Input((3, 1)), Input((3,))], {'reduction': 'avg'})
add('%s/error/legacy-then-rank' % OP, OP, [Input((3,)), Input((3, 1)), Input((3,))], {'size_average': False})
add('%s/error/bool-target' % OP, OP, [Input((3,)), Input((3,)), vals([True, False, True], 'bool', False)], {})
add('%s/error/bool-input1' % OP, OP, [vals([True, False, True], 'bool', False), Input((3,)), Input((3,))], {})
add('%s/error/bool-inputs' % OP, OP, [vals([True, False], 'bool', False), vals([True, True], 'bool', False),
                                      vals([True, False], 'bool', False)], {})

# ---- hinge_embedding_loss -----------------------------------------------------------------------------
OP = 'hinge_embedding_loss'
for p in product(reduction=REDUCTIONS, dtype=DTYPES, shape=[(), (5,), (4, 3), (2, 3, 2)], margin=[1.0, 0.5, 2]):
    add('%s/%s/%s/%s/margin=%s' % (OP, p['reduction'], p['dtype'], shape_tag(p['shape']), p['margin']), OP,
        [g(p['shape'], p['dtype']), sign(p['shape'], p['dtype'])], {'margin': p['margin'], 'reduction': p['reduction']})
for p in product(reduction=REDUCTIONS, dtype=DTYPES, shapes=[((3, 1), (3,)), ((1,), (4,)), ((4, 3), (3,))]):
    a, t = p['shapes']
    add('%s/%s/%s/broadcast/%s-%s' % (OP, p['reduction'], p['dtype'], shape_tag(a), shape_tag(t)), OP,
        [g(a, p['dtype']), sign(t, p['dtype'])], {'reduction': p['reduction']})
for p in product(reduction=REDUCTIONS, shape=[(0,), (2, 0)]):
    add('%s/%s/empty/%s' % (OP, p['reduction'], shape_tag(p['shape'])), OP, [g(p['shape']), sign(p['shape'])],
        {'reduction': p['reduction']})
for p in product(reduction=REDUCTIONS, dtype=DTYPES):
    add('%s/%s/%s/nan-inf' % (OP, p['reduction'], p['dtype']), OP,
        [vals([NAN, INF, -INF, NAN, INF, -INF], p['dtype']), vals([-1.0, -1.0, -1.0, 1.0, 1.0, 1.0], p['dtype'], False)],
        {'reduction': p['reduction']})
    add('%s/%s/%s/target-not-sign' % (OP, p['reduction'], p['dtype']), OP,
        [g((6,), p['dtype']), vals([0.0, 2.0, -1.0, 1.0, 0.5, NAN], p['dtype'], False)], {'reduction': p['reduction']})
    add('%s/%s/%s/large' % (OP, p['reduction'], p['dtype']), OP,
        [Input((6,), p['dtype'], 'uniform', -1e4, 1e4, requires_grad=True), sign((6,), p['dtype'])],
        {'margin': 5e3, 'reduction': p['reduction']})
for r in REDUCTIONS:
    add('%s/%s/ties-at-margin' % (OP, r), OP, [vals([1.0, 0.5, 2.0, 1.0]), vals([-1.0, -1.0, -1.0, 1.0], requires_grad=False)],
        {'margin': 1.0, 'reduction': r})
    add('%s/%s/int64-target' % (OP, r), OP, [g((5,)), sign((5,), 'int64')], {'reduction': r})
    add('%s/%s/bool-target' % (OP, r), OP, [g((3,)), vals([True, False, True], 'bool', False)], {'reduction': r})
    add('%s/%s/float64-target' % (OP, r), OP, [g((5,)), sign((5,), 'float64')], {'reduction': r})
    add('%s/%s/float32-target-float64-input' % (OP, r), OP, [g((5,), 'float64'), sign((5,))], {'reduction': r})
    add('%s/%s/int64' % (OP, r), OP, [Input((5,), 'int64', 'randint', -3, 3), sign((5,), 'int64')],
        {'margin': 1.5, 'reduction': r})
    add('%s/%s/target-requires-grad' % (OP, r), OP, [g((5,)), sign((5,), requires_grad=True)], {'reduction': r})
    add('%s/%s/target-grad-only' % (OP, r), OP, [Input((5,)), sign((5,), requires_grad=True)], {'reduction': r})
    add('%s/%s/negative-margin' % (OP, r), OP, [g((5,)), sign((5,))], {'margin': -0.5, 'reduction': r})
for sa, rd in LEGACY:
    add('%s/legacy/size_average=%s/reduce=%s' % (OP, sa, rd), OP, [g((4,)), sign((4,))],
        {'size_average': sa, 'reduce': rd, 'reduction': 'sum'})
add('%s/elementwise_mean' % OP, OP, [g((4,)), sign((4,))], {'reduction': 'elementwise_mean'})
add('%s/error/broadcast' % OP, OP, [Input((3,)), Input((4,))], {})
add('%s/error/bad-reduction' % OP, OP, [Input((3,)), sign((3,))], {'reduction': 'avg'})
add('%s/error/bool-input' % OP, OP, [vals([True, False], 'bool', False), vals([1.0, -1.0], requires_grad=False)], {})

# ---- cosine_embedding_loss ----------------------------------------------------------------------------
OP = 'cosine_embedding_loss'
for p in product(reduction=REDUCTIONS, dtype=DTYPES, shape=[(4, 5), (1, 3), (6, 2), (5,), (3,)], margin=[0, 0.5, -0.5]):
    tshape = p['shape'][:1] if len(p['shape']) == 2 else ()
    add('%s/%s/%s/%s/margin=%s' % (OP, p['reduction'], p['dtype'], shape_tag(p['shape']), p['margin']), OP,
        [g(p['shape'], p['dtype']), g(p['shape'], p['dtype']), sign(tshape, p['dtype'])],
        {'margin': p['margin'], 'reduction': p['reduction']})
for p in product(reduction=REDUCTIONS, dtype=DTYPES,
                 shapes=[((3, 4), (1, 4), (3,)), ((1, 4), (3, 4), (3,)), ((3, 4), (3, 4), (1,)), ((1, 4), (1, 4), (3,))]):
    a, b, t = p['shapes']
    add('%s/%s/%s/broadcast/%s-%s-%s' % (OP, p['reduction'], p['dtype'], shape_tag(a), shape_tag(b), shape_tag(t)), OP,
        [g(a, p['dtype']), g(b, p['dtype']), sign(t, p['dtype'])], {'margin': 0.1, 'reduction': p['reduction']})
for r in REDUCTIONS:
    for a, b, t in [((0, 4), (0, 4), (0,)), ((3, 0), (3, 0), (3,)), ((0,), (0,), ())]:
        add('%s/%s/empty/%s-%s' % (OP, r, shape_tag(a), shape_tag(t)), OP, [g(a), g(b), sign(t)], {'reduction': r})
    # input1 (D) against input2 (K, D) with a 0-d target: PyTorch sums over dim 0 of each product.
    add('%s/%s/unbatched-vs-batched' % (OP, r), OP, [g((4,)), g((3, 4)), sign(())], {'reduction': r})
    add('%s/%s/mixed-dtype' % (OP, r), OP, [g((3, 4)), g((3, 4), 'float64'), sign((3,))], {'reduction': r})
    add('%s/%s/int64-target' % (OP, r), OP, [g((3, 4)), g((3, 4)), sign((3,), 'int64')], {'reduction': r})
    add('%s/%s/bool-target' % (OP, r), OP, [g((3, 4)), g((3, 4)), vals([True, False, True], 'bool', False)],
        {'reduction': r})
    add('%s/%s/float64-target' % (OP, r), OP, [g((3, 4)), g((3, 4)), sign((3,), 'float64')], {'reduction': r})
    add('%s/%s/int64' % (OP, r), OP, [Input((3, 4), 'int64', 'randint', -3, 4), Input((3, 4), 'int64', 'randint', -3, 4),
                                      sign((3,), 'int64')], {'margin': 0.25, 'reduction': r})
    add('%s/%s/target-not-sign' % (OP, r), OP, [g((4, 3)), g((4, 3)), vals([0.0, 2.0, -1.0, 1.0], requires_grad=False)],
        {'reduction': r})
    add('%s/%s/target-requires-grad' % (OP, r), OP, [g((3, 4)), g((3, 4)), sign((3,), requires_grad=True)],
        {'reduction': r})
    add('%s/%s/input1-grad-only' % (OP, r), OP, [g((3, 4)), Input((3, 4)), sign((3,))], {'reduction': r})
    for dt in DTYPES:
        # Zero vectors (eps keeps the cosine finite), parallel and anti-parallel pairs, huge and NaN/inf entries.
        add('%s/%s/%s/special-vectors' % (OP, r, dt), OP,
            [vals([[0.0, 0.0, 0.0], [1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [1e4, -1e4, 5e3], [1e-7, 0.0, 0.0], [2.0, 0.0, 1.0]], dt),
             vals([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [-1.0, -2.0, -3.0], [-1e4, 1e4, 2e3], [0.0, 1e-7, 0.0], [0.0, 0.0, 0.0]], dt),
             vals([1.0, -1.0, 1.0, -1.0, 1.0, -1.0], dt, False)], {'margin': 0.2, 'reduction': r})
        add('%s/%s/%s/nan-inf' % (OP, r, dt), OP,
            [vals([[NAN, 1.0], [INF, 1.0], [1.0, 2.0], [-INF, 0.0]], dt), vals([[1.0, 1.0], [1.0, 2.0], [INF, 0.0], [1.0, 1.0]], dt),
             vals([1.0, -1.0, 0.0, 1.0], dt, False)], {'reduction': r})
        add('%s/%s/%s/large' % (OP, r, dt), OP,
            [Input((4, 6), dt, 'uniform', -1e4, 1e4, requires_grad=True),
             Input((4, 6), dt, 'uniform', -1e4, 1e4, requires_grad=True), sign((4,), dt)], {'margin': 0.3, 'reduction': r})
for sa, rd in LEGACY:
    add('%s/legacy/size_average=%s/reduce=%s' % (OP, sa, rd), OP, [g((3, 4)), g((3, 4)), sign((3,))],
        {'size_average': sa, 'reduce': rd, 'reduction': 'sum'})
add('%s/elementwise_mean' % OP, OP, [g((3, 4)), g((3, 4)), sign((3,))], {'reduction': 'elementwise_mean'})
add('%s/error/target-2d' % OP, OP, [Input((3, 4)), Input((3, 4)), Input((3, 1))], {})
add('%s/error/target-1d-inputs-1d' % OP, OP, [Input((4,)), Input((4,)), sign((3,))], {})
add('%s/error/target-1d-inputs-3d' % OP, OP, [Input((3, 4, 2)), Input((3, 4, 2)), sign((3,))], {})
add('%s/error/target-0d-inputs-2d' % OP, OP, [Input((3, 4)), Input((3, 4)), sign(())], {})
add('%s/error/feature-mismatch' % OP, OP, [Input((3, 4)), Input((3, 5)), sign((3,))], {})
add('%s/error/batch-mismatch' % OP, OP, [Input((3, 4)), Input((3, 4)), sign((2,))], {})
add('%s/error/input2-rank' % OP, OP, [Input((3, 4)), Input((4,)), sign((3,))], {})
add('%s/error/input2-3d' % OP, OP, [Input((3, 4)), Input((2, 3, 4)), sign((3,))], {})
add('%s/error/bad-reduction' % OP, OP, [Input((3, 4)), Input((3, 4)), sign((3,))], {'reduction': 'avg'})
add('%s/error/bad-reduction-before-shape' % OP, OP, [Input((3, 4)), Input((3, 4)), Input((3, 1))], {'reduction': 'x'})

# ---- triplet_margin_loss ------------------------------------------------------------------------------
OP = 'triplet_margin_loss'
for q in product(reduction=REDUCTIONS, dtype=DTYPES, shape=[(4, 5), (1, 3), (5,)], p=[2, 1, 3], swap=[False, True]):
    s, dt = q['shape'], q['dtype']
    add('%s/%s/%s/%s/p=%s/swap=%s' % (OP, q['reduction'], dt, shape_tag(s), q['p'], q['swap']), OP,
        [g(s, dt), g(s, dt), g(s, dt)], {'p': q['p'], 'swap': q['swap'], 'reduction': q['reduction']})
for q in product(p=[0, 0.5, 1.5, INF, -INF, -1], swap=[False, True]):
    add('%s/none/float64/p=%s/swap=%s' % (OP, q['p'], q['swap']), OP, [g((4, 5), 'float64'), g((4, 5), 'float64'),
        g((4, 5), 'float64')], {'p': q['p'], 'swap': q['swap'], 'reduction': 'none'})
for q in product(p=[0.5, INF, 1.5], reduction=['mean', 'sum']):
    add('%s/%s/float32/p=%s' % (OP, q['reduction'], q['p']), OP, [g((3, 4)), g((3, 4)), g((3, 4))],
        {'p': q['p'], 'reduction': q['reduction']})
for r in REDUCTIONS:
    add('%s/%s/margin=0' % (OP, r), OP, [g((4, 3)), g((4, 3)), g((4, 3))], {'margin': 0.0, 'reduction': r})
    add('%s/%s/margin=2.5/swap' % (OP, r), OP, [g((4, 3)), g((4, 3)), g((4, 3))],
        {'margin': 2.5, 'swap': True, 'reduction': r})
    add('%s/%s/eps=0' % (OP, r), OP, [g((4, 3)), g((4, 3)), g((4, 3))], {'eps': 0.0, 'reduction': r})
    add('%s/%s/eps=1e-2' % (OP, r), OP, [g((4, 3), 'float64'), g((4, 3), 'float64'), g((4, 3), 'float64')],
        {'eps': 1e-2, 'reduction': r})
    add('%s/%s/scalar-inputs' % (OP, r), OP, [g(()), g(()), g(())], {'reduction': r})
    add('%s/%s/3d' % (OP, r), OP, [g((2, 3, 4)), g((2, 3, 4)), g((2, 3, 4))], {'swap': True, 'reduction': r})
    add('%s/%s/broadcast' % (OP, r), OP, [g((3, 4)), g((1, 4)), g((3, 4))], {'swap': True, 'reduction': r})
    add('%s/%s/mixed-dtype' % (OP, r), OP, [g((3, 4)), g((3, 4), 'float64'), g((3, 4))], {'reduction': r})
    add('%s/%s/int64' % (OP, r), OP, [Input((3, 4), 'int64', 'randint', -3, 4), Input((3, 4), 'int64', 'randint', -3, 4),
                                      Input((3, 4), 'int64', 'randint', -3, 4)], {'reduction': r})
    add('%s/%s/anchor-grad-only' % (OP, r), OP, [g((3, 4)), Input((3, 4)), Input((3, 4))], {'swap': True, 'reduction': r})
    add('%s/%s/negative-grad-only/swap' % (OP, r), OP, [Input((3, 4)), Input((3, 4)), g((3, 4))],
        {'swap': True, 'reduction': r})
    # anchor == positive: d(a, n) == d(p, n) exactly, a tie that minimum's backward splits in half.
    same = [[0.5, -1.0, 2.0], [1.0, 1.0, 1.0]]
    add('%s/%s/swap-tie' % (OP, r), OP, [vals(same), vals(same), vals([[0.0, 1.0, 0.5], [3.0, -1.0, 0.0]])],
        {'swap': True, 'reduction': r})
    for s in [(0, 4), (3, 0)]:
        add('%s/%s/empty/%s' % (OP, r, shape_tag(s)), OP, [g(s), g(s), g(s)], {'reduction': r})
    for dt in DTYPES:
        add('%s/%s/%s/nan-inf' % (OP, r, dt), OP,
            [vals([[NAN, 1.0], [INF, 0.0], [1.0, 2.0], [0.0, 0.0]], dt), vals([[1.0, 1.0], [1.0, 2.0], [-INF, 0.0], [1.0, 1.0]], dt),
             vals([[0.0, 1.0], [INF, 1.0], [1.0, 2.0], [0.0, -INF]], dt)], {'swap': True, 'reduction': r})
        add('%s/%s/%s/large' % (OP, r, dt), OP,
            [Input((4, 6), dt, 'uniform', -1e4, 1e4, requires_grad=True), Input((4, 6), dt, 'uniform', -1e4, 1e4, requires_grad=True),
             Input((4, 6), dt, 'uniform', -1e4, 1e4, requires_grad=True)], {'margin': 1e3, 'reduction': r})
for sa, rd in LEGACY:
    add('%s/legacy/size_average=%s/reduce=%s' % (OP, sa, rd), OP, [g((3, 4)), g((3, 4)), g((3, 4))],
        {'size_average': sa, 'reduce': rd, 'reduction': 'sum'})
add('%s/elementwise_mean' % OP, OP, [g((3, 4)), g((3, 4)), g((3, 4))], {'reduction': 'elementwise_mean'})
add('%s/error/rank-mismatch' % OP, OP, [Input((3, 4)), Input((4,)), Input((3, 4))], {})
add('%s/error/rank-mismatch-negative' % OP, OP, [Input((3, 4)), Input((3, 4)), Input((2, 3, 4))], {})
add('%s/error/batch-mismatch' % OP, OP, [Input((3, 4)), Input((3, 4)), Input((2, 4))], {})
add('%s/error/feature-mismatch' % OP, OP, [Input((3, 4)), Input((3, 5)), Input((3, 4))], {})
add('%s/error/swap-mismatch' % OP, OP, [Input((1, 4)), Input((3, 4)), Input((2, 4))], {'swap': True})
add('%s/error/bool' % OP, OP, [vals([[True, False]], 'bool', False), vals([[True, True]], 'bool', False),
                               vals([[False, False]], 'bool', False)], {})
add('%s/error/bad-reduction' % OP, OP, [Input((3, 4)), Input((3, 4)), Input((3, 4))], {'reduction': 'avg'})
add('%s/error/bad-reduction-before-rank' % OP, OP, [Input((3, 4)), Input((4,)), Input((3, 4))], {'reduction': 'avg'})

# ---- triplet_margin_with_distance_loss (default distance) --------------------------------------------
OP = 'triplet_margin_with_distance_loss'
for q in product(reduction=REDUCTIONS, dtype=DTYPES, shape=[(4, 5), (1, 3), (5,), (2, 3, 4)], margin=[1.0, 0.3],
                 swap=[False, True]):
    s, dt = q['shape'], q['dtype']
    add('%s/%s/%s/%s/margin=%s/swap=%s' % (OP, q['reduction'], dt, shape_tag(s), q['margin'], q['swap']), OP,
        [g(s, dt), g(s, dt), g(s, dt)], {'margin': q['margin'], 'swap': q['swap'], 'reduction': q['reduction']})
for r in REDUCTIONS:
    add('%s/%s/margin=0' % (OP, r), OP, [g((4, 3)), g((4, 3)), g((4, 3))], {'margin': 0.0, 'reduction': r})
    add('%s/%s/margin=-1' % (OP, r), OP, [g((4, 3)), g((4, 3)), g((4, 3))], {'margin': -1.0, 'reduction': r})
    add('%s/%s/scalar-inputs' % (OP, r), OP, [g(()), g(()), g(())], {'swap': True, 'reduction': r})
    add('%s/%s/broadcast' % (OP, r), OP, [g((3, 4)), g((1, 4)), g((3, 4))], {'swap': True, 'reduction': r})
    add('%s/%s/rank-broadcast' % (OP, r), OP, [g((3, 4)), g((4,)), g((3, 4))], {'reduction': r})
    add('%s/%s/mixed-dtype' % (OP, r), OP, [g((3, 4)), g((3, 4), 'float64'), g((3, 4))], {'swap': True, 'reduction': r})
    add('%s/%s/int64' % (OP, r), OP, [Input((3, 4), 'int64', 'randint', -3, 4), Input((3, 4), 'int64', 'randint', -3, 4),
                                      Input((3, 4), 'int64', 'randint', -3, 4)], {'reduction': r})
    add('%s/%s/positive-grad-only' % (OP, r), OP, [Input((3, 4)), g((3, 4)), Input((3, 4))], {'swap': True, 'reduction': r})
    same = [[0.5, -1.0, 2.0], [1.0, 1.0, 1.0]]
    add('%s/%s/swap-tie' % (OP, r), OP, [vals(same), vals(same), vals([[0.0, 1.0, 0.5], [3.0, -1.0, 0.0]])],
        {'swap': True, 'reduction': r})
    for s in [(0, 4), (3, 0)]:
        add('%s/%s/empty/%s' % (OP, r, shape_tag(s)), OP, [g(s), g(s), g(s)], {'reduction': r})
    for dt in DTYPES:
        add('%s/%s/%s/nan-inf' % (OP, r, dt), OP,
            [vals([[NAN, 1.0], [INF, 0.0], [1.0, 2.0], [0.0, 0.0]], dt), vals([[1.0, 1.0], [1.0, 2.0], [-INF, 0.0], [1.0, 1.0]], dt),
             vals([[0.0, 1.0], [INF, 1.0], [1.0, 2.0], [0.0, -INF]], dt)], {'swap': True, 'reduction': r})
        add('%s/%s/%s/large' % (OP, r, dt), OP,
            [Input((4, 6), dt, 'uniform', -1e4, 1e4, requires_grad=True), Input((4, 6), dt, 'uniform', -1e4, 1e4, requires_grad=True),
             Input((4, 6), dt, 'uniform', -1e4, 1e4, requires_grad=True)], {'margin': 1e3, 'swap': True, 'reduction': r})
add('%s/elementwise_mean' % OP, OP, [g((3, 4)), g((3, 4)), g((3, 4))], {'reduction': 'elementwise_mean'})
add('%s/error/batch-mismatch' % OP, OP, [Input((3, 4)), Input((3, 4)), Input((2, 4))], {})
add('%s/error/feature-mismatch' % OP, OP, [Input((3, 4)), Input((3, 5)), Input((3, 4))], {})
add('%s/error/distance-mismatch' % OP, OP, [Input((1, 4)), Input((3, 4)), Input((2, 4))], {})
add('%s/swap-broadcast' % OP, OP, [Input((1, 4)), Input((3, 4)), Input((1, 4))], {'swap': True, 'margin': 0.5})
add('%s/error/bool' % OP, OP, [vals([[True, False]], 'bool', False), vals([[True, True]], 'bool', False),
                               vals([[False, False]], 'bool', False)], {})
add('%s/error/bad-reduction' % OP, OP, [Input((3, 4)), Input((3, 4)), Input((3, 4))], {'reduction': 'avg'})
# The distances come before the reduction check: a shape error wins over a bad reduction string.
add('%s/error/shape-before-reduction' % OP, OP, [Input((3, 4)), Input((3, 5)), Input((3, 4))], {'reduction': 'avg'})

# ---- pairwise_distance (the triplet losses' default distance; exposed as F.pairwise_distance) ---------
OP = 'pairwise_distance'
OPS[OP] = 'PairwiseDistance'
for q in product(dtype=DTYPES, shapes=[((4, 5), (4, 5)), ((3, 4), (4,)), ((2, 3, 4), (3, 4)), ((5,), (5,)), ((), ())],
                 p=[2, 1, 3, 0.5, INF], keepdim=[False, True]):
    a, b = q['shapes']
    kw = {'p': q['p'], 'eps': 1e-6, 'keepdim': q['keepdim']}
    add('%s/%s/%s-%s/p=%s/keepdim=%s' % (OP, q['dtype'], shape_tag(a), shape_tag(b), q['p'], q['keepdim']), OP,
        [g(a, q['dtype']), g(b, q['dtype'])], kw)
for q in product(p=[0, -INF, -1, 1.5], dtype=DTYPES):
    add('%s/%s/p=%s' % (OP, q['dtype'], q['p']), OP, [g((3, 4), q['dtype']), g((3, 4), q['dtype'])],
        {'p': q['p'], 'eps': 1e-6, 'keepdim': False})
for dt in DTYPES:
    add('%s/%s/nan-inf-zero' % (OP, dt), OP,
        [vals([[NAN, 1.0], [INF, 0.0], [1.0, 2.0], [0.0, 0.0]], dt), vals([[1.0, 1.0], [1.0, 2.0], [-INF, 0.0], [0.0, 0.0]], dt)],
        {'p': 2, 'eps': 0.0, 'keepdim': False})
    add('%s/%s/inf-norm-ties' % (OP, dt), OP, [vals([[1.0, -1.0, 0.5], [2.0, 2.0, 2.0]], dt), vals([[0.0, 0.0, 0.0]] * 2, dt)],
        {'p': INF, 'eps': 0.0, 'keepdim': False})
add('%s/empty' % OP, OP, [g((0, 4)), g((0, 4))], {'p': 2, 'eps': 1e-6, 'keepdim': False})
add('%s/empty-features' % OP, OP, [g((3, 0)), g((3, 0))], {'p': 2, 'eps': 1e-6, 'keepdim': True})
add('%s/int64' % OP, OP, [Input((3, 4), 'int64', 'randint', -3, 4), Input((3, 4), 'int64', 'randint', -3, 4)],
    {'p': 2, 'eps': 1e-6, 'keepdim': False})
add('%s/error/mismatch' % OP, OP, [Input((3, 4)), Input((3, 5))], {'p': 2, 'eps': 1e-6, 'keepdim': False})
add('%s/error/bool' % OP, OP, [Input((3, 4)), vals([[True, False, True, True]], 'bool', False)],
    {'p': 2, 'eps': 1e-6, 'keepdim': False})

# ---- extra options and dtypes ---------------------------------------------------------------------------
for r in REDUCTIONS:
    add('margin_ranking_loss/%s/int-margin' % r, 'margin_ranking_loss', [g((4,)), g((4,)), sign((4,), requires_grad=True)],
        {'margin': 2, 'reduction': r})
    add('cosine_embedding_loss/%s/bool-inputs' % r, 'cosine_embedding_loss',
        [vals([[True, False, True], [False, False, False]], 'bool', False),
         vals([[True, True, False], [True, False, True]], 'bool', False), vals([1.0, -1.0], requires_grad=False)],
        {'margin': -0.5, 'reduction': r})
    for m in (1.0, -1.0):
        add('cosine_embedding_loss/%s/margin=%s' % (r, m), 'cosine_embedding_loss', [g((5, 3)), g((5, 3)), sign((5,))],
            {'margin': m, 'reduction': r})
    add('triplet_margin_loss/%s/negative-eps' % r, 'triplet_margin_loss', [g((3, 4)), g((3, 4)), g((3, 4))],
        {'eps': -0.5, 'swap': True, 'reduction': r})
    add('triplet_margin_with_distance_loss/%s/int-margin' % r, 'triplet_margin_with_distance_loss',
        [g((3, 4)), g((3, 4)), g((3, 4))], {'margin': 2, 'reduction': r})
    # A refused int margin is printed as an int ("got -1"), a float one as a float.
    for m in (-1, -1.0):
        add('triplet_margin_with_distance_loss/%s/error/margin=%r' % (r, m), 'triplet_margin_with_distance_loss',
            [g((3, 4)), g((3, 4)), g((3, 4))], {'margin': m, 'reduction': r})
        add('triplet_margin_loss/%s/error/margin=%r' % (r, m), 'triplet_margin_loss',
            [g((3, 4)), g((3, 4)), g((3, 4))], {'margin': m, 'reduction': r})
    add('hinge_embedding_loss/%s/int-margin' % r, 'hinge_embedding_loss', [g((4, 2)), sign((4, 2))],
        {'margin': 0, 'reduction': r})

# ---- non-finite margins ---------------------------------------------------------------------------------
for m in (INF, -INF, NAN):
    tag = fmt(m)
    add('margin_ranking_loss/none/margin=%s' % tag, 'margin_ranking_loss', [g((4,)), g((4,)), sign((4,), requires_grad=True)],
        {'margin': m, 'reduction': 'none'})
    add('hinge_embedding_loss/sum/margin=%s' % tag, 'hinge_embedding_loss', [g((5,)), sign((5,))],
        {'margin': m, 'reduction': 'sum'})
    add('cosine_embedding_loss/none/margin=%s' % tag, 'cosine_embedding_loss', [g((4, 3)), g((4, 3)), sign((4,))],
        {'margin': m, 'reduction': 'none'})
    add('triplet_margin_loss/mean/margin=%s' % tag, 'triplet_margin_loss', [g((3, 4)), g((3, 4)), g((3, 4))],
        {'margin': m, 'swap': True, 'reduction': 'mean'})
    add('triplet_margin_with_distance_loss/none/margin=%s' % tag, 'triplet_margin_with_distance_loss',
        [g((3, 4)), g((3, 4)), g((3, 4))], {'margin': m, 'reduction': 'none'})

# ---- float16 and bfloat16 (PyTorch's CPU computes them in float32 and rounds to the dtype) -----------------
# cosine_embedding_loss rounds each op's result to the dtype (a composite in PyTorch), and loss4j mirrors those
# steps for inputs of one shape, and so do triplet_margin_loss and pairwise_distance with inputs of one shape
# (any p: the norm reduces wide and rounds once, its backward takes autograd's ops in the dtype), and with
# broadcast shapes (each gradient summed back to its input's shape).
for p in product(reduction=REDUCTIONS, dtype=['float16', 'bfloat16']):
    r, dt = p['reduction'], p['dtype']
    for m in [0.0, 0.3, -0.2]:
        add('cosine_embedding_loss/%s/%s/margin=%s/6x5' % (r, dt, fmt(m)), 'cosine_embedding_loss',
            [g((6, 5), dt), g((6, 5), dt), sign((6,), dt)], {'reduction': r, 'margin': m})
    add('cosine_embedding_loss/%s/%s/40x16' % (r, dt), 'cosine_embedding_loss',
        [g((40, 16), dt), g((40, 16), dt), sign((40,), dt)], {'reduction': r})
    add('cosine_embedding_loss/%s/%s/7/0-d-target' % (r, dt), 'cosine_embedding_loss',
        [g((7,), dt), g((7,), dt), sign((), dt)], {'reduction': r, 'margin': 0.1})
    add('cosine_embedding_loss/%s/%s/6x5/int64-target' % (r, dt), 'cosine_embedding_loss',
        [g((6, 5), dt), g((6, 5), dt), sign((6,), 'int64')], {'reduction': r, 'margin': 0.2})
    # Broadcast inputs or target: the same composite, each gradient summed back to its operand's shape.
    for a, b, t in [((3, 4), (1, 4), (3,)), ((1, 4), (3, 4), (3,)), ((3, 4), (3, 4), (1,)), ((1, 4), (1, 4), (3,)),
                    ((1, 16), (9, 16), (9,))]:
        add('cosine_embedding_loss/%s/%s/broadcast/%s-%s-%s' % (r, dt, shape_tag(a), shape_tag(b), shape_tag(t)),
            'cosine_embedding_loss', [g(a, dt), g(b, dt), sign(t, dt)], {'reduction': r, 'margin': 0.1})
    add('cosine_embedding_loss/%s/%s/unbatched-vs-batched' % (r, dt), 'cosine_embedding_loss',
        [g((4,), dt), g((3, 4), dt), sign((), dt)], {'reduction': r})
    add('margin_ranking_loss/%s/%s/5' % (r, dt), 'margin_ranking_loss', [g((5,), dt), g((5,), dt), sign((5,), dt)],
        {'reduction': r, 'margin': 0.5})
    add('hinge_embedding_loss/%s/%s/4x3' % (r, dt), 'hinge_embedding_loss', [g((4, 3), dt), sign((4, 3), dt)],
        {'reduction': r})
    for sw in [False, True]:
        for m in [1.0, 0.3]:
            add('triplet_margin_loss/%s/%s/swap=%s/margin=%s/40x16' % (r, dt, sw, fmt(m)), 'triplet_margin_loss',
                [g((40, 16), dt), g((40, 16), dt), g((40, 16), dt)], {'reduction': r, 'swap': sw, 'margin': m})
        add('triplet_margin_loss/%s/%s/swap=%s/6' % (r, dt, sw), 'triplet_margin_loss', [g((6,), dt), g((6,), dt),
            g((6,), dt)], {'reduction': r, 'swap': sw})
    add('triplet_margin_loss/%s/%s/anchor==positive/4x3' % (r, dt), 'triplet_margin_loss',
        [vals([[0.5, -1.0, 2.0]] * 4, dt), vals([[0.5, -1.0, 2.0]] * 4, dt), g((4, 3), dt)],
        {'reduction': r, 'swap': True})
    # triplet_margin_with_distance_loss with its default distance (the module passes pairwise_distance itself),
    # and pairwise_distance (p = 2) on its own, take the same steps.
    for sw in [False, True]:
        add('triplet_margin_with_distance_loss/%s/%s/swap=%s/40x16' % (r, dt, sw), 'triplet_margin_with_distance_loss',
            [g((40, 16), dt), g((40, 16), dt), g((40, 16), dt)], {'reduction': r, 'swap': sw, 'margin': 0.7})
    for pn in [1.0, 3.0, 4.0, 1.5, 0.5, INF, 0.0]:
        for sw in [False, True]:
            add('triplet_margin_loss/%s/%s/p=%s/swap=%s/12x9' % (r, dt, fmt(pn), sw), 'triplet_margin_loss',
                [g((12, 9), dt), g((12, 9), dt), g((12, 9), dt)], {'reduction': r, 'swap': sw, 'p': pn})
    for pn in [2.0, 1.0, 0.5]:
        for sw in [False, True]:
            add('triplet_margin_loss/%s/%s/p=%s/swap=%s/broadcast' % (r, dt, fmt(pn), sw), 'triplet_margin_loss',
                [g((8, 6), dt), g((1, 6), dt), g((8, 6), dt)], {'reduction': r, 'swap': sw, 'p': pn})
for dt in ['float16', 'bfloat16']:
    for pn in [2.0, 1.0, 0.5, INF]:
        add('pairwise_distance/%s/p=%s/broadcast-40x16-16' % (dt, fmt(pn)), 'pairwise_distance',
            [g((40, 16), dt), g((16,), dt)], {'p': pn})
        add('pairwise_distance/%s/p=%s/broadcast-1x5-7x5' % (dt, fmt(pn)), 'pairwise_distance',
            [g((1, 5), dt), g((7, 5), dt)], {'p': pn, 'keepdim': True})
    for pn in [1.0, 3.0, 4.0, 1.5, 0.5, INF, 0.0]:
        add('pairwise_distance/%s/p=%s/40x16' % (dt, fmt(pn)), 'pairwise_distance', [g((40, 16), dt), g((40, 16), dt)],
            {'p': pn})
    add('pairwise_distance/%s/p=inf/ties' % dt, 'pairwise_distance',
        [vals([[0.5, -1.0, 1.0], [2.0, 2.0, -2.0]], dt), vals([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], dt)], {'p': INF})
    for kd in [False, True]:
        add('pairwise_distance/%s/keepdim=%s/40x16' % (dt, kd), 'pairwise_distance', [g((40, 16), dt), g((40, 16), dt)],
            {'keepdim': kd})
