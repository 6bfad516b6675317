"""Classic wrong answers to conv.max_pool, each named and explained."""

import numbers

import numpy as np

from grader.testing.mistakes import mistake


def _pair(value):
    return (int(value), int(value)) if isinstance(value, numbers.Integral) else (int(value[0]), int(value[-1]))


def _pool(x, kernel_size, stride, padding, *, fill=-np.inf, index="plane", default_stride="kernel"):
    """Max pooling with knobs for the mistakes; returns (out, indices) with indices flattened as `index` says."""
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
    Hp, Wp = H + 2 * pH, W + 2 * pW
    H_out, W_out = (Hp - kH) // sH + 1, (Wp - kW) // sW + 1
    if H_out < 1 or W_out < 1:
        raise ValueError("the kernel does not fit")
    x_pad = np.pad(x4, ((0, 0), (0, 0), (pH, pH), (pW, pW)), constant_values=fill)
    out = np.empty((N, C, H_out, W_out), dtype=x.dtype)
    idx = np.empty((N, C, H_out, W_out), dtype=np.int64)
    for i in range(H_out):
        for j in range(W_out):
            win = x_pad[:, :, i * sH:i * sH + kH, j * sW:j * sW + kW].reshape(N, C, -1)
            best = win.argmax(axis=-1)
            out[:, :, i, j] = np.take_along_axis(win, best[..., None], axis=-1)[..., 0]
            a, b = best // kW, best % kW
            if index == "window":
                idx[:, :, i, j] = best
            elif index == "padded":
                idx[:, :, i, j] = (i * sH + a) * Wp + (j * sW + b)
            else:
                flat = (i * sH + a - pH) * W + (j * sW + b - pW)
                if index == "channels":
                    flat = flat + np.arange(C)[None, :] * H * W
                idx[:, :, i, j] = flat
    return (out[0], idx[0]) if single else (out, idx)


def _wrong_pool2d(**knobs):
    def max_pool2d(x, kernel_size, stride=None, padding=0, return_indices=False):
        out, idx = _pool(x, kernel_size, stride, padding, **knobs)
        return (out, idx) if return_indices else out
    return max_pool2d


def _wrong_pool1d(**knobs):
    def max_pool1d(x, kernel_size, stride=None, padding=0):
        x = np.asarray(x)
        if x.ndim not in (2, 3):
            raise ValueError("x must be 2-D or 3-D")
        k = kernel_size[0] if isinstance(kernel_size, (tuple, list)) else kernel_size
        s = stride if stride is None else (1, stride)
        out, _ = _pool(x[..., None, :], (1, k), s, (0, padding), **knobs)
        return out[..., 0, :]
    return max_pool1d


def _check_backward(grad_out, indices, input_shape):
    if len(input_shape) not in (3, 4) or np.shape(grad_out) != np.shape(indices):
        raise ValueError("bad shapes")


def _backward_overwrites(grad_out, indices, input_shape):
    _check_backward(grad_out, indices, input_shape)
    planes = int(np.prod(input_shape[:-2]))
    grad = np.zeros((planes, input_shape[-2] * input_shape[-1]), dtype=grad_out.dtype)
    rows = np.arange(planes)[:, None]
    grad[rows, indices.reshape(planes, -1)] = grad_out.reshape(planes, -1)  # a repeated index keeps one value
    return grad.reshape(input_shape)


def _backward_one_plane(grad_out, indices, input_shape):
    _check_backward(grad_out, indices, input_shape)
    grad = np.zeros(int(np.prod(input_shape)), dtype=grad_out.dtype)
    np.add.at(grad, indices.reshape(-1), grad_out.reshape(-1))  # every plane's indices land in the first plane
    return grad.reshape(input_shape)


MISTAKES = [
    mistake(
        "stride_defaults_to_one",
        title={"en": "stride=None taken as stride 1", "zh": "把 stride=None 当成了步长 1"},
        why={"en": "When no stride is given, pooling uses stride = kernel_size: the windows sit side by side "
                   "without overlapping, and a 2 x 2 pool halves the height and the width. Write "
                   "`if stride is None: stride = kernel_size` before parsing it.",
             "zh": "没有给出 stride 时，池化的步长等于 kernel_size：窗口一个挨一个、互不重叠，2 x 2 池化会把高和宽都减半。"
                   "在解析 stride 之前先写 `if stride is None: stride = kernel_size`。"},
        max_pool2d=_wrong_pool2d(default_stride="one"), max_pool1d=_wrong_pool1d(default_stride="one")),
    mistake(
        "zero_padding",
        title={"en": "padding filled with zeros instead of -inf", "zh": "用 0 而不是 -inf 做填充"},
        why={"en": "A padded cell must never be the maximum. A zero beats every value of a window of negative "
                   "numbers at the border, so the output shows 0 where the input has none. Pad with -inf "
                   "(np.pad(..., constant_values=-np.inf)) so the maximum always comes from the input.",
             "zh": "填充出来的格子永远不能成为最大值。边界窗口里如果全是负数，0 会比它们都大，输出里就出现了输入中根本没有的 0。"
                   "要用 -inf 填充（np.pad(..., constant_values=-np.inf)），这样最大值总是来自输入本身。"},
        max_pool2d=_wrong_pool2d(fill=0.0), max_pool1d=_wrong_pool1d(fill=0.0)),
    mistake(
        "index_in_window",
        title={"en": "indices counted inside the window", "zh": "索引是在窗口内部计数的"},
        why={"en": "argmax over a flattened window gives a position 0..kH*kW-1 inside that window. torch's index "
                   "says where the maximum sits in the whole input plane: turn the window position into "
                   "(a, b) = divmod(best, kW), add the window's top-left corner, and return row * W + col.",
             "zh": "对拉平的窗口取 argmax，得到的是窗口内部的位置 0..kH*kW-1。torch 的索引表示最大值在整个输入平面中的位置："
                   "先用 (a, b) = divmod(best, kW) 把窗口内位置变成行列，加上窗口左上角的坐标，再返回 row * W + col。"},
        max_pool2d=_wrong_pool2d(index="window")),
    mistake(
        "index_in_padded_plane",
        title={"en": "indices counted in the padded plane", "zh": "索引是在填充后的平面里计数的"},
        why={"en": "With padding, a position in the padded plane is off by the padding and uses the padded "
                   "width. torch's indices refer to the input as given: subtract pH from the row and pW from "
                   "the column, and flatten with the unpadded width W.",
             "zh": "有填充时，填充后平面里的位置多出了填充的宽度，而且按填充后的宽度展平。torch 的索引对应原始输入："
                   "行要减去 pH、列要减去 pW，再用未填充的宽度 W 展平。"},
        max_pool2d=_wrong_pool2d(index="padded")),
    mistake(
        "index_over_channels",
        title={"en": "indices flattened over C * H * W", "zh": "索引按 C * H * W 展平"},
        why={"en": "Each (n, c) plane counts its own positions from 0 to H * W - 1; the channel is already "
                   "known from where the index sits in the output. Do not add c * H * W.",
             "zh": "每个 (n, c) 平面各自从 0 数到 H * W - 1；通道由这个索引在输出中的位置就已确定。不要再加上 c * H * W。"},
        max_pool2d=_wrong_pool2d(index="channels")),
    mistake(
        "backward_overwrites",
        title={"en": "gradients assigned instead of added up", "zh": "梯度是赋值而不是累加"},
        why={"en": "When windows overlap, the same input can be the maximum of several windows, and it receives "
                   "the gradient of each of them. grad[idx] = g keeps only one of them; np.add.at(grad, idx, g) "
                   "adds them all up.",
             "zh": "窗口重叠时，同一个输入可能是多个窗口的最大值，它应该收到每个窗口传回的梯度。grad[idx] = g 只会留下其中一个；"
                   "要用 np.add.at(grad, idx, g) 把它们全部加起来。"},
        max_pool2d_backward=_backward_overwrites),
    mistake(
        "backward_one_plane",
        title={"en": "indices used as positions in the whole flattened input", "zh": "把索引当成整个展平输入中的位置"},
        why={"en": "An index only says where the maximum is within its own (n, c) plane, so the gradients of every "
                   "plane would pile up in the first one. Give each plane its own row of H * W cells "
                   "(grad of shape (N * C, H * W)) and scatter plane p's gradients into row p.",
             "zh": "索引只说明最大值在它自己那个 (n, c) 平面中的位置，直接用在整个展平的输入上，所有平面的梯度都会堆到第一个平面里。"
                   "要让每个平面有自己的一行 H * W 个格子（形状为 (N * C, H * W) 的梯度），把第 p 个平面的梯度散布到第 p 行。"},
        max_pool2d_backward=_backward_one_plane),
]
