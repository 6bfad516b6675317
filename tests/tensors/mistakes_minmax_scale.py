"""Classic wrong answers to tensors.minmax_scale, each a whole MinMaxScaler class, named and explained."""

import numpy as np

from grader.testing.mistakes import mistake


class _Scaler:
    """A correct MinMaxScaler split into small steps; each mistake overrides exactly one of them."""

    def __init__(self, feature_range=(0, 1)):
        lo, hi = feature_range
        if not lo < hi:
            raise ValueError("feature_range must have min < max")
        self.feature_range = (lo, hi)

    def _extremes(self, X):
        return X.min(axis=0), X.max(axis=0)

    def _scale(self, data_range):
        lo, hi = self.feature_range
        return (hi - lo) / np.where(data_range == 0, 1, data_range)

    def _offset(self):
        return self.feature_range[0] - self.data_min_ * self.scale_

    def fit(self, X):
        if np.ndim(X) != 2:
            raise ValueError("X must be 2-D")
        self.data_min_, self.data_max_ = self._extremes(X)
        self.data_range_ = self.data_max_ - self.data_min_
        self.scale_ = self._scale(self.data_range_).astype(X.dtype)
        self.min_ = self._offset().astype(X.dtype)
        return self

    def _check(self, X):
        if not hasattr(self, "scale_"):
            raise ValueError("not fitted")
        if np.ndim(X) != 2 or X.shape[1] != self.scale_.shape[0]:
            raise ValueError("X does not fit")

    def transform(self, X):
        self._check(X)
        return (X * self.scale_ + self.min_).astype(X.dtype)

    def fit_transform(self, X):
        return self.fit(X).transform(X)

    def inverse_transform(self, X):
        self._check(X)
        return ((X - self.min_) / self.scale_).astype(X.dtype)


class _NoConstantGuard(_Scaler):
    def _scale(self, data_range):
        lo, hi = self.feature_range
        with np.errstate(divide="ignore"):
            return (hi - lo) / data_range


class _EpsInRange(_Scaler):
    def _scale(self, data_range):
        lo, hi = self.feature_range
        return (hi - lo) / (data_range + 1e-8)


class _OffsetWithoutLow(_Scaler):
    def _offset(self):
        return -self.data_min_ * self.scale_


class _InverseMultiplies(_Scaler):
    def inverse_transform(self, X):
        self._check(X)
        return ((X - self.min_) * self.scale_).astype(X.dtype)


class _TransformRefits(_Scaler):
    """Each transform scales X with X's own minimum and maximum, not with the fitted ones."""

    def transform(self, X):
        self._check(X)
        return _Scaler(self.feature_range).fit(X).transform(X)


class _GlobalExtremes(_Scaler):
    def _extremes(self, X):
        return np.full(X.shape[1], X.min(), dtype=X.dtype), np.full(X.shape[1], X.max(), dtype=X.dtype)


MISTAKES = [
    mistake(
        "no_constant_guard",
        title={"en": "a constant column divides by a range of 0", "zh": "常数列除以了为 0 的范围"},
        why={"en": "A column whose values are all equal has data_range_ = 0, and (hi - lo) / 0 is inf, so its "
                   "transform turns into inf or NaN. As scikit-learn does, compute scale_ from a range of 1 "
                   "where the range is 0 (np.where(data_range_ == 0, 1, data_range_)); data_range_ itself stays 0.",
             "zh": "所有值都相同的列 data_range_ = 0，(hi - lo) / 0 得到 inf，变换结果就成了 inf 或 NaN。"
                   "按 scikit-learn 的做法，范围为 0 的地方改用 1 来计算 scale_"
                   "（np.where(data_range_ == 0, 1, data_range_)）；data_range_ 本身仍然是 0。"},
        MinMaxScaler=_NoConstantGuard),
    mistake(
        "eps_in_range",
        title={"en": "a small eps added to the range", "zh": "在范围上加了一个很小的 eps"},
        why={"en": "Dividing by data_range_ + 1e-8 avoids the division by 0 but gives a constant column a scale "
                   "of about 1e8, so any new value in that column is blown up. scikit-learn's rule is exact: where "
                   "data_range_ is 0, compute scale_ from a range of 1; everywhere else divide by the range itself.",
             "zh": "除以 data_range_ + 1e-8 虽然避免了除以 0，却让常数列的 scale_ 变成大约 1e8，这一列的任何新值"
                   "都会被放大到离谱。scikit-learn 的规则是精确的：data_range_ 为 0 的地方按范围 1 计算 scale_，"
                   "其他地方就除以范围本身。"},
        MinMaxScaler=_EpsInRange),
    mistake(
        "offset_without_low",
        title={"en": "min_ without the low end of feature_range", "zh": "min_ 漏掉了 feature_range 的下限"},
        why={"en": "min_ is what transform adds after multiplying by scale_, and the column minimum must land on "
                   "lo: min_ = lo - data_min_ * scale_. Leaving lo out only works for the default range (0, 1).",
             "zh": "min_ 是 transform 乘以 scale_ 之后要加上的量，而每列的最小值必须落在 lo 上："
                   "min_ = lo - data_min_ * scale_。漏掉 lo 只有在默认范围 (0, 1) 下才碰巧正确。"},
        MinMaxScaler=_OffsetWithoutLow),
    mistake(
        "inverse_multiplies",
        title={"en": "inverse_transform multiplies by scale_", "zh": "inverse_transform 乘以了 scale_"},
        why={"en": "transform computes X * scale_ + min_; undoing it means first subtracting min_ and then "
                   "DIVIDING by scale_: (X - min_) / scale_.",
             "zh": "transform 计算的是 X * scale_ + min_；要还原它，先减去 min_，再除以 scale_："
                   "(X - min_) / scale_。"},
        MinMaxScaler=_InverseMultiplies),
    mistake(
        "transform_refits",
        title={"en": "transform uses the statistics of its own input", "zh": "transform 用了输入数据自己的统计量"},
        why={"en": "transform must reuse data_min_, scale_ and min_ learned by fit. Recomputing the minimum and "
                   "maximum of the data being transformed scales test data differently from training data (and "
                   "leaks the test set's statistics); new values outside the fitted range must come out outside "
                   "feature_range.",
             "zh": "transform 必须沿用 fit 学到的 data_min_、scale_ 和 min_。如果对正在变换的数据重新计算最小值"
                   "和最大值，测试数据与训练数据的缩放方式就不一致了（还会泄漏测试集的统计信息）；超出拟合范围的新值"
                   "变换后也应当落在 feature_range 之外。"},
        MinMaxScaler=_TransformRefits),
    mistake(
        "global_extremes",
        title={"en": "one minimum and maximum for the whole array", "zh": "整个数组只算了一个最小值和最大值"},
        why={"en": "Each feature (column) is scaled on its own: reduce over the samples only, X.min(axis=0) and "
                   "X.max(axis=0), which give one value per column. X.min() mixes all the columns together.",
             "zh": "每个特征（列）要单独缩放：只沿样本维归约，用 X.min(axis=0) 和 X.max(axis=0)，每列得到一个值。"
                   "X.min() 会把所有列混在一起。"},
        MinMaxScaler=_GlobalExtremes),
]
