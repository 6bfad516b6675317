"""losses.cross_entropy: cross_entropy and cross_entropy_backward against PyTorch."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
FNS = ["cross_entropy", "cross_entropy_backward"]
# input shapes (N, C, *): a batch of one, C != N both ways, one extra dimension, and K = 2 extra
# dimensions (N, C, d1, d2), where the class axis is axis 1, not the last one.
SHAPES = {"batch1": (1, 5), "4x3": (4, 3), "3x7": (3, 7), "2x4x3": (2, 4, 3), "2x3x4x5": (2, 3, 4, 5)}
# None: the call leaves `reduction` out, so its default ("mean") is used.
REDUCTIONS = [None, "mean", "sum", "none"]


def reduction_id(reduction):
    return "default" if reduction is None else reduction


def logits(rng, shape, dtype, scale=3.0):
    return np.asarray(rng.standard_normal(shape) * scale, dtype=dtype)


def classes(rng, shape):
    """Random targets (N, *) for input of `shape` (N, C, *), each a class in [0, C)."""
    return rng.integers(0, shape[1], size=shape[:1] + shape[2:])


def call(fn, options):
    """The call as the learner would write it: only the options given are named."""
    named = "".join(f", {k}={v!r}" if k != "weight" else ", weight=weight" for k, v in options.items())
    return f"{fn}(input, target{named})"


def torch_loss(x, t, options):
    """The loss tensor (graph kept) and the float64 leaf tensor for `x`."""
    torch = oracle.torch()
    kwargs = dict(options)
    if "weight" in kwargs:
        kwargs["weight"] = oracle.tensor(kwargs["weight"])
    xt = oracle.tensor(x, grad=True)
    return torch.nn.functional.cross_entropy(xt, oracle.tensor(t.astype(np.int64)), **kwargs), xt


def expected(fn, x, t, options, dtype):
    loss, xt = torch_loss(x, t, options)
    if fn == "cross_entropy":
        return oracle.numpy(loss, dtype)
    (dx,) = oracle.grads(loss, [xt], oracle.torch().ones_like(loss))
    return oracle.numpy(dx, dtype)


def against_torch(check, fn, x, t, options, dtype, shown=""):
    """Check `fn(input, target, **options)` against torch; options left out are left to the defaults."""
    inputs = {"input": x, "target": t}
    if "weight" in options:
        inputs["weight"] = options["weight"]
    check.close(lambda m: getattr(m, fn)(x, t, **options), expected(fn, x, t, options, dtype),
                call=call(fn, options) + shown, inputs=inputs)


def reduced(reduction):
    return {} if reduction is None else {"reduction": reduction}


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("reduction", REDUCTIONS, ids=reduction_id)
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_cross_entropy(check, rng, shape, reduction, dtype):
    """Does cross_entropy match torch.nn.functional.cross_entropy for this shape and reduction?"""
    x, t = logits(rng, shape, dtype), classes(rng, shape)
    against_torch(check, "cross_entropy", x, t, reduced(reduction), dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("reduction", REDUCTIONS, ids=reduction_id)
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_cross_entropy_backward(check, rng, shape, reduction, dtype):
    """Does cross_entropy_backward give the same gradient for input as torch.autograd (all-ones upstream for "none")?"""
    x, t = logits(rng, shape, dtype), classes(rng, shape)
    against_torch(check, "cross_entropy_backward", x, t, reduced(reduction), dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("fn", FNS)
def test_large_logits(check, rng, fn, dtype):
    """Do cross_entropy and its backward stay finite and right for logits of 1e4 (a target far below the max)?"""
    x = logits(rng, (4, 5), dtype, scale=1e4)
    x[0] = np.array([1e4, 0.0, -1e4, 5e3, -5e3], dtype=dtype)
    t = np.array([2, 0, 3, 1])
    for reduction in ("mean", "none"):
        against_torch(check, fn, x, t, {"reduction": reduction}, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("reduction", REDUCTIONS, ids=reduction_id)
@pytest.mark.parametrize("shape", [(5, 3), (2, 3, 4, 2)], ids=["5x3", "2x3x4x2"])
@pytest.mark.parametrize("fn", FNS)
def test_class_weights(check, rng, fn, shape, reduction, dtype):
    """With class weights, does "mean" divide by the sum of the targets' weights (not by N), as torch?"""
    x, t = logits(rng, shape, dtype), classes(rng, shape)
    weight = np.asarray(rng.uniform(0.1, 3.0, size=shape[1]), dtype=dtype)
    against_torch(check, fn, x, t, {"weight": weight, **reduced(reduction)}, dtype)


# (ignore_index or None for the default -100, targets): the default -100 present among real classes,
# ignore_index set to the real class 1 (its positions skipped, -100 is then out of range and absent).
IGNORED = {"default-100": (None, np.array([0, -100, 2, 1, -100, 3])),
           "class1": (1, np.array([0, 1, 2, 1, 3, 1]))}


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("reduction", REDUCTIONS[1:])
@pytest.mark.parametrize("case", IGNORED.values(), ids=IGNORED.keys())
@pytest.mark.parametrize("fn", FNS)
def test_ignore_index(check, rng, fn, case, reduction, weighted, dtype):
    """Do ignored targets contribute 0 and stay out of the count (or total weight) that "mean" divides by?"""
    ignore_index, t = case
    x = logits(rng, (6, 4), dtype)
    options = {} if ignore_index is None else {"ignore_index": ignore_index}
    if weighted:
        options["weight"] = np.asarray(rng.uniform(0.1, 3.0, size=4), dtype=dtype)
    against_torch(check, fn, x, t, {**options, **reduced(reduction)}, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("reduction", REDUCTIONS[1:])
@pytest.mark.parametrize("extra", ["plain", "weighted", "ignored", "weighted+ignored+2x4x3"])
# torch refuses only eps > 1 and ignores a negative eps (no smoothing): asked of no learner, in neither direction.
@pytest.mark.parametrize("smoothing", [0.1, 1.0], ids=["eps0.1", "eps1"])
@pytest.mark.parametrize("fn", FNS)
def test_label_smoothing(check, rng, fn, smoothing, extra, reduction, dtype):
    """Does label smoothing mix eps / C over every class in, weighted per class and skipped where ignored, as torch?"""
    shape = (2, 4, 3) if "2x4x3" in extra else (5, 4)
    x, t = logits(rng, shape, dtype), classes(rng, shape)
    options = {"label_smoothing": smoothing}
    if "weighted" in extra:
        options["weight"] = np.asarray(rng.uniform(0.1, 3.0, size=4), dtype=dtype)
    if "ignored" in extra:
        t.flat[[1, 3]] = -100
    against_torch(check, fn, x, t, {**options, **reduced(reduction)}, dtype)


@pytest.mark.parametrize("reduction", REDUCTIONS, ids=reduction_id)
@pytest.mark.parametrize("options", [{}, {"label_smoothing": 0.2}], ids=["plain", "smoothed"])
@pytest.mark.parametrize("fn", FNS)
def test_all_ignored(check, rng, fn, options, reduction):
    """With every target ignored, is "mean" NaN (0 / 0) as torch, "sum" 0, and the gradient 0 everywhere?"""
    x, t = logits(rng, (3, 4), np.float64), np.full(3, -100)
    against_torch(check, fn, x, t, {**options, **reduced(reduction)}, np.float64)


BAD = {
    "reduction-avg": ({"reduction": "avg"}, 'reduction must be "mean", "sum" or "none"'),
    "smoothing-1.5": ({"label_smoothing": 1.5}, "label_smoothing must be at most 1"),
    "weight-length": ({"weight": np.ones(4)}, "weight must have one entry per class (3), not 4"),
}


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
@pytest.mark.parametrize("fn", FNS)
def test_bad_options(check, rng, fn, bad):
    """Is a bad option (unknown reduction, label_smoothing above 1, weight of the wrong length) refused?"""
    options, reason = bad
    x, t = logits(rng, (2, 3), np.float64), np.array([0, 2])
    inputs = {"input": x, "target": t, **({"weight": options["weight"]} if "weight" in options else {})}
    check.raises(lambda m: getattr(m, fn)(x, t, **options), call=call(fn, options), reason=reason, inputs=inputs)


TARGETS = {
    "class-C": ((2, 3), np.array([0, 3]), "target 3 is outside [0, 3)"),
    "negative": ((2, 3), np.array([-1, 0]), "target -1 is outside [0, 3) and is not ignore_index (-100)"),
    "short": ((4, 3), np.array([0, 1, 2]), "target (3,) does not fit input (4, 3): expected (4,)"),
    "not-squeezed": ((4, 3), np.array([[0, 1, 2, 1]]), "target (1, 4) does not fit input (4, 3): expected (4,)"),
    "k-dim": ((2, 3, 4), np.array([0, 1]), "target (2,) does not fit input (2, 3, 4): expected (2, 4)"),
}


@pytest.mark.parametrize("case", TARGETS.values(), ids=TARGETS.keys())
@pytest.mark.parametrize("fn", FNS)
def test_bad_target(check, rng, fn, case):
    """Is a target outside [0, C) (and not ignore_index), or of a shape that does not fit input, refused?"""
    shape, t, reason = case
    x = logits(rng, shape, np.float64)
    check.raises(lambda m: getattr(m, fn)(x, t), call=call(fn, {}), reason=reason, inputs={"input": x, "target": t})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """Do cross_entropy and its backward match PyTorch on shapes and options drawn afresh each run?"""
    for _ in range(4):
        extra = tuple(int(n) for n in rng.integers(1, 5, size=int(rng.integers(0, 3))))  # (d1, ..., dk), k in 0..2
        shape = (int(rng.integers(1, 6)), int(rng.integers(2, 7))) + extra  # (N, C, *), N in 1..5, C in 2..6
        x, t = logits(rng, shape, dtype), classes(rng, shape)  # (N, C, *), (N, *)
        options = reduced(REDUCTIONS[int(rng.integers(len(REDUCTIONS)))])
        if rng.random() < 0.5:
            options["weight"] = np.asarray(rng.uniform(0.1, 3.0, size=shape[1]), dtype=dtype)  # (C,)
        if rng.random() < 0.5:
            options["label_smoothing"] = float(rng.choice([0.05, 0.3, 0.9]))
        if rng.random() < 0.5:
            t.flat[0] = -100  # at least one position is still counted unless N * d1 * ... == 1
        for fn in FNS:
            against_torch(check, fn, x, t, options, dtype, shown=f" with input.shape == {shape}")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Are cross_entropy and cross_entropy_backward right in the dtype of input (float32 in, float32 out)?"""
    x = logits(rng, (3, 4), dtype)
    t = np.array([1, 3, 0])
    for fn in FNS:
        check.close(lambda m: getattr(m, fn)(x, t), expected(fn, x, t, {}, dtype), call=call(fn, {}),
                    inputs={"input": x, "target": t}, dtype=True)
