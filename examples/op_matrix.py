# loss4j example: a matrix of tensor ops over dtypes (float32, float64, int64, bool), shapes (0-d, empty,
# broadcast) and Python numbers, with gradients: one line per case (values to 5 significant digits, or the
# error). Recorded from PyTorch; ScriptOutputTest compares the shim's output line for line.
import torch
import torch.nn.functional as F

out = []
def rec(name, fn):
    try:
        r = fn()
        if isinstance(r, torch.Tensor):
            out.append([name, str(r.dtype), list(r.shape), r.detach().reshape(-1).tolist() if r.numel() else [], r.grad_fn.name() if r.grad_fn else None])
        else:
            out.append([name, repr(r)])
    except Exception as e:
        out.append([name, type(e).__name__, str(e)])
def mk(shape, dt):
    n = 1
    for s in shape: n *= s
    vals = [((i * 37) % 11 - 5) * 0.37 for i in range(n)]
    if dt is torch.int64: vals = [int(v * 3) for v in vals]
    if dt is torch.bool: vals = [v > 0 for v in vals]
    t = torch.tensor(vals, dtype=dt).reshape(shape) if shape else torch.tensor(vals[0], dtype=dt)
    return t
dts = [torch.float32, torch.float64, torch.int64, torch.bool]
shapes = [(), (3,), (2, 3), (2, 1), (1, 3), (0, 3)]
bins = {'add': lambda a, b: a + b, 'sub': lambda a, b: a - b, 'mul': lambda a, b: a * b, 'div': lambda a, b: a / b, 'pow': lambda a, b: a ** b,
        'lt': lambda a, b: a < b, 'eq': lambda a, b: a == b, 'where': lambda a, b: torch.where(a > 0, a, b), 'cat0': lambda a, b: torch.cat([a, b])}
for name, f in bins.items():
    for da in dts:
        for db in dts:
            for sa in shapes:
                for sb in shapes[:4]:
                    rec('%s %s %s %s %s' % (name, da, db, sa, sb), lambda: f(mk(sa, da), mk(sb, db)))
scal = [2, 0.5, True, -1]
for name, f in bins.items():
    if name in ('where', 'cat0'): continue
    for da in dts:
        for s in scal:
            rec('%s %s scalar %r' % (name, da, s), lambda: f(mk((2, 3), da), s))
            rec('r%s %s scalar %r' % (name, da, s), lambda: f(s, mk((2, 3), da)))
uns = {'exp': torch.exp, 'log': lambda t: t.log(), 'sqrt': torch.sqrt, 'abs': torch.abs, 'neg': lambda t: -t, 'sigmoid': torch.sigmoid, 'relu': torch.relu, 'tanh': torch.tanh,
       'sum': lambda t: t.sum(), 'sum0': lambda t: t.sum(0), 'sum-1k': lambda t: t.sum(-1, keepdim=True), 'mean0': lambda t: t.mean(0), 'mean': lambda t: t.mean(),
       'norm': lambda t: t.norm(), 'norm1d': lambda t: t.norm(1, 0), 'norminf': lambda t: t.norm(float('inf'), -1), 'norm3': lambda t: t.norm(3, 0), 'norm0': lambda t: t.norm(0),
       'softmax0': lambda t: t.softmax(0), 'lsm-1': lambda t: t.log_softmax(-1), 'clamp': lambda t: t.clamp(-1, 1), 'clampf': lambda t: t.clamp(min=0.5), 'pow2': lambda t: t ** 2, 'pow.5': lambda t: t ** 0.5, 'pow-1': lambda t: t ** -1,
       'max': lambda t: t.max(), 'maxd': lambda t: t.max(0).values, 'argmax': lambda t: t.argmax(), 'argmax0': lambda t: t.argmax(0), 'flatten': lambda t: t.flatten(), 'sq': lambda t: t.squeeze(), 't': lambda t: t.t(),
       'idx': lambda t: t[0], 'slice': lambda t: t[1:], 'float': lambda t: t.float(), 'long': lambda t: t.long(), 'double': lambda t: t.double(), 'min': lambda t: t.min(), 'log1p': lambda t: t.log1p(),
       'masked': lambda t: t.masked_fill(t > 0, 7), 'mm': lambda t: t @ t.t() if t.dim() == 2 else t @ t, 'stack': lambda t: torch.stack([t, t], -1), 'cosine': lambda t: F.cosine_similarity(t, t + 1, dim=-1), 'pdist': lambda t: F.pairwise_distance(t, t * 2)}
for name, f in uns.items():
    for da in dts:
        for sa in shapes:
            rec('%s %s %s' % (name, da, sa), lambda: f(mk(sa, da)))
# gradients
for name, f in uns.items():
    for da in (torch.float32, torch.float64):
        for sa in shapes[:4]:
            def g():
                x = mk(sa, da).requires_grad_()
                y = f(x)
                if not y.requires_grad: return 'nograd'
                (y * torch.arange(1.0, y.numel() + 1).reshape(y.shape)).sum().backward() if y.numel() else y.sum().backward()
                return x.grad
            rec('grad %s %s %s' % (name, da, sa), g)

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
