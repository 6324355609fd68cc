# A per-pixel NLL script whose model needs a convolution: loss4j stops at nn.Conv2d with a clear error.
import torch
import torch.nn as nn

batch, classes = 5, 4
criterion = nn.NLLLoss()
images = torch.randn(batch, 16, 10, 10)
conv = nn.Conv2d(16, classes, (3, 3))
labels = torch.empty(batch, 8, 8, dtype=torch.long).random_(0, classes)
print(criterion(nn.LogSoftmax(dim=1)(conv(images)), labels))
