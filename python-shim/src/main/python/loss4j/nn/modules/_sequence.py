"""Sequence loss modules: CTCLoss. It holds the options and calls torch.nn.functional.ctc_loss."""
from ._loss import _Loss
from .. import functional as F

__all__ = ['CTCLoss']


class CTCLoss(_Loss):
    r"""The Connectionist Temporal Classification loss.

    Calculates loss between a continuous (unsegmented) time series and a target sequence: the negative log
    of the summed probability of every alignment of the input to the target.

    Args:
        blank (int, optional): blank label. Default :math:`0`.
        reduction (str, optional): ``'none'`` | ``'mean'`` | ``'sum'``. ``'mean'``: the output losses will be
            divided by the target lengths and then the mean over the batch is taken. Default: ``'mean'``
        zero_infinity (bool, optional): Whether to zero infinite losses and the associated gradients.
            Default: ``False``

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
