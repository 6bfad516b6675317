"""A training loop by hand (independent implementation): a ReLU MLP, MSE and Adam.

Written another way than the reference: ReLU instead of tanh, He-style normal weights and zero
biases, the arithmetic in the data's own dtype (float32 data trains in float32), the gradients
with einsum, and Adam in its folded form (step size lr * sqrt(1 - b2^t) / (1 - b1^t), eps added
to the raw sqrt(v) scaled by sqrt(1 - b2^t)) that torch's documentation gives.
"""

import numpy as np


def train(x, y, hidden=32, steps=2000, lr=1e-2, rng=None):
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim != 2 or x.shape[1] != 1 or len(x) == 0:
        raise ValueError(f"x must be (N, 1), got {x.shape}")
    if y.shape != x.shape:
        raise ValueError(f"y must be shaped like x {x.shape}, got {y.shape}")
    if hidden < 1 or steps < 1 or not lr > 0:
        raise ValueError(f"hidden={hidden}, steps={steps} must be >= 1 and lr={lr} > 0")
    dt = x.dtype if x.dtype in (np.float32, np.float64) else np.float64
    rng = rng if rng is not None else np.random.default_rng()
    p = [rng.normal(0.0, np.sqrt(2.0), (1, hidden)).astype(dt),  # w1 (1, H): in x out
         np.zeros(hidden, dt),  # b1 (H,)
         (rng.normal(0.0, 1.0, (hidden, 1)) * np.sqrt(1.0 / hidden)).astype(dt),  # w2 (H, 1)
         np.zeros(1, dt)]  # b2 (1,)
    xs, ys = x.astype(dt), y.astype(dt)
    m = [np.zeros_like(q) for q in p]
    v = [np.zeros_like(q) for q in p]
    losses = []
    for t in range(1, steps + 1):
        z = xs @ p[0] + p[1]  # (N, H)
        h = np.maximum(z, 0)
        r = h @ p[2] + p[3] - ys  # (N, 1)
        losses.append(float(np.einsum("ni,ni->", r, r) / len(r)))
        g_out = (2 / len(r)) * r  # (N, 1)
        g_z = np.einsum("no,ho->nh", g_out, p[2]) * (z > 0)  # (N, H)
        grads = [np.einsum("ni,nh->ih", xs, g_z), g_z.sum(0), np.einsum("nh,no->ho", h, g_out), g_out.sum(0)]
        step = lr * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        for i, g in enumerate(grads):
            m[i] = 0.9 * m[i] + 0.1 * g
            v[i] = 0.999 * v[i] + 0.001 * g * g
            p[i] = (p[i] - step * m[i] / (np.sqrt(v[i]) + 1e-8 * np.sqrt(1 - 0.999 ** t))).astype(dt)
    w1, b1, w2, b2 = (q.copy() for q in p)

    def predict(x_new):
        x_new = np.asarray(x_new)
        return (np.maximum(x_new.astype(dt) @ w1 + b1, 0) @ w2 + b2).astype(x_new.dtype)

    return predict, losses
