"""Greedy decoding: run a recurrent decoder on its own most likely token, one step at a time."""

import numbers

import numpy as np


def greedy_decode(step, h0, start_token, max_len, eos_token=None):
    """Decode a sequence by always emitting the single most likely next token.

    The decoder is given as a function: `step(token, h)` reads one token id and the state,
    and returns the scores of every possible next token with the new state. Decoding feeds
    `start_token` first, then each emitted id in turn, always with the state the last step
    returned:

        token, h = start_token, h0
        repeat until max_len ids are out:
            logits, h = step(token, h)
            token = the id of the largest logit   (on a tie: the lowest such id)
            emit token; stop if it is eos_token

    A model of this in torch: nn.Embedding -> nn.GRUCell -> nn.Linear, where step embeds the
    token, runs the cell once from h, and maps the new hidden state to one logit per id.
    `greedy_decode` never looks inside `h`: it only passes on what `step` returned.

    Args:
        step: the decoder, `step(token, h) -> (logits, h_next)`, with `token` an int id, `logits`
            an array of shape (V,) (one score per id of the vocabulary) and `h_next` the state to
            pass to the next call. Call it once per emitted id, no more.
        h0: the decoder's state before the first step, passed to the first call as it is.
        start_token: the id fed to the first step (a beginning-of-sequence mark, say). It is
            not part of the result.
        max_len: the most ids to emit, an int >= 0 (0 gives [] without calling step).
        eos_token: the end-of-sequence id, or None for none. Once it is emitted, decoding stops;
            it is included in the result. Any id may be eos_token, 0 included.

    Returns:
        The emitted ids as a list of Python ints (not NumPy integers), at most `max_len` long:
        without `start_token`, ending with `eos_token` when that was emitted.

    Raises:
        ValueError: if `max_len` is not an int or is negative.

    Shapes:
        step: (int, h) -> ((V,), h); h0: whatever step takes (here (1, H), a batch of one)
        -> list of at most max_len ints, each in 0..V-1

    PyTorch: the same loop over a torch decoder (nn.Embedding, nn.GRUCell, nn.Linear), taking
        the first maximum of each step's logits.
    """
    # BEGIN SOLUTION: feed start_token, emit the first argmax of the logits as a Python int, feed it back with the new h; stop after eos_token or max_len ids
    if isinstance(max_len, (bool, np.bool_)) or not isinstance(max_len, numbers.Integral):
        raise ValueError(f"max_len must be an int, got {max_len!r}")
    if max_len < 0:
        raise ValueError(f"max_len must be at least 0, got {max_len}")
    ids, token, h = [], start_token, h0
    while len(ids) < max_len:
        logits, h = step(token, h)  # logits: (V,), h: the state for the next step
        token = int(np.argmax(logits))  # np.argmax returns the first maximum: ties go to the lowest id
        ids.append(token)
        if token == eos_token:  # eos is emitted, then decoding stops (eos_token=None never matches)
            break
    return ids
    # END SOLUTION
