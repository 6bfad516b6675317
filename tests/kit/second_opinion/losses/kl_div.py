import numpy as np


def _validate(input, target, reduction):
    if reduction not in ("none", "batchmean", "sum", "mean"):
        raise ValueError(f"unknown reduction {reduction!r}")
    a, b = np.shape(input)[::-1], np.shape(target)[::-1]
    for m, n in zip(a, b):
        if m != n and 1 not in (m, n):
            raise ValueError("input and target shapes do not broadcast")


def kl_div(input, target, reduction="mean", log_target=False):
    _validate(input, target, reduction)
    x = np.asarray(input, dtype=np.float64)
    t = np.asarray(target, dtype=np.float64)
    if log_target:
        loss = np.exp(t) * (t - x)
    else:
        tb, xb = np.broadcast_arrays(t, x)
        loss = np.zeros(tb.shape)  # 0 where the target is 0
        pos = tb > 0
        loss[pos] = tb[pos] * (np.log(tb[pos]) - xb[pos])
    dt = np.asarray(input).dtype
    if reduction == "none":
        return loss.astype(dt)
    total = loss.sum()
    if reduction == "mean":
        total = total / loss.size
    elif reduction == "batchmean" and x.ndim:
        total = total / x.shape[0]
    return np.asarray(total, dtype=dt)


def kl_div_backward(input, target, reduction="mean", log_target=False):
    _validate(input, target, reduction)
    x = np.asarray(input)
    t = np.asarray(target, dtype=np.float64)
    d = -(np.exp(t) if log_target else t)
    out_shape = np.broadcast_shapes(x.shape, t.shape)
    g = np.broadcast_to(d, out_shape).astype(np.float64)
    if reduction == "mean":
        g = g / g.size
    elif reduction == "batchmean" and x.ndim:
        g = g / x.shape[0]
    while g.ndim > x.ndim:
        g = g.sum(axis=0)
    for i, n in enumerate(x.shape):
        if n == 1 and g.shape[i] != 1:
            g = g.sum(axis=i, keepdims=True)
    return g.astype(x.dtype)
