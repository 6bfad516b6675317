"""layers.dropout: inverted dropout, checked by its statistics and by torch's behaviour at p = 0, p = 1 and in eval.

PyTorch's random numbers cannot be reproduced in NumPy, so the training-mode tests check properties
of the output under a seeded np.random.Generator created inside each scenario: which values survive
(x / (1 - p)), how many are dropped, and how masks relate between calls. Each scenario returns such a
FEATURE of the output, so a catalogued mistake is recognised even when it draws its mask differently.
"""

import warnings

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
# 100,000 elements: enough for the fraction of dropped elements to be pinned down (see `five_sigma`).
BIG = (200, 500)
# 0.2 and 0.7 rather than 0.5, where keeping with probability p and with 1 - p look alike.
PS = [0.2, 0.7]


def activations(rng, shape, dtype):
    """Values with 0.5 <= |x| <= 2, so an output of exactly 0 can only mean a dropped element."""
    return (rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)).astype(dtype)


def new_seed(rng) -> int:
    return int(rng.integers(2**31))


def five_sigma(q, n):
    """Five standard deviations of the fraction of n independent events of probability q (binomial).

    A correct answer falls outside this band about once in 1.7 million runs.
    """
    return 5 * np.sqrt(q * (1 - q) / n)


def dropped(out) -> float:
    """The fraction of the output that is exactly 0."""
    return float(np.mean(np.asarray(out) == 0))


def kept_stats(out, x):
    """(fraction dropped, to 1 decimal; smallest and largest out / x where out != 0)."""
    out64, x64 = np.asarray(out, dtype=np.float64), x.astype(np.float64)
    kept = out64 != 0
    ratio = out64[kept] / x64[kept]
    lo, hi = (ratio.min(), ratio.max()) if ratio.size else (np.nan, np.nan)
    return round(dropped(out), 1), float(lo), float(hi)


KEPT_NAMES = ("fraction of out that is 0 (to 1 decimal)", "smallest out / x where out != 0",
              "largest out / x where out != 0")


def seeded_call(p, seed, training=None) -> str:
    mode = "" if training is None else f", training={training}"
    return f"dropout(x, p={p}{mode}, rng=np.random.default_rng({seed}))"


def seeded(m, x, p, seed, **kw):
    return m.dropout(x, p=p, rng=np.random.default_rng(seed), **kw)


def torch_dropout(x, p, training):
    return oracle.numpy(oracle.torch().nn.functional.dropout(oracle.tensor(x), p=p, training=training), x.dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("shape", [(1, 7), (3, 5), (2, 3, 4)], ids=["1x7", "3x5", "2x3x4"])
def test_dropout_shape_dtype(check, rng, shape, dtype):
    """Does dropout return an array with the shape and dtype of x, in training (p = 0.3 and p = 1) and in eval?"""
    x, seed = activations(rng, shape, dtype), new_seed(rng)
    for p, training in ((0.3, None), (1.0, None), (0.3, False)):
        kw = {} if training is None else {"training": training}
        check.shaped(lambda m: seeded(m, x, p, seed, **kw), np.empty(shape, dtype),
                     call=seeded_call(p, seed, training), inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("p", PS)
def test_dropout_kept_values(check, rng, p, dtype):
    """Is every element that survives dropout equal to x / (1 - p)?"""
    x, seed = activations(rng, BIG, dtype), new_seed(rng)
    check.shaped(lambda m: seeded(m, x, p, seed), x, call=seeded_call(p, seed), inputs={"x": x}, dtype=False)
    check.close(lambda m: kept_stats(seeded(m, x, p, seed), x), (round(p, 1), 1 / (1 - p), 1 / (1 - p)),
                call=f"out = {seeded_call(p, seed)}, then out / x where out != 0", inputs={"x": x},
                names=KEPT_NAMES)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("p", PS)
def test_dropout_drop_fraction(check, rng, p, dtype):
    """Is the fraction of dropped elements p, within five binomial standard deviations?"""
    x, seed = activations(rng, BIG, dtype), new_seed(rng)
    check.shaped(lambda m: seeded(m, x, p, seed), x, call=seeded_call(p, seed), inputs={"x": x}, dtype=False)
    # Loosened from the float tolerances: the fraction is random, with a binomial spread.
    check.close(lambda m: dropped(seeded(m, x, p, seed)), p, rtol=0.0, atol=five_sigma(p, x.size),
                call=f"fraction of {seeded_call(p, seed)} that is 0", inputs={"x": x},
                names="fraction of out that is 0")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("p", [0.3, 0.9])
def test_dropout_eval_identity(check, rng, p, dtype):
    """With training=False, does dropout return x unchanged, like torch's dropout in eval mode?"""
    x, seed = activations(rng, BIG, dtype), new_seed(rng)
    call = seeded_call(p, seed, training=False)
    check.shaped(lambda m: seeded(m, x, p, seed, training=False), x, call=call, inputs={"x": x}, dtype=False)
    check.close(lambda m: kept_stats(seeded(m, x, p, seed, training=False), x), (0.0, 1.0, 1.0),
                call=f"out = {call}, then out / x where out != 0", inputs={"x": x}, names=KEPT_NAMES)
    check.close(lambda m: seeded(m, x, p, seed, training=False), torch_dropout(x, p, training=False),
                call=call, inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dropout_p_zero(check, rng, dtype):
    """With p = 0, does dropout keep every element unchanged, like torch?"""
    x, seed = activations(rng, (4, 6), dtype), new_seed(rng)
    check.close(lambda m: seeded(m, x, 0.0, seed), torch_dropout(x, 0.0, training=True),
                call=seeded_call(0.0, seed), inputs={"x": x})


def warned(m, x, p, seed) -> bool:
    """Whether dropout(x, p, rng) made NumPy warn (x / (1 - p) at p = 1 warns "divide by zero")."""
    with warnings.catch_warnings(record=True) as caught, np.errstate(divide="warn", invalid="warn"):
        warnings.simplefilter("always")
        seeded(m, x, p, seed)
    return any(issubclass(w.category, RuntimeWarning) for w in caught)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dropout_p_one(check, rng, dtype):
    """With p = 1, does dropout return all zeros like torch (no NaN, no NumPy warning from dividing by 1 - p = 0)?"""
    x, seed = activations(rng, (4, 6), dtype), new_seed(rng)
    check.close(lambda m: seeded(m, x, 1.0, seed), torch_dropout(x, 1.0, training=True),
                call=seeded_call(1.0, seed), inputs={"x": x})
    check.close(lambda m: warned(m, x, 1.0, seed), False, inputs={"x": x},
                call=f"{seeded_call(1.0, seed)} warned, where True means NumPy warned "
                     '(for example "divide by zero encountered in divide")')


def two_calls_differ(m, x, p, seed) -> float:
    """The fraction of elements dropped in one of two calls sharing one generator but not in the other."""
    rng = np.random.default_rng(seed)
    first, second = m.dropout(x, p=p, rng=rng), m.dropout(x, p=p, rng=rng)
    return float(np.mean((np.asarray(first) == 0) != (np.asarray(second) == 0)))


def test_dropout_fresh_mask_per_call(check, rng):
    """Does each call draw a new mask from rng (two calls with one generator drop different elements)?"""
    p = 0.3
    x, seed = activations(rng, BIG, np.float64), new_seed(rng)
    check.shaped(lambda m: seeded(m, x, p, seed), x, call=seeded_call(p, seed), inputs={"x": x}, dtype=False)
    # Two independent masks disagree on an element with probability 2p(1 - p); binomial spread.
    q = 2 * p * (1 - p)
    check.close(lambda m: two_calls_differ(m, x, p, seed), q, rtol=0.0, atol=five_sigma(q, x.size),
                call=f"rng = np.random.default_rng({seed}); a = dropout(x, p={p}, rng=rng); "
                     f"b = dropout(x, p={p}, rng=rng)",
                inputs={"x": x}, names="fraction of elements dropped in a or b but not both")


def same_seed_same_output(m, x, p, seed) -> bool:
    first = m.dropout(x, p=p, rng=np.random.default_rng(seed))
    second = m.dropout(x, p=p, rng=np.random.default_rng(seed))
    return bool(np.array_equal(first, second))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dropout_same_seed(check, rng, dtype):
    """Do two generators made from the same seed give the same output (the mask comes from rng)?"""
    p = 0.3
    x, seed = activations(rng, (50, 40), dtype), new_seed(rng)
    check.shaped(lambda m: seeded(m, x, p, seed), x, call=seeded_call(p, seed), inputs={"x": x}, dtype=False)
    check.close(lambda m: same_seed_same_output(m, x, p, seed), True,
                call=f"{seeded_call(p, seed)} twice, each with a new generator from seed {seed}",
                inputs={"x": x}, names="the two outputs are equal")


def test_dropout_defaults(check, rng):
    """Does dropout(x) work with its defaults: p = 0.5, training, and a fresh generator for rng=None?"""
    x = activations(rng, BIG, np.float64)
    check.shaped(lambda m: m.dropout(x), x, call="dropout(x)", inputs={"x": x}, dtype=False)
    check.close(lambda m: kept_stats(m.dropout(x), x), (0.5, 2.0, 2.0),
                call="out = dropout(x), then out / x where out != 0", inputs={"x": x}, names=KEPT_NAMES)


@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_dropout_bad_p(check, rng, p):
    """Is a p outside [0, 1] refused with ValueError?"""
    x, seed = activations(rng, (2, 3), np.float64), new_seed(rng)
    check.raises(lambda m: seeded(m, x, p, seed), call=seeded_call(p, seed), inputs={"x": x},
                 reason=f"p={p} is not a probability")


def survivor_ratios(out, x, p):
    """(smallest, largest) out / x where out != 0; both 1 / (1 - p), as required, when nothing survived."""
    if not np.any(np.asarray(out) != 0):
        return 1 / (1 - p), 1 / (1 - p)
    return kept_stats(out, x)[1:]


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """On shapes and p drawn afresh each run, are survivors x / (1 - p), in x's shape, and eval x unchanged?"""
    for _ in range(4):
        ndim = int(rng.integers(1, 5))
        shape = tuple(int(n) for n in rng.integers(1, 7, size=ndim))  # (d1, ..., dk), k in 1..4, each d in 1..6
        # 0.1 to 0.4 or 0.6 to 0.9, two decimals: never 0.5, where 1 / p and 1 / (1 - p) agree.
        p = round(float(rng.uniform(0.1, 0.4)), 2)
        p = round(1 - p, 2) if rng.random() < 0.5 else p
        x, seed = activations(rng, shape, dtype), new_seed(rng)  # shape
        train, shown = seeded_call(p, seed), f"with x.shape == {shape}"
        check.shaped(lambda m: seeded(m, x, p, seed), x, call=f"{train} {shown}", inputs={"x": x}, dtype=False)
        check.close(lambda m: survivor_ratios(seeded(m, x, p, seed), x, p), (1 / (1 - p), 1 / (1 - p)),
                    call=f"out = {train} {shown}, then out / x where out != 0", inputs={"x": x},
                    names=KEPT_NAMES[1:])
        evaluate = seeded_call(p, seed, training=False)
        check.shaped(lambda m: seeded(m, x, p, seed, training=False), x, call=f"{evaluate} {shown}",
                     inputs={"x": x}, dtype=False)
        check.close(lambda m: kept_stats(seeded(m, x, p, seed, training=False), x), (0.0, 1.0, 1.0),
                    call=f"out = {evaluate} {shown}, then out / x where out != 0", inputs={"x": x},
                    names=KEPT_NAMES)
        check.close(lambda m: seeded(m, x, p, seed, training=False), torch_dropout(x, p, training=False),
                    call=f"{evaluate} {shown}", inputs={"x": x})
