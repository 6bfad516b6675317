"""layers.lora: lora_linear, lora_linear_backward and lora_merge against the same computation in torch."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
# (shape of x, out, r, alpha, bias?). r differs from in and from out in every case, so an r read
# from the wrong axis or a missing transpose shows; alpha / r, alpha and alpha * r all differ
# unless r = 1 (rank1). square has in == out, where a transposed B A still fits W.
CASES = {
    "2d": ((4, 5), 3, 2, 8.0, True),
    "batch1": ((1, 6), 4, 3, 6.0, True),
    "vector": ((5,), 4, 2, 4.0, True),
    "square": ((3, 4), 4, 2, 16, True),
    "rank1": ((5, 6), 3, 1, 2.0, True),
    "no-bias": ((4, 5), 6, 2, 8.0, False),
    "3d": ((2, 3, 5), 4, 3, 10, True),  # an int alpha that r does not divide: alpha / r, not alpha // r
    "3d-no-bias": ((3, 2, 4), 5, 2, 1.0, False),
}
CALL = "lora_linear(x, weight, bias, lora_A, lora_B, alpha={alpha})"
BACKWARD = "lora_linear_backward(grad_out, x, weight, bias, lora_A, lora_B, alpha={alpha})"
MERGE = "lora_merge(weight, lora_A, lora_B, alpha={alpha})"
NAMES = ("grad_x", "grad_A", "grad_B")


def sample(rng, shape, dtype):
    return np.asarray(rng.standard_normal(shape), dtype=dtype)


def adapter(rng, x_shape, out, r, with_bias, dtype, zero_B=False):
    """x (*, in), weight (out, in), bias (out,) or None, lora_A (r, in), lora_B (out, r)."""
    n_in = x_shape[-1]
    x, w = sample(rng, x_shape, dtype), sample(rng, (out, n_in), dtype)
    b = sample(rng, (out,), dtype) if with_bias else None
    A = sample(rng, (r, n_in), dtype)
    B = np.zeros((out, r), dtype=dtype) if zero_B else sample(rng, (out, r), dtype)
    return x, w, b, A, B


def shown(x, w, A) -> str:
    return f" with x.shape == {x.shape}, weight.shape == {w.shape}, lora_A.shape == {A.shape} (r = {A.shape[0]})"


def inputs_of(x, w, b, A, B, **more):
    named = {**more, "x": x, "weight": w, "lora_A": A, "lora_B": B}
    return named if b is None else {**named, "bias": b}


def torch_forward(xt, w, b, At, Bt, alpha):
    """x W^T + b + (alpha / r) (x A^T) B^T on tensors; W and b are constants (frozen)."""
    out = xt @ oracle.tensor(w).T
    if b is not None:
        out = out + oracle.tensor(b)
    return out + (alpha / At.shape[0]) * ((xt @ At.T) @ Bt.T)


def expected_forward(x, w, b, A, B, alpha):
    return oracle.numpy(torch_forward(oracle.tensor(x), w, b, oracle.tensor(A), oracle.tensor(B), alpha), x.dtype)


def expected_backward(rng, x, w, b, A, B, alpha):
    """An upstream gradient g and autograd's gradients for x, lora_A and lora_B."""
    xt, At, Bt = (oracle.tensor(v, grad=True) for v in (x, A, B))
    out = torch_forward(xt, w, b, At, Bt, alpha)
    g = sample(rng, tuple(out.shape), x.dtype)
    return g, tuple(oracle.numpy(t, x.dtype) for t in oracle.grads(out, [xt, At, Bt], oracle.tensor(g)))


def expected_merge(w, A, B, alpha):
    merged = oracle.tensor(w) + (alpha / A.shape[0]) * (oracle.tensor(B) @ oracle.tensor(A))
    return oracle.numpy(merged, w.dtype)


def check_forward(check, x, w, b, A, B, alpha, dtype_rule=False):
    check.close(lambda m: m.lora_linear(x, w, b, A, B, alpha), expected_forward(x, w, b, A, B, alpha),
                call=CALL.format(alpha=alpha) + shown(x, w, A), inputs=inputs_of(x, w, b, A, B), dtype=dtype_rule)


def check_backward(check, rng, x, w, b, A, B, alpha, dtype_rule=False):
    g, expected = expected_backward(rng, x, w, b, A, B, alpha)
    check.close(lambda m: m.lora_linear_backward(g, x, w, b, A, B, alpha), expected,
                call=BACKWARD.format(alpha=alpha) + shown(x, w, A) + f", grad_out.shape == {g.shape}",
                inputs=inputs_of(x, w, b, A, B, grad_out=g), names=NAMES, dtype=dtype_rule)


def check_merge(check, w, A, B, alpha, dtype_rule=False):
    check.close(lambda m: m.lora_merge(w, A, B, alpha), expected_merge(w, A, B, alpha),
                call=MERGE.format(alpha=alpha) + f" with weight.shape == {w.shape}, lora_A.shape == {A.shape}",
                inputs={"weight": w, "lora_A": A, "lora_B": B}, dtype=dtype_rule)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_lora_linear(check, rng, case, dtype):
    """Does lora_linear give x W^T + b + (alpha / r) x A^T B^T with r = lora_A.shape[0], as torch computes it?"""
    x_shape, out, r, alpha, with_bias = case
    check_forward(check, *adapter(rng, x_shape, out, r, with_bias, dtype), alpha)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_lora_linear_backward(check, rng, case, dtype):
    """Does lora_linear_backward give autograd's gradients for x, lora_A and lora_B (and none for the frozen W)?"""
    x_shape, out, r, alpha, with_bias = case
    check_backward(check, rng, *adapter(rng, x_shape, out, r, with_bias, dtype), alpha)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_lora_merge(check, rng, case, dtype):
    """Does lora_merge give W + (alpha / r) B @ A, a matrix of W's shape (out, in)?"""
    x_shape, out, r, alpha, with_bias = case
    _, w, _, A, B = adapter(rng, x_shape, out, r, with_bias, dtype)
    check_merge(check, w, A, B, alpha)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_lora_zero_B(check, rng, dtype):
    """With lora_B = 0 (how LoRA starts), is the layer the frozen F.linear, the merge W, and grad_A exactly 0?"""
    x, w, b, A, B = adapter(rng, (4, 5), 3, 2, True, dtype, zero_B=True)
    check_forward(check, x, w, b, A, B, 8.0)
    check_backward(check, rng, x, w, b, A, B, 8.0)
    check_merge(check, w, A, B, 8.0)


def test_keywords(check, rng):
    """Do lora_linear, lora_linear_backward and lora_merge accept every argument by name, bias=None included?"""
    x, w, _, A, B = adapter(rng, (4, 5), 3, 2, False, np.float64)
    kw = {"x": x, "weight": w, "bias": None, "lora_A": A, "lora_B": B, "alpha": 4.0}
    check.close(lambda m: m.lora_linear(**kw), expected_forward(x, w, None, A, B, 4.0),
                call="lora_linear(x=x, weight=weight, bias=None, lora_A=lora_A, lora_B=lora_B, alpha=4.0)"
                     + shown(x, w, A), inputs=inputs_of(x, w, None, A, B))
    g, expected = expected_backward(rng, x, w, None, A, B, 4.0)
    check.close(lambda m: m.lora_linear_backward(grad_out=g, **kw), expected,
                call="lora_linear_backward(grad_out=grad_out, x=x, weight=weight, bias=None, lora_A=lora_A, "
                     "lora_B=lora_B, alpha=4.0)" + shown(x, w, A), inputs=inputs_of(x, w, None, A, B, grad_out=g),
                names=NAMES)
    check.close(lambda m: m.lora_merge(weight=w, lora_A=A, lora_B=B, alpha=4.0), expected_merge(w, A, B, 4.0),
                call="lora_merge(weight=weight, lora_A=lora_A, lora_B=lora_B, alpha=4.0)",
                inputs={"weight": w, "lora_A": A, "lora_B": B})


# name -> (x, weight, bias or None, lora_A, lora_B shapes, reason); in = 4, out = 3, r = 2 unless bad.
BAD = {
    "x-in-differs": (((2, 5), (3, 4), (3,), (2, 4), (3, 2)), "x has 5 features, weight (3, 4) expects in = 4"),
    "A-in-differs": (((2, 4), (3, 4), (3,), (2, 5), (3, 2)), "lora_A (2, 5) must be (r, in) = (2, 4)"),
    "A-transposed": (((2, 4), (3, 4), (3,), (4, 2), (3, 2)), "lora_A (4, 2) is (in, r), not (r, in)"),
    "B-r-differs": (((2, 4), (3, 4), (3,), (2, 4), (3, 3)), "lora_B (3, 3) must be (out, r) = (3, 2)"),
    "B-transposed": (((2, 4), (3, 4), None, (2, 4), (2, 3)), "lora_B (2, 3) is (r, out), not (out, r)"),
    "weight-1d": (((2, 4), (4,), None, (2, 4), (3, 2)), "weight is 1-D, not (out, in)"),
    "A-1d": (((2, 4), (3, 4), None, (4,), (3, 1)), "lora_A is 1-D, not (r, in)"),
    "bias-length": (((2, 4), (3, 4), (4,), (2, 4), (3, 2)), "bias has 4 entries but there are 3 output features"),
}


# lora_merge takes neither x nor bias: only the cases about the three matrices apply to it.
MATRIX_CASES = ["A-in-differs", "A-transposed", "B-r-differs", "B-transposed", "weight-1d", "A-1d"]
BAD_CALLS = [pytest.param(fn, name, id=f"{fn}-{name}") for fn in ("lora_linear", "lora_linear_backward", "lora_merge")
             for name in BAD if fn != "lora_merge" or name in MATRIX_CASES]


@pytest.mark.parametrize("fn, name", BAD_CALLS)
def test_lora_bad_input(check, rng, fn, name):
    """Are shapes that do not fit (x (*, in), W (out, in), b (out,), A (r, in), B (out, r)) refused with ValueError?"""
    shapes, reason = BAD[name]
    x, w, b, A, B = (None if s is None else sample(rng, s, np.float64) for s in shapes)
    if fn == "lora_merge":
        check.raises(lambda m: m.lora_merge(w, A, B, 4.0), call=MERGE.format(alpha=4.0), reason=reason,
                     inputs={"weight": w, "lora_A": A, "lora_B": B})
    elif fn == "lora_linear":
        check.raises(lambda m: m.lora_linear(x, w, b, A, B, 4.0), call=CALL.format(alpha=4.0), reason=reason,
                     inputs=inputs_of(x, w, b, A, B))
    else:
        g = sample(rng, shapes[0][:-1] + (3,), np.float64)
        check.raises(lambda m: m.lora_linear_backward(g, x, w, b, A, B, 4.0), call=BACKWARD.format(alpha=4.0),
                     reason=reason, inputs=inputs_of(x, w, b, A, B, grad_out=g))


@pytest.mark.parametrize("g_shape", [(3, 2), (2, 4), (6,)], ids=["transposed", "in-not-out", "flattened"])
def test_lora_backward_bad_grad_out(check, rng, g_shape):
    """Is a grad_out not shaped like lora_linear's output, here (2, 3), refused with ValueError?"""
    x, w, b, A, B = adapter(rng, (2, 4), 3, 2, True, np.float64)
    g = sample(rng, g_shape, np.float64)
    check.raises(lambda m: m.lora_linear_backward(g, x, w, b, A, B, 4.0),
                 call=BACKWARD.format(alpha=4.0) + shown(x, w, A) + f", grad_out.shape == {g.shape}",
                 reason=f"lora_linear(...) has shape (2, 3), grad_out has {g.shape}",
                 inputs=inputs_of(x, w, b, A, B, grad_out=g))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """Do lora_linear, its backward and lora_merge match torch on shapes, ranks and alphas drawn afresh each run?"""
    for _ in range(4):
        lead = tuple(int(n) for n in rng.integers(1, 4, size=int(rng.integers(0, 3))))  # 0 to 2 leading sizes, 1..3
        n_in, out, r = (int(n) for n in rng.integers(1, 7, size=3))  # in, out and r in 1..6
        alpha = float(rng.choice([1.0, 4.0, 8.0, 16.0, 32.0]))
        x, w, b, A, B = adapter(rng, lead + (n_in,), out, r, bool(rng.random() < 0.7), dtype)
        check_forward(check, x, w, b, A, B, alpha)
        check_backward(check, rng, x, w, b, A, B, alpha)
        check_merge(check, w, A, B, alpha)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Are lora_linear, lora_linear_backward and lora_merge right in the dtype of their inputs (float32 in, out)?"""
    for with_bias in (True, False):
        x, w, b, A, B = adapter(rng, (2, 3, 5), 4, 2, with_bias, dtype)
        check_forward(check, x, w, b, A, B, 8.0, dtype_rule=True)
        check_backward(check, rng, x, w, b, A, B, 8.0, dtype_rule=True)
        check_merge(check, w, A, B, 8.0, dtype_rule=True)
