"""tensors.matmul: matmul and matmul_backward against torch.matmul and autograd."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]

# (shape of a, shape of b). Vectors on either side (their added dimension must go again), a square
# pair (where a * b has the right shape and wrong numbers), a row times a column, batches of one,
# a batch against a shared matrix on either side, batch sizes of 1 that broadcast, and K = 0.
CASES = {
    "vec-vec": ((3,), (3,)),
    "vec-mat": ((3,), (3, 4)),
    "mat-vec": ((2, 3), (3,)),
    "mat-mat": ((2, 3), (3, 4)),
    "square": ((3, 3), (3, 3)),
    "row-col": ((1, 3), (3, 1)),
    "batch1": ((1, 2, 3), (1, 3, 4)),
    "batch-mat": ((2, 5, 3), (3, 4)),
    "mat-batch": ((5, 3), (2, 3, 4)),
    "square-batch": ((2, 3, 3), (2, 3, 3)),
    "broadcast-batch": ((2, 1, 3, 4), (5, 4, 6)),
    "vec-batch": ((3,), (2, 3, 4)),
    "batch-vec": ((2, 3, 4), (4,)),
    "empty-inner": ((2, 0), (0, 3)),
}

BAD = {
    "scalar-a": (((), (3,)), "a is 0-d; matmul needs at least 1 dimension"),
    "scalar-b": (((3,), ()), "b is 0-d; matmul needs at least 1 dimension"),
    "vec-3-vs-4": (((3,), (4,)), "K is 3 in a and 4 in b"),
    "mat-3-vs-4": (((2, 3), (4, 5)), "a is (2, 3), b is (4, 5): 3 and 4 differ"),
    "vec-mat-3-vs-4": (((3,), (4, 5)), "a has 3 entries, b has 4 rows"),
    "mat-vec-3-vs-4": (((2, 3), (4,)), "a has 3 columns, b has 4 entries"),
    "batches-2-vs-3": (((2, 3, 4), (3, 4, 5)), "batch sizes 2 and 3 cannot be broadcast"),
}


def sample(rng, shape, dtype):
    return np.asarray(rng.standard_normal(shape), dtype=dtype)


def shown(a, b) -> str:
    return f"with a.shape == {a.shape}, b.shape == {b.shape}"


def torch_matmul(a, b):
    return oracle.numpy(oracle.torch().matmul(oracle.tensor(a), oracle.tensor(b)), a.dtype)


def torch_backward(rng, a, b, dtype):
    """An upstream gradient g shaped like matmul(a, b) and autograd's (grad_a, grad_b) for it."""
    at, bt = oracle.tensor(a, grad=True), oracle.tensor(b, grad=True)
    out = oracle.torch().matmul(at, bt)
    g = sample(rng, tuple(out.shape), dtype)
    ga, gb = oracle.grads(out, [at, bt], oracle.tensor(g))
    return g, (oracle.numpy(ga, dtype), oracle.numpy(gb, dtype))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("name", CASES)
def test_matmul(check, rng, name, dtype):
    """Does matmul give torch.matmul's result, vectors and broadcast batches included?"""
    a, b = (sample(rng, s, dtype) for s in CASES[name])
    check.close(lambda m: m.matmul(a, b), torch_matmul(a, b), call=f"matmul(a, b) {shown(a, b)}",
                inputs={"a": a, "b": b})


@pytest.mark.parametrize("name", BAD)
def test_matmul_refused(check, rng, name):
    """Does matmul refuse, with ValueError, 0-d inputs and shapes torch.matmul cannot multiply?"""
    (sa, sb), reason = BAD[name]
    a, b = sample(rng, sa, np.float64), sample(rng, sb, np.float64)
    check.raises(lambda m: m.matmul(a, b), call=f"matmul(a, b) {shown(a, b)}", reason=reason,
                 inputs={"a": a, "b": b})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("name", CASES)
def test_matmul_backward(check, rng, name, dtype):
    """Does matmul_backward give autograd's gradients, each summed back to the shape of its input?"""
    a, b = (sample(rng, s, dtype) for s in CASES[name])
    g, expected = torch_backward(rng, a, b, dtype)
    check.close(lambda m: m.matmul_backward(g, a, b), expected,
                call=f"matmul_backward(grad_out, a, b) {shown(a, b)}, grad_out.shape == {g.shape}",
                inputs={"grad_out": g, "a": a, "b": b}, names=("grad_a", "grad_b"))


@pytest.mark.parametrize("case", ["grad-out-shape", "scalar-a", "inner-differs"])
def test_matmul_backward_refused(check, rng, case):
    """Does matmul_backward refuse, with ValueError, a grad_out not shaped like matmul(a, b), and bad a and b?"""
    sa, sb, sg, reason = {
        "grad-out-shape": ((2, 3), (3, 4), (4, 2), "matmul(a, b) has shape (2, 4), grad_out has (4, 2)"),
        "scalar-a": ((), (3,), (), "a is 0-d; matmul needs at least 1 dimension"),
        "inner-differs": ((2, 3), (4, 5), (2, 5), "a is (2, 3), b is (4, 5): 3 and 4 differ"),
    }[case]
    a, b, g = sample(rng, sa, np.float64), sample(rng, sb, np.float64), sample(rng, sg, np.float64)
    check.raises(lambda m: m.matmul_backward(g, a, b),
                 call=f"matmul_backward(grad_out, a, b) {shown(a, b)}, grad_out.shape == {g.shape}",
                 reason=reason, inputs={"grad_out": g, "a": a, "b": b})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Are matmul and matmul_backward right in the dtype of their inputs (float32 in, float32 out)?"""
    a, b = sample(rng, (2, 1, 3, 4), dtype), sample(rng, (5, 4, 2), dtype)
    check.close(lambda m: m.matmul(a, b), torch_matmul(a, b), call=f"matmul(a, b) {shown(a, b)}",
                inputs={"a": a, "b": b}, dtype=True)
    g, expected = torch_backward(rng, a, b, dtype)
    check.close(lambda m: m.matmul_backward(g, a, b), expected,
                call=f"matmul_backward(grad_out, a, b) {shown(a, b)}, grad_out.shape == {g.shape}",
                inputs={"grad_out": g, "a": a, "b": b}, dtype=True)


def operand_shapes(rng) -> tuple:
    """Shapes of a and b that torch.matmul accepts: each a vector (1 time in 5) or a batch of matrices.

    Batch dimensions are drawn from one common batch shape, each input keeping its last few
    dimensions and some of them set to 1, so that they broadcast.
    """
    m, k, n = (int(s) for s in rng.integers(1, 6, size=3))  # each in 1..5
    batch = tuple(int(s) for s in rng.integers(1, 4, size=int(rng.integers(0, 3))))  # 0 to 2 sizes in 1..3

    def own_batch():
        kept = batch[len(batch) - int(rng.integers(0, len(batch) + 1)):]
        return tuple(1 if rng.random() < 0.3 else s for s in kept)

    sa = (k,) if rng.random() < 0.2 else own_batch() + (m, k)
    sb = (k,) if rng.random() < 0.2 else own_batch() + (k, n)
    return sa, sb


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """Do matmul and matmul_backward match PyTorch on vectors and broadcast batches drawn afresh each run?"""
    for _ in range(4):
        sa, sb = operand_shapes(rng)
        a, b = sample(rng, sa, dtype), sample(rng, sb, dtype)  # sa, sb
        check.close(lambda m: m.matmul(a, b), torch_matmul(a, b), call=f"matmul(a, b) {shown(a, b)}",
                    inputs={"a": a, "b": b})
        g, expected = torch_backward(rng, a, b, dtype)  # g shaped like matmul(a, b)
        check.close(lambda m: m.matmul_backward(g, a, b), expected,
                    call=f"matmul_backward(grad_out, a, b) {shown(a, b)}, grad_out.shape == {g.shape}",
                    inputs={"grad_out": g, "a": a, "b": b}, names=("grad_a", "grad_b"))
