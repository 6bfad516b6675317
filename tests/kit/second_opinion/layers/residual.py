"""x + fc2(relu(fc1(x))) and its gradients (independent implementation).

float64 inside with einsum, one sample at a time for the weight gradients (outer products summed),
the results cast back to the input's dtype.
"""

import numpy as np

_NAMES = ("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")


def _weights(x, params):
    w1, b1, w2, b2 = (np.asarray(params[k], dtype=np.float64) for k in _NAMES)
    if np.ndim(x) != 2:
        raise ValueError(f"x must be 2-D (N, d), got shape {np.shape(x)}")
    d = np.shape(x)[1]
    if w1.shape[1] != d:
        raise ValueError(f"fc1.weight {w1.shape} does not take x's {d} features")
    if w2.shape != (d, w1.shape[0]):
        raise ValueError(f"fc2.weight {w2.shape} must be ({d}, {w1.shape[0]})")
    return w1, b1, w2, b2


def residual_block(x, params):
    w1, b1, w2, b2 = _weights(x, params)
    xs = np.asarray(x, dtype=np.float64)
    pre = np.einsum("nd,hd->nh", xs, w1) + b1
    out = xs + np.einsum("nh,dh->nd", np.clip(pre, 0.0, None), w2) + b2
    return out.astype(np.asarray(x).dtype)


def residual_block_backward(grad_out, x, params):
    w1, b1, w2, b2 = _weights(x, params)
    if np.shape(grad_out) != np.shape(x):
        raise ValueError(f"grad_out {np.shape(grad_out)} and x {np.shape(x)} differ")
    xs, gs = np.asarray(x, dtype=np.float64), np.asarray(grad_out, dtype=np.float64)
    pre = np.einsum("nd,hd->nh", xs, w1) + b1
    act = np.clip(pre, 0.0, None)
    g_pre = np.einsum("nd,dh->nh", gs, w2) * (pre > 0)
    g_w1, g_w2 = np.zeros_like(w1), np.zeros_like(w2)
    for n in range(xs.shape[0]):
        g_w1 += np.outer(g_pre[n], xs[n])
        g_w2 += np.outer(gs[n], act[n])
    grads = {"fc2.bias": gs.sum(axis=0), "fc2.weight": g_w2, "fc1.bias": g_pre.sum(axis=0), "fc1.weight": g_w1}
    dtype = np.asarray(grad_out).dtype
    grad_x = gs + np.einsum("nh,hd->nd", g_pre, w1)
    return grad_x.astype(dtype), {k: v.astype(dtype) for k, v in grads.items()}
