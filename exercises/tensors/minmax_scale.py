"""Min-max scaling: learn each feature's minimum and maximum, then map them onto a chosen range."""

import numpy as np


class MinMaxScaler:
    """Scale every feature (column) of a data matrix linearly onto `feature_range`.

    fit(X) learns, column by column, the smallest and largest value. transform(X) then maps a
    column's minimum to `lo` and its maximum to `hi`, where (lo, hi) = feature_range, and every
    other value along the same straight line:

        data_range_ = data_max_ - data_min_
        scale_      = (hi - lo) / data_range_      (a range of 0 counts as 1 here)
        min_        = lo - data_min_ * scale_
        transform(X)         = X * scale_ + min_
        inverse_transform(X) = (X - min_) / scale_

    The statistics come from the data given to fit alone: transforming other data reuses them,
    so values below the fitted minimum come out below `lo`, and values above the maximum above
    `hi`. A constant column has a range of 0; dividing by it would give inf, so its scale_ is
    computed from a range of 1 instead (its fitted value then maps to `lo`). data_range_ itself
    stays 0.

    Attributes (after fit, each of shape (n_features,)):
        data_min_: the minimum of each column of the fitted X.
        data_max_: the maximum of each column.
        data_range_: data_max_ - data_min_ (0 for a constant column).
        scale_: (hi - lo) / data_range_, with a range of 0 replaced by 1.
        min_: lo - data_min_ * scale_, what transform adds after multiplying by scale_.

    Shapes:
        X: (n_samples, n_features) -> (n_samples, n_features); every attribute (n_features,)

    PyTorch: no PyTorch equivalent; the formulas are those of sklearn.preprocessing.MinMaxScaler
        (computed in the tests with torch tensors)
    """

    def __init__(self, feature_range=(0, 1)):
        """Make a scaler that is not fitted yet.

        Args:
            feature_range: the pair (lo, hi) that each column's minimum and maximum are mapped to.

        Raises:
            ValueError: if lo >= hi (this check may also wait until fit).
        """
        # TODO: check that lo < hi and keep the pair; nothing is fitted yet
        raise NotImplementedError("tensors.minmax_scale: __init__")

    def fit(self, X):
        """Learn the minimum and maximum of every column of `X` and the scale_ and min_ they give.

        Fitting again forgets the earlier fit: the attributes describe the newest X only.

        Args:
            X: the data, (n_samples, n_features), float32 or float64, n_samples >= 1. Not modified.

        Returns:
            self, the scaler itself (not a copy), so calls can be chained: scaler.fit(X).transform(Y).

        Raises:
            ValueError: if X is not 2-D.

        Shapes:
            X: (n_samples, n_features); sets data_min_, data_max_, data_range_, scale_, min_: (n_features,)

        PyTorch: none; sklearn.preprocessing.MinMaxScaler(feature_range).fit(X)
        """
        # TODO: per column (axis 0) min and max, their difference, then scale_ (a range of 0 counts as 1) and min_ = lo - data_min_ * scale_
        raise NotImplementedError("tensors.minmax_scale: fit")

    def transform(self, X):
        """Map `X` with the fitted statistics: X * scale_ + min_, column by column.

        Args:
            X: data with the fitted number of columns, (n_samples, n_features), float32 or float64;
                it need not be the data fitted on, and its values may lie outside the fitted range.
                Not modified.

        Returns:
            The scaled data, with the shape and dtype of X.

        Raises:
            ValueError: if the scaler is not fitted yet, X is not 2-D, or X has another number of
                columns than the fitted data.

        Shapes:
            X: (n_samples, n_features) -> (n_samples, n_features)

        PyTorch: none; sklearn.preprocessing.MinMaxScaler.transform(X)
        """
        # TODO: check the scaler is fitted and X fits, then X * scale_ + min_ in X's dtype
        raise NotImplementedError("tensors.minmax_scale: transform")

    def fit_transform(self, X):
        """fit(X), then transform(X): the same result as the two calls.

        Args:
            X: the data, (n_samples, n_features), float32 or float64. Not modified.

        Returns:
            X scaled with its own statistics, with the shape and dtype of X.

        Raises:
            ValueError: if X is not 2-D.

        Shapes:
            X: (n_samples, n_features) -> (n_samples, n_features)

        PyTorch: none; sklearn.preprocessing.MinMaxScaler.fit_transform(X)
        """
        # TODO: fit on X, then transform X
        raise NotImplementedError("tensors.minmax_scale: fit_transform")

    def inverse_transform(self, X):
        """Undo transform: (X - min_) / scale_, so inverse_transform(transform(X)) gives X back.

        Args:
            X: scaled data, (n_samples, n_features), float32 or float64. Not modified.

        Returns:
            The data in its original units, with the shape and dtype of X.

        Raises:
            ValueError: if the scaler is not fitted yet, X is not 2-D, or X has another number of
                columns than the fitted data.

        Shapes:
            X: (n_samples, n_features) -> (n_samples, n_features)

        PyTorch: none; sklearn.preprocessing.MinMaxScaler.inverse_transform(X)
        """
        # TODO: check as in transform, then (X - min_) / scale_ in X's dtype
        raise NotImplementedError("tensors.minmax_scale: inverse_transform")

    def _check_data(self, X):
        if not hasattr(self, "scale_"):
            raise ValueError("this MinMaxScaler is not fitted yet: call fit(X) before transform or inverse_transform")
        _check_2d(X)
        if np.shape(X)[1] != np.shape(self.scale_)[0]:
            raise ValueError(f"X has {np.shape(X)[1]} features but the scaler was fitted on {np.shape(self.scale_)[0]}")


def _check_2d(X):
    if np.ndim(X) != 2:
        raise ValueError(f"X must be 2-D (n_samples, n_features), got shape {np.shape(X)}")
