"""The evidence for a diagnosis on one failing check: which catalogued mistakes behave as the learner's code did.

A check whose learner code returned a wrong answer collects two things. `named`: the mistakes that give that
answer and are clearly wrong themselves (each one could be the diagnosis). `alike`: the keys of every mistake
that gives that answer. A diagnosis is settled over the whole run (grader/testing/diagnosis.py): a mistake is
named on a check only when it is alike on every other such check of its functions. A check that ended in an
error, or let a bad input through, carries no evidence: it says nothing about which wrong answer the code
computes, and running every mistake there (each a training run, in some exercises) would cost seconds.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np

from grader.testing.mistakes import Mistake, NotReplaced

Scenario = Callable[[object], object]  # module-like namespace -> result


@dataclass(frozen=True)
class Evidence:
    named: tuple[Mistake, ...] = ()
    """Mistakes that give exactly the learner's wrong answer on this check, in catalogue order."""
    alike: tuple[str, ...] = ()
    """Keys of the mistakes that fail this check the way the learner's code did (the named ones among them)."""
    unable: tuple[str, ...] = ()
    """Keys of the mistakes this check cannot judge because its scenario reaches a name they do not replace:
    not being alike here says nothing about them."""
    unsteady: Callable[[str], bool] | None = field(default=None, compare=False, repr=False)
    """Whether a mistake that is not alike here gives another answer when it runs the scenario again (it draws
    from an unseeded generator), so that this check cannot judge it either. Asked only when settling needs it:
    running a mistake twice on every failing check would double the cost of a diagnosis."""


@dataclass(frozen=True)
class Outcome:
    """What one mistake did with a scenario."""

    mistake: Mistake
    value: object = None
    error: type | None = None
    """The type of what it raised; None when it returned `value`."""


def outcomes(mistakes: tuple[Mistake, ...], scenario: Scenario, arrays: dict[str, np.ndarray]) -> list[Outcome]:
    """Each mistake's outcome on `scenario`; inputs a mistake changes are put back before the next one runs."""
    kept = {k: np.array(v, copy=True) for k, v in arrays.items()}
    found = []
    for mistake in mistakes:
        value, error = None, None
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                value = scenario(mistake.namespace())
        except Exception as err:  # noqa: BLE001 - a mistake that cannot run this scenario says so by its outcome
            error = type(err)
        for name, array in arrays.items():
            if array.flags.writeable and array.shape == kept[name].shape and not same(array, kept[name]):
                array[...] = kept[name]
        found.append(Outcome(mistake, value, error))
    return found


def evidence(found: list[Outcome], alike: Callable[[Outcome], bool], named: Callable[[Outcome], bool] | None = None,
             rerun: Callable[[Outcome], bool] | None = None) -> Evidence:
    """The mistakes whose outcome is `alike` the learner's, among those the ones `named` picks, the others that
    could not run the scenario and, where `rerun` is given (it tells whether a mistake gives the same answer
    again), a way to ask which of the rest are unsteady."""
    kept = [o for o in found if alike(o)]
    unable = tuple(o.mistake.key for o in found if not alike(o) and o.error is NotReplaced)
    rest = {o.mistake.key: o for o in found if not alike(o) and o.error is None}
    asked: dict[str, bool] = {}

    def unsteady(key: str) -> bool:
        if key not in asked:
            asked[key] = key in rest and not rerun(rest[key])
        return asked[key]

    return Evidence(tuple(o.mistake for o in kept if named is not None and named(o)), tuple(o.mistake.key for o in kept),
                    unable, unsteady if rerun is not None and rest else None)


def rerun(scenario: Scenario, arrays: dict[str, np.ndarray], agree: Callable[[object, object], bool]):
    """A test of whether a mistake's outcome comes back the same when it runs `scenario` again: one that draws
    from a fresh generator differs from itself, and so from any learner, whatever the learner wrote."""
    def again(outcome: Outcome) -> bool:
        (second,) = outcomes((outcome.mistake,), scenario, arrays)
        return second.error is None and agree(outcome.value, second.value)
    return again


def same(now, before: np.ndarray) -> bool:
    return isinstance(now, np.ndarray) and now.shape == before.shape and np.array_equal(now, before, equal_nan=True)


def input_arrays(inputs: Mapping[str, object] | None) -> dict[str, np.ndarray]:
    """The arrays among a check's inputs by the name a learner knows them by: `x`, or `params['fc1.weight']`
    inside a dict of parameters."""
    found = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, np.ndarray):
            found[name] = value
        elif isinstance(value, Mapping):
            found.update({f"{name}[{key!r}]": v for key, v in value.items() if isinstance(v, np.ndarray)})
    return found
