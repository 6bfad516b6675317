"""A transposed convolution (independent implementation), in its gather form.

Spread the input out by the stride (sH - 1 zero rows between neighbouring rows), pad it by
k - 1 on each side (plus output_padding at the bottom and the right), and correlate it with
the kernel rotated by 180 degrees and its two channel axes swapped; then crop `padding`
from each side. Loops over kernel taps; float64 inside, cast back to x's dtype.
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


def conv_transpose2d(x, weight, bias=None, stride=1, padding=0, output_padding=0):
    """F.conv_transpose2d: x (N, C_in, H, W), weight (C_in, C_out, kH, kW) -> (N, C_out, H_out, W_out)."""
    sH, sW = _two_ints(stride, "stride", 1)
    pH, pW = _two_ints(padding, "padding", 0)
    oH, oW = _two_ints(output_padding, "output_padding", 0)
    if not (oH < sH and oW < sW):
        raise ValueError(f"output_padding {(oH, oW)} must be smaller than stride {(sH, sW)}")
    x, weight = np.asarray(x), np.asarray(weight)
    if x.ndim != 4 or weight.ndim != 4:
        raise ValueError(f"x and weight must be 4-D, got {x.shape} and {weight.shape}")
    N, C_in, H, W = x.shape
    Cw, C_out, kH, kW = weight.shape
    if Cw != C_in:
        raise ValueError(f"x has {C_in} channels but weight.shape[0] is {Cw}")
    if bias is not None and np.shape(bias) != (C_out,):
        raise ValueError(f"bias must be ({C_out},), got {np.shape(bias)}")
    Ho = (H - 1) * sH - 2 * pH + kH + oH
    Wo = (W - 1) * sW - 2 * pW + kW + oW
    if Ho <= 0 or Wo <= 0:
        raise ValueError(f"output size {(Ho, Wo)} is empty")

    # the input spread out by the stride and padded by k - 1 (plus output_padding at the far ends)
    Hd, Wd = (H - 1) * sH + 1, (W - 1) * sW + 1
    spread = np.zeros((N, C_in, Hd + 2 * (kH - 1) + oH, Wd + 2 * (kW - 1) + oW))
    spread[:, :, kH - 1:kH - 1 + Hd:sH, kW - 1:kW - 1 + Wd:sW] = x
    k = weight.astype(np.float64)[:, :, ::-1, ::-1]  # rotated: (C_in, C_out, kH, kW)
    Hf, Wf = Hd + kH - 1 + oH, Wd + kW - 1 + oW  # uncropped output size
    full = np.zeros((N, C_out, Hf, Wf))
    for a in range(kH):
        for b in range(kW):
            full += np.einsum("nchw,co->nohw", spread[:, :, a:a + Hf, b:b + Wf], k[:, :, a, b])
    out = full[:, :, pH:pH + Ho, pW:pW + Wo]
    if bias is not None:
        out = out + np.asarray(bias, dtype=np.float64)[None, :, None, None]
    return out.astype(x.dtype)
