"""Autoregressive generation: sample one token at a time from a language model's last logits, with temperature and top-k."""

import numpy as np


def generate(logits_fn, idx, max_new_tokens, temperature=1.0, top_k=None, block_size=None, rng=None):
    """Extend every prompt in `idx` by `max_new_tokens` tokens, one step at a time.

    Each step feeds the model the current sequences (only their last `block_size` tokens when
    `block_size` is given, the longest context the model can take), keeps the logits of the LAST
    position (the model's guess for the next token), divides them by `temperature`, keeps only the
    `top_k` largest (the others get probability 0) and samples the next token of every row from the
    softmax of what is left, which sums to 1 again. The new tokens are appended and the next step
    sees them. `temperature=0` is greedy decoding: the next token is the argmax of the last logits
    (the lowest token id on a tie, as np.argmax), and `rng` is not used. `logits_fn` is called once
    per new token.

    Args:
        logits_fn: the model, a function taking an int array (B, t) of token ids and returning
            logits (B, t, V) (float32 or float64): position j scores the token that follows position j.
        idx: the prompts, an int array (B, T) with T >= 1. Not modified.
        max_new_tokens: how many tokens to append, an int >= 0 (0 returns a copy of idx).
        temperature: a float >= 0. Below 1 sharpens the distribution, above 1 flattens it; 0 is greedy.
        top_k: None (every token may be drawn) or an int >= 1: sample only among the k tokens with
            the largest logits (a top_k of V or more keeps every token).
        block_size: None (feed the whole sequence) or an int >= 1: feed only the last block_size tokens.
        rng: the np.random.Generator to draw from; if None, a fresh np.random.default_rng() is used.

    Returns:
        An int array (B, T + max_new_tokens) in the dtype of idx: each prompt followed by its new tokens.

    Raises:
        ValueError: if idx is not 2-D, max_new_tokens < 0, temperature < 0, top_k < 1 or block_size < 1.

    Shapes:
        idx: (B, T) -> (B, T + max_new_tokens); logits_fn: (B, t) -> (B, t, V)

    PyTorch: the generate loop of nanoGPT (softmax of logits[:, -1, :] / temperature after torch.topk,
        then torch.multinomial), with NumPy's generator instead of torch's
    """
    # TODO: loop: crop the context, last logits / temperature, mask all but the top k, sample, append
    raise NotImplementedError("attention.generate: generate")


def _check(idx, max_new_tokens, temperature, top_k, block_size):
    if np.ndim(idx) != 2:
        raise ValueError(f"idx must be 2-D (B, T) token ids, got shape {np.shape(idx)}")
    if max_new_tokens < 0:
        raise ValueError(f"max_new_tokens={max_new_tokens} must be >= 0")
    if temperature < 0:
        raise ValueError(f"temperature={temperature} must be >= 0 (0 is greedy)")
    if top_k is not None and top_k < 1:
        raise ValueError(f"top_k={top_k} must be None or at least 1")
    if block_size is not None and block_size < 1:
        raise ValueError(f"block_size={block_size} must be None or at least 1")
