"""conv, ReLU, pool, conv, ReLU, pool, flatten, fc (independent implementation).

float64 inside; each convolution as one im2col matrix product built from sliding_window_view; the
pooling through sliding windows with stride 2; the logits cast back to x's dtype.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

_NAMES = ("fc.bias", "fc.weight", "conv2.bias", "conv2.weight", "conv1.bias", "conv1.weight")


def _conv(x, w, b):
    n, c, h, wd = x.shape
    cols = sliding_window_view(np.pad(x, [(0, 0), (0, 0), (1, 1), (1, 1)]), (3, 3), axis=(2, 3))  # (N, C, H, W, 3, 3)
    cols = cols.transpose(0, 2, 3, 1, 4, 5).reshape(n, h, wd, c * 9)
    return (cols @ w.reshape(w.shape[0], -1).T + b).transpose(0, 3, 1, 2)


def _pool(x):
    return sliding_window_view(x, (2, 2), axis=(2, 3))[:, :, ::2, ::2].max(axis=(4, 5))


def simple_cnn(x, params):
    for k in _NAMES:
        if k not in params:
            raise ValueError(f"params lacks {k!r}")
    if np.ndim(x) != 4:
        raise ValueError(f"x must be 4-D, got {np.shape(x)}")
    dtype = np.asarray(x).dtype
    xs = np.asarray(x, dtype=np.float64)
    fb, fw, b2, w2, b1, w1 = (np.asarray(params[k], dtype=np.float64) for k in _NAMES)
    n, c, h, w = xs.shape
    if h < 4 or w < 4:
        raise ValueError("images must be at least 4x4")
    if w1.shape[1:] != (c, 3, 3) or b1.shape != w1.shape[:1]:
        raise ValueError("conv1 does not fit x")
    if w2.shape[1:] != (w1.shape[0], 3, 3) or b2.shape != w2.shape[:1]:
        raise ValueError("conv2 does not fit conv1")
    if fw.ndim != 2 or fw.shape[1] != w2.shape[0] * (h // 4) * (w // 4) or fb.shape != fw.shape[:1]:
        raise ValueError("fc does not fit the flattened features")
    t = _pool(np.maximum(_conv(xs, w1, b1), 0))
    t = _pool(np.maximum(_conv(t, w2, b2), 0))
    return (np.einsum("nf,kf->nk", t.reshape(n, -1), fw) + fb).astype(dtype)
