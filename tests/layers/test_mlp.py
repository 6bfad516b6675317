"""layers.mlp: mlp against nn.Sequential(nn.Linear, activation, nn.Linear) loaded with the same state_dict."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
# (N, in, hidden, out): a batch of one; every size different, hidden wider and narrower than the
# input; and all sizes equal, where a weight used untransposed or the layers taken in the wrong
# order give wrong numbers instead of a shape error.
SIZES = {"batch1": (1, 5, 7, 3), "4x6_h10_o2": (4, 6, 10, 2), "5x8_h3_o6": (5, 8, 3, 6), "square4": (3, 4, 4, 4)}
# None: the call leaves `activation` out, so its default ("relu") is used.
ACTIVATIONS = [None, "relu", "gelu", "tanh"]
KEYS = ("0.weight", "0.bias", "2.weight", "2.bias")


def activation_id(activation):
    return "default" if activation is None else activation


def make_params(rng, n_in, hidden, n_out, dtype):
    """Weights that spread the hidden pre-activations over about [-4, 4], where relu, gelu and tanh all bend,
    and where gelu's tanh approximation is off by up to 5e-4."""
    return {
        "0.weight": (rng.standard_normal((hidden, n_in)) * 2 / np.sqrt(n_in)).astype(dtype),  # (hidden, in)
        "0.bias": (rng.standard_normal(hidden) * 0.5).astype(dtype),  # (hidden,)
        "2.weight": (rng.standard_normal((n_out, hidden)) / np.sqrt(hidden)).astype(dtype),  # (out, hidden)
        "2.bias": (rng.standard_normal(n_out) * 0.5).astype(dtype),  # (out,)
    }


def options_of(activation):
    return {} if activation is None else {"activation": activation}


def call(options, shown=""):
    return "mlp(x, params" + "".join(f", {k}={v!r}" for k, v in options.items()) + ")" + shown


def torch_mlp(x, params, activation):
    """nn.Sequential(Linear, act, Linear) in float64 with params loaded as its state_dict, cast to x's dtype."""
    torch = oracle.torch()
    nn = torch.nn
    (hidden, n_in), (n_out, _) = params["0.weight"].shape, params["2.weight"].shape
    act = {"relu": nn.ReLU(), "gelu": nn.GELU(), "tanh": nn.Tanh()}[activation or "relu"]
    model = nn.Sequential(nn.Linear(n_in, hidden), act, nn.Linear(hidden, n_out)).double()
    model.load_state_dict({k: oracle.tensor(v) for k, v in params.items()})  # strict: exactly these keys
    with torch.no_grad():
        return oracle.numpy(model(oracle.tensor(x)), x.dtype)


def against_torch(check, x, params, activation, shown="", dtype_rule=False):
    options = options_of(activation)
    check.close(lambda m: m.mlp(x, params, **options), torch_mlp(x, params, activation), call=call(options, shown),
                inputs={"x": x, "params": params}, dtype=dtype_rule)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("activation", ACTIVATIONS, ids=activation_id)
@pytest.mark.parametrize("sizes", SIZES.values(), ids=SIZES.keys())
def test_mlp(check, rng, sizes, activation, dtype):
    """Does mlp match nn.Sequential(nn.Linear, activation, nn.Linear) with the same weights (relu when not given)?"""
    n, n_in, hidden, n_out = sizes
    x, params = rng.standard_normal((n, n_in)).astype(dtype), make_params(rng, n_in, hidden, n_out, dtype)
    against_torch(check, x, params, activation)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("x_shape", [(6,), (2, 3, 6), (2, 1, 3, 6)], ids=["single", "2x3", "2x1x3"])
@pytest.mark.parametrize("activation", ["relu", "gelu"])
def test_mlp_leading_axes(check, rng, x_shape, activation, dtype):
    """Like nn.Linear, does mlp take x of shape (*, in): one sample (in,), or several leading axes?"""
    x, params = rng.standard_normal(x_shape).astype(dtype), make_params(rng, 6, 5, 4, dtype)
    against_torch(check, x, params, activation, shown=f" with x.shape == {x_shape}")


def test_mlp_exact_gelu(check, rng):
    """Is "gelu" the exact x * Phi(x) (erf), as nn.GELU() by default, not its tanh approximation?"""
    x = np.linspace(-3.0, 3.0, 13).reshape(13, 1)  # (13, 1): the hidden pre-activations are x itself
    params = {"0.weight": np.ones((1, 1)), "0.bias": np.zeros(1), "2.weight": np.ones((1, 1)), "2.bias": np.zeros(1)}
    against_torch(check, x, params, "gelu", shown=" with identity weights and zero biases, so out = gelu(x)")


@pytest.mark.parametrize("activation", ["sigmoid", "GELU", "leaky_relu", "none"])
def test_mlp_bad_activation(check, rng, activation):
    """Is an activation other than "relu", "gelu" or "tanh" refused with ValueError?"""
    x, params = rng.standard_normal((2, 3)), make_params(rng, 3, 4, 2, np.float64)
    check.raises(lambda m: m.mlp(x, params, activation=activation), call=call({"activation": activation}),
                 inputs={"x": x, "params": params}, reason=f'activation must be "relu", "gelu" or "tanh", not {activation!r}')


@pytest.mark.parametrize("case", ["x_features", "hidden_mismatch"])
def test_mlp_bad_shapes(check, rng, case):
    """Are x with the wrong number of features, and layers whose sizes do not chain, refused with ValueError?"""
    params = make_params(rng, 3, 4, 2, np.float64)
    if case == "x_features":
        x, reason = rng.standard_normal((2, 5)), "x has 5 features but params['0.weight'] is (4, 3): 3 inputs"
    else:
        x, reason = rng.standard_normal((2, 3)), "params['2.weight'] is (2, 6) but the first layer gives 4 hidden units"
        params["2.weight"] = rng.standard_normal((2, 6))
    check.raises(lambda m: m.mlp(x, params), call=call({}), inputs={"x": x, "params": params}, reason=reason)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """Does mlp match torch on sizes, leading axes and activations drawn afresh each run?"""
    for _ in range(4):
        n_in, hidden, n_out = (int(k) for k in rng.integers(1, 9, size=3))
        lead = tuple(int(k) for k in rng.integers(1, 5, size=int(rng.integers(0, 3))))  # 0 to 2 leading axes
        activation = str(rng.choice(["relu", "gelu", "tanh"]))
        x = rng.standard_normal(lead + (n_in,)).astype(dtype)  # (*, in)
        params = make_params(rng, n_in, hidden, n_out, dtype)
        against_torch(check, x, params, activation,
                      shown=f" with x.shape == {x.shape}, params['0.weight'].shape == {(hidden, n_in)}, "
                            f"params['2.weight'].shape == {(n_out, hidden)}")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("activation", ["relu", "gelu", "tanh"])
def test_dtype(check, rng, activation, dtype):
    """Is mlp right in the dtype of its inputs (float32 x and params in, float32 out)?"""
    x, params = rng.standard_normal((3, 4)).astype(dtype), make_params(rng, 4, 5, 2, dtype)
    against_torch(check, x, params, activation, dtype_rule=True)
