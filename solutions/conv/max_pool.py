"""Max pooling in 1-D and 2-D, with torch's flat indices and the gradient that flows back through them."""

import numbers

import numpy as np


def max_pool2d(x, kernel_size, stride=None, padding=0, return_indices=False):
    """Slide a kH x kW window over each (n, c) plane and keep the largest value under it.

    Output (i, j) looks at the window of the padded plane that starts at row i * sH and
    column j * sW. Padding adds `padding` cells of -inf on each side (never zeros: a zero
    would beat a window of negative numbers), so a padded cell is never the maximum. A window
    that would run past the padded edge is dropped (floor), as in conv2d.

    With return_indices=True each output also reports WHERE its maximum came from, as torch
    does: the flat position row * W + col in its own (n, c) plane of the UNPADDED input
    (not the position inside the window, not in the padded plane, not across channels).
    Where several entries of a window share the maximum, torch's CPU kernel keeps the first
    one in row-major order (np.argmax does the same); the tests avoid ties.

    Args:
        x: float32 or float64, (N, C, H, W), or (C, H, W) for a single image.
        kernel_size: the window, an int or a pair (kH, kW); each at least 1.
        stride: step between windows, an int or a pair (sH, sW), each at least 1; None (the
            default) means stride = kernel_size, windows side by side without overlap.
        padding: -inf cells added on each side, an int or a pair (pH, pW); each at least 0 and
            at most half the kernel (pH <= kH // 2, pW <= kW // 2).
        return_indices: also return the flat index of every maximum.

    Returns:
        out, or (out, indices) when return_indices: out has the dtype of `x`, indices are int64,
        both (N, C, H_out, W_out) (without N for a 3-D x).

    Raises:
        ValueError: if x is not 3-D or 4-D or has an empty C, H or W; kernel_size or stride < 1;
            padding < 0 or more than half the kernel; or the kernel does not fit the padded input.

    Shapes:
        x: (N, C, H, W) -> (N, C, H_out, W_out);  x: (C, H, W) -> (C, H_out, W_out)
        H_out = (H + 2 * pH - kH) // sH + 1,  W_out = (W + 2 * pW - kW) // sW + 1

    PyTorch: torch.nn.functional.max_pool2d(x, kernel_size, stride, padding, return_indices=return_indices)
    """
    # BEGIN SOLUTION: pad with -inf; for each output (i, j) take the window at (i * sH, j * sW); its max, and argmax turned into (row, col) of the unpadded plane
    x = np.asarray(x)
    if x.ndim not in (3, 4) or 0 in x.shape[-3:]:
        raise ValueError(f"x must be (N, C, H, W) or (C, H, W) with C, H, W > 0, got shape {x.shape}")
    single = x.ndim == 3
    x4 = x[None] if single else x  # (N, C, H, W)
    kH, kW = _pair(kernel_size, "kernel_size", minimum=1)
    sH, sW = (kH, kW) if stride is None else _pair(stride, "stride", minimum=1)
    pH, pW = _pair(padding, "padding", minimum=0)
    if pH > kH // 2 or pW > kW // 2:
        raise ValueError(f"padding {(pH, pW)} must be at most half the kernel {(kH, kW)}")
    N, C, H, W = x4.shape
    H_out = (H + 2 * pH - kH) // sH + 1  # floor: a window that does not fit is dropped
    W_out = (W + 2 * pW - kW) // sW + 1
    if H_out < 1 or W_out < 1:
        raise ValueError(f"the kernel {(kH, kW)} does not fit the padded input {(H + 2 * pH, W + 2 * pW)}")

    x_pad = np.pad(x4, ((0, 0), (0, 0), (pH, pH), (pW, pW)), constant_values=-np.inf)  # (N, C, H + 2pH, W + 2pW)
    out = np.empty((N, C, H_out, W_out), dtype=x.dtype)
    indices = np.empty((N, C, H_out, W_out), dtype=np.int64)
    for i in range(H_out):
        top = i * sH
        for j in range(W_out):
            left = j * sW
            window = x_pad[:, :, top:top + kH, left:left + kW].reshape(N, C, kH * kW)  # (N, C, kH * kW)
            best = window.argmax(axis=-1)  # (N, C): first maximum in row-major order, as torch
            out[:, :, i, j] = np.take_along_axis(window, best[..., None], axis=-1)[..., 0]
            row = top - pH + best // kW  # row and column in the UNPADDED plane
            col = left - pW + best % kW
            indices[:, :, i, j] = row * W + col  # flat over H * W of this (n, c) plane
    if single:
        out, indices = out[0], indices[0]  # (C, H_out, W_out)
    return (out, indices) if return_indices else out
    # END SOLUTION


def max_pool2d_backward(grad_out, indices, input_shape):
    """The gradient of a loss with respect to x, given its gradient at max_pool2d(x, ...).

    Each output copied one input entry, the one recorded in `indices`, so its gradient goes
    back to that entry alone; every other entry gets 0. Where windows overlap (stride smaller
    than the kernel) one entry can be the maximum of several windows: the gradients of all of
    them ADD UP there (accumulate, do not overwrite).

    Args:
        grad_out: dL/d(out), float32 or float64, shaped like the pooled output.
        indices: the int indices from max_pool2d(..., return_indices=True), same shape as
            grad_out, each flat over H * W of its (n, c) plane.
        input_shape: the shape of x, (N, C, H, W) or (C, H, W).

    Returns:
        dL/dx, an array of shape `input_shape` with the dtype of grad_out.

    Raises:
        ValueError: if input_shape is not 3-D or 4-D, grad_out and indices differ in shape or do
            not have the leading (N, C) of input_shape, or an index lies outside [0, H * W).

    Shapes:
        grad_out, indices: (N, C, H_out, W_out), input_shape (N, C, H, W) -> (N, C, H, W)
        (or all without N)

    PyTorch: torch.autograd.grad(F.max_pool2d(x, ...), x, grad_outputs=grad_out)
    """
    # BEGIN SOLUTION: one row of H * W per (n, c) plane; np.add.at adds each grad_out at its index, repeats summed
    grad_out, indices = np.asarray(grad_out), np.asarray(indices)
    input_shape = tuple(int(n) for n in input_shape)
    if len(input_shape) not in (3, 4):
        raise ValueError(f"input_shape must be (N, C, H, W) or (C, H, W), got {input_shape}")
    if grad_out.shape != indices.shape or grad_out.ndim != len(input_shape) \
            or grad_out.shape[:-2] != input_shape[:-2]:
        raise ValueError(f"grad_out {grad_out.shape} and indices {indices.shape} must have the same shape, "
                         f"with the leading dimensions of input_shape {input_shape}")
    H, W = input_shape[-2:]
    if indices.size and (indices.min() < 0 or indices.max() >= H * W):
        raise ValueError(f"indices must lie in [0, H * W) = [0, {H * W}), got {indices.min()}..{indices.max()}")
    planes = int(np.prod(input_shape[:-2]))  # N * C (or C)
    grad = np.zeros((planes, H * W), dtype=grad_out.dtype)  # one flat row per (n, c) plane
    rows = np.arange(planes)[:, None]  # (planes, 1)
    np.add.at(grad, (rows, indices.reshape(planes, -1)), grad_out.reshape(planes, -1))  # repeats add up
    return grad.reshape(input_shape)  # (N, C, H, W)
    # END SOLUTION


def max_pool1d(x, kernel_size, stride=None, padding=0):
    """Max pooling along the last axis: a window of `kernel_size` slid over each (n, c) row.

    The 1-D case of max_pool2d: the same -inf padding, stride=None meaning stride =
    kernel_size, padding at most half the kernel, and the floor rule for the last window.

    Args:
        x: float32 or float64, (N, C, L), or (C, L) for a single sequence.
        kernel_size: the window length, an int (or a 1-tuple) at least 1.
        stride: step between windows, an int at least 1; None (the default) means kernel_size.
        padding: -inf cells added at each end, an int, at least 0 and at most kernel_size // 2.

    Returns:
        The pooled rows, (N, C, L_out) (without N for a 2-D x), with the dtype of `x`.

    Raises:
        ValueError: if x is not 2-D or 3-D or has an empty C or L; kernel_size or stride < 1;
            padding < 0 or more than half the kernel; or the kernel does not fit the padded input.

    Shapes:
        x: (N, C, L) -> (N, C, L_out);  x: (C, L) -> (C, L_out);  L_out = (L + 2p - k) // s + 1

    PyTorch: torch.nn.functional.max_pool1d(x, kernel_size, stride, padding)
    """
    # BEGIN SOLUTION: a 2-D pooling of height 1: add an axis of size 1 before L, pool with (1, k), drop the axis
    x = np.asarray(x)
    if x.ndim not in (2, 3):
        raise ValueError(f"x must be (N, C, L) or (C, L), got shape {x.shape}")
    k = _single(kernel_size, "kernel_size")
    s = k if stride is None else _single(stride, "stride")
    p = _single(padding, "padding")
    out = max_pool2d(x[..., None, :], (1, k), (1, s), (0, p))  # (N, C, 1, L) -> (N, C, 1, L_out)
    return out[..., 0, :]  # (N, C, L_out)
    # END SOLUTION


def _pair(value, name, minimum):
    """An int or a pair of ints as (for H, for W), each at least `minimum`."""
    if _is_int(value):
        value = (value, value)
    if not (isinstance(value, (tuple, list)) and len(value) == 2 and all(_is_int(v) for v in value)):
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
    if min(value) < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value!r}")
    return int(value[0]), int(value[1])


def _single(value, name):
    """An int, or a 1-tuple of an int, as torch's 1-d pooling takes it (ranges are checked by max_pool2d)."""
    if isinstance(value, (tuple, list)) and len(value) == 1:
        value = value[0]
    if not _is_int(value):
        raise ValueError(f"{name} must be an int, got {value!r}")
    return int(value)


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))
