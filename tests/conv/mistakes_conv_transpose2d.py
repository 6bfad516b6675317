"""Classic wrong answers to conv.conv_transpose2d, each named and explained."""

import numbers

import numpy as np

from grader.testing.mistakes import mistake


def _pair(value, name, minimum):
    value = (value, value) if isinstance(value, numbers.Integral) else (value[0], value[1])
    if min(value) < minimum:
        raise ValueError(f"{name} must be at least {minimum}")
    return value


def _check(x, weight, bias, stride, output_padding, in_axis=0):
    """The same input checks as a correct answer (with weight's input-channel axis at `in_axis`)."""
    if np.ndim(x) != 4 or np.ndim(weight) != 4:
        raise ValueError("x and weight must be 4-D")
    if x.shape[1] != weight.shape[in_axis]:
        raise ValueError("x and weight disagree on the channel count")
    if bias is not None and np.shape(bias) != (weight.shape[1 - in_axis],):
        raise ValueError("bias must have one entry per output channel")
    sH, sW = _pair(stride, "stride", 1)
    oH, oW = _pair(output_padding, "output_padding", 0)
    if oH >= sH or oW >= sW:
        raise ValueError("output_padding must be smaller than the stride")


def _transpose(x, weight, bias=None, stride=1, padding=0, output_padding=0, *, layout="in_out", flip=False,
               pad="crop", extra="bottom_right", dilate_kernel=False):
    """Scatter transposed convolution with knobs for the mistakes."""
    in_axis = 0 if layout == "in_out" else 1
    _check(x, weight, bias, stride, output_padding, in_axis)
    sH, sW = _pair(stride, "stride", 1)
    pH, pW = _pair(padding, "padding", 0)
    oH, oW = _pair(output_padding, "output_padding", 0)
    if extra == "none":
        oH, oW = 0, 0
    k = weight if layout == "in_out" else weight.transpose(1, 0, 2, 3)  # the mistake reads (C_out, C_in, ...)
    k = k[:, :, ::-1, ::-1] if flip else k
    N, _, H, W = x.shape
    _, C_out, kH, kW = k.shape
    if dilate_kernel:  # pixels 1 apart, kernel taps a stride apart
        step_h, step_w, tap_h, tap_w = 1, 1, sH, sW
    else:
        step_h, step_w, tap_h, tap_w = sH, sW, 1, 1
    full = np.zeros((N, C_out, (H - 1) * step_h + (kH - 1) * tap_h + 1, (W - 1) * step_w + (kW - 1) * tap_w + 1))
    for i in range(H):
        for j in range(W):
            stamp = np.tensordot(x[:, :, i, j], k, axes=([1], [0]))  # (N, C_out, kH, kW)
            rows = slice(i * step_h, i * step_h + (kH - 1) * tap_h + 1, tap_h)
            cols = slice(j * step_w, j * step_w + (kW - 1) * tap_w + 1, tap_w)
            full[:, :, rows, cols] += stamp
    if extra == "top_left":
        full = np.pad(full, ((0, 0), (0, 0), (oH, 0), (oW, 0)))
    else:
        full = np.pad(full, ((0, 0), (0, 0), (0, oH), (0, oW)))
    if pad == "crop":
        out = full[:, :, pH:full.shape[2] - pH, pW:full.shape[3] - pW]
    else:  # padding added around the output, as conv2d adds it around its input
        out = np.pad(full, ((0, 0), (0, 0), (pH, pH), (pW, pW)))
    if out.shape[2] < 1 or out.shape[3] < 1:
        raise ValueError("the output would be empty")
    if bias is not None:
        out = out + bias.reshape(1, -1, 1, 1)
    return out.astype(x.dtype)


def _weight_read_as_out_in(x, weight, bias=None, stride=1, padding=0, output_padding=0):
    return _transpose(x, weight, bias, stride, padding, output_padding, layout="out_in")


def _padding_added(x, weight, bias=None, stride=1, padding=0, output_padding=0):
    return _transpose(x, weight, bias, stride, padding, output_padding, pad="add")


def _output_padding_ignored(x, weight, bias=None, stride=1, padding=0, output_padding=0):
    return _transpose(x, weight, bias, stride, padding, output_padding, extra="none")


def _output_padding_top_left(x, weight, bias=None, stride=1, padding=0, output_padding=0):
    return _transpose(x, weight, bias, stride, padding, output_padding, extra="top_left")


def _kernel_flipped(x, weight, bias=None, stride=1, padding=0, output_padding=0):
    return _transpose(x, weight, bias, stride, padding, output_padding, flip=True)


def _stride_dilates_kernel(x, weight, bias=None, stride=1, padding=0, output_padding=0):
    return _transpose(x, weight, bias, stride, padding, output_padding, dilate_kernel=True)


MISTAKES = [
    mistake(
        "weight_read_as_out_in",
        title={"en": "weight read as (C_out, C_in, kH, kW), the conv2d layout",
               "zh": "把 weight 当成了 conv2d 的布局 (C_out, C_in, kH, kW)"},
        why={"en": "A transposed convolution stores its weight the other way round from conv2d: (C_in, C_out, kH, kW), "
                   "so that it is exactly the weight of the conv2d whose input gradient it computes. Input channel c "
                   "stamps weight[c, o] onto output channel o: contract x's channels with weight's FIRST axis, and "
                   "take C_out (and the bias length) from weight.shape[1].",
             "zh": "转置卷积的 weight 与 conv2d 的存放顺序相反：(C_in, C_out, kH, kW)，这样它正好是“以它求输入梯度”的"
                   "那个 conv2d 的权重。输入通道 c 把 weight[c, o] 印到输出通道 o 上：x 的通道要与 weight 的第一个轴"
                   "相乘求和，C_out（以及 bias 的长度）取 weight.shape[1]。"},
        conv_transpose2d=_weight_read_as_out_in),
    mistake(
        "padding_added",
        title={"en": "padding added around the output instead of cropped from it",
               "zh": "padding 被加在输出四周，而不是从输出上裁掉"},
        why={"en": "In a transposed convolution padding works in reverse: conv2d pads its input with p zeros, so "
                   "its transpose removes p rows and columns from each side of the stamped canvas. That is why "
                   "H_out = (H - 1) * sH - 2 * pH + kH + output_padding has MINUS 2pH.",
             "zh": "转置卷积里的 padding 作用相反：conv2d 在输入四周补 p 圈零，所以它的转置要从印好的画布每一侧"
                   "去掉 p 行和 p 列。这就是为什么 H_out = (H - 1) * sH - 2 * pH + kH + output_padding 里是减去 2pH。"},
        conv_transpose2d=_padding_added),
    mistake(
        "output_padding_ignored",
        title={"en": "output_padding ignored", "zh": "忽略了 output_padding"},
        why={"en": "With a stride, several input sizes give the same conv2d output size, so the transposed "
                   "convolution cannot tell which one to rebuild; output_padding picks it by adding that many rows "
                   "and columns. Include it in H_out and W_out and fill those rows as the stamps reach them.",
             "zh": "有步长时，多个不同的输入尺寸经过 conv2d 会得到同样的输出尺寸，转置卷积无从知道该还原成哪一个；"
                   "output_padding 就是通过多加这么多行和列来指定它。H_out 和 W_out 要把它算进去，"
                   "这些行列里有卷积核印到的地方照样要累加。"},
        conv_transpose2d=_output_padding_ignored),
    mistake(
        "output_padding_top_left",
        title={"en": "output_padding added at the top and the left instead of the bottom and the right",
               "zh": "output_padding 加在了上边和左边，而不是下边和右边"},
        why={"en": "The extra rows and columns of output_padding belong to the far end of each axis: output row r "
                   "is still canvas row r + pH, and the output just runs output_padding rows further down "
                   "(and columns further right). Extend the canvas at the bottom and the right before cropping.",
             "zh": "output_padding 多出的行列属于每个方向的末端：输出第 r 行仍然是画布的第 r + pH 行，"
                   "只是输出向下（以及向右）多延伸 output_padding 行（列）。裁剪之前要在画布的下边和右边扩展。"},
        conv_transpose2d=_output_padding_top_left),
    mistake(
        "kernel_flipped",
        title={"en": "the kernel flipped before stamping it", "zh": "印之前把卷积核翻转了"},
        why={"en": "The flip belongs to the gather form (a convolution over a zero-dilated input), which meets the "
                   "taps in reverse order. Stamping is the scatter form: x[n, c, i, j] * weight[c, o, a, b] goes to "
                   "canvas row i * sH + a, column j * sW + b, with the kernel as stored.",
             "zh": "翻转属于“收集”式写法（在插零后的输入上做卷积），那种写法会倒序遇到卷积核元素。"
                   "“印章”式是散射写法：x[n, c, i, j] * weight[c, o, a, b] 加到画布的第 i * sH + a 行、"
                   "第 j * sW + b 列，卷积核按原样使用。"},
        conv_transpose2d=_kernel_flipped),
    mistake(
        "stride_dilates_kernel",
        title={"en": "the stride used to spread the kernel's taps instead of the input pixels",
               "zh": "用步长拉开了卷积核元素之间的距离，而不是输入像素之间的距离"},
        why={"en": "The stride spaces out the INPUT: the stamps of neighbouring input pixels land sH rows apart, "
                   "while the kernel inside one stamp stays contiguous (kH by kW). Spreading the kernel's taps "
                   "would be a dilation, which this function does not have.",
             "zh": "步长拉开的是输入：相邻输入像素的“印章”相隔 sH 行，而一个印章内部的卷积核是连续的（kH × kW）。"
                   "把卷积核元素拉开那叫空洞（dilation），这个函数没有这个参数。"},
        conv_transpose2d=_stride_dilates_kernel),
]
