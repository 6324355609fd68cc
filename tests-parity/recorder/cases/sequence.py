"""Case table for the sequence family: ctc_loss (CTCLoss).

Lengths come in the two forms torch.ctc_loss accepts: int64 tensors (positional arguments 2 and 3, also
replayed through the CTCLoss module) or lists of ints (the keyword arguments input_lengths/target_lengths as
plain JSON lists; functional form only, since the module replay passes tensors positionally).
Cases avoid what PyTorch 1.13 leaves undefined (zero or negative lengths, target indices out of range).
"""
from cases import Case, Input, product

REDUCTIONS = ['none', 'mean', 'sum']
DTYPES = ['float32', 'float64']

CASES = []


def ctc(id, lp, targets, il, tl, kwargs=None, lengths='tensor', module=True):
    """One ctc_loss case; `il`/`tl` are Python lists (or ints for 0-d tensors when unbatched)."""
    kwargs = dict(kwargs or {})
    if lengths == 'tensor':
        inputs = [lp, targets, Input(dtype='int64', kind='values', values=il),
                  Input(dtype='int64', kind='values', values=tl)]
    else:
        inputs = [lp, targets]
        kwargs = dict(kwargs, input_lengths=il, target_lengths=tl)
    ctor = {k: v for k, v in kwargs.items() if k in ('blank', 'reduction', 'zero_infinity')}
    use_module = module and lengths == 'tensor'
    CASES.append(Case(id, 'ctc_loss', inputs, kwargs, 'CTCLoss' if use_module else None,
                      ctor if use_module else None))


def logp(shape, dtype, grad=True, kind='log_softmax', lo=0.0, hi=1.0):
    return Input(shape, dtype, kind=kind, lo=lo, hi=hi, requires_grad=grad)


def padded(n, s, c):
    return Input((n, s), 'int64', kind='randint', lo=1, hi=c)


def concat(total, c):
    return Input((total,), 'int64', kind='randint', lo=1, hi=c)


# 1. The main grid: every reduction, zero_infinity, dtype, target form and lengths form.
IL = [8, 7, 5]
TL = [4, 2, 3]
for p in product(dtype=DTYPES, reduction=REDUCTIONS, zi=[False, True], form=['padded', 'concat'],
                 lengths=['tensor', 'list']):
    tg = padded(3, 4, 5) if p['form'] == 'padded' else concat(sum(TL), 5)
    ctc('grid/%s/%s/zi=%s/%s/%s' % (p['dtype'], p['reduction'], p['zi'], p['form'], p['lengths']),
        logp((8, 3, 5), p['dtype']), tg, IL, TL, {'reduction': p['reduction'], 'zero_infinity': p['zi']},
        p['lengths'])

# 2. Shapes: (T, N, C, S), full and ragged lengths.
SHAPES = [(1, 1, 2, 1), (2, 1, 3, 1), (10, 4, 6, 5), (30, 2, 20, 10), (50, 4, 10, 20), (12, 6, 3, 4)]
for p in product(shape=SHAPES, dtype=DTYPES, reduction=REDUCTIONS):
    t, n, c, s = p['shape']
    il = [t - (i % 2) * (t // 4) for i in range(n)]
    tl = [max(0, min(s, (il[i] - 1) // 2) - (i % 3)) for i in range(n)]
    ctc('shape/%dx%dx%d/S%d/%s/%s' % (t, n, c, s, p['dtype'], p['reduction']), logp((t, n, c), p['dtype']),
        padded(n, s, c), il, tl, {'reduction': p['reduction']})

# 3. Unbatched (T, C): targets (S) or (1, S); lengths 0-d tensors, 1-element tensors or one-element lists.
for p in product(dtype=DTYPES, reduction=REDUCTIONS, tg=['1d', '2d'], lengths=['0d', '1d', 'list'],
                 zi=[False, True]):
    if p['zi'] and p['lengths'] != '0d':
        continue
    # 1-d targets are the concatenated form: exactly target_length long.
    tg = Input((3,) if p['tg'] == '1d' else (1, 4), 'int64', kind='randint', lo=1, hi=6)
    il, tl = (7, 3) if p['lengths'] == '0d' else ([7], [3])
    ctc('unbatched/%s/%s/targets%s/lengths-%s/zi=%s' % (p['dtype'], p['reduction'], p['tg'], p['lengths'], p['zi']),
        logp((9, 6), p['dtype']), tg, il, tl,
        {'reduction': p['reduction'], 'zero_infinity': p['zi']}, 'list' if p['lengths'] == 'list' else 'tensor')

# 4. Other blank labels: the last class, a middle one; targets avoid the blank.
for p in product(blank=[4, 2], dtype=DTYPES, reduction=REDUCTIONS):
    b = p['blank']
    vals = [[1, 3, 1, 0], [0, 1, 1, 3], [3, 3, 0, 1]] if b == 4 else [[1, 3, 4, 1], [4, 4, 0, 3], [1, 0, 3, 3]]
    ctc('blank=%d/%s/%s' % (b, p['dtype'], p['reduction']), logp((9, 3, 5), p['dtype']),
        Input(dtype='int64', kind='values', values=vals), [9, 8, 9], [4, 3, 4],
        {'blank': b, 'reduction': p['reduction']})

# 5. Repeated labels: a repeat needs a blank between, so [1, 1, 1] needs 5 frames.
for p in product(dtype=DTYPES, reduction=['none', 'mean'], zi=[False, True]):
    ctc('repeats/%s/%s/zi=%s' % (p['dtype'], p['reduction'], p['zi']), logp((6, 4, 4), p['dtype']),
        Input(dtype='int64', kind='values', values=[[1, 1, 1], [2, 2, 3], [1, 2, 1], [3, 3, 3]]),
        [5, 4, 3, 6], [3, 3, 3, 3], {'reduction': p['reduction'], 'zero_infinity': p['zi']})

# 6. Infeasible alignments: inf (NaN gradients) or, with zero_infinity, 0 and zero gradients.
for p in product(dtype=DTYPES, reduction=REDUCTIONS, zi=[False, True], lengths=['tensor', 'list']):
    ctc('infeasible/%s/%s/zi=%s/%s' % (p['dtype'], p['reduction'], p['zi'], p['lengths']),
        logp((4, 3, 5), p['dtype']), Input(dtype='int64', kind='values', values=[[1, 2, 3, 4], [1, 2, 3, 1], [2, 2, 2, 2]]),
        [4, 3, 4], [4, 2, 3], {'reduction': p['reduction'], 'zero_infinity': p['zi']}, p['lengths'])
for p in product(dtype=DTYPES, reduction=REDUCTIONS, zi=[False, True]):
    ctc('infeasible-all/%s/%s/zi=%s' % (p['dtype'], p['reduction'], p['zi']), logp((2, 2, 3), p['dtype']),
        Input(dtype='int64', kind='values', values=[[1, 1], [2, 1]]), [2, 1], [2, 2],
        {'reduction': p['reduction'], 'zero_infinity': p['zi']})

# 7. Empty targets (length 0): the loss is -sum of the blank log-probs; mean divides by max(0, 1).
for p in product(dtype=DTYPES, reduction=REDUCTIONS, form=['padded', 'concat']):
    tg = Input((3, 2), 'int64', kind='randint', lo=1, hi=4) if p['form'] == 'padded' else \
        Input(dtype='int64', kind='values', values=[2, 3])
    ctc('empty-target/%s/%s/%s' % (p['dtype'], p['reduction'], p['form']), logp((5, 3, 4), p['dtype']), tg,
        [5, 3, 4], [0, 2, 0], {'reduction': p['reduction']})
ctc('empty-target/all/concat', logp((4, 2, 3), 'float64'), Input(dtype='int64', kind='values', values=[]),
    [4, 2], [0, 0], {'reduction': 'mean'})
ctc('empty-target/all/padded-S0', logp((4, 2, 3), 'float32'), Input((2, 0), 'int64', kind='randint', lo=1, hi=3),
    [4, 3], [0, 0], {'reduction': 'sum'})

# 8. Empty batch: none gives (0,), mean NaN, sum 0.
for p in product(reduction=REDUCTIONS, form=['padded', 'concat'], lengths=['tensor', 'list']):
    tg = Input((0, 3), 'int64', kind='randint', lo=1, hi=3) if p['form'] == 'padded' else \
        Input(dtype='int64', kind='values', values=[])
    ctc('empty-batch/%s/%s/%s' % (p['reduction'], p['form'], p['lengths']), logp((4, 0, 3), 'float32'), tg, [], [],
        {'reduction': p['reduction']}, p['lengths'])

# 9. Extreme and non-finite log_probs (ctc_loss does not ask for normalised inputs).
for p in product(dtype=DTYPES, reduction=REDUCTIONS):
    ctc('extreme/uniform-1e4/%s/%s' % (p['dtype'], p['reduction']),
        logp((6, 2, 4), p['dtype'], kind='uniform', lo=-1e4, hi=1e4), padded(2, 3, 4), [6, 5], [3, 2],
        {'reduction': p['reduction']})
    ctc('extreme/unnormalised-normal/%s/%s' % (p['dtype'], p['reduction']),
        logp((7, 3, 5), p['dtype'], kind='normal'), padded(3, 3, 5), [7, 6, 7], [3, 3, 1],
        {'reduction': p['reduction']})
    ctc('extreme/small-uniform/%s/%s' % (p['dtype'], p['reduction']),
        logp((6, 2, 4), p['dtype'], kind='uniform', lo=-120.0, hi=-80.0), padded(2, 2, 4), [6, 6], [2, 1],
        {'reduction': p['reduction']})
NEG = float('-inf')
SPECIAL_LP = [  # (T=4, N=2, C=3)
    [[-0.5, NEG, -1.0], [-1.2, -0.7, -2.0]],
    [[-1.5, -0.3, NEG], [NEG, -0.1, -3.0]],
    [[-0.2, -2.0, -1.7], [-0.4, -1.1, -1.4]],
    [[NEG, -0.9, -0.6], [-2.2, -0.05, -5.0]],
]
for p in product(dtype=DTYPES, reduction=REDUCTIONS, zi=[False, True]):
    ctc('neg-inf-logprobs/%s/%s/zi=%s' % (p['dtype'], p['reduction'], p['zi']),
        Input(dtype=p['dtype'], kind='values', values=SPECIAL_LP, requires_grad=True),
        Input(dtype='int64', kind='values', values=[[1, 2], [1, 1]]), [4, 4], [2, 1],
        {'reduction': p['reduction'], 'zero_infinity': p['zi']})
NAN_LP = [[[-0.5, float('nan'), -1.0], [-1.2, -0.7, -2.0]],
          [[-1.5, -0.3, -0.9], [-0.8, -0.1, -3.0]],
          [[-0.2, -2.0, -1.7], [-0.4, float('inf'), -1.4]]]
for p in product(dtype=DTYPES, reduction=['none', 'sum'], zi=[False, True]):
    ctc('nan-inf-logprobs/%s/%s/zi=%s' % (p['dtype'], p['reduction'], p['zi']),
        Input(dtype=p['dtype'], kind='values', values=NAN_LP, requires_grad=True),
        Input(dtype='int64', kind='values', values=[[1, 2], [2, 1]]), [3, 3], [2, 2],
        {'reduction': p['reduction'], 'zero_infinity': p['zi']})

# 10. Long sequences (float32 rounding accumulates) and masked frames.
for p in product(dtype=DTYPES, reduction=REDUCTIONS):
    ctc('long/%s/%s' % (p['dtype'], p['reduction']), logp((120, 2, 8), p['dtype']), padded(2, 40, 8), [120, 97],
        [40, 31], {'reduction': p['reduction']})

# 11. Odd but accepted inputs: float and bool targets (converted to int64), 2-d length tensors, targets equal
# to the blank, an input without gradient, the deprecated 'elementwise_mean'.
ctc('targets-float64-truncated', logp((6, 2, 4), 'float64'),
    Input(dtype='float64', kind='values', values=[[1.7, 2.2, 3.9], [3.0, 1.5, 2.0]]), [6, 6], [3, 2],
    {'reduction': 'none'})
ctc('targets-bool', logp((5, 2, 3), 'float32'), Input(dtype='bool', kind='values', values=[[True, True], [True, False]]),
    [5, 5], [2, 1], {'reduction': 'sum'})
ctc('lengths-2d-tensor', logp((6, 3, 4), 'float64'), padded(3, 2, 4), [[6, 5, 4]], [[2, 2, 1]],
    {'reduction': 'mean'}, module=False)
ctc('target-is-blank', logp((6, 2, 4), 'float32'), Input(dtype='int64', kind='values', values=[[0, 2], [1, 0]]),
    [6, 6], [2, 2], {'reduction': 'none'})
ctc('no-grad', logp((6, 2, 4), 'float32', grad=False), padded(2, 2, 4), [6, 6], [2, 2], {'reduction': 'mean'})
ctc('elementwise_mean', logp((6, 2, 4), 'float32'), padded(2, 2, 4), [6, 6], [2, 2],
    {'reduction': 'elementwise_mean'}, module=False)
ctc('tuple-lengths-as-list', logp((6, 2, 4), 'float64'), padded(2, 2, 4), [6, 4], [2, 1], {'reduction': 'sum'},
    'list')

# 12. Errors, in PyTorch's order of checks.
E = {'reduction': 'mean'}
ERRORS = [
    ('bad-reduction', (6, 2, 4), 'float32', (2, 2), [6, 6], [2, 2], {'reduction': 'avg'}),
    ('input-lengths-float', (6, 2, 4), 'float32', (2, 2), ('float64', [6.0, 6.0]), [2, 2], E),
    ('target-lengths-float', (6, 2, 4), 'float32', (2, 2), [6, 6], ('float32', [2.0, 2.0]), E),
    ('input-lengths-bool', (6, 2, 4), 'float32', (2, 2), ('bool', [True, True]), [2, 2], E),
    ('input-lengths-size', (6, 2, 4), 'float32', (2, 2), [6], [2, 2], E),
    ('target-lengths-size', (6, 2, 4), 'float32', (2, 2), [6, 6], [2, 2, 2], E),
    ('input-length-above-T', (6, 2, 4), 'float64', (2, 2), [7, 6], [2, 2], E),
    ('target-length-above-S', (6, 2, 4), 'float64', (2, 2), [6, 6], [2, 3], E),
    ('concat-size-mismatch', (6, 2, 4), 'float32', (5,), [6, 6], [2, 2], E),
    ('targets-batch-mismatch', (6, 2, 4), 'float32', (3, 2), [6, 6], [2, 2], E),
    ('targets-3d', (6, 2, 4), 'float32', (2, 2, 1), [6, 6], [1, 1], E),
    ('targets-0d', (6, 2, 4), 'float32', (), [6, 6], [1, 1], E),
    ('blank-equal-C', (6, 2, 4), 'float32', (2, 2), [6, 6], [2, 2], {'blank': 4}),
    ('blank-negative', (6, 2, 4), 'float32', (2, 2), [6, 6], [2, 2], {'blank': -1}),
    ('log-probs-1d', (4,), 'float32', (2, 2), [6, 6], [2, 2], E),
    ('log-probs-4d', (6, 2, 4, 1), 'float32', (2, 2), [6, 6], [2, 2], E),
    ('log-probs-0d', (), 'float32', (2, 2), [6, 6], [2, 2], E),
    ('empty-time', (0, 2, 4), 'float32', (2, 2), [0, 0], [0, 0], E),
    ('no-classes', (6, 2, 0), 'float32', (2, 2), [6, 6], [2, 2], E),
]
for name, lshape, ldt, tshape, il, tl, kw in ERRORS:
    for form in ['tensor', 'list']:
        if form == 'list' and (isinstance(il, tuple) or isinstance(tl, tuple)):
            continue
        lp = Input(lshape, ldt, requires_grad=True)
        tg = Input(tshape, 'int64', kind='randint', lo=1, hi=3)
        if form == 'tensor':
            inputs = [lp, tg] + [Input(dtype=v[0], kind='values', values=v[1]) if isinstance(v, tuple) else
                                 Input(dtype='int64', kind='values', values=v) for v in (il, tl)]
            CASES.append(Case('error/%s/%s' % (name, form), 'ctc_loss', inputs, kw))
        else:
            CASES.append(Case('error/%s/%s' % (name, form), 'ctc_loss', [lp, tg],
                              dict(kw, input_lengths=il, target_lengths=tl)))
for dt in ['int64', 'bool']:
    CASES.append(Case('error/log-probs-%s' % dt, 'ctc_loss',
                      [Input((6, 2, 4), dt, kind='randint', lo=0, hi=2), Input((2, 2), 'int64', kind='randint', lo=1, hi=3),
                       Input(dtype='int64', kind='values', values=[6, 6]),
                       Input(dtype='int64', kind='values', values=[2, 2])], {}))

# 13. Long float32 recursions: PyTorch's float rounding (glibc expf/logf) is followed bit for bit.
for p in product(reduction=REDUCTIONS, zi=[False, True]):
    ctc('long-float32/T200/%s/zi=%s' % (p['reduction'], p['zi']), logp((200, 3, 12), 'float32'), padded(3, 60, 12),
        [200, 180, 150], [60, 45, 80 // 2], {'reduction': p['reduction'], 'zero_infinity': p['zi']})
    ctc('long-float32/unnormalised/%s/zi=%s' % (p['reduction'], p['zi']), logp((90, 2, 6), 'float32', kind='normal'),
        concat(55, 6), [90, 70], [30, 25], {'reduction': p['reduction'], 'zero_infinity': p['zi']}, 'list')

# ---- int32 targets and lengths (PyTorch takes any mix of int32 and int64), and float16/bfloat16 log_probs,
# which PyTorch's CPU refuses.
for p in product(reduction=REDUCTIONS, form=['padded', 'concat'], which=['all', 'targets', 'lengths']):
    tdt = 'int64' if p['which'] == 'lengths' else 'int32'
    ldt = 'int64' if p['which'] == 'targets' else 'int32'
    targets = (Input((3, 4), tdt, kind='randint', lo=1, hi=5) if p['form'] == 'padded'
               else Input((9,), tdt, kind='randint', lo=1, hi=5))
    CASES.append(Case('int32/%s/%s/%s' % (p['which'], p['reduction'], p['form']), 'ctc_loss',
                      [logp((8, 3, 5), 'float32'), targets, Input(dtype=ldt, kind='values', values=IL),
                       Input(dtype=ldt, kind='values', values=TL)],
                      {'reduction': p['reduction']}, 'CTCLoss', {'reduction': p['reduction']}))
for dt in ('float16', 'bfloat16'):
    ctc('error/%s' % dt, logp((8, 3, 5), dt), padded(3, 4, 5), IL, TL)
