"""Group normalisation (independent implementation).

A loop over the groups: each group is the slice of consecutive channels x[:, g*K:(g+1)*K], whose
statistics per sample come from E[x^2] - E[x]^2 after subtracting a per-sample shift (the first
value of the group) for stability, in float64. The affine is applied with np.einsum over the
channel axis; the result is cast back to the input's dtype.
"""

import operator

import numpy as np


def group_norm(x, num_groups, weight=None, bias=None, eps=1e-5):
    x = np.asarray(x)
    if x.ndim < 2:
        raise ValueError(f"group_norm expects x of shape (N, C, *), got {x.shape}")
    try:
        g = operator.index(num_groups)
    except TypeError:
        raise ValueError(f"num_groups must be an integer, got {num_groups!r}") from None
    n, c = x.shape[:2]
    if g < 1:
        raise ValueError(f"num_groups must be at least 1, got {g}")
    if c % g:
        raise ValueError(f"the {c} channels of x are not divisible by num_groups={g}")
    k = c // g
    s = int(np.prod(x.shape[2:], dtype=np.int64))
    if n * k * s == 1:
        raise ValueError(f"Expected more than 1 value per group, got x of shape {x.shape}")
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and np.shape(p) != (c,):
            raise ValueError(f"{name} must be ({c},), got {np.shape(p)}")
    x64 = x.astype(np.float64)
    out = np.empty_like(x64)
    for j in range(g):
        block = x64[:, j * k:(j + 1) * k].reshape(n, k * s)
        shifted = block - block[:, :1]
        m1 = shifted.mean(axis=1, keepdims=True)
        var = np.maximum((shifted ** 2).mean(axis=1, keepdims=True) - m1 ** 2, 0.0)
        normed = (shifted - m1) / np.sqrt(var + eps)
        out[:, j * k:(j + 1) * k] = normed.reshape((n, k) + x.shape[2:])
    if weight is not None:
        out = np.einsum("nc...,c->nc...", out, np.asarray(weight, dtype=np.float64))
    if bias is not None:
        out = out + np.asarray(bias, dtype=np.float64).reshape((c,) + (1,) * (x.ndim - 2))
    dtype = x.dtype if np.issubdtype(x.dtype, np.floating) else np.float64
    return out.astype(dtype)
