"""Classic wrong answers to conv.conv2d_loops, each named and explained."""

import numbers

import numpy as np

from grader.testing.mistakes import mistake


def _pair(value, name, minimum):
    value = (value, value) if isinstance(value, numbers.Integral) else (value[0], value[1])
    if min(value) < minimum:
        raise ValueError(f"{name} must be at least {minimum}")
    return value


def _check(x, weight, bias):
    """The same input checks as a correct answer, so a mistake differs only where it is named."""
    if np.ndim(x) != 4 or np.ndim(weight) != 4:
        raise ValueError("x and weight must be 4-D")
    if x.shape[1] != weight.shape[1]:
        raise ValueError("x and weight disagree on the channel count")
    if bias is not None and np.shape(bias) != (weight.shape[0],):
        raise ValueError("bias must have one entry per filter")


def _conv(x, weight, bias, stride, pads, *, flip=False, step_windows=True, ceil=False):
    """Loop convolution with knobs for the mistakes: stride (sH, sW), pads (top, bottom, left, right)."""
    _check(x, weight, bias)
    sH, sW = stride
    top, bottom, left, right = pads
    N, C, H, W = x.shape
    O, _, kH, kW = weight.shape
    Hp, Wp = H + top + bottom, W + left + right
    if ceil:
        H_out, W_out = -(-(Hp - kH) // sH) + 1, -(-(Wp - kW) // sW) + 1
        # the extra last window runs past the edge: pad it with zeros so it can be read
        bottom += (H_out - 1) * sH + kH - Hp
        right += (W_out - 1) * sW + kW - Wp
    else:
        H_out, W_out = (Hp - kH) // sH + 1, (Wp - kW) // sW + 1
    x_pad = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))
    k = weight[:, :, ::-1, ::-1] if flip else weight
    out = np.zeros((N, O, H_out, W_out), dtype=np.result_type(x, weight))
    for i in range(H_out):
        for j in range(W_out):
            r, c = (i * sH, j * sW) if step_windows else (i, j)
            window = x_pad[:, :, r:r + kH, c:c + kW]
            out[:, :, i, j] = np.tensordot(window, k, axes=([1, 2, 3], [1, 2, 3]))
    if bias is not None:
        out += bias.reshape(1, -1, 1, 1)
    return out.astype(x.dtype)


def _conv_flipped(x, weight, bias=None, stride=1, padding=0):
    pH, pW = _pair(padding, 'padding', 0)
    return _conv(x, weight, bias, _pair(stride, 'stride', 1), (pH, pH, pW, pW), flip=True)


def _conv_ceil(x, weight, bias=None, stride=1, padding=0):
    pH, pW = _pair(padding, 'padding', 0)
    return _conv(x, weight, bias, _pair(stride, 'stride', 1), (pH, pH, pW, pW), ceil=True)


def _conv_pad_one_side(x, weight, bias=None, stride=1, padding=0):
    pH, pW = _pair(padding, 'padding', 0)
    return _conv(x, weight, bias, _pair(stride, 'stride', 1), (pH, 0, pW, 0))


def _conv_windows_not_strided(x, weight, bias=None, stride=1, padding=0):
    pH, pW = _pair(padding, 'padding', 0)
    return _conv(x, weight, bias, _pair(stride, 'stride', 1), (pH, pH, pW, pW), step_windows=False)


def _conv_swapped_pairs(x, weight, bias=None, stride=1, padding=0):
    sH, sW = _pair(stride, 'stride', 1)
    pH, pW = _pair(padding, 'padding', 0)
    return _conv(x, weight, bias, (sW, sH), (pW, pW, pH, pH))


def _conv_no_bias(x, weight, bias=None, stride=1, padding=0):
    pH, pW = _pair(padding, 'padding', 0)
    return _conv(x, weight, None, _pair(stride, 'stride', 1), (pH, pH, pW, pW))


MISTAKES = [
    mistake(
        "flipped_kernel",
        title={"en": "a flipped kernel (true convolution)", "zh": "把卷积核翻转了（数学意义上的卷积）"},
        why={"en": "Deep-learning libraries compute cross-correlation: the window is multiplied by the "
                   "kernel as it is stored, weight[o, c, a, b] against x_pad[n, c, top + a, left + b]. "
                   "Do not reverse the kernel with [::-1, ::-1].",
             "zh": "深度学习框架里的“卷积”其实是互相关：窗口直接与原样存放的卷积核相乘，即 weight[o, c, a, b] "
                   "对应 x_pad[n, c, top + a, left + b]。不要用 [::-1, ::-1] 把卷积核翻转。"},
        conv2d=_conv_flipped),
    mistake(
        "ceil_output_size",
        title={"en": "rounding the output size up", "zh": "输出尺寸向上取整"},
        why={"en": "A window that would run past the padded input is dropped, not filled in. The output "
                   "height is (H + 2 * pH - kH) // sH + 1 with floor division; the same for the width.",
             "zh": "越过填充后输入边缘的窗口会被丢弃，而不是补零后计算。输出高度是 (H + 2 * pH - kH) // sH + 1，"
                   "用向下取整的整除；宽度同理。"},
        conv2d=_conv_ceil),
    mistake(
        "padding_one_side",
        title={"en": "padding only the top and the left", "zh": "只在上边和左边填充"},
        why={"en": "padding=p adds p rows of zeros above AND below, and p columns left AND right, so the "
                   "padded input is (H + 2p, W + 2p). With np.pad give both sides: ((0, 0), (0, 0), (pH, pH), (pW, pW)).",
             "zh": "padding=p 表示在上下各加 p 行零、左右各加 p 列零，填充后的尺寸是 (H + 2p, W + 2p)。"
                   "用 np.pad 时两边都要写：((0, 0), (0, 0), (pH, pH), (pW, pW))。"},
        conv2d=_conv_pad_one_side),
    mistake(
        "windows_not_strided",
        title={"en": "the stride used for the output size but not for the window position",
               "zh": "步长只用在输出尺寸上，没有用在窗口位置上"},
        why={"en": "With stride s the window of output (i, j) starts at row i * sH and column j * sW of the "
                   "padded input, not at (i, j). Multiply the loop index by the stride when slicing.",
             "zh": "步长为 s 时，输出位置 (i, j) 的窗口从填充后输入的第 i * sH 行、第 j * sW 列开始，而不是 (i, j)。"
                   "切片时要把循环下标乘以步长。"},
        conv2d=_conv_windows_not_strided),
    mistake(
        "swapped_pairs",
        title={"en": "stride and padding pairs read as (width, height)", "zh": "把 stride 和 padding 二元组当成 (宽, 高)"},
        why={"en": "Like the input layout (N, C, H, W), a pair lists the height first: stride=(sH, sW), "
                   "padding=(pH, pW). Use the first element for rows and the second for columns.",
             "zh": "和输入布局 (N, C, H, W) 一样，二元组先写高度：stride=(sH, sW)，padding=(pH, pW)。"
                   "第一个元素用于行方向，第二个用于列方向。"},
        conv2d=_conv_swapped_pairs),
    mistake(
        "bias_ignored",
        title={"en": "the bias left out", "zh": "漏加了偏置"},
        why={"en": "When bias is given, bias[o] is added to every position of output map o: "
                   "out += bias.reshape(1, O, 1, 1). Only bias=None means no bias.",
             "zh": "给出 bias 时，要把 bias[o] 加到第 o 个输出特征图的每个位置上：out += bias.reshape(1, O, 1, 1)。"
                   "只有 bias=None 才表示不加偏置。"},
        conv2d=_conv_no_bias),
]
