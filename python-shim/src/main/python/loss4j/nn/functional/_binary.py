"""Binary losses as torch.nn.functional functions (not yet provided)."""
__all__ = []
