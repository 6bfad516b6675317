"""Classic wrong answers to architectures.unet_blocks, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake


def _get(params, key):
    if key not in params:
        raise ValueError(f"params has no {key!r}")
    return params[key]


def _conv3x3(x, w):
    if x.ndim != 4 or w.ndim != 4 or w.shape[1:] != (x.shape[1], 3, 3):
        raise ValueError("x or a conv weight does not fit")
    h, wd = x.shape[2:]
    p = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    return sum(np.einsum("nchw,oc->nohw", p[:, :, a:a + h, b:b + wd], w[:, :, a, b])
               for a in range(3) for b in range(3))


def _bn(h, params, prefix, slip):
    weight, bias, mean, var = (_get(params, prefix + k) for k in ("weight", "bias", "running_mean", "running_var"))
    if any(np.shape(v) != (h.shape[1],) for v in (weight, bias, mean, var)):
        raise ValueError("a batch-norm statistic does not fit")
    if slip.get("batch_stats"):
        mean, var = h.mean(axis=(0, 2, 3)), h.var(axis=(0, 2, 3))
    eps = 0 if slip.get("no_eps") else 1e-5
    c = (slice(None), None, None)
    with np.errstate(all="ignore"):
        return (h - mean[c]) / np.sqrt(var[c] + eps) * weight[c] + bias[c]


def _dc(x, params, prefix, slip):
    if np.ndim(x) != 4:
        raise ValueError("x must be 4-D")
    h = x
    for i, (conv, bn) in enumerate((("0", "1"), ("3", "4"))):
        h = _bn(_conv3x3(h, _get(params, f"{prefix}double_conv.{conv}.weight")), params,
                f"{prefix}double_conv.{bn}.", slip)
        if i == 1 or not slip.get("relu_at_end"):
            h = np.maximum(h, 0)
    return h.astype(x.dtype)


def _up(x1, x2, params, slip):
    if np.ndim(x1) != 4 or np.ndim(x2) != 4 or x1.shape[0] != x2.shape[0]:
        raise ValueError("x1 or x2 does not fit")
    w, b = _get(params, "up.weight"), _get(params, "up.bias")
    n, _, h1, w1 = x1.shape
    if slip.get("weight_cout_cin"):
        w = w.transpose(1, 0, 2, 3)
    if w.ndim != 4 or w.shape[0] != x1.shape[1] or b.shape != (w.shape[1],):
        raise ValueError("up.weight or up.bias does not fit")
    y = np.einsum("ncij,coab->noiajb", x1, w).reshape(n, w.shape[1], 2 * h1, 2 * w1)
    if not slip.get("no_bias"):
        y = y + b[:, None, None]
    dy, dx = x2.shape[2] - 2 * h1, x2.shape[3] - 2 * w1
    if dy < 0 or dx < 0:
        raise ValueError("x2 is smaller than up(x1)")
    if slip.get("crop_x2"):
        top, left = dy // 2, dx // 2
        x2 = x2[:, :, top:top + 2 * h1, left:left + 2 * w1]
    elif slip.get("pad_top_left"):
        y = np.pad(y, ((0, 0), (0, 0), (dy - dy // 2, dy // 2), (dx - dx // 2, dx // 2)))
    else:
        y = np.pad(y, ((0, 0), (0, 0), (dy // 2, dy - dy // 2), (dx // 2, dx - dx // 2)))
    parts = [y, x2] if slip.get("x1_first") else [x2, y]
    return _dc(np.concatenate(parts, axis=1), params, "conv.", slip).astype(x1.dtype)


def _down(x, params, slip):
    if np.ndim(x) != 4 or x.shape[2] < 2 or x.shape[3] < 2:
        raise ValueError("x does not fit")
    n, c, h, w = x.shape
    pooled = x[:, :, :2 * (h // 2), :2 * (w // 2)].reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))
    return _dc(pooled, params, "maxpool_conv.1.", slip)


def _with(**slip):
    """All three functions with the slip switched on, so every scenario that calls them names it."""
    return {"double_conv": lambda x, params: _dc(x, params, "", slip),
            "down": lambda x, params: _down(x, params, slip),
            "up": lambda x1, x2, params: _up(x1, x2, params, slip)}


MISTAKES = [
    mistake(
        "bn_batch_statistics",
        title={"en": "batch norm with the mean and variance of x, not the running statistics",
               "zh": "批归一化用了 x 自己的均值和方差，而不是滑动统计量"},
        why={"en": "In eval mode batch norm does not look at the batch at all: it normalises with running_mean "
                   "and running_var, the estimates gathered during training. That is what makes a network's "
                   "output for one image independent of the other images in the batch. Use the params' "
                   "running statistics.",
             "zh": "eval 模式下批归一化根本不看当前这批数据：它用训练时累积的 running_mean 和 running_var 来归一化。"
                   "正因为如此，网络对一张图像的输出才不受同一批里其他图像的影响。请使用 params 里的滑动统计量。"},
        **_with(batch_stats=True)),
    mistake(
        "relu_only_at_end",
        title={"en": "a ReLU after the second conv only",
               "zh": "只在第二个卷积之后做了 ReLU"},
        why={"en": "DoubleConv is conv, batch norm, ReLU, and then that again: each conv gets its own ReLU. "
                   "Without the first one the two convs and the batch norm between them are all affine, and "
                   "their composition could be folded into a single linear map.",
             "zh": "DoubleConv 是卷积、批归一化、ReLU，然后再来一遍：每个卷积后面都有自己的 ReLU。少了第一个，"
                   "两个卷积和中间的批归一化都是仿射的，合起来只相当于一个线性映射。"},
        **_with(relu_at_end=True)),
    mistake(
        "bn_no_eps",
        title={"en": "sqrt(running_var) without the eps",
               "zh": "sqrt(running_var) 里漏了 eps"},
        why={"en": "Batch norm divides by sqrt(running_var + eps) with eps = 1e-5, and torch adds it always, "
                   "not only when the variance is zero. For a channel with a small variance the difference is "
                   "large: at running_var = 1e-4 it changes the output by about 5 %.",
             "zh": "批归一化除以的是 sqrt(running_var + eps)，eps = 1e-5，torch 总是加上它，而不只是在方差为零时。"
                   "通道方差较小时差别很大：running_var = 1e-4 时输出会差大约 5%。"},
        **_with(no_eps=True)),
    mistake(
        "cat_x1_first",
        title={"en": "concatenated as [up(x1), x2] instead of [x2, up(x1)]",
               "zh": "拼接成了 [up(x1), x2]，而不是 [x2, up(x1)]"},
        why={"en": "The order of the channels decides which input channels of conv.double_conv.0.weight meet "
                   "which map. The U-Net (and these weights) put the skip connection x2 first: "
                   "torch.cat([x2, x1], dim=1). When both have as many channels the shapes fit either way and "
                   "only the numbers are wrong.",
             "zh": "通道的顺序决定了 conv.double_conv.0.weight 的哪些输入通道对应哪张特征图。U-Net（以及这些权重）把"
                   "跳跃连接 x2 放在前面：torch.cat([x2, x1], dim=1)。两者通道数相同时，顺序反了形状照样对得上，"
                   "只是数值错了。"},
        **_with(x1_first=True)),
    mistake(
        "pad_extra_top_left",
        title={"en": "the odd extra row and column of padding on top and left",
               "zh": "奇数时多出来的一行一列补在了上边和左边"},
        why={"en": "With a difference dY = H2 - 2 H1 that is odd, the padding cannot be split evenly. F.pad(x1, "
                   "[dX // 2, dX - dX // 2, dY // 2, dY - dY // 2]) puts the smaller half on the left and top, "
                   "so the extra row goes at the bottom and the extra column on the right. The other way shifts "
                   "the upsampled map by a pixel against the skip connection.",
             "zh": "差值 dY = H2 - 2 H1 为奇数时，补零没法平均分。F.pad(x1, [dX // 2, dX - dX // 2, dY // 2, dY - dY // 2]) "
                   "把较小的一半放在左边和上边，所以多出的一行在下边、多出的一列在右边。反过来会让上采样的图相对跳跃连接"
                   "错开一个像素。"},
        **_with(pad_top_left=True)),
    mistake(
        "up_weight_cout_cin",
        title={"en": "up.weight read as (C_up, C_in, 2, 2), the conv2d layout",
               "zh": "把 up.weight 当成了 conv2d 的布局 (C_up, C_in, 2, 2)"},
        why={"en": "nn.ConvTranspose2d stores its weight input channels first, (C_in, C_out, kH, kW), the "
                   "reverse of nn.Conv2d, because it is the adjoint of a conv from C_out to C_in channels. "
                   "Contract x1's channels with axis 0: out[n, o, 2i + a, 2j + b] = sum over c of "
                   "x1[n, c, i, j] * w[c, o, a, b].",
             "zh": "nn.ConvTranspose2d 的权重是输入通道在前，(C_in, C_out, kH, kW)，与 nn.Conv2d 相反，因为它是一个从 "
                   "C_out 到 C_in 通道的卷积的伴随。要用第 0 维和 x1 的通道相乘求和：out[n, o, 2i + a, 2j + b] = 对 c 求和 "
                   "x1[n, c, i, j] * w[c, o, a, b]。"},
        **_with(weight_cout_cin=True)),
    mistake(
        "up_bias_dropped",
        title={"en": "the transposed conv without its bias",
               "zh": "转置卷积漏了偏置"},
        why={"en": "Unlike the convs inside DoubleConv, which have bias=False because the batch norm after them "
                   "would cancel it, the ConvTranspose2d in Up has a bias: add params['up.bias'] to every "
                   "pixel of its channel before padding.",
             "zh": "DoubleConv 里的卷积 bias=False，因为后面的批归一化会把偏置抵消掉；但 Up 里的 ConvTranspose2d 有偏置："
                   "补零之前要把 params['up.bias'] 加到对应通道的每个像素上。"},
        **_with(no_bias=True)),
    mistake(
        "crop_x2",
        title={"en": "x2 cropped to the size of up(x1) instead of up(x1) padded to x2's",
               "zh": "把 x2 裁剪到 up(x1) 的大小，而不是把 up(x1) 补零到 x2 的大小"},
        why={"en": "The original U-Net paper cropped the skip connection, but the PyTorch U-Net pads the "
                   "upsampled map instead, so that the output keeps x2's full size (N, C_out, H2, W2) and no "
                   "border of the skip connection is lost. Pad up(x1) with zeros.",
             "zh": "U-Net 原论文裁剪的是跳跃连接，但 PyTorch 版的 U-Net 改为给上采样的图补零，这样输出保持 x2 的完整大小 "
                   "(N, C_out, H2, W2)，跳跃连接的边缘也不会丢。请给 up(x1) 补零。"},
        **_with(crop_x2=True)),
]
