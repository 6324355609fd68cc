# loss4j example: the tensor API that loss code touches, end to end, on the JVM as under PyTorch.
# Its printed output is recorded from real PyTorch (tests-parity/recorder/record_scripts.py) and
# ScriptOutputTest checks that the shim prints exactly the same text.
import array

import torch
import torch.nn as nn
import torch.nn.functional as F


def show(label, value):
    print(label + ':', value)


def attempt(label, fn):
    try:
        show(label, fn())
    except (RuntimeError, ValueError, IndexError, TypeError) as e:
        print(label + ': ' + type(e).__name__ + ': ' + str(e))


logits = torch.tensor([[0.5, -1.0, 2.0, 0.0], [1.5, 0.25, -0.75, 3.0], [-2.0, 0.0, 1.0, 0.5]],
                      requires_grad=True)
target = torch.tensor([[0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0], [0.0, 1.0, 0.0, 0.0]])

# A classifier-style chain: log_softmax, a loss, backward.
log_probs = F.log_softmax(logits, dim=1)
show('log_softmax', log_probs)
loss = F.mse_loss(log_probs.exp(), target)
loss.backward()
show('loss', loss)
show('grad', logits.grad)

# Arithmetic with broadcasting and Python numbers.
logits.grad = None
w = torch.tensor([1.0, 2.0, 0.5, -1.0])
z = ((logits * w + 1) / 2 - 0.5 * logits ** 2).sum(dim=1).mean()
z.backward()
show('z', z)
show('grad z', logits.grad)
show('rsub', 1 - w)
show('rdiv', 2 / w)
show('rpow', 2 ** w)
show('neg', -w)
show('int + float', torch.tensor([1, 2, 3]) + 0.5)
show('int / int', torch.tensor([1, 2, 3]) / torch.tensor([2, 2, 2]))
show('int * int', torch.tensor([1, 2, 3]) * 2)
show('bool + bool', torch.tensor([True, False]) + torch.tensor([False, False]))
show('float64 + 0-d float32', torch.tensor([1.0, 2.0], dtype=torch.float64) + torch.tensor(1.5))
show('int + 0-d float64', torch.tensor([1, 2]) + torch.tensor(1.5, dtype=torch.float64))

# Element-wise functions and their grad_fn.
x = torch.tensor([[0.25, -1.5, 3.0], [2.0, 0.5, -0.125]], requires_grad=True)
for name, fn in [('exp', torch.exp), ('log', lambda t: t.abs().log()), ('sqrt', lambda t: t.abs().sqrt()),
                 ('abs', torch.abs), ('sigmoid', torch.sigmoid), ('pow', lambda t: t.pow(3)),
                 ('clamp', lambda t: t.clamp(-1, 1)), ('clamp min', lambda t: torch.clamp(t, min=0)),
                 ('softmax', lambda t: torch.softmax(t, 0)), ('log_softmax', lambda t: t.log_softmax(-1))]:
    out = fn(x)
    x.grad = None
    (out * torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])).sum().backward()
    show(name, out)
    show(name + ' grad', x.grad)

# Reductions over dims, norms and distances.
show('sum dim', x.sum(1))
show('sum keepdim', x.sum(0, keepdim=True))
show('sum dims', x.sum((0, 1)))
show('mean dim', x.mean(-1))
show('norm', x.norm())
show('norm p=1 dim', x.norm(1, 1))
show('norm inf', x.norm(float('inf'), dim=0))
show('int sum', torch.tensor([[1, 2], [3, 4]]).sum(0))
a = torch.tensor([[1.0, 2.0, 3.0], [0.0, -1.0, 0.5]], requires_grad=True)
b = torch.tensor([[0.5, 2.0, 1.0], [1.0, 1.0, 1.0]])
d = F.pairwise_distance(a, b)
d.sum().backward()
show('pairwise_distance', d)
show('pairwise grad', a.grad)
a.grad = None
c = F.cosine_similarity(a, b)
c.sum().backward()
show('cosine_similarity', c)
show('cosine grad', a.grad)
show('PairwiseDistance p=1 keepdim', nn.PairwiseDistance(p=1, keepdim=True)(a, b))
show('CosineSimilarity dim=0', nn.CosineSimilarity(dim=0)(a, b))
show('modules', [nn.LogSoftmax(dim=1), nn.Softmax(dim=0), nn.Sigmoid(), nn.PairwiseDistance(),
                 nn.CosineSimilarity()])
show('nn.LogSoftmax', nn.LogSoftmax(dim=1)(a))
show('nn.Softmax', nn.Softmax(dim=1)(a))
show('nn.Sigmoid', nn.Sigmoid()(a))

# Shapes, views and indexing.
m = torch.arange(12.0).reshape(3, 4).requires_grad_()
show('size', m.size())
show('size(1)', m.size(1))
show('numel', m.numel())
show('dtype', m.dtype)
show('view', m.view(2, 6))
show('view -1', m.view(-1, 3))
show('unsqueeze', m.unsqueeze(1).shape)
show('squeeze', m.unsqueeze(0).squeeze())
show('squeeze(0)', m.unsqueeze(0).squeeze(0).shape)
show('flatten', m.flatten())
show('m[1]', m[1])
show('m[:, 2]', m[:, 2])
show('m[1:, ::2]', m[1:, ::2])
show('m[-1, -2]', m[-1, -2])
show('m[None, 0]', m[None, 0])
show('m[..., 1]', m[..., 1])
picked = m[1:, ::2]
picked.sum().backward()
show('slice grad', m.grad)

# Conversions, copies and comparisons.
show('float', torch.tensor([1, 2]).float())
show('double', m.double()[0])
show('long', torch.tensor([1.7, -2.5]).long())
show('detach', m.detach()[0])
show('clone', m.clone()[2])
show('eq', m[0] == torch.tensor([0.0, 5.0, 2.0, 7.0]))
show('gt', m[0] > 1.5)
show('le', torch.tensor([1, 2, 3]) <= 2)
show('item', m[1, 1].item())
show('tolist', m[2].tolist())

# Factories.
show('arange', torch.arange(5))
show('arange float', torch.arange(1, 2, 0.25))
show('empty', torch.empty(2, 3).shape)
show('zeros_like', torch.zeros_like(m, dtype=torch.int64))
show('ones_like', torch.ones_like(w))
show('full_like', torch.full_like(w, 7))
show('as_tensor', torch.as_tensor([1.5, 2.5], dtype=torch.float64))
show('from array', torch.tensor(array.array('d', [0.1, 0.2, 0.3])))
show('from array float64', torch.tensor(array.array('d', [0.1, 0.2]), dtype=torch.float64))
show('from int array', torch.tensor(array.array('i', [1, -2, 3])))
show('from bytearray', torch.tensor(bytearray(b'\x01\x02\xff')))
show('from memoryview', torch.tensor(memoryview(array.array('f', [1.5, 2.5]))))

# Grad mode.
with torch.no_grad():
    inside = m * 2
    inside_loss = F.mse_loss(m, torch.zeros(3, 4))
show('no_grad', (inside.requires_grad, inside.grad_fn, inside_loss.requires_grad))
show('after no_grad', (m * 2).requires_grad)
show('is_grad_enabled', torch.is_grad_enabled())

# PyTorch's errors.
attempt('bad view', lambda: m.view(5, 2))
attempt('bad index', lambda: m[3])
attempt('bad dim', lambda: m.sum(2))
attempt('bad broadcast', lambda: m + torch.ones(3))
attempt('int softmax', lambda: torch.tensor([1, 2]).softmax(0))
attempt('int mean', lambda: torch.tensor([1, 2]).mean(0))
attempt('bool sub', lambda: torch.tensor([True]) - torch.tensor([True]))
attempt('int cosine', lambda: F.cosine_similarity(torch.tensor([[1, 2]]), torch.tensor([[1, 2]])))
attempt('too many indices', lambda: m[0, 0, 0])
attempt('bytes', lambda: torch.tensor(b'\x01'))

# The dtype aliases.
print(torch.ones(2, dtype=torch.double), torch.double is torch.float64, torch.float is torch.float32,
      torch.long is torch.int64, torch.zeros(1, dtype=torch.long).dtype)
