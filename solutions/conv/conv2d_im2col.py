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
    # BEGIN SOLUTION: pad; for each kernel tap (a, b) take the strided slab x_pad[:, :, a*dH::sH, b*dW::sW] cut to (H_out, W_out); stack taps after the channel axis, flatten
    if np.ndim(x) != 4:
        raise ValueError(f"x must be 4-D (N, C, H, W), got shape {np.shape(x)}")
    kH, kW = _pair(kernel_size, "kernel_size", minimum=1)
    sH, sW = _pair(stride, "stride", minimum=1)
    pH, pW = _pair(padding, "padding", minimum=0)
    dH, dW = _pair(dilation, "dilation", minimum=1)
    N, C, H, W = x.shape
    H_out = (H + 2 * pH - dH * (kH - 1) - 1) // sH + 1  # floor: a window that does not fit is dropped
    W_out = (W + 2 * pW - dW * (kW - 1) - 1) // sW + 1
    if H_out < 1 or W_out < 1:
        raise ValueError(f"kernel_size {(kH, kW)} with dilation {(dH, dW)} does not fit the padded input "
                         f"{(H + 2 * pH, W + 2 * pW)}")

    x_pad = np.pad(x, ((0, 0), (0, 0), (pH, pH), (pW, pW)))  # (N, C, H + 2pH, W + 2pW)
    cols = np.empty((N, C, kH, kW, H_out, W_out), dtype=x.dtype)  # (N, C, kH, kW, H_out, W_out)
    for a in range(kH):
        top = a * dH  # tap (a, b) reads row i * sH + a * dH for output row i
        for b in range(kW):
            left = b * dW
            # one strided slab: this tap's pixel for every output position at once
            cols[:, :, a, b] = x_pad[:, :, top:top + sH * (H_out - 1) + 1:sH,
                                     left:left + sW * (W_out - 1) + 1:sW]  # (N, C, H_out, W_out)
    return cols.reshape(N, C * kH * kW, H_out * W_out)  # channel-major rows, row-major positions
    # END SOLUTION


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
    # BEGIN SOLUTION: zero canvas of the padded size; for each kernel tap (a, b) ADD its (H_out, W_out) slab into the strided slice it came from; crop the padding
    if np.ndim(cols) != 3:
        raise ValueError(f"cols must be 3-D (N, C * kH * kW, L), got shape {np.shape(cols)}")
    H, W = _pair(output_size, "output_size", minimum=1)
    kH, kW = _pair(kernel_size, "kernel_size", minimum=1)
    sH, sW = _pair(stride, "stride", minimum=1)
    pH, pW = _pair(padding, "padding", minimum=0)
    dH, dW = _pair(dilation, "dilation", minimum=1)
    N, CK, L = cols.shape
    if CK % (kH * kW) != 0:
        raise ValueError(f"cols.shape[1] = {CK} is not a multiple of kH * kW = {kH * kW} (kernel_size {(kH, kW)})")
    C = CK // (kH * kW)
    H_out = (H + 2 * pH - dH * (kH - 1) - 1) // sH + 1
    W_out = (W + 2 * pW - dW * (kW - 1) - 1) // sW + 1
    if H_out < 1 or W_out < 1:
        raise ValueError(f"kernel_size {(kH, kW)} with dilation {(dH, dW)} does not fit the padded "
                         f"output_size {(H + 2 * pH, W + 2 * pW)}")
    if L != H_out * W_out:
        raise ValueError(f"cols has L = {L} columns but output_size {(H, W)} gives {H_out} x {W_out} = "
                         f"{H_out * W_out} windows")

    blocks = cols.reshape(N, C, kH, kW, H_out, W_out)  # (N, C, kH, kW, H_out, W_out)
    canvas = np.zeros((N, C, H + 2 * pH, W + 2 * pW), dtype=cols.dtype)  # (N, C, H + 2pH, W + 2pW)
    for a in range(kH):
        top = a * dH
        for b in range(kW):
            left = b * dW
            # within one tap the windows hit distinct pixels; the taps overlap, so add, never assign
            canvas[:, :, top:top + sH * (H_out - 1) + 1:sH,
                   left:left + sW * (W_out - 1) + 1:sW] += blocks[:, :, a, b]
    return canvas[:, :, pH:pH + H, pW:pW + W]  # (N, C, H, W): the padding cropped on all four sides
    # END SOLUTION


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
    # BEGIN SOLUTION: cols = im2col(x); split its rows and the filters into G blocks; one batched matmul (G, O/G, K) @ (N, G, K, L); add bias; reshape to the output grid
    if np.ndim(x) != 4:
        raise ValueError(f"x must be 4-D (N, C, H, W), got shape {np.shape(x)}")
    if np.ndim(weight) != 4:
        raise ValueError(f"weight must be 4-D (O, C / groups, kH, kW), got shape {np.shape(weight)}")
    if not isinstance(groups, numbers.Integral) or groups < 1:
        raise ValueError(f"groups must be a positive int, got {groups!r}")
    N, C, H, W = x.shape
    O, Cg, kH, kW = weight.shape
    G = int(groups)
    if O % G != 0:
        raise ValueError(f"groups={G} must divide the number of filters O = weight.shape[0] = {O}")
    if C != Cg * G:
        raise ValueError(f"x has {C} channels but weight expects weight.shape[1] * groups = {Cg} * {G} = {Cg * G}")
    if bias is not None and np.shape(bias) != (O,):
        raise ValueError(f"bias must have shape ({O},), one per filter, got {np.shape(bias)}")
    sH, sW = _pair(stride, "stride", minimum=1)
    dH, dW = _pair(dilation, "dilation", minimum=1)
    pH, pW = _pair(padding, "padding", minimum=0)
    H_out = (H + 2 * pH - dH * (kH - 1) - 1) // sH + 1
    W_out = (W + 2 * pW - dW * (kW - 1) - 1) // sW + 1

    cols = im2col(x, (kH, kW), stride, padding, dilation)  # (N, C * kH * kW, L); refuses a kernel that does not fit
    K = Cg * kH * kW  # the length of one filter, flattened
    cols = cols.reshape(N, G, K, H_out * W_out)  # (N, G, K, L): channel-major rows, so group g is block g
    w = weight.reshape(G, O // G, K)  # (G, O/G, K): filters of group g are the g-th contiguous block
    out = np.matmul(w, cols)  # (G, O/G, K) @ (N, G, K, L) -> (N, G, O/G, L)
    out = out.reshape(N, O, H_out, W_out)  # (N, O, H_out, W_out): group g's filters are channels g*O/G ...
    if bias is not None:
        out = out + bias.reshape(1, O, 1, 1)  # (O,) -> (1, O, 1, 1), one number per output map
    return out.astype(x.dtype, copy=False)
    # END SOLUTION


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
