"""activations.sigmoid: sigmoid and sigmoid_backward against PyTorch, and no overflow warning."""

import warnings

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
# A batch of one, non-square, three dimensions, a vector, and a single number (0-d).
SHAPES = {"batch1": (1, 5), "3x7": (3, 7), "2x3x4": (2, 3, 4), "vector": (6,), "scalar": ()}
# Far enough out that exp(-x) overflows (float64 beyond about 709.8, float32 beyond 88.7).
NEGATIVE = [-1e4, -1e3, -800.0, -710.0, -100.0]
# Where the true sigmoid rounds to exactly 0 or 1 in both float64 and float32.
LIMITS = [-1e4, -1e3, -800.0, 800.0, 1e3, 1e4]


def inputs(rng, shape, dtype, scale=3.0):
    return np.asarray(rng.standard_normal(shape) * scale, dtype=dtype)


def torch_sigmoid(x):
    return oracle.numpy(oracle.torch().sigmoid(oracle.tensor(x)), x.dtype)


def overflow_warned(fn, x) -> bool:
    """Whether fn(x) made NumPy warn of an overflow (underflow does not count: it is harmless here)."""
    with warnings.catch_warnings(record=True) as caught, np.errstate(over="warn"):
        warnings.simplefilter("always")
        fn(x)
    return any(issubclass(w.category, RuntimeWarning) and "overflow" in str(w.message) for w in caught)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_sigmoid_forward(check, rng, shape, dtype):
    """Does sigmoid match torch.sigmoid on ordinary inputs?"""
    x = inputs(rng, shape, dtype)
    check.close(lambda m: m.sigmoid(x), torch_sigmoid(x), call="sigmoid(x)", inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("scale", [1e3, 1e4], ids=["1e3", "1e4"])
def test_sigmoid_large_inputs(check, rng, scale, dtype):
    """Does sigmoid stay finite and correct for inputs as large as 1e4 in size, of either sign?"""
    spread = np.array(NEGATIVE + [-40.0, -20.0, 0.0, 20.0, 40.0] + [-v for v in NEGATIVE])
    x = np.concatenate([spread, rng.standard_normal(8) * scale]).astype(dtype)
    check.close(lambda m: m.sigmoid(x), torch_sigmoid(x), call="sigmoid(x)", inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_sigmoid_exact_limits(check, dtype):
    """Is sigmoid exactly 0 at -1e4, -1e3, -800 and exactly 1 at 800, 1e3, 1e4, as torch?"""
    x = np.array(LIMITS, dtype=dtype)
    # rtol=atol=0: the limits must be exact, not merely within rounding of 0 and 1.
    check.close(lambda m: m.sigmoid(x), torch_sigmoid(x), call="sigmoid(x)", inputs={"x": x}, rtol=0.0, atol=0.0)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_sigmoid_no_overflow_warning(check, dtype):
    """Does sigmoid run without NumPy warning "overflow encountered in exp", for large negative and large positive x?"""
    negative = np.array(NEGATIVE, dtype=dtype)
    positive = -negative
    check.close(lambda m: np.array([overflow_warned(m.sigmoid, negative), overflow_warned(m.sigmoid, positive)]),
                np.array([False, False]), inputs={"x_negative": negative, "x_positive": positive},
                call='[sigmoid(x_negative) warned, sigmoid(x_positive) warned], where True means NumPy warned '
                     '"overflow encountered in exp"')


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_sigmoid_backward(check, rng, shape, dtype):
    """Does sigmoid_backward, given the forward output, give the same input gradient as torch.autograd?"""
    x = oracle.tensor(inputs(rng, shape, np.float64), grad=True)
    y = oracle.torch().sigmoid(x)
    g = inputs(rng, shape, dtype, scale=1.0)
    (dx,) = oracle.grads(y, [x], oracle.tensor(g))
    out = oracle.numpy(y, dtype)
    check.close(lambda m: m.sigmoid_backward(g, out), oracle.numpy(dx, dtype),
                call="sigmoid_backward(grad_out, out)", inputs={"grad_out": g, "out": out})


def test_backward_shape_mismatch(check, rng):
    """Does sigmoid_backward refuse a grad_out whose shape differs from out?"""
    g, out = rng.standard_normal((2, 3)), np.full((3,), 0.5)
    check.raises(lambda m: m.sigmoid_backward(g, out), call="sigmoid_backward(grad_out, out)",
                 inputs={"grad_out": g, "out": out}, reason="grad_out is (2, 3) but out is (3,)")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """Do sigmoid and sigmoid_backward match PyTorch on shapes drawn afresh each run?"""
    torch = oracle.torch()
    for _ in range(4):
        ndim = int(rng.integers(0, 5))
        shape = tuple(int(n) for n in rng.integers(1, 7, size=ndim))  # (d1, ..., dk), k in 0..4, each d in 1..6
        x = inputs(rng, shape, dtype, scale=5.0)  # shape
        check.close(lambda m: m.sigmoid(x), torch_sigmoid(x), call=f"sigmoid(x) with x.shape == {shape}",
                    inputs={"x": x})
        xt = oracle.tensor(inputs(rng, shape, np.float64), grad=True)  # shape
        y = torch.sigmoid(xt)
        g = inputs(rng, shape, dtype, scale=1.0)  # shape
        (dx,) = oracle.grads(y, [xt], oracle.tensor(g))
        out = oracle.numpy(y, dtype)
        check.close(lambda m: m.sigmoid_backward(g, out), oracle.numpy(dx, dtype),
                    call=f"sigmoid_backward(grad_out, out) with grad_out.shape == out.shape == {shape}",
                    inputs={"grad_out": g, "out": out})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Are sigmoid and sigmoid_backward right in the dtype of their input (float32 in, float32 out)?"""
    x = inputs(rng, (2, 5), dtype)
    check.close(lambda m: m.sigmoid(x), torch_sigmoid(x), call="sigmoid(x)", inputs={"x": x}, dtype=True)
    xt = oracle.tensor(x, grad=True)
    y = oracle.torch().sigmoid(xt)
    g = inputs(rng, (2, 5), dtype, scale=1.0)
    (dx,) = oracle.grads(y, [xt], oracle.tensor(g))
    out = oracle.numpy(y, dtype)
    check.close(lambda m: m.sigmoid_backward(g, out), oracle.numpy(dx, dtype), call="sigmoid_backward(grad_out, out)",
                inputs={"grad_out": g, "out": out}, dtype=True)
