"""The fully connected layer y = x W^T + b over any leading dimensions, and its three gradients."""

import numpy as np


def linear(x, weight, bias=None):
    """Apply the affine map y = x W^T + b to the last axis of `x`, as torch.nn.functional.linear.

    `weight` is stored as PyTorch stores it, one row per output feature: (out, in). So the
    product is x @ weight.T, not x @ weight. Every axis of `x` before the last one is a batch
    axis and passes through unchanged; a 1-D `x` of shape (in,) gives a 1-D result (out,).

    Args:
        x: the input features, float32 or float64, (*, in) with any number of leading axes
            (none at all for a single vector).
        weight: the weight matrix, (out, in).
        bias: the bias, (out,), added to every output row; None for no bias.

    Returns:
        y, (*, out), with the dtype of the inputs (float32 in, float32 out).

    Raises:
        ValueError: if `x` is 0-d, `weight` is not 2-D, x's last size is not weight's `in`,
            or `bias` is not of shape (out,).

    Shapes:
        x: (*, in), weight: (out, in), bias: (out,) -> (*, out)
        x: (in,) -> (out,);  x: (N, in) -> (N, out);  x: (N, T, in) -> (N, T, out)

    PyTorch: torch.nn.functional.linear(x, weight, bias)
    """
    # TODO: x @ weight.T over the last axis (leading axes ride along), then + bias
    raise NotImplementedError("layers.linear: linear")


def linear_backward(grad_out, x, weight, bias=None):
    """The gradients of a loss with respect to x, weight and bias, given its gradient at linear(x, weight, bias).

    With every leading axis flattened into one batch axis of n rows, G (n, out) and X (n, in):
    dL/dx = G W, dL/dW = G^T X and dL/db = the sum of G over the rows. The weight and the
    bias are shared by every row of every leading axis, so their gradients ADD UP the
    contribution of each row (a sum, not a mean).

    Args:
        grad_out: dL/dy, (*, out), shaped like linear(x, weight, bias).
        x: the input of the forward pass, (*, in).
        weight: the weight of the forward pass, (out, in).
        bias: the bias of the forward pass, (out,), or None if it had none. Only whether it
            is None matters: the bias does not enter any gradient.

    Returns:
        (grad_x, grad_weight, grad_bias): grad_x shaped like `x`, grad_weight (out, in),
        grad_bias (out,) or None when `bias` is None; in the dtype of the inputs.

    Raises:
        ValueError: if `x`, `weight` or `bias` would be refused by linear, or grad_out's shape
            is not x.shape[:-1] + (out,).

    Shapes:
        grad_out: (*, out), x: (*, in), weight: (out, in) -> (*, in), (out, in), (out,)

    PyTorch: torch.autograd.grad(F.linear(x, weight, bias), (x, weight, bias), grad_out)
    """
    # TODO: flatten the leading axes into rows; G W, G^T X and G summed over rows
    raise NotImplementedError("layers.linear: linear_backward")


def _check(x, weight, bias):
    if np.ndim(x) == 0:
        raise ValueError("x must have at least 1 dimension (*, in), got a 0-d array")
    if np.ndim(weight) != 2:
        raise ValueError(f"weight must be 2-D (out, in), got shape {np.shape(weight)}")
    if np.shape(x)[-1] != np.shape(weight)[1]:
        raise ValueError(f"x has {np.shape(x)[-1]} features on its last axis but weight of shape "
                         f"{np.shape(weight)} expects in = {np.shape(weight)[1]} (weight is (out, in))")
    if bias is not None and np.shape(bias) != (np.shape(weight)[0],):
        raise ValueError(f"bias must have shape ({np.shape(weight)[0]},), one per output feature, "
                         f"got {np.shape(bias)}")
