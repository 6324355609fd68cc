"""Sequence loss modules (not yet provided)."""
__all__ = []
