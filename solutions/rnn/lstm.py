"""An LSTM cell and a one-layer LSTM run over a whole sequence, with PyTorch's gate order i, f, g, o."""

import numpy as np


def lstm_cell(x, h, c, w_ih, w_hh, b_ih, b_hh):
    """One LSTM time step: read the input and the previous state, return the next state.

    The four gate pre-activations come from one product each with the input and the
    previous hidden state, stacked in PyTorch's order i, f, g, o (rows 0:H, H:2H, 2H:3H, 3H:4H):

        gates = x @ w_ih.T + b_ih + h @ w_hh.T + b_hh
        i, f, o = sigmoid of their blocks   (how much to write, keep, show: each in (0, 1))
        g = tanh of its block               (the candidate content, in (-1, 1))
        c_next = f * c + i * g
        h_next = o * tanh(c_next)

    Args:
        x: the input at this step, float32 or float64.
        h: the previous hidden state (short-term memory).
        c: the previous cell state (long-term memory), same shape as `h`.
        w_ih: input-to-hidden weights of all four gates, stacked i, f, g, o.
        w_hh: hidden-to-hidden weights of all four gates, stacked i, f, g, o.
        b_ih: input-to-hidden bias.
        b_hh: hidden-to-hidden bias (added as well: PyTorch keeps both biases).

    Returns:
        (h_next, c_next), each with the shape of `h` and the dtype of the inputs.

    Raises:
        ValueError: if `x`, `h` or `c` is not 2-D, `h` and `c` differ in shape, the batch sizes
            differ, or `w_ih`, `w_hh`, `b_ih`, `b_hh` are not (4H, I), (4H, H), (4H,), (4H,).

    Shapes:
        x: (N, I), h: (N, H), c: (N, H), w_ih: (4H, I), w_hh: (4H, H), b_ih: (4H,), b_hh: (4H,)
        -> h_next: (N, H), c_next: (N, H)

    PyTorch: torch.nn.LSTMCell(I, H) with weight_ih, weight_hh, bias_ih, bias_hh set to these
        arrays; cell(x, (h, c)) returns (h_next, c_next).
    """
    # BEGIN SOLUTION: gates = x @ w_ih.T + b_ih + h @ w_hh.T + b_hh, split into i, f, g, o; c_next = f*c + i*g; h_next = o*tanh(c_next)
    _check_cell(x, h, c, w_ih, w_hh, b_ih, b_hh)

    def sigmoid(z):  # 1 / (1 + exp(-z)), written with tanh so that it never overflows
        return 0.5 * (1.0 + np.tanh(0.5 * z))

    H = h.shape[1]
    gates = x @ w_ih.T + b_ih + h @ w_hh.T + b_hh  # (N, 4H)
    i = sigmoid(gates[:, 0:H])  # (N, H) input gate
    f = sigmoid(gates[:, H:2 * H])  # (N, H) forget gate
    g = np.tanh(gates[:, 2 * H:3 * H])  # (N, H) candidate cell content
    o = sigmoid(gates[:, 3 * H:4 * H])  # (N, H) output gate
    c_next = f * c + i * g
    h_next = o * np.tanh(c_next)
    return h_next, c_next
    # END SOLUTION


def lstm(x, h0, c0, w_ih, w_hh, b_ih, b_hh):
    """Run one LSTM layer over a sequence, threading (h, c) from each step into the next.

    Layout: `h0` and `c0` are (N, H), exactly like the cell's `h` and `c`, and `h_n`, `c_n`
    come back in the layout of `h0`. PyTorch's own layout (1, N, H), with a leading axis
    for the number of layers, is accepted too; `h_n` and `c_n` are then (1, N, H) as well.

    Args:
        x: the whole input sequence, time first.
        h0: the hidden state before the first step.
        c0: the cell state before the first step, same shape as `h0`.
        w_ih, w_hh, b_ih, b_hh: the weights and biases of the cell, as in `lstm_cell`.

    Returns:
        (output, (h_n, c_n)): `output[t]` is the hidden state after step t (so
        `output[-1]` equals `h_n`); `h_n` and `c_n` are the states after the last step.
        All with the dtype of the inputs.

    Raises:
        ValueError: if `x` is not 3-D, `h0` and `c0` differ in shape or are neither (N, H)
            nor (1, N, H), or the weights do not fit (see `lstm_cell`).

    Shapes:
        x: (T, N, I), h0: (N, H) or (1, N, H), c0: like h0, w_ih: (4H, I), w_hh: (4H, H),
        b_ih: (4H,), b_hh: (4H,) -> output: (T, N, H), h_n: like h0, c_n: like h0

    PyTorch: torch.nn.LSTM(I, H) (one layer, batch_first=False) with weight_ih_l0,
        weight_hh_l0, bias_ih_l0, bias_hh_l0 set to these arrays; lstm(x, (h0, c0)) with
        h0, c0 of shape (1, N, H).
    """
    # BEGIN SOLUTION: loop over t, feeding x[t] and the previous (h, c) to lstm_cell; stack the hidden states
    if np.ndim(x) != 3:
        raise ValueError(f"x must be (T, N, I), got shape {np.shape(x)}")
    if np.shape(h0) != np.shape(c0):
        raise ValueError(f"h0 has shape {np.shape(h0)} but c0 has shape {np.shape(c0)}")
    layered = np.ndim(h0) == 3
    if layered and np.shape(h0)[0] != 1:
        raise ValueError(f"h0 must be (N, H) or (1, N, H) for one layer, got shape {np.shape(h0)}")
    h, c = (h0[0], c0[0]) if layered else (h0, c0)  # (N, H) each
    outputs = []
    for t in range(x.shape[0]):
        h, c = lstm_cell(x[t], h, c, w_ih, w_hh, b_ih, b_hh)  # (N, H) each
        outputs.append(h)
    output = np.stack(outputs)  # (T, N, H)
    if layered:
        h, c = h[None], c[None]  # (1, N, H) each, like h0
    return output, (h, c)
    # END SOLUTION


def _check_cell(x, h, c, w_ih, w_hh, b_ih, b_hh):
    if np.ndim(x) != 2:
        raise ValueError(f"x must be (N, I), got shape {np.shape(x)}")
    if np.ndim(h) != 2:
        raise ValueError(f"h must be (N, H), got shape {np.shape(h)}")
    if np.shape(c) != np.shape(h):
        raise ValueError(f"h has shape {np.shape(h)} but c has shape {np.shape(c)}")
    (N, I), H = np.shape(x), np.shape(h)[1]
    if np.shape(h)[0] != N:
        raise ValueError(f"x has batch size {N} but h has batch size {np.shape(h)[0]}")
    for name, arr, want in (("w_ih", w_ih, (4 * H, I)), ("w_hh", w_hh, (4 * H, H)),
                            ("b_ih", b_ih, (4 * H,)), ("b_hh", b_hh, (4 * H,))):
        if np.shape(arr) != want:
            raise ValueError(f"{name} must be {want} for I={I} inputs and H={H} hidden units, got {np.shape(arr)}")
