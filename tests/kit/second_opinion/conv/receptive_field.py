"""Output sizes and receptive fields (independent implementation).

conv_output_size counts the window starts that fit with range(); receptive_field tracks the
first and last input index unit 0 of each layer reads (padding positions included), and the
jump, and reads size and centre off that interval at the end.
"""

import numbers


def _int(value, name, lowest):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an int, got {value!r}")
    if value < lowest:
        raise ValueError(f"{name} must be >= {lowest}, got {value}")
    return int(value)


def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    """Output length of a conv along one axis, as torch."""
    size, k = _int(size, "size", 1), _int(kernel_size, "kernel_size", 1)
    s, p, d = _int(stride, "stride", 1), _int(padding, "padding", 0), _int(dilation, "dilation", 1)
    last_start = size + 2 * p - (d * (k - 1) + 1)  # the last padded index a window may start at
    count = len(range(0, last_start + 1, s))
    if count < 1:
        raise ValueError(f"no window fits: size {size}, kernel {k}, padding {p}, dilation {d}")
    return count


def receptive_field(layers):
    """(size, jump, start) of the last layer's units, in input pixels."""
    if not isinstance(layers, (list, tuple)):
        raise ValueError("layers must be a list of dicts")
    lo, hi, jump = 0, 0, 1  # unit 0 reads input indices lo..hi
    for n, layer in enumerate(layers):
        if not isinstance(layer, dict):
            raise ValueError(f"layers[{n}] must be a dict")
        extra = set(layer) - {"kernel_size", "stride", "padding", "dilation"}
        if extra:
            raise ValueError(f"layers[{n}]: unknown keys {sorted(extra)}")
        k = _int(layer.get("kernel_size", 1), "kernel_size", 1)
        s = _int(layer.get("stride", 1), "stride", 1)
        p = _int(layer.get("padding", 0), "padding", 0)
        d = _int(layer.get("dilation", 1), "dilation", 1)
        # unit 0 of this layer reads units -p, -p + d, ..., -p + d * (k - 1) of the layer below
        first, last = -p, -p + d * (k - 1)
        lo, hi = lo + first * jump, hi + last * jump
        jump *= s
    return hi - lo + 1, jump, (lo + hi) / 2
