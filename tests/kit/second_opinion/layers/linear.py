"""A fully connected layer written with einsum in float64 (independent implementation).

The forward sums x[..., i] * weight[o, i] over i with einsum; the backward contracts the
upstream gradient with x over all leading axes at once (tensordot), so no reshape is needed, and
everything is computed in float64 and cast back to the input dtype at the end.
"""

import numpy as np


def _validate(x, weight, bias):
    x, weight = np.asarray(x), np.asarray(weight)
    if x.ndim < 1:
        raise ValueError(f"x must be at least 1-D, got shape {x.shape}")
    if weight.ndim != 2:
        raise ValueError(f"weight must be a 2-D (out, in) matrix, got shape {weight.shape}")
    if weight.shape[1] != x.shape[-1]:
        raise ValueError(f"weight {weight.shape} does not accept x with {x.shape[-1]} features")
    if bias is not None and np.shape(bias) != (weight.shape[0],):
        raise ValueError(f"bias must be ({weight.shape[0]},), got {np.shape(bias)}")
    return x, weight


def linear(x, weight, bias=None):
    x, weight = _validate(x, weight, bias)
    y = np.einsum("...i,oi->...o", x.astype(np.float64), weight.astype(np.float64))
    if bias is not None:
        y = y + np.asarray(bias, dtype=np.float64)
    return y.astype(np.result_type(x, weight), copy=False)


def linear_backward(grad_out, x, weight, bias=None):
    x, weight = _validate(x, weight, bias)
    g = np.asarray(grad_out)
    if g.shape != x.shape[:-1] + (weight.shape[0],):
        raise ValueError(f"grad_out {g.shape} does not match the output shape {x.shape[:-1] + (weight.shape[0],)}")
    dtype = np.result_type(g, x, weight)
    g64, x64, w64 = g.astype(np.float64), x.astype(np.float64), weight.astype(np.float64)
    grad_x = np.einsum("...o,oi->...i", g64, w64).astype(dtype)
    lead = list(range(g.ndim - 1))  # every leading axis is contracted away
    grad_w = np.tensordot(g64, x64, axes=(lead, lead)).astype(dtype)
    grad_b = None
    if bias is not None:
        grad_b = g64.reshape(-1, weight.shape[0]).sum(axis=0).astype(dtype)
    return grad_x, grad_w, grad_b
