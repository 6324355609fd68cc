# Ranking and embedding losses: pairs, triplets and cosine agreement.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(11)

first = torch.tensor([0.5, 2.5, 1.0], requires_grad=True)
second = torch.tensor([1.5, 2.0, 1.0], requires_grad=True)
order = torch.tensor([1.0, 1.0, -1.0])
ranking = nn.MarginRankingLoss(margin=0.25)
loss = ranking(first, second, order)
loss.backward()
print(loss, first.grad, second.grad, sep='\n')

anchor = torch.randn(3, 5, requires_grad=True)
positive = torch.randn(3, 5)
negative = torch.randn(3, 5)
triplet = nn.TripletMarginLoss(margin=1.0, p=2)
loss = triplet(anchor, positive, negative)
loss.backward()
print(loss, anchor.grad, sep='\n')

cosine = nn.CosineEmbeddingLoss(margin=0.1)
print(cosine(anchor, positive, torch.tensor([1.0, -1.0, 1.0])))
print(nn.HingeEmbeddingLoss(margin=2.0)(torch.tensor([0.5, 3.0, 1.0]), torch.tensor([1.0, -1.0, -1.0])))
print(nn.SoftMarginLoss()(torch.tensor([0.5, -2.0]), torch.tensor([1.0, -1.0])))

# A distance written in Python over torch ops: autograd flows through the lambda into the anchors.
anchor.grad = None
cosine_distance = lambda a, b: 1.0 - F.cosine_similarity(a, b)
with_distance = nn.TripletMarginWithDistanceLoss(distance_function=cosine_distance, margin=0.5, swap=True)
loss = with_distance(anchor, positive, negative)
loss.backward()
print(loss, anchor.grad, sep='\n')
