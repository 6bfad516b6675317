"""Classic wrong answers to losses.kl_div, each named and explained."""

from functools import partial

import numpy as np

from grader.testing.mistakes import mistake, summed_to


def _reduce(pointwise, input, reduction):
    if reduction == "none":
        return pointwise
    if reduction == "sum":
        return pointwise.sum()
    if reduction == "batchmean":
        return pointwise.sum() / input.shape[0] if input.ndim else pointwise.sum()
    return pointwise.mean()


def _mean_as_batchmean(input, target, reduction="mean", log_target=False):
    pointwise = _pointwise(input, target, log_target)
    if reduction == "mean":
        return pointwise.sum() / input.shape[0] if input.ndim else pointwise.sum()
    return _reduce(pointwise, input, reduction)


def _pointwise(input, target, log_target, order="right", zeros="safe", read_log=True):
    with np.errstate(all="ignore"):
        if log_target and read_log:
            return np.exp(target) * (target - input)
        if order == "swapped":  # KL(input || target): the model's distribution weighs the terms
            return np.exp(input) * (input - np.log(target))
        if zeros == "naive":
            return target * (np.log(target) - input)
        return target * (np.log(np.where(target == 0, 1, target)) - input)


def _loss(input, target, reduction="mean", log_target=False, **how):
    return _reduce(_pointwise(input, target, log_target, **how), input, reduction)


def _backward(input, target, reduction="mean", log_target=False, *, read_log=True, mean="all", sum_back=True):
    grad = -(np.exp(target) if log_target and read_log else target) * np.ones_like(input)
    if reduction == "mean" and mean == "all":
        grad = grad / grad.size
    elif (reduction == "batchmean" or (reduction == "mean" and mean == "batch")) and input.ndim:
        grad = grad / input.shape[0]
    return summed_to(grad, np.shape(input)) if sum_back else grad  # wrong only in its own way where target broadcast


MISTAKES = [
    mistake(
        "mean_as_batchmean",
        title={"en": '"mean" computed as "batchmean"', "zh": '把 "mean" 算成了 "batchmean"'},
        why={"en": 'torch\'s default reduction="mean" averages over EVERY element (it divides by N * C), which '
                   'is not the KL divergence per sample; only "batchmean" divides the sum by N = input.shape[0]. '
                   'Keep both, exactly as torch defines them, even though "batchmean" is the one you would use.',
             "zh": 'torch 默认的 reduction="mean" 是对所有元素取平均（除以 N * C），它并不是每个样本的 KL 散度；'
                   '只有 "batchmean" 才是把总和除以 N = input.shape[0]。两者都要严格按 torch 的定义实现，'
                   '尽管实际训练时该用的是 "batchmean"。'},
        kl_div=_mean_as_batchmean, kl_div_backward=partial(_backward, mean="batch")),
    mistake(
        "swapped_order",
        title={"en": "the divergence the wrong way round, KL(input || target)",
               "zh": "KL 散度的方向反了，算成了 KL(input || target)"},
        why={"en": "F.kl_div(input, target) is KL(target || model) with the model's log-probabilities in input: "
                   "pointwise target * (log target - input). The target weighs each term; exp(input) * "
                   "(input - log target) is the other direction, a different number.",
             "zh": "F.kl_div(input, target) 计算的是 KL(target || 模型)，input 是模型的对数概率："
                   "逐元素为 target * (log target - input)。每一项由 target 加权；exp(input) * (input - log target) "
                   "是另一个方向，数值不同。"},
        kl_div=partial(_loss, order="swapped")),
    mistake(
        "log_of_zero",
        title={"en": "0 * log(0) left as NaN", "zh": "0 * log(0) 被算成了 NaN"},
        why={"en": "np.log(0) is -inf (with a warning) and 0 * -inf is NaN, but the limit of t * log t at t = 0 "
                   "is 0, and torch gives 0 there. Take the log only where target > 0, for example "
                   "np.log(np.where(target == 0, 1, target)), so those terms are exactly 0.",
             "zh": "np.log(0) 是 -inf（还会发出警告），0 * -inf 得到 NaN；但 t * log t 在 t = 0 处的极限是 0，"
                   "torch 在这里给出的也是 0。只在 target > 0 的位置取对数，例如 "
                   "np.log(np.where(target == 0, 1, target))，这些项就恰好为 0。"},
        kl_div=partial(_loss, zeros="naive")),
    mistake(
        "log_target_ignored",
        title={"en": "log_target ignored", "zh": "忽略了 log_target 参数"},
        why={"en": "With log_target=True the target holds log-probabilities: the pointwise loss is "
                   "exp(target) * (target - input), and its gradient for input is -exp(target). Reading it as "
                   "probabilities gives a different loss.",
             "zh": "log_target=True 时 target 存放的是对数概率：逐元素损失为 exp(target) * (target - input)，"
                   "对 input 的梯度为 -exp(target)。把它当作概率来用，得到的是另一个损失。"},
        kl_div=partial(_loss, read_log=False), kl_div_backward=partial(_backward, read_log=False)),
    mistake(
        "backward_no_mean",
        title={"en": 'the "mean" gradient not divided by the number of elements', "zh": '"mean" 的梯度没有除以元素个数'},
        why={"en": '"mean" gives every element the weight 1 / (number of elements), so the gradient is '
                   '-target / target.size; "batchmean" divides by N = input.shape[0] instead.',
             "zh": '"mean" 时每个元素的权重是 1 / 元素个数，所以梯度是 -target / target.size；'
                   '"batchmean" 则改为除以 N = input.shape[0]。'},
        kl_div_backward=partial(_backward, mean="none")),
    mistake(
        "not_summed_back",
        title={"en": "the gradient left in the broadcast shape", "zh": "梯度停留在广播后的形状上"},
        why={"en": "When target broadcasts input to a larger shape, each element of input is used several times, "
                   "so its gradient is the sum over all its copies: sum over the leading axes input does not have, "
                   "and with keepdims=True over the axes where input has size 1, so that the result has input's "
                   "shape.",
             "zh": "当 target 把 input 广播成更大的形状时，input 的每个元素被用了多次，它的梯度是所有副本梯度之和："
                   "对 input 没有的前导维度求和，再对 input 中大小为 1 的维度以 keepdims=True 求和，"
                   "使结果与 input 形状相同。"},
        kl_div_backward=partial(_backward, sum_back=False)),
]
