"""Classic wrong answers to conv.conv2d_im2col, each named and explained."""

import numbers

import numpy as np

from grader.testing.mistakes import mistake


def _pair(value, name, minimum):
    value = (value, value) if isinstance(value, numbers.Integral) else tuple(value)
    if len(value) != 2 or min(value) < minimum:
        raise ValueError(f"{name} must be an int or a pair, each at least {minimum}")
    return int(value[0]), int(value[1])


def _geometry(size, kernel_size, stride, padding, dilation, *, dilation_as_stride=False):
    """(k, s, p, d, n_out) per axis, as pairs; a mistake's own idea of where the windows are."""
    k, s = _pair(kernel_size, "kernel_size", 1), _pair(stride, "stride", 1)
    p, d = _pair(padding, "padding", 0), _pair(dilation, "dilation", 1)
    if dilation_as_stride:  # taps side by side, windows d times further apart
        s, d = (s[0] * d[0], s[1] * d[1]), (1, 1)
    n_out = tuple((size[i] + 2 * p[i] - d[i] * (k[i] - 1) - 1) // s[i] + 1 for i in range(2))
    if min(n_out) < 1:
        raise ValueError("the kernel does not fit")
    return k, s, p, d, n_out


def _taps(k, s, d, n_out, step_windows):
    """For each tap (a, b): the row and column slices it reads, one entry per output position."""
    for a in range(k[0]):
        for b in range(k[1]):
            sr, sc = (s[0], s[1]) if step_windows else (1, 1)
            yield a, b, (slice(a * d[0], a * d[0] + sr * (n_out[0] - 1) + 1, sr),
                         slice(b * d[1], b * d[1] + sc * (n_out[1] - 1) + 1, sc))


def _unfold(x, kernel_size, stride=1, padding=0, dilation=1, *, kernel_major=False, step_windows=True,
            dilation_as_stride=False):
    """im2col with knobs; returns the columns and the output grid (H_out, W_out)."""
    if np.ndim(x) != 4:
        raise ValueError("x must be 4-D")
    N, C = x.shape[:2]
    k, s, p, d, n_out = _geometry(x.shape[2:], kernel_size, stride, padding, dilation,
                                  dilation_as_stride=dilation_as_stride)
    x_pad = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    cols = np.empty((N, C, k[0], k[1]) + n_out, dtype=x.dtype)
    for a, b, (rows, columns) in _taps(k, s, d, n_out, step_windows):
        cols[:, :, a, b] = x_pad[:, :, rows, columns]
    if kernel_major:  # rows ordered (a, b, c) instead of (c, a, b)
        cols = cols.transpose(0, 2, 3, 1, 4, 5)
    return cols.reshape(N, C * k[0] * k[1], n_out[0] * n_out[1]), n_out


def _fold(cols, output_size, kernel_size, stride=1, padding=0, dilation=1, *, kernel_major=False,
          step_windows=True, assign=False, crop=True):
    if np.ndim(cols) != 3:
        raise ValueError("cols must be 3-D")
    size = _pair(output_size, "output_size", 1)
    k, s, p, d, n_out = _geometry(size, kernel_size, stride, padding, dilation)
    N, CK, L = cols.shape
    if CK % (k[0] * k[1]) or L != n_out[0] * n_out[1]:
        raise ValueError("cols does not fit output_size")
    C = CK // (k[0] * k[1])
    if kernel_major:
        blocks = cols.reshape((N, k[0], k[1], C) + n_out).transpose(0, 3, 1, 2, 4, 5)
    else:
        blocks = cols.reshape((N, C, k[0], k[1]) + n_out)
    canvas = np.zeros((N, C, size[0] + 2 * p[0], size[1] + 2 * p[1]), dtype=cols.dtype)
    for a, b, (rows, columns) in _taps(k, s, d, n_out, step_windows):
        if assign:
            canvas[:, :, rows, columns] = blocks[:, :, a, b]
        else:
            canvas[:, :, rows, columns] += blocks[:, :, a, b]
    return canvas[:, :, p[0]:p[0] + size[0], p[1]:p[1] + size[1]] if crop else canvas


def _conv(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1, *, round_robin=False,
          bias_by_position=False, **unfold_knobs):
    if np.ndim(x) != 4 or np.ndim(weight) != 4:
        raise ValueError("x and weight must be 4-D")
    N, C = x.shape[:2]
    O, Cg, kH, kW = weight.shape
    if groups < 1 or O % groups or C != Cg * groups:
        raise ValueError("groups does not fit the channels")
    if bias is not None and np.shape(bias) != (O,):
        raise ValueError("bias must have one entry per filter")
    cols, (H_out, W_out) = _unfold(x, (kH, kW), stride, padding, dilation, **unfold_knobs)
    G, K, L = groups, Cg * kH * kW, H_out * W_out
    if round_robin:  # channel c given to group c % G instead of c // (C / G)
        cols = cols.reshape(N, Cg, G, kH * kW, L).transpose(0, 2, 1, 3, 4)
    cols = cols.reshape(N, G, K, L)
    out = np.matmul(weight.reshape(G, O // G, K), cols).reshape(N, O, L)
    if bias is not None:
        if bias_by_position:  # the flat (O * L) result given bias[0], bias[1], ... position after position
            out = (out.reshape(N, O * L) + np.tile(bias, L)).reshape(N, O, L)
        else:
            out = out + bias.reshape(1, O, 1)
    return out.reshape(N, O, H_out, W_out).astype(x.dtype)


def _unfold_kernel_major(x, kernel_size, stride=1, padding=0, dilation=1):
    return _unfold(x, kernel_size, stride, padding, dilation, kernel_major=True)[0]


def _fold_kernel_major(cols, output_size, kernel_size, stride=1, padding=0, dilation=1):
    return _fold(cols, output_size, kernel_size, stride, padding, dilation, kernel_major=True)


def _conv_kernel_major(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _conv(x, weight, bias, stride, padding, dilation, groups, kernel_major=True)


def _unfold_not_strided(x, kernel_size, stride=1, padding=0, dilation=1):
    return _unfold(x, kernel_size, stride, padding, dilation, step_windows=False)[0]


def _fold_not_strided(cols, output_size, kernel_size, stride=1, padding=0, dilation=1):
    return _fold(cols, output_size, kernel_size, stride, padding, dilation, step_windows=False)


def _conv_not_strided(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _conv(x, weight, bias, stride, padding, dilation, groups, step_windows=False)


def _unfold_dilation_as_stride(x, kernel_size, stride=1, padding=0, dilation=1):
    return _unfold(x, kernel_size, stride, padding, dilation, dilation_as_stride=True)[0]


def _conv_dilation_as_stride(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _conv(x, weight, bias, stride, padding, dilation, groups, dilation_as_stride=True)


def _fold_assigning(cols, output_size, kernel_size, stride=1, padding=0, dilation=1):
    return _fold(cols, output_size, kernel_size, stride, padding, dilation, assign=True)


def _fold_uncropped(cols, output_size, kernel_size, stride=1, padding=0, dilation=1):
    return _fold(cols, output_size, kernel_size, stride, padding, dilation, crop=False)


def _conv_round_robin(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _conv(x, weight, bias, stride, padding, dilation, groups, round_robin=True)


def _conv_bias_by_position(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _conv(x, weight, bias, stride, padding, dilation, groups, bias_by_position=True)


# Right values, one Python step per output position: what the no-loop checks are there to catch.

def _unfold_by_positions(x, kernel_size, stride=1, padding=0, dilation=1):
    if np.ndim(x) != 4:
        raise ValueError("x must be 4-D")
    N, C = np.shape(x)[:2]
    k, s, p, d, (H_out, W_out) = _geometry(np.shape(x)[2:], kernel_size, stride, padding, dilation)
    x_pad = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    cols = np.empty((N, C * k[0] * k[1], H_out * W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            window = x_pad[:, :, i * s[0]:i * s[0] + d[0] * (k[0] - 1) + 1:d[0],
                           j * s[1]:j * s[1] + d[1] * (k[1] - 1) + 1:d[1]]
            cols[:, :, i * W_out + j] = window.reshape(N, -1)
    return cols


def _fold_by_positions(cols, output_size, kernel_size, stride=1, padding=0, dilation=1):
    if np.ndim(cols) != 3:
        raise ValueError("cols must be 3-D")
    size = _pair(output_size, "output_size", 1)
    k, s, p, d, (H_out, W_out) = _geometry(size, kernel_size, stride, padding, dilation)
    N, CK, L = cols.shape
    if CK % (k[0] * k[1]) or L != H_out * W_out:
        raise ValueError("cols does not fit output_size")
    C = CK // (k[0] * k[1])
    canvas = np.zeros((N, C, size[0] + 2 * p[0], size[1] + 2 * p[1]), dtype=cols.dtype)
    for i in range(H_out):
        for j in range(W_out):
            canvas[:, :, i * s[0]:i * s[0] + d[0] * (k[0] - 1) + 1:d[0],
                   j * s[1]:j * s[1] + d[1] * (k[1] - 1) + 1:d[1]] += cols[:, :, i * W_out + j].reshape(N, C, *k)
    return canvas[:, :, p[0]:p[0] + size[0], p[1]:p[1] + size[1]]


def _conv_by_positions(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    if np.ndim(x) != 4 or np.ndim(weight) != 4:
        raise ValueError("x and weight must be 4-D")
    O, Cg, kH, kW = np.shape(weight)
    if groups < 1 or O % groups or np.shape(x)[1] != Cg * groups:
        raise ValueError("groups does not fit the channels")
    if bias is not None and np.shape(bias) != (O,):
        raise ValueError("bias must have one entry per filter")
    cols = _unfold_by_positions(x, (kH, kW), stride, padding, dilation)
    N, L = cols.shape[0], cols.shape[2]
    _, _, _, _, (H_out, W_out) = _geometry(np.shape(x)[2:], (kH, kW), stride, padding, dilation)
    w = weight.reshape(groups, O // groups, -1)
    out = np.matmul(w, cols.reshape(N, groups, -1, L)).reshape(N, O, H_out, W_out)
    return (out if bias is None else out + bias.reshape(1, O, 1, 1)).astype(x.dtype)


MISTAKES = [
    mistake(
        "kernel_major_rows",
        title={"en": "im2col rows ordered by kernel position first and channel last",
               "zh": "im2col 的行先按卷积核位置、最后才按通道排列"},
        why={"en": "F.unfold lists the C * kH * kW entries of a window channel by channel: row c * kH * kW + a * kW + b "
                   "holds channel c at tap (a, b). That is the order weight.reshape(O, -1) flattens a filter in, so "
                   "the matrix product lines up. Build cols as (N, C, kH, kW, L) and reshape; do not put the taps "
                   "before the channel.",
             "zh": "F.unfold 把一个窗口的 C * kH * kW 个数按通道逐个排列：第 c * kH * kW + a * kW + b 行是通道 c 在"
                   "卷积核位置 (a, b) 上的值。weight.reshape(O, -1) 展平卷积核也是这个顺序，矩阵乘法才能对得上。"
                   "先把 cols 建成 (N, C, kH, kW, L) 再 reshape，不要把卷积核位置放在通道前面。"},
        im2col=_unfold_kernel_major, col2im=_fold_kernel_major, conv2d=_conv_kernel_major),
    mistake(
        "windows_not_strided",
        title={"en": "the stride used for the number of windows but not for where they start",
               "zh": "步长只用来算窗口个数，没有用来确定窗口的起点"},
        why={"en": "With stride s, window (i, j) starts at row i * sH and column j * sW of the padded input, so tap "
                   "(a, b) reads x_pad[:, :, a * dH + i * sH, b * dW + j * sW]. Slice every tap with step sH and sW "
                   "(x_pad[:, :, top:top + sH * (H_out - 1) + 1:sH, ...]), in col2im as well as in im2col.",
             "zh": "步长为 s 时，窗口 (i, j) 从填充后输入的第 i * sH 行、第 j * sW 列开始，所以卷积核位置 (a, b) 读取的是 "
                   "x_pad[:, :, a * dH + i * sH, b * dW + j * sW]。每个卷积核位置的切片都要带上步长 sH 和 sW"
                   "（x_pad[:, :, top:top + sH * (H_out - 1) + 1:sH, ...]），im2col 和 col2im 都一样。"},
        im2col=_unfold_not_strided, col2im=_fold_not_strided, conv2d=_conv_not_strided),
    mistake(
        "dilation_as_stride",
        title={"en": "dilation multiplied into the stride instead of spreading the kernel taps",
               "zh": "把 dilation 乘进了步长，而不是拉开卷积核各个位置的间距"},
        why={"en": "Dilation spaces the taps of one window d pixels apart: tap (a, b) reads row i * sH + a * dH, and a "
                   "k-wide kernel spans d * (k - 1) + 1 pixels. The step from one window to the next stays the "
                   "stride. So H_out = (H + 2 * pH - dH * (kH - 1) - 1) // sH + 1.",
             "zh": "dilation 把同一个窗口内的各个卷积核位置拉开 d 个像素：位置 (a, b) 读取第 i * sH + a * dH 行，"
                   "宽为 k 的卷积核覆盖 d * (k - 1) + 1 个像素。窗口之间的间隔仍然是步长。所以 "
                   "H_out = (H + 2 * pH - dH * (kH - 1) - 1) // sH + 1。"},
        im2col=_unfold_dilation_as_stride, conv2d=_conv_dilation_as_stride),
    mistake(
        "fold_assigns",
        title={"en": "col2im assigning each window's entries instead of adding them",
               "zh": "col2im 对每个窗口的值做赋值，而不是累加"},
        why={"en": "Where windows overlap, one pixel appears in several columns, and F.fold gives it the sum of all "
                   "of them (it is the gradient of im2col: every use of a pixel contributes). With = each later "
                   "window overwrites the earlier ones; accumulate with += into a zero canvas.",
             "zh": "窗口重叠时，同一个像素会出现在好几列里，F.fold 给它的是这些值的总和（它就是 im2col 的梯度："
                   "像素每被用到一次就贡献一份）。用 = 的话，后面的窗口会覆盖前面的；应当在全零画布上用 += 累加。"},
        col2im=_fold_assigning),
    mistake(
        "fold_padding_kept",
        title={"en": "col2im returning the padded canvas without cropping the padding",
               "zh": "col2im 返回了带填充的画布，没有把填充裁掉"},
        why={"en": "The windows are summed on the padded canvas (H + 2 * pH, W + 2 * pW), but the result is the "
                   "image itself: cut pH rows from the top and the bottom and pW columns from the left and the right, "
                   "canvas[:, :, pH:pH + H, pW:pW + W], so the output is (N, C, H, W) = output_size.",
             "zh": "窗口是在带填充的画布 (H + 2 * pH, W + 2 * pW) 上相加的，但结果应当是图像本身：上下各裁掉 pH 行、"
                   "左右各裁掉 pW 列，即 canvas[:, :, pH:pH + H, pW:pW + W]，输出形状为 (N, C, H, W)，与 output_size 一致。"},
        col2im=_fold_uncropped),
    mistake(
        "groups_round_robin",
        title={"en": "input channels dealt to the groups in turn instead of in contiguous blocks",
               "zh": "把输入通道轮流分给各组，而不是按连续的块划分"},
        why={"en": "With groups G, group g owns the contiguous channels g * C/G ... (g + 1) * C/G - 1 and the "
                   "contiguous filters g * O/G ... (g + 1) * O/G - 1; channel c belongs to group c // (C/G), not "
                   "c % G. Because im2col's rows are channel-major, cols.reshape(N, G, C/G * kH * kW, L) splits them "
                   "correctly.",
             "zh": "分 G 组时，第 g 组拥有连续的通道 g * C/G ... (g + 1) * C/G - 1 和连续的卷积核 g * O/G ... "
                   "(g + 1) * O/G - 1；通道 c 属于第 c // (C/G) 组，而不是 c % G 组。由于 im2col 的行以通道为主序，"
                   "cols.reshape(N, G, C/G * kH * kW, L) 就能正确地切分。"},
        conv2d=_conv_round_robin),
    mistake(
        "bias_by_position",
        title={"en": "the bias added along the flattened result position by position instead of once per filter",
               "zh": "把偏置沿展平后的结果逐个位置地加，而不是每个卷积核一个"},
        why={"en": "bias[o] belongs to output map o and is added at every one of its positions. On the (N, O, L) "
                   "product that is out + bias.reshape(1, O, 1) (or bias.reshape(1, O, 1, 1) on the output grid); "
                   "cycling bias[0], bias[1], ... along the flat result mixes the filters' biases.",
             "zh": "bias[o] 属于第 o 个输出特征图，要加到它的每一个位置上。在 (N, O, L) 的乘积上就是 "
                   "out + bias.reshape(1, O, 1)（在输出网格上是 bias.reshape(1, O, 1, 1)）；沿着展平的结果依次循环 "
                   "bias[0]、bias[1]、…… 会把不同卷积核的偏置混在一起。"},
        conv2d=_conv_bias_by_position),
    mistake(
        "loops_over_positions",
        title={"en": "a Python loop over the output positions",
               "zh": "用 Python 循环逐个遍历输出位置"},
        why={"en": "The values are right, but a loop over (i, j) runs H_out * W_out Python steps, which is what makes "
                   "the loop version slow. Loop over the kH * kW kernel taps instead: each tap reads one strided "
                   "slab x_pad[:, :, a * dH::sH, b * dW::sW] (cut to H_out x W_out) covering every position at once "
                   "(or build the indices and gather with one fancy index).",
             "zh": "数值是对的，但对 (i, j) 的循环要执行 H_out * W_out 次 Python 步骤，这正是循环版本慢的原因。"
                   "改为遍历 kH * kW 个卷积核位置：每个位置读取一块带步长的切片 x_pad[:, :, a * dH::sH, b * dW::sW]"
                   "（截到 H_out x W_out），一次就覆盖所有输出位置（或者先构造下标，用一次花式索引取出）。"},
        im2col=_unfold_by_positions, col2im=_fold_by_positions, conv2d=_conv_by_positions),
]
