"""A transformer decoder layer: masked self-attention, cross-attention on the encoder's memory and a feed-forward block."""

import math

import numpy as np

# The state_dict() keys of nn.TransformerDecoderLayer, with E = d_model and F = dim_feedforward.
PARAM_SHAPES = {
    "self_attn.in_proj_weight": "(3E, E)",
    "self_attn.in_proj_bias": "(3E,)",
    "self_attn.out_proj.weight": "(E, E)",
    "self_attn.out_proj.bias": "(E,)",
    "multihead_attn.in_proj_weight": "(3E, E)",
    "multihead_attn.in_proj_bias": "(3E,)",
    "multihead_attn.out_proj.weight": "(E, E)",
    "multihead_attn.out_proj.bias": "(E,)",
    "linear1.weight": "(F, E)",
    "linear1.bias": "(F,)",
    "linear2.weight": "(E, F)",
    "linear2.bias": "(E,)",
    "norm1.weight": "(E,)",
    "norm1.bias": "(E,)",
    "norm2.weight": "(E,)",
    "norm2.bias": "(E,)",
    "norm3.weight": "(E,)",
    "norm3.bias": "(E,)",
}
ACTIVATIONS = ("relu", "gelu")


def decoder_layer(tgt, memory, params, nhead, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                  memory_key_padding_mask=None, tgt_is_causal=False, activation="relu", norm_first=False, eps=1e-5):
    """One layer of a transformer decoder, as nn.TransformerDecoderLayer computes it (dropout 0, batch first).

    The layer is three blocks, each wrapped in a residual connection and a layer norm:
        sa(x) = multi-head self-attention of x (weights self_attn.*), masked by tgt_mask and
                tgt_key_padding_mask; with tgt_is_causal=True position i sees positions 0..i only
        ca(x) = multi-head cross-attention (weights multihead_attn.*): queries from x, keys and values
                from `memory` (the encoder's output), masked by memory_mask and memory_key_padding_mask
        ff(x) = linear2(activation(linear1(x)))
    post-norm (norm_first=False):
        x = norm1(x + sa(x));  x = norm2(x + ca(x));  x = norm3(x + ff(x))
    pre-norm (norm_first=True):
        x = x + sa(norm1(x));  x = x + ca(norm2(x));  x = x + ff(norm3(x))

    The pieces, written in this file (it imports nothing but NumPy and the standard library):
      - multi-head attention of queries (N, L, E) over keys and values (N, S, E): in_proj_weight (3E, E)
        stacks the q, k and v projections (rows 0..E-1, E..2E-1, 2E..3E-1), with in_proj_bias (3E,); each is
        split into nhead heads of head_dim = E // nhead features; each head computes
        softmax(q k^T / sqrt(head_dim) + mask) v; the heads are put side by side again (N, L, E) and go
        through out_proj (weight (E, E), bias (E,)).
      - masks, as nn.MultiheadAttention reads them: a bool mask is True where attention is NOT allowed
        (the opposite of the core scaled_dot_product_attention) and puts -inf on those scores; a float
        mask is added to the scores. tgt_mask is (L, L) and memory_mask (L, S), or (N * nhead, L, L) and
        (N * nhead, L, S), one per (batch element, head) with the head varying fastest. The key padding
        masks are (N, L) and (N, S): entry [n, j] masks key j for every query of batch element n.
      - tgt_is_causal=True: the self-attention is causal. With tgt_mask None the causal mask (True above
        the diagonal: np.triu(np.ones((L, L), dtype=bool), k=1)) is used; a tgt_mask given with it is
        taken to be that causal mask, as in nn.MultiheadAttention's is_causal.
      - layer norm over the last axis: (x - mean) / sqrt(var + eps) * weight + bias, with the biased
        variance (divide by E, not E - 1).
      - the activation: "relu" is max(x, 0); "gelu" is the exact x * (1 + erf(x / sqrt(2))) / 2
        (math.erf, one element at a time, is allowed).

    Args:
        tgt: the target sequence, (N, L, E), float32 or float64.
        memory: the encoder's output, (N, S, E), in the dtype of tgt.
        params: a dict with exactly the state_dict() keys of nn.TransformerDecoderLayer: for each of
            self_attn and multihead_attn, in_proj_weight (3E, E), in_proj_bias (3E,), out_proj.weight
            (E, E), out_proj.bias (E,); linear1.weight (F, E), linear1.bias (F,), linear2.weight (E, F),
            linear2.bias (E,); norm1, norm2, norm3 .weight and .bias (E,). Not modified.
        nhead: the number of attention heads, an int >= 1 that divides E.
        tgt_mask: None, or a bool or float mask (L, L) or (N * nhead, L, L) on the self-attention scores.
        memory_mask: None, or a bool or float mask (L, S) or (N * nhead, L, S) on the cross-attention scores.
        tgt_key_padding_mask: None, or a bool or float mask (N, L) on the self-attention keys.
        memory_key_padding_mask: None, or a bool or float mask (N, S) on the memory's positions.
        tgt_is_causal: if True, the self-attention is causal (see above).
        activation: "relu" or "gelu".
        norm_first: False for post-norm, True for pre-norm.
        eps: the layer norms' epsilon, added to the variance.

    Returns:
        The layer's output, (N, L, E), in the dtype of tgt.

    Raises:
        ValueError: if tgt or memory is not 3-D, they differ in N or E, nhead does not divide E (or is
            < 1), a key of params is missing or has the wrong shape, activation is not "relu" or "gelu",
            or a mask has the wrong shape.

    Shapes:
        tgt: (N, L, E), memory: (N, S, E), tgt_mask: (L, L), memory_mask: (L, S),
        tgt_key_padding_mask: (N, L), memory_key_padding_mask: (N, S) -> (N, L, E)

    PyTorch: nn.TransformerDecoderLayer(E, nhead, F, dropout=0.0, activation=activation, batch_first=True,
        norm_first=norm_first, layer_norm_eps=eps) with load_state_dict(params), called as
        layer(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask,
        tgt_is_causal=tgt_is_causal) (torch wants the causal tgt_mask passed along with tgt_is_causal=True)
    """
    # BEGIN SOLUTION: check the inputs; the causal mask if asked; three residual blocks (self-attention, cross-attention on memory, feed-forward)
    _check(tgt, memory, params, nhead, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask,
           activation)
    p = params
    L = tgt.shape[1]
    if tgt_is_causal and tgt_mask is None:
        tgt_mask = np.triu(np.ones((L, L), dtype=bool), k=1)  # (L, L): True above the diagonal = the future, blocked

    def norm(x, name):
        return _layer_norm(x, p[f"{name}.weight"], p[f"{name}.bias"], eps)  # (N, L, E)

    def sa(x):
        return _multi_head_attention(x, x, p, "self_attn.", nhead, tgt_mask, tgt_key_padding_mask)  # (N, L, E)

    def ca(x):  # queries from x, keys and values from the memory
        return _multi_head_attention(x, memory, p, "multihead_attn.", nhead, memory_mask,
                                     memory_key_padding_mask)  # (N, L, E)

    def ff(x):
        return _feed_forward(x, p, activation)  # (N, L, E)

    x = tgt
    if norm_first:
        x = x + sa(norm(x, "norm1"))
        x = x + ca(norm(x, "norm2"))
        x = x + ff(norm(x, "norm3"))
    else:
        x = norm(x + sa(x), "norm1")
        x = norm(x + ca(x), "norm2")
        x = norm(x + ff(x), "norm3")
    return x.astype(tgt.dtype, copy=False)
    # END SOLUTION


def _multi_head_attention(query, kv, params, prefix, nhead, attn_mask, key_padding_mask):
    """Multi-head attention of query (N, L, E) over kv (N, S, E) with the weights under `prefix`, as
    nn.MultiheadAttention(batch_first=True) computes it; masks as in decoder_layer's docstring."""
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


def _check(tgt, memory, params, nhead, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask,
           activation):
    """ValueError for bad input, each message naming the argument."""
    # BEGIN SOLUTION: tgt and memory 3-D with the same N and E; nhead >= 1 divides E; every key present with its shape; a known activation; mask shapes
    for name, x in (("tgt", tgt), ("memory", memory)):
        if np.ndim(x) != 3:
            raise ValueError(f"{name} must be 3-D (N, length, E) (batch first), got shape {np.shape(x)}")
    N, L, E = tgt.shape
    S = memory.shape[1]
    if (memory.shape[0], memory.shape[2]) != (N, E):
        raise ValueError(f"memory of shape {memory.shape} must be (N, S, E) with N={N} and E={E} from tgt {tgt.shape}")
    if nhead < 1 or E % nhead:
        raise ValueError(f"nhead={nhead} must be >= 1 and divide d_model E={E}")
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    missing = [key for key in PARAM_SHAPES if key not in params]
    if missing:
        raise ValueError(f"params is missing the keys {missing} (it needs the state_dict() keys of "
                         "nn.TransformerDecoderLayer)")
    F = np.shape(params["linear1.weight"])[0] if np.ndim(params["linear1.weight"]) == 2 else -1
    sizes = {"3E": 3 * E, "E": E, "F": F}
    for key, layout in PARAM_SHAPES.items():
        want = tuple(sizes[d] for d in layout.strip("(,)").replace(" ", "").split(",") if d)
        if np.shape(params[key]) != want:
            raise ValueError(f"params[{key!r}] must have shape {layout} = {want} with E={E}, "
                             f"got {np.shape(params[key])}")
    for name, mask, keys in (("tgt_mask", tgt_mask, L), ("memory_mask", memory_mask, S)):
        if mask is not None and np.shape(mask) not in ((L, keys), (N * nhead, L, keys)):
            raise ValueError(f"{name} must have shape {(L, keys)} or (N * nhead, L, {keys}) = "
                             f"{(N * nhead, L, keys)}, got {np.shape(mask)}")
    for name, mask, keys in (("tgt_key_padding_mask", tgt_key_padding_mask, L),
                             ("memory_key_padding_mask", memory_key_padding_mask, S)):
        if mask is not None and np.shape(mask) != (N, keys):
            raise ValueError(f"{name} must have shape (N, {keys}) = {(N, keys)}, got {np.shape(mask)}")
    # END SOLUTION
