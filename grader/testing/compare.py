"""Compare a learner's result with the reference, leaf by leaf: structure, type, shape, dtype, non-finite, values."""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np

# float64 is the binding tolerance of the curriculum; float32 results are held to float32 precision.
# Problems about the numbers themselves, as opposed to the form of the result.
VALUE_KINDS = ("values", "value", "value_tol", "nonfinite")
# Kinds whose values compare across dtypes: bool, integers and reals.
NUMERIC = "biuf"
TOLERANCES = {np.dtype(np.float64): (1e-5, 1e-6), np.dtype(np.float32): (1e-4, 1e-5)}


@dataclass(frozen=True)
class Problem:
    kind: str
    """'structure', 'type', 'shape', 'dtype', 'nonfinite', 'values' (arrays), 'value' or 'value_tol' (scalars)."""
    leaf: str
    """Which part of the result, such as 'result' or 'h_n'."""
    params: dict = field(default_factory=dict)
    """Numbers for the message: shapes, counts, errors, indices, tolerances."""


def tolerance(dtype, rtol: float | None = None, atol: float | None = None) -> tuple[float, float]:
    base = TOLERANCES.get(np.dtype(dtype), TOLERANCES[np.dtype(np.float64)])
    return (base[0] if rtol is None else rtol, base[1] if atol is None else atol)


def leaves(expected, names=None, label: str = "result"):
    """Yield (label, leaf) pairs of a nested tuple/list, labelled by `names` where given."""
    if isinstance(expected, (tuple, list)):
        for i, item in enumerate(expected):
            sub = names[i] if isinstance(names, (tuple, list)) else None
            yield from leaves(item, sub, sub if isinstance(sub, str) else f"{label}[{i}]")
    else:
        yield (names if isinstance(names, str) else label), expected


def compare(actual, expected, *, rtol=None, atol=None, names=None, label: str = "result",
            slack: float = 1.0, dtype: bool = True) -> list[Problem]:
    """All problems, at most one per leaf, in the order a learner should fix them.

    With `dtype=False` a result of another numeric dtype is compared by value, at the tolerance of the
    expected dtype: a value check then grades values only, and the dtype rule is a check of its own."""
    if isinstance(expected, (tuple, list)):
        own = names if isinstance(names, str) else label
        if not isinstance(actual, (tuple, list)) or len(actual) != len(expected):
            return [Problem("structure", own, {"yours": _shown(actual), "expected": _shown(expected)})]
        problems = []
        for i, (a, e) in enumerate(zip(actual, expected)):
            sub = names[i] if isinstance(names, (tuple, list)) else None
            sub_label = sub if isinstance(sub, str) else f"{own}[{i}]"
            problems += compare(a, e, rtol=rtol, atol=atol, names=sub, label=sub_label, slack=slack, dtype=dtype)
        return problems
    if isinstance(expected, dict):  # gradients by parameter name: the keys first, then each value by its key
        own = names if isinstance(names, str) else label
        if not isinstance(actual, dict) or set(actual) != set(expected):
            yours = sorted(map(str, actual)) if isinstance(actual, dict) else describe(actual)
            return [Problem("keys", own, {"yours": yours, "expected": sorted(expected)})]
        problems = []
        for key, e in expected.items():
            problems += compare(actual[key], e, rtol=rtol, atol=atol, label=f"{own}[{key!r}]", slack=slack, dtype=dtype)
        return problems
    problem = compare_leaf(actual, expected, rtol=rtol, atol=atol, label=names if isinstance(names, str) else label,
                           slack=slack, dtype=dtype)
    return [problem] if problem else []


def describe(value) -> str:
    """A short description of what a value is: 'ndarray (2, 3) float32', 'tuple of 2', 'None'."""
    if isinstance(value, np.ndarray):
        return f"ndarray {tuple(value.shape)} {value.dtype}"
    if isinstance(value, (tuple, list)):
        return f"{type(value).__name__} of {len(value)}"
    if isinstance(value, np.generic):
        return f"numpy {value.dtype} scalar"
    return type(value).__name__


def _shown(value) -> str:
    """A result as a structure message shows it: a short list of plain numbers (token ids) in full, else described."""
    if isinstance(value, (tuple, list)) and len(value) <= 20 and \
            all(isinstance(v, (numbers.Number, np.generic)) and not isinstance(v, complex) for v in value):
        return f"{type(value).__name__} of {len(value)}: {[v.item() if isinstance(v, np.generic) else v for v in value]}"
    return describe(value)


def _as_array(value):
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, (np.generic, numbers.Number)) and not isinstance(value, complex):
        return np.asarray(value)
    return None


def compare_leaf(actual, expected, *, rtol=None, atol=None, label: str = "result", slack: float = 1.0,
                 dtype: bool = True) -> Problem | None:
    """The first problem of one leaf; `slack` multiplies both tolerances."""
    with np.errstate(all="ignore"):  # inf - inf and friends are expected here, not news
        return _compare_leaf(actual, expected, rtol=rtol, atol=atol, label=label, slack=slack, dtype=dtype)


def _compare_leaf(actual, expected, *, rtol, atol, label: str, slack: float, dtype: bool) -> Problem | None:
    if expected is None:  # the gradient of an absent input (a bias that is None): nothing is the answer
        return None if actual is None else Problem("none", label, {"yours": describe(actual)})
    exp = np.asarray(expected)
    act = _as_array(actual)
    if act is None or (exp.ndim > 0 and not isinstance(actual, np.ndarray)):
        return Problem("type", label, {"yours": describe(actual), "expected": describe(exp if exp.ndim else expected)})
    if act.shape != exp.shape:
        return Problem("shape", label, {"yours": tuple(act.shape), "expected": tuple(exp.shape)})
    if isinstance(expected, (np.ndarray, np.generic)) and act.dtype != exp.dtype and \
            (dtype or act.dtype.kind not in NUMERIC or exp.dtype.kind not in NUMERIC):
        return Problem("dtype", label, {"yours": str(act.dtype), "expected": str(exp.dtype)})
    if exp.dtype.kind in "biu" or act.dtype.kind == "b":
        bad = act != exp
        rt, at = 0.0, 0.0
    else:
        rt, at = tolerance(exp.dtype if exp.dtype.kind == "f" else np.float64, rtol, atol)
        rt, at = rt * slack, at * slack
        a64, e64 = act.astype(np.float64), exp.astype(np.float64)
        wild = ~np.isfinite(a64) & np.isfinite(e64)
        if wild.any():
            idx = _index(np.argwhere(wild)[0])
            return Problem("nonfinite", label, {"count": int(wild.sum()), "total": int(act.size),
                                                "index": idx, "yours": _fmt(a64[tuple(np.argwhere(wild)[0])])})
        bad = ~np.isclose(a64, e64, rtol=rt, atol=at, equal_nan=True)
    if not bad.any():
        return None
    if exp.ndim == 0:
        exact = exp.dtype.kind in "biu" or act.dtype.kind == "b"
        return Problem("value" if exact else "value_tol", label,
                       {"yours": _fmt(act[()]), "expected": _fmt(exp[()]), "rtol": rt, "atol": at})
    return Problem("values", label, _value_params(act, exp, bad, rt, at))


def _value_params(act, exp, bad, rtol, atol) -> dict:
    err = np.where(bad, np.abs(np.nan_to_num(act.astype(np.float64) - exp.astype(np.float64), nan=np.inf)), -1.0)
    worst = np.unravel_index(int(np.argmax(err)), err.shape) if err.ndim else ()
    first = tuple(np.argwhere(bad)[0]) if bad.ndim else ()
    return {
        "count": int(bad.sum()), "total": int(bad.size), "rtol": rtol, "atol": atol,
        "max_error": _fmt(err[worst]), "max_index": _index(worst),
        "max_yours": _fmt(act[worst]), "max_expected": _fmt(exp[worst]),
        "first_index": _index(first), "first_yours": _fmt(act[first]), "first_expected": _fmt(exp[first]),
    }


def _index(idx) -> str:
    return "[" + ", ".join(str(int(i)) for i in idx) + "]"


def _fmt(x) -> str:
    x = x.item() if hasattr(x, "item") else x
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    return f"{x:.6g}"


def matches(actual, candidate, *, rtol=None, atol=None, slack: float = 1.0) -> bool:
    """Whether `actual` equals `candidate` within tolerance times `slack` (NaN matching NaN), dtype aside."""
    try:
        return not compare(actual, _loosen_dtype(candidate, actual), rtol=rtol, atol=atol, slack=slack)
    except (TypeError, ValueError):
        return False


def _loosen_dtype(candidate, actual):
    """A mistake run in another dtype still counts as the same mistake: compare values only."""
    if isinstance(candidate, (tuple, list)) and isinstance(actual, (tuple, list)) and len(candidate) == len(actual):
        return type(candidate)(_loosen_dtype(c, a) for c, a in zip(candidate, actual))
    if isinstance(candidate, dict) and isinstance(actual, dict):
        return {k: _loosen_dtype(v, actual[k]) if k in actual else v for k, v in candidate.items()}
    if isinstance(candidate, np.ndarray) and isinstance(actual, np.ndarray) and candidate.dtype.kind == actual.dtype.kind:
        return candidate.astype(actual.dtype)
    return candidate
