"""ReLU and its backward pass: keep what is positive, let the gradient through only there."""

import numpy as np


def relu(x):
    """The rectified linear unit, max(x, 0), element by element.

    Args:
        x: real inputs, any shape (0-d included), float32 or float64.

    Returns:
        An array with the shape and dtype of `x` (a NumPy scalar may stand for a 0-d result):
        x where x > 0, and 0 elsewhere.

    Shapes:
        x: (*) -> (*)

    PyTorch: torch.relu(x)
    """
    # BEGIN SOLUTION: the larger of x and 0, element by element, without leaving x's dtype
    return np.maximum(x, 0)  # a Python 0 does not change the dtype of x
    # END SOLUTION


def relu_backward(grad_out, x):
    """The gradient of a loss with respect to relu's input, given the gradient at its output.

    relu has slope 1 where x > 0 and slope 0 where x < 0. At x = 0 it has no derivative;
    the convention (torch's) is a gradient of 0 there.

    Args:
        grad_out: dL/dy, the gradient at the output y = relu(x).
        x: the input of the forward pass (same shape as `grad_out`).

    Returns:
        dL/dx, with the shape and dtype of `grad_out`: grad_out where x > 0, 0 elsewhere.

    Raises:
        ValueError: if the shapes of `grad_out` and `x` differ.

    Shapes:
        grad_out: (*), x: (*) -> (*)

    PyTorch: torch.autograd.grad(torch.relu(x), x, grad_out)
    """
    # BEGIN SOLUTION: pass grad_out through where x > 0 (strictly), 0 elsewhere
    _check_shapes(grad_out, x)
    return np.where(x > 0, grad_out, 0)  # x == 0 falls on the zero side
    # END SOLUTION


def _check_shapes(grad_out, x):
    if np.shape(grad_out) != np.shape(x):
        raise ValueError(f"grad_out has shape {np.shape(grad_out)} but x has shape {np.shape(x)}")
