"""Classic wrong answers to tensors.data_split, each named and explained."""

import math

import numpy as np

from grader.testing.mistakes import mistake


def _length(arrays):
    if len(arrays) == 0:
        raise ValueError("no arrays")
    lengths = {len(a) for a in arrays}
    if len(lengths) > 1:
        raise ValueError("lengths differ")
    return lengths.pop()


def _n_test(test_size, n, rounding=math.ceil):
    if isinstance(test_size, int):
        if not 1 <= test_size <= n - 1:
            raise ValueError("bad test_size")
        return test_size
    if not 0 < test_size < 1 or math.ceil(test_size * n) >= n:
        raise ValueError("bad test_size")
    return rounding(test_size * n)


def _order(n, shuffle, rng):
    if not shuffle:
        return np.arange(n)
    return (np.random.default_rng() if rng is None else rng).permutation(n)


def _split_floor(*arrays, test_size=0.25, shuffle=True, rng=None):
    n = _length(arrays)
    n_test = _n_test(test_size, n, rounding=math.floor)
    order = _order(n, shuffle, rng)
    return [part for a in arrays for part in (a[order[:n - n_test]], a[order[n - n_test:]])]


def _split_own_orders(*arrays, test_size=0.25, shuffle=True, rng=None):
    """Every array is shuffled with an order of its own, so rows no longer meet their labels."""
    n = _length(arrays)
    n_test = _n_test(test_size, n)
    parts = []
    for a in arrays:
        order = _order(n, shuffle, rng)
        parts += [a[order[:n - n_test]], a[order[n - n_test:]]]
    return parts


def _split_test_first(*arrays, test_size=0.25, shuffle=True, rng=None):
    n = _length(arrays)
    n_test = _n_test(test_size, n)
    order = _order(n, shuffle, rng)
    return [part for a in arrays for part in (a[order[n_test:]], a[order[:n_test]])]


def _split_grouped(*arrays, test_size=0.25, shuffle=True, rng=None):
    """All training parts first, then all test parts: [X_train, y_train, X_test, y_test]."""
    n = _length(arrays)
    n_test = _n_test(test_size, n)
    order = _order(n, shuffle, rng)
    return [a[order[:n - n_test]] for a in arrays] + [a[order[n - n_test:]] for a in arrays]


class _Loader:
    """A correct DataLoader split into small steps; each mistake overrides exactly one of them."""

    def __init__(self, arrays, batch_size=1, shuffle=False, drop_last=False, rng=None):
        self.n = _length(arrays)
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.arrays, self.batch_size, self.shuffle, self.drop_last = tuple(arrays), batch_size, shuffle, drop_last
        self.rng = np.random.default_rng() if rng is None else rng

    def __len__(self):
        return self.n // self.batch_size if self.drop_last else math.ceil(self.n / self.batch_size)

    def _epoch_order(self):
        return self.rng.permutation(self.n) if self.shuffle else np.arange(self.n)

    def _batch_count(self):
        return len(self)

    def __iter__(self):
        order = self._epoch_order()
        for b in range(self._batch_count()):
            rows = order[b * self.batch_size:(b + 1) * self.batch_size]
            yield tuple(a[rows] for a in self.arrays)


class _LenFloor(_Loader):
    def __len__(self):
        return self.n // self.batch_size

    def _batch_count(self):
        return math.ceil(self.n / self.batch_size) if not self.drop_last else self.n // self.batch_size


class _IgnoresDropLast(_Loader):
    def __len__(self):
        return math.ceil(self.n / self.batch_size)


class _OneOrder(_Loader):
    """The order is drawn once, when the loader is made, and every epoch reuses it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = self.rng.permutation(self.n) if self.shuffle else np.arange(self.n)

    def _epoch_order(self):
        return self.order


MISTAKES = [
    mistake(
        "split_floor",
        title={"en": "the test size rounded down", "zh": "测试集大小向下取整了"},
        why={"en": "A fractional test_size gives n_test = ceil(test_size * n), rounded UP as scikit-learn does: "
                   "0.25 of 10 rows is 3 test rows, not 2. int(test_size * n) rounds down.",
             "zh": "test_size 是小数时 n_test = ceil(test_size * n)，和 scikit-learn 一样向上取整："
                   "10 行的 0.25 是 3 行测试数据，而不是 2 行。int(test_size * n) 是向下取整。"},
        train_test_split=_split_floor),
    mistake(
        "split_own_orders",
        title={"en": "each array shuffled with its own order", "zh": "每个数组各自用了不同的打乱顺序"},
        why={"en": "Row i of X and row i of y describe the same sample, so all arrays must be split with ONE "
                   "permutation: draw it once (rng.permutation(n)) and index every array with it. A permutation "
                   "per array pairs features with the labels of other samples.",
             "zh": "X 的第 i 行和 y 的第 i 行描述的是同一个样本，所以所有数组必须用同一个排列来划分："
                   "只抽一次 rng.permutation(n)，再用它去索引每个数组。每个数组各抽一个排列，特征就会和别的样本的"
                   "标签配到一起。"},
        train_test_split=_split_own_orders),
    mistake(
        "split_test_first",
        title={"en": "the test part taken from the first rows", "zh": "测试集取了前面的行"},
        why={"en": "Without shuffling, scikit-learn's split keeps the order: the training part is the FIRST "
                   "n - n_test rows and the test part the last n_test rows.",
             "zh": "不打乱时，scikit-learn 的划分保持原有顺序：训练集是前 n - n_test 行，测试集是最后 n_test 行。"},
        train_test_split=_split_test_first),
    mistake(
        "split_grouped",
        title={"en": "the parts returned grouped by split", "zh": "返回的各部分按训练/测试分组排列了"},
        why={"en": "The result pairs each array's two parts: [X_train, X_test, y_train, y_test], so that "
                   "X_train, X_test, y_train, y_test = train_test_split(X, y) reads naturally. All training parts "
                   "followed by all test parts puts y_train where X_test is expected.",
             "zh": "结果要把每个数组的两部分放在一起：[X_train, X_test, y_train, y_test]，这样 "
                   "X_train, X_test, y_train, y_test = train_test_split(X, y) 才对得上。先放全部训练部分、再放全部"
                   "测试部分，会让 y_train 出现在 X_test 应在的位置。"},
        train_test_split=_split_grouped),
    mistake(
        "loader_len_floor",
        title={"en": "len() rounded down without drop_last", "zh": "没有 drop_last 时 len() 向下取整了"},
        why={"en": "When the last batch is kept (drop_last=False), a partial last batch still counts: the number "
                   "of batches is ceil(n / batch_size), -(-n // batch_size) in integers. Only drop_last=True "
                   "gives n // batch_size.",
             "zh": "保留最后一批（drop_last=False）时，不满的最后一批也要算进去：批数是 ceil(n / batch_size)，"
                   "用整数写就是 -(-n // batch_size)。只有 drop_last=True 时才是 n // batch_size。"},
        DataLoader=_LenFloor),
    mistake(
        "ignores_drop_last",
        title={"en": "drop_last ignored: the partial batch kept", "zh": "忽略了 drop_last：保留了不满的最后一批"},
        why={"en": "With drop_last=True, a last batch with fewer than batch_size rows is left out of every epoch, "
                   "and len() is n // batch_size. The loader here still serves it and counts it.",
             "zh": "drop_last=True 时，行数不足 batch_size 的最后一批在每个 epoch 里都要去掉，len() 也变成 "
                   "n // batch_size。这里的实现仍然输出并计入了这一批。"},
        DataLoader=_IgnoresDropLast),
    mistake(
        "one_order_for_all_epochs",
        title={"en": "one shuffled order reused every epoch", "zh": "每个 epoch 都复用同一个打乱顺序"},
        why={"en": "shuffle=True means a NEW order at the start of every epoch: draw rng.permutation(n) inside "
                   "__iter__, not once in __init__. Reusing one order makes every epoch show the network the same "
                   "sequence of batches.",
             "zh": "shuffle=True 的意思是每个 epoch 开始时都重新打乱：在 __iter__ 里抽取 rng.permutation(n)，"
                   "而不是在 __init__ 里只抽一次。复用同一个顺序，会让网络每个 epoch 看到完全相同的批次序列。"},
        DataLoader=_OneOrder),
]
