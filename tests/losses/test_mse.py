"""losses.mse: mse_loss and mse_loss_backward against PyTorch."""

import warnings

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
# A batch of one, non-square, three dimensions (the mean is over ALL elements, not the batch),
# a vector, and a single number (where mean and sum agree).
SHAPES = {"batch1": (1, 5), "4x3": (4, 3), "2x3x4": (2, 3, 4), "vector": (7,), "scalar": ()}
# (input shape, target shape): a target that broadcasts input to a larger shape, as torch allows (with a
# warning). The gradient must be summed back to input's shape: over new leading axes, over stretched 1s.
BROADCASTS = {"3-by-2x3": ((3,), (2, 3)), "1x3-by-4x3": ((1, 3), (4, 3)), "1x3-by-2x3": ((1, 3), (2, 3)),
              "2x1x3-by-4x1x2x3": ((2, 1, 3), (4, 1, 2, 3))}
CASES = {**{k: (s, s) for k, s in SHAPES.items()}, **BROADCASTS}
# The gradient also for a target that stretches a 1 to 0 (the loss itself is NaN there for "mean").
GRAD_CASES = {**CASES, "1x3-by-0x3": ((1, 3), (0, 3))}
# None: the call leaves `reduction` out, so its default ("mean") is used.
REDUCTIONS = [None, "mean", "sum", "none"]


def reduction_id(reduction):
    return "default" if reduction is None else reduction


def pair(rng, shape, dtype, target_shape=None):
    """A prediction and a target (of the same shape unless given), as arrays (a 0-d array for shape ())."""
    return (np.asarray(rng.standard_normal(shape), dtype=dtype),
            np.asarray(rng.standard_normal(shape if target_shape is None else target_shape), dtype=dtype))


def call(fn, reduction):
    return f"{fn}(input, target)" if reduction is None else f"{fn}(input, target, reduction={reduction!r})"


def run(m, fn, x, t, reduction):
    f = getattr(m, fn)
    return f(x, t) if reduction is None else f(x, t, reduction=reduction)


def torch_loss(x, t, reduction):
    """The loss tensor (graph kept) and the float64 leaf tensor for `x`."""
    torch = oracle.torch()
    xt = oracle.tensor(x, grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns when target broadcasts input: some cases do so on purpose
        loss = torch.nn.functional.mse_loss(xt, oracle.tensor(t), reduction=reduction or "mean")
    return loss, xt


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("reduction", REDUCTIONS, ids=reduction_id)
@pytest.mark.parametrize("shapes", CASES.values(), ids=CASES.keys())
def test_mse_loss(check, rng, shapes, reduction, dtype):
    """Does mse_loss match torch.nn.functional.mse_loss for this reduction?"""
    x, t = pair(rng, shapes[0], dtype, shapes[1])
    loss, _ = torch_loss(x, t, reduction)
    check.close(lambda m: run(m, "mse_loss", x, t, reduction), oracle.numpy(loss, dtype),
                call=call("mse_loss", reduction), inputs={"input": x, "target": t})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("reduction", REDUCTIONS, ids=reduction_id)
@pytest.mark.parametrize("shapes", GRAD_CASES.values(), ids=GRAD_CASES.keys())
def test_mse_loss_backward(check, rng, shapes, reduction, dtype):
    """Does mse_loss_backward give the same gradient for input as torch.autograd (all-ones upstream for "none")?"""
    x, t = pair(rng, shapes[0], dtype, shapes[1])
    loss, xt = torch_loss(x, t, reduction)
    (dx,) = oracle.grads(loss, [xt], oracle.torch().ones_like(loss))
    check.close(lambda m: run(m, "mse_loss_backward", x, t, reduction), oracle.numpy(dx, dtype),
                call=call("mse_loss_backward", reduction), inputs={"input": x, "target": t})


@pytest.mark.parametrize("reduction", ["avg", "batchmean"])
@pytest.mark.parametrize("fn", ["mse_loss", "mse_loss_backward"])
def test_bad_reduction(check, rng, fn, reduction):
    """Is a reduction other than "mean", "sum" or "none" refused with ValueError?"""
    x, t = pair(rng, (2, 3), np.float64)
    check.raises(lambda m: run(m, fn, x, t, reduction), call=call(fn, reduction),
                 reason=f'reduction must be "mean", "sum" or "none", not {reduction!r}',
                 inputs={"input": x, "target": t})


@pytest.mark.parametrize("shapes", [((2, 3), (3, 2)), ((4,), (3,))], ids=["2x3-vs-3x2", "4-vs-3"])
@pytest.mark.parametrize("fn", ["mse_loss", "mse_loss_backward"])
def test_incompatible_shapes(check, rng, fn, shapes):
    """Are input and target shapes that cannot be broadcast together refused with ValueError?"""
    x = rng.standard_normal(shapes[0])
    t = rng.standard_normal(shapes[1])
    check.raises(lambda m: run(m, fn, x, t, "mean"), call=call(fn, "mean"),
                 reason=f"input {shapes[0]} and target {shapes[1]} cannot be broadcast together",
                 inputs={"input": x, "target": t})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """Do mse_loss and mse_loss_backward match PyTorch on shapes and reductions drawn afresh each run?"""
    for _ in range(4):
        ndim = int(rng.integers(0, 5))
        shape = tuple(int(n) for n in rng.integers(1, 7, size=ndim))  # (d1, ..., dk), k in 0..4, each d in 1..6
        reduction = REDUCTIONS[int(rng.integers(len(REDUCTIONS)))]
        x, t = pair(rng, shape, dtype)  # shape, shape
        shown = f"with input.shape == target.shape == {shape}"
        loss, xt = torch_loss(x, t, reduction)
        check.close(lambda m: run(m, "mse_loss", x, t, reduction), oracle.numpy(loss, dtype),
                    call=f"{call('mse_loss', reduction)} {shown}", inputs={"input": x, "target": t})
        (dx,) = oracle.grads(loss, [xt], oracle.torch().ones_like(loss))
        check.close(lambda m: run(m, "mse_loss_backward", x, t, reduction), oracle.numpy(dx, dtype),
                    call=f"{call('mse_loss_backward', reduction)} {shown}", inputs={"input": x, "target": t})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("reduction", REDUCTIONS, ids=reduction_id)
def test_dtype(check, rng, reduction, dtype):
    """Are mse_loss and mse_loss_backward right in the dtype of input (float32 in, float32 out)?"""
    x, t = pair(rng, (3, 2), dtype)
    loss, xt = torch_loss(x, t, reduction)
    (dx,) = oracle.grads(loss, [xt], oracle.torch().ones_like(loss))
    for fn, expected in (("mse_loss", loss), ("mse_loss_backward", dx)):
        check.close(lambda m: run(m, fn, x, t, reduction), oracle.numpy(expected, dtype),
                    call=call(fn, reduction), inputs={"input": x, "target": t}, dtype=True)
