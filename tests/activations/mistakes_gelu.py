"""Classic wrong answers to activations.gelu, each named and explained."""

import math

import numpy as np

from grader.testing.mistakes import mistake

K = math.sqrt(2 / math.pi)
C = 0.044715


def _erf(x):
    return np.vectorize(math.erf, otypes=[np.float64])(x)


def _exact(x):
    return (0.5 * x * (1 + _erf(x / math.sqrt(2)))).astype(x.dtype)


def _tanh_form(x, k=K, c=C):
    return 0.5 * x * (1 + np.tanh(k * (x + c * x ** 3)))


def _gelu_no_cubic(x, approximate="none"):
    return _tanh_form(x, c=0.0) if approximate == "tanh" else _exact(x)


def _gelu_sqrt2(x, approximate="none"):
    return _tanh_form(x, k=math.sqrt(2)) if approximate == "tanh" else _exact(x)


def _gelu_none_is_tanh(x, approximate="none"):
    return _tanh_form(x)


def _gelu_erf_unscaled(x, approximate="none"):
    return _tanh_form(x) if approximate == "tanh" else (0.5 * x * (1 + _erf(x))).astype(x.dtype)


def _backward_no_x_pdf(grad_out, x, approximate="none"):
    if approximate == "tanh":
        return grad_out * 0.5 * (1 + np.tanh(K * (x + C * x ** 3)))
    return (grad_out * 0.5 * (1 + _erf(x / math.sqrt(2)))).astype(grad_out.dtype)


MISTAKES = [
    mistake(
        "none_is_tanh",
        title={"en": 'gelu with approximate="none" using the tanh approximation',
               "zh": 'approximate="none" 的 gelu 用了 tanh 近似'},
        why={"en": 'The default, "none", is the exact GELU x * 0.5 * (1 + erf(x / sqrt(2))). The tanh formula '
                   "is close but differs by up to about 5e-4 (near |x| = 2.7), far more than the tolerance. "
                   'Use the tanh form only when approximate="tanh".',
             "zh": '默认的 "none" 是精确的 GELU：x * 0.5 * (1 + erf(x / sqrt(2)))。tanh 公式虽然接近，'
                   '但误差可达约 5e-4（在 |x| = 2.7 附近），远超容差。只有 approximate="tanh" 时才用 tanh 形式。'},
        gelu=_gelu_none_is_tanh),
    mistake(
        "no_cubic_term",
        title={"en": "tanh approximation without the 0.044715 * x ** 3 term",
               "zh": "tanh 近似漏掉了 0.044715 * x ** 3 项"},
        why={"en": "The approximation is 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x ** 3))). The cubic "
                   "term is what makes tanh follow the normal CDF; without it the curve is visibly off for |x| "
                   "around 1 to 3.",
             "zh": "近似公式是 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x ** 3)))。正是三次项让 tanh "
                   "贴合正态分布的累积分布函数；少了它，|x| 在 1 到 3 左右时曲线明显偏离。"},
        gelu=_gelu_no_cubic),
    mistake(
        "sqrt2_not_sqrt2_over_pi",
        title={"en": "tanh approximation scaled by sqrt(2) instead of sqrt(2 / pi)",
               "zh": "tanh 近似用了 sqrt(2) 而不是 sqrt(2 / pi)"},
        why={"en": "The factor in front of (x + 0.044715 * x ** 3) is sqrt(2 / pi), about 0.798, not sqrt(2) "
                   "(about 1.414, which belongs to erf(x / sqrt(2)) in the exact form).",
             "zh": "(x + 0.044715 * x ** 3) 前面的系数是 sqrt(2 / pi)，约 0.798，而不是 sqrt(2)"
                   "（约 1.414，它属于精确形式中的 erf(x / sqrt(2))）。"},
        gelu=_gelu_sqrt2),
    mistake(
        "erf_unscaled",
        title={"en": "exact gelu with erf(x) instead of erf(x / sqrt(2))", "zh": "精确 gelu 用了 erf(x) 而不是 erf(x / sqrt(2))"},
        why={"en": "The standard normal CDF is Phi(x) = 0.5 * (1 + erf(x / sqrt(2))): erf belongs to a normal "
                   "distribution of variance 1/2, so the argument must be divided by sqrt(2).",
             "zh": "标准正态分布的累积分布函数是 Phi(x) = 0.5 * (1 + erf(x / sqrt(2)))：erf 对应方差为 1/2 的正态分布，"
                   "所以自变量要除以 sqrt(2)。"},
        gelu=_gelu_erf_unscaled),
    mistake(
        "backward_no_x_pdf",
        title={"en": "gelu_backward returning only Phi(x), without the x * phi(x) term",
               "zh": "gelu_backward 只返回了 Phi(x)，漏掉了 x * phi(x) 项"},
        why={"en": "GELU is a product, x * Phi(x), so the product rule gives two terms: Phi(x) + x * phi(x), with "
                   "phi(x) = exp(-x ** 2 / 2) / sqrt(2 * pi). In the tanh form the second term is "
                   "0.5 * x * (1 - t ** 2) * du/dx.",
             "zh": "GELU 是乘积 x * Phi(x)，按乘积法则求导有两项：Phi(x) + x * phi(x)，其中 "
                   "phi(x) = exp(-x ** 2 / 2) / sqrt(2 * pi)。在 tanh 形式中，第二项是 0.5 * x * (1 - t ** 2) * du/dx。"},
        gelu_backward=_backward_no_x_pdf),
]
