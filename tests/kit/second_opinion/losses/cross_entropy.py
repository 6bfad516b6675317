import numpy as np


def _validate(input, target, weight, ignore_index, reduction, label_smoothing):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if label_smoothing > 1:
        raise ValueError("label_smoothing must be at most 1")
    input, target = np.asarray(input), np.asarray(target)
    if input.ndim < 2 or target.shape != (input.shape[0],) + input.shape[2:]:
        raise ValueError("target shape does not match input")
    c = input.shape[1]
    if weight is not None and np.shape(weight) != (c,):
        raise ValueError("weight needs one value per class")
    t = target[target != ignore_index]
    if t.size and (t.min() < 0 or t.max() >= c):
        raise ValueError("target class out of range")


def _flat(input, target, weight, ignore_index, label_smoothing):
    """Classes last, positions flattened; a[m, c] = w[c] * q[m, c], q the smoothed one-hot target."""
    c = input.shape[1]
    z = np.moveaxis(np.asarray(input, dtype=np.float64), 1, -1).reshape(-1, c)  # (M, C)
    t = np.asarray(target).reshape(-1)  # (M,)
    w = np.ones(c) if weight is None else np.asarray(weight, dtype=np.float64)
    kept = t != ignore_index
    q = np.zeros_like(z)
    q[np.flatnonzero(kept), t[kept]] = 1.0 - label_smoothing
    q[kept] += label_smoothing / c
    a = q * w  # (M, C), zero rows where ignored
    m = z.max(axis=1, keepdims=True)
    logp = z - m - np.log(np.sum(np.exp(z - m), axis=1, keepdims=True))
    total = np.sum(w[t[kept]])
    return z, logp, a, total, kept


def cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
    _validate(input, target, weight, ignore_index, reduction, label_smoothing)
    dt = np.asarray(input).dtype
    _, logp, a, total, _ = _flat(input, target, weight, ignore_index, label_smoothing)
    per = -np.einsum("mc,mc->m", a, logp)
    if reduction == "none":
        return per.reshape(np.shape(target)).astype(dt)
    s = per.sum()
    if reduction == "mean":
        s = s / total if total != 0 else np.nan
    return np.asarray(s, dtype=dt)


def cross_entropy_backward(input, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
    _validate(input, target, weight, ignore_index, reduction, label_smoothing)
    x = np.asarray(input)
    z, logp, a, total, kept = _flat(input, target, weight, ignore_index, label_smoothing)
    g = np.exp(logp) * a.sum(axis=1, keepdims=True) - a  # (M, C)
    if reduction == "mean" and kept.any():
        g = g / total
    moved = g.reshape(x.shape[:1] + x.shape[2:] + x.shape[1:2])
    return np.moveaxis(moved, -1, 1).astype(x.dtype)
