"""Alternative correct answer: a generator of (token, state) pairs, ties broken by np.flatnonzero, ids via .item()."""
import operator

import numpy as np


def _steps(step, h, token):
    """Yields each emitted id, for as long as the caller keeps asking (one step per id)."""
    while True:
        logits, h = step(token, h)
        scores = np.asarray(logits).reshape(-1)
        token = np.flatnonzero(scores == scores.max())[0].item()  # every maximum, the lowest first
        yield token


def greedy_decode(step, h0, start_token, max_len, eos_token=None):
    if type(max_len) is bool or isinstance(max_len, np.bool_):
        raise ValueError("max_len must be an int")
    try:
        n = operator.index(max_len)
    except TypeError:
        raise ValueError(f"max_len must be an int, not {type(max_len).__name__}") from None
    if n < 0:
        raise ValueError("max_len must be >= 0")
    out = []
    if n == 0:
        return out
    for token in _steps(step, h0, start_token):
        out.append(token)
        if len(out) == n or (eos_token is not None and token == eos_token):
            break
    return out
