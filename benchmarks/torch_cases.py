"""The benchmark cases on the torch API, built from the case list the Java side prints
(`java ... dev.loss4j.bench.Cases`, one JSON object a line; see Cases.java for the sizes).

Used by pytorch_bench.py (real PyTorch) and by shim_bench.py, which runs unchanged under CPython with PyTorch
and under bin/loss4j-python, where `import torch` is loss4j's shim. Only the torch API is used here.
"""
import json

import torch
import torch.nn.functional as F

DTYPES = {'float32': torch.float32, 'float64': torch.float64}


def load(path, only=None):
    """The cases in the JSON-lines file at path, those whose id contains the regex `only` when given."""
    import re
    pattern = re.compile(only) if only else None
    cases = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                case = json.loads(line)
                if pattern is None or pattern.search(case['id']):
                    cases.append(case)
    return cases


def _draw(spec, dtype, gen):
    shape = tuple(spec['shape'])
    lo, hi, dist = spec['lo'], spec['hi'], spec['dist']
    if spec['type'] == 'long':
        if dist == 'randint':
            return torch.randint(int(lo), int(hi), shape, generator=gen)
        if dist == 'full':
            return torch.full(shape, int(lo), dtype=torch.long)
        if dist == 'labels':
            k = min(int(lo), shape[-1])
            labels = torch.randint(0, int(hi), (shape[0], k), generator=gen)
            return torch.cat([labels, torch.full((shape[0], shape[-1] - k), -1, dtype=torch.long)], dim=1)
        raise ValueError('no long distribution ' + dist)
    if dist == 'uniform':
        return torch.rand(shape, generator=gen, dtype=torch.float64).mul(hi - lo).add(lo).to(dtype)
    if dist == 'randint':
        return torch.randint(int(lo), int(hi), shape, generator=gen).to(dtype)
    if dist == 'sign':
        return torch.randint(0, 2, shape, generator=gen).mul(2).sub(1).to(dtype)
    if dist == 'logsoftmax':
        x = torch.rand(shape, generator=gen, dtype=torch.float64).mul(hi - lo).add(lo)
        return torch.log_softmax(x, dim=len(shape) - 1).to(dtype)
    raise ValueError('no float distribution ' + dist)


# kind -> the loss or op on the case's tensors `a` (functional form, as scripts call it), its options `o`
# and, for the adaptive softmax, its module `m`.
CALLS = {
    'l1_loss': lambda a, o, m: F.l1_loss(a[0], a[1]),
    'mse_loss': lambda a, o, m: F.mse_loss(a[0], a[1]),
    'smooth_l1_loss': lambda a, o, m: F.smooth_l1_loss(a[0], a[1]),
    'huber_loss': lambda a, o, m: F.huber_loss(a[0], a[1]),
    'binary_cross_entropy': lambda a, o, m: F.binary_cross_entropy(a[0], a[1]),
    'binary_cross_entropy_with_logits': lambda a, o, m: F.binary_cross_entropy_with_logits(a[0], a[1]),
    'binary_cross_entropy_with_logits+pos_weight':
        lambda a, o, m: F.binary_cross_entropy_with_logits(a[0], a[1], pos_weight=a[2]),
    'soft_margin_loss': lambda a, o, m: F.soft_margin_loss(a[0], a[1]),
    'multilabel_soft_margin_loss': lambda a, o, m: F.multilabel_soft_margin_loss(a[0], a[1]),
    'nll_loss': lambda a, o, m: F.nll_loss(a[0], a[1]),
    'cross_entropy': lambda a, o, m: F.cross_entropy(a[0], a[1]),
    'cross_entropy+label_smoothing':
        lambda a, o, m: F.cross_entropy(a[0], a[1], label_smoothing=o['label_smoothing']),
    'multi_margin_loss': lambda a, o, m: F.multi_margin_loss(a[0], a[1]),
    'multilabel_margin_loss': lambda a, o, m: F.multilabel_margin_loss(a[0], a[1]),
    'poisson_nll_loss': lambda a, o, m: F.poisson_nll_loss(a[0], a[1], log_input=True, full=True),
    'gaussian_nll_loss': lambda a, o, m: F.gaussian_nll_loss(a[0], a[1], a[2]),
    'kl_div': lambda a, o, m: F.kl_div(a[0], a[1], reduction='batchmean'),
    'margin_ranking_loss': lambda a, o, m: F.margin_ranking_loss(a[0], a[1], a[2]),
    'hinge_embedding_loss': lambda a, o, m: F.hinge_embedding_loss(a[0], a[1]),
    'cosine_embedding_loss': lambda a, o, m: F.cosine_embedding_loss(a[0], a[1], a[2]),
    'triplet_margin_loss': lambda a, o, m: F.triplet_margin_loss(a[0], a[1], a[2]),
    'triplet_margin_with_distance_loss': lambda a, o, m: F.triplet_margin_with_distance_loss(a[0], a[1], a[2]),
    'ctc_loss': lambda a, o, m: F.ctc_loss(a[0], a[1], a[2], a[3]),
    'adaptive_log_softmax_with_loss': lambda a, o, m: m(a[0], a[1]).loss,
    'linear_cross_entropy': lambda a, o, m: F.linear_cross_entropy(a[0], a[1], a[2]),
    'linear_cross_entropy+chunked':
        lambda a, o, m: F.linear_cross_entropy(a[0], a[1], a[2], options=torch.nn.LinearCrossEntropyOptions()),
    'log_softmax': lambda a, o, m: F.log_softmax(a[0], dim=o['dim']),
    'softmax': lambda a, o, m: F.softmax(a[0], dim=o['dim']),
    'sigmoid': lambda a, o, m: torch.sigmoid(a[0]),
    'pairwise_distance': lambda a, o, m: F.pairwise_distance(a[0], a[1]),
    'cosine_similarity': lambda a, o, m: F.cosine_similarity(a[0], a[1], dim=o['dim']),
}


class Prepared:
    """A case ready to call: forward() under torch.no_grad(), forward_backward() with the inputs that take a
    gradient as leaves whose .grad is reset to None each call (optimizer.zero_grad's default), then
    backward() (a non-scalar op output gets a gradient of ones)."""

    def __init__(self, case, seed=20261201):
        self.case = case
        self.call = CALLS[case['kind']]
        gen = torch.Generator().manual_seed(seed)
        dtype = DTYPES[case['dtype']]
        self.inputs = [_draw(spec, dtype, gen) for spec in case['inputs']]
        self.leaves = [t for t, spec in zip(self.inputs, case['inputs']) if spec['grad']]
        self.module = None
        if case['kind'] == 'adaptive_log_softmax_with_loss':
            opt = case['options']
            torch.manual_seed(7)
            self.module = torch.nn.AdaptiveLogSoftmaxWithLoss(opt['in_features'], opt['n_classes'], opt['cutoffs'],
                                                              div_value=opt['div_value'])
            if dtype != torch.float32:
                self.module = self.module.to(dtype)
            self.leaves += list(self.module.parameters())
        for t in self.leaves:
            t.requires_grad_(True)
        self.grad_output = None

    def forward(self):
        with torch.no_grad():
            return self.call(self.inputs, self.case['options'], self.module)

    def forward_backward(self):
        for t in self.leaves:
            t.grad = None
        out = self.call(self.inputs, self.case['options'], self.module)
        if out.dim() == 0:
            out.backward()
        else:
            if self.grad_output is None:
                self.grad_output = torch.ones_like(out)
            out.backward(self.grad_output)
        return self.leaves[0].grad
