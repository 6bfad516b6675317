"""The building blocks of a U-Net: DoubleConv, Down and Up, with batch norm in eval mode."""

import numpy as np

EPS = 1e-5
CONV_KEYS = ("double_conv.0.weight", "double_conv.3.weight")
BN_PARTS = ("weight", "bias", "running_mean", "running_var")


def double_conv(x, params):
    """Conv 3x3 (padding 1, no bias), batch norm, ReLU, and the same again: the U-Net's DoubleConv.

    Restated so this file stands alone: the conv is a cross-correlation, out[n, o, i, j] =
    sum over c, a, b of pad(x)[n, c, i + a, j + b] * w[o, c, a, b] with one row and column of zeros
    around x, so H and W stay the same. Batch norm runs in eval mode: each channel is normalised with
    the GIVEN running statistics, (h - running_mean) / sqrt(running_var + 1e-5) * weight + bias, never
    with the statistics of x. ReLU follows each of the two batch norms.

    Args:
        x: the feature map, (N, C_in, H, W), float32 or float64.
        params: a dict in x's dtype with the keys of nn.Sequential's state_dict():
            "double_conv.0.weight" (C_mid, C_in, 3, 3);
            "double_conv.1.weight", ".bias", ".running_mean", ".running_var" (C_mid,) each;
            "double_conv.3.weight" (C_out, C_mid, 3, 3);
            "double_conv.4.weight", ".bias", ".running_mean", ".running_var" (C_out,) each.
            Other keys (such as "double_conv.1.num_batches_tracked") are ignored. Not modified.

    Returns:
        (N, C_out, H, W) in x's dtype.

    Raises:
        ValueError: if x is not 4-D, a key is missing from params, or the shapes of the weights and
            statistics do not chain from x's C_in channels.

    Shapes:
        x: (N, C_in, H, W) -> (N, C_out, H, W)

    PyTorch: nn.Sequential(nn.Conv2d(C_in, C_mid, 3, padding=1, bias=False), nn.BatchNorm2d(C_mid),
        nn.ReLU(), nn.Conv2d(C_mid, C_out, 3, padding=1, bias=False), nn.BatchNorm2d(C_out), nn.ReLU())
        as `double_conv`, loaded from params, in .eval() mode.
    """
    # BEGIN SOLUTION: the shared helper with no prefix
    return _double_conv(x, params, "")
    # END SOLUTION


def _double_conv(x, params, prefix):
    """double_conv with `prefix` in front of every key ("maxpool_conv.1." in down, "conv." in up)."""
    # BEGIN SOLUTION: conv, eval batch norm, ReLU for the layers 0-1 and again for 3-4
    _check_4d(x, "x")
    h = x
    for conv, bn in (("0", "1"), ("3", "4")):
        weight = _get(params, f"{prefix}double_conv.{conv}.weight")
        channels = h.shape[1]
        if weight.ndim != 4 or weight.shape[1:] != (channels, 3, 3):
            raise ValueError(f"params['{prefix}double_conv.{conv}.weight'] is {weight.shape} but must be "
                             f"(C, {channels}, 3, 3) for the {channels} channels it gets")
        h = _conv3x3(h, weight)  # (N, C, H, W) with C = weight.shape[0]
        h = _batch_norm_eval(h, params, f"{prefix}double_conv.{bn}.")
        h = np.maximum(h, 0)
    return h.astype(x.dtype, copy=False)
    # END SOLUTION


def down(x, params):
    """Max-pool 2x2 (stride 2), then a DoubleConv: the U-Net's Down block, halving H and W.

    The pooling takes the largest of each 2x2 window; an odd last row or column is dropped (floor),
    as nn.MaxPool2d(2) does.

    Args:
        x: (N, C_in, H, W) with H, W >= 2, float32 or float64.
        params: the DoubleConv's keys of double_conv behind the prefix "maxpool_conv.1.":
            "maxpool_conv.1.double_conv.0.weight" (C_mid, C_in, 3, 3), "maxpool_conv.1.double_conv.1.*"
            (weight, bias, running_mean, running_var, each (C_mid,)), "maxpool_conv.1.double_conv.3.weight"
            (C_out, C_mid, 3, 3), "maxpool_conv.1.double_conv.4.*" (each (C_out,)). Others are ignored.

    Returns:
        (N, C_out, H // 2, W // 2) in x's dtype.

    Raises:
        ValueError: if x is not 4-D or H or W is below 2, or as double_conv for the params.

    Shapes:
        x: (N, C_in, H, W) -> (N, C_out, H // 2, W // 2)

    PyTorch: nn.Sequential(nn.MaxPool2d(2), DoubleConv(C_in, C_out, C_mid)) as `maxpool_conv`, in .eval().
    """
    # BEGIN SOLUTION: crop to even H and W, max over each 2x2 window, then double_conv with the prefix
    _check_4d(x, "x")
    n, c, height, width = x.shape
    if height < 2 or width < 2:
        raise ValueError(f"x is {x.shape}: a 2x2 max-pool needs H and W of at least 2")
    h2, w2 = height // 2, width // 2
    windows = x[:, :, :2 * h2, :2 * w2].reshape(n, c, h2, 2, w2, 2)  # (N, C, H//2, 2, W//2, 2)
    pooled = windows.max(axis=(3, 5))  # (N, C, H//2, W//2)
    return _double_conv(pooled, params, "maxpool_conv.1.")
    # END SOLUTION


def up(x1, x2, params):
    """Upsample x1 by a 2x2 transposed conv, pad it to x2's size, concatenate [x2, x1], DoubleConv.

    The transposed conv (kernel 2, stride 2) stamps each input pixel's kernel onto its own 2x2 block:
    out[n, o, 2i + a, 2j + b] = sum over c of x1[n, c, i, j] * w[c, o, a, b] + bias[o], with w stored
    (C_in, C_up, 2, 2), input channels first. Then, with dY = H2 - 2 * H1 and dX = W2 - 2 * W1, zeros
    are added around the upsampled map: dY // 2 rows on top and dY - dY // 2 at the bottom, dX // 2
    columns on the left and dX - dX // 2 on the right (the extra one goes bottom and right). The skip
    connection x2 comes first in the concatenation along the channels.

    Args:
        x1: the coarse map from below, (N, C_in, H1, W1), float32 or float64.
        x2: the skip connection, (N, C_skip, H2, W2) with H2 >= 2 * H1 and W2 >= 2 * W1, x1's dtype.
        params: "up.weight" (C_in, C_up, 2, 2), "up.bias" (C_up,) (the U-Net uses C_up = C_in // 2), and
            the DoubleConv's keys behind the prefix "conv.": "conv.double_conv.0.weight"
            (C_mid, C_skip + C_up, 3, 3), "conv.double_conv.1.*" (weight, bias, running_mean,
            running_var, each (C_mid,)), "conv.double_conv.3.weight" (C_out, C_mid, 3, 3),
            "conv.double_conv.4.*" (each (C_out,)). Others are ignored. Not modified.

    Returns:
        (N, C_out, H2, W2) in x1's dtype.

    Raises:
        ValueError: if x1 or x2 is not 4-D, their batch sizes differ, x2 is smaller than the upsampled
            x1, a key is missing, or the shapes do not chain (up.weight against x1's channels, conv's
            first weight against C_skip + C_up).

    Shapes:
        x1: (N, C_in, H1, W1), x2: (N, C_skip, H2, W2) -> (N, C_out, H2, W2)

    PyTorch: up = nn.ConvTranspose2d(C_in, C_up, 2, stride=2); conv = DoubleConv(C_skip + C_up, C_out,
        C_mid); y = up(x1); y = F.pad(y, [dX // 2, dX - dX // 2, dY // 2, dY - dY // 2]);
        conv(torch.cat([x2, y], dim=1)), all in .eval().
    """
    # BEGIN SOLUTION: stamp the 2x2 kernels, pad (extra row/column bottom/right), cat [x2, y], double_conv
    _check_4d(x1, "x1")
    _check_4d(x2, "x2")
    weight, bias = _get(params, "up.weight"), _get(params, "up.bias")
    n, c_in, h1, w1 = x1.shape
    if weight.ndim != 4 or weight.shape[0] != c_in or weight.shape[2:] != (2, 2):
        raise ValueError(f"params['up.weight'] is {weight.shape} but must be ({c_in}, C_up, 2, 2): "
                         f"input channels first, {c_in} as in x1")
    c_up = weight.shape[1]
    if bias.shape != (c_up,):
        raise ValueError(f"params['up.bias'] is {bias.shape} but must be ({c_up},)")
    if x2.shape[0] != n:
        raise ValueError(f"x2 has a batch of {x2.shape[0]} but x1 of {n}")
    dy, dx = x2.shape[2] - 2 * h1, x2.shape[3] - 2 * w1
    if dy < 0 or dx < 0:
        raise ValueError(f"x2 is {x2.shape[2:]} but x1 upsampled is {(2 * h1, 2 * w1)}: x2 must be at least as large")
    stamps = np.einsum("ncij,coab->noiajb", x1, weight)  # (N, C_up, H1, 2, W1, 2)
    y = stamps.reshape(n, c_up, 2 * h1, 2 * w1) + bias[:, None, None]  # (N, C_up, 2 H1, 2 W1)
    y = np.pad(y, ((0, 0), (0, 0), (dy // 2, dy - dy // 2), (dx // 2, dx - dx // 2)))  # (N, C_up, H2, W2)
    joined = np.concatenate([x2, y.astype(x2.dtype, copy=False)], axis=1)  # (N, C_skip + C_up, H2, W2)
    return _double_conv(joined, params, "conv.").astype(x1.dtype, copy=False)
    # END SOLUTION


def _check_4d(x, name):
    """Refuse anything that is not an (N, C, H, W) array."""
    # BEGIN SOLUTION: a ValueError naming the argument unless ndim == 4
    if np.ndim(x) != 4:
        raise ValueError(f"{name} must be (N, C, H, W), not of shape {np.shape(x)}")
    # END SOLUTION


def _get(params, key):
    """params[key], or a ValueError naming the missing key."""
    # BEGIN SOLUTION: look the key up, ValueError when it is absent
    if key not in params:
        raise ValueError(f"params has no {key!r}")
    return params[key]
    # END SOLUTION


def _conv3x3(x, weight):
    """A 3x3 cross-correlation with one pixel of zero padding and no bias."""
    # BEGIN SOLUTION: pad by one, then add up the nine shifted views, each times its (C_out, C_in) tap
    height, width = x.shape[2:]
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))  # (N, C_in, H + 2, W + 2)
    out = 0
    for a in range(3):
        for b in range(3):
            view = padded[:, :, a:a + height, b:b + width]  # (N, C_in, H, W)
            out = out + np.einsum("nchw,oc->nohw", view, weight[:, :, a, b])  # (N, C_out, H, W)
    return out
    # END SOLUTION


def _batch_norm_eval(h, params, prefix):
    """Eval-mode batch norm over channel axis 1 with the running statistics under `prefix`."""
    # BEGIN SOLUTION: the four (C,) arrays, then (h - mean) / sqrt(var + eps) * weight + bias per channel
    channels = h.shape[1]
    weight, bias, mean, var = (_get(params, prefix + part) for part in BN_PARTS)
    for part, value in zip(BN_PARTS, (weight, bias, mean, var)):
        if np.shape(value) != (channels,):
            raise ValueError(f"params['{prefix}{part}'] is {np.shape(value)} but must be ({channels},)")
    per_channel = (slice(None), None, None)  # (C,) -> (C, 1, 1)
    scale = weight / np.sqrt(var + EPS)  # (C,)
    return (h - mean[per_channel]) * scale[per_channel] + bias[per_channel]
    # END SOLUTION
