"""Sigmoid and its backward pass (independent implementation).

The sigmoid is taken through log space: sigmoid(x) = exp(-log(1 + exp(-x))), with np.logaddexp
computing log(exp(0) + exp(-x)) without ever forming exp(-x) where it would overflow.
"""

import numpy as np


def sigmoid(x):
    """1 / (1 + exp(-x)), shape and dtype of `x`. See torch.sigmoid."""
    arr = np.asarray(x)
    softplus_neg = np.logaddexp(np.zeros_like(arr), -arr)  # log(1 + exp(-x)) >= 0
    return np.exp(-softplus_neg)


def sigmoid_backward(grad_out, out):
    """dL/dx = grad_out * (out - out ** 2), with `out` = sigmoid(x)."""
    g, s = np.asarray(grad_out), np.asarray(out)
    if g.shape != s.shape:
        raise ValueError(f"grad_out {g.shape} and out {s.shape} must have the same shape")
    return g * (s - s * s)
