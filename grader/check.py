"""`check`: what a test uses to run learner code, compare it with the reference and explain a failure."""

from __future__ import annotations

import warnings
from typing import Callable, Mapping

import numpy as np

from grader.compare import VALUE_KINDS, Problem, compare, describe, matches
from grader.failure import ExerciseFailure
from grader.mistakes import Mistake
from grader.runner.errors import RunnerFault
from grader.runner.lines import LineCount
from grader.runner.proxy import Remote

# Not the learner's answer but the end of the check: a stub, or a runner that crashed, timed out or cheated.
PASS_THROUGH = (NotImplementedError, RunnerFault)

Scenario = Callable[[object], object]  # module-like namespace -> result
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
            raise ExerciseFailure("wrong", call, inputs, problems,
                                  mistake=self.diagnose(scenario, actual, expected, rtol=rtol, atol=atol, inputs=inputs))
        return actual

    def shaped(self, scenario: Scenario, like, *, call: str, inputs: Mapping[str, object] | None = None,
               dtype: bool = True):
        """Run `scenario(impl)` and require the type, shape and (unless `dtype=False`) dtype of `like`;
        values are not compared."""
        actual = self.run(scenario, call=call, inputs=inputs)
        problems = [p for p in compare(actual, like, dtype=dtype) if p.kind not in VALUE_KINDS]
        if problems:
            raise ExerciseFailure("wrong", call, inputs, problems,
                                  mistake=self.diagnose(scenario, actual, like, structural=True, inputs=inputs))
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
            raise ExerciseFailure("loops", call, inputs, [], mistake=self._looping(small, large),
                                  extra={"grows": grows, "small": sizes[0], "large": sizes[1],
                                         "few": few, "many": many})

    def lines_run(self, scenario: Scenario, *, call: str, inputs: Mapping[str, object] | None = None) -> int:
        """The number of lines of the learner's code that `scenario(impl)` runs."""
        return _lines_run(self.impl, lambda _: self.run(scenario, call=call, inputs=inputs))

    def _looping(self, small: Scenario, large: Scenario) -> Mistake | None:
        for mistake in self.mistakes:
            namespace = mistake.namespace()
            try:
                counts = [_lines_run(namespace, s) for s in (small, large)]
            except Exception:  # noqa: BLE001 - a mistake that cannot run this scenario is not this one
                continue
            if counts[1] - counts[0] > LOOP_SLACK:
                return mistake
        return None

    def run(self, scenario: Scenario, *, call: str, inputs: Mapping[str, object] | None = None):
        """`scenario(impl)`, then a check that no input array was changed in place."""
        before = _snapshot(_input_arrays(inputs))
        try:
            actual = scenario(self.impl)
        except PASS_THROUGH:
            raise
        except Exception as err:  # noqa: BLE001 - the learner sees the error with the call that caused it
            raise ExerciseFailure("raised", call, inputs, [], extra={"error": f"{type(err).__name__}: {err}"}) from err
        after = _input_arrays(inputs)
        changed = [k for k, v in before.items() if k not in after or not _same(after[k], v)]
        if changed:
            raise ExerciseFailure("mutated", call, inputs, [Problem("mutated", k) for k in changed])
        return actual

    def diagnose(self, scenario: Scenario, actual, expected, *, rtol=None, atol=None,
                 structural=False, inputs: Mapping[str, object] | None = None) -> Mistake | None:
        """The first catalogued mistake that gives the learner's answer on these inputs.

        A mistake that gives the right answer here says nothing about this failure (a dtype slip
        on an input where a masking mistake happens to be harmless, say), so it is passed over;
        so is one whose answer is only as far off as rounding (it then fails the same way the
        learner's near-miss does, without explaining it).
        """
        arrays = _input_arrays(inputs)
        kept = _snapshot(arrays)
        for mistake in self.mistakes:
            candidate = _attempt(scenario, mistake)
            for name, array in arrays.items():  # a mistake that works in place must not change the next one's inputs
                if array.flags.writeable and not _same(array, kept[name]):
                    array[...] = kept[name]
            if candidate is _FAILED:
                continue
            if structural:
                same = _same_form(actual, candidate) and not _same_form(expected, candidate)
            else:
                same = matches(actual, candidate, rtol=rtol, atol=atol) and \
                    not matches(candidate, expected, rtol=rtol, atol=atol, slack=CLEARLY_WRONG)
            if same:
                return mistake
        return None


_FAILED = object()


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


def _attempt(scenario: Scenario, mistake: Mistake):
    """The mistake's answer to the scenario, or _FAILED when it cannot give one."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return scenario(mistake.namespace())
    except Exception:  # noqa: BLE001 - a mistake that cannot run this scenario is not this one
        return _FAILED


def _same_form(a, b) -> bool:
    """Same structure, type, shape and dtype (values aside)."""
    return not [p for p in compare(a, b) if p.kind not in VALUE_KINDS]


def _input_arrays(inputs: Mapping[str, object] | None) -> dict[str, np.ndarray]:
    """The arrays among a check's inputs by the name a learner knows them by: `x`, or `params['fc1.weight']`
    inside a dict of parameters."""
    found = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, np.ndarray):
            found[name] = value
        elif isinstance(value, Mapping):
            found.update({f"{name}[{key!r}]": v for key, v in value.items() if isinstance(v, np.ndarray)})
    return found


def _snapshot(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: np.array(v, copy=True) for k, v in arrays.items()}


def _same(now, before: np.ndarray) -> bool:
    return isinstance(now, np.ndarray) and now.shape == before.shape and np.array_equal(now, before, equal_nan=True)
