#!/usr/bin/env python3
"""Records the bad-input catalogue from real PyTorch: every loss called with each argument and each option
replaced by a value of the wrong kind, and what PyTorch did (its exception class and message, or its output).

A case is a line of Python evaluated over ../src/test/resources/badinput/prelude.py (deterministic tensors
from lists), so the same code runs in PyTorch here and in the shim in BadInputTest. Written to
../src/test/resources/badinput/catalogue.jsonl: {"id", "code", "error": {type, message}} or
{"id", "code", "output": {dtype, shape, data}} (a non-tensor result as {"repr": ...}); a documented deviation
adds "deviation" (why) and "loss4j" (what loss4j does instead, in the same form).

Usage: python3 record_badinput.py
"""
import json
import os
import sys
import warnings

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'src', 'test', 'resources', 'badinput')

# Wrong Python types for any argument, as code.
PY_VALUES = {'list': '[0.5, 1.0]', 'tuple': '(0.5, 1.0)', 'int': '1', 'float': '0.5', 'bool': 'True',
             'None': 'None', 'str': "'x'", 'object': 'Obj()'}
# Wrong types and values for options (each option gets these, then its own extras).
OPTION_VALUES = dict(PY_VALUES, **{'tensor0d': 'torch.tensor(0.5)', 'nan': 'nan', 'neg': '-1'})
REDUCTION_VALUES = {'None': 'None', 'int': '1', 'bool': 'True', 'avg': "'avg'", 'upper': "'MEAN'",
                    'batchmean': "'batchmean'", 'list': "['mean']", 'object': 'Obj()'}
LEGACY_VALUES = {'str': "'yes'", 'int': '0', 'list': '[]', 'tensor0d': 'torch.tensor(0.)', 'object': 'Obj()'}


class Loss:
    """One loss: functional name, module name, valid positional args (code), its options with a valid value,
    tensor mutations per argument, extra (id suffix, code) cases, and whether it takes the legacy flags."""

    def __init__(self, name, module, args, options, tensor_muts=None, extra=(), legacy=True):
        self.name, self.module, self.args, self.options = name, module, args, options
        self.tensor_muts = tensor_muts or {}
        self.extra = list(extra)
        self.legacy = legacy


def float_muts(arg, shape):
    """The usual tensor mutations of a float argument of 2-d `shape`: dtype, rank, batch, 0-d, empty, views,
    NaN/inf."""
    r, c = shape
    return {
        'dtype-int64': '%s.long()' % arg, 'dtype-bool': '%s > 0' % arg, 'dtype-float64': '%s.double()' % arg,
        'rank+1': '%s.unsqueeze(0)' % arg, 'rank-1': '%s[0]' % arg, 'batch': 'f(%d, %d)' % (r + 1, c),
        'cols': 'f(%d, %d)' % (r, c + 1), '0d': 'f()', 'empty': 'f(0, %d)' % c,
        'transposed': 'f(%d, %d).t()' % (c, r), 'expanded': 'f(1, %d).expand(%d, %d)' % (c, r, c),
        'strided': 'f(%d, %d)[:, ::2]' % (r, 2 * c), 'nan-inf': 'with_nan(%s)' % arg,
    }


A, B = 'f(3, 4, grad=True)', 'f(3, 4)'
P = 'p(3, 4, grad=True)'
X = 'f(3, 5, grad=True)'
T = 'ints(3, hi=5)'
LOSSES = [
    Loss('l1_loss', 'L1Loss', [A, B], {'reduction': "'mean'", 'weight': 'p(3, 4)'}),
    Loss('mse_loss', 'MSELoss', [A, B], {'reduction': "'mean'", 'weight': 'p(3, 4)'}),
    Loss('smooth_l1_loss', 'SmoothL1Loss', [A, B], {'reduction': "'mean'", 'beta': '1.0'}),
    Loss('huber_loss', 'HuberLoss', [A, B], {'reduction': "'mean'", 'delta': '1.0', 'weight': 'p(3, 4)'},
         legacy=False),
    Loss('poisson_nll_loss', 'PoissonNLLLoss', [A, 'p(3, 4)'],
         {'log_input': 'True', 'full': 'False', 'eps': '1e-8', 'reduction': "'mean'"}),
    Loss('gaussian_nll_loss', 'GaussianNLLLoss', [A, B, 'p(3, 4)'], {'full': 'False', 'eps': '1e-6', 'reduction': "'mean'"},
         legacy=False, extra=[('var-neg', 'F.gaussian_nll_loss(f(3, 4), f(3, 4), f(3, 4))'),
                              ('var-float', 'F.gaussian_nll_loss(f(3, 4), f(3, 4), 0.5)'),
                              ('var-float-neg', 'F.gaussian_nll_loss(f(3, 4), f(3, 4), -0.5)'),
                              ('var-shape', 'F.gaussian_nll_loss(f(3, 4), f(3, 4), p(3, 2))'),
                              ('var-nan', 'F.gaussian_nll_loss(f(3, 4), f(3, 4), with_nan(p(3, 4)))')]),
    Loss('kl_div', 'KLDivLoss', [A, 'p(3, 4)'], {'reduction': "'batchmean'", 'log_target': 'False'}),
    Loss('binary_cross_entropy', 'BCELoss', [P, 'p(3, 4)'], {'weight': 'p(3, 4)', 'reduction': "'mean'"},
         extra=[('input>1', 'F.binary_cross_entropy(f(3, 4, lo=0.5, hi=1.5), p(3, 4))'),
                ('input<0', 'F.binary_cross_entropy(f(3, 4, lo=-0.5, hi=0.5), p(3, 4))'),
                ('target>1', 'F.binary_cross_entropy(p(3, 4), f(3, 4, lo=0.5, hi=1.5))'),
                ('input-nan', 'F.binary_cross_entropy(with_nan(p(3, 4)), p(3, 4))'),
                ('input-float16-target-float32', 'F.binary_cross_entropy(p(3, 4).half(), p(3, 4))'),
                ('input-float32-target-float16', 'F.binary_cross_entropy(p(3, 4), p(3, 4).half())'),
                ('input-bfloat16-target-float16', 'F.binary_cross_entropy(p(3, 4).bfloat16(), p(3, 4).half())'),
                ('module-input-float16-target-float32', 'nn.BCELoss()(p(3, 4).half(), p(3, 4))'),
                ('float16-weight-float32',
                 'F.binary_cross_entropy(p(3, 4).half(), p(3, 4).half(), weight=p(3, 4))')]),
    Loss('binary_cross_entropy_with_logits', 'BCEWithLogitsLoss', [A, 'p(3, 4)'],
         {'weight': 'p(3, 4)', 'reduction': "'mean'", 'pos_weight': 'p(4)'}),
    Loss('soft_margin_loss', 'SoftMarginLoss', [A, 'sign(3, 4)'], {'reduction': "'mean'"}),
    Loss('multilabel_soft_margin_loss', 'MultiLabelSoftMarginLoss', [A, 'ints(3, 4, hi=2).float()'],
         {'weight': 'p(4)', 'reduction': "'mean'"}),
    Loss('nll_loss', 'NLLLoss', [X, T], {'weight': 'p(5)', 'ignore_index': '-100', 'reduction': "'mean'"},
         extra=[('target-high', 'F.nll_loss(f(3, 5), ints(3, lo=5, hi=6))'),
                ('target-neg', 'F.nll_loss(f(3, 5), ints(3, lo=-2, hi=-1))'),
                ('target-float', 'F.nll_loss(f(3, 5), f(3))'),
                ('weight-short', 'F.nll_loss(f(3, 5), ints(3, hi=5), weight=p(4))')]),
    Loss('cross_entropy', 'CrossEntropyLoss', [X, T],
         {'weight': 'p(5)', 'ignore_index': '-100', 'reduction': "'mean'", 'label_smoothing': '0.0'},
         extra=[('target-high', 'F.cross_entropy(f(3, 5), ints(3, lo=5, hi=6))'),
                ('label_smoothing>1', 'F.cross_entropy(f(3, 5), ints(3, hi=5), label_smoothing=1.5)'),
                ('label_smoothing<0', 'F.cross_entropy(f(3, 5), ints(3, hi=5), label_smoothing=-0.1)'),
                ('prob-target-shape', 'F.cross_entropy(f(3, 5), p(3, 4))')]),
    Loss('multi_margin_loss', 'MultiMarginLoss', [X, T],
         {'p': '1', 'margin': '1.0', 'weight': 'p(5)', 'reduction': "'mean'"},
         extra=[('p=3', 'F.multi_margin_loss(f(3, 5), ints(3, hi=5), p=3)'),
                ('target-high', 'F.multi_margin_loss(f(3, 5), ints(3, lo=5, hi=6))'),
                ('empty-batch-sum', 'F.multi_margin_loss(f(0, 5), ints(0), reduction="sum")'),
                ('empty-batch-mean', 'F.multi_margin_loss(f(0, 5), ints(0))')]),
    Loss('multilabel_margin_loss', 'MultiLabelMarginLoss', [X, 'ints(3, 5, hi=5)'], {'reduction': "'mean'"},
         extra=[('target-high', 'F.multilabel_margin_loss(f(3, 5), ints(3, 5, lo=5, hi=6))')]),
    Loss('margin_ranking_loss', 'MarginRankingLoss', ['f(4, grad=True)', 'f(4)', 'sign(4)'],
         {'margin': '0.0', 'reduction': "'mean'"}),
    Loss('hinge_embedding_loss', 'HingeEmbeddingLoss', [A, 'sign(3, 4)'], {'margin': '1.0', 'reduction': "'mean'"}),
    Loss('cosine_embedding_loss', 'CosineEmbeddingLoss', [A, B, 'sign(3)'], {'margin': '0.0', 'reduction': "'mean'"}),
    Loss('triplet_margin_loss', 'TripletMarginLoss', [A, B, 'f(3, 4, lo=0.0)'],
         {'margin': '1.0', 'p': '2.0', 'eps': '1e-6', 'swap': 'False', 'reduction': "'mean'"}),
    Loss('triplet_margin_with_distance_loss', 'TripletMarginWithDistanceLoss', [A, B, 'f(3, 4, lo=0.0)'],
         {'distance_function': 'None', 'margin': '1.0', 'swap': 'False', 'reduction': "'mean'"}, legacy=False),
    Loss('pairwise_distance', 'PairwiseDistance', [A, B], {'p': '2.0', 'eps': '1e-6', 'keepdim': 'False'},
         legacy=False),
    Loss('ctc_loss', 'CTCLoss', ['logp(6, 2, 4).requires_grad_()', 'ints(2, 3, lo=1, hi=4)', 'ints(2, lo=6, hi=7)',
                                 'ints(2, lo=3, hi=4)'],
         {'blank': '0', 'reduction': "'mean'", 'zero_infinity': 'False'}, legacy=False,
         extra=[('lengths-lists', 'F.ctc_loss(logp(6, 2, 4), ints(2, 3, lo=1, hi=4), [6, 6], [3, 3])'),
                ('input-length-0', 'F.ctc_loss(logp(6, 1, 4), ints(1, 3, lo=1, hi=4), [0], [3], reduction="none")'),
                ('input-length-0-empty-target', 'F.ctc_loss(logp(6, 1, 4), ints(1, 0), [0], [0], reduction="none")'),
                ('input-length-neg', 'F.ctc_loss(logp(6, 1, 4), ints(1, 3, lo=1, hi=4), [-1], [3])'),
                ('target-length-neg', 'F.ctc_loss(logp(6, 1, 4), ints(1, 3, lo=1, hi=4), [6], [-1])'),
                ('input-length-long', 'F.ctc_loss(logp(6, 1, 4), ints(1, 3, lo=1, hi=4), [7], [3])'),
                ('target-ge-C', 'F.ctc_loss(logp(6, 1, 4), ints(1, 3, lo=4, hi=5), [6], [3])'),
                ('target-blank', 'F.ctc_loss(logp(6, 1, 4), ints(1, 3, lo=0, hi=1), [6], [3])'),
                ('blank-high', 'F.ctc_loss(logp(6, 1, 4), ints(1, 3, lo=1, hi=4), [6], [3], blank=4)'),
                ('blank-neg', 'F.ctc_loss(logp(6, 1, 4), ints(1, 3, lo=1, hi=4), [6], [3], blank=-1)'),
                ('lengths-float-tensors', 'F.ctc_loss(logp(6, 1, 4), ints(1, 3, lo=1, hi=4), f(1), f(1))'),
                ('lengths-mixed', 'F.ctc_loss(logp(6, 1, 4), ints(1, 3, lo=1, hi=4), ints(1, lo=6, hi=7), [3])')]),
]
# Whole-loss extras that are not about one argument.
EXTRA = [
    ('int32-limit/mse_loss-0x2^31', 'F.mse_loss(torch.zeros(0, 2**31), torch.zeros(0, 2**31))'),
    ('int32-limit/l1_loss-0x2^31-sum', 'F.l1_loss(torch.zeros(0, 2**31), torch.zeros(0, 2**31), reduction="sum")'),
    ('int32-limit/cross_entropy-0x2^31', 'F.cross_entropy(torch.zeros(0, 2**31), torch.zeros(0, dtype=torch.long))'),
    ('triplet/margin-tensor', 'F.triplet_margin_loss(f(3, 4), f(3, 4), f(3, 4, lo=0.0), margin=torch.tensor(0.5))'),
    ('triplet/margin-tensor-module', 'nn.TripletMarginLoss(margin=torch.tensor(0.5))(f(3, 4), f(3, 4), f(3, 4, lo=0.0))'),
    ('module/weight-list', 'nn.CrossEntropyLoss(weight=[1.0, 2.0])'),
    ('module/weight-str', 'nn.NLLLoss(weight="w")'),
    ('module/bce-weight-list', 'nn.BCELoss(weight=[1.0])'),
    ('module/pos_weight-list', 'nn.BCEWithLogitsLoss(pos_weight=[1.0])'),
    ('module/reduction-None', 'nn.MSELoss(reduction=None)(f(3, 4), f(3, 4))'),
    ('module/size_average-yes', 'nn.MSELoss(size_average="yes")(f(3, 4), f(3, 4))'),
    ('module/call-list', 'nn.MSELoss()([1.0], f(1))'),
    ('module/call-missing', 'nn.MSELoss()(f(3, 4))'),
    ('functional/missing-target', 'F.mse_loss(f(3, 4))'),
    ('functional/unknown-kwarg', 'F.mse_loss(f(3, 4), f(3, 4), foo=1)'),
    ('functional/too-many', 'F.huber_loss(f(3, 4), f(3, 4), "mean", 1.0, None, 5)'),
    # torch.tensor of a Python list: floats and ints cross to Java from the array behind the list; ints past the
    # dtype and non-finite or out-of-range floats into an integer dtype raise as PyTorch raises.
    ('creation/float-list', 'torch.tensor([0.1, -0.0, 1e-45, 3.5e38, -3.5e38, nan, inf, 1, 2**40])'),
    ('creation/float-list-float64', 'torch.tensor([0.1, -0.0, 1e-320, 1e300, nan, -inf, 3], dtype=torch.float64)'),
    ('creation/float-list-float16', 'torch.tensor([0.1, 65519.0, 65520.0, 1e-8, 6e-8, -2.5], dtype=torch.float16)'),
    ('creation/float-list-bfloat16', 'torch.tensor([0.1, 1.00390625, 3e38, 1e-40, -2.5], dtype=torch.bfloat16)'),
    ('creation/float-list-nested', 'torch.tensor([[0.5, 1.5], [2.5, 3]], requires_grad=True)'),
    ('creation/int-list', 'torch.tensor([[1, 2**40], [-3, 0]])'),
    ('creation/int-list-float32', 'torch.tensor([1, 2**24 + 1, -7], dtype=torch.float32)'),
    ('creation/int-list-requires-grad', 'torch.tensor([1, 2], requires_grad=True)'),
    ('creation/mixed-list', 'torch.tensor([1, 2.5, True])'),
    ('creation/infer-int-past-int64', 'torch.tensor([1, 2**63])'),
    ('creation/infer-int-past-int64-with-float', 'torch.tensor([1, 2**63, 0.5])'),
    ('creation/int64-from-int-past-int64', 'torch.tensor([2**63], dtype=torch.int64)'),
    ('creation/int64-from-float-nan', 'torch.tensor([1.0, nan], dtype=torch.int64)'),
    ('creation/int64-from-float-inf', 'torch.tensor([-inf], dtype=torch.int64)'),
    ('creation/int64-from-float-1e300', 'torch.tensor([1e300], dtype=torch.int64)'),
    ('creation/int64-from-float-2^63', 'torch.tensor([2.0**63, -2.0**63, -7.9, 7.9], dtype=torch.int64)'),
    ('creation/int32-from-int-2^31', 'torch.tensor([2**31], dtype=torch.int32)'),
    ('creation/int32-from-int-below', 'torch.tensor([-2**31 - 1], dtype=torch.int32)'),
    ('creation/int32-from-int-limits', 'torch.tensor([2**31 - 1, -2**31], dtype=torch.int32)'),
    ('creation/int32-from-float', 'torch.tensor([-3.7, 2.9, -2147483648.0, 2147483647.0], dtype=torch.int32)'),
    ('creation/int32-from-float-past', 'torch.tensor([2147483647.5], dtype=torch.int32)'),
    ('creation/int32-from-float-nan', 'torch.tensor([nan], dtype=torch.int32)'),
]


# uint8, int8 and int16: creation, printing, conversions (C++ leaves a float outside the target type undefined;
# these record what 2.13.0+cpu gives on x86-64), promotion in ops, and the losses' target checks.
_SMALL = {'uint8': 'torch.uint8', 'int8': 'torch.int8', 'int16': 'torch.int16'}
_U8, _I8, _I16 = ('torch.tensor([200, 3, 255], dtype=torch.uint8)', 'torch.tensor([-100, 3, 127], dtype=torch.int8)',
                  'torch.tensor([30000, -3, 7], dtype=torch.int16)')
_FLOATS = '[300.0, -1.7, 1.7, -300.0, 1e10, -1e10, nan, inf, -inf, 255.9, 256.0, 65535.0, 65536.0, 32768.0, -129.0, 3e9]'


def small_int_cases():
    """(id, code) pairs for the small integer dtypes."""
    out = []
    for name, dt in _SMALL.items():
        c = 'smallint/%s/' % name
        out += [
            (c + 'tensor', 'torch.tensor([[1, 2], [100, 7]], dtype=%s)' % dt),
            (c + 'repr', 'repr(torch.tensor([[1, 2], [100, 7]], dtype=%s))' % dt),
            (c + 'repr-wrapped', 'repr(torch.tensor([[-1, 2], [-100, 7]]).to(%s))' % dt),
            (c + 'repr-scalar', 'repr(torch.tensor(5, dtype=%s))' % dt),
            (c + 'repr-empty', 'repr(torch.zeros(0, 3, dtype=%s))' % dt),
            (c + 'zeros', 'repr(torch.zeros(2, 3, dtype=%s))' % dt),
            (c + 'ones', 'repr(torch.ones(2, dtype=%s))' % dt),
            (c + 'full', 'repr(torch.full((2,), 7, dtype=%s))' % dt),
            (c + 'full-float', 'torch.full((2,), 7.9, dtype=%s)' % dt),
            (c + 'full-300', 'torch.full((2,), 300, dtype=%s)' % dt),
            (c + 'full-neg', 'torch.full((2,), -1, dtype=%s)' % dt),
            (c + 'arange', 'torch.arange(5, dtype=%s)' % dt),
            (c + 'empty', 'repr(torch.empty(0, dtype=%s))' % dt),
            (c + 'attrs', '(str(torch.zeros(2, dtype=%s).dtype), torch.zeros(2, dtype=%s).element_size(), '
                          'torch.zeros(2, dtype=%s).is_floating_point())' % (dt, dt, dt)),
            (c + 'tolist', 'torch.tensor([[1, 2], [3, 4]], dtype=%s).tolist()' % dt),
            (c + 'item', '(torch.tensor([9], dtype=%s).item(), type(torch.tensor(9, dtype=%s).item()).__name__)'
             % (dt, dt)),
            (c + 'from-int-300', 'torch.tensor([300], dtype=%s)' % dt),
            (c + 'from-int-neg1', 'torch.tensor([-1], dtype=%s)' % dt),
            (c + 'from-int-neg255', 'torch.tensor([-255], dtype=%s)' % dt),
            (c + 'from-float-frac', 'torch.tensor([1.5, 2.9], dtype=%s)' % dt),
            (c + 'from-float-neg', 'torch.tensor([-1.5], dtype=%s)' % dt),
            (c + 'from-float-255.5', 'torch.tensor([255.5], dtype=%s)' % dt),
            (c + 'from-float-nan', 'torch.tensor([nan], dtype=%s)' % dt),
            (c + 'from-bool', 'torch.tensor([True, False], dtype=%s)' % dt),
            (c + 'to-from-float32', 'torch.tensor(%s).to(%s)' % (_FLOATS, dt)),
            (c + 'to-from-float64', 'torch.tensor(%s, dtype=torch.float64).to(%s)' % (_FLOATS, dt)),
            (c + 'to-from-float64-wide', 'torch.tensor([3000000001.0, 2.0**31 + 1, -2.0**31 - 1, 2147483647.0, '
                                         '5e9 + 7, 2.0**33 + 3], dtype=torch.float64).to(%s)' % dt),
            (c + 'to-from-float16', 'torch.tensor(%s).half().to(%s)' % (_FLOATS, dt)),
            (c + 'to-from-bfloat16', 'torch.tensor(%s).bfloat16().to(%s)' % (_FLOATS, dt)),
            (c + 'to-from-int64', 'torch.tensor([300, -1, 256, 65536, 70000, -32769, 2**40 + 5, 128, -129]).to(%s)'
             % dt),
            (c + 'to-from-int32', 'torch.tensor([300, -1, 70000, -32769], dtype=torch.int32).to(%s)' % dt),
            (c + 'to-float32', 'torch.tensor([1, 100], dtype=%s).float()' % dt),
            (c + 'requires_grad', 'torch.zeros(2, dtype=%s).requires_grad_()' % dt),
            (c + 'mean', 'torch.tensor([1, 2], dtype=%s).mean()' % dt),
            (c + 'sum', 'torch.tensor([100, 100, 100], dtype=%s).sum()' % dt),
        ]
    out += [
        ('smallint/byte', 'torch.tensor([1, 300, -1]).byte()'),
        ('smallint/char', 'torch.tensor([1, 300, -1]).char()'),
        ('smallint/short', 'torch.tensor([1, 70000, -1]).short()'),
        ('smallint/short-alias', 'torch.short'),
        ('smallint/ByteTensor', 'torch.ByteTensor([1, 2])'),
        ('smallint/arange-wraps', 'torch.arange(250, 260, dtype=torch.uint8)'),
    ]
    ops = {
        'u8+u8': '%s + %s' % (_U8, _U8), 'u8*u8': '%s * %s' % (_U8, _U8), 'u8-i8': '%s - %s' % (_U8, _I8),
        'u8+i8': '%s + %s' % (_U8, _I8), 'u8*i16': '%s * %s' % (_U8, _I16), 'i8+i16': '%s + %s' % (_I8, _I16),
        'i8+i64': '%s + torch.tensor([1, 2, 3])' % _I8, 'u8+i32': '%s + torch.tensor([1, 2, 3], dtype=torch.int32)' % _U8,
        'u8+bool': '%s + torch.tensor([True, False, True])' % _U8, 'u8+f32': '%s + f(3)' % _U8,
        'i16*f16': '%s * f(3).half()' % _I16, 'i8/u8': '%s / %s' % (_I8, _U8), 'u8<i8': '%s < %s' % (_U8, _I8),
        'u8+300': '%s + 300' % _U8, 'i8*300': '%s * 300' % _I8, '1-u8': '1 - %s' % _U8, 'u8+2.5': '%s + 2.5' % _U8,
        'u8<300': '%s < 300' % _U8, 'u8==-1': '%s == -1' % _U8, 'i8<300': '%s < 300' % _I8,
        'u8*0d-int64': '%s * torch.tensor(1000)' % _U8, 'i16*0d-float64': '%s * torch.tensor(2.5, dtype=torch.float64)' % _I16,
        'u8**2': '%s ** 2' % _U8, 'i16**300': '%s ** 300' % _I16, 'u8**300': '%s ** 300' % _U8,
        'i8**-1': '%s ** -1' % _I8, '2**u8': '2 ** torch.tensor([3, 9], dtype=torch.uint8)',
        'u8**u8': 'torch.tensor([3, 2], dtype=torch.uint8) ** torch.tensor([3, 9], dtype=torch.uint8)',
        'neg-u8': '-%s' % _U8, 'abs-i8': 'torch.tensor([-128, -5], dtype=torch.int8).abs()', 'not-i8': '~%s' % _I8,
        'u8&300': '%s & 300' % _U8, 'u8<<3': '%s << 3' % _U8, 'i16^u8': '%s ^ %s' % (_I16, _U8),
        'u8-bool': '%s - torch.tensor([True, False, True])' % _U8, 'cat-u8-i8': 'torch.cat([%s, %s])' % (_U8, _I8),
        'u8.clamp(min=-1)': '%s.clamp(min=-1)' % _U8, 'u8.clamp(max=300)': '%s.clamp(max=300)' % _U8,
        'u8.add_(1.5)': '%s.add_(1.5)' % _U8, 'u8.add_(100)': '%s.add_(100)' % _U8, 'u8.exp': '%s.exp()' % _I8,
        'list-of-0d-u8': 'torch.tensor([torch.tensor(1, dtype=torch.uint8), torch.tensor(2, dtype=torch.uint8)])',
        'list-of-0d-u8-int': 'torch.tensor([torch.tensor(1, dtype=torch.uint8), 2])',
    }
    out += [('smallint/op/' + k, v) for k, v in ops.items()]
    u8t, i8t, i16t = ('ints(3, hi=5, dtype=torch.uint8)', 'ints(3, hi=5, dtype=torch.int8)',
                      'ints(3, hi=5, dtype=torch.int16)')
    grad = '(lambda x: (F.%s(x, %s%s).backward(), x.grad)[1])(f(3, 5, grad=True))'
    out += [
        ('smallint/loss/nll-uint8', 'F.nll_loss(f(3, 5), %s)' % u8t),
        ('smallint/loss/nll-uint8-none-weight', 'F.nll_loss(f(3, 5), %s, weight=p(5), reduction="none")' % u8t),
        ('smallint/loss/nll-uint8-ignore', 'F.nll_loss(f(3, 5), %s, ignore_index=2)' % u8t),
        ('smallint/loss/nll-uint8-grad', grad % ('nll_loss', u8t, '')),
        ('smallint/loss/nll-uint8-1d', 'F.nll_loss(f(5), ints(1, hi=5, dtype=torch.uint8))'),
        ('smallint/loss/nll-uint8-spatial', 'F.nll_loss(f(2, 5, 3), ints(2, 3, hi=5, dtype=torch.uint8))'),
        ('smallint/loss/nll-uint8-4d', 'F.nll_loss(f(2, 5, 2, 2), ints(2, 2, 2, hi=5, dtype=torch.uint8))'),
        ('smallint/loss/nll-uint8-high', 'F.nll_loss(f(3, 5), torch.tensor([1, 200, 0], dtype=torch.uint8))'),
        ('smallint/loss/nll-int8', 'F.nll_loss(f(3, 5), %s)' % i8t),
        ('smallint/loss/nll-int16', 'F.nll_loss(f(3, 5), %s)' % i16t),
        ('smallint/loss/nll-input-uint8', 'F.nll_loss(ints(3, 5, dtype=torch.uint8), ints(3, hi=5))'),
        ('smallint/loss/ce-uint8', 'F.cross_entropy(f(3, 5), %s)' % u8t),
        ('smallint/loss/ce-uint8-smoothing', 'F.cross_entropy(f(3, 5), %s, label_smoothing=0.1)' % u8t),
        ('smallint/loss/ce-uint8-grad', grad % ('cross_entropy', u8t, '')),
        ('smallint/loss/ce-uint8-weight-grad', grad % ('cross_entropy', u8t, ', weight=p(5)')),
        ('smallint/loss/ce-uint8-float64', 'F.cross_entropy(f(3, 5, dtype=torch.float64), %s)' % u8t),
        ('smallint/loss/ce-uint8-float16', 'F.cross_entropy(f(3, 5).half(), %s)' % u8t),
        ('smallint/loss/ce-uint8-spatial', 'F.cross_entropy(f(2, 5, 3), ints(2, 3, hi=5, dtype=torch.uint8))'),
        ('smallint/loss/ce-int8', 'F.cross_entropy(f(3, 5), %s)' % i8t),
        ('smallint/loss/ce-int16-spatial', 'F.cross_entropy(f(2, 5, 3), ints(2, 3, hi=5, dtype=torch.int16))'),
        ('smallint/loss/ce-input-int16', 'F.cross_entropy(ints(3, 5, dtype=torch.int16), ints(3, hi=5))'),
        ('smallint/loss/ce-probs-uint8', 'F.cross_entropy(f(3, 5), ints(3, 5, hi=2, dtype=torch.uint8))'),
        ('smallint/loss/module-ce-uint8', 'nn.CrossEntropyLoss()(f(3, 5), %s)' % u8t),
        ('smallint/loss/multi_margin-uint8', 'F.multi_margin_loss(f(3, 5), %s)' % u8t),
        ('smallint/loss/multi_margin-int16', 'F.multi_margin_loss(f(3, 5), %s)' % i16t),
        ('smallint/loss/multilabel_margin-int8', 'F.multilabel_margin_loss(f(3, 5), ints(3, 5, hi=5, dtype=torch.int8))'),
        ('smallint/loss/ctc-uint8', 'F.ctc_loss(logp(6, 2, 4), ints(2, 3, lo=1, hi=4, dtype=torch.uint8), '
                                    'ints(2, lo=6, hi=7, dtype=torch.uint8), ints(2, lo=3, hi=4, dtype=torch.uint8))'),
        ('smallint/loss/ctc-int16', 'F.ctc_loss(logp(6, 2, 4), ints(2, 3, lo=1, hi=4, dtype=torch.int16), '
                                    'ints(2, lo=6, hi=7, dtype=torch.int16), ints(2, lo=3, hi=4, dtype=torch.int8))'),
        ('smallint/loss/ctc-int8-targets-lists', 'F.ctc_loss(logp(6, 2, 4), ints(2, 3, lo=1, hi=4, dtype=torch.int8), '
                                                 '[6, 6], [3, 3])'),
        ('smallint/loss/mse-uint8', 'F.mse_loss(ints(3, 4, dtype=torch.uint8), ints(3, 4, dtype=torch.uint8))'),
        ('smallint/loss/mse-f32-int16', 'F.mse_loss(f(3, 4), ints(3, 4, dtype=torch.int16))'),
        ('smallint/loss/l1-int8-mean', 'F.l1_loss(ints(3, 4, dtype=torch.int8), ints(3, 4, dtype=torch.int8))'),
        ('smallint/loss/smooth_l1-int16', 'F.smooth_l1_loss(ints(3, 4, dtype=torch.int16), f(3, 4))'),
        ('smallint/loss/huber-int8', 'F.huber_loss(ints(3, 4, dtype=torch.int8), ints(3, 4, dtype=torch.int8))'),
        ('smallint/loss/kl_div-uint8', 'F.kl_div(f(3, 4), ints(3, 4, dtype=torch.uint8), reduction="batchmean")'),
        ('smallint/loss/bce-target-uint8', 'F.binary_cross_entropy(p(3, 4), ints(3, 4, hi=2, dtype=torch.uint8))'),
        ('smallint/loss/bce-input-int8', 'F.binary_cross_entropy(ints(3, 4, hi=2, dtype=torch.int8), p(3, 4))'),
        ('smallint/loss/bce_logits-target-int16', 'F.binary_cross_entropy_with_logits(f(3, 4), '
                                                  'ints(3, 4, hi=2, dtype=torch.int16))'),
        ('smallint/loss/soft_margin-input-uint8', 'F.soft_margin_loss(ints(3, 4, dtype=torch.uint8), sign(3, 4))'),
        ('smallint/loss/soft_margin-input-int16', 'F.soft_margin_loss(ints(3, 4, dtype=torch.int16), sign(3, 4))'),
        ('smallint/loss/gaussian_nll-uint8', 'F.gaussian_nll_loss(f(3, 4), f(3, 4), ints(3, 4, lo=1, dtype=torch.uint8))'),
        ('smallint/loss/gaussian_nll-int16', 'F.gaussian_nll_loss(f(3, 4), f(3, 4), ints(3, 4, lo=1, dtype=torch.int16))'),
        ('smallint/loss/poisson_nll-uint8', 'F.poisson_nll_loss(ints(3, 4, dtype=torch.uint8), ints(3, 4, dtype=torch.uint8))'),
        ('smallint/loss/multilabel_soft_margin-input-int8', 'F.multilabel_soft_margin_loss(ints(3, 4, hi=2, '
                                                            'dtype=torch.int8), ints(3, 4, hi=2).float())'),
        ('smallint/loss/cosine_embedding-target-int8', 'F.cosine_embedding_loss(f(3, 4), f(3, 4), '
                                                       'torch.tensor([1, -1, 1], dtype=torch.int8))'),
        ('smallint/loss/linear_ce-uint8', 'F.linear_cross_entropy(f(2, 4), f(3, 4), ints(2, hi=3, dtype=torch.uint8))'),
        ('smallint/loss/linear_ce-int16', 'F.linear_cross_entropy(f(2, 4), f(3, 4), ints(2, hi=3, dtype=torch.int16))'),
        ('smallint/loss/triplet-uint8', 'F.triplet_margin_loss(ints(3, 4, dtype=torch.uint8), '
                                        'ints(3, 4, dtype=torch.uint8), ints(3, 4, lo=1, dtype=torch.uint8))'),
    ]
    return out


# Losses given integer tensors (uint8, int8, int16, int32, int64). PyTorch 2.13 composes several losses from
# generic ops, which compute in the operands' integer dtype and wrap (uint8's 0 - 1 is 255), compare a target with
# -1 in its own dtype (a uint8 target's 255 is -1), sum an integer loss to int64 and refuse its mean.
_INT_DTYPES = ('uint8', 'int8', 'int16', 'int32', 'int64')


def _int_arg(shape, d, lo=0, hi=5):
    return 'ints(%s, lo=%d, hi=%d, dtype=torch.%s)' % (shape, lo, hi, d)


def _int_sign(shape, d):
    return 'sign(%s).long().to(torch.%s)' % (shape, d)


_INT_LOSSES = {
    'l1_loss': lambda d: [_int_arg('3, 4', d), _int_arg('3, 4', d, 1, 4)],
    'mse_loss': lambda d: [_int_arg('3, 4', d), _int_arg('3, 4', d, 1, 4)],
    'smooth_l1_loss': lambda d: [_int_arg('3, 4', d), _int_arg('3, 4', d, 1, 4)],
    'huber_loss': lambda d: [_int_arg('3, 4', d), _int_arg('3, 4', d, 1, 4)],
    'poisson_nll_loss': lambda d: [_int_arg('3, 4', d), _int_arg('3, 4', d, 1, 4)],
    'gaussian_nll_loss': lambda d: [_int_arg('3, 4', d), _int_arg('3, 4', d, 1, 4), _int_arg('3, 4', d, 1, 3)],
    'kl_div': lambda d: [_int_arg('3, 4', d), _int_arg('3, 4', d, 1, 4)],
    'binary_cross_entropy': lambda d: [_int_arg('3, 4', d, 0, 2), _int_arg('3, 4', d, 0, 2)],
    'binary_cross_entropy_with_logits': lambda d: [_int_arg('3, 4', d), _int_arg('3, 4', d, 0, 2)],
    'soft_margin_loss': lambda d: [_int_arg('3, 4', d), _int_sign('3, 4', d)],
    'multilabel_soft_margin_loss': lambda d: [_int_arg('3, 4', d), _int_arg('3, 4', d, 0, 2)],
    'margin_ranking_loss': lambda d: [_int_arg('4', d), _int_arg('4', d, 1, 4), _int_sign('4', d)],
    'hinge_embedding_loss': lambda d: [_int_arg('3, 4', d), _int_sign('3, 4', d)],
    'cosine_embedding_loss': lambda d: [_int_arg('3, 4', d, 1, 5), _int_arg('3, 4', d, 1, 4), _int_sign('3', d)],
    'triplet_margin_loss': lambda d: [_int_arg('3, 4', d), _int_arg('3, 4', d, 1, 4), _int_arg('3, 4', d, 2, 7)],
    'triplet_margin_with_distance_loss': lambda d: [_int_arg('3, 4', d), _int_arg('3, 4', d, 1, 4),
                                                    _int_arg('3, 4', d, 2, 7)],
    'pairwise_distance': lambda d: [_int_arg('3, 4', d), _int_arg('3, 4', d, 1, 4)],
    'multilabel_margin_loss': lambda d: [_int_arg('3, 5', d), _int_arg('3, 5', d, 0, 5)],
    'multi_margin_loss': lambda d: [_int_arg('3, 5', d), _int_arg('3', d, 0, 5)],
    'nll_loss': lambda d: [_int_arg('3, 5', d), _int_arg('3', d, 0, 5)],
    'cross_entropy': lambda d: [_int_arg('3, 5', d), _int_arg('3', d, 0, 5)],
}
# Values near each dtype's limits, so differences, negations and products wrap.
_INT_EXTREMES = {
    'uint8': ([0, 200, 255, 17, 128, 3], [255, 100, 1, 200, 128, 250]),
    'int8': ([-128, 100, 127, -100, 5, 64], [127, -100, -128, 100, -5, 64]),
    'int16': ([-32768, 30000, 32767, -30000, 300, 256], [32767, -30000, -32768, 30000, -300, 256]),
    'int32': ([-2**31, 2**31 - 1, 2**30, -2**30, 65536, 46341], [2**31 - 1, -2**31, 2**30, 2**30, 65536, 46341]),
    'int64': ([-2**40, 2**40, 5, -3, 2**31, 7], [2**40, -2**40, 5, 3, 2**31, -7]),
}


def _loss_variants(prefix, dtypes):
    """(id, code) pairs: every loss of _INT_LOSSES in each of `dtypes`, with all operands integer (each
    reduction), the input alone made float, or the rest made float; the margin losses with a few margins."""
    out = []
    for name, make in _INT_LOSSES.items():
        for d in dtypes:
            args = make(d)
            variants = [('all', args, ('none', 'mean', 'sum')),
                        ('input-float', ['(%s).float()' % args[0]] + args[1:], ('none',)),
                        ('rest-float', [args[0]] + ['(%s).float()' % a for a in args[1:]], ('none',))]
            for tag, va, reds in variants:
                if name == 'pairwise_distance':
                    out.append(('%s/%s/%s/%s' % (prefix, name, d, tag), 'F.%s(%s)' % (name, ', '.join(va))))
                    continue
                for red in reds:
                    out.append(('%s/%s/%s/%s/%s' % (prefix, name, d, tag, red),
                                'F.%s(%s, reduction="%s")' % (name, ', '.join(va), red)))
            if name in ('margin_ranking_loss', 'hinge_embedding_loss', 'cosine_embedding_loss', 'triplet_margin_loss'):
                for m in ('0.5', '2', '-1'):
                    out.append(('%s/%s/%s/all/margin=%s' % (prefix, name, d, m),
                                'F.%s(%s, margin=%s, reduction="none")' % (name, ', '.join(args), m)))
    return out


def int_loss_cases():
    """(id, code) pairs: every loss with integer operands (all of them, or all but the first or the first alone),
    values near the dtypes' limits, and float inputs against integer targets with their gradients."""
    out = _loss_variants('intloss', _INT_DTYPES)
    for d, (a, b) in _INT_EXTREMES.items():
        A = 'torch.tensor(%s, dtype=torch.%s).reshape(2, 3)' % (a, d)
        B = 'torch.tensor(%s, dtype=torch.%s).reshape(2, 3)' % (b, d)
        T = 'torch.tensor([-1, 1, -1, 1, 1, -1]).to(torch.%s).reshape(2, 3)' % d
        T1 = 'torch.tensor([1, -1]).to(torch.%s)' % d
        calls = {
            'l1': 'F.l1_loss(%s, %s, reduction="R")' % (A, B),
            'l1-bcast': 'F.l1_loss(%s, %s[0], reduction="R")' % (A, B),
            'hinge': 'F.hinge_embedding_loss(%s, %s, reduction="R")' % (A, T),
            'hinge-m3': 'F.hinge_embedding_loss(%s, %s, margin=3.7, reduction="R")' % (A, T),
            'margin_ranking': 'F.margin_ranking_loss(%s, %s, %s, reduction="R")' % (A, B, T),
            'margin_ranking-m': 'F.margin_ranking_loss(%s, %s, %s, margin=1.5, reduction="R")' % (A, B, T),
            'cosine': 'F.cosine_embedding_loss(%s, %s, %s, reduction="R")' % (A, B, T1),
            'cosine-f': 'F.cosine_embedding_loss(%s.float(), %s.float(), %s, reduction="R")' % (A, B, T1),
            'cosine-bcast': 'F.cosine_embedding_loss(%s, %s[:1], %s, reduction="R")' % (A, B, T1),
            'triplet': 'F.triplet_margin_loss(%s, %s, %s.flip(0), reduction="R")' % (A, B, A),
            'triplet-swap': 'F.triplet_margin_loss(%s, %s, %s.flip(0), swap=True, p=1, reduction="R")' % (A, B, A),
            'twd': 'F.triplet_margin_with_distance_loss(%s, %s, %s.flip(0), reduction="R")' % (A, B, A),
            'pd': 'F.pairwise_distance(%s, %s)' % (A, B),
            'pd-p1': 'F.pairwise_distance(%s, %s, p=1)' % (A, B),
            'pd-bcast': 'F.pairwise_distance(%s, %s[0])' % (A, B),
            'pd-mixed': 'F.pairwise_distance(%s, torch.tensor([1, 2, 3, 4, 5, 250], dtype=torch.uint8).reshape(2, 3))'
                        % A,
            'poisson': 'F.poisson_nll_loss(%s, %s, reduction="R")' % (A, B),
            'poisson-nolog': 'F.poisson_nll_loss(%s, %s, log_input=False, reduction="R")' % (A, B),
            'msm': 'F.multilabel_soft_margin_loss(%s.float(), %s, reduction="R")' % (A, B),
            'soft_margin-t': 'F.soft_margin_loss(%s.float(), %s, reduction="R")' % (A, T),
            'bcel-t': 'F.binary_cross_entropy_with_logits(%s.float(), %s, reduction="R")' % (A, B),
            'gauss-t': 'F.gaussian_nll_loss(%s.float(), %s, %s.float().abs() + 1, reduction="R")' % (A, B, B),
            'smooth_l1-t': 'F.smooth_l1_loss(%s.float(), %s, reduction="R")' % (A, B),
            'huber-i': 'F.huber_loss(%s.float(), %s, reduction="R")' % (A, B),
            'mse-t': 'F.mse_loss(%s.float(), %s, reduction="R")' % (A, B),
            'kl': 'F.kl_div(%s.float(), %s.float(), reduction="R")' % (A, B),
        }
        for k, c in calls.items():
            for red in (('none', 'sum', 'mean') if '"R"' in c else (None,)):
                out.append(('intbig/%s/%s/%s' % (d, k, red), c.replace('"R"', '"%s"' % red) if red else c))
    for d in _INT_DTYPES:
        T = 'torch.tensor([-1, 1, 255, 1, -1, 3, 0, 1, -1, 1, 1, 2]).to(torch.%s).reshape(3, 4)' % d
        T3 = 'torch.tensor([-1, 1, 255]).to(torch.%s)' % d
        Y = 'torch.tensor([0, 1, 200, 1, 7, 3, 0, 1, 100, 1, 1, 2]).to(torch.%s).reshape(3, 4)' % d
        calls = {
            'msm': 'F.multilabel_soft_margin_loss(x, %s, reduction="R")' % Y,
            'hinge': 'F.hinge_embedding_loss(x, %s, reduction="R")' % T,
            'soft_margin': 'F.soft_margin_loss(x, %s, reduction="R")' % T,
            'bce_logits': 'F.binary_cross_entropy_with_logits(x, %s, reduction="R")' % Y,
            'poisson': 'F.poisson_nll_loss(x, %s, reduction="R")' % Y,
            'poisson-full': 'F.poisson_nll_loss(x, %s, full=True, reduction="R")' % Y,
            'gauss': 'F.gaussian_nll_loss(x, %s, torch.ones(3, 4), reduction="R")' % Y,
            'smooth_l1': 'F.smooth_l1_loss(x, %s, reduction="R")' % Y,
            'huber': 'F.huber_loss(x, %s, reduction="R")' % Y,
            'mse': 'F.mse_loss(x, %s, reduction="R")' % Y,
            'l1': 'F.l1_loss(x, %s, reduction="R")' % Y,
            'cosine': 'F.cosine_embedding_loss(x, x.detach() * 2 + 1, %s, reduction="R")' % T3,
            'margin_ranking': 'F.margin_ranking_loss(x, x.detach().flip(0), %s, reduction="R")' % T,
            'triplet': 'F.triplet_margin_loss(x, %s, %s.flip(0), reduction="R")' % (Y, Y),
        }
        for k, c in calls.items():
            out.append(('intgrad/%s/%s/none/value' % (d, k),
                        '(lambda x: %s)(f(3, 4, lo=-3.0, hi=3.0))' % c.replace('"R"', '"none"')))
            for red in ('none', 'mean'):
                out.append(('intgrad/%s/%s/%s/grad' % (d, k, red),
                            '(lambda x: (%s.sum().backward(), x.grad)[1])(f(3, 4, lo=-3.0, hi=3.0, grad=True))'
                            % c.replace('"R"', '"%s"' % red)))
    return out


# uint16, uint32 and uint64: PyTorch 2.13's "barebones" unsigned dtypes. Tensors are created, printed and
# converted; mul, sum, eq/ne, cat and views work; most other ops refuse them with their kernel's
# NotImplementedError, and promotion with another integer dtype is refused. Out-of-range float conversions to
# uint32 differ between 2.13's vectorised and scalar loops, so only in-range ones are recorded for it.
_UINTS = ('uint16', 'uint32', 'uint64')
_UINT_FLOATS = {'uint16': '[300.0, -1.7, 1.7, -300.0, 1e10, -1e10, nan, inf, -inf, 65535.9, 65536.0, 70000.5]',
                'uint32': '[300.0, 1.7, 65535.9, 70000.5, 3e9, 4294967040.0]',
                'uint64': '[300.0, -1.7, 1.7, -300.0, 1e10, -1e10, nan, inf, -inf, 1e19, 2e19, -9.3e18]'}


def uint_cases():
    """(id, code) pairs for uint16, uint32 and uint64."""
    out = []
    for d in _UINTS:
        dt = 'torch.' + d
        u = 'torch.tensor([3, 1, 2], dtype=%s)' % dt
        c = 'uint/%s/' % d
        out += [
            (c + 'attrs', '(str(%s), %s.itemsize, %s.is_floating_point, %s.is_signed)' % (dt, dt, dt, dt)),
            (c + 'tensor', 'torch.tensor([[1, 2], [100, 7]], dtype=%s)' % dt),
            (c + 'repr', 'repr(torch.tensor([[1, 2], [100, 7]], dtype=%s))' % dt),
            (c + 'repr-scalar', 'repr(torch.tensor(5, dtype=%s))' % dt),
            (c + 'repr-empty', 'repr(torch.zeros(0, 3, dtype=%s))' % dt),
            (c + 'repr-wrapped', 'repr(torch.tensor([-1, 2, -300]).to(%s))' % dt),
            (c + 'zeros', 'repr(torch.zeros(2, 3, dtype=%s))' % dt),
            (c + 'ones', 'repr(torch.ones(2, dtype=%s))' % dt),
            (c + 'full', 'torch.full((2,), 7, dtype=%s)' % dt),
            (c + 'full-neg', 'torch.full((2,), -1, dtype=%s)' % dt),
            (c + 'full-float', 'torch.full((2,), 7.9, dtype=%s)' % dt),
            (c + 'full-float-neg', 'torch.full((2,), -0.5, dtype=%s)' % dt),
            (c + 'full-nan', 'torch.full((2,), nan, dtype=%s)' % dt),
            (c + 'full-2^64', 'torch.full((2,), 2**64, dtype=%s)' % dt),
            (c + 'empty', 'repr(torch.empty(0, dtype=%s))' % dt),
            (c + 'arange', 'torch.arange(5, dtype=%s)' % dt),
            (c + 'tolist', 'torch.tensor([[1, 2], [3, 4]], dtype=%s).tolist()' % dt),
            (c + 'item', '(torch.tensor([9], dtype=%s).item(), type(torch.tensor(9, dtype=%s).item()).__name__)'
             % (dt, dt)),
            (c + 'requires_grad', 'torch.zeros(2, dtype=%s).requires_grad_()' % dt),
            (c + 'to-from-int64', 'torch.tensor([300, -1, 256, 65536, 70000, -32769, 2**40 + 5, 2**33 + 5]).to(%s)'
             % dt),
            (c + 'to-from-float64', 'torch.tensor(%s, dtype=torch.float64).to(%s)' % (_UINT_FLOATS[d], dt)),
            (c + 'to-from-float32', 'torch.tensor(%s).to(%s)' % (_UINT_FLOATS[d], dt)),
            (c + 'to-float32', 'torch.tensor([1, 60000], dtype=%s).float()' % dt),
            (c + 'to-int64', 'torch.tensor([-1, 5]).to(%s).long()' % dt),
            (c + 'to-uint8', 'torch.tensor([-1, 300]).to(%s).to(torch.uint8)' % dt),
            (c + 'to-float16', 'torch.tensor([1, 65535], dtype=torch.int64).to(%s).half()' % dt),
            (c + 'to-float64', 'torch.tensor([-1, 5]).to(%s).double()' % dt),
            (c + 'sum', '%s.sum()' % u),
            (c + 'sum-dim', 'torch.tensor([[1, 2], [3, 4]], dtype=%s).sum(1)' % dt),
            (c + 'mean', '%s.mean()' % u),
            (c + 'op/add', '%s + %s' % (u, u)), (c + 'op/add-int', '%s + 1' % u), (c + 'op/sub', '%s - %s' % (u, u)),
            (c + 'op/mul', '%s * %s' % (u, u)), (c + 'op/mul-int', '%s * 70000' % u), (c + 'op/mul-neg', '%s * -1' % u),
            (c + 'op/mul-float', '%s * 2.5' % u), (c + 'op/div', '%s / 2' % u), (c + 'op/neg', '-%s' % u),
            (c + 'op/abs', '%s.abs()' % u), (c + 'op/sign', '%s.sign()' % u), (c + 'op/pow', '%s ** 2' % u),
            (c + 'op/lt', '%s < 2' % u), (c + 'op/gt', '%s > %s' % (u, u)), (c + 'op/eq', '%s == 1' % u),
            (c + 'op/eq-neg', '%s == -1' % u), (c + 'op/ne', '%s != %s' % (u, u)),
            (c + 'op/clamp', '%s.clamp(min=1)' % u), (c + 'op/min', '%s.min()' % u), (c + 'op/max', '%s.max()' % u),
            (c + 'op/max-dim', '%s.max(0)' % u), (c + 'op/argmax', '%s.argmax()' % u), (c + 'op/not', '~%s' % u),
            (c + 'op/flip', '%s.flip(0)' % u), (c + 'op/gather', '%s.gather(0, torch.tensor([0]))' % u),
            (c + 'op/masked_fill', '%s.masked_fill(%s == 1, 5)' % (u, u)),
            (c + 'op/cat', 'torch.cat([%s, %s])' % (u, u)), (c + 'op/view', '%s.view(3, 1)' % u),
            (c + 'op/index', '%s[1:]' % u), (c + 'op/stack', 'torch.stack([%s, %s])' % (u, u)),
            (c + 'op/+int64', '%s + torch.tensor([1, 2, 3])' % u), (c + 'op/*uint8', '%s * torch.tensor([1, 2, 3], '
                                                                          'dtype=torch.uint8)' % u),
            (c + 'op/*bool', '%s * torch.tensor([True, False, True])' % u),
            (c + 'op/+float32', '%s + torch.tensor([0.5, 1.0, 2.0])' % u),
            (c + 'op/+float16', '%s + torch.tensor([0.5, 1.0, 2.0]).half()' % u),
            (c + 'op/zeros_like', 'torch.zeros_like(%s)' % u), (c + 'op/bool', '%s.bool()' % u),
        ]
    out += [
        ('uint/uint64/large', 'torch.tensor([2**64 - 1, 2**63, 5], dtype=torch.uint64)'),
        ('uint/uint64/large-tolist', 'torch.tensor([2**64 - 1, 2**63, 5], dtype=torch.uint64).tolist()'),
        ('uint/uint64/large-item', 'torch.tensor(2**64 - 1, dtype=torch.uint64).item()'),
        ('uint/uint64/large-float', 'torch.tensor([2**64 - 1, 2**63, 5], dtype=torch.uint64).double()'),
        ('uint/uint64/from-neg-int', 'torch.tensor([-1], dtype=torch.uint64)'),
        ('uint/uint64/from-float', 'torch.tensor([1.5], dtype=torch.uint64)'),
        ('uint/uint64/from-2^64', 'torch.tensor([2**64], dtype=torch.uint64)'),
        ('uint/uint64/full-large', 'torch.full((2,), 1e19, dtype=torch.uint64)'),
        ('uint/uint16/from-int-edges', '[torch.tensor([v], dtype=torch.uint16).tolist() for v in (-65535, 65535)]'),
        ('uint/uint16/from-int-65536', 'torch.tensor([65536], dtype=torch.uint16)'),
        ('uint/uint16/from-int--65536', 'torch.tensor([-65536], dtype=torch.uint16)'),
        ('uint/uint16/from-float-neg', 'torch.tensor([-0.5], dtype=torch.uint16)'),
        ('uint/uint16/from-float', 'torch.tensor([1.5, 65535.0], dtype=torch.uint16)'),
        ('uint/uint16/from-2^63', 'torch.tensor([2**63], dtype=torch.uint16)'),
        ('uint/uint32/from-int-edges', 'torch.tensor([-4294967295, 4294967295, -1], dtype=torch.uint32)'),
        ('uint/uint32/from-int-2^32', 'torch.tensor([2**32], dtype=torch.uint32)'),
        ('uint/uint32/from-float', 'torch.tensor([65535.5, 1.5], dtype=torch.uint32)'),
        ('uint/uint32/from-float-over', 'torch.tensor([4294967295.5], dtype=torch.uint32)'),
        ('uint/uint32/full-2^63', 'torch.full((1,), 2**63, dtype=torch.uint32)'),
        ('uint/uint16/summarized', 'torch.arange(1500).to(torch.uint16)'),
        ('uint/more/ctc/u16', 'F.ctc_loss(logp(6, 2, 4), %s, %s, %s)' % (
            _int_arg('2, 3', 'uint16', 1, 4), _int_arg('2', 'uint16', 6, 7), _int_arg('2', 'uint16', 3, 4))),
        ('uint/more/ctc/u32-lengths', 'F.ctc_loss(logp(6, 2, 4), ints(2, 3, lo=1, hi=4), %s, %s)' % (
            _int_arg('2', 'uint32', 6, 7), _int_arg('2', 'uint32', 3, 4))),
        ('uint/more/ctc/u64-targets', 'F.ctc_loss(logp(6, 2, 4), %s, [6, 6], [3, 3])'
         % _int_arg('2, 3', 'uint64', 1, 4)),
        ('uint/more/nll/u16-weight', 'F.nll_loss(f(3, 5), ints(3, hi=5), weight=ints(5, dtype=torch.uint16))'),
        ('uint/more/bce/u16-weight', 'F.binary_cross_entropy(p(3, 4), p(3, 4), weight=ints(3, 4, dtype=torch.uint16))'),
        ('uint/more/mse/u16-weight', 'F.mse_loss(f(3, 4), f(3, 4), weight=ints(3, 4, dtype=torch.uint16))'),
        ('uint/more/l1/u16-weight', 'F.l1_loss(f(3, 4), f(3, 4), weight=ints(3, 4, dtype=torch.uint16))'),
        ('uint/more/kl/u16', 'F.kl_div(f(3, 4), ints(3, 4, dtype=torch.uint16))'),
        ('uint/more/mm/u16', 'F.multi_margin_loss(f(3, 5), ints(3, hi=5, dtype=torch.uint16))'),
        ('uint/more/ce/u16-probs', 'F.cross_entropy(f(3, 5), ints(3, 5, hi=2, dtype=torch.uint16))'),
        ('uint/more/hinge/u16-bool', 'F.hinge_embedding_loss(f(3, 4), ints(3, 4, hi=2, dtype=torch.uint16) > 0)'),
        ('uint/more/lce/u16', 'F.linear_cross_entropy(f(3, 4), f(5, 4), ints(3, hi=5, dtype=torch.uint16))'),
        ('uint/more/softmax/u16', 'ints(3, 4, dtype=torch.uint16).softmax(-1)'),
        ('uint/more/log_softmax/u16', 'F.log_softmax(ints(3, 4, dtype=torch.uint16), -1)'),
        ('uint/more/sigmoid/u16', 'torch.sigmoid(ints(3, 4, dtype=torch.uint16))'),
        ('uint/more/exp/u16', 'ints(3, 4, dtype=torch.uint16).exp()'),
        ('uint/more/sum-dim/u32', 'ints(3, 4, dtype=torch.uint32).sum(0)'),
        ('uint/more/mean-dim/u32', 'ints(3, 4, dtype=torch.uint32).mean(0)'),
        ('uint/more/matmul/u16', 'ints(3, 4, dtype=torch.uint16) @ ints(4, 2, dtype=torch.uint16)'),
        ('uint/more/cos_sim/u16', 'F.cosine_similarity(%s, %s)'
         % (_int_arg('3, 4', 'uint16'), _int_arg('3, 4', 'uint16'))),
        ('uint/more/dot/u16', 'torch.ones(3, dtype=torch.uint16) @ torch.ones(3, dtype=torch.uint16)'),
        ('uint/more/mv/u32', 'torch.ones(2, 3, dtype=torch.uint32) @ torch.ones(3, dtype=torch.uint32)'),
    ]
    out.extend(_loss_variants('uint/loss', _UINTS))
    return out


def half_softmax_cases():
    """(id, code) pairs: log_softmax and softmax of float16/bfloat16 tensors, values and gradients."""
    out = []
    k = 0
    for dt in ('float16', 'bfloat16'):
        for shape in ['9, 17', '4, 136', '3, 500', '7', '2, 3, 33']:
            for sc in ('1', '8'):
                k += 1
                x = ('torch.randn(%s, generator=torch.Generator().manual_seed(%d)).mul(%s).to(torch.%s)'
                     % (shape, k, sc, dt))
                c = 'halfsoftmax/%s/%s/x%s/' % (dt, shape.replace(', ', 'x'), sc)
                grad = ('(lambda x: (x.%s(-1).mul(torch.arange(x.numel()).reshape(x.shape).to(x.dtype) / 7).sum()'
                        '.backward(), x.grad)[1])(%s.requires_grad_())')
                out += [(c + 'log_softmax', 'F.log_softmax(%s, -1)' % x),
                        (c + 'log_softmax-grad', grad % ('log_softmax', x)),
                        (c + 'softmax', 'F.softmax(%s, -1)' % x),
                        (c + 'log_softmax-dim0', 'F.log_softmax(%s, 0)' % x),
                        (c + 'softmax-grad', grad % ('softmax', x))]
    return out


_LIMIT = {'error': {'type': 'RuntimeError', 'message': (
    "loss4j: a dimension of size 2147483648 is past loss4j's limit of 2147483647 (2**31 - 1) elements per "
    "dimension; PyTorch allows it")}}
# Where PyTorch 2.13's result is undefined behaviour (it reads uninitialised or out-of-bounds memory: its value
# changes from run to run) or lies past loss4j's limits, loss4j's own choice is recorded as "loss4j" and
# expected instead of PyTorch's; the README lists each. PyTorch's value is then not recorded.
DEVIATIONS = {
    'multi_margin_loss/empty-batch-sum': ('undefined behaviour in PyTorch (uninitialised memory); loss4j: 0',
                                          {'output': {'dtype': 'float32', 'shape': [], 'data': [0.0]}}),
    'multi_margin_loss/empty-batch-mean': ('undefined behaviour in PyTorch (uninitialised memory); loss4j: NaN',
                                           {'output': {'dtype': 'float32', 'shape': [], 'data': [float('nan')]}}),
    'ctc_loss/target-ge-C': ('undefined behaviour in PyTorch (reads past the class dimension); loss4j raises', {
        'error': {'type': 'IndexError', 'message':
                  "loss4j: target 4 is out of bounds for 4 classes (undefined behaviour in PyTorch's ctc_loss)"}}),
    'int32-limit/mse_loss-0x2^31': ('past loss4j\'s int32 sizes', _LIMIT),
    'int32-limit/l1_loss-0x2^31-sum': ('past loss4j\'s int32 sizes', _LIMIT),
    'int32-limit/cross_entropy-0x2^31': ('past loss4j\'s int32 sizes', _LIMIT),
}


MODULE_CHECKED = {
    'HuberLoss': ('delta',), 'BCELoss': ('weight',), 'BCEWithLogitsLoss': ('weight', 'pos_weight'),
    'MultiLabelSoftMarginLoss': ('weight',), 'NLLLoss': ('weight',), 'CrossEntropyLoss': ('weight',),
    'MultiMarginLoss': ('p', 'weight'), 'TripletMarginLoss': ('margin',), 'TripletMarginWithDistanceLoss': ('margin',),
}


def loss_cases(loss):
    """(id, code) pairs for one loss."""
    fn, out = 'F.' + loss.name, []

    def call(args, opts=''):
        return '%s(%s%s)' % (fn, ', '.join(args), opts)

    for i, arg in enumerate(loss.args):
        for tag, bad in PY_VALUES.items():
            args = list(loss.args)
            args[i] = bad
            out.append(('%s/arg%d/%s' % (loss.name, i, tag), call(args)))
        if arg.startswith(('f(', 'p(')) and '3, 4' in arg or arg.startswith('f(3, 5'):
            shape = (3, 5) if '3, 5' in arg else (3, 4)
            for tag, bad in float_muts(arg, shape).items():
                args = list(loss.args)
                args[i] = bad
                out.append(('%s/arg%d/%s' % (loss.name, i, tag), call(args)))
        for tag, bad in loss.tensor_muts.get(i, {}).items():
            args = list(loss.args)
            args[i] = bad
            out.append(('%s/arg%d/%s' % (loss.name, i, tag), call(args)))
        if arg.startswith('ints('):
            for tag, bad in {'dtype-float32': arg + '.float()', 'dtype-bool': arg + ' > 0', '0d': 'ints()',
                             'empty': 'ints(0)', 'rank+1': arg + '.unsqueeze(0)'}.items():
                args = list(loss.args)
                args[i] = bad
                out.append(('%s/arg%d/%s' % (loss.name, i, tag), call(args)))
    for opt in loss.options:
        values = REDUCTION_VALUES if opt == 'reduction' else OPTION_VALUES
        for tag, bad in values.items():
            out.append(('%s/%s/%s' % (loss.name, opt, tag), call(loss.args, ', %s=%s' % (opt, bad))))
            # The module form passes options on to the functional one: only options a module checks itself
            # (buffers, HuberLoss's delta, MultiMarginLoss's p, the triplet margins) get every value there.
            if opt in MODULE_CHECKED.get(loss.module, ()) or opt == 'reduction' and tag in ('None', 'int'):
                if loss.name == 'pairwise_distance':
                    continue
                out.append(('%s/module/%s/%s' % (loss.name, opt, tag),
                            'nn.%s(%s=%s)(%s)' % (loss.module, opt, bad, ', '.join(loss.args))))
    if loss.legacy:
        for flag in ('size_average', 'reduce'):
            for tag, bad in LEGACY_VALUES.items():
                out.append(('%s/%s/%s' % (loss.name, flag, tag), call(loss.args, ', %s=%s' % (flag, bad))))
    for tag, code in loss.extra:
        out.append(('%s/%s' % (loss.name, tag), code))
    return out


def all_cases():
    cases = []
    for loss in LOSSES:
        cases.extend(loss_cases(loss))
    cases.extend(EXTRA)
    cases.extend(small_int_cases())
    cases.extend(int_loss_cases())
    cases.extend(uint_cases())
    cases.extend(half_softmax_cases())
    return cases


def encode(value):
    if isinstance(value, torch.Tensor):
        t = value.detach()
        return {'dtype': str(t.dtype).replace('torch.', ''), 'shape': list(t.shape),
                'data': t.reshape(-1).tolist()}
    return {'repr': repr(value)}


def run(env, case_id, code):
    rec = {'id': case_id, 'code': code}
    if case_id in DEVIATIONS:
        reason, loss4j = DEVIATIONS[case_id]
        rec.update(deviation=reason, loss4j=loss4j)
        if reason.startswith('undefined'):
            return rec
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        try:
            rec['output'] = encode(eval(code, env))
        except Exception as e:  # the error is the expected result
            rec['error'] = {'type': type(e).__name__, 'message': str(e)}
    return rec


def main():
    torch.set_num_threads(1)
    env = {}
    with open(os.path.join(OUT, 'prelude.py')) as f:
        exec(compile(f.read(), 'prelude.py', 'exec'), env)
    seen = set()
    path = os.path.join(OUT, 'catalogue.jsonl')
    with open(path, 'w') as f:
        for case_id, code in all_cases():
            if case_id in seen:
                raise SystemExit('duplicate case id ' + case_id)
            seen.add(case_id)
            f.write(json.dumps(run(env, case_id, code)) + '\n')
    print('bad-input catalogue: %d cases -> %s (torch %s)' % (len(seen), os.path.relpath(path), torch.__version__))


if __name__ == '__main__':
    main()
