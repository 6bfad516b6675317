"""Classic wrong answers to norm.layer_norm, each named and explained."""

from functools import partial

import numpy as np

from grader.testing.mistakes import mistake


def _shape(x, normalized_shape, weight, bias=None):
    """The checks of a correct answer; normalized_shape as a tuple."""
    shape = (normalized_shape,) if isinstance(normalized_shape, (int, np.integer)) else tuple(normalized_shape)
    if not shape or np.ndim(x) < len(shape) or np.shape(x)[np.ndim(x) - len(shape):] != shape:
        raise ValueError("normalized_shape must be the trailing dims of x")
    for p in (weight, bias):
        if p is not None and np.shape(p) != shape:
            raise ValueError("weight and bias must have shape normalized_shape")
    return shape


def _axes(x, shape, which):
    if which == "last":  # axis -1 alone, whatever normalized_shape says
        return (x.ndim - 1,)
    if which == "batch":  # the batch axis, as batch norm
        return (0,)
    return tuple(range(x.ndim - len(shape), x.ndim))


def _stats(x, axes, variance, eps, eps_place):
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True, ddof=1 if variance == "unbiased" else 0)
    std = np.sqrt(var) + eps if eps_place == "outside" else np.sqrt(var + eps)
    return mean, 1.0 / std


def _forward(x, normalized_shape, weight=None, bias=None, eps=1e-5, *, which="right", variance="biased",
             eps_place="inside"):
    shape = _shape(x, normalized_shape, weight, bias)
    mean, inv_std = _stats(x, _axes(x, shape, which), variance, eps, eps_place)
    out = (x - mean) * inv_std
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return out.astype(x.dtype)


def _backward(grad_out, x, normalized_shape, weight=None, bias=None, eps=1e-5, *, which="right", variance="biased",
              eps_place="inside", grad_x="full", sums="lead", absent="none"):
    shape = _shape(x, normalized_shape, weight, bias)
    if np.shape(grad_out) != np.shape(x):
        raise ValueError("grad_out must be shaped like x")
    axes = _axes(x, shape, which)
    lead = (0,) if sums == "axis0" else tuple(range(x.ndim - len(shape)))
    if which == "batch":
        lead = tuple(range(x.ndim - len(shape)))
    mean, inv_std = _stats(x, axes, variance, eps, eps_place)
    x_hat = (x - mean) * inv_std
    dx_hat = grad_out if weight is None else grad_out * weight
    if grad_x == "constant_stats":
        gx = dx_hat * inv_std
    elif grad_x == "mean_only":
        gx = inv_std * (dx_hat - dx_hat.mean(axis=axes, keepdims=True))
    else:
        gx = inv_std * (dx_hat - dx_hat.mean(axis=axes, keepdims=True)
                        - x_hat * (dx_hat * x_hat).mean(axis=axes, keepdims=True))
    gw = (grad_out * x_hat).sum(axis=lead)
    gb = grad_out.sum(axis=lead)
    if absent == "none":
        gw = None if weight is None else gw
        gb = None if bias is None else gb
    return tuple(None if g is None else g.astype(x.dtype) for g in (gx, gw, gb))


def _rms(x, normalized_shape, weight=None, eps=None, *, which="right", centre=False, reduce="mean",
         default="dtype"):
    shape = _shape(x, normalized_shape, weight)
    if eps is None:
        eps = {"dtype": np.finfo(x.dtype).eps, "fixed": 1e-5, "float64": np.finfo(np.float64).eps}[default]
    axes = _axes(x, shape, which)
    if centre:  # a layer norm without the shift
        x_c = x - x.mean(axis=axes, keepdims=True)
        out = x_c / np.sqrt((x_c * x_c).mean(axis=axes, keepdims=True) + eps)
    else:
        sq = (x * x).sum(axis=axes, keepdims=True) if reduce == "sum" else (x * x).mean(axis=axes, keepdims=True)
        out = x / np.sqrt(sq + eps)
    if weight is not None:
        out = out * weight
    return out.astype(x.dtype)


MISTAKES = [
    mistake(
        "last_axis_only",
        title={"en": "normalising over the last axis only", "zh": "只在最后一维上归一化"},
        why={"en": "normalized_shape says how many trailing dimensions form one group: with (T, D) the mean and "
                   "variance are taken over T * D values per sample, axes (-2, -1), not over each row of D. Use "
                   "axes = tuple(range(x.ndim - len(normalized_shape), x.ndim)) in the forward, the backward and "
                   "rms_norm.",
             "zh": "normalized_shape 规定了末尾哪几个维度构成一组：为 (T, D) 时，每个样本的均值和方差要在 T * D "
                   "个数上计算，也就是 axes (-2, -1)，而不是对每一行的 D 个数分别计算。前向、反向和 rms_norm "
                   "都要用 axes = tuple(range(x.ndim - len(normalized_shape), x.ndim))。"},
        layer_norm=partial(_forward, which="last"), layer_norm_backward=partial(_backward, which="last"),
        rms_norm=partial(_rms, which="last")),
    mistake(
        "batch_axis",
        title={"en": "statistics over the batch axis, as batch norm", "zh": "像批归一化那样在 batch 维上求统计量"},
        why={"en": "Layer norm normalises each sample on its own, over its features (the trailing normalized_shape "
                   "dims); it never mixes samples. Taking the mean over axis 0 is batch norm, and it makes every "
                   "output depend on the rest of the batch.",
             "zh": "层归一化让每个样本单独在自己的特征上（末尾 normalized_shape 那几维）做归一化，从不混合不同的样本。"
                   "在第 0 维上求均值是批归一化的做法，会让每个输出都依赖于批次里的其他样本。"},
        layer_norm=partial(_forward, which="batch"), layer_norm_backward=partial(_backward, which="batch")),
    mistake(
        "unbiased_variance",
        title={"en": "the unbiased variance (ddof=1)", "zh": "用了无偏方差（ddof=1）"},
        why={"en": "F.layer_norm divides by the number of values normalised, K: the biased variance, x.var(axes) "
                   "with NumPy's default ddof=0. torch.var and pandas default to the unbiased K - 1, which is not "
                   "what the layer uses.",
             "zh": "F.layer_norm 除以被归一化的数的个数 K，也就是有偏方差：x.var(axes)，NumPy 默认 ddof=0。"
                   "torch.var 和 pandas 默认除以 K - 1（无偏），但这一层用的不是它。"},
        layer_norm=partial(_forward, variance="unbiased"), layer_norm_backward=partial(_backward, variance="unbiased")),
    mistake(
        "eps_outside_sqrt",
        title={"en": "eps added to the standard deviation instead of the variance", "zh": "eps 加在了标准差上，而不是方差上"},
        why={"en": "The denominator is sqrt(var + eps), not sqrt(var) + eps. They differ most where the variance is "
                   "small, which is exactly where eps matters: for var = 1e-6 and eps = 1e-5, 3.3e-3 against 1.01e-3.",
             "zh": "分母是 sqrt(var + eps)，不是 sqrt(var) + eps。方差越小两者差得越多，而那正是 eps 起作用的时候："
                   "var = 1e-6、eps = 1e-5 时，一个约为 3.3e-3，另一个是 1.01e-3。"},
        layer_norm=partial(_forward, eps_place="outside"), layer_norm_backward=partial(_backward, eps_place="outside")),
    mistake(
        "backward_stats_constant",
        title={"en": "the backward treating mean and variance as constants", "zh": "反向传播把均值和方差当成了常数"},
        why={"en": "Each group's mean and variance are computed from the same x, so grad_x is not just "
                   "grad_out * weight / sqrt(var + eps): subtract the group mean of dx_hat and x_hat times the group "
                   "mean of dx_hat * x_hat before dividing.",
             "zh": "每一组的均值和方差都是由同一个 x 算出来的，所以 grad_x 不只是 grad_out * weight / sqrt(var + eps)："
                   "在除以标准差之前，还要减去 dx_hat 在组内的均值，以及 x_hat 乘以 dx_hat * x_hat 的组内均值。"},
        layer_norm_backward=partial(_backward, grad_x="constant_stats")),
    mistake(
        "backward_variance_term_missing",
        title={"en": "the backward without the variance term", "zh": "反向传播漏了方差那一项"},
        why={"en": "Removing the group mean of dx_hat covers the path through the mean; the variance depends on x "
                   "too and adds - x_hat * mean(dx_hat * x_hat) to the bracket.",
             "zh": "减去 dx_hat 的组内均值只覆盖了经过均值的那条路径；方差同样依赖于 x，它会在括号里再加上一项 "
                   "- x_hat * mean(dx_hat * x_hat)。"},
        layer_norm_backward=partial(_backward, grad_x="mean_only")),
    mistake(
        "param_grads_axis0",
        title={"en": "grad_weight and grad_bias summed over axis 0 only", "zh": "grad_weight 和 grad_bias 只沿第 0 维求和"},
        why={"en": "weight and bias are shared by every position of every leading dimension, so their gradients sum "
                   "over all of them: axes 0 .. x.ndim - len(normalized_shape) - 1. For x (N, T, D) with "
                   "normalized_shape (D,), sum(axis=0) leaves a (T, D) array instead of (D,).",
             "zh": "weight 和 bias 被所有前导维上的每个位置共用，所以它们的梯度要在这些维度上全部求和："
                   "第 0 维到第 x.ndim - len(normalized_shape) - 1 维。对 (N, T, D) 的 x 和 (D,) 的 normalized_shape，"
                   "sum(axis=0) 会留下 (T, D) 的数组，而不是 (D,)。"},
        layer_norm_backward=partial(_backward, sums="axis0")),
    mistake(
        "grads_for_absent_params",
        title={"en": "gradients returned for a weight or bias that is None", "zh": "weight 或 bias 为 None 时仍返回了它的梯度"},
        why={"en": "A parameter that was not given has no gradient: return None in its place, as autograd does "
                   "(grad_weight None when weight is None, grad_bias None when bias is None, each on its own).",
             "zh": "没有给出的参数就没有梯度：在它的位置返回 None，和 autograd 一样（weight 为 None 时 grad_weight "
                   "为 None，bias 为 None 时 grad_bias 为 None，两者互不影响）。"},
        layer_norm_backward=partial(_backward, absent="always")),
    mistake(
        "rms_subtracts_mean",
        title={"en": "rms_norm subtracting the mean", "zh": "rms_norm 减去了均值"},
        why={"en": "RMSNorm does not centre: it divides x itself by its root mean square, x / sqrt(mean(x ** 2) + eps). "
                   "Subtracting the mean first turns it into a layer norm without bias.",
             "zh": "RMSNorm 不做中心化：它直接把 x 除以它的均方根，x / sqrt(mean(x ** 2) + eps)。"
                   "先减去均值的话，就变成了不带 bias 的层归一化。"},
        rms_norm=partial(_rms, centre=True)),
    mistake(
        "rms_sum_not_mean",
        title={"en": "rms_norm dividing by the L2 norm (a sum of squares, not a mean)",
               "zh": "rms_norm 除以的是 L2 范数（平方和，而不是平方的均值）"},
        why={"en": "The root MEAN square averages the squares over the K values of a group before the square root; "
                   "sqrt(sum(x ** 2)) is the L2 norm, larger by sqrt(K), and makes the output shrink as the group "
                   "grows.",
             "zh": "均方根要先对一组 K 个数的平方取平均，再开平方；sqrt(sum(x ** 2)) 是 L2 范数，大了 sqrt(K) 倍，"
                   "会让输出随着组的变大而变小。"},
        rms_norm=partial(_rms, reduce="sum")),
    mistake(
        "rms_eps_fixed",
        title={"en": "rms_norm's eps=None read as 1e-5", "zh": "把 rms_norm 的 eps=None 当成了 1e-5"},
        why={"en": "For rms_norm, eps=None means the machine epsilon of x's dtype, np.finfo(x.dtype).eps: about "
                   "2.2e-16 for float64 and 1.2e-7 for float32, as torch. 1e-5 is layer_norm's default, not this one.",
             "zh": "对 rms_norm 来说，eps=None 表示 x 的 dtype 的机器精度 np.finfo(x.dtype).eps：float64 约为 "
                   "2.2e-16，float32 约为 1.2e-7，和 torch 一样。1e-5 是 layer_norm 的默认值，不是这里的。"},
        rms_norm=partial(_rms, default="fixed")),
    mistake(
        "rms_eps_float64",
        title={"en": "rms_norm's default eps taken from float64 for every input", "zh": "rms_norm 的默认 eps 一律取 float64 的机器精度"},
        why={"en": "The default depends on the input: np.finfo(x.dtype).eps. For float32 input that is 1.2e-7, not "
                   "float64's 2.2e-16 (np.finfo(float).eps).",
             "zh": "默认值取决于输入：np.finfo(x.dtype).eps。float32 输入时它是 1.2e-7，而不是 float64 的 2.2e-16"
                   "（np.finfo(float).eps）。"},
        rms_norm=partial(_rms, default="float64")),
]
