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
    # TODO: check the inputs; the causal mask if asked; three residual blocks (self-attention, cross-attention on memory, feed-forward)
    raise NotImplementedError("attention.decoder_layer: decoder_layer")


def _multi_head_attention(query, kv, params, prefix, nhead, attn_mask, key_padding_mask):
    """Multi-head attention of query (N, L, E) over kv (N, S, E) with the weights under `prefix`, as
    nn.MultiheadAttention(batch_first=True) computes it; masks as in decoder_layer's docstring."""
    # TODO: project q, k, v with the three row blocks of in_proj; split into heads; masked softmax; merge heads; out_proj
    raise NotImplementedError("attention.decoder_layer: _multi_head_attention")


def _additive_mask(attn_mask, key_padding_mask, N, nhead, L, S, dtype):
    """What to add to the (N, H, L, S) scores: -inf where a bool mask is True, a float mask as it is."""
    # TODO: attn_mask (L, S) or (N*H, L, S) -> (N, H, L, S); key padding (N, S) -> (N, 1, 1, S); add both
    raise NotImplementedError("attention.decoder_layer: _additive_mask")


def _as_added(mask, dtype):
    """A mask as the numbers it adds to the scores: bool True (NOT allowed) -> -inf, False -> 0; floats as they are."""
    # TODO: np.where(mask, -inf, 0) for a bool mask; a float mask unchanged (in the scores' dtype)
    raise NotImplementedError("attention.decoder_layer: _as_added")


def _layer_norm(x, weight, bias, eps):
    """Layer norm over the last axis with the biased variance, as nn.LayerNorm(E, eps=eps)."""
    # TODO: subtract the mean, divide by sqrt(biased variance + eps), then scale and shift
    raise NotImplementedError("attention.decoder_layer: _layer_norm")


def _feed_forward(x, params, activation):
    """linear2(activation(linear1(x))) for x (N, L, E): (N, L, E) -> (N, L, F) -> (N, L, E)."""
    # TODO: linear1, then relu or exact (erf) gelu, then linear2
    raise NotImplementedError("attention.decoder_layer: _feed_forward")


def _check(tgt, memory, params, nhead, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask,
           activation):
    """ValueError for bad input, each message naming the argument."""
    # TODO: tgt and memory 3-D with the same N and E; nhead >= 1 divides E; every key present with its shape; a known activation; mask shapes
    raise NotImplementedError("attention.decoder_layer: _check")
