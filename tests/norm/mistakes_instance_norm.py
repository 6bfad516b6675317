"""Classic wrong answers to norm.instance_norm, each a whole instance_norm, named and explained."""

from functools import partial

import numpy as np

from grader.testing.mistakes import mistake


def _check(x, weight, bias):
    """The input checks of a correct answer."""
    if np.ndim(x) < 3 or int(np.prod(np.shape(x)[2:])) == 1:
        raise ValueError("x needs more than one spatial value per channel")
    for value in (weight, bias):
        if value is not None and np.shape(value) != (np.shape(x)[1],):
            raise ValueError("weight and bias must be (C,)")


def _instance_norm(x, weight=None, bias=None, eps=1e-5, *, axes="spatial", ddof=0, eps_inside=True,
                   affine_axis="channel", use_bias=True):
    """instance_norm with knobs for the mistakes."""
    _check(x, weight, bias)
    reduce = {
        "spatial": tuple(range(2, x.ndim)),
        "batch_and_spatial": (0,) + tuple(range(2, x.ndim)),
        "channels_and_spatial": tuple(range(1, x.ndim)),
        "last_two": (2, 3),  # written for (N, C, H, W) only
    }[axes]
    mean = x.mean(axis=reduce, keepdims=True)
    var = x.var(axis=reduce, keepdims=True, ddof=ddof)
    y = (x - mean) / (np.sqrt(var + eps) if eps_inside else np.sqrt(var) + eps)
    shape = (-1,) + (1,) * (x.ndim - 2) if affine_axis == "channel" else (-1,)  # (-1,): along the last axis
    if weight is not None:
        y = y * np.reshape(weight, shape)
    if bias is not None and use_bias:
        y = y + np.reshape(bias, shape)
    return y.astype(x.dtype)


MISTAKES = [
    mistake(
        "stats_over_batch",
        title={"en": "statistics pooled over the batch as well (batch norm)",
               "zh": "统计量把整个 batch 也算了进去（成了批归一化）"},
        why={"en": "Instance norm gives every sample its own statistics: the mean and variance of x[n, c] are taken "
                   "over the spatial axes only, axis=tuple(range(2, x.ndim)). Including axis 0 mixes the samples of "
                   "the batch, which is what batch norm does, and a sample's output then depends on the others.",
             "zh": "实例归一化让每个样本使用自己的统计量：x[n, c] 的均值和方差只在空间维上计算，即 "
                   "axis=tuple(range(2, x.ndim))。把第 0 维也算进去，就把同一批里的不同样本混在了一起，这是批归一化的做法，"
                   "一个样本的输出也会随其他样本而变。"},
        instance_norm=partial(_instance_norm, axes="batch_and_spatial")),
    mistake(
        "stats_over_channels",
        title={"en": "statistics pooled over the channels as well (layer norm)",
               "zh": "统计量把所有通道也算了进去（成了层归一化）"},
        why={"en": "Each channel of each sample is normalised on its own: reduce over the axes after the channel "
                   "axis, not over axis 1 too. Pooling the channels gives one mean per sample, which is layer norm "
                   "over (C, *), and a channel with a large offset then shifts all the others.",
             "zh": "每个样本的每个通道要单独归一化：只在通道维之后的各维上求统计量，不要把第 1 维也算进去。把通道合在一起，"
                   "每个样本就只有一个均值，这是在 (C, *) 上做层归一化，一个偏移很大的通道会把其他通道也带偏。"},
        instance_norm=partial(_instance_norm, axes="channels_and_spatial")),
    mistake(
        "spatial_axes_hard_coded",
        title={"en": "the spatial axes hard-coded as (2, 3)", "zh": "把空间维写死成了 (2, 3)"},
        why={"en": "x may be (N, C, L), (N, C, H, W) or (N, C, D, H, W). axis=(2, 3) fits only the 4-D case: a 3-D "
                   "input has no axis 3, and a 5-D one gets a separate mean for every depth slice. Reduce over every "
                   "axis after the channel axis: axis=tuple(range(2, x.ndim)).",
             "zh": "x 可以是 (N, C, L)、(N, C, H, W) 或 (N, C, D, H, W)。axis=(2, 3) 只适用于四维输入：三维输入没有第 3 维，"
                   "五维输入则会给每个深度切片各算一个均值。要在通道维之后的所有维上求统计量：axis=tuple(range(2, x.ndim))。"},
        instance_norm=partial(_instance_norm, axes="last_two")),
    mistake(
        "unbiased_variance",
        title={"en": "normalising with the unbiased variance", "zh": "归一化时用了无偏方差"},
        why={"en": "torch divides the squared deviations by S, the number of spatial values (the biased variance, "
                   "x.var with the default ddof=0). ddof=1, dividing by S - 1, makes every output a little too small, "
                   "most visibly when S is small.",
             "zh": "torch 把偏差平方和除以 S，即空间位置的个数（有偏方差，x.var 默认的 ddof=0）。用 ddof=1 除以 S - 1，"
                   "每个输出都会偏小一点，S 越小越明显。"},
        instance_norm=partial(_instance_norm, ddof=1)),
    mistake(
        "eps_outside_sqrt",
        title={"en": "eps added outside the square root", "zh": "eps 加在了平方根外面"},
        why={"en": "The denominator is sqrt(var + eps). sqrt(var) + eps is close to it for a large variance but not "
                   "for a nearly constant channel: with var = 1e-6 and eps = 1e-5 the right denominator is about "
                   "3.3e-3, the wrong one about 1.0e-3.",
             "zh": "分母是 sqrt(var + eps)。方差大时 sqrt(var) + eps 与它相差不多，但对几乎不变的通道就差得远了："
                   "var = 1e-6、eps = 1e-5 时，正确的分母约为 3.3e-3，错误的约为 1.0e-3。"},
        instance_norm=partial(_instance_norm, eps_inside=False)),
    mistake(
        "affine_on_last_axis",
        title={"en": "weight and bias broadcast along the last axis instead of the channel axis",
               "zh": "weight 和 bias 沿最后一维广播，而不是沿通道维"},
        why={"en": "weight and bias are (C,): weight[c] scales channel c at every sample and spatial position. "
                   "y * weight lines the (C,) array up with the LAST axis of y, a spatial one; it only runs when "
                   "that axis happens to have C (or 1) entries, and then scales positions, not channels. Reshape "
                   "to (C, 1, ..., 1) first: weight.reshape((-1,) + (1,) * (x.ndim - 2)).",
             "zh": "weight 和 bias 的形状是 (C,)：weight[c] 作用在所有样本、所有空间位置的第 c 个通道上。y * weight 会把 (C,) "
                   "数组对齐到 y 的最后一维，也就是一个空间维；只有这一维恰好有 C（或 1）个元素时才能运行，而且缩放的是位置"
                   "而不是通道。应先变形为 (C, 1, ..., 1)：weight.reshape((-1,) + (1,) * (x.ndim - 2))。"},
        instance_norm=partial(_instance_norm, affine_axis="last")),
    mistake(
        "bias_ignored",
        title={"en": "the bias left out", "zh": "漏掉了 bias"},
        why={"en": "After scaling by weight, each channel is shifted by bias[c] when a bias is given: "
                   "y = x_hat * weight + bias. Only a bias of None means no shift.",
             "zh": "乘以 weight 之后，只要给了 bias，每个通道还要加上 bias[c]：y = x_hat * weight + bias。"
                   "只有 bias 为 None 时才不平移。"},
        instance_norm=partial(_instance_norm, use_bias=False)),
]
