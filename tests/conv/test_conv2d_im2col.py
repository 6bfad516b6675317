"""conv.conv2d_im2col: im2col, col2im and conv2d against F.unfold, F.fold and F.conv2d."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
DTYPE_IDS = ["float64", "float32"]
DEFAULTS = {"stride": 1, "padding": 0, "dilation": 1, "groups": 1}


def options(stride=1, padding=0, dilation=1, groups=1):
    """Only what differs from the defaults, as a learner's caller would pass it."""
    given = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
    return {k: v for k, v in given.items() if v != DEFAULTS[k]}


def shown(*names, **kwargs):
    return ", ".join(list(names) + [f"{k}={v!r}" for k, v in kwargs.items()])


def torch_unfold(x, kernel_size, opts):
    F = oracle.torch().nn.functional
    return oracle.numpy(F.unfold(oracle.tensor(x), kernel_size, **opts), x.dtype)


def torch_fold(cols, output_size, kernel_size, opts):
    F = oracle.torch().nn.functional
    return oracle.numpy(F.fold(oracle.tensor(cols), output_size, kernel_size, **opts), cols.dtype)


def torch_conv2d(x, w, b, opts):
    F = oracle.torch().nn.functional
    out = F.conv2d(oracle.tensor(x), oracle.tensor(w), None if b is None else oracle.tensor(b), **opts)
    return oracle.numpy(out, x.dtype)


def blocks(size, kernel, stride, padding, dilation):
    """The number of windows along one axis, as torch counts them."""
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def per_axis(value):
    return (value, value) if isinstance(value, int) else tuple(value)


# ---------------------------------------------------------------- im2col

def unfold_case(name, x_shape, kernel_size, **opts):
    return pytest.param((x_shape, kernel_size, opts), id=name)


# kernel_size only, every option left at its default; C > 1 everywhere, so the row order shows.
UNFOLD_BASIC = [
    unfold_case("batch1-3x3", (1, 2, 5, 5), 3),
    unfold_case("non-square-input-4x7", (2, 3, 4, 7), 3),
    unfold_case("non-square-kernel-(2,3)", (2, 2, 6, 5), (2, 3)),
    unfold_case("kernel-1x1", (2, 3, 3, 4), 1),
    unfold_case("kernel-covers-input", (1, 2, 3, 4), (3, 4)),
]
# Odd sizes and strides that do not divide them (the last window is dropped), windows wholly in the padding.
UNFOLD_STRIDE_PADDING = [
    unfold_case("stride2-7x9", (2, 2, 7, 9), 3, stride=2),
    unfold_case("stride3-8x9-not-divisible", (1, 2, 8, 9), 3, stride=3),
    unfold_case("padding1", (2, 2, 4, 5), 3, padding=1),
    unfold_case("padding3-wider-than-kernel", (1, 2, 3, 3), 2, padding=3),
    unfold_case("stride(2,1)-padding(0,2)", (2, 2, 7, 6), (3, 2), stride=(2, 1), padding=(0, 2)),
    unfold_case("stride2-padding1-batch1", (1, 3, 6, 7), 3, stride=2, padding=1),
]
UNFOLD_DILATION = [
    unfold_case("dilation2", (2, 2, 7, 8), 3, dilation=2),
    unfold_case("dilation(2,1)", (1, 3, 7, 6), (3, 2), dilation=(2, 1)),
    unfold_case("dilation(1,3)-stride2", (2, 2, 6, 9), (2, 3), stride=2, dilation=(1, 3)),
    unfold_case("dilation2-stride2-padding1", (1, 2, 8, 7), 3, stride=2, padding=1, dilation=2),
    unfold_case("dilation3-stride(1,2)-padding(2,0)", (2, 2, 5, 8), 2, stride=(1, 2), padding=(2, 0), dilation=3),
]


def run_unfold(check, rng, params, dtype, show_shapes=False):
    x_shape, kernel_size, opts = params
    x = rng.standard_normal(x_shape).astype(dtype)
    shapes = f" with x.shape == {x_shape}" if show_shapes else ""
    check.close(lambda m: m.im2col(x, kernel_size, **opts), torch_unfold(x, kernel_size, opts),
                call=f"im2col({shown('x', repr(kernel_size), **opts)}){shapes}", inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", UNFOLD_BASIC)
def test_im2col_forward(check, rng, params, dtype):
    """Does im2col match F.unfold (rows channel first, then kernel row, then kernel column; columns row-major)?"""
    run_unfold(check, rng, params, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", UNFOLD_STRIDE_PADDING)
def test_im2col_stride_and_padding(check, rng, params, dtype):
    """Does im2col start window (i, j) at (i * sH, j * sW) of the zero-padded input, and drop one that would not fit?"""
    run_unfold(check, rng, params, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", UNFOLD_DILATION)
def test_im2col_dilation(check, rng, params, dtype):
    """Does im2col space the kernel's taps `dilation` pixels apart, leaving the step between windows to the stride?"""
    run_unfold(check, rng, params, dtype)


UNFOLD_BAD = [
    pytest.param((5, 5), 3, {}, "x is 2-D, not (N, C, H, W)", id="x-2d"),
    pytest.param((1, 2, 2, 5, 5), 3, {}, "x is 5-D, not (N, C, H, W)", id="x-5d"),
    pytest.param((1, 2, 5, 5), 0, {}, "a kernel of size 0 has no taps", id="kernel-0"),
    pytest.param((1, 2, 5, 5), (3, 3, 3), {}, "kernel_size is a triple, not an int or a pair", id="kernel-triple"),
    pytest.param((1, 2, 5, 5), 3, {"stride": 0}, "stride 0 never moves the window", id="stride-0"),
    pytest.param((1, 2, 5, 5), 3, {"stride": (1, 0)}, "the width stride is 0", id="stride-(1,0)"),
    pytest.param((1, 2, 5, 5), 3, {"padding": -1}, "padding cannot be negative", id="padding-neg"),
    pytest.param((1, 2, 5, 5), 3, {"dilation": 0}, "dilation 0 puts every tap on the same pixel", id="dilation-0"),
    pytest.param((1, 2, 5, 5), 3, {"dilation": (0, 1)}, "the height dilation is 0", id="dilation-(0,1)"),
    pytest.param((1, 2, 5, 5), 6, {}, "a 6x6 kernel does not fit a 5x5 input", id="kernel-too-big"),
    pytest.param((1, 2, 5, 5), 3, {"dilation": 3}, "with dilation 3 the kernel spans 7 pixels of a 5x5 input",
                 id="dilated-kernel-too-big"),
]


@pytest.mark.parametrize("x_shape, kernel_size, opts, reason", UNFOLD_BAD)
def test_im2col_bad_input(check, rng, x_shape, kernel_size, opts, reason):
    """Is an input or option im2col cannot work with refused with ValueError?"""
    x = rng.standard_normal(x_shape)
    check.raises(lambda m: m.im2col(x, kernel_size, **opts), call=f"im2col({shown('x', repr(kernel_size), **opts)})",
                 reason=reason, inputs={"x": x})


GROWS = {"en": "the number of output positions", "zh": "输出位置的数量"}
SIZES = ({"en": "a 2x2 output", "zh": "2x2 的输出"}, {"en": "a 32x32 output", "zh": "32x32 的输出"})


def test_im2col_no_loop_over_positions(check, rng):
    """Does im2col run the same Python lines for a 2x2 and a 32x32 output (no loop over output positions)?"""
    # kernel 3, stride 2, padding 1: H = 4 gives 2 windows per axis, H = 64 gives 32.
    small, large = rng.standard_normal((2, 3, 4, 4)), rng.standard_normal((2, 3, 64, 64))
    check.loop_free(lambda m: m.im2col(small, 3, stride=2, padding=1), lambda m: m.im2col(large, 3, stride=2, padding=1),
                    call="im2col(x, 3, stride=2, padding=1)", grows=GROWS, sizes=SIZES)


# ---------------------------------------------------------------- col2im

def fold_case(name, n, c, output_size, kernel_size, **opts):
    return pytest.param((n, c, output_size, kernel_size, opts), id=name)


# Overlapping windows (stride 1, kernel > 1): a pixel receives the SUM of every window covering it.
FOLD_BASIC = [
    fold_case("overlapping-3x3-on-5x5", 2, 2, 5, 3),
    fold_case("batch1-non-square-kernel-(2,3)", 1, 3, (4, 6), (2, 3)),
    fold_case("kernel-1x1", 2, 2, (3, 4), 1),
]
FOLD_OPTIONS = [
    fold_case("stride2-overlap", 2, 2, (5, 7), 3, stride=2),
    fold_case("stride3-uncovered-rows", 1, 2, (8, 9), 3, stride=3),
    fold_case("padding1-cropped", 2, 2, (4, 5), 3, padding=1),
    fold_case("stride2-padding(2,1)", 1, 3, (5, 6), 3, stride=2, padding=(2, 1)),
    fold_case("dilation2", 2, 2, (7, 8), 3, dilation=2),
    fold_case("dilation(1,2)-stride(2,1)-padding1", 1, 2, (6, 7), (2, 3), stride=(2, 1), padding=1, dilation=(1, 2)),
]


def fold_inputs(rng, n, c, output_size, kernel_size, opts, dtype):
    """Random columns of the shape F.fold accepts for this output size."""
    (H, W), (kH, kW) = per_axis(output_size), per_axis(kernel_size)
    (sH, sW), (pH, pW), (dH, dW) = (per_axis(opts.get(k, DEFAULTS[k])) for k in ("stride", "padding", "dilation"))
    L = blocks(H, kH, sH, pH, dH) * blocks(W, kW, sW, pW, dW)
    return rng.standard_normal((n, c * kH * kW, L)).astype(dtype)


def run_fold(check, rng, params, dtype, show_shapes=False):
    n, c, output_size, kernel_size, opts = params
    cols = fold_inputs(rng, n, c, output_size, kernel_size, opts, dtype)
    shapes = f" with cols.shape == {cols.shape}" if show_shapes else ""
    check.close(lambda m: m.col2im(cols, output_size, kernel_size, **opts),
                torch_fold(cols, output_size, kernel_size, opts),
                call=f"col2im({shown('cols', repr(output_size), repr(kernel_size), **opts)}){shapes}",
                inputs={"cols": cols})


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", FOLD_BASIC)
def test_col2im_forward(check, rng, params, dtype):
    """Does col2im match F.fold, adding up the entries of overlapping windows?"""
    run_fold(check, rng, params, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", FOLD_OPTIONS)
def test_col2im_stride_padding_dilation(check, rng, params, dtype):
    """Does col2im put every entry back where im2col took it from with this stride, padding and dilation, and crop the padding?"""
    run_fold(check, rng, params, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_col2im_of_im2col(check, rng, dtype):
    """Is col2im(im2col(x)) x times the number of windows covering each pixel, as F.fold(F.unfold(x))?"""
    x = rng.standard_normal((2, 3, 6, 7)).astype(dtype)
    opts = {"stride": (1, 2), "padding": 1}
    F = oracle.torch().nn.functional
    expected = oracle.numpy(F.fold(F.unfold(oracle.tensor(x), 3, **opts), (6, 7), 3, **opts), dtype)
    check.close(lambda m: m.col2im(m.im2col(x, 3, **opts), (6, 7), 3, **opts), expected,
                call="col2im(im2col(x, 3, stride=(1, 2), padding=1), (6, 7), 3, stride=(1, 2), padding=1)",
                inputs={"x": x})


FOLD_BAD = [
    pytest.param((1, 18, 9, 1), (5, 5), 3, {}, "cols is 4-D, not (N, C * kH * kW, L)", id="cols-4d"),
    pytest.param((1, 17, 9), (5, 5), 3, {}, "17 rows are not a multiple of kH * kW = 9", id="rows-not-multiple"),
    pytest.param((1, 18, 9), (6, 5), 3, {}, "a 6x5 output has 4 x 3 = 12 windows, not L = 9", id="L-mismatch"),
    pytest.param((1, 18, 1), (2, 2), 3, {}, "a 3x3 kernel does not fit a 2x2 output", id="kernel-too-big"),
    pytest.param((1, 18, 10), (0, 3), 3, {"padding": 2}, "an output height of 0", id="output-size-0"),
    pytest.param((1, 18, 9), (5, 5), 3, {"stride": 0}, "stride 0 never moves the window", id="stride-0"),
    pytest.param((1, 18, 9), (3, 3), 3, {"padding": -1}, "padding cannot be negative", id="padding-neg"),
    pytest.param((1, 18, 9), (5, 5), 3, {"dilation": (1, 0)}, "the width dilation is 0", id="dilation-(1,0)"),
]


@pytest.mark.parametrize("cols_shape, output_size, kernel_size, opts, reason", FOLD_BAD)
def test_col2im_bad_input(check, rng, cols_shape, output_size, kernel_size, opts, reason):
    """Is a cols array or an option col2im cannot work with refused with ValueError?"""
    cols = rng.standard_normal(cols_shape)
    check.raises(lambda m: m.col2im(cols, output_size, kernel_size, **opts),
                 call=f"col2im({shown('cols', repr(output_size), repr(kernel_size), **opts)})",
                 reason=reason, inputs={"cols": cols})


def test_col2im_no_loop_over_positions(check, rng):
    """Does col2im run the same Python lines for 2x2 and 32x32 windows (no loop over positions)?"""
    # kernel 3, stride 2, padding 1: a 4x4 output holds 2 x 2 windows, a 64x64 one 32 x 32.
    small, large = rng.standard_normal((2, 27, 4)), rng.standard_normal((2, 27, 1024))
    check.loop_free(lambda m: m.col2im(small, 4, 3, stride=2, padding=1),
                    lambda m: m.col2im(large, 64, 3, stride=2, padding=1),
                    call="col2im(cols, output_size, 3, stride=2, padding=1)", grows=GROWS,
                    sizes=({"en": "2x2 windows", "zh": "2x2 个窗口"}, {"en": "32x32 windows", "zh": "32x32 个窗口"}))


# ---------------------------------------------------------------- conv2d

def conv_case(name, x_shape, w_shape, bias=True, **opts):
    return pytest.param((x_shape, w_shape, bias, opts), id=name)


CONV_BASIC = [
    conv_case("batch1", (1, 2, 5, 5), (3, 2, 3, 3)),
    conv_case("non-square-input-and-kernel", (2, 3, 6, 9), (4, 3, 3, 2)),
    conv_case("kernel-1x1-no-bias", (2, 4, 5, 3), (6, 4, 1, 1), bias=False),
    conv_case("no-bias", (2, 3, 5, 6), (2, 3, 3, 3), bias=False),
]
CONV_OPTIONS = [
    conv_case("stride2-padding1", (2, 3, 7, 8), (2, 3, 3, 3), stride=2, padding=1),
    conv_case("stride(2,1)-padding(0,2)", (2, 2, 7, 6), (3, 2, 3, 2), stride=(2, 1), padding=(0, 2)),
    conv_case("dilation2-no-bias", (2, 2, 7, 8), (3, 2, 3, 3), bias=False, dilation=2),
    conv_case("dilation(2,1)-stride(1,2)-padding(1,2)", (1, 3, 6, 7), (2, 3, 3, 3), stride=(1, 2), padding=(1, 2),
              dilation=(2, 1)),
]
# Two or more channels per group wherever a wrong split could show; weight is (O, C / groups, kH, kW).
CONV_GROUPS = [
    conv_case("groups2", (2, 4, 5, 6), (6, 2, 3, 3), groups=2),
    conv_case("depthwise-groups3", (2, 3, 5, 5), (3, 1, 3, 3), groups=3),
    conv_case("depthwise-two-filters-per-channel", (1, 2, 6, 5), (4, 1, 3, 3), groups=2),
    conv_case("groups3-stride2-padding1-dilation2-no-bias", (1, 6, 9, 8), (3, 2, 3, 2), bias=False, stride=2,
              padding=1, dilation=2, groups=3),
    conv_case("groups2-kernel-1x1", (2, 4, 3, 4), (4, 2, 1, 1), groups=2),
]


def run_conv(check, rng, params, dtype, show_shapes=False, dtype_rule=False):
    x_shape, w_shape, with_bias, opts = params
    x = rng.standard_normal(x_shape).astype(dtype)
    w = rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(w_shape[0]).astype(dtype) if with_bias else None
    args, inputs = ((x, w, b), {"x": x, "weight": w, "bias": b}) if with_bias else ((x, w), {"x": x, "weight": w})
    shapes = f" with x.shape == {x_shape}, weight.shape == {w_shape}" if show_shapes else ""
    check.close(lambda m: m.conv2d(*args, **opts), torch_conv2d(x, w, b, opts),
                call=f"conv2d({shown(*inputs, **opts)}){shapes}", inputs=inputs, dtype=dtype_rule)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", CONV_BASIC)
def test_conv2d_forward(check, rng, params, dtype):
    """Does conv2d match F.conv2d with every option left at its default?"""
    run_conv(check, rng, params, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", CONV_OPTIONS)
def test_conv2d_stride_padding_dilation(check, rng, params, dtype):
    """Does conv2d match F.conv2d with stride, padding and dilation, given as ints or (height, width) pairs?"""
    run_conv(check, rng, params, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", CONV_GROUPS)
def test_conv2d_groups(check, rng, params, dtype):
    """With groups, does each contiguous block of filters see only its own contiguous block of input channels?"""
    run_conv(check, rng, params, dtype)


CONV_BAD = [
    pytest.param((1, 2, 2, 5, 5), (3, 2, 3, 3), 3, {}, "x is 5-D, not (N, C, H, W)", id="x-5d"),
    pytest.param((1, 2, 5, 5), (3, 2, 3), 3, {}, "weight is 3-D, not (O, C / groups, kH, kW)", id="weight-3d"),
    pytest.param((1, 3, 5, 5), (2, 2, 3, 3), 2, {}, "x has 3 channels but weight expects 2", id="channel-mismatch"),
    pytest.param((1, 4, 5, 5), (4, 2, 3, 3), 4, {"groups": 0}, "groups must be at least 1", id="groups-0"),
    pytest.param((1, 4, 5, 5), (3, 2, 3, 3), 3, {"groups": 2}, "2 groups cannot share 3 filters", id="groups-not-dividing-O"),
    pytest.param((1, 5, 5, 5), (4, 2, 3, 3), 4, {"groups": 2}, "2 groups of 2 channels are 4, not the 5 of x",
                 id="groups-channel-mismatch"),
    pytest.param((1, 4, 5, 5), (4, 4, 3, 3), 4, {"groups": 2}, "with groups=2 each filter sees 2 channels, not 4",
                 id="weight-spans-all-channels"),
    pytest.param((1, 2, 5, 5), (3, 2, 3, 3), 2, {}, "bias has 2 entries but there are 3 filters", id="bias-length"),
    pytest.param((1, 2, 5, 5), (3, 2, 3, 3), (3, 1), {}, "bias is 2-D, not (O,)", id="bias-2d"),
    pytest.param((1, 2, 5, 5), (3, 2, 3, 3), 3, {"stride": 0}, "stride 0 never moves the window", id="stride-0"),
    pytest.param((1, 2, 5, 5), (3, 2, 3, 3), 3, {"padding": (0, -1)}, "the width padding is negative",
                 id="padding-(0,-1)"),
    pytest.param((1, 2, 5, 5), (3, 2, 3, 3), 3, {"dilation": 0}, "dilation 0 puts every tap on the same pixel",
                 id="dilation-0"),
    pytest.param((1, 2, 5, 5), (3, 2, 3, 3), 3, {"dilation": 3}, "with dilation 3 the kernel spans 7 pixels of a 5x5 input",
                 id="dilated-kernel-too-big"),
]


@pytest.mark.parametrize("x_shape, w_shape, bias_shape, opts, reason", CONV_BAD)
def test_conv2d_bad_input(check, rng, x_shape, w_shape, bias_shape, opts, reason):
    """Is an input or option conv2d cannot work with refused with ValueError?"""
    x, w, b = rng.standard_normal(x_shape), rng.standard_normal(w_shape), rng.standard_normal(bias_shape)
    check.raises(lambda m: m.conv2d(x, w, b, **opts), call=f"conv2d({shown('x', 'weight', 'bias', **opts)})",
                 reason=reason, inputs={"x": x, "weight": w, "bias": b})


def test_conv2d_no_loop_over_positions(check, rng):
    """Does conv2d run the same Python lines for a 2x2 and a 32x32 output (a loop over the kernel taps is fine)?"""
    # kernel 3, stride 2, padding 1, groups 2: H = 4 gives 2 output rows, H = 64 gives 32.
    w, b = rng.standard_normal((6, 2, 3, 3)), rng.standard_normal(6)
    small, large = rng.standard_normal((2, 4, 4, 4)), rng.standard_normal((2, 4, 64, 64))
    opts = {"stride": 2, "padding": 1, "groups": 2}
    check.loop_free(lambda m: m.conv2d(small, w, b, **opts), lambda m: m.conv2d(large, w, b, **opts),
                    call="conv2d(x, weight, bias, stride=2, padding=1, groups=2)", grows=GROWS, sizes=SIZES)


# ---------------------------------------------------------------- all three

def random_geometry(rng):
    """(kernel_size, opts, H, W): sizes drawn from rng, ints or pairs, at least one window fitting."""
    kh, kw = (int(v) for v in rng.integers(1, 4, size=2))  # kernel 1..3 by 1..3
    stride = tuple(int(v) for v in rng.integers(1, 4, size=2))  # each 1..3
    padding = tuple(int(v) for v in rng.integers(0, 3, size=2))  # each 0..2
    dilation = tuple(int(v) for v in rng.integers(1, 3, size=2))  # each 1..2
    # Half the time a single int for both axes, as most callers write it.
    stride, padding, dilation = (v[0] if rng.random() < 0.5 else v for v in (stride, padding, dilation))
    kernel_size = kh if kh == kw and rng.random() < 0.5 else (kh, kw)
    (ph, pw), (dh, dw) = per_axis(padding), per_axis(dilation)
    # The padded size covers the dilated kernel: H + 2 * pH >= dH * (kH - 1) + 1; H and W at most 9.
    h = int(rng.integers(max(1, dh * (kh - 1) + 1 - 2 * ph), 10))
    w = int(rng.integers(max(1, dw * (kw - 1) + 1 - 2 * pw), 10))
    return kernel_size, options(stride, padding, dilation), h, w


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_random_shapes(check, rng, dtype):
    """Do im2col, col2im and conv2d match torch on sizes, strides, paddings, dilations and groups drawn afresh each run?"""
    for _ in range(3):
        kernel_size, opts, h, w = random_geometry(rng)
        n, groups = int(rng.integers(1, 3)), int(rng.integers(1, 4))  # batch 1..2, groups 1..3
        c_in, c_out = (groups * int(v) for v in rng.integers(1, 3, size=2))  # 1..2 channels per group
        kh, kw = per_axis(kernel_size)
        run_unfold(check, rng, ((n, c_in, h, w), kernel_size, opts), dtype, show_shapes=True)
        run_fold(check, rng, (n, c_in, (h, w), kernel_size, opts), dtype, show_shapes=True)
        conv_opts = {**opts, "groups": groups} if groups != 1 else opts
        run_conv(check, rng, ((n, c_in, h, w), (c_out, c_in // groups, kh, kw), bool(rng.random() < 0.75), conv_opts),
                 dtype, show_shapes=True)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("fn", ["im2col", "col2im", "conv2d"])
def test_dtype(check, rng, fn, dtype):
    """Is each function right in the dtype of its input (float32 in, float32 out)?"""
    if fn == "im2col":
        x = rng.standard_normal((1, 2, 5, 4)).astype(dtype)
        check.close(lambda m: m.im2col(x, 3), torch_unfold(x, 3, {}), call="im2col(x, 3)", inputs={"x": x}, dtype=True)
    elif fn == "col2im":
        cols = rng.standard_normal((1, 18, 6)).astype(dtype)
        check.close(lambda m: m.col2im(cols, (5, 4), 3), torch_fold(cols, (5, 4), 3, {}), call="col2im(cols, (5, 4), 3)",
                    inputs={"cols": cols}, dtype=True)
    else:
        run_conv(check, rng, ((1, 2, 5, 4), (3, 2, 3, 3), True, {}), dtype, dtype_rule=True)
