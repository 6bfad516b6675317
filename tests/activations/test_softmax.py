"""activations.softmax: softmax, log_softmax and softmax_backward against PyTorch."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
# (shape, axis): batch of one, non-square, a middle axis, a vector, and the first axis.
CASES = [((1, 5), -1), ((3, 7), -1), ((4, 3, 5), 1), ((6,), 0), ((2, 3), 0)]


def case_id(case):
    shape, axis = case
    return "x".join(map(str, shape)) + f"-axis{axis}"


def logits(rng, shape, dtype, scale=3.0):
    return (rng.standard_normal(shape) * scale).astype(dtype)


def torch_softmax(x, axis):
    return oracle.numpy(oracle.torch().softmax(oracle.tensor(x), dim=axis), x.dtype)


def torch_log_softmax(x, axis):
    return oracle.numpy(oracle.torch().log_softmax(oracle.tensor(x), dim=axis), x.dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_softmax_forward(check, rng, case, dtype):
    """Does softmax match torch.softmax along the requested axis?"""
    shape, axis = case
    x = logits(rng, shape, dtype)
    check.close(lambda m: m.softmax(x, axis=axis), torch_softmax(x, axis),
                call=f"softmax(x, axis={axis})", inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("scale", [1e3, 1e4], ids=["1e3", "1e4"])
def test_softmax_large_logits(check, rng, scale, dtype):
    """Does softmax stay finite and correct for logits as large as 1e4?"""
    x = logits(rng, (3, 6), dtype, scale=scale)
    check.close(lambda m: m.softmax(x, axis=-1), torch_softmax(x, -1),
                call="softmax(x, axis=-1)", inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_log_softmax_forward(check, rng, case, dtype):
    """Does log_softmax match torch.log_softmax along the requested axis?"""
    shape, axis = case
    x = logits(rng, shape, dtype)
    check.close(lambda m: m.log_softmax(x, axis=axis), torch_log_softmax(x, axis),
                call=f"log_softmax(x, axis={axis})", inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_log_softmax_large_logits(check, rng, dtype):
    """Does log_softmax stay finite where softmax underflows to 0 (logits spread over 1e4)?"""
    x = logits(rng, (4, 5), dtype, scale=1e4)
    check.close(lambda m: m.log_softmax(x, axis=-1), torch_log_softmax(x, -1),
                call="log_softmax(x, axis=-1)", inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_softmax_backward(check, rng, case, dtype):
    """Does softmax_backward give the same input gradient as torch.autograd?"""
    shape, axis = case
    torch = oracle.torch()
    x = oracle.tensor(logits(rng, shape, np.float64), grad=True)
    s = torch.softmax(x, dim=axis)
    g = rng.standard_normal(shape).astype(dtype)
    (dx,) = oracle.grads(s, [x], oracle.tensor(g))
    out = oracle.numpy(s, dtype)
    check.close(lambda m: m.softmax_backward(g, out, axis=axis), oracle.numpy(dx, dtype),
                call=f"softmax_backward(grad_out, out, axis={axis})", inputs={"grad_out": g, "out": out})


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
def test_bad_axis(check, rng, fn):
    """Is an axis the array does not have refused with ValueError?"""
    x = logits(rng, (2, 3), np.float64)
    check.raises(lambda m: getattr(m, fn)(x, axis=2), call=f"{fn}(x, axis=2)", inputs={"x": x},
                 reason="x has only 2 axes")


def test_backward_shape_mismatch(check, rng):
    """Does softmax_backward refuse a grad_out whose shape differs from out?"""
    g, out = rng.standard_normal((2, 3)), np.full((2, 4), 0.25)
    check.raises(lambda m: m.softmax_backward(g, out), call="softmax_backward(grad_out, out)",
                 inputs={"grad_out": g, "out": out}, reason="grad_out is (2, 3) but out is (2, 4)")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """Do softmax, log_softmax and softmax_backward match PyTorch on shapes and axes drawn afresh each run?"""
    torch = oracle.torch()
    for _ in range(4):
        ndim = int(rng.integers(1, 5))
        shape = tuple(int(n) for n in rng.integers(1, 7, size=ndim))  # (d1, ..., dk), k in 1..4, each d in 1..6
        axis = int(rng.integers(-ndim, ndim))
        shown = f"with x.shape == {shape}"
        x = logits(rng, shape, dtype)  # shape
        check.close(lambda m: m.softmax(x, axis=axis), torch_softmax(x, axis),
                    call=f"softmax(x, axis={axis}) {shown}", inputs={"x": x})
        check.close(lambda m: m.log_softmax(x, axis=axis), torch_log_softmax(x, axis),
                    call=f"log_softmax(x, axis={axis}) {shown}", inputs={"x": x})
        xt = oracle.tensor(logits(rng, shape, np.float64), grad=True)  # shape
        s = torch.softmax(xt, dim=axis)
        g = rng.standard_normal(shape).astype(dtype)  # shape
        (dx,) = oracle.grads(s, [xt], oracle.tensor(g))
        out = oracle.numpy(s, dtype)
        check.close(lambda m: m.softmax_backward(g, out, axis=axis), oracle.numpy(dx, dtype),
                    call=f"softmax_backward(grad_out, out, axis={axis}) with grad_out.shape == out.shape == {shape}",
                    inputs={"grad_out": g, "out": out})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Are softmax, log_softmax and softmax_backward right in the dtype of their input (float32 in, float32 out)?"""
    torch = oracle.torch()
    x = logits(rng, (2, 5), dtype)
    check.close(lambda m: m.softmax(x), torch_softmax(x, -1), call="softmax(x)", inputs={"x": x}, dtype=True)
    check.close(lambda m: m.log_softmax(x), torch_log_softmax(x, -1), call="log_softmax(x)", inputs={"x": x},
                dtype=True)
    xt = oracle.tensor(x, grad=True)
    s = torch.softmax(xt, dim=-1)
    g = rng.standard_normal((2, 5)).astype(dtype)
    (dx,) = oracle.grads(s, [xt], oracle.tensor(g))
    out = oracle.numpy(s, dtype)
    check.close(lambda m: m.softmax_backward(g, out), oracle.numpy(dx, dtype), call="softmax_backward(grad_out, out)",
                inputs={"grad_out": g, "out": out}, dtype=True)
