"""Leaky ReLU and its backward pass (independent implementation).

Both multiply by a per-element slope (1 or negative_slope) made in the input's own dtype.
"""

import numpy as np


def _slopes(x, negative_slope, dtype):
    """1 where x > 0, negative_slope elsewhere, as an array of `dtype`."""
    return np.where(np.asarray(x) > 0, 1.0, float(negative_slope)).astype(dtype)


def leaky_relu(x, negative_slope=0.01):
    """x for x > 0, negative_slope * x otherwise. See torch.nn.functional.leaky_relu."""
    arr = np.asarray(x)
    return arr * _slopes(arr, negative_slope, arr.dtype)


def leaky_relu_backward(grad_out, x, negative_slope=0.01):
    """grad_out times the slope at x (negative_slope at x = 0); dtype of `grad_out`."""
    g, a = np.asarray(grad_out), np.asarray(x)
    if g.shape != a.shape:
        raise ValueError(f"grad_out has shape {g.shape}, x has shape {a.shape}; they must match")
    return g * _slopes(a, negative_slope, g.dtype)
