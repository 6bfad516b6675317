"""Average pooling and adaptive average pooling (independent implementation).

Both are computed from summed-area tables (2-D cumulative sums with a zero row and column in
front), in float64: the sum over rows [r0, r1) and columns [c0, c1) is
S[r1, c1] - S[r0, c1] - S[r1, c0] + S[r0, c0], so every window or bin costs four look-ups and
no loop over output positions is needed. The count of real cells in a padded window comes from
the same table built over an indicator of the unpadded input.
"""

import numbers

import numpy as np


def _is_int(v):
    return isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_))


def _two(value, name, lowest):
    if _is_int(value):
        out = (int(value), int(value))
    elif isinstance(value, (tuple, list)) and len(value) in (1, 2) and all(_is_int(v) for v in value):
        out = (int(value[0]), int(value[-1]))
    else:
        raise ValueError(f"{name} must be an int or two ints, got {value!r}")
    if min(out) < lowest:
        raise ValueError(f"{name} must be >= {lowest}, got {value!r}")
    return out


def _table(a):
    """Summed-area table over the last two axes, with a leading zero row and column."""
    s = np.zeros(a.shape[:-2] + (a.shape[-2] + 1, a.shape[-1] + 1))
    s[..., 1:, 1:] = a.cumsum(axis=-2).cumsum(axis=-1)
    return s


def _box(s, r0, r1, c0, c1):
    """Sums of boxes [r0, r1) x [c0, c1), for index vectors r0, r1 (rows) and c0, c1 (columns)."""
    R0, R1 = r0[:, None], r1[:, None]
    C0, C1 = c0[None, :], c1[None, :]
    return s[..., R1, C1] - s[..., R0, C1] - s[..., R1, C0] + s[..., R0, C0]


def _checked(x):
    x = np.asarray(x)
    if x.ndim not in (3, 4) or 0 in x.shape[-3:]:
        raise ValueError(f"x must be (C, H, W) or (N, C, H, W) with non-empty C, H, W; got {x.shape}")
    return x


def avg_pool2d(x, kernel_size, stride=None, padding=0, count_include_pad=True):
    """F.avg_pool2d for (N, C, H, W) or (C, H, W)."""
    x = _checked(x)
    kh, kw = _two(kernel_size, "kernel_size", 1)
    sh, sw = (kh, kw) if stride is None else _two(stride, "stride", 1)
    ph, pw = _two(padding, "padding", 0)
    if 2 * ph > kh or 2 * pw > kw:
        raise ValueError(f"padding {(ph, pw)} may be at most half of kernel_size {(kh, kw)}")
    h, w = x.shape[-2:]
    hp, wp = h + 2 * ph, w + 2 * pw
    if hp < kh or wp < kw:
        raise ValueError(f"kernel_size {(kh, kw)} is larger than the padded input {(hp, wp)}")
    r0 = np.arange(0, hp - kh + 1, sh)
    c0 = np.arange(0, wp - kw + 1, sw)
    padded = np.zeros(x.shape[:-2] + (hp, wp))
    padded[..., ph:ph + h, pw:pw + w] = x
    sums = _box(_table(padded), r0, r0 + kh, c0, c0 + kw)
    if count_include_pad:
        count = float(kh * kw)
    else:
        real = np.zeros((hp, wp))
        real[ph:ph + h, pw:pw + w] = 1.0
        count = _box(_table(real), r0, r0 + kh, c0, c0 + kw)
    return (sums / count).astype(x.dtype)


def adaptive_avg_pool2d(x, output_size):
    """F.adaptive_avg_pool2d for (N, C, H, W) or (C, H, W); output_size an int, or a pair that may hold None."""
    x = _checked(x)
    h, w = x.shape[-2:]
    if _is_int(output_size):
        output_size = (output_size, output_size)
    if not isinstance(output_size, (tuple, list)) or len(output_size) != 2:
        raise ValueError(f"output_size must be an int or a pair, got {output_size!r}")
    sizes = []
    for got, full in zip(output_size, (h, w)):
        if got is None:
            sizes.append(full)
        elif _is_int(got) and got >= 0:
            sizes.append(int(got))
        else:
            raise ValueError(f"output sizes must be ints >= 0 or None, got {output_size!r}")
    oh, ow = sizes
    i, j = np.arange(oh), np.arange(ow)
    r0, r1 = (i * h) // oh if oh else i, -((-(i + 1) * h) // oh) if oh else i
    c0, c1 = (j * w) // ow if ow else j, -((-(j + 1) * w) // ow) if ow else j
    sums = _box(_table(x.astype(np.float64)), r0, r1, c0, c1)
    return (sums / ((r1 - r0)[:, None] * (c1 - c0)[None, :])).astype(x.dtype)
