"""A 2-D convolution (cross-correlation, as in deep learning) written with explicit loops."""

import numbers

import numpy as np


def conv2d(x, weight, bias=None, stride=1, padding=0):
    """Slide each filter over the zero-padded input and take a dot product at every position.

    Deep-learning "convolution" is cross-correlation: the kernel is NOT flipped. Output
    position (i, j) of filter o looks at the window of the padded input that starts at row
    i * stride_h and column j * stride_w:

        out[n, o, i, j] = bias[o] + sum over c, a, b of
                          x_pad[n, c, i * sH + a, j * sW + b] * weight[o, c, a, b]

    Zero padding adds `padding` rows on the top AND the bottom, and `padding` columns on
    the left AND the right. A window that would run past the padded edge is dropped, so the
    output height is floor((H + 2 * pH - kH) / sH) + 1, and likewise for the width.

    Args:
        x: input images, float32 or float64, (N, C, H, W).
        weight: O filters, each spanning all C input channels, (O, C, kH, kW).
        bias: one number per filter added to its whole output map, (O,), or None for no bias.
        stride: step between neighbouring windows, an int or a pair (sH, sW); each at least 1.
        padding: zeros added on each side, an int or a pair (pH, pW); each at least 0.

    Returns:
        The output maps, (N, O, H_out, W_out), with the dtype of `x` (float32 stays float32).

    Raises:
        ValueError: if `x` or `weight` is not 4-D, their channel counts differ, `bias` is not
            of shape (O,), `stride` < 1, `padding` < 0, or the kernel does not fit the padded input.

    Shapes:
        x: (N, C, H, W), weight: (O, C, kH, kW), bias: (O,) -> (N, O, H_out, W_out)
        H_out = (H + 2 * pH - kH) // sH + 1,  W_out = (W + 2 * pW - kW) // sW + 1

    PyTorch: torch.nn.functional.conv2d(x, weight, bias, stride=stride, padding=padding)
    """
    # BEGIN SOLUTION: zero-pad all four sides; for each output (i, j) take the window at (i * sH, j * sW), multiply by each filter, sum over (C, kH, kW); add bias
    _check_arrays(x, weight, bias)
    sH, sW = _pair(stride, "stride", minimum=1)
    pH, pW = _pair(padding, "padding", minimum=0)
    N, C, H, W = x.shape
    O, _, kH, kW = weight.shape
    H_out = (H + 2 * pH - kH) // sH + 1  # floor: a window that does not fit is dropped
    W_out = (W + 2 * pW - kW) // sW + 1
    if H_out < 1 or W_out < 1:
        raise ValueError(f"the kernel {(kH, kW)} does not fit the padded input {(H + 2 * pH, W + 2 * pW)}")

    x_pad = np.pad(x, ((0, 0), (0, 0), (pH, pH), (pW, pW)))  # (N, C, H + 2pH, W + 2pW)
    out = np.zeros((N, O, H_out, W_out), dtype=np.result_type(x, weight))  # (N, O, H_out, W_out)
    for i in range(H_out):
        top = i * sH
        for j in range(W_out):
            left = j * sW
            window = x_pad[:, :, top:top + kH, left:left + kW]  # (N, C, kH, kW)
            # every sample against every filter: multiply and sum over (C, kH, kW)
            out[:, :, i, j] = np.tensordot(window, weight, axes=([1, 2, 3], [1, 2, 3]))  # (N, O)
    if bias is not None:
        out += bias.reshape(1, O, 1, 1)  # (O,) -> (1, O, 1, 1), one number per output map
    return out.astype(x.dtype, copy=False)
    # END SOLUTION


def _check_arrays(x, weight, bias):
    if np.ndim(x) != 4:
        raise ValueError(f"x must be 4-D (N, C, H, W), got shape {np.shape(x)}")
    if np.ndim(weight) != 4:
        raise ValueError(f"weight must be 4-D (O, C, kH, kW), got shape {np.shape(weight)}")
    if np.shape(x)[1] != np.shape(weight)[1]:
        raise ValueError(f"x has {np.shape(x)[1]} channels but weight expects {np.shape(weight)[1]} "
                         f"(weight is (O, C, kH, kW))")
    if bias is not None and np.shape(bias) != (np.shape(weight)[0],):
        raise ValueError(f"bias must have shape ({np.shape(weight)[0]},), one per filter, got {np.shape(bias)}")


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
