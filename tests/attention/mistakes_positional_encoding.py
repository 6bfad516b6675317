"""Classic wrong answers to attention.positional_encoding, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake


def _validated(wrong):
    """The wrong table, behind the same input checks as a correct answer (the mistake is in the table only)."""
    def run(seq_len, d_model):
        if seq_len < 0 or d_model < 1 or d_model % 2:
            raise ValueError(f"bad sizes seq_len={seq_len}, d_model={d_model}")
        return wrong(seq_len, d_model)
    return run


def _interleave(sines, cosines):
    seq_len, half = sines.shape
    pe = np.empty((seq_len, 2 * half))
    pe[:, 0::2] = sines
    pe[:, 1::2] = cosines
    return pe


def _pair_angles(seq_len, d_model, exponent, start=0):
    """Angles p * 10000^(-exponent[i]) for every position p and column pair i."""
    position = np.arange(start, start + seq_len, dtype=np.float64)[:, None]
    with np.errstate(over="ignore"):
        return position / 10000.0 ** exponent


def _correct_exponent(d_model):
    return np.arange(0, d_model, 2) / d_model


def _swapped(seq_len, d_model):
    angle = _pair_angles(seq_len, d_model, _correct_exponent(d_model))
    return _interleave(np.cos(angle), np.sin(angle))


def _pair_index_exponent(seq_len, d_model):
    angle = _pair_angles(seq_len, d_model, np.arange(d_model // 2) / d_model)
    return _interleave(np.sin(angle), np.cos(angle))


def _column_index_doubled(seq_len, d_model):
    angle = _pair_angles(seq_len, d_model, 2 * np.arange(0, d_model, 2) / d_model)
    return _interleave(np.sin(angle), np.cos(angle))


def _column_index_exponent(seq_len, d_model):
    position = np.arange(seq_len, dtype=np.float64)[:, None]
    angle = position / 10000.0 ** (np.arange(d_model) / d_model)
    return _interleave(np.sin(angle[:, 0::2]), np.cos(angle[:, 1::2]))


def _positions_from_one(seq_len, d_model):
    angle = _pair_angles(seq_len, d_model, _correct_exponent(d_model), start=1)
    return _interleave(np.sin(angle), np.cos(angle))


def _halves(seq_len, d_model):
    angle = _pair_angles(seq_len, d_model, _correct_exponent(d_model))
    return np.concatenate([np.sin(angle), np.cos(angle)], axis=1)


def _no_division_by_d_model(seq_len, d_model):
    angle = _pair_angles(seq_len, d_model, np.arange(0, d_model, 2, dtype=np.float64))
    return _interleave(np.sin(angle), np.cos(angle))


MISTAKES = [
    mistake(
        "sin_cos_swapped",
        title={"en": "cosines in the even columns, sines in the odd ones", "zh": "偶数列放了余弦、奇数列放了正弦"},
        why={"en": "Column 2i holds sin(p * w_i) and column 2i+1 holds cos(p * w_i). With them swapped, "
                   "position 0 reads [1, 0, 1, 0, ...] instead of [0, 1, 0, 1, ...]. Write the sine to "
                   "pe[:, 0::2] and the cosine to pe[:, 1::2].",
             "zh": "第 2i 列是 sin(p * w_i)，第 2i+1 列是 cos(p * w_i)。两者交换后，位置 0 那一行变成 "
                   "[1, 0, 1, 0, ...] 而不是 [0, 1, 0, 1, ...]。把正弦写进 pe[:, 0::2]，余弦写进 pe[:, 1::2]。"},
        sinusoidal_positional_encoding=_validated(_swapped)),
    mistake(
        "pair_index_exponent",
        title={"en": "exponent i / d_model instead of 2i / d_model", "zh": "指数用了 i / d_model 而不是 2i / d_model"},
        why={"en": "Pair i (columns 2i and 2i+1) uses 10000^(2i / d_model), so the exponent runs over the even "
                   "numbers 0, 2, 4, ... up to d_model - 2. Counting pairs 0, 1, 2, ... without doubling makes "
                   "the frequencies fall only half as fast. Use np.arange(0, d_model, 2) / d_model.",
             "zh": "第 i 对（第 2i、2i+1 列）用的是 10000^(2i / d_model)，指数取偶数 0, 2, 4, ... 直到 d_model - 2。"
                   "直接用对的序号 0, 1, 2, ... 而不乘 2，频率只会下降一半那么快。请用 np.arange(0, d_model, 2) / d_model。"},
        sinusoidal_positional_encoding=_validated(_pair_index_exponent)),
    mistake(
        "column_index_doubled",
        title={"en": "exponent 2j / d_model with j the (even) column index", "zh": "指数用了 2j / d_model，其中 j 是（偶数）列号"},
        why={"en": "If a loop steps over the even columns j = 0, 2, 4, ..., then j already is 2i: the exponent is "
                   "j / d_model, not 2j / d_model. Doubling it again makes the frequencies fall twice as fast "
                   "and the last columns go almost constant.",
             "zh": "如果循环按偶数列 j = 0, 2, 4, ... 走，那么 j 本身就等于 2i：指数应该是 j / d_model，而不是 "
                   "2j / d_model。再乘一次 2，频率会下降得快一倍，后面几列几乎成了常数。"},
        sinusoidal_positional_encoding=_validated(_column_index_doubled)),
    mistake(
        "column_index_exponent",
        title={"en": "each column using its own index j in the exponent", "zh": "每一列在指数里用了自己的列号 j"},
        why={"en": "The sine and the cosine of one pair share one angle. Column 2i+1 must use the same "
                   "frequency 1/10000^(2i / d_model) as column 2i, not 1/10000^((2i+1) / d_model). Compute one "
                   "angle per pair (d_model // 2 of them) and take both sin and cos of it.",
             "zh": "同一对里的正弦和余弦共用一个角度。第 2i+1 列必须和第 2i 列使用相同的频率 "
                   "1/10000^(2i / d_model)，而不是 1/10000^((2i+1) / d_model)。每一对只算一个角度（共 d_model // 2 个），"
                   "再分别取 sin 和 cos。"},
        sinusoidal_positional_encoding=_validated(_column_index_exponent)),
    mistake(
        "positions_from_one",
        title={"en": "positions counted from 1", "zh": "位置从 1 开始计数"},
        why={"en": "The first token sits at position 0, so row 0 is sin(0) = 0 and cos(0) = 1 in every pair. "
                   "Use np.arange(seq_len), not np.arange(1, seq_len + 1).",
             "zh": "第一个 token 的位置是 0，所以第 0 行每一对都是 sin(0) = 0 和 cos(0) = 1。"
                   "请用 np.arange(seq_len)，而不是 np.arange(1, seq_len + 1)。"},
        sinusoidal_positional_encoding=_validated(_positions_from_one)),
    mistake(
        "halves_not_interleaved",
        title={"en": "all sines first, then all cosines", "zh": "先放全部正弦，再放全部余弦"},
        why={"en": "Concatenating [sin | cos] puts pair i's sine in column i and its cosine in column "
                   "d_model/2 + i. The table interleaves them: sine in column 2i, cosine right after it in "
                   "column 2i+1. Assign with the strided slices pe[:, 0::2] and pe[:, 1::2].",
             "zh": "把 [sin | cos] 拼接起来，会让第 i 对的正弦落在第 i 列、余弦落在第 d_model/2 + i 列。"
                   "正确的表是交错排列的：正弦在第 2i 列，余弦紧跟在第 2i+1 列。请用步长切片 pe[:, 0::2] 和 pe[:, 1::2] 赋值。"},
        sinusoidal_positional_encoding=_validated(_halves)),
    mistake(
        "exponent_not_divided",
        title={"en": "exponent 2i without dividing by d_model", "zh": "指数 2i 没有除以 d_model"},
        why={"en": "10000^(2i) is astronomically large for every pair but the first, so those angles are all 0 "
                   "and the columns read 0, 1, 0, 1 at every position. The exponent 2i / d_model runs from 0 "
                   "to just under 1, spreading the wavelengths between 2*pi and 10000 * 2*pi.",
             "zh": "除第一对外，10000^(2i) 都大得离谱，角度几乎全是 0，于是每个位置这些列都是 0, 1, 0, 1。"
                   "指数 2i / d_model 的范围是 0 到略小于 1，这样波长才会分布在 2*pi 到 10000 * 2*pi 之间。"},
        sinusoidal_positional_encoding=_validated(_no_division_by_d_model)),
]
