"""conv.max_pool: max_pool2d (with indices), max_pool2d_backward and max_pool1d against torch and autograd.

Inputs are drawn from continuous distributions, so no window holds two equal maxima: which of tied
entries torch's indices point to (its CPU kernel keeps the first in row-major order) is not graded.
"""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
DTYPE_IDS = ["float64", "float32"]


def case(name, x_shape, kernel_size, stride=None, padding=0):
    """stride None and padding 0 are the defaults: such a case leaves them out of the call."""
    return pytest.param((x_shape, kernel_size, stride, padding), id=name)


# Defaults only: stride = kernel_size, so windows sit side by side; odd sizes drop the last partial window.
FORWARD = [
    case("k2-4x6", (2, 3, 4, 6), 2),
    case("k2-odd-5x7", (2, 2, 5, 7), 2),
    case("k3-batch1-6x9", (1, 2, 6, 9), 3),
    case("k(2,3)-non-square", (2, 2, 6, 7), (2, 3)),
    case("k1-identity", (1, 3, 3, 4), 1),
    case("3d-input-(C,H,W)", (3, 5, 6), 2),
    case("batch0-empty-batch", (0, 2, 4, 6), 2),  # torch allows N = 0; only C, H and W must not be empty
]
# Overlapping windows (stride < kernel), gaps between windows (stride > kernel), and pairs of different values.
STRIDE = [
    case("k3-s1-overlap", (2, 2, 5, 6), 3, stride=1),
    case("k2-s1", (1, 3, 4, 5), 2, stride=1),
    case("k3-s2-odd", (2, 2, 7, 8), 3, stride=2),
    case("k2-s3-gaps", (1, 2, 7, 8), 2, stride=3),
    case("k(3,2)-s(1,2)", (2, 2, 6, 7), (3, 2), stride=(1, 2)),
    case("k2-s(2,1)-3d", (2, 5, 4), 2, stride=(2, 1)),
]
# All inputs negative: a zero in the padding would win every border window, -inf never does.
PADDING = [
    case("k2-p1", (2, 2, 4, 5), 2, padding=1),
    case("k3-s1-p1-same-size", (1, 3, 5, 5), 3, stride=1, padding=1),
    case("k3-s2-p1", (2, 2, 6, 7), 3, stride=2, padding=1),
    case("k(3,2)-p(1,0)", (2, 2, 5, 6), (3, 2), padding=(1, 0)),
    case("k(2,4)-s(1,3)-p(0,2)", (1, 2, 4, 9), (2, 4), stride=(1, 3), padding=(0, 2)),
    case("3d-k3-p1", (2, 5, 4), 3, padding=1),
]
# Several channels and samples, padding and W != H: each way of flattening an index differs somewhere here.
INDICES = [
    case("k2", (2, 3, 4, 6), 2),
    case("k3-s1-p1", (2, 2, 5, 6), 3, stride=1, padding=1),
    case("k2-p1-non-square", (1, 3, 5, 7), 2, padding=1),
    case("k(3,2)-s(2,1)-p1", (2, 2, 7, 5), (3, 2), stride=(2, 1), padding=1),
    case("3d-k2-s1", (3, 4, 5), 2, stride=1),
]
# Stride below the kernel in most: one input can be the maximum of several windows, its gradients add up.
BACKWARD = [
    case("k2-no-overlap", (2, 2, 4, 6), 2),
    case("k3-s1-overlap", (2, 2, 5, 6), 3, stride=1),
    case("k3-s2-p1-overlap", (1, 3, 7, 6), 3, stride=2, padding=1),
    case("k(2,3)-s1-p1", (2, 2, 4, 5), (2, 3), stride=1, padding=1),
    case("3d-k2-s1", (3, 4, 5), 2, stride=1),
]
POOL1D = [
    case("k2", (2, 3, 8), 2),
    case("k3-odd-length", (1, 2, 10), 3),
    case("k3-s1-overlap", (2, 2, 7), 3, stride=1),
    case("k2-p1", (2, 2, 5), 2, padding=1),
    case("k4-s3-p2", (1, 3, 9), 4, stride=3, padding=2),
    case("2d-input-(C,L)", (3, 7), 2),
]


def values(rng, shape, dtype, negative=False):
    """Normal values (no two equal); with `negative`, all of them below -0.5."""
    x = rng.standard_normal(shape)
    return np.asarray(-(np.abs(x) + 0.5) if negative else x, dtype=dtype)


def options(stride, padding):
    """The keyword arguments a caller would write: the defaults left out."""
    given = {} if stride is None else {"stride": stride}
    return given if padding == 0 else {**given, "padding": padding}


def shown(fn, first, kernel_size, kwargs, x=None):
    args = ", ".join([first, repr(kernel_size)] + [f"{k}={v!r}" for k, v in kwargs.items()])
    return f"{fn}({args})" + ("" if x is None else f" with x.shape == {x.shape}")


def torch_pool2d(x, kernel_size, stride, padding, return_indices=False):
    F = oracle.torch().nn.functional
    out = F.max_pool2d(oracle.tensor(x), kernel_size, stride, padding, return_indices=return_indices)
    if return_indices:
        return oracle.numpy(out[0], x.dtype), oracle.numpy(out[1], np.int64)
    return oracle.numpy(out, x.dtype)


def torch_backward(rng, x, kernel_size, stride, padding):
    """An upstream gradient, torch's indices, and autograd's gradient for x."""
    F = oracle.torch().nn.functional
    xt = oracle.tensor(x, grad=True)
    out, idx = F.max_pool2d(xt, kernel_size, stride, padding, return_indices=True)
    g = values(rng, tuple(out.shape), x.dtype)
    (dx,) = oracle.grads(out, [xt], oracle.tensor(g))
    return g, oracle.numpy(idx, np.int64), oracle.numpy(dx, x.dtype)


def torch_pool1d(x, kernel_size, stride, padding):
    F = oracle.torch().nn.functional
    return oracle.numpy(F.max_pool1d(oracle.tensor(x), kernel_size, stride, padding), x.dtype)


def run_pool2d(check, x, kernel_size, stride, padding, show_shape=False, **extra):
    kwargs = {**options(stride, padding), **extra}
    check.close(lambda m: m.max_pool2d(x, kernel_size, **kwargs),
                torch_pool2d(x, kernel_size, stride, padding, **extra),
                call=shown("max_pool2d", "x", kernel_size, kwargs, x if show_shape else None), inputs={"x": x},
                names=("out", "indices") if extra.get("return_indices") else None)


def run_backward(check, rng, x, kernel_size, stride, padding, show_shape=False):
    g, idx, expected = torch_backward(rng, x, kernel_size, stride, padding)
    pooled = shown("max_pool2d", "x", kernel_size, {**options(stride, padding), "return_indices": True})
    check.close(lambda m: m.max_pool2d_backward(g, idx, x.shape), expected,
                call=f"max_pool2d_backward(grad_out, indices, {x.shape}) with indices from {pooled}"
                     + (f", grad_out.shape == {g.shape}" if show_shape else ""),
                inputs={"grad_out": g, "indices": idx})


def run_pool1d(check, x, kernel_size, stride, padding, show_shape=False):
    kwargs = options(stride, padding)
    check.close(lambda m: m.max_pool1d(x, kernel_size, **kwargs), torch_pool1d(x, kernel_size, stride, padding),
                call=shown("max_pool1d", "x", kernel_size, kwargs, x if show_shape else None), inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", FORWARD)
def test_max_pool2d_forward(check, rng, params, dtype):
    """Does max_pool2d match F.max_pool2d with its defaults (stride = kernel_size, no padding)?"""
    x_shape, kernel_size, stride, padding = params
    run_pool2d(check, values(rng, x_shape, dtype), kernel_size, stride, padding)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", STRIDE)
def test_max_pool2d_stride(check, rng, params, dtype):
    """Does max_pool2d step its window by the stride given, overlapping or leaving gaps, as F.max_pool2d?"""
    x_shape, kernel_size, stride, padding = params
    run_pool2d(check, values(rng, x_shape, dtype), kernel_size, stride, padding)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", PADDING)
def test_max_pool2d_padding(check, rng, params, dtype):
    """Does max_pool2d pad with -inf, so that a window of negative numbers at the border keeps its own maximum?"""
    x_shape, kernel_size, stride, padding = params
    run_pool2d(check, values(rng, x_shape, dtype, negative=True), kernel_size, stride, padding)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", INDICES)
def test_max_pool2d_indices(check, rng, params, dtype):
    """With return_indices=True, is each index torch's: row * W + col of the maximum in its own unpadded (n, c) plane?"""
    x_shape, kernel_size, stride, padding = params
    run_pool2d(check, values(rng, x_shape, dtype), kernel_size, stride, padding, return_indices=True)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", BACKWARD)
def test_max_pool2d_backward(check, rng, params, dtype):
    """Does max_pool2d_backward match autograd, adding up the gradients of an input that several windows chose?"""
    x_shape, kernel_size, stride, padding = params
    run_backward(check, rng, values(rng, x_shape, dtype), kernel_size, stride, padding)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("params", POOL1D)
def test_max_pool1d(check, rng, params, dtype):
    """Does max_pool1d match F.max_pool1d: stride = kernel_size by default, -inf padding, (C, L) inputs too?"""
    x_shape, kernel_size, stride, padding = params
    run_pool1d(check, values(rng, x_shape, dtype, negative=padding != 0), kernel_size, stride, padding)


BAD_POOL2D = [
    pytest.param((5, 6), 2, {}, "x is 2-D; max_pool2d takes (N, C, H, W) or (C, H, W)", id="x-2d"),
    pytest.param((1, 1, 2, 5, 6), 2, {}, "x is 5-D; max_pool2d takes (N, C, H, W) or (C, H, W)", id="x-5d"),
    pytest.param((1, 2, 6, 6), 3, {"padding": 2}, "padding 2 is more than half the kernel 3", id="padding-over-half"),
    pytest.param((1, 2, 6, 6), (2, 4), {"padding": (1, 3)}, "the width padding 3 is more than half the width kernel 4",
                 id="padding-(1,3)-over-half"),
    pytest.param((1, 2, 6, 6), 2, {"padding": -1}, "padding cannot be negative", id="padding-negative"),
    pytest.param((1, 2, 6, 6), 0, {}, "a kernel of size 0 covers nothing", id="kernel-0"),
    pytest.param((1, 2, 6, 6), 2, {"stride": 0}, "stride 0 never moves the window", id="stride-0"),
    pytest.param((1, 2, 6, 6), 2, {"stride": (1, 0)}, "the width stride is 0", id="stride-(1,0)"),
    pytest.param((1, 2, 3, 3), 4, {}, "a 4 x 4 kernel does not fit a 3 x 3 input", id="kernel-too-big"),
    pytest.param((1, 2, 2, 6), (3, 2), {}, "a kernel 3 high does not fit an input 2 high (its width fits)",
                 id="kernel-taller-than-H"),
    pytest.param((1, 2, 6, 2), (2, 3), {}, "a kernel 3 wide does not fit an input 2 wide (its height fits)",
                 id="kernel-wider-than-W"),
    pytest.param((1, 0, 4, 4), 2, {}, "x has no channels (C = 0)", id="x-empty-C"),
    pytest.param((0, 4, 4), 2, {}, "x is (C, H, W) with no channels (C = 0)", id="x-(C,H,W)-empty-C"),
    pytest.param((1, 2, 6, 6), (2, 2, 2), {}, "kernel_size has three entries", id="kernel-triple"),
]


@pytest.mark.parametrize("x_shape, kernel_size, kwargs, reason", BAD_POOL2D)
def test_max_pool2d_bad_input(check, rng, x_shape, kernel_size, kwargs, reason):
    """Does max_pool2d refuse, with ValueError, an input or a window setting F.max_pool2d refuses?"""
    x = values(rng, x_shape, np.float64)
    check.raises(lambda m: m.max_pool2d(x, kernel_size, **kwargs), call=shown("max_pool2d", "x", kernel_size, kwargs, x),
                 reason=reason, inputs={"x": x})


BAD_BACKWARD = [
    pytest.param((2, 3, 2, 3), (2, 3, 3, 2), (2, 3, 4, 6), "grad_out is (2, 3, 2, 3) but indices are (2, 3, 3, 2)",
                 id="grad-indices-differ"),
    pytest.param((2, 3, 2, 3), (2, 3, 2, 3), (4, 6), "input_shape (4, 6) is neither (N, C, H, W) nor (C, H, W)",
                 id="input-shape-2d"),
    pytest.param((2, 3, 2, 3), (2, 3, 2, 3), (3, 3, 4, 6), "grad_out has N = 2 but input_shape has N = 3",
                 id="input-shape-other-batch"),
    pytest.param((2, 3, 2, 3), "too-big", (2, 3, 4, 6), "an index is 24, outside the 4 * 6 = 24 cells of a plane",
                 id="index-out-of-range"),
]


@pytest.mark.parametrize("g_shape, idx_shape, input_shape, reason", BAD_BACKWARD)
def test_max_pool2d_backward_bad_input(check, rng, g_shape, idx_shape, input_shape, reason):
    """Does max_pool2d_backward refuse, with ValueError, indices or an input_shape that do not fit grad_out?"""
    g = values(rng, g_shape, np.float64)
    cells = input_shape[-1] * input_shape[-2]
    idx = rng.integers(0, cells, size=g_shape if idx_shape == "too-big" else idx_shape).astype(np.int64)
    if idx_shape == "too-big":
        idx.reshape(-1)[3] = cells  # one past the last cell of the plane
    check.raises(lambda m: m.max_pool2d_backward(g, idx, input_shape),
                 call=f"max_pool2d_backward(grad_out, indices, {input_shape}) with grad_out.shape == {g.shape}, "
                      f"indices.shape == {idx.shape}", reason=reason, inputs={"grad_out": g, "indices": idx})


BAD_POOL1D = [
    pytest.param((2, 3, 4, 6), 2, {}, "x is 4-D; max_pool1d takes (N, C, L) or (C, L)", id="x-4d"),
    pytest.param((6,), 2, {}, "x is 1-D; max_pool1d takes (N, C, L) or (C, L)", id="x-1d"),
    pytest.param((1, 2, 8), 3, {"padding": 2}, "padding 2 is more than half the kernel 3", id="padding-over-half"),
    pytest.param((1, 2, 8), (2, 2), {}, "kernel_size is a pair; max_pool1d takes one int", id="kernel-pair"),
    pytest.param((1, 2, 8), 2, {"stride": 0}, "stride 0 never moves the window", id="stride-0"),
]


@pytest.mark.parametrize("x_shape, kernel_size, kwargs, reason", BAD_POOL1D)
def test_max_pool1d_bad_input(check, rng, x_shape, kernel_size, kwargs, reason):
    """Does max_pool1d refuse, with ValueError, an input or a window setting F.max_pool1d refuses?"""
    x = values(rng, x_shape, np.float64)
    check.raises(lambda m: m.max_pool1d(x, kernel_size, **kwargs), call=shown("max_pool1d", "x", kernel_size, kwargs, x),
                 reason=reason, inputs={"x": x})


def random_window(rng, dims):
    """(kernel, stride or None, padding) for `dims` axes: kernel 1..4, stride None or 1..3, padding 0..kernel // 2."""
    kernel = tuple(int(k) for k in rng.integers(1, 5, size=dims))
    stride = None if rng.random() < 0.3 else tuple(int(s) for s in rng.integers(1, 4, size=dims))
    padding = tuple(int(rng.integers(0, k // 2 + 1)) for k in kernel)
    if dims == 1:
        return kernel[0], None if stride is None else stride[0], padding[0]
    # Half the time a single int for both axes, as most callers write it.
    if rng.random() < 0.5:
        kernel, padding = kernel[0], padding[0]
        stride = stride if stride is None else stride[0]
    return kernel, stride, padding


def random_shape(rng, kernel, padding, dims):
    """(N, C, *spatial) or without N, each spatial size at least kernel - 2 * padding so one window fits, at most 9."""
    kernel = (kernel,) * dims if isinstance(kernel, int) else kernel
    padding = (padding,) * dims if isinstance(padding, int) else padding
    spatial = tuple(int(rng.integers(max(1, k - 2 * p), 10)) for k, p in zip(kernel, padding))
    lead = tuple(int(n) for n in rng.integers(1, 4, size=2))  # N, C each 1..3
    return (lead if rng.random() < 0.75 else lead[1:]) + spatial


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_random_shapes(check, rng, dtype):
    """Do max_pool2d, max_pool2d_backward and max_pool1d match torch on shapes and windows drawn afresh each run?"""
    for _ in range(3):
        kernel, stride, padding = random_window(rng, 2)
        x = values(rng, random_shape(rng, kernel, padding, 2), dtype)
        run_pool2d(check, x, kernel, stride, padding, show_shape=True, return_indices=True)
        run_backward(check, rng, x, kernel, stride, padding, show_shape=True)
        kernel, stride, padding = random_window(rng, 1)
        x = values(rng, random_shape(rng, kernel, padding, 1), dtype)
        run_pool1d(check, x, kernel, stride, padding, show_shape=True)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_dtype(check, rng, dtype):
    """Are the results in the right dtype: out and gradients as the input (float32 in, float32 out), indices int64?"""
    x = values(rng, (2, 2, 5, 6), dtype)
    check.close(lambda m: m.max_pool2d(x, 2), torch_pool2d(x, 2, None, 0), call="max_pool2d(x, 2)",
                inputs={"x": x}, dtype=True)
    check.close(lambda m: m.max_pool2d(x, 3, 1, 1, True), torch_pool2d(x, 3, 1, 1, return_indices=True),
                call="max_pool2d(x, 3, 1, 1, True)", inputs={"x": x}, names=("out", "indices"), dtype=True)
    g, idx, expected = torch_backward(rng, x, 3, 1, 1)
    check.close(lambda m: m.max_pool2d_backward(g, idx, x.shape), expected,
                call=f"max_pool2d_backward(grad_out, indices, {x.shape})", inputs={"grad_out": g, "indices": idx},
                dtype=True)
    x1 = values(rng, (2, 3, 7), dtype)
    check.close(lambda m: m.max_pool1d(x1, 2), torch_pool1d(x1, 2, None, 0), call="max_pool1d(x, 2)",
                inputs={"x": x1}, dtype=True)
