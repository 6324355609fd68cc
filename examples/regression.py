# Regression losses on a small batch of predictions: values, reductions and gradients.
import torch
import torch.nn as nn
import torch.nn.functional as F

prediction = torch.tensor([1.5, 3.25, 5.0, 7.5], requires_grad=True)
measured = torch.tensor([1.0, 3.0, 6.0, 7.0])

for loss_fn in (nn.L1Loss(), nn.MSELoss(), nn.SmoothL1Loss(), nn.SmoothL1Loss(beta=0.25), nn.HuberLoss(delta=0.5)):
    prediction.grad = None
    loss = loss_fn(prediction, measured)
    loss.backward()
    print(loss_fn, loss, prediction.grad)

print(F.mse_loss(prediction, measured, reduction='none'))
print(F.l1_loss(prediction, measured, reduction='sum'))
print(F.smooth_l1_loss(prediction, measured, reduction='none', beta=1.0))
