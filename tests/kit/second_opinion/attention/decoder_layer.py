"""Transformer decoder layer (independent implementation).

Everything runs in float64 and is cast back at the end; attention works on all heads at once through an
einsum over a (N, S, H, D) view, masks are merged into one additive term, the causal mask is built from
index comparisons, and the three blocks are run from a table.
"""

import math

import numpy as np

_BLOCKS = ("self_attn", "multihead_attn")
_erf = np.frompyfunc(math.erf, 1, 1)


def _expected_shapes(d, f):
    out = {}
    for blk in _BLOCKS:
        out[blk + ".in_proj_weight"] = (3 * d, d)
        out[blk + ".in_proj_bias"] = (3 * d,)
        out[blk + ".out_proj.weight"] = (d, d)
        out[blk + ".out_proj.bias"] = (d,)
    out.update({"linear1.weight": (f, d), "linear1.bias": (f,), "linear2.weight": (d, f), "linear2.bias": (d,)})
    for i in (1, 2, 3):
        out[f"norm{i}.weight"] = (d,)
        out[f"norm{i}.bias"] = (d,)
    return out


def _additive(mask):
    m = np.asarray(mask)
    return np.where(m, -np.inf, 0.0) if m.dtype == np.bool_ else m.astype(np.float64)


def _attention(xq, xkv, p, blk, h, attn_mask, pad):
    n, length, d = xq.shape
    s = xkv.shape[1]
    hd = d // h
    w = p[blk + ".in_proj_weight"].reshape(3, h, hd, d)
    b = p[blk + ".in_proj_bias"].reshape(3, h, hd)
    q = np.einsum("nld,hkd->nlhk", xq, w[0]) + b[0]
    k = np.einsum("nsd,hkd->nshk", xkv, w[1]) + b[1]
    v = np.einsum("nsd,hkd->nshk", xkv, w[2]) + b[2]
    logits = np.einsum("nlhk,nshk->nhls", q, k) / math.sqrt(hd)
    if attn_mask is not None:
        a = _additive(attn_mask)
        logits = logits + (a.reshape(n, h, length, s) if a.ndim == 3 else a)
    if pad is not None:
        logits = logits + _additive(pad)[:, None, None, :]
    logits = logits - np.max(logits, axis=-1, keepdims=True)
    probs = np.exp(logits)
    probs = probs / probs.sum(axis=-1, keepdims=True)
    ctx = np.einsum("nhls,nshk->nlhk", probs, v).reshape(n, length, d)
    return ctx @ p[blk + ".out_proj.weight"].T + p[blk + ".out_proj.bias"]


def _norm(x, p, i, eps):
    mu = np.mean(x, axis=-1, keepdims=True)
    var = np.mean(np.square(x - mu), axis=-1, keepdims=True)
    return (x - mu) * (1.0 / np.sqrt(var + eps)) * p[f"norm{i}.weight"] + p[f"norm{i}.bias"]


def _mlp(x, p, activation):
    a = x @ p["linear1.weight"].T + p["linear1.bias"]
    a = a * 0.5 * (1.0 + _erf(a * (0.5 ** 0.5)).astype(np.float64)) if activation == "gelu" else np.maximum(a, 0.0)
    return a @ p["linear2.weight"].T + p["linear2.bias"]


def decoder_layer(tgt, memory, params, nhead, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                  memory_key_padding_mask=None, tgt_is_causal=False, activation="relu", norm_first=False, eps=1e-5):
    """See nn.TransformerDecoderLayer(batch_first=True, dropout=0)."""
    t, mem = np.asarray(tgt), np.asarray(memory)
    if t.ndim != 3 or mem.ndim != 3:
        raise ValueError(f"tgt and memory must be (N, len, E): got {t.shape} and {mem.shape}")
    n, length, d = t.shape
    s = mem.shape[1]
    if mem.shape[0] != n or mem.shape[2] != d:
        raise ValueError(f"memory {mem.shape} does not fit tgt {t.shape}")
    if activation not in ("relu", "gelu"):
        raise ValueError(f"activation {activation!r} unsupported")
    if nhead < 1 or d % nhead:
        raise ValueError(f"nhead {nhead} must divide d_model {d}")
    if "linear1.weight" not in params:
        raise ValueError("params lacks 'linear1.weight'")
    want = _expected_shapes(d, np.shape(params["linear1.weight"])[0])
    for key, shape in want.items():
        if key not in params:
            raise ValueError(f"params lacks {key!r}")
        if np.shape(params[key]) != shape:
            raise ValueError(f"params[{key!r}] has shape {np.shape(params[key])}, expected {shape}")
    for name, m, kk in (("tgt_mask", tgt_mask, length), ("memory_mask", memory_mask, s)):
        if m is not None and np.shape(m) not in [(length, kk), (n * nhead, length, kk)]:
            raise ValueError(f"{name} has shape {np.shape(m)}")
    for name, m, kk in (("tgt_key_padding_mask", tgt_key_padding_mask, length),
                        ("memory_key_padding_mask", memory_key_padding_mask, s)):
        if m is not None and np.shape(m) != (n, kk):
            raise ValueError(f"{name} has shape {np.shape(m)}")

    p = {k: np.asarray(params[k], dtype=np.float64) for k in want}
    if tgt_is_causal and tgt_mask is None:
        idx = np.arange(length)
        tgt_mask = idx[None, :] > idx[:, None]  # key after query: blocked
    m64 = mem.astype(np.float64)
    blocks = [
        (lambda y: _attention(y, y, p, "self_attn", nhead, tgt_mask, tgt_key_padding_mask), 1),
        (lambda y: _attention(y, m64, p, "multihead_attn", nhead, memory_mask, memory_key_padding_mask), 2),
        (lambda y: _mlp(y, p, activation), 3),
    ]
    x = t.astype(np.float64)
    for fn, i in blocks:
        x = x + fn(_norm(x, p, i, eps)) if norm_first else _norm(x + fn(x), p, i, eps)
    return x.astype(t.dtype)
