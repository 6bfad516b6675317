"""Classic wrong answers to layers.init, each named and explained."""

import math

import numpy as np

from grader.testing.mistakes import mistake

LINEAR_FNS = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d")


def _gen(rng):
    return np.random.default_rng() if rng is None else rng


def _gain(nonlinearity, param=None, squared_slope=True):
    if nonlinearity in LINEAR_FNS or nonlinearity == "sigmoid":
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if isinstance(param, bool) or not (param is None or isinstance(param, (int, float))):
            raise ValueError("bad slope")
        slope = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + (slope ** 2 if squared_slope else slope)))
    if nonlinearity == "selu":
        return 0.75
    raise ValueError("unknown nonlinearity")


def _fans(shape, swapped=False, field=True):
    shape = tuple(shape)
    if len(shape) < 2:
        raise ValueError("fewer than 2 dimensions")
    rf = math.prod(shape[2:]) if field else 1
    fan_in, fan_out = shape[1] * rf, shape[0] * rf
    return (fan_out, fan_in) if swapped else (fan_in, fan_out)


def _mode_fan(shape, mode, **fan_kw):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError("bad mode")
    fan_in, fan_out = _fans(shape, **fan_kw)
    return fan_in if mode == "fan_in" else fan_out


def _xavier_std(shape, gain, **fan_kw):
    fan_in, fan_out = _fans(shape, **fan_kw)
    return gain * math.sqrt(2.0 / (fan_in + fan_out))


def _kaiming_std(shape, a, mode, nonlinearity, gain_kw=None, **fan_kw):
    return _gain(nonlinearity, a, **(gain_kw or {})) / math.sqrt(_mode_fan(shape, mode, **fan_kw))


def _uniform(rng, bound, shape):
    return _gen(rng).uniform(-bound, bound, size=tuple(shape))


def _normal(rng, std, shape):
    return _gen(rng).normal(0.0, std, size=tuple(shape))


def _linear(in_features, out_features, rng, weight_bound, bias_bound):
    rng = _gen(rng)
    weight = rng.uniform(-weight_bound, weight_bound, size=(out_features, in_features))
    return weight, rng.uniform(-bias_bound, bias_bound, size=out_features)


def _right_bound(in_features):
    return 1 / math.sqrt(in_features)


# ---------------------------------------------------------------- uniform bound = std (sqrt(3) missing)


def _xu_no_sqrt3(shape, gain=1.0, rng=None):
    return _uniform(rng, _xavier_std(shape, gain), shape)


def _ku_no_sqrt3(shape, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    return _uniform(rng, _kaiming_std(shape, a, mode, nonlinearity), shape)


def _linear_no_sqrt3(in_features, out_features, rng=None):
    weight_bound = _kaiming_std((out_features, in_features), math.sqrt(5), "fan_in", "leaky_relu")
    return _linear(in_features, out_features, rng, weight_bound, _right_bound(in_features))


# ---------------------------------------------------------------- fans swapped


def _fans_swapped(shape):
    return _fans(shape, swapped=True)


def _ku_swapped(shape, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    return _uniform(rng, math.sqrt(3) * _kaiming_std(shape, a, mode, nonlinearity, swapped=True), shape)


def _kn_swapped(shape, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    return _normal(rng, _kaiming_std(shape, a, mode, nonlinearity, swapped=True), shape)


def _linear_swapped(in_features, out_features, rng=None):
    return _linear(in_features, out_features, rng, _right_bound(out_features), _right_bound(out_features))


# ---------------------------------------------------------------- receptive field left out


def _fans_no_field(shape):
    return _fans(shape, field=False)


def _xu_no_field(shape, gain=1.0, rng=None):
    return _uniform(rng, math.sqrt(3) * _xavier_std(shape, gain, field=False), shape)


def _xn_no_field(shape, gain=1.0, rng=None):
    return _normal(rng, _xavier_std(shape, gain, field=False), shape)


def _ku_no_field(shape, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    return _uniform(rng, math.sqrt(3) * _kaiming_std(shape, a, mode, nonlinearity, field=False), shape)


def _kn_no_field(shape, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    return _normal(rng, _kaiming_std(shape, a, mode, nonlinearity, field=False), shape)


# ---------------------------------------------------------------- kaiming without the gain


def _ku_no_gain(shape, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    _gain(nonlinearity, a)
    return _uniform(rng, math.sqrt(3) / math.sqrt(_mode_fan(shape, mode)), shape)


def _kn_no_gain(shape, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    _gain(nonlinearity, a)
    return _normal(rng, 1 / math.sqrt(_mode_fan(shape, mode)), shape)


def _linear_no_gain(in_features, out_features, rng=None):
    return _linear(in_features, out_features, rng, math.sqrt(3) / math.sqrt(in_features), _right_bound(in_features))


# ---------------------------------------------------------------- leaky_relu's slope not squared


def _gain_slope_not_squared(nonlinearity, param=None):
    return _gain(nonlinearity, param, squared_slope=False)


def _ku_slope_not_squared(shape, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    std = _kaiming_std(shape, a, mode, nonlinearity, gain_kw={"squared_slope": False})
    return _uniform(rng, math.sqrt(3) * std, shape)


def _kn_slope_not_squared(shape, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    return _normal(rng, _kaiming_std(shape, a, mode, nonlinearity, gain_kw={"squared_slope": False}), shape)


def _linear_slope_not_squared(in_features, out_features, rng=None):
    weight_bound = math.sqrt(3) * _kaiming_std((out_features, in_features), math.sqrt(5), "fan_in", "leaky_relu",
                                               gain_kw={"squared_slope": False})
    return _linear(in_features, out_features, rng, weight_bound, _right_bound(in_features))


# ---------------------------------------------------------------- gains squared


def _gain_squared(nonlinearity, param=None):
    return _gain(nonlinearity, param) ** 2


# ---------------------------------------------------------------- variance as std; uniform bound as std


def _xn_variance(shape, gain=1.0, rng=None):
    return _normal(rng, _xavier_std(shape, gain) ** 2, shape)


def _kn_variance(shape, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    return _normal(rng, _kaiming_std(shape, a, mode, nonlinearity) ** 2, shape)


def _xn_bound(shape, gain=1.0, rng=None):
    return _normal(rng, math.sqrt(3) * _xavier_std(shape, gain), shape)


def _kn_bound(shape, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    return _normal(rng, math.sqrt(3) * _kaiming_std(shape, a, mode, nonlinearity), shape)


# ---------------------------------------------------------------- linear_init


def _linear_xavier(in_features, out_features, rng=None):
    bound = math.sqrt(6.0 / (in_features + out_features))
    return _linear(in_features, out_features, rng, bound, _right_bound(in_features))


def _linear_zero_bias(in_features, out_features, rng=None):
    rng = _gen(rng)
    bound = _right_bound(in_features)
    return rng.uniform(-bound, bound, size=(out_features, in_features)), np.zeros(out_features)


def _linear_kaiming_default(in_features, out_features, rng=None):
    return _linear(in_features, out_features, rng, math.sqrt(6.0 / in_features), _right_bound(in_features))


# ---------------------------------------------------------------- the generator


def _random_fns(make_rng):
    """Correct initialisers that draw from make_rng(rng) instead of from rng."""

    def xavier_uniform(shape, gain=1.0, rng=None):
        return _uniform(make_rng(rng), math.sqrt(3) * _xavier_std(shape, gain), shape)

    def xavier_normal(shape, gain=1.0, rng=None):
        return _normal(make_rng(rng), _xavier_std(shape, gain), shape)

    def kaiming_uniform(shape, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
        return _uniform(make_rng(rng), math.sqrt(3) * _kaiming_std(shape, a, mode, nonlinearity), shape)

    def kaiming_normal(shape, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
        return _normal(make_rng(rng), _kaiming_std(shape, a, mode, nonlinearity), shape)

    def linear_init(in_features, out_features, rng=None):
        bound = _right_bound(in_features)
        return _linear(in_features, out_features, make_rng(rng), bound, bound)

    return {"xavier_uniform": xavier_uniform, "xavier_normal": xavier_normal, "kaiming_uniform": kaiming_uniform,
            "kaiming_normal": kaiming_normal, "linear_init": linear_init}


MISTAKES = [
    mistake(
        "uniform_bound_is_std",
        title={"en": "the uniform's bound set to the std (sqrt(3) missing)",
               "zh": "把均匀分布的边界设成了标准差（漏了 sqrt(3)）"},
        why={"en": "The formulas give a standard deviation, std = gain * sqrt(2 / (fan_in + fan_out)) or "
                   "gain / sqrt(fan). A uniform draw on [-b, b] has std b / sqrt(3), so to get that std the bound "
                   "must be b = sqrt(3) * std. Using std itself as the bound makes the weights sqrt(3) times too small.",
             "zh": "公式给出的是标准差：std = gain * sqrt(2 / (fan_in + fan_out)) 或 gain / sqrt(fan)。[-b, b] 上的"
                   "均匀分布标准差是 b / sqrt(3)，要得到这个 std，边界必须取 b = sqrt(3) * std。直接把 std 当边界，"
                   "权重就小了 sqrt(3) 倍。"},
        xavier_uniform=_xu_no_sqrt3, kaiming_uniform=_ku_no_sqrt3, linear_init=_linear_no_sqrt3),
    mistake(
        "fans_swapped",
        title={"en": "fan_in and fan_out swapped", "zh": "fan_in 和 fan_out 弄反了"},
        why={"en": "A weight is stored (out, in, *kernel), the way nn.Linear and nn.Conv2d keep it: axis 1 counts the "
                   "inputs and axis 0 the outputs. So fan_in = shape[1] * receptive field and fan_out = shape[0] * "
                   "receptive field. Swapped, Kaiming's default mode scales by the outputs instead of the inputs.",
             "zh": "权重按 (out, in, *kernel) 存放，和 nn.Linear、nn.Conv2d 一样：第 1 维是输入个数，第 0 维是输出个数。"
                   "所以 fan_in = shape[1] * 感受野大小，fan_out = shape[0] * 感受野大小。弄反之后，Kaiming 的默认模式"
                   "就按输出个数而不是输入个数来缩放了。"},
        fan_in_and_fan_out=_fans_swapped, kaiming_uniform=_ku_swapped, kaiming_normal=_kn_swapped,
        linear_init=_linear_swapped),
    mistake(
        "no_receptive_field",
        title={"en": "fans of a conv weight without the kernel's size", "zh": "卷积权重的 fan 没有乘上卷积核大小"},
        why={"en": "Every input channel reaches an output through the whole kernel window, so a conv weight "
                   "(out, in, kH, kW) has fan_in = in * kH * kW, not in. Multiply both fans by the product of "
                   "shape[2:] (1 for a Linear weight).",
             "zh": "每个输入通道都要经过整个卷积核窗口才连到输出，所以卷积权重 (out, in, kH, kW) 的 fan_in = in * kH * kW，"
                   "而不是 in。两个 fan 都要乘上 shape[2:] 各维的乘积（Linear 权重的这个乘积为 1）。"},
        fan_in_and_fan_out=_fans_no_field, xavier_uniform=_xu_no_field, xavier_normal=_xn_no_field,
        kaiming_uniform=_ku_no_field, kaiming_normal=_kn_no_field),
    mistake(
        "kaiming_without_gain",
        title={"en": "Kaiming's std without the gain (1 / sqrt(fan))", "zh": "Kaiming 的标准差漏了 gain（只用了 1 / sqrt(fan)）"},
        why={"en": "He initialisation makes up for the half of the signal a ReLU throws away: std = gain / sqrt(fan) "
                   "with gain = calculate_gain(nonlinearity, a), sqrt(2) for the default (leaky_relu with a = 0). "
                   "Without the gain the activations shrink layer after layer.",
             "zh": "He 初始化是为了补回 ReLU 丢掉的那一半信号：std = gain / sqrt(fan)，其中 gain = calculate_gain(nonlinearity, a)，"
                   "默认情况（leaky_relu，a = 0）下是 sqrt(2)。漏了 gain，激活值会一层比一层小。"},
        kaiming_uniform=_ku_no_gain, kaiming_normal=_kn_no_gain, linear_init=_linear_no_gain),
    mistake(
        "leaky_slope_not_squared",
        title={"en": "leaky_relu's gain as sqrt(2 / (1 + a)), the slope not squared",
               "zh": "leaky_relu 的 gain 写成了 sqrt(2 / (1 + a))，斜率没有平方"},
        why={"en": "A leaky ReLU keeps the positive half of a symmetric signal and multiplies the negative half by a, "
                   "so the second moment it passes on is (1 + a^2) / 2 of its input's: the gain is "
                   "sqrt(2 / (1 + a^2)). With a = 0 both forms agree, which hides the slip; nn.Linear's a = sqrt(5) "
                   "shows it.",
             "zh": "leaky ReLU 保留对称信号的正半部分，把负半部分乘以 a，所以传下去的二阶矩是输入的 (1 + a^2) / 2："
                   "gain = sqrt(2 / (1 + a^2))。a = 0 时两种写法结果一样，错误就被掩盖了；nn.Linear 用的 a = sqrt(5) "
                   "会让它暴露出来。"},
        calculate_gain=_gain_slope_not_squared, kaiming_uniform=_ku_slope_not_squared,
        kaiming_normal=_kn_slope_not_squared, linear_init=_linear_slope_not_squared),
    mistake(
        "gain_squared",
        title={"en": "calculate_gain returning the variance factor (relu: 2 instead of sqrt(2))",
               "zh": "calculate_gain 返回了方差的倍数（relu 给了 2 而不是 sqrt(2)）"},
        why={"en": "The gain multiplies the standard deviation, not the variance. ReLU halves the second moment, "
                   "so the variance needs a factor 2 and the std a factor sqrt(2); likewise tanh's gain is 5/3, "
                   "not 25/9, and leaky_relu's sqrt(2 / (1 + a^2)).",
             "zh": "gain 乘的是标准差，不是方差。ReLU 让二阶矩减半，所以方差要乘 2，标准差要乘 sqrt(2)；同理 tanh 的 gain "
                   "是 5/3 而不是 25/9，leaky_relu 的是 sqrt(2 / (1 + a^2))。"},
        calculate_gain=_gain_squared),
    mistake(
        "variance_as_std",
        title={"en": "the variance passed as the normal's standard deviation", "zh": "把方差当成正态分布的标准差传了进去"},
        why={"en": "rng.normal(loc, scale) takes the standard deviation as scale. 2 / (fan_in + fan_out) and "
                   "gain^2 / fan are variances; take their square root: std = gain * sqrt(2 / (fan_in + fan_out)) "
                   "or gain / sqrt(fan).",
             "zh": "rng.normal(loc, scale) 的 scale 是标准差。2 / (fan_in + fan_out) 和 gain^2 / fan 都是方差，要开平方："
                   "std = gain * sqrt(2 / (fan_in + fan_out)) 或 gain / sqrt(fan)。"},
        xavier_normal=_xn_variance, kaiming_normal=_kn_variance),
    mistake(
        "normal_std_is_uniform_bound",
        title={"en": "the normal drawn with the uniform's bound as its std", "zh": "正态分布用了均匀分布的边界作标准差"},
        why={"en": "sqrt(6 / (fan_in + fan_out)) and gain * sqrt(3 / fan) are the BOUNDS of the uniform versions. The "
                   "normal versions use the standard deviation itself, sqrt(3) times smaller: "
                   "gain * sqrt(2 / (fan_in + fan_out)) and gain / sqrt(fan).",
             "zh": "sqrt(6 / (fan_in + fan_out)) 和 gain * sqrt(3 / fan) 是均匀分布版本的边界。正态分布版本直接用标准差，"
                   "它小 sqrt(3) 倍：gain * sqrt(2 / (fan_in + fan_out)) 和 gain / sqrt(fan)。"},
        xavier_normal=_xn_bound, kaiming_normal=_kn_bound),
    mistake(
        "linear_init_xavier",
        title={"en": "linear_init with the Xavier bound sqrt(6 / (in + out))", "zh": "linear_init 用了 Xavier 的边界 sqrt(6 / (in + out))"},
        why={"en": "nn.Linear does not use Xavier. It calls kaiming_uniform with a = sqrt(5), whose bound "
                   "sqrt(3) * sqrt(2 / 6) / sqrt(in) is exactly 1 / sqrt(in_features): it depends on the inputs only.",
             "zh": "nn.Linear 并不用 Xavier。它调用 a = sqrt(5) 的 kaiming_uniform，边界 sqrt(3) * sqrt(2 / 6) / sqrt(in) "
                   "恰好等于 1 / sqrt(in_features)：只和输入个数有关。"},
        linear_init=_linear_xavier),
    mistake(
        "linear_init_kaiming_default",
        title={"en": "linear_init's weight from kaiming_uniform with its default a = 0",
               "zh": "linear_init 的权重用了默认 a = 0 的 kaiming_uniform"},
        why={"en": "With a = 0 the gain is sqrt(2) and the bound sqrt(6 / in). nn.Linear passes a = sqrt(5), which "
                   "makes the gain sqrt(1 / 3) and the bound 1 / sqrt(in_features).",
             "zh": "a = 0 时 gain 是 sqrt(2)，边界是 sqrt(6 / in)。nn.Linear 传的是 a = sqrt(5)，于是 gain 为 sqrt(1 / 3)，"
                   "边界为 1 / sqrt(in_features)。"},
        linear_init=_linear_kaiming_default),
    mistake(
        "linear_init_zero_bias",
        title={"en": "linear_init's bias set to zeros", "zh": "linear_init 把偏置设成了全零"},
        why={"en": "Zero biases are a common choice, but nn.Linear's default draws the bias too, from "
                   "U(-1 / sqrt(in_features), 1 / sqrt(in_features)), the same bound as the weight.",
             "zh": "偏置设为零是常见做法，但 nn.Linear 的默认初始化也会随机抽取偏置，来自 "
                   "U(-1 / sqrt(in_features), 1 / sqrt(in_features))，和权重的边界相同。"},
        linear_init=_linear_zero_bias),
    mistake(
        "ignores_rng",
        title={"en": "draws that ignore the rng argument", "zh": "抽样没有使用传入的 rng"},
        why={"en": "rng is how the caller makes an initialisation reproducible: the same seed must give the same "
                   "weights. Draw from the generator you are given; create np.random.default_rng() only when rng "
                   "is None.",
             "zh": "调用者靠 rng 让初始化可复现：同一个种子必须给出同样的权重。请用传入的生成器抽样；只有 rng 为 None 时才新建 "
                   "np.random.default_rng()。"},
        **_random_fns(lambda rng: np.random.default_rng())),
    mistake(
        "fixed_seed_when_none",
        title={"en": "a fixed seed when rng is None", "zh": "rng 为 None 时用了固定种子"},
        why={"en": "With rng=None every call must draw new numbers, from a fresh np.random.default_rng() (no seed). "
                   "A fixed seed such as default_rng(0) gives every layer of a network the same weights.",
             "zh": "rng=None 时每次调用都要抽取新的随机数，应使用新建的、不带种子的 np.random.default_rng()。"
                   "用 default_rng(0) 这样的固定种子，网络里每一层都会得到一样的权重。"},
        **_random_fns(lambda rng: np.random.default_rng(0) if rng is None else rng)),
]
