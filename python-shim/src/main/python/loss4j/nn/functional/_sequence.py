"""Sequence losses as torch.nn.functional functions: ctc_loss. The engine (dev.loss4j.loss.Sequence) checks,
computes and warns; this module only picks the form of the lengths (tensors, or lists/tuples of ints)."""
import java

from ... import _bridge
from ..._tensor import Tensor
from ._args import reduction as _reduction
from ._common import finish as _finish

_Foreign, _translate = _bridge.Foreign, _bridge.translate

__all__ = ['ctc_loss']

_Sequence = java.type('dev.loss4j.loss.Sequence')


def _type_name(x):
    return 'Tensor' if isinstance(x, Tensor) else type(x).__name__


def _int_list(x):
    return isinstance(x, (list, tuple)) and all(isinstance(v, int) and not isinstance(v, bool) for v in x)


def _no_overload(args):
    """PyTorch's TypeError for lengths that are neither both tensors nor both tuples of ints."""
    names = [_type_name(a) for a in args]
    # PyTorch's message marks both lengths in the tuple-of-ints signature, even a well-formed list.
    list_form = ['!%s!' % n if i in (2, 3) else n for i, n in enumerate(names)]
    tensor_form = ['!%s!' % n if i in (2, 3) and not isinstance(a, Tensor) else n
                   for i, (a, n) in enumerate(zip(args, names))]
    return TypeError(
        'ctc_loss() received an invalid combination of arguments - got (%s), but expected one of:\n'
        ' * (Tensor log_probs, Tensor targets, tuple of ints input_lengths, tuple of ints target_lengths, int blank,'
        ' int reduction, bool zero_infinity)\n'
        "      didn't match because some of the arguments have invalid types: (%s)\n"
        ' * (Tensor log_probs, Tensor targets, Tensor input_lengths, Tensor target_lengths, int blank, int reduction,'
        ' bool zero_infinity)\n'
        "      didn't match because some of the arguments have invalid types: (%s)\n"
        % (', '.join(names), ', '.join(list_form), ', '.join(tensor_form)))


def ctc_loss(
    log_probs,
    targets,
    input_lengths,
    target_lengths,
    blank=0,
    reduction="mean",
    zero_infinity=False,
):
    r"""The Connectionist Temporal Classification loss.

    See :class:`~torch.nn.CTCLoss` for details.

    Args:
        log_probs: :math:`(T, N, C)` or :math:`(T, C)` where `C = number of characters in alphabet including blank`,
            `T = input length`, and `N = batch size`.
            The logarithmized probabilities of the outputs
            (e.g. obtained with :func:`torch.nn.functional.log_softmax`).
        targets: :math:`(N, S)` or `(sum(target_lengths))`.
            Targets cannot be blank. In the second form, the targets are assumed to be concatenated.
        input_lengths: :math:`(N)` or :math:`()`.
            Lengths of the inputs (must each be :math:`\leq T`)
        target_lengths: :math:`(N)` or :math:`()`.
            Lengths of the targets
        blank (int, optional):
            Blank label. Default :math:`0`.
        reduction (str, optional): Specifies the reduction to apply to the output:
            ``'none'`` | ``'mean'`` | ``'sum'``. ``'none'``: no reduction will be applied,
            ``'mean'``: the output losses will be divided by the target lengths and
            then the mean over the batch is taken, ``'sum'``: the output will be
            summed. Default: ``'mean'``
        zero_infinity (bool, optional):
            Whether to zero infinite losses and the associated gradients.
            Default: ``False``
            Infinite losses mainly occur when the inputs are too short
            to be aligned to the targets.

    Computed by dev.loss4j.loss.Sequence.CTCLoss; the gradient of log_probs is PyTorch's ctc_loss backward.
    """
    if not isinstance(reduction, str):
        _reduction(reduction, None, 'reduction', None)
    args = (log_probs, targets, input_lengths, target_lengths, blank, 0, zero_infinity)
    # PyTorch's parser takes exactly an int blank and a bool zero_infinity; tensors for log_probs and targets.
    if type(blank) is not int or type(zero_infinity) is not bool:
        raise _no_overload(args)
    if isinstance(input_lengths, Tensor) and isinstance(target_lengths, Tensor):
        try:
            out = _Sequence.ctcLoss(log_probs._v, targets._v, input_lengths._v, target_lengths._v,
                                    blank, reduction, zero_infinity)
        except _Foreign as e:
            raise _translate(e) from None
        except AttributeError:
            raise _no_overload(args) from None
    elif _int_list(input_lengths) and _int_list(target_lengths):
        try:
            out = _Sequence.ctcLossWithLengthLists(log_probs._v, targets._v, list(input_lengths),
                                                   list(target_lengths), blank, reduction, zero_infinity)
        except _Foreign as e:
            raise _translate(e) from None
        except AttributeError:
            raise _no_overload(args) from None
    else:
        raise _no_overload(args)
    return _finish(out)
