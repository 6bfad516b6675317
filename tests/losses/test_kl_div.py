"""losses.kl_div: kl_div and kl_div_backward against PyTorch."""

import warnings

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
FNS = ["kl_div", "kl_div_backward"]
# (N, C): a batch of one, C != N both ways, and (N, C, L), where "mean" and "batchmean" differ by C * L.
SHAPES = {"batch1": (1, 5), "4x3": (4, 3), "3x6": (3, 6), "2x3x4": (2, 3, 4)}
# None: the call leaves `reduction` out, so its default ("mean", not "batchmean") is used.
REDUCTIONS = [None, "mean", "batchmean", "sum", "none"]


def reduction_id(reduction):
    return "default" if reduction is None else reduction


def log_probs(rng, shape, dtype, axis=1):
    """Log-probabilities over `axis` (the model's output, what `input` holds)."""
    z = rng.standard_normal(shape) * 2.0
    z = z - z.max(axis=axis, keepdims=True)
    return np.asarray(z - np.log(np.exp(z).sum(axis=axis, keepdims=True)), dtype=dtype)


def probs(rng, shape, dtype, zeros=False, axis=1):
    """Probabilities over `axis`; with `zeros`, some entries exactly 0 (every row keeps one positive)."""
    p = rng.uniform(0.05, 1.0, size=shape)
    if zeros:
        mask = rng.random(shape) < 0.4
        mask[:, 0] = False  # class 0 stays positive at every position
        p[mask] = 0.0
    return np.asarray(p / p.sum(axis=axis, keepdims=True), dtype=dtype)


def options_of(reduction, log_target):
    options = {} if reduction is None else {"reduction": reduction}
    return options if log_target is None else {**options, "log_target": log_target}


def call(fn, options):
    return f"{fn}(input, target" + "".join(f", {k}={v!r}" for k, v in options.items()) + ")"


def expected(fn, x, t, options, dtype):
    """torch's loss (fn "kl_div") or its gradient for input, all-ones upstream, cast to `dtype`."""
    torch = oracle.torch()
    xt = oracle.tensor(x, grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns that "mean" is not "batchmean": that is the point here
        loss = torch.nn.functional.kl_div(xt, oracle.tensor(t), **{"reduction": "mean", **options})
    if fn == "kl_div":
        return oracle.numpy(loss, dtype)
    (dx,) = oracle.grads(loss, [xt], torch.ones_like(loss))
    return oracle.numpy(dx, dtype)


def against_torch(check, fn, x, t, options, dtype, shown="", dtype_rule=False):
    check.close(lambda m: getattr(m, fn)(x, t, **options), expected(fn, x, t, options, dtype),
                call=call(fn, options) + shown, inputs={"input": x, "target": t}, dtype=dtype_rule)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("reduction", REDUCTIONS, ids=reduction_id)
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_kl_div(check, rng, shape, reduction, dtype):
    """Does kl_div match torch.nn.functional.kl_div for this reduction ("mean" averages every element)?"""
    x, t = log_probs(rng, shape, dtype), probs(rng, shape, dtype)
    against_torch(check, "kl_div", x, t, options_of(reduction, None), dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("reduction", REDUCTIONS, ids=reduction_id)
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_kl_div_backward(check, rng, shape, reduction, dtype):
    """Does kl_div_backward give the same gradient for input as torch.autograd (all-ones upstream for "none")?"""
    x, t = log_probs(rng, shape, dtype), probs(rng, shape, dtype)
    against_torch(check, "kl_div_backward", x, t, options_of(reduction, None), dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("reduction", REDUCTIONS, ids=reduction_id)
@pytest.mark.parametrize("fn", FNS)
def test_log_target(check, rng, fn, reduction, dtype):
    """With log_target=True, is the target read as log-probabilities, exp(target) * (target - input), as torch?"""
    x, t = log_probs(rng, (4, 5), dtype), log_probs(rng, (4, 5), dtype)
    against_torch(check, fn, x, t, options_of(reduction, True), dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("reduction", ["none", "sum", "batchmean"])
@pytest.mark.parametrize("fn", FNS)
def test_zero_targets(check, rng, fn, reduction, dtype):
    """Does a target of exactly 0 contribute exactly 0 (0 * log 0 taken as 0), with no NaN, as torch?"""
    x, t = log_probs(rng, (5, 4), dtype), probs(rng, (5, 4), dtype, zeros=True)
    t[0] = np.array([1.0, 0.0, 0.0, 0.0], dtype=dtype)  # a one-hot row
    against_torch(check, fn, x, t, {"reduction": reduction}, dtype)


def log_warned(fn, x, t) -> bool:
    """Whether fn(x, t) made NumPy warn (log(0) warns "divide by zero", 0 * -inf "invalid value")."""
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn"):
        warnings.simplefilter("always")
        fn(x, t)
    return any(issubclass(w.category, RuntimeWarning) for w in caught)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_zero_targets_no_warning(check, rng, dtype):
    """Do kl_div and kl_div_backward run on targets with exact zeros without a NumPy warning (no log(0) taken)?"""
    x, t = log_probs(rng, (3, 4), dtype), probs(rng, (3, 4), dtype, zeros=True)
    t[0] = np.array([0.0, 1.0, 0.0, 0.0], dtype=dtype)
    check.close(lambda m: np.array([log_warned(m.kl_div, x, t), log_warned(m.kl_div_backward, x, t)]),
                np.array([False, False]), inputs={"input": x, "target": t},
                call="[kl_div(input, target) warned, kl_div_backward(input, target) warned], where True means "
                     'NumPy warned (for example "divide by zero encountered in log")')


# (input shape, target shape): a target of shape (C,), and targets that stretch input to a larger shape, whose
# gradient must be summed back to input's shape (over new leading axes, over stretched 1s).
BROADCASTS = {"4x3-by-3": ((4, 3), (3,)), "1x3-by-4x3": ((1, 3), (4, 3)), "1x3-by-2x3": ((1, 3), (2, 3)),
              "3-by-2x3": ((3,), (2, 3)), "2x1x3-by-4x1x2x3": ((2, 1, 3), (4, 1, 2, 3))}
# The gradient also for a target that stretches a 1 to 0 (the loss itself is NaN there for "mean").
BROADCAST_CASES = {**{f"{fn}-{k}": (fn, s) for fn in FNS for k, s in BROADCASTS.items()},
                   "kl_div_backward-1x3-by-0x3": ("kl_div_backward", ((1, 3), (0, 3)))}


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("reduction", ["none", "batchmean", "mean"])
@pytest.mark.parametrize("fn, shapes", BROADCAST_CASES.values(), ids=BROADCAST_CASES.keys())
def test_broadcast_target(check, rng, fn, shapes, reduction, dtype):
    """Like torch, does kl_div broadcast target and input (a target (C,), or one that stretches input) without a
    warning, and kl_div_backward sum the gradient back to input's shape?"""
    x, t = log_probs(rng, shapes[0], dtype, axis=-1), probs(rng, shapes[1], dtype, axis=-1)
    against_torch(check, fn, x, t, {"reduction": reduction}, dtype)


@pytest.mark.parametrize("reduction", ["avg", "elementwise_mean", "batch_mean"])
@pytest.mark.parametrize("fn", FNS)
def test_bad_reduction(check, rng, fn, reduction):
    """Is a reduction other than "none", "batchmean", "sum" or "mean" refused with ValueError?"""
    x, t = log_probs(rng, (2, 3), np.float64), probs(rng, (2, 3), np.float64)
    check.raises(lambda m: getattr(m, fn)(x, t, reduction=reduction), call=call(fn, {"reduction": reduction}),
                 reason=f'reduction must be "none", "batchmean", "sum" or "mean", not {reduction!r}',
                 inputs={"input": x, "target": t})


@pytest.mark.parametrize("shapes", [((2, 3), (2, 4)), ((4, 3), (3, 3))], ids=["2x3-vs-2x4", "4x3-vs-3x3"])
@pytest.mark.parametrize("fn", FNS)
def test_incompatible_shapes(check, rng, fn, shapes):
    """Are input and target shapes that cannot be broadcast together refused with ValueError, as torch?"""
    x, t = log_probs(rng, shapes[0], np.float64), probs(rng, shapes[1], np.float64)
    check.raises(lambda m: getattr(m, fn)(x, t), call=call(fn, {}), inputs={"input": x, "target": t},
                 reason=f"input {shapes[0]} and target {shapes[1]} cannot be broadcast together")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """Do kl_div and kl_div_backward match PyTorch on shapes and options drawn afresh each run?"""
    for _ in range(4):
        shape = tuple(int(n) for n in rng.integers(1, 6, size=int(rng.integers(2, 5))))  # (N, C, *), 2..4 dims
        reduction = REDUCTIONS[int(rng.integers(len(REDUCTIONS)))]
        log_target = bool(rng.random() < 0.5)
        x = log_probs(rng, shape, dtype)  # (N, C, *)
        t = log_probs(rng, shape, dtype) if log_target else probs(rng, shape, dtype, zeros=True)  # (N, C, *)
        for fn in FNS:
            against_torch(check, fn, x, t, options_of(reduction, log_target), dtype,
                          shown=f" with input.shape == target.shape == {shape}")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Are kl_div and kl_div_backward right in the dtype of input (float32 in, float32 out)?"""
    x, t = log_probs(rng, (3, 4), dtype), probs(rng, (3, 4), dtype)
    for fn in FNS:
        against_torch(check, fn, x, t, {}, dtype, dtype_rule=True)
