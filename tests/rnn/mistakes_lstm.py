"""Classic wrong answers to rnn.lstm, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake


def _checked_cell(cell):
    """Shape checks as in a correct answer, so that each entry differs only by its own mistake."""
    def checked(x, h, c, w_ih, w_hh, b_ih, b_hh):
        H = np.shape(h)[-1]
        if np.ndim(x) != 2 or np.ndim(h) != 2 or np.shape(c) != np.shape(h) or len(x) != len(h):
            raise ValueError("x, h, c do not fit")
        if [np.shape(a) for a in (w_ih, w_hh, b_ih, b_hh)] != [(4 * H, x.shape[1]), (4 * H, H), (4 * H,), (4 * H,)]:
            raise ValueError("weights do not fit")
        return cell(x, h, c, w_ih, w_hh, b_ih, b_hh)
    return checked


def _checked_seq(seq):
    def checked(x, h0, c0, w_ih, w_hh, b_ih, b_hh):
        if np.ndim(x) != 3 or np.ndim(h0) != 2 or np.shape(c0) != np.shape(h0):
            raise ValueError("x, h0, c0 do not fit")
        _checked_cell(lambda *a: None)(x[0], h0, c0, w_ih, w_hh, b_ih, b_hh)
        return seq(x, h0, c0, w_ih, w_hh, b_ih, b_hh)
    return checked


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _blocks(x, h, w_ih, w_hh, b_ih, b_hh, both_biases=True):
    H = h.shape[1]
    gates = x @ w_ih.T + b_ih + h @ w_hh.T + (b_hh if both_biases else 0)
    return [gates[:, k * H:(k + 1) * H] for k in range(4)]


def _cell_ifgo(i, f, g, o, c):
    c_next = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
    return _sigmoid(o) * np.tanh(c_next), c_next


def _seq_from(cell):
    """A correct loop over time around a (possibly wrong) cell."""
    def lstm(x, h0, c0, w_ih, w_hh, b_ih, b_hh):
        h, c, outputs = h0, c0, []
        for t in range(x.shape[0]):
            h, c = cell(x[t], h, c, w_ih, w_hh, b_ih, b_hh)
            outputs.append(h)
        return np.stack(outputs), (h, c)
    return lstm


def _cell_order_ifog(x, h, c, w_ih, w_hh, b_ih, b_hh):
    i, f, o, g = _blocks(x, h, w_ih, w_hh, b_ih, b_hh)
    return _cell_ifgo(i, f, g, o, c)


def _cell_order_figo(x, h, c, w_ih, w_hh, b_ih, b_hh):
    f, i, g, o = _blocks(x, h, w_ih, w_hh, b_ih, b_hh)
    return _cell_ifgo(i, f, g, o, c)


def _cell_sigmoid_candidate(x, h, c, w_ih, w_hh, b_ih, b_hh):
    i, f, g, o = _blocks(x, h, w_ih, w_hh, b_ih, b_hh)
    c_next = _sigmoid(f) * c + _sigmoid(i) * _sigmoid(g)
    return _sigmoid(o) * np.tanh(c_next), c_next


def _cell_tanh_gates(x, h, c, w_ih, w_hh, b_ih, b_hh):
    i, f, g, o = _blocks(x, h, w_ih, w_hh, b_ih, b_hh)
    c_next = np.tanh(f) * c + np.tanh(i) * np.tanh(g)
    return np.tanh(o) * np.tanh(c_next), c_next


def _cell_no_tanh_on_c(x, h, c, w_ih, w_hh, b_ih, b_hh):
    i, f, g, o = _blocks(x, h, w_ih, w_hh, b_ih, b_hh)
    c_next = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
    return _sigmoid(o) * c_next, c_next


def _cell_old_c_in_h(x, h, c, w_ih, w_hh, b_ih, b_hh):
    i, f, g, o = _blocks(x, h, w_ih, w_hh, b_ih, b_hh)
    c_next = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
    return _sigmoid(o) * np.tanh(c), c_next


def _cell_one_bias(x, h, c, w_ih, w_hh, b_ih, b_hh):
    i, f, g, o = _blocks(x, h, w_ih, w_hh, b_ih, b_hh, both_biases=False)
    return _cell_ifgo(i, f, g, o, c)


def _cell(x, h, c, w_ih, w_hh, b_ih, b_hh):
    return _cell_ifgo(*_blocks(x, h, w_ih, w_hh, b_ih, b_hh), c)


def _lstm_last_repeated(x, h0, c0, w_ih, w_hh, b_ih, b_hh):
    h, c = h0, c0
    for t in range(x.shape[0]):
        h, c = _cell(x[t], h, c, w_ih, w_hh, b_ih, b_hh)
    return np.stack([h] * x.shape[0]), (h, c)


def _lstm_state_not_carried(x, h0, c0, w_ih, w_hh, b_ih, b_hh):
    outputs = [_cell(x[t], h0, c0, w_ih, w_hh, b_ih, b_hh) for t in range(x.shape[0])]
    return np.stack([h for h, _ in outputs]), outputs[-1]


def _lstm_output_lags(x, h0, c0, w_ih, w_hh, b_ih, b_hh):
    h, c, outputs = h0, c0, []
    for t in range(x.shape[0]):
        outputs.append(h)
        h, c = _cell(x[t], h, c, w_ih, w_hh, b_ih, b_hh)
    return np.stack(outputs), (h, c)


def _cell_mistake(key, title, why, cell):
    """A wrong cell breaks lstm too: the catalogue entry replaces both, so both tests can name it."""
    return mistake(key, title=title, why=why, lstm_cell=_checked_cell(cell), lstm=_checked_seq(_seq_from(cell)))


MISTAKES = [
    _cell_mistake(
        "gate_order_ifog",
        {"en": "gates read in the order i, f, o, g", "zh": "按 i, f, o, g 的顺序读取门"},
        {"en": "PyTorch stacks the four blocks of rows of w_ih, w_hh and the biases as input gate, forget "
               "gate, candidate g, output gate. With H hidden units, columns 2H:3H of the gate "
               "pre-activations are g (tanh) and 3H:4H are o (sigmoid), not the other way round.",
         "zh": "PyTorch 把 w_ih、w_hh 和偏置的四块行依次存为输入门、遗忘门、候选值 g、输出门。"
               "隐藏单元数为 H 时，门预激活的第 2H:3H 列是 g（用 tanh），3H:4H 列是 o（用 sigmoid），不能反过来。"},
        _cell_order_ifog),
    _cell_mistake(
        "gate_order_figo",
        {"en": "forget gate taken from the first block", "zh": "把第一块当作遗忘门"},
        {"en": "The first H columns of the gate pre-activations belong to the input gate i and the next H "
               "to the forget gate f. Swapping them scales the old cell state by the input gate.",
         "zh": "门预激活的前 H 列属于输入门 i，接下来的 H 列才是遗忘门 f。两者对调后，旧的细胞状态会被输入门缩放。"},
        _cell_order_figo),
    _cell_mistake(
        "sigmoid_candidate",
        {"en": "sigmoid on the candidate g", "zh": "候选值 g 用了 sigmoid"},
        {"en": "i, f and o are gates and use sigmoid (values in (0, 1)), but g is the content written into "
               "the cell and uses tanh (values in (-1, 1)); with sigmoid the cell could only ever grow.",
         "zh": "i、f、o 是门，用 sigmoid（取值在 (0, 1)）；g 是写入细胞的内容，要用 tanh（取值在 (-1, 1)）。"
               "用 sigmoid 的话细胞状态只能增加，无法减少。"},
        _cell_sigmoid_candidate),
    _cell_mistake(
        "tanh_gates",
        {"en": "tanh instead of sigmoid on the gates", "zh": "门用了 tanh 而不是 sigmoid"},
        {"en": "A gate is a factor between 0 (block everything) and 1 (let everything through), so i, f "
               "and o need sigmoid. tanh can go negative and would flip the sign of what it gates.",
         "zh": "门是介于 0（全部挡住）和 1（全部放行）之间的系数，所以 i、f、o 要用 sigmoid。"
               "tanh 可能为负，会把被控制的量反号。"},
        _cell_tanh_gates),
    _cell_mistake(
        "no_tanh_on_cell",
        {"en": "h = o * c without tanh", "zh": "h = o * c，没有 tanh"},
        {"en": "The cell state c is not bounded, so it is squashed before it is shown: "
               "h_next = o * tanh(c_next). Only c_next itself is passed on unsquashed.",
         "zh": "细胞状态 c 没有上下界，输出前要先压缩：h_next = o * tanh(c_next)。只有 c_next 本身不经压缩地传给下一步。"},
        _cell_no_tanh_on_c),
    _cell_mistake(
        "old_cell_in_h",
        {"en": "h computed from the previous cell state", "zh": "用上一步的细胞状态计算 h"},
        {"en": "Update the cell first, then read it out: h_next = o * tanh(c_next), using the new cell "
               "state, not the c that came in.",
         "zh": "先更新细胞状态，再读出：h_next = o * tanh(c_next)，用的是新的细胞状态，而不是传进来的 c。"},
        _cell_old_c_in_h),
    _cell_mistake(
        "one_bias",
        {"en": "leaving out b_hh", "zh": "漏掉了 b_hh"},
        {"en": "PyTorch keeps two bias vectors and adds both: x @ w_ih.T + b_ih + h @ w_hh.T + b_hh. "
               "They are redundant mathematically, but both are parameters of the layer.",
         "zh": "PyTorch 有两个偏置向量并且都要加上：x @ w_ih.T + b_ih + h @ w_hh.T + b_hh。"
               "从数学上看它们是冗余的，但两者都是该层的参数。"},
        _cell_one_bias),
    mistake(
        "last_hidden_repeated",
        title={"en": "output repeating the last hidden state", "zh": "output 重复了最后一个隐藏状态"},
        why={"en": "output[t] is the hidden state right after step t, so it changes along the sequence. "
                   "Append h to a list inside the loop and np.stack the list at the end.",
             "zh": "output[t] 是第 t 步之后的隐藏状态，会随序列变化。在循环里把每一步的 h 加入列表，最后用 np.stack 拼起来。"},
        lstm=_checked_seq(_lstm_last_repeated)),
    mistake(
        "state_not_carried",
        title={"en": "every step starting again from h0 and c0", "zh": "每一步都从 h0 和 c0 重新开始"},
        why={"en": "The point of a recurrent layer is that step t sees what earlier steps left behind. "
                   "Feed the (h, c) returned by step t into step t + 1; h0, c0 are used only at t = 0.",
             "zh": "循环层的意义在于第 t 步能看到之前各步留下的信息。把第 t 步返回的 (h, c) 传给第 t + 1 步；"
                   "h0、c0 只在 t = 0 时使用。"},
        lstm=_checked_seq(_lstm_state_not_carried)),
    mistake(
        "output_lags",
        title={"en": "output holding the state before each step", "zh": "output 存的是每一步之前的状态"},
        why={"en": "Store h after calling the cell, not before: output[0] is the state after the first "
                   "input (not h0), and output[-1] equals h_n.",
             "zh": "要在调用 cell 之后保存 h，而不是之前：output[0] 是读入第一个输入之后的状态（不是 h0），"
                   "output[-1] 等于 h_n。"},
        lstm=_checked_seq(_lstm_output_lags)),
]
