"""MinMaxScaler written from the docstring (independent implementation).

Statistics are kept in float64 whatever X is; transform is written as (X - data_min_) * scale_ + lo
in float64 and cast back; feature_range is checked in fit rather than at construction.
"""

import numpy as np


class MinMaxScaler:
    def __init__(self, feature_range=(0, 1)):
        self.feature_range = feature_range

    def fit(self, X):
        lo, hi = (float(v) for v in self.feature_range)
        if lo >= hi:
            raise ValueError(f"feature_range {self.feature_range}: minimum must be smaller than maximum")
        X = np.asarray(X)
        if X.ndim != 2:
            raise ValueError(f"X must be 2-D, got {X.ndim}-D")
        x64 = X.astype(np.float64)
        self.data_min_ = np.min(x64, axis=0)
        self.data_max_ = np.max(x64, axis=0)
        self.data_range_ = self.data_max_ - self.data_min_
        divisor = self.data_range_.copy()
        divisor[divisor == 0.0] = 1.0
        self.scale_ = (hi - lo) / divisor
        self.min_ = lo - self.data_min_ * self.scale_
        self._lo = lo
        return self

    def _ready(self, X):
        if getattr(self, "data_min_", None) is None:
            raise ValueError("fit the scaler first")
        X = np.asarray(X)
        if X.ndim != 2 or X.shape[1] != self.data_min_.shape[0]:
            raise ValueError(f"X must be (n_samples, {self.data_min_.shape[0]}), got {X.shape}")
        return X

    def transform(self, X):
        X = self._ready(X)
        return ((X.astype(np.float64) - self.data_min_) * self.scale_ + self._lo).astype(X.dtype)

    def fit_transform(self, X):
        self.fit(X)
        return self.transform(X)

    def inverse_transform(self, X):
        X = self._ready(X)
        return ((X.astype(np.float64) - self._lo) / self.scale_ + self.data_min_).astype(X.dtype)
