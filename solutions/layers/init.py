"""Weight initialisation as torch.nn.init: gains, fans, Xavier and Kaiming draws, and nn.Linear's default."""

import math

import numpy as np

LINEAR_FNS = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d")
MODES = ("fan_in", "fan_out")


def calculate_gain(nonlinearity, param=None):
    """The factor torch recommends for scaling the initial weights in front of `nonlinearity`.

    linear, conv1d/2d/3d, conv_transpose1d/2d/3d and sigmoid: 1; tanh: 5/3; relu: sqrt(2);
    leaky_relu: sqrt(2 / (1 + negative_slope ** 2)) with negative_slope = `param` (0.01 when
    None); selu: 3/4. `param` is only read for leaky_relu.

    Args:
        nonlinearity: the name of the function that follows the layer, as torch.nn.functional
            spells it (lower case).
        param: leaky_relu's negative slope, an int or a float (not a bool); None for 0.01.

    Returns:
        The gain, a float.

    Raises:
        ValueError: if `nonlinearity` is not one of the names above, or if it is "leaky_relu"
            and `param` is neither None nor an int or float (a bool is refused, as torch).

    Shapes:
        none: scalars in, a scalar out.

    PyTorch: torch.nn.init.calculate_gain(nonlinearity, param)
    """
    # BEGIN SOLUTION: a table of constants; only leaky_relu reads param, its slope enters squared
    if nonlinearity in LINEAR_FNS or nonlinearity == "sigmoid":
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"param={param!r}: leaky_relu's negative slope must be an int or a float")
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"nonlinearity={nonlinearity!r} is not supported")
    # END SOLUTION


def fan_in_and_fan_out(shape):
    """The number of inputs and of outputs that each weight connects, for a weight of `shape`.

    A weight is laid out (out, in, *kernel): a Linear weight (out_features, in_features), a
    conv weight (out_channels, in_channels, kH, kW). Each input channel is seen through the
    whole kernel window, so both fans are multiplied by the receptive field size, the product
    of the kernel dimensions (1 for a 2-D weight).

    Args:
        shape: the weight's shape, a tuple (or list) of at least two ints.

    Returns:
        (fan_in, fan_out): fan_in = shape[1] * receptive field, fan_out = shape[0] * receptive
        field, both ints.

    Raises:
        ValueError: if `shape` has fewer than 2 dimensions.

    Shapes:
        shape: (out, in, *kernel) -> (in * prod(kernel), out * prod(kernel))

    PyTorch: torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
    """
    # BEGIN SOLUTION: axis 1 is the inputs, axis 0 the outputs; both times the product of the kernel axes
    shape = tuple(int(n) for n in shape)
    if len(shape) < 2:
        raise ValueError(f"shape={shape}: fans need a weight with at least 2 dimensions")
    receptive_field = math.prod(shape[2:])  # 1 for (out, in)
    return shape[1] * receptive_field, shape[0] * receptive_field
    # END SOLUTION


def xavier_uniform(shape, gain=1.0, rng=None):
    """A weight drawn from U(-bound, bound), bound = gain * sqrt(6 / (fan_in + fan_out)) (Glorot).

    The standard deviation is then gain * sqrt(2 / (fan_in + fan_out)), a compromise between
    keeping the variance of the activations (fan_in) and of the gradients (fan_out) steady.
    A uniform variable on [-b, b] has standard deviation b / sqrt(3).

    Args:
        shape: the weight's shape (out, in, *kernel), at least two dimensions.
        gain: a scaling factor, usually calculate_gain(...) of the nonlinearity that follows.
        rng: the np.random.Generator to draw from; None for a fresh np.random.default_rng().

    Returns:
        A float64 array of `shape`.

    Raises:
        ValueError: if `shape` has fewer than 2 dimensions.

    Shapes:
        -> shape

    PyTorch: torch.nn.init.xavier_uniform_(torch.empty(shape), gain=gain)
        (same distribution; torch's random numbers cannot be reproduced in NumPy)
    """
    # BEGIN SOLUTION: std from both fans, bound = sqrt(3) * std, one uniform draw of the whole shape
    fan_in, fan_out = fan_in_and_fan_out(shape)
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    bound = math.sqrt(3.0) * std  # a uniform on [-b, b] has std b / sqrt(3)
    rng = np.random.default_rng() if rng is None else rng
    return rng.uniform(-bound, bound, size=tuple(shape))  # shape
    # END SOLUTION


def xavier_normal(shape, gain=1.0, rng=None):
    """A weight drawn from N(0, std ** 2), std = gain * sqrt(2 / (fan_in + fan_out)) (Glorot).

    Args:
        shape: the weight's shape (out, in, *kernel), at least two dimensions.
        gain: a scaling factor, usually calculate_gain(...) of the nonlinearity that follows.
        rng: the np.random.Generator to draw from; None for a fresh np.random.default_rng().

    Returns:
        A float64 array of `shape`.

    Raises:
        ValueError: if `shape` has fewer than 2 dimensions.

    Shapes:
        -> shape

    PyTorch: torch.nn.init.xavier_normal_(torch.empty(shape), gain=gain)
        (same distribution; torch's random numbers cannot be reproduced in NumPy)
    """
    # BEGIN SOLUTION: the same std as xavier_uniform, used directly as the normal's scale
    fan_in, fan_out = fan_in_and_fan_out(shape)
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    rng = np.random.default_rng() if rng is None else rng
    return rng.normal(0.0, std, size=tuple(shape))  # shape
    # END SOLUTION


def kaiming_uniform(shape, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    """A weight drawn from U(-bound, bound), bound = gain * sqrt(3 / fan) (He).

    gain = calculate_gain(nonlinearity, a); fan is fan_in (keeps the forward activations'
    variance) or fan_out (keeps the backward gradients'), as `mode` says. The standard
    deviation is gain / sqrt(fan).

    Args:
        shape: the weight's shape (out, in, *kernel), at least two dimensions.
        a: the negative slope of the leaky_relu that follows (only read for "leaky_relu").
        mode: "fan_in" or "fan_out".
        nonlinearity: the name of the function that follows, as calculate_gain takes it.
        rng: the np.random.Generator to draw from; None for a fresh np.random.default_rng().

    Returns:
        A float64 array of `shape`.

    Raises:
        ValueError: if `shape` has fewer than 2 dimensions, `mode` is neither "fan_in" nor
            "fan_out", or calculate_gain refuses `nonlinearity` or `a`.

    Shapes:
        -> shape

    PyTorch: torch.nn.init.kaiming_uniform_(torch.empty(shape), a=a, mode=mode, nonlinearity=nonlinearity)
        (same distribution; torch's random numbers cannot be reproduced in NumPy)
    """
    # BEGIN SOLUTION: std = gain / sqrt(fan of the chosen mode), bound = sqrt(3) * std
    if mode not in MODES:
        raise ValueError(f'mode={mode!r} must be "fan_in" or "fan_out"')
    fan_in, fan_out = fan_in_and_fan_out(shape)
    fan = fan_in if mode == "fan_in" else fan_out
    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)
    bound = math.sqrt(3.0) * std  # a uniform on [-b, b] has std b / sqrt(3)
    rng = np.random.default_rng() if rng is None else rng
    return rng.uniform(-bound, bound, size=tuple(shape))  # shape
    # END SOLUTION


def kaiming_normal(shape, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    """A weight drawn from N(0, std ** 2), std = gain / sqrt(fan) (He).

    gain = calculate_gain(nonlinearity, a); fan is fan_in or fan_out, as `mode` says.

    Args:
        shape: the weight's shape (out, in, *kernel), at least two dimensions.
        a: the negative slope of the leaky_relu that follows (only read for "leaky_relu").
        mode: "fan_in" or "fan_out".
        nonlinearity: the name of the function that follows, as calculate_gain takes it.
        rng: the np.random.Generator to draw from; None for a fresh np.random.default_rng().

    Returns:
        A float64 array of `shape`.

    Raises:
        ValueError: if `shape` has fewer than 2 dimensions, `mode` is neither "fan_in" nor
            "fan_out", or calculate_gain refuses `nonlinearity` or `a`.

    Shapes:
        -> shape

    PyTorch: torch.nn.init.kaiming_normal_(torch.empty(shape), a=a, mode=mode, nonlinearity=nonlinearity)
        (same distribution; torch's random numbers cannot be reproduced in NumPy)
    """
    # BEGIN SOLUTION: std = gain / sqrt(fan of the chosen mode), used directly as the normal's scale
    if mode not in MODES:
        raise ValueError(f'mode={mode!r} must be "fan_in" or "fan_out"')
    fan_in, fan_out = fan_in_and_fan_out(shape)
    fan = fan_in if mode == "fan_in" else fan_out
    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)
    rng = np.random.default_rng() if rng is None else rng
    return rng.normal(0.0, std, size=tuple(shape))  # shape
    # END SOLUTION


def linear_init(in_features, out_features, rng=None):
    """A fresh nn.Linear(in_features, out_features)'s weight and bias, drawn as torch draws them.

    nn.Linear.reset_parameters draws the weight with kaiming_uniform(a=sqrt(5)), whose bound
    sqrt(3) * sqrt(2 / (1 + 5)) / sqrt(in_features) is exactly 1 / sqrt(in_features), and the
    bias from U(-1 / sqrt(in_features), 1 / sqrt(in_features)): both depend on the inputs
    only. The weight is drawn first, then the bias, from the same generator.

    Args:
        in_features: the number of inputs, a positive int.
        out_features: the number of outputs, a positive int.
        rng: the np.random.Generator to draw from; None for a fresh np.random.default_rng().

    Returns:
        (weight, bias), float64 arrays.

    Shapes:
        -> weight (out_features, in_features), bias (out_features,)

    PyTorch: torch.nn.Linear(in_features, out_features).weight, .bias
        (same distributions; torch's random numbers cannot be reproduced in NumPy)
    """
    # BEGIN SOLUTION: weight = kaiming_uniform with a = sqrt(5), bias uniform within 1 / sqrt(in_features)
    rng = np.random.default_rng() if rng is None else rng
    weight = kaiming_uniform((out_features, in_features), a=math.sqrt(5), rng=rng)  # (out, in)
    fan_in, _ = fan_in_and_fan_out(weight.shape)
    bound = 1 / math.sqrt(fan_in)
    bias = rng.uniform(-bound, bound, size=out_features)  # (out,)
    return weight, bias
    # END SOLUTION

