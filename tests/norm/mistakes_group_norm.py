"""Classic wrong answers to norm.group_norm, each a whole group_norm, named and explained."""

from functools import partial

import numpy as np

from grader.testing.mistakes import mistake


def _check(x, num_groups, weight, bias):
    """The input checks of a correct answer."""
    if np.ndim(x) < 2:
        raise ValueError("x must be (N, C, *)")
    N, C = x.shape[:2]
    if num_groups <= 0 or C % num_groups:
        raise ValueError("num_groups must be a positive divisor of C")
    if N * (C // num_groups) * int(np.prod(x.shape[2:])) == 1:
        raise ValueError("a single value per group")
    for value in (weight, bias):
        if value is not None and np.shape(value) != (C,):
            raise ValueError("weight and bias must be (C,)")


def _per_channel(v, ndim):
    return np.reshape(v, (-1,) + (1,) * (ndim - 2))


def _group_norm(x, num_groups, weight=None, bias=None, eps=1e-5, *, groups="blocks", pool_batch=False,
                ddof=0, eps_inside=True, affine="per_channel"):
    """group_norm with knobs for the mistakes."""
    _check(x, num_groups, weight, bias)
    N, C = x.shape[:2]
    G = C // num_groups if groups == "size" else num_groups  # "size": num_groups read as the group size
    if groups == "interleaved":  # channel c in group c % G: bring channels g, g + G, ... together first
        order = np.argsort(np.arange(C) % G, kind="stable")
        xs = x[:, order]
    else:
        order, xs = None, x
    view = xs.reshape(N, G, -1)  # (N, G, K * S)
    reduce = (0, 2) if pool_batch else (2,)
    mean = view.mean(axis=reduce, keepdims=True)
    var = view.var(axis=reduce, keepdims=True, ddof=ddof)
    y = (view - mean) / (np.sqrt(var + eps) if eps_inside else np.sqrt(var) + eps)  # (N, G, K * S)
    if affine == "group_view":  # weight and bias applied before reshaping back: along the last axis of the view
        if weight is not None:
            y = y * weight
        if bias is not None:
            y = y + bias
        return y.reshape(x.shape).astype(x.dtype)
    y = y.reshape(xs.shape)
    if order is not None:
        y = y[:, np.argsort(order)]  # channels back in their places
    if weight is not None:
        y = y * _per_channel(weight, x.ndim)
    if bias is not None:
        y = y + _per_channel(bias, x.ndim)
    return y.astype(x.dtype)


MISTAKES = [
    mistake(
        "interleaved_groups",
        title={"en": "groups formed by interleaving channels (channel c in group c % G)",
               "zh": "按交错方式分组（第 c 个通道分到第 c % G 组）"},
        why={"en": "torch puts CONSECUTIVE channels together: with C = 6 and G = 2, group 0 is channels 0, 1, 2 and "
                   "group 1 is channels 3, 4, 5, not 0, 2, 4 and 1, 3, 5. x.reshape(N, G, -1) gives exactly the "
                   "consecutive blocks, because the channels of a group are neighbours in memory.",
             "zh": "torch 把相邻的通道分在同一组：C = 6、G = 2 时，第 0 组是通道 0、1、2，第 1 组是通道 3、4、5，"
                   "而不是 0、2、4 和 1、3、5。x.reshape(N, G, -1) 得到的正好是这些连续的块，因为同一组的通道在内存里是挨着的。"},
        group_norm=partial(_group_norm, groups="interleaved")),
    mistake(
        "num_groups_as_group_size",
        title={"en": "num_groups read as the number of channels per group",
               "zh": "把 num_groups 当成了每组的通道数"},
        why={"en": "num_groups is how many groups there are; each holds C // num_groups channels. Reshaping to "
                   "(N, C // num_groups, -1) makes C // num_groups groups instead. The two agree only when "
                   "C = num_groups ** 2; with C = 6 and num_groups = 2 you need 2 groups of 3 channels.",
             "zh": "num_groups 是组的个数，每组有 C // num_groups 个通道。变形为 (N, C // num_groups, -1) 得到的却是 "
                   "C // num_groups 个组。只有 C = num_groups ** 2 时两者才一致；C = 6、num_groups = 2 时应该是 2 组，每组 3 个通道。"},
        group_norm=partial(_group_norm, groups="size")),
    mistake(
        "stats_over_batch",
        title={"en": "group statistics pooled over the whole batch", "zh": "每组的统计量在整个 batch 上计算"},
        why={"en": "Like layer norm and instance norm, group norm never looks across samples: each sample n has its "
                   "own mean and variance for each group, taken over that group's channels and spatial positions. "
                   "In the (N, G, K * S) view reduce over axis 2 only, not over axes 0 and 2.",
             "zh": "和层归一化、实例归一化一样，组归一化从不跨样本计算：每个样本 n 的每个组都有自己的均值和方差，"
                   "只在该组的通道和空间位置上计算。在 (N, G, K * S) 的视图里只对第 2 维求统计量，不要对第 0 维和第 2 维一起求。"},
        group_norm=partial(_group_norm, pool_batch=True)),
    mistake(
        "affine_in_group_view",
        title={"en": "weight and bias applied in the (N, G, K * S) view, before reshaping back",
               "zh": "在 (N, G, K * S) 视图里就乘了 weight、加了 bias，没有先变回原形状"},
        why={"en": "The grouped view is only for the statistics. weight and bias are per CHANNEL, (C,): reshape the "
                   "normalised values back to x's shape (N, C, *) first, then multiply by weight.reshape(C, 1, ..., 1) "
                   "and add bias the same way. In the view, a (C,) array lines up with the last axis of size K * S, "
                   "which fails, or, where K * S happens to equal C, scales the wrong values.",
             "zh": "分组视图只用来求统计量。weight 和 bias 是按通道的，形状为 (C,)：要先把归一化后的结果变回 x 的形状 (N, C, *)，"
                   "再乘以 weight.reshape(C, 1, ..., 1)，bias 也同样处理。在视图里，(C,) 数组会和长度为 K * S 的最后一维对齐，"
                   "要么报错，要么在 K * S 恰好等于 C 时缩放了错误的元素。"},
        group_norm=partial(_group_norm, affine="group_view")),
    mistake(
        "unbiased_variance",
        title={"en": "normalising with the unbiased variance", "zh": "归一化时用了无偏方差"},
        why={"en": "torch divides the squared deviations of a group by its number of values, K * S (the biased "
                   "variance, x.var with ddof=0). Dividing by K * S - 1 shrinks every output, most for small groups.",
             "zh": "torch 把一组的偏差平方和除以该组的元素个数 K * S（有偏方差，x.var 取 ddof=0）。除以 K * S - 1 "
                   "会让每个输出都偏小，组越小越明显。"},
        group_norm=partial(_group_norm, ddof=1)),
    mistake(
        "eps_outside_sqrt",
        title={"en": "eps added outside the square root", "zh": "eps 加在了平方根外面"},
        why={"en": "The denominator is sqrt(var + eps), not sqrt(var) + eps. They differ most for a nearly constant "
                   "group: with var = 1e-6 and eps = 1e-5 the right denominator is about 3.3e-3, the wrong one 1.0e-3.",
             "zh": "分母是 sqrt(var + eps)，不是 sqrt(var) + eps。对几乎不变的组两者差别最大：var = 1e-6、eps = 1e-5 时，"
                   "正确的分母约为 3.3e-3，错误的是 1.0e-3。"},
        group_norm=partial(_group_norm, eps_inside=False)),
]
