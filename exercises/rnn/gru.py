"""A GRU cell and a one-layer GRU run over a sequence, with PyTorch's gate order r, z, n."""

import numpy as np


def gru_cell(x, h, w_ih, w_hh, b_ih, b_hh):
    """One GRU time step: two gates decide how much of the old state to use and to keep.

    The rows of `w_ih`, `w_hh`, `b_ih`, `b_hh` hold three blocks in PyTorch's order r, z, n
    (rows 0:H, H:2H, 2H:3H). With gi = x @ w_ih.T + b_ih and gh = h @ w_hh.T + b_hh, each
    split into its r, z, n blocks:

        r = sigmoid(gi_r + gh_r)            the reset gate, in (0, 1)
        z = sigmoid(gi_z + gh_z)            the update gate, in (0, 1)
        n = tanh(gi_n + r * gh_n)           the candidate; r scales (W_hn h + b_hn), bias included
        h_next = (1 - z) * n + z * h        z is the share of the OLD state that is kept

    The sigmoid must not overflow for large pre-activations (no NumPy warning for 1e3 or -1e3).

    Args:
        x: the input at this step, float32 or float64.
        h: the previous hidden state.
        w_ih: input-to-hidden weights of the three blocks, stacked r, z, n.
        w_hh: hidden-to-hidden weights of the three blocks, stacked r, z, n.
        b_ih: input-to-hidden bias, stacked r, z, n.
        b_hh: hidden-to-hidden bias, stacked r, z, n (its n block sits inside the reset product).

    Returns:
        h_next, with the shape of `h` and the dtype of the inputs.

    Raises:
        ValueError: if `x` or `h` is not 2-D, the batch sizes differ, or `w_ih`, `w_hh`, `b_ih`,
            `b_hh` are not (3H, I), (3H, H), (3H,), (3H,).

    Shapes:
        x: (N, I), h: (N, H), w_ih: (3H, I), w_hh: (3H, H), b_ih: (3H,), b_hh: (3H,) -> h_next: (N, H)

    PyTorch: torch.nn.GRUCell(I, H) with weight_ih, weight_hh, bias_ih, bias_hh set to these
        arrays; cell(x, h).
    """
    # TODO: gi = x @ w_ih.T + b_ih, gh = h @ w_hh.T + b_hh; r, z = sigmoid(gi + gh) blocks; n = tanh(gi_n + r * gh_n); h' = (1 - z) * n + z * h
    raise NotImplementedError("rnn.gru: gru_cell")


def gru(x, h0, w_ih, w_hh, b_ih, b_hh):
    """Run a one-layer GRU over a sequence, feeding each step's hidden state into the next.

    Layout: time first, and the states are (N, H) like the cell's `h`, without PyTorch's
    leading num_layers axis of size 1.

    Args:
        x: the whole input sequence, time first.
        h0: the hidden state before the first step.
        w_ih, w_hh, b_ih, b_hh: the weights and biases of the cell, as in `gru_cell`.

    Returns:
        (output, h_n): `output[t]` is the hidden state after step t, so `output[-1]` equals
        `h_n`, the state after the last step. Both in the dtype of the inputs.

    Raises:
        ValueError: if `x` is not 3-D, `h0` is not (N, H) with the batch size of `x`, or the
            weights do not fit (see `gru_cell`).

    Shapes:
        x: (T, N, I), h0: (N, H), w_ih: (3H, I), w_hh: (3H, H), b_ih: (3H,), b_hh: (3H,)
        -> output: (T, N, H), h_n: (N, H)

    PyTorch: torch.nn.GRU(I, H) (one layer, batch_first=False) with weight_ih_l0, weight_hh_l0,
        bias_ih_l0, bias_hh_l0 set to these arrays; output, h_n = gru(x, h0[None]), and h_n[0]
        is this function's h_n.
    """
    # TODO: h = h0; for each t: h = gru_cell(x[t], h, ...), collected; stack them
    raise NotImplementedError("rnn.gru: gru")


def _check_cell(x, h, w_ih, w_hh, b_ih, b_hh):
    if np.ndim(x) != 2:
        raise ValueError(f"x must be (N, I), got shape {np.shape(x)}")
    if np.ndim(h) != 2:
        raise ValueError(f"h must be (N, H), got shape {np.shape(h)}")
    (N, I), H = np.shape(x), np.shape(h)[1]
    if np.shape(h)[0] != N:
        raise ValueError(f"x has batch size {N} but h has batch size {np.shape(h)[0]}")
    for name, arr, want in (("w_ih", w_ih, (3 * H, I)), ("w_hh", w_hh, (3 * H, H)),
                            ("b_ih", b_ih, (3 * H,)), ("b_hh", b_hh, (3 * H,))):
        if np.shape(arr) != want:
            raise ValueError(f"{name} must be {want} for I={I} inputs and H={H} hidden units, got {np.shape(arr)}")
