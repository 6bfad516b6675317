"""Classic wrong answers to activations.sigmoid, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake


def _sigmoid_naive(x):
    return 1 / (1 + np.exp(-x))


def _sigmoid_where_both_branches(x):
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))


def _sigmoid_clipped(x):
    return 1 / (1 + np.exp(-np.clip(x, -500, 500)))


def _backward_on_x(grad_out, out):
    s = 1 / (1 + np.exp(-out))
    return grad_out * s * (1 - s)


def _backward_without_grad_out(grad_out, out):
    return out * (1 - out)


MISTAKES = [
    mistake(
        "naive_exp",
        title={"en": "sigmoid as 1 / (1 + exp(-x)) directly", "zh": "直接用 1 / (1 + exp(-x)) 计算 sigmoid"},
        why={"en": "For x = -1e4, exp(-x) = exp(1e4) overflows to inf. The result 1 / inf = 0 happens to be right, "
                   "but NumPy warns, and in a training run such warnings hide real problems. Take e = exp(-|x|), "
                   "which is never above 1, and return 1 / (1 + e) where x >= 0 and e / (1 + e) where x < 0.",
             "zh": "x = -1e4 时 exp(-x) = exp(1e4) 会溢出为 inf。1 / inf = 0 碰巧是对的，但 NumPy 会发出警告，"
                   "训练时这类警告会掩盖真正的问题。先算 e = exp(-|x|)（它不会超过 1），"
                   "x >= 0 处返回 1 / (1 + e)，x < 0 处返回 e / (1 + e)。"},
        sigmoid=_sigmoid_naive),
    mistake(
        "where_evaluates_both",
        title={"en": "two formulas picked by np.where, each computed on every x",
               "zh": "用 np.where 挑选两个公式，但每个公式都对所有 x 计算了"},
        why={"en": "np.where(cond, a, b) computes a and b for every element before choosing, so exp(-x) still "
                   "meets x = -1e4 and exp(x) still meets x = 1e4, and both overflow. Give exp() an argument that "
                   "is safe everywhere: e = exp(-|x|), then choose between 1 / (1 + e) and e / (1 + e).",
             "zh": "np.where(cond, a, b) 会先对每个元素都算出 a 和 b 再挑选，所以 exp(-x) 仍会碰到 x = -1e4，"
                   "exp(x) 仍会碰到 x = 1e4，两边都会溢出。让 exp() 的参数处处安全：e = exp(-|x|)，"
                   "再在 1 / (1 + e) 与 e / (1 + e) 之间挑选。"},
        sigmoid=_sigmoid_where_both_branches),
    mistake(
        "clipped_input",
        title={"en": "sigmoid of x clipped to [-500, 500]", "zh": "先把 x 截断到 [-500, 500] 再算 sigmoid"},
        why={"en": "Clipping stops the overflow but changes the answer: sigmoid(-1e4) becomes sigmoid(-500), about "
                   "7e-218 instead of exactly 0 as torch gives. Keep x as it is and use e = exp(-|x|), which "
                   "underflows cleanly to 0.",
             "zh": "截断虽然避免了溢出，却改变了结果：sigmoid(-1e4) 变成了 sigmoid(-500)，约为 7e-218，"
                   "而 torch 给出的是精确的 0。保持 x 不变，改用 e = exp(-|x|)，它会干净地下溢为 0。"},
        sigmoid=_sigmoid_clipped),
    mistake(
        "backward_on_x",
        title={"en": "sigmoid_backward applying sigmoid to `out` again", "zh": "sigmoid_backward 对 `out` 又做了一次 sigmoid"},
        why={"en": "`out` is already sigmoid(x), the forward pass's result, not x. The derivative is then simply "
                   "out * (1 - out); taking sigmoid(out) computes the slope at the wrong point.",
             "zh": "`out` 已经是前向传播的结果 sigmoid(x)，而不是 x。导数就是 out * (1 - out)；"
                   "再算 sigmoid(out) 等于在错误的位置求斜率。"},
        sigmoid_backward=_backward_on_x),
    mistake(
        "backward_without_grad_out",
        title={"en": "sigmoid_backward returning out * (1 - out) without grad_out",
               "zh": "sigmoid_backward 返回 out * (1 - out)，漏乘了 grad_out"},
        why={"en": "out * (1 - out) is only the local derivative. The chain rule multiplies it by the gradient "
                   "arriving at the output: grad_out * out * (1 - out).",
             "zh": "out * (1 - out) 只是局部导数。链式法则要把它乘以传到输出端的梯度：grad_out * out * (1 - out)。"},
        sigmoid_backward=_backward_without_grad_out),
]
