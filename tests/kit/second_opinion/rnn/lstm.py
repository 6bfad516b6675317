"""Alternative correct answer: column-vector maths in float64, gates via reshape, torch's (1, N, H) states."""
import numpy as np

def _sig(z):
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    e = np.exp(z[~pos]); out[~pos] = e / (1 + e)
    return out

def lstm_cell(x, h, c, w_ih, w_hh, b_ih, b_hh):
    x, h, c, w_ih, w_hh, b_ih, b_hh = map(np.asarray, (x, h, c, w_ih, w_hh, b_ih, b_hh))
    if x.ndim != 2: raise ValueError("x must be 2-D")
    if h.ndim != 2 or h.shape != c.shape: raise ValueError("h and c must be (N, H) and equal")
    N, H = h.shape
    if x.shape[0] != N: raise ValueError("batch")
    if w_ih.shape != (4 * H, x.shape[1]) or w_hh.shape != (4 * H, H): raise ValueError("w_ih / w_hh")
    if b_ih.shape != (4 * H,) or b_hh.shape != (4 * H,): raise ValueError("bias")
    dt = np.result_type(x, h, c, w_ih)
    z = (w_ih.astype(np.float64) @ x.T.astype(np.float64) + w_hh.astype(np.float64) @ h.T.astype(np.float64)
         + (b_ih.astype(np.float64) + b_hh.astype(np.float64))[:, None])    # (4H, N)
    z = z.T.reshape(N, 4, H)
    i, f, o = _sig(z[:, 0]), _sig(z[:, 1]), _sig(z[:, 3])
    g = np.tanh(z[:, 2])
    c2 = f * c.astype(np.float64) + i * g
    h2 = o * np.tanh(c2)
    return h2.astype(dt), c2.astype(dt)

def lstm(x, h0, c0, w_ih, w_hh, b_ih, b_hh):
    x = np.asarray(x)
    if x.ndim != 3: raise ValueError("x must be (T, N, I)")
    if np.shape(h0) != np.shape(c0): raise ValueError("h0 / c0")
    h = np.asarray(h0).reshape(-1, np.shape(h0)[-1]); c = np.asarray(c0).reshape(h.shape)
    out = np.empty((x.shape[0],) + h.shape, dtype=np.result_type(x, h))
    for t in range(x.shape[0]):
        h, c = lstm_cell(x[t], h, c, w_ih, w_hh, b_ih, b_hh)
        out[t] = h
    return out, (h[None], c[None])    # always keeps the num_layers axis, like nn.LSTM
