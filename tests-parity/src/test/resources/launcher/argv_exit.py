import sys
import torch
print(sys.argv[1:], __name__)
print(torch.nn.MSELoss()(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 4.0])))
sys.exit(int(sys.argv[1]))
