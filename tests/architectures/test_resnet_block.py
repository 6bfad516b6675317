"""architectures.resnet_block: basic_block against torchvision's BasicBlock, written out in torch, in eval mode."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
BN_FIELDS = ("weight", "bias", "running_mean", "running_var")
CALL = "basic_block(x, params, stride={stride})"


def batch_norm_params(rng, prefix, planes, dtype):
    """A batch norm's state_dict entries: affine parameters and running statistics far from 0 and 1."""
    return {
        f"{prefix}.weight": rng.uniform(0.5, 1.5, planes).astype(dtype),  # (P,)
        f"{prefix}.bias": (rng.standard_normal(planes) * 0.3).astype(dtype),  # (P,)
        f"{prefix}.running_mean": (rng.standard_normal(planes) * 0.5).astype(dtype),  # (P,)
        f"{prefix}.running_var": rng.uniform(0.3, 2.0, planes).astype(dtype),  # (P,)
        f"{prefix}.num_batches_tracked": np.array(7, dtype=np.int64),  # in every state_dict; unused in eval
    }


def make_params(rng, inplanes, planes, dtype, downsample):
    """The state_dict of a BasicBlock(inplanes, planes), with the downsample branch when asked."""
    params = {"conv1.weight": (rng.standard_normal((planes, inplanes, 3, 3)) / np.sqrt(9 * inplanes)).astype(dtype)}
    params.update(batch_norm_params(rng, "bn1", planes, dtype))
    params["conv2.weight"] = (rng.standard_normal((planes, planes, 3, 3)) / np.sqrt(9 * planes)).astype(dtype)
    params.update(batch_norm_params(rng, "bn2", planes, dtype))
    if downsample:
        params["downsample.0.weight"] = (rng.standard_normal((planes, inplanes, 1, 1)) / np.sqrt(inplanes)).astype(dtype)
        params.update(batch_norm_params(rng, "downsample.1", planes, dtype))
    return params


def case(rng, n, inplanes, planes, size, dtype, downsample):
    x = rng.standard_normal((n, inplanes, *size)).astype(dtype)  # (N, C, H, W)
    return x, make_params(rng, inplanes, planes, dtype, downsample)


def torch_reference(x, params, stride=1):
    """torchvision's BasicBlock, written out, in float64 eval mode with params loaded strictly."""
    torch = oracle.torch()
    nn = torch.nn

    class BasicBlock(nn.Module):
        def __init__(self, inplanes, planes, stride, downsample):
            super().__init__()
            self.conv1 = nn.Conv2d(inplanes, planes, 3, stride=stride, padding=1, bias=False)
            self.bn1 = nn.BatchNorm2d(planes)
            self.relu = nn.ReLU()
            self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
            self.bn2 = nn.BatchNorm2d(planes)
            self.downsample = downsample

        def forward(self, t):
            identity = t if self.downsample is None else self.downsample(t)
            out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(t)))))
            return self.relu(out + identity)

    planes, inplanes = params["conv1.weight"].shape[:2]
    downsample = None
    if "downsample.0.weight" in params:
        downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride=stride, bias=False), nn.BatchNorm2d(planes))
    block = BasicBlock(inplanes, planes, stride, downsample).double().eval()
    block.load_state_dict({k: oracle.tensor(v) for k, v in params.items()})  # strict: exactly these keys
    with torch.no_grad():
        return oracle.numpy(block(oracle.tensor(x)), x.dtype)


def against_torch(check, x, params, stride=1, shown="", default_stride=False, dtype_rule=False):
    if default_stride:
        scenario, call = (lambda m: m.basic_block(x, params)), "basic_block(x, params)"
    else:
        scenario, call = (lambda m: m.basic_block(x, params, stride=stride)), CALL.format(stride=stride)
    check.close(scenario, torch_reference(x, params, stride), call=call + shown, inputs={"x": x, "params": params},
                dtype=dtype_rule)


# (N, C, P, (H, W), stride, downsample): the identity shortcut; a stride-2 block that also doubles the
# channels, on odd and on even sizes; a downsample that changes the channels at stride 1; a batch of one.
BLOCKS = {
    "identity_2x4_5x7": (2, 4, 4, (5, 7), 1, False),
    "identity_batch1_3x6x6": (1, 3, 3, (6, 6), 1, False),
    "stride2_3to6_odd_7x9": (2, 3, 6, (7, 9), 2, True),
    "stride2_4to5_even_6x8": (1, 4, 5, (6, 8), 2, True),
    "stride1_5to3_downsample_5x4": (3, 5, 3, (5, 4), 1, True),
}


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("block", BLOCKS.values(), ids=BLOCKS.keys())
def test_basic_block(check, rng, block, dtype):
    """Does the block match torchvision's BasicBlock in eval mode, with the identity shortcut and with a downsample?"""
    n, c, p, size, stride, downsample = block
    x, params = case(rng, n, c, p, size, dtype, downsample)
    against_torch(check, x, params, stride, shown=f" with x {x.shape}, conv1 {params['conv1.weight'].shape}"
                  + (", a downsample" if downsample else ", no downsample"))


def test_stride_default(check, rng):
    """Called without stride, is the block a stride-1 block, as BasicBlock's default?"""
    x, params = case(rng, 2, 4, 6, (5, 6), np.float64, True)
    against_torch(check, x, params, 1, default_stride=True, shown=" with a downsample from 4 to 6 channels")


def test_relu_after_the_sum(check, rng):
    """Is the last ReLU applied to branch + shortcut, so that a negative branch can cancel a positive input?"""
    x, params = case(rng, 2, 3, 3, (4, 5), np.float64, False)
    x = np.abs(x) + 0.5  # a positive shortcut
    params["bn2.bias"] = np.array([-2.0, 0.5, -0.8])  # a branch negative in some channels, so the sum is mixed
    against_torch(check, x, params, 1, shown=" with x > 0 and bn2.bias == [-2, 0.5, -0.8]")


def test_small_running_variance(check, rng):
    """With running variances near eps, is each batch norm divided by sqrt(running_var + eps), eps inside the root?"""
    x, params = case(rng, 2, 3, 5, (5, 5), np.float64, True)
    for bn in ("bn1", "bn2", "downsample.1"):
        params[f"{bn}.running_var"] = np.array([1e-5, 4e-5, 1e-4, 1e-3, 1e-2])
    against_torch(check, x, params, 2, shown=" with running_var == [1e-5, 4e-5, 1e-4, 1e-3, 1e-2] everywhere")


def test_params_unchanged(check, rng):
    """Does the block leave every array in params as it was?"""
    x, params = case(rng, 2, 3, 4, (5, 5), np.float64, True)
    before = {k: v.copy() for k, v in params.items()}
    check.run(lambda m: m.basic_block(x, params, stride=2), call=CALL.format(stride=2), inputs={"x": x, "params": params})
    changed = [k for k in before if not np.array_equal(before[k], params[k])]
    assert not changed, f"basic_block changed params {changed}: the caller's weights must stay as they were"


BAD = ["x_3d", "stride_0", "missing_conv2", "missing_bn1_var", "channels_unlike_conv1",
       "stride2_without_downsample", "channels_change_without_downsample", "downsample_bn_missing",
       "conv2_shape"]


@pytest.mark.parametrize("bad", BAD)
def test_bad_input(check, rng, bad):
    """Is input that cannot make a block (rank, stride, missing keys, shapes, a shortcut that cannot be added) refused with ValueError?"""
    x, params = case(rng, 2, 4, 4, (5, 5), np.float64, False)
    stride = 1
    if bad == "x_3d":
        x, reason = x[0], "x must be (N, C, H, W), not (C, H, W)"
    elif bad == "stride_0":
        stride, reason = 0, "stride must be at least 1"
    elif bad == "missing_conv2":
        del params["conv2.weight"]
        reason = "params has no 'conv2.weight'"
    elif bad == "missing_bn1_var":
        del params["bn1.running_var"]
        reason = "params has no 'bn1.running_var'"
    elif bad == "channels_unlike_conv1":
        x, reason = x[:, :3], "x has 3 channels but conv1.weight takes 4"
    elif bad == "stride2_without_downsample":
        stride, reason = 2, "stride 2 without a downsample: x cannot be added to the (5, 5) -> (3, 3) branch"
    elif bad == "channels_change_without_downsample":
        x, params = case(rng, 2, 3, 5, (5, 5), np.float64, False)
        reason = "3 channels become 5 without a downsample: x cannot be added"
    elif bad == "downsample_bn_missing":
        x, params = case(rng, 2, 3, 5, (5, 5), np.float64, True)
        for f in BN_FIELDS:
            del params[f"downsample.1.{f}"]
        reason = "downsample.0.weight without its batch norm downsample.1.*"
    else:
        params["conv2.weight"], reason = params["conv2.weight"][:, :3], "conv2.weight is (4, 3, 3, 3), not (4, 4, 3, 3)"
    check.raises(lambda m: m.basic_block(x, params, stride=stride), call=CALL.format(stride=stride), reason=reason,
                 inputs={"x": x, "params": params})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """Does the block match torch on batch, channel and image sizes, strides and shortcuts drawn afresh each run?"""
    for _ in range(3):
        n, c, p = (int(k) for k in rng.integers(1, 6, size=3))
        h, w = (int(k) for k in rng.integers(3, 10, size=2))
        stride = int(rng.integers(1, 3))
        downsample = stride != 1 or c != p or bool(rng.integers(0, 2))
        x, params = case(rng, n, c, p, (h, w), dtype, downsample)
        against_torch(check, x, params, stride, shown=f" with x {x.shape}, {p} planes"
                      + (", a downsample" if downsample else ""))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Is the block's output in the dtype of its input (float32 in, float32 out)?"""
    x, params = case(rng, 2, 3, 4, (5, 6), dtype, True)
    against_torch(check, x, params, 2, dtype_rule=True)
