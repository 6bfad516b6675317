"""Classic wrong answers to norm.batchnorm_backward, each named and explained."""

from functools import partial

import numpy as np

from grader.testing.mistakes import mistake


def _check(grad_out, x, weight):
    if np.ndim(x) not in (2, 3, 4) or np.shape(grad_out) != np.shape(x):
        raise ValueError("x must be 2-, 3- or 4-D and grad_out shaped like it")
    if weight is not None and np.shape(weight) != (x.shape[1],):
        raise ValueError("weight must be (C,)")
    if x.size // x.shape[1] < 2:
        raise ValueError("one value per channel")


def _backward(grad_out, x, weight=None, eps=1e-5, *, grad_x="full", variance="biased", axes="all", count="all",
              grad_weight="x_hat", optional="right"):
    """batch_norm_backward with knobs for the mistakes."""
    _check(grad_out, x, weight)
    if axes == "batch":  # statistics (and the parameter sums) over axis 0 only, as in a 2-D tutorial
        red = (0,)
    else:
        red = (0,) + tuple(range(2, x.ndim))
    m = int(np.prod([x.shape[a] for a in red]))
    n = x.shape[0] if count == "batch" else m  # what the means of the gradient divide by
    mean = x.mean(axis=red, keepdims=True)
    var = x.var(axis=red, keepdims=True)
    if variance == "unbiased":
        var = var * m / (m - 1)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mean) * inv_std
    w = np.ones(x.shape[1]) if weight is None else weight
    dx_hat = grad_out * w.reshape((1, -1) + (1,) * (x.ndim - 2))
    if grad_x == "constant_stats":
        gx = dx_hat * inv_std
    elif grad_x == "mean_only":
        gx = inv_std * (dx_hat - dx_hat.sum(axis=red, keepdims=True) / n)
    else:
        gx = inv_std * (dx_hat - dx_hat.sum(axis=red, keepdims=True) / n
                        - x_hat * (dx_hat * x_hat).sum(axis=red, keepdims=True) / n)
    gw = (grad_out * (1 if grad_weight == "sum_g" else x_hat)).sum(axis=red)
    gb = grad_out.sum(axis=red)
    if weight is None and optional == "right":
        gw = None
    if weight is None and optional == "no_bias_either":
        gw, gb = None, None
    dtype = x.dtype
    return tuple(None if v is None else v.astype(dtype) for v in (gx, gw, gb))


class _Layer:
    """A correct BatchNorm1d split into small steps; each mistake overrides exactly one of them."""

    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.weight, self.bias = np.ones(num_features), np.zeros(num_features)
        self.running_mean, self.running_var = np.zeros(num_features), np.ones(num_features)
        self.num_batches_tracked = 0
        self.training = True

    def train(self):
        self.training = True
        return self

    def eval(self):
        self.training = False
        return self

    def __call__(self, x):
        return self.forward(x)

    def _check(self, x):
        if np.ndim(x) not in (2, 3) or x.shape[1] != self.num_features:
            raise ValueError("x must be (N, num_features) or (N, num_features, L)")
        if self.training and x.size // x.shape[1] < 2:
            raise ValueError("one value per channel")

    def _axes(self, x):
        return (0,) if x.ndim == 2 else (0, 2)

    def forward(self, x):
        self._check(x)
        axes = self._axes(x)
        if self.training:
            n = int(np.prod([x.shape[a] for a in axes]))
            mean, var = x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True)
            self._update(mean, var, n, x.ndim)
        else:
            shape = (1, -1) + (1,) * (x.ndim - 2)
            mean, var = self.running_mean.reshape(shape), self.running_var.reshape(shape)
        shape = (1, -1) + (1,) * (x.ndim - 2)
        out = (x - mean) / np.sqrt(var + self.eps) * np.reshape(self.weight, shape) + np.reshape(self.bias, shape)
        return out.astype(x.dtype)

    def _update(self, mean, var, n, ndim):
        """mean and var with kept axes: averaged down to one value per channel where they are finer."""
        axes = tuple(a for a in range(mean.ndim) if a != 1)
        mean, var = mean.mean(axis=axes), var.mean(axis=axes)
        m = self.momentum
        self.running_mean = (1 - m) * self.running_mean + m * mean
        self.running_var = (1 - m) * self.running_var + m * self._unbiased(var, n)
        self.num_batches_tracked += 1

    def _unbiased(self, var, n):
        return var * n / (n - 1)


class _BiasedRunningVar(_Layer):
    def _unbiased(self, var, n):
        return var


class _BatchAxisOnly(_Layer):
    def _axes(self, x):
        return (0,)


MISTAKES = [
    mistake(
        "stats_as_constants",
        title={"en": "mean and variance treated as constants: grad_x = grad_out * weight / sqrt(var + eps)",
               "zh": "把均值和方差当成常数：grad_x = grad_out * weight / sqrt(var + eps)"},
        why={"en": "In training mode the mean and the variance are computed from x itself, so moving one value "
                   "of a channel moves them too, and with them every output of that channel. The gradient has two "
                   "more terms: subtract the channel mean of dx_hat = grad_out * weight and x_hat times the mean of "
                   "dx_hat * x_hat, then divide by sqrt(var + eps). The short formula is only the eval-mode gradient.",
             "zh": "训练模式下均值和方差是由 x 本身算出来的：改动通道里的一个数，它们也会跟着变，进而影响这个通道的"
                   "全部输出。所以梯度还要多两项：令 dx_hat = grad_out * weight，先减去 dx_hat 在该通道上的均值，"
                   "再减去 x_hat 乘以 dx_hat * x_hat 的均值，最后除以 sqrt(var + eps)。那个简短的公式只是 eval "
                   "模式下的梯度。"},
        batch_norm_backward=partial(_backward, grad_x="constant_stats")),
    mistake(
        "variance_term_missing",
        title={"en": "grad_x through the mean but not through the variance",
               "zh": "grad_x 只考虑了均值这条路径，漏了方差"},
        why={"en": "Subtracting the mean of dx_hat accounts for the batch mean; the variance depends on x as well, "
                   "and its path gives the last term, - x_hat * mean(dx_hat * x_hat). Without it the gradient is "
                   "wrong wherever x_hat is not 0.",
             "zh": "减去 dx_hat 的均值只处理了批均值这条路径；方差同样依赖于 x，它那条路径给出最后一项 "
                   "- x_hat * mean(dx_hat * x_hat)。少了这一项，凡是 x_hat 不为 0 的地方梯度都不对。"},
        batch_norm_backward=partial(_backward, grad_x="mean_only")),
    mistake(
        "unbiased_variance",
        title={"en": "the unbiased variance in the normalisation", "zh": "归一化时用了无偏方差"},
        why={"en": "Training-mode batch norm divides by sqrt(var + eps) with the BIASED variance of the m values of "
                   "a channel (divide by m, as x.var does). The unbiased m / (m - 1) version is used only for "
                   "running_var; in the forward pass and its gradient it changes every number.",
             "zh": "训练模式的批归一化除以 sqrt(var + eps)，其中 var 是通道内 m 个数的有偏方差（除以 m，"
                   "和 x.var 一样）。乘上 m / (m - 1) 的无偏方差只用于 running_var；把它用在前向和梯度里，"
                   "每个数都会变。"},
        batch_norm_backward=partial(_backward, variance="unbiased")),
    mistake(
        "batch_axis_only",
        title={"en": "statistics and sums over axis 0 only", "zh": "只在第 0 维上求统计量和求和"},
        why={"en": "The statistics of a channel are taken over every axis but 1: (0,) for (N, C), (0, 2) for "
                   "(N, C, L), (0, 2, 3) for (N, C, H, W). The 2-D formula with axis=0 applied to 3-D or 4-D x "
                   "normalises every position separately and leaves grad_weight and grad_bias shaped (C, L) "
                   "instead of (C,).",
             "zh": "一个通道的统计量要在除第 1 维以外的所有维上计算：(N, C) 用 (0,)，(N, C, L) 用 (0, 2)，"
                   "(N, C, H, W) 用 (0, 2, 3)。把二维情形下 axis=0 的公式直接用到三维或四维的 x 上，"
                   "会对每个位置分别归一化，grad_weight 和 grad_bias 的形状也会变成 (C, L)，而不是 (C,)。"},
        batch_norm_backward=partial(_backward, axes="batch")),
    mistake(
        "divided_by_batch_size",
        title={"en": "the means in grad_x divided by N instead of N * L (or N * H * W)",
               "zh": "grad_x 中的均值除以 N，而不是 N * L（或 N * H * W）"},
        why={"en": "The two correction terms are means over the m values of a channel, and m counts the spatial "
                   "positions too: m = N * L for (N, C, L) and N * H * W for (N, C, H, W). Summing over all of them "
                   "but dividing by N alone makes the corrections L (or H * W) times too large.",
             "zh": "两个修正项是对通道内 m 个数取的均值，而 m 也要算上空间位置：(N, C, L) 时 m = N * L，"
                   "(N, C, H, W) 时 m = N * H * W。对它们全部求和却只除以 N，修正项就大了 L（或 H * W）倍。"},
        batch_norm_backward=partial(_backward, count="batch")),
    mistake(
        "grad_weight_sum_g",
        title={"en": "grad_weight = sum(grad_out) instead of sum(grad_out * x_hat)",
               "zh": "grad_weight 写成了 sum(grad_out)，而不是 sum(grad_out * x_hat)"},
        why={"en": "The weight multiplies x_hat, so each output contributes grad_out * x_hat to its gradient: "
                   "grad_weight = (grad_out * x_hat) summed over every axis but 1. The plain sum of grad_out is "
                   "the bias's gradient.",
             "zh": "weight 乘的是 x_hat，所以每个输出对它梯度的贡献是 grad_out * x_hat：grad_weight 等于 "
                   "grad_out * x_hat 在除第 1 维外的所有维上求和。grad_out 直接求和得到的是 bias 的梯度。"},
        batch_norm_backward=partial(_backward, grad_weight="sum_g")),
    mistake(
        "grad_weight_without_weight",
        title={"en": "a grad_weight returned when weight is None", "zh": "weight 为 None 时仍然返回了 grad_weight"},
        why={"en": "weight=None means there is no scale to learn (a weight of ones that is not a parameter), so "
                   "there is nothing to return a gradient for: put None in its place, as autograd does for an "
                   "input that does not exist.",
             "zh": "weight=None 表示没有要学习的缩放系数（相当于固定为 1，但不是参数），也就没有可以返回梯度的"
                   "对象：在它的位置返回 None，和 autograd 对不存在的输入的处理一样。"},
        batch_norm_backward=partial(_backward, optional="always")),
    mistake(
        "grad_bias_tied_to_weight",
        title={"en": "grad_bias None when weight is None", "zh": "weight 为 None 时 grad_bias 也返回了 None"},
        why={"en": "grad_bias is the gradient of the shift that follows the normalisation, sum(grad_out) per "
                   "channel, and batch_norm_backward always returns it, whether or not there is a weight. Only "
                   "grad_weight becomes None without a weight.",
             "zh": "grad_bias 是归一化之后那个平移量的梯度，即每个通道上 grad_out 的和；不管有没有 weight，"
                   "batch_norm_backward 都要返回它。没有 weight 时，只有 grad_weight 是 None。"},
        batch_norm_backward=partial(_backward, optional="no_bias_either")),
    mistake(
        "bn1d_biased_running_var",
        title={"en": "BatchNorm1d's running_var updated with the biased variance",
               "zh": "BatchNorm1d 用有偏方差更新 running_var"},
        why={"en": "As in BatchNorm2d, the running estimate uses the UNBIASED batch variance: multiply the biased "
                   "one by n / (n - 1), where n = N for (N, C) and N * L for (N, C, L), before mixing it in with "
                   "momentum.",
             "zh": "和 BatchNorm2d 一样，滑动估计用的是无偏的批方差：先把有偏方差乘以 n / (n - 1)（(N, C) 时 "
                   "n = N，(N, C, L) 时 n = N * L），再按 momentum 混合进去。"},
        BatchNorm1d=_BiasedRunningVar),
    mistake(
        "bn1d_batch_axis_only",
        title={"en": "BatchNorm1d on (N, C, L) normalising over N only", "zh": "BatchNorm1d 处理 (N, C, L) 时只在 N 上归一化"},
        why={"en": "For a sequence batch (N, C, L) every channel has N * L values, and its statistics are taken "
                   "over both axes 0 and 2. x.mean(axis=0) gives a separate mean for every position l, which is "
                   "not what nn.BatchNorm1d does.",
             "zh": "对于序列批次 (N, C, L)，每个通道有 N * L 个数，统计量要在第 0 维和第 2 维上一起计算。"
                   "x.mean(axis=0) 会给每个位置 l 各算一个均值，这不是 nn.BatchNorm1d 的做法。"},
        BatchNorm1d=_BatchAxisOnly),
]
