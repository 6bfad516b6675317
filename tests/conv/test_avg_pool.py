"""conv.avg_pool: avg_pool2d and adaptive_avg_pool2d against torch.nn.functional."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
DTYPE_IDS = ["float64", "float32"]


def case(name, x_shape, kernel_size, stride=None, padding=0):
    """stride None and padding 0 are the defaults: such a case leaves them out of the call."""
    return pytest.param((x_shape, kernel_size, stride, padding), id=name)


# Defaults only: stride = kernel_size; odd sizes drop the last partial window.
FORWARD = [
    case("k2-4x6", (2, 3, 4, 6), 2),
    case("k2-odd-5x7", (2, 2, 5, 7), 2),
    case("k3-batch1-6x9", (1, 2, 6, 9), 3),
    case("k(2,3)-non-square", (2, 2, 6, 7), (2, 3)),
    case("3d-input-(C,H,W)", (3, 5, 6), 2),
]
STRIDE = [
    case("k3-s1-overlap", (2, 2, 5, 6), 3, stride=1),
    case("k3-s2-odd", (2, 2, 7, 8), 3, stride=2),
    case("k2-s3-gaps", (1, 2, 7, 8), 2, stride=3),
    case("k(3,2)-s(1,2)", (2, 2, 6, 7), (3, 2), stride=(1, 2)),
]
# count_include_pad left at its default (True): every window is divided by kH * kW, border or not.
PADDING = [
    case("k2-p1", (2, 2, 4, 5), 2, padding=1),
    case("k3-s1-p1-same-size", (1, 3, 5, 5), 3, stride=1, padding=1),
    case("k3-s2-p1", (2, 2, 6, 7), 3, stride=2, padding=1),
    case("k(3,2)-p(1,0)", (2, 2, 5, 6), (3, 2), padding=(1, 0)),
    case("3d-k3-p1", (2, 5, 4), 3, padding=1),
]
# Windows that cover padding at the top, bottom, left and right, where the two divisors differ.
COUNTED = [
    case("k3-s1-p1", (2, 2, 5, 6), 3, stride=1, padding=1),
    case("k2-p1", (1, 3, 5, 5), 2, padding=1),
    case("k(3,4)-s(2,1)-p(1,2)", (2, 2, 6, 5), (3, 4), stride=(2, 1), padding=(1, 2)),
    case("3d-k3-s2-p1", (2, 7, 6), 3, stride=2, padding=1),
]
# (x shape, output_size): sizes that divide and that do not (overlapping bins), an int for both axes,
# an output larger than the input, a global average, None keeping an axis, and a 3-D input.
ADAPTIVE = {
    "6x8-to-(3,4)-divides": ((2, 2, 6, 8), (3, 4)),
    "5x7-to-3-int": ((2, 2, 5, 7), 3),
    "7x5-to-(3,2)": ((1, 3, 7, 5), (3, 2)),
    "10x10-to-(4,3)": ((1, 2, 10, 10), (4, 3)),
    "3x4-to-(5,7)-larger": ((2, 2, 3, 4), (5, 7)),
    "5x6-to-1-global": ((2, 3, 5, 6), 1),
    "4x5-to-(4,5)-same": ((1, 2, 4, 5), (4, 5)),
    "5x7-to-(None,3)": ((2, 2, 5, 7), (None, 3)),
    "6x5-to-(4,None)": ((2, 2, 6, 5), (4, None)),
    "3d-7x6-to-(4,4)": ((3, 7, 6), (4, 4)),
    "5x6-to-(0,3)-empty": ((2, 2, 5, 6), (0, 3)),  # torch allows an output size of 0: an empty result
    "5x6-to-(2,0)-empty": ((1, 2, 5, 6), (2, 0)),
}


def values(rng, shape, dtype):
    return np.asarray(rng.standard_normal(shape), dtype=dtype)


def options(stride, padding, count_include_pad=None):
    """The keyword arguments a caller would write: the defaults left out."""
    given = {} if stride is None else {"stride": stride}
    given = given if padding == 0 else {**given, "padding": padding}
    return given if count_include_pad is None else {**given, "count_include_pad": count_include_pad}


def shown(x, kernel_size, kwargs, show_shape=False):
    args = ", ".join(["x", repr(kernel_size)] + [f"{k}={v!r}" for k, v in kwargs.items()])
    return f"avg_pool2d({args})" + (f" with x.shape == {x.shape}" if show_shape else "")


def torch_avg(x, kernel_size, kwargs):
    F = oracle.torch().nn.functional
    return oracle.numpy(F.avg_pool2d(oracle.tensor(x), kernel_size, **kwargs), x.dtype)


def torch_adaptive(x, output_size):
    F = oracle.torch().nn.functional
    return oracle.numpy(F.adaptive_avg_pool2d(oracle.tensor(x), output_size), x.dtype)


def run_avg(check, x, kernel_size, stride, padding, count_include_pad=None, show_shape=False):
    kwargs = options(stride, padding, count_include_pad)
    check.close(lambda m: m.avg_pool2d(x, kernel_size, **kwargs), torch_avg(x, kernel_size, kwargs),
                call=shown(x, kernel_size, kwargs, show_shape), inputs={"x": x})


def run_adaptive(check, x, output_size):
    check.close(lambda m: m.adaptive_avg_pool2d(x, output_size), torch_adaptive(x, output_size),
                call=f"adaptive_avg_pool2d(x, {output_size!r}) with x.shape == {x.shape}", inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", FORWARD)
def test_avg_pool2d_forward(check, rng, params, dtype):
    """Does avg_pool2d match F.avg_pool2d with its defaults (stride = kernel_size, no padding)?"""
    x_shape, kernel_size, stride, padding = params
    run_avg(check, values(rng, x_shape, dtype), kernel_size, stride, padding)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", STRIDE)
def test_avg_pool2d_stride(check, rng, params, dtype):
    """Does avg_pool2d step its window by the stride given, overlapping or leaving gaps, as F.avg_pool2d?"""
    x_shape, kernel_size, stride, padding = params
    run_avg(check, values(rng, x_shape, dtype), kernel_size, stride, padding)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", PADDING)
def test_avg_pool2d_padding(check, rng, params, dtype):
    """With padding and the default count_include_pad=True, does every window count its padded zeros (divide by kH * kW)?"""
    x_shape, kernel_size, stride, padding = params
    run_avg(check, values(rng, x_shape, dtype), kernel_size, stride, padding)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("include", [False, True], ids=["exclude-pad", "include-pad"])
@pytest.mark.parametrize("params", COUNTED)
def test_avg_pool2d_count_include_pad(check, rng, params, include, dtype):
    """Does count_include_pad=False divide each window by the real cells it covers, and True by kH * kW, as torch?"""
    x_shape, kernel_size, stride, padding = params
    run_avg(check, values(rng, x_shape, dtype), kernel_size, stride, padding, count_include_pad=include)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("name", ADAPTIVE)
def test_adaptive_avg_pool2d(check, rng, name, dtype):
    """Does adaptive_avg_pool2d match F.adaptive_avg_pool2d, with bins from floor(i * H / out) to ceil((i + 1) * H / out)?"""
    x_shape, output_size = ADAPTIVE[name]
    run_adaptive(check, values(rng, x_shape, dtype), output_size)


BAD_AVG = [
    pytest.param((5, 6), 2, {}, "x is 2-D; avg_pool2d takes (N, C, H, W) or (C, H, W)", id="x-2d"),
    pytest.param((1, 1, 2, 5, 6), 2, {}, "x is 5-D; avg_pool2d takes (N, C, H, W) or (C, H, W)", id="x-5d"),
    pytest.param((1, 2, 6, 6), 3, {"padding": 2}, "padding 2 is more than half the kernel 3", id="padding-over-half"),
    pytest.param((1, 2, 6, 6), (4, 2), {"padding": (2, 2)}, "the width padding 2 is more than half the width kernel 2",
                 id="padding-(2,2)-over-half"),
    pytest.param((1, 2, 6, 6), 2, {"padding": -1}, "padding cannot be negative", id="padding-negative"),
    pytest.param((1, 2, 6, 6), 0, {}, "a kernel of size 0 covers nothing", id="kernel-0"),
    pytest.param((1, 2, 6, 6), 2, {"stride": 0}, "stride 0 never moves the window", id="stride-0"),
    pytest.param((1, 2, 3, 3), (2, 4), {}, "a 2 x 4 kernel does not fit a 3 x 3 input", id="kernel-too-wide"),
    pytest.param((1, 2, 2, 6), (3, 2), {}, "a 3 x 2 kernel does not fit a 2 x 6 input (its width fits)",
                 id="kernel-too-tall"),
    pytest.param((1, 0, 4, 4), 2, {}, "x has no channels (C = 0)", id="x-empty-C"),
    pytest.param((0, 4, 4), 2, {}, "x is (C, H, W) with no channels (C = 0)", id="x-(C,H,W)-empty-C"),
]


@pytest.mark.parametrize("x_shape, kernel_size, kwargs, reason", BAD_AVG)
def test_avg_pool2d_bad_input(check, rng, x_shape, kernel_size, kwargs, reason):
    """Does avg_pool2d refuse, with ValueError, an input or a window setting F.avg_pool2d refuses?"""
    x = values(rng, x_shape, np.float64)
    check.raises(lambda m: m.avg_pool2d(x, kernel_size, **kwargs), call=shown(x, kernel_size, kwargs, True),
                 reason=reason, inputs={"x": x})


BAD_ADAPTIVE = [
    pytest.param((5, 6), 2, "x is 2-D; adaptive_avg_pool2d takes (N, C, H, W) or (C, H, W)", id="x-2d"),
    pytest.param((1, 1, 2, 5, 6), 2, "x is 5-D; adaptive_avg_pool2d takes (N, C, H, W) or (C, H, W)", id="x-5d"),
    pytest.param((1, 2, 5, 6), -1, "an output size cannot be negative", id="size-negative"),
    pytest.param((1, 2, 5, 6), (2, -3), "the output width is negative", id="size-(2,-3)"),
    pytest.param((1, 2, 5, 6), (2, 2, 2), "output_size has three entries, not two", id="size-triple"),
    pytest.param((1, 2, 5, 6), 2.5, "an output size of 2.5 cells", id="size-float"),
    pytest.param((1, 2, 5, 6), (2, 2.5), "an output width of 2.5 cells", id="size-(2,2.5)"),
]


@pytest.mark.parametrize("x_shape, output_size, reason", BAD_ADAPTIVE)
def test_adaptive_avg_pool2d_bad_input(check, rng, x_shape, output_size, reason):
    """Does adaptive_avg_pool2d refuse, with ValueError, an input or an output_size torch refuses?"""
    x = values(rng, x_shape, np.float64)
    check.raises(lambda m: m.adaptive_avg_pool2d(x, output_size),
                 call=f"adaptive_avg_pool2d(x, {output_size!r}) with x.shape == {x.shape}", reason=reason,
                 inputs={"x": x})


def random_avg_case(rng):
    """(x shape, kernel, stride or None, padding, count_include_pad or None) with one window fitting, sizes <= 9."""
    kernel = tuple(int(k) for k in rng.integers(1, 5, size=2))  # 1..4 each
    stride = None if rng.random() < 0.3 else tuple(int(s) for s in rng.integers(1, 4, size=2))  # 1..3 each
    padding = tuple(int(rng.integers(0, k // 2 + 1)) for k in kernel)  # 0..k // 2
    if rng.random() < 0.5:  # a single int for both axes, as most callers write it
        kernel, padding, stride = kernel[:1] * 2, padding[:1] * 2, stride if stride is None else stride[:1] * 2
    spatial = tuple(int(rng.integers(max(1, k - 2 * p), 10)) for k, p in zip(kernel, padding))  # H, W
    lead = tuple(int(n) for n in rng.integers(1, 4, size=2))  # N, C each 1..3
    x_shape = (lead if rng.random() < 0.75 else lead[1:]) + spatial
    include = [None, False, True][int(rng.integers(0, 3))]
    if kernel[0] == kernel[1] and padding[0] == padding[1] and (stride is None or stride[0] == stride[1]):
        kernel, padding, stride = kernel[0], padding[0], stride if stride is None else stride[0]
    return x_shape, kernel, stride, padding, include


def random_adaptive_case(rng):
    """(x shape, output_size): input sizes 1..9, output sizes 1..9 (larger than the input at times), None at times."""
    lead = tuple(int(n) for n in rng.integers(1, 4, size=2))
    x_shape = (lead if rng.random() < 0.75 else lead[1:]) + tuple(int(n) for n in rng.integers(1, 10, size=2))
    size = [int(n) for n in rng.integers(1, 10, size=2)]
    if rng.random() < 0.2:
        size[int(rng.integers(0, 2))] = None
    return x_shape, (size[0] if rng.random() < 0.3 and None not in size else tuple(size))


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_random_shapes(check, rng, dtype):
    """Do avg_pool2d and adaptive_avg_pool2d match torch on shapes, windows and output sizes drawn afresh each run?"""
    for _ in range(4):
        x_shape, kernel, stride, padding, include = random_avg_case(rng)
        run_avg(check, values(rng, x_shape, dtype), kernel, stride, padding, include, show_shape=True)
        x_shape, output_size = random_adaptive_case(rng)
        run_adaptive(check, values(rng, x_shape, dtype), output_size)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_dtype(check, rng, dtype):
    """Are avg_pool2d and adaptive_avg_pool2d right in the dtype of their input (float32 in, float32 out)?"""
    x = values(rng, (2, 2, 5, 6), dtype)
    check.close(lambda m: m.avg_pool2d(x, 2), torch_avg(x, 2, {}), call="avg_pool2d(x, 2)", inputs={"x": x},
                dtype=True)
    check.close(lambda m: m.avg_pool2d(x, 3, 1, 1, False), torch_avg(x, 3, options(1, 1, False)),
                call="avg_pool2d(x, 3, 1, 1, False)", inputs={"x": x}, dtype=True)
    check.close(lambda m: m.adaptive_avg_pool2d(x, (3, 4)), torch_adaptive(x, (3, 4)),
                call="adaptive_avg_pool2d(x, (3, 4))", inputs={"x": x}, dtype=True)
