"""Classic wrong answers to norm.batchnorm, each a whole BatchNorm2d class, named and explained."""

import numpy as np

from grader.testing.mistakes import mistake


def _c(v):
    return np.asarray(v).reshape(1, -1, 1, 1)


class _Layer:
    """A correct BatchNorm2d split into small steps; each mistake overrides exactly one of them."""

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
        if np.ndim(x) != 4 or x.shape[1] != self.num_features:
            raise ValueError("x must be (N, num_features, H, W)")

    def forward(self, x):
        self._check(x)
        if self.training:
            n = x.shape[0] * x.shape[2] * x.shape[3]
            mean, var = x.mean(axis=(0, 2, 3)), x.var(axis=(0, 2, 3))
            self._update(mean, var, n)
            var = self._normalising_var(var, n)
        else:
            mean, var = self.running_mean, self.running_var
        return self._normalise(x, mean, var).astype(x.dtype)

    def _normalising_var(self, var, n):
        return var

    def _update(self, mean, var, n):
        m = self.momentum
        self.running_mean = (1 - m) * self.running_mean + m * mean
        self.running_var = (1 - m) * self.running_var + m * var * n / (n - 1)
        self.num_batches_tracked += 1

    def _normalise(self, x, mean, var):
        return (x - _c(mean)) / np.sqrt(_c(var) + self.eps) * _c(self.weight) + _c(self.bias)


class _UnbiasedNormalisation(_Layer):
    def _normalising_var(self, var, n):
        return var * n / (n - 1)


class _KerasMomentum(_Layer):
    def _update(self, mean, var, n):
        m = self.momentum
        self.running_mean = m * self.running_mean + (1 - m) * mean
        self.running_var = m * self.running_var + (1 - m) * var * n / (n - 1)
        self.num_batches_tracked += 1


class _BiasedRunningVar(_Layer):
    def _update(self, mean, var, n):
        m = self.momentum
        self.running_mean = (1 - m) * self.running_mean + m * mean
        self.running_var = (1 - m) * self.running_var + m * var
        self.num_batches_tracked += 1


class _EvalUsesBatchStats(_Layer):
    def forward(self, x):
        if self.training:
            return super().forward(x)
        self._check(x)
        return self._normalise(x, x.mean(axis=(0, 2, 3)), x.var(axis=(0, 2, 3))).astype(x.dtype)


class _EpsOutsideSqrt(_Layer):
    def _normalise(self, x, mean, var):
        return (x - _c(mean)) / (np.sqrt(_c(var)) + self.eps) * _c(self.weight) + _c(self.bias)


class _StatsOverBatchAxisOnly(_Layer):
    def forward(self, x):
        if not self.training:
            return super().forward(x)
        self._check(x)
        n = x.shape[0]
        mean, var = x.mean(axis=0), x.var(axis=0)  # (C, H, W): one statistic per position, not per channel
        self._update(mean.mean(axis=(1, 2)), var.mean(axis=(1, 2)), max(n, 2))
        out = (x - mean) / np.sqrt(var + self.eps) * _c(self.weight) + _c(self.bias)
        return out.astype(x.dtype)


MISTAKES = [
    mistake(
        "unbiased_normalisation",
        title={"en": "normalising with the unbiased variance", "zh": "归一化时用了无偏方差"},
        why={"en": "The output divides by sqrt(var + eps) where var is the plain (biased) variance of the "
                   "batch: divide by n = N * H * W, as x.var(axis=(0, 2, 3)) does. The n / (n - 1) "
                   "correction belongs only in the running_var update.",
             "zh": "输出要除以 sqrt(var + eps)，其中 var 是这一批数据的普通（有偏）方差：除以 n = N * H * W，"
                   "也就是 x.var(axis=(0, 2, 3)) 的结果。n / (n - 1) 的修正只用在更新 running_var 时。"},
        BatchNorm2d=_UnbiasedNormalisation),
    mistake(
        "momentum_reversed",
        title={"en": "the momentum convention reversed (Keras style)", "zh": "momentum 的约定反了（Keras 的写法）"},
        why={"en": "In PyTorch momentum is the weight of the NEW batch: running = (1 - momentum) * running "
                   "+ momentum * batch_stat. Keras uses the opposite convention, where momentum weights the "
                   "old value.",
             "zh": "在 PyTorch 中 momentum 是新一批统计量的权重：running = (1 - momentum) * running + "
                   "momentum * batch_stat。Keras 的约定正好相反，momentum 是旧值的权重。"},
        BatchNorm2d=_KerasMomentum),
    mistake(
        "biased_running_var",
        title={"en": "running_var updated with the biased variance", "zh": "用有偏方差更新 running_var"},
        why={"en": "The running estimate of the variance uses the unbiased batch variance: multiply the "
                   "biased one by n / (n - 1), with n = N * H * W values per channel, before mixing it in.",
             "zh": "方差的滑动估计要用无偏的批方差：先把有偏方差乘以 n / (n - 1)（n = N * H * W 是每个通道的"
                   "元素个数），再按 momentum 混合进去。"},
        BatchNorm2d=_BiasedRunningVar),
    mistake(
        "eval_batch_stats",
        title={"en": "eval mode still using the batch statistics", "zh": "eval 模式下仍然使用当前批次的统计量"},
        why={"en": "After eval() the layer must not look at the statistics of the batch in front of it: "
                   "normalise with running_mean and running_var, and leave them unchanged.",
             "zh": "调用 eval() 之后，层不能再使用当前输入批次的统计量：要用 running_mean 和 running_var 归一化，"
                   "并且不修改它们。"},
        BatchNorm2d=_EvalUsesBatchStats),
    mistake(
        "eps_outside_sqrt",
        title={"en": "eps added outside the square root", "zh": "eps 加在了平方根外面"},
        why={"en": "The denominator is sqrt(var + eps), not sqrt(var) + eps. For a nearly constant channel "
                   "the two differ a lot: sqrt(1e-6 + 1e-5) is about 3.3e-3, while sqrt(1e-6) + 1e-5 is 1.01e-3.",
             "zh": "分母是 sqrt(var + eps)，不是 sqrt(var) + eps。对几乎不变的通道两者差别很大："
                   "sqrt(1e-6 + 1e-5) 约为 3.3e-3，而 sqrt(1e-6) + 1e-5 是 1.01e-3。"},
        BatchNorm2d=_EpsOutsideSqrt),
    mistake(
        "stats_over_batch_axis_only",
        title={"en": "statistics over the batch axis only", "zh": "只在 batch 维上计算统计量"},
        why={"en": "BatchNorm2d keeps one mean and one variance per channel, taken over the batch AND both "
                   "spatial axes: x.mean(axis=(0, 2, 3)). Reducing over axis 0 alone gives a separate "
                   "statistic for every pixel position.",
             "zh": "BatchNorm2d 每个通道只有一个均值和一个方差，要在 batch 维和两个空间维上一起计算："
                   "x.mean(axis=(0, 2, 3))。只对第 0 维求平均，会给每个像素位置各算一个统计量。"},
        BatchNorm2d=_StatsOverBatchAxisOnly),
]
