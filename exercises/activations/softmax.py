"""Softmax, log-softmax and the softmax backward pass, stable for logits as large as 1e4."""

import numpy as np


def softmax(x, axis=-1):
    """Turn scores into probabilities along one axis: exp(x) / sum(exp(x)).

    Subtracting the largest score along `axis` first changes nothing mathematically
    (it cancels between numerator and denominator) but keeps exp() from overflowing.

    Args:
        x: real scores (logits), any shape, float32 or float64.
        axis: the axis whose entries become one probability distribution.

    Returns:
        An array with the shape and dtype of `x`: non-negative, summing to 1 along `axis`.

    Raises:
        ValueError: if `axis` is not an axis of `x`.

    Shapes:
        x: (..., C, ...) -> (..., C, ...)

    PyTorch: torch.softmax(x, dim=axis)
    """
    # TODO: subtract the max along `axis`, exponentiate, divide by the sum along `axis`
    raise NotImplementedError("activations.softmax: softmax")


def log_softmax(x, axis=-1):
    """The logarithm of softmax, computed without ever taking log(0).

    log softmax(x) = x - max - log(sum(exp(x - max))), which stays finite even where
    softmax itself underflows to 0.

    Args:
        x: real scores (logits), any shape, float32 or float64.
        axis: the axis to normalise over.

    Returns:
        An array with the shape and dtype of `x`, all entries <= 0.

    Raises:
        ValueError: if `axis` is not an axis of `x`.

    Shapes:
        x: (..., C, ...) -> (..., C, ...)

    PyTorch: torch.log_softmax(x, dim=axis)
    """
    # TODO: shift by the max, then subtract the log of the sum of exponentials
    raise NotImplementedError("activations.softmax: log_softmax")


def softmax_backward(grad_out, out, axis=-1):
    """The gradient of a loss with respect to softmax's input, given the gradient at its output.

    With s = softmax(x) and g = dL/ds, the chain rule through the softmax Jacobian gives
    dL/dx = s * (g - sum(g * s, along axis)).

    Args:
        grad_out: dL/ds, the gradient flowing back into the softmax output.
        out: s, the softmax output from the forward pass (same shape as `grad_out`).
        axis: the axis softmax was taken over.

    Returns:
        dL/dx, with the shape and dtype of `grad_out`.

    Raises:
        ValueError: if the shapes of `grad_out` and `out` differ, or `axis` is not an axis.

    Shapes:
        grad_out: (..., C, ...), out: (..., C, ...) -> (..., C, ...)

    PyTorch: torch.autograd.grad(torch.softmax(x, dim=axis), x, grad_out)
    """
    # TODO: s * (g - sum(g * s) along axis)
    raise NotImplementedError("activations.softmax: softmax_backward")


def _check_axis(x, axis):
    if not -np.ndim(x) <= axis < np.ndim(x):
        raise ValueError(f"axis={axis} is out of range for an array with {np.ndim(x)} dimensions")
