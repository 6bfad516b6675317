"""Classic wrong answers to attention.causal_mask, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake


def _softmax(scores, axis=-1, shift=True):
    if shift:
        scores = scores - scores.max(axis=axis, keepdims=True)
    e = np.exp(scores)
    return e / e.sum(axis=axis, keepdims=True)


def _top_left(L, S):
    return np.tril(np.ones((L, S), dtype=bool))


def _strictly_below(L, S):
    return np.tril(np.ones((L, S), dtype=bool), k=-1)


def _upper(L, S):
    return np.triu(np.ones((L, S), dtype=bool))


def _bottom_right(L, S):
    return np.tril(np.ones((L, S), dtype=bool), k=S - L)


def _attention(q, k, v, attn_mask=None, is_causal=False, *, causal=_top_left, invert=False, fill=-np.inf,
               after_softmax=False, scale=lambda E: 1 / np.sqrt(E), axis=-1, shift=True):
    """Attention with one of its parts swapped for a wrong one (the defaults are the right parts)."""
    with np.errstate(all="ignore"):
        L, E = q.shape[-2:]
        S = k.shape[-2]
        scores = (q @ np.swapaxes(k, -1, -2)) * q.dtype.type(scale(E))
        allowed = causal(L, S) if is_causal else attn_mask
        if allowed is not None and invert and not is_causal:
            allowed = ~allowed
        if allowed is not None and not after_softmax:
            scores = np.where(allowed, scores, fill)
        weights = _softmax(scores, axis=axis, shift=shift)
        if allowed is not None and after_softmax:
            weights = weights * allowed
        return (weights @ v).astype(q.dtype)


def _with(**wrong):
    def scaled_dot_product_attention(q, k, v, attn_mask=None, is_causal=False):
        return _attention(q, k, v, attn_mask, is_causal, **wrong)
    return scaled_dot_product_attention


def _tril(n):
    """The right causal mask, for mistakes that lie in attention only: a scenario that builds the mask with
    causal_mask and passes it to scaled_dot_product_attention can then be replayed on the mistake alone."""
    return np.tril(np.ones((n, n), dtype=bool))


def _tril_below(n):
    return np.tril(np.ones((n, n), dtype=bool), k=-1)


def _triu(n):
    return np.triu(np.ones((n, n), dtype=bool))


def _triu_above(n):
    return np.triu(np.ones((n, n), dtype=bool), k=1)


MISTAKES = [
    mistake(
        "diagonal_hidden",
        title={"en": "a causal mask that also hides the diagonal", "zh": "因果掩码把对角线也遮住了"},
        why={"en": "A token may attend to itself: query i sees keys 0..i, including key i. np.tril(..., k=-1) "
                   "(or a strict inequality j < i) leaves the first query with no key at all, and its softmax "
                   "becomes 0/0 = NaN. Use np.tril(np.ones((n, n), dtype=bool)), whose diagonal is True.",
             "zh": "token 可以关注它自己：查询 i 能看到键 0..i，包括键 i。np.tril(..., k=-1)（或严格不等式 j < i）"
                   "会让第一个查询一个键都看不到，softmax 变成 0/0 = NaN。请用 np.tril(np.ones((n, n), dtype=bool))，"
                   "它的对角线是 True。"},
        causal_mask=_tril_below, scaled_dot_product_attention=_with(causal=_strictly_below)),
    mistake(
        "upper_triangle",
        title={"en": "the upper triangle (np.triu) instead of the lower", "zh": "用了上三角 (np.triu) 而不是下三角"},
        why={"en": "Row i lists what query i may see, column j is key j. Keys j > i lie in the future, above the "
                   "diagonal, and must be hidden, so the allowed entries are on and below it: np.tril, not np.triu.",
             "zh": "第 i 行对应查询 i 能看到什么，第 j 列是键 j。j > i 的键在未来，位于对角线上方，必须遮住；"
                   "所以允许的位置在对角线及其下方：用 np.tril，而不是 np.triu。"},
        causal_mask=_triu, scaled_dot_product_attention=_with(causal=_upper)),
    mistake(
        "mask_inverted",
        title={"en": "mask read as True = blocked", "zh": "把掩码理解成 True = 屏蔽"},
        why={"en": "Here, as in torch's scaled_dot_product_attention, a bool mask is True where attention is "
                   "ALLOWED. Keep the scores where the mask is True and put -inf where it is False: "
                   "np.where(mask, scores, -np.inf). causal_mask is True on and below the diagonal.",
             "zh": "这里和 torch 的 scaled_dot_product_attention 一样，布尔掩码为 True 表示【允许】关注。"
                   "掩码为 True 处保留分数，为 False 处填 -inf：np.where(mask, scores, -np.inf)。"
                   "causal_mask 在对角线及其下方为 True。"},
        causal_mask=_triu_above, scaled_dot_product_attention=_with(invert=True)),
    mistake(
        "bottom_right_causal",
        title={"en": "causal mask aligned to the bottom-right corner", "zh": "因果掩码对齐到了右下角"},
        why={"en": "With is_causal=True torch keeps np.tril(np.ones((L, S))): query i sees keys 0..i, counted "
                   "from the top-left corner, even when L != S. Shifting the diagonal by S - L (so the last "
                   "query sees every key) is a different convention; build the (L, S) mask with k=0.",
             "zh": "is_causal=True 时 torch 使用 np.tril(np.ones((L, S)))：查询 i 看到键 0..i，从左上角算起，"
                   "即使 L != S 也是如此。把对角线平移 S - L（让最后一个查询看到所有键）是另一种约定；"
                   "请用 k=0 构造 (L, S) 的掩码。"},
        causal_mask=_tril, scaled_dot_product_attention=_with(causal=_bottom_right)),
    mistake(
        "mask_after_softmax",
        title={"en": "masking the weights after the softmax", "zh": "在 softmax 之后才对权重做掩码"},
        why={"en": "Zeroing weights after the softmax leaves rows that no longer sum to 1: the blocked keys "
                   "already took their share of the probability. Mask the scores BEFORE the softmax by "
                   "setting blocked ones to -inf; exp(-inf) = 0 and the rest renormalise by themselves.",
             "zh": "softmax 之后再把权重置零，每行的和就不再是 1：被屏蔽的键已经分走了一部分概率。"
                   "应该在 softmax 【之前】把被屏蔽的分数设为 -inf；exp(-inf) = 0，其余的权重会自动重新归一化。"},
        causal_mask=_tril, scaled_dot_product_attention=_with(after_softmax=True)),
    mistake(
        "zero_fill",
        title={"en": "blocked scores set to 0 instead of -inf", "zh": "被屏蔽的分数设成了 0 而不是 -inf"},
        why={"en": "A score of 0 is an ordinary score: exp(0 - max) is not 0, so blocked keys still get weight. "
                   "Only -inf (or a huge negative number) makes their weight vanish: "
                   "np.where(mask, scores, -np.inf).",
             "zh": "0 只是一个普通的分数：exp(0 - max) 不为 0，被屏蔽的键仍然分到权重。只有 -inf（或一个极大的负数）"
                   "才能让它们的权重变成 0：np.where(mask, scores, -np.inf)。"},
        causal_mask=_tril, scaled_dot_product_attention=_with(fill=0.0)),
    mistake(
        "no_scale",
        title={"en": "scores not divided by sqrt(E)", "zh": "分数没有除以 sqrt(E)"},
        why={"en": "The dot product of two E-dimensional vectors grows like sqrt(E), which would make the "
                   "softmax needlessly sharp. Divide q @ k^T by sqrt(E), E = q.shape[-1], before the softmax.",
             "zh": "两个 E 维向量的点积大小大约随 sqrt(E) 增长，会让 softmax 过于尖锐。在 softmax 之前把 "
                   "q @ k^T 除以 sqrt(E)，其中 E = q.shape[-1]。"},
        causal_mask=_tril, scaled_dot_product_attention=_with(scale=lambda E: 1.0)),
    mistake(
        "scaled_by_E",
        title={"en": "scores divided by E instead of sqrt(E)", "zh": "分数除以了 E 而不是 sqrt(E)"},
        why={"en": "The scale is 1 / sqrt(E), the square root of the feature size: np.sqrt(q.shape[-1]). "
                   "Dividing by E itself flattens the weights too much.",
             "zh": "缩放因子是 1 / sqrt(E)，即特征维度的平方根：np.sqrt(q.shape[-1])。直接除以 E 会让权重过于平坦。"},
        causal_mask=_tril, scaled_dot_product_attention=_with(scale=lambda E: 1.0 / E)),
    mistake(
        "times_sqrt_E",
        title={"en": "scores multiplied by sqrt(E) instead of divided", "zh": "分数乘以了 sqrt(E) 而不是除以"},
        why={"en": "The scores are q @ k^T / sqrt(E): dividing keeps their size near 1 whatever E is. "
                   "Multiplying makes them larger still.",
             "zh": "分数是 q @ k^T / sqrt(E)：除以它能让分数的大小与 E 无关、保持在 1 左右。乘以它只会让分数更大。"},
        causal_mask=_tril, scaled_dot_product_attention=_with(scale=lambda E: np.sqrt(E))),
    mistake(
        "softmax_over_queries",
        title={"en": "softmax over the queries (axis -2) instead of the keys", "zh": "softmax 沿查询维 (axis -2) 而不是键维"},
        why={"en": "The scores have shape (..., L, S): one row per query, one column per key. Each query spreads "
                   "its attention over the keys, so normalise each row: softmax along axis=-1.",
             "zh": "分数的形状是 (..., L, S)：每行一个查询，每列一个键。每个查询把注意力分配给各个键，"
                   "所以要对每一行归一化：沿 axis=-1 做 softmax。"},
        causal_mask=_tril, scaled_dot_product_attention=_with(axis=-2)),
    mistake(
        "no_max_shift",
        title={"en": "softmax without subtracting the row maximum", "zh": "softmax 没有先减去每行的最大值"},
        why={"en": "Scores in the hundreds overflow exp() (float64 overflows above 709, float32 above 88) and "
                   "inf / inf is NaN. Subtract scores.max(axis=-1, keepdims=True) first; blocked -inf entries "
                   "stay -inf and become exactly 0.",
             "zh": "几百大小的分数会让 exp() 溢出（float64 超过 709、float32 超过 88 就溢出），inf / inf 得到 NaN。"
                   "先减去 scores.max(axis=-1, keepdims=True)；被屏蔽的 -inf 仍是 -inf，取指数后恰好为 0。"},
        causal_mask=_tril, scaled_dot_product_attention=_with(shift=False)),
]
