"""The sinusoidal positional encoding table (independent implementation)."""

import numbers

import numpy as np


def _int_arg(value, name):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an int, got {value!r}")
    return int(value)


def sinusoidal_positional_encoding(seq_len, d_model):
    """pe[p, 2i] = sin(p * w_i), pe[p, 2i+1] = cos(p * w_i), w_i = 10000^(-2i/d_model).

    Returns a float64 (seq_len, d_model) array. Raises ValueError for a negative `seq_len`
    or a `d_model` below 1 or odd.
    """
    d_model = _int_arg(d_model, "d_model")
    seq_len = _int_arg(seq_len, "seq_len")
    if d_model < 1:
        raise ValueError(f"d_model={d_model} must be at least 1 (and even)")
    if d_model % 2 != 0:
        raise ValueError(f"d_model={d_model} must be even: every frequency fills a (sin, cos) pair")
    if seq_len < 0:
        raise ValueError(f"seq_len={seq_len} must be non-negative")

    half = d_model // 2
    pe = np.empty((seq_len, half, 2), dtype=np.float64)
    even_cols = 2.0 * np.arange(half, dtype=np.float64)            # 2i
    freq = np.power(10000.0, -even_cols / d_model)                # w_i
    angle = np.multiply.outer(np.arange(seq_len, dtype=np.float64), freq)  # (seq_len, half)
    pe[:, :, 0] = np.sin(angle)
    pe[:, :, 1] = np.cos(angle)
    return pe.reshape(seq_len, d_model)
