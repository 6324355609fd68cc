# loss4j example: in-place tensor ops and a plain SGD training loop (torch.no_grad, add_(alpha=), grad.zero_()).
# Recorded from PyTorch; ScriptOutputTest compares the shim's output.
import torch
x = torch.tensor([1., 2.], requires_grad=True)
y = x * 2; y.add_(1); print(y)
y = x * 2; y.mul_(torch.tensor([2., 3.])); print(y); y.sum().backward(); print(x.grad)
y = x * 2; y.sub_(1); print(y); y = x * 2; y.div_(2); print(y); y = x * 2; y.clamp_(0, 3); print(y)
try: x.add_(1)
except Exception as e: print(type(e).__name__, e)
a = torch.tensor([1, 2])
try: a.add_(0.5)
except Exception as e: print(type(e).__name__, e)
b = torch.tensor([1., 2.]); b.add_(torch.tensor([1., 1.], dtype=torch.float64)); print(b)
with torch.no_grad():
    x -= 0.1 * x.grad
print(x, x.grad, x.is_leaf)
x.grad.zero_(); print(x.grad)
g = x.grad; g += 1; print(x.grad)
c = torch.ones(2); c += 1; print(c); c *= torch.tensor([2., 3.]); print(c); c /= 2; print(c)
try: c.add_(torch.ones(3))
except Exception as e: print(type(e).__name__, e)
try: c.add_(torch.ones(2, 2))
except Exception as e: print(type(e).__name__, e)
# A training loop: plain SGD on a least-squares fit.
w = torch.tensor([0.5, -0.25], requires_grad=True)
xs = torch.tensor([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]])
ys = torch.tensor([1.0, 2.0, 0.5])
for step in range(5):
    loss = ((xs @ w - ys) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w.add_(w.grad, alpha=-0.1)
        w.grad.zero_()
    print(step, round(loss.item(), 5), w)
d = torch.zeros(3); d.copy_(torch.tensor([1, 2, 3])); print(d); d.fill_(2.5); print(d); d.zero_(); print(d)
