"""optim.grad_clip: clip_grad_norm and clip_grad_value against torch.nn.utils.clip_grad_norm_ / clip_grad_value_."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
INF = float("inf")
# A non-square matrix, a vector and a (1,) gradient, of very different sizes: one joint norm differs from
# per-gradient norms, and the largest element differs from the 2-norm.
SHAPES = ((3, 4), (5,), (1,))
SCALES = (0.3, 2.0, 5.0)
# None: the call leaves norm_type out, so its default 2.0 is used.
NORM_TYPES = [None, 2.0, 1.0, 3.0, INF]


def norm_id(norm_type):
    return "default" if norm_type is None else f"p{norm_type:g}"


def make_grads(rng, dtype, shapes=SHAPES, scales=SCALES):
    return [(s * rng.standard_normal(shape)).astype(dtype) for shape, s in zip(shapes, scales)]


def inputs_of(grads):
    return {f"grads[{k}]": g for k, g in enumerate(grads)}  # each array is checked for in-place changes


def torch_params(grads):
    torch = oracle.torch()
    params = []
    for g in grads:
        p = torch.zeros(g.shape, dtype=torch.float64, requires_grad=True)
        p.grad = oracle.tensor(g)
        params.append(p)
    return params


def expected_norm(grads, max_norm, options):
    """torch's clipped grads (cast back to the grads' dtype) and its total_norm (a float)."""
    torch = oracle.torch()
    params = torch_params(grads)
    total = torch.nn.utils.clip_grad_norm_(params, max_norm, **options)
    return [oracle.numpy(p.grad, g.dtype) for p, g in zip(params, grads)], float(total)


def norm_call(max_norm, options):
    return f"clip_grad_norm(grads, max_norm={max_norm}" + "".join(f", {k}={v}" for k, v in options.items()) + ")"


def check_norm(check, grads, max_norm, options, dtype_rule=False, **tolerance):
    check.close(lambda m: m.clip_grad_norm(grads, max_norm, **options), expected_norm(grads, max_norm, options),
                call=norm_call(max_norm, options), inputs=inputs_of(grads), names=("clipped_grads", "total_norm"),
                dtype=dtype_rule, **tolerance)


def options_of(norm_type):
    return {} if norm_type is None else {"norm_type": norm_type}


# max_norm as a multiple of the total norm; 0 is allowed (max_norm >= 0) and clips every gradient to zero.
REGIMES = {"clipped": 0.3, "unclipped": 1.7, "max_norm-0": 0.0}
# The usual three gradients, and a single one-element gradient (the smallest list there is but the empty one).
LAYOUTS = {"three-grads": (SHAPES, SCALES), "one-(1,)-grad": (((1,),), (4.0,))}


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("regime", REGIMES)
@pytest.mark.parametrize("norm_type", NORM_TYPES, ids=norm_id)
def test_clip_grad_norm(check, rng, norm_type, regime, layout, dtype):
    """Does clip_grad_norm scale all grads by one joint norm as torch (and leave small ones alone), returning
    the norm measured before clipping?"""
    grads = make_grads(rng, dtype, *LAYOUTS[layout])
    options = options_of(norm_type)
    _, total = expected_norm(grads, 1.0, options)
    max_norm = round(total * REGIMES[regime], 4)
    check_norm(check, grads, max_norm, options)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("norm_type", [None, INF], ids=norm_id)
def test_clip_grad_norm_tiny_grads(check, rng, norm_type, dtype):
    """With gradients whose norm is near 1e-6, is the scale max_norm / (total_norm + 1e-6), eps where torch puts it?"""
    grads = make_grads(rng, dtype, scales=(1e-6, 2e-7, 5e-7))
    # The clipped values are ~1e-7, under the usual atol: atol = 0 lets the relative tolerance (the dtype's
    # own rtol) judge them. Without the 1e-6 the scale here is about twice torch's.
    check_norm(check, grads, 1e-7, options_of(norm_type), atol=0.0)


# Nothing to measure: gradients of zeros, no gradients at all, gradients with no elements.
ZERO_GRADS = {
    "all-zero": ((2, 3), (4,)),
    "no-grads": (),
    "size-0-grads": ((0, 3), (0,)),
}


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", ZERO_GRADS)
def test_clip_grad_norm_zero_grads(check, case, dtype):
    """Do all-zero gradients, an empty list and gradients with no elements come back unchanged with total_norm 0
    (no 0 / 0), as torch?"""
    grads = [np.zeros(shape, dtype=dtype) for shape in ZERO_GRADS[case]]
    check_norm(check, grads, 1.0, {})


def expected_value(grads, clip_value):
    torch = oracle.torch()
    params = torch_params(grads)
    torch.nn.utils.clip_grad_value_(params, clip_value)
    return [oracle.numpy(p.grad, g.dtype) for p, g in zip(params, grads)]


def check_value(check, grads, clip_value, dtype_rule=False):
    check.close(lambda m: m.clip_grad_value(grads, clip_value), expected_value(grads, clip_value),
                call=f"clip_grad_value(grads, clip_value={clip_value})", inputs=inputs_of(grads),
                names="clipped_grads", dtype=dtype_rule)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("clip_value", [0.0, 0.5, 1.5, 100.0])  # 0 is allowed (clip_value >= 0): all zeros
def test_clip_grad_value(check, rng, clip_value, dtype):
    """Does clip_grad_value clamp every element into [-clip_value, clip_value], both sides, as torch?"""
    check_value(check, make_grads(rng, dtype), clip_value)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_grads_unchanged(check, rng, dtype):
    """After clip_grad_norm and clip_grad_value, are the gradients passed in exactly as they were (torch clips
    in place, this API does not)?"""
    grads = make_grads(rng, dtype)

    def scenario(m):
        mine = [g.copy() for g in grads]  # the arrays handed over, read back after each call
        m.clip_grad_norm(mine, 0.5)
        after_norm = [g.copy() for g in mine]
        m.clip_grad_value(mine, 0.2)
        return after_norm, [g.copy() for g in mine]

    check.close(scenario, ([g.copy() for g in grads], [g.copy() for g in grads]), inputs=inputs_of(grads),
                call="g = copies of grads; clip_grad_norm(g, max_norm=0.5); reading g; clip_grad_value(g, "
                     "clip_value=0.2); reading g", names=("grads after clip_grad_norm", "grads after clip_grad_value"))


BAD = {
    "max_norm-negative": (lambda m, g: m.clip_grad_norm(g, -1.0), "clip_grad_norm(grads, max_norm=-1.0)",
                          "max_norm < 0"),
    "norm_type0": (lambda m, g: m.clip_grad_norm(g, 1.0, norm_type=0.0),
                   "clip_grad_norm(grads, max_norm=1.0, norm_type=0.0)", "norm_type must be > 0 or inf"),
    "norm_type-negative": (lambda m, g: m.clip_grad_norm(g, 1.0, norm_type=-2.0),
                           "clip_grad_norm(grads, max_norm=1.0, norm_type=-2.0)", "norm_type must be > 0 or inf"),
    "clip_value-negative": (lambda m, g: m.clip_grad_value(g, -0.5), "clip_grad_value(grads, clip_value=-0.5)",
                            "clip_value < 0: the range [0.5, -0.5] is empty"),
}


@pytest.mark.parametrize("case", BAD.values(), ids=BAD.keys())
def test_bad_arguments(check, rng, case):
    """Is a negative max_norm or clip_value, or a norm_type that is not > 0, refused with ValueError?"""
    fn, call, reason = case
    grads = make_grads(rng, np.float64)
    check.raises(lambda m: fn(m, grads), call=call, reason=reason, inputs=inputs_of(grads))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """With the number of gradients, their shapes, the norm type and the limits drawn afresh, do both match torch?"""
    for _ in range(3):
        count = int(rng.integers(1, 5))  # 1..4 gradients of 1..3 dimensions, each of size 1..6
        shapes = [tuple(int(d) for d in rng.integers(1, 7, size=int(rng.integers(1, 4)))) for _ in range(count)]
        grads = make_grads(rng, dtype, shapes, rng.uniform(0.1, 3.0, size=count))
        norm_type = [1.0, 2.0, 3.0, INF][int(rng.integers(4))]
        check_norm(check, grads, round(float(rng.uniform(0.1, 5.0)), 3), {"norm_type": norm_type})
        check_value(check, grads, round(float(rng.uniform(0.1, 2.0)), 3))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Are the clipped gradients in the dtype of the gradients (float32 in, float32 out)?"""
    grads = make_grads(rng, dtype)
    check_norm(check, grads, 1.0, {}, dtype_rule=True)
    check_value(check, grads, 0.5, dtype_rule=True)
