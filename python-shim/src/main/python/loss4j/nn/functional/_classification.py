"""Classification losses as torch.nn.functional functions; the engine checks, computes and warns.

The Java side is dev.loss4j.loss.Classification: each function hands its tensors and options over in one
call and wraps the resulting variable.
"""
import java

from ... import _bridge
from . import _args as _a
from ._common import finish as _wrap, var as _var

_Foreign, _translate, _Misuse, _retry = _bridge.Foreign, _bridge.translate, _bridge.Misuse, _a.retry
_int = int

__all__ = ['nll_loss', 'cross_entropy', 'multi_margin_loss', 'multilabel_margin_loss']

_C = java.type('dev.loss4j.loss.Classification')


def _margin_p(v, fn, name, position):
    """multi_margin_loss's p: PyTorch compares it with 1 and 2 before anything else."""
    if v != 1 and v != 2:
        raise ValueError('only p == 1 and p == 2 supported')
    return _a.number(v, fn, name, position)


_LEGACY = (('size_average', _a.flag, None), ('reduce', _a.flag, None), ('reduction', _a.reduction, None))
_NLL = ('nll_loss_nd', (('input', _a.tensor, 1), ('target', _a.tensor, 2), ('weight', _a.optional_tensor, 3),
                        ('size_average', _a.flag, None), ('ignore_index', _a.integer, 5), ('reduce', _a.flag, None),
                        ('reduction', _a.reduction, None)))
_CROSS_ENTROPY = ('cross_entropy_loss', _NLL[1] + (('label_smoothing', _a.real, 6),))
_MULTI_MARGIN = ('multi_margin_loss', (('input', _a.tensor, 1), ('target', _a.tensor, 2), ('p', _margin_p, 3),
                                       ('margin', _a.number, 4), ('weight', _a.optional_dimmed, 5)) + _LEGACY)
_MULTILABEL_MARGIN = ('multilabel_margin_loss', (('input', _a.tensor, 1), ('target', _a.tensor, 2)) + _LEGACY)


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    r"""The negative log likelihood loss.

    See :class:`~torch.nn.NLLLoss` for details.

    Args:
        input: :math:`(N, C)` where `C = number of classes` or :math:`(N, C, H, W)`
            in case of 2D Loss, or :math:`(N, C, d_1, d_2, ..., d_K)` where :math:`K \geq 1`
            in the case of K-dimensional loss. `input` is expected to be log-probabilities.
        target: :math:`(N)` where each value is :math:`0 \leq \text{targets}[i] \leq C-1`,
            or :math:`(N, d_1, d_2, ..., d_K)` where :math:`K \geq 1` for
            K-dimensional loss.
        weight (Tensor, optional): a manual rescaling weight given to each
            class. If given, has to be a Tensor of size `C`
        size_average (bool, optional): Deprecated (see :attr:`reduction`). By default,
            the losses are averaged over each loss element in the batch. Note that for
            some losses, there multiple elements per sample. If the field :attr:`size_average`
            is set to ``False``, the losses are instead summed for each minibatch. Ignored
            when reduce is ``False``. Default: ``True``
        ignore_index (int, optional): Specifies a target value that is ignored
            and does not contribute to the input gradient. When :attr:`size_average` is
            ``True``, the loss is averaged over non-ignored targets. Default: -100
        reduce (bool, optional): Deprecated (see :attr:`reduction`). By default, the
            losses are averaged or summed over observations for each minibatch depending
            on :attr:`size_average`. When :attr:`reduce` is ``False``, returns a loss per
            batch element instead and ignores :attr:`size_average`. Default: ``True``
        reduction (str, optional): Specifies the reduction to apply to the output:
            ``'none'`` | ``'mean'`` | ``'sum'``. ``'none'``: no reduction will be applied,
            ``'mean'``: the sum of the output will be divided by the number of
            elements in the output, ``'sum'``: the output will be summed. Note: :attr:`size_average`
            and :attr:`reduce` are in the process of being deprecated, and in the meantime,
            specifying either of those two args will override :attr:`reduction`. Default: ``'mean'``

    Example::

        >>> # input is of size N x C = 3 x 5
        >>> input = torch.randn(3, 5, requires_grad=True)
        >>> # each element in target has to have 0 <= value < C
        >>> target = torch.tensor([1, 0, 4])
        >>> output = F.nll_loss(F.log_softmax(input, dim=1), target)
        >>> output.backward()
    """
    try:
        if type(ignore_index) is _int:  # PyTorch takes Python ints only; anything else goes the slow way
            return _wrap(_C.nllLoss(input._v, target._v, _var(weight), size_average, ignore_index, reduce,
                                    reduction))
        error = None
    except _Foreign as e:
        raise _translate(e) from None
    except _Misuse as e:
        error = e
    return _retry(nll_loss, _NLL, (input, target, weight, size_average, ignore_index, reduce, reduction), error)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean",
                  label_smoothing=0.0):
    r"""This criterion computes the cross entropy loss between input logits and target.

    See :class:`~torch.nn.CrossEntropyLoss` for details.

    Args:
        input (Tensor) : Predicted unnormalized logits;
            see Shape section below for supported shapes.
        target (Tensor) : Ground truth class indices or class probabilities;
            see Shape section below for supported shapes.
        weight (Tensor, optional): a manual rescaling weight given to each
            class. If given, has to be a Tensor of size `C`
        size_average (bool, optional): Deprecated (see :attr:`reduction`). By default,
            the losses are averaged over each loss element in the batch. Note that for
            some losses, there multiple elements per sample. If the field :attr:`size_average`
            is set to ``False``, the losses are instead summed for each minibatch. Ignored
            when reduce is ``False``. Default: ``True``
        ignore_index (int, optional): Specifies a target value that is ignored
            and does not contribute to the input gradient. When :attr:`size_average` is
            ``True``, the loss is averaged over non-ignored targets. Note that
            :attr:`ignore_index` is only applicable when the target contains class indices.
            Default: -100
        reduce (bool, optional): Deprecated (see :attr:`reduction`). By default, the
            losses are averaged or summed over observations for each minibatch depending
            on :attr:`size_average`. When :attr:`reduce` is ``False``, returns a loss per
            batch element instead and ignores :attr:`size_average`. Default: ``True``
        reduction (str, optional): Specifies the reduction to apply to the output:
            ``'none'`` | ``'mean'`` | ``'sum'``. ``'none'``: no reduction will be applied,
            ``'mean'``: the sum of the output will be divided by the number of
            elements in the output, ``'sum'``: the output will be summed. Note: :attr:`size_average`
            and :attr:`reduce` are in the process of being deprecated, and in the meantime,
            specifying either of those two args will override :attr:`reduction`. Default: ``'mean'``
        label_smoothing (float, optional): A float in [0.0, 1.0]. Specifies the amount
            of smoothing when computing the loss, where 0.0 means no smoothing. The targets
            become a mixture of the original ground truth and a uniform distribution as described in
            `Rethinking the Inception Architecture for Computer Vision <https://arxiv.org/abs/1512.00567>`__. Default: :math:`0.0`.

    Shape:
        - Input: Shape :math:`(C)`, :math:`(N, C)` or :math:`(N, C, d_1, d_2, ..., d_K)` with :math:`K \geq 1`
          in the case of `K`-dimensional loss.
        - Target: If containing class indices, shape :math:`()`, :math:`(N)` or :math:`(N, d_1, d_2, ..., d_K)` with
          :math:`K \geq 1` in the case of K-dimensional loss where each value should be between :math:`[0, C)`.
          If containing class probabilities, same shape as the input and each value should be between :math:`[0, 1]`.

        where:

        .. math::
            \begin{aligned}
                C ={} & \text{number of classes} \\
                N ={} & \text{batch size} \\
            \end{aligned}

    Examples::

        >>> # Example of target with class indices
        >>> input = torch.randn(3, 5, requires_grad=True)
        >>> target = torch.randint(5, (3,), dtype=torch.int64)
        >>> loss = F.cross_entropy(input, target)
        >>> loss.backward()
        >>>
        >>> # Example of target with class probabilities
        >>> input = torch.randn(3, 5, requires_grad=True)
        >>> target = torch.randn(3, 5).softmax(dim=1)
        >>> loss = F.cross_entropy(input, target)
        >>> loss.backward()
    """
    try:
        if type(ignore_index) is _int:  # PyTorch takes Python ints only; anything else goes the slow way
            return _wrap(_C.crossEntropy(input._v, target._v, _var(weight), size_average, ignore_index,
                                         reduce, reduction, label_smoothing))
        error = None
    except _Foreign as e:
        raise _translate(e) from None
    except _Misuse as e:
        error = e
    return _retry(cross_entropy, _CROSS_ENTROPY, (input, target, weight, size_average, ignore_index, reduce,
                                                  reduction, label_smoothing), error)


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None, reduce=None,
                      reduction="mean"):
    r"""multi_margin_loss(input, target, p=1, margin=1, weight=None, size_average=None, reduce=None, reduction='mean') -> Tensor

    See :class:`~torch.nn.MultiMarginLoss` for details.
    """
    try:
        return _wrap(_C.multiMarginLoss(input._v, target._v, p, margin, _var(weight), size_average, reduce,
                                        reduction))
    except _Foreign as e:
        raise _translate(e) from None
    except _Misuse as e:
        return _retry(multi_margin_loss, _MULTI_MARGIN, (input, target, p, margin, weight, size_average, reduce,
                                                         reduction), e)


def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    r"""multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction='mean') -> Tensor

    See :class:`~torch.nn.MultiLabelMarginLoss` for details.
    """
    try:
        return _wrap(_C.multilabelMarginLoss(input._v, target._v, size_average, reduce, reduction))
    except _Foreign as e:
        raise _translate(e) from None
    except _Misuse as e:
        return _retry(multilabel_margin_loss, _MULTILABEL_MARGIN, (input, target, size_average, reduce, reduction),
                      e)
