"""The causal mask and scaled dot-product attention with an optional boolean mask."""

import numpy as np


def causal_mask(seq_len):
    """The mask that lets position i attend to positions 0..i and hides every later one.

    Entry [i, j] is True when query i may look at key j, that is when j <= i: the lower
    triangle including the diagonal (every token sees itself).

    Args:
        seq_len: the sequence length, an int >= 0.

    Returns:
        A bool array of shape (seq_len, seq_len), True on and below the diagonal.

    Raises:
        ValueError: if `seq_len` is negative.

    Shapes:
        -> (seq_len, seq_len)

    PyTorch: torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool))
    """
    # TODO: True where the key index j is at most the query index i
    raise NotImplementedError("attention.causal_mask: causal_mask")


def scaled_dot_product_attention(q, k, v, attn_mask=None, is_causal=False):
    """softmax(q @ k^T / sqrt(E)) @ v, where masked-out keys get no weight at all.

    Each query is compared with every key; the scores of one query are turned into weights over
    the keys by a softmax (each row of weights sums to 1), and the output is the weighted average
    of the values. A blocked (query, key) pair gets the score -inf before the softmax, so its
    weight is exactly 0 and the remaining weights still sum to 1.

    Args:
        q: queries, shape (..., L, E), float32 or float64.
        k: keys, shape (..., S, E), same dtype and batch dimensions as `q`.
        v: values, shape (..., S, Ev), same dtype and batch dimensions as `q`.
        attn_mask: None, or a bool array broadcastable to (..., L, S): True where query i may
            attend to key j. Every query must keep at least one key.
        is_causal: if True, query i may attend to keys 0..i only: the mask
            np.tril(np.ones((L, S), dtype=bool)), aligned to the top-left corner even when L != S.
            Do not pass `attn_mask` as well.

    Returns:
        The attention output, shape (..., L, Ev), in the dtype of `q`.

    Raises:
        ValueError: if `q` and `k` differ in their last dimension (E), if `k` and `v` differ in
            sequence length (S), if an input has fewer than 2 dimensions, if `attn_mask` is not
            bool or not broadcastable to (..., L, S), or if both `attn_mask` and `is_causal` are given.

    Shapes:
        q: (..., L, E), k: (..., S, E), v: (..., S, Ev), attn_mask: (..., L, S) -> (..., L, Ev)

    PyTorch: torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask,
        is_causal=is_causal)
    """
    # TODO: scores, mask with -inf, a max-shifted softmax over the keys, weighted sum of v
    raise NotImplementedError("attention.causal_mask: scaled_dot_product_attention")


def _check_inputs(q, k, v, attn_mask, is_causal):
    for name, x in (("q", q), ("k", k), ("v", v)):
        if np.ndim(x) < 2:
            raise ValueError(f"{name} must have at least 2 dimensions (..., length, features), got shape {np.shape(x)}")
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(f"q has E={q.shape[-1]} features but k has {k.shape[-1]}: the last dimensions must agree")
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(f"k has S={k.shape[-2]} positions but v has {v.shape[-2]}: each key needs one value")
    if attn_mask is None:
        return
    if is_causal:
        raise ValueError("attn_mask must be None when is_causal=True")
    if np.asarray(attn_mask).dtype != bool:
        raise ValueError(f"attn_mask must be a bool array (True = may attend), got dtype {np.asarray(attn_mask).dtype}")
    L, S = q.shape[-2], k.shape[-2]
    mask_shape = np.shape(attn_mask)
    if any(m not in (1, n) for m, n in zip(mask_shape[::-1], (S, L))):
        raise ValueError(f"attn_mask of shape {mask_shape} does not broadcast to (..., L={L}, S={S})")
