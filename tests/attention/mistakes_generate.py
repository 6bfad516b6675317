"""Classic wrong answers to attention.generate, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake


def _valid(idx, max_new_tokens, temperature, top_k, block_size):
    if np.ndim(idx) != 2 or max_new_tokens < 0 or temperature < 0:
        raise ValueError("bad input")
    if (top_k is not None and top_k < 1) or (block_size is not None and block_size < 1):
        raise ValueError("bad input")


def _sample(logits, rng):
    """One token per row from softmax(logits), by inverting the cdf with one uniform per row."""
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    cdf = np.cumsum(e, axis=-1)
    cdf = cdf / cdf[:, -1:]
    return (cdf <= rng.random((logits.shape[0], 1))).sum(axis=-1)


def _wrong(logits_fn, idx, max_new_tokens, temperature, top_k, block_size, rng, *, scale="divide",
           keep="largest", position=-1, crop=True, prompt=True, greedy=False, fresh_rng=False):
    """The right loop, except where a keyword says otherwise."""
    _valid(idx, max_new_tokens, temperature, top_k, block_size)
    rng = np.random.default_rng() if rng is None else rng
    out = np.array(idx, copy=True)
    for _ in range(max_new_tokens):
        context = out if block_size is None or not crop else out[:, -block_size:]
        logits = np.asarray(logits_fn(context), dtype=np.float64)[:, position, :]
        if temperature == 0 or greedy:
            nxt = np.argmax(logits, axis=-1)
        else:
            scaled = {"divide": logits / temperature, "ignore": logits, "multiply": logits * temperature}[scale]
            if keep != "all" and top_k is not None and top_k < scaled.shape[-1]:
                order = np.sort(scaled, axis=-1)
                if keep == "largest":
                    scaled = np.where(scaled < order[:, -top_k][:, None], -np.inf, scaled)
                else:
                    scaled = np.where(scaled > order[:, top_k - 1][:, None], -np.inf, scaled)
            nxt = _sample(scaled, np.random.default_rng() if fresh_rng else rng)
        out = np.concatenate([out, nxt[:, None].astype(out.dtype)], axis=1)
    return out if prompt else out[:, idx.shape[1]:]


def _variant(**how):
    def generate(logits_fn, idx, max_new_tokens, temperature=1.0, top_k=None, block_size=None, rng=None):
        return _wrong(logits_fn, idx, max_new_tokens, temperature, top_k, block_size, rng, **how)
    return generate


MISTAKES = [
    mistake(
        "temperature_ignored",
        title={"en": "temperature not applied to the logits", "zh": "没有把 temperature 用到 logits 上"},
        why={"en": "The temperature reshapes the distribution: the logits are divided by it before the softmax, "
                   "so a temperature below 1 sharpens the choice and one above 1 spreads it out. Sampling from "
                   "softmax(logits) gives the temperature-1 distribution whatever was asked.",
             "zh": "temperature 用来调整分布的形状：softmax 之前要把 logits 除以它，小于 1 时选择更集中，大于 1 时"
                   "更分散。直接从 softmax(logits) 抽样，无论要求的是多少，得到的都是 temperature 为 1 的分布。"},
        generate=_variant(scale="ignore")),
    mistake(
        "temperature_multiplied",
        title={"en": "logits multiplied by the temperature instead of divided",
               "zh": "logits 乘以了 temperature，而不是除以它"},
        why={"en": "softmax(logits / T) is the rule: a high temperature must make the logits closer together "
                   "(flatter probabilities). Multiplying does the opposite, sharpening the distribution exactly "
                   "when it should be spread out.",
             "zh": "规则是 softmax(logits / T)：温度高时 logits 之间的差距应当变小（概率更平）。乘以 T 正好相反，"
                   "在本该更分散的时候反而让分布更尖锐。"},
        generate=_variant(scale="multiply")),
    mistake(
        "top_k_ignored",
        title={"en": "top_k not applied: sampling from the full softmax",
               "zh": "没有应用 top_k：从完整的 softmax 中抽样"},
        why={"en": "With top_k = k only the k tokens with the largest logits may be drawn. Set every other "
                   "logit to -inf before the softmax, so those tokens get probability exactly 0 and the k kept "
                   "ones are renormalised to sum to 1.",
             "zh": "top_k = k 时只能抽到 logits 最大的 k 个 token。在 softmax 之前把其余的 logits 设为 -inf，"
                   "它们的概率就严格为 0，保留下来的 k 个重新归一化，和为 1。"},
        generate=_variant(keep="all")),
    mistake(
        "top_k_smallest",
        title={"en": "top-k keeping the k smallest logits", "zh": "top-k 保留了最小的 k 个 logits"},
        why={"en": "np.sort sorts in ascending order, so the k largest values are the LAST k: the threshold is "
                   "np.sort(logits)[:, -k], and logits below it are masked. Keeping the first k keeps the least "
                   "likely tokens.",
             "zh": "np.sort 按升序排列，所以最大的 k 个值在【最后】k 个：阈值是 np.sort(logits)[:, -k]，比它小的"
                   " logits 被屏蔽。保留前 k 个，留下的就是最不可能的那些 token。"},
        generate=_variant(keep="smallest")),
    mistake(
        "first_position",
        title={"en": "sampling from the logits of the first position instead of the last",
               "zh": "从第一个位置而不是最后一个位置的 logits 抽样"},
        why={"en": "logits_fn returns (B, t, V): position j predicts the token after position j. The next token "
                   "of the sequence is predicted by the LAST position, logits[:, -1, :].",
             "zh": "logits_fn 返回 (B, t, V)：位置 j 预测的是位置 j 之后的 token。序列的下一个 token 由【最后】"
                   "一个位置预测，即 logits[:, -1, :]。"},
        generate=_variant(position=0)),
    mistake(
        "no_crop",
        title={"en": "the context not cropped to block_size", "zh": "没有把上下文裁剪到 block_size"},
        why={"en": "A model can only take block_size tokens (its positional table ends there). Each step, feed "
                   "it the last block_size tokens, idx[:, -block_size:], and keep the whole sequence for the "
                   "output.",
             "zh": "模型最多只能接收 block_size 个 token（它的位置表就到那里为止）。每一步只把最后 block_size 个"
                   " token（idx[:, -block_size:]）送进模型，完整的序列留着用于输出。"},
        generate=_variant(crop=False)),
    mistake(
        "prompt_dropped",
        title={"en": "only the new tokens returned, without the prompt", "zh": "只返回了新 token，丢掉了提示"},
        why={"en": "generate returns the whole sequence, (B, T + max_new_tokens): the prompt followed by the new "
                   "tokens, as the model saw it at the last step.",
             "zh": "generate 返回完整的序列，形状为 (B, T + max_new_tokens)：提示在前，新 token 在后，"
                   "也就是模型最后一步看到的样子。"},
        generate=_variant(prompt=False)),
    mistake(
        "always_greedy",
        title={"en": "argmax at every temperature instead of sampling", "zh": "无论 temperature 是多少都取 argmax，没有抽样"},
        why={"en": "Only temperature 0 is greedy. For a temperature above 0 the next token is DRAWN from the "
                   "(top-k) softmax with rng, so a less likely token is chosen as often as its probability says.",
             "zh": "只有 temperature 为 0 时才是贪心解码。temperature 大于 0 时，下一个 token 要用 rng 从（top-k）"
                   " softmax 中【抽样】，概率较小的 token 也会按它的概率被选中。"},
        generate=_variant(greedy=True)),
    mistake(
        "fresh_rng",
        title={"en": "a new np.random.default_rng() at every step instead of the rng given",
               "zh": "每一步都新建 np.random.default_rng()，没有用传入的 rng"},
        why={"en": "A generator made without a seed starts somewhere new every time, so the same seed no longer "
                   "gives the same tokens. Draw every sample from the rng argument (create one only when rng is "
                   "None, once, before the loop).",
             "zh": "不带种子创建的生成器每次都从新的状态开始，同一个种子就不再给出相同的 token。所有抽样都要用参数"
                   " rng（只有 rng 为 None 时才新建一个，而且只在循环之前建一次）。"},
        generate=_variant(fresh_rng=True)),
]
