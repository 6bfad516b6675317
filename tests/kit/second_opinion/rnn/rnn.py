"""Alternative correct answer: einsum in float64, the nonlinearity looked up in a table, output preallocated."""
import numpy as np

_ACT = {"tanh": np.tanh, "relu": lambda a: np.where(a > 0, a, 0.0)}


def rnn_cell(x, h, w_ih, w_hh, b_ih, b_hh, nonlinearity="tanh"):
    if not isinstance(nonlinearity, str) or nonlinearity not in _ACT:
        raise ValueError(f"nonlinearity: unknown {nonlinearity!r}")
    x, h = np.asarray(x), np.asarray(h)
    if x.ndim != 2 or h.ndim != 2 or x.shape[0] != h.shape[0]:
        raise ValueError("x must be (N, I) and h (N, H) with the same N")
    H = h.shape[1]
    if np.shape(w_ih) != (H, x.shape[1]) or np.shape(w_hh) != (H, H):
        raise ValueError("w_ih / w_hh do not fit")
    if np.shape(b_ih) != (H,) or np.shape(b_hh) != (H,):
        raise ValueError("b_ih / b_hh do not fit")
    f = np.float64
    a = (np.einsum("ni,hi->nh", x.astype(f), np.asarray(w_ih, f))
         + np.einsum("nk,hk->nh", h.astype(f), np.asarray(w_hh, f))
         + (np.asarray(b_ih, f) + np.asarray(b_hh, f)))
    return _ACT[nonlinearity](a).astype(np.result_type(x, h))


def rnn(x, h0, w_ih, w_hh, b_ih, b_hh, nonlinearity="tanh"):
    x, h = np.asarray(x), np.asarray(h0)
    if x.ndim != 3:
        raise ValueError("x must be (T, N, I)")
    if h.ndim != 2:
        raise ValueError("h0 must be (N, H)")
    out = np.empty((x.shape[0],) + h.shape, dtype=np.result_type(x, h))
    for t, xt in enumerate(x):
        h = rnn_cell(xt, h, w_ih, w_hh, b_ih, b_hh, nonlinearity)
        out[t] = h
    return out, out[-1].copy() if len(out) else h
