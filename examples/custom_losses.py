# loss4j example: losses people write by hand from torch ops, each written here from its published formula
# (focal, Dice, Tversky, IoU/GIoU/DIoU, NT-Xent, InfoNCE, SupCon, center, ArcFace, CosFace, batch-hard triplet,
# Lovasz hinge, quantile, log-cosh, label smoothing, distillation, OHEM, mixup, SSIM, deep supervision, ...).
# Every loss runs forward and backward in float32 and float64 and prints its value (with grad_fn) and the
# gradients of its inputs (4 significant digits in float32, 6 in float64). Recorded from PyTorch;
# ScriptOutputTest compares the shim's output line for line.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

N, C, D = 6, 4, 5


def data(dt):
    """Fixed inputs for every loss: logits, labels, embeddings, boxes, regression targets."""
    torch.manual_seed(7)
    d = {
        'logits': torch.randn(N, C),
        'binary': torch.randn(N, 3),
        'bin_t': (torch.rand(N, 3) > 0.5).float(),
        'labels': torch.tensor([0, 2, 1, 3, 2, 0]),
        'emb': torch.randn(N, D),
        'emb2': torch.randn(N, D),
        'pred': torch.randn(N, 3),
        'target': torch.randn(N, 3),
        'seg': torch.randn(2, C, 3, 3),
        'seg_t': torch.randint(0, C, (2, 3, 3)),
        'centers': torch.randn(C, D),
        'weight': torch.randn(C, D),
        'teacher': torch.randn(N, C),
    }
    xy = torch.rand(N, 2) * 4
    wh = torch.rand(N, 2) * 3 + 0.5
    d['boxes'] = torch.cat([xy, xy + wh], dim=1)
    xy2 = xy + torch.randn(N, 2) * 0.7
    d['boxes_t'] = torch.cat([xy2, xy2 + wh * (torch.rand(N, 2) + 0.5)], dim=1)
    d['img'] = torch.rand(2, 3, 16, 16)
    d['img2'] = (d['img'] + 0.2 * torch.randn(2, 3, 16, 16)).clamp(0, 1)
    d['side8'] = torch.randn(2, C, 8, 8)
    d['side4'] = torch.randn(2, C, 4, 4)
    d['seg16'] = torch.randint(0, C, (2, 16, 16))
    return {k: (v.to(dt) if v.is_floating_point() else v) for k, v in d.items()}


# ---- classification -------------------------------------------------------------------------------
def sigmoid_focal(x, t, alpha=0.25, gamma=2.0):
    # FL = -alpha_t (1 - p_t)^gamma log(p_t), p_t the probability of the true label (Lin et al., 2017)
    p = torch.sigmoid(x)
    ce = F.binary_cross_entropy_with_logits(x, t, reduction='none')
    p_t = p * t + (1 - p) * (1 - t)
    alpha_t = alpha * t + (1 - alpha) * (1 - t)
    return (alpha_t * ce * (1 - p_t) ** gamma).mean()


def softmax_focal(logits, labels, gamma=2.0):
    logp = F.log_softmax(logits, dim=1).gather(1, labels[:, None]).squeeze(1)
    return (-(1 - logp.exp()) ** gamma * logp).mean()


def label_smoothing_ce(logits, labels, eps=0.1):
    # targets: 1 - eps on the true class plus eps spread evenly over all C classes
    k = logits.shape[1]
    target = F.one_hot(labels, k).to(logits.dtype) * (1 - eps) + eps / k
    return -(target * F.log_softmax(logits, dim=-1)).sum(dim=-1).mean()


def poly1(logits, labels, eps=1.0):
    # Poly-1: cross entropy plus eps (1 - p_t) (Leng et al., 2022)
    p_t = (F.one_hot(labels, logits.shape[1]) * logits.softmax(1)).sum(1)
    return (F.cross_entropy(logits, labels, reduction='none') + eps * (1 - p_t)).mean()


def distillation(student, teacher, labels, T=3.0, w=0.7):
    # KD: T^2 KL(softmax(teacher / T) || softmax(student / T)) blended with the hard-label loss (Hinton et al.)
    soft = F.kl_div(F.log_softmax(student / T, dim=1), F.softmax(teacher / T, dim=1), reduction='batchmean')
    return w * soft * T * T + (1 - w) * F.cross_entropy(student, labels)


def mixup_ce(logits, labels, lam=0.3):
    perm = torch.tensor([3, 0, 5, 1, 2, 4])
    return lam * F.cross_entropy(logits, labels) + (1 - lam) * F.cross_entropy(logits, labels[perm])


def ohem_ce(logits, labels, keep=3):
    # online hard example mining: average the `keep` largest per-sample losses
    per = F.cross_entropy(logits, labels, reduction='none')
    hard, _ = per.topk(keep)
    return hard.mean()


def asymmetric(x, t, gn=4.0, gp=1.0, clip=0.05):
    # ASL (Ridnik et al., 2021): focusing gamma- on negatives, whose probability is shifted down by `clip`
    p = torch.sigmoid(x)
    p_neg = (p - clip).clamp(min=0)
    lp = t * (1 - p) ** gp * torch.log(p.clamp(min=1e-8))
    ln = (1 - t) * p_neg ** gn * torch.log((1 - p_neg).clamp(min=1e-8))
    return -(lp + ln).sum() / x.shape[0]


# ---- segmentation ---------------------------------------------------------------------------------
def soft_dice(x, t, smooth=1.0):
    p = torch.sigmoid(x)
    inter = (p * t).sum(dim=1)
    return (1 - (2 * inter + smooth) / (p.sum(dim=1) + t.sum(dim=1) + smooth)).mean()


def multiclass_dice(seg, seg_t, eps=1e-6):
    p = seg.softmax(dim=1)
    onehot = F.one_hot(seg_t, seg.shape[1]).permute(0, 3, 1, 2).to(seg.dtype)
    dims = (0, 2, 3)
    inter = (p * onehot).sum(dims)
    card = (p + onehot).sum(dims)
    return 1 - (2 * inter / card.clamp_min(eps)).mean()


def generalized_dice(seg, seg_t, eps=1e-6):
    # class weights 1 / (sum of the class's target)^2 (Sudre et al., 2017)
    p = seg.softmax(dim=1)
    onehot = F.one_hot(seg_t, seg.shape[1]).permute(0, 3, 1, 2).to(seg.dtype)
    w = 1 / (onehot.sum((0, 2, 3)) ** 2).clamp_min(eps)
    inter = (w * (p * onehot).sum((0, 2, 3))).sum()
    union = (w * (p + onehot).sum((0, 2, 3))).sum()
    return 1 - 2 * inter / union


def tversky(x, t, a=0.3, b=0.7, smooth=1.0):
    p = torch.sigmoid(x).flatten()
    t = t.flatten()
    tp = (p * t).sum()
    fp = (p * (1 - t)).sum()
    fn = ((1 - p) * t).sum()
    return 1 - (tp + smooth) / (tp + a * fp + b * fn + smooth)


def focal_tversky(x, t, gamma=0.75):
    return tversky(x, t) ** gamma


def soft_jaccard(x, t, smooth=1.0):
    p = torch.sigmoid(x)
    inter = (p * t).sum()
    return 1 - (inter + smooth) / (p.sum() + t.sum() - inter + smooth)


def lovasz_hinge(x, t):
    # Lovasz hinge (Berman et al., 2018): hinge errors sorted descending, weighted by the Lovasz extension's
    # gradient of the Jaccard loss
    logits, labels = x.flatten(), t.flatten()
    signs = 2 * labels - 1
    errors = 1 - logits * signs
    errors_sorted, perm = torch.sort(errors, dim=0, descending=True)
    gt = labels[perm]
    total = gt.sum()
    inter = total - gt.cumsum(0)
    union = total + (1 - gt).cumsum(0)
    jac = 1 - inter / union
    grad = torch.cat([jac[:1], jac[1:] - jac[:-1]])
    return torch.dot(F.relu(errors_sorted), grad)


def pixel_ce_masked(seg, seg_t):
    # cross entropy over pixels whose label is not class 0 (a mask picks them out)
    logp = F.log_softmax(seg, dim=1).permute(0, 2, 3, 1).reshape(-1, seg.shape[1])
    lab = seg_t.reshape(-1)
    keep = lab != 0
    return F.nll_loss(logp[keep], lab[keep])


# ---- metric learning ------------------------------------------------------------------------------
def nt_xent(a, b, tau=0.5):
    # SimCLR's NT-Xent: each view's positive is its other view; every other sample in the batch is a negative
    z = F.normalize(torch.cat([a, b]), dim=1)
    n = a.shape[0]
    sim = z @ z.t() / tau
    sim = sim.masked_fill(torch.eye(2 * n, dtype=torch.bool), float('-inf'))
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, targets)


def info_nce(q, k, tau=0.1):
    logits = F.normalize(q, dim=-1) @ F.normalize(k, dim=-1).T / tau
    return F.cross_entropy(logits, torch.arange(q.shape[0]))


def supcon(z, labels, tau=0.2):
    # supervised contrastive (Khosla et al., 2020): mean log-probability of the same-label samples
    z = F.normalize(z, dim=1)
    n = z.shape[0]
    logits = z @ z.t() / tau
    self_mask = torch.eye(n, dtype=torch.bool)
    logits = logits.masked_fill(self_mask, -1e9)
    pos = (labels[:, None] == labels[None, :]) & ~self_mask
    log_prob = logits - logits.exp().sum(1, keepdim=True).log()
    count = pos.sum(1)
    per = (log_prob * pos).sum(1) / count.clamp_min(1)
    return -per[count > 0].mean()


def batch_hard_triplet(z, labels, margin=0.3):
    # hardest positive and hardest negative per anchor from the distance matrix (Hermans et al., 2017)
    d = torch.cdist(z, z)
    same = labels[:, None] == labels[None, :]
    hardest_pos = (d * same).max(dim=1).values
    hardest_neg = torch.where(same, torch.full_like(d, 1e6), d).min(dim=1).values
    return F.relu(hardest_pos - hardest_neg + margin).mean()


def contrastive_pairs(a, b, margin=2.0):
    # Hadsell et al.: similar pairs pulled together, dissimilar ones pushed beyond the margin
    similar = torch.tensor([1.0, 0.0, 1.0, 0.0, 0.0, 1.0], dtype=a.dtype)
    d = F.pairwise_distance(a, b)
    return (similar * d ** 2 + (1 - similar) * torch.clamp(margin - d, min=0) ** 2).mean() / 2


class CenterLoss(nn.Module):
    # half the squared distance of each feature to its class centre (Wen et al., 2016)
    def __init__(self, centers):
        super().__init__()
        self.centers = nn.Parameter(centers.detach().clone())

    def forward(self, z, labels):
        return ((z - self.centers[labels]) ** 2).sum(dim=1).mean() / 2


class ArcFace(nn.Module):
    # additive angular margin (Deng et al., 2019): cos(theta + m) on the true class, scaled by s
    def __init__(self, weight, s=16.0, m=0.5):
        super().__init__()
        self.weight = nn.Parameter(weight.detach().clone())
        self.s, self.m = s, m
        self.register_buffer('eps', torch.tensor(1e-6, dtype=weight.dtype))

    def forward(self, z, labels):
        cos = F.linear(F.normalize(z), F.normalize(self.weight)).clamp(-1 + 1e-6, 1 - 1e-6)
        theta = torch.acos(cos)
        target = torch.cos(theta + self.m)
        onehot = F.one_hot(labels, cos.shape[1]).to(cos.dtype)
        logits = self.s * (onehot * target + (1 - onehot) * cos)
        return F.cross_entropy(logits, labels)


def cosface(z, w, labels, s=10.0, m=0.35):
    cos = F.normalize(z) @ F.normalize(w).t()
    logits = cos.clone()
    logits[torch.arange(z.shape[0]), labels] -= m
    return F.cross_entropy(s * logits, labels)


def cosine_triplet_einsum(a, p, n, margin=0.2):
    a, p, n = F.normalize(a, dim=1), F.normalize(p, dim=1), F.normalize(n, dim=1)
    ap = torch.einsum('nd,nd->n', a, p)
    an = torch.einsum('nd,nd->n', a, n)
    return torch.maximum(an - ap + margin, torch.zeros_like(ap)).mean()


def barlow_twins(a, b, lam=0.05):
    # cross-correlation of batch-standardised views pushed towards the identity (Zbontar et al., 2021)
    za = (a - a.mean(0)) / ((a - a.mean(0)) ** 2).mean(0).sqrt()
    zb = (b - b.mean(0)) / ((b - b.mean(0)) ** 2).mean(0).sqrt()
    c = za.t() @ zb / a.shape[0]
    on = ((c.diagonal() - 1) ** 2).sum()
    off = (c * (1 - torch.eye(c.shape[0], dtype=c.dtype))).pow(2).sum()
    return on + lam * off


# ---- boxes ----------------------------------------------------------------------------------------
def box_area(b):
    return (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])


def giou_loss(p, t):
    # generalised IoU (Rezatofighi et al., 2019): IoU minus the empty share of the smallest enclosing box
    lt = torch.max(p[:, :2], t[:, :2])
    rb = torch.min(p[:, 2:], t[:, 2:])
    wh = (rb - lt).clamp(min=0)
    inter = wh[:, 0] * wh[:, 1]
    union = box_area(p) + box_area(t) - inter
    iou = inter / union
    lt_c = torch.min(p[:, :2], t[:, :2])
    rb_c = torch.max(p[:, 2:], t[:, 2:])
    hull = (rb_c - lt_c)[:, 0] * (rb_c - lt_c)[:, 1]
    return (1 - (iou - (hull - union) / hull)).mean()


def diou_loss(p, t, eps=1e-7):
    # distance IoU (Zheng et al., 2020): 1 - IoU plus centre distance over the enclosing box's squared diagonal
    lt = torch.maximum(p[:, :2], t[:, :2])
    rb = torch.minimum(p[:, 2:], t[:, 2:])
    inter = (rb - lt).clamp(min=0)
    inter = inter[:, 0] * inter[:, 1]
    iou = inter / (box_area(p) + box_area(t) - inter + eps)
    cp = (p[:, :2] + p[:, 2:]) / 2
    ct = (t[:, :2] + t[:, 2:]) / 2
    diag = ((torch.maximum(p[:, 2:], t[:, 2:]) - torch.minimum(p[:, :2], t[:, :2])) ** 2).sum(1)
    return (1 - iou + ((cp - ct) ** 2).sum(1) / (diag + eps)).mean()


# ---- regression -----------------------------------------------------------------------------------
def quantile(pred, target, qs=(0.1, 0.5, 0.9)):
    # pinball loss: q e for under-prediction, (q - 1) e for over-prediction, e = target - pred
    q = torch.tensor(qs, dtype=pred.dtype)
    e = target - pred
    return torch.max(q * e, (q - 1) * e).mean()


def log_cosh(pred, target):
    return torch.log(torch.cosh(pred - target)).mean()


def charbonnier(pred, target, eps=1e-3):
    return torch.sqrt((pred - target) ** 2 + eps * eps).mean()


def wing(pred, target, w=1.0, eps=0.5):
    # wing loss (Feng et al., 2018): logarithmic near zero, L1 beyond w, joined continuously
    x = (pred - target).abs()
    c = w - w * math.log(1 + w / eps)
    return torch.where(x < w, w * torch.log1p(x / eps), x - c).mean()


def huber_by_hand(pred, target, delta=0.5):
    e = (pred - target).abs()
    return torch.where(e <= delta, 0.5 * e ** 2, delta * (e - 0.5 * delta)).mean()


def softplus_margin(pred, target):
    # smooth hinge: softplus of the signed margin, scaled as a soft-margin loss
    sign = (target > 0).to(pred.dtype) * 2 - 1
    return F.softplus(-pred * sign, beta=2.0).mean()


def cumulative_rank(pred, target):
    # an ordinal loss over cumulative sums: distance between the CDFs of two softmaxed histograms (EMD-1)
    return (pred.softmax(1).cumsum(1) - target.softmax(1).cumsum(1)).abs().sum(1).mean()


def diff_smoothness(pred, target):
    # first differences of the prediction should follow those of the target (a smoothness term)
    return (torch.diff(pred, dim=1) - torch.diff(target, dim=1)).pow(2).mean() + F.mse_loss(pred, target)


# ---- images: SSIM, deep supervision, edges --------------------------------------------------------
def gaussian_window(size, sigma, channels, dt):
    # normalised 1-d Gaussian, its outer product, one copy per channel: a (C, 1, k, k) depthwise filter
    offsets = torch.arange(size, dtype=dt) - (size - 1) / 2
    g = torch.exp(-offsets ** 2 / (2 * sigma ** 2))
    g = g / g.sum()
    return (g[:, None] * g[None, :]).expand(channels, 1, size, size).contiguous()


def ssim_gaussian(x, y, size=11, sigma=1.5, c1=0.01 ** 2, c2=0.03 ** 2):
    # SSIM (Wang et al., 2004) with local statistics from a Gaussian window run over each channel on its own
    # (groups = channels, zero padding keeping the size); the loss is 1 - mean SSIM
    ch = x.shape[1]
    win = gaussian_window(size, sigma, ch, x.dtype)

    def blur(t):
        return F.conv2d(t, win, padding=size // 2, groups=ch)

    mx, my = blur(x), blur(y)
    vx = blur(x * x) - mx ** 2
    vy = blur(y * y) - my ** 2
    cxy = blur(x * y) - mx * my
    ssim = ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx ** 2 + my ** 2 + c1) * (vx + vy + c2))
    return 1 - ssim.mean()


def ssim_box(x, y, c1=0.01 ** 2, c2=0.03 ** 2):
    # the photometric SSIM term of self-supervised depth models: 3x3 box means over a mirrored border,
    # the dissimilarity (1 - SSIM) / 2 clamped to [0, 1], averaged
    pad = (1, 1, 1, 1)

    def mean3(t):
        return F.avg_pool2d(F.pad(t, pad, mode='reflect'), 3, stride=1)

    mx, my = mean3(x), mean3(y)
    vx = mean3(x * x) - mx ** 2
    vy = mean3(y * y) - my ** 2
    cxy = mean3(x * y) - mx * my
    num = (2 * mx * my + c1) * (2 * cxy + c2)
    den = (mx ** 2 + my ** 2 + c1) * (vx + vy + c2)
    return ((1 - num / den) / 2).clamp(0, 1).mean()


def deep_supervision(outputs, target, weights=(1.0, 0.5)):
    # side outputs at lower resolutions: each is brought up to the label map's size with bilinear
    # interpolation and scored with cross entropy; a second term scores each side output against the labels
    # brought down to its size by nearest-neighbour sampling
    total = 0
    for w, logits in zip(weights, outputs):
        up = F.interpolate(logits, size=target.shape[-2:], mode='bilinear', align_corners=False)
        small = F.interpolate(target[:, None].double(), size=logits.shape[-2:], mode='nearest')[:, 0].long()
        total = total + w * (F.cross_entropy(up, target) + F.cross_entropy(logits, small))
    return total


def boundary_bce(x, t, width=3):
    # binary cross entropy weighted up on the target's boundary band: the band is where a max-pool dilation and
    # a max-pool erosion (the dilation of the complement) of the mask differ
    pad = width // 2
    dilated = F.max_pool2d(t, width, stride=1, padding=pad)
    eroded = 1 - F.max_pool2d(1 - t, width, stride=1, padding=pad)
    weight = 1 + 4 * (dilated - eroded)
    return F.binary_cross_entropy_with_logits(x, t, weight=weight)


def edge_l1(x, y):
    # L1 between the Sobel gradient maps of prediction and target, per channel (groups = channels)
    sobel = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]], dtype=x.dtype)
    k = torch.stack([sobel, sobel.t()])[:, None].repeat(x.shape[1], 1, 1, 1)
    gx = F.conv2d(x, k, padding=1, groups=x.shape[1])
    gy = F.conv2d(y, k, padding=1, groups=y.shape[1])
    return (gx - gy).abs().mean()


# ---- running them ---------------------------------------------------------------------------------
def fmt(t):
    # float32 to 4 significant digits, float64 to 6: a float32 gradient summed in another order moves its 5th digit
    vals = t.detach().reshape(-1).tolist()
    spec = '%.4g' if t.dtype == torch.float32 else '%.6g'
    return '[' + ', '.join('0' if abs(v) < 1e-9 else spec % v for v in vals) + ']'


CASES = [
    ('sigmoid_focal', lambda d: sigmoid_focal(d['binary'], d['bin_t']), ['binary']),
    ('softmax_focal', lambda d: softmax_focal(d['logits'], d['labels']), ['logits']),
    ('label_smoothing_ce', lambda d: label_smoothing_ce(d['logits'], d['labels']), ['logits']),
    ('poly1', lambda d: poly1(d['logits'], d['labels']), ['logits']),
    ('distillation', lambda d: distillation(d['logits'], d['teacher'], d['labels']), ['logits', 'teacher']),
    ('mixup_ce', lambda d: mixup_ce(d['logits'], d['labels']), ['logits']),
    ('ohem_ce', lambda d: ohem_ce(d['logits'], d['labels']), ['logits']),
    ('asymmetric', lambda d: asymmetric(d['binary'], d['bin_t']), ['binary']),
    ('soft_dice', lambda d: soft_dice(d['binary'], d['bin_t']), ['binary']),
    ('multiclass_dice', lambda d: multiclass_dice(d['seg'], d['seg_t']), ['seg']),
    ('generalized_dice', lambda d: generalized_dice(d['seg'], d['seg_t']), ['seg']),
    ('tversky', lambda d: tversky(d['binary'], d['bin_t']), ['binary']),
    ('focal_tversky', lambda d: focal_tversky(d['binary'], d['bin_t']), ['binary']),
    ('soft_jaccard', lambda d: soft_jaccard(d['binary'], d['bin_t']), ['binary']),
    ('lovasz_hinge', lambda d: lovasz_hinge(d['binary'], d['bin_t']), ['binary']),
    ('pixel_ce_masked', lambda d: pixel_ce_masked(d['seg'], d['seg_t']), ['seg']),
    ('nt_xent', lambda d: nt_xent(d['emb'], d['emb2']), ['emb', 'emb2']),
    ('info_nce', lambda d: info_nce(d['emb'], d['emb2']), ['emb', 'emb2']),
    ('supcon', lambda d: supcon(d['emb'], d['labels']), ['emb']),
    ('batch_hard_triplet', lambda d: batch_hard_triplet(d['emb'], d['labels']), ['emb']),
    ('contrastive_pairs', lambda d: contrastive_pairs(d['emb'], d['emb2']), ['emb', 'emb2']),
    ('cosface', lambda d: cosface(d['emb'], d['weight'], d['labels']), ['emb', 'weight']),
    ('cosine_triplet_einsum', lambda d: cosine_triplet_einsum(d['emb'], d['emb2'], d['emb'][torch.tensor([5, 4, 3, 2, 1, 0])]),
     ['emb', 'emb2']),
    ('barlow_twins', lambda d: barlow_twins(d['emb'], d['emb2']), ['emb', 'emb2']),
    ('giou', lambda d: giou_loss(d['boxes'], d['boxes_t']), ['boxes', 'boxes_t']),
    ('diou', lambda d: diou_loss(d['boxes'], d['boxes_t']), ['boxes']),
    ('quantile', lambda d: quantile(d['pred'], d['target']), ['pred']),
    ('log_cosh', lambda d: log_cosh(d['pred'], d['target']), ['pred', 'target']),
    ('charbonnier', lambda d: charbonnier(d['pred'], d['target']), ['pred']),
    ('wing', lambda d: wing(d['pred'], d['target']), ['pred']),
    ('huber_by_hand', lambda d: huber_by_hand(d['pred'], d['target']), ['pred']),
    ('softplus_margin', lambda d: softplus_margin(d['pred'], d['target']), ['pred']),
    ('cumulative_rank', lambda d: cumulative_rank(d['pred'], d['target']), ['pred']),
    ('diff_smoothness', lambda d: diff_smoothness(d['pred'], d['target']), ['pred']),
    ('ssim_box', lambda d: ssim_box(d['img'], d['img2']), ['img', 'img2']),
    ('deep_supervision', lambda d: deep_supervision([d['side8'], d['side4']], d['seg16']), ['side8', 'side4']),
    ('edge_l1', lambda d: edge_l1(d['img'], d['img2']), ['img']),
    ('boundary_bce', lambda d: boundary_bce(d['img'][:, :1] * 4 - 2, (d['img2'][:, :1] > 0.5).to(d['img'].dtype)),
     ['img']),
]
# float64 only: loss4j's float32 conv2d sums in another order than PyTorch's oneDNN kernels (values agree to about
# one float32 ulp), and SSIM's input gradient cancels enough for that to reach its 4th printed digit
F64_CASES = [
    ('ssim_gaussian', lambda d: ssim_gaussian(d['img'], d['img2']), ['img']),
]

for dt in (torch.float32, torch.float64):
    for name, fn, wrt in CASES + (F64_CASES if dt is torch.float64 else []):
        d = data(dt)
        for k in wrt:
            d[k].requires_grad_()
        loss = fn(d)
        loss.backward()
        print(name, dt, loss)
        for k in wrt:
            print('  d/d%s' % k, fmt(d[k].grad))
    for name, cls, args in (('center', CenterLoss, 'centers'), ('arcface', ArcFace, 'weight')):
        d = data(dt)
        d['emb'].requires_grad_()
        module = cls(d[args])
        loss = module(d['emb'], d['labels'])
        loss.backward()
        print(name, dt, loss, [n for n, _ in module.named_parameters()], list(module.state_dict()))
        print('  d/demb', fmt(d['emb'].grad))
        print('  d/d' + args, fmt(next(module.parameters()).grad))
