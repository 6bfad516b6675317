"""Causal mask and scaled dot-product attention (independent implementation).

Attention is computed in float64 with einsum and cast back to the dtype of `q`.
"""

import math
import numbers

import numpy as np


def causal_mask(seq_len):
    """Bool (seq_len, seq_len), True where key j <= query i. See torch.tril."""
    if isinstance(seq_len, (bool, np.bool_)) or not isinstance(seq_len, numbers.Integral):
        raise ValueError(f"seq_len must be an int, got {seq_len!r}")
    if seq_len < 0:
        raise ValueError(f"seq_len={seq_len} must be non-negative")
    idx = np.arange(int(seq_len))
    return idx[:, None] >= idx[None, :]


def _top_left_tril(L, S):
    return np.arange(L)[:, None] >= np.arange(S)[None, :]


def scaled_dot_product_attention(q, k, v, attn_mask=None, is_causal=False):
    """softmax(q k^T / sqrt(E) with blocked pairs at -inf) v, in the dtype of `q`.

    q (..., L, E), k (..., S, E), v (..., S, Ev); attn_mask bool broadcastable to (..., L, S),
    True = may attend; is_causal uses a top-left-aligned lower triangle. See
    torch.nn.functional.scaled_dot_product_attention.
    """
    if attn_mask is not None and is_causal:
        raise ValueError("give either attn_mask or is_causal=True, not both")
    q = np.asarray(q)
    k = np.asarray(k)
    v = np.asarray(v)
    for name, arr in (("q", q), ("k", k), ("v", v)):
        if arr.ndim < 2:
            raise ValueError(f"{name} needs at least 2 dimensions (..., length, features), got shape {arr.shape}")
    L, E = q.shape[-2:]
    S, Ek = k.shape[-2:]
    Sv = v.shape[-2]
    if Ek != E:
        raise ValueError(f"q and k must share the feature size E: q has {E}, k has {Ek}")
    if Sv != S:
        raise ValueError(f"k and v must share the sequence length S: k has {S}, v has {Sv}")

    out_dtype = q.dtype if np.issubdtype(q.dtype, np.floating) else np.dtype(np.float64)
    q64 = q.astype(np.float64, copy=False)
    k64 = k.astype(np.float64, copy=False)
    v64 = v.astype(np.float64, copy=False)

    scores = np.einsum("...le,...se->...ls", q64, k64) / math.sqrt(E)   # (..., L, S)

    allowed = None
    if is_causal:
        allowed = _top_left_tril(L, S)
    elif attn_mask is not None:
        m = np.asarray(attn_mask)
        if m.dtype != np.bool_:
            raise ValueError(f"attn_mask must have dtype bool (True = may attend), got {m.dtype}")
        try:
            joint = np.broadcast_shapes(m.shape, scores.shape)
        except ValueError:
            joint = None
        if joint != scores.shape:
            raise ValueError(f"attn_mask of shape {m.shape} is not broadcastable to the score shape "
                             f"{scores.shape} (..., L={L}, S={S})")
        allowed = m

    if allowed is not None:
        scores = np.where(allowed, scores, -np.inf)

    if S == 0 or scores.size == 0:
        lead = np.broadcast_shapes(scores.shape[:-2], v.shape[:-2])
        return np.zeros(lead + (L, v.shape[-1]), dtype=out_dtype)

    top = np.max(scores, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore"):
        weights = np.exp(scores - top)   # a fully blocked row gives NaN, as in PyTorch's math path
    weights /= np.sum(weights, axis=-1, keepdims=True)
    out = np.einsum("...ls,...sd->...ld", weights, v64)
    return out.astype(out_dtype, copy=False)
