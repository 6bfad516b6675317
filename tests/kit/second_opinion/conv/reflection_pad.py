"""Reflection padding in 1-D and 2-D (independent implementation).

Instead of gathering with a table of source indices, this version builds each padded axis by
concatenation: the strip next to each edge (the edge cell itself excluded) flipped, the input,
and the flipped strip at the other end; a negative pad is then a slice that cuts cells off.
The 2-D case pads the columns, then the rows, each with the same one-axis routine.
"""

import numbers

import numpy as np


def _as_ints(padding, n):
    if isinstance(padding, (bool, np.bool_)):
        raise ValueError(f"padding must be an int or {n} ints, got {padding!r}")
    if isinstance(padding, numbers.Integral):
        return [int(padding)] * n
    if isinstance(padding, (tuple, list)) and len(padding) == n and all(
            isinstance(p, numbers.Integral) and not isinstance(p, (bool, np.bool_)) for p in padding):
        return [int(p) for p in padding]
    raise ValueError(f"padding must be an int or {n} ints, got {padding!r}")


def _along(x, axis, lo, hi, what):
    n = x.shape[axis]
    if lo >= n or hi >= n:
        raise ValueError(f"{what} pads {(lo, hi)} must each be smaller than the size {n}")
    parts = []
    if lo > 0:
        parts.append(np.flip(np.take(x, range(1, lo + 1), axis=axis), axis=axis))
    parts.append(x)
    if hi > 0:
        parts.append(np.flip(np.take(x, range(n - 1 - hi, n - 1), axis=axis), axis=axis))
    y = np.concatenate(parts, axis=axis)
    keep = slice(-lo if lo < 0 else 0, y.shape[axis] + hi if hi < 0 else y.shape[axis])
    index = [slice(None)] * y.ndim
    index[axis] = keep
    return y[tuple(index)]


def reflection_pad1d(x, padding):
    """nn.ReflectionPad1d for (N, C, L) or (C, L); padding an int or (left, right)."""
    x = np.asarray(x)
    if x.ndim not in (2, 3) or 0 in x.shape[-2:]:
        raise ValueError(f"x must be (C, L) or (N, C, L) with non-empty C, L; got {x.shape}")
    lo, hi = _as_ints(padding, 2)
    if x.shape[-1] + lo + hi <= 0:
        raise ValueError(f"padding {(lo, hi)} leaves no cells of L = {x.shape[-1]}")
    return _along(x, -1, lo, hi, "left/right")


def reflection_pad2d(x, padding):
    """nn.ReflectionPad2d for (N, C, H, W) or (C, H, W); padding an int or (left, right, top, bottom)."""
    x = np.asarray(x)
    if x.ndim not in (3, 4) or 0 in x.shape[-3:]:
        raise ValueError(f"x must be (C, H, W) or (N, C, H, W) with non-empty C, H, W; got {x.shape}")
    left, right, top, bottom = _as_ints(padding, 4)
    if x.shape[-1] + left + right < 0 or x.shape[-2] + top + bottom < 0:
        raise ValueError(f"padding {(left, right, top, bottom)} crops past the edge of {x.shape[-2:]}")
    # Check both axes before padding either, so a bad top/bottom is refused whatever left/right are.
    for lo, hi, n, what in ((left, right, x.shape[-1], "left/right"), (top, bottom, x.shape[-2], "top/bottom")):
        if lo >= n or hi >= n:
            raise ValueError(f"{what} pads {(lo, hi)} must each be smaller than the size {n}")
    return _along(_along(x, -1, left, right, "left/right"), -2, top, bottom, "top/bottom")
