"""An embedding table as a one-hot matrix product (independent implementation).

The forward builds the one-hot encoding of the flattened indices, (n, num_embeddings), and
multiplies it by the table; the backward is the transposed product onehot^T @ grad_out, which
adds up the rows of repeated indices by construction. The padding row is masked by a
per-row multiplier rather than by assignment.
"""

import numpy as np


def _indices(input, num_embeddings):
    idx = np.asarray(input)
    if not (np.issubdtype(idx.dtype, np.integer) and idx.dtype != np.bool_):
        raise ValueError(f"input must be an integer array, got {idx.dtype}")
    bad = (idx < 0) | (idx >= num_embeddings)
    if bad.any():
        raise ValueError(f"index {idx[bad].flat[0]} out of range for num_embeddings={num_embeddings}")
    return idx


def _pad(padding_idx, num_embeddings):
    if padding_idx is None:
        return None
    if padding_idx >= num_embeddings or padding_idx < -num_embeddings:
        raise ValueError(f"padding_idx={padding_idx} must be within num_embeddings={num_embeddings}")
    return padding_idx + num_embeddings if padding_idx < 0 else padding_idx


def _one_hot(idx, num_embeddings):
    return (idx.reshape(-1, 1) == np.arange(num_embeddings)).astype(np.float64)  # (n, num)


def embedding(input, weight, padding_idx=None):
    weight = np.asarray(weight)
    if weight.ndim != 2:
        raise ValueError(f"weight must be (num_embeddings, embedding_dim), got {weight.shape}")
    idx = _indices(input, weight.shape[0])
    _pad(padding_idx, weight.shape[0])
    rows = _one_hot(idx, weight.shape[0]) @ weight.astype(np.float64)  # (n, dim)
    return rows.reshape(idx.shape + (weight.shape[1],)).astype(weight.dtype)


def embedding_backward(grad_out, input, num_embeddings, padding_idx=None):
    if int(num_embeddings) != num_embeddings or num_embeddings <= 0:
        raise ValueError(f"num_embeddings must be a positive integer, got {num_embeddings}")
    idx = _indices(input, num_embeddings)
    pad = _pad(padding_idx, num_embeddings)
    g = np.asarray(grad_out)
    if g.ndim != idx.ndim + 1 or g.shape[:-1] != idx.shape:
        raise ValueError(f"grad_out {g.shape} must be input.shape {idx.shape} + (embedding_dim,)")
    grad = _one_hot(idx, num_embeddings).T @ g.reshape(-1, g.shape[-1]).astype(np.float64)  # (num, dim)
    keep = np.ones((num_embeddings, 1))
    if pad is not None:
        keep[pad] = 0.0
    return (grad * keep).astype(g.dtype)
