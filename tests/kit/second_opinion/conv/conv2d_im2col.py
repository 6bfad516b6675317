"""im2col / col2im / conv2d (independent implementation).

im2col gathers every window with ONE fancy index: integer row indices i * sH + a * dH of shape
(kH, H_out) and column indices j * sW + b * dW of shape (kW, W_out), broadcast together, pick
x_pad[n, c, row, col] for all (a, b, i, j) at once. col2im scatters the same indices back with
np.add.at, which accumulates repeated indices. conv2d contracts each group with einsum in float64
and casts back to the input's dtype at the end.
"""

import operator

import numpy as np


def _two(value, name, lowest):
    """(h, w) from an int or a length-2 sequence of ints, each >= lowest."""
    try:
        if isinstance(value, (tuple, list)):
            if len(value) != 2:
                raise ValueError(f"{name} needs 2 values, got {len(value)}")
            h, w = operator.index(value[0]), operator.index(value[1])
        else:
            h = w = operator.index(value)
    except TypeError:
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}") from None
    if h < lowest or w < lowest:
        raise ValueError(f"{name} must be >= {lowest} along both axes, got {value!r}")
    return h, w


def _windows(size, kernel, stride, padding, dilation, what):
    """Per axis: the number of windows and the (k, n_out) index table into the padded axis."""
    span = dilation * (kernel - 1) + 1
    n_out = (size + 2 * padding - span) // stride + 1
    if n_out < 1:
        raise ValueError(f"kernel_size spans {span} pixels with dilation {dilation}, more than the padded "
                         f"{what} {size + 2 * padding}")
    index = dilation * np.arange(kernel)[:, None] + stride * np.arange(n_out)[None, :]  # (k, n_out)
    return n_out, index


def _geometry(hw, kernel_size, stride, padding, dilation, what):
    kh, kw = _two(kernel_size, "kernel_size", 1)
    sh, sw = _two(stride, "stride", 1)
    ph, pw = _two(padding, "padding", 0)
    dh, dw = _two(dilation, "dilation", 1)
    ho, rows = _windows(hw[0], kh, sh, ph, dh, what + " height")
    wo, cols = _windows(hw[1], kw, sw, pw, dw, what + " width")
    # rows[a, i] -> (kh, 1, ho, 1); cols[b, j] -> (1, kw, 1, wo): together (kh, kw, ho, wo)
    return (kh, kw), (ph, pw), (ho, wo), rows[:, None, :, None], cols[None, :, None, :]


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    """(N, C, H, W) -> (N, C*kH*kW, H_out*W_out), as torch.nn.functional.unfold."""
    x = np.asarray(x)
    if x.ndim != 4:
        raise ValueError(f"x must have 4 dimensions (N, C, H, W), got {x.ndim}")
    n, c, h, w = x.shape
    (kh, kw), (ph, pw), (ho, wo), r, q = _geometry((h, w), kernel_size, stride, padding, dilation, "input")
    padded = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=x.dtype)
    padded[:, :, ph:ph + h, pw:pw + w] = x
    gathered = padded[:, :, r, q]  # (n, c, kh, kw, ho, wo) in one fancy index
    return gathered.reshape(n, c * kh * kw, ho * wo)


def col2im(cols, output_size, kernel_size, stride=1, padding=0, dilation=1):
    """(N, C*kH*kW, L) -> (N, C, H, W), overlapping entries summed, as torch.nn.functional.fold."""
    cols = np.asarray(cols)
    if cols.ndim != 3:
        raise ValueError(f"cols must have 3 dimensions (N, C*kH*kW, L), got {cols.ndim}")
    h, w = _two(output_size, "output_size", 1)
    (kh, kw), (ph, pw), (ho, wo), r, q = _geometry((h, w), kernel_size, stride, padding, dilation, "output_size")
    n, ck, length = cols.shape
    if ck % (kh * kw):
        raise ValueError(f"cols has {ck} rows, not a multiple of kernel_size {kh}x{kw}")
    if length != ho * wo:
        raise ValueError(f"cols has {length} columns but output_size ({h}, {w}) has {ho}x{wo} windows")
    c = ck // (kh * kw)
    canvas = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=np.float64)
    rr, qq = np.broadcast_arrays(r, q)  # both (kh, kw, ho, wo)
    np.add.at(canvas, (slice(None), slice(None), rr, qq), cols.reshape(n, c, kh, kw, ho, wo))
    return canvas[:, :, ph:ph + h, pw:pw + w].astype(cols.dtype)


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """(N, C, H, W) * (O, C/groups, kH, kW) -> (N, O, H_out, W_out), as torch.nn.functional.conv2d."""
    x, weight = np.asarray(x), np.asarray(weight)
    if weight.ndim != 4:
        raise ValueError(f"weight must have 4 dimensions (O, C/groups, kH, kW), got {weight.ndim}")
    if x.ndim != 4:
        raise ValueError(f"x must have 4 dimensions (N, C, H, W), got {x.ndim}")
    try:
        g = operator.index(groups)
    except TypeError:
        raise ValueError(f"groups must be an int, got {groups!r}") from None
    if g < 1:
        raise ValueError(f"groups must be >= 1, got {g}")
    o, cg, kh, kw = weight.shape
    n, c = x.shape[:2]
    if o % g:
        raise ValueError(f"weight has {o} filters, which groups={g} does not divide")
    if cg * g != c:
        raise ValueError(f"x has {c} channels; weight with groups={g} expects {cg * g}")
    if bias is not None:
        bias = np.asarray(bias)
        if bias.shape != (o,):
            raise ValueError(f"bias must be of shape ({o},), got {bias.shape}")
    cols = im2col(x.astype(np.float64), (kh, kw), stride, padding, dilation)  # (n, c*kh*kw, L)
    _, (ph, pw), (ho, wo), _, _ = _geometry(x.shape[2:], (kh, kw), stride, padding, dilation, "input")
    og, k = o // g, cg * kh * kw
    out = np.empty((n, o, ho * wo), dtype=np.float64)
    w64 = weight.astype(np.float64).reshape(o, k)
    for group in range(g):
        out[:, group * og:(group + 1) * og] = np.einsum(
            "ok,nkl->nol", w64[group * og:(group + 1) * og], cols[:, group * k:(group + 1) * k])
    if bias is not None:
        out += bias.astype(np.float64)[None, :, None]
    return out.reshape(n, o, ho, wo).astype(x.dtype)
