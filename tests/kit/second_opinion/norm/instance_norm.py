"""Instance normalisation (independent implementation).

x is viewed as an (N * C, S) matrix of rows, one row per (sample, channel); each row's mean and
mean squared deviation are computed in float64 with einsum, and the per-channel affine is
expanded to one value per row with np.tile. The result is cast back to the input's dtype.
"""

import numpy as np


def instance_norm(x, weight=None, bias=None, eps=1e-5):
    x = np.asarray(x)
    if x.ndim < 3:
        raise ValueError(f"instance_norm expects x of shape (N, C, *) with a spatial axis, got {x.shape}")
    n, c = x.shape[:2]
    s = x[0, 0].size if n else int(np.prod(x.shape[2:]))
    if s == 1:
        raise ValueError(f"Expected more than 1 spatial element, got x of shape {x.shape}")
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and np.shape(p) != (c,):
            raise ValueError(f"{name} of shape {np.shape(p)} does not match the {c} channels of x")
    rows = x.astype(np.float64).reshape(n * c, s)  # one row per (n, c)
    centred = rows - np.einsum("rs->r", rows)[:, None] / s
    var = np.einsum("rs,rs->r", centred, centred) / s  # biased
    out = centred / np.sqrt(var + eps)[:, None]
    if weight is not None:
        out = out * np.tile(np.asarray(weight, dtype=np.float64), n)[:, None]
    if bias is not None:
        out = out + np.tile(np.asarray(bias, dtype=np.float64), n)[:, None]
    dtype = x.dtype if np.issubdtype(x.dtype, np.floating) else np.float64
    return out.reshape(x.shape).astype(dtype)
