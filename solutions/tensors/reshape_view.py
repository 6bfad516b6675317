"""Shapes and strides by hand: inferring a -1, C-order strides, flatten, transpose and permute."""

import operator

import numpy as np


def infer_shape(shape, numel):
    """The shape `view`/`reshape` would give `numel` elements, with at most one -1 filled in.

    A -1 stands for "whatever size makes the element count come out right": it becomes
    numel divided by the product of the other sizes, which must divide numel exactly.
    Without a -1 the product of the sizes must equal numel. As torch, a -1 in a shape that
    also has a size of 0 is refused even when numel is 0, because then any size would fit.

    Args:
        shape: a sequence of ints, each >= 0 or exactly -1 (at most one -1).
        numel: the number of elements, an int >= 0.

    Returns:
        The shape as a tuple of Python ints, with the -1 replaced.

    Raises:
        ValueError: if `numel` is negative, `shape` holds two -1s or a negative size other
            than -1, holds both a -1 and a 0, or cannot hold exactly `numel` elements.

    Shapes:
        infer_shape((2, -1, 4), 24) -> (2, 3, 4);  infer_shape((-1,), 0) -> (0,)

    PyTorch: torch.empty(numel).view(shape).shape
    """
    # BEGIN SOLUTION: check every size, multiply the known ones, then fill in the -1 only if it divides evenly
    numel = operator.index(numel)
    if numel < 0:
        raise ValueError(f"numel must be >= 0, got {numel}")
    sizes = [operator.index(n) for n in shape]
    if any(n < -1 for n in sizes):
        raise ValueError(f"shape {tuple(sizes)} has a negative size other than -1")
    if sizes.count(-1) > 1:
        raise ValueError(f"shape {tuple(sizes)} has more than one -1; only one size can be inferred")
    known = 1
    for n in sizes:
        if n != -1:
            known *= n
    if -1 not in sizes:
        if known != numel:
            raise ValueError(f"shape {tuple(sizes)} holds {known} elements, not numel={numel}")
        return tuple(sizes)
    if known == 0:
        raise ValueError(f"shape {tuple(sizes)} has a 0 as well as the -1, so the -1 could be any size")
    if numel % known != 0:
        raise ValueError(f"numel={numel} is not divisible by {known}, the product of the other sizes of "
                         f"shape {tuple(sizes)}")
    sizes[sizes.index(-1)] = numel // known
    return tuple(sizes)
    # END SOLUTION


def contiguous_strides(shape):
    """The strides, in elements, of a C-order (row-major) array of `shape`.

    The last dimension has stride 1; each earlier one steps over a whole block of the
    dimensions after it. As torch, a size of 0 counts as 1 in that product, so (2, 0, 3)
    has strides (3, 3, 1).

    Args:
        shape: a sequence of ints >= 0.

    Returns:
        The strides as a tuple of Python ints, one per dimension (() for a 0-d shape).

    Raises:
        ValueError: if a size in `shape` is negative.

    Shapes:
        (2, 3, 4) -> (12, 4, 1);  (5,) -> (1,);  () -> ()

    PyTorch: torch.empty(shape).stride()
    """
    # BEGIN SOLUTION: walk from the last dimension to the first, multiplying the step by each size (0 counts as 1)
    sizes = [operator.index(n) for n in shape]
    if any(n < 0 for n in sizes):
        raise ValueError(f"shape {tuple(sizes)} has a negative size")
    strides = [1] * len(sizes)
    for i in range(len(sizes) - 2, -1, -1):
        strides[i] = strides[i + 1] * max(sizes[i + 1], 1)
    return tuple(strides)
    # END SOLUTION


def flatten(x, start_dim=0, end_dim=-1):
    """Merge the dimensions start_dim..end_dim (both included) of `x` into one.

    Dimensions may be negative (counted from the end). A 0-d `x` counts as having one
    dimension here, so flatten of a scalar is an array of shape (1,), as torch.

    Args:
        x: an array of any dtype.
        start_dim: the first dimension to merge.
        end_dim: the last dimension to merge, INCLUDED.

    Returns:
        An array with the dtype and elements (in C order) of `x`, of shape
        x.shape[:start] + (product of x.shape[start:end + 1],) + x.shape[end + 1:].

    Raises:
        ValueError: if a dimension is out of range, or start_dim comes after end_dim.

    Shapes:
        x: (2, 3, 4) -> (24,);  flatten(x, 1) -> (2, 12);  flatten(x, 0, 1) -> (6, 4)

    PyTorch: torch.flatten(x, start_dim, end_dim)
    """
    # BEGIN SOLUTION: wrap both dims with _wrap_dim (0-d x counts as 1-d), check their order, reshape to the new shape
    x = np.asarray(x)
    start = _wrap_dim(start_dim, max(x.ndim, 1), "start_dim")
    end = _wrap_dim(end_dim, max(x.ndim, 1), "end_dim")
    if start > end:
        raise ValueError(f"start_dim={start_dim} comes after end_dim={end_dim}")
    if x.ndim == 0:
        return x.reshape(1)  # (1,)
    merged = 1
    for n in x.shape[start:end + 1]:
        merged *= n
    return x.reshape(x.shape[:start] + (merged,) + x.shape[end + 1:])  # (..., merged, ...)
    # END SOLUTION


def transpose(x, dim0, dim1):
    """Swap two dimensions of `x`.

    Args:
        x: an array of any dtype.
        dim0: one dimension to swap (may be negative).
        dim1: the other dimension (may be negative, may equal dim0).

    Returns:
        An array with the dtype of `x` where out[..., i, ..., j, ...] = x[..., j, ..., i, ...]
        for i at position dim0 and j at position dim1.

    Raises:
        ValueError: if dim0 or dim1 is out of range (a 0-d `x` accepts 0 and -1).

    Shapes:
        x: (2, 3, 4), dims 0 and -1 -> (4, 3, 2)

    PyTorch: torch.transpose(x, dim0, dim1)
    """
    # BEGIN SOLUTION: wrap both dims with _wrap_dim (0-d x counts as 1-d), swap them in range(ndim), x.transpose(perm)
    x = np.asarray(x)
    d0 = _wrap_dim(dim0, max(x.ndim, 1), "dim0")
    d1 = _wrap_dim(dim1, max(x.ndim, 1), "dim1")
    if x.ndim == 0:
        return x.copy()  # ()
    perm = list(range(x.ndim))
    perm[d0], perm[d1] = perm[d1], perm[d0]
    return x.transpose(perm)  # sizes d0 and d1 swapped
    # END SOLUTION


def permute(x, dims):
    """Reorder the dimensions of `x`: dimension i of the result is dimension dims[i] of `x`.

    Args:
        x: an array of any dtype.
        dims: a permutation of the dimensions of `x`, one entry per dimension, negative
            entries counted from the end.

    Returns:
        An array with the dtype of `x` and shape tuple(x.shape[d] for d in dims).

    Raises:
        ValueError: if `dims` has the wrong length, an entry out of range, or a
            dimension twice (after wrapping negative entries).

    Shapes:
        x: (2, 3, 4), dims (2, 0, 1) -> (4, 2, 3)

    PyTorch: x.permute(dims)
    """
    # BEGIN SOLUTION: check the length, wrap each entry with _wrap_dim, refuse repeats, then x.transpose(wrapped)
    x = np.asarray(x)
    dims = tuple(dims)
    if len(dims) != x.ndim:
        raise ValueError(f"dims {dims} has {len(dims)} entries but x has {x.ndim} dimensions")
    wrapped = [_wrap_dim(d, x.ndim, "dims") for d in dims]
    if len(set(wrapped)) != len(wrapped):
        raise ValueError(f"dims {dims} names a dimension twice; it must be a permutation")
    return x.transpose(wrapped)  # (x.shape[dims[0]], x.shape[dims[1]], ...)
    # END SOLUTION


def _wrap_dim(dim, ndim, name):
    """`dim` as an index in [0, ndim), a negative one counted from the end; ValueError naming `name` if out of range."""
    # BEGIN SOLUTION: accept -ndim <= dim < ndim and add ndim to a negative one
    dim = operator.index(dim)
    if not -ndim <= dim < ndim:
        raise ValueError(f"{name}={dim} is out of range for {ndim} dimension(s): expected {-ndim} to {ndim - 1}")
    return dim + ndim if dim < 0 else dim
    # END SOLUTION
