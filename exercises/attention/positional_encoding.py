"""The sinusoidal positional encoding of "Attention Is All You Need": a fixed table, one row per position."""

import numpy as np


def sinusoidal_positional_encoding(seq_len, d_model):
    """Build the (seq_len, d_model) table of sines and cosines that tells a transformer where each token is.

    Columns come in pairs. Pair i (columns 2i and 2i+1) turns at the angular frequency
    w_i = 1 / 10000^(2i / d_model), so the first pair turns once per radian of position and the
    last pair almost not at all:

        pe[p, 2i]     = sin(p * w_i)
        pe[p, 2i + 1] = cos(p * w_i)

    Positions count from 0, so row 0 is [0, 1, 0, 1, ...].

    Args:
        seq_len: the number of positions (rows), an int >= 0.
        d_model: the embedding size (columns), an even int >= 2.

    Returns:
        A float64 array of shape (seq_len, d_model) with entries in [-1, 1].

    Raises:
        ValueError: if `seq_len` is negative, or `d_model` is smaller than 1 or odd.

    Shapes:
        -> (seq_len, d_model)

    PyTorch: the table every transformer tutorial builds with torch.sin / torch.cos:
        position = torch.arange(seq_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(position * div_term); pe[:, 1::2] = torch.cos(position * div_term)
    """
    # TODO: one angle per (position, column pair), sines in even columns, cosines in odd ones
    raise NotImplementedError("attention.positional_encoding: sinusoidal_positional_encoding")


def _check_sizes(seq_len, d_model):
    if seq_len < 0:
        raise ValueError(f"seq_len={seq_len} must be >= 0")
    if d_model < 1:
        raise ValueError(f"d_model={d_model} must be >= 1")
    if d_model % 2:
        raise ValueError(f"d_model={d_model} must be even: columns come in (sin, cos) pairs")
