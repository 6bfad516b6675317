"""ELU, its backward pass, and SELU: a smooth exponential negative side that never overflows."""

import numpy as np

# SELU's constants, as torch.nn.functional.selu uses them.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def elu(x, alpha=1.0):
    """The exponential linear unit: x where x > 0, alpha * (exp(x) - 1) elsewhere.

    For very negative x the output tends to -alpha. exp() must only ever see the non-positive
    inputs: np.where computes both of its branches everywhere, and exp(1e4) overflows (with a
    RuntimeWarning) even where its result is not chosen.

    Args:
        x: real inputs, any shape (0-d included), float32 or float64; finite for |x| up to 1e4
            and without overflow warnings.
        alpha: the size of the negative saturation, -alpha.

    Returns:
        An array with the shape and dtype of `x` (a NumPy scalar may stand for a 0-d result).

    Shapes:
        x: (*) -> (*)

    PyTorch: torch.nn.functional.elu(x, alpha)
    """
    # BEGIN SOLUTION: x where x > 0, alpha * expm1 of min(x, 0) elsewhere
    negative = np.minimum(x, 0)  # exp() sees only values <= 0: at most 1, never an overflow
    return np.where(x > 0, x, alpha * np.expm1(negative))
    # END SOLUTION


def elu_backward(grad_out, x, alpha=1.0):
    """The gradient of a loss with respect to elu's input, given the gradient at its output.

    The slope is 1 where x > 0 and alpha * exp(x) where x <= 0; at x = 0 it is the negative
    side's, alpha, as torch.

    Args:
        grad_out: dL/dy, the gradient at the output y = elu(x, alpha).
        x: the input of the forward pass (same shape as `grad_out`); |x| up to 1e4 without
            overflow warnings.
        alpha: the alpha of the forward pass.

    Returns:
        dL/dx, with the shape and dtype of `grad_out`.

    Raises:
        ValueError: if the shapes of `grad_out` and `x` differ.

    Shapes:
        grad_out: (*), x: (*) -> (*)

    PyTorch: torch.autograd.grad(torch.nn.functional.elu(x, alpha), x, grad_out)
    """
    # BEGIN SOLUTION: grad_out where x > 0, grad_out * alpha * exp(min(x, 0)) elsewhere
    _check_shapes(grad_out, x)
    slope = alpha * np.exp(np.minimum(x, 0))  # the negative side's slope, alpha at x = 0
    return np.where(x > 0, grad_out, grad_out * slope)
    # END SOLUTION


def selu(x):
    """The scaled ELU: SELU_SCALE * elu(x, SELU_ALPHA), with the constants above (torch's).

    The two constants are chosen so that activations keep mean 0 and variance 1 through a deep
    stack of layers (self-normalising networks).

    Args:
        x: real inputs, any shape (0-d included), float32 or float64; |x| up to 1e4 without
            overflow warnings.

    Returns:
        An array with the shape and dtype of `x` (a NumPy scalar may stand for a 0-d result).

    Shapes:
        x: (*) -> (*)

    PyTorch: torch.nn.functional.selu(x)
    """
    # BEGIN SOLUTION: SELU_SCALE times elu with alpha = SELU_ALPHA (scale both sides)
    negative = np.minimum(x, 0)
    return SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(negative))
    # END SOLUTION


def _check_shapes(grad_out, x):
    if np.shape(grad_out) != np.shape(x):
        raise ValueError(f"grad_out has shape {np.shape(grad_out)} but x has shape {np.shape(x)}")
