"""conv.conv2d_loops: conv2d with explicit loops against torch.nn.functional.conv2d."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
DTYPE_IDS = ["float64", "float32"]


def case(name, x_shape, w_shape, stride=1, padding=0, bias=True):
    return pytest.param((x_shape, w_shape, stride, padding, bias), id=name)


# Stride 1, no padding: shapes and channels only.
BASIC = [
    case("batch1", (1, 2, 5, 5), (3, 2, 3, 3)),
    case("non-square-input-6x9", (2, 3, 6, 9), (4, 3, 3, 3)),
    case("non-square-kernel-2x4", (2, 2, 7, 6), (3, 2, 2, 4)),
    case("kernel-1x1", (2, 4, 5, 3), (6, 4, 1, 1)),
    case("no-bias", (2, 3, 5, 6), (2, 3, 3, 2), bias=False),
    case("single-channel-in-and-out", (3, 1, 4, 6), (1, 1, 3, 3)),
]
# (H - k) divisible by the stride and not: ceil and floor disagree on the second kind.
STRIDE = [
    case("stride2-divisible", (2, 2, 7, 9), (3, 2, 3, 3), stride=2),
    case("stride3-8x9-not-divisible", (1, 2, 8, 9), (2, 2, 3, 3), stride=3),
    case("stride2-non-square-kernel-no-bias", (2, 3, 8, 7), (2, 3, 2, 3), stride=2, bias=False),
]
PADDING = [
    case("padding1", (2, 2, 5, 6), (3, 2, 3, 3), padding=1),
    case("padding2-batch1", (1, 3, 4, 5), (2, 3, 3, 2), padding=2),
    case("padding1-kernel-1x1", (2, 2, 3, 4), (3, 2, 1, 1), padding=1),
]
STRIDE_AND_PADDING = [
    case("stride2-padding1", (2, 3, 7, 8), (2, 3, 3, 3), stride=2, padding=1),
    case("stride2-padding1-batch1-no-bias", (1, 2, 6, 6), (3, 2, 3, 3), stride=2, padding=1, bias=False),
    case("stride3-padding2-non-square", (2, 2, 8, 5), (2, 2, 4, 2), stride=3, padding=2),
]
# Different values for H and W, so a swapped pair or a pair applied to one axis only shows.
PAIRS = [
    case("stride(2,1)-padding(0,2)", (2, 2, 7, 6), (3, 2, 3, 2), stride=(2, 1), padding=(0, 2)),
    case("stride(1,3)-padding(2,1)", (1, 3, 5, 9), (2, 3, 3, 3), stride=(1, 3), padding=(2, 1)),
    case("stride(2,1)-padding1", (2, 2, 6, 5), (2, 2, 2, 3), stride=(2, 1), padding=1),
    case("stride2-padding(1,0)", (2, 2, 7, 7), (2, 2, 3, 3), stride=2, padding=(1, 0)),
]


def make_inputs(rng, x_shape, w_shape, with_bias, dtype):
    x = rng.standard_normal(x_shape).astype(dtype)
    w = rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(w_shape[0]).astype(dtype) if with_bias else None
    return x, w, b


def torch_conv2d(x, w, b, stride, padding):
    torch = oracle.torch()
    out = torch.nn.functional.conv2d(oracle.tensor(x), oracle.tensor(w),
                                     None if b is None else oracle.tensor(b), stride=stride, padding=padding)
    return oracle.numpy(out, x.dtype)


def run_case(check, rng, params, dtype, show_shapes=False):
    x_shape, w_shape, stride, padding, with_bias = params
    x, w, b = make_inputs(rng, x_shape, w_shape, with_bias, dtype)
    # Pass only what differs from the defaults, as a learner's caller would.
    kwargs = {}
    if stride != 1:
        kwargs["stride"] = stride
    if padding != 0:
        kwargs["padding"] = padding
    args = (x, w) if b is None else (x, w, b)
    shown = ", ".join(["x", "weight"] + (["bias"] if b is not None else []) + [f"{k}={v}" for k, v in kwargs.items()])
    inputs = {"x": x, "weight": w} if b is None else {"x": x, "weight": w, "bias": b}
    shapes = f" with x.shape == {x_shape}, weight.shape == {w_shape}" if show_shapes else ""
    check.close(lambda m: m.conv2d(*args, **kwargs), torch_conv2d(x, w, b, stride, padding),
                call=f"conv2d({shown}){shapes}", inputs=inputs)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", BASIC)
def test_conv2d_forward(check, rng, params, dtype):
    """Does conv2d match torch.nn.functional.conv2d with stride 1 and no padding?"""
    run_case(check, rng, params, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", STRIDE)
def test_conv2d_stride(check, rng, params, dtype):
    """Does conv2d step its window by the stride, and drop a last window that would not fit?"""
    run_case(check, rng, params, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", PADDING)
def test_conv2d_padding(check, rng, params, dtype):
    """Does conv2d pad with zeros on all four sides of the input?"""
    run_case(check, rng, params, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", STRIDE_AND_PADDING)
def test_conv2d_stride_and_padding(check, rng, params, dtype):
    """Does conv2d match torch with stride and padding together?"""
    run_case(check, rng, params, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", PAIRS)
def test_conv2d_pair_arguments(check, rng, params, dtype):
    """Does conv2d apply the first element of a stride or padding pair to the height and the second to the width?"""
    run_case(check, rng, params, dtype)


BAD = [
    pytest.param((2, 5, 5), (3, 2, 3, 3), 3, {}, "x is 3-D, not (N, C, H, W)", id="x-3d"),
    pytest.param((1, 2, 2, 5, 5), (3, 2, 3, 3), 3, {}, "x is 5-D, not (N, C, H, W)", id="x-5d"),
    pytest.param((1, 2, 5, 5), (3, 2, 3), 3, {}, "weight is 3-D, not (O, C, kH, kW)", id="weight-3d"),
    pytest.param((1, 3, 5, 5), (2, 2, 3, 3), 2, {}, "x has 3 channels but weight expects 2", id="channel-mismatch"),
    pytest.param((1, 2, 5, 5), (3, 2, 3, 3), 2, {}, "bias has 2 entries but there are 3 filters", id="bias-length"),
    pytest.param((1, 2, 5, 5), (3, 2, 3, 3), 3, {"stride": 0}, "stride 0 never moves the window", id="stride-0"),
    pytest.param((1, 2, 5, 5), (3, 2, 3, 3), 3, {"stride": (1, 0)}, "the width stride is 0", id="stride-(1,0)"),
    pytest.param((1, 2, 5, 5), (3, 2, 3, 3), 3, {"padding": -1}, "padding cannot be negative", id="padding-neg"),
    pytest.param((1, 2, 5, 5), (3, 2, 3, 3), 3, {"padding": (0, -1)}, "the width padding is negative",
                 id="padding-(0,-1)"),
]


@pytest.mark.parametrize("x_shape, w_shape, bias_len, kwargs, reason", BAD)
def test_conv2d_bad_input(check, rng, x_shape, w_shape, bias_len, kwargs, reason):
    """Is an input conv2d cannot work with refused with ValueError?"""
    x = rng.standard_normal(x_shape)
    w = rng.standard_normal(w_shape)
    b = rng.standard_normal(bias_len)
    shown = ", ".join(["x", "weight", "bias"] + [f"{k}={v}" for k, v in kwargs.items()])
    check.raises(lambda m: m.conv2d(x, w, b, **kwargs), call=f"conv2d({shown})", reason=reason,
                 inputs={"x": x, "weight": w, "bias": b})


def random_params(rng):
    """(x shape, weight shape, stride, padding, bias?) with sizes drawn from rng, at least one window fitting."""
    n, c, o = (int(v) for v in rng.integers(1, [4, 5, 5]))  # batch 1..3, channels in and out 1..4
    kh, kw = (int(v) for v in rng.integers(1, 5, size=2))  # kernel 1..4 by 1..4
    stride = tuple(int(v) for v in rng.integers(1, 4, size=2))  # (sH, sW), each 1..3
    padding = tuple(int(v) for v in rng.integers(0, 3, size=2))  # (pH, pW), each 0..2
    # Half the time a single int for both axes, as most callers write it.
    stride = stride[0] if rng.random() < 0.5 else stride
    padding = padding[0] if rng.random() < 0.5 else padding
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    # H + 2 * pH >= kH and W + 2 * pW >= kW, so the output is at least 1 x 1; H and W at most 9.
    h = int(rng.integers(max(1, kh - 2 * ph), 10))
    w = int(rng.integers(max(1, kw - 2 * pw), 10))
    with_bias = bool(rng.random() < 0.75)
    return (n, c, h, w), (o, c, kh, kw), stride, padding, with_bias  # (N, C, H, W), (O, C, kH, kW)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_random_shapes(check, rng, dtype):
    """Does conv2d match torch on shapes, kernel sizes, strides and paddings drawn afresh each run?"""
    for _ in range(4):
        run_case(check, rng, random_params(rng), dtype, show_shapes=True)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("with_bias", [False, True], ids=["no-bias", "bias"])
def test_dtype(check, rng, with_bias, dtype):
    """Is conv2d right in the dtype of its input (float32 in, float32 out), with and without a bias?"""
    x, w, b = make_inputs(rng, (1, 2, 5, 4), (3, 2, 3, 3), with_bias, dtype)
    args = (x, w) if b is None else (x, w, b)
    inputs = {"x": x, "weight": w} if b is None else {"x": x, "weight": w, "bias": b}
    check.close(lambda m: m.conv2d(*args), torch_conv2d(x, w, b, 1, 0),
                call="conv2d(x, weight)" if b is None else "conv2d(x, weight, bias)", inputs=inputs, dtype=True)
