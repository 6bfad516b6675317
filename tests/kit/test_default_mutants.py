"""The self-check's automatic mutants of defaults: each default changed to another valid value, one at a time,
must fail some test unless the manifest says why no test can see it."""

from types import SimpleNamespace

from grader.authoring.selfcheck import default_verdicts
from grader.core.manifest import Exercise
from grader.core.run import RunResult
from grader.testing.default_mutants import alternative, mutants


def test_alternatives():
    """Does each kind of default get another valid value, and None, strings and tuples none?"""
    assert alternative("keepdims", False) is True and alternative("axis", -1) == 0 and alternative("dim", 1) == -1
    assert alternative("steps", 2000) == 2001 and alternative("eps", 1e-5) == 2e-5 and alternative("p", 0.0) == 0.5
    assert alternative("rng", None) is None and alternative("mode", "mean") is None and alternative("s", (1,)) is None


def softmax(x, axis=-1, *, scale=1.0):
    return x, axis, scale


class SGD:
    def __init__(self, params, lr=0.1, nesterov=False):
        self.params, self.lr, self.nesterov = params, lr, nesterov


def test_mutants_change_only_the_default():
    """Does a mutant use its new default when the argument is left out, and behave as before when it is given?"""
    found = {m.key: m for m in mutants(SimpleNamespace(softmax=softmax, SGD=SGD), ("softmax", "SGD"))}
    assert set(found) == {"default.softmax.axis", "default.softmax.scale", "default.SGD.lr", "default.SGD.nesterov"}
    wrong = found["default.softmax.axis"].namespace().softmax
    assert wrong("x") == ("x", 0, 1.0) and wrong("x", -1) == ("x", -1, 1.0) and softmax("x") == ("x", -1, 1.0)
    assert found["default.softmax.scale"].namespace().softmax("x") == ("x", -1, 2.0)
    opt = found["default.SGD.nesterov"].namespace().SGD([1])
    assert isinstance(opt, SGD) and opt.nesterov is True and opt.lr == 0.1
    assert found["default.SGD.lr"].namespace().SGD([1], lr=0.1).lr == 0.1 and SGD([1]).lr == 0.1


def case(key, status):
    return {"exercise": "m.f", "test": "test_x", "params": f"mistake=default.{key}-float64", "status": status}


def test_survivors_are_problems_unless_listed():
    """Is a surviving mutant a problem unless listed as equivalent, and a listed one that a test kills a problem too?"""
    run = RunResult([case("f.axis", "passed"), case("f.axis", "passed"), case("f.eps", "failed"),
                     case("f.eps", "passed"), case("f.lr", "passed"), case("f.bias", "failed")])
    ex = Exercise("m.f", {"en": "F"}, 10.0, ("f",), equivalent_defaults={"f.lr": "only the path changes",
                                                                       "f.bias": "stale"})
    problems = default_verdicts(ex, run)
    assert len(problems) == 2
    assert "default of axis in f passes every test" in problems[0] and '"f.axis"' in problems[0]
    assert "lists f.bias, but a test tells its mutant apart" in problems[1]
