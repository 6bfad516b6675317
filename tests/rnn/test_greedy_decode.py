"""rnn.greedy_decode: greedy decoding of a torch GRU decoder (nn.Embedding -> nn.GRUCell -> nn.Linear)
and of hand-made steps that single out ties, the state and the token fed back."""

import operator

import numpy as np
import pytest

from grader.testing import oracle
from grader.testing.compare import describe

DTYPES = [np.float64, np.float32]
CALL = "greedy_decode(step, h0, start_token, max_len, eos_token)"


# ---------------------------------------------------------------- the decoders (the judge's side)

def as_token(token, V: int) -> int:
    """The id a step was given: any integer type is fine (int, np.int64, ...), its value must be an id."""
    try:
        value = operator.index(token)
    except TypeError:
        raise TypeError(f"step(token, h): token must be an integer id, got {describe(token)}") from None
    if not 0 <= value < V:
        raise ValueError(f"step(token, h): token {value} is not an id of this vocabulary (0..{V - 1})")
    return value


def as_state(h, H: int) -> np.ndarray:
    if not isinstance(h, np.ndarray) or h.shape != (1, H):
        raise ValueError(f"step(token, h): h must be the state step returned, an array of shape (1, {H}); "
                         f"got {describe(h)}")
    return h


class GRUDecoder:
    """A small torch language model in float64: embed the token, one nn.GRUCell step from h, nn.Linear to
    V logits. Weights are drawn from `rng` (scaled, so that the argmax moves around); the step's logits and
    state come back in `dtype`. The state is (1, H): a batch of one, in the (N, H) layout of the rnn module."""

    def __init__(self, rng, V: int, E: int, H: int, dtype=np.float64, scale: float = 1.5):
        torch = oracle.torch()
        self.V, self.H, self.dtype = V, H, dtype
        self.embed = torch.nn.Embedding(V, E, dtype=torch.float64)
        self.cell = torch.nn.GRUCell(E, H, dtype=torch.float64)
        self.out = torch.nn.Linear(H, V, dtype=torch.float64)
        with torch.no_grad():
            for module in (self.embed, self.cell, self.out):
                for p in module.parameters():
                    p.copy_(oracle.tensor(rng.standard_normal(tuple(p.shape)) * scale))

    def h0(self, rng) -> np.ndarray:
        return np.tanh(rng.standard_normal((1, self.H))).astype(self.dtype)  # (1, H), non-zero

    def step(self, token, h):
        torch = oracle.torch()
        token, h = as_token(token, self.V), as_state(h, self.H)
        with torch.no_grad():
            x = self.embed(torch.tensor([token]))  # (1, E)
            h_next = self.cell(x, oracle.tensor(h))  # (1, H)
            logits = self.out(h_next)[0]  # (V,)
        return oracle.numpy(logits, self.dtype), oracle.numpy(h_next, self.dtype)


def table_step(table: np.ndarray):
    """A hand-made step whose logits are table[token]: they depend on the token fed, not on the state.
    The state (1, 2) counts the steps, so it changes from call to call all the same."""
    V = table.shape[1]

    def step(token, h):
        return table[as_token(token, V)].copy(), as_state(h, 2) + 1

    return step


def counter_step(table: np.ndarray):
    """A hand-made step whose logits are table[k], k the step count held in the state (1, 2): they depend
    on the state alone, not on the token (which must still be an id)."""
    V = table.shape[1]

    def step(token, h):
        as_token(token, V)
        h = as_state(h, 2)
        return table[int(h[0, 0]) % len(table)].copy(), h + 1

    return step


class Recorder:
    """Wraps a step: remembers the value of every token it was passed, so the number of calls too."""

    def __init__(self, step):
        self.inner, self.fed = step, []

    def __call__(self, token, h):
        result = self.inner(token, h)  # refuses what is not an id before it is recorded
        self.fed.append(operator.index(token))
        return result


# ---------------------------------------------------------------- the reference loop

def first_max(logits) -> int:
    """The lowest id among the largest logits, by torch (torch.argmax leaves ties open)."""
    t = oracle.torch().from_numpy(np.array(logits, copy=True))  # (V,)
    return int((t == t.max()).nonzero()[0, 0])


def reference(step, h0, start_token, max_len, eos_token=None):
    """(ids, tokens fed): the greedy loop run on the same step, with torch picking the ids."""
    rec = Recorder(step)
    ids, token, h = [], start_token, h0
    while len(ids) < max_len:
        logits, h = rec(token, h)
        token = first_max(logits)
        ids.append(token)
        if token == eos_token:
            break
    return ids, rec.fed


def run(m, step, h0, start_token, max_len, **eos):
    """The learner's ids and the tokens their code fed to step (one per call), in the order fed."""
    rec = Recorder(step)
    ids = m.greedy_decode(rec, h0, start_token, max_len, **eos)
    return ids, rec.fed


def given(eos):
    """The keyword to pass: nothing at all for the default."""
    return {} if eos == "default" else {"eos_token": eos}


def shown(start_token, max_len, eos="default") -> str:
    tail = "" if eos == "default" else f", eos_token={eos}"
    return f"greedy_decode(step, h0, start_token={start_token}, max_len={max_len}{tail})"


def ids_only(m, step, h0, start_token, max_len, **eos):
    return m.greedy_decode(step, h0, start_token, max_len, **eos)


# ---------------------------------------------------------------- decoding a GRU

# name -> (V, E, H, start_token, max_len, eos). eos: "default" (not passed), None (passed), or "absent": an id the
# decoder does not emit within max_len, so decoding runs to the end although an eos_token is given.
GRU_CASES = {
    "V5-default-eos": (5, 3, 4, 0, 6, "default"),
    "V7-eos-None": (7, 4, 3, 3, 8, None),
    "V8-eos-never-emitted": (8, 2, 5, 5, 5, "absent"),
    "V3-long": (3, 2, 2, 1, 12, "default"),
    "max_len-1": (4, 3, 3, 2, 1, None),
}


def absent_id(ids, V):
    """The highest id not among `ids` (V > len(ids) guarantees there is one)."""
    return max(set(range(V)) - set(ids))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", GRU_CASES.values(), ids=GRU_CASES.keys())
def test_greedy_decode(check, rng, case, dtype):
    """Does greedy_decode emit, step after step, the same ids as the greedy loop run on a torch GRU decoder?"""
    V, E, H, start, max_len, eos = case
    dec = GRUDecoder(rng, V, E, H, dtype)
    h0 = dec.h0(rng)
    if eos == "absent":
        eos = absent_id(reference(dec.step, h0, start, max_len)[0], V)
    expected, _ = reference(dec.step, h0, start, max_len, **given(eos))
    check.close(lambda m: ids_only(m, dec.step, h0, start, max_len, **given(eos)), expected,
                call=shown(start, max_len, eos), inputs={"h0": h0}, names="ids")


def chain_table(rng, order, V, dtype):
    """Logits, one row per token fed, whose largest entry leads from order[k] to order[k + 1] (the last back to
    the first); every other entry is below it."""
    table = rng.uniform(-2.0, 0.0, size=(V, V))  # (V, V)
    for here, after in zip(order, np.roll(order, -1)):
        table[here, after] = 1.0
    return table.astype(dtype)


# name -> (decoder, k): eos_token is the k-th id of the free run (no eos_token), and decoding stops where it is first
# emitted. Small random GRUs tend to settle on one id, so the places further in are taken on a hand-made step whose
# logits walk through every id of the vocabulary in turn.
EOS_CASES = {
    "gru-first-emitted": ("gru", 0),
    "gru-fourth-emitted": ("gru", 3),
    "walk-first-emitted": ("walk", 0),
    "walk-third-emitted": ("walk", 2),
    "walk-sixth-emitted": ("walk", 5),
}


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", EOS_CASES.values(), ids=EOS_CASES.keys())
def test_eos(check, rng, case, dtype):
    """Does decoding stop right after eos_token is emitted, with eos_token as the last id and no step after it?"""
    kind, k = case
    V, max_len = 6, 8
    if kind == "gru":
        dec = GRUDecoder(rng, V, 3, 4, dtype)
        step, h0, start = dec.step, dec.h0(rng), int(rng.integers(V))
    else:
        order = [int(t) for t in rng.permutation(V)]
        step, h0, start = table_step(chain_table(rng, order, V, dtype)), np.zeros((1, 2), dtype), order[0]
    eos = reference(step, h0, start, max_len)[0][k]
    check.close(lambda m: run(m, step, h0, start, max_len, eos_token=eos),
                reference(step, h0, start, max_len, eos_token=eos),
                call=shown(start, max_len, eos) + ("" if kind == "gru" else "  # step: a hand-made walk through the ids"),
                inputs={"h0": h0}, names=("ids", "tokens passed to step"))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_eos_token_zero(check, rng, dtype):
    """Does eos_token=0 stop decoding just as any other id does (0 is an id, not "no eos_token")?"""
    V = 6
    order = [int(t) for t in rng.permutation(np.arange(1, V))]
    order.insert(2, 0)  # the chain start -> a -> 0 -> b -> ...: id 0 is emitted second
    step = table_step(chain_table(rng, order, V, dtype))
    h0, other = np.zeros((1, 2), dtype), order[4]  # `other` is emitted fourth

    def both(m):
        return (run(m, step, h0, order[0], 8, eos_token=0), run(m, step, h0, order[0], 8, eos_token=other))

    check.close(both, (reference(step, h0, order[0], 8, eos_token=0), reference(step, h0, order[0], 8, eos_token=other)),
                call=f"{shown(order[0], 8, 0)}, then with eos_token={other}", inputs={"h0": h0},
                names=(("ids with eos_token=0", "tokens passed with eos_token=0"),
                       (f"ids with eos_token={other}", f"tokens passed with eos_token={other}")))


@pytest.mark.parametrize("eos", ["default", 2], ids=["default-eos", "eos-2"])
def test_max_len_zero(check, rng, eos):
    """Does max_len=0 give [] without calling step at all?"""
    dec = GRUDecoder(rng, 5, 3, 4)
    h0 = dec.h0(rng)
    check.close(lambda m: run(m, dec.step, h0, 1, 0, **given(eos)),
                reference(dec.step, h0, 1, 0, **given(eos)),
                call=shown(1, 0, eos), inputs={"h0": h0}, names=("ids", "tokens passed to step"))


# ---------------------------------------------------------------- hand-made steps: ties, the state, the token fed

def tie_table(rng, V, dtype):
    """Each row has its largest value two or three times, never at id 0, at ids drawn afresh per row."""
    table = rng.uniform(-2.0, 0.5, size=(V, V))  # (V, V)
    for row in table:
        row[rng.choice(np.arange(1, V), size=int(rng.integers(2, 4)), replace=False)] = 1.5
    return table.astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_ties_go_to_lowest(check, rng, dtype):
    """When several logits share the largest value, is the lowest of their ids the one emitted?"""
    V = 7
    step = table_step(tie_table(rng, V, dtype))
    h0 = np.zeros((1, 2), dtype)
    for start in (0, int(rng.integers(1, V))):
        check.close(lambda m: ids_only(m, step, h0, start, 6), reference(step, h0, start, 6)[0],
                    call=f"{shown(start, 6)}  # every step's logits have tied maxima", inputs={"h0": h0},
                    names="ids")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_state_threaded(check, rng, dtype):
    """Is each step given the state the previous step returned (h0 only at the first), not h0 every time?"""
    V = 6
    table = rng.uniform(-2.0, 0.0, size=(V, V))  # (steps, V): row k holds the logits of step k
    table[np.arange(V), rng.permutation(V)] = 1.0  # a different winner at every step
    step = counter_step(table.astype(dtype))
    h0 = np.zeros((1, 2), dtype)
    check.close(lambda m: ids_only(m, step, h0, 0, 6), reference(step, h0, 0, 6)[0],
                call=f"{shown(0, 6)}  # the logits depend on the state alone", inputs={"h0": h0}, names="ids")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_tokens_fed_back(check, rng, dtype):
    """Is step called once per emitted id, with start_token first and then each id just emitted?"""
    V = 6
    order = [int(t) for t in rng.permutation(V)]
    step = table_step(chain_table(rng, order, V, dtype))  # the logits depend on the token alone
    h0 = np.zeros((1, 2), dtype)
    check.close(lambda m: run(m, step, h0, order[0], 8), reference(step, h0, order[0], 8),
                call=f"{shown(order[0], 8)}  # the logits depend on the token alone", inputs={"h0": h0},
                names=("ids", "tokens passed to step"))
    dec = GRUDecoder(rng, 5, 3, 4, dtype)
    h0 = dec.h0(rng)
    check.close(lambda m: run(m, dec.step, h0, 4, 6, eos_token=None), reference(dec.step, h0, 4, 6),
                call=shown(4, 6, None), inputs={"h0": h0}, names=("ids", "tokens passed to step"))


# name -> (max_len, reason)
BAD_MAX_LEN = {
    "negative": (-1, "max_len=-1 is negative"),
    "float": (2.5, "max_len=2.5 is not an int"),
    "whole-float": (3.0, "max_len=3.0 is a float, not an int"),
    "string": ("4", "max_len='4' is a string, not an int"),
    "None": (None, "max_len=None is not an int"),
}


@pytest.mark.parametrize("case", BAD_MAX_LEN.values(), ids=BAD_MAX_LEN.keys())
def test_bad_max_len(check, rng, case):
    """Does greedy_decode refuse a max_len that is negative or not an int, with ValueError?"""
    max_len, reason = case
    dec = GRUDecoder(rng, 4, 2, 3)
    h0 = dec.h0(rng)
    check.raises(lambda m: m.greedy_decode(dec.step, h0, 0, max_len), call=f"greedy_decode(step, h0, 0, {max_len!r})",
                 inputs={"h0": h0}, reason=reason)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """With the vocabulary, the sizes, start_token, max_len and eos_token drawn afresh each run, does greedy_decode
    emit the same ids, and call step the same way, as the greedy loop on a torch GRU decoder?"""
    for _ in range(3):
        V, E, H = (int(n) for n in rng.integers(2, 9, size=3))  # vocabulary, embedding and hidden sizes: 2..8
        dec = GRUDecoder(rng, V, E, H, dtype)
        h0 = dec.h0(rng)  # (1, H)
        start, max_len = int(rng.integers(V)), int(rng.integers(0, 11))  # max_len 0..10
        eos = None if rng.random() < 0.3 else int(rng.integers(V))
        check.close(lambda m: run(m, dec.step, h0, start, max_len, eos_token=eos),
                    reference(dec.step, h0, start, max_len, eos_token=eos),
                    call=f"{shown(start, max_len, eos)}  # V={V}, E={E}, H={H}: h0 (1, H), logits (V,)",
                    inputs={"h0": h0}, names=("ids", "tokens passed to step"))


def plain_ids(result) -> tuple:
    return type(result) is list, isinstance(result, (list, tuple)) and all(type(t) is int for t in result)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Whatever the dtype of the logits, are the ids right and returned as a list of Python ints (not NumPy ints)?"""
    dec = GRUDecoder(rng, 6, 3, 4, dtype)
    h0 = dec.h0(rng)
    expected, _ = reference(dec.step, h0, 2, 5)
    check.close(lambda m: ids_only(m, dec.step, h0, 2, 5), expected, call=shown(2, 5), inputs={"h0": h0},
                names="ids", dtype=True)
    check.close(lambda m: plain_ids(ids_only(m, dec.step, h0, 2, 5)), (True, True), call=shown(2, 5),
                inputs={"h0": h0}, names=("is a list", "every id is a Python int"))
