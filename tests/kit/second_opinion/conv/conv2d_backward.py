"""The backward pass of conv2d (independent implementation).

Loops over the kernel taps (a, b) instead of the output pixels: tap (a, b) met the strided slab
x_pad[:, :, a::sH, b::sW] (Ho x Wo of it) at every output position, so its filter gradient is one
einsum of grad_out with that slab, and the input gradient of the slab is grad_out times the tap's
(O, C) matrix. Accumulates in float64 and casts back to x's dtype.
"""

import numbers

import numpy as np


def _two_ints(value, name, lowest):
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
    if isinstance(value, numbers.Integral):
        pair = (int(value), int(value))
    elif isinstance(value, (tuple, list)) and len(value) == 2 and all(
            isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_)) for v in value):
        pair = (int(value[0]), int(value[1]))
    else:
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
    if min(pair) < lowest:
        raise ValueError(f"{name} must be >= {lowest} in both directions, got {value!r}")
    return pair


def conv2d_backward(grad_out, x, weight, bias=None, stride=1, padding=0):
    """(grad_x, grad_weight, grad_bias) of F.conv2d(x, weight, bias, stride, padding) given grad_out."""
    sH, sW = _two_ints(stride, "stride", 1)
    pH, pW = _two_ints(padding, "padding", 0)
    x, weight, grad_out = np.asarray(x), np.asarray(weight), np.asarray(grad_out)
    if x.ndim != 4:
        raise ValueError(f"x must be 4-D (N, C, H, W), got {x.shape}")
    if weight.ndim != 4:
        raise ValueError(f"weight must be 4-D (O, C, kH, kW), got {weight.shape}")
    N, C, H, W = x.shape
    O, Cw, kH, kW = weight.shape
    if Cw != C:
        raise ValueError(f"x has {C} channels, weight {Cw}")
    if bias is not None and np.shape(bias) != (O,):
        raise ValueError(f"bias must be ({O},), got {np.shape(bias)}")
    Hp, Wp = H + 2 * pH, W + 2 * pW
    if kH > Hp or kW > Wp:
        raise ValueError(f"kernel {(kH, kW)} larger than the padded input {(Hp, Wp)}")
    Ho, Wo = (Hp - kH) // sH + 1, (Wp - kW) // sW + 1
    if grad_out.shape != (N, O, Ho, Wo):
        raise ValueError(f"grad_out must be {(N, O, Ho, Wo)}, got {grad_out.shape}")

    g = grad_out.astype(np.float64)
    xp = np.zeros((N, C, Hp, Wp))
    xp[:, :, pH:pH + H, pW:pW + W] = x
    w = weight.astype(np.float64)
    gxp = np.zeros_like(xp)
    gw = np.zeros(w.shape)
    for a in range(kH):
        rows = slice(a, a + sH * (Ho - 1) + 1, sH)
        for b in range(kW):
            cols = slice(b, b + sW * (Wo - 1) + 1, sW)
            gw[:, :, a, b] = np.einsum("nohw,nchw->oc", g, xp[:, :, rows, cols])
            gxp[:, :, rows, cols] += np.einsum("nohw,oc->nchw", g, w[:, :, a, b])
    gb = None if bias is None else g.sum(axis=(0, 2, 3)).astype(x.dtype)
    return gxp[:, :, pH:pH + H, pW:pW + W].astype(x.dtype), gw.astype(x.dtype), gb
