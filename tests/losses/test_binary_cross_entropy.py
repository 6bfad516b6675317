"""losses.binary_cross_entropy: BCE on probabilities and on logits, and the logits gradient, against PyTorch."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
# None: the call leaves `reduction` out, so its default ("mean") is used.
REDUCTIONS = [None, "mean", "sum", "none"]
# The per-case tests: "mean" is the default (None) here; it is passed by name in the weights tests.
CASE_REDUCTIONS = [None, "sum", "none"]
# Probabilities: a batch of one, non-square hard targets, exact 0 and 1 (where each log is
# clamped at -100: log(0) = -inf, and 0 * -inf = NaN without the clamp), soft targets in 3-D.
PROB_CASES = ["batch1", "4x3", "exact-0-and-1", "soft-2x3x4"]
# Logits: a batch of one, non-square, logits of +-1e4 with targets 0 and 1 (sigmoid-then-log
# gives log(0) = -inf there), soft targets in 3-D.
LOGIT_CASES = ["batch1", "4x3", "logits-1e4", "soft-2x3x4"]
# weight per element (N, C), per class (C,), pos_weight per class (C,), and both together.
OPTIONS = {"weight-NxC": ("weight", (4, 3)), "weight-C": ("weight", (3,)), "pos_weight-C": ("pos_weight", (3,)),
           "both": ("both", (3,))}
BACKWARD = "binary_cross_entropy_with_logits_backward"
WITH_LOGITS = "binary_cross_entropy_with_logits"


def reduction_id(reduction):
    return "default" if reduction is None else reduction


def hard(rng, shape, dtype):
    return (rng.random(shape) < 0.5).astype(dtype)


def probabilities(rng, case, dtype):
    """(input, target) probabilities for a PROB_CASES entry."""
    if case == "batch1":
        return rng.uniform(0.05, 0.95, (1, 5)).astype(dtype), hard(rng, (1, 5), dtype)
    if case == "4x3":
        return rng.uniform(0.05, 0.95, (4, 3)).astype(dtype), hard(rng, (4, 3), dtype)
    if case == "exact-0-and-1":  # every pairing of p in {0, 1} with t in {0, 1}, and ordinary p
        p = np.array([[0.0, 1.0, 0.0, 1.0], [0.3, 0.0, 1.0, 0.8]], dtype=dtype)
        t = np.array([[0.0, 0.0, 1.0, 1.0], [1.0, 1.0, 0.0, 0.0]], dtype=dtype)
        return p, t
    return rng.uniform(0.05, 0.95, (2, 3, 4)).astype(dtype), rng.random((2, 3, 4)).astype(dtype)


def logits(rng, case, dtype):
    """(input, target) logits and targets for a LOGIT_CASES entry."""
    if case == "batch1":
        return (rng.standard_normal((1, 5)) * 3).astype(dtype), hard(rng, (1, 5), dtype)
    if case == "4x3":
        return (rng.standard_normal((4, 3)) * 3).astype(dtype), hard(rng, (4, 3), dtype)
    if case == "logits-1e4":  # each sign of logit with each target, and ordinary logits
        x = np.array([[1e4, -1e4, 1e4, -1e4], [2.0, -1e4, 1e4, -0.5]], dtype=dtype)
        t = np.array([[1.0, 0.0, 0.0, 1.0], [1.0, 1.0, 0.0, 0.0]], dtype=dtype)
        return x, t
    return (rng.standard_normal((2, 3, 4)) * 3).astype(dtype), rng.random((2, 3, 4)).astype(dtype)


def options(rng, option, dtype):
    """The weight and pos_weight keywords of an OPTIONS entry (positive, not 1, so they matter)."""
    kind, shape = OPTIONS[option]
    kw = {}
    if kind in ("weight", "both"):
        kw["weight"] = rng.uniform(0.2, 2.0, shape).astype(dtype)
    if kind in ("pos_weight", "both"):
        kw["pos_weight"] = rng.uniform(0.2, 3.0, shape).astype(dtype)
    return kw


def call(fn, reduction=None, **kw):
    args = ["input", "target"] + [f"{k}={k}" for k in kw]
    args += [] if reduction is None else [f"reduction={reduction!r}"]
    return f"{fn}({', '.join(args)})"


def run(m, fn, x, t, reduction=None, **kw):
    if reduction is not None:
        kw = dict(kw, reduction=reduction)
    return getattr(m, fn)(x, t, **kw)


def inputs_of(x, t, **kw):
    return {"input": x, "target": t, **kw}


def torch_bce(x, t, reduction=None, **kw):
    """The probability loss tensor of torch."""
    F = oracle.torch().nn.functional
    w = {k: oracle.tensor(v) for k, v in kw.items()}
    return F.binary_cross_entropy(oracle.tensor(x), oracle.tensor(t), reduction=reduction or "mean", **w)


def torch_logits(x, t, reduction=None, **kw):
    """The logits loss tensor (graph kept) and its gradient for input (all-ones upstream)."""
    torch = oracle.torch()
    xt = oracle.tensor(x, grad=True)
    w = {k: oracle.tensor(v) for k, v in kw.items()}
    loss = torch.nn.functional.binary_cross_entropy_with_logits(xt, oracle.tensor(t), reduction=reduction or "mean",
                                                                **w)
    (dx,) = oracle.grads(loss, [xt], torch.ones_like(loss))
    return loss, dx


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("reduction", CASE_REDUCTIONS, ids=reduction_id)
@pytest.mark.parametrize("case", PROB_CASES)
def test_binary_cross_entropy(check, rng, case, reduction, dtype):
    """Does binary_cross_entropy match F.binary_cross_entropy, each log clamped at -100 for p of exactly 0 or 1?"""
    x, t = probabilities(rng, case, dtype)
    expected = oracle.numpy(torch_bce(x, t, reduction), dtype)
    check.close(lambda m: run(m, "binary_cross_entropy", x, t, reduction), expected,
                call=call("binary_cross_entropy", reduction), inputs=inputs_of(x, t))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("reduction", ["mean", "none"])
@pytest.mark.parametrize("option", ["weight-NxC", "weight-C"])
def test_binary_cross_entropy_weight(check, rng, option, reduction, dtype):
    """Does binary_cross_entropy scale each element's loss by weight, (N, C) or (C,) broadcast, as torch?"""
    x, t = probabilities(rng, "4x3", dtype)
    kw = options(rng, option, dtype)
    expected = oracle.numpy(torch_bce(x, t, reduction, **kw), dtype)
    check.close(lambda m: run(m, "binary_cross_entropy", x, t, reduction, **kw), expected,
                call=call("binary_cross_entropy", reduction, **kw), inputs=inputs_of(x, t, **kw))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("reduction", CASE_REDUCTIONS, ids=reduction_id)
@pytest.mark.parametrize("case", LOGIT_CASES)
def test_with_logits(check, rng, case, reduction, dtype):
    """Does binary_cross_entropy_with_logits match torch, and stay finite for logits of 1e4?"""
    x, t = logits(rng, case, dtype)
    loss, _ = torch_logits(x, t, reduction)
    check.close(lambda m: run(m, WITH_LOGITS, x, t, reduction), oracle.numpy(loss, dtype),
                call=call(WITH_LOGITS, reduction), inputs=inputs_of(x, t))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("reduction", ["mean", "none"])
@pytest.mark.parametrize("option", OPTIONS)
def test_with_logits_weights(check, rng, option, reduction, dtype):
    """Does binary_cross_entropy_with_logits apply weight to every term and pos_weight to the positive term only?"""
    x, t = logits(rng, "4x3", dtype)
    kw = options(rng, option, dtype)
    loss, _ = torch_logits(x, t, reduction, **kw)
    check.close(lambda m: run(m, WITH_LOGITS, x, t, reduction, **kw), oracle.numpy(loss, dtype),
                call=call(WITH_LOGITS, reduction, **kw), inputs=inputs_of(x, t, **kw))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("reduction", CASE_REDUCTIONS, ids=reduction_id)
@pytest.mark.parametrize("case", LOGIT_CASES)
def test_with_logits_backward(check, rng, case, reduction, dtype):
    """Does the logits gradient match torch.autograd (all-ones upstream for "none"), also at logits of 1e4?"""
    x, t = logits(rng, case, dtype)
    _, dx = torch_logits(x, t, reduction)
    check.close(lambda m: run(m, BACKWARD, x, t, reduction), oracle.numpy(dx, dtype),
                call=call(BACKWARD, reduction), inputs=inputs_of(x, t))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("reduction", ["mean", "none"])
@pytest.mark.parametrize("option", OPTIONS)
def test_with_logits_backward_weights(check, rng, option, reduction, dtype):
    """Does the logits gradient carry weight and pos_weight as torch.autograd does?"""
    x, t = logits(rng, "4x3", dtype)
    kw = options(rng, option, dtype)
    _, dx = torch_logits(x, t, reduction, **kw)
    check.close(lambda m: run(m, BACKWARD, x, t, reduction, **kw), oracle.numpy(dx, dtype),
                call=call(BACKWARD, reduction, **kw), inputs=inputs_of(x, t, **kw))


FUNCTIONS = ["binary_cross_entropy", WITH_LOGITS, BACKWARD]


@pytest.mark.parametrize("reduction", ["avg", "batchmean"])
@pytest.mark.parametrize("fn", FUNCTIONS)
def test_bad_reduction(check, rng, fn, reduction):
    """Is a reduction other than "mean", "sum" or "none" refused with ValueError?"""
    x, t = probabilities(rng, "4x3", np.float64)
    check.raises(lambda m: run(m, fn, x, t, reduction), call=call(fn, reduction),
                 reason=f'reduction must be "mean", "sum" or "none", not {reduction!r}', inputs=inputs_of(x, t))


@pytest.mark.parametrize("target_shape", [(4, 3), (1, 4), (12,)], ids=["4x3", "1x4-broadcastable", "12"])
@pytest.mark.parametrize("fn", FUNCTIONS)
def test_shape_mismatch(check, rng, fn, target_shape):
    """Is a target whose shape differs from input's refused with ValueError, even one that would broadcast, as torch?"""
    x = rng.uniform(0.1, 0.9, (3, 4))
    t = hard(rng, target_shape, np.float64)
    check.raises(lambda m: run(m, fn, x, t), call=call(fn),
                 reason=f"target {target_shape} must have input's shape (3, 4)", inputs=inputs_of(x, t))


# binary_cross_entropy has no pos_weight.
@pytest.mark.parametrize("fn, name", [(fn, name) for fn in FUNCTIONS for name in ("weight", "pos_weight")
                                      if (fn, name) != ("binary_cross_entropy", "pos_weight")])
def test_bad_weight_shape(check, rng, fn, name):
    """Is a weight or pos_weight that does not broadcast to input's shape refused with ValueError?"""
    x, t = probabilities(rng, "4x3", np.float64)
    kw = {name: rng.uniform(0.5, 2.0, (4,))}  # (4,) against input (4, 3): the last sizes differ
    check.raises(lambda m: run(m, fn, x, t, **kw), call=call(fn, **kw),
                 reason=f"{name} of shape (4,) does not broadcast to input's shape (4, 3)",
                 inputs=inputs_of(x, t, **kw))


@pytest.mark.parametrize("bad", ["input-above-1", "input-below-0", "target-above-1"])
def test_out_of_range(check, rng, bad):
    """Is a probability input (or target) outside [0, 1] refused with ValueError, as torch refuses it?"""
    x, t = probabilities(rng, "4x3", np.float64)
    if bad == "input-above-1":
        x[1, 2] = 1.5
    elif bad == "input-below-0":
        x[0, 0] = -0.1
    else:
        t[2, 1] = 1.5
    check.raises(lambda m: run(m, "binary_cross_entropy", x, t), call=call("binary_cross_entropy"),
                 reason=f"every element must lie in [0, 1] ({bad})", inputs=inputs_of(x, t))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """Do all three functions match torch on shapes, reductions and weights drawn afresh each run?"""
    for _ in range(4):
        shape = tuple(int(n) for n in rng.integers(1, 6, size=int(rng.integers(1, 4))))  # (d1, ..., dk), k in 1..3
        reduction = REDUCTIONS[int(rng.integers(len(REDUCTIONS)))]
        per_class = {"weight": rng.uniform(0.2, 2.0, shape[-1:]).astype(dtype),  # (C,) on the last dimension
                     "pos_weight": rng.uniform(0.2, 3.0, shape[-1:]).astype(dtype)}
        kw = {k: v for k, v in per_class.items() if rng.random() < 0.5}
        t = rng.random(shape).astype(dtype)
        p = rng.uniform(0.02, 0.98, shape).astype(dtype)
        x = (rng.standard_normal(shape) * 4).astype(dtype)
        shown = f"with input.shape == target.shape == {shape}"
        bce_kw = {k: v for k, v in kw.items() if k == "weight"}
        check.close(lambda m: run(m, "binary_cross_entropy", p, t, reduction, **bce_kw),
                    oracle.numpy(torch_bce(p, t, reduction, **bce_kw), dtype),
                    call=f"{call('binary_cross_entropy', reduction, **bce_kw)} {shown}",
                    inputs=inputs_of(p, t, **bce_kw))
        loss, dx = torch_logits(x, t, reduction, **kw)
        for fn, expected in ((WITH_LOGITS, loss), (BACKWARD, dx)):
            check.close(lambda m: run(m, fn, x, t, reduction, **kw), oracle.numpy(expected, dtype),
                        call=f"{call(fn, reduction, **kw)} {shown}", inputs=inputs_of(x, t, **kw))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("reduction", [None, "none"], ids=reduction_id)
def test_dtype(check, rng, reduction, dtype):
    """Are all three functions right in the dtype of input (float32 in, float32 out)?"""
    p, t = probabilities(rng, "4x3", dtype)
    check.close(lambda m: run(m, "binary_cross_entropy", p, t, reduction), oracle.numpy(torch_bce(p, t, reduction), dtype),
                call=call("binary_cross_entropy", reduction), inputs=inputs_of(p, t), dtype=True)
    x, _ = logits(rng, "4x3", dtype)
    kw = options(rng, "both", dtype)
    loss, dx = torch_logits(x, t, reduction, **kw)
    for fn, expected in ((WITH_LOGITS, loss), (BACKWARD, dx)):
        check.close(lambda m: run(m, fn, x, t, reduction, **kw), oracle.numpy(expected, dtype),
                    call=call(fn, reduction, **kw), inputs=inputs_of(x, t, **kw), dtype=True)
