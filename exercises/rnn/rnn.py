"""The plain (Elman) RNN: one cell step and a one-layer RNN run over a sequence, with tanh or ReLU."""

import numpy as np

NONLINEARITIES = ("tanh", "relu")


def rnn_cell(x, h, w_ih, w_hh, b_ih, b_hh, nonlinearity="tanh"):
    """One step of a plain RNN: mix the input with the previous hidden state and squash.

        h_next = act(x @ w_ih.T + b_ih + h @ w_hh.T + b_hh)

    where act is tanh (the default) or ReLU, max(0, a). Both biases are added, as PyTorch
    keeps both.

    Args:
        x: the input at this step, float32 or float64.
        h: the previous hidden state.
        w_ih: input-to-hidden weights, one row per hidden unit (PyTorch's `weight_ih`).
        w_hh: hidden-to-hidden weights (PyTorch's `weight_hh`).
        b_ih: input-to-hidden bias.
        b_hh: hidden-to-hidden bias.
        nonlinearity: "tanh" or "relu", as torch.

    Returns:
        h_next, with the shape of `h` and the dtype of the inputs.

    Raises:
        ValueError: if `nonlinearity` is neither "tanh" nor "relu", if `x` or `h` is not 2-D,
            the batch sizes differ, or `w_ih`, `w_hh`, `b_ih`, `b_hh` are not (H, I), (H, H),
            (H,), (H,).

    Shapes:
        x: (N, I), h: (N, H), w_ih: (H, I), w_hh: (H, H), b_ih: (H,), b_hh: (H,) -> h_next: (N, H)

    PyTorch: torch.nn.RNNCell(I, H, nonlinearity=nonlinearity) with weight_ih, weight_hh,
        bias_ih, bias_hh set to these arrays; cell(x, h).
    """
    # TODO: h_next = act(x @ w_ih.T + b_ih + h @ w_hh.T + b_hh), act = tanh or relu
    raise NotImplementedError("rnn.rnn: rnn_cell")


def rnn(x, h0, w_ih, w_hh, b_ih, b_hh, nonlinearity="tanh"):
    """Run a one-layer RNN over a sequence, feeding each step's hidden state into the next.

    Layout: time first, and the states are (N, H) like the cell's `h`, without PyTorch's
    leading num_layers axis of size 1.

    Args:
        x: the whole input sequence, time first.
        h0: the hidden state before the first step.
        w_ih, w_hh, b_ih, b_hh: the weights and biases of the cell, as in `rnn_cell`.
        nonlinearity: "tanh" or "relu", as torch.

    Returns:
        (output, h_n): `output[t]` is the hidden state after step t (after the nonlinearity),
        so `output[-1]` equals `h_n`, the state after the last step. Both in the dtype of
        the inputs.

    Raises:
        ValueError: if `nonlinearity` is neither "tanh" nor "relu", `x` is not 3-D, `h0` is not
            (N, H) with the batch size of `x`, or the weights do not fit (see `rnn_cell`).

    Shapes:
        x: (T, N, I), h0: (N, H), w_ih: (H, I), w_hh: (H, H), b_ih: (H,), b_hh: (H,)
        -> output: (T, N, H), h_n: (N, H)

    PyTorch: torch.nn.RNN(I, H, nonlinearity=nonlinearity) (one layer, batch_first=False)
        with weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0 set to these arrays;
        output, h_n = rnn(x, h0[None]), and h_n[0] is this function's h_n.
    """
    # TODO: h = h0; for each t: h = rnn_cell(x[t], h, ...), collected; stack them
    raise NotImplementedError("rnn.rnn: rnn")


def _check_cell(x, h, w_ih, w_hh, b_ih, b_hh):
    if np.ndim(x) != 2:
        raise ValueError(f"x must be (N, I), got shape {np.shape(x)}")
    if np.ndim(h) != 2:
        raise ValueError(f"h must be (N, H), got shape {np.shape(h)}")
    (N, I), H = np.shape(x), np.shape(h)[1]
    if np.shape(h)[0] != N:
        raise ValueError(f"x has batch size {N} but h has batch size {np.shape(h)[0]}")
    for name, arr, want in (("w_ih", w_ih, (H, I)), ("w_hh", w_hh, (H, H)),
                            ("b_ih", b_ih, (H,)), ("b_hh", b_hh, (H,))):
        if np.shape(arr) != want:
            raise ValueError(f"{name} must be {want} for I={I} inputs and H={H} hidden units, got {np.shape(arr)}")
