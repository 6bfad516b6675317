"""layers.linear: linear and linear_backward against torch.nn.functional.linear and autograd."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
# (shape of x, out). A single vector, a batch of one, in != out both ways, in == out (where
# x @ weight has the right shape but the wrong numbers, and a transposed gradient fits), and
# 3-D and 4-D x, whose weight and bias gradients sum over every leading axis, not only axis 0.
CASES = {
    "vector": ((5,), 3),
    "batch1": ((1, 5), 3),
    "6x4-to-3": ((6, 4), 3),
    "4x3-to-6": ((4, 3), 6),
    "square-5x4-to-4": ((5, 4), 4),
    "3d-2x3x5-to-4": ((2, 3, 5), 4),
    "3d-square-3x2x4-to-4": ((3, 2, 4), 4),
    "4d-2x1x3x4-to-2": ((2, 1, 3, 4), 2),
}
# The cases run without a bias.
NO_BIAS_CASES = ["vector", "6x4-to-3", "square-5x4-to-4", "3d-2x3x5-to-4"]
# How the missing bias is given: left out (the default is used) or passed as bias=None.
BIAS_GIVEN = {"left-out": False, "bias=None": True}


def sample(rng, shape, dtype):
    return np.asarray(rng.standard_normal(shape), dtype=dtype)


def layer(rng, x_shape, out, dtype, bias=True):
    """x (*, in), weight (out, in) and bias (out,) or None."""
    x = sample(rng, x_shape, dtype)
    w = sample(rng, (out, x_shape[-1]), dtype)
    return x, w, (sample(rng, (out,), dtype) if bias else None)


def shown(x, w) -> str:
    return f" with x.shape == {x.shape}, weight.shape == {w.shape}"


def torch_linear(x, w, b):
    F = oracle.torch().nn.functional
    out = F.linear(oracle.tensor(x), oracle.tensor(w), None if b is None else oracle.tensor(b))
    return oracle.numpy(out, x.dtype)


def torch_backward(rng, x, w, b):
    """An upstream gradient g shaped like linear(x, w, b) and autograd's gradients for it (None for no bias)."""
    F = oracle.torch().nn.functional
    xt, wt = oracle.tensor(x, grad=True), oracle.tensor(w, grad=True)
    bt = None if b is None else oracle.tensor(b, grad=True)
    out = F.linear(xt, wt, bt)
    g = sample(rng, tuple(out.shape), x.dtype)
    found = oracle.grads(out, [xt, wt] + ([] if bt is None else [bt]), oracle.tensor(g))
    grads = tuple(oracle.numpy(t, x.dtype) for t in found)
    return g, (grads if b is not None else grads + (None,))


NAMES = ("grad_x", "grad_weight", "grad_bias")


def check_forward(check, x, w, b, dtype_rule=False, text=""):
    args, call = ((x, w), "linear(x, weight)") if b is None else ((x, w, b), "linear(x, weight, bias)")
    inputs = {"x": x, "weight": w} if b is None else {"x": x, "weight": w, "bias": b}
    check.close(lambda m: m.linear(*args), torch_linear(x, w, b), call=call + (text or shown(x, w)),
                inputs=inputs, dtype=dtype_rule)


def check_backward(check, rng, x, w, b, dtype_rule=False, text=""):
    g, expected = torch_backward(rng, x, w, b)
    text = (text or shown(x, w)) + f", grad_out.shape == {g.shape}"
    if b is None:
        check.close(lambda m: m.linear_backward(g, x, w), expected,
                    call="linear_backward(grad_out, x, weight)" + text,
                    inputs={"grad_out": g, "x": x, "weight": w}, names=NAMES, dtype=dtype_rule)
    else:
        check.close(lambda m: m.linear_backward(g, x, w, b), expected,
                    call="linear_backward(grad_out, x, weight, bias)" + text,
                    inputs={"grad_out": g, "x": x, "weight": w, "bias": b}, names=NAMES, dtype=dtype_rule)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_linear(check, rng, case, dtype):
    """Does linear(x, weight, bias) match F.linear: x @ weight.T + bias over any leading axes of x?"""
    x, w, b = layer(rng, *case, dtype)
    check_forward(check, x, w, b)


@pytest.mark.parametrize("passed", BIAS_GIVEN.values(), ids=BIAS_GIVEN.keys())
@pytest.mark.parametrize("case", [CASES[k] for k in NO_BIAS_CASES], ids=NO_BIAS_CASES)
def test_linear_no_bias(check, rng, case, passed):
    """Without a bias (left out, or bias=None), does linear match F.linear(x, weight)?"""
    x, w, _ = layer(rng, *case, np.float64, bias=False)
    if not passed:
        check_forward(check, x, w, None)
    else:
        check.close(lambda m: m.linear(x, w, bias=None), torch_linear(x, w, None),
                    call="linear(x, weight, bias=None)" + shown(x, w), inputs={"x": x, "weight": w})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_linear_backward(check, rng, case, dtype):
    """Does linear_backward give autograd's grad_x, grad_weight and grad_bias, summed over every leading axis?"""
    x, w, b = layer(rng, *case, dtype)
    check_backward(check, rng, x, w, b)


@pytest.mark.parametrize("passed", BIAS_GIVEN.values(), ids=BIAS_GIVEN.keys())
@pytest.mark.parametrize("case", [CASES[k] for k in NO_BIAS_CASES], ids=NO_BIAS_CASES)
def test_linear_backward_no_bias(check, rng, case, passed):
    """Without a bias, does linear_backward give autograd's grad_x and grad_weight, and None for grad_bias?"""
    x, w, _ = layer(rng, *case, np.float64, bias=False)
    if not passed:
        check_backward(check, rng, x, w, None)
    else:
        g, expected = torch_backward(rng, x, w, None)
        check.close(lambda m: m.linear_backward(g, x, w, bias=None), expected,
                    call=f"linear_backward(grad_out, x, weight, bias=None){shown(x, w)}, grad_out.shape == {g.shape}",
                    inputs={"grad_out": g, "x": x, "weight": w}, names=NAMES)


def test_keywords(check, rng):
    """Do linear and linear_backward accept every argument by name (x=, weight=, bias=, grad_out=)?"""
    x, w, b = layer(rng, (3, 4), 2, np.float64)
    check.close(lambda m: m.linear(x=x, weight=w, bias=b), torch_linear(x, w, b),
                call="linear(x=x, weight=weight, bias=bias)" + shown(x, w), inputs={"x": x, "weight": w, "bias": b})
    g, expected = torch_backward(rng, x, w, b)
    check.close(lambda m: m.linear_backward(grad_out=g, x=x, weight=w, bias=b), expected,
                call="linear_backward(grad_out=grad_out, x=x, weight=weight, bias=bias)" + shown(x, w),
                inputs={"grad_out": g, "x": x, "weight": w, "bias": b}, names=NAMES)


# (shape of x, shape of weight, shape of bias or None, reason)
BAD = {
    "x-0d": ((), (3, 4), (3,), "x is 0-d: linear needs x of shape (*, in)"),
    "weight-1d": ((2, 4), (4,), None, "weight is 1-D, not (out, in)"),
    "weight-3d": ((2, 4), (3, 4, 1), None, "weight is 3-D, not (out, in)"),
    "in-differs": ((2, 4), (3, 5), (3,), "x has 4 features but weight (3, 5) expects in = 5"),
    "weight-as-in-out": ((2, 4), (4, 3), (3,), "weight (4, 3) is (in, out); it must be (out, in) = (3, 4)"),
    "bias-length": ((2, 4), (3, 4), (4,), "bias has 4 entries but there are 3 output features"),
}


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
@pytest.mark.parametrize("fn", ["linear", "linear_backward"])
def test_linear_bad_input(check, rng, fn, bad):
    """Are x, weight and bias whose shapes do not fit (x (*, in), weight (out, in), bias (out,)) refused?"""
    sx, sw, sb, reason = bad
    x, w = sample(rng, sx, np.float64), sample(rng, sw, np.float64)
    b = None if sb is None else sample(rng, sb, np.float64)
    inputs = {"x": x, "weight": w, **({} if b is None else {"bias": b})}
    if fn == "linear":
        check.raises(lambda m: m.linear(x, w, b), call="linear(x, weight, bias)" + shown(x, w),
                     reason=reason, inputs=inputs)
    else:
        g = sample(rng, sx[:-1] + sw[:1], np.float64)
        check.raises(lambda m: m.linear_backward(g, x, w, b), call="linear_backward(grad_out, x, weight, bias)"
                     + shown(x, w), reason=reason, inputs={"grad_out": g, **inputs})


@pytest.mark.parametrize("g_shape", [(3, 2), (2, 4), (2, 3, 1), (6,)], ids=["transposed", "in-not-out", "extra-axis",
                                                                            "flattened"])
def test_linear_backward_bad_grad_out(check, rng, g_shape):
    """Is a grad_out not shaped like linear(x, weight, bias), here (2, 3), refused with ValueError?"""
    x, w, b = layer(rng, (2, 4), 3, np.float64)
    g = sample(rng, g_shape, np.float64)
    check.raises(lambda m: m.linear_backward(g, x, w, b), call="linear_backward(grad_out, x, weight, bias)"
                 + shown(x, w) + f", grad_out.shape == {g.shape}",
                 reason=f"linear(x, weight, bias) has shape (2, 3), grad_out has {g.shape}",
                 inputs={"grad_out": g, "x": x, "weight": w, "bias": b})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """Do linear and linear_backward match PyTorch on shapes drawn afresh each run, with and without a bias?"""
    for _ in range(4):
        lead = tuple(int(n) for n in rng.integers(1, 5, size=int(rng.integers(0, 4))))  # 0 to 3 leading sizes, 1..4
        n_in, n_out = (int(n) for n in rng.integers(1, 7, size=2))  # in, out in 1..6
        x, w, b = layer(rng, lead + (n_in,), n_out, dtype, bias=bool(rng.random() < 0.7))  # (*, in), (out, in)
        check_forward(check, x, w, b)
        check_backward(check, rng, x, w, b)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Are linear and linear_backward right in the dtype of their inputs (float32 in, float32 out)?"""
    for bias in (True, False):
        x, w, b = layer(rng, (2, 3, 4), 5, dtype, bias=bias)
        check_forward(check, x, w, b, dtype_rule=True)
        check_backward(check, rng, x, w, b, dtype_rule=True)
