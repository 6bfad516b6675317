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
    # TODO: check the inputs; then two residual blocks (self-attention, feed-forward), the norm after or before each
    raise NotImplementedError("attention.encoder_layer: encoder_layer")


def _multi_head_attention(query, kv, params, prefix, nhead, attn_mask, key_padding_mask):
    """Multi-head attention of query (N, L, E) over kv (N, S, E) with the weights under `prefix`, as
    nn.MultiheadAttention(batch_first=True) computes it; masks as in encoder_layer's docstring."""
    # TODO: project q, k, v with the three row blocks of in_proj; split into heads; masked softmax; merge heads; out_proj
    raise NotImplementedError("attention.encoder_layer: _multi_head_attention")


def _additive_mask(attn_mask, key_padding_mask, N, nhead, L, S, dtype):
    """What to add to the (N, H, L, S) scores: -inf where a bool mask is True, a float mask as it is."""
    # TODO: attn_mask (L, S) or (N*H, L, S) -> (N, H, L, S); key padding (N, S) -> (N, 1, 1, S); add both
    raise NotImplementedError("attention.encoder_layer: _additive_mask")


def _as_added(mask, dtype):
    """A mask as the numbers it adds to the scores: bool True (NOT allowed) -> -inf, False -> 0; floats as they are."""
    # TODO: np.where(mask, -inf, 0) for a bool mask; a float mask unchanged (in the scores' dtype)
    raise NotImplementedError("attention.encoder_layer: _as_added")


def _layer_norm(x, weight, bias, eps):
    """Layer norm over the last axis with the biased variance, as nn.LayerNorm(E, eps=eps)."""
    # TODO: subtract the mean, divide by sqrt(biased variance + eps), then scale and shift
    raise NotImplementedError("attention.encoder_layer: _layer_norm")


def _feed_forward(x, params, activation):
    """linear2(activation(linear1(x))) for x (N, L, E): (N, L, E) -> (N, L, F) -> (N, L, E)."""
    # TODO: linear1, then relu or exact (erf) gelu, then linear2
    raise NotImplementedError("attention.encoder_layer: _feed_forward")


def _check(src, params, nhead, src_mask, src_key_padding_mask, activation):
    """ValueError for bad input, each message naming the argument."""
    # TODO: src 3-D; nhead >= 1 divides E; every key present with its shape; a known activation; mask shapes
    raise NotImplementedError("attention.encoder_layer: _check")
