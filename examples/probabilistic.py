# Likelihood-based losses: Poisson and Gaussian negative log likelihoods, KL divergence.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(7)

rates = torch.tensor([0.5, 2.0, 4.5])
counts = torch.tensor([0.0, 3.0, 5.0])
print(nn.PoissonNLLLoss()(rates.log(), counts))
print(nn.PoissonNLLLoss(log_input=False, full=True, eps=1e-8)(rates, counts))

mean = torch.randn(4, 3, requires_grad=True)
observed = torch.randn(4, 3)
per_element_var = torch.ones(4, 3, requires_grad=True)
shared_var = torch.ones(4, 1, requires_grad=True)
gaussian = nn.GaussianNLLLoss()
loss = gaussian(mean, observed, per_element_var)
loss.backward()
print(loss, mean.grad, per_element_var.grad, sep='\n')
loss = gaussian(mean, observed, shared_var)
loss.backward()
print(loss, shared_var.grad, sep='\n')

log_q = torch.log_softmax(torch.tensor([1.0, 3.0, 5.0]), dim=0)
p = torch.tensor([0.2, 0.3, 0.5])
print(nn.KLDivLoss(reduction='sum')(log_q, p))
print(F.kl_div(log_q, p, reduction='batchmean'))
print(F.kl_div(log_q, p.log(), reduction='sum', log_target=True))
