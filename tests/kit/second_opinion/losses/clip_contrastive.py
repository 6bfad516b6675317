import numpy as np


def _validate(a, b):
    if np.ndim(a) != 2 or np.ndim(b) != 2:
        raise ValueError("image_embeds and text_embeds must be 2-D")
    if np.shape(a) != np.shape(b):
        raise ValueError("image_embeds and text_embeds must have the same N and D")


def _parts(image_embeds, text_embeds, logit_scale):
    # float32 arithmetic throughout for float32 input; einsum instead of @.
    dtype = np.result_type(image_embeds)
    scale = dtype.type(logit_scale)
    ni = np.sqrt(np.einsum("nd,nd->n", image_embeds, image_embeds))[:, None]
    nt = np.sqrt(np.einsum("nd,nd->n", text_embeds, text_embeds))[:, None]
    u, v = image_embeds / ni, text_embeds / nt
    s = scale * np.einsum("id,jd->ij", u, v)
    # column direction: log-softmax down each column of s
    row_lse = s.max(1) + np.log(np.exp(s - s.max(1, keepdims=True)).sum(1))
    col_lse = s.max(0) + np.log(np.exp(s - s.max(0, keepdims=True)).sum(0))
    return dtype, scale, ni, nt, u, v, s, row_lse, col_lse


def clip_loss(image_embeds, text_embeds, logit_scale):
    _validate(image_embeds, text_embeds)
    dtype, _, _, _, _, _, s, row_lse, col_lse = _parts(image_embeds, text_embeds, logit_scale)
    d = np.diag(s)
    return np.asarray(((row_lse - d).sum() + (col_lse - d).sum()) / (2 * len(d)), dtype=dtype)


def clip_loss_backward(image_embeds, text_embeds, logit_scale):
    _validate(image_embeds, text_embeds)
    dtype, scale, ni, nt, u, v, s, row_lse, col_lse = _parts(image_embeds, text_embeds, logit_scale)
    n = len(s)
    p_row = np.exp(s - row_lse[:, None])
    p_col = np.exp(s - col_lse[None, :])
    g = (p_row + p_col - 2 * np.eye(n, dtype=dtype)) / dtype.type(2 * n)
    gu = scale * np.einsum("ij,jd->id", g, v)
    gv = scale * np.einsum("ij,id->jd", g, u)
    # Jacobian of x / |x|: (I - u u^T) / |x|
    out = []
    for grad, unit, norm in ((gu, u, ni), (gv, v, nt)):
        out.append(((grad - unit * np.einsum("nd,nd->n", grad, unit)[:, None]) / norm).astype(dtype))
    return tuple(out)
