"""GELU, exact (with the error function) and in its tanh approximation, and its backward pass."""

import math

import numpy as np

APPROXIMATIONS = ("none", "tanh")


def gelu(x, approximate="none"):
    """Weigh each input by the chance that a standard normal variable lies below it: x * Phi(x).

    Phi(x) = 0.5 * (1 + erf(x / sqrt(2))) is the standard normal CDF. approximate="tanh" replaces
    it by 0.5 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x ** 3))), the form GPT-2 was trained with.

    Args:
        x: real numbers, any shape, float32 or float64.
        approximate: "none" for the exact erf form, "tanh" for the tanh approximation.

    Returns:
        An array with the shape and dtype of `x` (a 0-d input may give a NumPy scalar); finite
        for inputs as large as 1e4 in size.

    Raises:
        ValueError: if `approximate` is neither "none" nor "tanh".

    Shapes:
        x: (*) -> (*)

    PyTorch: torch.nn.functional.gelu(x, approximate=approximate)
    """
    # TODO: x * Phi(x), Phi from erf (use _erf) or from the tanh formula
    raise NotImplementedError("activations.gelu: gelu")


def gelu_backward(grad_out, x, approximate="none"):
    """The gradient of a loss with respect to GELU's input, given the gradient at its output.

    d/dx [x * Phi(x)] = Phi(x) + x * phi(x), with phi(x) = exp(-x ** 2 / 2) / sqrt(2 * pi) the
    standard normal density. For approximate="tanh", with u = sqrt(2 / pi) * (x + 0.044715 * x ** 3)
    and t = tanh(u), the derivative is 0.5 * (1 + t) + 0.5 * x * (1 - t ** 2) * du/dx.

    Args:
        grad_out: dL/dy, the gradient flowing back into the GELU output.
        x: the input of the forward pass (same shape as `grad_out`).
        approximate: "none" or "tanh", as in the forward pass.

    Returns:
        dL/dx, with the shape and dtype of `grad_out`.

    Raises:
        ValueError: if `approximate` is neither "none" nor "tanh", or the shapes of `grad_out`
            and `x` differ.

    Shapes:
        grad_out: (*), x: (*) -> (*)

    PyTorch: torch.autograd.grad(torch.nn.functional.gelu(x, approximate=approximate), x, grad_out)
    """
    # TODO: grad_out * (Phi(x) + x * phi(x)), or the derivative of the tanh form
    raise NotImplementedError("activations.gelu: gelu_backward")


def _erf(x):
    """The error function of every element (math.erf, one element at a time), as float64."""
    return np.vectorize(math.erf, otypes=[np.float64])(x)


def _check_approximate(approximate):
    if approximate not in APPROXIMATIONS:
        raise ValueError(f'approximate must be "none" or "tanh", not {approximate!r}')
