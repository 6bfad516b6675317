import numpy as np


def _validate(input, target, reduction, **weights):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if np.shape(input) != np.shape(target):
        raise ValueError("target must have the shape of input")
    for name, w in weights.items():
        if w is None:
            continue
        a, b = np.shape(w)[::-1], np.shape(input)[::-1]
        if len(a) > len(b) or any(m != n and m != 1 for m, n in zip(a, b)):
            raise ValueError(f"{name} does not broadcast to input")


def _finish(elementwise, reduction, dtype):
    if reduction == "none":
        return elementwise.astype(dtype)
    total = np.add.reduce(elementwise.ravel())
    if reduction == "mean":
        total = total / elementwise.size
    return np.asarray(total, dtype=dtype)


def binary_cross_entropy(input, target, weight=None, reduction="mean"):
    _validate(input, target, reduction, weight=weight)
    p = np.asarray(input, dtype=np.float64)
    t = np.asarray(target, dtype=np.float64)
    if ((p < 0) | (p > 1) | np.isnan(p)).any() or ((t < 0) | (t > 1)).any():
        raise ValueError("input and target must lie in [0, 1]")
    safe_p = np.where(p > 0, p, 1.0)
    safe_q = np.where(p < 1, 1 - p, 1.0)
    log_p = np.where(p > 0, np.clip(np.log(safe_p), -100, None), -100.0)
    log_q = np.where(p < 1, np.clip(np.log(safe_q), -100, None), -100.0)
    loss = -(t * log_p + (1 - t) * log_q)
    if weight is not None:
        loss = loss * np.asarray(weight, dtype=np.float64)
    return _finish(loss, reduction, np.result_type(input))


def _terms(input, target, weight, pos_weight):
    x = np.asarray(input, dtype=np.float64)
    t = np.asarray(target, dtype=np.float64)
    pw = 1.0 if pos_weight is None else np.asarray(pos_weight, dtype=np.float64)
    w = 1.0 if weight is None else np.asarray(weight, dtype=np.float64)
    return x, t, pw, w


def binary_cross_entropy_with_logits(input, target, weight=None, reduction="mean", pos_weight=None):
    _validate(input, target, reduction, weight=weight, pos_weight=pos_weight)
    x, t, pw, w = _terms(input, target, weight, pos_weight)
    # -log(sigmoid(x)) = logaddexp(0, -x), -log(1 - sigmoid(x)) = logaddexp(0, x)
    loss = w * (pw * t * np.logaddexp(0.0, -x) + (1 - t) * np.logaddexp(0.0, x))
    return _finish(loss, reduction, np.result_type(input))


def binary_cross_entropy_with_logits_backward(input, target, weight=None, reduction="mean", pos_weight=None):
    _validate(input, target, reduction, weight=weight, pos_weight=pos_weight)
    x, t, pw, w = _terms(input, target, weight, pos_weight)
    sig = np.where(x >= 0, 1 / (1 + np.exp(-np.abs(x))), np.exp(-np.abs(x)) / (1 + np.exp(-np.abs(x))))
    # d/dx: -pw * t * (1 - sig) + (1 - t) * sig
    grad = w * (-pw * t * (1 - sig) + (1 - t) * sig)
    grad = np.broadcast_to(grad, np.shape(input))
    if reduction == "mean":
        grad = grad / grad.size
    return grad.astype(np.result_type(input))
