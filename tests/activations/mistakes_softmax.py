"""Classic wrong answers to activations.softmax, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake


def _softmax_no_shift(x, axis=-1):
    e = np.exp(x)
    return e / e.sum(axis=axis, keepdims=True)


def _log_softmax_no_shift(x, axis=-1):
    return x - np.log(np.exp(x).sum(axis=axis, keepdims=True))


def _softmax_axis0(x, axis=-1):
    e = np.exp(x - x.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _softmax_whole_array(x, axis=-1):
    e = np.exp(x - x.max())
    return e / e.sum()


def _log_of_softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return np.log(e / e.sum(axis=axis, keepdims=True))


def _backward_diagonal(grad_out, out, axis=-1):
    return grad_out * out * (1 - out)


def _backward_unweighted_sum(grad_out, out, axis=-1):
    return out * (grad_out - grad_out.sum(axis=axis, keepdims=True))


MISTAKES = [
    mistake(
        "no_max_shift",
        title={"en": "softmax without subtracting the maximum", "zh": "softmax 没有先减去最大值"},
        why={"en": "exp(1000) overflows to inf and inf/inf is NaN. Subtract x.max(axis, keepdims=True) "
                   "before exp(): the shift cancels out and every exponent is at most 0.",
             "zh": "exp(1000) 会溢出为 inf，inf/inf 得到 NaN。先减去 x.max(axis, keepdims=True) 再取 exp："
                   "这个平移在分子分母中抵消，指数都不超过 0。"},
        softmax=_softmax_no_shift, log_softmax=_log_softmax_no_shift),
    mistake(
        "wrong_axis",
        title={"en": "softmax over axis 0 instead of `axis`", "zh": "在第 0 维而不是 `axis` 上做 softmax"},
        why={"en": "Each slice along `axis` must sum to 1. Pass axis=axis (and keepdims=True) to every "
                   "max and sum so the normalisation runs along the axis the caller asked for.",
             "zh": "沿 `axis` 的每个切片之和应为 1。每次 max 和 sum 都要传 axis=axis（以及 keepdims=True），"
                   "归一化才会沿调用者指定的维度进行。"},
        softmax=_softmax_axis0),
    mistake(
        "whole_array",
        title={"en": "normalising over the whole array", "zh": "对整个数组做归一化"},
        why={"en": "sum() without an axis adds up every element, so the whole array sums to 1 instead of "
                   "each row. Reduce along `axis` only, with keepdims=True.",
             "zh": "不带 axis 的 sum() 会把所有元素加在一起，于是整个数组之和为 1，而不是每一行。"
                   "只沿 `axis` 求和，并使用 keepdims=True。"},
        softmax=_softmax_whole_array),
    mistake(
        "log_of_softmax",
        title={"en": "log_softmax as log(softmax(x))", "zh": "用 log(softmax(x)) 计算 log_softmax"},
        why={"en": "For very negative scores softmax underflows to exactly 0 and log(0) is -inf. Compute "
                   "x - max - log(sum(exp(x - max))) directly; it never takes the log of a tiny number.",
             "zh": "分数很小时 softmax 会下溢为 0，log(0) 是 -inf。直接计算 x - max - log(sum(exp(x - max)))，"
                   "就不会对极小的数取对数。"},
        log_softmax=_log_of_softmax),
    mistake(
        "diagonal_jacobian",
        title={"en": "softmax backward using only the diagonal s * (1 - s)", "zh": "softmax 反向只用了对角项 s * (1 - s)"},
        why={"en": "Every output of softmax depends on every input along the axis, so the Jacobian has "
                   "off-diagonal terms -s_i * s_j. Together they give s * (g - sum(g * s, axis)).",
             "zh": "softmax 的每个输出都依赖该维上的所有输入，雅可比矩阵还有非对角项 -s_i * s_j。"
                   "合起来就是 s * (g - sum(g * s, axis))。"},
        softmax_backward=_backward_diagonal),
    mistake(
        "unweighted_sum",
        title={"en": "softmax backward subtracting sum(g) instead of sum(g * s)", "zh": "softmax 反向减去了 sum(g) 而不是 sum(g * s)"},
        why={"en": "The term subtracted is the gradient averaged under the softmax probabilities: "
                   "sum(g * s, axis, keepdims=True), not the plain sum of g.",
             "zh": "需要减去的是以 softmax 概率加权的梯度：sum(g * s, axis, keepdims=True)，而不是 g 的简单求和。"},
        softmax_backward=_backward_unweighted_sum),
]
