"""Classic wrong answers to optim.grad_clip, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake


def _check(max_norm, norm_type):
    if max_norm < 0 or norm_type <= 0:
        raise ValueError("bad max_norm or norm_type")


def _norm(arrays, norm_type):
    flat = np.concatenate([np.abs(np.asarray(g, dtype=np.float64)).ravel() for g in arrays])
    if flat.size == 0:
        return 0.0
    if np.isinf(norm_type):
        return float(flat.max())
    return float((flat ** norm_type).sum() ** (1.0 / norm_type))


def _scaled(grads, scale):
    return [(g * scale).astype(g.dtype) for g in grads]


def _per_tensor(grads, max_norm, norm_type=2.0):
    _check(max_norm, norm_type)
    clipped = [_scaled([g], min(max_norm / (_norm([g], norm_type) + 1e-6), 1.0))[0] for g in grads]
    return clipped, _norm(grads, norm_type)


def _scale_always(grads, max_norm, norm_type=2.0):
    _check(max_norm, norm_type)
    total = _norm(grads, norm_type)
    return _scaled(grads, max_norm / (total + 1e-6)), total


def _no_eps(grads, max_norm, norm_type=2.0):
    _check(max_norm, norm_type)
    total = _norm(grads, norm_type)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = min(max_norm / total, 1.0) if total > 0 else 1.0
    return _scaled(grads, scale), total


def _eps_added_to_scale(grads, max_norm, norm_type=2.0):
    _check(max_norm, norm_type)
    total = _norm(grads, norm_type)
    scale = min(max_norm / total + 1e-6, 1.0) if total > 0 else 1.0
    return _scaled(grads, scale), total


def _inf_as_two(grads, max_norm, norm_type=2.0):
    _check(max_norm, norm_type)
    total = _norm(grads, 2.0 if np.isinf(norm_type) else norm_type)
    return _scaled(grads, min(max_norm / (total + 1e-6), 1.0)), total


def _in_place(grads, max_norm, norm_type=2.0):
    _check(max_norm, norm_type)
    total = _norm(grads, norm_type)
    scale = min(max_norm / (total + 1e-6), 1.0)
    for g in grads:
        g *= scale  # torch's way: the caller's gradients change
    return list(grads), total


def _value_right(grads, clip_value):
    if clip_value < 0:
        raise ValueError("clip_value")
    return [np.clip(g, -clip_value, clip_value) for g in grads]  # right: only clip_grad_norm is in place


def _norm_after(grads, max_norm, norm_type=2.0):
    _check(max_norm, norm_type)
    total = _norm(grads, norm_type)
    clipped = _scaled(grads, min(max_norm / (total + 1e-6), 1.0))
    return clipped, _norm(clipped, norm_type)


def _value_positive_only(grads, clip_value):
    if clip_value < 0:
        raise ValueError("clip_value")
    return [np.minimum(g, clip_value) for g in grads]


def _value_by_abs(grads, clip_value):
    if clip_value < 0:
        raise ValueError("clip_value")
    return [np.clip(np.abs(g), 0, clip_value) for g in grads]


MISTAKES = [
    mistake(
        "per_tensor_norm",
        title={"en": "each gradient clipped by its own norm", "zh": "每个梯度按各自的范数裁剪"},
        why={"en": "clip_grad_norm measures ONE norm over all the gradients together (as if flattened and joined) "
                   "and scales them all by the same factor, so the direction of the whole update is kept. "
                   "Clipping each gradient by its own norm changes that direction.",
             "zh": "clip_grad_norm 对所有梯度一起计算一个范数（相当于全部展平后拼接），并用同一个系数缩放全部梯度，"
                   "从而保持整体更新的方向。每个梯度按各自的范数裁剪会改变这个方向。"},
        clip_grad_norm=_per_tensor),
    mistake(
        "scale_always",
        title={"en": "the scale applied even when it is above 1", "zh": "系数大于 1 时也做了缩放"},
        why={"en": "max_norm / (total_norm + 1e-6) is above 1 when the gradients are already small enough; "
                   "multiplying by it blows them up to max_norm. Clamp it: min(that, 1.0).",
             "zh": "梯度本来就足够小时，max_norm / (total_norm + 1e-6) 大于 1；乘以它会把梯度放大到 max_norm。"
                   "要截断：min(这个值, 1.0)。"},
        clip_grad_norm=_scale_always),
    mistake(
        "no_eps",
        title={"en": "the 1e-6 left out of the scale", "zh": "系数里漏掉了 1e-6"},
        why={"en": "torch divides by total_norm + 1e-6, which keeps the scale finite for zero gradients and "
                   "changes it visibly when the norm itself is tiny. Write max_norm / (total_norm + 1e-6).",
             "zh": "torch 除以的是 total_norm + 1e-6：梯度全为零时系数仍是有限值，范数本身很小时系数也会明显不同。"
                   "请写成 max_norm / (total_norm + 1e-6)。"},
        clip_grad_norm=_no_eps),
    mistake(
        "eps_added_to_scale",
        title={"en": "1e-6 added to the scale instead of to the norm", "zh": "1e-6 加在了系数上而不是范数上"},
        why={"en": "The 1e-6 belongs in the denominator: max_norm / (total_norm + 1e-6). "
                   "max_norm / total_norm + 1e-6 is a different number, and still divides by zero for zero gradients.",
             "zh": "1e-6 应该放在分母里：max_norm / (total_norm + 1e-6)。max_norm / total_norm + 1e-6 是另一个数，"
                   "而且梯度全为零时仍会除以零。"},
        clip_grad_norm=_eps_added_to_scale),
    mistake(
        "inf_norm_as_two_norm",
        title={"en": "norm_type=inf computed as the 2-norm", "zh": "norm_type=inf 时仍按 2-范数计算"},
        why={"en": "The inf-norm is the largest absolute element, max |g| over all gradients; the p-norm formula "
                   "cannot be used with p = inf, so test for it (np.isinf(norm_type)) first.",
             "zh": "inf-范数是所有梯度中绝对值最大的元素 max |g|；p-范数的公式不能直接代入 p = inf，"
                   "要先判断（np.isinf(norm_type)）。"},
        clip_grad_norm=_inf_as_two),
    mistake(
        "clipped_in_place",
        title={"en": "the caller's gradients changed in place", "zh": "原地修改了调用者的梯度"},
        why={"en": "torch's clip_grad_norm_ (with the underscore) works in place, but this API returns new arrays "
                   "and leaves grads as they were: g * scale, not g *= scale.",
             "zh": "torch 的 clip_grad_norm_（带下划线）是原地操作，但这里的 API 要求返回新数组、保持 grads 不变："
                   "写 g * scale，而不是 g *= scale。"},
        clip_grad_norm=_in_place, clip_grad_value=_value_right),
    mistake(
        "norm_after_clipping",
        title={"en": "total_norm measured after clipping", "zh": "total_norm 是裁剪之后测量的"},
        why={"en": "As torch does, return the norm of the gradients you were given, before clipping: it is what "
                   "one logs to see how large the gradients really were (after clipping it is just max_norm).",
             "zh": "与 torch 一样，返回的是传入梯度在裁剪之前的范数：人们记录它来观察梯度真正有多大"
                   "（裁剪之后它不过就是 max_norm）。"},
        clip_grad_norm=_norm_after),
    mistake(
        "value_clip_positive_only",
        title={"en": "clip_grad_value clamps only from above", "zh": "clip_grad_value 只限制了上界"},
        why={"en": "Every element goes into [-clip_value, clip_value]: large negative values must be raised to "
                   "-clip_value too. np.clip(g, -clip_value, clip_value) does both sides.",
             "zh": "每个元素都要落在 [-clip_value, clip_value] 内：很小的负值也要提升到 -clip_value。"
                   "np.clip(g, -clip_value, clip_value) 会同时处理两侧。"},
        clip_grad_value=_value_positive_only),
    mistake(
        "value_clip_drops_sign",
        title={"en": "clip_grad_value clamps |g| and loses the sign", "zh": "clip_grad_value 裁剪了 |g|，丢掉了符号"},
        why={"en": "Clamping the absolute value makes every gradient positive, so the step goes the wrong way "
                   "wherever g < 0. Clamp g itself into [-clip_value, clip_value].",
             "zh": "对绝对值做裁剪会让所有梯度都变成正数，g < 0 的地方更新方向就反了。"
                   "应直接把 g 限制到 [-clip_value, clip_value] 内。"},
        clip_grad_value=_value_by_abs),
]
