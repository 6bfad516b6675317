"""Classic wrong answers to layers.lora, each named and explained."""

from functools import partial

import numpy as np

from grader.testing.mistakes import mistake


def _check(weight, lora_A, lora_B, x=None, bias=None):
    """The shape checks of a correct answer, so a mistake differs only where it is named."""
    if np.ndim(weight) != 2 or np.ndim(lora_A) != 2 or np.ndim(lora_B) != 2:
        raise ValueError("weight, lora_A and lora_B must be 2-D")
    if lora_A.shape[1] != weight.shape[1] or lora_B.shape != (weight.shape[0], lora_A.shape[0]):
        raise ValueError("lora_A must be (r, in) and lora_B (out, r)")
    if x is not None and (np.ndim(x) == 0 or x.shape[-1] != weight.shape[1]):
        raise ValueError("x must be (*, in)")
    if bias is not None and np.shape(bias) != (weight.shape[0],):
        raise ValueError("bias must be (out,)")


def _scaling(alpha, lora_A, lora_B, how):
    r = {"r_from_B": lora_B.shape[0], "r_from_A_columns": lora_A.shape[1]}.get(how, lora_A.shape[0])
    return {"alpha": float(alpha), "alpha_times_r": float(alpha) * r}.get(how, float(alpha) / r)


def _forward(x, weight, bias, lora_A, lora_B, alpha, *, scale="right"):
    _check(weight, lora_A, lora_B, x, bias)
    out = x @ weight.T + (0 if bias is None else bias)
    return (out + _scaling(alpha, lora_A, lora_B, scale) * (x @ lora_A.T) @ lora_B.T).astype(x.dtype)


def _backward(grad_out, x, weight, bias, lora_A, lora_B, alpha, *, scale="right", grad_x="both",
              scale_grads=True, grad_B="right", frozen_grad=False):
    """lora_linear_backward with knobs for the mistakes."""
    _check(weight, lora_A, lora_B, x, bias)
    if grad_out.shape != x.shape[:-1] + (weight.shape[0],):
        raise ValueError("grad_out must be shaped like the output")
    s = _scaling(alpha, lora_A, lora_B, scale)
    sg = s if scale_grads else 1.0
    g2, x2 = grad_out.reshape(-1, weight.shape[0]), x.reshape(-1, weight.shape[1])
    low, grad_low = x2 @ lora_A.T, sg * (g2 @ lora_B)
    gx = g2 @ weight + (s * (g2 @ lora_B) @ lora_A if grad_x == "both" else 0)
    gA = grad_low.T @ x2
    gB = sg * (g2.T @ low if grad_B == "right" else low.T @ g2)
    grads = (gx.reshape(x.shape), gA, gB)
    return (grads[0], g2.T @ x2) + grads[1:] if frozen_grad else grads


def _merge(weight, lora_A, lora_B, alpha, *, scale="right", transposed=False):
    _check(weight, lora_A, lora_B)
    delta = lora_B @ lora_A
    return weight + _scaling(alpha, lora_A, lora_B, scale) * (delta.T if transposed else delta)


def _everywhere(scale):
    """The same scaling slip in the three functions, as a learner who writes it once would make it."""
    return {"lora_linear": partial(_forward, scale=scale), "lora_linear_backward": partial(_backward, scale=scale),
            "lora_merge": partial(_merge, scale=scale)}


MISTAKES = [
    mistake(
        "scale_alpha",
        title={"en": "the update scaled by alpha instead of alpha / r", "zh": "更新量乘了 alpha，而不是 alpha / r"},
        why={"en": "LoRA scales the low-rank update by alpha / r, with r = lora_A.shape[0]. Dividing by the rank "
                   "keeps the size of the update about the same when r is changed, so alpha need not be retuned. "
                   "Compute scaling = alpha / r once and use it in the forward, the backward and the merge.",
             "zh": "LoRA 把低秩更新量乘以 alpha / r，其中 r = lora_A.shape[0]。除以秩能让 r 改变时更新量的大小大致不变，"
                   "alpha 就不必重新调。先算一次 scaling = alpha / r，再在前向、反向和合并中都用它。"},
        **_everywhere("alpha")),
    mistake(
        "scale_alpha_times_r",
        title={"en": "the update scaled by alpha * r", "zh": "更新量乘了 alpha * r"},
        why={"en": "The scaling is alpha divided by the rank, alpha / r, not multiplied by it: a larger rank adds "
                   "more terms to x A^T B^T, and dividing by r compensates for that.",
             "zh": "缩放系数是 alpha 除以秩，即 alpha / r，而不是乘以秩：秩越大，x A^T B^T 里相加的项越多，"
                   "除以 r 正是为了抵消这一点。"},
        **_everywhere("alpha_times_r")),
    mistake(
        "r_from_B",
        title={"en": "r read as lora_B.shape[0]", "zh": "把 lora_B.shape[0] 当成了 r"},
        why={"en": "lora_B is (out, r), so its first size is the number of output features, not the rank. The "
                   "rank is lora_A.shape[0] (lora_A is (r, in)), or equally lora_B.shape[1].",
             "zh": "lora_B 的形状是 (out, r)，所以它的第一个尺寸是输出特征数，不是秩。秩是 lora_A.shape[0]"
                   "（lora_A 是 (r, in)），也等于 lora_B.shape[1]。"},
        **_everywhere("r_from_B")),
    mistake(
        "r_from_A_columns",
        title={"en": "r read as lora_A.shape[1]", "zh": "把 lora_A.shape[1] 当成了 r"},
        why={"en": "lora_A is (r, in): its rows are the rank and its columns the input features. r = "
                   "lora_A.shape[0]; lora_A.shape[1] is in, which would shrink the update by in / r.",
             "zh": "lora_A 的形状是 (r, in)：行数是秩，列数是输入特征数。r = lora_A.shape[0]；"
                   "lora_A.shape[1] 是 in，用它会让更新量缩小 in / r 倍。"},
        **_everywhere("r_from_A_columns")),
    mistake(
        "grads_unscaled",
        title={"en": "grad_A and grad_B without the alpha / r factor", "zh": "grad_A 和 grad_B 漏了 alpha / r 这个系数"},
        why={"en": "The adapter's output is multiplied by alpha / r, so every gradient that flows through it is "
                   "too: grad_A = s (G B)^T x and grad_B = s G^T (x A^T), with s = alpha / r.",
             "zh": "适配器的输出乘了 alpha / r，所以流经它的每个梯度也都要乘这个系数：grad_A = s (G B)^T x，"
                   "grad_B = s G^T (x A^T)，其中 s = alpha / r。"},
        lora_linear_backward=partial(_backward, scale_grads=False)),
    mistake(
        "grad_x_frozen_path_only",
        title={"en": "grad_x through the frozen weight only", "zh": "grad_x 只算了经过冻结权重的那一路"},
        why={"en": "x feeds both paths, so its gradient is the sum of both: grad_x = G W + s (G B) A. Freezing W "
                   "means W gets no gradient; it does not stop the gradient from flowing through the adapter to x.",
             "zh": "x 同时进入两条路径，所以它的梯度是两者之和：grad_x = G W + s (G B) A。冻结 W 只表示 W 不求梯度，"
                   "并不会阻止梯度经过适配器流回 x。"},
        lora_linear_backward=partial(_backward, grad_x="frozen")),
    mistake(
        "grad_B_transposed",
        title={"en": "grad_B computed as (x A^T)^T G, shape (r, out)", "zh": "grad_B 算成了 (x A^T)^T G，形状为 (r, out)"},
        why={"en": "lora_B is (out, r), and its gradient has the same shape: s G^T H with H = x A^T, "
                   "(out, n) @ (n, r). H^T G is its transpose.",
             "zh": "lora_B 的形状是 (out, r)，它的梯度形状相同：s G^T H，其中 H = x A^T，即 (out, n) @ (n, r)。"
                   "H^T G 是它的转置。"},
        lora_linear_backward=partial(_backward, grad_B="transposed")),
    mistake(
        "frozen_weight_gradient",
        title={"en": "a gradient returned for the frozen weight", "zh": "给冻结的权重也返回了梯度"},
        why={"en": "In LoRA the weight and bias are frozen: only lora_A and lora_B are trained, which is the "
                   "whole saving. Return exactly (grad_x, grad_A, grad_B).",
             "zh": "LoRA 中 weight 和 bias 是冻结的：只训练 lora_A 和 lora_B，省下的正是这部分开销。"
                   "只返回 (grad_x, grad_A, grad_B)。"},
        lora_linear_backward=partial(_backward, frozen_grad=True)),
    mistake(
        "merge_transposed",
        title={"en": "a merge that adds (B A)^T to W", "zh": "合并时给 W 加上了 (B A)^T"},
        why={"en": "The adapter computes x A^T B^T = x (B A)^T, the same form as x W^T, so B A is what sits next "
                   "to W: merged = W + (alpha / r) B @ A, of shape (out, in). When in == out the transpose still "
                   "fits and gives a different layer.",
             "zh": "适配器计算的是 x A^T B^T = x (B A)^T，与 x W^T 形式相同，所以和 W 相加的是 B A："
                   "merged = W + (alpha / r) B @ A，形状为 (out, in)。in == out 时转置后形状仍然对得上，"
                   "得到的却是另一个层。"},
        lora_merge=partial(_merge, transposed=True)),
]
