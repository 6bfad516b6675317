"""Classic wrong answers to losses.binary_cross_entropy, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake


def _reduce(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _softplus(z):
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


def _weighted(loss, weight):
    return loss if weight is None else loss * weight


def _bce_no_clamp(input, target, weight=None, reduction="mean"):
    loss = -(target * np.log(input) + (1 - target) * np.log(1 - input))
    return _reduce(_weighted(loss, weight), reduction)


def _logits_via_sigmoid(input, target, weight=None, reduction="mean", pos_weight=None):
    s = 1 / (1 + np.exp(-input))
    pw = 1 if pos_weight is None else pos_weight
    loss = -(pw * target * np.log(s) + (1 - target) * np.log(1 - s))
    return _reduce(_weighted(loss, weight), reduction)


def _pos_weight_on_negative(input, target, weight=None, reduction="mean", pos_weight=None):
    pw = 1 if pos_weight is None else pos_weight
    loss = target * _softplus(-input) + pw * (1 - target) * _softplus(input)
    return _reduce(_weighted(loss, weight), reduction)


def _sigmoid(x):
    return np.exp(-_softplus(-x))


def _backward_no_pos_weight(input, target, weight=None, reduction="mean", pos_weight=None):
    grad = _weighted(_sigmoid(input) - target, weight)
    return grad / grad.size if reduction == "mean" else grad


def _backward_no_mean(input, target, weight=None, reduction="mean", pos_weight=None):
    positive = target if pos_weight is None else pos_weight * target
    return _weighted((positive + 1 - target) * _sigmoid(input) - positive, weight)


def _backward_sign(input, target, weight=None, reduction="mean", pos_weight=None):
    positive = target if pos_weight is None else pos_weight * target
    grad = _weighted(positive - (positive + 1 - target) * _sigmoid(input), weight)
    return grad / grad.size if reduction == "mean" else grad


MISTAKES = [
    mistake(
        "no_clamp",
        title={"en": "the logs not clamped at -100", "zh": "没有把对数截断在 -100"},
        why={"en": "A probability of exactly 0 or 1 makes log(p) or log(1 - p) equal -inf, and 0 * -inf is NaN. "
                   "torch clamps each log below at -100 before multiplying: np.maximum(np.log(p), -100), and the same "
                   "for log(1 - p). The loss of a confident wrong answer is then 100, large but finite.",
             "zh": "概率恰好为 0 或 1 时，log(p) 或 log(1 - p) 等于 -inf，而 0 * -inf 是 NaN。torch 会先把每个对数"
                   "截断在 -100 以上再相乘：np.maximum(np.log(p), -100)，log(1 - p) 也一样。于是一个非常自信的错误"
                   "答案损失为 100：很大，但仍是有限值。"},
        binary_cross_entropy=_bce_no_clamp),
    mistake(
        "log_of_sigmoid",
        title={"en": "the logits loss computed as log(sigmoid(x))", "zh": "带 logits 的损失写成了 log(sigmoid(x))"},
        why={"en": "For x = 1e4 the sigmoid rounds to exactly 1, so log(1 - sigmoid(x)) is log(0) = -inf (and for "
                   "x = -1e4, log(sigmoid(x)) is). Work with the logits: -log(sigmoid(x)) = softplus(-x) and "
                   "-log(1 - sigmoid(x)) = softplus(x), where softplus(z) = max(z, 0) + log1p(exp(-|z|)).",
             "zh": "x = 1e4 时 sigmoid 会舍入成恰好 1，于是 log(1 - sigmoid(x)) 就是 log(0) = -inf（x = -1e4 时 "
                   "log(sigmoid(x)) 也一样）。要直接用 logits 来算：-log(sigmoid(x)) = softplus(-x)，"
                   "-log(1 - sigmoid(x)) = softplus(x)，其中 softplus(z) = max(z, 0) + log1p(exp(-|z|))。"},
        binary_cross_entropy_with_logits=_logits_via_sigmoid),
    mistake(
        "pos_weight_on_negative",
        title={"en": "pos_weight applied to the negative term", "zh": "把 pos_weight 乘到了负类项上"},
        why={"en": "pos_weight weighs the POSITIVE examples (target 1): it multiplies t * softplus(-x), the term "
                   "that punishes a low logit for a positive, and leaves (1 - t) * softplus(x) alone. It is how "
                   "you up-weight a rare positive class.",
             "zh": "pos_weight 加权的是正样本（target 为 1）：它乘的是 t * softplus(-x)，也就是正样本 logit 太低"
                   "时的惩罚项，(1 - t) * softplus(x) 保持不变。它的用途是提高稀有正类的权重。"},
        binary_cross_entropy_with_logits=_pos_weight_on_negative),
    mistake(
        "backward_no_pos_weight",
        title={"en": "the gradient sigmoid(x) - t, without pos_weight", "zh": "梯度写成 sigmoid(x) - t，漏掉了 pos_weight"},
        why={"en": "sigmoid(x) - t is the gradient only when pos_weight is 1. With pos_weight pw the positive term is "
                   "pw * t * softplus(-x), whose derivative is -pw * t * (1 - sigmoid(x)); in all "
                   "(pw * t + 1 - t) * sigmoid(x) - pw * t.",
             "zh": "只有 pos_weight 为 1 时梯度才是 sigmoid(x) - t。pos_weight 为 pw 时正类项是 "
                   "pw * t * softplus(-x)，它的导数是 -pw * t * (1 - sigmoid(x))；合起来是 "
                   "(pw * t + 1 - t) * sigmoid(x) - pw * t。"},
        binary_cross_entropy_with_logits_backward=_backward_no_pos_weight),
    mistake(
        "backward_no_mean",
        title={"en": "the mean's gradient not divided by N", "zh": "mean 的梯度没有除以 N"},
        why={"en": 'With reduction="mean" (the default) each element counts 1/N of the loss, N = input.size (every '
                   'element, not the batch), so its gradient is divided by N too. "sum" and "none" are not divided.',
             "zh": 'reduction="mean"（默认值）时每个元素只占损失的 1/N，N = input.size（全部元素，而不是批大小），'
                   '所以梯度也要除以 N。"sum" 和 "none" 不除。'},
        binary_cross_entropy_with_logits_backward=_backward_no_mean),
    mistake(
        "backward_sign",
        title={"en": "the gradient with the wrong sign", "zh": "梯度的符号反了"},
        why={"en": "The gradient is sigmoid(x) - t (with pos_weight: (pw * t + 1 - t) * sigmoid(x) - pw * t): "
                   "positive when the predicted probability is above the target, so gradient descent lowers the "
                   "logit. t - sigmoid(x) points the other way.",
             "zh": "梯度是 sigmoid(x) - t（有 pos_weight 时是 (pw * t + 1 - t) * sigmoid(x) - pw * t）：预测概率高于"
                   "目标时为正，梯度下降就会降低 logit。t - sigmoid(x) 的方向正好相反。"},
        binary_cross_entropy_with_logits_backward=_backward_sign),
]
