"""compare(): the order a learner fixes things in (structure, type, shape, dtype, non-finite, values)."""

import numpy as np
import pytest

from grader.testing.compare import compare, matches


def kinds(actual, expected, **kw):
    return [p.kind for p in compare(actual, expected, **kw)]


def test_equal_within_tolerance():
    """Is a result within rtol/atol of the reference accepted?"""
    e = np.linspace(0, 1, 6).reshape(2, 3)
    assert compare(e + 1e-7, e) == []


def test_shape_before_values():
    """Is a wrong shape reported as a shape problem, not as a flood of numbers?"""
    assert kinds(np.zeros((3, 2)), np.zeros((2, 3))) == ["shape"]


def test_dtype_policy():
    """Is float64 returned for float32 input reported as a dtype problem, unless only values are compared?"""
    assert kinds(np.zeros(3), np.zeros(3, dtype=np.float32)) == ["dtype"]
    assert compare(np.zeros(3), np.zeros(3, dtype=np.float32), dtype=False) == []
    assert compare(np.arange(3), np.arange(3.0), dtype=False) == []
    assert [p.kind for p in compare(np.array(["a"]), np.zeros(1), dtype=False)] == ["dtype"]


def test_nonfinite():
    """Are NaNs where the reference is finite reported with their count and first index?"""
    a = np.array([0.0, np.nan, 1.0, np.inf])
    [problem] = compare(a, np.zeros(4))
    assert problem.kind == "nonfinite" and problem.params["count"] == 2 and problem.params["index"] == "[1]"


def test_value_details():
    """Does a values problem name the count, the largest error and where it is?"""
    e = np.zeros((2, 3))
    a = e.copy()
    a[1, 2], a[0, 1] = 5.0, 0.5
    [problem] = compare(a, e)
    assert problem.params["count"] == 2 and problem.params["max_index"] == "[1, 2]"
    assert problem.params["first_index"] == "[0, 1]"


def test_scalars():
    """Is a NumPy scalar or a 0-d array accepted where a scalar is expected, but not a list?"""
    expected = np.float32(2.0)
    assert compare(np.float32(2.0), expected) == []
    assert compare(np.array(2.0, dtype=np.float32), expected) == []
    assert kinds([2.0], expected) == ["type"]


def test_list_is_not_an_array():
    """Is a Python list returned for an array reported as a type problem?"""
    assert kinds([[1.0, 2.0]], np.ones((1, 2))) == ["type"]


def test_structure():
    """Is a bare array returned where a tuple was expected reported with names?"""
    problems = compare(np.ones(2), (np.ones(2), np.ones(2)), names=("h", "c"))
    assert [p.kind for p in problems] == ["structure"]
    problems = compare((np.ones(2), np.zeros(2)), (np.ones(2), np.ones(2)), names=("h", "c"))
    assert [(p.kind, p.leaf) for p in problems] == [("values", "c")]


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_matches_nonfinite(value):
    """Does a mistake that gives the same NaN/inf as the learner count as a match?"""
    a = np.array([1.0, value])
    assert matches(a, a.copy())


def test_bool_exact():
    """Are boolean results compared exactly?"""
    assert kinds(np.array([True, False]), np.array([True, True])) == ["values"]


def test_scalar_message_has_no_index():
    """Is a wrong scalar reported as 'yours, expected' rather than as an array with an empty index?"""
    assert kinds(np.float64(2.0), np.float64(1.0)) == ["value_tol"]
    assert kinds(3, 2) == ["value"]


def test_none_is_the_answer_where_nothing_is_expected():
    """Is None right where None is expected (the gradient of an absent bias), and anything else a problem
    that says so, as an array is where an array is expected?"""
    assert compare((np.ones(2), None), (np.ones(2), None), names=("grad_x", "grad_bias")) == []
    assert [p.kind for p in compare(np.zeros(3), None, names="grad_bias")] == ["none"]
    assert [p.kind for p in compare(None, np.zeros(3), names="grad_bias")] == ["type"]


def test_dicts_compare_by_key():
    """Is a dict of gradients compared key by key, each part named by its key, and a missing or extra key
    a problem of its own?"""
    expected = {"w": np.ones(2), "b": np.zeros(1)}
    assert compare({"b": np.zeros(1), "w": np.ones(2)}, expected, names="grads") == []
    wrong = compare({"w": np.ones(2) * 2, "b": np.zeros(1)}, expected, names="grads")
    assert [(p.kind, p.leaf) for p in wrong] == [("values", "grads['w']")]
    assert [p.kind for p in compare({"w": np.ones(2)}, expected)] == ["keys"]
    assert [p.kind for p in compare((np.ones(2), np.zeros(1)), expected)] == ["keys"]
