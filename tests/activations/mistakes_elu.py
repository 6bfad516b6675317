"""Classic wrong answers to activations.elu, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _elu_exp_everywhere(x, alpha=1.0):
    return np.where(x > 0, x, alpha * (np.exp(x) - 1))


def _backward_exp_everywhere(grad_out, x, alpha=1.0):
    return np.where(x > 0, grad_out, grad_out * alpha * np.exp(x))


def _selu_exp_everywhere(x):
    return SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * (np.exp(x) - 1))


def _backward_no_branch(grad_out, x, alpha=1.0):
    return grad_out * alpha * np.exp(np.minimum(x, 0))


def _backward_one_at_zero(grad_out, x, alpha=1.0):
    return np.where(x >= 0, grad_out, grad_out * alpha * np.exp(np.minimum(x, 0)))


def _elu_alpha_both_sides(x, alpha=1.0):
    return alpha * np.where(x > 0, x, np.expm1(np.minimum(x, 0)))


def _backward_alpha_both_sides(grad_out, x, alpha=1.0):
    return alpha * np.where(x > 0, grad_out, grad_out * np.exp(np.minimum(x, 0)))


def _selu_no_scale(x):
    return np.where(x > 0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0)))


def _selu_scale_negative_only(x):
    return np.where(x > 0, x, SELU_SCALE * SELU_ALPHA * np.expm1(np.minimum(x, 0)))


MISTAKES = [
    mistake(
        "exp_of_whole_array",
        title={"en": "exp() of the whole array inside np.where (overflows for large x)",
               "zh": "在 np.where 里对整个数组取 exp()（x 很大时溢出）"},
        why={"en": "np.where evaluates both branches for every element before choosing, so exp(x) also runs "
                   "on the large positive inputs: exp(1e4) overflows to inf with a RuntimeWarning, even though "
                   "that value is thrown away. Give exp() only the negative side: np.exp(np.minimum(x, 0)).",
             "zh": "np.where 会先对每个元素把两个分支都算出来再做选择，所以 exp(x) 也会作用在很大的正输入上："
                   "exp(1e4) 溢出为 inf 并发出 RuntimeWarning，即使这个值最后被丢弃。只把负半轴交给 exp()："
                   "np.exp(np.minimum(x, 0))。"},
        elu=_elu_exp_everywhere, elu_backward=_backward_exp_everywhere, selu=_selu_exp_everywhere),
    mistake(
        "negative_slope_everywhere",
        title={"en": "elu_backward using alpha * exp(x) on the positive side too",
               "zh": "elu_backward 在正半轴也用了 alpha * exp(x)"},
        why={"en": "alpha * exp(x) is the slope of the negative side only. For x > 0 elu is x itself, with "
                   "slope 1: the gradient there is grad_out unchanged.",
             "zh": "alpha * exp(x) 只是负半轴的斜率。x > 0 时 elu 就是 x 本身，斜率为 1："
                   "那里的梯度就是原样的 grad_out。"},
        elu_backward=_backward_no_branch),
    mistake(
        "gradient_one_at_zero",
        title={"en": "elu_backward giving slope 1 at x = 0 (x >= 0)", "zh": "elu_backward 在 x = 0 处给出斜率 1（用了 x >= 0）"},
        why={"en": "At x = 0 torch takes the negative side's slope, alpha * exp(0) = alpha. It differs from 1 "
                   "whenever alpha != 1. Use the strict test x > 0 for the side of slope 1.",
             "zh": "在 x = 0 处 torch 取负半轴的斜率 alpha * exp(0) = alpha，只要 alpha != 1 就与 1 不同。"
                   "判断斜率为 1 的一侧要用严格的 x > 0。"},
        elu_backward=_backward_one_at_zero),
    mistake(
        "alpha_on_both_sides",
        title={"en": "alpha multiplying the positive side too", "zh": "alpha 把正半轴也一起乘上了"},
        why={"en": "alpha only sets how deep the negative side saturates (at -alpha). Positive inputs pass "
                   "unchanged, and their gradient is grad_out.",
             "zh": "alpha 只决定负半轴饱和到多深（趋于 -alpha）。正输入原样通过，它们的梯度就是 grad_out。"},
        elu=_elu_alpha_both_sides, elu_backward=_backward_alpha_both_sides),
    mistake(
        "selu_without_scale",
        title={"en": "selu without the scale factor", "zh": "selu 漏了缩放因子 scale"},
        why={"en": "selu is scale * elu(x, alpha) with both of torch's constants: scale (about 1.0507) multiplies "
                   "the whole output, the positive side included.",
             "zh": "selu 是 scale * elu(x, alpha)，两个常数都要按 torch 的取值：scale（约 1.0507）乘在整个输出上，"
                   "正半轴也不例外。"},
        selu=_selu_no_scale),
    mistake(
        "selu_scale_negative_only",
        title={"en": "selu scaling only the negative side", "zh": "selu 只缩放了负半轴"},
        why={"en": "The scale multiplies both sides: selu(x) = scale * x for x > 0, and "
                   "scale * alpha * (exp(x) - 1) otherwise.",
             "zh": "scale 要乘在两侧：x > 0 时 selu(x) = scale * x，否则为 scale * alpha * (exp(x) - 1)。"},
        selu=_selu_scale_negative_only),
]
