"""Classic wrong answers to activations.tanh, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake


def _tanh_naive(x):
    return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))


def _tanh_no_sign(x):
    e = np.exp(-2 * np.abs(x))
    return (1 - e) / (1 + e)


def _tanh_half_argument(x):
    e = np.exp(-np.abs(x))  # 2 * sigmoid(x) - 1, which is tanh(x / 2)
    return np.sign(x) * (1 - e) / (1 + e)


def _backward_one_minus_out(grad_out, out):
    return grad_out * (1 - out)


def _backward_on_x(grad_out, out):
    return grad_out * (1 - np.tanh(out) ** 2)


MISTAKES = [
    mistake(
        "naive_formula",
        title={"en": "tanh as (e^x - e^-x) / (e^x + e^-x) directly", "zh": "直接用 (e^x - e^-x) / (e^x + e^-x) 计算 tanh"},
        why={"en": "For |x| beyond about 710 (89 in float32) one of the exponentials is inf, and inf / inf is NaN. "
                   "Divide top and bottom by e^|x|: with e = exp(-2|x|), which is never above 1, "
                   "tanh(x) = sign(x) * (1 - e) / (1 + e).",
             "zh": "|x| 超过约 710（float32 下约 89）时，其中一个指数是 inf，inf / inf 得到 NaN。"
                   "把分子分母同除以 e^|x|：令 e = exp(-2|x|)（它不会超过 1），tanh(x) = sign(x) * (1 - e) / (1 + e)。"},
        tanh=_tanh_naive),
    mistake(
        "lost_sign",
        title={"en": "tanh via exp(-2|x|) without restoring the sign", "zh": "用 exp(-2|x|) 计算 tanh，却没有乘回符号"},
        why={"en": "(1 - e) / (1 + e) with e = exp(-2|x|) is tanh(|x|), never negative. tanh is odd, "
                   "tanh(-x) = -tanh(x): multiply by np.sign(x).",
             "zh": "e = exp(-2|x|) 时 (1 - e) / (1 + e) 是 tanh(|x|)，永远不会是负数。tanh 是奇函数，"
                   "tanh(-x) = -tanh(x)：要再乘以 np.sign(x)。"},
        tanh=_tanh_no_sign),
    mistake(
        "half_argument",
        title={"en": "tanh as 2 * sigmoid(x) - 1, which is tanh(x / 2)", "zh": "把 tanh 写成 2 * sigmoid(x) - 1，实际是 tanh(x / 2)"},
        why={"en": "The identity is tanh(x) = 2 * sigmoid(2x) - 1: the argument doubles. In the stable form the "
                   "exponential is exp(-2|x|), not exp(-|x|).",
             "zh": "正确的恒等式是 tanh(x) = 2 * sigmoid(2x) - 1：自变量要乘以 2。"
                   "在稳定写法中指数应是 exp(-2|x|)，而不是 exp(-|x|)。"},
        tanh=_tanh_half_argument),
    mistake(
        "backward_one_minus_out",
        title={"en": "tanh_backward using 1 - out instead of 1 - out ** 2",
               "zh": "tanh_backward 用了 1 - out，而不是 1 - out ** 2"},
        why={"en": "The derivative of tanh is 1 - tanh(x)^2: the output is squared. Return "
                   "grad_out * (1 - out ** 2).",
             "zh": "tanh 的导数是 1 - tanh(x)^2，输出要平方。"
                   "应返回 grad_out * (1 - out ** 2)。"},
        tanh_backward=_backward_one_minus_out),
    mistake(
        "backward_on_x",
        title={"en": "tanh_backward applying tanh to `out` again", "zh": "tanh_backward 对 `out` 又做了一次 tanh"},
        why={"en": "`out` is already tanh(x), the forward pass's result, not x. The derivative is 1 - out ** 2 "
                   "directly; tanh(out) would be the slope at the wrong point.",
             "zh": "`out` 已经是前向传播的结果 tanh(x)，而不是 x。导数直接就是 1 - out ** 2；"
                   "再算 tanh(out) 等于在错误的位置求斜率。"},
        tanh_backward=_backward_on_x),
]
