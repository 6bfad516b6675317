"""Classic wrong answers to attention.encoder_layer, each named and explained."""

import math

import numpy as np

from grader.testing.mistakes import mistake


def _layer_norm(x, w, b, eps, *, no_eps=False, unbiased=False):
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True, ddof=1 if unbiased else 0)
    return (x - mean) / np.sqrt(var + (0.0 if no_eps else eps)) * w + b


def _added(mask, dtype, invert):
    mask = np.asarray(mask)
    if mask.dtype == bool:
        mask = np.where(mask if not invert else ~mask, -np.inf, 0.0)
    return mask.astype(dtype)


def _mha(query, kv, p, prefix, nhead, attn_mask, padding, *, invert=False, scale_E=False):
    N, L, E = query.shape
    S = kv.shape[1]
    hd = E // nhead
    w, b = p[prefix + "in_proj_weight"], p[prefix + "in_proj_bias"]
    q, k, v = query @ w[:E].T + b[:E], kv @ w[E:2 * E].T + b[E:2 * E], kv @ w[2 * E:].T + b[2 * E:]
    q, k, v = (t.reshape(N, -1, nhead, hd).transpose(0, 2, 1, 3) for t in (q, k, v))
    scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(E if scale_E else hd)
    if attn_mask is not None:
        add = _added(attn_mask, scores.dtype, invert)
        scores = scores + (add if add.ndim == 2 else add.reshape(N, nhead, L, S))
    if padding is not None:
        scores = scores + _added(padding, scores.dtype, invert).reshape(N, 1, 1, S)
    with np.errstate(all="ignore"):
        e = np.exp(scores - scores.max(axis=-1, keepdims=True))
        out = (e / e.sum(axis=-1, keepdims=True) @ v).transpose(0, 2, 1, 3).reshape(N, L, E)
    return out @ p[prefix + "out_proj.weight"].T + p[prefix + "out_proj.bias"]


def _ff(x, p, activation, *, always_relu=False, tanh_gelu=False):
    h = x @ p["linear1.weight"].T + p["linear1.bias"]
    if activation == "relu" or always_relu:
        h = np.maximum(h, 0)
    elif tanh_gelu:
        h = 0.5 * h * (1 + np.tanh(math.sqrt(2 / math.pi) * (h + 0.044715 * h ** 3)))
    else:
        h = 0.5 * h * (1 + np.vectorize(math.erf, otypes=[np.float64])(h / math.sqrt(2)))
    return h @ p["linear2.weight"].T + p["linear2.bias"]


def _wrong(*, ignore_norm_first=False, swap_norm=False, no_ff_residual=False, no_eps=False, unbiased=False, invert=False, scale_E=False,
           always_relu=False, tanh_gelu=False):
    """encoder_layer with one of its parts swapped for a wrong one (the defaults are the right parts)."""
    def encoder_layer(src, params, nhead, src_mask=None, src_key_padding_mask=None, activation="relu",
                      norm_first=False, eps=1e-5):
        p = params

        def norm(x, name):
            return _layer_norm(x, p[f"{name}.weight"], p[f"{name}.bias"], eps, no_eps=no_eps, unbiased=unbiased)

        def sa(x):
            return _mha(x, x, p, "self_attn.", nhead, src_mask, src_key_padding_mask, invert=invert, scale_E=scale_E)

        def ff(x):
            return _ff(x, p, activation, always_relu=always_relu, tanh_gelu=tanh_gelu)

        x = src
        pre = False if ignore_norm_first else norm_first != swap_norm
        if pre:
            x = x + sa(norm(x, "norm1"))
            x = (0 if no_ff_residual else x) + ff(norm(x, "norm2"))
        else:
            x = norm(x + sa(x), "norm1")
            x = norm((0 if no_ff_residual else x) + ff(x), "norm2")
        return x.astype(src.dtype)

    return encoder_layer


MISTAKES = [
    mistake(
        "bool_mask_true_allowed",
        title={"en": "bool masks read as True = may attend (the core SDPA convention)",
               "zh": "把布尔掩码当成 True = 允许关注（核心 SDPA 练习的约定）"},
        why={"en": "nn.TransformerEncoderLayer passes its masks to nn.MultiheadAttention, where a bool mask is True "
                   "where attention is NOT allowed: those scores get -inf, the False ones get 0. That is the opposite "
                   "of the core scaled_dot_product_attention exercise. For a bool mask add np.where(mask, -np.inf, 0.0) "
                   "to the scores; a float mask is added as it is.",
             "zh": "nn.TransformerEncoderLayer 把掩码交给 nn.MultiheadAttention，而在那里布尔掩码为 True 表示【不允许】"
                   "关注：这些分数加上 -inf，为 False 的加 0。这和核心练习 scaled_dot_product_attention 的约定正好相反。"
                   "布尔掩码请给分数加上 np.where(mask, -np.inf, 0.0)；浮点掩码直接加到分数上。"},
        encoder_layer=_wrong(invert=True)),
    mistake(
        "norm_first_ignored",
        title={"en": "norm_first ignored: always post-norm", "zh": "忽略了 norm_first：总是后归一化"},
        why={"en": "norm_first=True asks for the pre-norm layer: normalise the input of each block and add the block's "
                   "output to the un-normalised x, x = x + sa(norm1(x)); x = x + ff(norm2(x)). Only norm_first=False "
                   "is norm1(x + sa(x)), norm2(x + ff(x)).",
             "zh": "norm_first=True 要求前归一化：先对每个子块的输入做归一化，再把子块的输出加到未归一化的 x 上，"
                   "即 x = x + sa(norm1(x))；x = x + ff(norm2(x))。只有 norm_first=False 才是 norm1(x + sa(x))、"
                   "norm2(x + ff(x))。"},
        encoder_layer=_wrong(ignore_norm_first=True)),
    mistake(
        "norm_order_swapped",
        title={"en": "post-norm and pre-norm swapped", "zh": "前归一化和后归一化弄反了"},
        why={"en": "norm_first=False is the original (post-norm) transformer: the layer norm comes AFTER the residual "
                   "sum, x = norm1(x + sa(x)). norm_first=True moves it in front of the block, x = x + sa(norm1(x)), "
                   "and the residual path stays un-normalised.",
             "zh": "norm_first=False 是最初的（后归一化）Transformer：层归一化在残差相加【之后】，x = norm1(x + sa(x))。"
                   "norm_first=True 才把它移到子块前面，x = x + sa(norm1(x))，残差通路本身不做归一化。"},
        encoder_layer=_wrong(swap_norm=True)),
    mistake(
        "no_ff_residual",
        title={"en": "no residual around the feed-forward block", "zh": "前馈块外面漏了残差连接"},
        why={"en": "Both blocks are residual: the feed-forward output is added to its input, x + ff(x) (then norm2 in "
                   "post-norm), just as the attention output is. Without it the layer throws away what attention "
                   "computed.",
             "zh": "两个子块都有残差：前馈块的输出要加回它的输入，即 x + ff(x)（后归一化时再做 norm2），和注意力块一样。"
                   "少了它，这一层就把注意力算出来的结果丢掉了。"},
        encoder_layer=_wrong(no_ff_residual=True)),
    mistake(
        "layer_norm_without_eps",
        title={"en": "layer norm without eps", "zh": "层归一化没有加 eps"},
        why={"en": "nn.LayerNorm divides by sqrt(var + eps), with eps the layer_norm_eps argument (here `eps`). Leaving "
                   "it out changes the result whenever the variance is not much larger than eps, and divides by 0 for "
                   "a constant row. Add eps to the variance, inside the square root.",
             "zh": "nn.LayerNorm 除以的是 sqrt(var + eps)，eps 就是 layer_norm_eps 参数（这里是 `eps`）。漏掉它，"
                   "只要方差不远大于 eps 结果就会不同，遇到常数行还会除以 0。请把 eps 加到方差上，放在平方根里面。"},
        encoder_layer=_wrong(no_eps=True)),
    mistake(
        "layer_norm_unbiased_variance",
        title={"en": "layer norm with the unbiased variance (ddof=1)", "zh": "层归一化用了无偏方差 (ddof=1)"},
        why={"en": "Layer norm uses the biased variance: the mean of (x - mean)^2 over the E features, divided by E, "
                   "not E - 1. np.var's default (ddof=0) is right; ddof=1 is what torch.var does by default, not "
                   "nn.LayerNorm.",
             "zh": "层归一化用的是有偏方差：(x - mean)^2 在 E 个特征上的平均，除以 E 而不是 E - 1。np.var 的默认值 "
                   "(ddof=0) 就是对的；ddof=1 是 torch.var 的默认做法，不是 nn.LayerNorm 的。"},
        encoder_layer=_wrong(unbiased=True)),
    mistake(
        "scale_by_d_model",
        title={"en": "scores scaled by 1/sqrt(E) instead of 1/sqrt(head_dim)", "zh": "分数乘了 1/sqrt(E)，而不是 1/sqrt(head_dim)"},
        why={"en": "Each head is its own attention over head_dim = E // nhead features, so its scores are divided by "
                   "sqrt(head_dim). With one head the two agree; with several, sqrt(E) flattens every head's weights.",
             "zh": "每个头都是一次独立的注意力，只用 head_dim = E // nhead 个特征，所以分数要除以 sqrt(head_dim)。"
                   "只有一个头时两者相同；头多了，除以 sqrt(E) 会让每个头的权重都过于平坦。"},
        encoder_layer=_wrong(scale_E=True)),
    mistake(
        "activation_ignored",
        title={"en": "activation ignored: always ReLU", "zh": "忽略了 activation：总是用 ReLU"},
        why={"en": "activation=\"gelu\" asks for GELU between linear1 and linear2: x * (1 + erf(x / sqrt(2))) / 2, "
                   "the exact form nn.TransformerEncoderLayer uses. Read the argument and apply the one it names.",
             "zh": "activation=\"gelu\" 要求在 linear1 和 linear2 之间用 GELU：x * (1 + erf(x / sqrt(2))) / 2，"
                   "也就是 nn.TransformerEncoderLayer 用的精确形式。请读取这个参数，用它指定的激活函数。"},
        encoder_layer=_wrong(always_relu=True)),
    mistake(
        "gelu_tanh_approximation",
        title={"en": "GELU by its tanh approximation", "zh": "GELU 用了 tanh 近似"},
        why={"en": "The layer's \"gelu\" is the exact x * Phi(x) = x * (1 + erf(x / sqrt(2))) / 2. The tanh formula "
                   "(GPT-2's gelu_new) is an approximation that differs around 1e-3. Compute erf, for instance with "
                   "math.erf element by element.",
             "zh": "这一层的 \"gelu\" 是精确的 x * Phi(x) = x * (1 + erf(x / sqrt(2))) / 2。tanh 公式（GPT-2 的 "
                   "gelu_new）只是近似，误差在 1e-3 左右。请计算 erf，例如逐元素用 math.erf。"},
        encoder_layer=_wrong(tanh_gelu=True)),
]
