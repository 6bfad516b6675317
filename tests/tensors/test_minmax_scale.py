"""tensors.minmax_scale: MinMaxScaler against scikit-learn's documented formulas, computed with torch tensors.

scikit-learn is not a dependency: the reference is its formulas (data_min_ = X.min(0), scale_ =
(hi - lo) / data_range_ with a range of 0 counted as 1, min_ = lo - data_min_ * scale_, transform
X * scale_ + min_, inverse (X - min_) / scale_) evaluated by torch in float64.
"""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
DTYPE_IDS = ["float64", "float32"]
ATTRIBUTES = ("data_min_", "data_max_", "data_range_", "scale_", "min_")
# lo = 0 (the default), a range with lo < 0 and one with lo > 0 and hi - lo != 1: min_ must include lo.
RANGES = [pytest.param((0, 1), id="range0to1"), pytest.param((-1, 1), id="range-1to1"),
          pytest.param((2, 5), id="range2to5")]


# ------------------------------------------------------------------ inputs

def data(rng, shape, dtype, spread=3.0):
    """Columns with their own centre and width, so one global min and max would be wrong."""
    n_features = shape[1]
    centres = rng.uniform(-spread, spread, size=n_features)
    widths = rng.uniform(0.5, spread, size=n_features)
    return (centres + widths * rng.standard_normal(shape)).astype(dtype)


def wider(rng, X, dtype):
    """New data for the fitted columns, reaching well below each column's minimum and above its maximum."""
    lo, hi = X.min(axis=0).astype(np.float64), X.max(axis=0).astype(np.float64)
    width = np.maximum(hi - lo, 1.0)
    return rng.uniform(lo - width, hi + width, size=(5, X.shape[1])).astype(dtype)


def with_constant_columns(rng, shape, dtype):
    """Data whose column 1 is constant at 2.5 and whose last column is constant at 0."""
    X = data(rng, shape, dtype)
    X[:, 1] = 2.5
    X[:, -1] = 0.0
    return X


# ------------------------------------------------------------------ the reference

def torch_fit(X, feature_range=(0, 1)):
    """scikit-learn's statistics of X, as float64 tensors."""
    torch = oracle.torch()
    lo, hi = feature_range
    t = oracle.tensor(X)
    data_min, data_max = t.min(dim=0).values, t.max(dim=0).values
    data_range = data_max - data_min
    scale = (hi - lo) / torch.where(data_range == 0, torch.ones_like(data_range), data_range)
    return {"data_min_": data_min, "data_max_": data_max, "data_range_": data_range, "scale_": scale,
            "min_": lo - data_min * scale}


def torch_attributes(stats, dtype):
    return tuple(oracle.numpy(stats[a], dtype) for a in ATTRIBUTES)


def torch_transform(stats, X):
    return oracle.numpy(oracle.tensor(X) * stats["scale_"] + stats["min_"], X.dtype)


def torch_inverse(stats, X):
    return oracle.numpy((oracle.tensor(X) - stats["min_"]) / stats["scale_"], X.dtype)


# ------------------------------------------------------------------ the learner's side

def make(m, feature_range=None):
    return m.MinMaxScaler() if feature_range is None else m.MinMaxScaler(feature_range=feature_range)


def made(feature_range=None) -> str:
    return "scaler = MinMaxScaler()" if feature_range is None else f"scaler = MinMaxScaler(feature_range={feature_range})"


def attributes(scaler, dtype):
    """The fitted attributes as values in the input's dtype: their own dtype is free."""
    return tuple(_values(getattr(scaler, a), dtype) for a in ATTRIBUTES)


def _values(value, dtype):
    try:
        return np.array(value, dtype=dtype)  # a copy: a later fit must not change what was read
    except (TypeError, ValueError):
        return value


def fitted_attributes(m, X, feature_range, dtype):
    scaler = make(m, feature_range)
    scaler.fit(X)
    return attributes(scaler, dtype)


# ------------------------------------------------------------------ tests

FIT_SHAPES = [
    pytest.param((6, 3), id="6x3"),
    pytest.param((1, 4), id="batch1"),
    pytest.param((10, 1), id="one-feature"),
    pytest.param((3, 7), id="more-features-than-samples"),
]


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("feature_range", RANGES)
@pytest.mark.parametrize("shape", FIT_SHAPES)
def test_fit_attributes(check, rng, shape, feature_range, dtype):
    """After fit(X), do data_min_, data_max_, data_range_, scale_ and min_ follow scikit-learn's formulas, column by column?"""
    X = data(rng, shape, dtype)
    check.close(lambda m: fitted_attributes(m, X, feature_range, dtype), torch_attributes(torch_fit(X, feature_range), dtype),
                call=f"{made(feature_range)}; scaler.fit(X)", inputs={"X": X}, names=ATTRIBUTES)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("feature_range", RANGES)
def test_transform_new_data(check, rng, feature_range, dtype):
    """Does transform scale new data with the statistics of the fitted data, extrapolating beyond the fitted range?"""
    X = data(rng, (8, 4), dtype)
    Y = wider(rng, X, dtype)

    def scenario(m):
        scaler = make(m, feature_range)
        scaler.fit(X)
        return scaler.transform(Y)

    check.close(scenario, torch_transform(torch_fit(X, feature_range), Y),
                call=f"{made(feature_range)}; scaler.fit(X); scaler.transform(Y)", inputs={"X": X, "Y": Y})


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("feature_range", RANGES)
def test_fit_transform(check, rng, feature_range, dtype):
    """Does fit_transform(X) give what fit(X) then transform(X) gives, and leave the scaler fitted on X?"""
    X = data(rng, (7, 3), dtype)
    stats = torch_fit(X, feature_range)

    def scenario(m):
        scaler = make(m, feature_range)
        return scaler.fit_transform(X), attributes(scaler, dtype)

    check.close(scenario, (torch_transform(stats, X), torch_attributes(stats, dtype)),
                call=f"{made(feature_range)}; scaler.fit_transform(X)", inputs={"X": X},
                names=("fit_transform(X)", ATTRIBUTES))


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("feature_range", RANGES)
def test_inverse_transform(check, rng, feature_range, dtype):
    """Does inverse_transform divide by scale_ after subtracting min_, giving back the data that transform scaled?"""
    X = data(rng, (8, 3), dtype)
    Y = wider(rng, X, dtype)
    lo, hi = feature_range
    Z = rng.uniform(lo - 1.0, hi + 1.0, size=(6, 3)).astype(dtype)  # scaled values, some outside the range
    stats = torch_fit(X, feature_range)

    def scenario(m):
        scaler = make(m, feature_range)
        scaler.fit(X)
        return scaler.inverse_transform(Z), scaler.inverse_transform(scaler.transform(Y))

    check.close(scenario, (torch_inverse(stats, Z), Y),
                call=f"{made(feature_range)}; scaler.fit(X); scaler.inverse_transform(Z); "
                     "scaler.inverse_transform(scaler.transform(Y))",
                inputs={"X": X, "Y": Y, "Z": Z},
                names=("inverse_transform(Z)", "inverse_transform(transform(Y))"))


CONSTANT_SHAPES = [pytest.param((6, 4), id="two-constant-columns"), pytest.param((1, 3), id="batch1")]


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("feature_range", RANGES[1:])
@pytest.mark.parametrize("shape", CONSTANT_SHAPES)
def test_constant_feature(check, rng, shape, feature_range, dtype):
    """Does a constant column get its scale_ from a range of 1 (no division by 0), in fit, transform and inverse_transform?"""
    X = with_constant_columns(rng, shape, dtype)
    Y = wider(rng, X, dtype)
    lo, hi = feature_range
    Z = rng.uniform(lo - 1.0, hi + 1.0, size=(4, shape[1])).astype(dtype)
    stats = torch_fit(X, feature_range)

    def scenario(m):
        scaler = make(m, feature_range)
        scaler.fit(X)
        return attributes(scaler, dtype), scaler.transform(Y), scaler.inverse_transform(Z)

    check.close(scenario, (torch_attributes(stats, dtype), torch_transform(stats, Y), torch_inverse(stats, Z)),
                call=f"{made(feature_range)}; scaler.fit(X); scaler.transform(Y); scaler.inverse_transform(Z)"
                     "  # X[:, 1] == 2.5 and X[:, -1] == 0 everywhere",
                inputs={"X": X, "Y": Y, "Z": Z}, names=(ATTRIBUTES, "transform(Y)", "inverse_transform(Z)"))


def test_fit_returns_self(check, rng):
    """Does fit return the scaler itself, so that scaler.fit(X).transform(Y) works and a later fit shows through it?"""
    X1, X2 = data(rng, (6, 3), np.float64), data(rng, (5, 3), np.float64)
    Y = wider(rng, X1, np.float64)
    feature_range = (-1, 1)

    def scenario(m):
        scaler = make(m, feature_range)
        chained = scaler.fit(X1).transform(Y)
        # The returned object must BE the scaler (not a copy): refitting the scaler must change it too.
        # This holds through the grader's runner, where both names are handles to one object.
        returned = scaler.fit(X1)
        scaler.fit(X2)
        return chained, _values(returned.data_min_, np.float64), _values(returned.scale_, np.float64)

    second = torch_fit(X2, feature_range)
    expected = (torch_transform(torch_fit(X1, feature_range), Y),
                oracle.numpy(second["data_min_"]), oracle.numpy(second["scale_"]))
    check.close(scenario, expected,
                call=f"{made(feature_range)}; scaler.fit(X1).transform(Y); "
                     "returned = scaler.fit(X1); scaler.fit(X2); returned.data_min_, returned.scale_",
                inputs={"X1": X1, "X2": X2, "Y": Y},
                names=("scaler.fit(X1).transform(Y)", "returned.data_min_ after scaler.fit(X2)",
                       "returned.scale_ after scaler.fit(X2)"))


def test_defaults(check, rng):
    """Does MinMaxScaler() default to feature_range=(0, 1), mapping each fitted column onto [0, 1]?"""
    X = data(rng, (9, 4), np.float64)
    Y = wider(rng, X, np.float64)
    stats = torch_fit(X)

    def scenario(m):
        scaler = m.MinMaxScaler()
        return scaler.fit_transform(X), scaler.transform(Y), attributes(scaler, np.float64)

    check.close(scenario, (torch_transform(stats, X), torch_transform(stats, Y), torch_attributes(stats, np.float64)),
                call="scaler = MinMaxScaler(); scaler.fit_transform(X); scaler.transform(Y)", inputs={"X": X, "Y": Y},
                names=("fit_transform(X)", "transform(Y)", ATTRIBUTES))


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_dtype(check, rng, dtype):
    """Are transform, fit_transform and inverse_transform right in the dtype of X (float32 in, float32 out)?"""
    X = data(rng, (5, 3), dtype)
    Y = wider(rng, X, dtype)
    stats = torch_fit(X, (-1, 1))

    def scenario(m):
        scaler = make(m, (-1, 1))
        scaler.fit(X)
        return scaler.transform(Y), make(m, (-1, 1)).fit_transform(X), scaler.inverse_transform(Y)

    like = (torch_transform(stats, Y), torch_transform(stats, X), torch_inverse(stats, Y))
    check.close(scenario, like, call="scaler = MinMaxScaler(feature_range=(-1, 1)); scaler.fit(X); scaler.transform(Y); "
                                     "MinMaxScaler(feature_range=(-1, 1)).fit_transform(X); scaler.inverse_transform(Y)",
                inputs={"X": X, "Y": Y}, dtype=True)


def _before_fit(method):
    def scenario(m, X):
        return getattr(m.MinMaxScaler(), method)(X)
    return scenario


def _fitted_then(method, fit_shape):
    def scenario(m, X):
        scaler = m.MinMaxScaler()
        scaler.fit(np.linspace(0.0, 1.0, int(np.prod(fit_shape))).reshape(fit_shape))
        return getattr(scaler, method)(X)
    return scenario


def _fit_with_range(feature_range):
    def scenario(m, X):
        return m.MinMaxScaler(feature_range=feature_range).fit(X)
    return scenario


BAD = [
    pytest.param(_before_fit("transform"), (4, 3), "scaler = MinMaxScaler(); scaler.transform(X)",
                 "the scaler is not fitted yet", id="transform-before-fit"),
    pytest.param(_before_fit("inverse_transform"), (4, 3), "scaler = MinMaxScaler(); scaler.inverse_transform(X)",
                 "the scaler is not fitted yet", id="inverse-before-fit"),
    pytest.param(_before_fit("fit"), (5,), "MinMaxScaler().fit(X)", "X is 1-D, not (n_samples, n_features)",
                 id="fit-1d"),
    pytest.param(_before_fit("fit_transform"), (2, 3, 4), "MinMaxScaler().fit_transform(X)",
                 "X is 3-D, not (n_samples, n_features)", id="fit-transform-3d"),
    pytest.param(_fitted_then("transform", (4, 3)), (3,), "scaler.fit(X_fit); scaler.transform(X)",
                 "X is 1-D, not (n_samples, n_features)", id="transform-1d"),
    pytest.param(_fitted_then("transform", (4, 3)), (5, 2), "scaler.fit(X_fit); scaler.transform(X)  # X_fit is (4, 3)",
                 "X has 2 features but the scaler was fitted on 3", id="transform-wrong-features"),
    pytest.param(_fitted_then("inverse_transform", (4, 3)), (5, 4),
                 "scaler.fit(X_fit); scaler.inverse_transform(X)  # X_fit is (4, 3)",
                 "X has 4 features but the scaler was fitted on 3", id="inverse-wrong-features"),
    pytest.param(_fit_with_range((1, 0)), (4, 3), "MinMaxScaler(feature_range=(1, 0)).fit(X)",
                 "feature_range's minimum 1 is above its maximum 0", id="range-reversed"),
    pytest.param(_fit_with_range((2, 2)), (4, 3), "MinMaxScaler(feature_range=(2, 2)).fit(X)",
                 "feature_range's minimum equals its maximum", id="range-empty"),
]


@pytest.mark.parametrize("scenario, shape, call, reason", BAD)
def test_bad_input(check, rng, scenario, shape, call, reason):
    """Are a transform before fit, an X that is not 2-D or has the wrong number of columns, and a feature_range with min >= max refused with ValueError?"""
    X = rng.standard_normal(shape)
    check.raises(lambda m: scenario(m, X), call=call, reason=reason, inputs={"X": X})


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_random_shapes(check, rng, dtype):
    """With the data's shape, feature_range and constant columns drawn afresh each run, do fit, transform and inverse_transform match?"""
    for _ in range(4):
        n_samples, n_features = int(rng.integers(1, 9)), int(rng.integers(1, 7))  # 1..8 rows, 1..6 columns
        lo = round(float(rng.uniform(-3.0, 1.0)), 2)
        feature_range = (lo, round(lo + float(rng.uniform(0.5, 4.0)), 2))  # lo < hi
        X = data(rng, (n_samples, n_features), dtype)  # (n_samples, n_features)
        constant = rng.random(n_features) < 0.3
        X[:, constant] = X[0, constant]  # some columns constant, at the value of their first row
        Y = wider(rng, X, dtype)  # (5, n_features)
        stats = torch_fit(X, feature_range)

        def scenario(m):
            scaler = m.MinMaxScaler(feature_range)  # by position
            scaler.fit(X)
            return attributes(scaler, dtype), scaler.transform(Y), scaler.inverse_transform(Y)

        check.close(scenario, (torch_attributes(stats, dtype), torch_transform(stats, Y), torch_inverse(stats, Y)),
                    call=f"scaler = MinMaxScaler({feature_range}); scaler.fit(X); scaler.transform(Y); "
                         f"scaler.inverse_transform(Y)  # X: {X.shape}, constant columns "
                         f"{[int(i) for i in np.flatnonzero(constant)]}, Y: {Y.shape}",
                    inputs={"X": X, "Y": Y}, names=(ATTRIBUTES, "transform(Y)", "inverse_transform(Y)"))
