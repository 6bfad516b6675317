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
    # BEGIN SOLUTION: check the inputs; x + attention(ln_1(x)), then that + mlp(ln_2(that))
    if np.ndim(x) != 3:
        raise ValueError(f"x must be 3-D (B, T, C), got shape {np.shape(x)}")
    C = x.shape[-1]
    if not isinstance(n_head, (int, np.integer)) or n_head < 1 or C % n_head != 0:
        raise ValueError(f"n_head={n_head!r} must be a positive int that divides C={C}")
    missing = [key for key in KEYS if key not in params]
    if missing:
        raise ValueError(f"params lacks the keys {missing}")
    for key, shape in _shapes(C).items():
        if np.shape(params[key]) != shape:
            raise ValueError(f"params[{key!r}] must have shape {shape} for C={C}, got {np.shape(params[key])}")
    p = params
    h = x + _causal_self_attention(_layer_norm(x, p["ln_1.weight"], p["ln_1.bias"], eps), p, n_head)  # (B, T, C)
    out = h + _mlp(_layer_norm(h, p["ln_2.weight"], p["ln_2.bias"], eps), p)  # (B, T, C)
    return out.astype(x.dtype, copy=False)
    # END SOLUTION


def _layer_norm(x, weight, bias, eps):
    """LayerNorm over the last axis: (x - mean) / sqrt(var + eps) * weight + bias, var biased."""
    # BEGIN SOLUTION: mean and biased variance over the last axis, normalise, scale and shift
    mean = x.mean(axis=-1, keepdims=True)  # (B, T, 1)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)  # (B, T, 1)
    return (x - mean) / np.sqrt(var + eps) * weight + bias  # (B, T, C)
    # END SOLUTION


def _causal_self_attention(x, params, n_head):
    """c_proj(heads of softmax(q k^T / sqrt(D), causal) v), with q, k, v = split(c_attn(x)) in that order."""
    # BEGIN SOLUTION: qkv = c_attn(x), split into q, k, v; heads (B, H, T, D); causal softmax attention; merge, c_proj
    B, T, C = x.shape
    D = C // n_head
    qkv = x @ params["attn.c_attn.weight"].T + params["attn.c_attn.bias"]  # (B, T, 3C)
    q, k, v = (qkv[..., i * C:(i + 1) * C].reshape(B, T, n_head, D).transpose(0, 2, 1, 3)
               for i in range(3))  # each (B, H, T, D)
    scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(D)  # (B, H, T, T)
    allowed = np.tril(np.ones((T, T), dtype=bool))  # (T, T): query t sees keys 0..t
    scores = np.where(allowed, scores, -np.inf)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))  # (B, H, T, T)
    heads = (e / e.sum(axis=-1, keepdims=True)) @ v  # (B, H, T, D)
    merged = heads.transpose(0, 2, 1, 3).reshape(B, T, C)  # (B, T, C): head h in columns h*D:(h+1)*D
    return merged @ params["attn.c_proj.weight"].T + params["attn.c_proj.bias"]  # (B, T, C)
    # END SOLUTION


def _mlp(x, params):
    """mlp.c_proj(GELU(mlp.c_fc(x))) with the exact, erf-based GELU."""
    # BEGIN SOLUTION: Linear(C, 4C), exact GELU x * 0.5 * (1 + erf(x / sqrt(2))), Linear(4C, C)
    h = x @ params["mlp.c_fc.weight"].T + params["mlp.c_fc.bias"]  # (B, T, 4C)
    erf = np.vectorize(math.erf, otypes=[np.float64])(h / math.sqrt(2))  # (B, T, 4C), float64
    h = (h * (0.5 * (1.0 + erf))).astype(x.dtype, copy=False)  # (B, T, 4C)
    return h @ params["mlp.c_proj.weight"].T + params["mlp.c_proj.bias"]  # (B, T, C)
    # END SOLUTION


def _shapes(C):
    """The shape of every parameter of a block of width C."""
    return {"ln_1.weight": (C,), "ln_1.bias": (C,), "attn.c_attn.weight": (3 * C, C), "attn.c_attn.bias": (3 * C,),
            "attn.c_proj.weight": (C, C), "attn.c_proj.bias": (C,), "ln_2.weight": (C,), "ln_2.bias": (C,),
            "mlp.c_fc.weight": (4 * C, C), "mlp.c_fc.bias": (4 * C,), "mlp.c_proj.weight": (C, 4 * C),
            "mlp.c_proj.bias": (C,)}
