"""Splitting a data set into a training and a test part, and serving it in (shuffled) mini-batches."""

import math

import numpy as np


def train_test_split(*arrays, test_size=0.25, shuffle=True, rng=None):
    """Split arrays that describe the same samples into a training part and a test part.

    Row i of every array belongs to sample i (features X and labels y, say), so every array is
    split with the SAME row selection: a sample's features and its label end up in the same
    part, side by side. The test part has

        n_test = ceil(test_size * n)   for a float test_size with 0 < test_size < 1
        n_test = test_size             for an int test_size with 1 <= test_size <= n - 1

    rows (n is the number of samples) and the training part the other n - n_test. With shuffle,
    the rows are first put in a random order drawn from `rng`; without it, the training part is
    the first n - n_test rows and the test part the last n_test, in their original order.

    Args:
        *arrays: one or more arrays with the same length n along axis 0 (any dtypes, any number of
            further axes). Not modified.
        test_size: the test part's size: a fraction of n (float) or a number of rows (int).
        shuffle: whether to shuffle the rows before splitting.
        rng: the np.random.Generator the shuffle is drawn from; if None, a fresh
            np.random.default_rng() is used.

    Returns:
        A list with two arrays per input, in the order a_train, a_test, b_train, b_test, ...;
        each keeps its input's dtype and trailing axes.

    Raises:
        ValueError: if no array is given, the arrays differ in length, test_size is neither a
            float in (0, 1) nor an int in [1, n - 1], or a float test_size leaves no training rows.

    Shapes:
        X: (n, *), y: (n, *) -> X_train: (n - n_test, *), X_test: (n_test, *), y_train, y_test alike

    PyTorch: none (torch.utils.data.random_split splits a data set by lengths);
        sklearn.model_selection.train_test_split(*arrays, test_size=test_size, shuffle=shuffle)
    """
    # TODO: n = _common_length(arrays); n_test from test_size (ceil of the fraction, or the int itself, each checked), one row order for all arrays (a permutation from rng, or 0..n-1), train = the first n - n_test positions of that order, test = the rest
    raise NotImplementedError("tensors.data_split: train_test_split")


class DataLoader:
    """Serve arrays that describe the same samples in mini-batches, in order or freshly shuffled each epoch.

    One pass over the loader (an epoch) yields ceil(n / batch_size) batches: full ones of
    batch_size rows and, when batch_size does not divide n, a last smaller one, which
    drop_last=True leaves out (the epoch then has n // batch_size batches). Each batch is a
    tuple with one array per input array, all holding the same rows. Without shuffle every
    epoch serves rows 0, 1, ..., n - 1 in order; with shuffle every epoch starts by drawing a
    NEW random order of the rows from `rng`, so two epochs differ and two loaders made with
    generators from the same seed serve the same batches.

    Args:
        arrays: a list or tuple of arrays with the same length n along axis 0 (features and labels,
            say). Not modified.
        batch_size: the number of rows per batch, at least 1.
        shuffle: whether every epoch serves the rows in a new random order.
        drop_last: whether to leave out the last batch when it has fewer than batch_size rows.
        rng: the np.random.Generator the orders are drawn from (used only with shuffle); if None,
            a fresh np.random.default_rng() made once, here.

    Raises:
        ValueError: if `arrays` is empty, the arrays differ in length, or batch_size < 1.

    Shapes:
        arrays: [(n, *), (n, *), ...] -> each batch: ((b, *), (b, *), ...), b = batch_size except
        perhaps in the last batch

    PyTorch: torch.utils.data.DataLoader(TensorDataset(*tensors), batch_size=batch_size,
        shuffle=shuffle, drop_last=drop_last)
    """

    def __init__(self, arrays, batch_size=1, shuffle=False, drop_last=False, rng=None):
        """Keep the arrays and the options; nothing is drawn yet.

        Raises:
            ValueError: if `arrays` is empty, the arrays differ in length, or batch_size < 1.
        """
        # TODO: self.n = _common_length(arrays); check batch_size >= 1, keep the arrays and options, and a generator when rng is None
        raise NotImplementedError("tensors.data_split: __init__")

    def __len__(self):
        """The number of batches in one epoch: n // batch_size with drop_last, else ceil(n / batch_size)."""
        # TODO: floor division with drop_last, ceiling division without
        raise NotImplementedError("tensors.data_split: __len__")

    def __iter__(self):
        """One epoch: yield len(self) batches, each a tuple with one array per input array."""
        # TODO: draw this epoch's order (a new permutation when shuffling, else 0..n-1), then yield the rows of each slice of batch_size positions from every array
        raise NotImplementedError("tensors.data_split: __iter__")


def _common_length(arrays):
    """The shared length of the arrays along axis 0."""
    if len(arrays) == 0:
        raise ValueError("at least one array is needed")
    if any(np.ndim(a) == 0 for a in arrays):
        raise ValueError("every array needs an axis 0 to split along; got a 0-d array")
    lengths = [np.shape(a)[0] for a in arrays]
    if len(set(lengths)) > 1:
        raise ValueError(f"the arrays must have the same length along axis 0, got {lengths}")
    return lengths[0]
