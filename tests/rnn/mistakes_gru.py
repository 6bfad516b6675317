"""Classic wrong answers to rnn.gru, each named and explained."""

from functools import partial

import numpy as np

from grader.testing.mistakes import mistake


def _check(x, h, w_ih, w_hh, b_ih, b_hh):
    """The input checks of a correct answer, so that each entry differs only by its own mistake."""
    if np.ndim(x) != 2 or np.ndim(h) != 2 or len(x) != len(h):
        raise ValueError("x and h do not fit")
    H, I = np.shape(h)[1], np.shape(x)[1]
    if [np.shape(a) for a in (w_ih, w_hh, b_ih, b_hh)] != [(3 * H, I), (3 * H, H), (3 * H,), (3 * H,)]:
        raise ValueError("weights do not fit")


def _sigmoid(a):
    return 0.5 * (1.0 + np.tanh(0.5 * a))


def _sigmoid_naive(a):
    return 1 / (1 + np.exp(-a))


def _cell(x, h, w_ih, w_hh, b_ih, b_hh, *, order="rzn", reset="inside", update="keeps_old", biases=2,
          sigmoid=_sigmoid):
    """gru_cell with knobs for the mistakes."""
    _check(x, h, w_ih, w_hh, b_ih, b_hh)
    H = h.shape[1]
    gi = x @ w_ih.T + b_ih
    gh = h @ w_hh.T + (b_hh if biases == 2 else 0)
    blocks = [slice(0, H), slice(H, 2 * H), slice(2 * H, 3 * H)]
    r_rows, z_rows = (blocks[0], blocks[1]) if order == "rzn" else (blocks[1], blocks[0])
    n_rows = blocks[2]
    r = sigmoid(gi[:, r_rows] + gh[:, r_rows])
    z = sigmoid(gi[:, z_rows] + gh[:, z_rows])
    w_hn, b_hn = w_hh[n_rows], (b_hh[n_rows] if biases == 2 else 0)
    if reset == "inside":
        n = np.tanh(gi[:, n_rows] + r * gh[:, n_rows])
    elif reset == "before_matmul":
        n = np.tanh(gi[:, n_rows] + (r * h) @ w_hn.T + b_hn)
    elif reset == "bias_outside":
        n = np.tanh(gi[:, n_rows] + r * (h @ w_hn.T) + b_hn)
    else:  # "whole": r scales the input's part as well
        n = np.tanh(r * (gi[:, n_rows] + gh[:, n_rows]))
    if update == "keeps_old":
        return (1 - z) * n + z * h
    return z * n + (1 - z) * h


def _seq_from(cell):
    """A correct loop over time around a (possibly wrong) cell."""
    def gru(x, h0, w_ih, w_hh, b_ih, b_hh):
        if np.ndim(x) != 3 or np.ndim(h0) != 2:
            raise ValueError("x or h0 has the wrong rank")
        h, outputs = h0, []
        for t in range(x.shape[0]):
            h = cell(x[t], h, w_ih, w_hh, b_ih, b_hh)
            outputs.append(h)
        return np.stack(outputs), h
    return gru


def _gru_h0_reused(x, h0, w_ih, w_hh, b_ih, b_hh):
    if np.ndim(x) != 3 or np.ndim(h0) != 2:
        raise ValueError("x or h0 has the wrong rank")
    outputs = [_cell(x[t], h0, w_ih, w_hh, b_ih, b_hh) for t in range(x.shape[0])]
    return np.stack(outputs), outputs[-1]


def _cell_mistake(key, title, why, **knobs):
    """A wrong cell breaks gru too: the entry replaces both, so the tests of either can name it."""
    cell = partial(_cell, **knobs)
    return mistake(key, title=title, why=why, gru_cell=cell, gru=_seq_from(cell))


MISTAKES = [
    _cell_mistake(
        "gate_order_zrn",
        {"en": "gates read in the order z, r, n", "zh": "按 z, r, n 的顺序读取门"},
        {"en": "PyTorch stacks the rows of w_ih, w_hh and both biases as reset gate r, update gate z, "
               "candidate n. With H hidden units, rows 0:H are r and H:2H are z; swapping them lets the "
               "reset gate decide how much of the old state is kept.",
         "zh": "PyTorch 把 w_ih、w_hh 和两个偏置的行依次存为重置门 r、更新门 z、候选值 n。隐藏单元数为 H 时，"
               "第 0:H 行是 r，H:2H 行是 z；两者对调，就变成由重置门来决定保留多少旧状态了。"},
        order="zrn"),
    _cell_mistake(
        "reset_before_matmul",
        {"en": "r applied to h before the matrix product", "zh": "先用 r 乘 h，再做矩阵乘法"},
        {"en": "Some papers write the candidate as tanh(W_in x + b_in + W_hn (r * h) + b_hn), but PyTorch "
               "(and cuDNN) reset the finished product: n = tanh(W_in x + b_in + r * (W_hn h + b_hn)). The "
               "two differ, not least because b_hn is then scaled by r. Compute h @ w_hh.T + b_hh first, "
               "then multiply its n block by r.",
         "zh": "有些论文把候选值写成 tanh(W_in x + b_in + W_hn (r * h) + b_hn)，但 PyTorch（以及 cuDNN）是对算好的乘积做重置："
               "n = tanh(W_in x + b_in + r * (W_hn h + b_hn))。两者结果不同，其中一个原因是后者的 b_hn 也要乘以 r。"
               "先算 h @ w_hh.T + b_hh，再把其中 n 那一块乘以 r。"},
        reset="before_matmul"),
    _cell_mistake(
        "update_roles_swapped",
        {"en": "h' = z * n + (1 - z) * h", "zh": "写成了 h' = z * n + (1 - z) * h"},
        {"en": "In PyTorch's GRU, z is the share of the OLD state that is kept: h' = (1 - z) * n + z * h. "
               "Writing z * n + (1 - z) * h is the other convention and gives a different layer for the "
               "same weights.",
         "zh": "在 PyTorch 的 GRU 里，z 表示保留旧状态的比例：h' = (1 - z) * n + z * h。写成 z * n + (1 - z) * h "
               "是另一种约定，同样的权重会得到一个不同的层。"},
        update="keeps_new"),
    _cell_mistake(
        "b_hn_outside_reset",
        {"en": "b_hn added outside the reset product", "zh": "b_hn 加在了重置乘积的外面"},
        {"en": "The reset gate multiplies the whole recurrent part of the candidate, its bias included: "
               "r * (W_hn h + b_hn). Adding b_hn after the product, r * (W_hn h) + b_hn, is a different formula.",
         "zh": "重置门乘的是候选值中整个循环部分，包括它的偏置：r * (W_hn h + b_hn)。"
               "先乘再加 b_hn，即 r * (W_hn h) + b_hn，是另一个公式。"},
        reset="bias_outside"),
    _cell_mistake(
        "reset_on_input_too",
        {"en": "r scaling the input's part of the candidate too", "zh": "r 把候选值中输入的部分也缩放了"},
        {"en": "The reset gate only controls how much of the previous state enters the candidate: "
               "n = tanh(W_in x + b_in + r * (W_hn h + b_hn)). The input's part W_in x + b_in stays outside "
               "the product.",
         "zh": "重置门只控制上一步的状态有多少进入候选值：n = tanh(W_in x + b_in + r * (W_hn h + b_hn))。"
               "输入的部分 W_in x + b_in 不在乘积里面。"},
        reset="whole"),
    _cell_mistake(
        "one_bias",
        {"en": "leaving out b_hh", "zh": "漏掉了 b_hh"},
        {"en": "A GRU has two bias vectors and uses both: b_ih with the input and b_hh with the state. For r "
               "and z they simply add up, but b_hn sits inside the reset product, so it cannot be dropped or "
               "merged into b_in.",
         "zh": "GRU 有两个偏置向量，而且都要用：b_ih 跟着输入，b_hh 跟着状态。对 r 和 z 来说它们只是相加，"
               "但 b_hn 位于重置乘积之内，既不能省掉，也不能并进 b_in。"},
        biases=1),
    _cell_mistake(
        "naive_sigmoid",
        {"en": "sigmoid as 1 / (1 + exp(-a)) directly", "zh": "直接用 1 / (1 + exp(-a)) 计算 sigmoid"},
        {"en": "For a gate pre-activation of -1e3, exp(-a) overflows to inf. 1 / inf = 0 is the right gate "
               "value, but NumPy warns, and such warnings hide real problems in training. Use a form that "
               "cannot overflow: 0.5 * (1 + np.tanh(0.5 * a)), or exp(-|a|) with a choice by the sign of a.",
         "zh": "门的预激活为 -1e3 时，exp(-a) 会溢出为 inf。1 / inf = 0 是正确的门值，但 NumPy 会发出警告，"
               "训练时这类警告会掩盖真正的问题。换一个不会溢出的写法：0.5 * (1 + np.tanh(0.5 * a))，"
               "或者用 exp(-|a|) 再按 a 的正负选择公式。"},
        sigmoid=_sigmoid_naive),
    mistake(
        "h0_reused",
        title={"en": "every step starting again from h0", "zh": "每一步都从 h0 重新开始"},
        why={"en": "Step t + 1 must read the hidden state that step t returned; h0 is only the state before "
                   "the first step. Keep a variable h, start it at h0 and replace it with each step's result.",
             "zh": "第 t + 1 步要读取第 t 步返回的隐藏状态；h0 只是第一步之前的状态。"
                   "用一个变量 h，初值为 h0，每一步用结果替换它。"},
        gru=_gru_h0_reused),
]
