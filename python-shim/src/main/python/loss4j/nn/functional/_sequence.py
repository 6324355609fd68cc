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
    r"""CTC loss: :math:`-\log` of the total probability of every alignment of the T frames of ``log_probs``
    that reads as the target once repeats are merged and blanks dropped (computed by the forward-backward sums).

    Args:
        log_probs: :math:`(T, N, C)` or :math:`(T, C)` log-probabilities (log_softmax over C, whose classes
            include ``blank``); T frames, N sequences.
        targets: :math:`(N, S)` padded, or 1-d holding all N targets back to back (sum(target_lengths)); no
            target may be ``blank``.
        input_lengths, target_lengths: :math:`(N)` or :math:`()` tensors, or tuples/lists of ints; each input
            length at most T.
        blank: the blank class, default 0.
        reduction: 'none' gives :math:`(N)`; 'mean' (default) divides each loss by its target length (at least 1)
            and averages over the batch; 'sum' adds them.
        zero_infinity: set infinite losses (an input too short for its target) and their gradients to 0;
            default False.

    Counterpart: torch.nn.functional.ctc_loss (module: torch.nn.CTCLoss). Computed by
    dev.loss4j.loss.Sequence.CTCLoss; the gradient of log_probs is PyTorch's ctc_loss backward.
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
