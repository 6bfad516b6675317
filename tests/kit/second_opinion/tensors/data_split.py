"""train_test_split and DataLoader written from the docstrings (independent implementation).

The split shuffles as scikit-learn does (the test rows are the FIRST n_test of the permutation,
the training rows the rest) and indexes with np.take; the loader precomputes each epoch's list of
index slices with np.array_split and returns a list iterator instead of being a generator.
"""

import math
import numbers

import numpy as np


def _length(arrays):
    if not arrays:
        raise ValueError("no arrays given")
    sizes = [np.asarray(a).shape[0] for a in arrays]
    if min(sizes) != max(sizes):
        raise ValueError(f"inconsistent numbers of samples: {sizes}")
    return sizes[0]


def train_test_split(*arrays, test_size=0.25, shuffle=True, rng=None):
    n = _length(arrays)
    if isinstance(test_size, numbers.Integral) and not isinstance(test_size, bool):
        if test_size < 1 or test_size > n - 1:
            raise ValueError(f"test_size={test_size} must be in [1, {n - 1}]")
        n_test = int(test_size)
    elif isinstance(test_size, numbers.Real) and 0.0 < test_size < 1.0:
        n_test = math.ceil(test_size * n)
        if n - n_test < 1:
            raise ValueError("the training part would be empty")
    else:
        raise ValueError(f"test_size={test_size!r} is neither a fraction in (0, 1) nor a count")
    if shuffle:
        perm = (rng if rng is not None else np.random.default_rng()).permutation(n)
        test_rows, train_rows = perm[:n_test], perm[n_test:]
    else:
        train_rows, test_rows = np.arange(n - n_test), np.arange(n - n_test, n)
    out = []
    for a in arrays:
        a = np.asarray(a)
        out.append(np.take(a, train_rows, axis=0))
        out.append(np.take(a, test_rows, axis=0))
    return out


class DataLoader:
    def __init__(self, arrays, batch_size=1, shuffle=False, drop_last=False, rng=None):
        self._n = _length(arrays)
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        self._arrays = [np.asarray(a) for a in arrays]
        self._bs, self._shuffle, self._drop = int(batch_size), bool(shuffle), bool(drop_last)
        self._rng = rng if rng is not None else np.random.default_rng()

    def __len__(self):
        full, rest = divmod(self._n, self._bs)
        return full + (1 if rest and not self._drop else 0)

    def __iter__(self):
        idx = self._rng.permutation(self._n) if self._shuffle else np.arange(self._n)
        cuts = list(range(self._bs, self._n, self._bs))
        pieces = np.array_split(idx, cuts)
        if self._drop and len(pieces[-1]) < self._bs:
            pieces = pieces[:-1]
        return iter([tuple(np.take(a, p, axis=0) for a in self._arrays) for p in pieces])
