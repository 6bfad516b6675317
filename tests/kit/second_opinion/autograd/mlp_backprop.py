"""Linear-ReLU-Linear with mean cross-entropy and its parameter gradients (independent implementation).

float64 inside, log-sum-exp through np.logaddexp.reduce, the one-hot built with np.eye, the
gradients written with einsum; the loss returned as a 0-d array in x's dtype.
"""

import numpy as np

_NAMES = ("fc2.bias", "fc2.weight", "fc1.bias", "fc1.weight")


def mlp_loss_and_grads(x, y, params):
    for k in _NAMES:
        if k not in params:
            raise ValueError(f"params lacks {k!r}")
    if np.ndim(x) != 2:
        raise ValueError(f"x must be 2-D, got shape {np.shape(x)}")
    dtype = np.asarray(x).dtype
    xs = np.asarray(x, dtype=np.float64)
    n, d = xs.shape
    y = np.asarray(y)
    if y.shape != (n,) or y.dtype.kind not in "iu":
        raise ValueError(f"y must be integer of shape ({n},), got {y.dtype} {y.shape}")
    b2, w2, b1, w1 = (np.asarray(params[k], dtype=np.float64) for k in _NAMES)
    if w1.ndim != 2 or w1.shape[1] != d or b1.shape != (w1.shape[0],):
        raise ValueError(f"fc1 shapes {w1.shape}, {b1.shape} do not take {d} features")
    if w2.ndim != 2 or w2.shape[1] != w1.shape[0] or b2.shape != (w2.shape[0],):
        raise ValueError(f"fc2 shapes {w2.shape}, {b2.shape} do not follow fc1's {w1.shape[0]} units")
    c = w2.shape[0]
    if ((y < 0) | (y >= c)).any():
        raise ValueError(f"y must hold classes in [0, {c})")
    pre = np.einsum("nd,hd->nh", xs, w1) + b1
    hid = np.where(pre > 0, pre, 0.0)
    out = np.einsum("nh,ch->nc", hid, w2) + b2
    lse = np.logaddexp.reduce(out, axis=1, keepdims=True)
    logp = out - lse
    target = np.eye(c)[y]
    loss = -(target * logp).sum() / n
    d_out = (np.exp(logp) - target) / n
    d_pre = np.where(pre > 0, np.einsum("nc,ch->nh", d_out, w2), 0.0)
    grads = {
        "fc2.bias": np.einsum("nc->c", d_out),
        "fc2.weight": np.einsum("nc,nh->ch", d_out, hid),
        "fc1.bias": np.einsum("nh->h", d_pre),
        "fc1.weight": np.einsum("nh,nd->hd", d_pre, xs),
    }
    return np.asarray(loss, dtype=dtype), {k: v.astype(dtype) for k, v in grads.items()}
