"""architectures.unet_blocks: double_conv, down and up against the same U-Net blocks in torch, in eval mode."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]


def torch_blocks():
    """DoubleConv, Down and Up as the well-known PyTorch U-Net writes them."""
    torch = oracle.torch()
    nn, F = torch.nn, torch.nn.functional

    class DoubleConv(nn.Module):
        def __init__(self, c_in, c_out, c_mid):
            super().__init__()
            self.double_conv = nn.Sequential(
                nn.Conv2d(c_in, c_mid, 3, padding=1, bias=False), nn.BatchNorm2d(c_mid), nn.ReLU(inplace=True),
                nn.Conv2d(c_mid, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True))

        def forward(self, t):
            return self.double_conv(t)

    class Down(nn.Module):
        def __init__(self, c_in, c_out, c_mid):
            super().__init__()
            self.maxpool_conv = nn.Sequential(nn.MaxPool2d(2), DoubleConv(c_in, c_out, c_mid))

        def forward(self, t):
            return self.maxpool_conv(t)

    class Up(nn.Module):
        def __init__(self, c_in, c_up, c_skip, c_out, c_mid):
            super().__init__()
            self.up = nn.ConvTranspose2d(c_in, c_up, 2, stride=2)
            self.conv = DoubleConv(c_skip + c_up, c_out, c_mid)

        def forward(self, t1, t2):
            t1 = self.up(t1)
            dy, dx = t2.size(2) - t1.size(2), t2.size(3) - t1.size(3)
            t1 = F.pad(t1, [dx // 2, dx - dx // 2, dy // 2, dy - dy // 2])
            return self.conv(torch.cat([t2, t1], dim=1))

    return DoubleConv, Down, Up


def conv_params(rng, prefix, c_in, c_out, c_mid, dtype, small_var=False):
    """DoubleConv's state_dict keys under `prefix`: weights near unit gain, running statistics far from (0, 1)."""
    p = {}
    for conv, bn, ci, co in (("0", "1", c_in, c_mid), ("3", "4", c_mid, c_out)):
        p[f"{prefix}double_conv.{conv}.weight"] = (rng.standard_normal((co, ci, 3, 3)) / np.sqrt(9 * ci)).astype(dtype)
        var = rng.uniform(0.3, 3.0, co)
        if small_var:
            var[::2] = rng.uniform(1e-4, 1e-3, len(var[::2]))  # where the 1e-5 in sqrt(var + eps) shows
        p[f"{prefix}double_conv.{bn}.weight"] = rng.uniform(0.5, 1.5, co).astype(dtype)
        p[f"{prefix}double_conv.{bn}.bias"] = (rng.standard_normal(co) * 0.3).astype(dtype)
        p[f"{prefix}double_conv.{bn}.running_mean"] = (rng.standard_normal(co) * 0.5).astype(dtype)
        p[f"{prefix}double_conv.{bn}.running_var"] = var.astype(dtype)
        p[f"{prefix}double_conv.{bn}.num_batches_tracked"] = np.array(int(rng.integers(1, 100)), dtype=np.int64)
    return p


def up_params(rng, c_in, c_up, c_skip, c_out, c_mid, dtype):
    p = {"up.weight": (rng.standard_normal((c_in, c_up, 2, 2)) / np.sqrt(c_in)).astype(dtype),  # (C_in, C_up, 2, 2)
         "up.bias": (rng.standard_normal(c_up) * 0.5).astype(dtype)}
    p.update(conv_params(rng, "conv.", c_skip + c_up, c_out, c_mid, dtype))
    return p


def run_torch(module, params, *xs):
    """The module in eval mode, loaded strictly from params (every key, nothing else), in float64."""
    module = module.double().eval()
    module.load_state_dict({k: oracle.tensor(v) for k, v in params.items()}, strict=True)
    with oracle.torch().no_grad():
        out = module(*(oracle.tensor(x) for x in xs))
    return oracle.numpy(out, xs[0].dtype)


def double_conv_reference(x, params):
    DoubleConv, _, _ = torch_blocks()
    c_in = x.shape[1]
    c_mid, c_out = params["double_conv.0.weight"].shape[0], params["double_conv.3.weight"].shape[0]
    return run_torch(DoubleConv(c_in, c_out, c_mid), params, x)


def down_reference(x, params):
    _, Down, _ = torch_blocks()
    c_mid = params["maxpool_conv.1.double_conv.0.weight"].shape[0]
    c_out = params["maxpool_conv.1.double_conv.3.weight"].shape[0]
    return run_torch(Down(x.shape[1], c_out, c_mid), params, x)


def up_reference(x1, x2, params):
    _, _, Up = torch_blocks()
    c_in, c_up = params["up.weight"].shape[:2]
    c_mid, c_out = params["conv.double_conv.0.weight"].shape[0], params["conv.double_conv.3.weight"].shape[0]
    return run_torch(Up(c_in, c_up, x2.shape[1], c_out, c_mid), params, x1, x2)


def check_double_conv(check, x, params, shown="", dtype_rule=False):
    check.close(lambda m: m.double_conv(x, params), double_conv_reference(x, params),
                call=f"double_conv(x, params){shown}", inputs={"x": x, "params": params}, dtype=dtype_rule)


def check_down(check, x, params, shown="", dtype_rule=False):
    check.close(lambda m: m.down(x, params), down_reference(x, params),
                call=f"down(x, params){shown}", inputs={"x": x, "params": params}, dtype=dtype_rule)


def check_up(check, x1, x2, params, shown="", dtype_rule=False):
    check.close(lambda m: m.up(x1, x2, params), up_reference(x1, x2, params),
                call=f"up(x1, x2, params){shown}", inputs={"x1": x1, "x2": x2, "params": params}, dtype=dtype_rule)


# (N, C_in, H, W, C_mid, C_out)
DC_SIZES = {"batch1_5x7": (1, 2, 5, 7, 3, 4), "batch3_4x6_mid6_out2": (3, 3, 4, 6, 6, 2),
            "batch2_1x3": (2, 1, 1, 3, 2, 3)}


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("sizes", DC_SIZES.values(), ids=DC_SIZES.keys())
def test_double_conv(check, rng, sizes, dtype):
    """Does double_conv (conv 3x3, eval batch norm with the running statistics, ReLU, twice) match torch's DoubleConv in eval mode?"""
    n, c_in, h, w, c_mid, c_out = sizes
    x = rng.standard_normal((n, c_in, h, w)).astype(dtype)
    check_double_conv(check, x, conv_params(rng, "", c_in, c_out, c_mid, dtype), shown=f" with x {x.shape}")


def test_double_conv_small_variance(check, rng):
    """With running variances near 1e-4, is the 1e-5 of sqrt(running_var + eps) there?"""
    x = rng.standard_normal((2, 2, 4, 5))
    params = conv_params(rng, "", 2, 3, 4, np.float64, small_var=True)
    check_double_conv(check, x, params, shown=" with running_var of about 1e-4 in every other channel")


DOWN_SIZES = {"batch1_odd_7x5": (1, 2, 7, 5, 5, 3), "batch2_6x9_mid2_out4": (2, 3, 6, 9, 2, 4),
              "batch2_2x3": (2, 2, 2, 3, 3, 3), "batch1_5x2_narrowest": (1, 2, 5, 2, 3, 2)}


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("sizes", DOWN_SIZES.values(), ids=DOWN_SIZES.keys())
def test_down(check, rng, sizes, dtype):
    """Does down (2x2 max-pool, an odd last row or column dropped, then double_conv under maxpool_conv.1.) match torch's Down?"""
    n, c_in, h, w, c_mid, c_out = sizes
    x = rng.standard_normal((n, c_in, h, w)).astype(dtype)
    check_down(check, x, conv_params(rng, "maxpool_conv.1.", c_in, c_out, c_mid, dtype), shown=f" with x {x.shape}")


def up_case(rng, n, c_in, c_up, c_skip, c_out, c_mid, hw1, hw2, dtype):
    x1 = rng.standard_normal((n, c_in) + hw1).astype(dtype)
    x2 = rng.standard_normal((n, c_skip) + hw2).astype(dtype)
    return x1, x2, up_params(rng, c_in, c_up, c_skip, c_out, c_mid, dtype)


# (N, C_in, C_up, C_skip, C_out, C_mid, (H1, W1), (H2, W2))
PAD_SIZES = {"batch1_3x2_to_9x7": (1, 4, 2, 2, 3, 5, (3, 2), (9, 7)),
             "batch2_2x3_to_5x9": (2, 6, 3, 3, 2, 4, (2, 3), (5, 9)),
             "batch1_2x2_to_7x4": (1, 2, 1, 3, 3, 2, (2, 2), (7, 4)),
             # dy = 5, dx = 4: here dX // 2 differs from dX // 3 (in the odd amounts above it does not)
             "batch2_2x3_to_9x10": (2, 3, 2, 2, 3, 3, (2, 3), (9, 10))}


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("sizes", PAD_SIZES.values(), ids=PAD_SIZES.keys())
def test_up_padding(check, rng, sizes, dtype):
    """When x2 is larger than the upsampled x1 by odd amounts, is the extra row and column of zeros at the bottom and right, as F.pad with [dX // 2, dX - dX // 2, ...]?"""
    x1, x2, params = up_case(rng, *sizes, dtype)
    check_up(check, x1, x2, params, shown=f" with x1 {x1.shape}, x2 {x2.shape}")


NO_PAD_SIZES = {"batch1_2x3_to_4x6": (1, 4, 2, 2, 3, 5, (2, 3), (4, 6)),
                "batch3_3x1_to_6x2": (3, 2, 1, 2, 2, 3, (3, 1), (6, 2))}


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("sizes", NO_PAD_SIZES.values(), ids=NO_PAD_SIZES.keys())
def test_up_no_padding(check, rng, sizes, dtype):
    """When x2 is exactly twice x1's size, does up (transposed conv with its bias, cat [x2, up(x1)], double_conv) match torch's Up?"""
    x1, x2, params = up_case(rng, *sizes, dtype)
    check_up(check, x1, x2, params, shown=f" with x1 {x1.shape}, x2 {x2.shape}")


def test_up_weight_layout(check, rng):
    """With up.weight square in its channels (C_in == C_up == 3), is it read as (C_in, C_up, 2, 2), input channels first?"""
    x1, x2, params = up_case(rng, 2, 3, 3, 2, 3, 4, (2, 3), (5, 6), np.float64)
    check_up(check, x1, x2, params, shown=f" with up.weight {params['up.weight'].shape}")


def test_skip_first(check, rng):
    """With as many skip channels as upsampled ones, is x2 first in the concatenation, [x2, up(x1)]?"""
    x1, x2, params = up_case(rng, 1, 4, 2, 2, 3, 3, (3, 3), (6, 6), np.float64)
    check_up(check, x1, x2, params, shown=" with 2 channels in x2 and 2 from up(x1)")


DC_BAD = ["x_3d", "x_1d", "missing_key", "channels", "kernel_5x5", "bn_shape"]


@pytest.mark.parametrize("bad", DC_BAD)
def test_double_conv_bad_input(check, rng, bad):
    """Is double_conv input that does not fit (x not 4-D, a missing key, x's channels not those of the first weight, a statistic of the wrong length) refused with ValueError?"""
    x = rng.standard_normal((2, 3, 4, 5))
    params = conv_params(rng, "", 3, 2, 4, np.float64)
    if bad == "x_3d":
        x, reason = x[0], "x must be (N, C, H, W), not (C, H, W)"
    elif bad == "x_1d":
        x, reason = x.reshape(-1), "x must be (N, C, H, W), not a flat vector"
    elif bad == "kernel_5x5":  # the right channels, the wrong kernel: its outer taps would go unused
        params["double_conv.0.weight"] = rng.standard_normal((4, 3, 5, 5))
        reason = "params['double_conv.0.weight'] is (4, 3, 5, 5), not a 3x3 kernel"
    elif bad == "missing_key":
        del params["double_conv.4.running_var"]
        reason = "params has no 'double_conv.4.running_var'"
    elif bad == "channels":
        x, reason = x[:, :2], "x has 2 channels but params['double_conv.0.weight'] takes 3"
    else:
        params["double_conv.1.running_mean"] = np.zeros(3)
        reason = "params['double_conv.1.running_mean'] is (3,) but the first conv gives 4 channels"
    check.raises(lambda m: m.double_conv(x, params), call="double_conv(x, params)", reason=reason,
                 inputs={"x": x, "params": params})


@pytest.mark.parametrize("bad", ["x_3d", "too_small", "missing_key"])
def test_down_bad_input(check, rng, bad):
    """Is down input that does not fit (x not 4-D, H below 2, a missing key) refused with ValueError?"""
    x = rng.standard_normal((2, 3, 4, 5))
    params = conv_params(rng, "maxpool_conv.1.", 3, 2, 4, np.float64)
    if bad == "x_3d":
        x, reason = x[0], "x must be (N, C, H, W), not (C, H, W)"
    elif bad == "too_small":
        x, reason = x[:, :, :1], "x has H == 1: a 2x2 max-pool has no window"
    else:
        del params["maxpool_conv.1.double_conv.0.weight"]
        reason = "params has no 'maxpool_conv.1.double_conv.0.weight'"
    check.raises(lambda m: m.down(x, params), call="down(x, params)", reason=reason,
                 inputs={"x": x, "params": params})


UP_BAD = ["x1_3d", "x2_3d", "x1_channels", "up_kernel_1x4", "x2_smaller", "x2_narrower", "skip_channels", "batch",
          "missing_bias"]


@pytest.mark.parametrize("bad", UP_BAD)
def test_up_bad_input(check, rng, bad):
    """Is up input that does not fit (ranks, x1's channels against up.weight, x2 smaller than up(x1), x2's channels against conv's first weight, batch sizes, a missing key) refused with ValueError?"""
    x1, x2, params = up_case(rng, 2, 4, 2, 2, 3, 3, (2, 3), (5, 6), np.float64)
    if bad == "x1_3d":
        x1, reason = x1[0], "x1 must be (N, C, H, W)"
    elif bad == "x2_3d":
        x2, reason = x2[0], "x2 must be (N, C, H, W)"
    elif bad == "x1_channels":
        x1, reason = x1[:, :3], "x1 has 3 channels but params['up.weight'] takes 4"
    elif bad == "up_kernel_1x4":  # as many cells as 2x2: the stamps would still fill a 2 H1 x 2 W1 map
        params["up.weight"] = rng.standard_normal((4, 2, 1, 4))
        reason = "params['up.weight'] is (4, 2, 1, 4), not a 2x2 kernel"
    elif bad == "x2_smaller":
        x2, reason = x2[:, :, :3], "x2 has H2 == 3 but up(x1) has 4 rows"
    elif bad == "x2_narrower":
        x2, reason = x2[:, :, :, :5], "x2 has W2 == 5 but up(x1) has 6 columns"
    elif bad == "skip_channels":
        x2, reason = x2[:, :1], "x2 has 1 channel: with 2 from up(x1) that is 3, not the 4 conv.double_conv.0.weight takes"
    elif bad == "batch":
        x2, reason = x2[:1], "x2 has a batch of 1 but x1 of 2"
    else:
        del params["up.bias"]
        reason = "params has no 'up.bias'"
    check.raises(lambda m: m.up(x1, x2, params), call="up(x1, x2, params)", reason=reason,
                 inputs={"x1": x1, "x2": x2, "params": params})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Are double_conv, down and up right in the dtype of the input (float32 in, float32 out)?"""
    x = rng.standard_normal((2, 3, 5, 6)).astype(dtype)
    check_double_conv(check, x, conv_params(rng, "", 3, 2, 4, dtype), dtype_rule=True)
    check_down(check, x, conv_params(rng, "maxpool_conv.1.", 3, 4, 2, dtype), dtype_rule=True)
    x1, x2, params = up_case(rng, 2, 4, 2, 3, 2, 3, (2, 3), (5, 7), dtype)
    check_up(check, x1, x2, params, dtype_rule=True)
