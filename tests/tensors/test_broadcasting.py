"""tensors.broadcasting: broadcast_shapes, broadcast_to and unbroadcast against PyTorch."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]

# Shapes that broadcast. Each case separates the rule from a classic wrong one:
# (1, 1) with (5,) gives (1, 5), where lining shapes up from the left would give (5, 1);
# (2, 1, 3) with (0, 1) gives (2, 0, 3), where taking the larger size would give (2, 1, 3).
SHAPE_CASES = {
    "equal": [(4, 3), (4, 3)],
    "batch1-equal": [(1, 5), (1, 5)],
    "trailing-ones": [(3, 1), (1, 4)],
    "vector-to-square": [(1, 1), (5,)],
    "leading-added": [(2, 3, 4), (4,)],
    "numpy-docs": [(8, 1, 6, 1), (7, 1, 5)],
    "scalar-first": [(), (2, 3)],
    "scalar-second": [(5, 1), ()],
    "single": [(2, 3)],
    "three-shapes": [(6, 1, 1), (1, 5, 1), (4,)],
    "four-shapes": [(1,), (3, 1), (2, 1, 1), (1, 1, 1, 7)],
    "zero-size": [(2, 1, 3), (0, 1)],
    "zero-from-one": [(1,), (0,)],
}

BAD_SHAPES = {
    "3-vs-4": ([(3,), (4,)], "3 and 4 meet in the last dimension"),
    "rows-differ": ([(2, 3), (4, 3)], "2 and 4 meet in the first dimension"),
    "left-aligned-would-fit": ([(2, 1), (2, 3, 4)], "lined up from the right, 2 meets 3"),
    "zero-vs-two": ([(0,), (2,)], "0 and 2 differ and neither is 1"),
    "third-shape": ([(1, 3), (2, 1), (4, 1)], "(1, 3) and (2, 1) give (2, 3), then 2 and 4 meet"),
}

# (shape of x, target shape)
TO_CASES = {
    "same": ((2, 3), (2, 3)),
    "batch1": ((1, 4), (1, 4)),
    "rows": ((3,), (2, 3)),
    "vector-to-square": ((2,), (2, 2)),
    "column": ((3, 1), (3, 4)),
    "one-to-many": ((1,), (5,)),
    "scalar": ((), (2, 3)),
    "middle-and-leading": ((2, 1, 3), (4, 2, 5, 3)),
    "zero-size": ((1, 3), (0, 3)),
}

BAD_TO = {
    "3-to-4": ((3,), (4,), "size 3 is neither 1 nor 4"),
    "fewer-dims": ((2, 3), (3,), "the target has fewer dimensions than x"),
    "shrink": ((2, 3), (1, 3), "size 2 cannot shrink to 1"),
    "left-aligned-would-fit": ((2, 1), (2, 3, 1), "from the right, 2 meets 3"),
}

# (grad shape, shape to sum down to)
UN_CASES = {
    "same": ((4, 5), (4, 5)),
    "leading-and-ones": ((2, 3, 4), (3, 1)),
    "middle-one": ((2, 3, 4), (2, 1, 4)),
    "leading-only": ((2, 3, 4), (3, 4)),
    "vector-of-square": ((2, 2), (2,)),
    "batch1-leading": ((1, 5), (5,)),
    "row": ((5, 4), (1, 4)),
    "all-ones": ((2, 3, 4), (1, 1, 1)),
    "grad-has-ones": ((6, 1, 3), (1, 3)),
    "to-scalar": ((3, 4), ()),
}

BAD_UN = {
    "4-into-3": ((2, 3), (4,), "(4,) cannot broadcast to (2, 3): 4 meets 3"),
    "more-dims": ((3,), (2, 3), "shape has more dimensions than grad"),
    "broadcasts-both-ways": ((2, 1), (3,), "(3,) with (2, 1) gives (2, 3), not grad's shape (2, 1)"),
}


def shapes_call(shapes) -> str:
    return "broadcast_shapes(" + ", ".join(map(repr, shapes)) + ")"


def torch_shapes(shapes) -> tuple:
    return tuple(int(n) for n in oracle.torch().broadcast_shapes(*shapes))


def torch_broadcast_to(x, shape):
    return oracle.numpy(oracle.torch().broadcast_to(oracle.tensor(x), shape), x.dtype)


def torch_unbroadcast(g, shape):
    """d(a + b)/da weighted by g, for a of `shape` and b of g's shape."""
    a = oracle.tensor(np.zeros(shape), grad=True)
    b = oracle.tensor(np.zeros(g.shape))
    (da,) = oracle.grads(a + b, [a], oracle.tensor(g))
    return oracle.numpy(da, g.dtype)


def sample(rng, shape, dtype):
    if np.dtype(dtype).kind == "i":
        return rng.integers(-9, 10, size=shape).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


@pytest.mark.parametrize("name", SHAPE_CASES)
def test_broadcast_shapes(check, name):
    """Does broadcast_shapes give the same shape as torch.broadcast_shapes?"""
    shapes = SHAPE_CASES[name]
    check.close(lambda m: m.broadcast_shapes(*shapes), torch_shapes(shapes),
                call=shapes_call(shapes), names="broadcast shape")


def test_broadcast_shapes_returns_tuple(check):
    """Does broadcast_shapes return a tuple (not a list or an array)?"""
    shapes = [(3, 1), (4,)]
    check.close(lambda m: isinstance(m.broadcast_shapes(*shapes), tuple), True,
                call=f"isinstance({shapes_call(shapes)}, tuple)", names="is a tuple")


@pytest.mark.parametrize("name", BAD_SHAPES)
def test_broadcast_shapes_incompatible(check, name):
    """Does broadcast_shapes refuse shapes that cannot be broadcast together with ValueError?"""
    shapes, reason = BAD_SHAPES[name]
    check.raises(lambda m: m.broadcast_shapes(*shapes), call=shapes_call(shapes), reason=reason)


@pytest.mark.parametrize("dtype", DTYPES + [np.int64], ids=["float64", "float32", "int64"])
@pytest.mark.parametrize("name", TO_CASES)
def test_broadcast_to(check, rng, name, dtype):
    """Does broadcast_to give the same array as torch.broadcast_to?"""
    x_shape, shape = TO_CASES[name]
    x = sample(rng, x_shape, dtype)
    check.close(lambda m: m.broadcast_to(x, shape), torch_broadcast_to(x, shape),
                call=f"broadcast_to(x, {shape!r})", inputs={"x": x})


@pytest.mark.parametrize("name", BAD_TO)
def test_broadcast_to_incompatible(check, rng, name):
    """Does broadcast_to refuse a target shape that x cannot be broadcast to with ValueError?"""
    x_shape, shape, reason = BAD_TO[name]
    x = sample(rng, x_shape, np.float64)
    check.raises(lambda m: m.broadcast_to(x, shape), call=f"broadcast_to(x, {shape!r})",
                 reason=f"x has shape {x_shape}; {reason}", inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("name", UN_CASES)
def test_unbroadcast(check, rng, name, dtype):
    """Does unbroadcast sum the gradient down to `shape` exactly as autograd of a broadcast add does?"""
    grad_shape, shape = UN_CASES[name]
    g = sample(rng, grad_shape, dtype)
    check.close(lambda m: m.unbroadcast(g, shape), torch_unbroadcast(g, shape),
                call=f"unbroadcast(grad, {shape!r})", inputs={"grad": g})


@pytest.mark.parametrize("name", BAD_UN)
def test_unbroadcast_incompatible(check, rng, name):
    """Does unbroadcast refuse a shape that cannot be broadcast to grad.shape with ValueError?"""
    grad_shape, shape, reason = BAD_UN[name]
    g = sample(rng, grad_shape, np.float64)
    check.raises(lambda m: m.unbroadcast(g, shape), call=f"unbroadcast(grad, {shape!r})",
                 reason=reason, inputs={"grad": g})


def random_shape(rng, ndim) -> tuple:
    """`ndim` sizes from 1 to 6, as Python ints."""
    return tuple(int(n) for n in rng.integers(1, 7, size=ndim))


def fitting_shape(rng, target) -> tuple:
    """A shape that broadcasts to `target`: some leading dimensions dropped, some sizes set to 1."""
    kept = target[len(target) - int(rng.integers(0, len(target) + 1)):]
    return tuple(1 if rng.random() < 0.5 else n for n in kept)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """Do broadcast_shapes, broadcast_to and unbroadcast match PyTorch on shapes drawn afresh each run?"""
    for _ in range(4):
        target = random_shape(rng, int(rng.integers(0, 5)))  # (d1, ..., dk), k in 0..4, each d in 1..6
        shapes = [fitting_shape(rng, target) for _ in range(int(rng.integers(1, 4)))]  # 1 to 3 shapes
        check.close(lambda m: m.broadcast_shapes(*shapes), torch_shapes(shapes),
                    call=shapes_call(shapes), names="broadcast shape")
        x = sample(rng, shapes[0], dtype)  # shapes[0], which fits target
        check.close(lambda m: m.broadcast_to(x, target), torch_broadcast_to(x, target),
                    call=f"broadcast_to(x, {target!r}) with x.shape == {shapes[0]!r}", inputs={"x": x})
        g = sample(rng, target, dtype)  # target
        check.close(lambda m: m.unbroadcast(g, shapes[0]), torch_unbroadcast(g, shapes[0]),
                    call=f"unbroadcast(grad, {shapes[0]!r}) with grad.shape == {target!r}", inputs={"grad": g})


@pytest.mark.parametrize("dtype", DTYPES + [np.int64], ids=["float64", "float32", "int64"])
def test_dtype(check, rng, dtype):
    """Are broadcast_to and unbroadcast right in the dtype of their input (float32 in, float32 out; int64 stays int64)?"""
    x = sample(rng, (3, 1), dtype)
    check.close(lambda m: m.broadcast_to(x, (2, 3, 4)), torch_broadcast_to(x, (2, 3, 4)),
                call="broadcast_to(x, (2, 3, 4))", inputs={"x": x}, dtype=True)
    if np.dtype(dtype).kind != "f":
        return  # gradients are real: unbroadcast's rule is for float32 and float64
    g = sample(rng, (2, 3, 4), dtype)
    check.close(lambda m: m.unbroadcast(g, (3, 1)), torch_unbroadcast(g.astype(np.float64), (3, 1)).astype(dtype),
                call="unbroadcast(grad, (3, 1))", inputs={"grad": g}, dtype=True)
