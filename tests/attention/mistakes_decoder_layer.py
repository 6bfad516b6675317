"""Classic wrong answers to attention.decoder_layer, each named and explained."""

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


def _wrong(*, ignore_norm_first=False, swap_norm=False, no_ff_residual=False, no_eps=False, unbiased=False,
           invert=False, scale_E=False, always_relu=False, cross_on_tgt=False, no_causal=False, causal_diagonal=False):
    """decoder_layer with one of its parts swapped for a wrong one (the defaults are the right parts)."""

    def decoder_layer(tgt, memory, params, nhead, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                      memory_key_padding_mask=None, tgt_is_causal=False, activation="relu", norm_first=False,
                      eps=1e-5):
        p = params
        L = tgt.shape[1]
        if tgt_is_causal and tgt_mask is None and not no_causal:
            tgt_mask = np.triu(np.ones((L, L), dtype=bool), k=0 if causal_diagonal else 1)

        def norm(x, name):
            return _layer_norm(x, p[f"{name}.weight"], p[f"{name}.bias"], eps, no_eps=no_eps, unbiased=unbiased)

        def sa(x):
            return _mha(x, x, p, "self_attn.", nhead, tgt_mask, tgt_key_padding_mask, invert=invert, scale_E=scale_E)

        def ca(x):
            if cross_on_tgt:  # keys and values from the decoder's own stream; the memory masks cannot apply
                return _mha(x, x, p, "multihead_attn.", nhead, None, None, invert=invert, scale_E=scale_E)
            return _mha(x, memory, p, "multihead_attn.", nhead, memory_mask, memory_key_padding_mask, invert=invert,
                        scale_E=scale_E)

        def ff(x):
            return _ff(x, p, activation, always_relu=always_relu)

        x = tgt
        pre = False if ignore_norm_first else norm_first != swap_norm
        if pre:
            x = x + sa(norm(x, "norm1"))
            x = x + ca(norm(x, "norm2"))
            x = (0 if no_ff_residual else x) + ff(norm(x, "norm3"))
        else:
            x = norm(x + sa(x), "norm1")
            x = norm(x + ca(x), "norm2")
            x = norm((0 if no_ff_residual else x) + ff(x), "norm3")
        return x.astype(tgt.dtype)

    return decoder_layer


MISTAKES = [
    mistake(
        "bool_mask_true_allowed",
        title={"en": "bool masks read as True = may attend (the core SDPA convention)",
               "zh": "把布尔掩码当成 True = 允许关注（核心 SDPA 练习的约定）"},
        why={"en": "The decoder's masks go to nn.MultiheadAttention, where a bool mask is True where attention is NOT "
                   "allowed: those scores get -inf. The core scaled_dot_product_attention exercise uses the opposite "
                   "convention. So the causal mask here is True ABOVE the diagonal, and a padding mask is True on the "
                   "padded positions. Add np.where(mask, -np.inf, 0.0) for a bool mask, a float mask as it is.",
             "zh": "解码器的掩码都交给 nn.MultiheadAttention，在那里布尔掩码为 True 表示【不允许】关注：这些分数加上 -inf。"
                   "核心练习 scaled_dot_product_attention 的约定正好相反。所以这里的因果掩码在对角线【上方】为 True，"
                   "填充掩码在被填充的位置为 True。布尔掩码加上 np.where(mask, -np.inf, 0.0)，浮点掩码直接相加。"},
        decoder_layer=_wrong(invert=True)),
    mistake(
        "cross_attention_on_tgt",
        title={"en": "cross-attention takes its keys and values from tgt, not memory",
               "zh": "交叉注意力的键和值取自 tgt，而不是 memory"},
        why={"en": "The second block is how the decoder reads the encoder: its queries come from the decoder's stream x, "
                   "but its keys and values come from `memory`, (N, S, E). Using x for all three makes it a second "
                   "self-attention that never sees the source sentence. memory_mask is (L, S) for the same reason.",
             "zh": "第二个子块是解码器读取编码器结果的地方：查询来自解码器自身的 x，而键和值来自 `memory`，形状为 (N, S, E)。"
                   "三者都用 x 的话，它就成了第二个自注意力，永远看不到源句子。memory_mask 的形状是 (L, S) 也是这个原因。"},
        decoder_layer=_wrong(cross_on_tgt=True)),
    mistake(
        "causal_ignored",
        title={"en": "tgt_is_causal=True without a causal mask", "zh": "tgt_is_causal=True 时没有加因果掩码"},
        why={"en": "tgt_is_causal=True says the self-attention must be causal: with no tgt_mask given, build the mask "
                   "yourself, np.triu(np.ones((L, L), dtype=bool), k=1) (True = blocked), so position i sees 0..i "
                   "only. Otherwise every target position reads the future tokens it is meant to predict.",
             "zh": "tgt_is_causal=True 表示自注意力必须是因果的：没有给出 tgt_mask 时，要自己构造掩码 "
                   "np.triu(np.ones((L, L), dtype=bool), k=1)（True = 屏蔽），让位置 i 只看到 0..i。否则每个目标位置"
                   "都会读到它本该预测的未来 token。"},
        decoder_layer=_wrong(no_causal=True)),
    mistake(
        "causal_hides_diagonal",
        title={"en": "a causal mask that also hides the diagonal", "zh": "因果掩码把对角线也遮住了"},
        why={"en": "Position i may attend to itself. In the True-is-blocked convention that is np.triu(..., k=1): "
                   "strictly above the diagonal. k=0 blocks position i from itself and leaves the first position "
                   "with no key at all (NaN).",
             "zh": "位置 i 可以关注它自己。在 True = 屏蔽的约定下应该是 np.triu(..., k=1)：严格位于对角线上方。"
                   "k=0 会让位置 i 看不到自己，第一个位置更是一个键都没有（得到 NaN）。"},
        decoder_layer=_wrong(causal_diagonal=True)),
    mistake(
        "norm_first_ignored",
        title={"en": "norm_first ignored: always post-norm", "zh": "忽略了 norm_first：总是后归一化"},
        why={"en": "norm_first=True asks for pre-norm: each of the three blocks gets a normalised input and adds its "
                   "output to the un-normalised x: x = x + sa(norm1(x)); x = x + ca(norm2(x)); x = x + ff(norm3(x)).",
             "zh": "norm_first=True 要求前归一化：三个子块的输入都先归一化，输出再加回未归一化的 x："
                   "x = x + sa(norm1(x))；x = x + ca(norm2(x))；x = x + ff(norm3(x))。"},
        decoder_layer=_wrong(ignore_norm_first=True)),
    mistake(
        "norm_order_swapped",
        title={"en": "post-norm and pre-norm swapped", "zh": "前归一化和后归一化弄反了"},
        why={"en": "norm_first=False is post-norm, the layer norm AFTER each residual sum: x = norm1(x + sa(x)), "
                   "x = norm2(x + ca(x)), x = norm3(x + ff(x)). norm_first=True moves each norm in front of its block.",
             "zh": "norm_first=False 是后归一化，层归一化在每次残差相加【之后】：x = norm1(x + sa(x))，"
                   "x = norm2(x + ca(x))，x = norm3(x + ff(x))。norm_first=True 才把每个归一化移到子块前面。"},
        decoder_layer=_wrong(swap_norm=True)),
    mistake(
        "no_ff_residual",
        title={"en": "no residual around the feed-forward block", "zh": "前馈块外面漏了残差连接"},
        why={"en": "All three blocks are residual, the feed-forward one too: x + ff(x) (then norm3 in post-norm). "
                   "Without the residual the output forgets both attentions.",
             "zh": "三个子块都有残差，前馈块也一样：x + ff(x)（后归一化时再做 norm3）。少了残差，输出就把两次注意力的结果都丢了。"},
        decoder_layer=_wrong(no_ff_residual=True)),
    mistake(
        "layer_norm_without_eps",
        title={"en": "layer norm without eps", "zh": "层归一化没有加 eps"},
        why={"en": "Each of norm1, norm2 and norm3 divides by sqrt(var + eps), eps being the layer's `eps` "
                   "(torch's layer_norm_eps). Put it inside the square root; leaving it out shows as soon as the "
                   "variance is comparable to eps.",
             "zh": "norm1、norm2、norm3 都除以 sqrt(var + eps)，eps 就是这一层的 `eps`（torch 的 layer_norm_eps）。"
                   "请把它放在平方根里面；漏掉它，只要方差和 eps 差不多大，结果就不对。"},
        decoder_layer=_wrong(no_eps=True)),
    mistake(
        "layer_norm_unbiased_variance",
        title={"en": "layer norm with the unbiased variance (ddof=1)", "zh": "层归一化用了无偏方差 (ddof=1)"},
        why={"en": "nn.LayerNorm averages (x - mean)^2 over the E features, dividing by E. Dividing by E - 1 "
                   "(ddof=1) rescales every normalised row.",
             "zh": "nn.LayerNorm 把 (x - mean)^2 在 E 个特征上取平均，除以 E。除以 E - 1（ddof=1）会让每一行归一化后的"
                   "结果都被缩放。"},
        decoder_layer=_wrong(unbiased=True)),
    mistake(
        "scale_by_d_model",
        title={"en": "scores scaled by 1/sqrt(E) instead of 1/sqrt(head_dim)", "zh": "分数乘了 1/sqrt(E)，而不是 1/sqrt(head_dim)"},
        why={"en": "Each head attends with its own head_dim = E // nhead features, and its scores are divided by "
                   "sqrt(head_dim), in the self-attention and the cross-attention alike.",
             "zh": "每个头只用自己的 head_dim = E // nhead 个特征做注意力，分数要除以 sqrt(head_dim)，自注意力和交叉注意力都一样。"},
        decoder_layer=_wrong(scale_E=True)),
    mistake(
        "activation_ignored",
        title={"en": "activation ignored: always ReLU", "zh": "忽略了 activation：总是用 ReLU"},
        why={"en": "activation=\"gelu\" means the exact GELU, x * (1 + erf(x / sqrt(2))) / 2, between linear1 and "
                   "linear2. Apply the activation the argument names.",
             "zh": "activation=\"gelu\" 表示在 linear1 和 linear2 之间用精确的 GELU：x * (1 + erf(x / sqrt(2))) / 2。"
                   "请使用参数指定的激活函数。"},
        decoder_layer=_wrong(always_relu=True)),
]
