"""Binary cross-entropy on probabilities and on logits, and the logits version's gradient."""

import numpy as np

REDUCTIONS = ("mean", "sum", "none")


def binary_cross_entropy(input, target, weight=None, reduction="mean"):
    """The binary cross-entropy -w * (t * log(p) + (1 - t) * log(1 - p)) per element, reduced.

    Each log is clamped below at -100, as PyTorch does, so a probability of exactly 0 or 1
    gives a large finite loss (100 per element, times its weight) instead of inf or NaN
    (0 * log(0) would be 0 * -inf = NaN).

    Args:
        input: predicted probabilities p in [0, 1], any shape, float32 or float64.
        target: the target probabilities t in [0, 1] (usually 0 or 1), the shape and dtype
            of `input`.
        weight: None (every element weighs 1) or a rescaling weight per element, any shape
            that broadcasts to the shape of `input` ((C,) or (N, C) for input (N, C), say).
        reduction: "mean" (the average over ALL elements), "sum", or "none" (unreduced).

    Returns:
        For "mean" and "sum" a scalar (a NumPy scalar or a 0-d array) in the dtype of
        `input`; for "none" an array with the shape and dtype of `input`.

    Raises:
        ValueError: if `reduction` is not "mean", "sum" or "none"; if `target` does not have
            the shape of `input`; if `weight` does not broadcast to the shape of `input`; if an
            element of `input` or `target` lies outside [0, 1].

    Shapes:
        input: (*), target: (*), weight: broadcasts to (*) -> () for "mean" and "sum",
        (*) for "none"

    PyTorch: torch.nn.functional.binary_cross_entropy(input, target, weight, reduction=reduction)
    """
    # TODO: clamp each log at -100, weight the elementwise losses, then reduce
    raise NotImplementedError("losses.binary_cross_entropy: binary_cross_entropy")


def binary_cross_entropy_with_logits(input, target, weight=None, reduction="mean", pos_weight=None):
    """Binary cross-entropy of sigmoid(input), computed from the logits without overflow.

    With s = sigmoid(x) the elementwise loss is -w * (pw * t * log(s) + (1 - t) * log(1 - s)),
    where pw is `pos_weight` (it weighs the positive term only). log(s) = -softplus(-x) and
    log(1 - s) = -softplus(x), and softplus(z) = log(1 + exp(z)) = max(z, 0) + log1p(exp(-|z|))
    stays finite for logits of 1e4, where sigmoid-then-log gives log(0) = -inf.

    Args:
        input: logits x, any shape, float32 or float64.
        target: the target probabilities t (usually 0 or 1), the shape and dtype of `input`.
        weight: None or a rescaling weight per element that broadcasts to the shape of `input`.
        reduction: "mean" (the average over ALL elements), "sum", or "none" (unreduced).
        pos_weight: None (1) or a weight of the positive term, broadcast along the last (class)
            dimension: (C,) for input (N, C); any shape that broadcasts to `input` is taken.

    Returns:
        For "mean" and "sum" a scalar (a NumPy scalar or a 0-d array) in the dtype of
        `input`; for "none" an array with the shape and dtype of `input`.

    Raises:
        ValueError: if `reduction` is not "mean", "sum" or "none"; if `target` does not have
            the shape of `input`; if `weight` or `pos_weight` does not broadcast to the shape
            of `input`.

    Shapes:
        input: (*, C), target: (*, C), weight: broadcasts to (*, C), pos_weight: (C,) or
        broadcasts to (*, C) -> () for "mean" and "sum", (*, C) for "none"

    PyTorch: torch.nn.functional.binary_cross_entropy_with_logits(input, target, weight,
        reduction=reduction, pos_weight=pos_weight)
    """
    # TODO: -pw * t * log(s) - (1 - t) * log(1 - s), each log written as a stable softplus
    raise NotImplementedError("losses.binary_cross_entropy: binary_cross_entropy_with_logits")


def binary_cross_entropy_with_logits_backward(input, target, weight=None, reduction="mean", pos_weight=None):
    """The gradient of binary_cross_entropy_with_logits(...) with respect to `input`.

    Per element, d/dx of pw * t * softplus(-x) + (1 - t) * softplus(x) is
    (pw * t + 1 - t) * sigmoid(x) - pw * t (without pos_weight: sigmoid(x) - t), times the
    element's weight; "mean" also divides by the number of elements N. For "none" return the
    gradient of the SUM of the elementwise losses.

    Args:
        input, target, weight, reduction, pos_weight: as in binary_cross_entropy_with_logits.

    Returns:
        dL/d(input), an array with the shape and dtype of `input`.

    Raises:
        ValueError: as binary_cross_entropy_with_logits.

    Shapes:
        input: (*, C), target: (*, C) -> (*, C)

    PyTorch: torch.autograd.grad(binary_cross_entropy_with_logits(input, target, weight,
        reduction=reduction, pos_weight=pos_weight), input, grad_outputs=torch.ones_like(loss))
    """
    # TODO: ((pw * t + 1 - t) * sigmoid(x) - pw * t) * weight, divided by N for "mean"
    raise NotImplementedError("losses.binary_cross_entropy: binary_cross_entropy_with_logits_backward")


def _softplus(z):
    """log(1 + exp(z)) for any z, without overflow (np.log(1 + np.exp(z)) is inf for z = 1e4)."""
    # TODO: split off max(z, 0), so exp only ever sees -|z| <= 0
    raise NotImplementedError("losses.binary_cross_entropy: _softplus")


def _reduce(loss, reduction):
    if reduction == "mean":
        return loss.mean()  # ()
    if reduction == "sum":
        return loss.sum()  # ()
    return loss


def _check(input, target, weight, reduction, pos_weight):
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction={reduction!r} is not one of {REDUCTIONS}")
    shape = np.shape(input)
    if np.shape(target) != shape:
        raise ValueError(f"target of shape {np.shape(target)} must have the shape of input, {shape}")
    for name, value in (("weight", weight), ("pos_weight", pos_weight)):
        if value is None:
            continue
        try:
            fits = np.broadcast_shapes(np.shape(value), shape) == shape
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(f"{name} of shape {np.shape(value)} does not broadcast to input's shape {shape}")


def _check_probabilities(input, target):
    for name, value in (("input", input), ("target", target)):
        if not np.all((value >= 0) & (value <= 1)):
            raise ValueError(f"every element of {name} must lie in [0, 1]")
