"""Max pooling with torch's flat indices and its gradient (independent implementation).

Instead of looping over output positions, this version builds every window at once with
sliding_window_view on a copy padded with -inf, takes the strided subset of windows, and finds
each maximum with one argmax over the flattened window axis. The index of a maximum is turned
into input coordinates by unravelling it. The backward pass sums with np.bincount per plane.
"""

import numbers

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _ints(value, count, name, lowest):
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be an int or {count} ints, got {value!r}")
    if isinstance(value, numbers.Integral):
        out = (int(value),) * count
    elif isinstance(value, (tuple, list)) and len(value) in {1, count} and all(
            isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_)) for v in value):
        out = tuple(int(v) for v in value) * (count if len(value) == 1 else 1)
    else:
        raise ValueError(f"{name} must be an int or {count} ints, got {value!r}")
    if min(out) < lowest:
        raise ValueError(f"{name} must be >= {lowest}, got {value!r}")
    return out


def _pool(x4, kernel, stride, padding):
    """x4 (N, C, H, W) -> (values, flat indices), both (N, C, Ho, Wo)."""
    kh, kw = kernel
    sh, sw = stride
    ph, pw = padding
    if ph * 2 > kh or pw * 2 > kw:
        raise ValueError(f"padding {padding} may be at most half of kernel_size {kernel}")
    n, c, h, w = x4.shape
    if h + 2 * ph < kh or w + 2 * pw < kw:
        raise ValueError(f"kernel_size {kernel} is larger than the padded input {(h + 2 * ph, w + 2 * pw)}")
    padded = np.full((n, c, h + 2 * ph, w + 2 * pw), -np.inf)
    padded[:, :, ph:ph + h, pw:pw + w] = x4
    windows = sliding_window_view(padded, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]  # (n, c, Ho, Wo, kh, kw)
    ho, wo = windows.shape[2:4]
    flat = windows.reshape(n, c, ho, wo, kh * kw)
    where = flat.argmax(axis=-1)
    best = np.take_along_axis(flat, where[..., None], axis=-1)[..., 0]
    dr, dc = np.unravel_index(where, (kh, kw))
    r = np.arange(ho)[:, None] * sh + dr - ph
    q = np.arange(wo)[None, :] * sw + dc - pw
    return best.astype(x4.dtype), (r * w + q).astype(np.int64)


def max_pool2d(x, kernel_size, stride=None, padding=0, return_indices=False):
    """F.max_pool2d for (N, C, H, W) or (C, H, W); indices flat over each plane's H * W."""
    x = np.asarray(x)
    if x.ndim not in (3, 4) or 0 in x.shape[-3:]:
        raise ValueError(f"x must be (C, H, W) or (N, C, H, W) with non-empty C, H, W; got {x.shape}")
    kernel = _ints(kernel_size, 2, "kernel_size", 1)
    step = kernel if stride is None else _ints(stride, 2, "stride", 1)
    pad = _ints(padding, 2, "padding", 0)
    vals, idx = _pool(x.reshape((-1,) + x.shape[-3:]), kernel, step, pad)
    if x.ndim == 3:
        vals, idx = vals[0], idx[0]
    return (vals, idx) if return_indices else vals


def max_pool2d_backward(grad_out, indices, input_shape):
    """Scatter-add grad_out into zeros of input_shape at the recorded per-plane flat indices."""
    grad_out = np.asarray(grad_out)
    indices = np.asarray(indices)
    shape = tuple(int(s) for s in input_shape)
    if len(shape) not in (3, 4):
        raise ValueError(f"input_shape must have 3 or 4 entries, got {shape}")
    if grad_out.shape != indices.shape:
        raise ValueError(f"grad_out {grad_out.shape} and indices {indices.shape} differ")
    if grad_out.ndim != len(shape) or grad_out.shape[:-2] != shape[:-2]:
        raise ValueError(f"grad_out {grad_out.shape} does not fit input_shape {shape}")
    cells = shape[-1] * shape[-2]
    if indices.size and not (0 <= indices.min() and indices.max() < cells):
        raise ValueError(f"indices must be in [0, {cells})")
    planes = grad_out.reshape(-1, grad_out.shape[-2] * grad_out.shape[-1])
    where = indices.reshape(planes.shape)
    rows = [np.bincount(where[p], weights=planes[p].astype(np.float64), minlength=cells)
            for p in range(planes.shape[0])]
    grad = np.stack(rows) if rows else np.zeros((0, cells))
    return grad.reshape(shape).astype(grad_out.dtype)


def max_pool1d(x, kernel_size, stride=None, padding=0):
    """F.max_pool1d for (N, C, L) or (C, L)."""
    x = np.asarray(x)
    if x.ndim not in (2, 3) or 0 in x.shape[-2:]:
        raise ValueError(f"x must be (C, L) or (N, C, L) with non-empty C, L; got {x.shape}")
    (k,) = _ints(kernel_size, 1, "kernel_size", 1)
    (s,) = (k,) if stride is None else _ints(stride, 1, "stride", 1)
    (p,) = _ints(padding, 1, "padding", 0)
    lead = x.shape[:-1]
    vals, _ = _pool(x.reshape(-1, 1, 1, x.shape[-1]), (1, k), (1, s), (0, p))
    return vals.reshape(lead + (vals.shape[-1],))
