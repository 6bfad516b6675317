"""A GPT-2 block (independent implementation).

Everything is computed in float64 and cast back at the end; attention runs head by head with
einsum, the causal mask is a large negative number added to the scores, and the GELU's erf comes
from math.erf over a flattened list.
"""

import math

import numpy as np

_NEEDED = {"ln_1.weight": "c", "ln_1.bias": "c", "attn.c_attn.weight": "3c,c", "attn.c_attn.bias": "3c",
           "attn.c_proj.weight": "c,c", "attn.c_proj.bias": "c", "ln_2.weight": "c", "ln_2.bias": "c",
           "mlp.c_fc.weight": "4c,c", "mlp.c_fc.bias": "4c", "mlp.c_proj.weight": "c,4c", "mlp.c_proj.bias": "c"}


def _shape(spec, c):
    return tuple(int(part[:-1] or 1) * c for part in spec.split(","))


def _norm(z, g, b, eps):
    centred = z - np.mean(z, axis=-1, keepdims=True)
    return centred / np.sqrt(np.mean(centred * centred, axis=-1, keepdims=True) + eps) * g + b


def _gelu(z):
    flat = [0.5 * (1.0 + math.erf(v / math.sqrt(2.0))) for v in z.ravel().tolist()]
    return z * np.array(flat, dtype=np.float64).reshape(z.shape)


def gpt_block(x, params, n_head, eps=1e-5):
    """x + attn(ln_1(x)), then + mlp(ln_2(.)); causal multi-head self-attention, exact GELU."""
    x = np.asarray(x)
    if x.ndim != 3:
        raise ValueError(f"x must be (B, T, C), got {x.shape}")
    B, T, C = x.shape
    if isinstance(n_head, bool) or not isinstance(n_head, (int, np.integer)) or n_head <= 0 or C % n_head:
        raise ValueError(f"n_head={n_head} must divide C={C}")
    for key, spec in _NEEDED.items():
        if key not in params:
            raise ValueError(f"params is missing {key!r}")
        if np.shape(params[key]) != _shape(spec, C):
            raise ValueError(f"params[{key!r}] should be {_shape(spec, C)}, got {np.shape(params[key])}")
    p = {k: np.asarray(params[k], dtype=np.float64) for k in _NEEDED}
    h = x.astype(np.float64)
    D = C // n_head

    a = _norm(h, p["ln_1.weight"], p["ln_1.bias"], eps)
    qkv = np.einsum("btc,oc->bto", a, p["attn.c_attn.weight"]) + p["attn.c_attn.bias"]
    future = np.triu(np.full((T, T), -1e300), k=1)  # exp underflows to exactly 0
    heads = []
    for i in range(n_head):
        q = qkv[..., i * D:(i + 1) * D]
        k = qkv[..., C + i * D:C + (i + 1) * D]
        v = qkv[..., 2 * C + i * D:2 * C + (i + 1) * D]
        s = np.einsum("btd,bsd->bts", q, k) / math.sqrt(D) + future
        s = np.exp(s - s.max(axis=-1, keepdims=True))
        heads.append(np.einsum("bts,bsd->btd", s / s.sum(axis=-1, keepdims=True), v))
    y = np.concatenate(heads, axis=-1)
    h = h + np.einsum("btc,oc->bto", y, p["attn.c_proj.weight"]) + p["attn.c_proj.bias"]

    m = _gelu(np.einsum("btc,oc->bto", _norm(h, p["ln_2.weight"], p["ln_2.bias"], eps), p["mlp.c_fc.weight"])
              + p["mlp.c_fc.bias"])
    h = h + np.einsum("btf,of->bto", m, p["mlp.c_proj.weight"]) + p["mlp.c_proj.bias"]
    out_dtype = x.dtype if np.issubdtype(x.dtype, np.floating) else np.float64
    return h.astype(out_dtype)
