"""Inverted dropout: zero random elements while training, and scale the survivors so nothing changes on average."""

import numpy as np


def dropout(x, p=0.5, training=True, rng=None):
    """Randomly zero each element of `x` with probability `p` and divide the rest by 1 - p.

    Dividing the kept elements by the probability of keeping them (1 - p) makes the
    expected value of every output equal to the input, so at evaluation time
    (training=False) the layer is simply the identity: no rescaling is needed there.
    Every call draws a new mask from `rng`.

    Args:
        x: the activations, any shape, float32 or float64. Not modified.
        p: the probability of zeroing an element, 0 <= p <= 1. p = 0 keeps everything
            (the output equals x); p = 1 zeroes everything.
        training: if False, return x unchanged (no mask, no scaling).
        rng: the np.random.Generator to draw the mask from; if None, a fresh
            np.random.default_rng() is used.

    Returns:
        An array with the shape and dtype of `x`: each element either 0 or x / (1 - p).

    Raises:
        ValueError: if p is not between 0 and 1.

    Shapes:
        x: (*) -> (*)

    PyTorch: torch.nn.functional.dropout(x, p=p, training=training)
        (same statistics; PyTorch's own random numbers cannot be reproduced in NumPy)
    """
    # BEGIN SOLUTION: keep each element with probability 1 - p (a new mask from rng every call) and divide the kept ones by 1 - p
    _check_p(p)
    if not training or p == 0:
        return x.copy()
    if p == 1:
        return np.zeros_like(x)  # everything dropped; x / (1 - p) would be 0 / 0
    if rng is None:
        rng = np.random.default_rng()
    keep = rng.random(x.shape) >= p  # (*) True with probability 1 - p
    return np.where(keep, x / (1 - p), 0).astype(x.dtype, copy=False)  # (*)
    # END SOLUTION


def _check_p(p):
    if not 0 <= p <= 1:
        raise ValueError(f"p={p} is not a probability between 0 and 1")
