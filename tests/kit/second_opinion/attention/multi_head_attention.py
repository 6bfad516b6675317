"""Multi-head attention (independent implementation).

Everything in float64 with einsum, one head at a time, one boolean "blocked" table plus one additive
table per (batch element, head); the results are cast back to the dtype of `query`.
"""

import math

import numpy as np


def _as_float_mask(name, mask, shapes):
    m = np.asarray(mask)
    if m.shape not in shapes:
        raise ValueError(f"{name} has shape {m.shape}; expected one of {shapes}")
    if m.dtype == np.bool_:
        return np.where(m, -math.inf, 0.0)
    if not np.issubdtype(m.dtype, np.floating):
        raise ValueError(f"{name} must be bool or floating point, got {m.dtype}")
    return m.astype(np.float64)


def multi_head_attention(query, key, value, num_heads, in_proj_weight, in_proj_bias, out_proj_weight,
                         out_proj_bias, key_padding_mask=None, need_weights=True, attn_mask=None,
                         average_attn_weights=True, is_causal=False):
    """nn.MultiheadAttention(batch_first=True) forward; bool masks True = blocked, float masks added."""
    query, key, value = (np.asarray(a) for a in (query, key, value))
    for name, a in (("query", query), ("key", key), ("value", value)):
        if a.ndim != 3:
            raise ValueError(f"{name} must be (N, length, E), got {a.shape}")
    N, L, E = query.shape
    if key.shape != value.shape:
        raise ValueError(f"key and value shapes differ: {key.shape} vs {value.shape}")
    if key.shape[0] != N or key.shape[2] != E:
        raise ValueError(f"key {key.shape} does not fit query {query.shape}")
    S = key.shape[1]
    if int(num_heads) != num_heads or num_heads <= 0 or E % num_heads != 0:
        raise ValueError(f"embed_dim {E} must be divisible by num_heads {num_heads}")
    H = int(num_heads)
    hd = E // H
    W = np.asarray(in_proj_weight, dtype=np.float64)
    b = np.asarray(in_proj_bias, dtype=np.float64)
    Wo = np.asarray(out_proj_weight, dtype=np.float64)
    bo = np.asarray(out_proj_bias, dtype=np.float64)
    if W.shape != (3 * E, E) or b.shape != (3 * E,) or Wo.shape != (E, E) or bo.shape != (E,):
        raise ValueError(f"projection shapes {W.shape}, {b.shape}, {Wo.shape}, {bo.shape} do not fit E={E}")

    add = np.zeros((N, H, L, S))
    if attn_mask is not None:
        am = _as_float_mask("attn_mask", attn_mask, [(L, S), (N * H, L, S)])
        add = add + (am if am.ndim == 2 else am.reshape(N, H, L, S))
    elif is_causal:
        rows, cols = np.indices((L, S))
        add = add + np.where(cols > rows, -math.inf, 0.0)
    if key_padding_mask is not None:
        kp = _as_float_mask("key_padding_mask", key_padding_mask, [(N, S)])
        add = add + kp[:, None, None, :]

    x_q, x_k, x_v = (a.astype(np.float64) for a in (query, key, value))
    heads = np.empty((N, L, E))
    weights = np.empty((N, H, L, S))
    for h in range(H):
        cols = slice(h * hd, (h + 1) * hd)
        wq, wk, wv = (W[part * E:(part + 1) * E][cols] for part in range(3))
        bq, bk, bv = (b[part * E:(part + 1) * E][cols] for part in range(3))
        qh = np.einsum("nle,de->nld", x_q, wq) + bq
        kh = np.einsum("nse,de->nsd", x_k, wk) + bk
        vh = np.einsum("nse,de->nsd", x_v, wv) + bv
        s = np.einsum("nld,nsd->nls", qh, kh) * (1.0 / math.sqrt(hd)) + add[:, h]
        top = np.max(s, axis=2, keepdims=True)
        with np.errstate(invalid="ignore"):
            p = np.exp(s - top)
        p /= p.sum(axis=2, keepdims=True)
        weights[:, h] = p
        heads[:, :, cols] = np.einsum("nls,nsd->nld", p, vh)

    out = np.einsum("nle,fe->nlf", heads, Wo) + bo
    dtype = query.dtype
    if not need_weights:
        return out.astype(dtype), None
    w = weights.sum(axis=1) / H if average_attn_weights else weights
    return out.astype(dtype), w.astype(dtype)
