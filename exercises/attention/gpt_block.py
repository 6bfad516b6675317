"""A GPT-2 transformer block: pre-norm causal self-attention and a GELU MLP, each with a residual connection."""

import math

import numpy as np

KEYS = ("ln_1.weight", "ln_1.bias", "attn.c_attn.weight", "attn.c_attn.bias", "attn.c_proj.weight",
        "attn.c_proj.bias", "ln_2.weight", "ln_2.bias", "mlp.c_fc.weight", "mlp.c_fc.bias",
        "mlp.c_proj.weight", "mlp.c_proj.bias")


def gpt_block(x, params, n_head, eps=1e-5):
    """One GPT-2 block: x = x + attn(ln_1(x)), then x = x + mlp(ln_2(x)).

    The block is pre-norm: each sub-layer sees a LayerNorm of its input, and its output is added
    back to the un-normalised input (the residual stream). The pieces, written in this file
    (this exercise stands alone; copy your own earlier code if you like):

    - LayerNorm over the last axis (C): (x - mean) / sqrt(biased var + eps) * weight + bias.
    - Linear in nn.Linear's layout: x @ weight.T + bias, weight (out, in).
    - Causal self-attention with n_head heads of size D = C / n_head: qkv = Linear(C, 3C) of
      the input, split along the last axis into q, k, v (in that order, C each); each is viewed as
      (B, T, n_head, D) and moved to (B, n_head, T, D); per head softmax(q k^T / sqrt(D)) v with
      position t seeing positions 0..t only; heads put back side by side to (B, T, C); then
      Linear(C, C) (c_proj).
    - MLP: Linear(C, 4C) (c_fc), the exact GELU x * Phi(x) = 0.5 x (1 + erf(x / sqrt(2))),
      Linear(4C, C) (c_proj). math.erf is the standard library's error function (one number at a
      time: np.vectorize(math.erf) applies it to an array).

    Args:
        x: the input, (B, T, C), float32 or float64.
        params: a dict of arrays, the state_dict keys of the block:
            ln_1.weight, ln_1.bias, ln_2.weight, ln_2.bias: (C,);
            attn.c_attn.weight (3C, C), attn.c_attn.bias (3C,): q, k and v stacked in that order;
            attn.c_proj.weight (C, C), attn.c_proj.bias (C,);
            mlp.c_fc.weight (4C, C), mlp.c_fc.bias (4C,); mlp.c_proj.weight (C, 4C), mlp.c_proj.bias (C,).
            Not modified.
        n_head: the number of attention heads, an int >= 1 that divides C.
        eps: the LayerNorm epsilon, added to the variance.

    Returns:
        The block's output, (B, T, C), in the dtype of `x`.

    Raises:
        ValueError: if `x` is not 3-D, `n_head` is not a positive divisor of C, a key of `params`
            is missing, or a parameter's shape is not the one above.

    Shapes:
        x: (B, T, C) -> (B, T, C)

    PyTorch: the same block from torch ops: h = x + c_proj(sdpa(q, k, v, is_causal=True)) with
        q, k, v = c_attn(nn.LayerNorm(C, eps)(x)).split(C, dim=-1) (heads as above), then
        h + mlp.c_proj(nn.GELU()(mlp.c_fc(ln_2(h))))
    """
    # TODO: check the inputs; x + attention(ln_1(x)), then that + mlp(ln_2(that))
    raise NotImplementedError("attention.gpt_block: gpt_block")


def _layer_norm(x, weight, bias, eps):
    """LayerNorm over the last axis: (x - mean) / sqrt(var + eps) * weight + bias, var biased."""
    # TODO: mean and biased variance over the last axis, normalise, scale and shift
    raise NotImplementedError("attention.gpt_block: _layer_norm")


def _causal_self_attention(x, params, n_head):
    """c_proj(heads of softmax(q k^T / sqrt(D), causal) v), with q, k, v = split(c_attn(x)) in that order."""
    # TODO: qkv = c_attn(x), split into q, k, v; heads (B, H, T, D); causal softmax attention; merge, c_proj
    raise NotImplementedError("attention.gpt_block: _causal_self_attention")


def _mlp(x, params):
    """mlp.c_proj(GELU(mlp.c_fc(x))) with the exact, erf-based GELU."""
    # TODO: Linear(C, 4C), exact GELU x * 0.5 * (1 + erf(x / sqrt(2))), Linear(4C, C)
    raise NotImplementedError("attention.gpt_block: _mlp")


def _shapes(C):
    """The shape of every parameter of a block of width C."""
    return {"ln_1.weight": (C,), "ln_1.bias": (C,), "attn.c_attn.weight": (3 * C, C), "attn.c_attn.bias": (3 * C,),
            "attn.c_proj.weight": (C, C), "attn.c_proj.bias": (C,), "ln_2.weight": (C,), "ln_2.bias": (C,),
            "mlp.c_fc.weight": (4 * C, C), "mlp.c_fc.bias": (4 * C,), "mlp.c_proj.weight": (C, 4 * C),
            "mlp.c_proj.bias": (C,)}
