"""Classic wrong answers to rnn.rnn, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake


def _checks(x, h, w_ih, w_hh, b_ih, b_hh, nonlinearity):
    """The input checks of a correct answer, so that each entry differs only by its own mistake."""
    if nonlinearity not in ("tanh", "relu"):
        raise ValueError("unknown nonlinearity")
    if np.ndim(x) != 2 or np.ndim(h) != 2 or len(x) != len(h):
        raise ValueError("x and h do not fit")
    H, I = np.shape(h)[1], np.shape(x)[1]
    if [np.shape(a) for a in (w_ih, w_hh, b_ih, b_hh)] != [(H, I), (H, H), (H,), (H,)]:
        raise ValueError("weights do not fit")


def _act(a, nonlinearity):
    return np.tanh(a) if nonlinearity == "tanh" else np.maximum(a, 0)


def _pre(x, h, w_ih, w_hh, b_ih, b_hh):
    return x @ w_ih.T + b_ih + h @ w_hh.T + b_hh


def _cell(x, h, w_ih, w_hh, b_ih, b_hh, nonlinearity="tanh"):
    _checks(x, h, w_ih, w_hh, b_ih, b_hh, nonlinearity)
    return _act(_pre(x, h, w_ih, w_hh, b_ih, b_hh), nonlinearity)


def _cell_one_bias(x, h, w_ih, w_hh, b_ih, b_hh, nonlinearity="tanh"):
    _checks(x, h, w_ih, w_hh, b_ih, b_hh, nonlinearity)
    return _act(x @ w_ih.T + h @ w_hh.T + b_ih, nonlinearity)


def _cell_untransposed(x, h, w_ih, w_hh, b_ih, b_hh, nonlinearity="tanh"):
    _checks(x, h, w_ih, w_hh, b_ih, b_hh, nonlinearity)
    return _act(x @ w_ih + b_ih + h @ w_hh + b_hh, nonlinearity)  # runs only when I == H


def _cell_always_tanh(x, h, w_ih, w_hh, b_ih, b_hh, nonlinearity="tanh"):
    _checks(x, h, w_ih, w_hh, b_ih, b_hh, nonlinearity)
    return np.tanh(_pre(x, h, w_ih, w_hh, b_ih, b_hh))


def _seq_checks(x, h0):
    if np.ndim(x) != 3 or np.ndim(h0) != 2:
        raise ValueError("x or h0 has the wrong rank")


def _seq_from(cell):
    """A correct loop over time around a (possibly wrong) cell."""
    def rnn(x, h0, w_ih, w_hh, b_ih, b_hh, nonlinearity="tanh"):
        _seq_checks(x, h0)
        h, outputs = h0, []
        for t in range(x.shape[0]):
            h = cell(x[t], h, w_ih, w_hh, b_ih, b_hh, nonlinearity)
            outputs.append(h)
        return np.stack(outputs), h
    return rnn


def _rnn_h0_reused(x, h0, w_ih, w_hh, b_ih, b_hh, nonlinearity="tanh"):
    _seq_checks(x, h0)
    outputs = [_cell(x[t], h0, w_ih, w_hh, b_ih, b_hh, nonlinearity) for t in range(x.shape[0])]
    return np.stack(outputs), outputs[-1]


def _rnn_output_preactivations(x, h0, w_ih, w_hh, b_ih, b_hh, nonlinearity="tanh"):
    _seq_checks(x, h0)
    h, outputs = h0, []
    for t in range(x.shape[0]):
        _checks(x[t], h, w_ih, w_hh, b_ih, b_hh, nonlinearity)
        a = _pre(x[t], h, w_ih, w_hh, b_ih, b_hh)
        outputs.append(a)
        h = _act(a, nonlinearity)
    return np.stack(outputs), h


def _rnn_layered_h_n(x, h0, w_ih, w_hh, b_ih, b_hh, nonlinearity="tanh"):
    output, h_n = _seq_from(_cell)(x, h0, w_ih, w_hh, b_ih, b_hh, nonlinearity)
    return output, h_n[None]


def _cell_mistake(key, title, why, cell):
    """A wrong cell breaks rnn too: the entry replaces both, so the tests of either can name it."""
    return mistake(key, title=title, why=why, rnn_cell=cell, rnn=_seq_from(cell))


MISTAKES = [
    _cell_mistake(
        "one_bias",
        {"en": "leaving out b_hh", "zh": "漏掉了 b_hh"},
        {"en": "PyTorch's RNN has two bias vectors, one on the input side and one on the recurrent side, and "
               "adds both: x @ w_ih.T + b_ih + h @ w_hh.T + b_hh. Together they act like one bias, but each "
               "is a parameter of its own, so leaving one out shifts every pre-activation.",
         "zh": "PyTorch 的 RNN 有两个偏置向量，一个在输入侧，一个在循环侧，两个都要加：x @ w_ih.T + b_ih + "
               "h @ w_hh.T + b_hh。合起来它们相当于一个偏置，但各自都是独立的参数，漏掉一个会让每个预激活都偏移。"},
        _cell_one_bias),
    _cell_mistake(
        "weights_not_transposed",
        {"en": "x @ w_ih and h @ w_hh without transposing", "zh": "x @ w_ih 和 h @ w_hh 没有转置"},
        {"en": "The weights are stored as PyTorch stores them, one row per hidden unit: w_ih is (H, I) and "
               "w_hh is (H, H). A row of x (I values) meets a row of w_ih, so the product is x @ w_ih.T; "
               "without .T it only runs when I == H, and then it mixes the wrong entries.",
         "zh": "权重按 PyTorch 的方式存放，每个隐藏单元占一行：w_ih 是 (H, I)，w_hh 是 (H, H)。x 的一行（I 个数）"
               "要和 w_ih 的一行相乘，所以乘积是 x @ w_ih.T；不加 .T 的话只有 I == H 时才能运行，而且乘错了元素。"},
        _cell_untransposed),
    _cell_mistake(
        "relu_ignored",
        {"en": "tanh used even with nonlinearity=\"relu\"", "zh": "nonlinearity=\"relu\" 时仍然用了 tanh"},
        {"en": "nonlinearity picks the squashing function: \"tanh\" (the default) gives tanh(a), \"relu\" gives "
               "max(0, a), which is not bounded above. Read the argument and apply the one it names.",
         "zh": "nonlinearity 决定用哪个激活函数：\"tanh\"（默认）得到 tanh(a)，\"relu\" 得到 max(0, a)，后者没有上界。"
               "要读取这个参数，用它指定的那个函数。"},
        _cell_always_tanh),
    mistake(
        "h0_reused",
        title={"en": "every step starting again from h0", "zh": "每一步都从 h0 重新开始"},
        why={"en": "A recurrent layer passes its state on: step t + 1 reads the h that step t returned. "
                   "h0 is only the state before the first step; keep a variable h, start it at h0 and "
                   "overwrite it with each step's result.",
             "zh": "循环层要把状态传下去：第 t + 1 步读取的是第 t 步返回的 h。h0 只是第一步之前的状态；"
                   "用一个变量 h，初值为 h0，每一步用结果覆盖它。"},
        rnn=_rnn_h0_reused),
    mistake(
        "output_preactivations",
        title={"en": "output holding the pre-activations", "zh": "output 存的是激活之前的值"},
        why={"en": "output[t] is the hidden state after step t, the value after tanh (or ReLU), the same h "
                   "that is passed to the next step. Store h, not x @ w_ih.T + b_ih + h @ w_hh.T + b_hh.",
             "zh": "output[t] 是第 t 步之后的隐藏状态，即经过 tanh（或 ReLU）之后的值，也就是传给下一步的那个 h。"
                   "要保存 h，而不是 x @ w_ih.T + b_ih + h @ w_hh.T + b_hh。"},
        rnn=_rnn_output_preactivations),
    mistake(
        "h_n_layered",
        title={"en": "h_n returned as (1, N, H)", "zh": "h_n 以 (1, N, H) 的形状返回"},
        why={"en": "torch.nn.RNN returns h_n with a leading axis for the number of layers, but here the "
                   "states are (N, H), like h0: return the last hidden state itself, which equals output[-1].",
             "zh": "torch.nn.RNN 返回的 h_n 前面多一维表示层数，但这里的状态都是 (N, H)，与 h0 相同："
                   "直接返回最后一个隐藏状态即可，它等于 output[-1]。"},
        rnn=_rnn_layered_h_n),
]
