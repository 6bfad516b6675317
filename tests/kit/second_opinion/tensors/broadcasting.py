import itertools
import numpy as np
from numpy.lib.stride_tricks import as_strided


def broadcast_shapes(*shapes):
    out = []
    for sizes in itertools.zip_longest(*[tuple(s)[::-1] for s in shapes], fillvalue=1):
        others = {n for n in sizes if n != 1}
        if len(others) > 1:
            raise ValueError(f"shapes {shapes} do not fit")
        out.append(others.pop() if others else 1)
    return tuple(out[::-1])


def broadcast_to(x, shape):
    x = np.asarray(x)
    shape = tuple(shape)
    if len(shape) < x.ndim:
        raise ValueError("shape has fewer dims than x")
    lead = len(shape) - x.ndim
    strides = [0] * lead
    for i, n in enumerate(x.shape):
        if n == shape[lead + i]:
            strides.append(x.strides[i])
        elif n == 1:
            strides.append(0)
        else:
            raise ValueError("x does not fit shape")
    return as_strided(x, shape=shape, strides=strides, writeable=False)


def unbroadcast(grad, shape):
    g = np.array(grad, dtype=np.float64)
    shape = tuple(shape)
    if len(shape) > g.ndim:
        raise ValueError("shape too long")
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for i, n in enumerate(shape):
        if n == 1:
            g = g.sum(axis=i, keepdims=True)
        elif n != g.shape[i]:
            raise ValueError("shape does not fit grad")
    return g.astype(np.asarray(grad).dtype)
