"""Transformer encoder layer (independent implementation).

Everything runs in float64 and is cast back at the end; attention loops over the heads and uses einsum,
masks are turned into a boolean "blocked" part and a float "bias" part, and the softmax uses logsumexp.
"""

import math

import numpy as np

_KEYS = ["self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
         "self_attn.out_proj.bias", "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
         "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"]
_erf = np.frompyfunc(math.erf, 1, 1)


def _ln(x, g, b, eps):
    centred = x - x.mean(-1, keepdims=True)
    return centred / np.sqrt(np.mean(centred * centred, -1, keepdims=True) + eps) * g + b


def _bias(mask, target_shape):
    """A mask as an additive float64 term broadcast to target_shape."""
    m = np.asarray(mask)
    if m.dtype == np.bool_:
        out = np.zeros(m.shape)
        out[m] = -np.inf
    else:
        out = m.astype(np.float64)
    return np.broadcast_to(out, target_shape)


def _attend(x, mem, p, pre, h, attn_mask, pad):
    n, length, d = x.shape
    s = mem.shape[1]
    hd = d // h
    wq, wk, wv = np.split(p[pre + "in_proj_weight"], 3)
    bq, bk, bv = np.split(p[pre + "in_proj_bias"], 3)
    q = np.einsum("nle,fe->nlf", x, wq) + bq
    k = np.einsum("nse,fe->nsf", mem, wk) + bk
    v = np.einsum("nse,fe->nsf", mem, wv) + bv
    extra = np.zeros((n, h, length, s))
    if attn_mask is not None:
        am = np.asarray(attn_mask)
        extra = extra + (_bias(am, (length, s)) if am.ndim == 2 else _bias(am, am.shape).reshape(n, h, length, s))
    if pad is not None:
        extra = extra + _bias(pad, (n, s))[:, None, None, :]
    heads = []
    for i in range(h):
        cols = slice(i * hd, (i + 1) * hd)
        sc = np.einsum("nld,nsd->nls", q[..., cols], k[..., cols]) * (hd ** -0.5) + extra[:, i]
        top = sc.max(-1, keepdims=True)
        lse = top + np.log(np.exp(sc - top).sum(-1, keepdims=True))
        heads.append(np.einsum("nls,nsd->nld", np.exp(sc - lse), v[..., cols]))
    cat = np.concatenate(heads, axis=-1)
    return np.einsum("nle,fe->nlf", cat, p[pre + "out_proj.weight"]) + p[pre + "out_proj.bias"]


def _mlp(x, p, activation):
    a = np.einsum("nle,fe->nlf", x, p["linear1.weight"]) + p["linear1.bias"]
    if activation == "gelu":
        a = a * (1.0 + _erf(a / math.sqrt(2.0)).astype(np.float64)) / 2.0
    else:
        a = np.where(a > 0, a, 0.0)
    return np.einsum("nlf,ef->nle", a, p["linear2.weight"]) + p["linear2.bias"]


def encoder_layer(src, params, nhead, src_mask=None, src_key_padding_mask=None, activation="relu",
                  norm_first=False, eps=1e-5):
    """See nn.TransformerEncoderLayer(batch_first=True, dropout=0)."""
    x = np.asarray(src)
    if x.ndim != 3:
        raise ValueError(f"src must be (N, L, E), got {x.shape}")
    if activation not in ("relu", "gelu"):
        raise ValueError(f"unknown activation {activation!r}")
    n, length, d = x.shape
    if not isinstance(nhead, (int, np.integer)) or nhead <= 0 or d % nhead != 0:
        raise ValueError(f"d_model {d} is not divisible by nhead {nhead}")
    for key in _KEYS:
        if key not in params:
            raise ValueError(f"params lacks {key!r}")
    p = {k: np.asarray(params[k], dtype=np.float64) for k in _KEYS}
    f = p["linear1.weight"].shape[0]
    want = {"self_attn.in_proj_weight": (3 * d, d), "self_attn.in_proj_bias": (3 * d,),
            "self_attn.out_proj.weight": (d, d), "linear1.weight": (f, d), "linear1.bias": (f,),
            "linear2.weight": (d, f)}
    for key in _KEYS:
        if p[key].shape != want.get(key, (d,)):
            raise ValueError(f"params[{key!r}] has shape {p[key].shape}, expected {want.get(key, (d,))}")
    if src_mask is not None and np.shape(src_mask) not in [(length, length), (n * nhead, length, length)]:
        raise ValueError(f"bad src_mask shape {np.shape(src_mask)}")
    if src_key_padding_mask is not None and np.shape(src_key_padding_mask) != (n, length):
        raise ValueError(f"bad src_key_padding_mask shape {np.shape(src_key_padding_mask)}")

    h = x.astype(np.float64)
    if norm_first:
        a = _ln(h, p["norm1.weight"], p["norm1.bias"], eps)
        h = h + _attend(a, a, p, "self_attn.", nhead, src_mask, src_key_padding_mask)
        h = h + _mlp(_ln(h, p["norm2.weight"], p["norm2.bias"], eps), p, activation)
    else:
        h = _ln(h + _attend(h, h, p, "self_attn.", nhead, src_mask, src_key_padding_mask),
                p["norm1.weight"], p["norm1.bias"], eps)
        h = _ln(h + _mlp(h, p, activation), p["norm2.weight"], p["norm2.bias"], eps)
    return h.astype(x.dtype)
