"""Classic wrong answers to rnn.bptt, each named and explained."""

from functools import partial

import numpy as np

from grader.testing.mistakes import mistake


def _check(grad_output, grad_h_n, x, h0, w_ih, w_hh, b_ih, b_hh):
    """The input checks of a correct answer, so that each entry differs only by its own mistake."""
    if np.ndim(x) != 3 or np.ndim(h0) != 2 or len(h0) != np.shape(x)[1]:
        raise ValueError("x or h0 does not fit")
    (T, N, I), H = np.shape(x), np.shape(h0)[1]
    if [np.shape(a) for a in (w_ih, w_hh, b_ih, b_hh, grad_output)] != [(H, I), (H, H), (H,), (H,), (T, N, H)]:
        raise ValueError("weights or grad_output do not fit")
    if grad_h_n is not None and np.shape(grad_h_n) != (N, H):
        raise ValueError("grad_h_n does not fit")


def _backward(grad_output, grad_h_n, x, h0, w_ih, w_hh, b_ih, b_hh, *, carry=True, every_output=True,
              derivative="h", use_grad_h_n=True, bias="summed", recurrent="w_hh", w_hh_state="previous"):
    """rnn_backward with knobs for the mistakes."""
    _check(grad_output, grad_h_n, x, h0, w_ih, w_hh, b_ih, b_hh)
    T = x.shape[0]
    hs, pre = [h0], []
    for t in range(T):
        pre.append(x[t] @ w_ih.T + b_ih + hs[t] @ w_hh.T + b_hh)
        hs.append(np.tanh(pre[t]))
    start = np.zeros_like(h0) if grad_h_n is None or not use_grad_h_n else grad_h_n
    if not every_output:
        start = start + grad_output[-1]
    dh = start
    dx, dw_ih, dw_hh = np.zeros_like(x), np.zeros_like(w_ih), np.zeros_like(w_hh)
    db = np.zeros_like(b_ih) if bias != "per_sample" else np.zeros_like(h0)
    for t in reversed(range(T)):
        if not carry:  # each step sees only its own upstream gradient
            dh = grad_output[t] + (start if t == T - 1 else 0)
        elif every_output:
            dh = dh + grad_output[t]
        da = dh * (1 - (hs[t + 1] if derivative == "h" else pre[t]) ** 2)
        dx[t] = da @ w_ih
        dw_ih += da.T @ x[t]
        dw_hh += da.T @ (hs[t] if w_hh_state == "previous" else hs[t + 1])
        if bias == "one_step":
            db = da.sum(axis=0)
        elif bias == "per_sample":
            db = db + da
        else:
            db = db + da.sum(axis=0)
        dh = da @ (w_hh if recurrent == "w_hh" else w_hh.T)
    return {"x": dx, "h0": dh, "w_ih": dw_ih, "w_hh": dw_hh, "b_ih": db, "b_hh": db.copy()}


def _wrong(key, title, why, **knobs):
    return mistake(key, title=title, why=why, rnn_backward=partial(_backward, **knobs))


MISTAKES = [
    _wrong(
        "truncated_one_step",
        {"en": "the gradient not carried back to earlier steps", "zh": "梯度没有传回更早的时间步"},
        {"en": "h[t + 1] feeds step t + 1 as well as output[t], so its gradient is grad_output[t] PLUS what "
               "comes back from the later steps, dh = da @ w_hh. Keep one running dh: add grad_output[t] "
               "to it at each step, and after the step replace it with da @ w_hh for the step before.",
         "zh": "h[t + 1] 既是 output[t]，又是第 t + 1 步的输入，所以它的梯度是 grad_output[t] 加上从后面各步传回来的 "
               "dh = da @ w_hh。维护一个持续传递的 dh：每一步先把 grad_output[t] 加进去，这一步算完后再把它换成 "
               "da @ w_hh，交给前一步。"},
        carry=False),
    _wrong(
        "last_output_only",
        {"en": "grad_output used at the last step only", "zh": "只在最后一步用了 grad_output"},
        {"en": "Every output[t] is part of the loss, so grad_output[t] flows in at every step, not only at "
               "t = T-1. Inside the backward loop, add grad_output[t] to the gradient arriving from step t + 1.",
         "zh": "每个 output[t] 都出现在损失里，所以 grad_output[t] 在每一步都会流入，而不只是 t = T-1。"
               "在反向循环里，把 grad_output[t] 加到从第 t + 1 步传回来的梯度上。"},
        every_output=False),
    _wrong(
        "tanh_derivative_of_preactivation",
        {"en": "tanh' taken as 1 - a^2 of the pre-activation", "zh": "把 tanh 的导数写成了预激活的 1 - a^2"},
        {"en": "The derivative of tanh at a is 1 - tanh(a)^2, and tanh(a) is the new state h[t + 1]: use "
               "1 - h[t + 1]^2. 1 - a^2 squares the value before tanh and is wrong wherever a is not tiny "
               "(it even goes negative for |a| > 1).",
         "zh": "tanh 在 a 处的导数是 1 - tanh(a)^2，而 tanh(a) 就是新状态 h[t + 1]：应该用 1 - h[t + 1]^2。"
               "1 - a^2 平方的是 tanh 之前的值，只要 a 不是很小就不对（|a| > 1 时甚至为负）。"},
        derivative="pre"),
    _wrong(
        "grad_h_n_ignored",
        {"en": "grad_h_n ignored", "zh": "忽略了 grad_h_n"},
        {"en": "When grad_h_n is given, h_n is part of the loss too: start the backward pass with dh = grad_h_n "
               "at the last state (zeros only when grad_h_n is None), then add grad_output[T-1] to it.",
         "zh": "给出 grad_h_n 时，h_n 也是损失的一部分：反向传播从最后一个状态开始，初值 dh = grad_h_n"
               "（只有 grad_h_n 为 None 时才用全零），然后再加上 grad_output[T-1]。"},
        use_grad_h_n=False),
    _wrong(
        "bias_grad_one_step",
        {"en": "bias gradient overwritten at every step", "zh": "偏置梯度每一步都被覆盖"},
        {"en": "The biases are used at every time step, so their gradient is the sum over all steps (and the "
               "batch) of da. Accumulate with db += da.sum(axis=0); assigning db = ... keeps only the last "
               "step the loop visits (t = 0).",
         "zh": "偏置在每个时间步都会用到，所以它的梯度是 da 在所有时间步（以及整个批次）上的和。要用 "
               "db += da.sum(axis=0) 累加；写成 db = ... 只会留下循环最后访问的那一步（t = 0）。"},
        bias="one_step"),
    _wrong(
        "bias_grad_per_sample",
        {"en": "bias gradient not summed over the batch", "zh": "偏置梯度没有在批次上求和"},
        {"en": "b_ih and b_hh are (H,) and shared by every sequence in the batch, so their gradient is (H,) "
               "too: sum da over axis 0 (the batch) as well as over time.",
         "zh": "b_ih 和 b_hh 的形状是 (H,)，由批次中的每条序列共享，所以它们的梯度也是 (H,)："
               "da 除了在时间上求和，还要沿第 0 维（批次）求和。"},
        bias="per_sample"),
    _wrong(
        "recurrent_w_hh_transposed",
        {"en": "dh sent back through w_hh.T", "zh": "用 w_hh.T 把 dh 传回前一步"},
        {"en": "The forward step computes h @ w_hh.T, so the gradient with respect to h is da @ w_hh, without "
               "the transpose. Both have shape (N, H) because w_hh is square, so the shapes will not warn you.",
         "zh": "前向计算的是 h @ w_hh.T，所以对 h 的梯度是 da @ w_hh，不需要转置。w_hh 是方阵，"
               "两种写法的形状都是 (N, H)，形状不会提醒你写错了。"},
        recurrent="w_hh.T"),
    _wrong(
        "w_hh_grad_from_new_state",
        {"en": "w_hh gradient built from h[t + 1] instead of h[t]", "zh": "w_hh 的梯度用了 h[t + 1] 而不是 h[t]"},
        {"en": "Step t multiplies w_hh by the state that came INTO it, h[t] (h0 for the first step), so "
               "dw_hh += da.T @ h[t]. The state it produces, h[t + 1], is the wrong one: keep the list of "
               "states with h0 at position 0.",
         "zh": "第 t 步中与 w_hh 相乘的是输入这一步的状态 h[t]（第一步是 h0），所以 dw_hh += da.T @ h[t]。"
               "这一步产生的 h[t + 1] 是错的：保存状态列表时把 h0 放在第 0 个位置。"},
        w_hh_state="new"),
]
