"""Classic wrong answers to attention.multi_head_attention, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake


def _additive(mask, dtype, invert_bool):
    mask = np.asarray(mask)
    if mask.dtype == bool:
        blocked = ~mask if invert_bool else mask
        return np.where(blocked, -np.inf, 0.0).astype(dtype)
    return mask.astype(dtype)


def _mha(query, key, value, num_heads, in_proj_weight, in_proj_bias, out_proj_weight, out_proj_bias,
         key_padding_mask=None, need_weights=True, attn_mask=None, average_attn_weights=True, is_causal=False, *,
         invert_bool=False, scale_by="head_dim", split="transpose", merge="transpose", order="qkv",
         heads="mean", padding="keys", out_proj=True, axis=-1, per_head_mask="batch_major", causal=True,
         shift=True):
    """Multi-head attention with one of its parts swapped for a wrong one (the defaults are the right parts)."""
    with np.errstate(all="ignore"):
        N, L, E = query.shape
        S = key.shape[1]
        H, D = num_heads, E // num_heads
        if E % H:
            raise ValueError(f"num_heads={H} does not divide E={E}")
        blocks = dict(zip("qkv", np.split(in_proj_weight, 3)))
        biases = dict(zip("qkv", np.split(in_proj_bias, 3)))
        proj = {name: x @ blocks[part].T + biases[part] for name, part, x in
                zip("qkv", order, (query, key, value))}

        def split_heads(x):
            T = x.shape[1]
            if split == "reshape":  # the flat (T, E) block cut into H pieces: positions mix across heads
                return x.reshape(N, H, T, D)
            return x.reshape(N, T, H, D).transpose(0, 2, 1, 3)

        q, k, v = (split_heads(proj[name]) for name in "qkv")
        scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(E if scale_by == "E" else D)  # (N, H, L, S)
        if is_causal and attn_mask is None and causal:
            attn_mask = np.triu(np.ones((L, S), dtype=bool), k=1)
        if attn_mask is not None:
            mask = _additive(attn_mask, scores.dtype, invert_bool)
            if mask.ndim == 3:
                mask = (mask.reshape(H, N, L, S).transpose(1, 0, 2, 3) if per_head_mask == "head_major"
                        else mask.reshape(N, H, L, S))
            scores = scores + mask
        if key_padding_mask is not None and padding != "ignored":
            kpm = _additive(key_padding_mask, scores.dtype, invert_bool)
            scores = scores + (kpm[:, None, :, None] if padding == "queries" else kpm[:, None, None, :])
        if shift:
            scores = scores - scores.max(axis=axis, keepdims=True)
        e = np.exp(scores)
        weights = e / e.sum(axis=axis, keepdims=True)  # (N, H, L, S)
        out = weights @ v  # (N, H, L, D)
        out = out.reshape(N, L, E) if merge == "reshape" or split == "reshape" else \
            out.transpose(0, 2, 1, 3).reshape(N, L, E)
        if out_proj:
            out = out @ out_proj_weight.T + out_proj_bias
        out = out.astype(query.dtype)
        if not need_weights:
            return out, None
        if average_attn_weights and heads != "none":
            weights = weights.sum(axis=1) if heads == "sum" else weights.mean(axis=1)
        return out, weights.astype(query.dtype)


def _with(**wrong):
    def multi_head_attention(query, key, value, num_heads, in_proj_weight, in_proj_bias, out_proj_weight,
                             out_proj_bias, key_padding_mask=None, need_weights=True, attn_mask=None,
                             average_attn_weights=True, is_causal=False):
        return _mha(query, key, value, num_heads, in_proj_weight, in_proj_bias, out_proj_weight, out_proj_bias,
                    key_padding_mask, need_weights, attn_mask, average_attn_weights, is_causal, **wrong)
    return multi_head_attention


MISTAKES = [
    mistake(
        "sdpa_mask_convention",
        title={"en": "bool masks read as True = may attend (the scaled_dot_product_attention convention)",
               "zh": "把布尔掩码当成 True = 允许关注（scaled_dot_product_attention 的约定）"},
        why={"en": "nn.MultiheadAttention uses the opposite convention from F.scaled_dot_product_attention and from "
                   "causal_mask in this course: a True in attn_mask or key_padding_mask means the pair is NOT "
                   "allowed (a padded key, a future position). Put -inf where a bool mask is True and 0 where it "
                   "is False: np.where(mask, -np.inf, 0.0), then add it to the scores.",
             "zh": "nn.MultiheadAttention 的约定与 F.scaled_dot_product_attention 以及本课程的 causal_mask 正好相反："
                   "attn_mask 或 key_padding_mask 中的 True 表示这一对【不允许】关注（填充的键、未来的位置）。"
                   "布尔掩码为 True 处取 -inf，为 False 处取 0：np.where(mask, -np.inf, 0.0)，再加到分数上。"},
        multi_head_attention=_with(invert_bool=True)),
    mistake(
        "scaled_by_E",
        title={"en": "scores divided by sqrt(E) instead of sqrt(head_dim)",
               "zh": "分数除以了 sqrt(E) 而不是 sqrt(head_dim)"},
        why={"en": "Each head takes the dot product of head_dim = E // num_heads features, so its scores are scaled "
                   "by 1 / sqrt(head_dim), the size of the vectors actually multiplied. sqrt(E) is right only with "
                   "one head.",
             "zh": "每个头只对 head_dim = E // num_heads 个特征做点积，所以它的分数要乘以 1 / sqrt(head_dim)，"
                   "即真正相乘的向量的长度。只有一个头时 sqrt(E) 才恰好正确。"},
        multi_head_attention=_with(scale_by="E")),
    mistake(
        "heads_without_transpose",
        title={"en": "heads cut with a bare reshape (N, L, E) -> (N, num_heads, L, head_dim)",
               "zh": "直接把 (N, L, E) reshape 成 (N, num_heads, L, head_dim) 来切分注意力头"},
        why={"en": "A head is a slice of the FEATURES of every position: head h holds features h * head_dim to "
                   "(h + 1) * head_dim - 1. Reshaping the flat (L, E) block straight to (num_heads, L, head_dim) "
                   "cuts it in memory order and mixes positions into the wrong heads. Reshape to "
                   "(N, L, num_heads, head_dim) and then transpose to (N, num_heads, L, head_dim); undo it the same "
                   "way when merging.",
             "zh": "一个头是每个位置上的一段【特征】：头 h 拥有特征 h * head_dim 到 (h + 1) * head_dim - 1。"
                   "把扁平的 (L, E) 块直接 reshape 成 (num_heads, L, head_dim) 是按内存顺序切开，会把不同位置混进错误的头里。"
                   "应先 reshape 成 (N, L, num_heads, head_dim)，再 transpose 成 (N, num_heads, L, head_dim)；"
                   "合并时按相反的顺序还原。"},
        multi_head_attention=_with(split="reshape")),
    mistake(
        "merge_without_transpose",
        title={"en": "heads merged back with a bare reshape (N, num_heads, L, head_dim) -> (N, L, E)",
               "zh": "直接把 (N, num_heads, L, head_dim) reshape 回 (N, L, E) 来合并注意力头"},
        why={"en": "Before the heads can be put side by side, the head axis must move back next to the features: "
                   "transpose (N, num_heads, L, head_dim) to (N, L, num_heads, head_dim), then reshape to (N, L, E). "
                   "A reshape alone glues rows of different positions together.",
             "zh": "要把各个头的结果并排拼起来，必须先把头所在的维度移回特征旁边：把 (N, num_heads, L, head_dim) "
                   "transpose 成 (N, L, num_heads, head_dim)，再 reshape 成 (N, L, E)。只做 reshape 会把不同位置的行粘在一起。"},
        multi_head_attention=_with(merge="reshape")),
    mistake(
        "qk_blocks_swapped",
        title={"en": "the q and k blocks of in_proj_weight swapped", "zh": "把 in_proj_weight 中 q 和 k 的块弄反了"},
        why={"en": "in_proj_weight stacks three (E, E) blocks in the order q, k, v: rows 0:E project the queries, "
                   "E:2E the keys, 2E:3E the values, and in_proj_bias is cut the same way. Taking the key block for "
                   "the queries computes a different score matrix.",
             "zh": "in_proj_weight 按 q、k、v 的顺序堆叠了三个 (E, E) 的块：第 0:E 行投影查询，E:2E 行投影键，"
                   "2E:3E 行投影值，in_proj_bias 也按同样方式切分。把键的块用在查询上，算出的是另一个分数矩阵。"},
        multi_head_attention=_with(order="kqv")),
    mistake(
        "weights_summed",
        title={"en": "attention weights summed over the heads instead of averaged",
               "zh": "注意力权重在头之间求和，而不是取平均"},
        why={"en": "With average_attn_weights=True torch returns the MEAN of the per-head weights, (N, L, S), so each "
                   "row still sums to 1. Summing gives rows that sum to num_heads: use weights.mean(axis=1).",
             "zh": "average_attn_weights=True 时 torch 返回各个头权重的【平均值】，形状为 (N, L, S)，每行之和仍为 1。"
                   "求和会让每行之和变成 num_heads：请用 weights.mean(axis=1)。"},
        multi_head_attention=_with(heads="sum")),
    mistake(
        "weights_not_averaged",
        title={"en": "average_attn_weights ignored: weights always per head",
               "zh": "忽略了 average_attn_weights：权重总是按头分别返回"},
        why={"en": "The default average_attn_weights=True averages the weights over the heads and returns "
                   "(N, L, S); only average_attn_weights=False keeps them per head, (N, num_heads, L, S).",
             "zh": "默认的 average_attn_weights=True 会把权重在各个头之间取平均，返回 (N, L, S)；"
                   "只有 average_attn_weights=False 时才按头分别返回，形状为 (N, num_heads, L, S)。"},
        multi_head_attention=_with(heads="none")),
    mistake(
        "padding_ignored",
        title={"en": "key_padding_mask ignored", "zh": "忽略了 key_padding_mask"},
        why={"en": "key_padding_mask (N, S) marks the padded keys of each sequence; they must get no weight from any "
                   "query in any head. Turn it into -inf (bool True) or take it as it is (float), reshape it to "
                   "(N, 1, 1, S) and add it to the (N, num_heads, L, S) scores.",
             "zh": "key_padding_mask (N, S) 标出每个序列中被填充的键，任何头中的任何查询都不能给它们分配权重。"
                   "把它变成 -inf（布尔 True 处）或直接使用（浮点掩码），reshape 成 (N, 1, 1, S)，"
                   "再加到形状为 (N, num_heads, L, S) 的分数上。"},
        multi_head_attention=_with(padding="ignored")),
    mistake(
        "padding_on_queries",
        title={"en": "key_padding_mask applied along the query axis", "zh": "把 key_padding_mask 加在了查询维上"},
        why={"en": "The padding mask hides KEYS: its entry [n, j] is about key j, the last axis of the scores "
                   "(N, num_heads, L, S). Broadcast it as (N, 1, 1, S), not (N, 1, L, 1), which only fits when "
                   "L == S and then blanks whole rows of queries.",
             "zh": "填充掩码遮住的是【键】：它的元素 [n, j] 对应键 j，也就是分数 (N, num_heads, L, S) 的最后一维。"
                   "应当广播成 (N, 1, 1, S)，而不是 (N, 1, L, 1)；后者只有在 L == S 时才凑得上形状，"
                   "而且会把整行查询都遮掉。"},
        multi_head_attention=_with(padding="queries")),
    mistake(
        "per_head_mask_head_major",
        title={"en": "a (N * num_heads, L, S) attn_mask read head by head", "zh": "把 (N * num_heads, L, S) 的 attn_mask 按头优先的顺序读取"},
        why={"en": "In torch a 3-D attn_mask holds batch element n, head h at row n * num_heads + h: the heads of "
                   "one batch element are next to each other. Reshape it to (N, num_heads, L, S), not to "
                   "(num_heads, N, L, S).",
             "zh": "在 torch 中，三维 attn_mask 的第 n * num_heads + h 行对应批次元素 n 的第 h 个头："
                   "同一个批次元素的各个头是相邻的。请 reshape 成 (N, num_heads, L, S)，而不是 (num_heads, N, L, S)。"},
        multi_head_attention=_with(per_head_mask="head_major")),
    mistake(
        "is_causal_ignored",
        title={"en": "is_causal=True without attn_mask treated as no mask", "zh": "is_causal=True 但没有 attn_mask 时当作没有掩码"},
        why={"en": "Here is_causal=True means the attention is causal: with no attn_mask, build the causal mask "
                   "yourself. Query i may see keys 0..i, so block every key j > i: "
                   "np.triu(np.ones((L, S), dtype=bool), k=1) is True exactly there (True = blocked, as in MHA).",
             "zh": "这里 is_causal=True 表示注意力是因果的：没有给 attn_mask 时要自己构造因果掩码。"
                   "查询 i 只能看到键 0..i，所以要遮住所有 j > i 的键：np.triu(np.ones((L, S), dtype=bool), k=1) "
                   "恰好在这些位置为 True（与 MHA 一样，True 表示屏蔽）。"},
        multi_head_attention=_with(causal=False)),
    mistake(
        "no_out_proj",
        title={"en": "the output projection left out", "zh": "漏掉了输出投影"},
        why={"en": "After the heads are merged back to (N, L, E), nn.MultiheadAttention applies one more linear "
                   "layer that mixes the heads: merged @ out_proj_weight.T + out_proj_bias. Without it the heads "
                   "never talk to each other.",
             "zh": "各个头合并回 (N, L, E) 之后，nn.MultiheadAttention 还要再做一次线性变换把各个头的信息混合起来："
                   "merged @ out_proj_weight.T + out_proj_bias。少了这一步，各个头之间就没有任何交流。"},
        multi_head_attention=_with(out_proj=False)),
    mistake(
        "softmax_over_queries",
        title={"en": "softmax over the queries (axis -2) instead of the keys",
               "zh": "softmax 沿查询维 (axis -2) 而不是键维进行"},
        why={"en": "The scores are (N, num_heads, L, S): one row per query, one column per key. Every query "
                   "distributes its attention over the keys, so each row must sum to 1: softmax along axis=-1.",
             "zh": "分数的形状是 (N, num_heads, L, S)：每行一个查询，每列一个键。每个查询把注意力分配给各个键，"
                   "所以每一行的和必须为 1：沿 axis=-1 做 softmax。"},
        multi_head_attention=_with(axis=-2)),
    mistake(
        "no_max_shift",
        title={"en": "softmax without subtracting the row maximum", "zh": "softmax 之前没有减去每行的最大值"},
        why={"en": "Scores of a few hundred or more overflow np.exp (float64 above 709, float32 above 88) and "
                   "inf / inf is NaN. Subtract scores.max(axis=-1, keepdims=True) before exponentiating; the "
                   "weights do not change, and masked -inf scores still give exactly 0.",
             "zh": "几百以上的分数会让 np.exp 溢出（float64 超过 709、float32 超过 88），inf / inf 得到 NaN。"
                   "取指数前先减去 scores.max(axis=-1, keepdims=True)；权重不变，被屏蔽的 -inf 分数仍然恰好得到 0。"},
        multi_head_attention=_with(shift=False)),
]
