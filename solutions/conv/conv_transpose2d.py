"""A 2-D transposed convolution: every input pixel stamps a scaled copy of the kernel onto a larger output."""

import numbers

import numpy as np


def conv_transpose2d(x, weight, bias=None, stride=1, padding=0, output_padding=0):
    """Scatter each input pixel, times the kernel, into the output; then crop the padding.

    A transposed convolution is the gradient of conv2d with respect to its input, used as a
    layer that makes feature maps larger (decoders, U-Net, GAN generators). In its scatter
    form, input pixel (i, j) of channel c adds x[n, c, i, j] * weight[c, o, :, :] to the
    kH x kW block of a full-size canvas whose top-left corner is (i * sH, j * sW):

        full[n, o, i * sH + a, j * sW + b] += x[n, c, i, j] * weight[c, o, a, b]

    The kernel is used as stored (no flip), and the stride spaces the stamps out. The stamps
    cover (H - 1) * sH + kH rows; `output_padding` adds that many rows and columns at the
    bottom and the right only (zeros where no stamp reaches), which is what lets a stride-2
    layer reach an even size; then `padding` is CROPPED from each side (the opposite of
    conv2d, where padding is added).

    Args:
        x: input maps, float32 or float64, (N, C_in, H, W).
        weight: (C_in, C_out, kH, kW): note the order, input channels FIRST, as torch stores it.
        bias: one number per output channel, (C_out,), or None for no bias.
        stride: distance between the stamps of neighbouring input pixels, an int or a pair
            (sH, sW); each at least 1.
        padding: rows and columns cropped from each side of the canvas, an int or a pair
            (pH, pW); each at least 0.
        output_padding: rows and columns added at the bottom and the right, an int or a pair;
            each at least 0 and smaller than the stride along its axis (torch's rule).

    Returns:
        The output maps, (N, C_out, H_out, W_out), in the dtype of x.

    Raises:
        ValueError: if x or weight is not 4-D, x's channel count differs from weight.shape[0],
            bias is not of shape (C_out,), stride < 1, padding < 0, output_padding < 0 or not
            smaller than the stride, or the output would be empty.

    Shapes:
        x: (N, C_in, H, W), weight: (C_in, C_out, kH, kW), bias: (C_out,) -> (N, C_out, H_out, W_out)
        H_out = (H - 1) * sH - 2 * pH + kH + output_padding_h, and likewise for W_out

    PyTorch: torch.nn.functional.conv_transpose2d(x, weight, bias, stride=stride, padding=padding,
        output_padding=output_padding)
    """
    # BEGIN SOLUTION: stamp x[:, :, i, j] times the kernel onto a canvas at (i * sH, j * sW); the canvas has output_padding extra rows/columns at the bottom/right; crop padding from every side; add bias
    _check_arrays(x, weight, bias)
    sH, sW = _pair(stride, "stride", minimum=1)
    pH, pW = _pair(padding, "padding", minimum=0)
    oH, oW = _pair(output_padding, "output_padding", minimum=0)
    if oH >= sH or oW >= sW:
        raise ValueError(f"output_padding {(oH, oW)} must be smaller than the stride {(sH, sW)} along each axis")
    N, C_in, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    H_out = (H - 1) * sH - 2 * pH + kH + oH
    W_out = (W - 1) * sW - 2 * pW + kW + oW
    if H_out < 1 or W_out < 1:
        raise ValueError(f"the output would be {(H_out, W_out)}: padding {(pH, pW)} crops away everything")

    # (N, C_out, (H - 1) * sH + kH + oH, (W - 1) * sW + kW + oW): the canvas before cropping
    full = np.zeros((N, C_out, (H - 1) * sH + kH + oH, (W - 1) * sW + kW + oW), dtype=np.result_type(x, weight))
    for i in range(H):
        top = i * sH
        for j in range(W):
            left = j * sW
            # (N, C_in) against (C_in, C_out, kH, kW), summed over C_in: (N, C_out, kH, kW)
            full[:, :, top:top + kH, left:left + kW] += np.tensordot(x[:, :, i, j], weight, axes=([1], [0]))
    out = full[:, :, pH:pH + H_out, pW:pW + W_out]  # crop padding: (N, C_out, H_out, W_out)
    if bias is not None:
        out = out + bias.reshape(1, C_out, 1, 1)  # (C_out,) -> (1, C_out, 1, 1)
    return out.astype(x.dtype)
    # END SOLUTION


def _check_arrays(x, weight, bias):
    if np.ndim(x) != 4:
        raise ValueError(f"x must be 4-D (N, C_in, H, W), got shape {np.shape(x)}")
    if np.ndim(weight) != 4:
        raise ValueError(f"weight must be 4-D (C_in, C_out, kH, kW), got shape {np.shape(weight)}")
    if np.shape(x)[1] != np.shape(weight)[0]:
        raise ValueError(f"x has {np.shape(x)[1]} channels but weight expects {np.shape(weight)[0]} "
                         f"(weight is (C_in, C_out, kH, kW))")
    if bias is not None and np.shape(bias) != (np.shape(weight)[1],):
        raise ValueError(f"bias must have shape ({np.shape(weight)[1]},), one per output channel, "
                         f"got {np.shape(bias)}")


def _pair(value, name, minimum):
    """An int or a pair of ints as (for H, for W), each at least `minimum`."""
    if isinstance(value, numbers.Integral):
        value = (value, value)
    if not (isinstance(value, (tuple, list)) and len(value) == 2
            and all(isinstance(v, numbers.Integral) for v in value)):
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
    if min(value) < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value!r}")
    return int(value[0]), int(value[1])
