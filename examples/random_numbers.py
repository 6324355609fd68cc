# loss4j example: seeded random tensors are PyTorch's own stream (torch.manual_seed, rand, randn, randint),
# so a script that builds its inputs randomly prints the same numbers under loss4j as under PyTorch.
import torch
import torch.nn.functional as F

torch.manual_seed(0)
print(torch.rand(3), torch.rand(2, dtype=torch.float64))
print(torch.randn(5), torch.randn(20), torch.randn(3, dtype=torch.float64), torch.randn(17, dtype=torch.float64))
print(torch.randint(0, 10, (6,)), torch.randint(5, (3,)))

# The documentation's usage example of a loss, with its random inputs.
torch.manual_seed(42)
input = torch.randn(3, 5, requires_grad=True)
target = torch.randn(3, 5)
loss = F.mse_loss(input, target)
loss.backward()
print(loss)
print(input.grad)
x = torch.randn(4, 5, dtype=torch.float64, requires_grad=True)
y = torch.softmax(x, dim=1)
(y * torch.rand_like(y)).sum().backward()
print(y, x.grad, sep='\n')
