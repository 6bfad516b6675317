"""Backpropagation through time: every gradient of a one-layer tanh RNN, by hand."""

import numpy as np

KEYS = ("x", "h0", "w_ih", "w_hh", "b_ih", "b_hh")


def rnn_backward(grad_output, grad_h_n, x, h0, w_ih, w_hh, b_ih, b_hh):
    """The gradients of a one-layer tanh RNN with respect to its input, first state and weights.

    The forward pass (run it again here, keeping every hidden state) is

        h[0] = h0,  a[t] = x[t] @ w_ih.T + b_ih + h[t] @ w_hh.T + b_hh,  h[t + 1] = tanh(a[t])
        output[t] = h[t + 1] (t = 0 .. T-1),  h_n = h[T]

    and the loss whose gradients are wanted is L = sum(output * grad_output) + sum(h_n * grad_h_n).
    Going back from t = T-1 to 0, the gradient at h[t + 1] is what flows back from the later
    steps plus grad_output[t] (plus grad_h_n at the last step); tanh'(a) = 1 - tanh(a)^2 is
    1 - h[t + 1]^2. The weights and both biases are shared by all steps, so their gradients
    are sums over time and over the batch.

    Args:
        grad_output: dL/d(output), the gradient arriving at every step's output.
        grad_h_n: dL/d(h_n), the gradient arriving at the final state, or None when nothing
            flows in there (the same as zeros).
        x: the input sequence, time first, float32 or float64.
        h0: the hidden state before the first step.
        w_ih, w_hh, b_ih, b_hh: the weights and biases, as in torch.nn.RNN's weight_ih_l0,
            weight_hh_l0, bias_ih_l0, bias_hh_l0.

    Returns:
        A dict with exactly the keys "x", "h0", "w_ih", "w_hh", "b_ih", "b_hh": the gradient of L
        with respect to each of those inputs, each with that input's shape and the inputs' dtype.

    Raises:
        ValueError: if `x` is not 3-D, `h0` is not (N, H) with the batch size of `x`, the weights
            are not (H, I), (H, H), (H,), (H,), `grad_output` is not (T, N, H), or `grad_h_n` is
            neither None nor (N, H).

    Shapes:
        grad_output: (T, N, H), grad_h_n: (N, H) or None, x: (T, N, I), h0: (N, H),
        w_ih: (H, I), w_hh: (H, H), b_ih: (H,), b_hh: (H,)
        -> {"x": (T, N, I), "h0": (N, H), "w_ih": (H, I), "w_hh": (H, H), "b_ih": (H,), "b_hh": (H,)}

    PyTorch: torch.autograd.grad((output, h_n), (x, h0, weight_ih_l0, weight_hh_l0, bias_ih_l0,
        bias_hh_l0), (grad_output, grad_h_n)) through torch.nn.RNN(I, H) (tanh, one layer).
    """
    # BEGIN SOLUTION: rerun the forward keeping every h; walk t backwards, dh += grad_output[t], da = dh * (1 - h^2), dh = da @ w_hh
    _check(grad_output, grad_h_n, x, h0, w_ih, w_hh, b_ih, b_hh)
    T = x.shape[0]
    hs = [h0]  # hs[t] is the state before step t, hs[t + 1] the state after it
    for t in range(T):
        hs.append(np.tanh(x[t] @ w_ih.T + b_ih + hs[t] @ w_hh.T + b_hh))  # (N, H)
    dh = np.zeros_like(h0) if grad_h_n is None else grad_h_n  # (N, H): dL/dh[T] from beyond the sequence
    dx = np.zeros_like(x)  # (T, N, I)
    dw_ih, dw_hh, db = np.zeros_like(w_ih), np.zeros_like(w_hh), np.zeros_like(b_ih)
    for t in reversed(range(T)):
        dh = dh + grad_output[t]  # (N, H): all of dL/dh[t + 1]
        da = dh * (1 - hs[t + 1] ** 2)  # (N, H): through tanh, whose derivative is 1 - h^2
        dx[t] = da @ w_ih  # (N, I)
        dw_ih += da.T @ x[t]  # (H, I)
        dw_hh += da.T @ hs[t]  # (H, H): the state that went INTO step t
        db += da.sum(axis=0)  # (H,)
        dh = da @ w_hh  # (N, H): dL/dh[t], handed to the step before
    return {"x": dx, "h0": dh, "w_ih": dw_ih, "w_hh": dw_hh, "b_ih": db, "b_hh": db.copy()}
    # END SOLUTION


def _check(grad_output, grad_h_n, x, h0, w_ih, w_hh, b_ih, b_hh):
    if np.ndim(x) != 3:
        raise ValueError(f"x must be (T, N, I), got shape {np.shape(x)}")
    (T, N, I) = np.shape(x)
    if np.ndim(h0) != 2 or np.shape(h0)[0] != N:
        raise ValueError(f"h0 must be (N, H) with N={N} as in x, got shape {np.shape(h0)}")
    H = np.shape(h0)[1]
    for name, arr, want in (("w_ih", w_ih, (H, I)), ("w_hh", w_hh, (H, H)),
                            ("b_ih", b_ih, (H,)), ("b_hh", b_hh, (H,)), ("grad_output", grad_output, (T, N, H))):
        if np.shape(arr) != want:
            raise ValueError(f"{name} must be {want} for T={T}, N={N}, I={I}, H={H}, got {np.shape(arr)}")
    if grad_h_n is not None and np.shape(grad_h_n) != (N, H):
        raise ValueError(f"grad_h_n must be None or (N, H) = {(N, H)}, got {np.shape(grad_h_n)}")
