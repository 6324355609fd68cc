"""Sequence loss modules: CTCLoss. It holds the options and calls torch.nn.functional.ctc_loss."""
from ._loss import _Loss
from .. import functional as F

__all__ = ['CTCLoss']


class CTCLoss(_Loss):
    r"""CTC loss for sequence labelling without a frame-level alignment: :math:`\ell_n = -\log` of the summed
    probability of every path over the T frames that collapses (repeats merged, blanks removed) to target n.

    Options: ``blank`` the blank class (default 0); ``reduction`` 'none' | 'mean' (default: each loss over
    its target length, then the batch mean) | 'sum'; ``zero_infinity`` replaces infinite losses, and their
    gradients, by 0 (default False).

    Shape: log_probs (T, N, C) or (T, C); targets (N, S) or (sum(target_lengths)); input_lengths and
    target_lengths tensors or tuples of size (N) or (); output scalar, or (N) (() unbatched) for 'none'.
    Counterpart of torch.nn.CTCLoss; computed by dev.loss4j.loss.Sequence.CTCLoss.
    """
    __constants__ = ['blank', 'reduction']

    def __init__(self, blank=0, reduction='mean', zero_infinity=False):
        super().__init__(reduction=reduction)
        self.blank = blank
        self.zero_infinity = zero_infinity

    def forward(self, log_probs, targets, input_lengths, target_lengths):
        return F.ctc_loss(log_probs, targets, input_lengths, target_lengths, self.blank, self.reduction,
                          self.zero_infinity)
