import numpy as np


def dropout(x, p=0.5, training=True, rng=None):
    if p < 0 or p > 1:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if not training:
        return x
    rng = np.random.default_rng(rng)
    mask = rng.binomial(1, 1.0 - p, size=x.shape).astype(x.dtype)
    scale = 0.0 if p == 1 else 1.0 / (1.0 - p)
    return (x.astype(np.float64) * mask * scale).astype(x.dtype)
