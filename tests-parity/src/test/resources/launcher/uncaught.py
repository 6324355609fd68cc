import torch.nn.functional as F
import torch

try:
    F.mse_loss(torch.ones(2), torch.ones(2), reduction='avg')
except ValueError as e:  # engine errors are Python exceptions that `except` catches
    print('caught:', e)
F.l1_loss(torch.ones(2, 3), torch.ones(2, 4))
