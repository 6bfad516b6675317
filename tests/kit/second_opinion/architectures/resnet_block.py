"""torchvision's BasicBlock in eval mode (independent implementation).

float64 inside; the convolutions through sliding_window_view and one tensordot per layer; each batch
norm folded into a per-channel scale and shift; the result cast back to x's dtype.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

_BN = ("running_mean", "running_var", "weight", "bias")


def _conv(x, w, stride, pad):
    x = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    k = w.shape[-1]
    windows = sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::stride, ::stride]  # (N, C, H', W', k, k)
    return np.tensordot(windows, w, axes=([1, 4, 5], [1, 2, 3])).transpose(0, 3, 1, 2)


def _fold(params, name):
    mean, var, gamma, beta = (np.asarray(params[f"{name}.{f}"], dtype=np.float64) for f in _BN)
    scale = gamma / np.sqrt(var + 1e-5)
    return scale.reshape(-1, 1, 1), (beta - mean * scale).reshape(-1, 1, 1)


def basic_block(x, params, stride=1):
    if np.ndim(x) != 4:
        raise ValueError(f"x must be 4-D, got {np.shape(x)}")
    if not isinstance(stride, (int, np.integer)) or stride <= 0:
        raise ValueError(f"bad stride {stride!r}")
    down = "downsample.0.weight" in params or any(k.startswith("downsample") for k in params)
    need = ["conv1.weight", "conv2.weight"] + [f"{b}.{f}" for b in ("bn1", "bn2") for f in _BN]
    need += (["downsample.0.weight"] + [f"downsample.1.{f}" for f in _BN]) if down else []
    for k in need:
        if k not in params:
            raise ValueError(f"params lacks {k!r}")
    w1, w2 = (np.asarray(params[k], dtype=np.float64) for k in ("conv1.weight", "conv2.weight"))
    cin = x.shape[1]
    planes = w1.shape[0]
    if w1.shape != (planes, cin, 3, 3) or w2.shape != (planes, planes, 3, 3):
        raise ValueError(f"conv weights {w1.shape}, {w2.shape} do not fit {cin} input channels")
    for b in ("bn1", "bn2") + (("downsample.1",) if down else ()):
        if any(np.shape(params[f"{b}.{f}"]) != (planes,) for f in _BN):
            raise ValueError(f"{b} is not ({planes},)")
    if down and np.shape(params["downsample.0.weight"]) != (planes, cin, 1, 1):
        raise ValueError("downsample.0.weight has the wrong shape")
    if not down and (stride != 1 or planes != cin):
        raise ValueError("identity shortcut with a changing shape")
    xs = np.asarray(x, dtype=np.float64)
    s1, t1 = _fold(params, "bn1")
    s2, t2 = _fold(params, "bn2")
    h = np.maximum(_conv(xs, w1, stride, 1) * s1 + t1, 0)
    h = _conv(h, w2, 1, 1) * s2 + t2
    if down:
        s3, t3 = _fold(params, "downsample.1")
        h = h + _conv(xs, np.asarray(params["downsample.0.weight"], dtype=np.float64), stride, 0) * s3 + t3
    else:
        h = h + xs
    return np.where(h > 0, h, 0).astype(np.asarray(x).dtype)
