"""torch.linalg: the vector norms losses use (vector_norm, and norm where it is a vector or Frobenius norm).
Each is Tensor.norm, one engine op (LinalgVectorNormBackward0). Matrix norms other than Frobenius (nuclear,
spectral, the max row/column sums) and the decompositions raise NotImplementedError naming them."""
from ._missing import missing as _missing, module_getattr as _module_getattr

__all__ = ['vector_norm', 'norm']


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    r"""The ord-norm :math:`(\sum |x|^{ord})^{1/ord}` of x's elements over `dim` (all of them by default), kept
    as size-1 dims with `keepdim`; ord inf / -inf takes the largest / smallest :math:`|x|`, ord 0 counts the
    non-zeros, `dtype` converts x first. Counterpart: torch.linalg.vector_norm."""
    if out is not None:
        raise NotImplementedError('torch.linalg.vector_norm(out=...) is not supported by loss4j')
    if isinstance(ord, str):
        raise TypeError("linalg_vector_norm(): argument 'ord' (position 2) must be Number, not str")
    return x.norm(ord, dim, keepdim, dtype)


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None, out=None):
    r"""A vector norm over one dim (or of a 1-d input), or the Frobenius norm ('fro', or ord None) over two dims
    or a whole matrix. Counterpart: torch.linalg.norm."""
    if out is not None:
        raise NotImplementedError('torch.linalg.norm(out=...) is not supported by loss4j')
    if isinstance(dim, int):
        dim = (dim,)
    if ord is None:
        return vector_norm(A, 2, dim, keepdim, dtype=dtype)
    if dim is None and A.dim() not in (1, 2):
        raise RuntimeError('linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got %dD.'
                           % A.dim())
    if (dim is not None and len(dim) == 1) or (dim is None and A.dim() == 1):
        if isinstance(ord, str):
            raise RuntimeError('linalg.matrix_norm: The input tensor A must have at least 2 dimensions.')
        return vector_norm(A, ord, dim, keepdim, dtype=dtype)
    if ord == 'fro':
        return vector_norm(A, 2, dim, keepdim, dtype=dtype)
    if not isinstance(ord, str) and ord not in (1, -1, 2, -2, float('inf'), float('-inf')):
        raise RuntimeError('linalg.matrix_norm: Order %s not supported.' % ord)
    raise _missing('torch.linalg.norm with ord=%r over a matrix (only the Frobenius norm is)' % (ord,))


__getattr__ = _module_getattr('torch.linalg')
