"""A 2-D convolution (cross-correlation) with explicit loops (independent implementation).

Instead of looping over output pixels, this version loops over the kernel taps (a, b): for
each tap it takes the strided slab of the padded input that tap touches at every output
position and accumulates slab * weight[:, :, a, b]. Every output element still receives
exactly sum over c, a, b of x_pad[n, c, i*sH + a, j*sW + b] * weight[o, c, a, b].
"""

import numbers

import numpy as np


def _two_ints(value, name, lowest):
    """(h, w) from an int or a length-2 tuple/list of ints, each >= `lowest`."""
    if isinstance(value, bool) or isinstance(value, np.bool_):
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
    if isinstance(value, numbers.Integral):
        pair = (int(value), int(value))
    elif isinstance(value, (tuple, list)) and len(value) == 2 and all(
            isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_)) for v in value):
        pair = (int(value[0]), int(value[1]))
    else:
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
    if pair[0] < lowest or pair[1] < lowest:
        raise ValueError(f"{name} must be >= {lowest} in both directions, got {value!r}")
    return pair


def conv2d(x, weight, bias=None, stride=1, padding=0):
    """out[n, o, i, j] = bias[o] + sum_{c,a,b} x_pad[n, c, i*sH + a, j*sW + b] * weight[o, c, a, b].

    x (N, C, H, W), weight (O, C, kH, kW), bias (O,) or None; stride, padding an int or pair.
    Returns (N, O, H_out, W_out) in the dtype of `x`. See torch.nn.functional.conv2d.
    """
    sH, sW = _two_ints(stride, "stride", 1)
    pH, pW = _two_ints(padding, "padding", 0)

    x = np.asarray(x)
    weight = np.asarray(weight)
    if weight.ndim != 4:
        raise ValueError(f"weight must be 4-D (O, C, kH, kW), got shape {weight.shape}")
    if x.ndim != 4:
        raise ValueError(f"x must be 4-D (N, C, H, W), got shape {x.shape}")
    N, C, H, W = x.shape
    O, Cw, kH, kW = weight.shape
    if Cw != C:
        raise ValueError(f"x has C={C} channels but weight has {Cw} input channels")
    if bias is not None:
        bias = np.asarray(bias)
        if bias.shape != (O,):
            raise ValueError(f"bias must have shape ({O},), got {bias.shape}")

    Hp, Wp = H + 2 * pH, W + 2 * pW
    if kH < 1 or kW < 1 or kH > Hp or kW > Wp:
        raise ValueError(f"kernel ({kH}, {kW}) does not fit the padded input ({Hp}, {Wp}) "
                         f"(x {x.shape}, padding {(pH, pW)})")
    Ho = (Hp - kH) // sH + 1
    Wo = (Wp - kW) // sW + 1

    out_dtype = x.dtype if np.issubdtype(x.dtype, np.floating) else np.dtype(np.float64)

    xp = np.zeros((N, C, Hp, Wp), dtype=np.float64)
    xp[:, :, pH:pH + H, pW:pW + W] = x
    w64 = weight.astype(np.float64, copy=False)

    acc = np.zeros((N, O, Ho, Wo), dtype=np.float64)
    for a in range(kH):
        rows = slice(a, a + sH * (Ho - 1) + 1, sH)
        for b in range(kW):
            cols = slice(b, b + sW * (Wo - 1) + 1, sW)
            slab = xp[:, :, rows, cols]                # (N, C, Ho, Wo)
            acc += np.einsum("nchw,oc->nohw", slab, w64[:, :, a, b])

    if bias is not None:
        acc += bias.astype(np.float64)[None, :, None, None]
    return acc.astype(out_dtype, copy=False)
