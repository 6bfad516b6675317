"""activations.elu: elu, elu_backward and selu against PyTorch, overflow-free for inputs of 1e4."""

import warnings

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
# Batch of one, non-square, three axes.
SHAPES = {"1x5": (1, 5), "3x7": (3, 7), "2x3x4": (2, 3, 4)}
# None: the default, not passed.
ALPHAS = {"default": None, "0.5": 0.5, "2": 2.0}
# Far beyond where exp() overflows (about 88.7 in float32, 709.8 in float64), of either sign.
LARGE = [-1e4, -1e3, -800.0, -100.0, 100.0, 800.0, 1e3, 1e4]


def inputs(rng, shape, dtype, scale=3.0):
    """Normal values, every fourth entry exactly 0 and every fourth from the second tiny (|x| ~ 1e-6),
    where exp(x) - 1 loses its digits to rounding (the dtype's tolerance still accepts it)."""
    x = np.array(rng.standard_normal(shape) * scale, dtype=dtype)  # an ndarray even for shape ()
    flat = x.reshape(-1)
    flat[::4] = 0
    flat[1::4] *= dtype(1e-6)
    return x


def shown(alpha):
    return "" if alpha is None else f", alpha={alpha}"


def given(alpha):
    """The keyword arguments to pass: none at all for the default."""
    return {} if alpha is None else {"alpha": alpha}


def torch_elu(x, alpha):
    F = oracle.torch().nn.functional
    return oracle.numpy(F.elu(oracle.tensor(x), **given(alpha)), x.dtype)


def torch_elu_grad(g, x, alpha):
    F = oracle.torch().nn.functional
    xt = oracle.tensor(x, grad=True)
    (dx,) = oracle.grads(F.elu(xt, **given(alpha)), [xt], oracle.tensor(g))
    return oracle.numpy(dx, g.dtype)


def torch_selu(x):
    return oracle.numpy(oracle.torch().nn.functional.selu(oracle.tensor(x)), x.dtype)


def warned(fn, *args) -> bool:
    """Whether fn(*args) raised a RuntimeWarning (exp() overflowing, inf * 0, ...); underflow is silent."""
    with warnings.catch_warnings(record=True) as caught, np.errstate(over="warn", invalid="warn", divide="warn"):
        warnings.simplefilter("always")
        fn(*args)
    return any(issubclass(w.category, RuntimeWarning) for w in caught)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
@pytest.mark.parametrize("alpha", ALPHAS.values(), ids=ALPHAS.keys())
def test_elu_forward(check, rng, alpha, shape, dtype):
    """Does elu match F.elu for this alpha (the default when not given), near 0 included?"""
    x = inputs(rng, shape, dtype)
    check.close(lambda m: m.elu(x, **given(alpha)), torch_elu(x, alpha), call=f"elu(x{shown(alpha)})",
                inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("alpha", [None, 0.5], ids=["default", "0.5"])
def test_large_inputs(check, rng, alpha, dtype):
    """Do elu and selu stay finite and right for inputs as large as 1e4 (-alpha far on the left)?"""
    x = np.concatenate([LARGE, rng.standard_normal(6) * 1e4]).astype(dtype)
    check.close(lambda m: m.elu(x, **given(alpha)), torch_elu(x, alpha), call=f"elu(x{shown(alpha)})",
                inputs={"x": x})
    check.close(lambda m: m.selu(x), torch_selu(x), call="selu(x)", inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
@pytest.mark.parametrize("alpha", ALPHAS.values(), ids=ALPHAS.keys())
def test_elu_backward(check, rng, alpha, shape, dtype):
    """Does elu_backward give the same input gradient as torch.autograd for this alpha?"""
    x = inputs(rng, shape, dtype)
    g = rng.standard_normal(shape).astype(dtype)
    check.close(lambda m: m.elu_backward(g, x, **given(alpha)), torch_elu_grad(g, x, alpha),
                call=f"elu_backward(grad_out, x{shown(alpha)})", inputs={"grad_out": g, "x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("alpha", [0.5, 2.0], ids=["0.5", "2"])
def test_elu_backward_at_zero(check, rng, alpha, dtype):
    """Is elu_backward's gradient at x = 0 (and -0.0) the negative side's, alpha * grad_out, as torch?"""
    x = np.array([[0.0, -0.0, 0.0], [1e-3, 0.0, -1e-3]], dtype=dtype)
    g = (rng.uniform(0.5, 2.0, size=x.shape) * rng.choice([-1.0, 1.0], size=x.shape)).astype(dtype)  # |g| >= 0.5
    check.close(lambda m: m.elu_backward(g, x, alpha=alpha), torch_elu_grad(g, x, alpha),
                call=f"elu_backward(grad_out, x, alpha={alpha})", inputs={"grad_out": g, "x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_elu_backward_large_inputs(check, rng, dtype):
    """Does elu_backward stay finite and right for inputs as large as 1e4?"""
    x = np.concatenate([LARGE, rng.standard_normal(6) * 1e4]).astype(dtype)
    g = rng.standard_normal(x.shape).astype(dtype)
    check.close(lambda m: m.elu_backward(g, x), torch_elu_grad(g, x, None), call="elu_backward(grad_out, x)",
                inputs={"grad_out": g, "x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_selu_forward(check, rng, shape, dtype):
    """Does selu match F.selu, with torch's alpha and scale?"""
    x = inputs(rng, shape, dtype)
    check.close(lambda m: m.selu(x), torch_selu(x), call="selu(x)", inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_no_overflow_warning(check, dtype):
    """Do elu, elu_backward and selu run on inputs as large as 1e4 without a RuntimeWarning (no exp() overflow)?"""
    x = np.array(LARGE, dtype=dtype)
    g = np.ones_like(x)
    told = '(True: NumPy warned, for instance "overflow encountered in exp")'
    check.close(lambda m: warned(m.elu, x), False, call=f"whether elu(x) raised a RuntimeWarning {told}",
                inputs={"x": x})
    check.close(lambda m: warned(m.elu_backward, g, x), False,
                call=f"whether elu_backward(grad_out, x) raised a RuntimeWarning {told}", inputs={"grad_out": g, "x": x})
    check.close(lambda m: warned(m.selu, x), False, call=f"whether selu(x) raised a RuntimeWarning {told}",
                inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("value", [-1.5, 0.0, 2.0], ids=["negative", "zero", "positive"])
def test_zero_dim(check, value, dtype):
    """Do elu, elu_backward and selu take a 0-d input (a NumPy scalar back is fine)?"""
    x, g = np.array(value, dtype=dtype), np.array(-0.75, dtype=dtype)
    check.close(lambda m: m.elu(x, alpha=0.5), torch_elu(x, 0.5), call="elu(x, alpha=0.5) with x a 0-d array",
                inputs={"x": x})
    check.close(lambda m: m.elu_backward(g, x, alpha=0.5), torch_elu_grad(g, x, 0.5),
                call="elu_backward(grad_out, x, alpha=0.5) with 0-d arrays", inputs={"grad_out": g, "x": x})
    check.close(lambda m: m.selu(x), torch_selu(x), call="selu(x) with x a 0-d array", inputs={"x": x})


# (grad_out shape, x shape): one pair numpy cannot broadcast, and pairs it broadcasts silently.
MISMATCHES = {"2x3-vs-3x2": ((2, 3), (3, 2)), "5-vs-3x5": ((5,), (3, 5)), "3x5-vs-5": ((3, 5), (5,)),
              "1x5-vs-3x5": ((1, 5), (3, 5))}


@pytest.mark.parametrize("shapes", MISMATCHES.values(), ids=MISMATCHES.keys())
def test_backward_shape_mismatch(check, rng, shapes):
    """Does elu_backward refuse a grad_out whose shape differs from x's, even one that broadcasts?"""
    g, x = rng.standard_normal(shapes[0]), rng.standard_normal(shapes[1])
    check.raises(lambda m: m.elu_backward(g, x), call="elu_backward(grad_out, x)",
                 inputs={"grad_out": g, "x": x}, reason=f"grad_out is {shapes[0]} but x is {shapes[1]}")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """Do elu, elu_backward and selu match PyTorch on shapes and alphas drawn afresh each run?"""
    for _ in range(4):
        ndim = int(rng.integers(0, 5))
        shape = tuple(int(n) for n in rng.integers(1, 7, size=ndim))  # (d1, ..., dk), k in 0..4, each d in 1..6
        alpha = round(float(rng.uniform(0.0, 3.0)), 3)
        x = inputs(rng, shape, dtype)  # shape
        g = rng.standard_normal(shape).astype(dtype)  # shape
        check.close(lambda m: m.elu(x, alpha), torch_elu(x, alpha), call=f"elu(x, {alpha}) with x.shape == {shape}",
                    inputs={"x": x})
        check.close(lambda m: m.elu_backward(g, x, alpha), torch_elu_grad(g, x, alpha),
                    call=f"elu_backward(grad_out, x, {alpha}) with grad_out.shape == x.shape == {shape}",
                    inputs={"grad_out": g, "x": x})
        check.close(lambda m: m.selu(x), torch_selu(x), call=f"selu(x) with x.shape == {shape}", inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Are elu, elu_backward and selu right in the dtype of their input (float32 in, float32 out)?"""
    x = inputs(rng, (2, 5), dtype)
    g = rng.standard_normal((2, 5)).astype(dtype)
    check.close(lambda m: m.elu(x), torch_elu(x, None), call="elu(x)", inputs={"x": x}, dtype=True)
    check.close(lambda m: m.elu_backward(g, x), torch_elu_grad(g, x, None), call="elu_backward(grad_out, x)",
                inputs={"grad_out": g, "x": x}, dtype=True)
    check.close(lambda m: m.selu(x), torch_selu(x), call="selu(x)", inputs={"x": x}, dtype=True)
