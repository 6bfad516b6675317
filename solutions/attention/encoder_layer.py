"""A transformer encoder layer: multi-head self-attention and a feed-forward block, each with a residual and a layer norm."""

import math

import numpy as np

# The state_dict() keys of nn.TransformerEncoderLayer, with E = d_model and F = dim_feedforward.
PARAM_SHAPES = {
    "self_attn.in_proj_weight": "(3E, E)",
    "self_attn.in_proj_bias": "(3E,)",
    "self_attn.out_proj.weight": "(E, E)",
    "self_attn.out_proj.bias": "(E,)",
    "linear1.weight": "(F, E)",
    "linear1.bias": "(F,)",
    "linear2.weight": "(E, F)",
    "linear2.bias": "(E,)",
    "norm1.weight": "(E,)",
    "norm1.bias": "(E,)",
    "norm2.weight": "(E,)",
    "norm2.bias": "(E,)",
}
ACTIVATIONS = ("relu", "gelu")


def encoder_layer(src, params, nhead, src_mask=None, src_key_padding_mask=None, activation="relu",
                  norm_first=False, eps=1e-5):
    """One layer of a transformer encoder, as nn.TransformerEncoderLayer computes it (dropout 0, batch first).

    The layer is two blocks, each wrapped in a residual connection and a layer norm:
        sa(x) = multi-head self-attention of x (queries, keys and values all x), then out_proj
        ff(x) = linear2(activation(linear1(x)))
    post-norm (norm_first=False, the original transformer):
        x = norm1(x + sa(x));  x = norm2(x + ff(x))
    pre-norm (norm_first=True):
        x = x + sa(norm1(x));  x = x + ff(norm2(x))

    The pieces, written in this file (it imports nothing but NumPy and the standard library):
      - multi-head attention: self_attn.in_proj_weight (3E, E) stacks the q, k and v projections (rows
        0..E-1, E..2E-1, 2E..3E-1), with in_proj_bias (3E,). Each projection is split into nhead heads of
        head_dim = E // nhead features; each head computes softmax(q k^T / sqrt(head_dim) + mask) v; the
        heads are put side by side again (N, L, E) and go through out_proj (weight (E, E), bias (E,)).
      - masks, as nn.MultiheadAttention reads them: a bool mask is True where attention is NOT allowed
        (the opposite of the core scaled_dot_product_attention) and puts -inf on those scores; a float
        mask is added to the scores. src_mask is (L, L), shared by the batch and the heads, or
        (N * nhead, L, L), one per (batch element, head) with the head varying fastest.
        src_key_padding_mask is (N, L): entry [n, j] masks key j for every query of batch element n.
      - layer norm over the last axis: (x - mean) / sqrt(var + eps) * weight + bias, with the biased
        variance (divide by E, not E - 1).
      - the activation: "relu" is max(x, 0); "gelu" is the exact x * (1 + erf(x / sqrt(2))) / 2
        (math.erf, one element at a time, is allowed).

    Args:
        src: the input sequence, (N, L, E), float32 or float64.
        params: a dict with exactly the state_dict() keys of nn.TransformerEncoderLayer:
            self_attn.in_proj_weight (3E, E), self_attn.in_proj_bias (3E,), self_attn.out_proj.weight
            (E, E), self_attn.out_proj.bias (E,), linear1.weight (F, E), linear1.bias (F,),
            linear2.weight (E, F), linear2.bias (E,), norm1.weight, norm1.bias, norm2.weight and
            norm2.bias (E,). Not modified.
        nhead: the number of attention heads, an int >= 1 that divides E.
        src_mask: None, or a bool or float mask (L, L) or (N * nhead, L, L) on the attention scores.
        src_key_padding_mask: None, or a bool or float mask (N, L) on the keys.
        activation: "relu" or "gelu".
        norm_first: False for post-norm, True for pre-norm.
        eps: the layer norms' epsilon, added to the variance.

    Returns:
        The layer's output, (N, L, E), in the dtype of src.

    Raises:
        ValueError: if src is not 3-D (N, L, E), nhead does not divide E (or is < 1), a key of params
            is missing or has the wrong shape, activation is not "relu" or "gelu", or a mask has the
            wrong shape.

    Shapes:
        src: (N, L, E), src_mask: (L, L) or (N * nhead, L, L), src_key_padding_mask: (N, L) -> (N, L, E)

    PyTorch: nn.TransformerEncoderLayer(E, nhead, F, dropout=0.0, activation=activation, batch_first=True,
        norm_first=norm_first, layer_norm_eps=eps) with load_state_dict(params), called as
        layer(src, src_mask=src_mask, src_key_padding_mask=src_key_padding_mask)
    """
    # BEGIN SOLUTION: check the inputs; then two residual blocks (self-attention, feed-forward), the norm after or before each
    _check(src, params, nhead, src_mask, src_key_padding_mask, activation)
    p = params

    def norm(x, name):
        return _layer_norm(x, p[f"{name}.weight"], p[f"{name}.bias"], eps)  # (N, L, E)

    def sa(x):
        return _multi_head_attention(x, x, p, "self_attn.", nhead, src_mask, src_key_padding_mask)  # (N, L, E)

    def ff(x):
        return _feed_forward(x, p, activation)  # (N, L, E)

    x = src
    if norm_first:
        x = x + sa(norm(x, "norm1"))
        x = x + ff(norm(x, "norm2"))
    else:
        x = norm(x + sa(x), "norm1")
        x = norm(x + ff(x), "norm2")
    return x.astype(src.dtype, copy=False)
    # END SOLUTION


def _multi_head_attention(query, kv, params, prefix, nhead, attn_mask, key_padding_mask):
    """Multi-head attention of query (N, L, E) over kv (N, S, E) with the weights under `prefix`, as
    nn.MultiheadAttention(batch_first=True) computes it; masks as in encoder_layer's docstring."""
    # BEGIN SOLUTION: project q, k, v with the three row blocks of in_proj; split into heads; masked softmax; merge heads; out_proj
    N, L, E = query.shape
    S = kv.shape[1]
    hd = E // nhead
    w, b = params[prefix + "in_proj_weight"], params[prefix + "in_proj_bias"]
    q = query @ w[:E].T + b[:E]  # (N, L, E)
    k = kv @ w[E:2 * E].T + b[E:2 * E]  # (N, S, E)
    v = kv @ w[2 * E:].T + b[2 * E:]  # (N, S, E)
    q = q.reshape(N, L, nhead, hd).transpose(0, 2, 1, 3)  # (N, H, L, hd)
    k = k.reshape(N, S, nhead, hd).transpose(0, 2, 1, 3)  # (N, H, S, hd)
    v = v.reshape(N, S, nhead, hd).transpose(0, 2, 1, 3)  # (N, H, S, hd)
    scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(hd)  # (N, H, L, S): the scale is per head
    scores = scores + _additive_mask(attn_mask, key_padding_mask, N, nhead, L, S, scores.dtype)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))  # (N, H, L, S); masked keys give exp(-inf) = 0
    weights = e / e.sum(axis=-1, keepdims=True)  # (N, H, L, S): each query's weights sum to 1 over the keys
    out = (weights @ v).transpose(0, 2, 1, 3).reshape(N, L, E)  # (N, H, L, hd) -> (N, L, H, hd) -> (N, L, E)
    return out @ params[prefix + "out_proj.weight"].T + params[prefix + "out_proj.bias"]  # (N, L, E)
    # END SOLUTION


def _additive_mask(attn_mask, key_padding_mask, N, nhead, L, S, dtype):
    """What to add to the (N, H, L, S) scores: -inf where a bool mask is True, a float mask as it is."""
    # BEGIN SOLUTION: attn_mask (L, S) or (N*H, L, S) -> (N, H, L, S); key padding (N, S) -> (N, 1, 1, S); add both
    total = np.zeros((1, 1, L, S), dtype=dtype)  # (1, 1, L, S)
    if attn_mask is not None:
        add = _as_added(attn_mask, dtype)  # (L, S) or (N * H, L, S)
        total = total + (add if add.ndim == 2 else add.reshape(N, nhead, L, S))  # head varies fastest
    if key_padding_mask is not None:
        total = total + _as_added(key_padding_mask, dtype).reshape(N, 1, 1, S)  # the same keys for every query
    return total  # broadcasts against (N, H, L, S)
    # END SOLUTION


def _as_added(mask, dtype):
    """A mask as the numbers it adds to the scores: bool True (NOT allowed) -> -inf, False -> 0; floats as they are."""
    # BEGIN SOLUTION: np.where(mask, -inf, 0) for a bool mask; a float mask unchanged (in the scores' dtype)
    mask = np.asarray(mask)
    added = np.where(mask, -np.inf, 0.0) if mask.dtype == bool else mask  # True = NOT allowed
    return added.astype(dtype, copy=False)
    # END SOLUTION


def _layer_norm(x, weight, bias, eps):
    """Layer norm over the last axis with the biased variance, as nn.LayerNorm(E, eps=eps)."""
    # BEGIN SOLUTION: subtract the mean, divide by sqrt(biased variance + eps), then scale and shift
    mean = x.mean(axis=-1, keepdims=True)  # (N, L, 1)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)  # (N, L, 1): divide by E, not E - 1
    return (x - mean) / np.sqrt(var + eps) * weight + bias  # (N, L, E)
    # END SOLUTION


def _feed_forward(x, params, activation):
    """linear2(activation(linear1(x))) for x (N, L, E): (N, L, E) -> (N, L, F) -> (N, L, E)."""
    # BEGIN SOLUTION: linear1, then relu or exact (erf) gelu, then linear2
    h = x @ params["linear1.weight"].T + params["linear1.bias"]  # (N, L, F)
    if activation == "relu":
        h = np.maximum(h, 0)
    else:
        erf = np.vectorize(math.erf, otypes=[np.float64])(h / math.sqrt(2)).astype(h.dtype)  # (N, L, F)
        h = 0.5 * h * (1 + erf)
    return h @ params["linear2.weight"].T + params["linear2.bias"]  # (N, L, E)
    # END SOLUTION


def _check(src, params, nhead, src_mask, src_key_padding_mask, activation):
    """ValueError for bad input, each message naming the argument."""
    # BEGIN SOLUTION: src 3-D; nhead >= 1 divides E; every key present with its shape; a known activation; mask shapes
    if np.ndim(src) != 3:
        raise ValueError(f"src must be 3-D (N, L, E) (batch first), got shape {np.shape(src)}")
    N, L, E = src.shape
    if nhead < 1 or E % nhead:
        raise ValueError(f"nhead={nhead} must be >= 1 and divide d_model E={E}")
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    missing = [key for key in PARAM_SHAPES if key not in params]
    if missing:
        raise ValueError(f"params is missing the keys {missing} (it needs the state_dict() keys of "
                         "nn.TransformerEncoderLayer)")
    F = np.shape(params["linear1.weight"])[0] if np.ndim(params["linear1.weight"]) == 2 else -1
    sizes = {"3E": 3 * E, "E": E, "F": F}
    for key, layout in PARAM_SHAPES.items():
        want = tuple(sizes[d] for d in layout.strip("(,)").replace(" ", "").split(",") if d)
        if np.shape(params[key]) != want:
            raise ValueError(f"params[{key!r}] must have shape {layout} = {want} with E={E}, "
                             f"got {np.shape(params[key])}")
    if src_mask is not None and np.shape(src_mask) not in ((L, L), (N * nhead, L, L)):
        raise ValueError(f"src_mask must have shape (L, L) = {(L, L)} or (N * nhead, L, L) = {(N * nhead, L, L)}, "
                         f"got {np.shape(src_mask)}")
    if src_key_padding_mask is not None and np.shape(src_key_padding_mask) != (N, L):
        raise ValueError(f"src_key_padding_mask must have shape (N, L) = {(N, L)}, got {np.shape(src_key_padding_mask)}")
    # END SOLUTION
