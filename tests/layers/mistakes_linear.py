"""Classic wrong answers to layers.linear, each named and explained."""

from functools import partial

import numpy as np

from grader.testing.mistakes import mistake


def _check(x, weight, bias, weight_layout="out_in"):
    """The input checks of a correct answer (for a weight read as (in, out) where the mistake does so)."""
    if np.ndim(x) == 0 or np.ndim(weight) != 2:
        raise ValueError("x must be at least 1-D and weight 2-D")
    n_in, n_out = (weight.shape[1], weight.shape[0]) if weight_layout == "out_in" else weight.shape
    if x.shape[-1] != n_in:
        raise ValueError("x and weight disagree on in")
    if bias is not None and np.shape(bias) != (n_out,):
        raise ValueError("bias must be (out,)")


def _check_grad_out(grad_out, x, n_out):
    if grad_out.shape != x.shape[:-1] + (n_out,):
        raise ValueError("grad_out must be shaped like the output")


def _forward_in_out(x, weight, bias=None):
    _check(x, weight, bias, weight_layout="in_out")
    out = x @ weight
    return out if bias is None else out + bias


def _backward_in_out(grad_out, x, weight, bias=None):
    """The gradients of y = x @ W, the layer with the weight read as (in, out)."""
    _check(x, weight, bias, weight_layout="in_out")
    _check_grad_out(grad_out, x, weight.shape[1])
    g2, x2 = grad_out.reshape(-1, weight.shape[1]), x.reshape(-1, weight.shape[0])
    return grad_out @ weight.T, x2.T @ g2, None if bias is None else g2.sum(axis=0)


def _backward(grad_out, x, weight, bias=None, *, grad_x="right", grad_weight="right", grad_bias="right",
              reduce="sum"):
    """linear_backward with knobs for the mistakes."""
    _check(x, weight, bias)
    _check_grad_out(grad_out, x, weight.shape[0])
    n_out, n_in = weight.shape
    g2, x2 = grad_out.reshape(-1, n_out), x.reshape(-1, n_in)
    n = g2.shape[0] if reduce == "mean" else 1
    if grad_x == "transposed":  # fits only when in == out
        gx = grad_out @ weight.T
    else:
        gx = g2 @ weight if grad_x == "flat" else grad_out @ weight
    gw = (x2.T @ g2 if grad_weight == "transposed" else g2.T @ x2) / n
    if grad_bias == "axis0":
        gb = grad_out.sum(axis=0)
    else:
        gb = g2.sum(axis=0) / n
    if bias is None and grad_bias != "always":
        gb = None
    return gx, gw, gb


MISTAKES = [
    mistake(
        "weight_as_in_out",
        title={"en": "x @ weight without the transpose (weight read as (in, out))",
               "zh": "直接算 x @ weight，没有转置（把 weight 当成了 (in, out)）"},
        why={"en": "PyTorch stores a linear layer's weight as (out, in), one row per output feature, so the "
                   "layer is x @ weight.T + bias. When in == out, x @ weight still has the right shape, which "
                   "hides the slip: the numbers are those of the transposed matrix. The backward then needs "
                   "dL/dx = grad_out @ weight and dL/dW = grad_out^T x.",
             "zh": "PyTorch 把线性层的 weight 存成 (out, in)，每个输出特征占一行，所以这一层是 x @ weight.T + bias。"
                   "当 in == out 时，x @ weight 的形状仍然正确，错误就被掩盖了：算出来的是转置矩阵的结果。"
                   "反向传播相应地是 dL/dx = grad_out @ weight，dL/dW = grad_out^T x。"},
        linear=_forward_in_out, linear_backward=_backward_in_out),
    mistake(
        "grad_weight_transposed",
        title={"en": "grad_weight computed as x^T grad_out, shape (in, out)",
               "zh": "grad_weight 算成了 x^T grad_out，形状为 (in, out)"},
        why={"en": "A parameter's gradient has the parameter's shape. weight is (out, in), so its gradient is "
                   "grad_out^T x: (out, n) @ (n, in). x^T grad_out is the gradient of the (in, out) layout used "
                   "by y = x @ W, not of torch's.",
             "zh": "参数的梯度与参数本身形状相同。weight 是 (out, in)，所以梯度是 grad_out^T x，即 (out, n) @ (n, in)。"
                   "x^T grad_out 对应的是 y = x @ W 那种 (in, out) 布局，不是 torch 的布局。"},
        linear_backward=partial(_backward, grad_weight="transposed")),
    mistake(
        "grad_x_weight_transposed",
        title={"en": "grad_x computed as grad_out @ weight.T", "zh": "grad_x 算成了 grad_out @ weight.T"},
        why={"en": "The forward multiplies by weight.T, so the backward multiplies by its transpose, weight "
                   "itself: grad_x = grad_out @ weight, (*, out) @ (out, in). With in == out the wrong "
                   "version has the right shape and the wrong numbers.",
             "zh": "前向乘的是 weight.T，所以反向要乘它的转置，也就是 weight 本身：grad_x = grad_out @ weight，"
                   "即 (*, out) @ (out, in)。in == out 时，错误的写法形状正确，数值却不对。"},
        linear_backward=partial(_backward, grad_x="transposed")),
    mistake(
        "grad_bias_axis0",
        title={"en": "grad_bias summed over axis 0 only", "zh": "grad_bias 只沿第 0 维求和"},
        why={"en": "The bias is added at every position of every leading axis, so its gradient sums grad_out "
                   "over all of them: grad_out.reshape(-1, out).sum(axis=0). sum(axis=0) is right only for a 2-D "
                   "x; for x of shape (N, T, in) it leaves a (T, out) array, and for a 1-D x it sums the features.",
             "zh": "偏置被加到了所有前导维的每一个位置上，所以它的梯度要把 grad_out 在这些维度上全部求和："
                   "grad_out.reshape(-1, out).sum(axis=0)。sum(axis=0) 只对二维的 x 正确；x 为 (N, T, in) 时会"
                   "剩下一个 (T, out) 的数组，x 为一维时则把各个特征加到了一起。"},
        linear_backward=partial(_backward, grad_bias="axis0")),
    mistake(
        "grad_bias_without_bias",
        title={"en": "a bias gradient returned when bias is None", "zh": "bias 为 None 时仍然返回了偏置的梯度"},
        why={"en": "Without a bias there is nothing to take a gradient for: return None in its place, "
                   "(grad_x, grad_weight, None), as torch.autograd has no gradient for an input that does not exist.",
             "zh": "没有偏置，就没有可以求梯度的对象：在它的位置返回 None，即 (grad_x, grad_weight, None)；"
                   "torch.autograd 也不会为不存在的输入给出梯度。"},
        linear_backward=partial(_backward, grad_bias="always")),
    mistake(
        "batch_mean",
        title={"en": "grad_weight and grad_bias averaged over the batch instead of summed",
               "zh": "grad_weight 和 grad_bias 在批量上取了平均，而不是求和"},
        why={"en": "Every row uses the same weight and bias, so each row's contribution to their gradient adds "
                   "up: grad_out^T x and grad_out summed over the rows. Any averaging belongs to the loss (a mean "
                   "loss already puts 1 / N into grad_out); dividing again here scales the gradient down by N.",
             "zh": "每一行用的都是同一个 weight 和 bias，所以各行对它们梯度的贡献要加起来：grad_out^T x，以及 "
                   "grad_out 沿各行求和。取平均是损失函数的事（取均值的损失已经把 1 / N 放进了 grad_out）；"
                   "在这里再除一次，梯度就缩小了 N 倍。"},
        linear_backward=partial(_backward, reduce="mean")),
    mistake(
        "grad_x_flattened",
        title={"en": "grad_x left flattened to (n, in)", "zh": "grad_x 保持了展平后的 (n, in) 形状"},
        why={"en": "Flattening the leading axes of grad_out and x into rows is a good way to get grad_weight, "
                   "but grad_x must have the shape of x: compute it as grad_out @ weight on the unflattened "
                   "grad_out, or reshape the result back to x.shape.",
             "zh": "把 grad_out 和 x 的前导维展平成行，是求 grad_weight 的好办法；但 grad_x 必须与 x 形状相同："
                   "用未展平的 grad_out 计算 grad_out @ weight，或者把结果 reshape 回 x.shape。"},
        linear_backward=partial(_backward, grad_x="flat")),
]
