import numpy as np


def _validate(input, target, reduction):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    a, b = np.shape(input)[::-1], np.shape(target)[::-1]
    for m, n in zip(a, b):
        if m != n and 1 not in (m, n):
            raise ValueError("input and target shapes do not broadcast")


def mse_loss(input, target, reduction="mean"):
    _validate(input, target, reduction)
    d = np.subtract(input, target, dtype=np.float64)
    sq = d * d
    if reduction == "none":
        return sq.astype(np.result_type(input))
    total = np.add.reduce(sq, axis=None)
    if reduction == "mean":
        total = total / sq.size
    return np.asarray(total, dtype=np.result_type(input))


def mse_loss_backward(input, target, reduction="mean"):
    _validate(input, target, reduction)
    d = np.subtract(input, target, dtype=np.float64)  # the broadcast shape
    g = (2.0 / max(d.size, 1) if reduction == "mean" else 2.0) * d  # no elements (a target of size 0): no share
    shape = np.shape(input)
    if g.ndim > len(shape):  # target added leading axes: every copy of input gets its share
        g = np.add.reduce(g, axis=tuple(range(g.ndim - len(shape))))
    for axis, n in enumerate(shape):
        if n == 1 and g.shape[axis] != 1:  # an axis of input that target stretched
            g = np.add.reduce(g, axis=axis, keepdims=True)
    return g.astype(np.result_type(input))
