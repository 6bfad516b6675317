"""Classic wrong answers to losses.mse, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake, summed_to


def _reduce(elementwise, reduction):
    if reduction == "mean":
        return elementwise.mean()
    if reduction == "sum":
        return elementwise.sum()
    return elementwise


def _loss_summed(input, target, reduction="mean"):
    return ((input - target) ** 2).sum() if reduction in ("mean", "sum") else (input - target) ** 2


def _loss_batch_mean(input, target, reduction="mean"):
    squared = (input - target) ** 2
    if reduction == "mean":
        return squared.sum() / len(input)
    return _reduce(squared, reduction)


def _loss_rmse(input, target, reduction="mean"):
    loss = _reduce((input - target) ** 2, reduction)
    return np.sqrt(loss) if reduction in ("mean", "sum") else loss


def _loss_absolute(input, target, reduction="mean"):
    return _reduce(np.abs(input - target), reduction)


# Each backward mistake sums its gradient back to input's shape (where target broadcast input to a larger one),
# so that it is wrong only in its own way; leaving it unsummed is a mistake of its own.

def _backward_no_2(input, target, reduction="mean"):
    diff = input - target
    return summed_to(diff / diff.size if reduction == "mean" else diff, np.shape(input))


def _backward_no_mean(input, target, reduction="mean"):
    return summed_to(2 * (input - target), np.shape(input))


def _backward_sign(input, target, reduction="mean"):
    grad = 2 * (target - input)
    return summed_to(grad / grad.size if reduction == "mean" else grad, np.shape(input))


def _backward_always_divides(input, target, reduction="mean"):
    grad = 2 * (input - target)
    return summed_to(grad / grad.size, np.shape(input))


def _backward_not_summed_back(input, target, reduction="mean"):
    grad = 2 * (input - target)
    return grad / grad.size if reduction == "mean" else grad


MISTAKES = [
    mistake(
        "summed",
        title={"en": "the squared errors summed instead of averaged", "zh": "把平方误差求和而不是求平均"},
        why={"en": 'reduction="mean" (the default) divides the sum of the squared errors by the number of '
                   'elements, so the loss does not grow with the batch. Use .mean(); keep .sum() for "sum".',
             "zh": 'reduction="mean"（默认值）要把平方误差之和除以元素个数，这样损失不会随批量变大而变大。'
                   '用 .mean()；只有 "sum" 才用 .sum()。'},
        mse_loss=_loss_summed),
    mistake(
        "batch_mean",
        title={"en": "the sum divided by the batch size only", "zh": "只除以了批大小"},
        why={"en": '"mean" averages over EVERY element, not over the first dimension: for input of shape '
                   "(4, 3) divide by 12, not by 4. squared.mean() (or squared.sum() / squared.size) does it.",
             "zh": '"mean" 是对所有元素取平均，而不是只对第一维：形状为 (4, 3) 的输入要除以 12，而不是 4。'
                   "用 squared.mean()（或 squared.sum() / squared.size）即可。"},
        mse_loss=_loss_batch_mean),
    mistake(
        "rmse",
        title={"en": "the root of the mean squared error (RMSE)", "zh": "算成了均方根误差（RMSE）"},
        why={"en": "MSE is the mean of the squared errors itself, with no square root: the root would give "
                   "RMSE, a different loss with a different gradient. Return the mean (or sum) directly.",
             "zh": "MSE 就是平方误差的平均值本身，不要再开平方根：开根号得到的是 RMSE，"
                   "它是另一个损失，梯度也不同。直接返回平均值（或总和）。"},
        mse_loss=_loss_rmse),
    mistake(
        "absolute",
        title={"en": "absolute errors instead of squared ones", "zh": "用了绝对误差而不是平方误差"},
        why={"en": "|input - target| is the L1 loss. MSE squares the difference: (input - target) ** 2, "
                   "which punishes large errors much more than small ones.",
             "zh": "|input - target| 是 L1 损失。MSE 要把差值平方：(input - target) ** 2，"
                   "它对大误差的惩罚远大于小误差。"},
        mse_loss=_loss_absolute),
    mistake(
        "no_factor_2",
        title={"en": "the backward pass without the factor 2", "zh": "反向传播漏掉了系数 2"},
        why={"en": "The derivative of d^2 is 2 * d, so the gradient of (input - target)^2 is "
                   "2 * (input - target). Keep the 2, then divide by N for \"mean\".",
             "zh": "d^2 的导数是 2 * d，所以 (input - target)^2 的梯度是 2 * (input - target)。"
                   "保留这个 2，\"mean\" 时再除以 N。"},
        mse_loss_backward=_backward_no_2),
    mistake(
        "backward_no_mean",
        title={"en": "the mean's gradient not divided by N", "zh": "mean 的梯度没有除以 N"},
        why={"en": 'With reduction="mean" every element enters the loss with weight 1/N, so its gradient '
                   "is 2 * (input - target) / N, where N = input.size (every element, not the batch).",
             "zh": 'reduction="mean" 时每个元素在损失中的权重是 1/N，所以梯度是 2 * (input - target) / N，'
                   "其中 N = input.size（全部元素，而不是批大小）。"},
        mse_loss_backward=_backward_no_mean),
    mistake(
        "backward_sign",
        title={"en": "the gradient with the wrong sign", "zh": "梯度的符号反了"},
        why={"en": "The gradient with respect to input is 2 * (input - target): it points away from the "
                   "target, so gradient DESCENT moves input towards it. 2 * (target - input) is the gradient "
                   "with respect to target.",
             "zh": "对 input 的梯度是 2 * (input - target)：它指向远离 target 的方向，所以梯度下降会把 input "
                   "推向 target。2 * (target - input) 是对 target 的梯度。"},
        mse_loss_backward=_backward_sign),
    mistake(
        "always_divides",
        title={"en": "the gradient divided by N for every reduction", "zh": "所有 reduction 的梯度都除以了 N"},
        why={"en": 'Only "mean" divides by N. "sum" adds the elementwise losses, so each has weight 1 and '
                   'the gradient is 2 * (input - target); "none" is treated the same way here.',
             "zh": '只有 "mean" 要除以 N。"sum" 是把逐元素损失相加，每个的权重都是 1，梯度就是 '
                   '2 * (input - target)；这里 "none" 也按同样方式处理。'},
        mse_loss_backward=_backward_always_divides),
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
        mse_loss_backward=_backward_not_summed_back),
]
