"""Mean squared error and its gradient with respect to the prediction."""

import numpy as np

REDUCTIONS = ("mean", "sum", "none")


def mse_loss(input, target, reduction="mean"):
    """The squared error (input - target)^2 per element, reduced as `reduction` says.

    Args:
        input: predictions, any shape, float32 or float64.
        target: the values to predict, the same shape and dtype as `input` (as in PyTorch,
            a shape that broadcasts with `input` is also accepted).
        reduction: "mean" (average over ALL elements, not just the batch), "sum", or
            "none" (the elementwise squared errors, unreduced).

    Returns:
        For "mean" and "sum" a scalar (a NumPy scalar or a 0-d array) in the dtype of
        `input`; for "none" an array with the shape and dtype of `input`.

    Raises:
        ValueError: if `reduction` is not one of "mean", "sum", "none", or if the shapes
            of `input` and `target` cannot be broadcast together.

    Shapes:
        input: (*), target: (*) -> () for "mean" and "sum", (*) for "none"

    PyTorch: torch.nn.functional.mse_loss(input, target, reduction=reduction)
    """
    # BEGIN SOLUTION: square the difference, then take the mean, the sum, or nothing
    _check(input, target, reduction)
    squared = (input - target) ** 2  # (*)
    if reduction == "mean":
        return squared.mean()  # ()
    if reduction == "sum":
        return squared.sum()  # ()
    return squared
    # END SOLUTION


def mse_loss_backward(input, target, reduction="mean"):
    """The gradient of mse_loss(input, target, reduction) with respect to `input`.

    d/d(input) of (input - target)^2 is 2 * (input - target). "sum" adds the elementwise
    losses, so that is its gradient; "mean" also divides by the number of elements N.
    For "none" the loss is an array, not a number: return the gradient of the SUM of the
    elementwise losses (an upstream gradient of all ones), which is 2 * (input - target).

    Args:
        input: predictions, any shape, float32 or float64.
        target: the values to predict, the same shape and dtype as `input`.
        reduction: "mean", "sum" or "none", as in mse_loss.

    Returns:
        dL/d(input), an array with the shape and dtype of `input`.

    Raises:
        ValueError: if `reduction` is not one of "mean", "sum", "none", or if the shapes
            of `input` and `target` cannot be broadcast together.

    Shapes:
        input: (*), target: (*) -> (*)
        (PyTorch also accepts a target of another shape that broadcasts with `input`,
        with a warning; the gradient is then summed back to the shape of `input`.)

    PyTorch: torch.autograd.grad(mse_loss(input, target, reduction), input,
        grad_outputs=torch.ones_like(loss))
    """
    # BEGIN SOLUTION: 2 * (input - target), divided by the number of elements for "mean"
    _check(input, target, reduction)
    grad = 2 * (input - target)  # (*)
    if reduction == "mean":
        grad = grad / grad.size
    # A target that broadcast `input` to a larger shape: add up the gradient over the copies.
    extra = grad.ndim - np.ndim(input)
    grad = grad.sum(axis=tuple(range(extra)))  # (*input.shape)
    stretched = tuple(i for i, n in enumerate(np.shape(input)) if n == 1 and grad.shape[i] != 1)
    return grad.sum(axis=stretched, keepdims=True)  # (*input.shape)
    # END SOLUTION


def _check(input, target, reduction):
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction={reduction!r} is not one of {REDUCTIONS}")
    try:
        np.broadcast_shapes(np.shape(input), np.shape(target))
    except ValueError:
        raise ValueError(f"input of shape {np.shape(input)} and target of shape {np.shape(target)} "
                         "cannot be broadcast together") from None
