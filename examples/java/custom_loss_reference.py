# The computation of CustomLossExample.java in PyTorch, printing the same lines (its recorded output is
# what the example must print).
import torch
import torch.nn.functional as F


def robust_loss(prediction, target):
    return F.smooth_l1_loss(prediction, target, beta=0.5, reduction='sum')


target = torch.tensor([[0.0, -1.0], [2.0, 1.0]])
weights = torch.tensor([[0.25, -1.5], [3.0, 0.125]])
for step in range(3):
    prediction = weights.clone().requires_grad_(True)
    value = robust_loss(prediction, target)
    value.backward()
    print('step %d: loss %s' % (step, value))
    print('grad %s' % prediction.grad)
    weights = weights - 0.5 * prediction.grad
