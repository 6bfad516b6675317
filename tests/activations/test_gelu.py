"""activations.gelu: gelu and gelu_backward, exact and tanh-approximated, against PyTorch."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
# A batch of one, non-square, three dimensions, a vector, and a single number (0-d).
SHAPES = {"batch1": (1, 5), "3x7": (3, 7), "2x3x4": (2, 3, 4), "vector": (6,), "scalar": ()}
# None: the call leaves `approximate` out, so its default ("none") is used.
APPROXIMATE = [None, "none", "tanh"]
# Far out on both sides: erf and tanh saturate, exp(-x**2 / 2) underflows, x**3 reaches 1e12.
LARGE = [1e4, 1e3, 710.0, 100.0, 30.0, 8.0]


def approximate_id(approximate):
    return "default" if approximate is None else approximate


def inputs(rng, shape, dtype, scale=3.0):
    return np.asarray(rng.standard_normal(shape) * scale, dtype=dtype)


def call(fn, args, approximate):
    return f"{fn}({args})" if approximate is None else f"{fn}({args}, approximate={approximate!r})"


def run(m, fn, args, approximate):
    f = getattr(m, fn)
    return f(*args) if approximate is None else f(*args, approximate=approximate)


def torch_gelu(x, approximate):
    """GELU of x in float64 (graph kept) and the leaf tensor for x."""
    xt = oracle.tensor(x, grad=True)
    return oracle.torch().nn.functional.gelu(xt, approximate=approximate or "none"), xt


def check_forward(check, x, approximate, shown="", dtype=False):
    y, _ = torch_gelu(x, approximate)
    check.close(lambda m: run(m, "gelu", (x,), approximate), oracle.numpy(y, x.dtype),
                call=call("gelu", "x", approximate) + shown, inputs={"x": x}, dtype=dtype)


def check_backward(check, g, x, approximate, shown="", dtype=False):
    y, xt = torch_gelu(x, approximate)
    (dx,) = oracle.grads(y, [xt], oracle.tensor(g))
    check.close(lambda m: run(m, "gelu_backward", (g, x), approximate), oracle.numpy(dx, g.dtype),
                call=call("gelu_backward", "grad_out, x", approximate) + shown, inputs={"grad_out": g, "x": x},
                dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("approximate", APPROXIMATE, ids=approximate_id)
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_gelu_forward(check, rng, shape, approximate, dtype):
    """Does gelu match torch.nn.functional.gelu with this approximate?"""
    check_forward(check, inputs(rng, shape, dtype), approximate)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("approximate", APPROXIMATE, ids=approximate_id)
def test_gelu_large_inputs(check, rng, approximate, dtype):
    """Does gelu stay finite and correct for inputs as large as 1e4 in size, of either sign?"""
    x = np.concatenate([LARGE, [-v for v in LARGE], rng.standard_normal(6) * 1e3]).astype(dtype)
    check_forward(check, x, approximate)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("approximate", APPROXIMATE, ids=approximate_id)
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_gelu_backward(check, rng, shape, approximate, dtype):
    """Does gelu_backward give the same input gradient as torch.autograd with this approximate?"""
    check_backward(check, inputs(rng, shape, dtype, scale=1.0), inputs(rng, shape, dtype), approximate)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("approximate", APPROXIMATE, ids=approximate_id)
def test_gelu_backward_large_inputs(check, rng, approximate, dtype):
    """Does gelu_backward stay finite and correct (0 far left, 1 far right) for inputs as large as 1e4 in size?"""
    x = np.concatenate([LARGE, [-v for v in LARGE], rng.standard_normal(6) * 1e3]).astype(dtype)
    check_backward(check, inputs(rng, x.shape, dtype, scale=1.0), x, approximate)


@pytest.mark.parametrize("approximate", ["exact", "Tanh", "erf"])
@pytest.mark.parametrize("fn", ["gelu", "gelu_backward"])
def test_bad_approximate(check, rng, fn, approximate):
    """Is an approximate other than "none" or "tanh" refused with ValueError, as torch refuses it?"""
    x = rng.standard_normal((2, 3))
    args, shown = ((x,), "x") if fn == "gelu" else ((np.ones_like(x), x), "grad_out, x")
    check.raises(lambda m: run(m, fn, args, approximate), call=call(fn, shown, approximate),
                 reason=f'approximate must be "none" or "tanh", not {approximate!r}',
                 inputs=dict(zip(("x",) if fn == "gelu" else ("grad_out", "x"), args)))


def test_backward_shape_mismatch(check, rng):
    """Does gelu_backward refuse a grad_out whose shape differs from x?"""
    g, x = rng.standard_normal((2, 3)), rng.standard_normal((3,))
    check.raises(lambda m: m.gelu_backward(g, x), call="gelu_backward(grad_out, x)",
                 inputs={"grad_out": g, "x": x}, reason="grad_out is (2, 3) but x is (3,)")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """Do gelu and gelu_backward match PyTorch on shapes and approximations drawn afresh each run?"""
    for _ in range(4):
        ndim = int(rng.integers(0, 5))
        shape = tuple(int(n) for n in rng.integers(1, 7, size=ndim))  # (d1, ..., dk), k in 0..4, each d in 1..6
        approximate = APPROXIMATE[int(rng.integers(len(APPROXIMATE)))]
        shown = f" with x.shape == {shape}"
        check_forward(check, inputs(rng, shape, dtype), approximate, shown)  # shape
        check_backward(check, inputs(rng, shape, dtype, scale=1.0), inputs(rng, shape, dtype), approximate, shown)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("approximate", APPROXIMATE, ids=approximate_id)
def test_dtype(check, rng, approximate, dtype):
    """Are gelu and gelu_backward right in the dtype of their input (float32 in, float32 out), for this approximate?"""
    x = inputs(rng, (2, 5), dtype)
    check_forward(check, x, approximate, dtype=True)
    check_backward(check, inputs(rng, (2, 5), dtype, scale=1.0), x, approximate, dtype=True)
