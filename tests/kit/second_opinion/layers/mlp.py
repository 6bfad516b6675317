"""Linear -> activation -> Linear (independent implementation).

Leading axes flattened into one, products with einsum in float64, the result cast back to x's dtype;
the exact GELU from math.erf over a flat list.
"""

import math

import numpy as np


def _gelu(z):
    flat = [v * 0.5 * (1.0 + math.erf(v / math.sqrt(2.0))) for v in z.ravel().tolist()]
    return np.array(flat, dtype=np.float64).reshape(z.shape)


_ACTS = {"relu": lambda z: np.where(z > 0, z, 0.0), "tanh": np.tanh, "gelu": _gelu}


def mlp(x, params, activation="relu"):
    if activation not in _ACTS:
        raise ValueError(f"unknown activation {activation!r}; use relu, gelu or tanh")
    w_first = np.asarray(params["0.weight"], dtype=np.float64)
    w_second = np.asarray(params["2.weight"], dtype=np.float64)
    if np.ndim(x) < 1 or np.shape(x)[-1] != w_first.shape[1]:
        raise ValueError(f"x of shape {np.shape(x)} does not fit 0.weight of shape {w_first.shape}")
    if w_second.shape[1] != w_first.shape[0]:
        raise ValueError(f"2.weight {w_second.shape} does not take 0.weight's {w_first.shape[0]} outputs")
    lead = np.shape(x)[:-1]
    rows = np.asarray(x, dtype=np.float64).reshape(-1, w_first.shape[1])
    hidden = _ACTS[activation](np.einsum("ni,hi->nh", rows, w_first) + np.asarray(params["0.bias"], np.float64))
    out = np.einsum("nh,oh->no", hidden, w_second) + np.asarray(params["2.bias"], np.float64)
    return out.reshape(lead + (w_second.shape[0],)).astype(np.asarray(x).dtype)
