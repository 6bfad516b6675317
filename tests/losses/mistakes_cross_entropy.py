"""Classic wrong answers to losses.cross_entropy, each named and explained."""

from functools import partial

import numpy as np

from grader.testing.mistakes import mistake


def _parts(input, target, weight, ignore_index, shift=True):
    """log p, the per-class weights broadcast over input, the kept mask, and safe targets."""
    n_classes = input.shape[1]
    w = np.ones(n_classes, dtype=input.dtype) if weight is None else weight
    w_classes = w.reshape((1, n_classes) + (1,) * (input.ndim - 2))
    keep = target != ignore_index
    safe = np.where(keep, target, 0)
    z = input - input.max(axis=1, keepdims=True) if shift else input
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return log_p, w, w_classes, keep, safe


def _forward(input, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0, *,
             shift=True, divide_by="weights", smoothing="weighted"):
    log_p, w, w_classes, keep, safe = _parts(input, target, weight, ignore_index, shift)
    eps, n_classes = label_smoothing, input.shape[1]
    w_target = w[safe] * keep
    nll = -w_target * np.take_along_axis(log_p, safe[:, None], axis=1)[:, 0]
    if smoothing == "target_only" or not eps:  # a learner without smoothing writes no such term
        loss = (1 - eps) * nll
    else:
        per_class = w_classes if smoothing == "weighted" else 1.0
        loss = (1 - eps) * nll + eps / n_classes * -(per_class * log_p).sum(axis=1) * keep
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    total = {"weights": w_target.sum(), "kept": keep.sum(), "all": target.size}[divide_by]
    return loss.sum() / total


def _backward(input, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0, *,
              divide=True, weighted=True):
    log_p, w, w_classes, keep, safe = _parts(input, target, weight, ignore_index)
    if not weighted:
        w, w_classes = np.ones_like(w), np.ones_like(w_classes)
    eps, n_classes = label_smoothing, input.shape[1]
    p = np.exp(log_p)
    onehot = (np.arange(n_classes).reshape(w_classes.shape) == safe[:, None]).astype(input.dtype)
    w_target = w[safe] * keep
    grad = (1 - eps) * w_target[:, None] * (p - onehot)
    grad = grad + eps / n_classes * (p * w.sum() - w_classes) * keep[:, None]
    if divide and reduction == "mean" and keep.any():
        grad = grad / w_target.sum()
    return grad


MISTAKES = [
    mistake(
        "no_logsumexp_shift",
        title={"en": "log-softmax without the log-sum-exp shift", "zh": "log-softmax 没有做 log-sum-exp 平移"},
        why={"en": "exp(1e4) overflows to inf, and log(inf) then turns the loss into inf or NaN. Subtract the "
                   "maximum over the class axis (axis 1, keepdims=True) before exp: log-softmax is unchanged "
                   "by the shift and no exponent is above 0.",
             "zh": "exp(1e4) 会溢出成 inf，再取 log 后损失就变成 inf 或 NaN。先沿类别轴（axis 1，keepdims=True）"
                   "减去最大值再取 exp：log-softmax 不受这个平移影响，而且所有指数都不超过 0。"},
        cross_entropy=partial(_forward, shift=False)),
    mistake(
        "mean_ignores_weights",
        title={"en": '"mean" divided by the number of targets, not by their total weight',
               "zh": '"mean" 除以了目标个数，而不是目标权重之和'},
        why={"en": 'With class weights, torch\'s "mean" is a weighted average: the sum of w[y] * loss divided '
                   "by the sum of w[y] over the targets that count, not by how many there are. Without weights "
                   "both are the same, which is why this slip hides until weights appear.",
             "zh": '有类别权重时，torch 的 "mean" 是加权平均：w[y] * loss 之和除以参与计算的目标的 w[y] 之和，'
                   "而不是除以目标个数。不带权重时两者相同，所以这个错误要到用上权重才会暴露。"},
        cross_entropy=partial(_forward, divide_by="kept")),
    mistake(
        "ignored_counted",
        title={"en": "ignored targets still counted in the mean", "zh": "被忽略的目标仍被计入平均"},
        why={"en": "A target equal to ignore_index adds 0 to the loss AND is left out of the divisor: "
                   '"mean" divides by the (weighted) count of the targets that are not ignored only, '
                   "not by the number of all positions.",
             "zh": "等于 ignore_index 的目标对损失的贡献是 0，而且也不计入分母：\"mean\" 只除以未被忽略的目标的"
                   "（加权）个数，而不是全部位置的个数。"},
        cross_entropy=partial(_forward, divide_by="all")),
    mistake(
        "smoothing_target_only",
        title={"en": "label smoothing as (1 - eps) on the target only", "zh": "标签平滑只把目标项乘了 (1 - eps)"},
        why={"en": "Label smoothing moves eps of the probability mass to the uniform distribution: the target "
                   "term keeps (1 - eps), and every class, the target included, gets eps / C, which adds "
                   "(eps / C) * sum over classes of -log p. Scaling the target term alone drops that part.",
             "zh": "标签平滑把 eps 的概率质量分给均匀分布：目标项保留 (1 - eps)，同时每个类别（包括目标类）都分到 "
                   "eps / C，也就是要再加上 (eps / C) * 对所有类别求和的 -log p。只缩放目标项就丢掉了这一部分。"},
        cross_entropy=partial(_forward, smoothing="target_only")),
    mistake(
        "smoothing_unweighted",
        title={"en": "the smoothing term without the class weights", "zh": "平滑项没有乘类别权重"},
        why={"en": "In torch the class weights scale the smoothing term class by class too: it is "
                   "(eps / C) * sum_c w[c] * -log p[c], not the plain sum of -log p.",
             "zh": "在 torch 中，类别权重也会逐类缩放平滑项：它是 (eps / C) * sum_c w[c] * -log p[c]，"
                   "而不是直接对 -log p 求和。"},
        cross_entropy=partial(_forward, smoothing="unweighted")),
    mistake(
        "backward_no_mean",
        title={"en": 'the "mean" gradient not divided by the total weight', "zh": '"mean" 的梯度没有除以总权重'},
        why={"en": '"mean" divides the summed loss by the total weight of the counted targets (their number '
                   "without weights), so the gradient must be divided by the same number.",
             "zh": '"mean" 把损失之和除以了参与计算的目标的总权重（不带权重时就是它们的个数），'
                   "所以梯度也要除以同一个数。"},
        cross_entropy_backward=partial(_backward, divide=False)),
    mistake(
        "backward_no_weights",
        title={"en": "the gradient without the class weights", "zh": "梯度里漏掉了类别权重"},
        why={"en": "Each position's loss is scaled by w[y] (and the smoothing term by w[c] per class), so its "
                   "gradient is w[y] * (p - onehot(y)) plus the weighted smoothing part, and \"mean\" divides "
                   "by the sum of the w[y].",
             "zh": "每个位置的损失都乘了 w[y]（平滑项则逐类乘 w[c]），所以梯度是 w[y] * (p - onehot(y)) 再加上"
                   "加权的平滑部分，\"mean\" 时还要除以 w[y] 之和。"},
        cross_entropy_backward=partial(_backward, weighted=False)),
]
