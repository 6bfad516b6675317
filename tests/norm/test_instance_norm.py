"""norm.instance_norm: instance_norm against torch.nn.functional.instance_norm."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
DTYPE_IDS = ["float64", "float32"]

# (N, C, *): one, two and three spatial axes, a batch of one, one channel, non-square maps, a
# spatial axis of size 1 next to a larger one. C differs from the last spatial size in all of
# them, so a weight broadcast along the last axis does not fit.
SHAPES = {
    "3d-2x3x5": (2, 3, 5),
    "batch1-1x4x6": (1, 4, 6),
    "4d-2x3x4x5": (2, 3, 4, 5),
    "4d-non-square-3x2x5x3": (3, 2, 5, 3),
    "5d-2x3x2x3x4": (2, 3, 2, 3, 4),
    "one-channel-3x1x7": (3, 1, 7),
    "4d-width1-2x4x3x1": (2, 4, 3, 1),
}
# Shapes for the weight and bias: C != the last spatial size, and C == it (there a weight broadcast along
# the last axis fits the shape and gives the wrong numbers).
AFFINE_SHAPES = {
    "3d-2x3x5": (2, 3, 5),
    "3d-last-equals-C-2x4x4": (2, 4, 4),
    "batch1-4d-last-equals-C-1x3x4x3": (1, 3, 4, 3),
    "5d-2x3x2x2x5": (2, 3, 2, 2, 5),
}


def sample(rng, shape, dtype, spread=3.0):
    """x whose every (n, c) has its own mean and scale, so statistics pooled over samples or channels show."""
    lead = shape[:2] + (1,) * (len(shape) - 2)  # (N, C, 1, ..., 1)
    means = rng.uniform(-spread, spread, size=lead)
    scales = rng.uniform(0.5, spread, size=lead)
    return (means + scales * rng.standard_normal(shape)).astype(dtype)


def affine(rng, C, dtype):
    """weight and bias, (C,) each, away from 1 and 0 and of both signs."""
    weight = rng.uniform(0.5, 2.0, size=C) * rng.choice([-1.0, 1.0], size=C)
    return weight.astype(dtype), rng.uniform(-2.0, 2.0, size=C).astype(dtype)


def torch_instance_norm(x, weight=None, bias=None, eps=None):
    """F.instance_norm with the batch's own statistics (eps None: torch's default)."""
    F = oracle.torch().nn.functional
    options = {} if eps is None else {"eps": eps}
    out = F.instance_norm(oracle.tensor(x), weight=None if weight is None else oracle.tensor(weight),
                          bias=None if bias is None else oracle.tensor(bias), use_input_stats=True, **options)
    return oracle.numpy(out, x.dtype)


def arrays(x, weight=None, bias=None):
    """The inputs of a call by name, the absent ones left out."""
    return {k: v for k, v in (("x", x), ("weight", weight), ("bias", bias)) if v is not None}


def shown(x):
    return f" with x.shape == {x.shape}"


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_instance_norm(check, rng, shape, dtype):
    """Does instance_norm(x) match F.instance_norm: each (n, c) normalised over its own spatial values?"""
    x = sample(rng, shape, dtype)
    check.close(lambda m: m.instance_norm(x), torch_instance_norm(x), call="instance_norm(x)" + shown(x),
                inputs=arrays(x))


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("shape", AFFINE_SHAPES.values(), ids=AFFINE_SHAPES.keys())
def test_affine(check, rng, shape, dtype):
    """Does instance_norm(x, weight, bias) scale channel c by weight[c] and shift it by bias[c] after normalising?"""
    x = sample(rng, shape, dtype)
    w, b = affine(rng, shape[1], dtype)
    check.close(lambda m: m.instance_norm(x, w, b), torch_instance_norm(x, w, b),
                call="instance_norm(x, weight, bias)" + shown(x), inputs=arrays(x, w, b))


# How weight and bias are given: (call, which of weight and bias are arrays, the call's arguments).
ALONE = {
    "weight-only": ("instance_norm(x, weight)", (True, False), lambda x, w, b: ((x, w), {})),
    "bias-only": ("instance_norm(x, bias=bias)", (False, True), lambda x, w, b: ((x,), {"bias": b})),
    "weight-None-and-bias": ("instance_norm(x, None, bias)", (False, True), lambda x, w, b: ((x, None, b), {})),
    "both-None": ("instance_norm(x, weight=None, bias=None)", (False, False),
                  lambda x, w, b: ((x,), {"weight": None, "bias": None})),
}


@pytest.mark.parametrize("case", ALONE.values(), ids=ALONE.keys())
def test_weight_or_bias_alone(check, rng, case):
    """With only a weight, only a bias, or neither, is the missing one taken as 1 (weight) or 0 (bias)?"""
    call, (has_w, has_b), arguments = case
    x = sample(rng, (3, 4, 5), np.float64)
    w, b = affine(rng, 4, np.float64)
    w, b = (w if has_w else None), (b if has_b else None)
    args, kwargs = arguments(x, w, b)
    check.close(lambda m: m.instance_norm(*args, **kwargs), torch_instance_norm(x, w, b), call=call + shown(x),
                inputs=arrays(x, w, b))


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_eps(check, rng, dtype):
    """Is eps, given by position or by name, added to the variance inside the square root, as torch?"""
    x = sample(rng, (2, 3, 4, 5), dtype, spread=1.0)  # variances from 0.25 to 1: an eps of 0.1 is visible
    w, b = affine(rng, 3, dtype)
    check.close(lambda m: m.instance_norm(x, w, b, 0.1), torch_instance_norm(x, w, b, eps=0.1),
                call="instance_norm(x, weight, bias, 0.1)" + shown(x), inputs=arrays(x, w, b))
    check.close(lambda m: m.instance_norm(x, eps=0.5), torch_instance_norm(x, eps=0.5),
                call="instance_norm(x, eps=0.5)" + shown(x), inputs=arrays(x))


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_tiny_variance(check, rng, dtype):
    """For a channel whose variance is far below eps, is the denominator sqrt(var + eps), not sqrt(var) + eps?"""
    x = sample(rng, (2, 3, 4, 4), dtype)
    # Variance about 1e-6 against eps 1e-5; centred near 0 so float32 loses nothing to cancellation in x - mean.
    x[1, 2] = (0.01 + 1e-3 * rng.standard_normal((4, 4))).astype(dtype)
    check.close(lambda m: m.instance_norm(x), torch_instance_norm(x),
                call="instance_norm(x)" + shown(x) + ", x[1, 2] nearly constant (variance about 1e-6)",
                inputs=arrays(x))


def test_keywords(check, rng):
    """Does instance_norm accept every argument by name (x=, weight=, bias=, eps=)?"""
    x = sample(rng, (2, 3, 6), np.float64)
    w, b = affine(rng, 3, np.float64)
    check.close(lambda m: m.instance_norm(x=x, weight=w, bias=b, eps=1e-3), torch_instance_norm(x, w, b, eps=1e-3),
                call="instance_norm(x=x, weight=weight, bias=bias, eps=0.001)" + shown(x), inputs=arrays(x, w, b))


# (shape of x, shape of weight or None, shape of bias or None, reason)
BAD = {
    "x-2d-no-spatial-axis": ((3, 4), None, None, "x is (N, C) with no spatial axis: one value per (n, c), as torch "
                                                 "refuses"),
    "x-1d": ((5,), None, None, "x is 1-D, not (N, C, *)"),
    "length-1": ((3, 4, 1), None, None, "x (3, 4, 1) has a single spatial value per (n, c): no variance, as torch "
                                        "refuses"),
    "spatial-1x1": ((2, 3, 1, 1), None, None, "x (2, 3, 1, 1) has a single spatial value per (n, c), as torch "
                                              "refuses"),
    "weight-length": ((2, 3, 4), (4,), None, "weight has 4 entries but x has 3 channels"),
    "weight-2d": ((2, 3, 4), (3, 1), None, "weight is (3, 1), not (C,) = (3,)"),
    "bias-length": ((2, 3, 4), (3,), (2,), "bias has 2 entries but x has 3 channels"),
}


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
def test_bad_input(check, rng, bad):
    """Are an x with a single spatial value per channel (as torch refuses) and a weight or bias not (C,) refused?"""
    sx, sw, sb, reason = bad
    x = rng.standard_normal(sx)
    w = None if sw is None else rng.standard_normal(sw)
    b = None if sb is None else rng.standard_normal(sb)
    check.raises(lambda m: m.instance_norm(x, w, b), call="instance_norm(x, weight, bias)" + shown(x)
                 + "".join(f", {k}.shape == {v.shape}" for k, v in (("weight", w), ("bias", b)) if v is not None),
                 reason=reason, inputs=arrays(x, w, b))


def random_shape(rng):
    """(N, C, *) with N in 1..3, C in 1..5 and 1 to 3 spatial axes of sizes 1..5, at least 4 spatial values:
    a channel of 2 or 3 values can by chance have a variance so small that float32 rounding of x - mean shows."""
    while True:
        spatial = tuple(int(n) for n in rng.integers(1, 6, size=int(rng.integers(1, 4))))
        if int(np.prod(spatial)) >= 4:
            return (int(rng.integers(1, 4)), int(rng.integers(1, 6))) + spatial


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_random_shapes(check, rng, dtype):
    """Does instance_norm match F.instance_norm on shapes, weights and biases drawn afresh each run?"""
    for _ in range(4):
        shape = random_shape(rng)  # (N, C, *)
        x = sample(rng, shape, dtype)
        w, b = affine(rng, shape[1], dtype)  # (C,) each
        w, b = (w if rng.random() < 0.7 else None), (b if rng.random() < 0.7 else None)
        check.close(lambda m: m.instance_norm(x, w, b), torch_instance_norm(x, w, b),
                    call=f"instance_norm(x, {'weight' if w is not None else None}, "
                         f"{'bias' if b is not None else None})" + shown(x), inputs=arrays(x, w, b))


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_dtype(check, rng, dtype):
    """Is instance_norm right in the dtype of its input (float32 in, float32 out), with and without weight and bias?"""
    x = sample(rng, (2, 3, 4, 5), dtype)
    w, b = affine(rng, 3, dtype)
    check.close(lambda m: m.instance_norm(x), torch_instance_norm(x), call="instance_norm(x)" + shown(x),
                inputs=arrays(x), dtype=True)
    check.close(lambda m: m.instance_norm(x, w, b), torch_instance_norm(x, w, b),
                call="instance_norm(x, weight, bias)" + shown(x), inputs=arrays(x, w, b), dtype=True)
