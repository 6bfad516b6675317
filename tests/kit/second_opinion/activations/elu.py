"""ELU, its backward pass and SELU (independent implementation).

Masked assignment instead of np.where, exp(x) - 1 instead of expm1, in the input's own dtype
(float32 arithmetic throughout for float32 input); exp() only ever sees the entries x <= 0.
"""

import numpy as np

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def elu(x, alpha=1.0):
    """x for x > 0, alpha * (exp(x) - 1) otherwise. See torch.nn.functional.elu."""
    out = np.array(x, copy=True)
    neg = out <= 0
    out[neg] = alpha * (np.exp(out[neg]) - 1)
    return out


def elu_backward(grad_out, x, alpha=1.0):
    """grad_out for x > 0, grad_out * alpha * exp(x) otherwise (x = 0 included)."""
    g, a = np.array(grad_out, copy=True), np.asarray(x)
    if g.shape != a.shape:
        raise ValueError(f"grad_out has shape {g.shape}, x has shape {a.shape}; they must match")
    neg = a <= 0
    g[neg] = g[neg] * (alpha * np.exp(a[neg].astype(g.dtype)))
    return g


def selu(x):
    """SELU_SCALE * elu(x, SELU_ALPHA). See torch.nn.functional.selu."""
    out = elu(x, SELU_ALPHA)
    return out * out.dtype.type(SELU_SCALE)
