"""The logistic sigmoid and its backward pass, with no overflow for inputs as large as 1e4."""

import numpy as np


def sigmoid(x):
    """Squash every element into (0, 1): 1 / (1 + exp(-x)).

    exp(-x) overflows for x below about -710 (float64) or -89 (float32); the value that comes out
    is still right, but NumPy warns. Write it so exp() only ever sees a number <= 0: with
    e = exp(-|x|), sigmoid(x) is 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0.

    Args:
        x: real numbers, any shape, float32 or float64.

    Returns:
        An array with the shape and dtype of `x` (a 0-d input may give a NumPy scalar), every
        entry in [0, 1]: exactly 0 and 1 where the true value rounds to them (x = -1e4, 1e4).

    Shapes:
        x: (*) -> (*)

    PyTorch: torch.sigmoid(x)
    """
    # TODO: e = exp(-|x|) never overflows; choose 1 / (1 + e) or e / (1 + e) by the sign of x
    raise NotImplementedError("activations.sigmoid: sigmoid")


def sigmoid_backward(grad_out, out):
    """The gradient of a loss with respect to sigmoid's input, given the gradient at its output.

    The derivative of sigmoid is sigmoid(x) * (1 - sigmoid(x)), and the forward pass already
    computed sigmoid(x): it is `out`. So dL/dx = grad_out * out * (1 - out), with no exp() at all.

    Args:
        grad_out: dL/dy, the gradient flowing back into the sigmoid output.
        out: y = sigmoid(x), the output of the forward pass (same shape as `grad_out`).

    Returns:
        dL/dx, with the shape and dtype of `grad_out`.

    Raises:
        ValueError: if the shapes of `grad_out` and `out` differ.

    Shapes:
        grad_out: (*), out: (*) -> (*)

    PyTorch: torch.autograd.grad(torch.sigmoid(x), x, grad_out)
    """
    # TODO: grad_out * out * (1 - out)
    raise NotImplementedError("activations.sigmoid: sigmoid_backward")


def _check_shapes(grad_out, out):
    if np.shape(grad_out) != np.shape(out):
        raise ValueError(f"grad_out has shape {np.shape(grad_out)} but out has shape {np.shape(out)}")
