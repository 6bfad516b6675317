"""attention.generate: sampling loop checked by properties: greedy equals torch's argmax decoding, and frequencies match torch's top-k softmax.

NumPy cannot replay torch's random numbers, so sampled runs are checked by what they must satisfy: at
temperature 0 or with top_k=1 the tokens are those of an argmax decoding computed with torch; over many
identical rows, the first new token's frequencies match the renormalised top-k softmax that torch computes;
tokens outside the top k never appear; one seed gives one answer. Each scenario creates its own seeded
generator and its own model, so a catalogued mistake is run on exactly the learner's inputs.

The model is a fixed table in NumPy, called back by the learner's code. Its logits depend on the token at
each position, on the row, on the first token it is fed and on how many tokens it is fed, so dropping the
block_size crop, mixing up rows or reading the wrong position all change the answer.
"""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
DTYPE_IDS = ["float64", "float32"]
V = 6  # vocabulary size of the fixed models

# The next-token logits of the frequency tests, spread so that temperature and top-k move the probabilities
# far (see `bound`); a permutation drawn from `rng` decides which token gets which.
SPREAD = np.array([2.0, 1.2, 0.5, 0.0, -0.6, -1.5])
# Identical rows of the frequency tests: one call samples this many first tokens at once.
DRAWS = 20000


def bound(n):
    """Five standard deviations of a frequency over n draws, at its widest (p = 1/2): 5 * sqrt(1/4 / n).

    Every |freq - p| <= 5 * sqrt(p (1 - p) / n) <= this bound, so a correct sampler falls outside it for
    one token about once in 1.7 million runs (less for p away from 1/2). With n = 20000 it is 0.0177; the
    catalogued mistakes miss by 2.7 to 48 times it.
    """
    return 5 * np.sqrt(0.25 / n)


def new_seed(rng) -> int:
    return int(rng.integers(2**31))


class Table:
    """A fixed "language model": logits[b, j] = A[tok[b, j]] + R[b] + F[tok[b, 0]] + 0.3 * t * L, t tokens fed.

    Drawn from its seed, so every scenario rebuilds the same model; it records the shape of each idx it gets.
    """

    def __init__(self, seed, B, dtype=np.float64):
        r = np.random.default_rng(seed)
        self.A = 2.0 * r.standard_normal((V, V))  # (V, V): by the token at the position
        self.R = r.standard_normal((B, V))  # (B, V): by the row
        self.F = r.standard_normal((V, V))  # (V, V): by the first token fed (the crop shows)
        self.L = r.standard_normal(V)  # (V,): times the number of tokens fed (the crop shows)
        self.dtype, self.fed = dtype, []

    def __call__(self, idx):
        idx = np.asarray(idx)
        self.fed.append(tuple(int(n) for n in idx.shape))
        t = idx.shape[1]
        out = self.A[idx] + self.R[:, None, :] + self.F[idx[:, :1]] + 0.3 * t * self.L  # (B, t, V)
        return out.astype(self.dtype)


class Fixed:
    """A model whose next-token logits are `z` after the prompt's last token `last`, and other rows of a table
    elsewhere (so the logits at the first position of the prompt are not the ones to sample from)."""

    def __init__(self, z, last, seed, dtype=np.float64):
        self.table = 1.5 * np.random.default_rng(seed).standard_normal((V, V))  # (V, V)
        self.table[last] = z
        self.dtype = dtype

    def __call__(self, idx):
        return self.table[np.asarray(idx)].astype(self.dtype)  # (B, t, V)


def prompts(rng, B, T, dtype=np.int64):
    return rng.integers(0, V, size=(B, T)).astype(dtype)


def torch_greedy(model, idx, max_new_tokens, block_size=None):
    """Argmax decoding with torch: the next token of each row is torch.argmax of its last logits."""
    torch = oracle.torch()
    out = torch.from_numpy(idx.astype(np.int64))
    for _ in range(max_new_tokens):
        context = out if block_size is None else out[:, -block_size:]
        logits = oracle.tensor(model(context.numpy()))[:, -1, :]  # (B, V)
        out = torch.cat([out, torch.argmax(logits, dim=-1, keepdim=True)], dim=1)
    return oracle.numpy(out, idx.dtype)


def torch_top_k_probs(z, temperature, top_k):
    """softmax(z / temperature) over the top_k largest logits (renormalised), 0 elsewhere."""
    torch = oracle.torch()
    scaled = oracle.tensor(z) / temperature
    k = V if top_k is None else min(top_k, V)
    values, indices = torch.topk(scaled, k)
    return oracle.numpy(torch.zeros(V, dtype=torch.float64).scatter(0, indices, torch.softmax(values, dim=-1)))


def fixed_case(rng):
    """(z, prompt row, model seed): SPREAD in a random order after a prompt whose two tokens differ."""
    z = rng.permutation(SPREAD)
    first, last = (int(t) for t in rng.choice(V, size=2, replace=False))
    return z, np.array([first, last]), new_seed(rng)


def first_tokens(m, z, row, model_seed, dtype, n, seed, **kw):
    """The first new token of n identical rows, one call of generate."""
    idx = np.tile(row, (n, 1))  # (n, 2)
    out = m.generate(Fixed(z, row[-1], model_seed, dtype), idx, 1, rng=np.random.default_rng(seed), **kw)
    return np.asarray(out)[:, -1]


def frequencies(m, z, row, model_seed, dtype, n, seed, **kw):
    tokens = first_tokens(m, z, row, model_seed, dtype, n, seed, **kw)
    return np.bincount(tokens, minlength=V)[:V] / n  # (V,)


def shown(**kw):
    return "".join(f", {k}={v}" for k, v in kw.items())


def seeded_call(n, seed, **kw):
    return f"generate(logits_fn, idx, {n}{shown(**kw)}, rng=np.random.default_rng({seed}))"


# ---------------------------------------------------------------------------------------------- greedy

GREEDY = [(1, 1, 5), (3, 4, 6), (2, 7, 3)]  # (B, T, max_new_tokens): a batch of one, a prompt of one token


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("B,T,n", GREEDY, ids=[f"B{b}-T{t}-n{n}" for b, t, n in GREEDY])
def test_generate_greedy(check, rng, B, T, n, dtype):
    """With temperature=0, is generate argmax decoding: each new token the argmax of the LAST logits, as torch?"""
    idx, model_seed, seed = prompts(rng, B, T), new_seed(rng), new_seed(rng)
    expected = torch_greedy(Table(model_seed, B, dtype), idx, n)
    check.close(lambda m: m.generate(Table(model_seed, B, dtype), idx, n, temperature=0.0,
                                     rng=np.random.default_rng(seed)),
                expected, call=seeded_call(n, seed, temperature=0.0), inputs={"idx": idx})


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("temperature", [0.5, 1.0, 3.0])
def test_generate_top_k_one(check, rng, temperature, dtype):
    """With top_k=1, is generate argmax decoding at any temperature (only the largest logit is left)?"""
    B, T, n = 3, 2, 5
    idx, model_seed, seed = prompts(rng, B, T), new_seed(rng), new_seed(rng)
    expected = torch_greedy(Table(model_seed, B, dtype), idx, n)
    check.close(lambda m: m.generate(Table(model_seed, B, dtype), idx, n, temperature=temperature, top_k=1,
                                     rng=np.random.default_rng(seed)),
                expected, call=seeded_call(n, seed, temperature=temperature, top_k=1), inputs={"idx": idx})


# ----------------------------------------------------------------------------------------- statistics

FREQ = [(1.0, None), (0.5, None), (2.0, None), (1.0, 3), (0.5, 2), (2.0, 4)]


@pytest.mark.parametrize("temperature,top_k", FREQ, ids=[f"T{t}-k{k}" for t, k in FREQ])
def test_generate_frequencies(check, rng, temperature, top_k):
    """Over many identical rows, are the first new token's frequencies the renormalised top-k softmax(z / T)?"""
    z, row, model_seed = fixed_case(rng)
    seed = new_seed(rng)
    kw = {"temperature": temperature, "top_k": top_k}
    expected = torch_top_k_probs(z, temperature, top_k)
    idx = np.tile(row, (DRAWS, 1))
    # Loosened from the float tolerances: frequencies are random; `bound` is five binomial standard deviations.
    check.close(lambda m: frequencies(m, z, row, model_seed, np.float64, DRAWS, seed, **kw), expected,
                rtol=0.0, atol=bound(DRAWS),
                call=f"{seeded_call(1, seed, **kw)} with idx {DRAWS} copies of the prompt {row.tolist()} and "
                     f"last logits z = {z.tolist()}, then the frequency of each token at out[:, -1]",
                inputs={"idx": idx}, names="frequency of each token among the first new tokens")


SUPPORT = [(1.0, None), (0.5, 1), (0.5, 3), (1.0, 5), (2.0, V + 2)]


@pytest.mark.parametrize("temperature,top_k", SUPPORT, ids=[f"T{t}-k{k}" for t, k in SUPPORT])
def test_generate_top_k_support(check, rng, temperature, top_k):
    """Are exactly the top_k tokens with the largest logits ever drawn (all of them when top_k is None or >= V)?"""
    z, row, model_seed = fixed_case(rng)
    seed = new_seed(rng)
    kw = {"temperature": temperature, "top_k": top_k}
    # Exact: a kept token has probability >= 0.004 here, so it is missing from 20000 draws with probability
    # below e^-80; a token outside the top k has probability 0.
    expected = torch_top_k_probs(z, temperature, top_k) > 0
    check.close(lambda m: frequencies(m, z, row, model_seed, np.float64, DRAWS, seed, **kw) > 0, expected,
                call=f"{seeded_call(1, seed, **kw)} with idx {DRAWS} copies of the prompt {row.tolist()} and "
                     f"last logits z = {z.tolist()}, then which tokens appear at out[:, -1]",
                inputs={"idx": np.tile(row, (DRAWS, 1))}, names="token appears among the first new tokens")


# ---------------------------------------------------------------------------------------- determinism


def same_seed_same_tokens(m, model_seed, idx, n, seed, **kw) -> bool:
    B = idx.shape[0]
    first = m.generate(Table(model_seed, B), idx, n, rng=np.random.default_rng(seed), **kw)
    second = m.generate(Table(model_seed, B), idx, n, rng=np.random.default_rng(seed), **kw)
    return bool(np.array_equal(first, second))


@pytest.mark.parametrize("top_k", [None, 3])
def test_generate_same_seed(check, rng, top_k):
    """Do two generators made from the same seed give the same tokens (every draw comes from rng)?"""
    B, T, n = 4, 3, 6
    idx, model_seed, seed = prompts(rng, B, T), new_seed(rng), new_seed(rng)
    kw = {} if top_k is None else {"top_k": top_k}
    check.close(lambda m: same_seed_same_tokens(m, model_seed, idx, n, seed, **kw), True,
                call=f"{seeded_call(n, seed, **kw)} twice, each with a new generator from seed {seed}",
                inputs={"idx": idx}, names="the two outputs are equal")


def seeds_differ(m, model_seed, idx, n, seed) -> tuple:
    """(two seeds give different tokens, two calls sharing one generator give different tokens)."""
    B = idx.shape[0]
    a = m.generate(Table(model_seed, B), idx, n, temperature=2.0, rng=np.random.default_rng(seed))
    b = m.generate(Table(model_seed, B), idx, n, temperature=2.0, rng=np.random.default_rng(seed + 1))
    shared = np.random.default_rng(seed)
    c = m.generate(Table(model_seed, B), idx, n, temperature=2.0, rng=shared)
    d = m.generate(Table(model_seed, B), idx, n, temperature=2.0, rng=shared)
    return bool(not np.array_equal(a, b)), bool(not np.array_equal(c, d))


def test_generate_seed_matters(check, rng):
    """Do different seeds, and two calls sharing one generator, give different tokens (rng is used and moves on)?"""
    B, T, n = 8, 2, 8
    idx, model_seed, seed = prompts(rng, B, T), new_seed(rng), new_seed(rng)
    # 64 draws at temperature 2: two runs agree on all of them with probability far below 1e-12.
    check.close(lambda m: seeds_differ(m, model_seed, idx, n, seed), (True, True),
                call=f"generate(logits_fn, idx, {n}, temperature=2.0, rng=...) with seeds {seed} and {seed + 1}, "
                     f"then twice with one generator from seed {seed}", inputs={"idx": idx},
                names=("the two seeds give different tokens", "the two calls on one generator differ"))


# ------------------------------------------------------------------------------------- form and crop


def prompt_and_range(out, idx):
    """(the first T columns equal idx, every new token is an id in [0, V))."""
    out = np.asarray(out)
    T = idx.shape[1]
    return bool(np.array_equal(out[:, :T], idx)), bool(np.all((out[:, T:] >= 0) & (out[:, T:] < V)))


@pytest.mark.parametrize("B,T,n", [(1, 3, 4), (3, 1, 5), (2, 4, 0)], ids=["B1-T3-n4", "B3-T1-n5", "B2-T4-n0"])
def test_generate_keeps_prompt(check, rng, B, T, n):
    """Is the output (B, T + max_new_tokens), int, the prompt followed by valid new tokens (just the prompt for 0)?"""
    idx, model_seed, seed = prompts(rng, B, T), new_seed(rng), new_seed(rng)
    call = seeded_call(n, seed)
    check.shaped(lambda m: m.generate(Table(model_seed, B), idx, n, rng=np.random.default_rng(seed)),
                 np.empty((B, T + n), np.int64), call=call, inputs={"idx": idx}, dtype=False)
    check.close(lambda m: prompt_and_range(m.generate(Table(model_seed, B), idx, n,
                                                      rng=np.random.default_rng(seed)), idx), (True, True),
                call=f"out = {call}", inputs={"idx": idx},
                names=("out[:, :T] equals idx", f"every new token is in [0, {V})"))


def shapes_fed(m, model_seed, idx, n, block_size, seed):
    model = Table(model_seed, idx.shape[0])
    m.generate(model, idx, n, temperature=0.7, block_size=block_size, rng=np.random.default_rng(seed))
    return tuple(model.fed)


@pytest.mark.parametrize("block_size", [1, 3, 20])
def test_generate_block_size(check, rng, block_size):
    """Does each step feed logits_fn only the last block_size tokens, shape (B, min(length, block_size))?"""
    B, T, n = 2, 4, 5
    idx, model_seed, seed = prompts(rng, B, T), new_seed(rng), new_seed(rng)
    expected = tuple((B, min(T + i, block_size)) for i in range(n))
    check.close(lambda m: shapes_fed(m, model_seed, idx, n, block_size, seed), expected,
                call=f"{seeded_call(n, seed, temperature=0.7, block_size=block_size)}, then the shape of each idx "
                     f"logits_fn was given", inputs={"idx": idx},
                names=tuple(f"step {i} shape" for i in range(n)))
    greedy = torch_greedy(Table(model_seed, B), idx, n, block_size=block_size)
    check.close(lambda m: m.generate(Table(model_seed, B), idx, n, temperature=0, block_size=block_size),
                greedy, call=f"generate(logits_fn, idx, {n}, temperature=0, block_size={block_size})",
                inputs={"idx": idx})


def test_generate_defaults(check, rng):
    """Does generate(logits_fn, idx, n) work with its defaults: temperature 1, every token, full context, rng=None?"""
    z, row, model_seed = fixed_case(rng)
    n_rows, seed = 4000, new_seed(rng)
    idx = np.tile(row, (n_rows, 1))  # (4000, 2)

    small = prompts(rng, 3, 2)  # (3, 2)

    def unseeded(m):
        model = Table(model_seed, 3)
        out = m.generate(model, small, 4)
        return prompt_and_range(out, small) + (tuple(model.fed),)

    check.close(unseeded, (True, True, ((3, 2), (3, 3), (3, 4), (3, 5))),
                call="out = generate(logits_fn, idx, 4) with idx of shape (3, 2)", inputs={"idx": small},
                names=("out[:, :T] equals idx", f"every new token is in [0, {V})", "shapes logits_fn was given"))
    # Exact: every token has probability >= 0.016 at temperature 1, so it is missing from 4000 draws with
    # probability below e^-64, however rng=None seeds itself.
    check.close(lambda m: np.bincount(np.asarray(m.generate(Fixed(z, row[-1], model_seed), idx, 1))[:, -1],
                                      minlength=V)[:V] > 0, np.ones(V, bool),
                call=f"generate(logits_fn, idx, 1) with idx {n_rows} copies of {row.tolist()}, then which tokens "
                     f"appear at out[:, -1]", inputs={"idx": idx}, names="token appears among the first new tokens")
    # Five binomial standard deviations at their widest, as in test_generate_frequencies.
    expected = torch_top_k_probs(z, 1.0, None)
    check.close(lambda m: frequencies(m, z, row, model_seed, np.float64, n_rows, seed), expected,
                rtol=0.0, atol=bound(n_rows),
                call=f"generate(logits_fn, idx, 1, rng=np.random.default_rng({seed})) with idx {n_rows} copies "
                     f"of {row.tolist()} and last logits z = {z.tolist()}, then token frequencies at out[:, -1]",
                inputs={"idx": idx}, names="frequency of each token among the first new tokens")


BAD = {
    "temperature": ({"temperature": -0.5}, "temperature=-0.5 is negative"),
    "top_k": ({"top_k": 0}, "top_k=0 keeps no token"),
    "max_new_tokens": ({"max_new_tokens": -1}, "max_new_tokens=-1 is negative"),
    "block_size": ({"block_size": 0}, "block_size=0 feeds the model no token"),
    "idx_1d": ({"idx": "1-D"}, "idx of shape (4,) is not (B, T)"),
}


@pytest.mark.parametrize("case", BAD.values(), ids=BAD.keys())
def test_generate_bad_input(check, rng, case):
    """Is a negative temperature or max_new_tokens, a top_k or block_size below 1, or a 1-D idx refused?"""
    kw, reason = case
    kw = dict(kw)
    idx = prompts(rng, 2, 3)
    if kw.pop("idx", None):
        idx = idx[0].copy()
    n = kw.pop("max_new_tokens", 3)
    model_seed, seed = new_seed(rng), new_seed(rng)
    check.raises(lambda m: m.generate(Table(model_seed, 2), idx, n, rng=np.random.default_rng(seed), **kw),
                 call=seeded_call(n, seed, **kw), inputs={"idx": idx}, reason=reason)


def test_random_shapes(check, rng):
    """On sizes, temperatures and block sizes drawn afresh each run, is greedy and top_k=1 decoding torch's argmax?"""
    for _ in range(3):
        B, T, n = (int(v) for v in rng.integers(1, 6, size=3))  # each in 1..5
        block_size = None if rng.random() < 0.3 else int(rng.integers(1, T + n + 1))
        temperature = round(float(rng.uniform(0.2, 3.0)), 2)
        idx, model_seed, seed = prompts(rng, B, T), new_seed(rng), new_seed(rng)  # (B, T)
        expected = torch_greedy(Table(model_seed, B), idx, n, block_size=block_size)
        shown_in = f"with idx.shape == {(B, T)}"
        check.close(lambda m: m.generate(Table(model_seed, B), idx, n, 0.0, None, block_size),
                    expected, call=f"generate(logits_fn, idx, {n}, 0.0, None, {block_size}) {shown_in}",
                    inputs={"idx": idx})
        check.close(lambda m: m.generate(Table(model_seed, B), idx, n, temperature, 1, block_size,
                                         np.random.default_rng(seed)),
                    expected, call=f"generate(logits_fn, idx, {n}, {temperature}, 1, {block_size}, "
                                   f"np.random.default_rng({seed})) {shown_in}", inputs={"idx": idx})


@pytest.mark.parametrize("index", [np.int64, np.int32], ids=["int64", "int32"])
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_dtype(check, rng, dtype, index):
    """Are the tokens right and in idx's integer dtype, for float64 and float32 logits?"""
    B, T, n = 2, 3, 4
    idx, model_seed, seed = prompts(rng, B, T, index), new_seed(rng), new_seed(rng)
    expected = torch_greedy(Table(model_seed, B, dtype), idx, n)
    check.close(lambda m: m.generate(Table(model_seed, B, dtype), idx, n, temperature=0,
                                     rng=np.random.default_rng(seed)),
                expected, call=seeded_call(n, seed, temperature=0), inputs={"idx": idx}, dtype=True)
