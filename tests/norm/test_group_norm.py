"""norm.group_norm: group_norm against torch.nn.functional.group_norm."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
DTYPE_IDS = ["float64", "float32"]

# (shape of x, num_groups). In every case num_groups G differs from the group size C // G, so taking one
# for the other shows; and where a group has more than one channel, consecutive channels and channels
# c, c + G, c + 2G, ... make different groups. (N, C) without a spatial axis, a batch of one, one, two and
# three spatial axes, non-square maps, and the two extremes: one group, and one group per channel.
CASES = {
    "3d-2x6x5-G2": ((2, 6, 5), 2),
    "batch1-1x6x4-G3": ((1, 6, 4), 3),
    "2d-no-spatial-4x6-G2": ((4, 6), 2),
    "4d-2x8x3x4-G2": ((2, 8, 3, 4), 2),
    "4d-non-square-3x6x2x5-G3": ((3, 6, 2, 5), 3),
    "5d-2x6x2x3x2-G2": ((2, 6, 2, 3, 2), 2),
    "one-group-2x5x4-G1": ((2, 5, 4), 1),
    "group-per-channel-2x5x4-G5": ((2, 5, 4), 5),
}
# Cases for weight and bias. In the first two, K * S (the values of a group) equals C, so a weight applied
# along the last axis of the (N, G, K * S) view fits that view and gives the wrong numbers.
AFFINE_CASES = {
    "3d-2x6x3-G3": ((2, 6, 3), 3),
    "batch1-4d-1x8x2x2-G4": ((1, 8, 2, 2), 4),
    "3d-2x6x5-G2": ((2, 6, 5), 2),
    "2d-no-spatial-3x6-G3": ((3, 6), 3),
    "5d-2x4x2x2x3-G2": ((2, 4, 2, 2, 3), 2),
}


def sample(rng, shape, dtype, spread=3.0):
    """x whose every (n, c) has its own mean and scale: pooling the wrong channels or samples shows."""
    lead = shape[:2] + (1,) * (len(shape) - 2)  # (N, C, 1, ..., 1)
    means = rng.uniform(-spread, spread, size=lead)
    scales = rng.uniform(0.5, spread, size=lead)
    return (means + scales * rng.standard_normal(shape)).astype(dtype)


def affine(rng, C, dtype):
    """weight and bias, (C,) each, away from 1 and 0 and of both signs."""
    weight = rng.uniform(0.5, 2.0, size=C) * rng.choice([-1.0, 1.0], size=C)
    return weight.astype(dtype), rng.uniform(-2.0, 2.0, size=C).astype(dtype)


def torch_group_norm(x, num_groups, weight=None, bias=None, eps=None):
    """F.group_norm (eps None: torch's default)."""
    F = oracle.torch().nn.functional
    options = {} if eps is None else {"eps": eps}
    out = F.group_norm(oracle.tensor(x), num_groups, weight=None if weight is None else oracle.tensor(weight),
                       bias=None if bias is None else oracle.tensor(bias), **options)
    return oracle.numpy(out, x.dtype)


def arrays(x, weight=None, bias=None):
    """The inputs of a call by name, the absent ones left out."""
    return {k: v for k, v in (("x", x), ("weight", weight), ("bias", bias)) if v is not None}


def shown(x):
    return f" with x.shape == {x.shape}"


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_group_norm(check, rng, case, dtype):
    """Does group_norm(x, num_groups) match F.group_norm: each block of C // G consecutive channels normalised?"""
    shape, G = case
    x = sample(rng, shape, dtype)
    check.close(lambda m: m.group_norm(x, G), torch_group_norm(x, G), call=f"group_norm(x, {G})" + shown(x),
                inputs=arrays(x))


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("case", AFFINE_CASES.values(), ids=AFFINE_CASES.keys())
def test_affine(check, rng, case, dtype):
    """Does group_norm(x, G, weight, bias) scale channel c by weight[c] and shift it by bias[c] after normalising?"""
    shape, G = case
    x = sample(rng, shape, dtype)
    w, b = affine(rng, shape[1], dtype)
    check.close(lambda m: m.group_norm(x, G, w, b), torch_group_norm(x, G, w, b),
                call=f"group_norm(x, {G}, weight, bias)" + shown(x), inputs=arrays(x, w, b))


# How weight and bias are given: (call, which of weight and bias are arrays, the call's arguments).
ALONE = {
    "weight-only": ("group_norm(x, 2, weight)", (True, False), lambda x, w, b: ((x, 2, w), {})),
    "bias-only": ("group_norm(x, 2, bias=bias)", (False, True), lambda x, w, b: ((x, 2), {"bias": b})),
    "weight-None-and-bias": ("group_norm(x, 2, None, bias)", (False, True), lambda x, w, b: ((x, 2, None, b), {})),
    "both-None": ("group_norm(x, 2, weight=None, bias=None)", (False, False),
                  lambda x, w, b: ((x, 2), {"weight": None, "bias": None})),
}


@pytest.mark.parametrize("case", ALONE.values(), ids=ALONE.keys())
def test_weight_or_bias_alone(check, rng, case):
    """With only a weight, only a bias, or neither, is the missing one taken as 1 (weight) or 0 (bias)?"""
    call, (has_w, has_b), arguments = case
    x = sample(rng, (3, 6, 4), np.float64)
    w, b = affine(rng, 6, np.float64)
    w, b = (w if has_w else None), (b if has_b else None)
    args, kwargs = arguments(x, w, b)
    check.close(lambda m: m.group_norm(*args, **kwargs), torch_group_norm(x, 2, w, b), call=call + shown(x),
                inputs=arrays(x, w, b))


# num_groups = 1 is layer norm over (C, *) (F.layer_norm without its elementwise affine); num_groups = C is
# instance norm, per-channel weight and bias included. Both are still torch's own functions.
EXTREMES = {"G1-is-layer-norm": 1, "G-equals-C-is-instance-norm": 4}


@pytest.mark.parametrize("G", EXTREMES.values(), ids=EXTREMES.keys())
def test_extremes(check, rng, G):
    """Is group_norm with num_groups=1 F.layer_norm over (C, *), and with num_groups=C F.instance_norm?"""
    torch = oracle.torch()
    x = sample(rng, (2, 4, 3, 5), np.float64)
    if G == 1:
        expected = oracle.numpy(torch.nn.functional.layer_norm(oracle.tensor(x), x.shape[1:]))
        check.close(lambda m: m.group_norm(x, 1), expected, inputs=arrays(x),
                    call="group_norm(x, 1)" + shown(x) + ", against F.layer_norm(x, x.shape[1:])")
    else:
        w, b = affine(rng, 4, np.float64)
        expected = oracle.numpy(torch.nn.functional.instance_norm(
            oracle.tensor(x), weight=oracle.tensor(w), bias=oracle.tensor(b), use_input_stats=True))
        check.close(lambda m: m.group_norm(x, 4, w, b), expected, inputs=arrays(x, w, b),
                    call="group_norm(x, 4, weight, bias)" + shown(x) + ", against F.instance_norm(x, weight=weight, "
                                                                       "bias=bias)")


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_eps(check, rng, dtype):
    """Is eps, given by position or by name, added to the variance inside the square root, as torch?"""
    x = sample(rng, (2, 6, 3, 4), dtype, spread=1.0)  # group variances around 1: an eps of 0.1 is visible
    w, b = affine(rng, 6, dtype)
    check.close(lambda m: m.group_norm(x, 3, w, b, 0.1), torch_group_norm(x, 3, w, b, eps=0.1),
                call="group_norm(x, 3, weight, bias, 0.1)" + shown(x), inputs=arrays(x, w, b))
    check.close(lambda m: m.group_norm(x, 2, eps=0.5), torch_group_norm(x, 2, eps=0.5),
                call="group_norm(x, 2, eps=0.5)" + shown(x), inputs=arrays(x))


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_tiny_variance(check, rng, dtype):
    """For a group whose variance is far below eps, is the denominator sqrt(var + eps), not sqrt(var) + eps?"""
    x = sample(rng, (2, 6, 4, 3), dtype)
    # Group 1 of sample 0 (channels 2 and 3): variance about 1e-6 against eps 1e-5, centred near 0 so that
    # float32 loses nothing to cancellation in x - mean.
    x[0, 2:4] = (0.01 + 1e-3 * rng.standard_normal((2, 4, 3))).astype(dtype)
    check.close(lambda m: m.group_norm(x, 3), torch_group_norm(x, 3),
                call="group_norm(x, 3)" + shown(x) + ", x[0, 2:4] nearly constant (variance about 1e-6)",
                inputs=arrays(x))


def test_keywords(check, rng):
    """Does group_norm accept every argument by name (x=, num_groups=, weight=, bias=, eps=)?"""
    x = sample(rng, (2, 6, 5), np.float64)
    w, b = affine(rng, 6, np.float64)
    check.close(lambda m: m.group_norm(x=x, num_groups=3, weight=w, bias=b, eps=1e-3),
                torch_group_norm(x, 3, w, b, eps=1e-3),
                call="group_norm(x=x, num_groups=3, weight=weight, bias=bias, eps=0.001)" + shown(x),
                inputs=arrays(x, w, b))


# (shape of x, num_groups, shape of weight or None, shape of bias or None, reason)
BAD = {
    "not-divisible": ((2, 6, 3), 4, None, None, "6 channels cannot be split into 4 equal groups"),
    "more-groups-than-channels": ((2, 3, 4), 6, None, None, "6 groups for 3 channels"),
    "zero-groups": ((2, 6, 3), 0, None, None, "num_groups is 0: it must be a positive int"),
    "negative-groups": ((2, 6, 3), -3, None, None, "num_groups is -3: it must be a positive int (6 % -3 == 0 "
                                                   "does not make it one)"),
    "x-1d": ((6,), 2, None, None, "x is 1-D, not (N, C, *)"),
    "weight-per-group": ((2, 6, 3), 2, (2,), None, "weight has one entry per group; it must have one per "
                                                   "channel, (6,)"),
    "bias-length": ((2, 6, 3), 2, (6,), (5,), "bias has 5 entries but x has 6 channels"),
    "one-value-per-group-1x4": ((1, 4), 4, None, None, "N = 1 and every group is a single value: nothing to "
                                                       "normalise with, as torch refuses"),
    "one-value-per-group-1x3x1x1": ((1, 3, 1, 1), 3, None, None, "N = 1 and every group is a single value: "
                                                                 "nothing to normalise with, as torch refuses"),
}


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
def test_bad_input(check, rng, bad):
    """Are a num_groups that is not a positive divisor of C, a weight or bias not (C,), and bad x refused?"""
    sx, G, sw, sb, reason = bad
    x = rng.standard_normal(sx)
    w = None if sw is None else rng.standard_normal(sw)
    b = None if sb is None else rng.standard_normal(sb)
    check.raises(lambda m: m.group_norm(x, G, w, b), call=f"group_norm(x, {G}, weight, bias)" + shown(x)
                 + "".join(f", {k}.shape == {v.shape}" for k, v in (("weight", w), ("bias", b)) if v is not None),
                 reason=reason, inputs=arrays(x, w, b))


def random_case(rng):
    """(N, C, *) and G: N in 1..3, G and the group size K = C // G in 1..4, 0 to 2 spatial axes of sizes 1..4,
    and at least 4 values per group: a group of 2 or 3 values can by chance have a variance so small that
    float32 rounding of x - mean shows."""
    while True:
        G, K = (int(n) for n in rng.integers(1, 5, size=2))
        spatial = tuple(int(n) for n in rng.integers(1, 5, size=int(rng.integers(0, 3))))
        if K * int(np.prod(spatial)) >= 4:
            return (int(rng.integers(1, 4)), G * K) + spatial, G


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_random_shapes(check, rng, dtype):
    """Does group_norm match F.group_norm on shapes, group counts, weights and biases drawn afresh each run?"""
    for _ in range(4):
        shape, G = random_case(rng)  # (N, C, *), C = G * K
        x = sample(rng, shape, dtype)
        w, b = affine(rng, shape[1], dtype)  # (C,) each
        w, b = (w if rng.random() < 0.7 else None), (b if rng.random() < 0.7 else None)
        check.close(lambda m: m.group_norm(x, G, w, b), torch_group_norm(x, G, w, b),
                    call=f"group_norm(x, {G}, {'weight' if w is not None else None}, "
                         f"{'bias' if b is not None else None})" + shown(x), inputs=arrays(x, w, b))


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_dtype(check, rng, dtype):
    """Is group_norm right in the dtype of its input (float32 in, float32 out), with and without weight and bias?"""
    x = sample(rng, (2, 6, 3, 4), dtype)
    w, b = affine(rng, 6, dtype)
    check.close(lambda m: m.group_norm(x, 3), torch_group_norm(x, 3), call="group_norm(x, 3)" + shown(x),
                inputs=arrays(x), dtype=True)
    check.close(lambda m: m.group_norm(x, 2, w, b), torch_group_norm(x, 2, w, b),
                call="group_norm(x, 2, weight, bias)" + shown(x), inputs=arrays(x, w, b), dtype=True)
