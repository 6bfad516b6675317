"""Classic wrong answers to activations.relu, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake


def _backward_ge_zero(grad_out, x):
    return np.where(x >= 0, grad_out, 0)


def _backward_mask_only(grad_out, x):
    return (x > 0).astype(grad_out.dtype)


def _backward_mask_from_grad(grad_out, x):
    return np.where(grad_out > 0, grad_out, 0)


def _backward_times_relu(grad_out, x):
    return grad_out * np.maximum(x, 0)


MISTAKES = [
    mistake(
        "gradient_one_at_zero",
        title={"en": "relu_backward letting the gradient through at x = 0 (x >= 0)",
               "zh": "relu_backward 在 x = 0 处也让梯度通过（用了 x >= 0）"},
        why={"en": "relu has no derivative at 0, and the convention (torch's) is a gradient of 0 there. "
                   "Use the strict mask x > 0: an input that is exactly 0 passes no gradient back.",
             "zh": "relu 在 0 处不可导，torch 的约定是此处梯度为 0。要用严格的掩码 x > 0："
                   "恰好为 0 的输入不向回传梯度。"},
        relu_backward=_backward_ge_zero),
    mistake(
        "mask_without_grad_out",
        title={"en": "relu_backward returning the mask instead of grad_out times the mask",
               "zh": "relu_backward 只返回了掩码，没有乘上 grad_out"},
        why={"en": "The mask (1 where x > 0, 0 elsewhere) is relu's local derivative. The chain rule "
                   "multiplies it by the gradient arriving at the output: return grad_out where x > 0.",
             "zh": "掩码（x > 0 处为 1，其余为 0）只是 relu 的局部导数。链式法则要把它乘上从输出端传回的梯度："
                   "在 x > 0 处返回 grad_out。"},
        relu_backward=_backward_mask_only),
    mistake(
        "mask_from_grad_out",
        title={"en": "relu_backward masking by the sign of grad_out instead of x",
               "zh": "relu_backward 按 grad_out 的正负而不是 x 的正负来屏蔽"},
        why={"en": "Which gradients pass is decided by the forward input: where x > 0 relu was the identity. "
                   "A negative gradient at a positive input must pass through unchanged.",
             "zh": "哪些梯度能通过由前向的输入决定：在 x > 0 处 relu 就是恒等映射。"
                   "正输入处的负梯度也必须原样通过。"},
        relu_backward=_backward_mask_from_grad),
    mistake(
        "times_relu_output",
        title={"en": "relu_backward multiplying grad_out by relu(x) instead of by its derivative",
               "zh": "relu_backward 把 grad_out 乘以 relu(x)，而不是乘以它的导数"},
        why={"en": "The backward pass needs the slope of relu, which is 1 where x > 0, not the value relu(x). "
                   "Multiply grad_out by the mask (x > 0).",
             "zh": "反向传播需要的是 relu 的斜率，在 x > 0 处为 1，而不是 relu(x) 的值。"
                   "应当把 grad_out 乘以掩码 (x > 0)。"},
        relu_backward=_backward_times_relu),
]
