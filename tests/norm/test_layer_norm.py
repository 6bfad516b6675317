"""norm.layer_norm: layer_norm, layer_norm_backward and rms_norm against F.layer_norm, F.rms_norm and autograd."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
DTYPE_IDS = ["float64", "float32"]
NAMES = ("grad_x", "grad_weight", "grad_bias")  # None where the parameter is None

# (shape of x, normalized_shape as passed). Sizes differ from each other so that the wrong axes cannot
# give the right shape by chance; two or three normalised dims, where axis -1 alone is wrong; a batch of one;
# a 1-D x normalised as a whole; ints and tuples.
CASES = {
    "2d-4x6-int": ((4, 6), 6),
    "batch1-1x5": ((1, 5), (5,)),
    "1d-whole-7": ((7,), 7),
    "3d-2x3x5-last": ((2, 3, 5), (5,)),
    "3d-2x3x5-last-two": ((2, 3, 5), (3, 5)),
    "3d-batch1-1x4x3-last-two": ((1, 4, 3), (4, 3)),
    "4d-2x3x4x5-last-two": ((2, 3, 4, 5), (4, 5)),
    "4d-3x2x4x3-last-three": ((3, 2, 4, 3), (2, 4, 3)),
}
# Where the optional parameters are absent: both left out, both passed as None, only one given.
OPTIONAL = {"left-out": (False, False, False), "both-None": (False, False, True),
            "weight-only": (True, False, False), "bias-only": (False, True, False)}


def as_tuple(normalized_shape):
    return (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)


def rows(rng, shape, normalized_shape, dtype):
    """x whose normalised groups each have their own mean and scale (so statistics over other axes differ)."""
    k = len(as_tuple(normalized_shape))
    lead = shape[:len(shape) - k]
    view = lead + (1,) * k
    means = rng.uniform(-3.0, 3.0, size=lead).reshape(view)
    scales = rng.uniform(0.5, 3.0, size=lead).reshape(view)
    return (means + scales * rng.standard_normal(shape)).astype(dtype)


def params(rng, normalized_shape, dtype, weight=True, bias=True):
    s = as_tuple(normalized_shape)
    w = (rng.choice([-1.0, 1.0], size=s) * rng.uniform(0.5, 2.0, size=s)).astype(dtype) if weight else None
    b = rng.uniform(-2.0, 2.0, size=s).astype(dtype) if bias else None
    return w, b


def maybe(t):
    return None if t is None else oracle.tensor(t)


def torch_layer_norm(x, ns, w, b, eps=1e-5):
    F = oracle.torch().nn.functional
    return oracle.numpy(F.layer_norm(oracle.tensor(x), as_tuple(ns), maybe(w), maybe(b), eps), x.dtype)


def torch_layer_norm_grads(g, x, ns, w, b, eps=1e-5):
    """autograd's (grad_x, grad_weight, grad_bias) for F.layer_norm, None for an absent parameter."""
    F = oracle.torch().nn.functional
    xt = oracle.tensor(x, grad=True)
    wt = None if w is None else oracle.tensor(w, grad=True)
    bt = None if b is None else oracle.tensor(b, grad=True)
    out = F.layer_norm(xt, as_tuple(ns), wt, bt, eps)
    wanted = [t for t in (xt, wt, bt) if t is not None]
    found = iter(oracle.numpy(t, x.dtype) for t in oracle.grads(out, wanted, oracle.tensor(g)))
    return tuple(None if t is None else next(found) for t in (xt, wt, bt))


def torch_rms_norm(x, ns, w, eps=None):
    """F.rms_norm in float64; eps None stands for the epsilon of x's own dtype, as torch picks for an x in that dtype."""
    F = oracle.torch().nn.functional
    eps = float(np.finfo(x.dtype).eps) if eps is None else eps
    return oracle.numpy(F.rms_norm(oracle.tensor(x), as_tuple(ns), maybe(w), eps), x.dtype)


def signature(ns, optional):
    """The arguments after x (and grad_out), and how the call is shown to the learner.

    `optional` lists (name, value, kind) in the function's order; kind is "given", "None" (passed as None) or
    "left-out" (the default is used). Arguments go by position as long as none before them was left out, by
    name after that: both ways of passing them are exercised."""
    args, kwargs, shown = [ns], {}, [repr(ns)]
    positional = True
    for name, value, kind in optional:
        if kind == "left-out":
            positional = False
            continue
        value = None if kind == "None" else value
        text = name if isinstance(value, np.ndarray) else repr(value)
        if positional:
            args.append(value)
            shown.append(text)
        else:
            kwargs[name] = value
            shown.append(f"{name}={text}")
    return args, kwargs, ", ".join(shown)


def absent(none_passed):
    return "None" if none_passed else "left-out"


def layer_norm_args(ns, w, b, eps, none_passed):
    return signature(ns, [("weight", w, "given" if w is not None else absent(none_passed)),
                          ("bias", b, "given" if b is not None else absent(none_passed)),
                          ("eps", eps, "left-out" if eps is None else "given")])


def check_layer_norm(check, x, ns, w, b, eps=None, none_passed=False, dtype_rule=False):
    args, kwargs, shown = layer_norm_args(ns, w, b, eps, none_passed)
    inputs = {"x": x, **({} if w is None else {"weight": w}), **({} if b is None else {"bias": b})}
    check.close(lambda m: m.layer_norm(x, *args, **kwargs), torch_layer_norm(x, ns, w, b, 1e-5 if eps is None else eps),
                call=f"layer_norm(x, {shown}) with x.shape == {x.shape}", inputs=inputs, dtype=dtype_rule)


def check_backward(check, rng, x, ns, w, b, eps=None, none_passed=False, dtype_rule=False):
    g = rng.standard_normal(x.shape).astype(x.dtype)
    args, kwargs, shown = layer_norm_args(ns, w, b, eps, none_passed)
    inputs = {"grad_out": g, "x": x, **({} if w is None else {"weight": w}), **({} if b is None else {"bias": b})}
    check.close(lambda m: m.layer_norm_backward(g, x, *args, **kwargs),
                torch_layer_norm_grads(g, x, ns, w, b, 1e-5 if eps is None else eps),
                call=f"layer_norm_backward(grad_out, x, {shown}) with x.shape == {x.shape}", inputs=inputs,
                names=NAMES, dtype=dtype_rule)


def check_rms_norm(check, x, ns, w, eps=None, eps_given=False, none_passed=False, dtype_rule=False):
    """eps_given passes eps even when it is None; otherwise an eps of None is left out."""
    eps_kind = "given" if eps is not None else ("None" if eps_given else "left-out")
    args, kwargs, shown = signature(ns, [("weight", w, "given" if w is not None else absent(none_passed)),
                                         ("eps", eps, eps_kind)])
    inputs = {"x": x, **({} if w is None else {"weight": w})}
    check.close(lambda m: m.rms_norm(x, *args, **kwargs), torch_rms_norm(x, ns, w, eps),
                call=f"rms_norm(x, {shown}) with x.shape == {x.shape}", inputs=inputs, dtype=dtype_rule)


# ------------------------------------------------------------------ layer_norm

@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_layer_norm(check, rng, case, dtype):
    """Does layer_norm match F.layer_norm, normalising over exactly the trailing normalized_shape dims?"""
    shape, ns = case
    check_layer_norm(check, rows(rng, shape, ns, dtype), ns, *params(rng, ns, dtype))


@pytest.mark.parametrize("optional", OPTIONAL.values(), ids=OPTIONAL.keys())
@pytest.mark.parametrize("case", [CASES["2d-4x6-int"], CASES["3d-2x3x5-last-two"]], ids=["2d-int", "3d-last-two"])
def test_layer_norm_optional(check, rng, case, optional):
    """With weight or bias left out or None, does layer_norm skip that scale or shift, as F.layer_norm?"""
    shape, ns = case
    with_w, with_b, none_passed = optional
    check_layer_norm(check, rows(rng, shape, ns, np.float64), ns, *params(rng, ns, np.float64, with_w, with_b),
                     none_passed=none_passed)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("fn", ["layer_norm", "layer_norm_backward"])
def test_layer_norm_eps(check, rng, fn, dtype):
    """Is eps added to the variance inside the square root, for eps=0.1 and for rows whose variance is far below 1e-5?"""
    x = rows(rng, (4, 6), 6, dtype)
    # Rows 1 and 3: variance about 1e-6 against the default eps 1e-5, centred near 0 so float32 keeps x - mean.
    x[1] = (0.01 + 1e-3 * rng.standard_normal(6)).astype(dtype)
    x[3] = (-0.02 + 1e-3 * rng.standard_normal(6)).astype(dtype)
    w, b = params(rng, 6, dtype)
    run = check_layer_norm if fn == "layer_norm" else (lambda c, *a, **k: check_backward(c, rng, *a, **k))
    run(check, x, 6, w, b)
    run(check, rows(rng, (3, 2, 4), (2, 4), dtype), (2, 4), w=None, b=None, eps=0.1)


# ------------------------------------------------------------------ layer_norm_backward

@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_layer_norm_backward(check, rng, case, dtype):
    """Do grad_x, grad_weight and grad_bias match autograd of F.layer_norm (the parameter gradients summed over every leading dim)?"""
    shape, ns = case
    check_backward(check, rng, rows(rng, shape, ns, dtype), ns, *params(rng, ns, dtype))


@pytest.mark.parametrize("optional", OPTIONAL.values(), ids=OPTIONAL.keys())
@pytest.mark.parametrize("case", [CASES["2d-4x6-int"], CASES["4d-2x3x4x5-last-two"]], ids=["2d-int", "4d-last-two"])
def test_layer_norm_backward_optional(check, rng, case, optional):
    """With weight or bias absent, is its gradient None while the other gradients stay autograd's?"""
    shape, ns = case
    with_w, with_b, none_passed = optional
    check_backward(check, rng, rows(rng, shape, ns, np.float64), ns, *params(rng, ns, np.float64, with_w, with_b),
                   none_passed=none_passed)


# ------------------------------------------------------------------ rms_norm

@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_rms_norm(check, rng, case, dtype):
    """Does rms_norm match F.rms_norm: x / sqrt(mean(x ** 2) + eps) * weight over the trailing dims, no mean subtracted?"""
    shape, ns = case
    w, _ = params(rng, ns, dtype, bias=False)
    check_rms_norm(check, rows(rng, shape, ns, dtype), ns, w)


@pytest.mark.parametrize("eps", [None, 1e-5, 0.1], ids=["eps-left-out", "eps1e-5", "eps0.1"])
@pytest.mark.parametrize("weight", ["left-out", "None"])
def test_rms_norm_no_weight(check, rng, weight, eps):
    """Without a weight (left out, or None), and with eps left out or given, does rms_norm match F.rms_norm?"""
    x = rows(rng, (3, 2, 5), (2, 5), np.float64)
    check_rms_norm(check, x, (2, 5), None, eps=eps, none_passed=weight == "None")


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("passed", [False, True], ids=["eps-left-out", "eps=None"])
def test_rms_norm_default_eps(check, rng, passed, dtype):
    """With eps None, is eps the machine epsilon of x's dtype, as torch, on rows small enough for it to matter?"""
    # Mean squares about 1e-16 in float64 (eps 2.2e-16) and 1e-7 in float32 (eps 1.2e-7): the epsilon of the
    # dtype, 0, 1e-5 or float64's epsilon for float32 input all give clearly different rows.
    scale = 1e-8 if dtype == np.float64 else 3e-4
    x = (scale * rng.uniform(0.5, 1.5, size=(3, 4)) * rng.choice([-1.0, 1.0], size=(3, 4))).astype(dtype)
    w, _ = params(rng, 4, dtype, bias=False)
    check_rms_norm(check, x, 4, w, eps=None, eps_given=passed)


# ------------------------------------------------------------------ all three

def test_keywords(check, rng):
    """Do layer_norm, layer_norm_backward and rms_norm accept every argument by name?"""
    x = rows(rng, (2, 3, 4), (3, 4), np.float64)
    g = rng.standard_normal(x.shape)
    w, b = params(rng, (3, 4), np.float64)
    ns = (3, 4)
    inputs = {"x": x, "weight": w, "bias": b}
    check.close(lambda m: m.layer_norm(x=x, normalized_shape=ns, weight=w, bias=b, eps=1e-3),
                torch_layer_norm(x, ns, w, b, 1e-3), inputs=inputs,
                call="layer_norm(x=x, normalized_shape=(3, 4), weight=weight, bias=bias, eps=0.001)")
    check.close(lambda m: m.layer_norm_backward(grad_out=g, x=x, normalized_shape=ns, weight=w, bias=b, eps=1e-3),
                torch_layer_norm_grads(g, x, ns, w, b, 1e-3), inputs={"grad_out": g, **inputs}, names=NAMES,
                call="layer_norm_backward(grad_out=grad_out, x=x, normalized_shape=(3, 4), weight=weight, bias=bias, "
                     "eps=0.001)")
    check.close(lambda m: m.rms_norm(x=x, normalized_shape=ns, weight=w, eps=1e-3), torch_rms_norm(x, ns, w, 1e-3),
                call="rms_norm(x=x, normalized_shape=(3, 4), weight=weight, eps=0.001)", inputs={"x": x, "weight": w})


# x shape, normalized_shape, weight shape, bias shape, grad_out shape (None: x's), reason
BAD = {
    "not-trailing": ((2, 3, 4), (3,), None, None, None, "normalized_shape (3,) is not the last dim of x (2, 3, 4)"),
    "leading-dims": ((2, 3, 4), (2, 3), None, None, None, "normalized_shape (2, 3) is the leading dims, not the "
                                                          "trailing ones (3, 4)"),
    "int-wrong": ((4, 5), 4, None, None, None, "normalized_shape 4 is not x's last size 5"),
    "longer-than-x": ((3, 4), (2, 3, 4), None, None, None, "normalized_shape has 3 dims but x only 2"),
    "empty": ((3, 4), (), None, None, None, "normalized_shape () has no dimension to normalise over"),
    "weight-shape": ((2, 3, 4), (3, 4), (4,), None, None, "weight (4,) is not of shape normalized_shape (3, 4)"),
    "weight-transposed": ((2, 3, 4), (3, 4), (4, 3), None, None, "weight (4, 3) is not normalized_shape (3, 4)"),
    "bias-shape": ((2, 5), 5, (5,), (2, 5), None, "bias (2, 5) is not of shape normalized_shape (5,)"),
    "grad_out-shape": ((2, 5), 5, (5,), (5,), (5, 2), "grad_out (5, 2) is not shaped like x (2, 5)"),
}
# rms_norm has no bias and no grad_out; layer_norm has no grad_out.
BAD_CALLS = [pytest.param(fn, bad, id=f"{fn}-{key}") for fn in ("layer_norm", "layer_norm_backward", "rms_norm")
             for key, bad in BAD.items()
             if not (fn == "rms_norm" and bad[3] is not None) and not (fn != "layer_norm_backward" and bad[4] is not None)]


@pytest.mark.parametrize("fn, bad", BAD_CALLS)
def test_bad_input(check, rng, fn, bad):
    """Is a normalized_shape that is not x's trailing dims, a weight or bias not of that shape, or a bad grad_out refused?"""
    x_shape, ns, w_shape, b_shape, g_shape, reason = bad
    x = rng.standard_normal(x_shape)
    w = None if w_shape is None else rng.standard_normal(w_shape)
    b = None if b_shape is None else rng.standard_normal(b_shape)
    g = rng.standard_normal(x_shape if g_shape is None else g_shape)
    inputs = {"x": x, **({} if w is None else {"weight": w}), **({} if b is None else {"bias": b})}
    if fn == "layer_norm":
        check.raises(lambda m: m.layer_norm(x, ns, w, b), call=f"layer_norm(x, {ns!r}, weight, bias)",
                     reason=reason, inputs=inputs)
    elif fn == "layer_norm_backward":
        check.raises(lambda m: m.layer_norm_backward(g, x, ns, w, b),
                     call=f"layer_norm_backward(grad_out, x, {ns!r}, weight, bias)", reason=reason,
                     inputs={"grad_out": g, **inputs})
    else:
        check.raises(lambda m: m.rms_norm(x, ns, w), call=f"rms_norm(x, {ns!r}, weight)", reason=reason, inputs=inputs)


def random_case(rng):
    """(x shape, normalized_shape): 1..4 dims, the last 1..3 (at most all) normalised, sizes 1..5 with at least
    3 values per group (two values make x_hat +-1 and the gradient cancel to rounding noise in float32)."""
    while True:
        shape = tuple(int(n) for n in rng.integers(1, 6, size=int(rng.integers(1, 5))))
        k = int(rng.integers(1, min(3, len(shape)) + 1))
        if np.prod(shape[len(shape) - k:]) >= 3:
            ns = shape[len(shape) - k:]
            return shape, (ns[0] if k == 1 and rng.random() < 0.5 else ns)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_random_shapes(check, rng, dtype):
    """On shapes, normalized_shapes, optional parameters and eps drawn afresh each run, do all three match torch?"""
    for _ in range(3):
        shape, ns = random_case(rng)
        x = rows(rng, shape, ns, dtype)
        w, b = params(rng, ns, dtype, weight=bool(rng.random() < 0.7), bias=bool(rng.random() < 0.7))
        eps = None if rng.random() < 0.5 else float(rng.choice([1e-3, 1e-2, 0.1]))
        check_layer_norm(check, x, ns, w, b, eps=eps)
        check_backward(check, rng, x, ns, w, b, eps=eps)
        check_rms_norm(check, x, ns, w, eps=eps)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_dtype(check, rng, dtype):
    """Are layer_norm, layer_norm_backward and rms_norm right in the dtype of x (float32 in, float32 out)?"""
    x = rows(rng, (2, 3, 4), 4, dtype)
    w, b = params(rng, 4, dtype)
    check_layer_norm(check, x, 4, w, b, dtype_rule=True)
    check_backward(check, rng, x, 4, w, b, dtype_rule=True)
    check_backward(check, rng, x, 4, None, None, dtype_rule=True)
    check_rms_norm(check, x, 4, w, dtype_rule=True)
