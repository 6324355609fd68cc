# loss4j's first demo: PyTorch loss code, unchanged, on the JVM.
import torch
import torch.nn as nn

x = torch.tensor([[0.25, -1.5], [3.0, 0.125]], requires_grad=True)
y = torch.tensor([[0.0, -1.0], [2.0, 1.0]])

out = nn.MSELoss(reduction='none')(x, y)
print(out)
out.sum().backward()
print(x.grad)

for loss_fn in (nn.MSELoss(), nn.L1Loss(), nn.L1Loss(reduction='sum')):
    x.grad = None
    loss = loss_fn(x, y)
    loss.backward()
    print(loss_fn, loss, x.grad, sep='\n')
