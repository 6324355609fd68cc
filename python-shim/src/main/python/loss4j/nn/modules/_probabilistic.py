"""Probabilistic loss modules (not yet provided)."""
__all__ = []
