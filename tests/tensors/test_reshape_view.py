"""tensors.reshape_view: infer_shape, contiguous_strides, flatten, transpose and permute against PyTorch."""

import math

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
LAYOUT_DTYPES = DTYPES + [np.int64]  # flatten, transpose and permute move elements, whatever they are
LAYOUT_IDS = ["float64", "float32", "int64"]

# (shape, numel) that torch's view accepts. (5, -1) with 5 elements gives (5, 1); (-1,) with 0
# elements gives (0,) and (2, -1) gives (2, 0): a -1 is fine with numel 0 as long as no other size is 0.
INFER_CASES = {
    "no-minus-one": ((2, 3), 6),
    "middle": ((2, -1, 4), 24),
    "first": ((-1, 3), 12),
    "becomes-one": ((5, -1), 5),
    "only-minus-one": ((-1,), 7),
    "ones-around": ((1, -1, 1), 3),
    "zero-elements": ((-1,), 0),
    "zero-elements-known": ((2, -1), 0),
    "zero-size-no-minus-one": ((2, 0, 3), 0),
    "scalar": ((), 1),
}

BAD_INFER = {
    "not-divisible": (((4, -1), 10), "10 elements cannot be split into rows of 4"),
    "two-minus-ones": (((-1, -1), 4), "only one size can be inferred"),
    "negative-size": (((2, -2), 4), "-2 is a negative size other than -1"),
    "count-differs": (((3, 2), 5), "(3, 2) holds 6 elements, not 5"),
    "zero-and-minus-one": (((0, -1), 0), "with a 0 among the other sizes the -1 could be any size (torch refuses it)"),
    "zero-later": (((-1, 3, 0), 0), "with a 0 among the other sizes the -1 could be any size (torch refuses it)"),
    "scalar-of-nothing": (((), 0), "the shape () holds 1 element, not 0"),
    "negative-numel": (((-1,), -1), "numel cannot be negative"),
}

# Non-square, batch of one, ones in the middle, and zeros (a 0 counts as 1 in the stride product, as torch).
STRIDE_SHAPES = {
    "2x3x4": (2, 3, 4), "4x5": (4, 5), "vector": (5,), "scalar": (), "batch1": (1, 5),
    "one-inside": (3, 1, 2), "zero-inside": (2, 0, 3), "zero-first": (0, 4), "4d": (2, 3, 4, 5),
}

# (x shape, start_dim, end_dim); None leaves the argument out so its default is used.
FLATTEN_CASES = {
    "default": ((2, 3, 4), None, None),
    "start-only": ((2, 3, 4), 1, None),
    "end-only": ((2, 3, 4), None, -2),
    "first-two": ((2, 3, 4), 0, 1),
    "negative": ((2, 3, 4), -2, -1),
    "negative-first-two": ((2, 3, 4), -3, -2),
    "start-equals-end": ((2, 3, 4), 1, 1),
    "middle-of-4d": ((2, 3, 4, 5), 1, 2),
    "batch1": ((1, 5), None, None),
    "vector": ((6,), None, None),
    "scalar": ((), None, None),
    "scalar-dims": ((), 0, -1),
    "zero-size": ((2, 0, 3), 1, 2),
}

BAD_FLATTEN = {
    "start-after-end": ((2, 3, 4), 1, 0, "start_dim 1 comes after end_dim 0"),
    "negative-start-after-end": ((2, 3, 4), -1, -2, "start_dim -1 (dim 2) comes after end_dim -2 (dim 1)"),
    "end-out-of-range": ((2, 3, 4), 0, 3, "x has 3 dimensions: 0 to 2, or -3 to -1"),
    "start-out-of-range": ((2, 3, 4), -4, -1, "x has 3 dimensions: 0 to 2, or -3 to -1"),
    "scalar-dim-one": ((), 0, 1, "a 0-d x accepts only 0 and -1"),
}

# (x shape, dim0, dim1)
TRANSPOSE_CASES = {
    "first-two": ((2, 3, 4), 0, 1),
    "first-last": ((2, 3, 4), 0, 2),
    "negative": ((2, 3, 4), 0, -1),
    "both-negative": ((2, 3, 4), -1, -3),
    "same-dim": ((2, 3, 4), 1, 1),
    "matrix": ((3, 5), 0, 1),
    "batch1": ((1, 5), 1, 0),
    "4d": ((2, 3, 4, 5), 1, 3),
    "scalar": ((), 0, -1),
}

BAD_TRANSPOSE = {
    "dim1-out-of-range": ((2, 3, 4), 0, 3, "x has 3 dimensions: 0 to 2, or -3 to -1"),
    "dim0-out-of-range": ((2, 3, 4), -4, 0, "x has 3 dimensions: 0 to 2, or -3 to -1"),
    "scalar": ((), 0, 1, "a 0-d x accepts only 0 and -1"),
}

# (x shape, dims). (2, 0, 1) and its inverse (1, 2, 0) give different shapes on (2, 3, 4).
PERMUTE_CASES = {
    "rotate": ((2, 3, 4), (2, 0, 1)),
    "rotate-other-way": ((2, 3, 4), (1, 2, 0)),
    "identity": ((2, 3, 4), (0, 1, 2)),
    "negative": ((2, 3, 4), (-1, 0, 1)),
    "mixed-signs": ((2, 3, 4), (2, -3, 1)),
    "list": ((2, 3, 4), [1, 0, 2]),
    "matrix": ((3, 5), (1, 0)),
    "batch1": ((1, 5, 3), (2, 0, 1)),
    "4d": ((2, 3, 4, 5), (0, 2, 3, 1)),
    "scalar": ((), ()),
}

BAD_PERMUTE = {
    "repeated": ((2, 3, 4), (0, 0, 1), "dimension 0 appears twice"),
    "repeated-after-wrap": ((2, 3, 4), (0, -3, 1), "-3 is dimension 0, which appears twice"),
    "too-short": ((2, 3, 4), (0, 1), "x has 3 dimensions, dims has 2 entries"),
    "too-long": ((2, 3, 4), (0, 1, 2, 3), "x has 3 dimensions, dims has 4 entries"),
    "out-of-range": ((2, 3, 4), (0, 1, 3), "x has no dimension 3"),
    "scalar-with-dim": ((), (0,), "a 0-d x takes dims ()"),
}


def sample(rng, shape, dtype):
    if np.dtype(dtype).kind == "i":
        return rng.integers(-9, 10, size=shape).astype(dtype)
    return np.asarray(rng.standard_normal(shape), dtype=dtype)


def torch_infer(shape, numel) -> tuple:
    return tuple(int(n) for n in oracle.torch().empty(numel).view(shape).shape)


def torch_strides(shape) -> tuple:
    return tuple(int(n) for n in oracle.torch().empty(shape).stride())


def torch_flatten(x, start, end):
    return oracle.numpy(oracle.torch().flatten(oracle.tensor(x), 0 if start is None else start,
                                               -1 if end is None else end), x.dtype)


def torch_transpose(x, dim0, dim1):
    return oracle.numpy(oracle.torch().transpose(oracle.tensor(x), dim0, dim1), x.dtype)


def torch_permute(x, dims):
    return oracle.numpy(oracle.tensor(x).permute(tuple(dims)), x.dtype)


def run_flatten(m, x, start, end):
    """flatten(x) with only the arguments that are not None, given by name."""
    kw = {k: v for k, v in (("start_dim", start), ("end_dim", end)) if v is not None}
    return m.flatten(x, **kw)


def flatten_call(start, end) -> str:
    args = [f"{k}={v}" for k, v in (("start_dim", start), ("end_dim", end)) if v is not None]
    return "flatten(" + ", ".join(["x"] + args) + ")"


@pytest.mark.parametrize("name", INFER_CASES)
def test_infer_shape(check, name):
    """Does infer_shape fill in the -1 (and accept a full shape) exactly as torch's view does?"""
    shape, numel = INFER_CASES[name]
    check.close(lambda m: m.infer_shape(shape, numel), torch_infer(shape, numel),
                call=f"infer_shape({shape!r}, {numel})", names="shape")


@pytest.mark.parametrize("name", BAD_INFER)
def test_infer_shape_refused(check, name):
    """Does infer_shape refuse, with ValueError, every shape torch's view refuses for this many elements?"""
    (shape, numel), reason = BAD_INFER[name]
    check.raises(lambda m: m.infer_shape(shape, numel), call=f"infer_shape({shape!r}, {numel})", reason=reason)


@pytest.mark.parametrize("name", STRIDE_SHAPES)
def test_contiguous_strides(check, name):
    """Does contiguous_strides give torch.empty(shape).stride(), counted in elements, in C order?"""
    shape = STRIDE_SHAPES[name]
    check.close(lambda m: m.contiguous_strides(shape), torch_strides(shape),
                call=f"contiguous_strides({shape!r})", names="strides")


def int_tuple(result) -> tuple:
    return isinstance(result, tuple), isinstance(result, (tuple, list)) and all(type(n) is int for n in result)


@pytest.mark.parametrize("fn", ["infer_shape", "contiguous_strides"])
def test_int_tuples(check, fn):
    """Do infer_shape and contiguous_strides return tuples of Python ints (not lists, floats or NumPy ints)?"""
    shape, args = ((2, -1, 4), "(2, -1, 4), 24") if fn == "infer_shape" else ((2, 3, 4), "(2, 3, 4)")
    run = (lambda m: m.infer_shape(shape, 24)) if fn == "infer_shape" else (lambda m: m.contiguous_strides(shape))
    check.close(lambda m: int_tuple(run(m)), (True, True), call=f"{fn}({args})",
                names=("is a tuple", "every entry is a Python int"))


@pytest.mark.parametrize("dtype", LAYOUT_DTYPES, ids=LAYOUT_IDS)
@pytest.mark.parametrize("name", FLATTEN_CASES)
def test_flatten(check, rng, name, dtype):
    """Does flatten merge start_dim..end_dim (end_dim included) exactly as torch.flatten does?"""
    shape, start, end = FLATTEN_CASES[name]
    x = sample(rng, shape, dtype)
    check.close(lambda m: run_flatten(m, x, start, end), torch_flatten(x, start, end),
                call=f"{flatten_call(start, end)} with x.shape == {shape}", inputs={"x": x})


@pytest.mark.parametrize("name", BAD_FLATTEN)
def test_flatten_refused(check, rng, name):
    """Does flatten refuse, with ValueError, dims that are out of range or in the wrong order?"""
    shape, start, end, reason = BAD_FLATTEN[name]
    x = sample(rng, shape, np.float64)
    check.raises(lambda m: m.flatten(x, start, end), call=f"flatten(x, {start}, {end}) with x.shape == {shape}",
                 reason=reason, inputs={"x": x})


@pytest.mark.parametrize("dtype", LAYOUT_DTYPES, ids=LAYOUT_IDS)
@pytest.mark.parametrize("name", TRANSPOSE_CASES)
def test_transpose(check, rng, name, dtype):
    """Does transpose swap the two dims (negative ones counted from the end) as torch.transpose does?"""
    shape, dim0, dim1 = TRANSPOSE_CASES[name]
    x = sample(rng, shape, dtype)
    check.close(lambda m: m.transpose(x, dim0, dim1), torch_transpose(x, dim0, dim1),
                call=f"transpose(x, {dim0}, {dim1}) with x.shape == {shape}", inputs={"x": x})


@pytest.mark.parametrize("name", BAD_TRANSPOSE)
def test_transpose_refused(check, rng, name):
    """Does transpose refuse, with ValueError, a dim that x does not have?"""
    shape, dim0, dim1, reason = BAD_TRANSPOSE[name]
    x = sample(rng, shape, np.float64)
    check.raises(lambda m: m.transpose(x, dim0, dim1), call=f"transpose(x, {dim0}, {dim1}) with x.shape == {shape}",
                 reason=reason, inputs={"x": x})


@pytest.mark.parametrize("dtype", LAYOUT_DTYPES, ids=LAYOUT_IDS)
@pytest.mark.parametrize("name", PERMUTE_CASES)
def test_permute(check, rng, name, dtype):
    """Does permute put dimension dims[i] of x at position i, as Tensor.permute does?"""
    shape, dims = PERMUTE_CASES[name]
    x = sample(rng, shape, dtype)
    check.close(lambda m: m.permute(x, dims), torch_permute(x, dims),
                call=f"permute(x, {dims!r}) with x.shape == {shape}", inputs={"x": x})


@pytest.mark.parametrize("name", BAD_PERMUTE)
def test_permute_refused(check, rng, name):
    """Does permute refuse, with ValueError, dims that are not a permutation of x's dimensions?"""
    shape, dims, reason = BAD_PERMUTE[name]
    x = sample(rng, shape, np.float64)
    check.raises(lambda m: m.permute(x, dims), call=f"permute(x, {dims!r}) with x.shape == {shape}",
                 reason=reason, inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Are flatten, transpose and permute right in the dtype of x (float32 in, float32 out)?"""
    x = sample(rng, (2, 3, 4), dtype)
    check.close(lambda m: m.flatten(x), torch_flatten(x, None, None), call="flatten(x)", inputs={"x": x}, dtype=True)
    check.close(lambda m: m.transpose(x, 0, 2), torch_transpose(x, 0, 2), call="transpose(x, 0, 2)",
                inputs={"x": x}, dtype=True)
    check.close(lambda m: m.permute(x, (1, 2, 0)), torch_permute(x, (1, 2, 0)), call="permute(x, (1, 2, 0))",
                inputs={"x": x}, dtype=True)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """Do all five functions match PyTorch on shapes, dims and permutations drawn afresh each run?"""
    for _ in range(4):
        ndim = int(rng.integers(1, 5))
        shape = tuple(int(n) for n in rng.integers(1, 6, size=ndim))  # (d1, ..., dk), k in 1..4, each d in 1..5
        shown = f"with x.shape == {shape}"
        view = list(shape)
        view[int(rng.integers(ndim))] = -1  # one size left for infer_shape to fill in
        view, numel = tuple(view), math.prod(shape)
        check.close(lambda m: m.infer_shape(view, numel), torch_infer(view, numel),
                    call=f"infer_shape({view!r}, {numel})", names="shape")
        check.close(lambda m: m.contiguous_strides(shape), torch_strides(shape),
                    call=f"contiguous_strides({shape!r})", names="strides")
        x = sample(rng, shape, dtype)  # shape
        start = int(rng.integers(ndim))
        end = int(rng.integers(start, ndim)) - ndim * int(rng.integers(2))  # start <= end, maybe written negative
        check.close(lambda m: m.flatten(x, start, end), torch_flatten(x, start, end),
                    call=f"flatten(x, {start}, {end}) {shown}", inputs={"x": x})
        dim0, dim1 = (int(d) - ndim * int(rng.integers(2)) for d in rng.integers(ndim, size=2))
        check.close(lambda m: m.transpose(x, dim0, dim1), torch_transpose(x, dim0, dim1),
                    call=f"transpose(x, {dim0}, {dim1}) {shown}", inputs={"x": x})
        dims = tuple(int(d) - ndim * int(rng.integers(2)) for d in rng.permutation(ndim))
        check.close(lambda m: m.permute(x, dims), torch_permute(x, dims),
                    call=f"permute(x, {dims!r}) {shown}", inputs={"x": x})
