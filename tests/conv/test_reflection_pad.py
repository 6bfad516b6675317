"""conv.reflection_pad: reflection_pad1d and reflection_pad2d against nn.ReflectionPad1d and nn.ReflectionPad2d."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
DTYPE_IDS = ["float64", "float32"]

# (x shape, padding). Unequal sides so that swapped sides show; pads of L - 1, the largest allowed.
PAD1D = {
    "int-2": ((2, 3, 6), 2),
    "(1,3)": ((2, 2, 5), (1, 3)),
    "(3,0)-left-only": ((1, 3, 6), (3, 0)),
    "(0,2)-right-only": ((2, 1, 4), (0, 2)),
    "(4,4)-largest-on-L5": ((2, 2, 5), (4, 4)),
    "zero": ((2, 2, 4), 0),
    "2d-input-(C,L)-(2,1)": ((3, 7), (2, 1)),
    "batch1-L3-int-1": ((1, 1, 3), 1),
    "batch0-(2,1)": ((0, 2, 5), (2, 1)),  # an empty batch is allowed; only C and L must not be empty
}
# padding is (left, right, top, bottom): the width first. Every side differs from the others, and H != W,
# so that reading it as (top, bottom, left, right) gives a different answer.
PAD2D = {
    "int-1": ((2, 2, 4, 5), 1),
    "3d-input-int-2": ((3, 4, 5), 2),
    "(1,2,0,3)": ((2, 2, 5, 4), (1, 2, 0, 3)),
    "(3,0,2,1)": ((1, 3, 4, 6), (3, 0, 2, 1)),
    "(5,5,2,2)-largest": ((1, 2, 3, 6), (5, 5, 2, 2)),
    "(0,0,1,2)-rows-only": ((2, 1, 4, 3), (0, 0, 1, 2)),
    "(2,1,0,0)-columns-only": ((2, 2, 3, 5), (2, 1, 0, 0)),
    "3d-input-(1,3,2,0)": ((2, 3, 5), (1, 3, 2, 0)),
    "batch0-int-1": ((0, 2, 4, 5), 1),  # an empty batch is allowed; only C, H and W must not be empty
}
# Negative pads crop that side (after the other side is reflected), as torch does.
NEGATIVE = {
    "1d-(-1,2)": ((2, 2, 5), (-1, 2)),
    "1d-(-3,4)-crop-into-reflection": ((1, 2, 5), (-3, 4)),
    "1d-(-2,-1)": ((2, 1, 6), (-2, -1)),
    "1d-int-(-1)": ((3, 5), -1),
    "2d-(-1,2,1,-2)": ((2, 2, 5, 6), (-1, 2, 1, -2)),
    "2d-(-1,-1,-1,-1)": ((1, 2, 4, 5), (-1, -1, -1, -1)),
    "2d-(0,3,-2,0)": ((1, 1, 4, 5), (0, 3, -2, 0)),
    "1d-(-2,-2)-leaves-one-cell": ((2, 2, 5), (-2, -2)),  # a length of 1 is allowed, only 0 is refused
    "2d-(0,0,3,-2)-crop-less-than-reflected": ((1, 2, 4, 5), (0, 0, 3, -2)),  # 4 + 3 - 2 rows; 4 - 3 - 2 < 0
    "2d-(0,0,-2,3)-crop-less-than-reflected": ((1, 2, 4, 5), (0, 0, -2, 3)),  # 4 - 2 + 3 rows; 4 - 2 - 3 < 0
    "2d-(1,2,-2,-2)-no-rows-left": ((1, 2, 4, 5), (1, 2, -2, -2)),  # torch allows an empty result in 2-D
    "2d-(-2,-3,1,0)-no-columns-left": ((1, 2, 4, 5), (-2, -3, 1, 0)),
}


def values(rng, shape, dtype):
    """Distinct values, so that each output cell shows which input cell it copied."""
    if np.dtype(dtype).kind == "i":
        return rng.permutation(int(np.prod(shape))).reshape(shape).astype(dtype)
    return np.asarray(rng.standard_normal(shape), dtype=dtype)


def run(check, fn, x, padding):
    torch = oracle.torch()
    module = (torch.nn.ReflectionPad1d if fn == "reflection_pad1d" else torch.nn.ReflectionPad2d)(padding)
    expected = oracle.numpy(module(oracle.tensor(x)), x.dtype)
    check.close(lambda m: getattr(m, fn)(x, padding), expected, call=f"{fn}(x, {padding!r}) with x.shape == {x.shape}",
                inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("name", PAD1D)
def test_reflection_pad1d(check, rng, name, dtype):
    """Does reflection_pad1d match nn.ReflectionPad1d: mirrored at the end cells, which are not repeated?"""
    x_shape, padding = PAD1D[name]
    run(check, "reflection_pad1d", values(rng, x_shape, dtype), padding)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("name", PAD2D)
def test_reflection_pad2d(check, rng, name, dtype):
    """Does reflection_pad2d match nn.ReflectionPad2d, with padding read as (left, right, top, bottom)?"""
    x_shape, padding = PAD2D[name]
    run(check, "reflection_pad2d", values(rng, x_shape, dtype), padding)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("name", NEGATIVE)
def test_negative_padding(check, rng, name, dtype):
    """Does a negative pad remove that many cells from its side, as torch's reflection padding does?"""
    x_shape, padding = NEGATIVE[name]
    fn = "reflection_pad1d" if name.startswith("1d") else "reflection_pad2d"
    run(check, fn, values(rng, x_shape, dtype), padding)


BAD = [
    pytest.param("reflection_pad1d", (6,), 2, "x is 1-D; reflection_pad1d takes (N, C, L) or (C, L)", id="1d-x-1d"),
    pytest.param("reflection_pad1d", (1, 2, 3, 6), 2, "x is 4-D; reflection_pad1d takes (N, C, L) or (C, L)",
                 id="1d-x-4d"),
    pytest.param("reflection_pad1d", (2, 2, 5), 5, "a pad of 5 is not smaller than L = 5", id="1d-pad-equals-L"),
    pytest.param("reflection_pad1d", (2, 2, 5), (1, 5), "the right pad 5 is not smaller than L = 5",
                 id="1d-right-pad-equals-L"),
    pytest.param("reflection_pad1d", (2, 2, 5), (1, 2, 3), "padding has three entries, not (left, right)",
                 id="1d-three-entries"),
    pytest.param("reflection_pad1d", (2, 2, 5), (-3, -2), "cropping 5 of 5 cells leaves nothing", id="1d-crops-all"),
    pytest.param("reflection_pad1d", (2, 2, 5), 1.5, "a pad of 1.5 cells", id="1d-float"),
    pytest.param("reflection_pad1d", (2, 0, 5), 1, "x has no channels (C = 0)", id="1d-empty-C"),
    pytest.param("reflection_pad1d", (0, 5), 1, "x is (C, L) with no channels (C = 0)", id="1d-(C,L)-empty-C"),
    pytest.param("reflection_pad2d", (4, 5), 1, "x is 2-D; reflection_pad2d takes (N, C, H, W) or (C, H, W)",
                 id="2d-x-2d"),
    pytest.param("reflection_pad2d", (1, 1, 2, 4, 5), 1, "x is 5-D; reflection_pad2d takes (N, C, H, W) or (C, H, W)",
                 id="2d-x-5d"),
    pytest.param("reflection_pad2d", (1, 2, 3, 6), (6, 0, 0, 0), "the left pad 6 is not smaller than W = 6",
                 id="2d-left-equals-W"),
    pytest.param("reflection_pad2d", (1, 2, 3, 6), (0, 0, 3, 0), "the top pad 3 is not smaller than H = 3 (W is 6)",
                 id="2d-top-equals-H"),
    pytest.param("reflection_pad2d", (1, 2, 3, 6), 3, "a pad of 3 is not smaller than H = 3", id="2d-int-equals-H"),
    pytest.param("reflection_pad2d", (1, 2, 3, 6), (1, 1, 1), "padding has three entries, not four",
                 id="2d-three-entries"),
    pytest.param("reflection_pad2d", (1, 2, 3, 6), (-4, -3, 0, 0), "cropping 7 columns of 6", id="2d-crops-past-W"),
    pytest.param("reflection_pad2d", (1, 0, 3, 6), 1, "x has no channels (C = 0)", id="2d-empty-C"),
    pytest.param("reflection_pad2d", (0, 3, 6), 1, "x is (C, H, W) with no channels (C = 0)", id="2d-(C,H,W)-empty-C"),
]


@pytest.mark.parametrize("fn, x_shape, padding, reason", BAD)
def test_bad_input(check, rng, fn, x_shape, padding, reason):
    """Is an input or a padding torch refuses (a pad not smaller than its axis, a wrong rank) refused with ValueError?"""
    x = values(rng, x_shape, np.float64)
    check.raises(lambda m: getattr(m, fn)(x, padding), call=f"{fn}(x, {padding!r}) with x.shape == {x.shape}",
                 reason=reason, inputs={"x": x})


def random_pads(rng, sizes):
    """A pair (before, after) for each axis size in `sizes`: each 0..size - 1, now and then a negative one."""
    pads = []
    for n in sizes:
        pair = [int(p) for p in rng.integers(0, n, size=2)]  # 0..n - 1: smaller than the axis
        if n > 2 and rng.random() < 0.25:
            pair[int(rng.integers(0, 2))] = -int(rng.integers(1, n // 2 + 1))  # crop at most half the axis
        pads += pair
    return tuple(pads)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_random_shapes(check, rng, dtype):
    """Do reflection_pad1d and reflection_pad2d match torch on shapes and paddings drawn afresh each run?"""
    for _ in range(4):
        lead = tuple(int(n) for n in rng.integers(1, 4, size=2))  # N, C each 1..3
        lead = lead if rng.random() < 0.75 else lead[1:]
        length = int(rng.integers(1, 9))  # L 1..8
        pads = random_pads(rng, (length,))
        run(check, "reflection_pad1d", values(rng, lead + (length,), dtype), pads)
        h, w = (int(n) for n in rng.integers(1, 8, size=2))  # H, W 1..7
        pads = random_pads(rng, (w, h))  # (left, right) for W first, then (top, bottom) for H
        run(check, "reflection_pad2d", values(rng, lead + (h, w), dtype), pads)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64], ids=["float64", "float32", "int64"])
def test_dtype(check, rng, dtype):
    """Do reflection_pad1d and reflection_pad2d keep the dtype of x (float32 in, float32 out; int64 stays int64)?"""
    torch = oracle.torch()
    x = values(rng, (2, 3, 5), dtype)
    check.close(lambda m: m.reflection_pad1d(x, 2), oracle.numpy(torch.nn.ReflectionPad1d(2)(oracle.tensor(x)), dtype),
                call="reflection_pad1d(x, 2)", inputs={"x": x}, dtype=True)
    x = values(rng, (2, 2, 4, 5), dtype)
    check.close(lambda m: m.reflection_pad2d(x, (1, 2, 3, 0)),
                oracle.numpy(torch.nn.ReflectionPad2d((1, 2, 3, 0))(oracle.tensor(x)), dtype),
                call="reflection_pad2d(x, (1, 2, 3, 0))", inputs={"x": x}, dtype=True)
