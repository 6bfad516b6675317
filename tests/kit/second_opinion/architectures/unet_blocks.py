"""U-Net DoubleConv, Down and Up (independent implementation).

The 3x3 conv by im2col over np.lib.stride_tricks.sliding_window_view and one tensordot, batch norm
folded into a per-channel scale and shift computed in float64, the max-pool as np.maximum of the
four strided corners, the transposed conv as four strided assignments into a zero canvas that is
already x2's size (so the padding is the offset of the canvas), and the concatenation written into a
preallocated array. float64 inside, cast to the input's dtype at the end.
"""

import numpy as np

_BN = ("running_mean", "running_var", "weight", "bias")


def _need(params, key):
    try:
        return np.asarray(params[key], dtype=np.float64)
    except KeyError:
        raise ValueError(f"params is missing {key!r}") from None


def _rank4(a, name):
    a = np.asarray(a)
    if a.ndim != 4:
        raise ValueError(f"{name} has rank {a.ndim}, expected (N, C, H, W)")
    return a


def _block(h, params, prefix):
    """h in float64; two conv-bn-relu rounds."""
    for conv, bn in (("0", "1"), ("3", "4")):
        k = _need(params, f"{prefix}double_conv.{conv}.weight")
        if k.ndim != 4 or k.shape[1] != h.shape[1] or k.shape[2:] != (3, 3):
            raise ValueError(f"{prefix}double_conv.{conv}.weight {k.shape} does not take {h.shape[1]} channels")
        cols = np.lib.stride_tricks.sliding_window_view(
            np.pad(h, [(0, 0), (0, 0), (1, 1), (1, 1)]), (3, 3), axis=(2, 3))  # (N, C, H, W, 3, 3)
        h = np.tensordot(cols, k, axes=([1, 4, 5], [1, 2, 3])).transpose(0, 3, 1, 2)  # (N, O, H, W)
        mean, var, gamma, beta = (_need(params, f"{prefix}double_conv.{bn}.{p}") for p in _BN)
        if any(v.shape != (k.shape[0],) for v in (mean, var, gamma, beta)):
            raise ValueError(f"{prefix}double_conv.{bn} statistics must be ({k.shape[0]},)")
        scale = gamma / np.sqrt(var + 1e-5)
        shift = beta - mean * scale
        h = np.maximum(h * scale.reshape(1, -1, 1, 1) + shift.reshape(1, -1, 1, 1), 0.0)
    return h


def double_conv(x, params):
    x = _rank4(x, "x")
    return _block(x.astype(np.float64), params, "").astype(x.dtype)


def down(x, params):
    x = _rank4(x, "x")
    if min(x.shape[2:]) < 2:
        raise ValueError(f"x spatial size {x.shape[2:]} is below the 2x2 window")
    h, w = x.shape[2] // 2 * 2, x.shape[3] // 2 * 2
    v = x.astype(np.float64)[:, :, :h, :w]
    pooled = np.maximum(np.maximum(v[:, :, 0::2, 0::2], v[:, :, 0::2, 1::2]),
                        np.maximum(v[:, :, 1::2, 0::2], v[:, :, 1::2, 1::2]))
    return _block(pooled, params, "maxpool_conv.1.").astype(x.dtype)


def up(x1, x2, params):
    x1, x2 = _rank4(x1, "x1"), _rank4(x2, "x2")
    k, b = _need(params, "up.weight"), _need(params, "up.bias")
    n, cin, h1, w1 = x1.shape
    if k.ndim != 4 or k.shape[0] != cin or k.shape[2:] != (2, 2) or b.shape != (k.shape[1],):
        raise ValueError(f"up.weight {k.shape} / up.bias {b.shape} do not fit x1 with {cin} channels")
    if x2.shape[0] != n:
        raise ValueError("x1 and x2 differ in batch size")
    n2, cs, h2, w2 = x2.shape
    if h2 < 2 * h1 or w2 < 2 * w1:
        raise ValueError(f"x2 {x2.shape[2:]} is smaller than up(x1) {(2 * h1, 2 * w1)}")
    top, left = (h2 - 2 * h1) // 2, (w2 - 2 * w1) // 2
    cu = k.shape[1]
    joined = np.zeros((n, cs + cu, h2, w2))
    joined[:, :cs] = x2
    xs = x1.astype(np.float64)
    for a in range(2):
        for c in range(2):
            joined[:, cs:, top + a:top + 2 * h1:2, left + c:left + 2 * w1:2] = (
                np.einsum("nkij,ko->noij", xs, k[:, :, a, c]) + b[None, :, None, None])
    return _block(joined, params, "conv.").astype(x1.dtype)
