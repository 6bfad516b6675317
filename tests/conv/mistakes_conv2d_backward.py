"""Classic wrong answers to conv.conv2d_backward, each named and explained."""

import numbers

import numpy as np

from grader.testing.mistakes import mistake


def _pair(value, name, minimum):
    value = (value, value) if isinstance(value, numbers.Integral) else (value[0], value[1])
    if min(value) < minimum:
        raise ValueError(f"{name} must be at least {minimum}")
    return value


def _setup(grad_out, x, weight, bias, stride, padding):
    """The same input checks as a correct answer, so a mistake differs only where it is named."""
    if np.ndim(x) != 4 or np.ndim(weight) != 4:
        raise ValueError("x and weight must be 4-D")
    if x.shape[1] != weight.shape[1]:
        raise ValueError("x and weight disagree on the channel count")
    if bias is not None and np.shape(bias) != (weight.shape[0],):
        raise ValueError("bias must have one entry per filter")
    sH, sW = _pair(stride, "stride", 1)
    pH, pW = _pair(padding, "padding", 0)
    N, _, H, W = x.shape
    O, _, kH, kW = weight.shape
    H_out, W_out = (H + 2 * pH - kH) // sH + 1, (W + 2 * pW - kW) // sW + 1
    if H_out < 1 or W_out < 1:
        raise ValueError("the kernel does not fit")
    if np.shape(grad_out) != (N, O, H_out, W_out):
        raise ValueError("grad_out has the wrong shape")
    return (sH, sW), (pH, pW), (H_out, W_out)


def _backward(grad_out, x, weight, bias=None, stride=1, padding=0, *, step_windows=True, accumulate_weight=True,
              batch_mean=False, bias_axes=(0, 2, 3), crop="both", canvas="padded"):
    """The loop backward pass with knobs for the mistakes."""
    (sH, sW), (pH, pW), (H_out, W_out) = _setup(grad_out, x, weight, bias, stride, padding)
    N, C, H, W = x.shape
    _, _, kH, kW = weight.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (pH, pH), (pW, pW)))
    if canvas == "padded":
        grad_x_pad = np.zeros(x_pad.shape)
    else:  # only as large as the windows reach
        grad_x_pad = np.zeros((N, C, (H_out - 1) * sH + kH, (W_out - 1) * sW + kW))
    grad_weight = np.zeros(weight.shape)
    for i in range(H_out):
        for j in range(W_out):
            top, left = (i * sH, j * sW) if step_windows else (i, j)
            g = grad_out[:, :, i, j]
            window = x_pad[:, :, top:top + kH, left:left + kW]
            contribution = np.tensordot(g, window, axes=([0], [0]))
            grad_weight = grad_weight + contribution if accumulate_weight else contribution
            grad_x_pad[:, :, top:top + kH, left:left + kW] += np.tensordot(g, weight, axes=([1], [0]))
    if batch_mean:
        grad_weight = grad_weight / N
    if crop == "both":
        grad_x = grad_x_pad[:, :, pH:pH + H, pW:pW + W]
    elif crop == "none":
        grad_x = grad_x_pad
    else:  # "end": the first H rows and W columns, padding left on at the top and the left
        grad_x = grad_x_pad[:, :, :H, :W]
    grad_bias = None if bias is None else grad_out.sum(axis=bias_axes).astype(x.dtype)
    return grad_x.astype(x.dtype), grad_weight.astype(x.dtype), grad_bias


def _full_convolution_unflipped(grad_out, x, weight, bias=None, stride=1, padding=0):
    """grad_x as a full convolution of the stride-dilated grad_out with the filters, but the filters not flipped."""
    (sH, sW), (pH, pW), (H_out, W_out) = _setup(grad_out, x, weight, bias, stride, padding)
    N, C, H, W = x.shape
    _, _, kH, kW = weight.shape
    dilated = np.zeros((N, grad_out.shape[1], (H_out - 1) * sH + 1, (W_out - 1) * sW + 1))
    dilated[:, :, ::sH, ::sW] = grad_out
    full = np.pad(dilated, ((0, 0), (0, 0), (kH - 1, kH - 1), (kW - 1, kW - 1)))
    reach_h, reach_w = (H_out - 1) * sH + kH, (W_out - 1) * sW + kW
    grad_x_pad = np.zeros((N, C, H + 2 * pH, W + 2 * pW))
    for r in range(reach_h):
        for c in range(reach_w):
            patch = full[:, :, r:r + kH, c:c + kW]  # (N, O, kH, kW)
            grad_x_pad[:, :, r, c] = np.tensordot(patch, weight, axes=([1, 2, 3], [0, 2, 3]))  # no flip: wrong
    grad_x = grad_x_pad[:, :, pH:pH + H, pW:pW + W]
    _, grad_weight, grad_bias = _backward(grad_out, x, weight, bias, stride, padding)
    return grad_x.astype(x.dtype), grad_weight, grad_bias


def _stride_ignored(grad_out, x, weight, bias=None, stride=1, padding=0):
    return _backward(grad_out, x, weight, bias, stride, padding, step_windows=False)


def _weight_overwritten(grad_out, x, weight, bias=None, stride=1, padding=0):
    return _backward(grad_out, x, weight, bias, stride, padding, accumulate_weight=False)


def _weight_batch_mean(grad_out, x, weight, bias=None, stride=1, padding=0):
    return _backward(grad_out, x, weight, bias, stride, padding, batch_mean=True)


def _bias_per_sample(grad_out, x, weight, bias=None, stride=1, padding=0):
    return _backward(grad_out, x, weight, bias, stride, padding, bias_axes=(2, 3))


def _padding_kept(grad_out, x, weight, bias=None, stride=1, padding=0):
    return _backward(grad_out, x, weight, bias, stride, padding, crop="none")


def _cropped_at_the_end(grad_out, x, weight, bias=None, stride=1, padding=0):
    return _backward(grad_out, x, weight, bias, stride, padding, crop="end")


def _canvas_as_far_as_windows_reach(grad_out, x, weight, bias=None, stride=1, padding=0):
    return _backward(grad_out, x, weight, bias, stride, padding, canvas="reach")


MISTAKES = [
    mistake(
        "full_convolution_without_flip",
        title={"en": "grad_x as a full convolution of grad_out with the filters NOT rotated by 180 degrees",
               "zh": "把 grad_x 写成 grad_out 与卷积核的完全卷积，但没有把卷积核旋转 180 度"},
        why={"en": "Input pixel (y, x) is touched by kernel tap (a, b) of the window at (y - a, x - b), so sliding "
                   "over the padded, stride-dilated grad_out meets the taps in reverse order. Written as a "
                   "correlation, grad_x needs weight[:, :, ::-1, ::-1] (with O and C swapped). Or skip the trick: "
                   "add grad_out[:, :, i, j] times the filters back into each window, as the forward pass read it.",
             "zh": "输入像素 (y, x) 是被位于 (y - a, x - b) 的窗口用第 (a, b) 个卷积核元素读到的，所以在补零、"
                   "按步长插零后的 grad_out 上滑动时，遇到卷积核元素的顺序正好相反。写成互相关时，grad_x 要用 "
                   "weight[:, :, ::-1, ::-1]（并交换 O 和 C）。也可以不用这个技巧：按前向读取窗口的方式，"
                   "把 grad_out[:, :, i, j] 乘以卷积核加回每个窗口。"},
        conv2d_backward=_full_convolution_unflipped),
    mistake(
        "stride_ignored",
        title={"en": "the backward windows placed at (i, j) instead of (i * sH, j * sW)",
               "zh": "反向传播时窗口放在 (i, j)，而不是 (i * sH, j * sW)"},
        why={"en": "The backward pass must visit exactly the windows the forward pass read: output (i, j) came "
                   "from the window whose top-left corner is row i * sH, column j * sW of the padded input. Both "
                   "grad_weight (which reads that window) and grad_x (which writes into it) need the stride.",
             "zh": "反向传播必须访问前向传播读过的同一批窗口：输出 (i, j) 来自左上角位于填充后输入第 i * sH 行、"
                   "第 j * sW 列的窗口。grad_weight（读取这个窗口）和 grad_x（写回这个窗口）都要用到步长。"},
        conv2d_backward=_stride_ignored),
    mistake(
        "grad_weight_overwritten",
        title={"en": "grad_weight overwritten at every output position instead of summed over them",
               "zh": "grad_weight 在每个输出位置被覆盖，而不是把所有位置累加起来"},
        why={"en": "One filter is reused at every output position, so its gradient is the SUM of the "
                   "contributions of all positions (and all samples): grad_weight += window * grad_out[n, o, i, j], "
                   "not =. Only the last window survives an assignment.",
             "zh": "同一个卷积核在每个输出位置都被复用，所以它的梯度是所有位置（以及所有样本）贡献之和："
                   "要写 grad_weight +=，而不是 =。用赋值的话只会留下最后一个窗口的贡献。"},
        conv2d_backward=_weight_overwritten),
    mistake(
        "grad_weight_batch_mean",
        title={"en": "grad_weight averaged over the batch instead of summed",
               "zh": "grad_weight 对 batch 取了平均，而不是求和"},
        why={"en": "The loss already decides any averaging; the chain rule only adds up what each sample "
                   "contributes to a shared weight. Sum over n, i and j, and do not divide by N.",
             "zh": "要不要取平均已经由损失函数决定了；链式法则只是把每个样本对共享权重的贡献加起来。"
                   "对 n、i、j 求和，不要除以 N。"},
        conv2d_backward=_weight_batch_mean),
    mistake(
        "grad_bias_per_sample",
        title={"en": "grad_bias summed over H_out and W_out but not over the batch",
               "zh": "grad_bias 只对 H_out 和 W_out 求和，没有对 batch 求和"},
        why={"en": "bias[o] is added to every position of map o in every sample, so its gradient is "
                   "grad_out.sum(axis=(0, 2, 3)), one number per filter, shape (O,) like bias.",
             "zh": "bias[o] 被加到每个样本第 o 个特征图的每个位置上，所以它的梯度是 grad_out.sum(axis=(0, 2, 3))，"
                   "每个卷积核一个数，形状为 (O,)，与 bias 相同。"},
        conv2d_backward=_bias_per_sample),
    mistake(
        "padding_not_cropped",
        title={"en": "grad_x returned with the padding border still on", "zh": "返回的 grad_x 还带着填充的边框"},
        why={"en": "The padding zeros are not inputs: x is (N, C, H, W), and so is its gradient. Accumulate "
                   "into a padded buffer, then return buffer[:, :, pH:pH + H, pW:pW + W].",
             "zh": "补上的零不是输入：x 的形状是 (N, C, H, W)，它的梯度也是。先累加到一个带填充的缓冲区里，"
                   "再返回 buffer[:, :, pH:pH + H, pW:pW + W]。"},
        conv2d_backward=_padding_kept),
    mistake(
        "cropped_at_the_end",
        title={"en": "grad_x cropped to its first H rows and W columns instead of removing pH and pW from each side",
               "zh": "grad_x 只截取了前 H 行、前 W 列，而不是在每一侧各去掉 pH 和 pW"},
        why={"en": "The padding sits on both sides, so input row r is buffer row r + pH. "
                   "buffer[:, :, :H, :W] keeps the top and left padding and cuts off real rows at the bottom "
                   "and right; take buffer[:, :, pH:pH + H, pW:pW + W].",
             "zh": "填充在两侧都有，所以输入的第 r 行是缓冲区的第 r + pH 行。buffer[:, :, :H, :W] 保留了上边和"
                   "左边的填充，却切掉了下边和右边的真实行列；应取 buffer[:, :, pH:pH + H, pW:pW + W]。"},
        conv2d_backward=_cropped_at_the_end),
    mistake(
        "canvas_as_far_as_windows_reach",
        title={"en": "grad_x sized by the rows the windows reach, so rows no window covers are missing",
               "zh": "grad_x 的大小按窗口覆盖到的行数来定，没有被任何窗口覆盖的行就丢了"},
        why={"en": "With a stride the last windows may stop short of the input's end (H = 8, kH = 3, sH = 2 "
                   "never reads row 7). Those inputs still exist; their gradient is 0. Make the buffer the full "
                   "padded size (N, C, H + 2pH, W + 2pW), not (H_out - 1) * sH + kH rows.",
             "zh": "有步长时，最后的窗口可能到不了输入的末尾（H = 8、kH = 3、sH = 2 时第 7 行从未被读到）。"
                   "这些输入依然存在，它们的梯度是 0。缓冲区要取完整的填充后尺寸 (N, C, H + 2pH, W + 2pW)，"
                   "而不是 (H_out - 1) * sH + kH 行。"},
        conv2d_backward=_canvas_as_far_as_windows_reach),
]
