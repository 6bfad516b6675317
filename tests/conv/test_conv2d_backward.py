"""conv.conv2d_backward: the gradients of conv2d against torch.autograd of torch.nn.functional.conv2d."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
DTYPE_IDS = ["float64", "float32"]
NAMES = ("grad_x", "grad_weight", "grad_bias")  # without a bias, grad_bias must be None


def case(name, x_shape, w_shape, stride=1, padding=0, bias=True):
    return pytest.param((x_shape, w_shape, stride, padding, bias), id=name)


# Stride 1, no padding: non-square inputs and kernels (kH != kW), a batch of one, no bias.
BASIC = [
    case("batch1", (1, 2, 5, 5), (3, 2, 3, 3)),
    case("non-square-input-6x9", (2, 3, 6, 9), (4, 3, 3, 3)),
    case("non-square-kernel-2x4", (2, 2, 7, 6), (3, 2, 2, 4)),
    case("kernel-1x1", (3, 4, 4, 3), (2, 4, 1, 1)),
    case("kernel-fills-input", (2, 2, 3, 4), (3, 2, 3, 4)),
    case("single-channel-in-and-out", (3, 1, 4, 6), (1, 1, 3, 2)),
]
# Strides with overlapping windows, gaps between windows, and rows or columns no window reaches
# (H = 8, kH = 3, sH = 2: the last row is unused; its gradient is 0).
STRIDE = [
    case("stride2-8x8-last-row-and-column-unused", (2, 2, 8, 8), (3, 2, 3, 3), stride=2),
    case("stride2-7x9-every-row-used", (1, 3, 7, 9), (2, 3, 3, 3), stride=2),
    case("stride3-kernel2-gaps-between-windows", (2, 2, 8, 9), (2, 2, 2, 2), stride=3),
    case("stride2-non-square-kernel-no-bias", (2, 3, 8, 7), (2, 3, 2, 3), stride=2, bias=False),
]
PADDING = [
    case("padding1", (2, 2, 5, 6), (3, 2, 3, 3), padding=1),
    case("padding2-batch1", (1, 3, 4, 5), (2, 3, 3, 2), padding=2),
    case("padding1-kernel-1x1", (2, 2, 3, 4), (3, 2, 1, 1), padding=1),
]
STRIDE_AND_PADDING = [
    case("stride2-padding1", (2, 3, 7, 8), (2, 3, 3, 3), stride=2, padding=1),
    # padded to 12, windows at rows 0, 3, 6 reach padded row 9: input row 9 (padded row 10) is never read
    case("stride3-padding1-10x10-last-row-and-column-unused", (1, 2, 10, 10), (3, 2, 4, 4), stride=3, padding=1),
    case("stride3-padding2-non-square", (2, 2, 8, 5), (2, 2, 4, 2), stride=3, padding=2, bias=False),
]
# Different values for H and W, so a swapped pair or a pair applied to one axis only shows.
PAIRS = [
    case("stride(2,1)-padding(0,2)", (2, 2, 7, 6), (3, 2, 3, 2), stride=(2, 1), padding=(0, 2)),
    case("stride(1,3)-padding(2,1)", (1, 3, 5, 9), (2, 3, 3, 3), stride=(1, 3), padding=(2, 1)),
    case("stride(2,1)-padding1", (2, 2, 6, 5), (2, 2, 2, 3), stride=(2, 1), padding=1),
    case("stride2-padding(1,0)", (2, 2, 8, 7), (2, 2, 3, 3), stride=2, padding=(1, 0)),
]


def pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def out_shape(x_shape, w_shape, stride, padding):
    (sh, sw), (ph, pw) = pair(stride), pair(padding)
    n, _, h, w = x_shape
    o, _, kh, kw = w_shape
    return n, o, (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1


def make_inputs(rng, x_shape, w_shape, stride, padding, with_bias, dtype):
    x = rng.standard_normal(x_shape).astype(dtype)
    w = rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(w_shape[0]).astype(dtype) if with_bias else None
    g = rng.standard_normal(out_shape(x_shape, w_shape, stride, padding)).astype(dtype)
    return g, x, w, b


def torch_grads(g, x, w, b, stride, padding):
    """(grad_x, grad_weight, grad_bias) from torch.autograd in the dtype of x; grad_bias None without a bias."""
    torch = oracle.torch()
    xt, wt = oracle.tensor(x, grad=True), oracle.tensor(w, grad=True)
    bt = None if b is None else oracle.tensor(b, grad=True)
    out = torch.nn.functional.conv2d(xt, wt, bt, stride=stride, padding=padding)
    found = oracle.grads(out, [xt, wt] + ([] if bt is None else [bt]), oracle.tensor(g))
    found = [oracle.numpy(t, x.dtype) for t in found]
    return tuple(found) if b is not None else (found[0], found[1], None)


def run_case(check, rng, params, dtype, show_shapes=False):
    x_shape, w_shape, stride, padding, with_bias = params
    g, x, w, b = make_inputs(rng, x_shape, w_shape, stride, padding, with_bias, dtype)
    # Pass only what differs from the defaults, as a learner's caller would.
    kwargs = {}
    if stride != 1:
        kwargs["stride"] = stride
    if padding != 0:
        kwargs["padding"] = padding
    args = (g, x, w) if b is None else (g, x, w, b)
    shown = ", ".join(["grad_out", "x", "weight"] + (["bias"] if b is not None else [])
                      + [f"{k}={v}" for k, v in kwargs.items()])
    inputs = {"grad_out": g, "x": x, "weight": w}
    if b is not None:
        inputs["bias"] = b
    shapes = f" with x.shape == {x_shape}, weight.shape == {w_shape}" if show_shapes else ""
    check.close(lambda m: m.conv2d_backward(*args, **kwargs), torch_grads(g, x, w, b, stride, padding),
                call=f"conv2d_backward({shown}){shapes}", inputs=inputs, names=NAMES)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", BASIC)
def test_conv2d_backward_basic(check, rng, params, dtype):
    """Do grad_x, grad_weight and grad_bias match torch.autograd with stride 1 and no padding?"""
    run_case(check, rng, params, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", STRIDE)
def test_conv2d_backward_stride(check, rng, params, dtype):
    """With a stride, do the gradients match torch, including a zero gradient for input rows no window reaches?"""
    run_case(check, rng, params, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", PADDING)
def test_conv2d_backward_padding(check, rng, params, dtype):
    """With padding, is grad_x the gradient of the unpadded input (the padding border cropped off)?"""
    run_case(check, rng, params, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", STRIDE_AND_PADDING)
def test_conv2d_backward_stride_and_padding(check, rng, params, dtype):
    """Do the gradients match torch with stride and padding together?"""
    run_case(check, rng, params, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", PAIRS)
def test_conv2d_backward_pair_arguments(check, rng, params, dtype):
    """Does conv2d_backward read a stride or padding pair as (height, width)?"""
    run_case(check, rng, params, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_conv2d_backward_no_bias(check, rng, dtype):
    """Without a bias (passed as None, or left out), is grad_bias None and are the other gradients right?"""
    g, x, w, _ = make_inputs(rng, (2, 3, 6, 5), (2, 3, 3, 2), 1, 0, False, dtype)
    expected = torch_grads(g, x, w, None, 1, 0)
    inputs = {"grad_out": g, "x": x, "weight": w}
    check.close(lambda m: m.conv2d_backward(g, x, w), expected,
                call="conv2d_backward(grad_out, x, weight)", inputs=inputs, names=NAMES)
    check.close(lambda m: m.conv2d_backward(g, x, w, None), expected,
                call="conv2d_backward(grad_out, x, weight, None)", inputs=inputs, names=NAMES)


# x shape, weight shape, bias length (None: no bias), grad_out shape (None: the right one), kwargs, reason
BAD = [
    pytest.param((2, 5, 5), (3, 2, 3, 3), 3, (1, 3, 3, 3), {}, "x is 3-D, not (N, C, H, W)", id="x-3d"),
    pytest.param((1, 2, 5, 5), (3, 2, 3), 3, (1, 3, 3, 3), {}, "weight is 3-D, not (O, C, kH, kW)", id="weight-3d"),
    pytest.param((1, 3, 5, 5), (2, 2, 3, 3), 2, (1, 2, 3, 3), {}, "x has 3 channels but weight expects 2",
                 id="channel-mismatch"),
    pytest.param((1, 2, 5, 5), (3, 2, 3, 3), 2, None, {}, "bias has 2 entries but there are 3 filters",
                 id="bias-length"),
    pytest.param((1, 2, 5, 5), (3, 2, 3, 3), 3, (3, 3, 3), {}, "grad_out is 3-D, not (N, O, H_out, W_out)",
                 id="grad_out-3d"),
    pytest.param((1, 2, 5, 5), (3, 2, 3, 3), 3, (1, 3, 5, 5), {},
                 "grad_out is (1, 3, 5, 5) but the output of a 3x3 kernel on 5x5 without padding is (1, 3, 3, 3)",
                 id="grad_out-input-sized"),
    pytest.param((1, 2, 5, 5), (3, 2, 3, 3), 3, (1, 3, 3, 3), {"stride": 2},
                 "grad_out is (1, 3, 3, 3) but with stride 2 the output is (1, 3, 2, 2)", id="grad_out-stride-ignored"),
    pytest.param((2, 2, 5, 5), (3, 2, 3, 3), 3, (1, 3, 3, 3), {}, "grad_out has batch 1 but x has batch 2",
                 id="grad_out-batch"),
    pytest.param((1, 2, 5, 5), (3, 2, 3, 3), 3, (1, 2, 3, 3), {}, "grad_out has 2 channels but there are 3 filters",
                 id="grad_out-channels"),
    pytest.param((1, 2, 5, 5), (3, 2, 3, 3), 3, (1, 3, 3, 3), {"stride": 0}, "stride 0 never moves the window",
                 id="stride-0"),
    pytest.param((1, 2, 5, 5), (3, 2, 3, 3), 3, (1, 3, 3, 3), {"stride": (1, 0)}, "the width stride is 0",
                 id="stride-(1,0)"),
    pytest.param((1, 2, 5, 5), (3, 2, 3, 3), 3, (1, 3, 3, 3), {"padding": -1}, "padding cannot be negative",
                 id="padding-neg"),
    pytest.param((1, 2, 5, 5), (3, 2, 3, 3), 3, (1, 3, 3, 3), {"padding": (0, -1)}, "the width padding is negative",
                 id="padding-(0,-1)"),
    pytest.param((1, 2, 2, 5), (3, 2, 3, 3), 3, (1, 3, 1, 3), {}, "a 3x3 kernel does not fit a 2x5 input",
                 id="kernel-too-big"),
]


@pytest.mark.parametrize("x_shape, w_shape, bias_len, g_shape, kwargs, reason", BAD)
def test_conv2d_backward_bad_input(check, rng, x_shape, w_shape, bias_len, g_shape, kwargs, reason):
    """Is an input conv2d_backward cannot work with (including a grad_out of the wrong shape) refused with ValueError?"""
    x = rng.standard_normal(x_shape)
    w = rng.standard_normal(w_shape)
    b = rng.standard_normal(bias_len)
    g = rng.standard_normal(g_shape if g_shape is not None else out_shape(x_shape, w_shape, 1, 0))
    shown = ", ".join(["grad_out", "x", "weight", "bias"] + [f"{k}={v}" for k, v in kwargs.items()])
    check.raises(lambda m: m.conv2d_backward(g, x, w, b, **kwargs), call=f"conv2d_backward({shown})", reason=reason,
                 inputs={"grad_out": g, "x": x, "weight": w, "bias": b})


def random_params(rng):
    """(x shape, weight shape, stride, padding, bias?) with sizes drawn from rng, at least one window fitting."""
    n, c, o = (int(v) for v in rng.integers(1, [4, 5, 5]))  # batch 1..3, channels in and out 1..4
    kh, kw = (int(v) for v in rng.integers(1, 5, size=2))  # kernel 1..4 by 1..4
    stride = tuple(int(v) for v in rng.integers(1, 4, size=2))  # (sH, sW), each 1..3
    padding = tuple(int(v) for v in rng.integers(0, 3, size=2))  # (pH, pW), each 0..2
    # Half the time a single int for both axes, as most callers write it.
    stride = stride[0] if rng.random() < 0.5 else stride
    padding = padding[0] if rng.random() < 0.5 else padding
    ph, pw = pair(padding)
    # H + 2 * pH >= kH and W + 2 * pW >= kW, so the output is at least 1 x 1; H and W at most 9.
    h = int(rng.integers(max(1, kh - 2 * ph), 10))
    w = int(rng.integers(max(1, kw - 2 * pw), 10))
    with_bias = bool(rng.random() < 0.75)
    return (n, c, h, w), (o, c, kh, kw), stride, padding, with_bias  # (N, C, H, W), (O, C, kH, kW)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_random_shapes(check, rng, dtype):
    """Do the gradients match torch on shapes, kernel sizes, strides and paddings drawn afresh each run?"""
    for _ in range(4):
        run_case(check, rng, random_params(rng), dtype, show_shapes=True)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("with_bias", [False, True], ids=["no-bias", "bias"])
def test_dtype(check, rng, with_bias, dtype):
    """Are the gradients right in the dtype of the input (float32 in, float32 out), with and without a bias?"""
    g, x, w, b = make_inputs(rng, (1, 2, 5, 4), (3, 2, 3, 3), 1, 0, with_bias, dtype)
    args = (g, x, w) if b is None else (g, x, w, b)
    inputs = {"grad_out": g, "x": x, "weight": w}
    if b is not None:
        inputs["bias"] = b
    call = "conv2d_backward(grad_out, x, weight)" if b is None else "conv2d_backward(grad_out, x, weight, bias)"
    check.close(lambda m: m.conv2d_backward(*args), torch_grads(g, x, w, b, 1, 0), call=call,
                inputs=inputs, names=NAMES, dtype=True)
