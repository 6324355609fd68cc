"""Functions of torch.nn.functional that image losses run over their inputs: conv1d / conv2d (SSIM's Gaussian
window per channel), avg_pool1d / avg_pool2d (local means), max_pool2d (morphology in boundary losses) and
interpolate (deep supervision, boundary maps at another size). Each is an engine op (dev.loss4j.ops.Convolution,
Pooling, Interpolation) with PyTorch's signature."""
import builtins
import math

from ... import _ops
from ..._tensor import Tensor, _op

__all__ = ['conv1d', 'conv2d', 'avg_pool1d', 'avg_pool2d', 'max_pool2d', 'interpolate']


def _ints(v, fn, name, position, count):
    """An int-list argument as PyTorch's parser reads it: one int stands for `count` equal values."""
    if isinstance(v, builtins.int) and not isinstance(v, builtins.bool):
        return [builtins.int(v)] * count
    if isinstance(v, (tuple, list)) and all(isinstance(e, builtins.int) and not isinstance(e, builtins.bool)
                                            for e in v):
        return [builtins.int(e) for e in v]
    raise TypeError("%s(): argument '%s' (position %d) must be tuple of ints, not %s"
                    % (fn, name, position, type(v).__name__))


def _per_dim(value, dim, spatial, noun, shown, named, form):
    """One value per spatial dim: a list or tuple as given (PyTorch's ValueError when its length is wrong), a
    single value repeated."""
    if isinstance(value, (list, tuple)):
        if len(value) != dim:
            raise ValueError('Input and %s must have the same number of spatial dimensions, but got input with '
                             'spatial dimensions of %s and %s %s. Please provide input tensor in (N, C, d1, d2, '
                             '...,dK) format and %s in %s format.' % (noun, spatial, shown, value, named, form))
        return list(value)
    return [value] * dim


def _conv(fn, spatial, input, weight, bias, stride, padding, dilation, groups):
    for value, name, pos in ((input, 'input', 1), (weight, 'weight', 2)):
        if not isinstance(value, Tensor):
            raise TypeError("%s(): argument '%s' (position %d) must be Tensor, not %s"
                            % (fn, name, pos, type(value).__name__))
    if bias is not None and not isinstance(bias, Tensor):
        raise TypeError("%s(): argument 'bias' (position 3) must be Tensor, not %s" % (fn, type(bias).__name__))
    s = _ints(stride, fn, 'stride', 4, spatial)
    d = _ints(dilation, fn, 'dilation', 6, spatial)
    b = None if bias is None else bias._v
    if isinstance(padding, str):
        return _op(_ops.Convolution.conv, input._v, weight._v, b, s, padding, d, builtins.int(groups), spatial)
    p = _ints(padding, fn, 'padding', 5, spatial)
    return _op(_ops.Convolution.conv, input._v, weight._v, b, s, p, d, builtins.int(groups), spatial)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    r"""The 2-d cross-correlation
    :math:`out[n, o] = b[o] + \sum_{c, i, j} x[n, g(o) C_g + c, y s + i d - p, x s + j d - p] w[o, c, i, j]`.
    input (N, C, H, W) or (C, H, W), weight (O, C / groups, kH, kW), bias (O); padding amounts or 'same' / 'valid'
    (ConvolutionBackward0). As torch.nn.functional.conv2d."""
    return _conv('conv2d', 2, input, weight, bias, stride, padding, dilation, groups)


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    r"""conv2d's sum over one spatial dim: input (N, C, L) or (C, L), weight (O, C / groups, k), bias (O); stride,
    padding (amounts, 'same' or 'valid'), dilation and groups as conv2d's. As torch.nn.functional.conv1d."""
    return _conv('conv1d', 1, input, weight, bias, stride, padding, dilation, groups)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    r"""The mean of each kH x kW window over the last two dims of (N, C, H, W) or (C, H, W),
    windows `stride` apart (the kernel size when None), zero padding counted in the divisor when
    `count_include_pad`; `ceil_mode` keeps a last partial window, `divisor_override` replaces the window size as
    divisor (AvgPool2DBackward0). As torch.nn.functional.avg_pool2d."""
    if not isinstance(input, Tensor):
        raise TypeError("avg_pool2d(): argument 'input' (position 1) must be Tensor, not %s" % type(input).__name__)
    k = _ints(kernel_size, 'avg_pool2d', 'kernel_size', 2, 2)
    s = [] if stride is None else _ints(stride, 'avg_pool2d', 'stride', 3, 2)
    p = _ints(padding, 'avg_pool2d', 'padding', 4, 2)
    div = None if divisor_override is None else builtins.int(divisor_override)
    return _op(_ops.Pooling.avgPool2d, input._v, k, s, p, builtins.bool(ceil_mode), builtins.bool(count_include_pad),
               div)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    r"""avg_pool2d's window mean over the last dim of (N, C, L) or (C, L), run as a 1 x k pooling of the input
    with a unit dim inserted before L (SqueezeBackward1, as PyTorch builds it). As torch.nn.functional.avg_pool1d."""
    if not isinstance(input, Tensor):
        raise TypeError("avg_pool1d(): argument 'input' (position 1) must be Tensor, not %s" % type(input).__name__)
    if input.dim() not in (2, 3):
        raise RuntimeError("Expected 2 to 3 dimensions, but got %d-dimensional tensor for argument #1 'self' (while "
                           "checking arguments for avg_pool1d)" % input.dim())
    k = _ints(kernel_size, 'avg_pool1d', 'kernel_size', 2, 1)
    s = k if stride is None else _ints(stride, 'avg_pool1d', 'stride', 3, 1)
    p = _ints(padding, 'avg_pool1d', 'padding', 4, 1)
    for name, v in (('kernel_size', k), ('stride', s), ('padding', p)):
        if len(v) != 1:
            raise RuntimeError("avg_pool1d() argument '%s' should contain one int (got %d)" % (name, len(v)))
    planes = input.unsqueeze(-2)
    out = _op(_ops.Pooling.avgPool2d, planes._v, [1, k[0]], [1, s[0]], [0, p[0]], builtins.bool(ceil_mode),
              builtins.bool(count_include_pad), None)
    return out.squeeze(-2)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    r"""The largest value of each kH x kW window (places `dilation` apart) over the last two dims of (N, C, H, W)
    or (C, H, W), windows `stride` apart (the kernel size when None), padding never chosen; with `return_indices`
    also each maximum's flat index h * W + w in its plane (MaxPool2DWithIndicesBackward0). Ties keep the first
    place, NaN wins. As torch.nn.functional.max_pool2d."""
    if not isinstance(input, Tensor):
        raise TypeError("max_pool2d(): argument 'input' (position 1) must be Tensor, not %s" % type(input).__name__)
    k = _ints(kernel_size, 'max_pool2d', 'kernel_size', 2, 2)
    s = [] if stride is None else _ints(stride, 'max_pool2d', 'stride', 3, 2)
    p = _ints(padding, 'max_pool2d', 'padding', 4, 2)
    d = _ints(dilation, 'max_pool2d', 'dilation', 5, 2)
    values, indices = _ops.call(_ops.Pooling.maxPool2d, input._v, k, s, p, d, builtins.bool(ceil_mode))
    if return_indices:
        return Tensor._wrap(values), Tensor._wrap(indices)
    return Tensor._wrap(values)


def interpolate(input, size=None, scale_factor=None, mode='nearest', align_corners=None,
                recompute_scale_factor=None, antialias=False):
    r"""`input` (N, C, *spatial) resampled to `size`, or to floor(in * scale_factor) per spatial dim (the scale
    then also sets the sampling step unless `recompute_scale_factor`). Modes covered: 'nearest' (3-d and 4-d input,
    UpsampleNearest1D/2DBackward0), 'linear' (3-d) and 'bilinear' (4-d, UpsampleLinear1D / Bilinear2DBackward0)
    with `align_corners`; the other modes raise NotImplementedError. As torch.nn.functional.interpolate."""
    if mode in ('nearest', 'area', 'nearest-exact'):
        if align_corners is not None:
            raise ValueError('align_corners option can only be set with the interpolating modes: '
                             'linear | bilinear | bicubic | trilinear')
    elif align_corners is None:
        align_corners = False
    dim = input.dim() - 2
    spatial = list(input.shape[2:])
    if size is not None and scale_factor is not None:
        raise ValueError('only one of size or scale_factor should be defined')
    if size is not None:
        scales = None
        out_size = _per_dim(size, dim, spatial, 'output', 'output size of', 'output size', '(o1, o2, ...,oK)')
        if isinstance(size, (list, tuple)) and not all(isinstance(v, builtins.int) for v in size):
            raise TypeError('expected size to be one of int or Tuple[int] or Tuple[int, int] or '
                            'Tuple[int, int, int], but got size with types %s' % [type(v) for v in size])
    elif scale_factor is not None:
        out_size = None
        scales = _per_dim(scale_factor, dim, spatial, 'scale_factor', 'scale_factor of shape', 'scale_factor',
                          '(s1, s2, ...,sK)')
    else:
        raise ValueError('either size or scale_factor should be defined')
    if recompute_scale_factor and size is not None:
        raise ValueError('recompute_scale_factor is not meaningful with an explicit size.')
    if recompute_scale_factor:
        out_size = [math.trunc(n * s) for n, s in zip(spatial, scales)]
        scales = None
    if antialias and not (mode in ('bilinear', 'bicubic', 'lanczos') and input.dim() == 4):
        raise ValueError('Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a '
                         '4-D tensor as input')
    nd = input.dim()
    wrong = {(3, 'bilinear'): 'Got 3D input, but bilinear mode needs 4D input',
             (3, 'trilinear'): 'Got 3D input, but trilinear mode needs 5D input',
             (4, 'linear'): 'Got 4D input, but linear mode needs 3D input',
             (4, 'trilinear'): 'Got 4D input, but trilinear mode needs 5D input',
             (5, 'linear'): 'Got 5D input, but linear mode needs 3D input',
             (5, 'bilinear'): 'Got 5D input, but bilinear mode needs 4D input'}
    if (nd, mode) in wrong:
        raise NotImplementedError(wrong[(nd, mode)])
    known = ('nearest', 'linear', 'bilinear', 'bicubic', 'trilinear', 'lanczos', 'area', 'nearest-exact')
    if nd not in (3, 4, 5) or mode not in known:
        raise NotImplementedError('Input Error: Only 3D, 4D and 5D input Tensors supported (got %dD) for the modes: '
                                  'nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact '
                                  '(got %s)' % (nd, mode))
    if nd == 5 or mode not in ('nearest', 'linear', 'bilinear') or antialias:
        raise NotImplementedError("F.interpolate(mode='%s') on %dD input%s is not provided by loss4j: it covers "
                                  "'nearest' on 3D and 4D input, 'linear' on 3D and 'bilinear' on 4D"
                                  % (mode, nd, ' with antialias' if antialias else ''))
    if out_size is None:
        out_size = [builtins.int(n * builtins.float(s)) for n, s in zip(spatial, scales)]  # toward zero, as ATen
    fs = [math.nan] * dim if scales is None else [builtins.float(s) for s in scales]
    if mode == 'nearest':
        return _op(_ops.Interpolation.nearest, input._v, [builtins.int(v) for v in out_size], fs)
    return _op(_ops.Interpolation.linear, input._v, [builtins.int(v) for v in out_size], builtins.bool(align_corners),
               fs)
