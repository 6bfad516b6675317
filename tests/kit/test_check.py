"""Check: a wrong answer is reported with the catalogued mistake it matches, and only then."""

from types import SimpleNamespace

import numpy as np
import pytest

from grader.testing.check import Check
from grader.testing.failure import ExerciseFailure
from grader.testing.mistakes import mistake

DOUBLE = mistake("double", title={"en": "doubling"}, why={"en": "w"}, f=lambda x: x * 2)
HARMLESS = mistake("harmless", title={"en": "harmless here"}, why={"en": "w"}, f=lambda x: x.astype(np.float64))


def failure(impl, expected, mistakes, x):
    with pytest.raises(ExerciseFailure) as err:
        Check(SimpleNamespace(f=impl), mistakes).close(lambda m: m.f(x), expected, call="f(x)", inputs={"x": x})
    return err.value


def test_names_the_matching_mistake():
    """Is a wrong answer that equals a catalogued mistake's answer named?"""
    x = np.arange(3.0)
    assert failure(lambda v: v * 2, x.copy(), (DOUBLE,), x).mistake is DOUBLE


def test_mistake_right_on_these_inputs_is_not_named():
    """Is a mistake that gives the right values here kept out of a failure it cannot explain?"""
    x = np.arange(3.0, dtype=np.float32)
    found = failure(lambda v: v.astype(np.float64) * 3, x.copy(), (HARMLESS, DOUBLE), x)
    assert found.problems[0].kind == "values" and found.mistake is None


def test_values_are_graded_apart_from_dtype():
    """Does a value check pass right values in another dtype, at the expected dtype's tolerance, while
    `shaped` still reports the dtype?"""
    x = np.linspace(0, 1, 5, dtype=np.float32)
    check = Check(SimpleNamespace(f=lambda v: v.astype(np.float64) * (1 + 2e-5)), (HARMLESS,))
    check.close(lambda m: m.f(x), x.copy(), call="f(x)", inputs={"x": x})  # within float32's rtol of 1e-4
    with pytest.raises(ExerciseFailure) as err:
        check.shaped(lambda m: m.f(x), x, call="f(x)", inputs={"x": x})
    assert [p.kind for p in err.value.problems] == ["dtype"]
    check.shaped(lambda m: m.f(x), x, call="f(x)", inputs={"x": x}, dtype=False)
    with pytest.raises(ExerciseFailure) as err:  # float64 input: float64 tolerance, whatever comes back
        Check(SimpleNamespace(f=lambda v: (v * (1 + 2e-5)).astype(np.float32)), ()).close(
            lambda m: m.f(x.astype(np.float64)), x.astype(np.float64), call="f(x)")
    assert err.value.problems[0].kind == "values"


def test_mutation_is_reported():
    """Is changing the caller's array in place a failure of its own?"""
    def scale_in_place(v):
        v *= 2
        return v

    x = np.arange(3.0)
    found = failure(scale_in_place, x * 2, (), x)
    assert found.kind == "mutated"


def test_mutated_params_dict_is_reported_by_key():
    """Is an array changed inside a dict of parameters (or a key dropped) reported under its key, and the
    dict shown key by key in the message?"""
    def add_in_place(x, params):
        params["fc.weight"] += 1
        return x

    def drop_key(x, params):
        del params["fc.bias"]
        return x

    for impl, key in ((add_in_place, "params['fc.weight']"), (drop_key, "params['fc.bias']")):
        x, params = np.arange(3.0), {"fc.weight": np.ones((2, 3)), "fc.bias": np.zeros(2)}
        with pytest.raises(ExerciseFailure) as err:
            Check(SimpleNamespace(f=impl), ()).close(lambda m: m.f(x, params), x.copy(), call="f(x, params)",
                                                       inputs={"x": x, "params": params})
        assert err.value.kind == "mutated" and [p.leaf for p in err.value.problems] == [key]
        assert "'fc.weight': ndarray (2, 3) float64" in str(err.value)


def test_raises_wants_value_error():
    """Does a missing ValueError fail with what came back instead?"""
    with pytest.raises(ExerciseFailure) as err:
        Check(SimpleNamespace(f=lambda x: x), ()).raises(lambda m: m.f(1), call="f(1)", reason="bad")
    assert err.value.kind == "no_error"


def test_rounding_sized_mistake_is_not_named():
    """Is a mistake that is only rounding-far from the reference kept out of a near-miss failure?"""
    x = np.arange(1.0, 4.0)
    nudge = mistake("nudge", title={"en": "nudge"}, why={"en": "w"}, f=lambda v: v * (1 + 3e-5))
    found = failure(lambda v: v * (1 + 3e-5), x.copy(), (nudge,), x)
    assert found.problems[0].kind == "values" and found.mistake is None


def test_a_mistake_in_place_does_not_change_the_next_ones_inputs():
    """When the diagnosis tries a catalogued mistake that changes its input in place, do the mistakes after
    it still see the test's inputs as they were, so the right one is named?"""
    in_place = mistake("in_place", title={"en": "in place"}, why={"en": "w"}, f=lambda v: v.__imul__(5) + 100)
    x = np.arange(3.0)
    found = failure(lambda v: v * 2, x * 3, (in_place, DOUBLE), x)
    assert found.mistake is DOUBLE and np.array_equal(x, np.arange(3.0))
