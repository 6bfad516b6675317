"""Leaky ReLU and its backward pass: a small slope on the negative side instead of a flat zero."""

import numpy as np


def leaky_relu(x, negative_slope=0.01):
    """x where x > 0, negative_slope * x elsewhere, element by element.

    Any slope is allowed, as in torch: 0 gives relu, 1 the identity, and a slope above 1 makes
    the negative side steeper than the positive one (so the answer is not max(x, slope * x)).

    Args:
        x: real inputs, any shape (0-d included), float32 or float64.
        negative_slope: the slope for x <= 0.

    Returns:
        An array with the shape and dtype of `x` (a NumPy scalar may stand for a 0-d result).

    Shapes:
        x: (*) -> (*)

    PyTorch: torch.nn.functional.leaky_relu(x, negative_slope)
    """
    # BEGIN SOLUTION: choose by the sign of x, not by which of x and slope * x is larger
    return np.where(x > 0, x, negative_slope * x)
    # END SOLUTION


def leaky_relu_backward(grad_out, x, negative_slope=0.01):
    """The gradient of a loss with respect to leaky_relu's input, given the gradient at its output.

    The slope is 1 where x > 0 and `negative_slope` where x < 0. At x = 0, as torch, the
    gradient is `negative_slope`.

    Args:
        grad_out: dL/dy, the gradient at the output y = leaky_relu(x, negative_slope).
        x: the input of the forward pass (same shape as `grad_out`).
        negative_slope: the slope used in the forward pass.

    Returns:
        dL/dx, with the shape and dtype of `grad_out`.

    Raises:
        ValueError: if the shapes of `grad_out` and `x` differ.

    Shapes:
        grad_out: (*), x: (*) -> (*)

    PyTorch: torch.autograd.grad(torch.nn.functional.leaky_relu(x, negative_slope), x, grad_out)
    """
    # BEGIN SOLUTION: grad_out where x > 0, negative_slope * grad_out elsewhere (x == 0 included)
    _check_shapes(grad_out, x)
    return np.where(x > 0, grad_out, negative_slope * grad_out)
    # END SOLUTION


def _check_shapes(grad_out, x):
    if np.shape(grad_out) != np.shape(x):
        raise ValueError(f"grad_out has shape {np.shape(grad_out)} but x has shape {np.shape(x)}")
