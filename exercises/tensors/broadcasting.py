"""Broadcasting by hand: the shape rule, expanding an array to a shape, and summing a gradient back down."""

import numpy as np


def broadcast_shapes(*shapes):
    """The shape that arrays of the given shapes take when they are combined elementwise.

    Shapes are lined up at their RIGHT ends; a shape with fewer dimensions counts as if
    it had extra leading 1s. In every position the sizes must be equal, or all but one
    of them must be 1: a size of 1 is stretched to the other size. Two sizes that differ
    and are both not 1 cannot be combined. (A size of 0 is an ordinary size: 1 stretches
    to 0, but 0 and 2 do not fit together.)

    Args:
        *shapes: any number of shapes, each a tuple of non-negative ints; () is the shape
            of a scalar.

    Returns:
        The broadcast shape, a tuple of Python ints.

    Raises:
        ValueError: if the shapes cannot be broadcast together.

    Shapes:
        (8, 1, 6, 1), (7, 1, 5) -> (8, 7, 6, 5)
        (3,), () -> (3,)

    PyTorch: torch.broadcast_shapes(*shapes)
    """
    # TODO: line the shapes up from the right; per position the sizes must be equal or 1
    raise NotImplementedError("tensors.broadcasting: broadcast_shapes")


def broadcast_to(x, shape):
    """Expand `x` to `shape` by repeating it along the dimensions where it has size 1.

    `x` may gain leading dimensions, and any size-1 dimension of `x` may be stretched;
    every other size must already equal the target's. The target never shrinks `x`.

    Args:
        x: an array of any dtype.
        shape: the target shape, a tuple of non-negative ints with at least `x.ndim` entries.

    Returns:
        An array of shape `shape` and the dtype of `x`, whose entries repeat those of `x`.

    Raises:
        ValueError: if `x` cannot be broadcast to `shape` (too few target dimensions, or a
            size of `x` that is neither 1 nor the target's).

    Shapes:
        x: (3,) -> (2, 3);  x: (3, 1) -> (2, 3, 4);  x: () -> (2, 2)

    PyTorch: torch.broadcast_to(x, shape)
    """
    # TODO: check that x fits `shape`, add leading 1s, then repeat along each stretched dimension
    raise NotImplementedError("tensors.broadcasting: broadcast_to")


def unbroadcast(grad, shape):
    """Sum a gradient back down to `shape`, the shape of an input that was broadcast.

    If y = broadcast_to(a, grad.shape) was used in the forward pass, every entry of `a`
    was copied to several places of y, so dL/da adds up dL/dy over all those copies:
    sum over the leading dimensions `a` did not have, then over the dimensions where
    `a` had size 1 (keeping them, with size 1).

    Args:
        grad: dL/dy, the gradient with the broadcast shape.
        shape: the shape of the input before broadcasting; it must broadcast to grad.shape.

    Returns:
        dL/da, an array of shape `shape` and the dtype of `grad`.

    Raises:
        ValueError: if `shape` cannot be broadcast to grad.shape.

    Shapes:
        grad: (2, 3, 4), shape (3, 1) -> (3, 1);  grad: (5, 4), shape () -> ()

    PyTorch: the gradient of (a + b) with respect to a, for a of shape `shape` and
        b of shape grad.shape: torch.autograd.grad(a + b, a, grad)
    """
    # TODO: sum away the extra leading dimensions, then sum (keepdims) where `shape` has a 1
    raise NotImplementedError("tensors.broadcasting: unbroadcast")
