import numpy as np


def generate(logits_fn, idx, max_new_tokens, temperature=1.0, top_k=None, block_size=None, rng=None):
    idx = np.asarray(idx)
    if idx.ndim != 2:
        raise ValueError("idx must be (B, T)")
    if max_new_tokens < 0:
        raise ValueError("max_new_tokens must be >= 0")
    if temperature < 0:
        raise ValueError("temperature must be >= 0")
    if top_k is not None and top_k < 1:
        raise ValueError("top_k must be >= 1")
    if block_size is not None and block_size < 1:
        raise ValueError("block_size must be >= 1")
    rng = np.random.default_rng(rng)
    B, T = idx.shape
    seq = np.empty((B, T + max_new_tokens), dtype=idx.dtype)
    seq[:, :T] = idx
    for length in range(T, T + max_new_tokens):
        start = 0 if block_size is None else max(0, length - block_size)
        last = np.asarray(logits_fn(seq[:, start:length].copy()))[:, -1].astype(np.float64)
        if temperature == 0:
            seq[:, length] = last.argmax(axis=1)
            continue
        vocab = last.shape[1]
        if top_k is not None and top_k < vocab:
            drop = np.argpartition(last, vocab - top_k, axis=1)[:, : vocab - top_k]
            np.put_along_axis(last, drop, -np.inf, axis=1)
        # Gumbel-max: argmax(logits / T + Gumbel noise) is a draw from softmax(logits / T).
        seq[:, length] = np.argmax(last / temperature + rng.gumbel(size=last.shape), axis=1)
    return seq
