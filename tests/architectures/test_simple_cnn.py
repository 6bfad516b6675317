"""architectures.simple_cnn: simple_cnn against the same two-stage network in torch with the same weights."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
KEYS = ("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc.weight", "fc.bias")
CALL = "simple_cnn(x, params)"


def make_params(rng, c, c1, c2, size, k, dtype):
    """The state_dict of the network for (C, H, W) images, conv outputs spread on both sides of 0."""
    features = c2 * (size[0] // 4) * (size[1] // 4)
    return {
        "conv1.weight": (rng.standard_normal((c1, c, 3, 3)) / np.sqrt(9 * c)).astype(dtype),  # (C1, C, 3, 3)
        "conv1.bias": (rng.standard_normal(c1) * 0.3).astype(dtype),  # (C1,)
        "conv2.weight": (rng.standard_normal((c2, c1, 3, 3)) / np.sqrt(9 * c1)).astype(dtype),  # (C2, C1, 3, 3)
        "conv2.bias": (rng.standard_normal(c2) * 0.3).astype(dtype),  # (C2,)
        "fc.weight": (rng.standard_normal((k, features)) / np.sqrt(features)).astype(dtype),  # (K, F)
        "fc.bias": (rng.standard_normal(k) * 0.3).astype(dtype),  # (K,)
    }


def case(rng, n, c, c1, c2, size, k, dtype):
    x = rng.standard_normal((n, c, *size)).astype(dtype)  # (N, C, H, W)
    return x, make_params(rng, c, c1, c2, size, k, dtype)


def torch_reference(x, params):
    """The network in float64 torch with params loaded strictly, cast to x's dtype."""
    torch = oracle.torch()
    nn = torch.nn

    class SimpleCNN(nn.Module):
        def __init__(self, c, c1, c2, features, k):
            super().__init__()
            self.conv1 = nn.Conv2d(c, c1, 3, padding=1)
            self.conv2 = nn.Conv2d(c1, c2, 3, padding=1)
            self.pool = nn.MaxPool2d(2)
            self.fc = nn.Linear(features, k)

        def forward(self, t):
            t = self.pool(torch.relu(self.conv1(t)))
            t = self.pool(torch.relu(self.conv2(t)))
            return self.fc(torch.flatten(t, 1))

    (c1, c), c2 = params["conv1.weight"].shape[:2], params["conv2.weight"].shape[0]
    k, features = params["fc.weight"].shape
    net = SimpleCNN(c, c1, c2, features, k).double()
    net.load_state_dict({name: oracle.tensor(params[name]) for name in KEYS})  # strict: exactly these keys
    with torch.no_grad():
        return oracle.numpy(net(oracle.tensor(x)), x.dtype)


def against_torch(check, x, params, shown="", dtype_rule=False):
    check.close(lambda m: m.simple_cnn(x, params), torch_reference(x, params), call=CALL + shown,
                inputs={"x": x, "params": params}, dtype=dtype_rule)


# (N, C, C1, C2, (H, W), K): a batch of one; channel counts all different, so a flatten in (H, W, C)
# order or a transposed weight has the right shape and the wrong numbers; sizes that are not
# multiples of 4 (each pooling drops a last odd row or column); a non-square image; a grayscale one.
NETS = {
    "batch1_8x8": (1, 3, 4, 5, (8, 8), 3),
    "channels_2_3_5_k4_12x8": (2, 2, 3, 5, (12, 8), 4),
    "odd_7x10": (3, 3, 4, 2, (7, 10), 5),
    "odd_11x6": (2, 1, 6, 3, (11, 6), 2),
    "small_4x5": (4, 2, 2, 3, (4, 5), 3),
}


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("net", NETS.values(), ids=NETS.keys())
def test_simple_cnn(check, rng, net, dtype):
    """Do the logits match the same network in torch with the same weights?"""
    n, c, c1, c2, size, k = net
    x, params = case(rng, n, c, c1, c2, size, k, dtype)
    against_torch(check, x, params, shown=f" with x {x.shape}, conv1 {c}->{c1}, conv2 {c1}->{c2}, {k} classes")


def test_negative_feature_maps(check, rng):
    """Where the convolutions give mostly negative values, does each ReLU set them to 0 before pooling and fc?"""
    x, params = case(rng, 2, 2, 3, 4, (8, 9), 3, np.float64)
    params["conv1.bias"] = np.array([-0.6, 0.2, -0.3])  # a first stage mostly below 0 in two channels
    params["conv2.bias"] = np.array([-0.5, -0.2, 0.1, -0.4])  # and a second one too
    against_torch(check, x, params, shown=" with conv biases mostly negative")


def test_bright_border(check, rng):
    """With large values along the image's edge, are the convolutions padded by 1 with zeros?"""
    x, params = case(rng, 2, 2, 3, 3, (8, 8), 2, np.float64)
    x[:, :, [0, -1], :] += 5.0  # the top and bottom rows, and
    x[:, :, :, [0, -1]] += 5.0  # the left and right columns stand out
    against_torch(check, x, params, shown=" with the edge of every image raised by 5")


def test_params_unchanged(check, rng):
    """Does simple_cnn leave every array in params as it was?"""
    x, params = case(rng, 2, 3, 4, 2, (8, 8), 3, np.float64)
    before = {k: v.copy() for k, v in params.items()}
    check.run(lambda m: m.simple_cnn(x, params), call=CALL, inputs={"x": x, "params": params})
    changed = [k for k in KEYS if not np.array_equal(before[k], params[k])]
    assert not changed, f"simple_cnn changed params {changed}: the caller's weights must stay as they were"


BAD = ["x_3d", "image_3x8", "channels_unlike_conv1", "conv2_in_channels", "fc_in_features", "conv1_bias_shape",
       "fc_bias_shape", "missing_key", "conv1_kernel_5x5", "conv2_kernel_5x5", "fc_weight_3d",
       "image_3x8_fc_of_0_features"]


@pytest.mark.parametrize("bad", BAD)
def test_bad_input(check, rng, bad):
    """Is input that the network cannot take (rank, an image under 4x4, weights that do not chain, a missing key) refused with ValueError?"""
    x, params = case(rng, 2, 3, 4, 5, (8, 8), 3, np.float64)
    if bad == "x_3d":
        x, reason = x[0], "x must be (N, C, H, W), not (C, H, W)"
    elif bad == "image_3x8":
        x, reason = x[:, :, :3], "a 3x8 image cannot be pooled twice"
    elif bad == "image_3x8_fc_of_0_features":  # an fc that fits the 0 features left: only the size rule refuses
        x, reason = x[:, :, :3], "a 3x8 image cannot be pooled twice (fc.weight is (3, 0))"
        params["fc.weight"] = np.zeros((3, 0))
    elif bad == "channels_unlike_conv1":
        x, reason = x[:, :2], "x has 2 channels but conv1.weight takes 3"
    elif bad == "conv2_in_channels":
        params["conv2.weight"], reason = params["conv2.weight"][:, :3], "conv2.weight takes 3 channels, conv1 gives 4"
    elif bad == "fc_in_features":
        params["fc.weight"], reason = params["fc.weight"][:, :19], "fc.weight takes 19 features, the flatten gives 20"
    elif bad == "conv1_bias_shape":
        params["conv1.bias"], reason = np.zeros(3), "conv1.bias is (3,) but conv1 has 4 filters"
    elif bad == "fc_bias_shape":
        params["fc.bias"], reason = np.zeros(2), "fc.bias is (2,) but fc has 3 outputs"
    elif bad == "conv1_kernel_5x5":  # the right channels, the wrong kernel: its outer taps would go unused
        params["conv1.weight"], reason = rng.standard_normal((4, 3, 5, 5)), "conv1.weight is 5x5, not 3x3"
    elif bad == "conv2_kernel_5x5":
        params["conv2.weight"], reason = rng.standard_normal((5, 4, 5, 5)), "conv2.weight is 5x5, not 3x3"
    elif bad == "fc_weight_3d":  # (3, 20, 1): its second axis is the right number of features
        params["fc.weight"], reason = params["fc.weight"][..., None], "fc.weight is (3, 20, 1), not 2-D (K, 20)"
    else:
        del params["conv2.bias"]
        reason = "params has no 'conv2.bias'"
    check.raises(lambda m: m.simple_cnn(x, params), call=CALL, reason=reason, inputs={"x": x, "params": params})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """Do the logits match torch on batch, channel, image and class sizes drawn afresh each run?"""
    for _ in range(3):
        n, c, c1, c2, k = (int(v) for v in rng.integers(1, 6, size=5))
        size = tuple(int(v) for v in rng.integers(4, 14, size=2))
        x, params = case(rng, n, c, c1, c2, size, k, dtype)
        against_torch(check, x, params, shown=f" with x {x.shape}, conv1 {c}->{c1}, conv2 {c1}->{c2}, {k} classes")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Are the logits in the dtype of the input (float32 in, float32 out)?"""
    x, params = case(rng, 2, 3, 4, 5, (8, 8), 3, dtype)
    against_torch(check, x, params, dtype_rule=True)
