"""`check`: what a test uses to run learner code, compare it with the reference and explain a failure."""

from __future__ import annotations

from typing import Mapping

import numpy as np

from grader.runner.errors import RunnerFault
from grader.runner.lines import LineCount
from grader.runner.proxy import Remote
from grader.testing.compare import VALUE_KINDS, Problem, compare, describe, matches
from grader.testing.explain import Evidence, Scenario, evidence, input_arrays, outcomes, rerun, same
from grader.testing.failure import ExerciseFailure
from grader.testing.mistakes import Mistake, NotReplaced

# Not the learner's answer but the end of the check: a stub, or a runner that crashed, timed out or cheated.
PASS_THROUGH = (NotImplementedError, RunnerFault)

# A mistake names a failure only where it is wrong by more than this many tolerances.
CLEARLY_WRONG = 10.0
# Vectorised code runs the same lines whatever the output size (a branch or two aside); a loop over even
# one axis of the output adds a line or more per step.
LOOP_SLACK = 16


class Check:
    """Runs a scenario against the learner's module; on a wrong answer, names the catalogued mistake it matches."""

    def __init__(self, impl, mistakes: tuple[Mistake, ...] = ()):
        self.impl = impl
        self.mistakes = mistakes

    def close(self, scenario: Scenario, expected, *, call: str, inputs: Mapping[str, object] | None = None,
              names=None, rtol: float | None = None, atol: float | None = None, dtype: bool = False):
        """Run `scenario(impl)` and require it to match `expected` (a leaf or a nested tuple of leaves).

        Values only: a result in another numeric dtype is compared at the tolerance of `expected`'s dtype.
        Each exercise grades its dtype rule in a check of its own, `test_dtype`, which passes `dtype=True`:
        right values in the right dtype (a wrong answer earns nothing there for its dtype alone)."""
        actual = self.run(scenario, call=call, inputs=inputs)
        problems = compare(actual, expected, rtol=rtol, atol=atol, names=names, dtype=dtype)
        if problems:
            # A mistake that gives the right answer here, or one only as far off as rounding, explains nothing.
            found = self._outcomes(scenario, inputs)
            agree = lambda a, b: matches(a, b, rtol=rtol, atol=atol)  # noqa: E731
            raise ExerciseFailure("wrong", call, inputs, problems, evidence=evidence(
                found, lambda o: o.error is None and agree(actual, o.value),
                lambda o: not matches(o.value, expected, rtol=rtol, atol=atol, slack=CLEARLY_WRONG),
                rerun(scenario, input_arrays(inputs), agree)))
        return actual

    def shaped(self, scenario: Scenario, like, *, call: str, inputs: Mapping[str, object] | None = None,
               dtype: bool = True):
        """Run `scenario(impl)` and require the type, shape and (unless `dtype=False`) dtype of `like`;
        values are not compared."""
        actual = self.run(scenario, call=call, inputs=inputs)
        problems = [p for p in compare(actual, like, dtype=dtype) if p.kind not in VALUE_KINDS]
        if problems:
            found = self._outcomes(scenario, inputs)
            raise ExerciseFailure("wrong", call, inputs, problems, evidence=evidence(
                found, lambda o: o.error is None and _same_form(actual, o.value),
                lambda o: not _same_form(like, o.value)))
        return actual

    def raises(self, scenario: Scenario, *, call: str, reason: str, error: type = ValueError,
               inputs: Mapping[str, object] | None = None) -> None:
        """Require `scenario(impl)` to raise `error` (bad input must be refused, not silently used)."""
        try:
            result = scenario(self.impl)
        except PASS_THROUGH:
            raise
        except error:
            return
        except Exception as err:  # noqa: BLE001 - any other error is the learner's to see
            raise ExerciseFailure("wrong_error", call, inputs, [],
                                  extra={"reason": reason, "raised": f"{type(err).__name__}: {err}",
                                         "error": error.__name__}) from err
        raise ExerciseFailure("no_error", call, inputs, [],
                              extra={"reason": reason, "returned": describe(result), "error": error.__name__})

    def loop_free(self, small: Scenario, large: Scenario, *, call: str, grows: str, sizes: tuple[str, str],
                  inputs: Mapping[str, object] | None = None) -> None:
        """Require the learner's code to run about as many Python lines for `large` as for `small`: two calls
        that differ only in `grows` (say, the number of output positions). Lines are counted, not timed, so
        the check cannot flake; right values are other checks' business."""
        few, many = self.lines_run(small, call=call, inputs=inputs), self.lines_run(large, call=call, inputs=inputs)
        if many - few > LOOP_SLACK:
            looping, unable = self._looping(small, large)
            raise ExerciseFailure("loops", call, inputs, [],
                                  evidence=Evidence(looping, tuple(m.key for m in looping), unable),
                                  extra={"grows": grows, "small": sizes[0], "large": sizes[1],
                                         "few": few, "many": many})

    def lines_run(self, scenario: Scenario, *, call: str, inputs: Mapping[str, object] | None = None) -> int:
        """The number of lines of the learner's code that `scenario(impl)` runs."""
        return _lines_run(self.impl, lambda _: self.run(scenario, call=call, inputs=inputs))

    def _looping(self, small: Scenario, large: Scenario) -> tuple[tuple[Mistake, ...], tuple[str, ...]]:
        """The catalogued mistakes that loop too, and the keys of those that cannot run these scenarios."""
        found, unable = [], []
        for mistake in self.mistakes:
            namespace = mistake.namespace()
            try:
                counts = [_lines_run(namespace, s) for s in (small, large)]
            except NotReplaced:
                unable.append(mistake.key)
                continue
            except Exception:  # noqa: BLE001 - a mistake that fails on this scenario is not this one
                continue
            if counts[1] - counts[0] > LOOP_SLACK:
                found.append(mistake)
        return tuple(found), tuple(unable)

    def run(self, scenario: Scenario, *, call: str, inputs: Mapping[str, object] | None = None):
        """`scenario(impl)`, then a check that no input array was changed in place."""
        arrays = input_arrays(inputs)
        before = {k: np.array(v, copy=True) for k, v in arrays.items()}
        try:
            actual = scenario(self.impl)
        except PASS_THROUGH:
            raise
        except Exception as err:  # noqa: BLE001 - the learner sees the error with the call that caused it
            raise ExerciseFailure("raised", call, inputs, [], extra={"error": f"{type(err).__name__}: {err}"}) from err
        after = input_arrays(inputs)
        changed = [k for k, v in before.items() if k not in after or not same(after[k], v)]
        if changed:
            raise ExerciseFailure("mutated", call, inputs, [Problem("mutated", k) for k in changed])
        return actual

    def _outcomes(self, scenario: Scenario, inputs: Mapping[str, object] | None) -> list:
        return outcomes(self.mistakes, scenario, input_arrays(inputs))


def _lines_run(impl, scenario: Scenario) -> int:
    """Lines of `impl`'s own files run by `scenario(impl)`: counted in the runner when `impl` lives there."""
    if isinstance(impl, Remote):
        return object.__getattribute__(impl, "_session").lines_run(lambda: scenario(impl))
    with LineCount(_files_of(impl)) as counted:
        scenario(impl)
    return counted.lines


def _files_of(impl) -> set[str]:
    """A module's file, or the files a namespace's functions and classes are written in (a catalogued
    mistake on top of the solution)."""
    if getattr(impl, "__file__", None):
        return {impl.__file__}
    files = set()
    for value in vars(impl).values():
        code = getattr(value, "__code__", None)
        if code is not None:
            files.add(code.co_filename)
        elif isinstance(value, type):
            files |= {v.__code__.co_filename for v in vars(value).values() if hasattr(v, "__code__")}
    return {f for f in files if f}


def _same_form(a, b) -> bool:
    """Same structure, type, shape and dtype (values aside)."""
    return not [p for p in compare(a, b) if p.kind not in VALUE_KINDS]


