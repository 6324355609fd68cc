# Classification losses: NLL over log-probabilities, cross entropy on raw scores, margin losses.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(3)

scores = torch.randn(4, 6, requires_grad=True)
labels = torch.empty(4, dtype=torch.long).random_(0, 6)
print(labels)

log_probs = nn.LogSoftmax(dim=1)(scores)
nll = nn.NLLLoss()(log_probs, labels)
nll.backward()
print(nll)
print(scores.grad)

scores.grad = None
ce = nn.CrossEntropyLoss(label_smoothing=0.1)(scores, labels)
ce.backward()
print(ce, scores.grad, sep='\n')

weighted = F.cross_entropy(scores, labels, weight=torch.tensor([1.0, 2.0, 1.0, 0.5, 1.0, 1.0]), ignore_index=2)
print(weighted)

multi_label = nn.MultiLabelMarginLoss()
print(multi_label(torch.tensor([[0.5, 1.5, -0.5, 2.0]]), torch.tensor([[3, 0, -1, 1]])))
print(nn.MultiMarginLoss(p=2, margin=0.5)(torch.tensor([[0.1, 0.8, 0.3], [0.9, 0.2, 0.4]]), torch.tensor([1, 2])))

# Adaptive softmax over 10 classes (4 in the head, two tail clusters), then the same module in float64:
# Module.double() converts its head and tail parameters in place, as it converts any module's.
adaptive = nn.AdaptiveLogSoftmaxWithLoss(8, 10, [4, 7], div_value=2.0)
features = torch.randn(5, 8, requires_grad=True)
classes = torch.tensor([0, 3, 5, 8, 9])
result = adaptive(features, classes)
result.loss.backward()
print(result.output, result.loss, features.grad, adaptive.head.weight.grad[:2], sep="\n")
print(type(adaptive.head.weight).__name__, [(k, v.dtype) for k, v in adaptive.state_dict().items()])
adaptive.double()
result64 = adaptive(features.detach().double(), classes)
print(result64.loss, adaptive.predict(features.detach().double()), adaptive.log_prob(features.detach().double()).dtype)
