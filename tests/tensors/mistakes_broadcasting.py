"""Classic wrong answers to tensors.broadcasting, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake


def _rule(padded_shapes):
    """The size rule on shapes already padded to one length: equal, or 1 stretches."""
    result = list(padded_shapes[0])
    for shape in padded_shapes[1:]:
        for i, (have, new) in enumerate(zip(result, shape)):
            if new == have or new == 1:
                continue
            if have != 1:
                raise ValueError(f"sizes {have} and {new} do not fit")
            result[i] = new
    return tuple(result)


def _pad_right(shape, ndim):
    return tuple(shape) + (1,) * (ndim - len(shape))


def _pad_left(shape, ndim):
    return (1,) * (ndim - len(shape)) + tuple(shape)


# --- shapes lined up from the left (trailing 1s added instead of leading ones)

def _shapes_left(*shapes):
    ndim = max((len(s) for s in shapes), default=0)
    return _rule([_pad_right(s, ndim) for s in shapes] or [()])


def _to_left(x, shape):
    x = np.asarray(x)
    shape = tuple(shape)
    padded = _pad_right(x.shape, len(shape))
    if len(shape) < x.ndim or _rule([padded, shape]) != shape:
        raise ValueError("x does not fit shape")
    out = x.reshape(padded)
    for axis, size in enumerate(shape):
        if out.shape[axis] != size:
            out = np.repeat(out, size, axis=axis)
    return out


def _unbroadcast_left(grad, shape):
    grad = np.asarray(grad)
    shape = tuple(shape)
    out = grad.sum(axis=tuple(range(len(shape), grad.ndim)))
    ones = tuple(i for i, n in enumerate(shape) if n == 1 and out.shape[i] != 1)
    return out.sum(axis=ones, keepdims=True)


# --- the larger size wins, with no check

def _shapes_max(*shapes):
    ndim = max((len(s) for s in shapes), default=0)
    padded = [_pad_left(s, ndim) for s in shapes]
    return tuple(max(sizes) for sizes in zip(*padded)) if padded else ()


# --- broadcast_to filling the target by repeating the flat data

def _to_resize(x, shape):
    return np.resize(np.asarray(x), tuple(shape))


# --- unbroadcast variants

def _lead(grad, shape):
    return tuple(range(np.ndim(grad) - len(shape)))


def _stretched(grad, shape):
    """Axes of grad (counted from its front) where `shape`, lined up from the right, has a 1."""
    offset = np.ndim(grad) - len(shape)
    return tuple(offset + i for i, n in enumerate(shape) if n == 1 and np.shape(grad)[offset + i] != 1)


def _unbroadcast_leading_only(grad, shape):
    return np.asarray(grad).sum(axis=_lead(grad, shape))


def _unbroadcast_ones_only(grad, shape):
    return np.asarray(grad).sum(axis=_stretched(grad, shape), keepdims=True)


def _unbroadcast_no_keepdims(grad, shape):
    return np.asarray(grad).sum(axis=_lead(grad, shape) + _stretched(grad, shape))


def _unbroadcast_mean(grad, shape):
    out = np.asarray(grad).mean(axis=_lead(grad, shape))
    ones = tuple(i for i, n in enumerate(shape) if n == 1 and out.shape[i] != 1)
    return out.mean(axis=ones, keepdims=True)


MISTAKES = [
    mistake(
        "left_aligned",
        title={"en": "shapes lined up from the left", "zh": "从左边对齐形状"},
        why={"en": "Broadcasting compares sizes starting from the LAST dimension: a shorter shape gets "
                   "extra 1s at the front, so (5,) next to (1, 1) acts as (1, 5), not (5, 1). Pad with "
                   "leading 1s: (1,) * (ndim - len(shape)) + shape.",
             "zh": "广播从最后一维开始比较大小：较短的形状在前面补 1，所以 (5,) 与 (1, 1) 相遇时相当于 (1, 5)，"
                   "而不是 (5, 1)。应在前面补 1：(1,) * (ndim - len(shape)) + shape。"},
        broadcast_shapes=_shapes_left, broadcast_to=_to_left, unbroadcast=_unbroadcast_left),
    mistake(
        "max_size",
        title={"en": "taking the larger size in every dimension", "zh": "每一维都取较大的那个大小"},
        why={"en": "Only a size of exactly 1 may stretch. Taking max() accepts 2 next to 3 (which must raise "
                   "ValueError) and turns 1 next to 0 into 1 (the answer is 0). Per dimension: equal sizes "
                   "stay, a 1 takes the other size, anything else is an error.",
             "zh": "只有大小恰好为 1 的维度才能被拉伸。取 max() 会接受 2 和 3（本应抛出 ValueError），"
                   "还会把 1 和 0 变成 1（正确答案是 0）。逐维判断：相等就保留，是 1 就取另一个大小，否则报错。"},
        broadcast_shapes=_shapes_max),
    mistake(
        "resize_fill",
        title={"en": "filling the target with np.resize", "zh": "用 np.resize 填满目标形状"},
        why={"en": "np.resize repeats the flattened data until the new shape is full, which only looks right "
                   "when x is a row. A (3, 1) column stretched to (3, 4) must repeat each value along its "
                   "row. Reshape x to the target's number of dimensions and np.repeat along each size-1 axis.",
             "zh": "np.resize 会把展平后的数据反复填入新形状，只有当 x 是一行时结果才碰巧正确。把 (3, 1) 的列"
                   "拉伸到 (3, 4) 时，每个值应沿自己那一行重复。先把 x reshape 成目标的维数，再沿每个大小为 1 的"
                   "维度用 np.repeat。"},
        broadcast_to=_to_resize),
    mistake(
        "leading_only",
        title={"en": "unbroadcast summing only the leading dimensions", "zh": "unbroadcast 只对多出来的前导维求和"},
        why={"en": "A size-1 dimension of the input was copied along that dimension too, so its gradient "
                   "must also be summed there: after summing the leading dimensions, sum with keepdims=True "
                   "over every axis where `shape` has a 1 and grad does not.",
             "zh": "输入中大小为 1 的维度也被沿该维复制了，所以那里的梯度同样要求和：对前导维求和之后，"
                   "还要在 `shape` 为 1 而 grad 不为 1 的每个维度上用 keepdims=True 求和。"},
        unbroadcast=_unbroadcast_leading_only),
    mistake(
        "ones_only",
        title={"en": "unbroadcast forgetting the leading dimensions", "zh": "unbroadcast 漏掉了前导维"},
        why={"en": "Dimensions that the input did not have at all were added at the front by broadcasting; "
                   "every slice along them used the same input, so sum grad over those leading axes first "
                   "(without keepdims: they must disappear), then over the size-1 axes.",
             "zh": "输入原本没有的维度是广播时加在前面的；沿这些维度的每个切片用的都是同一个输入，"
                   "所以先在这些前导维上对 grad 求和（不要 keepdims，它们必须消失），再处理大小为 1 的维度。"},
        unbroadcast=_unbroadcast_ones_only),
    mistake(
        "no_keepdims",
        title={"en": "unbroadcast dropping the size-1 dimensions", "zh": "unbroadcast 把大小为 1 的维度丢掉了"},
        why={"en": "The result must have exactly `shape`, size-1 dimensions included: (3, 1) stays (3, 1), "
                   "not (3,). Sum the leading axes away, but sum the size-1 axes with keepdims=True.",
             "zh": "结果的形状必须正好是 `shape`，包括大小为 1 的维度：(3, 1) 仍是 (3, 1)，而不是 (3,)。"
                   "前导维求和后去掉，大小为 1 的维度要用 keepdims=True 求和。"},
        unbroadcast=_unbroadcast_no_keepdims),
    mistake(
        "mean_not_sum",
        title={"en": "unbroadcast averaging instead of summing", "zh": "unbroadcast 用了平均而不是求和"},
        why={"en": "Each input entry was used once per copy, and the chain rule adds the contributions of all "
                   "the places a value was used. Sum over the broadcast axes; do not divide by their size.",
             "zh": "输入的每个元素在每个副本中都被使用了一次，链式法则要把它被使用的所有位置的贡献加起来。"
                   "应对广播出来的维度求和，不要除以它们的大小。"},
        unbroadcast=_unbroadcast_mean),
]
