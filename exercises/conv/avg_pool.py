"""Average pooling over fixed windows, and adaptive average pooling to any output size."""

import numbers

import numpy as np


def avg_pool2d(x, kernel_size, stride=None, padding=0, count_include_pad=True):
    """Slide a kH x kW window over each (n, c) plane and take the mean of what is under it.

    Output (i, j) averages the window of the zero-padded plane that starts at row i * sH and
    column j * sW; a window that would run past the padded edge is dropped (floor). At the
    border a window can cover padding: with count_include_pad=True (the default) the padded
    zeros count, so the sum is always divided by kH * kW; with count_include_pad=False the sum
    is divided by the number of REAL input cells under the window.

    Args:
        x: float32 or float64, (N, C, H, W), or (C, H, W) for a single image.
        kernel_size: the window, an int or a pair (kH, kW); each at least 1.
        stride: step between windows, an int or a pair (sH, sW), each at least 1; None (the
            default) means stride = kernel_size.
        padding: zeros added on each side, an int or a pair (pH, pW); each at least 0 and at
            most half the kernel (pH <= kH // 2, pW <= kW // 2).
        count_include_pad: whether padded cells count in the divisor.

    Returns:
        The pooled maps, (N, C, H_out, W_out) (without N for a 3-D x), with the dtype of `x`.

    Raises:
        ValueError: if x is not 3-D or 4-D or has an empty C, H or W; kernel_size or stride < 1;
            padding < 0 or more than half the kernel; or the kernel does not fit the padded input.

    Shapes:
        x: (N, C, H, W) -> (N, C, H_out, W_out);  x: (C, H, W) -> (C, H_out, W_out)
        H_out = (H + 2 * pH - kH) // sH + 1,  W_out = (W + 2 * pW - kW) // sW + 1

    PyTorch: torch.nn.functional.avg_pool2d(x, kernel_size, stride, padding, count_include_pad=count_include_pad)
    """
    # TODO: zero-pad; for each output (i, j) sum the window at (i * sH, j * sW); divide by kH * kW, or by the real cells it covers
    raise NotImplementedError("conv.avg_pool: avg_pool2d")


def adaptive_avg_pool2d(x, output_size):
    """Average pooling to a chosen output size, whatever the input size.

    The rows are split into out_h bins: bin i runs from start = floor(i * H / out_h) to
    end = ceil((i + 1) * H / out_h) (end excluded), and the columns likewise. When H is not a
    multiple of out_h the bins have different widths and neighbours may share a row; when
    out_h > H bins repeat rows. Each output is the mean of its bin.

    Args:
        x: float32 or float64, (N, C, H, W), or (C, H, W) for a single image.
        output_size: (out_h, out_w), or an int s for (s, s); an entry None keeps that input size
            (output_size=(None, 4) gives (H, 4)). Sizes are at least 0.

    Returns:
        The pooled maps, (N, C, out_h, out_w) (without N for a 3-D x), with the dtype of `x`.

    Raises:
        ValueError: if x is not 3-D or 4-D or has an empty C, H or W, or output_size is not an
            int or a pair of ints (or None) at least 0.

    Shapes:
        x: (N, C, H, W) -> (N, C, out_h, out_w);  x: (C, H, W) -> (C, out_h, out_w)

    PyTorch: torch.nn.functional.adaptive_avg_pool2d(x, output_size)
    """
    # TODO: bin i covers floor(i * H / out) .. ceil((i + 1) * H / out); the mean of each bin
    raise NotImplementedError("conv.avg_pool: adaptive_avg_pool2d")


def _check_x(x):
    if x.ndim not in (3, 4) or 0 in x.shape[-3:]:
        raise ValueError(f"x must be (N, C, H, W) or (C, H, W) with C, H, W > 0, got shape {x.shape}")


def _pair(value, name, minimum):
    """An int or a pair of ints as (for H, for W), each at least `minimum`."""
    if _is_int(value):
        value = (value, value)
    if not (isinstance(value, (tuple, list)) and len(value) == 2 and all(_is_int(v) for v in value)):
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
    if min(value) < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value!r}")
    return int(value[0]), int(value[1])


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))
