# The training run of the AOT cache (python-shim/src/runtime/build-runtime.sh): what a typical loss script does,
# so that the JVM classes it needs (GraalPy's, the engine's, the Graal compiler's) are in the cache, loaded and
# linked. Long enough for Truffle to compile the hot paths; the output is thrown away.
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
x = torch.randn(4, 5, requires_grad=True)
y = torch.randn(4, 5)
labels = torch.tensor([1, 0, 4, 2])
probs = torch.rand(4, 5)
losses = [
    lambda: F.mse_loss(x, y), lambda: F.l1_loss(x, y, reduction='sum'), lambda: F.smooth_l1_loss(x, y),
    lambda: F.cross_entropy(x, labels), lambda: F.nll_loss(F.log_softmax(x, dim=1), labels),
    lambda: F.binary_cross_entropy(torch.sigmoid(x), probs), lambda: F.binary_cross_entropy_with_logits(x, probs),
    lambda: F.kl_div(F.log_softmax(x, 1), F.softmax(y, 1), reduction='batchmean'),
    lambda: nn.HuberLoss()(x, y), lambda: nn.MSELoss(reduction='none')(x, y).sum(),
]
for step in range(300):
    for loss_fn in losses:
        x.grad = None
        loss = loss_fn()
        loss.backward()
print(loss, x.grad, torch.arange(6.).reshape(2, 3), torch.zeros(2, dtype=torch.int64).tolist())
with warnings.catch_warnings(record=True):
    warnings.simplefilter('always')
    F.mse_loss(torch.ones(2, 1), torch.ones(2))
try:
    F.mse_loss(torch.ones(3), torch.ones(4))
except RuntimeError as e:
    print(e)
