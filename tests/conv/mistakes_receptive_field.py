"""Classic wrong answers to conv.receptive_field, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake

DEFAULTS = {"kernel_size": 1, "stride": 1, "padding": 0, "dilation": 1}


def _check_size_args(size, kernel_size, stride, padding, dilation):
    """The same argument checks as a correct answer, so a mistake differs only where it is named."""
    if min(size, kernel_size, stride, dilation) < 1 or padding < 0:
        raise ValueError("bad argument")


def _output_size(size, kernel_size, stride=1, padding=0, dilation=1, *, rounding="floor", use_dilation=True,
                 pad_ends=2):
    _check_size_args(size, kernel_size, stride, padding, dilation)
    span = (dilation if use_dilation else 1) * (kernel_size - 1) + 1
    room = size + pad_ends * padding - span
    if room < 0:
        raise ValueError("the kernel does not fit")
    out = -(-room // stride) + 1 if rounding == "ceil" else room // stride + 1
    return int(out)


def _size_ceil(size, kernel_size, stride=1, padding=0, dilation=1):
    return _output_size(size, kernel_size, stride, padding, dilation, rounding="ceil")


def _size_no_dilation(size, kernel_size, stride=1, padding=0, dilation=1):
    return _output_size(size, kernel_size, stride, padding, dilation, use_dilation=False)


def _size_padding_once(size, kernel_size, stride=1, padding=0, dilation=1):
    return _output_size(size, kernel_size, stride, padding, dilation, pad_ends=1)


def _field(layers, *, cumulative_jump=True, use_dilation=True, pad_start=True, grow="jump", start0=0.0):
    size, jump, start = 1, 1, start0
    for layer in layers:
        values = {k: layer.get(k, v) for k, v in DEFAULTS.items()}
        k, s, p, d = (values[key] for key in ("kernel_size", "stride", "padding", "dilation"))
        if min(k, s, d) < 1 or p < 0:
            raise ValueError("bad layer")
        k_eff = (d if use_dilation else 1) * (k - 1) + 1
        size += (k_eff - 1) * (jump if grow == "jump" else 1)
        start += ((k_eff - 1) / 2 - (p if pad_start else 0)) * jump
        jump = jump * s if cumulative_jump else s
    return int(size), int(jump), float(start)


def _field_jump_not_multiplied(layers):
    return _field(layers, cumulative_jump=False)


def _field_no_dilation(layers):
    return _field(layers, use_dilation=False)


def _field_padding_ignored(layers):
    return _field(layers, pad_start=False)


def _field_kernels_summed(layers):
    return _field(layers, grow="one")


def _field_half_pixel(layers):
    return _field(layers, start0=0.5)


MISTAKES = [
    mistake(
        "output_size_ceil",
        title={"en": "conv_output_size rounding up", "zh": "conv_output_size 向上取整"},
        why={"en": "A window that would run past the padded input is dropped, so the count of windows is "
                   "(size + 2p - span) // stride + 1 with floor division, span = dilation * (kernel_size - 1) + 1.",
             "zh": "越过填充后输入末端的窗口会被舍弃，所以窗口个数是 (size + 2p - span) // stride + 1，"
                   "用向下取整的整除，其中 span = dilation * (kernel_size - 1) + 1。"},
        conv_output_size=_size_ceil),
    mistake(
        "output_size_no_dilation",
        title={"en": "conv_output_size ignoring the dilation", "zh": "conv_output_size 忽略了 dilation"},
        why={"en": "A dilated kernel leaves dilation - 1 pixels between its taps, so it spans "
                   "dilation * (kernel_size - 1) + 1 pixels, not kernel_size; use that span in the formula.",
             "zh": "空洞卷积核的相邻元素之间隔着 dilation - 1 个像素，所以它跨越 dilation * (kernel_size - 1) + 1 个"
                   "像素，而不是 kernel_size 个；公式里要用这个跨度。"},
        conv_output_size=_size_no_dilation),
    mistake(
        "output_size_padding_once",
        title={"en": "conv_output_size counting the padding at one end only", "zh": "conv_output_size 只算了一端的填充"},
        why={"en": "padding=p adds p zeros at BOTH ends of the axis, so the padded length is size + 2p.",
             "zh": "padding=p 在这个方向的两端各补 p 个零，所以填充后的长度是 size + 2p。"},
        conv_output_size=_size_padding_once),
    mistake(
        "jump_not_multiplied",
        title={"en": "the jump set to each layer's own stride instead of multiplied through the layers",
               "zh": "jump 取成了每层自己的步长，而没有逐层连乘"},
        why={"en": "Neighbouring units of a layer are `stride` units of the layer below apart, and those are "
                   "themselves `jump` input pixels apart: jump *= stride. Two stride-2 layers give a jump of 4.",
             "zh": "某一层相邻的两个单元，相隔下一层的 stride 个单元，而下一层的单元之间又相隔 jump 个输入像素："
                   "jump *= stride。两个步长为 2 的层叠起来，jump 是 4。"},
        receptive_field=_field_jump_not_multiplied),
    mistake(
        "field_no_dilation",
        title={"en": "receptive_field ignoring the dilation", "zh": "receptive_field 忽略了 dilation"},
        why={"en": "A dilated kernel reaches as far as an ordinary kernel of d * (k - 1) + 1 taps. Use that "
                   "effective kernel in both the size and the start.",
             "zh": "空洞卷积核覆盖的范围相当于有 d * (k - 1) + 1 个元素的普通卷积核。size 和 start 都要用这个等效核长。"},
        receptive_field=_field_no_dilation),
    mistake(
        "padding_ignored_in_start",
        title={"en": "start not moved back by the padding", "zh": "start 没有因为填充而向前移"},
        why={"en": "With padding p, window 0 of a layer begins p units BEFORE unit 0 of the layer below, so its "
                   "centre is (k_eff - 1) / 2 - p units in: start += ((k_eff - 1) / 2 - p) * jump. One 3x3 conv "
                   "with padding 1 is centred on pixel 0.",
             "zh": "有填充 p 时，某层的第 0 个窗口从下一层第 0 个单元之前 p 个单元处开始，所以它的中心在 "
                   "(k_eff - 1) / 2 - p 处：start += ((k_eff - 1) / 2 - p) * jump。一个 padding 为 1 的 3x3 卷积，"
                   "中心正好在第 0 个像素上。"},
        receptive_field=_field_padding_ignored),
    mistake(
        "kernels_summed",
        title={"en": "the field grown by k_eff - 1 per layer instead of (k_eff - 1) * jump",
               "zh": "感受野每层只增加 k_eff - 1，而不是 (k_eff - 1) * jump"},
        why={"en": "After a stride, the taps of the next kernel are `jump` input pixels apart, so a kernel of "
                   "k_eff taps widens the field by (k_eff - 1) * jump pixels. Adding up kernel sizes holds only "
                   "when every stride is 1.",
             "zh": "经过步长之后，下一层卷积核相邻元素之间相隔 jump 个输入像素，所以 k_eff 个元素的卷积核让感受野"
                   "变宽 (k_eff - 1) * jump 个像素。简单地把各层核长相加，只有在所有步长都为 1 时才对。"},
        receptive_field=_field_kernels_summed),
    mistake(
        "start_half_pixel",
        title={"en": "start counted from 0.5 (the centre of pixel 0) instead of 0",
               "zh": "start 从 0.5（第 0 个像素的中心）而不是 0 开始算"},
        why={"en": "start is in input index coordinates: pixel i sits at i, so an empty stack has start 0.0, and "
                   "a 2x2 kernel without padding is centred on 0.5, between pixels 0 and 1. The 0.5 convention "
                   "of some write-ups measures from a pixel's left edge instead.",
             "zh": "start 用的是输入的下标坐标：第 i 个像素就在 i 处，所以空的层列表 start 为 0.0，不带填充的 2x2 卷积核"
                   "中心在 0.5，即第 0 和第 1 个像素之间。有些资料里从 0.5 开始，是从像素左边缘量起的另一种约定。"},
        receptive_field=_field_half_pixel),
]
