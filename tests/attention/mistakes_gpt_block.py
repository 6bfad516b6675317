"""Classic wrong answers to attention.gpt_block, each named and explained."""

import math
from functools import partial

import numpy as np

from grader.testing.mistakes import mistake


def _ln(x, w, b, eps):
    mean = x.mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(((x - mean) ** 2).mean(axis=-1, keepdims=True) + eps) * w + b


def _gelu(h, tanh):
    if tanh:
        return 0.5 * h * (1 + np.tanh(math.sqrt(2 / math.pi) * (h + 0.044715 * h ** 3)))
    return h * 0.5 * (1 + np.vectorize(math.erf, otypes=[np.float64])(h / math.sqrt(2)))


def _split(qkv, C, H, order, layout):
    B, T, _ = qkv.shape
    D = C // H
    if layout == "interleaved":  # each head's q, k, v side by side: (B, T, H, 3D)
        per_head = qkv.reshape(B, T, H, 3 * D)
        parts = [per_head[..., i * D:(i + 1) * D].transpose(0, 2, 1, 3) for i in range(3)]
    else:
        parts = [qkv[..., i * C:(i + 1) * C].reshape(B, T, H, D).transpose(0, 2, 1, 3) for i in range(3)]
    q, k, v = parts
    return (k, q, v) if order == "kqv" else (q, k, v)


def _attn(a, p, H, *, mask, order, layout, scale):
    B, T, C = a.shape
    q, k, v = _split(a @ p["attn.c_attn.weight"].T + p["attn.c_attn.bias"], C, H, order, layout)
    s = q @ k.transpose(0, 1, 3, 2) / math.sqrt(C if scale == "C" else C // H)
    allowed = np.tril(np.ones((T, T), dtype=bool))
    if mask == "before":
        s = np.where(allowed, s, -np.inf)
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    w = e / e.sum(axis=-1, keepdims=True)
    if mask == "after":
        w = w * allowed
    y = (w @ v).transpose(0, 2, 1, 3).reshape(B, T, C)
    return y @ p["attn.c_proj.weight"].T + p["attn.c_proj.bias"]


def _block(x, params, n_head, eps=1e-5, *, mask="before", norm="pre", tanh=False, order="qkv", layout="blocks",
           scale="D", residual=True):
    """gpt_block with one of its parts swapped for a wrong one (the defaults are the right parts)."""
    p = params
    attn = partial(_attn, p=p, H=n_head, mask=mask, order=order, layout=layout, scale=scale)

    def mlp(a):
        h = _gelu(a @ p["mlp.c_fc.weight"].T + p["mlp.c_fc.bias"], tanh)
        return h @ p["mlp.c_proj.weight"].T + p["mlp.c_proj.bias"]

    def ln(z, i):
        return _ln(z, p[f"ln_{i}.weight"], p[f"ln_{i}.bias"], eps)

    with np.errstate(all="ignore"):
        if norm == "post":
            h = ln(x + attn(x), 1)
            out = ln(h + mlp(h), 2)
        elif residual:
            h = x + attn(ln(x, 1))
            out = h + mlp(ln(h, 2))
        else:
            h = attn(ln(x, 1))
            out = mlp(ln(h, 2))
    return out.astype(x.dtype)


def _with(**wrong):
    def gpt_block(x, params, n_head, eps=1e-5):
        return _block(x, params, n_head, eps, **wrong)
    return gpt_block


MISTAKES = [
    mistake(
        "no_causal_mask",
        title={"en": "self-attention without the causal mask", "zh": "自注意力没有加因果掩码"},
        why={"en": "GPT predicts the next token, so position t may only look at positions 0..t; without the mask "
                   "each position reads the future it is supposed to predict. Before the softmax, set the scores "
                   "above the diagonal to -inf: np.where(np.tril(np.ones((T, T), dtype=bool)), scores, -np.inf).",
             "zh": "GPT 要预测下一个 token，所以位置 t 只能看位置 0..t；不加掩码，每个位置都能读到它本该预测的未来。"
                   "在 softmax 之前把对角线上方的分数设为 -inf：np.where(np.tril(np.ones((T, T), dtype=bool)), "
                   "scores, -np.inf)。"},
        gpt_block=_with(mask="none")),
    mistake(
        "mask_after_softmax",
        title={"en": "future weights zeroed after the softmax, rows not renormalised",
               "zh": "softmax 之后才把未来位置的权重置零，没有重新归一化"},
        why={"en": "Zeroing the weights of future positions after the softmax leaves rows that sum to less than 1: "
                   "the future keys already took their share. Mask the scores BEFORE the softmax with -inf, so the "
                   "remaining weights sum to 1 by themselves.",
             "zh": "softmax 之后再把未来位置的权重清零，每行的和就小于 1：未来的键已经分走了一部分概率。"
                   "应在 softmax 【之前】把这些分数设为 -inf，剩下的权重自然和为 1。"},
        gpt_block=_with(mask="after")),
    mistake(
        "post_norm",
        title={"en": "post-norm (LayerNorm after the residual add) instead of pre-norm",
               "zh": "用了后置归一化（残差相加之后再 LayerNorm），而不是前置归一化"},
        why={"en": "GPT-2 normalises the INPUT of each sub-layer and adds the sub-layer's output to the raw "
                   "residual stream: x = x + attn(ln_1(x)), then x = x + mlp(ln_2(x)). LayerNorm(x + attn(x)) is "
                   "the original Transformer's order, a different block.",
             "zh": "GPT-2 对每个子层的【输入】做归一化，再把子层的输出加回未归一化的残差流：x = x + attn(ln_1(x))，"
                   "然后 x = x + mlp(ln_2(x))。LayerNorm(x + attn(x)) 是最初 Transformer 的顺序，是另一种块。"},
        gpt_block=_with(norm="post")),
    mistake(
        "tanh_gelu",
        title={"en": "the tanh approximation of GELU instead of the exact one", "zh": "用了 GELU 的 tanh 近似，而不是精确形式"},
        why={"en": "The block asks for the exact GELU, x * Phi(x) = 0.5 x (1 + erf(x / sqrt(2))), which is what "
                   "nn.GELU() computes by default. The tanh formula is close (about 1e-4 off near |x| = 2) but "
                   "not the same; use math.erf (np.vectorize(math.erf) for an array).",
             "zh": "这里要的是精确的 GELU：x * Phi(x) = 0.5 x (1 + erf(x / sqrt(2)))，也就是 nn.GELU() 默认的计算。"
                   "tanh 公式很接近（|x| = 2 附近差约 1e-4），但并不相同；请用 math.erf（对数组用 np.vectorize(math.erf)）。"},
        gpt_block=_with(tanh=True)),
    mistake(
        "kqv_order",
        title={"en": "c_attn's output split as k, q, v", "zh": "把 c_attn 的输出按 k, q, v 的顺序拆开"},
        why={"en": "c_attn.weight stacks the three projections as q, k, v, C rows each: columns 0:C of c_attn(x) "
                   "are the queries, C:2C the keys, 2C:3C the values. Swapping q and k transposes every score "
                   "matrix, which the causal mask then cuts the wrong way.",
             "zh": "c_attn.weight 按 q、k、v 的顺序把三个投影叠在一起，每个 C 行：c_attn(x) 的第 0:C 列是查询，"
                   "C:2C 是键，2C:3C 是值。交换 q 和 k 会把每个分数矩阵转置，因果掩码随之切错了方向。"},
        gpt_block=_with(order="kqv")),
    mistake(
        "interleaved_split",
        title={"en": "q, k, v split inside each head (per-head interleaved)", "zh": "在每个头内部拆分 q, k, v（按头交错）"},
        why={"en": "The 3C outputs of c_attn are three blocks of C, one for q, one for k, one for v; only then is "
                   "each block cut into n_head heads of size D = C / n_head. Reshaping to (B, T, n_head, 3D) first "
                   "assumes a per-head layout these weights do not have. Split into q, k, v, then reshape each.",
             "zh": "c_attn 的 3C 个输出是三段，每段 C 个，依次是 q、k、v；之后才把每一段切成 n_head 个大小为 "
                   "D = C / n_head 的头。先 reshape 成 (B, T, n_head, 3D) 相当于假设了按头排列的布局，而这些权重"
                   "并不是这样排的。先拆成 q、k、v，再分别 reshape。"},
        gpt_block=_with(layout="interleaved")),
    mistake(
        "scale_by_C",
        title={"en": "scores divided by sqrt(C) instead of sqrt(head size)", "zh": "分数除以了 sqrt(C) 而不是 sqrt(头的维度)"},
        why={"en": "Each head compares vectors of size D = C / n_head, so its scores are q k^T / sqrt(D). Dividing "
                   "by sqrt(C) is only right with one head; with several it flattens the attention.",
             "zh": "每个头比较的是长度为 D = C / n_head 的向量，所以分数是 q k^T / sqrt(D)。除以 sqrt(C) 只在单头时正确；"
                   "多头时会让注意力过于平坦。"},
        gpt_block=_with(scale="C")),
    mistake(
        "no_residual",
        title={"en": "the residual connections left out", "zh": "漏掉了残差连接"},
        why={"en": "Each sub-layer ADDS its output to its input: x = x + attn(ln_1(x)), x = x + mlp(ln_2(x)). "
                   "Without the additions the block replaces the stream instead of refining it, and deep stacks "
                   "stop training.",
             "zh": "每个子层都要把输出【加】回输入：x = x + attn(ln_1(x))，x = x + mlp(ln_2(x))。不加的话，"
                   "这个块就是替换而不是修正残差流，堆深了就训练不动。"},
        gpt_block=_with(residual=False)),
]
