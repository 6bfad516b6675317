"""Classic wrong answers to layers.mlp, each named and explained."""

import math

import numpy as np

from grader.testing.mistakes import mistake


def _erf(z):
    return np.vectorize(math.erf, otypes=[np.float64])(z)


def _act(z, activation, tanh_gelu=False):
    if activation == "relu":
        return np.maximum(z, 0)
    if activation == "tanh":
        return np.tanh(z)
    if activation == "gelu":
        if tanh_gelu:
            return 0.5 * z * (1 + np.tanh(math.sqrt(2 / math.pi) * (z + 0.044715 * z ** 3)))
        return z * 0.5 * (1 + _erf(z / math.sqrt(2)))
    raise ValueError("unknown activation")


def _layers(params):
    return params["0.weight"], params["0.bias"], params["2.weight"], params["2.bias"]


def _out(y, x):
    return np.asarray(y).astype(x.dtype)


def _act_after_last(x, params, activation="relu"):
    w0, b0, w2, b2 = _layers(params)
    return _out(_act(_act(x @ w0.T + b0, activation) @ w2.T + b2, activation), x)


def _not_transposed(x, params, activation="relu"):
    w0, b0, w2, b2 = _layers(params)
    return _out(_act(x @ w0 + b0, activation) @ w2 + b2, x)


def _no_bias(x, params, activation="relu"):
    w0, _, w2, _ = _layers(params)
    return _out(_act(x @ w0.T, activation) @ w2.T, x)


def _tanh_gelu(x, params, activation="relu"):
    w0, b0, w2, b2 = _layers(params)
    return _out(_act(x @ w0.T + b0, activation, tanh_gelu=True) @ w2.T + b2, x)


def _layers_swapped(x, params, activation="relu"):
    w0, b0, w2, b2 = _layers(params)
    return _out(_act(x @ w2.T + b2, activation) @ w0.T + b0, x)


def _always_relu(x, params, activation="relu"):
    _act(np.zeros(1), activation)  # still refuses an unknown name
    w0, b0, w2, b2 = _layers(params)
    return _out(np.maximum(x @ w0.T + b0, 0) @ w2.T + b2, x)


MISTAKES = [
    mistake(
        "activation_after_last_layer",
        title={"en": "the activation applied after the last Linear too", "zh": "最后一个 Linear 之后也加了激活函数"},
        why={"en": "nn.Sequential(Linear, act, Linear) has one activation, between the layers. The output of the "
                   "last layer is returned as it is: a relu there would forbid negative outputs, a tanh would cap "
                   "them at 1.",
             "zh": "nn.Sequential(Linear, act, Linear) 只有一个激活函数，夹在两层之间。最后一层的输出原样返回："
                   "在那里加 relu 就不会有负的输出，加 tanh 输出就被限制在 1 以内。"},
        mlp=_act_after_last),
    mistake(
        "weight_not_transposed",
        title={"en": "x @ weight instead of x @ weight.T", "zh": "写成了 x @ weight，而不是 x @ weight.T"},
        why={"en": "nn.Linear stores its weight as (out_features, in_features): row j holds the weights of output j. "
                   "So a batch x (N, in) becomes x @ weight.T (N, out). Without the transpose the shapes only fit "
                   "when in == out, and then the numbers are wrong.",
             "zh": "nn.Linear 的权重按 (out_features, in_features) 存放：第 j 行是第 j 个输出的权重。所以一批输入 x (N, in) "
                   "要算 x @ weight.T，得到 (N, out)。不转置的话，只有 in == out 时形状才对得上，而且数值是错的。"},
        mlp=_not_transposed),
    mistake(
        "bias_forgotten",
        title={"en": "the biases left out", "zh": "漏掉了偏置"},
        why={"en": "Each nn.Linear adds its bias: x @ weight.T + bias, with params['0.bias'] after the first layer "
                   "and params['2.bias'] after the second. The first bias goes in before the activation.",
             "zh": "每个 nn.Linear 都要加上自己的偏置：x @ weight.T + bias，第一层后加 params['0.bias']，第二层后加 "
                   "params['2.bias']。第一层的偏置要在激活函数之前加。"},
        mlp=_no_bias),
    mistake(
        "gelu_tanh_approximation",
        title={"en": "gelu computed with the tanh approximation", "zh": "gelu 用了 tanh 近似"},
        why={"en": "nn.GELU() is the exact x * Phi(x), Phi(x) = 0.5 * (1 + erf(x / sqrt(2))); the tanh formula is "
                   "only nn.GELU(approximate='tanh') and is off by up to about 5e-4. Use math.erf, vectorised with "
                   "np.vectorize.",
             "zh": "nn.GELU() 是精确的 x * Phi(x)，Phi(x) = 0.5 * (1 + erf(x / sqrt(2)))；tanh 公式只对应 "
                   "nn.GELU(approximate='tanh')，误差可达约 5e-4。请用 math.erf，并用 np.vectorize 逐元素计算。"},
        mlp=_tanh_gelu),
    mistake(
        "layers_in_wrong_order",
        title={"en": "the layers applied in the wrong order (2.* first)", "zh": "层的顺序弄反了（先用了 2.*）"},
        why={"en": "The keys are the indices in nn.Sequential: 0 is the first Linear, 1 the activation (no "
                   "parameters), 2 the second Linear. x goes through '0.weight'/'0.bias' first, then the "
                   "activation, then '2.weight'/'2.bias'. Do not rely on the order of the dict's keys.",
             "zh": "键名就是 nn.Sequential 里的下标：0 是第一个 Linear，1 是激活函数（没有参数），2 是第二个 Linear。"
                   "x 先经过 '0.weight'/'0.bias'，再经过激活函数，最后经过 '2.weight'/'2.bias'。不要依赖字典里键的顺序。"},
        mlp=_layers_swapped),
    mistake(
        "activation_ignored",
        title={"en": "relu used whatever activation is asked for", "zh": "不管要求哪种激活函数都用了 relu"},
        why={"en": "activation chooses the function between the layers: 'relu' -> max(z, 0), 'tanh' -> tanh(z), "
                   "'gelu' -> z * Phi(z). Only the default is 'relu'.",
             "zh": "activation 决定两层之间用哪个函数：'relu' -> max(z, 0)，'tanh' -> tanh(z)，'gelu' -> z * Phi(z)。"
                   "只有默认值才是 'relu'。"},
        mlp=_always_relu),
]
