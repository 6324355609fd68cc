"""Functions of torch.nn.functional around hand-written losses beyond the blocks: pad (SSIM and total-variation
style losses pad their images) and pdist (the uniformity loss). Each is one engine op (dev.loss4j.ops)."""
import builtins

from ... import _ops
from ..._tensor import _op

__all__ = ['pad', 'pdist']


def pad(input, pad, mode='constant', value=None):
    r"""pad(input, pad, mode='constant', value=None): `input` grown at both ends of its last len(pad) / 2 dims,
    `pad` = (left, right) amounts from the last dim backwards (negative amounts cut). mode 'constant' fills with
    `value` (0 by default; ConstantPadNdBackward0); 'reflect' mirrors about the edge element, 'replicate' repeats
    it (ReflectionPad{1,2,3}DBackward0, ReplicationPad{1,2,3}DBackward0); 'circular' wraps around (CopySlices).
    The non-constant modes take inputs of 2-3, 3-4 or 4-5 dims for 1, 2 or 3 padded dims. As
    torch.nn.functional.pad."""
    amounts = []
    for k, p in enumerate(pad):
        if isinstance(p, builtins.bool) or not isinstance(p, builtins.int):
            raise TypeError("pad(): argument 'pad' (position 2) must be tuple of ints, but found element of type "
                            "%s at pos %d" % (type(p).__name__, k))
        amounts.append(p)
    if value is None:
        v, t = 0.0, None
    else:
        v, t = _ops.number(value)
    return _op(_ops.Padding.pad, input._v, amounts, str(mode), v, t)


def pdist(input, p=2):
    r"""pdist(input, p=2): :math:`\lVert x_i - x_j \rVert_p` for every pair of rows i < j of an (N, M) input, in
    row-major order: a vector of N (N - 1) / 2 (PdistBackward0). As torch.nn.functional.pdist."""
    return _op(_ops.Distances.pdist, input._v, builtins.float(p))
