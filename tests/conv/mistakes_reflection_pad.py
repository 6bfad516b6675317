"""Classic wrong answers to conv.reflection_pad, each named and explained (test code: np.pad is fine here)."""

import numbers

import numpy as np

from grader.testing.mistakes import mistake


def _strip(row, before, after, mode):
    """The cells added before and after along the last axis, for pads >= 0."""
    n = row.shape[-1]
    if mode == "symmetric":
        return row[..., :before][..., ::-1], row[..., n - after:][..., ::-1]
    if mode == "not_reversed":
        return row[..., 1:before + 1], row[..., n - 1 - after:n - 1]
    if mode == "circular":
        return row[..., n - before:], row[..., :after]
    return row[..., 1:before + 1][..., ::-1], row[..., n - 1 - after:n - 1][..., ::-1]


def _pad_last(x, before, after, mode, negative):
    n = x.shape[-1]
    if before >= n or after >= n:
        raise ValueError("each pad must be smaller than the size")
    if negative == "ignored":
        before, after = max(before, 0), max(after, 0)
    left, right = _strip(x, max(before, 0), max(after, 0), mode)
    out = np.concatenate([left, x, right], axis=-1)
    start, stop = max(-before, 0), out.shape[-1] - max(-after, 0)
    if stop - start < 1:
        raise ValueError("nothing left")
    return out[..., start:stop]


def _ints(padding, count):
    return (int(padding),) * count if isinstance(padding, numbers.Integral) else tuple(int(p) for p in padding)


def _pad1d(mode="reflect", negative="crop", swap=False):
    def reflection_pad1d(x, padding):
        x = np.asarray(x)
        if x.ndim not in (2, 3):
            raise ValueError("x must be 2-D or 3-D")
        left, right = _ints(padding, 2)
        if swap:
            left, right = right, left
        return _pad_last(x, left, right, mode, negative)
    return reflection_pad1d


def _pad2d(mode="reflect", negative="crop", swap=False, rows_first=False):
    def reflection_pad2d(x, padding):
        x = np.asarray(x)
        if x.ndim not in (3, 4):
            raise ValueError("x must be 3-D or 4-D")
        p = _ints(padding, 4)
        if len(p) != 4:
            raise ValueError("padding must have 4 entries")
        left, right, top, bottom = (p[2], p[3], p[0], p[1]) if rows_first else p
        if swap:
            left, right, top, bottom = right, left, bottom, top
        out = _pad_last(x, left, right, mode, negative)
        return np.swapaxes(_pad_last(np.swapaxes(out, -1, -2), top, bottom, mode, negative), -1, -2)
    return reflection_pad2d


MISTAKES = [
    mistake(
        "edge_repeated",
        title={"en": "the edge cell repeated (symmetric padding)", "zh": "边缘的格子被重复了（对称填充）"},
        why={"en": "Reflection padding mirrors the row AT its edge cell, which appears once: [a, b, c, d] padded by 2 "
                   "on the left starts [c, b, a, ...]. Starting [b, a, a, ...] is NumPy's 'symmetric' mode. Take the "
                   "strip from index 1 onwards, x[..., 1:left + 1][..., ::-1], not from index 0.",
             "zh": "反射填充以边缘的格子本身为镜面，这个格子只出现一次：[a, b, c, d] 左边填充 2 个，开头是 [c, b, a, ...]。"
                   "开头是 [b, a, a, ...] 的是 NumPy 的 'symmetric' 模式。镜像的那一段要从下标 1 开始取，"
                   "即 x[..., 1:left + 1][..., ::-1]，而不是从下标 0 开始。"},
        reflection_pad1d=_pad1d(mode="symmetric"), reflection_pad2d=_pad2d(mode="symmetric")),
    mistake(
        "strip_not_reversed",
        title={"en": "the reflected strip not reversed", "zh": "镜像的那一段没有反转"},
        why={"en": "A reflection reads away from the edge: the cell next to the edge goes right next to it, the one "
                   "after that further out. x[..., 1:left + 1] is in the wrong order; reverse it with [..., ::-1] "
                   "(and the same on the right side).",
             "zh": "反射是从边缘向外读：紧挨边缘的格子放在边缘旁边，再下一个放得更远。x[..., 1:left + 1] 的顺序反了，"
                   "要用 [..., ::-1] 把它反转（右边同理）。"},
        reflection_pad1d=_pad1d(mode="not_reversed"), reflection_pad2d=_pad2d(mode="not_reversed")),
    mistake(
        "wrapped_around",
        title={"en": "cells from the opposite end (circular padding)", "zh": "用了另一端的格子（循环填充）"},
        why={"en": "Reflection copies cells from the SAME end, mirrored: the left pad comes from the first cells of "
                   "the row. Taking the last cells for the left pad (and the first for the right) wraps the row "
                   "around, which is circular padding.",
             "zh": "反射填充从同一端取格子并做镜像：左边的填充来自这一行开头的那些格子。用最后几个格子填左边（用开头的格子填右边）"
                   "就成了首尾相接，那是循环填充。"},
        reflection_pad1d=_pad1d(mode="circular"), reflection_pad2d=_pad2d(mode="circular")),
    mistake(
        "padding_read_rows_first",
        title={"en": "the 2-D padding read as (top, bottom, left, right)", "zh": "把二维的 padding 当成了 (上, 下, 左, 右)"},
        why={"en": "torch lists pads from the LAST axis backwards: (left, right, top, bottom), the width first. So "
                   "padding[0] and padding[1] go on the columns and padding[2] and padding[3] on the rows.",
             "zh": "torch 从最后一个维度往前列出填充量：(左, 右, 上, 下)，先写宽度方向。所以 padding[0] 和 padding[1] 作用于列，"
                   "padding[2] 和 padding[3] 作用于行。"},
        reflection_pad2d=_pad2d(rows_first=True)),
    mistake(
        "sides_swapped",
        title={"en": "the two pads of a pair swapped", "zh": "一对填充量的两边弄反了"},
        why={"en": "In each pair the first number is the start of the axis (left, or top) and the second its end "
                   "(right, or bottom). padding=(1, 3) puts 1 cell before the row and 3 after it.",
             "zh": "每一对里第一个数是该维度开头（左边或上边）的填充量，第二个是末尾（右边或下边）的填充量。"
                   "padding=(1, 3) 表示在前面加 1 个格子，在后面加 3 个。"},
        reflection_pad1d=_pad1d(swap=True), reflection_pad2d=_pad2d(swap=True)),
    mistake(
        "negative_padding_ignored",
        title={"en": "a negative pad treated as 0", "zh": "把负的填充量当成 0"},
        why={"en": "torch accepts a negative pad and removes that many cells from its side. Reflect the positive "
                   "sides, then cut the negative ones off; with index arithmetic, output t shows input t - left, "
                   "which already starts inside the row when left < 0.",
             "zh": "torch 接受负的填充量，并从那一侧去掉相应个数的格子。先对正的那些边做反射，再把负的那些边裁掉；"
                   "如果用下标计算，输出的第 t 个格子对应输入的第 t - left 个，left < 0 时自然就从行的内部开始。"},
        reflection_pad1d=_pad1d(negative="ignored"), reflection_pad2d=_pad2d(negative="ignored")),
]
