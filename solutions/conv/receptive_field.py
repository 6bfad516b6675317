"""Output sizes and receptive fields of a stack of convolutions, worked out along one axis."""

import numbers

import numpy as np

LAYER_KEYS = {"kernel_size": 1, "stride": 1, "padding": 0, "dilation": 1}


def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    """How many outputs a convolution (or pooling) window produces along one axis.

    A dilated kernel spans d * (k - 1) + 1 input pixels; the padded input has size + 2p
    pixels; windows start every s pixels and a window that would run past the end is
    dropped, hence the floor:

        out = (size + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1

    Args:
        size: input length along the axis, an int >= 1.
        kernel_size: kernel length, an int >= 1.
        stride: step between windows, an int >= 1.
        padding: zeros added at EACH end, an int >= 0.
        dilation: spacing between kernel taps, an int >= 1 (1 is an ordinary kernel).

    Returns:
        The output length, a Python int >= 1.

    Raises:
        ValueError: if an argument is not an int, size, kernel_size, stride or dilation < 1,
            padding < 0, or the dilated kernel does not fit the padded input (the result < 1).

    Shapes:
        ints -> int (one axis; apply it to H and W separately)

    PyTorch: the output length torch.nn.functional.conv2d (and max_pool2d) gives along one axis
    """
    # BEGIN SOLUTION: the dilated kernel spans d * (k - 1) + 1 pixels; count the window starts that fit in size + 2p with floor division
    for name, value, lowest in (("size", size, 1), ("kernel_size", kernel_size, 1), ("stride", stride, 1),
                                ("padding", padding, 0), ("dilation", dilation, 1)):
        _check_int(value, name, lowest)
    span = dilation * (kernel_size - 1) + 1  # input pixels one window covers
    out = (size + 2 * padding - span) // stride + 1  # floor: a window past the end is dropped
    if out < 1:
        raise ValueError(f"the kernel spans {span} pixels but the padded input has only {size + 2 * padding}: "
                         f"size {size} is too small")
    return int(out)
    # END SOLUTION


def receptive_field(layers):
    """The receptive field of the outputs of a stack of convolutions, along one axis.

    Walk the layers from the input up, keeping three numbers about the current layer's units,
    in input pixels:

        jump:  distance between the fields of neighbouring units (starts at 1)
        size:  width of one unit's field (starts at 1: an input pixel sees itself)
        start: centre of unit 0's field, in input index coordinates (starts at 0.0)

    A layer with kernel k, stride s, padding p and dilation d has an effective kernel of
    k_eff = d * (k - 1) + 1 taps of the layer below, neighbouring taps one `jump` apart:

        size  += (k_eff - 1) * jump
        start += ((k_eff - 1) / 2 - p) * jump      (its window 0 starts p units before unit 0)
        jump  *= s

    The field counts padding positions too: it is the set of input indices a unit would
    read if the input went on forever. So start may be negative (2x2 kernel, padding 1: -0.5).

    Args:
        layers: a list of dicts, one per layer from the input up, each with any of the keys
            "kernel_size" (default 1), "stride" (default 1), "padding" (default 0) and
            "dilation" (default 1), ints as in conv_output_size.

    Returns:
        (size, jump, start): size and jump Python ints, start a Python float; an empty list
        gives (1, 1, 0.0). Unit i of the last layer sees the input pixels centred on
        start + i * jump, size of them.

    Raises:
        ValueError: if layers is not a list of dicts, a dict has an unknown key, or a value is
            not an int or is out of range (kernel_size, stride, dilation < 1, padding < 0).

    Shapes:
        list of dicts -> (int, int, float)

    PyTorch: the support of the input gradient of one output element of a stack of
        torch.nn.functional.conv1d / conv2d layers with positive weights
    """
    # BEGIN SOLUTION: start from (size 1, jump 1, start 0.0); for each layer k_eff = d(k-1)+1, size += (k_eff-1)*jump, start += ((k_eff-1)/2 - p)*jump, jump *= s
    if not isinstance(layers, (list, tuple)):
        raise ValueError(f"layers must be a list of dicts, got {type(layers).__name__}")
    size, jump, start = 1, 1, 0.0
    for number, layer in enumerate(layers):
        k, s, p, d = _layer(layer, number)
        k_eff = d * (k - 1) + 1  # taps of the layer below, spread d units apart
        size += (k_eff - 1) * jump  # in input pixels: neighbouring taps are `jump` apart
        start += ((k_eff - 1) / 2 - p) * jump  # centre of window 0, which starts p units before unit 0
        jump *= s
    return int(size), int(jump), float(start)
    # END SOLUTION


def _layer(layer, number):
    """(kernel_size, stride, padding, dilation) of one layer dict, with defaults, checked."""
    if not isinstance(layer, dict):
        raise ValueError(f"layers[{number}] must be a dict, got {type(layer).__name__}")
    unknown = set(layer) - set(LAYER_KEYS)
    if unknown:
        raise ValueError(f"layers[{number}] has unknown keys {sorted(unknown)}; known: {sorted(LAYER_KEYS)}")
    values = {key: layer.get(key, default) for key, default in LAYER_KEYS.items()}
    for key, value in values.items():
        _check_int(value, f"layers[{number}]['{key}']", 0 if key == "padding" else 1)
    return values["kernel_size"], values["stride"], values["padding"], values["dilation"]


def _check_int(value, name, lowest):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an int, got {value!r}")
    if value < lowest:
        raise ValueError(f"{name} must be at least {lowest}, got {value}")
