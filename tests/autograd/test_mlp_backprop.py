"""autograd.mlp_backprop: mlp_loss_and_grads against torch.autograd of the same Linear-ReLU-Linear model."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
KEYS = ("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")
CALL = "mlp_loss_and_grads(x, y, params)"
NAMES = ("loss", "grads")
# (N, D, H, C): a batch of one; two classes; more classes than samples (some absent); more samples
# than classes (every class present); and D == H == C, where a weight gradient returned transposed
# has the right shape but the wrong numbers.
SIZES = {"batch1": (1, 4, 5, 3), "two_classes": (6, 3, 5, 2), "classes_absent_3x5_h7_c6": (3, 5, 7, 6),
         "all_classes_8x3_h6_c4": (8, 3, 6, 4), "square_4x4_h4_c4": (4, 4, 4, 4)}


def make_params(rng, d, h, c, dtype):
    """fc1 (H, D) and fc2 (C, H) as nn.Linear holds them, fc1's outputs spread on both sides of 0."""
    return {
        "fc1.weight": (rng.standard_normal((h, d)) / np.sqrt(d)).astype(dtype),  # (H, D)
        "fc1.bias": (rng.standard_normal(h) * 0.3).astype(dtype),  # (H,)
        "fc2.weight": (rng.standard_normal((c, h)) * 1.5 / np.sqrt(h)).astype(dtype),  # (C, H)
        "fc2.bias": (rng.standard_normal(c) * 0.3).astype(dtype),  # (C,)
    }


def targets(rng, n, c):
    """(N,) classes: every class at least once when N >= C (in a shuffled order), else N distinct ones."""
    if n >= c:
        return rng.permutation(np.concatenate([np.arange(c), rng.integers(0, c, size=n - c)]))
    return rng.choice(c, size=n, replace=False)


def case(rng, sizes, dtype):
    n, d, h, c = sizes
    x = rng.standard_normal((n, d)).astype(dtype)  # (N, D)
    return x, targets(rng, n, c), make_params(rng, d, h, c, dtype)


def torch_reference(x, y, params):
    """(loss, grads) of fc2(relu(fc1(x))) and F.cross_entropy (mean) in float64 autograd, cast to x's dtype."""
    torch = oracle.torch()
    nn = torch.nn

    class Net(nn.Module):
        def __init__(self, d, h, c):
            super().__init__()
            self.fc1, self.fc2 = nn.Linear(d, h), nn.Linear(h, c)

        def forward(self, t):
            return self.fc2(torch.relu(self.fc1(t)))

    (h, d), c = params["fc1.weight"].shape, params["fc2.weight"].shape[0]
    net = Net(d, h, c).double()
    net.load_state_dict({k: oracle.tensor(params[k]) for k in KEYS})  # strict: exactly these keys
    loss = torch.nn.functional.cross_entropy(net(oracle.tensor(x)), oracle.tensor(y.astype(np.int64)))
    named = dict(net.named_parameters())
    found = oracle.grads(loss, [named[k] for k in KEYS], torch.ones_like(loss))
    return oracle.numpy(loss, x.dtype), {k: oracle.numpy(g, x.dtype) for k, g in zip(KEYS, found)}


def against_torch(check, x, y, params, shown="", dtype_rule=False):
    check.close(lambda m: m.mlp_loss_and_grads(x, y, params), torch_reference(x, y, params), call=CALL + shown,
                inputs={"x": x, "y": y, "params": params}, names=NAMES, dtype=dtype_rule)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("sizes", SIZES.values(), ids=SIZES.keys())
def test_mlp_loss_and_grads(check, rng, sizes, dtype):
    """Do the mean cross-entropy and the four parameter gradients match torch.autograd of the same model?"""
    x, y, params = case(rng, sizes, dtype)
    against_torch(check, x, y, params, shown=f" with x {x.shape}, {params['fc2.weight'].shape[0]} classes")


def test_returns_loss_and_dict(check, rng):
    """Is the result (loss, grads): a scalar loss and a dict with exactly the four keys, each shaped like its parameter?"""
    x, y, params = case(rng, (5, 3, 4, 2), np.float64)
    check.shaped(lambda m: m.mlp_loss_and_grads(x, y, params), torch_reference(x, y, params), call=CALL,
                 inputs={"x": x, "y": y, "params": params}, dtype=False)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_relu_at_zero(check, rng, dtype):
    """Where fc1's output is exactly 0, does no gradient pass the ReLU (slope 0 at 0), as in torch?"""
    x, y, params = case(rng, (5, 3, 6, 3), dtype)
    x[2] = 0  # a row of zeros: fc1's output there is fc1.bias alone
    params["fc1.bias"][::2] = 0  # so row 2 is exactly 0 at hidden units 0, 2 and 4
    params["fc1.weight"][4] = 0  # and hidden unit 4 is exactly 0 for every row
    against_torch(check, x, y, params,
                  shown=" where fc1(x) is exactly 0 in row 2 (units 0, 2, 4) and in hidden unit 4 (every row)")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_large_logits(check, rng, dtype):
    """With logits near ±1000, do the loss and the gradients stay finite and right (a stable log-softmax)?"""
    x, y, params = case(rng, (6, 3, 5, 3), dtype)
    y = np.array([0, 1, 2, 0, 1, 2])
    # Classes 500 to 1000 apart: the softmax is one-hot on class 0 in either dtype, and a row whose
    # target is another class has a loss near 1000 or 2000.
    params["fc2.bias"] = np.array([1000.0, 0.0, -1000.0], dtype=dtype)
    against_torch(check, x, y, params, shown=" with params['fc2.bias'] == [1000, 0, -1000]")
    if dtype == np.float64:  # logits of about ±1000 from the weights, which float64 computes closely enough
        x, y, params = case(rng, (5, 4, 6, 4), dtype)
        params["fc2.weight"] = params["fc2.weight"] * 600
        against_torch(check, x, y, params, shown=" with params['fc2.weight'] scaled by 600 (logits near ±1000)")


BAD = ["x_1d", "y_2d", "y_length", "y_negative", "y_equal_to_C", "x_features", "fc1_bias_shape",
       "fc2_weight_shape", "fc2_bias_shape", "missing_key"]


@pytest.mark.parametrize("bad", BAD)
def test_bad_input(check, rng, bad):
    """Is input that does not fit (ranks, lengths, classes outside [0, C), shapes that do not chain, a missing key) refused with ValueError?"""
    x, y, params = case(rng, (4, 3, 5, 3), np.float64)
    if bad == "x_1d":
        x, reason = x[0], "x must be (N, D), not (D,)"
    elif bad == "y_2d":
        y, reason = y[:, None], "y must be (N,), not (N, 1)"
    elif bad == "y_length":
        y, reason = y[:3], "y has 3 classes for the 4 rows of x"
    elif bad == "y_negative":
        y[1], reason = -1, "y[1] == -1 is not a class in [0, 3)"
    elif bad == "y_equal_to_C":
        y[2], reason = 3, "y[2] == 3 is not a class in [0, 3)"
    elif bad == "x_features":
        x, reason = x[:, :2], "x has 2 features but params['fc1.weight'] takes 3"
    elif bad == "fc1_bias_shape":
        params["fc1.bias"], reason = np.zeros(4), "params['fc1.bias'] is (4,) but fc1 has 5 outputs"
    elif bad == "fc2_weight_shape":
        params["fc2.weight"], reason = rng.standard_normal((3, 4)), "params['fc2.weight'] is (3, 4) but fc1 gives 5"
    elif bad == "fc2_bias_shape":
        params["fc2.bias"], reason = np.zeros(2), "params['fc2.bias'] is (2,) but fc2 has 3 outputs"
    else:
        del params["fc2.bias"]
        reason = "params has no 'fc2.bias'"
    check.raises(lambda m: m.mlp_loss_and_grads(x, y, params), call=CALL, reason=reason,
                 inputs={"x": x, "y": y, "params": params})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """Do the loss and gradients match torch on batch, feature, hidden and class sizes drawn afresh each run?"""
    for _ in range(4):
        n, d, h = (int(k) for k in rng.integers(1, 9, size=3))
        c = int(rng.integers(2, 7))
        x, _, params = case(rng, (n, d, h, c), dtype)
        y = rng.integers(0, c, size=n)
        against_torch(check, x, y, params, shown=f" with x {x.shape}, fc1 ({h}, {d}), {c} classes, y = {y.tolist()}")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Are the loss and the gradients right in the dtype of the inputs (float32 in, float32 out)?"""
    x, y, params = case(rng, (4, 3, 5, 3), dtype)
    inputs = {"x": x, "y": y, "params": params}
    loss, grads = torch_reference(x, y, params)
    result = check.run(lambda m: m.mlp_loss_and_grads(x, y, params), call=CALL, inputs=inputs)
    if isinstance(result, (tuple, list)) and len(result) == 2 and type(result[0]) is float:
        loss = float(loss)  # a Python float carries no dtype to check: its value is what counts
    check.close(lambda m: m.mlp_loss_and_grads(x, y, params), (loss, grads), call=CALL, inputs=inputs, names=NAMES,
                dtype=True)
