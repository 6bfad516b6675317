"""Multi-head attention as nn.MultiheadAttention(batch_first=True) computes it: projections, heads, masks, weights."""

import numpy as np


def multi_head_attention(query, key, value, num_heads, in_proj_weight, in_proj_bias, out_proj_weight,
                         out_proj_bias, key_padding_mask=None, need_weights=True, attn_mask=None,
                         average_attn_weights=True, is_causal=False):
    """Attention run num_heads times in parallel on slices of the features, then mixed by a projection.

    The queries, keys and values are projected with the three (E, E) blocks of `in_proj_weight`,
    taken in the order q, k, v (rows 0:E, E:2E, 2E:3E) with the matching slices of `in_proj_bias`.
    Each projection is split into num_heads heads of head_dim = E // num_heads features (head h
    takes features h * head_dim to (h + 1) * head_dim). In each head,
    weights = softmax(q_h @ k_h^T / sqrt(head_dim) + mask) over the keys and the head's output is
    weights @ v_h. The heads are put back side by side, (N, L, E), and projected by
    out_proj_weight and out_proj_bias.

    Masks follow torch's nn.MultiheadAttention, NOT F.scaled_dot_product_attention: a bool mask is
    True where attention is NOT allowed (the score becomes -inf); a float mask is added to the
    scores. A query whose every key is blocked gets NaN weights and output, as in torch.

    Args:
        query: (N, L, E), float32 or float64.
        key: (N, S, E), same dtype.
        value: (N, S, E), same shape as `key`.
        num_heads: the number of heads, an int >= 1 that divides E.
        in_proj_weight: (3E, E), the q, k and v projection weights stacked along the rows.
        in_proj_bias: (3E,), the q, k and v biases stacked.
        out_proj_weight: (E, E), the output projection, applied as x @ out_proj_weight.T.
        out_proj_bias: (E,).
        key_padding_mask: None, or (N, S): bool, True where key j of batch element n is padding
            (ignored by every query and every head), or float, added to the scores of that key.
        need_weights: if True, return the attention weights too; if False, return None for them.
        attn_mask: None, or (L, S) shared by the whole batch, or (N * num_heads, L, S), one mask per
            batch element and head (index n * num_heads + h). Bool, True = may NOT attend, or float,
            added to the scores. With a key_padding_mask as well, both apply.
        average_attn_weights: if True, the returned weights are averaged over the heads, (N, L, S);
            if False they are given per head, (N, num_heads, L, S).
        is_causal: if True, the attention is causal: without `attn_mask`, query i may attend to keys
            0..i only (the bool mask np.triu(np.ones((L, S), dtype=bool), k=1) blocks the rest,
            aligned to the top-left corner as in F.scaled_dot_product_attention); with `attn_mask`,
            that mask is taken to be the causal mask and applied as given.

    Returns:
        (attn_output, attn_weights): attn_output (N, L, E); attn_weights (N, L, S) or
        (N, num_heads, L, S), or None when need_weights is False. Both in the dtype of `query`.

    Raises:
        ValueError: if num_heads does not divide E (or is < 1), if query, key or value is not 3-D,
            if key and value differ in shape, if key's batch size or E differs from query's, if a
            projection has the wrong shape, or if a mask has the wrong shape or is neither bool
            nor float.

    Shapes:
        query: (N, L, E), key: (N, S, E), value: (N, S, E) -> (N, L, E), (N, L, S) or (N, H, L, S)

    PyTorch:
        mha = nn.MultiheadAttention(E, num_heads, batch_first=True)  # weights set to these arrays
        mha(query, key, value, key_padding_mask=key_padding_mask, need_weights=need_weights,
            attn_mask=attn_mask, average_attn_weights=average_attn_weights, is_causal=is_causal)
        (torch requires attn_mask with is_causal=True; here it may be left out)
    """
    # BEGIN SOLUTION: project q, k, v; split into heads; masked softmax per head; merge; project out
    _check(query, key, value, num_heads, in_proj_weight, in_proj_bias, out_proj_weight, out_proj_bias,
           key_padding_mask, attn_mask)
    (N, L, E), S = query.shape, key.shape[1]
    if num_heads < 1 or E % num_heads:
        raise ValueError(f"num_heads={num_heads} must be a positive int that divides the embedding size E={E}")
    head_dim = E // num_heads
    w_q, w_k, w_v = in_proj_weight[:E], in_proj_weight[E:2 * E], in_proj_weight[2 * E:]  # (E, E) each
    b_q, b_k, b_v = in_proj_bias[:E], in_proj_bias[E:2 * E], in_proj_bias[2 * E:]  # (E,) each
    q = _split_heads(query @ w_q.T + b_q, num_heads)  # (N, H, L, head_dim)
    k = _split_heads(key @ w_k.T + b_k, num_heads)  # (N, H, S, head_dim)
    v = _split_heads(value @ w_v.T + b_v, num_heads)  # (N, H, S, head_dim)

    scores = q @ np.swapaxes(k, -1, -2) / head_dim ** 0.5  # (N, H, L, S): scaled by the HEAD size
    if is_causal and attn_mask is None:
        attn_mask = np.triu(np.ones((L, S), dtype=bool), k=1)  # (L, S), True above the diagonal = blocked
    if attn_mask is not None:
        mask = _additive(attn_mask, scores.dtype)  # (L, S) or (N * H, L, S)
        if mask.ndim == 3:
            mask = mask.reshape(N, num_heads, L, S)  # row n * H + h is batch element n, head h
        scores = scores + mask  # (N, H, L, S)
    if key_padding_mask is not None:
        scores = scores + _additive(key_padding_mask, scores.dtype)[:, None, None, :]  # (N, 1, 1, S): keys only
    weights = _softmax_last(scores)  # (N, H, L, S): each query's weights over the keys sum to 1

    heads = weights @ v  # (N, H, L, head_dim)
    merged = heads.transpose(0, 2, 1, 3).reshape(N, L, E)  # (N, L, H, head_dim) -> (N, L, E)
    out = (merged @ out_proj_weight.T + out_proj_bias).astype(query.dtype, copy=False)  # (N, L, E)
    if not need_weights:
        return out, None
    if average_attn_weights:
        weights = weights.mean(axis=1)  # (N, L, S): the mean over the heads
    return out, weights.astype(query.dtype, copy=False)
    # END SOLUTION


def _split_heads(x, num_heads):
    """(N, T, E) -> (N, num_heads, T, head_dim): head h gets features h * head_dim .. (h + 1) * head_dim - 1."""
    # BEGIN SOLUTION: cut the feature axis into (num_heads, head_dim), then move the head axis before T
    N, T, E = x.shape
    return x.reshape(N, T, num_heads, E // num_heads).transpose(0, 2, 1, 3)  # (N, T, H, hd) -> (N, H, T, hd)
    # END SOLUTION


def _additive(mask, dtype):
    """A mask as numbers to add to the scores: bool True (blocked) -> -inf, False -> 0; a float mask as it is."""
    # BEGIN SOLUTION: -inf where a bool mask is True, 0 where False; a float mask is already additive
    mask = np.asarray(mask)
    if mask.dtype == bool:
        return np.where(mask, -np.inf, 0.0).astype(dtype)  # blocked keys get exp(-inf) = 0
    return mask.astype(dtype, copy=False)
    # END SOLUTION


def _softmax_last(scores):
    """softmax over the last axis, shifted by the maximum so exp() cannot overflow."""
    # BEGIN SOLUTION: subtract each row's maximum, exponentiate, divide by the row's sum
    with np.errstate(invalid="ignore"):  # a row with every key blocked is -inf - -inf = NaN, as in torch
        e = np.exp(scores - scores.max(axis=-1, keepdims=True))  # (..., S)
    return e / e.sum(axis=-1, keepdims=True)  # (..., S)
    # END SOLUTION


def _check(query, key, value, num_heads, in_proj_weight, in_proj_bias, out_proj_weight, out_proj_bias,
           key_padding_mask, attn_mask):
    for name, x in (("query", query), ("key", key), ("value", value)):
        if np.ndim(x) != 3:
            raise ValueError(f"{name} must be 3-D (N, length, E), batch first, got shape {np.shape(x)}")
    (N, L, E), (Nk, S, Ek) = query.shape, key.shape
    if key.shape != value.shape:
        raise ValueError(f"key {key.shape} and value {value.shape} must have the same shape (N, S, E)")
    if (Nk, Ek) != (N, E):
        raise ValueError(f"key {key.shape} must have the batch size N={N} and the embedding size E={E} of query")
    for name, w, shape in (("in_proj_weight", in_proj_weight, (3 * E, E)), ("in_proj_bias", in_proj_bias, (3 * E,)),
                           ("out_proj_weight", out_proj_weight, (E, E)), ("out_proj_bias", out_proj_bias, (E,))):
        if np.shape(w) != shape:
            raise ValueError(f"{name} must have shape {shape} for E={E}, got {np.shape(w)}")
    masks = (("key_padding_mask", key_padding_mask, [(N, S)]),
             ("attn_mask", attn_mask, [(L, S), (N * num_heads, L, S)]))
    for name, mask, shapes in masks:
        if mask is None:
            continue
        kind = np.asarray(mask).dtype
        if kind != bool and kind.kind != "f":
            raise ValueError(f"{name} must be bool (True = not allowed) or float (added), got dtype {kind}")
        if np.shape(mask) not in shapes:
            raise ValueError(f"{name} must have shape {' or '.join(map(str, shapes))}, got {np.shape(mask)}")
