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
    # TODO: the shared helper with no prefix
    raise NotImplementedError("architectures.unet_blocks: double_conv")


def _double_conv(x, params, prefix):
    """double_conv with `prefix` in front of every key ("maxpool_conv.1." in down, "conv." in up)."""
    # TODO: conv, eval batch norm, ReLU for the layers 0-1 and again for 3-4
    raise NotImplementedError("architectures.unet_blocks: _double_conv")


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
    # TODO: crop to even H and W, max over each 2x2 window, then double_conv with the prefix
    raise NotImplementedError("architectures.unet_blocks: down")


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
    # TODO: stamp the 2x2 kernels, pad (extra row/column bottom/right), cat [x2, y], double_conv
    raise NotImplementedError("architectures.unet_blocks: up")


def _check_4d(x, name):
    """Refuse anything that is not an (N, C, H, W) array."""
    # TODO: a ValueError naming the argument unless ndim == 4
    raise NotImplementedError("architectures.unet_blocks: _check_4d")


def _get(params, key):
    """params[key], or a ValueError naming the missing key."""
    # TODO: look the key up, ValueError when it is absent
    raise NotImplementedError("architectures.unet_blocks: _get")


def _conv3x3(x, weight):
    """A 3x3 cross-correlation with one pixel of zero padding and no bias."""
    # TODO: pad by one, then add up the nine shifted views, each times its (C_out, C_in) tap
    raise NotImplementedError("architectures.unet_blocks: _conv3x3")


def _batch_norm_eval(h, params, prefix):
    """Eval-mode batch norm over channel axis 1 with the running statistics under `prefix`."""
    # TODO: the four (C,) arrays, then (h - mean) / sqrt(var + eps) * weight + bias per channel
    raise NotImplementedError("architectures.unet_blocks: _batch_norm_eval")
