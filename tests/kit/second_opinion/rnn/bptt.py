"""Alternative correct answer: float64 inside, the deltas of all steps collected first, weights by einsum over time."""
import numpy as np


def rnn_backward(grad_output, grad_h_n, x, h0, w_ih, w_hh, b_ih, b_hh):
    x, h0 = np.asarray(x), np.asarray(h0)
    if x.ndim != 3:
        raise ValueError("x must be (T, N, I)")
    T, N, I = x.shape
    if h0.ndim != 2 or h0.shape[0] != N:
        raise ValueError("h0 must be (N, H)")
    H = h0.shape[1]
    want = {"w_ih": (H, I), "w_hh": (H, H), "b_ih": (H,), "b_hh": (H,), "grad_output": (T, N, H)}
    got = {"w_ih": w_ih, "w_hh": w_hh, "b_ih": b_ih, "b_hh": b_hh, "grad_output": grad_output}
    for k, s in want.items():
        if np.shape(got[k]) != s:
            raise ValueError(f"{k} must be {s}")
    if grad_h_n is not None and np.shape(grad_h_n) != (N, H):
        raise ValueError("grad_h_n must be (N, H) or None")
    f = np.float64
    X, Wi, Wh = x.astype(f), np.asarray(w_ih, f), np.asarray(w_hh, f)
    b = np.asarray(b_ih, f) + np.asarray(b_hh, f)
    hs = np.empty((T + 1, N, H))
    hs[0] = h0
    for t in range(T):
        hs[t + 1] = np.tanh(np.einsum("ni,hi->nh", X[t], Wi) + np.einsum("nk,hk->nh", hs[t], Wh) + b)
    G = np.asarray(grad_output, f).copy()
    if grad_h_n is not None:
        G[-1] += np.asarray(grad_h_n, f)
    deltas = np.empty((T, N, H))
    carry = np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        deltas[t] = (G[t] + carry) * (1.0 - hs[t + 1] * hs[t + 1])
        carry = np.einsum("nh,hk->nk", deltas[t], Wh)
    dt = np.result_type(x, h0)
    gb = deltas.sum(axis=(0, 1))
    out = {
        "x": np.einsum("tnh,hi->tni", deltas, Wi),
        "h0": carry,
        "w_ih": np.einsum("tnh,tni->hi", deltas, X),
        "w_hh": np.einsum("tnh,tnk->hk", deltas, hs[:-1]),
        "b_ih": gb,
        "b_hh": gb,
    }
    return {k: v.astype(dt) for k, v in out.items()}
