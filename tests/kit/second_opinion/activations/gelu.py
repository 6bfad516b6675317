"""GELU and its backward pass, exact and tanh-approximated (independent implementation).

The exact form goes element by element through math.erf and math.exp in float64; the tanh form
writes tanh(u) as 2 * sigmoid(2u) - 1 with a stable sigmoid, and its derivative 1 - tanh(u)^2 as
4 * s * (1 - s), all in the input's dtype.
"""

import math

import numpy as np

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def _approximate(value):
    if value not in ("none", "tanh"):
        raise ValueError(f"approximate must be 'none' or 'tanh', got {value!r}")
    return value


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def _elementwise(fn, x):
    flat = [fn(float(v)) for v in np.asarray(x, dtype=np.float64).ravel()]
    return np.array(flat, dtype=np.float64).reshape(np.shape(x))


def gelu(x, approximate="none"):
    """x * Phi(x), exact or with the tanh approximation. See torch.nn.functional.gelu."""
    arr = np.asarray(x)
    if _approximate(approximate) == "tanh":
        u = SQRT_2_OVER_PI * (arr + 0.044715 * arr * arr * arr)
        return arr * _sigmoid(2 * u)  # 0.5 * (1 + tanh(u)) == sigmoid(2u)
    return _elementwise(lambda v: 0.5 * v * math.erfc(-v / math.sqrt(2.0)), arr).astype(arr.dtype)


def gelu_backward(grad_out, x, approximate="none"):
    """dL/dx = grad_out * d/dx [x * Phi(x)]."""
    g, arr = np.asarray(grad_out), np.asarray(x)
    mode = _approximate(approximate)
    if g.shape != arr.shape:
        raise ValueError(f"grad_out {g.shape} and x {arr.shape} must have the same shape")
    if mode == "tanh":
        u = SQRT_2_OVER_PI * (arr + 0.044715 * arr * arr * arr)
        s = _sigmoid(2 * u)
        du = SQRT_2_OVER_PI * (1 + 0.134145 * arr * arr)
        return g * (s + arr * 2 * s * (1 - s) * du)  # d/dx [x * s(2u)] = s + x * 2 s (1 - s) du
    slope = _elementwise(lambda v: 0.5 * math.erfc(-v / math.sqrt(2.0))
                         + v * math.exp(-0.5 * v * v) / math.sqrt(2.0 * math.pi), arr)
    return (g * slope).astype(g.dtype)
