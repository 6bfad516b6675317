"""ReLU and its backward pass (independent implementation).

The forward clips in float64 and casts back; the backward multiplies by a mask cast to the
gradient's dtype.
"""

import numpy as np


def relu(x):
    """max(x, 0) element by element, shape and dtype of `x`. See torch.relu."""
    arr = np.asarray(x)
    return np.clip(arr.astype(np.float64), 0.0, None).astype(arr.dtype)


def relu_backward(grad_out, x):
    """grad_out where x > 0, 0 elsewhere (x = 0 included); dtype of `grad_out`."""
    g, a = np.asarray(grad_out), np.asarray(x)
    if g.shape != a.shape:
        raise ValueError(f"grad_out has shape {g.shape}, x has shape {a.shape}; they must match")
    return g * (a > 0).astype(g.dtype)
