"""Classic wrong answers to activations.leaky_relu, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake


def _forward_max(x, negative_slope=0.01):
    return np.maximum(x, negative_slope * x)


def _backward_max(grad_out, x, negative_slope=0.01):
    return np.where(x > negative_slope * x, grad_out, negative_slope * grad_out)


def _forward_swapped(x, negative_slope=0.01):
    return np.where(x > 0, negative_slope * x, x)


def _backward_swapped(grad_out, x, negative_slope=0.01):
    return np.where(x > 0, negative_slope * grad_out, grad_out)


def _backward_one_at_zero(grad_out, x, negative_slope=0.01):
    return np.where(x >= 0, grad_out, negative_slope * grad_out)


def _backward_relu(grad_out, x, negative_slope=0.01):
    return np.where(x > 0, grad_out, 0)


def _backward_slope_only(grad_out, x, negative_slope=0.01):
    return np.where(x > 0, 1.0, negative_slope)


MISTAKES = [
    mistake(
        "max_of_x_and_slope_x",
        title={"en": "leaky_relu as max(x, negative_slope * x)", "zh": "把 leaky_relu 写成 max(x, negative_slope * x)"},
        why={"en": "max(x, a * x) equals leaky_relu only for 0 <= a <= 1. With a slope above 1 (or below 0) "
                   "the larger of the two is on the wrong side. Choose by the sign of x: "
                   "np.where(x > 0, x, negative_slope * x).",
             "zh": "max(x, a * x) 只有在 0 <= a <= 1 时才等于 leaky_relu。斜率大于 1（或小于 0）时，"
                   "两者中较大的那个落在错误的一侧。应按 x 的正负来选：np.where(x > 0, x, negative_slope * x)。"},
        leaky_relu=_forward_max, leaky_relu_backward=_backward_max),
    mistake(
        "slope_on_positive_side",
        title={"en": "the slope applied to the positive side instead of the negative one",
               "zh": "把斜率用在了正半轴而不是负半轴"},
        why={"en": "Positive inputs pass unchanged (slope 1); only x <= 0 is multiplied by negative_slope, "
                   "in the forward pass and in the gradient alike.",
             "zh": "正输入原样通过（斜率为 1）；只有 x <= 0 的部分乘以 negative_slope，前向和梯度都是如此。"},
        leaky_relu=_forward_swapped, leaky_relu_backward=_backward_swapped),
    mistake(
        "gradient_one_at_zero",
        title={"en": "leaky_relu_backward giving slope 1 at x = 0 (x >= 0)", "zh": "leaky_relu_backward 在 x = 0 处给出斜率 1（用了 x >= 0）"},
        why={"en": "At x = 0 torch takes the negative side: the gradient there is negative_slope * grad_out. "
                   "Use the strict test x > 0 for the side of slope 1.",
             "zh": "在 x = 0 处 torch 取负半轴的斜率：此处梯度为 negative_slope * grad_out。"
                   "判断斜率为 1 的一侧要用严格的 x > 0。"},
        leaky_relu_backward=_backward_one_at_zero),
    mistake(
        "relu_gradient",
        title={"en": "leaky_relu_backward dropping the gradient of the negative side (relu's gradient)",
               "zh": "leaky_relu_backward 丢掉了负半轴的梯度（成了 relu 的梯度）"},
        why={"en": "The negative side is not flat: its slope is negative_slope, so the gradient there is "
                   "negative_slope * grad_out, not 0. That small leak is the point of leaky relu.",
             "zh": "负半轴并不是平的：它的斜率是 negative_slope，所以那里的梯度是 negative_slope * grad_out，"
                   "而不是 0。这一点“泄漏”正是 leaky relu 的意义所在。"},
        leaky_relu_backward=_backward_relu),
    mistake(
        "slope_without_grad_out",
        title={"en": "leaky_relu_backward returning the slopes instead of grad_out times the slopes",
               "zh": "leaky_relu_backward 只返回了斜率，没有乘上 grad_out"},
        why={"en": "1 and negative_slope are the local derivative. The chain rule multiplies it by the "
                   "gradient at the output: np.where(x > 0, grad_out, negative_slope * grad_out).",
             "zh": "1 和 negative_slope 只是局部导数。链式法则要把它乘上输出端的梯度："
                   "np.where(x > 0, grad_out, negative_slope * grad_out)。"},
        leaky_relu_backward=_backward_slope_only),
]
