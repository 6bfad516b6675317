"""A 2-D convolution as one matrix product: im2col unfolds the windows into columns, col2im folds them back."""

import numbers

import numpy as np


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    """Unfold every sliding window of the zero-padded input into one column.

    Column l holds the window of output position l (positions in row-major order: l = i * W_out + j).
    Its C * kH * kW entries are ordered channel first, then kernel row, then kernel column:
    row c * kH * kW + a * kW + b of column l = i * W_out + j is

        x_pad[n, c, i * sH + a * dH, j * sW + b * dW]

    Dilation spaces the kernel's taps d apart (a 3-wide kernel with dilation 2 spans 5 pixels);
    the stride is the step between neighbouring windows. A window that would run past the padded
    edge is dropped, so H_out = (H + 2 * pH - dH * (kH - 1) - 1) // sH + 1, likewise W_out.

    Args:
        x: input images, float32 or float64, (N, C, H, W).
        kernel_size: the window size, an int or a pair (kH, kW); each at least 1.
        stride: step between neighbouring windows, an int or a pair (sH, sW); each at least 1.
        padding: zeros added on each side, an int or a pair (pH, pW); each at least 0.
        dilation: spacing between kernel taps, an int or a pair (dH, dW); each at least 1.

    Returns:
        The columns, (N, C * kH * kW, H_out * W_out), with the dtype of `x`.

    Raises:
        ValueError: if `x` is not 4-D, an argument is not an int or a pair of ints, `kernel_size`,
            `stride` or `dilation` < 1, `padding` < 0, or the (dilated) kernel does not fit the padded input.

    Shapes:
        x: (N, C, H, W) -> (N, C * kH * kW, L),  L = H_out * W_out

    PyTorch: torch.nn.functional.unfold(x, kernel_size, dilation=dilation, padding=padding, stride=stride)
    """
    # TODO: pad; for each kernel tap (a, b) take the strided slab x_pad[:, :, a*dH::sH, b*dW::sW] cut to (H_out, W_out); stack taps after the channel axis, flatten
    raise NotImplementedError("conv.conv2d_im2col: im2col")


def col2im(cols, output_size, kernel_size, stride=1, padding=0, dilation=1):
    """Fold columns back into images: the adjoint of im2col, where overlapping windows ADD up.

    Every entry of `cols` goes back to the pixel im2col took it from; a pixel covered by several
    windows receives the sum of their entries. The sum is formed on the padded canvas
    (H + 2 * pH, W + 2 * pW) and the padding is then cropped away, so entries that fell on the
    padding are dropped. col2im(im2col(x)) is therefore x times the number of windows covering
    each pixel, not x.

    Args:
        cols: columns, float32 or float64, (N, C * kH * kW, L), laid out as im2col makes them.
        output_size: the image size (H, W), an int or a pair; each at least 1.
        kernel_size: the window size, an int or a pair (kH, kW); each at least 1.
        stride: step between neighbouring windows, an int or a pair (sH, sW); each at least 1.
        padding: zeros that im2col added on each side, an int or a pair (pH, pW); each at least 0.
        dilation: spacing between kernel taps, an int or a pair (dH, dW); each at least 1.

    Returns:
        The images, (N, C, H, W), with the dtype of `cols`.

    Raises:
        ValueError: if `cols` is not 3-D, an argument is not an int or a pair of ints, `output_size`,
            `kernel_size`, `stride` or `dilation` < 1, `padding` < 0, cols.shape[1] is not a multiple
            of kH * kW, the kernel does not fit the padded output, or L is not H_out * W_out.

    Shapes:
        cols: (N, C * kH * kW, L) -> (N, C, H, W),  L = H_out * W_out as for im2col on (H, W)

    PyTorch: torch.nn.functional.fold(cols, output_size, kernel_size, dilation=dilation, padding=padding,
        stride=stride)
    """
    # TODO: zero canvas of the padded size; for each kernel tap (a, b) ADD its (H_out, W_out) slab into the strided slice it came from; crop the padding
    raise NotImplementedError("conv.conv2d_im2col: col2im")


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """A 2-D convolution (cross-correlation) computed as im2col followed by one matrix product.

    With cols = im2col(x, (kH, kW), stride, padding, dilation), the (N, C * kH * kW, L) columns,
    a convolution is a matrix product: each filter flattened to a row of C * kH * kW numbers (in
    the same channel-major order) times each column is one output number.

    With groups = G the C input channels split into G contiguous blocks of C / G, and the O
    filters into G contiguous blocks of O / G; filter block g sees only channel block g, so
    weight is (O, C / G, kH, kW). Output channel o belongs to group o // (O / G).

        out[n, o, i, j] = bias[o] + sum over c, a, b of
            x_pad[n, g * C/G + c, i * sH + a * dH, j * sW + b * dW] * weight[o, c, a, b]

    Args:
        x: input images, float32 or float64, (N, C, H, W).
        weight: O filters, each spanning the C / groups channels of its group, (O, C / groups, kH, kW).
        bias: one number per filter added to its whole output map, (O,), or None for no bias.
        stride: step between neighbouring windows, an int or a pair (sH, sW); each at least 1.
        padding: zeros added on each side, an int or a pair (pH, pW); each at least 0.
        dilation: spacing between kernel taps, an int or a pair (dH, dW); each at least 1.
        groups: the number of channel groups, at least 1, dividing both C and O.

    Returns:
        The output maps, (N, O, H_out, W_out), with the dtype of `x` (float32 stays float32).

    Raises:
        ValueError: if `x` or `weight` is not 4-D, `groups` < 1 or does not divide O, C is not
            weight.shape[1] * groups, `bias` is not of shape (O,), or an argument im2col refuses.

    Shapes:
        x: (N, C, H, W), weight: (O, C / G, kH, kW), bias: (O,) -> (N, O, H_out, W_out)
        H_out = (H + 2 * pH - dH * (kH - 1) - 1) // sH + 1, likewise W_out

    PyTorch: torch.nn.functional.conv2d(x, weight, bias, stride=stride, padding=padding, dilation=dilation,
        groups=groups)
    """
    # TODO: cols = im2col(x); split its rows and the filters into G blocks; one batched matmul (G, O/G, K) @ (N, G, K, L); add bias; reshape to the output grid
    raise NotImplementedError("conv.conv2d_im2col: conv2d")


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
