"""layers.residual: residual_block and residual_block_backward against torch and torch.autograd."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
KEYS = ("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")
GRAD_NAMES = ("grad_x",) + tuple(f"grads[{k!r}]" for k in KEYS)
# (N, d, h): a batch of one; a hidden layer wider and narrower than d; and h == d, where a weight
# gradient returned transposed has the right shape but the wrong numbers.
SIZES = {"batch1_d4_h6": (1, 4, 6), "5x3_h7": (5, 3, 7), "4x6_h2": (4, 6, 2), "square_3x4_h4": (3, 4, 4)}


def make_params(rng, d, h, dtype):
    """fc1 (h, d) and fc2 (d, h), with the pre-activations spread on both sides of 0."""
    return {
        "fc1.weight": (rng.standard_normal((h, d)) / np.sqrt(d)).astype(dtype),  # (h, d)
        "fc1.bias": (rng.standard_normal(h) * 0.3).astype(dtype),  # (h,)
        "fc2.weight": (rng.standard_normal((d, h)) / np.sqrt(h)).astype(dtype),  # (d, h)
        "fc2.bias": (rng.standard_normal(d) * 0.3).astype(dtype),  # (d,)
    }


def torch_block(x, params):
    """(output, x tensor, parameter tensors) of x + fc2(relu(fc1(x))) in float64, graph kept."""
    torch = oracle.torch()
    F = torch.nn.functional
    xt = oracle.tensor(x, grad=True)
    p = {k: oracle.tensor(v, grad=True) for k, v in params.items()}
    out = xt + F.linear(torch.relu(F.linear(xt, p["fc1.weight"], p["fc1.bias"])), p["fc2.weight"], p["fc2.bias"])
    return out, xt, p


def torch_forward(x, params):
    return oracle.numpy(torch_block(x, params)[0], x.dtype)


def torch_backward(g, x, params):
    """(grad_x, then the four parameter gradients in KEYS order), from torch.autograd, in g's dtype."""
    out, xt, p = torch_block(x, params)
    grads = oracle.grads(out, [xt] + [p[k] for k in KEYS], oracle.tensor(g))
    return tuple(oracle.numpy(t, g.dtype) for t in grads)


def flat(result):
    """(grad_x, grads['fc1.weight'], ...) from residual_block_backward's (grad_x, grads); None for a missing key."""
    grad_x, grads = result
    return (grad_x,) + tuple(grads.get(k) for k in KEYS)


def has_the_keys(result) -> bool:
    """Whether the result is (grad_x, grads) with grads a dict of exactly the four parameter keys."""
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        return False
    grads = result[1]
    return hasattr(grads, "keys") and sorted(grads.keys()) == sorted(KEYS)


BACKWARD_CALL = "residual_block_backward(grad_out, x, params)"


def check_backward(check, g, x, params, shown="", dtype_rule=False):
    inputs = {"grad_out": g, "x": x, "params": params}
    check.close(lambda m: has_the_keys(m.residual_block_backward(g, x, params)), True, call=BACKWARD_CALL + shown,
                inputs=inputs, names="result is (grad_x, grads), grads with exactly the keys of params")
    check.close(lambda m: flat(m.residual_block_backward(g, x, params)), torch_backward(g, x, params),
                call=BACKWARD_CALL + shown, inputs=inputs, names=GRAD_NAMES, dtype=dtype_rule)


def check_forward(check, x, params, shown="", dtype_rule=False):
    check.close(lambda m: m.residual_block(x, params), torch_forward(x, params), call="residual_block(x, params)" + shown,
                inputs={"x": x, "params": params}, dtype=dtype_rule)


def case(rng, sizes, dtype):
    n, d, h = sizes
    x = rng.standard_normal((n, d)).astype(dtype)  # (N, d)
    g = rng.standard_normal((n, d)).astype(dtype)  # (N, d)
    return g, x, make_params(rng, d, h, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("sizes", SIZES.values(), ids=SIZES.keys())
def test_residual_block(check, rng, sizes, dtype):
    """Does residual_block give x + fc2(relu(fc1(x))), as the same layers in torch?"""
    _, x, params = case(rng, sizes, dtype)
    check_forward(check, x, params)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("sizes", SIZES.values(), ids=SIZES.keys())
def test_residual_block_backward(check, rng, sizes, dtype):
    """Do grad_x and the four parameter gradients match torch.autograd, grad_x including the skip path?"""
    g, x, params = case(rng, sizes, dtype)
    check_backward(check, g, x, params)


def test_backward_returns_a_dict(check, rng):
    """Does residual_block_backward return (grad_x, grads), grads a dict with exactly the keys of params?"""
    g, x, params = case(rng, (3, 4, 5), np.float64)
    check.close(lambda m: has_the_keys(m.residual_block_backward(g, x, params)), True, call=BACKWARD_CALL,
                inputs={"grad_out": g, "x": x, "params": params},
                names="result is (grad_x, grads), grads with exactly the keys of params")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_backward_relu_at_zero(check, rng, dtype):
    """Where fc1's output is exactly 0, does the gradient stop at the ReLU (slope 0 at 0), as torch?"""
    g, x, params = case(rng, (5, 3, 6), dtype)
    x[1], x[3] = 0, 0  # rows of zeros: fc1's output there is fc1.bias alone
    params["fc1.bias"][::2] = 0  # so fc1's output is exactly 0 at rows 1 and 3, units 0, 2 and 4
    check_backward(check, g, x, params, shown=" where fc1(x) is exactly 0 in rows 1 and 3, hidden units 0, 2, 4")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_backward_branch_off(check, rng, dtype):
    """With the ReLU off everywhere, does the gradient still reach x through the skip (grad_x = grad_out)?"""
    g, x, params = case(rng, (4, 3, 5), dtype)
    params["fc1.bias"] = np.full(5, -100.0, dtype=dtype)  # fc1(x) < 0 for every sample: the branch is dead
    check_forward(check, x, params, shown=" with fc1.bias = -100, so the branch gives fc2.bias only")
    check_backward(check, g, x, params, shown=" with fc1.bias = -100, so no gradient passes the ReLU")


BAD = [(fn, bad) for fn in ("residual_block", "residual_block_backward") for bad in ("x_features", "fc2_shape", "x_1d")]


@pytest.mark.parametrize("fn, bad", BAD + [("residual_block_backward", "grad_out_shape")],
                         ids=[f"{fn}-{bad}" for fn, bad in BAD] + ["residual_block_backward-grad_out_shape"])
def test_bad_shapes(check, rng, fn, bad):
    """Are shapes that do not chain (x and fc1, fc2 and d, grad_out and x) refused with ValueError?"""
    g, x, params = case(rng, (3, 4, 5), np.float64)
    if bad == "x_features":
        x, g, reason = x[:, :3], g[:, :3], "x has 3 features but params['fc1.weight'] takes 4"
    elif bad == "fc2_shape":
        params["fc2.weight"], reason = rng.standard_normal((3, 5)), "params['fc2.weight'] is (3, 5): fc2 must give d = 4"
    elif bad == "x_1d":
        x, g, reason = x[0], g[0], "x must be (N, d), not (d,)"
    else:
        g, reason = g[:2], "grad_out is (2, 4) but x is (3, 4)"
    inputs = {"x": x, "params": params}
    if fn == "residual_block":
        check.raises(lambda m: m.residual_block(x, params), call="residual_block(x, params)", inputs=inputs,
                     reason=reason)
    else:
        check.raises(lambda m: m.residual_block_backward(g, x, params), call=BACKWARD_CALL,
                     inputs={"grad_out": g, **inputs}, reason=reason)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """Do residual_block and its backward match torch on batch, feature and hidden sizes drawn afresh each run?"""
    for _ in range(4):
        sizes = tuple(int(k) for k in rng.integers(1, 9, size=3))  # (N, d, h), each in 1..8
        g, x, params = case(rng, sizes, dtype)
        shown = f" with x.shape == {x.shape}, params['fc1.weight'].shape == {params['fc1.weight'].shape}"
        check_forward(check, x, params, shown)
        check_backward(check, g, x, params, shown)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Are residual_block and its backward right in the dtype of their inputs (float32 in, float32 out)?"""
    g, x, params = case(rng, (3, 4, 5), dtype)
    check_forward(check, x, params, dtype_rule=True)
    check_backward(check, g, x, params, dtype_rule=True)
