"""Matrix multiplication and its gradient (independent implementation).

Operands are broadcast to a common batch explicitly, the product is accumulated in float64
by a loop over the inner dimension K, and the result is cast back to the inputs' dtype.
Batch gradients are reduced with np.add.reduce over the axes that were broadcast.
"""

import numpy as np


def _as_matrices(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim < 1 or b.ndim < 1:
        raise ValueError("matmul needs inputs with at least one dimension")
    A = a.reshape((1,) + a.shape) if a.ndim == 1 else a
    B = b.reshape(b.shape + (1,)) if b.ndim == 1 else b
    if A.shape[-1] != B.shape[-2]:
        raise ValueError(f"inner sizes differ: {A.shape[-1]} vs {B.shape[-2]}")
    batch = np.broadcast_shapes(A.shape[:-2], B.shape[:-2])
    return a, b, A, B, batch


def _product(A, B, batch, dtype):
    """sum over k of A[..., :, k] * B[..., k, :], in float64, for broadcast batches."""
    A = np.broadcast_to(A, batch + A.shape[-2:]).astype(np.float64)
    B = np.broadcast_to(B, batch + B.shape[-2:]).astype(np.float64)
    out = np.zeros(batch + (A.shape[-2], B.shape[-1]))
    for k in range(A.shape[-1]):
        out += A[..., :, k:k + 1] * B[..., k:k + 1, :]
    return out.astype(dtype)


def matmul(a, b):
    a, b, A, B, batch = _as_matrices(a, b)
    out = _product(A, B, batch, np.result_type(a, b))
    if a.ndim == 1:
        out = np.squeeze(out, axis=-2)
    if b.ndim == 1:
        out = np.squeeze(out, axis=-1)
    return out


def _reduce_to(g, shape):
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape) if s == 1 and g.shape[lead + i] != 1)
    return np.add.reduce(g, axis=axes, keepdims=True).reshape(shape)


def matmul_backward(grad_out, a, b):
    g = np.asarray(grad_out)
    a, b, A, B, batch = _as_matrices(a, b)
    full = batch + (A.shape[-2], B.shape[-1])
    expect = list(full)
    if b.ndim == 1:
        expect.pop(-1)
    if a.ndim == 1:
        expect.pop(-1 if b.ndim == 1 else -2)
    if g.shape != tuple(expect):
        raise ValueError(f"grad_out has shape {g.shape}, expected {tuple(expect)}")
    G = g.reshape(full)
    ga = _product(G, np.swapaxes(B, -1, -2), batch, g.dtype)
    gb = _product(np.swapaxes(A, -1, -2), G, batch, g.dtype)
    return _reduce_to(ga, A.shape).reshape(a.shape), _reduce_to(gb, B.shape).reshape(b.shape)
