import torch; import torch.nn.functional as F; print(F.mse_loss(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.5, 2.0, 2.0])).item())
