"""tensors.data_split: train_test_split and DataLoader, against torch.utils.data and by their properties.

Without shuffling, sizes and batches are compared with torch (torch.split for the two parts,
len() and the batches of torch.utils.data.DataLoader over a TensorDataset). Shuffled orders
cannot be reproduced from torch's generator, so the shuffled tests check properties of what
comes back, computed inside each scenario: the rows form a partition of the input, each row
stays whole and next to its partners in the other arrays, orders differ between epochs, and
generators made from one seed give the same result.

The rows carry their own ids: X[:, 0] is 0, 1, ..., n - 1 and y = 10 * id, so any part or
batch tells which rows it holds.
"""

import math

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
DTYPE_IDS = ["float64", "float32"]
# n = 20 rows for the shuffled tests: a correct shuffle gives any one order with probability
# 1 / 20! (about 4.1e-19), so the false-failure bounds below are far under 1e-9.
N_SHUFFLED = 20


# ------------------------------------------------------------------ inputs

def samples(rng, n, dtype, n_features=3):
    """X (n, n_features) whose column 0 is the row id, and labels y = 10 * id (int64)."""
    X = rng.standard_normal((n, n_features)).astype(dtype)
    X[:, 0] = np.arange(n)
    return X, 10 * np.arange(n, dtype=np.int64)


def new_seed(rng) -> int:
    return int(rng.integers(2**31))


def ids_of(X_part):
    return np.asarray(X_part)[:, 0].astype(np.int64)


def whole_and_aligned(X, y, X_part, y_part) -> bool:
    """Whether every row of X_part is a whole row of X and y_part holds those rows' labels, in the same order."""
    X_part, y_part = np.asarray(X_part), np.asarray(y_part)
    ids = ids_of(X_part)
    if X_part.shape[1:] != X.shape[1:] or y_part.shape != ids.shape or np.any((ids < 0) | (ids >= len(X))):
        return False
    return bool(np.array_equal(X_part, X[ids]) and np.array_equal(y_part, y[ids]))


# ------------------------------------------------------------------ train_test_split

def n_test_for(test_size, n) -> int:
    return math.ceil(test_size * n) if isinstance(test_size, float) else test_size


def torch_split(arrays, test_size):
    """[a_train, a_test, ...] without shuffling: torch.split into the first n - n_test and the last n_test rows."""
    torch = oracle.torch()
    n = len(arrays[0])
    n_test = n_test_for(test_size, n)
    parts = []
    for a in arrays:
        parts += [oracle.numpy(p, a.dtype) for p in torch.split(oracle.tensor(a), [n - n_test, n_test])]
    return parts


def shapes(parts):
    return tuple(tuple(int(d) for d in np.shape(p)) for p in parts)


def expected_shapes(arrays, test_size):
    n = len(arrays[0])
    n_test = n_test_for(test_size, n)
    return tuple(s for a in arrays for s in ((n - n_test, *a.shape[1:]), (n_test, *a.shape[1:])))


def split_call(test_size, seed=None, shuffle=None, arrays="X, y") -> str:
    args = [arrays, f"test_size={test_size}"]
    if shuffle is not None:
        args.append(f"shuffle={shuffle}")
    if seed is not None:
        args.append(f"rng=np.random.default_rng({seed})")
    return f"train_test_split({', '.join(args)})"


def split_properties(X, y, parts):
    """What a correct shuffled split of (X, y) must show, whatever the order drawn."""
    X_train, X_test, y_train, y_test = parts
    ids = np.concatenate([ids_of(X_train), ids_of(X_test)])  # (n,)
    return (np.sort(ids),
            whole_and_aligned(X, y, X_train, y_train) and whole_and_aligned(X, y, X_test, y_test),
            bool(np.any(ids != np.arange(len(X)))))


SPLIT_PROPERTY_NAMES = ("the ids of train and test rows together, sorted",
                        "every row whole and next to its own label",
                        "rows not in their original order")


def expected_split_properties(n):
    return np.arange(n), True, True


def check_shuffled_split(check, X, y, test_size, call, run):
    """The parts' shapes first, then the properties of the shuffled rows."""
    check.close(lambda m: shapes(run(m)), expected_shapes([X, y], test_size),
                call=call, inputs={"X": X, "y": y}, names="shapes of [X_train, X_test, y_train, y_test]")
    # Fails wrongly only if a correct shuffle leaves all 20 rows in place: probability 1 / 20! < 1e-18.
    check.close(lambda m: split_properties(X, y, run(m)), expected_split_properties(len(X)),
                call=call, inputs={"X": X, "y": y}, names=SPLIT_PROPERTY_NAMES)


# (n, test_size): products with a fractional part, where ceil, floor and round disagree; an exact
# product (0.25 * 8); an int test_size; the smallest split (1 of 2); a fraction that gives 1 row.
SPLIT_CASES = [
    pytest.param(10, 0.25, id="n10-frac0.25"),
    pytest.param(7, 0.3, id="n7-frac0.3"),
    pytest.param(9, 0.2, id="n9-frac0.2"),
    pytest.param(8, 0.25, id="n8-frac0.25-exact"),
    pytest.param(10, 4, id="n10-int4"),
    pytest.param(2, 1, id="n2-int1"),
    pytest.param(5, 0.1, id="n5-frac0.1"),
]


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("n, test_size", SPLIT_CASES)
def test_split_no_shuffle(check, rng, n, test_size, dtype):
    """With shuffle=False, is the train part the first n - n_test rows and the test part the last n_test, n_test = ceil(test_size * n)?"""
    X, y = samples(rng, n, dtype)
    check.close(lambda m: m.train_test_split(X, y, test_size=test_size, shuffle=False), torch_split([X, y], test_size),
                call=split_call(test_size, shuffle=False), inputs={"X": X, "y": y},
                names=("X_train", "X_test", "y_train", "y_test"))


def test_split_three_arrays(check, rng):
    """Are three arrays (one of them 3-D) all split with the same rows, in the order a_train, a_test, b_train, b_test, c_train, c_test?"""
    X, y = samples(rng, 9, np.float64)
    Z = rng.standard_normal((9, 2, 2))
    check.close(lambda m: m.train_test_split(X, y, Z, test_size=0.4, shuffle=False), torch_split([X, y, Z], 0.4),
                call=split_call(0.4, shuffle=False, arrays="X, y, Z"), inputs={"X": X, "y": y, "Z": Z},
                names=("X_train", "X_test", "y_train", "y_test", "Z_train", "Z_test"))

    def shuffled(m):
        X_train, X_test, y_train, y_test, Z_train, Z_test = m.train_test_split(X, y, Z, test_size=0.4,
                                                                               rng=np.random.default_rng(7))
        return bool(np.array_equal(Z_train, Z[ids_of(X_train)]) and np.array_equal(Z_test, Z[ids_of(X_test)]))

    check.close(shuffled, True, call=split_call(0.4, seed=7, arrays="X, y, Z"), inputs={"X": X, "y": y, "Z": Z},
                names="Z's rows are the rows X's ids name")


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("test_size", [0.25, 0.3, 6], ids=["frac0.25", "frac0.3", "int6"])
def test_split_shuffled(check, rng, test_size, dtype):
    """With shuffle, are the train and test rows together a permutation of the input rows, each row kept next to its label?"""
    X, y = samples(rng, N_SHUFFLED, dtype)
    seed = new_seed(rng)
    check_shuffled_split(check, X, y, test_size, split_call(test_size, seed=seed),
                         lambda m: m.train_test_split(X, y, test_size=test_size, rng=np.random.default_rng(seed)))


def test_split_same_seed(check, rng):
    """Do two generators made from one seed give the same split, and two different seeds different splits?"""
    X, y = samples(rng, N_SHUFFLED, np.float64)
    seed = new_seed(rng)

    def scenario(m):
        first = m.train_test_split(X, y, rng=np.random.default_rng(seed))
        again = m.train_test_split(X, y, rng=np.random.default_rng(seed))
        other = m.train_test_split(X, y, rng=np.random.default_rng(seed + 1))
        same = all(np.array_equal(a, b) for a, b in zip(first, again))
        # A correct shuffle gives another seed the same order of all 20 rows with probability 1 / 20! < 1e-18.
        differ = not all(np.array_equal(a, b) for a, b in zip(first, other))
        return same, differ

    check.close(scenario, (True, True),
                call=f"{split_call(0.25, seed=seed)} twice, then with rng=np.random.default_rng({seed + 1})",
                inputs={"X": X, "y": y},
                names=("the same seed gives the same split", "another seed gives another split"))


def test_split_defaults(check, rng):
    """Does train_test_split(X, y) default to test_size=0.25 (ceil(0.25 * 20) = 5 test rows), shuffle=True and a fresh generator?"""
    X, y = samples(rng, N_SHUFFLED, np.float64)
    check_shuffled_split(check, X, y, 0.25, "train_test_split(X, y)", lambda m: m.train_test_split(X, y))


SPLIT_BAD = [
    pytest.param(0.0, "test_size=0.0 is not in (0, 1)", id="frac0"),
    pytest.param(1.0, "test_size=1.0 is not in (0, 1)", id="frac1"),
    pytest.param(1.5, "test_size=1.5 is not in (0, 1)", id="frac1.5"),
    pytest.param(-0.25, "test_size=-0.25 is negative", id="frac-negative"),
    pytest.param(0.95, "test_size=0.95 of 10 rows gives ceil(9.5) = 10 test rows and no training rows",
                 id="frac-leaves-no-train"),
    pytest.param(0, "test_size=0 rows is not in [1, n - 1]", id="int0"),
    pytest.param(10, "test_size=10 rows leaves no training rows (n = 10)", id="int-n"),
    pytest.param(13, "test_size=13 rows is more than n = 10", id="int-above-n"),
    pytest.param(-2, "test_size=-2 rows is negative", id="int-negative"),
]


@pytest.mark.parametrize("test_size, reason", SPLIT_BAD)
def test_split_bad_test_size(check, rng, test_size, reason):
    """Is a test_size that is neither a float in (0, 1) nor an int in [1, n - 1], or that leaves no training rows, refused with ValueError?"""
    X, y = samples(rng, 10, np.float64)
    check.raises(lambda m: m.train_test_split(X, y, test_size=test_size, shuffle=False),
                 call=split_call(test_size, shuffle=False), reason=reason, inputs={"X": X, "y": y})


def test_split_bad_arrays(check, rng):
    """Are no arrays at all, and arrays of different lengths, refused with ValueError?"""
    X, _ = samples(rng, 10, np.float64)
    y = np.arange(9)
    check.raises(lambda m: m.train_test_split(), call="train_test_split()", reason="there is no array to split")
    check.raises(lambda m: m.train_test_split(X, y), call="train_test_split(X, y)", inputs={"X": X, "y": y},
                 reason="X has 10 rows but y has 9")


# ------------------------------------------------------------------ DataLoader

def torch_loader(arrays, **kwargs):
    return oracle.torch().utils.data.DataLoader(oracle.torch().utils.data.TensorDataset(*map(oracle.tensor, arrays)),
                                                **kwargs)


def torch_batches(arrays, **kwargs):
    """One epoch of torch's DataLoader (without shuffle), each batch a tuple of arrays in the inputs' dtypes."""
    return [tuple(oracle.numpy(t, a.dtype) for t, a in zip(batch, arrays)) for batch in torch_loader(arrays, **kwargs)]


def loader_call(batch_size=None, drop_last=None, shuffle=None, seed=None, arrays="[X, y]") -> str:
    args = [arrays]
    for name, value in (("batch_size", batch_size), ("shuffle", shuffle), ("drop_last", drop_last)):
        if value is not None:
            args.append(f"{name}={value}")
    if seed is not None:
        args.append(f"rng=np.random.default_rng({seed})")
    return f"loader = DataLoader({', '.join(args)})"


def epochs(loader, count):
    """`count` passes over the loader, each a list of batches."""
    return [list(iter(loader)) for _ in range(count)]


# (n, batch_size): a last partial batch of 1, batch_size dividing n, batch_size above n, one row.
LOADER_CASES = [
    pytest.param(10, 3, id="n10-batch3"),
    pytest.param(12, 4, id="n12-batch4-divides"),
    pytest.param(5, 8, id="n5-batch8-above-n"),
    pytest.param(1, 1, id="n1-batch1"),
    pytest.param(7, 2, id="n7-batch2"),
]


@pytest.mark.parametrize("drop_last", [False, True], ids=["keep-last", "drop-last"])
@pytest.mark.parametrize("n, batch_size", LOADER_CASES)
def test_loader_len(check, rng, n, batch_size, drop_last):
    """Is len(loader) ceil(n / batch_size), or n // batch_size with drop_last, as len(torch.utils.data.DataLoader)?"""
    X, y = samples(rng, n, np.float64)
    expected = len(torch_loader([X, y], batch_size=batch_size, drop_last=drop_last))
    check.close(lambda m: len(m.DataLoader([X, y], batch_size=batch_size, drop_last=drop_last)), expected,
                call=f"{loader_call(batch_size, drop_last)}; len(loader)", inputs={"X": X, "y": y},
                names="len(loader)")


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("drop_last", [False, True], ids=["keep-last", "drop-last"])
@pytest.mark.parametrize("n, batch_size", LOADER_CASES)
def test_loader_batches(check, rng, n, batch_size, drop_last, dtype):
    """Without shuffle, does every epoch serve the batches torch's DataLoader serves, each a tuple (X_batch, y_batch)?"""
    X, y = samples(rng, n, dtype)
    one = torch_batches([X, y], batch_size=batch_size, drop_last=drop_last)
    check.close(lambda m: epochs(m.DataLoader([X, y], batch_size=batch_size, drop_last=drop_last), 2), [one, one],
                call=f"{loader_call(batch_size, drop_last)}; two epochs: list(iter(loader)), twice",
                inputs={"X": X, "y": y}, names=("epoch 1", "epoch 2"))


def test_loader_one_array(check, rng):
    """With a single array, is each batch still a tuple, holding that array's rows?"""
    X, _ = samples(rng, 5, np.float64)
    check.close(lambda m: list(iter(m.DataLoader([X], batch_size=2))), torch_batches([X], batch_size=2),
                call="loader = DataLoader([X], batch_size=2); list(iter(loader))", inputs={"X": X})


def shuffled_properties(X, y, loader, count=3):
    """What `count` shuffled epochs must show, whatever orders are drawn."""
    served = epochs(loader, count)
    sizes = tuple(tuple(len(np.asarray(batch[0])) for batch in epoch) for epoch in served)
    whole = all(whole_and_aligned(X, y, batch[0], batch[1]) for epoch in served for batch in epoch)
    orders = [np.concatenate([ids_of(batch[0]) for batch in epoch]) if epoch else np.zeros(0, np.int64)
              for epoch in served]
    distinct = all(len(np.unique(order)) == len(order) for order in orders)
    shuffled = bool(np.any(orders[0] != np.arange(len(orders[0]))))
    fresh = all(not np.array_equal(orders[i], orders[j]) for i in range(count) for j in range(i + 1, count))
    return sizes, whole and distinct, shuffled, fresh


SHUFFLED_NAMES = ("the batch sizes of each epoch", "every row whole, next to its own label, served at most once per epoch",
                  "epoch 1 not in the original order", "each epoch in a new order")


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("drop_last", [False, True], ids=["keep-last", "drop-last"])
def test_loader_shuffled_epochs(check, rng, drop_last, dtype):
    """With shuffle, is each epoch a new random order of whole rows, kept together across arrays, in batches of the right sizes?"""
    X, y = samples(rng, N_SHUFFLED, dtype)
    seed, batch_size = new_seed(rng), 6
    sizes = tuple(len(b[0]) for b in torch_batches([X, y], batch_size=batch_size, drop_last=drop_last))
    # A correct loader fails here only if epoch 1 keeps the original order or two of the three epochs
    # serve the same order: at most 4 / (20! / 2!) < 2e-18 (with drop_last, 18 of the 20 rows are served).
    check.close(lambda m: shuffled_properties(X, y, m.DataLoader([X, y], batch_size=batch_size, shuffle=True,
                                                                 drop_last=drop_last, rng=np.random.default_rng(seed))),
                (tuple([sizes] * 3), True, True, True),
                call=f"{loader_call(batch_size, drop_last, shuffle=True, seed=seed)}; three epochs",
                inputs={"X": X, "y": y}, names=SHUFFLED_NAMES)


def test_loader_same_seed(check, rng):
    """Do two loaders with generators made from one seed serve the same batches, epoch after epoch?"""
    X, y = samples(rng, N_SHUFFLED, np.float64)
    seed = new_seed(rng)

    def scenario(m):
        def served(s):
            loader = m.DataLoader([X, y], batch_size=4, shuffle=True, rng=np.random.default_rng(s))
            return [ids_of(batch[0]) for epoch in epochs(loader, 2) for batch in epoch]

        first, again, other = served(seed), served(seed), served(seed + 1)
        same = len(first) == len(again) and all(np.array_equal(a, b) for a, b in zip(first, again))
        # A correct loader serves the same two epochs under another seed with probability (1 / 20!)^2.
        differ = not (len(first) == len(other) and all(np.array_equal(a, b) for a, b in zip(first, other)))
        return same, differ

    check.close(scenario, (True, True),
                call=f"{loader_call(4, shuffle=True, seed=seed)}: two epochs, from two loaders with that seed "
                     f"and one with seed {seed + 1}",
                inputs={"X": X, "y": y}, names=("the same seed serves the same batches",
                                                "another seed serves other batches"))


def test_loader_defaults(check, rng):
    """Does DataLoader([X, y]) default to batch_size=1, no shuffle and keeping the last batch, and shuffle=True work with rng=None?"""
    X, y = samples(rng, 7, np.float64)
    check.close(lambda m: (len(m.DataLoader([X, y])), list(iter(m.DataLoader([X, y])))),
                (len(torch_loader([X, y])), torch_batches([X, y])),
                call="loader = DataLoader([X, y]); len(loader), list(iter(loader))", inputs={"X": X, "y": y},
                names=("len(loader)", "the batches"))
    X, y = samples(rng, N_SHUFFLED, np.float64)
    sizes = tuple([1] * N_SHUFFLED)
    check.close(lambda m: shuffled_properties(X, y, m.DataLoader([X, y], shuffle=True)),
                (tuple([sizes] * 3), True, True, True),
                call="loader = DataLoader([X, y], shuffle=True); three epochs", inputs={"X": X, "y": y},
                names=SHUFFLED_NAMES)


def test_loader_bad_input(check, rng):
    """Are no arrays, arrays of different lengths and a batch_size below 1 refused with ValueError?"""
    X, _ = samples(rng, 6, np.float64)
    y = np.arange(5)
    check.raises(lambda m: m.DataLoader([]), call="DataLoader([])", reason="there are no arrays to load")
    check.raises(lambda m: m.DataLoader([X, y], batch_size=2), call="DataLoader([X, y], batch_size=2)",
                 inputs={"X": X, "y": y}, reason="X has 6 rows but y has 5")
    for batch_size in (0, -3):
        check.raises(lambda m: m.DataLoader([X], batch_size=batch_size), call=f"DataLoader([X], batch_size={batch_size})",
                     inputs={"X": X}, reason=f"batch_size={batch_size} is below 1")


# ------------------------------------------------------------------ both

@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_dtype(check, rng, dtype):
    """Are the parts of train_test_split and the batches of DataLoader right in each input's dtype (float X, int64 y),
    shuffled or not?"""
    X, y = samples(rng, 10, dtype)
    seed = new_seed(rng)
    split = torch_split([X, y], 3)
    # Unshuffled, the values are known: right values in the right dtypes. Shuffled, the same dtypes and shapes.
    check.close(lambda m: m.train_test_split(X, y, test_size=3, shuffle=False), split,
                call=split_call(3, shuffle=False), inputs={"X": X, "y": y}, dtype=True)
    check.close(lambda m: list(iter(m.DataLoader([X, y], batch_size=4))), torch_batches([X, y], batch_size=4),
                call=f"{loader_call(4)}; list(iter(loader))", inputs={"X": X, "y": y}, dtype=True)
    check.shaped(lambda m: m.train_test_split(X, y, test_size=3, rng=np.random.default_rng(seed)), split,
                 call=split_call(3, seed=seed), inputs={"X": X, "y": y})
    check.shaped(lambda m: list(iter(m.DataLoader([X, y], batch_size=4, shuffle=True, rng=np.random.default_rng(seed)))),
                 torch_batches([X, y], batch_size=4),
                 call=f"{loader_call(4, shuffle=True, seed=seed)}; list(iter(loader))", inputs={"X": X, "y": y})


def test_random_shapes(check, rng):
    """With n, test_size, batch_size and drop_last drawn afresh each run, do the split and the loader match torch and keep rows together?"""
    for _ in range(4):
        n = int(rng.integers(2, 31))  # rows, 2..30
        dtype = DTYPES[int(rng.integers(2))]
        X, y = samples(rng, n, dtype, n_features=int(rng.integers(1, 5)))  # (n, 1..4), (n,)
        test_size = int(rng.integers(1, n)) if rng.random() < 0.3 else round(float(rng.uniform(0.05, 0.6)), 2)
        product = test_size * n
        # Products a hair off a whole number (0.07 * 100 = 7.000000000000001) are avoided: there the answer
        # depends on how the product is written, not on ceil. So is a fraction that leaves no training rows.
        if n_test_for(test_size, n) >= n or 0 < abs(product - round(product)) < 1e-9:
            test_size = 1
        batch_size, drop_last = int(rng.integers(1, 9)), bool(rng.random() < 0.5)
        shown = f"  # X: {X.shape} {np.dtype(dtype).name}"
        check.close(lambda m: m.train_test_split(X, y, test_size=test_size, shuffle=False), torch_split([X, y], test_size),
                    call=split_call(test_size, shuffle=False) + shown, inputs={"X": X, "y": y},
                    names=("X_train", "X_test", "y_train", "y_test"))
        seed = new_seed(rng)

        def shuffled(m):
            parts = m.train_test_split(X, y, test_size=test_size, rng=np.random.default_rng(seed))
            return shapes(parts), split_properties(X, y, parts)[:2]

        check.close(shuffled, (expected_shapes([X, y], test_size), (np.arange(n), True)),
                    call=split_call(test_size, seed=seed) + shown, inputs={"X": X, "y": y},
                    names=("shapes of [X_train, X_test, y_train, y_test]", SPLIT_PROPERTY_NAMES[:2]))
        one = torch_batches([X, y], batch_size=batch_size, drop_last=drop_last)
        check.close(lambda m: (len(m.DataLoader([X, y], batch_size=batch_size, drop_last=drop_last)),
                               list(iter(m.DataLoader([X, y], batch_size=batch_size, drop_last=drop_last)))),
                    (len(one), one), call=f"{loader_call(batch_size, drop_last)}; len(loader), list(iter(loader))" + shown,
                    inputs={"X": X, "y": y}, names=("len(loader)", "the batches"))
