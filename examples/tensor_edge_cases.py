# loss4j example: edge cases of the tensor API (dtype promotion, empty and 0-d tensors, extreme values,
# grad mode, PyTorch's error messages). Recorded from PyTorch; ScriptOutputTest compares the shim's output.
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F


def attempt(label, fn):
    try:
        print(label + ':', fn())
    except Exception as e:
        print(label + ': ' + type(e).__name__ + ': ' + str(e))
x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], requires_grad=True)
attempt('sum dtype', lambda: x.sum(dtype=torch.float64))
attempt('sum dim dtype', lambda: x.sum(1, dtype=torch.float64))
attempt('ragged', lambda: torch.tensor([[1, 2], [3]]))
attempt('neg slice', lambda: x[-1:, -2:])
attempt('step0', lambda: x[::0])
attempt('negstep', lambda: x[::-1])
attempt('empty slice', lambda: x[1:1])
attempt('squeeze5', lambda: x.squeeze(5))
attempt('unsqueeze3', lambda: x.unsqueeze(3))
attempt('unsqueeze-3', lambda: x.unsqueeze(-3).shape)
attempt('flatten0d', lambda: torch.tensor(2.0).flatten())
attempt('view -1 4', lambda: x.view(-1, 4))
attempt('view two -1', lambda: x.view(-1, -1))
attempt('clamp min>max', lambda: x.clamp(1, 0))
attempt('clamp none', lambda: x.clamp())
attempt('pow neg frac', lambda: x ** 0.5)
attempt('pow int neg', lambda: torch.tensor([2, 3]) ** -1)
attempt('pow int float', lambda: torch.tensor([2, 3]) ** 0.5)
attempt('pow 0', lambda: x ** 0)
z = torch.zeros(2, 3, requires_grad=True)
n = z.norm(); n.backward(); print('norm0 grad', z.grad)
z.grad = None; n = z.norm(dim=1).sum(); n.backward(); print('norm0 dim grad', z.grad)
attempt('cos zeros', lambda: F.cosine_similarity(torch.zeros(2, 3), torch.ones(2, 3)))
attempt('pairwise bcast', lambda: F.pairwise_distance(torch.ones(2, 3), torch.tensor([0.5, 1.0, 2.0])))
attempt('pairwise 1d', lambda: F.pairwise_distance(torch.tensor([1.0, 2.0]), torch.tensor([0.5, 1.0])))
attempt('bool*2', lambda: torch.tensor([True, False]) * 2)
attempt('int*True', lambda: torch.tensor([1, 2]) * True)
attempt('bool*0.5', lambda: torch.tensor([True, False]) * 0.5)
attempt('long neg', lambda: torch.tensor([-1.7, 2.9]).long())
attempt('len', lambda: len(x))
attempt('iter', lambda: [r for r in x])
attempt('req int', lambda: torch.tensor([1, 2]).requires_grad_())
attempt('item multi', lambda: x.item())
attempt('int item', lambda: torch.tensor([3]).item())
attempt('empty sum', lambda: torch.zeros(0, 3).sum(1))
attempt('empty sum0', lambda: torch.zeros(0, 3).sum(0))
attempt('empty mean', lambda: torch.zeros(0, 3).mean(0))
attempt('empty softmax', lambda: torch.zeros(0, 3).softmax(1))
attempt('empty norm', lambda: torch.zeros(0, 3).norm(dim=0))
attempt('0d softmax', lambda: torch.tensor(2.0).softmax(0))
attempt('0d sum dim', lambda: torch.tensor(2.0).sum(0))
attempt('0d sum dim keep', lambda: torch.tensor(2.0).sum(0, keepdim=True))
attempt('0d index', lambda: torch.tensor(2.0)[0])
attempt('0d ellipsis', lambda: torch.tensor(2.0)[...])
attempt('0d none', lambda: torch.tensor(2.0)[None])
attempt('mixed dtypes', lambda: torch.ones(2, dtype=torch.float64) * torch.ones(2))
attempt('f64 grad to f32', lambda: (x * torch.ones(3, dtype=torch.float64)).dtype)
attempt('eq scalar float', lambda: torch.tensor([0.1]) == 0.1)
attempt('eq nan', lambda: torch.tensor([float('nan')]) == torch.tensor([float('nan')]))
attempt('log softmax dtype', lambda: F.log_softmax(torch.tensor([[1, 2]]), 1, dtype=torch.float64))
attempt('softmax neg inf', lambda: torch.tensor([[float('-inf'), float('-inf')], [0., float('-inf')]]).softmax(1))
attempt('log_softmax big', lambda: torch.tensor([[1e4, -1e4, 0.]]).log_softmax(1))
attempt('sigmoid big', lambda: torch.tensor([-1e4, 1e4, 0., 88.7, -88.7]).sigmoid())
attempt('exp big', lambda: torch.tensor([100., -100., 88.8]).exp())
attempt('log0', lambda: torch.tensor([0., -1., 1e-45]).log())
attempt('sum bools', lambda: (x > 0).sum())
attempt('mean int', lambda: torch.tensor([1, 2]).mean())
attempt('norm int', lambda: torch.tensor([1, 2]).norm())
attempt('softmax dim oob', lambda: x.softmax(2))
attempt('squeeze -1', lambda: torch.ones(2, 1).squeeze(-1))
attempt('expand', lambda: torch.tensor([1., 2.]).expand(3, 2))
attempt('expand bad', lambda: torch.tensor([1., 2.]).expand(3, 3))
attempt('size bad', lambda: x.size(3))
attempt('sub alpha', lambda: torch.tensor([1.0]) - torch.tensor([2.0], dtype=torch.float64))
attempt('div zero', lambda: torch.tensor([1.0, 0.0, -1.0]) / 0)
attempt('int div zero', lambda: torch.tensor([1, 0]) / 0)
attempt('abs int', lambda: torch.tensor([-3, 2]).abs())
attempt('neg int', lambda: -torch.tensor([-3, 2]))
attempt('clamp int', lambda: torch.tensor([-3, 2, 5]).clamp(0, 3))
attempt('clamp int float', lambda: torch.tensor([-3, 2, 5]).clamp(0.5, 3))
attempt('arange neg', lambda: torch.arange(-1, -5, -1.5))
attempt('arange f64', lambda: torch.arange(3, dtype=torch.float64))
attempt('arange bad', lambda: torch.arange(1, 0, 1))
attempt('full int', lambda: torch.full((2,), 3))
attempt('tensor from tensor', lambda: torch.tensor(torch.tensor([1, 2]), dtype=torch.float32))
@torch.no_grad()
def f(t):
    return t * 2
attempt('decorator', lambda: f(x).requires_grad)
with torch.no_grad():
    with torch.enable_grad():
        print('enable inside', (x * 2).requires_grad)
    print('still off', (x * 2).requires_grad, torch.is_grad_enabled())
print('on', torch.is_grad_enabled())
torch.set_grad_enabled(False); print('set off', (x * 2).requires_grad); torch.set_grad_enabled(True)
attempt('detach', lambda: x.detach().requires_grad)
attempt('clone grad_fn', lambda: x.clone().grad_fn.name())
attempt('to', lambda: x.to(torch.float64).dtype)
attempt('type_as', lambda: torch.tensor([1, 2]).type_as(x))
attempt('is_floating', lambda: (torch.is_floating_point(x), x.long().is_floating_point()))
attempt('numel', lambda: torch.numel(x))
attempt('f-string', lambda: f'{x.sum():.3f}')
attempt('big print', lambda: torch.arange(2000.0).view(40, 50) / 7)
attempt('sci print', lambda: torch.tensor([1e-5, 1.0, 1e5]))
for f in [lambda: torch.tensor([1,2], requires_grad=True), lambda: torch.zeros(2, dtype=torch.int64, requires_grad=True), lambda: torch.arange(3, requires_grad=True), lambda: torch.full((2,), 3, requires_grad=True)]:
    attempt('factory grad', f)
attempt('unbind', lambda: x.unbind(1))
attempt('stepneg', lambda: x[::-2])

# Joining tensors.

a = torch.ones(2, 2, requires_grad=True); b = torch.zeros(2, 3, dtype=torch.float64)
c = torch.cat([a, b], 1); print(c)
(c * torch.arange(10.0).view(2, 5)).sum().backward(); print(a.grad)
a.grad = None
s = torch.stack([a, a * 2], 2); print(s.shape, s)
(s * torch.arange(8.0).view(2, 2, 2)).sum().backward(); print(a.grad)
print(torch.stack([torch.tensor(1.), torch.tensor(2.)]), torch.cat((torch.ones(2, 3), torch.zeros(0))))
for f in [lambda: torch.cat([a, b]), lambda: torch.stack([a, b]), lambda: torch.cat([]), lambda: torch.stack([]), lambda: torch.cat([torch.tensor(1.), torch.tensor(2.)]), lambda: torch.cat([a, a], 2), lambda: torch.stack([a, a], 3), lambda: torch.tensor([torch.tensor(1.5), torch.tensor(2.)]), lambda: torch.tensor([torch.tensor([1.5]), torch.tensor([2.])]), lambda: torch.tensor([torch.tensor([1.5, 2.]), torch.tensor([2., 3])]),
          lambda: torch.tensor([torch.tensor(1.5, dtype=torch.float64), torch.tensor(2)]), lambda: torch.tensor([torch.tensor(1), torch.tensor(2)]), lambda: torch.tensor([torch.tensor(1.5, requires_grad=True), 2.0]), lambda: torch.tensor([[torch.tensor(1.)], [torch.tensor(2.)]]), lambda: torch.stack([torch.tensor([1, 2]), torch.tensor([3, 4])], -1)]:
    try: print(f())
    except Exception as e: print(type(e).__name__, e)

# Selection ops and more activations.
x = torch.tensor([[0.5, -1.0, 2.0], [0.0, 3.0, -2.0]], requires_grad=True)
t = torch.tensor([2, 0])
w = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
for name, fn in [('relu', F.relu), ('torch.relu', torch.relu), ('nn.ReLU', nn.ReLU()), ('tanh', torch.tanh), ('nn.Tanh', nn.Tanh()),
                 ('log1p', lambda v: v.abs().log1p()), ('where', lambda v: torch.where(v > 0, v, v * 2)), ('where scalar', lambda v: torch.where(v > 0, v, 0.0)),
                 ('masked_fill', lambda v: v.masked_fill(v > 1, -5.0)), ('gather', lambda v: v.gather(1, t.unsqueeze(1))),
                 ('gather0', lambda v: v.gather(0, torch.tensor([[1, 0, 1], [1, 1, 0]]))), ('max', torch.max), ('min', lambda v: v.min())]:
    out = fn(x)
    x.grad = None
    (out * w[:out.shape[0], :out.shape[1]] if out.dim() == 2 else out * 1.5).sum().backward()
    print(name, out, x.grad)
z = torch.tensor([1.0, 3.0, 3.0], requires_grad=True); z.max().backward(); print('max ties', z.grad)
print(nn.ReLU(), nn.ReLU(inplace=True), nn.Tanh())
attempt('max int', lambda: torch.tensor([3, 1]).max())
attempt('max empty', lambda: torch.zeros(0).max())
attempt('max nan', lambda: torch.tensor([1.0, float('nan')]).max())
attempt('gather oob', lambda: x.gather(1, torch.tensor([[3], [0]])))
attempt('gather float idx', lambda: x.gather(1, torch.tensor([[1.0], [0.0]])))
attempt('gather rank', lambda: x.gather(1, torch.tensor([1, 0])))
attempt('where nonbool', lambda: torch.where(torch.tensor([1, 0]), torch.ones(2), torch.zeros(2)))
attempt('where promote', lambda: torch.where(torch.tensor([True, False]), torch.tensor([1, 2]), torch.tensor([0.5, 0.5])))
attempt('masked_fill int float', lambda: torch.tensor([1, 2]).masked_fill(torch.tensor([True, False]), 0.5))
attempt('masked_fill nonbool', lambda: x.masked_fill(torch.tensor([1, 0, 1]), 0.0))
attempt('masked_fill bcast', lambda: x.masked_fill(torch.tensor([True, False, True]), 9.0))
attempt('relu int', lambda: torch.relu(torch.tensor([-1, 2])))
attempt('tanh int', lambda: torch.tanh(torch.tensor([-1, 2])))

# Transposes, matrix products, max/min along a dim, argmax.
x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 3.0, -2.0]], requires_grad=True)
m = torch.tensor([[1.0, 2.0], [0.5, -1.0], [3.0, 0.25]], requires_grad=True)
for name, fn in [('t', lambda: x.t()), ('T', lambda: x.T), ('transpose', lambda: x.transpose(0, 1)), ('permute', lambda: x.unsqueeze(0).permute(2, 0, 1)),
                 ('mm', lambda: x.mm(m)), ('@', lambda: x @ m), ('mv', lambda: x.mv(torch.tensor([1.0, 2.0, 3.0]))), ('dot', lambda: x[0].dot(m[:, 0])),
                 ('vec@mat', lambda: x[0] @ m), ('max dim', lambda: x.max(1).values), ('min dim keep', lambda: torch.min(x, 0, keepdim=True).values)]:
    x.grad = None; m.grad = None
    out = fn()
    (out * torch.arange(1.0, out.numel() + 1).view(out.shape)).sum().backward()
    print(name, out, x.grad, m.grad)
print(x.max(1))
print(torch.max(x, dim=0, keepdim=True))
v, i = x.min(1); print(v, i)
print(x.argmax(), x.argmax(1), x.argmin(0, keepdim=True), x.argmax(keepdim=True), torch.tensor([1.0, float('nan'), 3.0]).max(0))
attempt('t 3d', lambda: torch.ones(1, 2, 3).t())
attempt('mm bad', lambda: x.mm(x))
attempt('mm dtype', lambda: x.mm(m.double()))
attempt('dot bad', lambda: torch.ones(2).dot(torch.ones(3)))
attempt('max empty dim', lambda: torch.zeros(0, 2).max(0))
attempt('permute dup', lambda: x.permute(0, 0))
attempt('int mm', lambda: torch.tensor([[1, 2]]) @ torch.tensor([[3], [4]]))

# Legacy constructors and new_* factories.
print(torch.Tensor([1,2]), torch.Tensor(2,3).shape, torch.Tensor(), torch.LongTensor([1,2]), torch.FloatTensor([[1,2]]), torch.DoubleTensor([1]), torch.BoolTensor([1,0]))
x=torch.tensor([1.,2.],dtype=torch.float64)
print(x.new_zeros(2,3), x.new_ones((2,)), x.new_full((2,), 3), x.new_tensor([1,2]), x.new_empty(2).shape)
print(isinstance(x, torch.FloatTensor), isinstance(x, torch.Tensor), torch.Tensor(torch.tensor([1.,2.])), isinstance(x, torch.DoubleTensor), type(torch.Tensor([1])) is torch.Tensor)
