"""Classic wrong answers to conv.avg_pool, each named and explained."""

import numbers

import numpy as np

from grader.testing.mistakes import mistake


def _pair(value):
    return (int(value), int(value)) if isinstance(value, numbers.Integral) else (int(value[0]), int(value[1]))


def _avg(x, kernel_size, stride, padding, count_include_pad, *, default_stride="kernel", divisor="torch"):
    """Average pooling with knobs: the default stride, and how the divisor of a border window is found."""
    x = np.asarray(x)
    if x.ndim not in (3, 4):
        raise ValueError("x must be 3-D or 4-D")
    single = x.ndim == 3
    x4 = x[None] if single else x
    kH, kW = _pair(kernel_size)
    if stride is None:
        stride = (kH, kW) if default_stride == "kernel" else (1, 1)
    sH, sW = _pair(stride)
    pH, pW = _pair(padding)
    if min(kH, kW, sH, sW) < 1 or min(pH, pW) < 0 or pH > kH // 2 or pW > kW // 2:
        raise ValueError("bad window")
    N, C, H, W = x4.shape
    H_out, W_out = (H + 2 * pH - kH) // sH + 1, (W + 2 * pW - kW) // sW + 1
    if H_out < 1 or W_out < 1:
        raise ValueError("the kernel does not fit")
    x_pad = np.pad(x4, ((0, 0), (0, 0), (pH, pH), (pW, pW)))
    out = np.empty((N, C, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        t = i * sH
        for j in range(W_out):
            s = j * sW
            total = x_pad[:, :, t:t + kH, s:s + kW].sum(axis=(2, 3))
            if divisor == "real-top-left":  # only the padding before the window start is taken off
                real = (kH - max(0, pH - t)) * (kW - max(0, pW - s))
            else:
                real = (min(t + kH, H + pH) - max(t, pH)) * (min(s + kW, W + pW) - max(s, pW))
            include = divisor == "always-full" if divisor.startswith("always") else count_include_pad
            out[:, :, i, j] = total / (kH * kW if include else real)
    return out[0] if single else out


def _wrong_avg(**knobs):
    def avg_pool2d(x, kernel_size, stride=None, padding=0, count_include_pad=True):
        return _avg(x, kernel_size, stride, padding, count_include_pad, **knobs)
    return avg_pool2d


def _adaptive(x, output_size, bins):
    x = np.asarray(x)
    if x.ndim not in (3, 4):
        raise ValueError("x must be 3-D or 4-D")
    H, W = x.shape[-2:]
    size = (output_size, output_size) if isinstance(output_size, numbers.Integral) else tuple(output_size)
    if len(size) != 2 or any(s is not None and (not isinstance(s, numbers.Integral) or s < 0) for s in size):
        raise ValueError("bad output_size")
    oh = H if size[0] is None else int(size[0])
    ow = W if size[1] is None else int(size[1])
    out = np.empty(x.shape[:-2] + (oh, ow), dtype=x.dtype)
    for i in range(oh):
        t, b = bins(i, H, oh)
        for j in range(ow):
            s, e = bins(j, W, ow)
            out[..., i, j] = x[..., t:b, s:e].mean(axis=(-2, -1))
    return out


def _fixed_stride_bins(i, size, out):
    """A pooling with one stride and one kernel, as if out divided size: stride = size // out."""
    stride = size // out
    kernel = size - (out - 1) * stride
    return i * stride, i * stride + kernel


def _floor_end_bins(i, size, out):
    return (i * size) // out, ((i + 1) * size) // out


def _adaptive_fixed_stride(x, output_size):
    return _adaptive(x, output_size, _fixed_stride_bins)


def _adaptive_floor_end(x, output_size):
    return _adaptive(x, output_size, _floor_end_bins)


MISTAKES = [
    mistake(
        "stride_defaults_to_one",
        title={"en": "stride=None taken as stride 1", "zh": "把 stride=None 当成了步长 1"},
        why={"en": "Without a stride, pooling moves by a whole window: stride = kernel_size, so a 2 x 2 average "
                   "halves each side. Replace None by kernel_size before using the stride.",
             "zh": "没有给出 stride 时，池化每次移动一整个窗口：步长等于 kernel_size，所以 2 x 2 平均池化会让每条边减半。"
                   "使用步长之前，先把 None 换成 kernel_size。"},
        avg_pool2d=_wrong_avg(default_stride="one")),
    mistake(
        "count_include_pad_ignored",
        title={"en": "count_include_pad=False ignored: always divided by kH * kW",
               "zh": "忽略了 count_include_pad=False：总是除以 kH * kW"},
        why={"en": "With count_include_pad=False the padded zeros do not count: a border window is divided by the "
                   "number of real input cells it covers, (real rows) * (real columns), so padding does not pull the "
                   "average towards 0. Only count_include_pad=True divides every window by kH * kW.",
             "zh": "count_include_pad=False 时，填充的 0 不计入：边界窗口要除以它覆盖的真实输入格子数，即（真实行数）×（真实列数），"
                   "这样填充就不会把平均值往 0 拉。只有 count_include_pad=True 才对每个窗口都除以 kH * kW。"},
        avg_pool2d=_wrong_avg(divisor="always-full")),
    mistake(
        "padding_never_counted",
        title={"en": "padded cells left out of the divisor by default", "zh": "默认情况下也没有把填充格子计入除数"},
        why={"en": "The default is count_include_pad=True, as in torch: the padded zeros are part of the window, and "
                   "every window is divided by kH * kW, also at the border. Count only the real cells when "
                   "count_include_pad=False is passed.",
             "zh": "默认值是 count_include_pad=True，与 torch 相同：填充的 0 也算在窗口里，每个窗口都除以 kH * kW，边界上也一样。"
                   "只有传入 count_include_pad=False 时才只数真实格子。"},
        avg_pool2d=_wrong_avg(divisor="always-real")),
    mistake(
        "real_count_one_side",
        title={"en": "real cells counted by removing only the top and left padding",
               "zh": "数真实格子时只扣除了上边和左边的填充"},
        why={"en": "A window near the bottom or right edge covers padding too. Clip the window to the input on both "
                   "ends: real rows = min(top + kH, H + pH) - max(top, pH), and likewise for the columns.",
             "zh": "靠近下边或右边的窗口同样会覆盖填充。要在两端都把窗口截到输入范围内：真实行数 = min(top + kH, H + pH) - max(top, pH)，"
                   "列数同理。"},
        avg_pool2d=_wrong_avg(divisor="real-top-left")),
    mistake(
        "adaptive_fixed_stride",
        title={"en": "adaptive bins from one stride H // out and one kernel size", "zh": "自适应池化用统一的步长 H // out 和统一的窗口大小"},
        why={"en": "stride = H // out with kernel = H - (out - 1) * stride is right only when out divides H (and "
                   "breaks when out > H). Each bin has its own bounds: start = floor(i * H / out), end = "
                   "ceil((i + 1) * H / out), so bins can differ in width and overlap.",
             "zh": "stride = H // out、kernel = H - (out - 1) * stride 只有在 out 整除 H 时才对（out > H 时更是完全不对）。"
                   "每个区间有自己的边界：start = floor(i * H / out)，end = ceil((i + 1) * H / out)，所以区间宽度可以不同，也可以重叠。"},
        adaptive_avg_pool2d=_adaptive_fixed_stride),
    mistake(
        "adaptive_end_rounded_down",
        title={"en": "adaptive bin end rounded down", "zh": "自适应池化区间的终点向下取整"},
        why={"en": "The end of bin i is ceil((i + 1) * H / out), not floor: rounding down makes bins too short when "
                   "out does not divide H, and empty (a mean of nothing) when out > H. Use -(-(i + 1) * H // out) "
                   "for the ceiling in integers.",
             "zh": "第 i 个区间的终点是 ceil((i + 1) * H / out)，不是 floor：向下取整会在 out 不整除 H 时让区间太短，"
                   "在 out > H 时让区间为空（对空集求平均）。可以用 -(-(i + 1) * H // out) 在整数中求上取整。"},
        adaptive_avg_pool2d=_adaptive_floor_end),
]
