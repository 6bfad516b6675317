"""Shapes and strides (independent implementation).

Sizes are checked with divmod, strides come from a running product over the reversed shape,
flatten goes through ravel(), and transpose / permute move axes with einsum subscripts.
"""

import operator
import string

import numpy as np


def _dim(d, n, what):
    d = operator.index(d)
    if d < -n or d >= n:
        raise ValueError(f"{what}={d} is not a dimension of a {n}-d array")
    return d % n


def infer_shape(shape, numel):
    numel = operator.index(numel)
    shape = [operator.index(s) for s in shape]
    if numel < 0:
        raise ValueError("numel is negative")
    holes = [i for i, s in enumerate(shape) if s == -1]
    if len(holes) > 1 or any(s < -1 for s in shape):
        raise ValueError(f"bad shape {shape}")
    known = int(np.prod([s for s in shape if s != -1], dtype=np.int64))
    if not holes:
        if known != numel:
            raise ValueError(f"shape {shape} does not hold {numel} elements")
        return tuple(shape)
    if known == 0:
        raise ValueError(f"shape {shape}: the -1 is ambiguous next to a 0")
    q, r = divmod(numel, known)
    if r:
        raise ValueError(f"{numel} is not a multiple of {known}")
    shape[holes[0]] = q
    return tuple(int(s) for s in shape)


def contiguous_strides(shape):
    shape = [operator.index(s) for s in shape]
    if min(shape, default=0) < 0:
        raise ValueError(f"negative size in {shape}")
    out, step = [], 1
    for s in reversed(shape):
        out.append(step)
        step *= s if s > 0 else 1
    return tuple(reversed(out))


def flatten(x, start_dim=0, end_dim=-1):
    x = np.asarray(x)
    n = x.ndim if x.ndim else 1
    s, e = _dim(start_dim, n, "start_dim"), _dim(end_dim, n, "end_dim")
    if s > e:
        raise ValueError("start_dim must not come after end_dim")
    if x.ndim == 0:
        return x.ravel()
    shape = list(x.shape)
    shape[s:e + 1] = [int(np.prod(shape[s:e + 1], dtype=np.int64))]
    return x.ravel().reshape(shape)


def _einsum_move(x, order):
    letters = string.ascii_letters[:x.ndim]
    return np.einsum(f"{letters}->{''.join(letters[i] for i in order)}", x).copy()


def transpose(x, dim0, dim1):
    x = np.asarray(x)
    n = x.ndim if x.ndim else 1
    i, j = _dim(dim0, n, "dim0"), _dim(dim1, n, "dim1")
    if x.ndim == 0:
        return x.copy()
    order = list(range(x.ndim))
    order[i], order[j] = j, i
    return _einsum_move(x, order)


def permute(x, dims):
    x = np.asarray(x)
    dims = list(dims)
    if len(dims) != x.ndim:
        raise ValueError("dims must name every dimension once")
    order = [_dim(d, x.ndim, "dims") for d in dims]
    if sorted(order) != list(range(x.ndim)):
        raise ValueError(f"dims {dims} is not a permutation")
    return _einsum_move(x, order) if x.ndim else x.copy()
