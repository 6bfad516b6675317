"""conv.conv_transpose2d: a transposed convolution against torch.nn.functional.conv_transpose2d."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
DTYPE_IDS = ["float64", "float32"]


def case(name, x_shape, w_shape, stride=1, padding=0, output_padding=0, bias=True):
    return pytest.param((x_shape, w_shape, stride, padding, output_padding, bias), id=name)


# Stride 1, no padding. weight is (C_in, C_out, kH, kW); where C_in == C_out a weight read the wrong way
# round still runs, so those cases tell the two layouts apart by value.
BASIC = [
    case("batch1", (1, 2, 3, 3), (2, 3, 3, 3)),
    case("non-square-input-3x5", (2, 3, 3, 5), (3, 2, 2, 2)),
    case("non-square-kernel-2x3", (2, 2, 4, 3), (2, 4, 2, 3)),
    case("channels-in-equal-out", (2, 3, 3, 4), (3, 3, 3, 2)),
    case("kernel-1x1", (2, 4, 3, 2), (4, 2, 1, 1)),
    case("no-bias", (2, 3, 4, 3), (3, 2, 3, 2), bias=False),
]
# A stride spaces the kernel stamps out: overlapping (k > s), touching (k == s) and with gaps (k < s).
STRIDE = [
    case("stride2-kernel3-overlapping", (2, 2, 3, 4), (2, 3, 3, 3), stride=2),
    case("stride2-kernel2-touching-channels-equal", (1, 3, 3, 3), (3, 3, 2, 2), stride=2),
    case("stride3-kernel2-gaps", (2, 2, 3, 2), (2, 2, 2, 2), stride=3),
    case("stride2-non-square-kernel-no-bias", (2, 3, 2, 3), (3, 2, 3, 4), stride=2, bias=False),
]
PADDING = [
    case("padding1", (2, 2, 4, 3), (2, 3, 3, 3), padding=1),
    case("padding2-kernel4-channels-equal", (1, 2, 3, 4), (2, 2, 4, 4), padding=2),
    case("stride2-padding1", (2, 3, 3, 3), (3, 2, 3, 3), stride=2, padding=1),
    case("stride3-padding2-non-square", (2, 2, 3, 2), (2, 3, 4, 3), stride=3, padding=2, bias=False),
]
# output_padding adds rows and columns at the bottom and the right: where it is no larger than the padding
# those hold real values, past the stamps only the bias.
OUTPUT_PADDING = [
    case("stride2-output_padding1", (2, 2, 3, 3), (2, 3, 3, 3), stride=2, output_padding=1),
    case("stride2-padding1-output_padding1", (1, 3, 3, 4), (3, 2, 3, 3), stride=2, padding=1, output_padding=1),
    case("stride3-padding1-output_padding2-channels-equal", (2, 2, 2, 3), (2, 2, 3, 3), stride=3, padding=1,
         output_padding=2),
    case("stride2-output_padding1-no-bias", (2, 2, 3, 2), (2, 2, 2, 3), stride=2, output_padding=1, bias=False),
]
# Different values for H and W, so a swapped pair or a pair applied to one axis only shows.
PAIRS = [
    case("stride(2,1)-padding(0,1)", (2, 2, 3, 4), (2, 3, 3, 3), stride=(2, 1), padding=(0, 1)),
    case("stride(1,3)-padding(1,0)-output_padding(0,2)", (1, 3, 3, 3), (3, 2, 3, 2), stride=(1, 3), padding=(1, 0),
         output_padding=(0, 2)),
    case("stride2-output_padding(1,0)", (2, 2, 3, 3), (2, 2, 3, 3), stride=2, output_padding=(1, 0)),
    case("stride(3,2)-padding(2,1)-output_padding(1,1)", (2, 2, 3, 4), (2, 3, 4, 3), stride=(3, 2),
         padding=(2, 1), output_padding=(1, 1)),
]


def make_inputs(rng, x_shape, w_shape, with_bias, dtype):
    x = rng.standard_normal(x_shape).astype(dtype)
    w = rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(w_shape[1]).astype(dtype) if with_bias else None
    return x, w, b


def torch_conv_transpose2d(x, w, b, stride, padding, output_padding):
    torch = oracle.torch()
    out = torch.nn.functional.conv_transpose2d(oracle.tensor(x), oracle.tensor(w),
                                               None if b is None else oracle.tensor(b), stride=stride,
                                               padding=padding, output_padding=output_padding)
    return oracle.numpy(out, x.dtype)


def run_case(check, rng, params, dtype, show_shapes=False):
    x_shape, w_shape, stride, padding, output_padding, with_bias = params
    x, w, b = make_inputs(rng, x_shape, w_shape, with_bias, dtype)
    # Pass only what differs from the defaults, as a learner's caller would.
    kwargs = {}
    if stride != 1:
        kwargs["stride"] = stride
    if padding != 0:
        kwargs["padding"] = padding
    if output_padding != 0:
        kwargs["output_padding"] = output_padding
    args = (x, w) if b is None else (x, w, b)
    shown = ", ".join(["x", "weight"] + (["bias"] if b is not None else []) + [f"{k}={v}" for k, v in kwargs.items()])
    inputs = {"x": x, "weight": w} if b is None else {"x": x, "weight": w, "bias": b}
    shapes = f" with x.shape == {x_shape}, weight.shape == {w_shape}" if show_shapes else ""
    check.close(lambda m: m.conv_transpose2d(*args, **kwargs),
                torch_conv_transpose2d(x, w, b, stride, padding, output_padding),
                call=f"conv_transpose2d({shown}){shapes}", inputs=inputs)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", BASIC)
def test_conv_transpose2d_forward(check, rng, params, dtype):
    """Does conv_transpose2d match F.conv_transpose2d with stride 1 and no padding, weight laid out (C_in, C_out, kH, kW)?"""
    run_case(check, rng, params, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", STRIDE)
def test_conv_transpose2d_stride(check, rng, params, dtype):
    """Does conv_transpose2d place the kernel stamps of neighbouring input pixels a stride apart?"""
    run_case(check, rng, params, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", PADDING)
def test_conv_transpose2d_padding(check, rng, params, dtype):
    """Does conv_transpose2d crop padding from every side of the output, as torch does?"""
    run_case(check, rng, params, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", OUTPUT_PADDING)
def test_conv_transpose2d_output_padding(check, rng, params, dtype):
    """Does output_padding add its extra rows and columns at the bottom and the right?"""
    run_case(check, rng, params, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", PAIRS)
def test_conv_transpose2d_pair_arguments(check, rng, params, dtype):
    """Does conv_transpose2d read stride, padding and output_padding pairs as (height, width)?"""
    run_case(check, rng, params, dtype)


# x shape, weight shape, bias length (or shape), kwargs, reason
BAD = [
    pytest.param((2, 3, 3), (2, 3, 3, 3), 3, {}, "x is 3-D, not (N, C_in, H, W)", id="x-3d"),
    pytest.param((1, 2, 3, 3), (2, 3, 3), 3, {}, "weight is 3-D, not (C_in, C_out, kH, kW)", id="weight-3d"),
    pytest.param((1, 3, 3, 3), (2, 3, 3, 3), 3, {}, "x has 3 channels but weight is for 2 input channels",
                 id="channel-mismatch"),
    pytest.param((1, 2, 3, 3), (2, 3, 3, 3), 2, {}, "bias has 2 entries but there are 3 output channels",
                 id="bias-length"),
    pytest.param((1, 2, 3, 3), (2, 3, 3, 3), (1, 3), {}, "bias is (1, 3), not (C_out,) = (3,)", id="bias-2d"),
    pytest.param((1, 2, 3, 3), (2, 3, 3, 3), 3, {"stride": 0}, "stride 0 puts every stamp in the same place",
                 id="stride-0"),
    pytest.param((1, 2, 3, 3), (2, 3, 3, 3), 3, {"stride": (2, -1)}, "the width stride is negative",
                 id="stride-(2,-1)"),
    pytest.param((1, 2, 3, 3), (2, 3, 3, 3), 3, {"padding": -1}, "padding cannot be negative", id="padding-neg"),
    pytest.param((1, 2, 3, 3), (2, 3, 3, 3), 3, {"stride": 2, "output_padding": 2},
                 "output_padding 2 is not smaller than stride 2", id="output_padding-equals-stride"),
    pytest.param((1, 2, 3, 3), (2, 3, 3, 3), 3, {"output_padding": 1}, "output_padding 1 with stride 1",
                 id="output_padding-stride1"),
    pytest.param((1, 2, 3, 3), (2, 3, 3, 3), 3, {"stride": (2, 3), "output_padding": (2, 1)},
                 "the height output_padding 2 is not smaller than the height stride 2", id="output_padding-(2,1)"),
    pytest.param((1, 2, 3, 3), (2, 3, 3, 3), 3, {"stride": (3, 2), "output_padding": (1, 2)},
                 "the width output_padding 2 is not smaller than the width stride 2", id="output_padding-(1,2)"),
    pytest.param((1, 2, 3, 3), (2, 3, 3, 3), 3, {"stride": 2, "output_padding": -1},
                 "output_padding cannot be negative", id="output_padding-neg"),
    pytest.param((1, 2, 2, 2), (2, 3, 1, 1), 3, {"padding": 1}, "padding 1 crops a 2x2 output down to nothing",
                 id="output-empty"),
    pytest.param((1, 2, 2, 3), (2, 3, 1, 3), 3, {"padding": (1, 0)}, "padding (1, 0) leaves an output 0 high (5 wide)",
                 id="output-no-rows"),
    pytest.param((1, 2, 3, 2), (2, 3, 3, 1), 3, {"padding": (0, 1)}, "padding (0, 1) leaves an output 0 wide (5 high)",
                 id="output-no-columns"),
]


@pytest.mark.parametrize("x_shape, w_shape, bias_len, kwargs, reason", BAD)
def test_conv_transpose2d_bad_input(check, rng, x_shape, w_shape, bias_len, kwargs, reason):
    """Is an input conv_transpose2d cannot work with refused with ValueError?"""
    x = rng.standard_normal(x_shape)
    w = rng.standard_normal(w_shape)
    b = rng.standard_normal(bias_len)
    shown = ", ".join(["x", "weight", "bias"] + [f"{k}={v}" for k, v in kwargs.items()])
    check.raises(lambda m: m.conv_transpose2d(x, w, b, **kwargs), call=f"conv_transpose2d({shown})", reason=reason,
                 inputs={"x": x, "weight": w, "bias": b})


def random_params(rng):
    """(x shape, weight shape, stride, padding, output_padding, bias?) drawn from rng, the output at least 1 x 1."""
    n, c_in, c_out = (int(v) for v in rng.integers(1, [4, 5, 5]))  # batch 1..3, channels in and out 1..4
    kh, kw = (int(v) for v in rng.integers(1, 5, size=2))  # kernel 1..4 by 1..4
    h, w = (int(v) for v in rng.integers(1, 5, size=2))  # input 1..4 by 1..4
    sh, sw = (int(v) for v in rng.integers(1, 4, size=2))  # stride 1..3 each
    oh, ow = int(rng.integers(0, sh)), int(rng.integers(0, sw))  # output_padding below the stride
    # padding 0..2, but at most what leaves one output row: (h - 1) * sh + kh + oh - 2 * ph >= 1
    ph = int(rng.integers(0, min(2, ((h - 1) * sh + kh + oh - 1) // 2) + 1))
    pw = int(rng.integers(0, min(2, ((w - 1) * sw + kw + ow - 1) // 2) + 1))
    # Half the time a single int for both axes where the two agree, as most callers write it.
    stride = sh if sh == sw and rng.random() < 0.5 else (sh, sw)
    padding = ph if ph == pw and rng.random() < 0.5 else (ph, pw)
    output_padding = oh if oh == ow and rng.random() < 0.5 else (oh, ow)
    with_bias = bool(rng.random() < 0.75)
    return (n, c_in, h, w), (c_in, c_out, kh, kw), stride, padding, output_padding, with_bias


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_random_shapes(check, rng, dtype):
    """Does conv_transpose2d match torch on shapes, kernels, strides and paddings drawn afresh each run?"""
    for _ in range(4):
        run_case(check, rng, random_params(rng), dtype, show_shapes=True)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("with_bias", [False, True], ids=["no-bias", "bias"])
def test_dtype(check, rng, with_bias, dtype):
    """Is conv_transpose2d right in the dtype of its input (float32 in, float32 out), with and without a bias?"""
    x, w, b = make_inputs(rng, (1, 2, 3, 2), (2, 3, 3, 3), with_bias, dtype)
    args = (x, w) if b is None else (x, w, b)
    inputs = {"x": x, "weight": w} if b is None else {"x": x, "weight": w, "bias": b}
    check.close(lambda m: m.conv_transpose2d(*args), torch_conv_transpose2d(x, w, b, 1, 0, 0),
                call="conv_transpose2d(x, weight)" if b is None else "conv_transpose2d(x, weight, bias)",
                inputs=inputs, dtype=True)
