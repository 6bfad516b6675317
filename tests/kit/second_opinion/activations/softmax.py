"""Softmax, log-softmax and the softmax backward pass (independent implementation).

All arithmetic is done in float64 and the result is cast back to the floating dtype of the
input, so float32 in gives float32 out.
"""

import operator

import numpy as np


def _as_float(x):
    """The input as an array plus the floating dtype the result should have."""
    arr = np.asarray(x)
    if np.issubdtype(arr.dtype, np.floating):
        out_dtype = arr.dtype
    else:
        out_dtype = np.dtype(np.float64)
    return arr, out_dtype


def _normalise_axis(axis, ndim):
    """Return `axis` as a non-negative int, or raise ValueError naming `axis`."""
    try:
        ax = operator.index(axis)
    except TypeError:
        raise ValueError(f"axis must be an int, got {axis!r}") from None
    if ax < -ndim or ax >= ndim:
        raise ValueError(f"axis={axis} is not an axis of an array with {ndim} dimension(s)")
    return ax % ndim


def _shifted(arr, ax):
    """x - max(x) along `ax`, in float64 (the max is kept as a broadcastable slab)."""
    work = arr.astype(np.float64, copy=False)
    peak = np.amax(work, axis=ax, keepdims=True)
    return work - peak


def softmax(x, axis=-1):
    """exp(x) / sum(exp(x)) along `axis`, shape and dtype of `x`. See torch.softmax."""
    arr, out_dtype = _as_float(x)
    ax = _normalise_axis(axis, arr.ndim)
    if arr.size == 0:
        return np.empty(arr.shape, dtype=out_dtype)
    e = np.exp(_shifted(arr, ax))
    total = np.sum(e, axis=ax, keepdims=True)
    return (e / total).astype(out_dtype, copy=False)


def log_softmax(x, axis=-1):
    """x - max - log(sum(exp(x - max))) along `axis`. See torch.log_softmax."""
    arr, out_dtype = _as_float(x)
    ax = _normalise_axis(axis, arr.ndim)
    if arr.size == 0:
        return np.empty(arr.shape, dtype=out_dtype)
    z = _shifted(arr, ax)
    log_norm = np.log(np.sum(np.exp(z), axis=ax, keepdims=True))
    return (z - log_norm).astype(out_dtype, copy=False)


def softmax_backward(grad_out, out, axis=-1):
    """dL/dx = s * (g - <g, s>) along `axis`, with the dtype of `grad_out`."""
    g, out_dtype = _as_float(grad_out)
    s = np.asarray(out)
    if g.shape != s.shape:
        raise ValueError(f"grad_out has shape {g.shape} but out has shape {s.shape}; they must match")
    ax = _normalise_axis(axis, g.ndim)
    g64 = g.astype(np.float64, copy=False)
    s64 = s.astype(np.float64, copy=False)
    inner = np.sum(g64 * s64, axis=ax, keepdims=True)
    return (s64 * (g64 - inner)).astype(out_dtype, copy=False)
