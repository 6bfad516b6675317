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
    # TODO: check every size, multiply the known ones, then fill in the -1 only if it divides evenly
    raise NotImplementedError("tensors.reshape_view: infer_shape")


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
    # TODO: walk from the last dimension to the first, multiplying the step by each size (0 counts as 1)
    raise NotImplementedError("tensors.reshape_view: contiguous_strides")


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
    # TODO: wrap both dims with _wrap_dim (0-d x counts as 1-d), check their order, reshape to the new shape
    raise NotImplementedError("tensors.reshape_view: flatten")


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
    # TODO: wrap both dims with _wrap_dim (0-d x counts as 1-d), swap them in range(ndim), x.transpose(perm)
    raise NotImplementedError("tensors.reshape_view: transpose")


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
    # TODO: check the length, wrap each entry with _wrap_dim, refuse repeats, then x.transpose(wrapped)
    raise NotImplementedError("tensors.reshape_view: permute")


def _wrap_dim(dim, ndim, name):
    """`dim` as an index in [0, ndim), a negative one counted from the end; ValueError naming `name` if out of range."""
    # TODO: accept -ndim <= dim < ndim and add ndim to a negative one
    raise NotImplementedError("tensors.reshape_view: _wrap_dim")
