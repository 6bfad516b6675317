"""Layer normalisation over the trailing dimensions, its backward pass, and RMSNorm."""

import numpy as np


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Normalise every sample over its last len(normalized_shape) dimensions, then scale and shift.

    Unlike batch norm, the statistics are taken over the FEATURES of one sample, not over the
    batch: for x (N, T, D) with normalized_shape (D,) each of the N * T vectors of length D gets
    its own mean and variance; with normalized_shape (T, D) each of the N samples gets one over
    its T * D values. With the BIASED variance (divide by the number of values normalised):

        y = (x - mean) / sqrt(var + eps) * weight + bias

    The same computation in training and in eval: there are no running statistics.

    Args:
        x: float32 or float64, (*, *normalized_shape): its trailing dimensions must be
            normalized_shape.
        normalized_shape: an int D (the same as (D,)) or a tuple of ints, the trailing shape
            normalised over, as torch.nn.LayerNorm. At least one dimension.
        weight: the elementwise scale, of shape normalized_shape, or None (no scale).
        bias: the elementwise shift, of shape normalized_shape, or None (no shift).
        eps: added to the variance inside the square root.

    Returns:
        y, with the shape and dtype of `x`.

    Raises:
        ValueError: if normalized_shape is empty, x's trailing dimensions are not
            normalized_shape, or weight or bias (when given) is not of shape normalized_shape.

    Shapes:
        x: (*, *S), weight, bias: S -> (*, *S), with S = normalized_shape
        x: (N, D), S = (D,) -> (N, D);  x: (N, T, D), S = (T, D) -> (N, T, D)

    PyTorch: torch.nn.functional.layer_norm(x, normalized_shape, weight, bias, eps)
    """
    # TODO: mean and biased var over the last len(normalized_shape) axes (keepdims), (x - mean) / sqrt(var + eps), then * weight + bias
    raise NotImplementedError("norm.layer_norm: layer_norm")


def layer_norm_backward(grad_out, x, normalized_shape, weight=None, bias=None, eps=1e-5):
    """The gradients of a loss with respect to x, weight and bias, given its gradient at layer_norm(x, ...).

    Within each normalised group of K values (the trailing normalized_shape block of one
    sample), x_hat = (x - mean) / sqrt(var + eps) and dx_hat = grad_out * weight. The mean and
    the variance depend on every value of the group, which gives, with means over the group,

        grad_x = (dx_hat - mean(dx_hat) - x_hat * mean(dx_hat * x_hat)) / sqrt(var + eps)

    weight and bias are shared by every sample, so their gradients are summed over all the
    leading dimensions: grad_weight = sum(grad_out * x_hat), grad_bias = sum(grad_out).

    Args:
        grad_out: dL/dy, shaped like `x`.
        x, normalized_shape, weight, bias, eps: as in layer_norm. Of bias only whether it is
            None matters: it does not enter any gradient.

    Returns:
        (grad_x, grad_weight, grad_bias): grad_x shaped like `x`; grad_weight and grad_bias of
        shape normalized_shape, each None when its parameter is None; in the dtype of `x`.

    Raises:
        ValueError: as layer_norm, and if grad_out is not shaped like `x`.

    Shapes:
        grad_out, x: (*, *S), weight, bias: S -> (*, *S), S, S

    PyTorch: torch.autograd.grad(F.layer_norm(x, normalized_shape, weight, bias, eps), (x, weight, bias), grad_out)
    """
    # TODO: statistics over the trailing axes; grad_x = (dx_hat - mean(dx_hat) - x_hat * mean(dx_hat * x_hat)) / std; parameter gradients summed over the leading axes
    raise NotImplementedError("norm.layer_norm: layer_norm_backward")


def rms_norm(x, normalized_shape, weight=None, eps=None):
    """Root-mean-square normalisation over the last len(normalized_shape) dimensions, then scale.

    No mean is subtracted and there is no shift: each group of trailing values is divided by
    its root mean square,

        y = x / sqrt(mean(x ** 2) + eps) * weight

    With eps=None, as torch, eps is the machine epsilon of x's dtype, np.finfo(x.dtype).eps
    (about 2.2e-16 for float64, 1.2e-7 for float32), not layer_norm's 1e-5.

    Args:
        x: float32 or float64, (*, *normalized_shape).
        normalized_shape: an int D (the same as (D,)) or a tuple of ints, as in layer_norm.
        weight: the elementwise scale, of shape normalized_shape, or None (no scale).
        eps: added to the mean square inside the square root; None for the dtype's epsilon.

    Returns:
        y, with the shape and dtype of `x`.

    Raises:
        ValueError: if normalized_shape is empty, x's trailing dimensions are not
            normalized_shape, or weight (when given) is not of shape normalized_shape.

    Shapes:
        x: (*, *S), weight: S -> (*, *S), with S = normalized_shape

    PyTorch: torch.nn.functional.rms_norm(x, normalized_shape, weight, eps)
    """
    # TODO: eps = np.finfo(x.dtype).eps if None; x / sqrt(mean(x ** 2) over the trailing axes + eps) * weight
    raise NotImplementedError("norm.layer_norm: rms_norm")


def _check(x, normalized_shape, weight, bias):
    """normalized_shape as a tuple, after checking it, x, weight and bias against each other."""
    shape = (normalized_shape,) if isinstance(normalized_shape, (int, np.integer)) else tuple(normalized_shape)
    if len(shape) == 0:
        raise ValueError("normalized_shape must have at least one dimension, got ()")
    if np.shape(x)[max(np.ndim(x) - len(shape), 0):] != shape or np.ndim(x) < len(shape):
        raise ValueError(f"normalized_shape={shape} must be the trailing dimensions of x, "
                         f"but x has shape {np.shape(x)}")
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and np.shape(p) != shape:
            raise ValueError(f"{name} must have shape normalized_shape={shape}, got {np.shape(p)}")
    return shape
