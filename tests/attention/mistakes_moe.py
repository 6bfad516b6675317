"""Classic wrong answers to attention.moe, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _moe(x, gate_weight, experts, top_k=2, *, weights="selected", f="top1", P="full", factor=True, relu=True,
         bias=True, lowest=False):
    """moe with one of its parts swapped for a wrong one (the defaults are the right parts)."""
    E = len(gate_weight)
    if not 1 <= top_k <= E:
        raise ValueError("top_k must be in [1, E]")
    N = x.shape[0]
    logits = x @ gate_weight.T
    order = np.argsort(logits if lowest else -logits, axis=-1, kind="stable")[:, :top_k]
    probs = _softmax(logits)
    if weights == "full":
        w = np.take_along_axis(probs, order, axis=-1)
    else:
        w = _softmax(np.take_along_axis(logits, order, axis=-1))
    y = np.zeros_like(x)
    gates = np.zeros_like(logits)
    np.put_along_axis(gates, order, w, axis=-1)
    for e, ex in enumerate(experts):
        h = x @ ex["fc1.weight"].T + (ex["fc1.bias"] if bias else 0)
        out = (np.maximum(h, 0) if relu else h) @ ex["fc2.weight"].T + (ex["fc2.bias"] if bias else 0)
        y = y + gates[:, e:e + 1] * out
    if f == "all_k":
        fe = np.bincount(order.ravel(), minlength=E) / (N * top_k)
    else:
        fe = np.bincount(order[:, 0], minlength=E) / N
    Pe = gates.mean(axis=0) if P == "selected" else probs.mean(axis=0)
    return y.astype(x.dtype), float((E if factor else 1) * np.sum(fe * Pe))


def _with(**wrong):
    def moe(x, gate_weight, experts, top_k=2):
        return _moe(x, gate_weight, experts, top_k, **wrong)
    return moe


MISTAKES = [
    mistake(
        "full_softmax_weights",
        title={"en": "mixing weights from the full softmax, not renormalised among the k",
               "zh": "混合权重取自完整 softmax，没有在 k 个之间重新归一化"},
        why={"en": "Each token's k chosen experts share the whole token: their weights must sum to 1. Softmax over "
                   "all E logits and then keeping k of the probabilities leaves weights that sum to less than 1. "
                   "Take the softmax over the k selected logits (equivalently, divide the k probabilities by "
                   "their sum).",
             "zh": "每个 token 的 k 个专家分的是这个 token 的全部：它们的权重之和必须为 1。对全部 E 个 logit 做 "
                   "softmax 再只留其中 k 个概率，权重之和就小于 1。应对选中的 k 个 logit 做 softmax（等价于把这 k 个"
                   "概率除以它们的和）。"},
        moe=_with(weights="full")),
    mistake(
        "f_counts_all_k",
        title={"en": "f_e counted over all k choices instead of the first", "zh": "f_e 统计了全部 k 次选择，而不是首选"},
        why={"en": "In the load-balancing loss f_e is the fraction of tokens whose FIRST choice (top-1) is "
                   "expert e: np.bincount(chosen[:, 0], minlength=E) / N. Counting every one of the k choices "
                   "measures something else and changes the loss whenever top_k > 1.",
             "zh": "负载均衡损失中的 f_e 是首选专家（top-1）为 e 的 token 比例：np.bincount(chosen[:, 0], "
                   "minlength=E) / N。把 k 次选择都算进去衡量的是另一回事，只要 top_k > 1 损失就会变。"},
        moe=_with(f="all_k")),
    mistake(
        "P_from_mixing_weights",
        title={"en": "P_e averaged from the top-k mixing weights instead of the full softmax",
               "zh": "P_e 用 top-k 混合权重求平均，而不是完整 softmax"},
        why={"en": "P_e is the mean router probability of expert e over the tokens, from the softmax over ALL E "
                   "logits, unselected experts included; that is what lets the gradient reach every router row. "
                   "Use softmax(logits).mean(axis=0), not the renormalised top-k weights.",
             "zh": "P_e 是路由器对专家 e 的概率在所有 token 上的平均，来自对【全部】E 个 logit 做的 softmax，"
                   "没被选中的专家也算在内；正因如此，梯度才能到达路由器的每一行。请用 softmax(logits).mean(axis=0)，"
                   "而不是重新归一化后的 top-k 权重。"},
        moe=_with(P="selected")),
    mistake(
        "aux_without_E",
        title={"en": "aux_loss without the factor E", "zh": "aux_loss 漏了系数 E"},
        why={"en": "The loss is E * sum_e f_e * P_e. With a perfectly even load f_e = P_e = 1 / E, and the factor E "
                   "makes the loss 1 whatever the number of experts; without it the loss shrinks as E grows.",
             "zh": "损失是 E * sum_e f_e * P_e。负载完全均匀时 f_e = P_e = 1 / E，乘上 E 后，无论专家有多少个，"
                   "损失都是 1；不乘的话，E 越大损失越小。"},
        moe=_with(factor=False)),
    mistake(
        "expert_without_relu",
        title={"en": "the experts' MLP without the ReLU", "zh": "专家的 MLP 里漏了 ReLU"},
        why={"en": "Each expert is fc2(relu(fc1(x))). Without the ReLU the two linear layers collapse into one "
                   "linear map. Apply np.maximum(h, 0) between them.",
             "zh": "每个专家是 fc2(relu(fc1(x)))。没有 ReLU，两个线性层就合并成了一个线性映射。在它们之间加上 "
                   "np.maximum(h, 0)。"},
        moe=_with(relu=False)),
    mistake(
        "expert_without_bias",
        title={"en": "the experts' biases left out", "zh": "专家里漏了偏置"},
        why={"en": "An expert's layers are nn.Linear layers with biases: h = x @ fc1.weight.T + fc1.bias, then "
                   "relu(h) @ fc2.weight.T + fc2.bias. Both biases are part of the expert.",
             "zh": "专家的两层都是带偏置的 nn.Linear：h = x @ fc1.weight.T + fc1.bias，然后 relu(h) @ fc2.weight.T "
                   "+ fc2.bias。两个偏置都属于这个专家。"},
        moe=_with(bias=False)),
    mistake(
        "lowest_logits",
        title={"en": "tokens routed to the k LOWEST logits (ascending argsort)", "zh": "把 token 送到了 logit 最【小】的 k 个专家（升序 argsort）"},
        why={"en": "np.argsort sorts in ascending order, so its first k columns are the worst experts. Sort the "
                   "negated logits, np.argsort(-logits, axis=-1)[:, :k], so the largest logit comes first.",
             "zh": "np.argsort 按升序排序，前 k 列是得分最差的专家。应对取负后的 logits 排序："
                   "np.argsort(-logits, axis=-1)[:, :k]，这样最大的 logit 排在最前。"},
        moe=_with(lowest=True)),
]
