"""activations.tanh: tanh (without np.tanh) and tanh_backward against PyTorch."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
# A batch of one, non-square, three dimensions, a vector, and a single number (0-d).
SHAPES = {"batch1": (1, 5), "3x7": (3, 7), "2x3x4": (2, 3, 4), "vector": (6,), "scalar": ()}
# Far enough out that exp(x) overflows (float64 beyond about 709.8, float32 beyond 88.7), of either sign.
LARGE = [1e4, 1e3, 800.0, 710.0, 100.0, 20.0]
# Near 0, where 1 - exp(-2|x|) cancels: without np.expm1 it is off by about one rounding of 1 (1e-16 in
# float64, 6e-8 in float32) in absolute terms. That is inside the dtype's atol, so the (1 - e) / (1 + e) form
# passes; what is checked here is the sign and the slope 1 at 0, not relative precision below atol.
TINY = [1e-8, 1e-6, 1e-4, 1e-2]


def inputs(rng, shape, dtype, scale=2.0):
    return np.asarray(rng.standard_normal(shape) * scale, dtype=dtype)


def torch_tanh(x):
    return oracle.numpy(oracle.torch().tanh(oracle.tensor(x)), x.dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_tanh_forward(check, rng, shape, dtype):
    """Does tanh match torch.tanh on ordinary inputs?"""
    x = inputs(rng, shape, dtype)
    check.close(lambda m: m.tanh(x), torch_tanh(x), call="tanh(x)", inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_tanh_large_inputs(check, rng, dtype):
    """Does tanh stay finite and give ±1 for inputs as large as 1e4 in size, of either sign?"""
    x = np.concatenate([LARGE, [-v for v in LARGE], rng.standard_normal(6) * 1e3]).astype(dtype)
    check.close(lambda m: m.tanh(x), torch_tanh(x), call="tanh(x)", inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_tanh_tiny_inputs(check, dtype):
    """Is tanh right for inputs as small as ±1e-8, and exactly 0 at 0, as torch?"""
    x = np.array([0.0] + TINY + [-v for v in TINY], dtype=dtype)
    check.close(lambda m: m.tanh(x), torch_tanh(x), call="tanh(x)", inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_tanh_backward(check, rng, shape, dtype):
    """Does tanh_backward, given the forward output, give the same input gradient as torch.autograd?"""
    x = oracle.tensor(inputs(rng, shape, np.float64), grad=True)
    y = oracle.torch().tanh(x)
    g = inputs(rng, shape, dtype, scale=1.0)
    (dx,) = oracle.grads(y, [x], oracle.tensor(g))
    out = oracle.numpy(y, dtype)
    check.close(lambda m: m.tanh_backward(g, out), oracle.numpy(dx, dtype),
                call="tanh_backward(grad_out, out)", inputs={"grad_out": g, "out": out})


def test_backward_shape_mismatch(check, rng):
    """Does tanh_backward refuse a grad_out whose shape differs from out?"""
    g, out = rng.standard_normal((2, 3)), np.full((3,), 0.5)
    check.raises(lambda m: m.tanh_backward(g, out), call="tanh_backward(grad_out, out)",
                 inputs={"grad_out": g, "out": out}, reason="grad_out is (2, 3) but out is (3,)")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """Do tanh and tanh_backward match PyTorch on shapes drawn afresh each run?"""
    torch = oracle.torch()
    for _ in range(4):
        ndim = int(rng.integers(0, 5))
        shape = tuple(int(n) for n in rng.integers(1, 7, size=ndim))  # (d1, ..., dk), k in 0..4, each d in 1..6
        x = inputs(rng, shape, dtype, scale=3.0)  # shape
        check.close(lambda m: m.tanh(x), torch_tanh(x), call=f"tanh(x) with x.shape == {shape}", inputs={"x": x})
        xt = oracle.tensor(inputs(rng, shape, np.float64), grad=True)  # shape
        y = torch.tanh(xt)
        g = inputs(rng, shape, dtype, scale=1.0)  # shape
        (dx,) = oracle.grads(y, [xt], oracle.tensor(g))
        out = oracle.numpy(y, dtype)
        check.close(lambda m: m.tanh_backward(g, out), oracle.numpy(dx, dtype),
                    call=f"tanh_backward(grad_out, out) with grad_out.shape == out.shape == {shape}",
                    inputs={"grad_out": g, "out": out})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Are tanh and tanh_backward right in the dtype of their input (float32 in, float32 out)?"""
    x = inputs(rng, (2, 5), dtype)
    check.close(lambda m: m.tanh(x), torch_tanh(x), call="tanh(x)", inputs={"x": x}, dtype=True)
    xt = oracle.tensor(x, grad=True)
    y = oracle.torch().tanh(xt)
    g = inputs(rng, (2, 5), dtype, scale=1.0)
    (dx,) = oracle.grads(y, [xt], oracle.tensor(g))
    out = oracle.numpy(y, dtype)
    check.close(lambda m: m.tanh_backward(g, out), oracle.numpy(dx, dtype), call="tanh_backward(grad_out, out)",
                inputs={"grad_out": g, "out": out}, dtype=True)
