"""Alternative correct answer: float64 inside, gates by reshape to (N, 3, H), sigmoid from exp(-|a|), n + z (h - n)."""
import numpy as np


def _sig(a):
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def gru_cell(x, h, w_ih, w_hh, b_ih, b_hh):
    x, h = np.asarray(x), np.asarray(h)
    if x.ndim != 2 or h.ndim != 2 or x.shape[0] != h.shape[0]:
        raise ValueError("x must be (N, I) and h (N, H) with the same N")
    N, H = h.shape
    if np.shape(w_ih) != (3 * H, x.shape[1]) or np.shape(w_hh) != (3 * H, H):
        raise ValueError("w_ih / w_hh do not fit")
    if np.shape(b_ih) != (3 * H,) or np.shape(b_hh) != (3 * H,):
        raise ValueError("b_ih / b_hh do not fit")
    f = np.float64
    hf = h.astype(f)
    gi = (np.asarray(w_ih, f) @ x.astype(f).T).T + np.asarray(b_ih, f)
    gh = (np.asarray(w_hh, f) @ hf.T).T + np.asarray(b_hh, f)
    gi, gh = gi.reshape(N, 3, H), gh.reshape(N, 3, H)
    rz = _sig(gi[:, :2] + gh[:, :2])          # (N, 2, H)
    r, z = rz[:, 0], rz[:, 1]
    n = np.tanh(gi[:, 2] + r * gh[:, 2])
    out = n + z * (hf - n)                    # = (1 - z) n + z h
    return out.astype(np.result_type(x, h))


def gru(x, h0, w_ih, w_hh, b_ih, b_hh):
    x, h = np.asarray(x), np.asarray(h0)
    if x.ndim != 3:
        raise ValueError("x must be (T, N, I)")
    if h.ndim != 2:
        raise ValueError("h0 must be (N, H)")
    out = np.empty((x.shape[0],) + h.shape, dtype=np.result_type(x, h))
    for t in range(x.shape[0]):
        h = gru_cell(x[t], h, w_ih, w_hh, b_ih, b_hh)
        out[t] = h
    return out, h
