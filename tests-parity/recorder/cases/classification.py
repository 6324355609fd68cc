"""Case table for the classification family: nll_loss, cross_entropy, multi_margin_loss,
multilabel_margin_loss (NLLLoss, CrossEntropyLoss, MultiMarginLoss, MultiLabelMarginLoss).

A constant weight of nll_loss or cross_entropy travels as a keyword tensor, so the module form
(NLLLoss(weight=...), CrossEntropyLoss(weight=...)) is replayed too; a weight that requires grad stays
positional, where its gradient is recorded, and such cases have no module form. multi_margin_loss cases
with a weight pass p and margin positionally as 0-d tensors.
"""
from cases import Case, Input, product, shape_tag

REDUCTIONS = ['none', 'mean', 'sum']
DTYPES = ['float32', 'float64']
INF = float('inf')
NAN = float('nan')
MODULES = {'nll_loss': 'NLLLoss', 'cross_entropy': 'CrossEntropyLoss', 'multi_margin_loss': 'MultiMarginLoss',
           'multilabel_margin_loss': 'MultiLabelMarginLoss'}

CASES = []


def add(id, op, inputs, kwargs=None, module=True):
    kwargs = dict(kwargs or {})
    if op in ('nll_loss', 'cross_entropy') and len(inputs) == 3 and isinstance(inputs[2], Input) \
            and not inputs[2].requires_grad:
        kwargs['weight'] = inputs[2]
        inputs = inputs[:2]
        module = True
    CASES.append(Case(id, op, inputs, kwargs, MODULES[op] if module else None, kwargs if module else None))


def classes(shape, c, dtype='int64'):
    """Random class indices in [0, c)."""
    return Input(shape, dtype, kind='randint', lo=0, hi=max(c, 1))


def weight(c, dtype='float32', requires_grad=False):
    return Input((c,), dtype, kind='uniform', lo=0.1, hi=2.0, requires_grad=requires_grad)


def values(v, dtype='float32', requires_grad=False):
    return Input(dtype=dtype, kind='values', values=v, requires_grad=requires_grad)


# (input shape, target shape) for class-index targets: no batch, batch, K-dimensional (3-d, 4-d, 5-d), empty.
CLASS_SHAPES = [((5,), ()), ((4, 5), (4,)), ((1, 3), (1,)), ((2, 3, 4), (2, 4)), ((2, 3, 2, 2), (2, 2, 2)),
                ((2, 3, 2, 1, 2), (2, 2, 1, 2)), ((0, 4), (0,)), ((0, 3, 2, 2), (0, 2, 2)), ((0, 3, 2), (0, 2)),
                ((2, 3, 0), (2, 0))]


def class_dim(shape):
    return shape[0] if len(shape) == 1 else shape[1]


# ---- nll_loss ----------------------------------------------------------------------------------------
OP = 'nll_loss'
for p in product(reduction=REDUCTIONS, dtype=DTYPES, shapes=CLASS_SHAPES, weighted=[False, True]):
    ishape, tshape = p['shapes']
    c = class_dim(ishape)
    ins = [Input(ishape, p['dtype'], requires_grad=True), classes(tshape, c)]
    if p['weighted']:
        ins.append(weight(c, p['dtype']))
    add('%s/%s/%s/%s%s' % (OP, p['reduction'], p['dtype'], shape_tag(ishape), '/weight' if p['weighted'] else ''),
        OP, ins, {'reduction': p['reduction']}, module=not p['weighted'])

# ignore_index: the default -100, an index inside [0, C), one outside; all targets ignored (mean is NaN).
IGNORE_TARGETS = [
    ('default', -100, [2, -100, 0, -100, 4]),
    ('inside', 1, [1, 3, 1, 0, 2]),
    ('outside', 9, [9, 3, 9, 0, 2]),
    ('negative', -1, [-1, 3, 4, -1, 2]),
    ('all', -100, [-100, -100, -100, -100, -100]),
]
for p in product(reduction=REDUCTIONS, ign=IGNORE_TARGETS, weighted=[False, True]):
    name, ii, tgt = p['ign']
    ins = [Input((5, 5), 'float64', requires_grad=True), values(tgt, 'int64')]
    if p['weighted']:
        ins.append(weight(5, 'float64'))
    kw = {'reduction': p['reduction']}
    if ii != -100:
        kw['ignore_index'] = ii
    add('%s/%s/ignore-%s%s' % (OP, p['reduction'], name, '/weight' if p['weighted'] else ''), OP, ins, kw,
        module=not p['weighted'])
for p in product(reduction=REDUCTIONS, weighted=[False, True]):
    tgt = [[[0, -100], [2, 1]], [[-100, -100], [1, 1]]]
    ins = [Input((2, 3, 2, 2), 'float32', requires_grad=True), values(tgt, 'int64')]
    if p['weighted']:
        ins.append(weight(3))
    add('%s/%s/ignore-spatial%s' % (OP, p['reduction'], '/weight' if p['weighted'] else ''), OP, ins,
        {'reduction': p['reduction']}, module=not p['weighted'])
    ins = [Input((2, 3, 3), 'float32', requires_grad=True), values([[0, 2, 2], [2, 2, 1]], 'int64')]
    if p['weighted']:
        ins.append(weight(3))
    add('%s/%s/ignore-3d-inside%s' % (OP, p['reduction'], '/weight' if p['weighted'] else ''), OP, ins,
        {'reduction': p['reduction'], 'ignore_index': 2}, module=not p['weighted'])
    ins = [Input((5,), 'float32', requires_grad=True), values(3, 'int64')]
    if p['weighted']:
        ins.append(weight(5))
    add('%s/%s/ignore-unbatched%s' % (OP, p['reduction'], '/weight' if p['weighted'] else ''), OP, ins,
        {'reduction': p['reduction'], 'ignore_index': 3}, module=not p['weighted'])

# Zero and negative weights: mean divides by their sum (0/0 is NaN).
for p in product(reduction=REDUCTIONS, w=[[0.0, 0.0, 1.0], [-1.0, -2.0, 1.0], [-1.0, 2.0, 1.0]]):
    add('%s/%s/weights-%s' % (OP, p['reduction'], '_'.join(str(v) for v in p['w'])), OP,
        [Input((2, 3), 'float64', requires_grad=True), values([0, 1], 'int64'), values(p['w'], 'float64')],
        {'reduction': p['reduction']}, module=False)

# Non-finite log-probabilities.
SPECIAL = [[0.0, -INF, -1.0], [-INF, -INF, -INF], [NAN, -0.5, -2.0], [-1e4, 1e4, INF]]
for p in product(reduction=REDUCTIONS, dtype=DTYPES):
    add('%s/%s/%s/nan-inf' % (OP, p['reduction'], p['dtype']), OP,
        [values(SPECIAL, p['dtype'], True), values([1, 0, 1, 2], 'int64')], {'reduction': p['reduction']})

# A 1-d input with a 1-d target of the same length: PyTorch reads the first target only.
for r in REDUCTIONS:
    add('%s/%s/unbatched-1d-target' % (OP, r), OP, [Input((4,), requires_grad=True), values([2, 0, 1, 3], 'int64')],
        {'reduction': r})

# float32 terms near 1e7 with weights of both signs: the sum and the total weight cancel, so the result is
# ATen's float cascade of partial sums (a double sum differs by 8x in 'mean' here).
NLL_CANCEL = [[-14566739.0, 10236434.0, -618445.0, 12610554.0, -3269027.0],
              [2000786.0, 8909593.0, -5010855.0, 13205721.0, 3175772.0],
              [-14730127.0, 14839762.0, 6492770.0, -13293167.0, -8002725.0],
              [12037236.0, 10339236.0, 6993756.0, -1342831.0, -8569145.0],
              [-2712088.0, 13715367.0, -15169485.0, -14480415.0, 3068027.0],
              [5168872.0, 11318846.0, 14254907.0, 10897212.0, 254082.0],
              [-933511.0, 11158746.0, 13796252.0, 13848373.0, 15097463.0],
              [9422530.0, 6288499.0, 994386.0, 5548692.0, -1166107.0],
              [-6767403.0, 10464975.0, 13147044.0, 11075871.0, -15524821.0],
              [1247029.0, -13561435.0, 14474402.0, 12787449.0, 4557771.0],
              [8091762.0, -13350478.0, -1452657.0, 1577747.0, -12103135.0],
              [-5894914.0, 8267764.0, -5593845.0, 3321853.0, 4905662.0],
              [2212816.0, 15484863.0, 10120481.0, 10478381.0, -11947980.0],
              [-4625394.0, 5624069.0, 1633449.0, 6459740.0, -2758035.0],
              [-4294349.0, 6405564.0, 8996780.0, -815163.0, 5193859.0],
              [-1306504.0, 3544554.0, 9574991.0, -15280694.0, 14118753.0],
              [-7950254.0, -7182442.0, 14793810.0, -15304134.0, 3265629.0]]
for r in ('sum', 'mean'):
    add('%s/%s/float32/cancel-1e7/weight' % (OP, r), OP,
        [values(NLL_CANCEL, 'float32', True), values([4, 0, 1, 0, 3, 4, 1, 4, 0, 3, 4, 0, 2, 4, 1, 1, 1], 'int64'),
         values([1.0, -1.0, 0.5, 2.0, -0.7])], {'reduction': r})

# Legacy flags and the deprecated alias.
for p in product(size_average=[None, True, False], reduce=[None, True, False]):
    if p['size_average'] is None and p['reduce'] is None:
        continue
    add('%s/legacy/size_average=%s/reduce=%s' % (OP, p['size_average'], p['reduce']), OP,
        [Input((3, 4), requires_grad=True), classes((3,), 4)],
        {'size_average': p['size_average'], 'reduce': p['reduce'], 'reduction': 'sum'})
add('%s/elementwise_mean' % OP, OP, [Input((3, 4), requires_grad=True), classes((3,), 4)],
    {'reduction': 'elementwise_mean'})
add('%s/legacy-wins-over-bad-reduction' % OP, OP, [Input((3, 4), requires_grad=True), classes((3,), 4)],
    {'size_average': True, 'reduction': 'foo'})

# Errors, in PyTorch's order of checks.
E = 'nll_loss/error/'
add(E + 'bad-reduction', OP, [Input((3, 5)), classes((3,), 5)], {'reduction': 'foo'})
add(E + 'bad-reduction-before-batch', OP, [Input((3, 5)), classes((2,), 5)], {'reduction': 'avg'})
add(E + 'input-0d', OP, [Input(()), values(0, 'int64')])
add(E + 'batch-size', OP, [Input((3, 5)), classes((2,), 5)])
add(E + 'batch-size-4d', OP, [Input((2, 5, 2, 2)), classes((3, 2, 2), 5)])
add(E + 'batch-size-0d-target', OP, [Input((3, 5)), values(1, 'int64')])
add(E + 'batch-size-float-target', OP, [Input((3, 5)), Input((2,))])
for r in REDUCTIONS:
    add(E + 'out-of-bounds/%s' % r, OP, [Input((3, 5)), values([0, 1, 5], 'int64')], {'reduction': r})
    add(E + 'out-of-bounds-negative/%s' % r, OP, [Input((3, 5)), values([0, -1, 5], 'int64')], {'reduction': r})
    add(E + 'out-of-bounds-first-in-order/%s' % r, OP, [Input((3, 5)), values([9, -100, -5], 'int64')],
        {'reduction': r})
    add(E + 'out-of-bounds-4d/%s' % r, OP, [Input((2, 5, 2, 2)),
                                            values([[[0, 6], [8, 0]], [[0, 0], [0, 9]]], 'int64')], {'reduction': r})
    add(E + 'out-of-bounds-3d/%s' % r, OP, [Input((2, 5, 2)), values([[0, 7], [1, 1]], 'int64')], {'reduction': r})
    add(E + 'out-of-bounds-unbatched/%s' % r, OP, [Input((5,)), values(7, 'int64')], {'reduction': r})
    add(E + 'zero-classes/%s' % r, OP, [Input((3, 0)), values([0, 0, 0], 'int64')], {'reduction': r})
    for tdt in ['float32', 'float64', 'bool']:
        add(E + 'target-%s/%s' % (tdt, r), OP, [Input((3, 5)), Input((3,), tdt, kind='values',
                                                                    values=[0, 1, 1])], {'reduction': r})
    add(E + 'target-float32-4d/%s' % r, OP, [Input((2, 5, 2, 2)), Input((2, 2, 2), 'float32', kind='randint', lo=0,
                                                                        hi=5)], {'reduction': r})
    # An empty float target passes unless the reduction is none (the kernel returns before reading it).
    add('nll_loss/%s/target-float32-empty' % r, OP, [Input((0, 5)), Input((0,), 'float32')], {'reduction': r})
    add('nll_loss/%s/target-float32-empty-4d' % r, OP, [Input((0, 5, 2, 2)), Input((0, 2, 2), 'float32')],
        {'reduction': r})
    add(E + 'weight-float64/%s' % r, OP, [Input((3, 5)), classes((3,), 5), weight(5, 'float64')], {'reduction': r},
        module=False)
    add(E + 'weight-float64-empty/%s' % r, OP, [Input((0, 5)), classes((0,), 5), weight(5, 'float64')],
        {'reduction': r}, module=False)
    add(E + 'weight-float64-before-target-dtype/%s' % r, OP, [Input((3, 5)), Input((3,), kind='values',
                                                                                   values=[0, 1, 2]),
                                                             weight(5, 'float64')], {'reduction': r}, module=False)
    add(E + 'weight-float64-before-out-of-bounds-4d/%s' % r, OP,
        [Input((2, 5, 2, 2)), values([[[9, 9], [9, 9]], [[9, 9], [9, 9]]], 'int64'), weight(5, 'float64')],
        {'reduction': r}, module=False)
add(E + 'target-2d', OP, [Input((3, 5)), classes((3, 1), 5)])
add(E + 'target-2d-unbatched', OP, [Input((5,)), classes((5, 2), 5)])
add(E + 'size-mismatch-unbatched', OP, [Input((5,)), values([1], 'int64')])
add(E + 'size-mismatch-4d', OP, [Input((2, 5, 2, 2)), classes((2, 2, 3), 5)])
add(E + 'target-dim-4d', OP, [Input((2, 5, 2, 2)), classes((2, 4), 5)])
add(E + 'target-dim-4d-4', OP, [Input((2, 5, 2, 2)), classes((2, 2, 2, 1), 5)])
add(E + 'target-size-3d', OP, [Input((2, 5, 2)), classes((2, 3), 5)])
add(E + 'target-size-3d-rank', OP, [Input((2, 5, 2)), classes((2, 2, 1), 5)])
add(E + 'target-size-3d-1d', OP, [Input((2, 5, 2)), classes((2,), 5)])
add(E + 'target-size-5d', OP, [Input((2, 5, 2, 2, 2)), classes((2, 3, 2, 2), 5)])
add(E + 'target-size-empty-3d', OP, [Input((0, 5, 2)), classes((0, 3), 5)])
add(E + 'weight-size', OP, [Input((3, 5)), classes((3,), 5), weight(4)], module=False)
add(E + 'weight-2d', OP, [Input((3, 5)), classes((3,), 5), Input((5, 1), kind='uniform')], module=False)
add(E + 'weight-size-4d', OP, [Input((2, 5, 2, 2)), classes((2, 2, 2), 5), weight(4)], module=False)
add(E + 'weight-size-before-target-dtype', OP, [Input((3, 5)), Input((3,)), weight(4)], module=False)
add(E + 'weight-size-before-out-of-bounds', OP, [Input((3, 5)), values([9, 9, 9], 'int64'), weight(4)],
    module=False)
add(E + 'weight-int64', OP, [Input((3, 5)), classes((3,), 5), Input((5,), 'int64', kind='randint', lo=1, hi=3)],
    module=False)
add(E + 'weight-float32-input-float64', OP, [Input((3, 5), 'float64'), classes((3,), 5), weight(5)], module=False)
add(E + 'weight-requires-grad', OP, [Input((3, 5), requires_grad=True), classes((3,), 5), weight(5, requires_grad=True)],
    module=False)
add(E + 'weight-requires-grad-4d', OP, [Input((2, 3, 2, 2)), classes((2, 2, 2), 3), weight(3, requires_grad=True)],
    module=False)
add(E + 'weight-requires-grad-3d', OP, [Input((2, 3, 2)), classes((2, 2), 3), weight(3, requires_grad=True)],
    module=False)
add(E + 'weight-requires-grad-before-target-dim', OP, [Input((2, 3)), classes((2, 2), 3),
                                                      weight(3, requires_grad=True)], module=False)
add(E + 'weight-requires-grad-int-input', OP, [Input((2, 3), 'int64', kind='randint', lo=0, hi=3), classes((2,), 3),
                                              weight(3, requires_grad=True)], module=False)
add(E + 'input-int64', OP, [Input((2, 3), 'int64', kind='randint', lo=0, hi=3), classes((2,), 3)])
add(E + 'input-int64-4d', OP, [Input((2, 3, 2, 2), 'int64', kind='randint', lo=0, hi=3), classes((2, 2, 2), 3)])
add(E + 'input-bool', OP, [Input((2, 3), 'bool', kind='randint', lo=0, hi=2), classes((2,), 3)])
add(E + 'input-int64-float-target', OP, [Input((2, 3), 'int64', kind='randint', lo=0, hi=3), Input((2,))])
add(E + 'input-int64-float64-weight', OP, [Input((2, 3), 'int64', kind='randint', lo=0, hi=3), Input((2,)),
                                          weight(3, 'float64')], module=False)


# ---- cross_entropy -----------------------------------------------------------------------------------
OP = 'cross_entropy'
for p in product(reduction=REDUCTIONS, dtype=DTYPES, shapes=CLASS_SHAPES, weighted=[False, True]):
    ishape, tshape = p['shapes']
    c = class_dim(ishape)
    ins = [Input(ishape, p['dtype'], requires_grad=True), classes(tshape, c)]
    if p['weighted']:
        ins.append(weight(c, p['dtype']))
    add('%s/%s/%s/%s%s' % (OP, p['reduction'], p['dtype'], shape_tag(ishape), '/weight' if p['weighted'] else ''),
        OP, ins, {'reduction': p['reduction']}, module=not p['weighted'])

# Label smoothing with class targets.
LS_SHAPES = [((5,), ()), ((4, 5), (4,)), ((2, 3, 4), (2, 4)), ((2, 3, 2, 2), (2, 2, 2)), ((0, 4), (0,))]
for p in product(reduction=REDUCTIONS, ls=[0.1, 1.0], shapes=LS_SHAPES, weighted=[False, True]):
    ishape, tshape = p['shapes']
    c = class_dim(ishape)
    ins = [Input(ishape, 'float64', requires_grad=True), classes(tshape, c)]
    if p['weighted']:
        ins.append(weight(c, 'float64'))
    add('%s/%s/label_smoothing=%s/%s%s' % (OP, p['reduction'], p['ls'], shape_tag(ishape),
                                           '/weight' if p['weighted'] else ''),
        OP, ins, {'reduction': p['reduction'], 'label_smoothing': p['ls']}, module=not p['weighted'])
for p in product(reduction=REDUCTIONS, dtype=DTYPES, ls=[0.25, -0.5]):
    add('%s/%s/%s/label_smoothing=%s' % (OP, p['reduction'], p['dtype'], p['ls']), OP,
        [Input((3, 4), p['dtype'], requires_grad=True), classes((3,), 4)],
        {'reduction': p['reduction'], 'label_smoothing': p['ls']})

# ignore_index with and without label smoothing (PyTorch 1.13: the smoothing term is masked too and the
# mean divides both terms by the weight of the targets kept).
for p in product(reduction=REDUCTIONS, ign=IGNORE_TARGETS, weighted=[False, True], ls=[0.0, 0.3]):
    name, ii, tgt = p['ign']
    ins = [Input((5, 5), 'float64', requires_grad=True), values(tgt, 'int64')]
    if p['weighted']:
        ins.append(weight(5, 'float64'))
    kw = {'reduction': p['reduction']}
    if ii != -100:
        kw['ignore_index'] = ii
    if p['ls']:
        kw['label_smoothing'] = p['ls']
    add('%s/%s/ignore-%s%s%s' % (OP, p['reduction'], name, '/weight' if p['weighted'] else '',
                                 '/label_smoothing' if p['ls'] else ''), OP, ins, kw, module=not p['weighted'])
for p in product(reduction=REDUCTIONS, ls=[0.0, 0.2]):
    tgt = [[[0, -100], [2, 1]], [[-100, -100], [1, 1]]]
    add('%s/%s/ignore-spatial/ls=%s' % (OP, p['reduction'], p['ls']), OP,
        [Input((2, 3, 2, 2), 'float32', requires_grad=True), values(tgt, 'int64'), weight(3)],
        {'reduction': p['reduction'], 'label_smoothing': p['ls']}, module=False)
    add('%s/%s/ignore-unbatched/ls=%s' % (OP, p['reduction'], p['ls']), OP,
        [Input((5,), 'float32', requires_grad=True), values(3, 'int64')],
        {'reduction': p['reduction'], 'ignore_index': 3, 'label_smoothing': p['ls']})
    add('%s/%s/weights-zero/ls=%s' % (OP, p['reduction'], p['ls']), OP,
        [Input((2, 3), 'float64', requires_grad=True), values([0, 1], 'int64'), values([0.0, 0.0, 1.0], 'float64')],
        {'reduction': p['reduction'], 'label_smoothing': p['ls']}, module=False)

# Probability targets: gradients for input, target and weight.
PROB_SHAPES = [(5,), (4, 5), (2, 3, 4), (2, 3, 2, 2), (0, 4), (2, 3, 0)]
for p in product(reduction=REDUCTIONS, dtype=DTYPES, shape=PROB_SHAPES, weighted=[False, True]):
    shape = p['shape']
    c = class_dim(shape)
    ins = [Input(shape, p['dtype'], requires_grad=True),
           Input(shape, p['dtype'], kind='uniform', lo=0.0, hi=1.0, requires_grad=True)]
    if p['weighted']:
        ins.append(weight(c, p['dtype'], requires_grad=True))
    add('%s/%s/%s/probs/%s%s' % (OP, p['reduction'], p['dtype'], shape_tag(shape),
                                 '/weight' if p['weighted'] else ''),
        OP, ins, {'reduction': p['reduction']}, module=not p['weighted'])
for p in product(reduction=REDUCTIONS, ls=[0.2, 1.0, -0.3], weighted=[False, True]):
    ins = [Input((3, 4), 'float64', requires_grad=True),
           Input((3, 4), 'float64', kind='uniform', requires_grad=True)]
    if p['weighted']:
        ins.append(weight(4, 'float64', requires_grad=True))
    add('%s/%s/probs/label_smoothing=%s%s' % (OP, p['reduction'], p['ls'], '/weight' if p['weighted'] else ''), OP,
        ins, {'reduction': p['reduction'], 'label_smoothing': p['ls']}, module=not p['weighted'])
for r in REDUCTIONS:
    # Mixed dtypes promote the output; each gradient keeps its argument's dtype.
    add('%s/%s/probs/float32-input-float64-target' % (OP, r), OP,
        [Input((3, 4), 'float32', requires_grad=True), Input((3, 4), 'float64', kind='uniform', requires_grad=True)],
        {'reduction': r})
    add('%s/%s/probs/float32-input-float64-weight' % (OP, r), OP,
        [Input((3, 4), 'float32', requires_grad=True), Input((3, 4), 'float32', kind='uniform', requires_grad=True),
         weight(4, 'float64', requires_grad=True)], {'reduction': r}, module=False)
    add('%s/%s/probs/one-hot-spatial' % (OP, r), OP,
        [Input((2, 3, 2), requires_grad=True), values([[[1, 0], [0, 0], [0, 1]], [[0, 1], [1, 0], [0, 0]]])],
        {'reduction': r})
    add('%s/%s/probs/ignore-index-negative' % (OP, r), OP,
        [Input((2, 3), requires_grad=True), Input((2, 3), kind='uniform')], {'reduction': r, 'ignore_index': -1})

# Extreme logits: +-1e4 (a naive softmax overflows), -inf entries, a row of -inf (NaN), NaN.
LOGITS = [[1e4, -1e4, 0.0, 1.0], [-1e4, -1e4, -1e4, -1e4], [0.0, -INF, 1.0, 2.0], [-INF, -INF, -INF, -INF],
          [NAN, 0.0, 1.0, 2.0], [1e4, 1e4 - 1.0, -INF, 5.0]]
for p in product(reduction=REDUCTIONS, dtype=DTYPES):
    add('%s/%s/%s/extreme-logits' % (OP, p['reduction'], p['dtype']), OP,
        [values(LOGITS, p['dtype'], True), values([1, 2, 2, 0, 1, 0], 'int64')], {'reduction': p['reduction']})
    add('%s/%s/%s/extreme-logits-inf-target' % (OP, p['reduction'], p['dtype']), OP,
        [values(LOGITS[:3], p['dtype'], True), values([1, 0, 1], 'int64')], {'reduction': p['reduction']})
    add('%s/%s/%s/extreme-logits/label_smoothing' % (OP, p['reduction'], p['dtype']), OP,
        [values([LOGITS[0], LOGITS[1], LOGITS[5]], p['dtype'], True), values([1, 2, 0], 'int64')],
        {'reduction': p['reduction'], 'label_smoothing': 0.1})
    # Equal logits of 1e30: max + log(sum) absorbs log(sum), so the smoothing sum must add the log-probabilities.
    add('%s/%s/%s/extreme-logits/label_smoothing-1e30' % (OP, p['reduction'], p['dtype']), OP,
        [values([[1e30, 1e30, 1e30, 1e30], [-1e30, 5.0, 1e30, 0.0]], p['dtype'], True), values([1, 2], 'int64')],
        {'reduction': p['reduction'], 'label_smoothing': 0.1})
    add('%s/%s/%s/extreme-logits/probs' % (OP, p['reduction'], p['dtype']), OP,
        [values([LOGITS[0], LOGITS[1], LOGITS[5]], p['dtype'], True),
         values([[0.5, 0.5, 0, 0], [0.25, 0.25, 0.25, 0.25], [1.0, 0, 0, 0]], p['dtype'], True)],
        {'reduction': p['reduction']})
    add('%s/%s/%s/extreme-logits/probs-zero-at-neg-inf' % (OP, p['reduction'], p['dtype']), OP,
        [values([LOGITS[2]], p['dtype'], True), values([[0.5, 0.0, 0.5, 0.0]], p['dtype'], True)],
        {'reduction': p['reduction']})

for p in product(size_average=[None, True, False], reduce=[None, True, False]):
    if p['size_average'] is None and p['reduce'] is None:
        continue
    add('%s/legacy/size_average=%s/reduce=%s' % (OP, p['size_average'], p['reduce']), OP,
        [Input((3, 4), requires_grad=True), classes((3,), 4)],
        {'size_average': p['size_average'], 'reduce': p['reduce'], 'reduction': 'sum', 'label_smoothing': 0.1})
add('%s/elementwise_mean' % OP, OP, [Input((3, 4), requires_grad=True), classes((3,), 4)],
    {'reduction': 'elementwise_mean'})

E = 'cross_entropy/error/'
add(E + 'bad-reduction', OP, [Input((3, 5)), classes((3,), 5)], {'reduction': 'foo'})
add(E + 'bad-reduction-before-label-smoothing', OP, [Input((3, 5)), classes((3,), 5)],
    {'reduction': 'foo', 'label_smoothing': 1.5})
for ls in [1.5, 2.0, 1.0000001, 1.25e10]:
    add(E + 'label-smoothing-%s' % ls, OP, [Input((3, 5)), classes((3,), 5)], {'label_smoothing': ls})
add(E + 'label-smoothing-before-batch', OP, [Input((3, 5)), classes((2,), 5)], {'label_smoothing': 1.5})
add(E + 'label-smoothing-probs', OP, [Input((3, 5)), Input((3, 5), kind='uniform')], {'label_smoothing': 1.5})
add(E + 'label-smoothing-probs-after-input-dtype', OP,
    [Input((3, 5), 'int64', kind='randint', lo=0, hi=3), Input((3, 5), kind='uniform')], {'label_smoothing': 2.0})
add(E + 'input-0d', OP, [Input(()), values(1, 'int64')])
add(E + 'input-0d-float-target', OP, [Input(()), Input(())])
add(E + 'input-0d-1d-target', OP, [Input(()), values([0], 'int64')])
add(E + 'input-0d-1d-target-label-smoothing', OP, [Input(()), values([0], 'int64')], {'label_smoothing': 0.1})
add(E + 'input-int64', OP, [Input((3, 5), 'int64', kind='randint', lo=0, hi=3), classes((3,), 5)])
add(E + 'input-int64-4d', OP, [Input((2, 3, 2, 2), 'int64', kind='randint', lo=0, hi=3), classes((2, 2, 2), 3)])
add(E + 'input-int64-3d', OP, [Input((2, 3, 2), 'int64', kind='randint', lo=0, hi=3), classes((2, 2), 3)])
add(E + 'input-int64-unbatched', OP, [Input((3,), 'int64', kind='randint', lo=0, hi=3), values(0, 'int64')])
add(E + 'input-bool', OP, [Input((2, 3), 'bool', kind='randint', lo=0, hi=2), classes((2,), 3)])
add(E + 'input-int64-probs', OP, [Input((3, 5), 'int64', kind='randint', lo=0, hi=3), Input((3, 5))])
add(E + 'input-int64-probs-4d', OP, [Input((2, 3, 2, 2), 'int64', kind='randint', lo=0, hi=3),
                                     Input((2, 3, 2, 2))])
add(E + 'probs-int64-target', OP, [Input((3, 5)), classes((3, 5), 5)])
add(E + 'probs-bool-target', OP, [Input((3, 5)), Input((3, 5), 'bool', kind='randint', lo=0, hi=2)])
for ii in [0, 1, 7]:
    add(E + 'probs-ignore-index-%d' % ii, OP, [Input((3, 5)), Input((3, 5), kind='uniform')], {'ignore_index': ii})
add(E + 'probs-ignore-index-unbatched', OP, [Input((5,)), Input((5,), kind='uniform')], {'ignore_index': 0})
add(E + 'probs-weight-size', OP, [Input((3, 5)), Input((3, 5), kind='uniform'), weight(4)], module=False)
add(E + 'probs-weight-2d', OP, [Input((3, 5)), Input((3, 5), kind='uniform'), Input((5, 1), kind='uniform')],
    module=False)
add(E + 'probs-weight-size-before-input-dtype', OP,
    [Input((3, 5), 'int64', kind='randint', lo=0, hi=3), Input((3, 5), kind='uniform'), weight(4)], module=False)
add(E + 'probs-shape', OP, [Input((3, 5)), Input((3, 4), kind='uniform')])
add(E + 'probs-batch', OP, [Input((3, 5)), Input((2, 5), kind='uniform')])
add(E + 'float-target-wrong-shape', OP, [Input((3, 5)), Input((3,))])
add(E + 'float-target-wrong-shape-label-smoothing', OP, [Input((3, 5)), Input((3,))], {'label_smoothing': 0.1})
for ls in [0.0, 0.1]:
    for r in REDUCTIONS:
        add(E + 'out-of-bounds/ls=%s/%s' % (ls, r), OP, [Input((3, 5)), values([0, 7, 1], 'int64')],
            {'reduction': r, 'label_smoothing': ls})
    add(E + 'batch/ls=%s' % ls, OP, [Input((3, 5)), classes((2,), 5)], {'label_smoothing': ls})
    add(E + 'weight-size/ls=%s' % ls, OP, [Input((3, 5)), classes((3,), 5), weight(3)], {'label_smoothing': ls},
        module=False)
    add(E + 'weight-float64/ls=%s' % ls, OP, [Input((3, 5)), classes((3,), 5), weight(5, 'float64')],
        {'label_smoothing': ls}, module=False)
    add(E + 'weight-requires-grad/ls=%s' % ls, OP, [Input((3, 5), requires_grad=True), classes((3,), 5),
                                                   weight(5, requires_grad=True)], {'label_smoothing': ls},
        module=False)
    add(E + 'target-size-3d/ls=%s' % ls, OP, [Input((2, 5, 2)), classes((2, 3), 5)], {'label_smoothing': ls})
    add(E + 'size-mismatch-unbatched/ls=%s' % ls, OP, [Input((5,)), classes((3,), 5)], {'label_smoothing': ls})
    add(E + 'target-2d-unbatched/ls=%s' % ls, OP, [Input((5,)), classes((5, 1), 5)], {'label_smoothing': ls})


# ---- multi_margin_loss -------------------------------------------------------------------------------
OP = 'multi_margin_loss'
# (input shape, target shape); PyTorch leaves the mean/sum of an empty batch uninitialised, so empty
# inputs are recorded with reduction none only.
MM_SHAPES = [((5,), ()), ((5,), (1,)), ((4, 5), (4,)), ((1, 3), (1,)), ((1, 3), ()), ((), ()), ((), (1,)),
             ((6, 2), (6,))]


def mm_inputs(ishape, tshape, dtype, p, margin, weighted):
    c = 1 if len(ishape) == 0 else ishape[-1]
    ins = [Input(ishape, dtype, requires_grad=True), classes(tshape, c)]
    if weighted:
        ins += [values(p, 'int64'), values(margin, 'float64'), weight(c, dtype)]
    return ins


for q in product(reduction=REDUCTIONS, dtype=DTYPES, shapes=MM_SHAPES, p=[1, 2]):
    ishape, tshape = q['shapes']
    add('%s/%s/%s/p=%d/%s-%s' % (OP, q['reduction'], q['dtype'], q['p'], shape_tag(ishape), shape_tag(tshape)), OP,
        mm_inputs(ishape, tshape, q['dtype'], q['p'], 1.0, False), {'reduction': q['reduction'], 'p': q['p']})
for q in product(reduction=REDUCTIONS, dtype=DTYPES, p=[1, 2], margin=[0.5, 0.0, -0.25, 2.5]):
    add('%s/%s/%s/p=%d/margin=%s' % (OP, q['reduction'], q['dtype'], q['p'], q['margin']), OP,
        mm_inputs((4, 5), (4,), q['dtype'], q['p'], q['margin'], False),
        {'reduction': q['reduction'], 'p': q['p'], 'margin': q['margin']})
for q in product(reduction=REDUCTIONS, dtype=DTYPES, p=[1, 2], margin=[1.0, 0.5],
                 shapes=[((4, 5), (4,)), ((5,), ()), ((5,), (1,))]):
    ishape, tshape = q['shapes']
    add('%s/%s/%s/p=%d/margin=%s/weight/%s-%s' % (OP, q['reduction'], q['dtype'], q['p'], q['margin'],
                                                  shape_tag(ishape), shape_tag(tshape)), OP,
        mm_inputs(ishape, tshape, q['dtype'], q['p'], q['margin'], True), {'reduction': q['reduction']}, module=False)
for q in product(dtype=DTYPES, p=[1, 2]):
    add('%s/none/%s/p=%d/empty' % (OP, q['dtype'], q['p']), OP, mm_inputs((0, 5), (0,), q['dtype'], q['p'], 1.0,
                                                                          False), {'reduction': 'none', 'p': q['p']})
add('%s/none/empty-float-target' % OP, OP, [Input((0, 5), requires_grad=True), Input((0,))], {'reduction': 'none'})
add('%s/mean/p=2.0-float' % OP, OP, mm_inputs((3, 4), (3,), 'float32', 2, 1.0, False), {'p': 2.0})

# Ties with the margin, non-finite and large inputs (a NaN margin term counts as not positive).
MM_SPECIAL = [[0.0, 1.0, -1.0, 0.5], [NAN, 0.0, 1.0, 2.0], [0.0, INF, 1.0, -INF], [1e4, -1e4, 0.0, 1e4],
              [0.0, 0.0, NAN, 0.0]]
for q in product(reduction=REDUCTIONS, dtype=DTYPES, p=[1, 2]):
    add('%s/%s/%s/p=%d/nan-inf' % (OP, q['reduction'], q['dtype'], q['p']), OP,
        [values(MM_SPECIAL, q['dtype'], True), values([1, 0, 3, 2, 1], 'int64')],
        {'reduction': q['reduction'], 'p': q['p']})
    add('%s/%s/%s/p=%d/large' % (OP, q['reduction'], q['dtype'], q['p']), OP,
        [Input((3, 4), q['dtype'], kind='uniform', lo=-1e4, hi=1e4, requires_grad=True), classes((3,), 4)],
        {'reduction': q['reduction'], 'p': q['p']})

for q in product(size_average=[None, True, False], reduce=[None, True, False]):
    if q['size_average'] is None and q['reduce'] is None:
        continue
    add('%s/legacy/size_average=%s/reduce=%s' % (OP, q['size_average'], q['reduce']), OP,
        [Input((3, 4), requires_grad=True), classes((3,), 4)],
        {'size_average': q['size_average'], 'reduce': q['reduce'], 'reduction': 'sum', 'margin': 0.7})
add('%s/elementwise_mean' % OP, OP, [Input((3, 4), requires_grad=True), classes((3,), 4)],
    {'reduction': 'elementwise_mean'})

E = 'multi_margin_loss/error/'
for pv in [3, 0, 1.5, -1]:
    add(E + 'p=%s' % pv, OP, [Input((3, 4)), classes((3,), 4)], {'p': pv})
add(E + 'bad-reduction', OP, [Input((3, 4)), classes((3,), 4)], {'reduction': 'x'})
add(E + 'bad-reduction-before-p', OP, [Input((3, 4)), classes((3,), 4)], {'reduction': 'x', 'p': 3})
add(E + 'input-3d', OP, [Input((2, 3, 4)), classes((2,), 3)])
add(E + 'zero-classes', OP, [Input((3, 0)), classes((3,), 1)])
add(E + 'zero-classes-unbatched', OP, [Input((0,)), values(0, 'int64')])
for r in REDUCTIONS:
    add(E + 'out-of-range/%s' % r, OP, [Input((3, 5)), values([0, 1, 5], 'int64')], {'reduction': r})
    add(E + 'out-of-range-negative/%s' % r, OP, [Input((3, 5)), values([0, -1, 1], 'int64')], {'reduction': r})
    add(E + 'target-float32/%s' % r, OP, [Input((3, 5)), Input((3,), kind='values', values=[0, 1, 1])],
        {'reduction': r})
add(E + 'out-of-range-unbatched', OP, [Input((5,)), values(5, 'int64')])
add(E + 'target-size', OP, [Input((3, 5)), classes((2,), 5)])
add(E + 'target-2d', OP, [Input((3, 5)), classes((3, 1), 5)])
add(E + 'target-size-unbatched', OP, [Input((5,)), classes((2,), 5)])
add(E + 'target-size-float-target', OP, [Input((3, 5)), Input((2,))])
add(E + 'target-bool', OP, [Input((3, 5)), Input((3,), 'bool', kind='randint', lo=0, hi=2)])
add(E + 'target-float64-before-weight-dtype', OP, [Input((3, 5)), Input((3,), 'float64'), values(1, 'int64'),
                                                   values(1.0, 'float64'), weight(5, 'float64')], module=False)
add(E + 'input-int64', OP, [Input((3, 5), 'int64', kind='randint', lo=0, hi=3), classes((3,), 5)])
add(E + 'input-int64-float-target', OP, [Input((3, 5), 'int64', kind='randint', lo=0, hi=3), Input((3,))])
add(E + 'input-int64-bad-target-size', OP, [Input((3, 5), 'int64', kind='randint', lo=0, hi=3), Input((2,))])
add(E + 'weight-2d', OP, [Input((3, 5)), classes((3,), 5), values(1, 'int64'), values(1.0, 'float64'),
                          Input((5, 1), kind='uniform')], module=False)
add(E + 'weight-0d', OP, [Input((3, 5)), classes((3,), 5), values(1, 'int64'), values(1.0, 'float64'),
                          values(1.0)], module=False)
add(E + 'weight-2d-before-p', OP, [Input((3, 5)), classes((3,), 5), values(3, 'int64'), values(1.0, 'float64'),
                                   Input((5, 1), kind='uniform')], module=False)
add(E + 'weight-float64', OP, [Input((3, 5)), classes((3,), 5), values(1, 'int64'), values(1.0, 'float64'),
                               weight(5, 'float64')], module=False)
add(E + 'weight-float64-before-out-of-range', OP, [Input((3, 5)), values([9, 9, 9], 'int64'), values(1, 'int64'),
                                                   values(1.0, 'float64'), weight(5, 'float64')], module=False)
add(E + 'weight-requires-grad', OP, [Input((3, 5), requires_grad=True), classes((3,), 5), values(1, 'int64'),
                                     values(1.0, 'float64'), weight(5, requires_grad=True)], module=False)
add(E + 'weight-requires-grad-before-shape', OP, [Input((3, 5)), classes((2,), 5), values(2, 'int64'),
                                                  values(1.0, 'float64'), weight(5, requires_grad=True)],
    module=False)


# ---- multilabel_margin_loss --------------------------------------------------------------------------
OP = 'multilabel_margin_loss'


def label_rows(seed, n, c):
    """n rows of c entries: a random set of distinct classes, then -1, then leftovers that must be ignored."""
    import random
    rnd = random.Random(seed)
    rows = []
    for _ in range(n):
        k = rnd.randint(0, c)
        perm = rnd.sample(range(c), c)
        row = perm[:k] + ([-1] if k < c else [])
        while len(row) < c:
            row.append(rnd.randrange(c))
        rows.append(row)
    return rows


MLM_SHAPES = [(5,), (4, 5), (1, 3), (6, 1), (3, 7)]
for i, q in enumerate(product(reduction=REDUCTIONS, dtype=DTYPES, shape=MLM_SHAPES, seed=[1, 2])):
    shape = q['shape']
    rows = label_rows(hash((q['seed'], shape)) % 1000 + i, 1 if len(shape) == 1 else shape[0], shape[-1])
    tgt = rows[0] if len(shape) == 1 else rows
    add('%s/%s/%s/%s/seed=%d' % (OP, q['reduction'], q['dtype'], shape_tag(shape), q['seed']), OP,
        [Input(shape, q['dtype'], requires_grad=True), values(tgt, 'int64')], {'reduction': q['reduction']})
MLM_TARGETS = [
    ('duplicates', [[1, 1, 2, -1], [3, 3, 3, 3]]),
    ('no-labels', [[-1, 0, 1, 2], [-1, -1, -1, -1]]),
    ('all-labels', [[0, 1, 2, 3], [3, 2, 1, 0]]),
    ('after-terminator', [[2, -1, 0, 1], [0, -1, 3, 3]]),
]
for q in product(reduction=REDUCTIONS, dtype=DTYPES, t=MLM_TARGETS):
    name, tgt = q['t']
    add('%s/%s/%s/%s' % (OP, q['reduction'], q['dtype'], name), OP,
        [Input((2, 4), q['dtype'], requires_grad=True), values(tgt, 'int64')], {'reduction': q['reduction']})
for q in product(reduction=REDUCTIONS, dtype=DTYPES):
    add('%s/%s/%s/scalar' % (OP, q['reduction'], q['dtype']), OP,
        [Input((), q['dtype'], requires_grad=True), values(0, 'int64')], {'reduction': q['reduction']})
    add('%s/%s/%s/scalar-1d-target' % (OP, q['reduction'], q['dtype']), OP,
        [Input((), q['dtype'], requires_grad=True), values([-1], 'int64')], {'reduction': q['reduction']})
    add('%s/%s/%s/nan-inf' % (OP, q['reduction'], q['dtype']), OP,
        [values([[0.0, NAN, 1.0, 2.0], [INF, 0.0, -INF, 1.0], [1e4, -1e4, 0.0, 0.5]], q['dtype'], True),
         values([[0, 1, -1, 0], [2, 0, -1, 0], [1, -1, 0, 0]], 'int64')], {'reduction': q['reduction']})
    add('%s/%s/%s/large' % (OP, q['reduction'], q['dtype']), OP,
        [Input((3, 4), q['dtype'], kind='uniform', lo=-1e4, hi=1e4, requires_grad=True),
         values([[0, 3, -1, 1], [1, -1, 1, 1], [2, 1, 0, -1]], 'int64')], {'reduction': q['reduction']})
for dt in DTYPES:
    add('%s/none/%s/empty' % (OP, dt), OP, [Input((0, 5), dt, requires_grad=True), Input((0, 5), 'int64')],
        {'reduction': 'none'})
add('%s/none/empty-float-target' % OP, OP, [Input((0, 5), requires_grad=True), Input((0, 5))], {'reduction': 'none'})
for q in product(size_average=[None, True, False], reduce=[None, True, False]):
    if q['size_average'] is None and q['reduce'] is None:
        continue
    add('%s/legacy/size_average=%s/reduce=%s' % (OP, q['size_average'], q['reduce']), OP,
        [Input((3, 4), requires_grad=True), values([[0, 3, -1, 1], [1, -1, 1, 1], [2, 1, 0, -1]], 'int64')],
        {'size_average': q['size_average'], 'reduce': q['reduce'], 'reduction': 'sum'})
add('%s/elementwise_mean' % OP, OP, [Input((2, 3), requires_grad=True), values([[0, -1, 0], [1, 2, -1]], 'int64')],
    {'reduction': 'elementwise_mean'})

E = 'multilabel_margin_loss/error/'
add(E + 'bad-reduction', OP, [Input((2, 3)), values([[0, -1, 0], [1, 2, -1]], 'int64')], {'reduction': 'x'})
add(E + 'input-3d', OP, [Input((2, 3, 4)), Input((2, 3, 4), 'int64', kind='randint', lo=0, hi=3)])
add(E + 'zero-classes', OP, [Input((3, 0)), Input((3, 0), 'int64')])
add(E + 'zero-classes-unbatched', OP, [Input((0,)), Input((0,), 'int64')])
add(E + 'target-size', OP, [Input((3, 5)), Input((3, 4), 'int64', kind='randint', lo=0, hi=3)])
add(E + 'target-size-unbatched', OP, [Input((5,)), Input((4,), 'int64', kind='randint', lo=0, hi=3)])
add(E + 'target-2d-unbatched', OP, [Input((5,)), Input((1, 5), 'int64', kind='randint', lo=0, hi=3)])
add(E + 'target-1d-batched', OP, [Input((1, 5)), Input((5,), 'int64', kind='randint', lo=0, hi=3)])
add(E + 'target-scalar-input-2', OP, [Input(()), Input((2,), 'int64', kind='randint', lo=0, hi=1)])
for r in REDUCTIONS:
    add(E + 'out-of-range/%s' % r, OP, [Input((2, 4)), values([[0, 1, 4, -1], [0, -1, 0, 0]], 'int64')],
        {'reduction': r})
    add(E + 'out-of-range-negative/%s' % r, OP, [Input((2, 4)), values([[0, 1, -2, -1], [0, -1, 0, 0]], 'int64')],
        {'reduction': r})
    add(E + 'out-of-range-after-terminator/%s' % r, OP,
        [Input((2, 4)), values([[0, -1, 7, 1], [0, -1, 0, 0]], 'int64')], {'reduction': r})
    add(E + 'target-float32/%s' % r, OP, [Input((2, 3)), values([[0, -1, 0], [1, 2, -1]], 'float32')],
        {'reduction': r})
add(E + 'target-float-out-of-range', OP, [Input((2, 3)), values([[5.0, 5.0, 5.0], [5.0, 5.0, 5.0]])])
add(E + 'target-bool', OP, [Input((2, 3)), Input((2, 3), 'bool', kind='randint', lo=0, hi=2)])
add(E + 'input-int64', OP, [Input((2, 3), 'int64', kind='randint', lo=0, hi=3),
                            values([[0, -1, 0], [1, 2, -1]], 'int64')])
add(E + 'input-int64-float-target', OP, [Input((2, 3), 'int64', kind='randint', lo=0, hi=3),
                                         values([[0, -1, 0], [1, 2, -1]], 'float32')])
add(E + 'input-int64-out-of-range', OP, [Input((2, 3), 'int64', kind='randint', lo=0, hi=3),
                                         values([[0, -1, 0], [1, 2, 3]], 'int64')])

# ---- float16, bfloat16 and int32 -----------------------------------------------------------------------------
# PyTorch's CPU computes nll_loss and cross_entropy in float16/bfloat16 (float32 inside, rounded to the dtype),
# refuses them for the margin losses, and takes only int64 (or uint8) class indices: int32 is an error.
# cross_entropy of (N, C) logits against class indices rounds as PyTorch's log_softmax and NLL kernels do in the
# dtype, and loss4j mirrors them (a batch of 40 runs the NLL kernel's cascade of partial sums past one level),
# label smoothing included, for (C), (N, C) and K-dimensional logits (nll_loss2d's cascade runs over the
# positions; 8x6x10 has 80 of them), against class indices or probabilities.
for p in product(reduction=REDUCTIONS, dtype=['float16', 'bfloat16']):
    r, dt = p['reduction'], p['dtype']
    for n, c in [(4, 5), (40, 10)]:
        logits = Input((n, c), dt, requires_grad=True)
        add('cross_entropy/%s/%s/%dx%d' % (r, dt, n, c), 'cross_entropy', [logits, classes((n,), c)],
            {'reduction': r})
        add('cross_entropy/%s/%s/%dx%d/weight' % (r, dt, n, c), 'cross_entropy',
            [Input((n, c), dt, requires_grad=True), classes((n,), c), weight(c, dt)], {'reduction': r})
    for ls in [0.1, 0.3]:
        add('cross_entropy/%s/%s/40x10/label_smoothing=%s' % (r, dt, ls), 'cross_entropy',
            [Input((40, 10), dt, requires_grad=True), classes((40,), 10)], {'reduction': r, 'label_smoothing': ls})
        add('cross_entropy/%s/%s/40x10/label_smoothing=%s/weight/ignore_index=2' % (r, dt, ls), 'cross_entropy',
            [Input((40, 10), dt, requires_grad=True), classes((40,), 10), weight(10, dt)],
            {'reduction': r, 'label_smoothing': ls, 'ignore_index': 2})
    for ishape, tshape in [((5,), ()), ((2, 3, 4), (2, 4)), ((2, 3, 2, 2), (2, 2, 2)), ((2, 3, 2, 1, 2), (2, 2, 1, 2)),
                           ((8, 6, 10), (8, 10)), ((3, 5, 4, 6), (3, 4, 6))]:
        c, tag = class_dim(ishape), shape_tag(ishape)
        add('cross_entropy/%s/%s/%s' % (r, dt, tag), 'cross_entropy',
            [Input(ishape, dt, requires_grad=True), classes(tshape, c)], {'reduction': r})
        add('cross_entropy/%s/%s/%s/weight/ignore_index=1' % (r, dt, tag), 'cross_entropy',
            [Input(ishape, dt, requires_grad=True), classes(tshape, c), weight(c, dt)],
            {'reduction': r, 'ignore_index': 1})
        add('cross_entropy/%s/%s/%s/label_smoothing=0.2/weight' % (r, dt, tag), 'cross_entropy',
            [Input(ishape, dt, requires_grad=True), classes(tshape, c), weight(c, dt)],
            {'reduction': r, 'label_smoothing': 0.2})
        add('cross_entropy/%s/%s/%s/label_smoothing=0.1/ignore_index=2' % (r, dt, tag), 'cross_entropy',
            [Input(ishape, dt, requires_grad=True), classes(tshape, c)],
            {'reduction': r, 'label_smoothing': 0.1, 'ignore_index': 2})
        add('nll_loss/%s/%s/%s/weight/ignore_index=1' % (r, dt, tag), 'nll_loss',
            [Input(ishape, dt, requires_grad=True), classes(tshape, c), weight(c, dt)],
            {'reduction': r, 'ignore_index': 1})
    # Probability targets: log_softmax, then lp * t (* w) rounded op by op, a wide sum; gradients for the input,
    # the target and the weight.
    for shape in [(5,), (4, 5), (40, 10), (2, 3, 4), (3, 5, 4, 6), (0, 4)]:
        c, tag = class_dim(shape), shape_tag(shape)
        for ls in [0.0, 0.2]:
            for weighted in [False, True]:
                ins = [Input(shape, dt, requires_grad=True),
                       Input(shape, dt, kind='uniform', lo=0.0, hi=1.0, requires_grad=True)]
                if weighted:
                    ins.append(weight(c, dt, requires_grad=True))
                kw = {'reduction': r}
                if ls:
                    kw['label_smoothing'] = ls
                add('cross_entropy/%s/%s/probs/%s%s%s' % (r, dt, tag, '/label_smoothing=%s' % ls if ls else '',
                                                          '/weight' if weighted else ''),
                    'cross_entropy', ins, kw, module=not weighted)
    add('cross_entropy/%s/%s/6x4/ignore_index=1/weight' % (r, dt), 'cross_entropy',
        [Input((6, 4), dt, kind='uniform', lo=-6, hi=6, requires_grad=True), values([1, 0, 3, 1, 2, 1], 'int64'),
         weight(4, dt)], {'reduction': r, 'ignore_index': 1})
    add('nll_loss/%s/%s/4x5' % (r, dt), 'nll_loss', [Input((4, 5), dt, requires_grad=True), classes((4,), 5)],
        {'reduction': r})
    add('nll_loss/%s/%s/4x5/weight' % (r, dt), 'nll_loss',
        [Input((4, 5), dt, requires_grad=True), classes((4,), 5), weight(5, dt)], {'reduction': r})
    # Batches of 64 and 300 run the NLL kernel's cascade of partial sums in the dtype past one and two levels,
    # where one rounding at the end would give another total weight, and so other gradients.
    for n in (64, 300):
        add('nll_loss/%s/%s/%dx10/weight' % (r, dt, n), 'nll_loss',
            [Input((n, 10), dt, requires_grad=True), classes((n,), 10), weight(10, dt)], {'reduction': r})
        add('nll_loss/%s/%s/%dx10/ignore_index=3' % (r, dt, n), 'nll_loss',
            [Input((n, 10), dt, requires_grad=True), classes((n,), 10)], {'reduction': r, 'ignore_index': 3})
    add('nll_loss/%s/%s/7/weight' % (r, dt), 'nll_loss',
        [Input((7,), dt, requires_grad=True), values(4, 'int64'), weight(7, dt)], {'reduction': r})
    add('multi_margin_loss/error/%s/%s' % (r, dt), 'multi_margin_loss',
        [Input((4, 5), dt, requires_grad=True), classes((4,), 5)], {'reduction': r})
    add('multilabel_margin_loss/error/%s/%s' % (r, dt), 'multilabel_margin_loss',
        [Input((4, 5), dt, requires_grad=True), values([[0, 1, -1, 0, 0]] * 4, 'int64')], {'reduction': r})
for op in ('nll_loss', 'cross_entropy', 'multi_margin_loss'):
    add('%s/error/int32-target' % op, op, [Input((4, 5), requires_grad=True), classes((4,), 5, 'int32')])
add('multilabel_margin_loss/error/int32-target', 'multilabel_margin_loss',
    [Input((4, 5), requires_grad=True), values([[0, 1, -1, 0, 0]] * 4, 'int32')])
