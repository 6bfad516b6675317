"""Cross-entropy from logits and class indices, with class weights, an ignored index and label smoothing."""

import numpy as np

REDUCTIONS = ("mean", "sum", "none")


def cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
    """The cross-entropy between softmax(input) over the class axis and the target classes.

    For one position with target class y (C classes, class weights w, smoothing eps):
        loss = (1 - eps) * w[y] * -log p[y]  +  (eps / C) * sum_c w[c] * -log p[c]
    where p = softmax(input) over axis 1. A position whose target is `ignore_index` has loss 0
    and does not count. `ignore_index` may also be a real class: its positions are then ignored.

    Args:
        input: logits, (N, C) or (N, C, d1, ..., dk), float32 or float64; finite for logits of 1e4.
        target: class indices, an integer array of shape (N,) or (N, d1, ..., dk), each in
            [0, C) or equal to `ignore_index`.
        weight: None (every class weighs 1) or a rescaling weight per class, shape (C,).
        ignore_index: the target value that marks a position to skip.
        reduction: "mean" (the sum divided by the SUM OF THE WEIGHTS w[y] of the positions not
            ignored, which is their count without `weight`), "sum", or "none".
        label_smoothing: eps in [0, 1] (torch refuses eps > 1 and treats a negative eps as 0): the
            target distribution becomes (1 - eps) on the target class plus eps / C on every class; `weight` scales the smoothing term class by class,
            and an ignored position gets no smoothing term either.

    Returns:
        For "mean" and "sum" a scalar (a NumPy scalar or a 0-d array) in the dtype of `input`; for
        "none" an array of shape (N, d1, ..., dk), the shape of `target`. When every target is
        ignored, "mean" is 0 / 0 = NaN, as in PyTorch.

    Raises:
        ValueError: for an unknown `reduction`, `label_smoothing` above 1, an `input` with
            fewer than 2 dimensions, a `target` that is not integer or whose shape is not
            (N, d1, ..., dk), a `weight` whose shape is not (C,), or a target outside [0, C) that
            is not `ignore_index`.

    Shapes:
        input: (N, C, *), target: (N, *), weight: (C,) -> () for "mean" and "sum", (N, *) for "none"

    PyTorch: torch.nn.functional.cross_entropy(input, target, weight=weight, ignore_index=ignore_index,
        reduction=reduction, label_smoothing=label_smoothing)
    """
    # TODO: log-softmax over axis 1 (shift by the max), pick the target terms, weight, smooth, reduce
    raise NotImplementedError("losses.cross_entropy: cross_entropy")


def cross_entropy_backward(input, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
    """The gradient of cross_entropy(input, target, ...) with respect to `input`.

    Per position, d(-log p[y]) / d(input) = p - onehot(y), and d(sum_c w[c] * -log p[c]) / d(input)
    = p * sum(w) - w. Mix them as the forward does, zero the ignored positions, and divide by the
    same total weight for "mean". For "none" return the gradient of the SUM of the unreduced losses.
    When every target is ignored the gradient is 0 everywhere (also for "mean"), as in PyTorch.

    Args:
        input, target, weight, ignore_index, reduction, label_smoothing: as in cross_entropy.

    Returns:
        dL/d(input), an array with the shape and dtype of `input`.

    Raises:
        ValueError: as cross_entropy.

    Shapes:
        input: (N, C, *), target: (N, *), weight: (C,) -> (N, C, *)

    PyTorch: torch.autograd.grad(cross_entropy(input, target, ...), input,
        grad_outputs=torch.ones_like(loss))
    """
    # TODO: softmax minus the (smoothed, weighted) target distribution, masked, over the total weight
    raise NotImplementedError("losses.cross_entropy: cross_entropy_backward")


def _check(input, target, weight, ignore_index, reduction, label_smoothing):
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction={reduction!r} is not one of {REDUCTIONS}")
    if label_smoothing > 1.0:  # torch refuses only this side: a negative eps runs the same formula
        raise ValueError(f"label_smoothing={label_smoothing!r} is above 1")
    if np.ndim(input) < 2:
        raise ValueError(f"input must be (N, C) or (N, C, d1, ...), not of shape {np.shape(input)}")
    shape = np.shape(input)
    if not np.issubdtype(np.asarray(target).dtype, np.integer):
        raise ValueError(f"target must hold integer class indices, not {np.asarray(target).dtype}")
    if np.shape(target) != shape[:1] + shape[2:]:
        raise ValueError(f"target of shape {np.shape(target)} does not fit input of shape {shape}: "
                         f"expected {shape[:1] + shape[2:]}")
    if weight is not None and np.shape(weight) != shape[1:2]:
        raise ValueError(f"weight of shape {np.shape(weight)} must have one entry per class: ({shape[1]},)")
    bad = (target != ignore_index) & ((target < 0) | (target >= shape[1]))
    if bad.any():
        raise ValueError(f"target holds {target[bad].flat[0]}, outside [0, {shape[1]}) "
                         f"and not ignore_index={ignore_index}")
