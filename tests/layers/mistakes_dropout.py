"""Classic wrong answers to layers.dropout, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake


def _keep(x, p, rng):
    """The correct mask: True with probability 1 - p."""
    rng = np.random.default_rng() if rng is None else rng
    return rng.random(x.shape) >= p


def _p_ok(p):
    if not 0 <= p <= 1:
        raise ValueError("p out of range")


def _no_scale(x, p=0.5, training=True, rng=None):
    _p_ok(p)
    if not training:
        return x.copy()
    return (x * _keep(x, p, rng)).astype(x.dtype)


def _scale_by_p(x, p=0.5, training=True, rng=None):
    _p_ok(p)
    if not training:
        return x.copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        return (x * _keep(x, p, rng) / p).astype(x.dtype)


def _keep_with_p(x, p=0.5, training=True, rng=None):
    _p_ok(p)
    if not training:
        return x.copy()
    rng = np.random.default_rng() if rng is None else rng
    keep = rng.random(x.shape) < p
    with np.errstate(divide="ignore", invalid="ignore"):
        return (x * keep / (1 - p)).astype(x.dtype)


def _still_drops(x, p=0.5, training=True, rng=None):
    _p_ok(p)
    if p == 1:
        return np.zeros_like(x)
    return (x * _keep(x, p, rng) / (1 - p)).astype(x.dtype)


def _classic(x, p=0.5, training=True, rng=None):
    _p_ok(p)
    if not training:
        return (x * (1 - p)).astype(x.dtype)
    return (x * _keep(x, p, rng)).astype(x.dtype)


def _nan_at_one(x, p=0.5, training=True, rng=None):
    _p_ok(p)
    if not training:
        return x.copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        return (x * _keep(x, p, rng) / (1 - p)).astype(x.dtype)


def _ignores_rng(x, p=0.5, training=True, rng=None):
    _p_ok(p)
    if not training or p == 0:
        return x.copy()
    if p == 1:
        return np.zeros_like(x)
    return (x * _keep(x, p, np.random.default_rng()) / (1 - p)).astype(x.dtype)


def _reseeded(x, p=0.5, training=True, rng=None):
    _p_ok(p)
    if not training or p == 0:
        return x.copy()
    if p == 1:
        return np.zeros_like(x)
    return (x * _keep(x, p, np.random.default_rng(0)) / (1 - p)).astype(x.dtype)


MISTAKES = [
    mistake(
        "no_scale",
        title={"en": "dropout without dividing by 1 - p", "zh": "dropout 没有除以 1 - p"},
        why={"en": "Zeroing a fraction p of the values shrinks the expected output to (1 - p) * x. Inverted "
                   "dropout divides the survivors by 1 - p during training so the average stays x and "
                   "evaluation needs no change.",
             "zh": "把比例为 p 的元素置零后，输出的期望会缩小为 (1 - p) * x。反向（inverted）dropout 在训练时把"
                   "保留下来的元素除以 1 - p，使期望仍等于 x，评估时就无需任何调整。"},
        dropout=_no_scale),
    mistake(
        "scale_by_p",
        title={"en": "survivors divided by p instead of 1 - p", "zh": "保留的元素除以了 p 而不是 1 - p"},
        why={"en": "p is the probability of DROPPING an element; an element survives with probability 1 - p, "
                   "so that is what to divide by: x / (1 - p).",
             "zh": "p 是元素被丢弃的概率；元素被保留的概率是 1 - p，所以应该除以 1 - p：x / (1 - p)。"},
        dropout=_scale_by_p),
    mistake(
        "keep_with_p",
        title={"en": "keeping elements with probability p", "zh": "以概率 p 保留元素"},
        why={"en": "In PyTorch's dropout, p is the probability that an element is ZEROED. With u uniform in "
                   "[0, 1), keep the element when u >= p (probability 1 - p), not when u < p.",
             "zh": "在 PyTorch 的 dropout 中，p 是元素被置零的概率。设 u 在 [0, 1) 上均匀分布，"
                   "应在 u >= p 时保留元素（概率为 1 - p），而不是 u < p 时。"},
        dropout=_keep_with_p),
    mistake(
        "eval_still_drops",
        title={"en": "dropout still applied when training=False", "zh": "training=False 时仍然在做 dropout"},
        why={"en": "Dropout is a training-time trick. When training is False, return x unchanged: no mask "
                   "and no scaling (the 1 / (1 - p) in training already keeps the averages right).",
             "zh": "dropout 只在训练时使用。training 为 False 时直接返回 x：不加掩码也不缩放"
                   "（训练时的 1 / (1 - p) 已经保证了期望正确）。"},
        dropout=_still_drops),
    mistake(
        "classic_scaling",
        title={"en": "scaling by 1 - p at evaluation instead of during training",
               "zh": "在评估时乘以 1 - p，而不是在训练时缩放"},
        why={"en": "That is the original, non-inverted dropout. PyTorch (and this exercise) scales during "
                   "training, dividing the survivors by 1 - p, so that evaluation is the plain identity.",
             "zh": "这是最初的、非反向的 dropout。PyTorch（以及本练习）在训练时缩放，把保留的元素除以 1 - p，"
                   "这样评估时就是原样返回。"},
        dropout=_classic),
    mistake(
        "nan_at_p_one",
        title={"en": "dividing by 1 - p even when p = 1", "zh": "p = 1 时仍然除以 1 - p"},
        why={"en": "With p = 1 every element is dropped and 1 - p is 0, so mask * x / (1 - p) is 0 / 0 = NaN. "
                   "Handle p = 1 on its own: the answer is all zeros (np.zeros_like(x)).",
             "zh": "p = 1 时所有元素都被丢弃，而 1 - p 为 0，于是 mask * x / (1 - p) 变成 0 / 0 = NaN。"
                   "单独处理 p = 1：结果全为零（np.zeros_like(x)）。"},
        dropout=_nan_at_one),
    mistake(
        "ignores_rng",
        title={"en": "a mask that ignores the rng argument", "zh": "掩码没有使用传入的 rng"},
        why={"en": "The caller passes rng to make runs reproducible: the same seed must give the same mask. "
                   "Draw the mask from rng (rng.random(x.shape)); make a new generator only when rng is None.",
             "zh": "调用者传入 rng 是为了结果可复现：同一个种子必须得到同一个掩码。用 rng 生成掩码"
                   "（rng.random(x.shape)）；只有 rng 为 None 时才新建生成器。"},
        dropout=_ignores_rng),
    mistake(
        "reseeded",
        title={"en": "a generator re-seeded on every call", "zh": "每次调用都重新设定随机种子"},
        why={"en": "Creating a generator from a fixed seed inside dropout gives the same mask on every call, "
                   "so the same units are dropped at every training step. Use the rng you are given; it "
                   "moves on after each draw, so each call gets a new mask.",
             "zh": "在 dropout 内部用固定种子创建生成器，每次调用都会得到同一个掩码，于是每个训练步都丢弃同样的"
                   "单元。请使用传入的 rng；它每次抽样后状态都会前进，每次调用就会得到新的掩码。"},
        dropout=_reseeded),
]
