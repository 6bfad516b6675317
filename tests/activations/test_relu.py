"""activations.relu: relu and relu_backward against PyTorch."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
# Batch of one, non-square, three axes, a vector.
SHAPES = {"1x5": (1, 5), "3x7": (3, 7), "2x3x4": (2, 3, 4), "6": (6,)}


def inputs(rng, shape, dtype, scale=3.0):
    """Normal values with every fourth entry exactly 0, where relu's gradient convention decides."""
    x = np.array(rng.standard_normal(shape) * scale, dtype=dtype)  # an ndarray even for shape ()
    x.reshape(-1)[::4] = 0
    return x


def torch_relu(x):
    return oracle.numpy(oracle.torch().relu(oracle.tensor(x)), x.dtype)


def torch_relu_grad(g, x):
    xt = oracle.tensor(x, grad=True)
    (dx,) = oracle.grads(oracle.torch().relu(xt), [xt], oracle.tensor(g))
    return oracle.numpy(dx, g.dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_relu_forward(check, rng, shape, dtype):
    """Does relu match torch.relu, exact zeros included?"""
    x = inputs(rng, shape, dtype)
    check.close(lambda m: m.relu(x), torch_relu(x), call="relu(x)", inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_relu_large_inputs(check, rng, dtype):
    """Does relu keep inputs as large as 1e4 (of either sign) right?"""
    x = np.concatenate([[-1e4, -1e3, 1e3, 1e4], rng.standard_normal(8) * 1e4]).astype(dtype)
    check.close(lambda m: m.relu(x), torch_relu(x), call="relu(x)", inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_relu_backward(check, rng, shape, dtype):
    """Does relu_backward give the same input gradient as torch.autograd?"""
    x = inputs(rng, shape, dtype)
    g = rng.standard_normal(shape).astype(dtype)
    check.close(lambda m: m.relu_backward(g, x), torch_relu_grad(g, x), call="relu_backward(grad_out, x)",
                inputs={"grad_out": g, "x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_relu_backward_at_zero(check, rng, dtype):
    """Does relu_backward give 0 at x = 0 (and at -0.0), as torch?"""
    x = np.array([[0.0, -0.0, 0.0], [1e-3, 0.0, -1e-3]], dtype=dtype)
    g = (rng.uniform(0.5, 2.0, size=x.shape) * rng.choice([-1.0, 1.0], size=x.shape)).astype(dtype)  # |g| >= 0.5
    check.close(lambda m: m.relu_backward(g, x), torch_relu_grad(g, x), call="relu_backward(grad_out, x)",
                inputs={"grad_out": g, "x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("value", [-1.5, 0.0, 2.0], ids=["negative", "zero", "positive"])
def test_zero_dim(check, value, dtype):
    """Do relu and relu_backward take a 0-d input (a NumPy scalar back is fine)?"""
    x, g = np.array(value, dtype=dtype), np.array(-0.75, dtype=dtype)
    check.close(lambda m: m.relu(x), torch_relu(x), call="relu(x) with x a 0-d array", inputs={"x": x})
    check.close(lambda m: m.relu_backward(g, x), torch_relu_grad(g, x),
                call="relu_backward(grad_out, x) with 0-d arrays", inputs={"grad_out": g, "x": x})


# (grad_out shape, x shape): one pair numpy cannot broadcast, and pairs it broadcasts silently.
MISMATCHES = {"2x3-vs-3x2": ((2, 3), (3, 2)), "5-vs-3x5": ((5,), (3, 5)), "3x5-vs-5": ((3, 5), (5,)),
              "1x5-vs-3x5": ((1, 5), (3, 5))}


@pytest.mark.parametrize("shapes", MISMATCHES.values(), ids=MISMATCHES.keys())
def test_backward_shape_mismatch(check, rng, shapes):
    """Does relu_backward refuse a grad_out whose shape differs from x's, even one that broadcasts?"""
    g, x = rng.standard_normal(shapes[0]), rng.standard_normal(shapes[1])
    check.raises(lambda m: m.relu_backward(g, x), call="relu_backward(grad_out, x)",
                 inputs={"grad_out": g, "x": x}, reason=f"grad_out is {shapes[0]} but x is {shapes[1]}")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """Do relu and relu_backward match PyTorch on shapes drawn afresh each run?"""
    for _ in range(4):
        ndim = int(rng.integers(0, 5))
        shape = tuple(int(n) for n in rng.integers(1, 7, size=ndim))  # (d1, ..., dk), k in 0..4, each d in 1..6
        x = inputs(rng, shape, dtype)  # shape
        g = rng.standard_normal(shape).astype(dtype)  # shape
        check.close(lambda m: m.relu(x), torch_relu(x), call=f"relu(x) with x.shape == {shape}", inputs={"x": x})
        check.close(lambda m: m.relu_backward(g, x), torch_relu_grad(g, x),
                    call=f"relu_backward(grad_out, x) with grad_out.shape == x.shape == {shape}",
                    inputs={"grad_out": g, "x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Are relu and relu_backward right in the dtype of their input (float32 in, float32 out)?"""
    x = inputs(rng, (2, 5), dtype)
    g = rng.standard_normal((2, 5)).astype(dtype)
    check.close(lambda m: m.relu(x), torch_relu(x), call="relu(x)", inputs={"x": x}, dtype=True)
    check.close(lambda m: m.relu_backward(g, x), torch_relu_grad(g, x), call="relu_backward(grad_out, x)",
                inputs={"grad_out": g, "x": x}, dtype=True)
