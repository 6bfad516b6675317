"""Layer norm, its backward pass and RMSNorm (independent implementation).

x is viewed as an (M, K) matrix, one row per normalised group (K = the product of
normalized_shape); the statistics use a two-pass variance in float64, the backward the summed form

    grad_x = inv_std / K * (K * dx_hat - sum(dx_hat) - x_hat * sum(dx_hat * x_hat))

and the results are reshaped and cast back to the input dtype.
"""

import math

import numpy as np


def _normalized(x, normalized_shape, **params):
    x = np.asarray(x)
    if isinstance(normalized_shape, (int, np.integer)):
        shape = (int(normalized_shape),)
    else:
        shape = tuple(int(s) for s in normalized_shape)
    if len(shape) < 1:
        raise ValueError("normalized_shape must contain at least one element")
    k = len(shape)
    if x.ndim < k or tuple(x.shape[x.ndim - k:]) != shape:
        raise ValueError(f"expected input with shape [*, {', '.join(map(str, shape))}], got {x.shape}")
    for name, p in params.items():
        if p is not None and tuple(np.shape(p)) != shape:
            raise ValueError(f"{name} of shape {np.shape(p)} does not match normalized_shape {shape}")
    return x, shape, math.prod(shape)


def _flat(p, K):
    return None if p is None else np.asarray(p, dtype=np.float64).reshape(1, K)


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    x, shape, K = _normalized(x, normalized_shape, weight=weight, bias=bias)
    rows = x.astype(np.float64).reshape(-1, K)  # (M, K)
    centred = rows - rows.sum(axis=1, keepdims=True) / K
    var = (centred ** 2).sum(axis=1, keepdims=True) / K
    y = centred / np.sqrt(var + eps)
    w, b = _flat(weight, K), _flat(bias, K)
    if w is not None:
        y = y * w
    if b is not None:
        y = y + b
    return y.reshape(x.shape).astype(x.dtype)


def layer_norm_backward(grad_out, x, normalized_shape, weight=None, bias=None, eps=1e-5):
    x, shape, K = _normalized(x, normalized_shape, weight=weight, bias=bias)
    g = np.asarray(grad_out)
    if g.shape != x.shape:
        raise ValueError(f"grad_out {g.shape} must be shaped like x {x.shape}")
    rows = x.astype(np.float64).reshape(-1, K)  # (M, K)
    g_rows = g.astype(np.float64).reshape(-1, K)
    centred = rows - rows.mean(axis=1, keepdims=True)
    inv_std = 1.0 / np.sqrt((centred ** 2).mean(axis=1, keepdims=True) + eps)
    x_hat = centred * inv_std
    w = _flat(weight, K)
    dxh = g_rows if w is None else g_rows * w
    gx = inv_std / K * (K * dxh - dxh.sum(axis=1, keepdims=True)
                        - x_hat * np.einsum("mk,mk->m", dxh, x_hat)[:, None])
    gw = None if weight is None else np.einsum("mk,mk->k", g_rows, x_hat).reshape(shape).astype(x.dtype)
    gb = None if bias is None else g_rows.sum(axis=0).reshape(shape).astype(x.dtype)
    return gx.reshape(x.shape).astype(x.dtype), gw, gb


def rms_norm(x, normalized_shape, weight=None, eps=None):
    x, shape, K = _normalized(x, normalized_shape, weight=weight)
    if eps is None:
        eps = float(np.finfo(x.dtype).eps)
    rows = x.astype(np.float64).reshape(-1, K)
    ms = np.einsum("mk,mk->m", rows, rows)[:, None] / K
    y = rows * (ms + eps) ** -0.5
    w = _flat(weight, K)
    if w is not None:
        y = y * w
    return y.reshape(x.shape).astype(x.dtype)
