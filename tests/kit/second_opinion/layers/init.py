"""torch.nn.init's gains, fans and draws (independent implementation).

Gains from a dict; fans with np.prod; uniform draws made by stretching rng.random() and normal draws
by scaling rng.standard_normal(), all written from the variances.
"""

import math
import numbers

import numpy as np

_CONSTANT_GAINS = {name: 1.0 for name in (
    "linear", "sigmoid", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d")}
_CONSTANT_GAINS.update({"tanh": 5.0 / 3.0, "relu": 2.0 ** 0.5, "selu": 0.75})


def calculate_gain(nonlinearity, param=None):
    if nonlinearity == "leaky_relu":
        if param is None:
            param = 0.01
        if isinstance(param, bool) or not isinstance(param, numbers.Real):
            raise ValueError(f"leaky_relu needs a numeric negative slope, got {param!r}")
        return (2.0 / (1.0 + float(param) * float(param))) ** 0.5
    try:
        return _CONSTANT_GAINS[nonlinearity]
    except (KeyError, TypeError):
        raise ValueError(f"no gain is defined for nonlinearity {nonlinearity!r}") from None


def fan_in_and_fan_out(shape):
    dims = [int(d) for d in shape]
    if len(dims) < 2:
        raise ValueError(f"shape {tuple(dims)} has fewer than two dimensions")
    per_channel = int(np.prod(dims[2:], dtype=np.int64))
    return dims[1] * per_channel, dims[0] * per_channel


def _rng(rng):
    return rng if rng is not None else np.random.default_rng()


def _uniform_with_variance(shape, variance, rng):
    half_width = math.sqrt(3.0 * variance)
    return (2.0 * _rng(rng).random(tuple(shape)) - 1.0) * half_width


def _normal_with_variance(shape, variance, rng):
    return _rng(rng).standard_normal(tuple(shape)) * math.sqrt(variance)


def _xavier_variance(shape, gain):
    fan_in, fan_out = fan_in_and_fan_out(shape)
    return gain * gain * 2.0 / (fan_in + fan_out)


def _kaiming_variance(shape, a, mode, nonlinearity):
    fans = dict(zip(("fan_in", "fan_out"), fan_in_and_fan_out(shape)))
    if mode not in fans:
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")
    return calculate_gain(nonlinearity, a) ** 2 / fans[mode]


def xavier_uniform(shape, gain=1.0, rng=None):
    return _uniform_with_variance(shape, _xavier_variance(shape, gain), rng)


def xavier_normal(shape, gain=1.0, rng=None):
    return _normal_with_variance(shape, _xavier_variance(shape, gain), rng)


def kaiming_uniform(shape, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    return _uniform_with_variance(shape, _kaiming_variance(shape, a, mode, nonlinearity), rng)


def kaiming_normal(shape, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    return _normal_with_variance(shape, _kaiming_variance(shape, a, mode, nonlinearity), rng)


def linear_init(in_features, out_features, rng=None):
    rng = _rng(rng)
    variance = 1.0 / (3.0 * in_features)  # U(-1/sqrt(in), 1/sqrt(in)) has variance 1 / (3 in)
    weight = _uniform_with_variance((out_features, in_features), variance, rng)
    bias = _uniform_with_variance((out_features,), variance, rng)
    return weight, bias
