# loss4j example: the torch ops hand-written losses are built from (advanced indexing, scatter, scatter_reduce,
# one_hot, normalize, maximum, sort, cumsum, einsum, cdist, pdist, pad, conv2d, avg_pool2d, interpolate, bitwise
# ops, ...), over dtypes and shapes, with gradients, errors and warnings: one line per case (values to 5
# significant digits, or the error). Recorded from PyTorch; ScriptOutputTest compares the shim's output line for
# line.
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

out = []


def rec(name, fn):
    try:
        r = fn()
        if isinstance(r, torch.Tensor):
            out.append([name, str(r.dtype), list(r.shape), r.detach().reshape(-1).tolist() if r.numel() else [],
                        r.grad_fn.name() if r.grad_fn else None])
        elif isinstance(r, (tuple, list)) and r and all(isinstance(t, torch.Tensor) for t in r):
            for k, t in enumerate(r):
                rec('%s[%d]' % (name, k), lambda: t)
        else:
            out.append([name, repr(r)])
    except Exception as e:
        out.append([name, type(e).__name__, str(e)])


def mk(shape, dt, seed=0):
    n = 1
    for s in shape:
        n *= s
    vals = [((i * 37 + seed * 11) % 13 - 6) * 0.29 for i in range(n)]
    if dt is torch.int64:
        vals = [int(v * 3) for v in vals]
    if dt is torch.bool:
        vals = [v > 0 for v in vals]
    return torch.tensor(vals, dtype=dt).reshape(shape) if shape else torch.tensor(vals[0], dtype=dt)


def grad_of(f, *shapes, dt=torch.float64):
    """The gradient of sum(f(xs) * weights) with respect to each input: checks backward with distinct weights."""
    def run():
        xs = [mk(s, dt, k).requires_grad_() for k, s in enumerate(shapes)]
        y = f(*xs)
        if isinstance(y, tuple):
            y = y[0]
        w = torch.arange(1.0, y.numel() + 1, dtype=y.dtype).reshape(y.shape) if y.numel() else torch.ones_like(y)
        (y * w).sum().backward()
        return tuple(x.grad if x.grad is not None else torch.zeros(0) for x in xs)
    return run


fl = (torch.float32, torch.float64)
dts = (torch.float32, torch.float64, torch.int64, torch.bool)

# ---- advanced indexing: read --------------------------------------------------------------------
i = torch.tensor([0, 2])
j = torch.tensor([1, 0])
keys = {
    'long': lambda x: x[i],
    'long-neg': lambda x: x[torch.tensor([-1, 0, -2])],
    'long2d': lambda x: x[torch.tensor([[0, 1], [2, 0]])],
    'list': lambda x: x[[0, 2, 2]],
    'pair': lambda x: x[i, j],
    'slice-long': lambda x: x[:, j],
    'long-slice': lambda x: x[i, 1:],
    'int-long': lambda x: x[1, j],
    'mask': lambda x: x[x > 0],
    'mask-row': lambda x: x[torch.tensor([True, False, True])],
    'mask-col': lambda x: x[:, torch.tensor([False, True, True, False])],
    'ellipsis': lambda x: x[..., j],
    'none': lambda x: x[None, i],
    'bcast': lambda x: x[torch.tensor([[0], [2]]), torch.tensor([1, 3])],
    'true': lambda x: x[True],
    'false': lambda x: x[torch.tensor(False)],
}
for name, f in keys.items():
    for dt in dts:
        rec('index %s %s' % (name, dt), lambda: f(mk((3, 4), dt)))
    rec('grad index %s' % name, grad_of(f, (3, 4)))
x3 = mk((2, 3, 4), torch.float32)
rec('index 3d apart', lambda: x3[i[:1], :, j])
rec('index 3d adjacent', lambda: x3[:, j, torch.tensor([3, 1])])
rec('index 3d int-slice-long', lambda: x3[0, :, i])
rec('index 3d mask2', lambda: x3[x3[:, :, 0] > 0])
rec('grad index 3d apart', grad_of(lambda x: x[torch.tensor([1]), :, j], (2, 3, 4)))
for name, f in {'oob': lambda x: x[torch.tensor([3])], 'oob-neg': lambda x: x[torch.tensor([-4])],
                'float': lambda x: x[torch.tensor([0.0])], 'mask-shape': lambda x: x[torch.tensor([True, False])],
                'mask-shape2': lambda x: x[torch.ones(3, 3, dtype=torch.bool)], 'too-many': lambda x: x[0, 1, i],
                'bcast-fail': lambda x: x[torch.tensor([0, 1]), torch.tensor([0, 1, 2])]}.items():
    rec('index error %s' % name, lambda: f(mk((3, 4), torch.float32)))

# ---- advanced indexing: write -------------------------------------------------------------------
def put(key, value, dt=torch.float32):
    def run():
        x = mk((3, 4), dt)
        x[key] = value
        return x
    return run


m = mk((3, 4), torch.float32) > 0
for dt in dts:
    rec('setitem mask %s' % dt, put(m, 0, dt))
    rec('setitem long %s' % dt, put(i, 1, dt))
rec('setitem mask tensor', put(m, torch.arange(float(int(m.sum())))))
rec('setitem long row', put(i, torch.tensor([9.0, 8.0, 7.0, 6.0])))
rec('setitem pair', put((i, j), torch.tensor([5.0, 6.0])))
rec('setitem double into float', put(i, torch.tensor(2.5, dtype=torch.float64)))
rec('setitem slice', put((slice(None), 1), -1.0))
rec('setitem int', put((0, 1), 7.5))
rec('setitem shape error', put(i, torch.ones(3)))
rec('setitem mask error', put(m, torch.ones(2)))


def put_grad(key, values_shape):
    def run():
        x = mk((3, 4), torch.float64).requires_grad_()
        v = mk(values_shape, torch.float64, 1).requires_grad_()
        y = x * 2
        y[key] = v
        w = torch.arange(1.0, 13.0, dtype=torch.float64).reshape(3, 4)
        (y * w).sum().backward()
        return y, x.grad, v.grad
    return run


rec('grad setitem mask', put_grad(m, (int(m.sum()),)))
rec('grad setitem long', put_grad(i, (4,)))
rec('grad setitem scalar', put_grad(i, ()))
rec('grad setitem slice', put_grad((slice(None), 2), (3,)))


def leaf_put():
    x = torch.zeros(3, requires_grad=True)
    x[0] = 1.0
    return x


rec('setitem leaf error', leaf_put)
for acc in (False, True):
    rec('index_put acc=%s' % acc, lambda: mk((3, 4), torch.float32).index_put((torch.tensor([0, 0, 2]),),
                                                                          torch.ones(4), accumulate=acc))
    rec('grad index_put acc=%s' % acc, grad_of(lambda x, v: x.index_put((torch.tensor([0, 2]), torch.tensor([1, 3])), v,
                                                                        accumulate=acc), (3, 4), (2,)))


def index_put_inplace():
    x = mk((3, 4), torch.float32)
    x.index_put_((torch.tensor([1]),), torch.tensor(3.0))
    return x


rec('index_put_', index_put_inplace)
rec('index_put dtype', lambda: mk((3, 4), torch.float32).index_put((i,), torch.ones(4, dtype=torch.float64)))
for dt in dts:
    rec('masked_select %s' % dt, lambda: torch.masked_select(mk((3, 4), dt), m))
rec('masked_select bcast', lambda: mk((3, 4), torch.float32).masked_select(torch.tensor([True, False, False, True])))
rec('grad masked_select', grad_of(lambda x: x.masked_select(x > 0), (3, 4)))
rec('grad masked_select bcast', grad_of(lambda x: x.masked_select(torch.tensor([[True], [False]])), (2, 3)))
rec('masked_select long mask', lambda: mk((3, 4), torch.float32).masked_select(torch.tensor([1, 0, 1, 0])))
rec('nonzero', lambda: torch.nonzero(mk((3, 4), torch.float32)))
rec('nonzero tuple', lambda: torch.nonzero(mk((2, 3), torch.int64), as_tuple=True))

# ---- scatter, one_hot ---------------------------------------------------------------------------
idx = torch.tensor([[0, 1], [1, 2], [2, 3]])
for dt in dts[:3]:
    rec('scatter value %s' % dt, lambda: mk((3, 4), dt).scatter(1, idx, 2))
    rec('scatter src %s' % dt, lambda: mk((3, 4), dt).scatter(1, idx, mk((3, 2), dt, 1)))
    rec('scatter_add %s' % dt, lambda: mk((3, 4), dt).scatter_add(1, torch.tensor([[0, 0], [1, 1], [3, 3]]),
                                                                mk((3, 2), dt, 1)))
rec('scatter dim0', lambda: torch.zeros(3, 4).scatter(0, torch.tensor([[2, 1, 0, 0]]), 1.5))
rec('scatter_ inplace', lambda: torch.zeros(2, 3).scatter_(1, torch.tensor([[2], [0]]), torch.ones(2, 1)))
rec('scatter_ value', lambda: torch.zeros(2, 3).scatter_(1, torch.tensor([[2], [0]]), value=-1.0))
rec('torch.scatter', lambda: torch.scatter(torch.zeros(2, 3), 1, torch.tensor([[1], [2]]), torch.ones(2, 1)))
rec('grad scatter src', grad_of(lambda x, s: x.scatter(1, idx, s), (3, 4), (3, 2)))
rec('grad scatter value', grad_of(lambda x: x.scatter(1, idx, 0.5), (3, 4)))
rec('grad scatter_add', grad_of(lambda x, s: x.scatter_add(1, torch.tensor([[0, 0], [1, 1], [3, 3]]), s), (3, 4), (3, 2)))
rec('scatter error float index', lambda: torch.zeros(3, 4).scatter(1, idx.float(), 1.0))
rec('scatter error dims', lambda: torch.zeros(3, 4).scatter(1, torch.tensor([0, 1]), 1.0))
rec('scatter error oob', lambda: torch.zeros(3, 4).scatter(1, torch.tensor([[4], [1], [2]]), 1.0))
rec('scatter error neg', lambda: torch.zeros(3, 4).scatter(1, torch.tensor([[-1], [1], [2]]), 1.0))
rec('scatter error size', lambda: torch.zeros(3, 4).scatter(1, idx, torch.ones(3, 1)))
rec('scatter error dtype', lambda: torch.zeros(3, 4).scatter(1, idx, torch.ones(3, 2, dtype=torch.float64)))
labels = torch.tensor([0, 2, 1, 2])
rec('one_hot', lambda: F.one_hot(labels))
rec('one_hot 5', lambda: F.one_hot(labels, 5))
rec('one_hot 2d', lambda: F.one_hot(torch.tensor([[1], [0]]), num_classes=3))
rec('one_hot 0d', lambda: F.one_hot(torch.tensor(2), 3))
rec('one_hot empty', lambda: F.one_hot(torch.tensor([], dtype=torch.long), 3))
rec('one_hot error small', lambda: F.one_hot(labels, 2))
rec('one_hot error neg', lambda: F.one_hot(torch.tensor([0, -1])))
rec('one_hot error float', lambda: F.one_hot(torch.tensor([0.0, 1.0])))
rec('one_hot error empty', lambda: F.one_hot(torch.tensor([], dtype=torch.long)))

# ---- element-wise: normalize, softplus, cos, cosh, acos, maximum / minimum ------------------------
for dt in fl:
    for p, dim in ((2.0, 1), (1.0, 0), (2.0, -1), (3.0, 1)):
        rec('normalize p=%s dim=%d %s' % (p, dim, dt), lambda: F.normalize(mk((3, 4), dt), p=p, dim=dim))
    rec('normalize zeros %s' % dt, lambda: F.normalize(torch.zeros(2, 3, dtype=dt)))
    rec('normalize 1d %s' % dt, lambda: F.normalize(mk((4,), dt), dim=0))
    rec('softplus %s' % dt, lambda: F.softplus(mk((3, 4), dt) * 10))
    rec('softplus beta %s' % dt, lambda: F.softplus(mk((3, 4), dt) * 10, beta=2.0, threshold=5.0))
    for name in ('cos', 'sin', 'cosh', 'acos'):
        rec('%s %s' % (name, dt), lambda: getattr(torch, name)(mk((3, 4), dt) / 2))
rec('grad normalize', grad_of(lambda x: F.normalize(x, dim=1), (3, 4)))
rec('grad normalize p1', grad_of(lambda x: F.normalize(x, p=1.0, dim=0), (3, 4)))
rec('grad normalize zero row', grad_of(lambda x: F.normalize(x * torch.tensor([[1.0], [0.0]], dtype=torch.float64)), (2, 3)))
rec('grad softplus', grad_of(lambda x: F.softplus(x * 10, beta=2.0, threshold=5.0), (3, 4)))
for name in ('cos', 'sin', 'cosh', 'acos'):
    rec('grad %s' % name, grad_of(lambda x: getattr(torch, name)(x / 2), (3, 4)))
    rec('%s int' % name, lambda: getattr(torch, name)(torch.tensor([0, 1])))
rec('softplus int', lambda: F.softplus(torch.tensor([1, 2])))
for dt in fl:
    rec('logsumexp %s' % dt, lambda: torch.logsumexp(mk((3, 4), dt) * 3, 1))
    rec('logsumexp keepdim %s' % dt, lambda: mk((3, 4), dt).logsumexp(0, keepdim=True))
    rec('logsumexp dims %s' % dt, lambda: torch.logsumexp(mk((2, 3, 2), dt), (0, 2)))
    rec('logsigmoid %s' % dt, lambda: F.logsigmoid(mk((3, 4), dt) * 10))
rec('logsumexp int', lambda: torch.logsumexp(torch.tensor([1, 2]), 0))
rec('logsumexp inf', lambda: torch.logsumexp(torch.tensor([[float('-inf'), float('-inf')], [float('inf'), 1.0]]), 1))
rec('grad logsumexp', grad_of(lambda x: torch.logsumexp(x, dim=1), (3, 4)))
rec('grad logsigmoid', grad_of(lambda x: F.logsigmoid(x * 10), (3, 4)))
rec('logsigmoid int', lambda: F.logsigmoid(torch.tensor([1, 2])))
for dt in fl:
    rec('sign %s' % dt, lambda: torch.sign(mk((3, 4), dt)))
    rec('atan %s' % dt, lambda: mk((3, 4), dt).atan())
    rec('square %s' % dt, lambda: torch.square(mk((3, 4), dt)))
    rec('var %s' % dt, lambda: mk((3, 4), dt).var())
    rec('var dim %s' % dt, lambda: torch.var(mk((3, 4), dt), 1))
    rec('var biased %s' % dt, lambda: mk((3, 4), dt).var(0, unbiased=False, keepdim=True))
    rec('std %s' % dt, lambda: mk((3, 4), dt).std())
    rec('std correction %s' % dt, lambda: torch.std(mk((3, 4), dt), dim=(0, 1), correction=0))
for dt in dts:
    rec('flip %s' % dt, lambda: mk((3, 4), dt).flip(0))
    rec('flip both %s' % dt, lambda: torch.flip(mk((3, 4), dt), [0, 1]))
    rec('repeat %s' % dt, lambda: mk((2, 3), dt).repeat(2, 1))
    rec('repeat lead %s' % dt, lambda: mk((3,), dt).repeat(2, 2))
    rec('any dim %s' % dt, lambda: mk((3, 4), dt).any(1))
    rec('all dim %s' % dt, lambda: torch.all(mk((3, 4), dt) > -1, dim=0))
rec('sign int', lambda: torch.sign(torch.tensor([-3, 0, 2])))
rec('sign bool', lambda: torch.sign(torch.tensor([True, False])))
rec('atan int', lambda: torch.atan(torch.tensor([1, 2])))
rec('var int', lambda: torch.tensor([1, 2]).var())
rec('repeat error', lambda: mk((2, 3), torch.float32).repeat(2))
rec('grad sign', grad_of(lambda x: x.sign() * x, (3, 4)))
rec('grad atan', grad_of(lambda x: x.atan(), (3, 4)))
rec('grad square', grad_of(lambda x: x.square(), (3, 4)))
rec('grad var', grad_of(lambda x: x.var(1), (3, 4)))
rec('grad std', grad_of(lambda x: x.std(), (3, 4)))
rec('grad flip', grad_of(lambda x: x.flip(1), (3, 4)))
rec('grad repeat', grad_of(lambda x: x.repeat(2, 3), (3, 4)))
for dt in dts[:3]:
    rec('prod %s' % dt, lambda: mk((3, 4), dt).prod())
    rec('prod dim %s' % dt, lambda: torch.prod(mk((3, 4), dt), 1))
    rec('amax %s' % dt, lambda: mk((3, 4), dt).amax())
    rec('amax dim %s' % dt, lambda: torch.amax(mk((3, 4), dt), dim=0, keepdim=True))
    rec('amin dims %s' % dt, lambda: torch.amin(mk((2, 3, 2), dt), (0, 2)))
rec('prod bool', lambda: torch.tensor([True, False]).prod())
rec('amax empty', lambda: torch.zeros(0).amax())
rec('grad prod', grad_of(lambda x: x.prod(1), (3, 4)))
rec('grad prod zero', grad_of(lambda x: (x * torch.tensor([[0.0, 1, 1, 1]], dtype=torch.float64)).prod(), (1, 4)))


def amax_tie():
    x = torch.tensor([[1.0, 2.0, 2.0], [0.0, 3.0, 0.0]], dtype=torch.float64, requires_grad=True)
    x.amax(1).sum().backward()
    return x.grad


rec('grad amax tie', amax_tie)
rec('grad amin', grad_of(lambda x: x.amin(0), (3, 4)))
for da in dts:
    for db in dts:
        rec('maximum %s %s' % (da, db), lambda: torch.maximum(mk((2, 3), da), mk((3,), db, 1)))
rec('minimum bcast', lambda: torch.minimum(mk((2, 1), torch.float32), mk((1, 3), torch.float32, 1)))
rec('max overload', lambda: torch.max(mk((2, 3), torch.float32), mk((2, 3), torch.float32, 1)))
rec('min overload', lambda: torch.min(mk((2, 3), torch.float32), mk((3,), torch.float32, 1)))
rec('max all', lambda: torch.max(mk((2, 3), torch.float32)))
rec('max dim', lambda: torch.max(mk((2, 3), torch.float32), 1))
rec('max dim keepdim', lambda: torch.max(mk((2, 3), torch.float32), dim=0, keepdim=True))
rec('min dim', lambda: torch.min(mk((2, 3), torch.float32), -1))
rec('Tensor.max other', lambda: mk((2, 3), torch.float32).max(mk((2, 3), torch.float32, 1)))
rec('max error float', lambda: torch.max(mk((2, 3), torch.float32), 2.0))
rec('maximum error int', lambda: torch.maximum(mk((2, 3), torch.float32), 2))
rec('maximum nan', lambda: torch.maximum(torch.tensor([float('nan'), 1.0]), torch.tensor([0.0, float('nan')])))
rec('grad maximum', grad_of(lambda a, b: torch.maximum(a, b), (2, 3), (3,)))
rec('grad minimum ties', grad_of(lambda a, b: torch.minimum(a, b), (2, 3), (2, 3)))
rec('grad max overload', grad_of(lambda a: torch.max(a, torch.zeros(1, dtype=torch.float64)), (2, 3)))
rec('clamp_min', lambda: mk((2, 3), torch.float32).clamp_min(0.1))
rec('clamp_max', lambda: torch.clamp_max(mk((2, 3), torch.float32), 0.1))
rec('grad clamp_min', grad_of(lambda x: x.clamp_min(0.0), (2, 3)))

# ---- factories ----------------------------------------------------------------------------------
rec('eye 3', lambda: torch.eye(3))
rec('eye 2x3 f64', lambda: torch.eye(2, 3, dtype=torch.float64))
rec('eye long', lambda: torch.eye(2, dtype=torch.long, device='cpu'))
rec('eye bool', lambda: torch.eye(2, 1, dtype=torch.bool))
rec('eye grad', lambda: torch.eye(2, requires_grad=True).requires_grad)
rec('eye 0', lambda: torch.eye(0))
rec('eye error', lambda: torch.eye(-1))

# ---- sort, topk, cumsum, diff -------------------------------------------------------------------
v = torch.tensor([[3.0, -1.0, 2.5, 0.5, 7.0], [1.0, 4.0, -2.0, 6.0, 0.0]])
for dt in dts[:3]:
    rec('sort %s' % dt, lambda: torch.sort(v.to(dt)))
    rec('sort desc %s' % dt, lambda: v.to(dt).sort(dim=0, descending=True))
    rec('topk %s' % dt, lambda: torch.topk(v.to(dt), 2))
    rec('topk small %s' % dt, lambda: v.to(dt).topk(3, dim=1, largest=False))
    rec('cumsum %s' % dt, lambda: torch.cumsum(v.to(dt), 1))
    rec('cumsum0 %s' % dt, lambda: v.to(dt).cumsum(dim=0))
    rec('diff %s' % dt, lambda: torch.diff(v.to(dt)))
    rec('diff n2 dim0 %s' % dt, lambda: v.to(dt).diff(n=2, dim=1))
rec('sort ties stable', lambda: torch.sort(torch.tensor([2.0, 1.0, 2.0, 1.0, 0.0]), stable=True))
rec('sort nan', lambda: torch.sort(torch.tensor([2.0, float('nan'), -1.0])))
rec('sort bool', lambda: torch.sort(torch.tensor([True, False, True])))
rec('argsort', lambda: torch.argsort(v, dim=1, descending=True))
ties = torch.tensor([[2.0, 1.0, 2.0, 0.0, 1.0, 2.0, 1.0, 0.0, 2.0, 1.0], [0.0, 0.0, 3.0, float('nan'), 0.0, 3.0, 3.0, 0.0,
                                                                       float('nan'), 1.0]])
long_ties = torch.tensor([float((i * 7) % 5 // 2) for i in range(130)])
for largest in (True, False):
    for k in (1, 3, 6, 10):
        rec('topk ties k=%d largest=%s' % (k, largest), lambda: ties.topk(k, largest=largest))
        rec('topk ties unsorted k=%d largest=%s' % (k, largest), lambda: ties.topk(k, largest=largest, sorted=False))
    for k in (2, 3, 40):
        rec('topk long ties k=%d largest=%s' % (k, largest), lambda: torch.topk(long_ties, k, largest=largest)[1])
    rec('topk ties dim0 largest=%s' % largest, lambda: ties.reshape(5, 4).topk(3, dim=0, largest=largest))
    rec('topk ties int largest=%s' % largest, lambda: (ties[0] * 2).long().topk(4, largest=largest))
rec('topk 0d', lambda: torch.tensor(3.0).topk(1))
rec('topk error k', lambda: v.topk(6))
rec('topk error bool', lambda: torch.tensor([True, False]).topk(1))
rec('cumsum bool', lambda: torch.tensor([True, True, False]).cumsum(0))
rec('cumsum dtype', lambda: v.cumsum(1, dtype=torch.float64))
rec('cumsum 0d', lambda: torch.tensor(2.0).cumsum(0))
rec('cumsum error dim', lambda: v.cumsum(2))
rec('diff prepend', lambda: torch.diff(v, prepend=torch.zeros(2, 1)))
rec('diff append dim0', lambda: torch.diff(v, dim=0, append=torch.ones(1, 5)))
rec('diff bool', lambda: torch.diff(torch.tensor([True, False, False, True])))
rec('diff error 0d', lambda: torch.diff(torch.tensor(1.0)))
rec('grad sort', grad_of(lambda x: torch.sort(x, dim=1)[0], (3, 4)))
rec('grad sort desc', grad_of(lambda x: x.sort(0, descending=True).values, (3, 4)))
rec('grad topk', grad_of(lambda x: x.topk(2, dim=1).values, (3, 4)))
rec('grad cumsum', grad_of(lambda x: x.cumsum(1), (3, 4)))
rec('grad cumsum0', grad_of(lambda x: torch.cumsum(x, 0), (3, 4)))
rec('grad diff', grad_of(lambda x: torch.diff(x, n=2), (3, 4)))
rec('grad diff prepend', grad_of(lambda x, p: torch.diff(x, dim=0, prepend=p), (3, 4), (1, 4)))

# ---- views and shapes: diagonal, chunk, split ---------------------------------------------------
sq = mk((3, 4), torch.float32)
rec('diagonal', lambda: sq.diagonal())
rec('diagonal +1', lambda: torch.diagonal(sq, 1))
rec('diagonal -1', lambda: sq.diagonal(offset=-1))
rec('diagonal 3d', lambda: torch.diagonal(mk((2, 3, 3), torch.float64), dim1=1, dim2=2))
rec('diagonal 3d 0,2', lambda: mk((2, 3, 2), torch.int64).diagonal(0, 0, 2))
rec('diagonal far', lambda: sq.diagonal(5))
rec('diagonal error', lambda: sq.diagonal(dim1=0, dim2=0))
rec('diagonal error 1d', lambda: mk((3,), torch.float32).diagonal())
rec('grad diagonal', grad_of(lambda x: x.diagonal(1), (3, 4)))
rec('chunk 2', lambda: torch.arange(5.0).chunk(2))
rec('chunk 3 dim1', lambda: sq.chunk(3, dim=1))
rec('chunk 6', lambda: torch.arange(5.0).chunk(6))
rec('chunk error', lambda: sq.chunk(0))
rec('split 2', lambda: torch.arange(5.0).split(2))
rec('split sizes', lambda: sq.split([1, 3], dim=1))
rec('split error', lambda: sq.split([1, 2], dim=1))
rec('grad chunk', grad_of(lambda x: x.chunk(2, dim=1)[1] * 3, (3, 4)))

# ---- products and distances: linear, addmm, einsum, cdist ---------------------------------------
for dt in fl:
    rec('linear bias %s' % dt, lambda: F.linear(mk((3, 4), dt), mk((2, 4), dt, 1), mk((2,), dt, 2)))
    rec('linear %s' % dt, lambda: F.linear(mk((3, 4), dt), mk((2, 4), dt, 1)))
    rec('linear 1d %s' % dt, lambda: F.linear(mk((4,), dt), mk((2, 4), dt, 1), mk((2,), dt, 2)))
    rec('linear 1d nobias %s' % dt, lambda: F.linear(mk((4,), dt), mk((2, 4), dt, 1)))
    rec('linear 3d %s' % dt, lambda: F.linear(mk((2, 3, 4), dt), mk((2, 4), dt, 1), mk((2,), dt, 2)))
    rec('linear 3d nobias %s' % dt, lambda: F.linear(mk((2, 3, 4), dt), mk((2, 4), dt, 1)))
    rec('addmm %s' % dt, lambda: torch.addmm(mk((2,), dt), mk((3, 4), dt, 1), mk((4, 2), dt, 2)))
    rec('addmm beta alpha %s' % dt, lambda: torch.addmm(mk((3, 2), dt), mk((3, 4), dt, 1), mk((4, 2), dt, 2),
                                                         beta=0.5, alpha=2))
    rec('cdist %s' % dt, lambda: torch.cdist(mk((3, 4), dt), mk((2, 4), dt, 1)))
    rec('cdist p1 %s' % dt, lambda: torch.cdist(mk((3, 4), dt), mk((2, 4), dt, 1), p=1.0))
    rec('cdist pinf %s' % dt, lambda: torch.cdist(mk((3, 4), dt), mk((2, 4), dt, 1), p=float('inf')))
    rec('cdist p3 %s' % dt, lambda: torch.cdist(mk((3, 4), dt), mk((2, 4), dt, 1), p=3))
    rec('cdist batch %s' % dt, lambda: torch.cdist(mk((2, 3, 4), dt), mk((2, 2, 4), dt, 1)))
rec('linear error', lambda: F.linear(mk((3, 4), torch.float32), mk((2, 3), torch.float32)))
rec('linear error bias', lambda: F.linear(mk((3, 4), torch.float32), mk((2, 4), torch.float32), mk((3,), torch.float32)))
rec('addmm error', lambda: torch.addmm(mk((2,), torch.float32), mk((3, 4), torch.float32), mk((3, 2), torch.float32)))
rec('cdist error cols', lambda: torch.cdist(mk((3, 4), torch.float32), mk((2, 3), torch.float32)))
rec('cdist error 1d', lambda: torch.cdist(mk((4,), torch.float32), mk((2, 4), torch.float32)))
rec('cdist error p', lambda: torch.cdist(mk((3, 4), torch.float32), mk((2, 4), torch.float32), p=-1))
rec('grad linear', grad_of(lambda x, w, b: F.linear(x, w, b), (3, 4), (2, 4), (2,)))
rec('grad linear 3d', grad_of(lambda x, w: F.linear(x, w), (2, 3, 4), (2, 4)))
rec('grad addmm', grad_of(lambda b, x, y: torch.addmm(b, x, y, beta=0.5, alpha=2), (2,), (3, 4), (4, 2)))
rec('grad cdist', grad_of(lambda a, b: torch.cdist(a, b), (3, 4), (2, 4)))
rec('grad cdist p1', grad_of(lambda a, b: torch.cdist(a, b, p=1.0), (3, 4), (2, 4)))
rec('grad cdist p3', grad_of(lambda a, b: torch.cdist(a, b, p=3.0), (3, 4), (2, 4)))
rec('grad cdist self', grad_of(lambda a: torch.cdist(a, a), (3, 4)))
eqs = [('ij,jk->ik', (3, 4), (4, 2)), ('ij,ij->i', (3, 4), (3, 4)), ('ij,kj->ik', (3, 4), (2, 4)),
       ('bi,bj->bij', (3, 2), (3, 4)), ('i,i->', (4,), (4,)), ('i,j->ij', (3,), (2,)), ('nc,nc->n', (3, 4), (3, 4)),
       ('bij,bjk->bik', (2, 3, 4), (2, 4, 2)), ('...ij,...jk->...ik', (2, 3, 4), (4, 2)), ('ij,jk', (3, 4), (4, 2)),
       ('ba,ab', (2, 3), (3, 2)), ('ii->i', (3, 3)), ('ij->ji', (3, 4)), ('ij->', (3, 4)), ('ij->j', (3, 4))]
for eq, *shapes in eqs:
    for dt in fl:
        rec('einsum %s %s' % (eq, dt), lambda: torch.einsum(eq, *[mk(s, dt, k) for k, s in enumerate(shapes)]))
    rec('grad einsum %s' % eq, grad_of(lambda *xs: torch.einsum(eq, *xs), *shapes))
rec('einsum list', lambda: torch.einsum('ij,jk->ik', [mk((2, 3), torch.float32), mk((3, 2), torch.float32)]))
rec('einsum int', lambda: torch.einsum('ij,jk->ik', mk((2, 3), torch.int64), mk((3, 2), torch.int64)))
rec('einsum error size', lambda: torch.einsum('ij,jk->ik', mk((2, 3), torch.float32), mk((2, 3), torch.float32)))
rec('einsum error count', lambda: torch.einsum('ij,jk', mk((2, 3), torch.float32)))
rec('einsum error dims', lambda: torch.einsum('ijk', mk((2, 3), torch.float32)))
rec('einsum error dtype', lambda: torch.einsum('ij,jk', mk((2, 3), torch.float32), mk((3, 2), torch.float64)))


# ---- scatter with a reduction: scatter(reduce=), scatter_reduce ---------------------------------
sidx = torch.tensor([[0, 1], [1, 1], [3, 3]])
for dt in dts[:3]:
    for red in ('add', 'multiply'):
        rec('scatter reduce=%s %s' % (red, dt), lambda: mk((3, 4), dt).scatter(1, sidx, mk((3, 2), dt, 1), reduce=red))
        rec('scatter value reduce=%s %s' % (red, dt), lambda: mk((3, 4), dt).scatter(1, sidx, 3, reduce=red))
    for red in ('sum', 'prod', 'mean', 'amax', 'amin'):
        for inc in (True, False):
            rec('scatter_reduce %s self=%s %s' % (red, inc, dt),
                lambda: mk((3, 4), dt).scatter_reduce(1, sidx, mk((3, 2), dt, 1), red, include_self=inc))
for red in ('sum', 'prod', 'mean', 'amax', 'amin'):
    for inc in (True, False):
        rec('grad scatter_reduce %s self=%s' % (red, inc),
            grad_of(lambda x, s: x.scatter_reduce(1, sidx, s, red, include_self=inc), (3, 4), (3, 2)))
    rec('grad scatter_reduce %s dim0' % red,
        grad_of(lambda x, s: torch.scatter_reduce(x, 0, torch.tensor([[2, 0, 2, 1], [2, 2, 0, 1]]), s, red), (3, 4), (2, 4)))


def scatter_reduce_grad(reduce, base, src, index, include_self=True):
    def run():
        x = torch.tensor(base, dtype=torch.float64, requires_grad=True)
        s = torch.tensor(src, dtype=torch.float64, requires_grad=True)
        y = x.scatter_reduce(0, torch.tensor(index), s, reduce, include_self=include_self)
        (y * torch.arange(1.0, y.numel() + 1, dtype=torch.float64)).sum().backward()
        return y, x.grad, s.grad
    return run


zi = [0, 0, 1, 1, 2, 3, 3]
rec('grad scatter_reduce prod zeros', scatter_reduce_grad('prod', [2.0, 0.0, 3.0, 0.0], [0.0, 4.0, 0.0, 0.0, 5.0, 2.0, 0.0], zi))
rec('grad scatter_reduce prod zeros no self',
    scatter_reduce_grad('prod', [2.0, 0.0, 3.0, 0.0], [0.0, 4.0, 0.0, 0.0, 5.0, 2.0, 0.0], zi, False))
rec('grad scatter_reduce amax ties', scatter_reduce_grad('amax', [2.0, 1.0, 3.0, 0.5], [2.0, 1.0, 4.0, 4.0, 3.0, 0.5, 0.5], zi))
rec('grad scatter_reduce amin ties no self',
    scatter_reduce_grad('amin', [2.0, 1.0, 3.0, 0.5], [2.0, 1.0, 4.0, 4.0, 3.0, 0.5, 0.5], zi, False))
rec('grad scatter_reduce mean no self', scatter_reduce_grad('mean', [2.0, 1.0, 3.0, 0.5], [2.0, 1.0, 4.0, 4.0, 3.0, 0.5, 0.5], zi, False))
rec('scatter_reduce nan', lambda: torch.tensor([1.0, float('nan'), 2.0]).scatter_reduce(
    0, torch.tensor([0, 0, 2]), torch.tensor([float('nan'), 2.0, 1.0]), 'amax'))
rec('scatter_reduce bool', lambda: torch.tensor([True, False]).scatter_reduce(0, torch.tensor([0, 1]), torch.tensor([True, True]), 'sum'))
rec('torch.scatter_reduce', lambda: torch.scatter_reduce(torch.zeros(2), 0, torch.tensor([0, 0]), torch.ones(2), reduce='sum',
                                                        include_self=False))


def scatter_reduce_inplace():
    x = mk((3, 4), torch.float32)
    x.scatter_reduce_(1, sidx, mk((3, 2), torch.float32, 1), 'amax')
    return x


def scatter_reduce_inplace_value():
    x = mk((3, 4), torch.float32)
    x.scatter_(1, sidx, 2.0, reduce='multiply')
    return x


def scatter_legacy_backward():
    x = mk((3, 4), torch.float64).requires_grad_()
    x.scatter(1, sidx, 2.0, reduce='add').sum().backward()


rec('scatter_reduce_', scatter_reduce_inplace)
rec('scatter_ reduce value', scatter_reduce_inplace_value)
rec('scatter reduce grad_fn', lambda: mk((3, 4), torch.float32).requires_grad_().scatter(1, sidx, 2.0, reduce='add'))
rec('scatter reduce src grad_fn', lambda: torch.zeros(3, 4).scatter(1, sidx, torch.ones(3, 2, requires_grad=True), reduce='multiply'))
rec('scatter reduce backward error', scatter_legacy_backward)
rec('scatter reduce float value into int', lambda: torch.arange(12).reshape(3, 4).scatter(1, sidx, 1.5, reduce='add'))
rec('scatter reduce error', lambda: torch.zeros(3, 4).scatter(1, sidx, torch.ones(3, 2), reduce='sum'))
rec('scatter reduce error value', lambda: torch.zeros(3, 4).scatter(1, sidx, 1.0, reduce='mean'))
rec('scatter_reduce error reduce', lambda: torch.zeros(3, 4).scatter_reduce(1, sidx, torch.ones(3, 2), 'add'))
rec('scatter_reduce error dtype', lambda: torch.zeros(3, 4).scatter_reduce(1, sidx, torch.ones(3, 2, dtype=torch.float64), 'sum'))
rec('scatter_reduce error index', lambda: torch.zeros(3, 4).scatter_reduce(1, sidx.float(), torch.ones(3, 2), 'sum'))
rec('scatter_reduce error oob', lambda: torch.zeros(3, 4).scatter_reduce(1, sidx + 1, torch.ones(3, 2), 'sum'))
rec('scatter_reduce error size', lambda: torch.zeros(3, 4).scatter_reduce(1, sidx, torch.ones(3, 1), 'sum'))

# ---- bitwise ops on integers; logical ops on any dtype ------------------------------------------
ba = torch.tensor([5, -3, 12, 0, 7, -8])
bb = torch.tensor([3, 6, -1, 7, 70, 2])
for dt in (torch.int64, torch.int32):
    A, B = ba.to(dt), bb.to(dt)
    for name, f in {'&': lambda: A & B, '|': lambda: A | B, '^': lambda: A ^ B, '~': lambda: ~A, '<< 2': lambda: A << 2,
                    '>> 1': lambda: A >> 1, '<< t': lambda: A << B, '>> t': lambda: A >> B, '& 5': lambda: A & 5,
                    '3 &': lambda: 3 & A, '6 |': lambda: 6 | A, '9 ^': lambda: 9 ^ A, '1 <<': lambda: 1 << A.abs(),
                    '100 >>': lambda: 100 >> A.abs(), '<< 31': lambda: A << 31, '>> 40': lambda: A >> 40,
                    'bitwise_and': lambda: torch.bitwise_and(A, B), 'bitwise_or': lambda: torch.bitwise_or(A, 6),
                    'bitwise_xor': lambda: A.bitwise_xor(B), 'bitwise_not': lambda: torch.bitwise_not(A),
                    'bitwise_left_shift': lambda: torch.bitwise_left_shift(A, 3),
                    'bitwise_right_shift': lambda: A.bitwise_right_shift(B.abs())}.items():
        rec('bitwise %s %s' % (name, dt), f)
rec('bitwise int32 & int64', lambda: ba.int() & bb)
rec('bitwise int32 & scalar', lambda: ba.int() & 3)
rec('bitwise << 63', lambda: ba << 63)
rec('bitwise int & bool', lambda: ba & torch.tensor([True, False, True, True, False, True]))
rec('bitwise bool & int', lambda: torch.tensor([True, False]) & 3)
rec('bitwise bool & True', lambda: torch.tensor([True, False]) & True)
rec('bitwise bool ^ bool', lambda: torch.tensor([True, False]) ^ torch.tensor([True, True]))
rec('bitwise ~bool', lambda: ~torch.tensor([True, False]))
rec('bitwise_or bool', lambda: torch.bitwise_or(torch.tensor([True, False]), torch.tensor([False, False])))


def bitwise_inplace():
    x = ba.clone()
    x &= bb
    y = ba.clone()
    y.bitwise_or_(bb)
    z = ba.clone()
    z <<= 1
    return x, y, z


rec('bitwise in-place', bitwise_inplace)
rec('bitwise error float &', lambda: ba.float() & bb)
rec('bitwise error float |', lambda: torch.tensor([1.0]) | torch.tensor([1.0]))
rec('bitwise error float ~', lambda: ~torch.tensor([1.0]))
rec('bitwise error float <<', lambda: torch.tensor([1.0]) << 2)
rec('bitwise error float >>', lambda: torch.tensor([8.0], dtype=torch.float64) >> 1)
rec('bitwise error int << float', lambda: ba << 1.5)
rec('bitwise error int & float', lambda: ba & 1.5)
rec('bitwise error bitwise_not float', lambda: torch.bitwise_not(torch.tensor([1.0])))
for dt in dts:
    rec('logical_and %s' % dt, lambda: torch.logical_and(mk((3, 4), dt), mk((3, 4), dt, 1)))
    rec('logical_or %s' % dt, lambda: mk((3, 4), dt).logical_or(mk((4,), dt, 1)))
    rec('logical_xor %s' % dt, lambda: torch.logical_xor(mk((3, 4), dt), mk((3, 4), torch.int64, 1)))
    rec('logical_not %s' % dt, lambda: torch.logical_not(mk((3, 4), dt)))
rec('logical_and nan', lambda: torch.logical_and(torch.tensor([float('nan'), 0.0]), torch.tensor([1.0, 1.0])))

# ---- in-place addmm_; var / std with no degrees of freedom left ---------------------------------
for dt in fl:
    def addmm_inplace():
        b = mk((3, 2), dt)
        out = b.addmm_(mk((3, 4), dt, 1), mk((4, 2), dt, 2), beta=0.5, alpha=2)
        return out, b
    rec('addmm_ %s' % dt, addmm_inplace)


def addmm_inplace_grad():
    b = mk((3, 2), torch.float64).requires_grad_()
    m1 = mk((3, 4), torch.float64, 1).requires_grad_()
    m2 = mk((4, 2), torch.float64, 2).requires_grad_()
    c = b * 1
    c.addmm_(m1, m2, beta=0.5, alpha=2)
    (c * torch.arange(1.0, 7.0, dtype=torch.float64).reshape(3, 2)).sum().backward()
    return c, b.grad, m1.grad, m2.grad


rec('grad addmm_', addmm_inplace_grad)
rec('addmm_ error shape', lambda: torch.ones(2).addmm_(torch.ones(3, 4), torch.ones(4, 2)))
rec('addmm_ error mats', lambda: torch.ones(3, 2).addmm_(torch.ones(3, 4), torch.ones(3, 2)))
rec('addmm_ error dtype', lambda: torch.ones(3, 2, dtype=torch.long).addmm_(torch.ones(3, 4), torch.ones(4, 2)))
rec('addmm_ error dtype2', lambda: torch.ones(3, 2).addmm_(torch.ones(3, 4, dtype=torch.float64), torch.ones(4, 2, dtype=torch.float64)))
rec('addmm_ error leaf', lambda: torch.ones(3, 2, requires_grad=True).addmm_(torch.ones(3, 4), torch.ones(4, 2)))


def warned(f):
    """f's result's values (or None) and the warnings it emitted, as (category, message)."""
    def run():
        with warnings.catch_warnings(record=True) as ws:
            warnings.simplefilter('always')
            r = f()
        return [None if r is None else r.detach().reshape(-1).tolist(), [(w.category.__name__, str(w.message)) for w in ws]]
    return run


vx = mk((1, 4), torch.float32)
rec('var warning 1 element', warned(lambda: torch.tensor([1.0]).var()))
rec('std warning 1 element', warned(lambda: torch.tensor([1.0], dtype=torch.float64).std()))
rec('var warning dim', warned(lambda: vx.var(0)))
rec('var warning correction', warned(lambda: vx.var(1, correction=5)))
rec('std warning correction', warned(lambda: torch.std(vx, 1, correction=4, keepdim=True)))
rec('var warning empty', warned(lambda: torch.zeros(0).var()))
rec('var warning biased empty', warned(lambda: torch.zeros(0).var(unbiased=False)))
rec('var no warning', warned(lambda: vx.var(1) * 0))
rec('grad var correction', grad_of(lambda x: x.var(1, correction=5), (1, 4)))
rec('grad var correction=N', grad_of(lambda x: x.var(1, correction=4), (1, 4)))
rec('grad std correction', grad_of(lambda x: x.std(1, correction=5), (1, 4)))
rec('grad var one row', grad_of(lambda x: x.var(0), (1, 4)))

# ---- pdist --------------------------------------------------------------------------------------
for dt in fl:
    for p in (2.0, 1.0, 0.0, 0.5, 3.0, float('inf')):
        rec('pdist p=%s %s' % (p, dt), lambda: torch.pdist(mk((4, 3), dt), p))
for p in (2.0, 1.0, 0.0, 0.5, 3.0, float('inf')):
    rec('grad pdist p=%s' % p, grad_of(lambda x: torch.pdist(x, p), (4, 3)))
    rec('grad pdist repeated rows p=%s' % p,
        grad_of(lambda x: F.pdist(x[torch.tensor([0, 1, 0, 2])], p=p), (3, 2)))
rec('F.pdist', lambda: F.pdist(torch.eye(3), p=1))
rec('pdist one row', lambda: torch.pdist(torch.ones(1, 2)))
rec('pdist no rows', lambda: torch.pdist(torch.ones(0, 2)))
rec('pdist no columns', lambda: torch.pdist(torch.ones(3, 0)))
rec('grad uniformity loss', grad_of(lambda x: torch.pdist(x, p=2).pow(2).mul(-2).exp().mean().log(), (5, 3)))
rec('pdist error 1d', lambda: torch.pdist(torch.ones(3)))
rec('pdist error 3d', lambda: torch.pdist(torch.ones(2, 3, 4)))
rec('pdist error int', lambda: torch.pdist(torch.ones(3, 2, dtype=torch.long)))
rec('pdist error p', lambda: torch.pdist(torch.ones(3, 2), -1.0))

# ---- F.pad --------------------------------------------------------------------------------------
for mode in ('constant', 'reflect', 'replicate', 'circular'):
    for dt in dts[:3]:
        rec('pad %s 1d %s' % (mode, dt), lambda: F.pad(mk((1, 2, 3), dt), (1, 2), mode=mode))
        rec('pad %s 2d %s' % (mode, dt), lambda: F.pad(mk((1, 1, 3, 4), dt), (1, 2, 2, 1), mode=mode))
    rec('pad %s 3d' % mode, lambda: F.pad(mk((1, 1, 2, 3, 4), torch.float32), (1, 1, 1, 0, 0, 1), mode=mode))
    rec('pad %s 2d unbatched' % mode, lambda: F.pad(mk((1, 3, 4), torch.float32), (2, 1, 1, 2), mode=mode))
    rec('pad %s negative' % mode, lambda: F.pad(mk((1, 1, 3, 4), torch.float32), (-1, 1, 0, -1), mode=mode))
    rec('pad %s 2d input' % mode, lambda: F.pad(mk((3, 4), torch.float32), (1, 1), mode=mode))
    rec('pad %s error 1d input' % mode, lambda: F.pad(mk((4,), torch.float32), (1, 1), mode=mode))
    rec('pad %s error odd' % mode, lambda: F.pad(mk((1, 3, 4), torch.float32), (1, 1, 1), mode=mode))
    rec('pad %s error last dim only' % mode, lambda: F.pad(mk((1, 1, 3, 4), torch.float32), (1, 1), mode=mode))
    rec('grad pad %s 1d' % mode, grad_of(lambda x: F.pad(x, (2, 1), mode=mode), (2, 3)))
    rec('grad pad %s 2d' % mode, grad_of(lambda x: F.pad(x, (1, 2, 2, 1), mode=mode), (1, 1, 3, 4)))
    rec('grad pad %s 3d' % mode, grad_of(lambda x: F.pad(x, (1, 1, 1, 0, 0, 1), mode=mode), (1, 2, 3, 4)))
    rec('grad pad %s negative' % mode, grad_of(lambda x: F.pad(x, (-1, 1, 0, -1), mode=mode), (1, 3, 4)))
rec('pad value', lambda: F.pad(torch.ones(2, 3), (1, 1, 0, 2), value=-1.5))
rec('pad int value', lambda: F.pad(torch.ones(2, 3, dtype=torch.long), (1, 1), value=2.7))
rec('pad bool', lambda: F.pad(torch.tensor([True]), (1, 1)))
rec('pad 6d', lambda: F.pad(torch.ones(1, 1, 1, 1, 1, 2), (1, 1, 1, 1)))
rec('pad list', lambda: F.pad(torch.ones(2, 3), [1, 1]))
rec('pad cut to empty', lambda: F.pad(torch.ones(2, 3), (-2, -1)))
rec('pad replicate beyond', lambda: F.pad(mk((1, 1, 3, 4), torch.float32), (4, 0, 0, 0), mode='replicate'))
rec('pad circular whole', lambda: F.pad(mk((1, 1, 3, 4), torch.float32), (4, 0, 0, 0), mode='circular'))
rec('pad error mode', lambda: F.pad(torch.ones(1, 2, 3), (1, 1), mode='foo'))
rec('pad error reflect value', lambda: F.pad(torch.ones(1, 2, 3), (1, 1), mode='reflect', value=1.0))
rec('pad error reflect size', lambda: F.pad(torch.ones(1, 2, 3), (3, 0), mode='reflect'))
rec('pad error reflect size h', lambda: F.pad(torch.ones(1, 1, 3, 4), (0, 0, 0, 3), mode='reflect'))
rec('pad error reflect size d', lambda: F.pad(torch.ones(1, 1, 2, 3, 4), (0, 0, 0, 0, 2, 0), mode='reflect'))
rec('pad error circular wrap', lambda: F.pad(torch.ones(1, 3, 4), (0, 0, 0, 4), mode='circular'))
rec('pad error replicate small', lambda: F.pad(torch.ones(1, 3, 4), (-4, 0), mode='replicate'))
rec('pad replicate cut to empty 2d', lambda: F.pad(torch.ones(1, 3, 4), (0, 0, -2, -1), mode='replicate'))
rec('pad error replicate small 2d', lambda: F.pad(torch.ones(1, 3, 4), (-4, 0, -3, 0), mode='replicate'))
rec('pad error replicate small 3d', lambda: F.pad(torch.ones(1, 2, 3, 4), (-4, 0, -3, 0, -2, 0), mode='replicate'))
rec('pad error 0d', lambda: F.pad(torch.tensor(1.0), (1, 1)))
rec('pad error too long', lambda: F.pad(torch.ones(3), (1, 1, 1, 1)))
rec('pad error negative', lambda: F.pad(torch.ones(2, 3), (-2, -2)))
rec('pad error float amount', lambda: F.pad(torch.ones(3), (1.5, 1)))

# ---- F.conv2d / conv1d, F.avg_pool2d, F.interpolate (image losses: SSIM windows, deep supervision) --------
def rn(shape, dt, seed=0, uniform=False):
    """Seeded normal (or uniform, like image intensities) values: sums of products of them do not cancel to
    near zero, where float32 kernels that add in different orders part in their last bits."""
    torch.manual_seed(seed)
    return (torch.rand(shape) if uniform else torch.randn(shape)).to(dt)


def dy(shape, dt, seed=0):
    """Multiples of 1/8 in [-6/8, 6/8]: sums of their products are exact in float32, whatever the order."""
    return (mk(shape, torch.float64, seed) / 0.29 / 8).to(dt)


def binomial_window(channels, dt):
    """The 5x5 binomial window (1 4 6 4 1)^2 / 256, a Gaussian stand-in exact in float32."""
    b = torch.tensor([1.0, 4.0, 6.0, 4.0, 1.0], dtype=dt) / 16
    return (b[:, None] * b[None, :]).expand(channels, 1, 5, 5).contiguous()


def gauss_window(size, sigma, channels, dt):
    c = torch.arange(size, dtype=dt) - (size - 1) / 2
    g = torch.exp(-c ** 2 / (2 * sigma ** 2))
    g = g / g.sum()
    return (g[:, None] * g[None, :]).expand(channels, 1, size, size).contiguous()


for dt in fl:
    # float32 sums run in oneDNN's order, which loss4j does not follow: exact (dyadic) data there
    cx = dy if dt is torch.float32 else rn
    rec('conv2d %s' % dt, lambda: F.conv2d(cx((2, 3, 5, 6), dt), cx((4, 3, 3, 3), dt, 1), cx((4,), dt, 2)))
    rec('conv2d ssim window %s' % dt, lambda: F.conv2d(rn((1, 3, 16, 16), dt, uniform=True),
                                                       gauss_window(11, 1.5, 3, dt), groups=3))
    if dt is torch.float64:
        rec('conv2d ssim window padded', lambda: F.conv2d(rn((1, 3, 12, 12), dt, uniform=True),
                                                          gauss_window(11, 1.5, 3, dt), padding=5, groups=3))
    rec('conv2d binomial window padded %s' % dt, lambda: F.conv2d(dy((1, 3, 12, 12), dt), binomial_window(3, dt),
                                                                  padding=2, groups=3))
    rec('conv2d stride pad dil %s' % dt, lambda: F.conv2d(cx((1, 2, 7, 8), dt), cx((2, 2, 3, 2), dt, 1),
                                                          stride=(2, 1), padding=(1, 2), dilation=(1, 2)))
    rec('conv2d same %s' % dt, lambda: F.conv2d(cx((1, 2, 5, 5), dt), cx((2, 1, 3, 3), dt, 1), groups=2,
                                                padding='same'))
    rec('conv2d valid %s' % dt, lambda: F.conv2d(cx((2, 4, 4), dt), cx((3, 2, 2, 2), dt, 1), padding='valid'))
    rec('conv1d %s' % dt, lambda: F.conv1d(cx((2, 2, 9), dt), cx((3, 2, 3), dt, 1), cx((3,), dt, 2), stride=2,
                                           padding=1))
    rec('avg_pool2d %s' % dt, lambda: F.avg_pool2d(mk((2, 2, 6, 7), dt), 2))
    rec('avg_pool2d window %s' % dt, lambda: F.avg_pool2d(mk((1, 3, 8, 8), dt), 3, stride=1, padding=1))
    rec('avg_pool2d exclude pad ceil %s' % dt, lambda: F.avg_pool2d(mk((1, 2, 7, 5), dt), (3, 2), stride=2,
                                                                    padding=1, ceil_mode=True,
                                                                    count_include_pad=False))
    rec('avg_pool2d divisor %s' % dt, lambda: F.avg_pool2d(mk((2, 5, 5), dt), 2, 1, divisor_override=3))
    for ac in (False, True):
        rec('interpolate bilinear ac=%s %s' % (ac, dt), lambda: F.interpolate(rn((1, 2, 3, 4), dt), size=(5, 7),
                                                                             mode='bilinear', align_corners=ac))
        rec('interpolate bilinear down ac=%s %s' % (ac, dt),
            lambda: F.interpolate(rn((1, 1, 8, 8), dt), scale_factor=0.5, mode='bilinear', align_corners=ac))
        rec('interpolate linear ac=%s %s' % (ac, dt), lambda: F.interpolate(rn((2, 1, 5), dt), size=8, mode='linear',
                                                                           align_corners=ac))
    rec('interpolate nearest %s' % dt, lambda: F.interpolate(rn((1, 2, 3, 3), dt), scale_factor=2))
    rec('interpolate nearest size %s' % dt, lambda: F.interpolate(rn((1, 1, 5, 7), dt), size=(3, 4)))
    rec('interpolate nearest 1d %s' % dt, lambda: F.interpolate(rn((1, 2, 4), dt), size=7))
    rec('interpolate nearest scale 1.7 %s' % dt, lambda: F.interpolate(rn((1, 1, 4, 5), dt), scale_factor=1.7))
    rec('interpolate bilinear scale 1.3 %s' % dt,
        lambda: F.interpolate(rn((1, 1, 4, 5), dt), scale_factor=(1.3, 0.6), mode='bilinear'))
    rec('interpolate recompute %s' % dt,
        lambda: F.interpolate(rn((1, 1, 4, 5), dt), scale_factor=1.3, mode='bilinear', recompute_scale_factor=True))
for dt in dts[:3]:
    rec('max_pool2d %s' % dt, lambda: F.max_pool2d(mk((2, 2, 6, 7), dt), 2))
rec('max_pool2d indices', lambda: F.max_pool2d(mk((1, 2, 7, 7), torch.float32), 3, 2, 1, return_indices=True))
rec('max_pool2d dilation ceil', lambda: F.max_pool2d(mk((1, 1, 9, 8), torch.float64), (3, 2), stride=(2, 3),
                                                     padding=1, dilation=(2, 1), ceil_mode=True, return_indices=True))
rec('max_pool2d unbatched', lambda: F.max_pool2d(mk((2, 5, 5), torch.float32), 3, 1, 1))
nan = float('nan')
rec('max_pool2d ties nan', lambda: F.max_pool2d(torch.tensor([[[[1.0, 3, 3, nan], [2, 3, nan, 1]]]]), 2,
                                                return_indices=True))
rec('max_pool2d all -inf', lambda: F.max_pool2d(torch.full((1, 1, 2, 2), float('-inf')), 2, return_indices=True))
rec('grad max_pool2d', grad_of(lambda x: F.max_pool2d(x, 3, 1, 1), (1, 2, 5, 6)))


def max_pool_tie_grad():
    x = torch.tensor([[[[1.0, 2, 2], [2, 0, 2], [1, 2, 1]]]], dtype=torch.float64, requires_grad=True)
    F.max_pool2d(x, 2, 1).sum().backward()
    return x.grad


rec('grad max_pool2d ties', max_pool_tie_grad)
rec('max_pool2d error 2d', lambda: F.max_pool2d(torch.ones(4, 4), 2))
rec('max_pool2d error dilation', lambda: F.max_pool2d(torch.ones(1, 4, 4), 2, dilation=0))
rec('max_pool2d error dilation length', lambda: F.max_pool2d(torch.ones(1, 4, 4), 2, dilation=(1, 1, 1)))
rec('max_pool2d error pad', lambda: F.max_pool2d(torch.ones(1, 8, 8), 3, 1, 2, dilation=2))
rec('max_pool2d error bool', lambda: F.max_pool2d(torch.ones(1, 4, 4, dtype=torch.bool), 2))
for dt in fl:
    rec('avg_pool1d %s' % dt, lambda: F.avg_pool1d(mk((2, 3, 8), dt), 3, 2, 1, count_include_pad=False))
rec('avg_pool1d unbatched ceil', lambda: F.avg_pool1d(mk((2, 7), torch.float32), 2, ceil_mode=True))
rec('grad avg_pool1d', grad_of(lambda x: F.avg_pool1d(x, 3, 1, 1), (2, 2, 6)))
rec('avg_pool1d error 1d', lambda: F.avg_pool1d(torch.ones(4), 2))
rec('avg_pool1d error kernel', lambda: F.avg_pool1d(torch.ones(1, 4), (2, 2)))
rec('avg_pool1d error small', lambda: F.avg_pool1d(torch.ones(3, 8), 9))
rec('conv2d long', lambda: F.conv2d(mk((1, 2, 4, 4), torch.int64), mk((1, 2, 2, 2), torch.int64, 1)))
rec('avg_pool2d long', lambda: F.avg_pool2d(mk((1, 1, 4, 4), torch.int64), 2))
rec('grad conv2d', grad_of(lambda x, w, b: F.conv2d(x, w, b, stride=(1, 2), padding=1), (2, 2, 5, 6), (3, 2, 3, 3),
                           (3,)))
rec('grad conv2d groups', grad_of(lambda x, w: F.conv2d(x, w, groups=2, dilation=2), (1, 4, 6, 6), (2, 2, 2, 2)))
rec('grad conv2d same even', grad_of(lambda x, w: F.conv2d(x, w, padding='same'), (1, 1, 4, 5), (1, 1, 2, 4)))
rec('grad conv2d unbatched', grad_of(lambda x, w: F.conv2d(x, w), (2, 4, 4), (1, 2, 3, 3)))
rec('grad conv2d float32', grad_of(lambda x, w: F.conv2d(x, w, padding=1), (1, 2, 5, 5), (2, 2, 3, 3),
                                   dt=torch.float32))
rec('grad conv1d', grad_of(lambda x, w, b: F.conv1d(x, w, b, padding=2), (2, 2, 6), (3, 2, 4), (3,)))
rec('grad avg_pool2d', grad_of(lambda x: F.avg_pool2d(x, 3, 2, 1, count_include_pad=False), (1, 2, 6, 5)))
rec('grad avg_pool2d ceil', grad_of(lambda x: F.avg_pool2d(x, 2, ceil_mode=True), (1, 1, 5, 5)))
rec('grad avg_pool2d float32', grad_of(lambda x: F.avg_pool2d(x, 3, 1, 1), (1, 2, 5, 5), dt=torch.float32))
for ac in (False, True):
    rec('grad bilinear ac=%s' % ac, grad_of(lambda x: F.interpolate(x, size=(5, 6), mode='bilinear',
                                                                    align_corners=ac), (1, 2, 3, 4)))
    rec('grad bilinear down ac=%s' % ac, grad_of(lambda x: F.interpolate(x, scale_factor=0.5, mode='bilinear',
                                                                         align_corners=ac), (1, 1, 6, 6)))
    rec('grad linear ac=%s' % ac, grad_of(lambda x: F.interpolate(x, size=7, mode='linear', align_corners=ac),
                                          (2, 1, 4)))
rec('grad bilinear float32', grad_of(lambda x: F.interpolate(x, size=(7, 5), mode='bilinear'), (1, 1, 4, 3),
                                     dt=torch.float32))
rec('grad nearest', grad_of(lambda x: F.interpolate(x, size=(5, 3)), (1, 2, 3, 4)))
rec('grad nearest 1d', grad_of(lambda x: F.interpolate(x, scale_factor=2.5), (1, 1, 4)))
x4 = torch.ones(2, 3, 8, 8)
w3 = torch.ones(3, 1, 3, 3)
rec('conv2d error input rank', lambda: F.conv2d(torch.ones(3, 8), w3))
rec('conv2d error input rank 5', lambda: F.conv2d(torch.ones(1, 1, 3, 8, 8), w3))
rec('conv1d error input rank', lambda: F.conv1d(torch.ones(3), torch.ones(1, 3, 2)))
rec('conv2d error same strided', lambda: F.conv2d(x4, w3, groups=3, padding='same', stride=2))
rec('conv2d error padding string', lambda: F.conv2d(x4, w3, groups=3, padding='full'))
rec('conv2d error groups', lambda: F.conv2d(x4, w3, groups=2))
rec('conv2d error groups large', lambda: F.conv2d(x4, w3, groups=4))
rec('conv2d error channels', lambda: F.conv2d(x4, torch.ones(4, 2, 3, 3)))
rec('conv2d error weight rank', lambda: F.conv2d(x4, torch.ones(4, 3, 3)))
rec('conv2d error weight 2d', lambda: F.conv2d(x4, torch.ones(4, 3)))
rec('conv2d error kernel', lambda: F.conv2d(x4, torch.ones(3, 3, 9, 9)))
rec('conv2d error kernel dilated', lambda: F.conv2d(x4, torch.ones(3, 3, 3, 3), dilation=4))
rec('conv2d error bias', lambda: F.conv2d(x4, torch.ones(4, 3, 3, 3), torch.ones(3)))
rec('conv2d error dtype', lambda: F.conv2d(x4, torch.ones(4, 3, 3, 3, dtype=torch.float64)))
rec('conv2d error bias dtype', lambda: F.conv2d(x4, torch.ones(4, 3, 3, 3), torch.ones(4, dtype=torch.float64)))
rec('conv2d error stride', lambda: F.conv2d(x4, w3, groups=3, stride=0))
rec('conv2d error padding', lambda: F.conv2d(x4, w3, groups=3, padding=-1))
rec('conv2d error dilation', lambda: F.conv2d(x4, w3, groups=3, dilation=0))
rec('conv2d error groups zero', lambda: F.conv2d(x4, w3, groups=0))
rec('conv2d error stride length', lambda: F.conv2d(x4, w3, groups=3, stride=(1, 1, 1)))
rec('conv2d stride one value', lambda: F.conv2d(x4, w3, groups=3, stride=(2,)).shape)
rec('conv2d empty batch', lambda: F.conv2d(x4[:0], w3, groups=3))
rec('avg_pool2d unbatched', lambda: F.avg_pool2d(mk((2, 4, 4), torch.float32), 2))
rec('avg_pool2d error 2d', lambda: F.avg_pool2d(torch.ones(8, 8), 2))
rec('avg_pool2d error 5d', lambda: F.avg_pool2d(torch.ones(1, 1, 2, 8, 8), 2))
rec('avg_pool2d error pad', lambda: F.avg_pool2d(x4, 2, padding=2))
rec('avg_pool2d error kernel zero', lambda: F.avg_pool2d(x4, 0))
rec('avg_pool2d error stride zero', lambda: F.avg_pool2d(x4, 2, 0))
rec('avg_pool2d error kernel length', lambda: F.avg_pool2d(x4, (2, 2, 2)))
rec('avg_pool2d error stride length', lambda: F.avg_pool2d(x4, 2, (1, 1, 1)))
rec('avg_pool2d error too small', lambda: F.avg_pool2d(x4, 9))
rec('avg_pool2d error divisor', lambda: F.avg_pool2d(x4, 2, divisor_override=0))
rec('avg_pool2d error negative pad', lambda: F.avg_pool2d(x4, 2, padding=-1))
rec('interpolate error align nearest', lambda: F.interpolate(x4, size=4, align_corners=True))
rec('interpolate error both', lambda: F.interpolate(x4, size=4, scale_factor=2))
rec('interpolate error neither', lambda: F.interpolate(x4))
rec('interpolate error size length', lambda: F.interpolate(x4, size=(4, 4, 4)))
rec('interpolate error scale length', lambda: F.interpolate(x4, scale_factor=(2.0,)))
rec('interpolate error size type', lambda: F.interpolate(x4, size=(4.0, 4)))
rec('interpolate error recompute size', lambda: F.interpolate(x4, size=4, recompute_scale_factor=True))
rec('interpolate error bilinear 3d', lambda: F.interpolate(torch.ones(1, 2, 4), size=4, mode='bilinear'))
rec('interpolate error linear 4d', lambda: F.interpolate(x4, size=4, mode='linear'))
rec('interpolate error 2d', lambda: F.interpolate(torch.ones(4, 4), size=2))
rec('interpolate error mode', lambda: F.interpolate(x4, size=2, mode='cubic'))
rec('interpolate error antialias', lambda: F.interpolate(x4, size=2, antialias=True))
rec('interpolate error zero size', lambda: F.interpolate(x4, size=0))
rec('interpolate error small scale', lambda: F.interpolate(x4, scale_factor=0.1))
rec('interpolate error negative scale', lambda: F.interpolate(torch.ones(1, 1, 4), scale_factor=-2.0))
rec('interpolate error empty channels', lambda: F.interpolate(x4[:, :0], size=3))
rec('interpolate error long', lambda: F.interpolate(torch.ones(1, 1, 2, 2, dtype=torch.long), size=3))
rec('interpolate error long 1d', lambda: F.interpolate(torch.ones(1, 1, 2, dtype=torch.long), size=3,
                                                       mode='linear'))
rec('interpolate error negative scale 2d', lambda: F.interpolate(torch.ones(1, 1, 4, 4), scale_factor=(1.0, -0.3)))
rec('interpolate error nearest long 1d', lambda: F.interpolate(torch.ones(1, 1, 2, dtype=torch.long), size=3))
rec('interpolate error bool', lambda: F.interpolate(torch.ones(1, 1, 2, 2, dtype=torch.bool), size=3))
rec('interpolate error empty channels 1d', lambda: F.interpolate(torch.ones(1, 0, 2), size=3))
rec('conv2d error long input', lambda: F.conv2d(torch.ones(1, 1, 3, 3, dtype=torch.long), torch.ones(1, 1, 2, 2)))
rec('conv2d error bool', lambda: F.conv2d(torch.ones(1, 1, 3, 3, dtype=torch.bool), torch.ones(1, 1, 2, 2,
                                                                                             dtype=torch.bool)))
rec('conv2d error bias long', lambda: F.conv2d(torch.ones(1, 1, 3, 3), torch.ones(1, 1, 2, 2),
                                               torch.ones(1, dtype=torch.long)))
rec('avg_pool2d error bool', lambda: F.avg_pool2d(torch.ones(1, 4, 4, dtype=torch.bool), 2))
rec('avg_pool2d error 1d', lambda: F.avg_pool2d(torch.ones(4), 2))
rec('interpolate empty batch', lambda: F.interpolate(x4[:0], size=3, mode='bilinear'))

# ---- cdist past 25 rows: PyTorch's matrix-product formula for p = 2 ----------------------------
for dt in fl:
    rec('cdist mm %s' % dt, lambda: torch.cdist(rn((30, 5), dt), rn((4, 5), dt, 1)))
    rec('cdist mm self %s' % dt, lambda: torch.cdist(rn((27, 3), dt), rn((27, 3), dt)))
    rec('cdist mm batch %s' % dt, lambda: torch.cdist(rn((2, 3, 4), dt), rn((1, 26, 4), dt, 1)))
    rec('cdist always mm %s' % dt, lambda: torch.cdist(rn((3, 4), dt), rn((2, 4), dt, 1),
                                                       compute_mode='use_mm_for_euclid_dist'))
    rec('cdist never mm %s' % dt, lambda: torch.cdist(rn((30, 4), dt), rn((2, 4), dt, 1),
                                                      compute_mode='donot_use_mm_for_euclid_dist'))
rec('cdist mm p1', lambda: torch.cdist(mk((30, 4), torch.float32), mk((2, 4), torch.float32, 1), p=1))
rec('cdist error compute_mode', lambda: torch.cdist(mk((3, 4), torch.float32), mk((2, 4), torch.float32),
                                                    compute_mode='fast'))
rec('grad cdist mm', grad_of(lambda a, b: torch.cdist(a, b), (30, 4), (3, 4)))
rec('grad cdist mm self', grad_of(lambda a: torch.cdist(a, a), (26, 3)))
rec('grad cdist mm float32', grad_of(lambda a, b: torch.cdist(a, b, compute_mode='use_mm_for_euclid_dist'),
                                     (4, 3), (5, 3), dt=torch.float32))


# ---- rounding, remainders and floor division (%, //, fmod, div rounding_mode) ----------------------------
r1 = torch.tensor([[-2.5, -1.0, 0.3, 1.7], [2.0, -0.5, 3.3, 0.0], [7.5, -7.5, 1e30, -1e-30]])
r2 = torch.tensor([[2.0, -1.5, 0.7, -0.4], [3.0, 2.0, -1.1, 5.0], [0.1, -0.1, 3.0, 2.0]])
n1 = torch.tensor([[5, -3, 7, 2], [-8, 9, 1, 4], [-7, 7, 0, -1]])
n2 = torch.tensor([[2, 2, -3, 5], [3, -4, 1, -1], [2, 2, 5, -3]])
binops = {
    'mod': lambda a, b: a % b, 'floordiv': lambda a, b: a // b, 'remainder': torch.remainder, 'fmod': torch.fmod,
    'floor_divide': torch.floor_divide, 'div-floor': lambda a, b: torch.div(a, b, rounding_mode='floor'),
    'div-trunc': lambda a, b: torch.div(a, b, rounding_mode='trunc'), 'div-none': lambda a, b: a.div(b, rounding_mode=None),
}
for name, f in binops.items():
    for dt in (torch.float32, torch.float64, torch.float16, torch.bfloat16):
        rec('%s %s' % (name, dt), lambda: f(r1.to(dt), r2.to(dt)))
        rec('%s %s scalar' % (name, dt), lambda: f(r1.to(dt), -1.5))
    rec('%s int64' % name, lambda: f(n1, n2))
    rec('%s int64 scalar' % name, lambda: f(n1, 3))
    rec('%s int64 float scalar' % name, lambda: f(n1, 2.5))
    rec('%s int32 uint8' % name, lambda: f(n1.to(torch.int32), n2.abs().to(torch.uint8)))
    rec('%s int zero' % name, lambda: f(n1, 0))
    rec('%s float zero' % name, lambda: f(r1, 0.0))
    rec('%s bool' % name, lambda: f(n1 > 0, n2 > 0))
    rec('%s bool int' % name, lambda: f(n1 > 0, 2))
    rec('grad %s' % name, grad_of(f, (3, 4), (3, 4)))
    rec('grad %s float32' % name, grad_of(f, (3, 4), (1, 4), dt=torch.float32))
rec('rmod', lambda: 7 % r1)
rec('rfloordiv', lambda: 7 // r1)
rec('remainder number first', lambda: torch.remainder(2, r2))
rec('grad rmod', grad_of(lambda a: 7 % a, (3, 4)))
rec('div bad rounding_mode', lambda: torch.div(r1, 2, rounding_mode='round'))
rec('imod', lambda: n1.clone().__imod__(4))
rec('ifloordiv', lambda: n1.clone().__ifloordiv__(-4))
rec('int64 min // -1', lambda: torch.tensor([-(2 ** 63)]) // -1)

# ---- more element-wise functions: floor, ceil, round, trunc, frac, exp2, log2, log10, expm1, rsqrt, reciprocal --
unops = {
    'floor': torch.floor, 'ceil': torch.ceil, 'round': torch.round, 'trunc': torch.trunc, 'fix': torch.fix,
    'frac': torch.frac, 'round-1': lambda a: torch.round(a * 12.3456, decimals=1),
    'round-2': lambda a: a.round(decimals=2), 'round--1': lambda a: torch.round(a * 123.4, decimals=-1),
    'exp2': torch.exp2, 'log2': lambda a: torch.log2(a.abs() + 0.5), 'log10': lambda a: torch.log10(a.abs() + 0.5),
    'expm1': torch.expm1, 'rsqrt': lambda a: torch.rsqrt(a.abs() + 0.5), 'reciprocal': lambda a: torch.reciprocal(a + 0.1),
}
for name, f in unops.items():
    # rsqrt in float16/bfloat16 is left out: PyTorch's result there is not the correctly rounded value, and on
    # CPUs with AVX512-FP16 it differs from other CPUs (an approximate reciprocal square root instruction)
    for dt in dts + (() if name == 'rsqrt' else (torch.float16, torch.bfloat16)):
        rec('%s %s' % (name, dt), lambda: f(mk((2, 5), dt)))
    rec('grad %s' % name, grad_of(f, (2, 5)))
    rec('grad %s float32' % name, grad_of(f, (2, 5), dt=torch.float32))
rec('round halves', lambda: torch.tensor([0.5, 1.5, 2.5, -0.5, -1.5, 1e20]).round())
rec('round specials', lambda: torch.tensor([float('inf'), float('nan'), -0.0]).round(decimals=3))
rec('expm1 tiny', lambda: torch.tensor([1e-10, -1e-10, 1e-30], dtype=torch.float64).expm1())

# ---- two-tensor functions: logaddexp, xlogy, atan2, hypot, copysign ------------------------------
twos = {'logaddexp': torch.logaddexp, 'xlogy': torch.xlogy, 'xlogy-abs': lambda a, b: torch.xlogy(a.abs(), b.abs()),
        'atan2': torch.atan2, 'hypot': torch.hypot, 'copysign': torch.copysign}
for name, f in twos.items():
    for dt in dts:
        rec('%s %s' % (name, dt), lambda: f(mk((2, 5), dt), mk((2, 5), dt, 1)))
    rec('%s broadcast' % name, lambda: f(mk((2, 5), torch.float64), mk((5,), torch.float64, 2)))
    rec('grad %s' % name, grad_of(f, (2, 5), (2, 5)))
    rec('grad %s float32' % name, grad_of(f, (2, 5), (1, 5), dt=torch.float32))
    rec('%s number' % name, lambda: f(mk((2, 5), torch.float32), 2.0))
rec('xlogy number first', lambda: torch.xlogy(2, mk((2, 5), torch.float32)))
rec('grad xlogy number first', grad_of(lambda b: torch.xlogy(3, b.abs()), (2, 5)))
rec('grad xlogy number', grad_of(lambda a: torch.xlogy(a, 2.5), (2, 5)))
rec('grad copysign number', grad_of(lambda a: torch.copysign(a, -1.0), (2, 5)))
rec('xlogy zeros', lambda: torch.xlogy(torch.tensor([0.0, 0.0, -0.0, 1.0]), torch.tensor([float('nan'), 0.0, 3.0, 0.0])))
rec('logaddexp infinities', lambda: torch.logaddexp(torch.tensor([float('inf'), -float('inf'), 1e30, -1e30]),
                                                    torch.tensor([float('inf'), -float('inf'), -1e30, -1e30])))
rec('sign and abs gradient at -0.0', grad_of(lambda a: (a * 0).abs() + torch.sign(a * 0), (2, 5)))

# ---- tril / triu, outer, nan_to_num, isnan / isinf / isfinite, isclose / allclose -----------------
nan, inf = float('nan'), float('inf')
for dt in dts:
    rec('tril %s' % dt, lambda: torch.tril(mk((3, 4), dt)))
    rec('triu 1 %s' % dt, lambda: torch.triu(mk((2, 3, 4), dt), 1))
    rec('tril -1 %s' % dt, lambda: mk((4, 3), dt).tril(-1))
    rec('outer %s' % dt, lambda: torch.outer(mk((3,), dt), mk((4,), dt, 1)))
    rec('nan_to_num %s' % dt, lambda: torch.nan_to_num(mk((2, 5), dt) / mk((2, 5), dt, 1)))
    rec('isclose %s' % dt, lambda: torch.isclose(mk((2, 5), dt), mk((2, 5), dt, 1)))
rec('tril 1-d', lambda: torch.tril(torch.ones(3)))
rec('triu 0-d', lambda: torch.triu(torch.tensor(1.0)))
rec('triu keeps nothing', lambda: torch.triu(mk((3, 4), torch.float32), 10))
rec('tril zeroes nan', lambda: torch.tril(torch.tensor([[nan, inf], [1.0, nan]])))
rec('grad tril', grad_of(lambda a: a.tril(1), (3, 4)))
rec('grad triu', grad_of(lambda a: torch.triu(a, -1), (2, 3, 4)))
rec('grad outer', grad_of(torch.outer, (3,), (4,)))
rec('outer 2-d', lambda: torch.outer(torch.ones(2, 2), torch.ones(2)))
rec('ger', lambda: torch.ger(torch.tensor([1., 2.]), torch.tensor([3.])))
for dt in (torch.float32, torch.float64, torch.float16, torch.bfloat16):
    rec('nan_to_num specials %s' % dt, lambda: torch.nan_to_num(torch.tensor([nan, inf, -inf, 1.5], dtype=dt)))
    rec('nan_to_num given %s' % dt, lambda: torch.tensor([nan, inf, -inf], dtype=dt).nan_to_num(2.0, 1e300, -7.0))
rec('grad nan_to_num', grad_of(lambda a: torch.nan_to_num(a.log()), (2, 5)))
rec('isnan', lambda: torch.isnan(torch.tensor([nan, 1.0, inf])))
rec('isinf', lambda: torch.isinf(torch.tensor([nan, -inf, inf, 0.0])))
rec('isfinite', lambda: torch.isfinite(torch.tensor([nan, 1.0, -inf])))
rec('isnan int', lambda: torch.isnan(torch.tensor([1, 2])))
rec('isclose nan', lambda: torch.isclose(torch.tensor([nan, 1.0]), torch.tensor([nan, 1.0 + 1e-6])))
rec('isclose equal_nan', lambda: torch.isclose(torch.tensor([nan, 1.0]), torch.tensor([nan, 1.1]), equal_nan=True))
rec('isclose tolerances', lambda: torch.isclose(torch.tensor([100.0, 1.0]), torch.tensor([101.0, 1.1]), rtol=0.01, atol=0.0))
rec('isclose infinities', lambda: torch.isclose(torch.tensor([inf, -inf, inf]), torch.tensor([inf, -inf, -inf])))
rec('isclose dtypes', lambda: torch.isclose(torch.tensor([1.0]), torch.tensor([1.0], dtype=torch.float64)))
rec('allclose', lambda: (torch.allclose(torch.tensor([1.0]), torch.tensor([1.00001])),
                         torch.allclose(torch.tensor([1.0]), torch.tensor([1.000001]))))

# ---- torch.roll, index_select, torch.linalg.vector_norm / norm -----------------------------------
for dt in dts:
    rec('roll %s' % dt, lambda: torch.roll(mk((3, 4), dt), 1, 1))
    rec('roll flat %s' % dt, lambda: mk((3, 4), dt).roll(-5))
    rec('index_select %s' % dt, lambda: mk((3, 4), dt).index_select(1, torch.tensor([3, 0, 3])))
rec('roll two dims', lambda: torch.roll(mk((2, 3, 4), torch.float32), (1, -2), (0, 2)))
rec('roll same dim twice', lambda: mk((3, 4), torch.float32).roll([1, 2], [1, 1]))
rec('roll misaligned', lambda: torch.roll(mk((3, 4), torch.float32), (1, 2), 0))
rec('grad roll', grad_of(lambda a: torch.roll(a, (1, 2), (0, 1)), (3, 4)))
rec('grad index_select', grad_of(lambda a: a.index_select(0, torch.tensor([2, 0, 2])), (3, 4)))
rec('index_select int32 index', lambda: torch.arange(6).index_select(0, torch.tensor([1, 1, 4], dtype=torch.int32)))
rec('index_select 0-d index', lambda: mk((3, 4), torch.float32).index_select(0, torch.tensor(1)))
rec('index_select out of range', lambda: mk((3, 4), torch.float32).index_select(0, torch.tensor([5])))
rec('index_select negative', lambda: mk((3, 4), torch.float32).index_select(0, torch.tensor([-1])))
rec('index_select 2-d index', lambda: mk((3, 4), torch.float32).index_select(0, torch.tensor([[0]])))
rec('index_select float index', lambda: mk((3, 4), torch.float32).index_select(0, torch.tensor([0.0])))
norms = {'vector_norm': lambda a: torch.linalg.vector_norm(a), 'vector_norm-1-dim1': lambda a: torch.linalg.vector_norm(a, 1, 1),
         'vector_norm-inf': lambda a: torch.linalg.vector_norm(a, float('inf'), dim=-1, keepdim=True),
         'vector_norm-0': lambda a: torch.linalg.vector_norm(a, 0), 'vector_norm-3-dims': lambda a: torch.linalg.vector_norm(a, 3, (0, 1)),
         'norm': torch.linalg.norm, 'norm-dim': lambda a: torch.linalg.norm(a, dim=1), 'norm-fro': lambda a: torch.linalg.norm(a, 'fro'),
         'norm-1-dim0': lambda a: torch.linalg.norm(a, 1, dim=0)}
for name, f in norms.items():
    rec('linalg %s' % name, lambda: f(mk((3, 4), torch.float32)))
    rec('grad linalg %s' % name, grad_of(f, (3, 4)))
rec('linalg norm 3-d with ord', lambda: torch.linalg.norm(torch.ones(2, 3, 4), 'fro'))
rec('linalg norm 3-d', lambda: torch.linalg.norm(torch.ones(2, 3, 4)))
rec('linalg norm bad order', lambda: torch.linalg.norm(mk((3, 4), torch.float32), 1.5))
rec('linalg norm fro of a vector', lambda: torch.linalg.norm(mk((3,), torch.float32), 'fro'))
rec('linalg vector_norm str ord', lambda: torch.linalg.vector_norm(mk((3,), torch.float32), 'fro'))
rec('linalg vector_norm dtype', lambda: torch.linalg.vector_norm(mk((3, 4), torch.float32), dtype=torch.float64))

# ---- special functions: erf, erfc, lgamma, digamma, F.gelu, torch.special -------------------------
# float64 at and around the poles; float32 away from them and from gelu's cancellation below -3 (PyTorch
# computes float32 in float steps, a few units in the last place from the double-precision values here, which
# 5 digits do not show)
poles = torch.tensor([-3.5, -2.0, -1.0, -0.5, -0.0, 0.0, 0.5, 1.0, 2.0, 2.5, 10.0, 1e-8, -1e-3, 25.0], dtype=torch.float64)
smooth = [-2.1, -1.7, -0.45, 0.05, 0.3, 0.9, 1.25, 2.2, 3.7, 6.1, 12.5]
specials = {'erf': torch.erf, 'erfc': torch.erfc, 'lgamma': torch.lgamma, 'digamma': torch.digamma, 'gelu': F.gelu,
            'gelu-tanh': lambda a: F.gelu(a, approximate='tanh'), 'special.gammaln': torch.special.gammaln,
            'special.psi': torch.special.psi, 'GELU': nn.GELU()}
for name, f in specials.items():
    rec('%s poles' % name, lambda: f(poles))
    rec('%s float32' % name, lambda: f(torch.tensor(smooth)))
    rec('grad %s' % name, grad_of(f, (2, 5)))
    rec('grad %s float32' % name, grad_of(lambda a: f(a * 0.9 + 0.05), (2, 5), dt=torch.float32))
for dt in dts[2:]:
    rec('erf %s' % dt, lambda: torch.erf(mk((2, 5), dt)))
    rec('lgamma %s' % dt, lambda: torch.lgamma(mk((2, 5), dt)))
rec('erf tails', lambda: torch.erf(torch.tensor([float('inf'), -float('inf'), 30.0, -30.0, float('nan')], dtype=torch.float64)))
rec('erfc tails', lambda: torch.erfc(torch.tensor([30.0, -30.0, 26.0, 5.0], dtype=torch.float64)))
rec('lgamma infinities', lambda: torch.lgamma(torch.tensor([float('inf'), -float('inf')])))
rec('gelu bad approximate', lambda: F.gelu(poles, approximate='bad'))
rec('gelu approximate None', lambda: F.gelu(poles, approximate=None))
rec('gelu int64', lambda: F.gelu(torch.tensor([1, 2])))
rec('GELU repr', lambda: (repr(nn.GELU()), repr(nn.GELU('tanh'))))
probs = torch.tensor([-0.5, 0.0, 1e-7, 0.3, 0.5, 0.999, 1.0, 1.5], dtype=torch.float64)
for name, f in {'logit': torch.logit, 'logit-eps': lambda a: torch.logit(a, eps=1e-6), 'logit-0.1': lambda a: a.logit(0.1),
                'special.logit': torch.special.logit, 'special.ndtr': torch.special.ndtr}.items():
    rec('%s' % name, lambda: f(probs))
    rec('%s float32' % name, lambda: f(probs.float()))
    rec('grad %s' % name, grad_of(lambda a: f(torch.sigmoid(a)), (2, 5)))
rec('logit int', lambda: torch.logit(torch.tensor([1, 0])))
rec('ndtr wide', lambda: torch.special.ndtr(torch.tensor([-40.0, -8.0, 8.0, 40.0], dtype=torch.float64)))
# integer-valued data: the sums are exact in float32 too (PyTorch sums in float, loss4j in double; where terms
# cancel the two leave different residues near 1e-7, which 5 digits would show)
for dt in dts[:3]:
    rec('bmm %s' % dt, lambda: torch.bmm(mk((2, 3, 4), torch.int64).to(dt), mk((2, 4, 5), torch.int64, 1).to(dt)))
    rec('matmul batch %s' % dt, lambda: mk((2, 3, 4), torch.int64).to(dt) @ mk((2, 4, 2), torch.int64, 1).to(dt))
    rec('matmul batch matrix %s' % dt, lambda: torch.matmul(mk((2, 3, 4), torch.int64).to(dt),
                                                            mk((4, 5), torch.int64, 1).to(dt)))
rec('grad bmm', grad_of(torch.bmm, (2, 3, 4), (2, 4, 5)))
rec('grad matmul batch', grad_of(torch.matmul, (2, 2, 3, 4), (2, 2, 4, 5)))
rec('grad matmul batch matrix', grad_of(torch.matmul, (2, 3, 4), (4, 5)))
rec('bmm 2-d', lambda: torch.bmm(torch.ones(3, 4), torch.ones(2, 4, 5)))
rec('bmm batches', lambda: torch.bmm(torch.ones(2, 3, 4), torch.ones(3, 4, 5)))
rec('bmm inner', lambda: torch.bmm(torch.ones(2, 3, 4), torch.ones(2, 5, 5)))
rec('bmm dtypes', lambda: torch.bmm(torch.ones(2, 3, 4), torch.ones(2, 4, 5, dtype=torch.float64)))
rec('matmul batch mismatch', lambda: torch.ones(2, 3, 4) @ torch.ones(3, 4, 5))
for dt in (torch.float32, torch.float64, torch.float16, torch.bfloat16):
    rec('lerp %s' % dt, lambda: torch.lerp(mk((2, 5), dt), mk((5,), dt, 1), 0.3))
    rec('lerp far %s' % dt, lambda: mk((2, 5), dt).lerp(mk((2, 5), dt, 1), 0.85))
    rec('lerp tensor weight %s' % dt, lambda: torch.lerp(mk((2, 5), dt), mk((2, 5), dt, 1), torch.sigmoid(mk((2, 1), dt, 2))))
rec('grad lerp', grad_of(lambda a, b: torch.lerp(a, b, 0.3), (2, 5), (5,)))
rec('grad lerp tensor weight', grad_of(torch.lerp, (2, 5), (2, 5), (2, 1)))
rec('lerp int', lambda: torch.lerp(torch.tensor([1, 2]), torch.tensor([3, 4]), 0.5))
rec('lerp dtypes', lambda: torch.lerp(torch.ones(2), torch.ones(2, dtype=torch.float64), 0.5))
rec('lerp_', lambda: torch.zeros(3).lerp_(torch.ones(3), 0.9))
rec('count_nonzero', lambda: torch.count_nonzero(torch.tensor([[0.0, 1.5, -0.0], [2.0, 0.0, float('nan')]])))
rec('count_nonzero dims', lambda: (torch.count_nonzero(mk((2, 3, 4), torch.int64), dim=1),
                                   mk((2, 3, 4), torch.float32).count_nonzero((0, 2)), torch.count_nonzero(mk((5,), torch.bool))))
rec('special others', lambda: (torch.special.expm1(torch.tensor([1e-9], dtype=torch.float64)),
                               torch.special.xlogy(torch.tensor([0.0, 2.0]), torch.tensor([0.0, 3.0])),
                               torch.special.log_softmax(torch.tensor([1.0, 2.0]), 0)))

# ---- activations: F.leaky_relu, F.elu, F.silu and their modules --------------------------------
acts = {'leaky_relu': F.leaky_relu, 'leaky_relu-0.2': lambda a: F.leaky_relu(a, 0.2), 'elu': F.elu,
        'elu-0.5': lambda a: F.elu(a, alpha=0.5), 'silu': F.silu, 'LeakyReLU': nn.LeakyReLU(0.1), 'ELU': nn.ELU(2.0),
        'SiLU': nn.SiLU()}
for name, f in acts.items():
    for dt in dts:
        rec('%s %s' % (name, dt), lambda: f(mk((2, 5), dt)))
    rec('grad %s' % name, grad_of(f, (2, 5)))
    rec('grad %s float32' % name, grad_of(f, (2, 5), dt=torch.float32))
rec('activation reprs', lambda: (repr(nn.LeakyReLU(0.1)), repr(nn.ELU(alpha=2.0)), repr(nn.SiLU()), repr(nn.LeakyReLU())))

# ---- nn.Module as custom loss modules use it ----------------------------------------------------
class Centers(nn.Module):
    def __init__(self, classes, dim):
        super().__init__()
        self.centers = nn.Parameter(mk((classes, dim), torch.float32))
        self.register_buffer('counts', torch.zeros(classes))
        self.register_buffer('scratch', torch.ones(1), persistent=False)
        self.inner = nn.MSELoss(reduction='sum')
        self.margin = 0.5

    def forward(self, x, y):
        return self.inner(x, self.centers[y])


mod = Centers(3, 2)
rec('module params', lambda: [n for n, _ in mod.named_parameters()])
rec('module buffers', lambda: [n for n, _ in mod.named_buffers()])
rec('module state_dict', lambda: list(mod.state_dict().keys()))
rec('module children', lambda: [type(c).__name__ for c in mod.children()])
rec('module modules', lambda: [n for n, _ in mod.named_modules()])
rec('module repr', lambda: repr(mod))
rec('module eval', lambda: (mod.eval().training, mod.inner.training, mod.train().inner.training))
rec('module to', lambda: (mod.to(torch.float64).centers.dtype, mod.counts.dtype, mod.centers.requires_grad))
rec('module param count', lambda: sum(p.numel() for p in mod.parameters()))
rec('module attr error', lambda: mod.nothing)
rec('module buffer error', lambda: mod.register_buffer('margin', torch.zeros(1)))
rec('module buffer type error', lambda: mod.register_buffer('b2', [1.0]))
rec('weighted loss buffer', lambda: list(nn.CrossEntropyLoss(weight=torch.ones(3)).state_dict().keys()))


def module_backward():
    m = Centers(3, 2).double()
    x = mk((4, 2), torch.float64, 1).requires_grad_()
    loss = m(x, torch.tensor([0, 2, 1, 2]))
    loss.backward()
    return loss, x.grad, m.centers.grad


rec('module backward', module_backward)


def fmt(v):
    if isinstance(v, float):
        # rounding noise around zero (|v| < 1e-9) prints as 0: both engines' last bits differ there
        return '0' if abs(v) < 1e-9 else '%.5g' % v
    return repr(v)


for row in out:
    if len(row) == 5:
        print(row[0], '->', row[1], row[2], '[' + ', '.join(fmt(v) for v in row[3]) + ']', row[4])
    else:
        print(row[0], '->', *row[1:])

# cosine_similarity in float16 and bfloat16: every step of 2.13's composition rounds to the dtype (values; the
# gradients can differ from PyTorch's by a unit in the last place, so they are not printed here).
for half in (torch.float16, torch.bfloat16):
    torch.manual_seed(11)
    u = (torch.randn(5, 17) * 3).to(half).requires_grad_()
    v = (torch.randn(5, 17) * 0.5).to(half).requires_grad_()
    sim = F.cosine_similarity(u, v)
    print(half, sim, F.cosine_similarity(u, v[:1]), sep='\n')
    print(F.triplet_margin_with_distance_loss(u, v, u.flip(0), distance_function=F.cosine_similarity, margin=0.3))
