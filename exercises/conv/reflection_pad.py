"""Reflection padding in 1-D and 2-D, written with index arithmetic (np.pad is not allowed)."""

import numbers

import numpy as np


def reflection_pad1d(x, padding):
    """Pad the last axis by reflecting the row at its end cells, which are NOT repeated.

    Row [a, b, c, d] with padding (2, 1) becomes [c, b, a, b, c, d, c]: the mirror stands on
    the edge cell itself (NumPy's mode "reflect", not "symmetric", which would repeat the
    edge). Each pad must be smaller than the length L, so one reflection is always enough.
    A negative pad removes that many cells from its end instead, as torch does; the result
    must keep at least one cell.

    Args:
        x: (N, C, L), or (C, L) for a single sequence; any dtype.
        padding: an int for both ends, or a pair (left, right).

    Returns:
        The padded array, (N, C, L + left + right) (without N for a 2-D x), dtype of `x`.

    Raises:
        ValueError: if x is not 2-D or 3-D or has an empty C or L, padding is not an int or a
            pair of ints, a pad is not smaller than L, or the result would be empty.

    Shapes:
        x: (N, C, L) -> (N, C, L + left + right);  x: (C, L) -> (C, L + left + right)

    PyTorch: torch.nn.ReflectionPad1d(padding)(x)
    """
    # TODO: output t shows input t - left, mirrored back in at both ends (_reflected); gather along the last axis
    raise NotImplementedError("conv.reflection_pad: reflection_pad1d")


def reflection_pad2d(x, padding):
    """Pad the last two axes by reflection: rows at the top and bottom, columns at the left and right.

    padding is an int for all four sides or a 4-tuple in torch's order, LAST axis first:
    (left, right, top, bottom), where left/right pad the width W and top/bottom the height H.
    As in 1-D, the edge row or column is the mirror and is not repeated; each pad must be
    smaller than the size of its axis; a negative pad removes cells from its side (torch
    allows the result to be empty here, but not to have a negative size).

    Args:
        x: (N, C, H, W), or (C, H, W) for a single image; any dtype.
        padding: an int, or (left, right, top, bottom).

    Returns:
        The padded array, (N, C, H + top + bottom, W + left + right) (without N for a 3-D x),
        with the dtype of `x`.

    Raises:
        ValueError: if x is not 3-D or 4-D or has an empty C, H or W, padding is not an int or a
            4-tuple of ints, left or right is not smaller than W, top or bottom is not smaller than
            H, or negative pads crop more than an axis holds.

    Shapes:
        x: (N, C, H, W) -> (N, C, H + top + bottom, W + left + right)

    PyTorch: torch.nn.ReflectionPad2d(padding)(x)
    """
    # TODO: padding is (left, right, top, bottom); _reflected for the rows and for the columns, then one gather over both axes
    raise NotImplementedError("conv.reflection_pad: reflection_pad2d")


def _reflected(size, before, after, name):
    """Indices into an axis of `size` cells that reflect it `before` cells before and `after` after.

    Output t shows input t - before; an index below 0 mirrors at 0 (-1 -> 1), one above size - 1
    mirrors at size - 1 (size -> size - 2). A negative pad simply starts (or stops) the range
    inside the input. The pads must be smaller than `size`.
    """
    # TODO: refuse pads >= size; s = |t - before| mirrors at 0, then 2 * (size - 1) - s mirrors the ones past size - 1
    raise NotImplementedError("conv.reflection_pad: _reflected")


def _ints(value, count, name):
    """An int for every side, or a tuple or list of `count` ints."""
    if _is_int(value):
        return (int(value),) * count
    if not (isinstance(value, (tuple, list)) and len(value) == count and all(_is_int(v) for v in value)):
        raise ValueError(f"{name} must be an int or a tuple of {count} ints, got {value!r}")
    return tuple(int(v) for v in value)


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))
