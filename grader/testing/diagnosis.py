"""A diagnosis is never a guess: a catalogued mistake is named on a failing check only when it also explains every
other failing check of its functions in the run where the code returned an answer.

One check on its own can mislead. An `mse_loss` that divides by the batch size gives, on a batch of one, exactly
what summing gives; only the other shapes tell the two apart. So each failing check records its evidence
(grader/testing/explain.py), and at the end of the session every wrong answer's message is settled here: the first
mistake the check names that is alike on all the other failing checks calling the same functions is named
outright; otherwise the one that explains the most is offered as a possibility, with the checks it does not
explain.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Callable

import pytest

from grader.core.i18n import t
from grader.core.manifest import text
from grader.testing.failure import Context, diagnosis_lines, render

PROPERTY = "nnlings_failure"  # the report's user property that carries a wrong answer's evidence
SHOWN_MISSES = 3  # checks a possible diagnosis lists by name; the rest are counted
WEIGHING_KINDS = ("wrong", "loops")  # failures where the code computed an answer (or looped to get one)


@dataclass(frozen=True)
class Failed:
    """A failing check's evidence, as the report carries it."""

    nodeid: str
    learner: tuple[str, str | None]
    """(exercise, catalogued mistake or mutant under test): one learner's code. The self-check runs many."""
    call: str
    named: tuple[str, ...]
    alike: frozenset[str]
    weighs: bool = True
    """Whether the check carries evidence: the code returned a wrong answer (not an error, not a bad input let
    through, which say nothing about which wrong answer it computes)."""
    unable: frozenset[str] = frozenset()
    """Mistakes this check cannot judge (grader/testing/explain.py): it does not count against them."""
    unsteady: Callable[[str], bool] | None = field(default=None, compare=False, repr=False)
    """Whether a mistake gives another answer each time it runs this check (None: not known, taken as steady)."""

    def judges(self, key: str) -> bool:
        """Whether this check tells something about the mistake `key`."""
        return key in self.alike or not (key in self.unable or (self.unsteady is not None and self.unsteady(key)))


@dataclass(frozen=True)
class Verdict:
    key: str
    missed: tuple[str, ...]
    """The failing checks of the mistake's functions it does not explain; empty when it is named outright."""
    relevant: int
    """How many failing checks call the mistake's functions, this one included."""


def settle(failures: list[Failed], names: Callable[[str, str], tuple[str, ...]]) -> dict[str, Verdict]:
    """The diagnosis of each failing check that names a mistake, by node id. `names(exercise, key)` gives the
    public names a mistake replaces: the checks whose call mentions one of them are the ones it must explain."""
    groups: dict[tuple, list[Failed]] = {}  # one learner's weighing failures: a self-check run holds hundreds of learners
    for g in failures:
        if g.weighs:
            groups.setdefault(g.learner, []).append(g)
    verdicts = {}
    for f in failures:
        group = groups.get(f.learner, [])
        options = [_verdict(f, key, _relevant(f, key, group, names(f.learner[0], key))) for key in f.named]
        if options:
            verdicts[f.nodeid] = min(options, key=lambda v: len(v.missed))  # the first of the fewest misses
    return verdicts


def _relevant(f: Failed, key: str, group: list[Failed], replaced: tuple[str, ...]) -> list[Failed]:
    """The failing checks the mistake `key`, replacing `replaced`, must explain: those whose call mentions one of
    those names, or (when no call names them, as for a private helper) all of the learner's failing checks;
    of those, the ones that can judge it."""
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, replaced)) + r")\b") if replaced else None
    mentioned = [g for g in group if pattern is not None and pattern.search(g.call)]
    chosen = group if not mentioned else mentioned if f in mentioned else [f, *mentioned]
    return [g for g in chosen if g is f or g.judges(key)]


def _verdict(f: Failed, key: str, relevant: list[Failed]) -> Verdict:
    missed = tuple(g.nodeid for g in relevant if g is not f and key not in g.alike)
    return Verdict(key, missed, len(relevant))


_UNSTEADY: dict[int, Callable[[str], bool]] = {}
"""The evidence's unsteady tests by token, kept in this process until the session settles: a test reruns a
mistake, so it cannot travel in a report. Settling elsewhere (an xdist controller) takes every mistake as steady."""


def evidence_property(failure, context: Context, body: str, lang: str, exercise: str, learner: str | None) -> tuple:
    """The user property a report carries for a wrong answer: what settling and re-rendering it need."""
    token = None
    if failure.evidence.unsteady is not None:
        token = len(_UNSTEADY) + 1
        _UNSTEADY[token] = failure.evidence.unsteady
    return (PROPERTY, {"token": token, "exercise": exercise, "learner": learner, "call": failure.call,
                       "weighs": failure.kind in WEIGHING_KINDS,
                       "named": [m.key for m in failure.evidence.named], "alike": list(failure.evidence.alike),
                       "unable": list(failure.evidence.unable),
                       "body": body, "context": asdict(context), "lang": lang})


def headline(mistake, verdict: Verdict, lang: str) -> str | None:
    """The first line of the diagnosis: None when the mistake is named outright (the usual headline)."""
    if not verdict.missed:
        return None
    labels = [nodeid.split("::", 1)[-1] for nodeid in verdict.missed]
    shown = ", ".join(labels[:SHOWN_MISSES])
    if len(labels) > SHOWN_MISSES:
        shown += " " + t("failure.diagnosis_more", lang, count=len(labels) - SHOWN_MISSES)
    return t("failure.diagnosis_partial", lang, title=text(mistake.title, lang), total=verdict.relevant,
             explained=verdict.relevant - len(verdict.missed), missed=shown, functions=", ".join(mistake.overrides))


class Diagnoses:
    """Collects the wrong answers of a session and, before anything reports them, settles their diagnoses."""

    def __init__(self, catalogue: Callable[[str], tuple]):
        self.catalogue = catalogue  # exercise id -> its catalogued mistakes
        self.reports = []

    def pytest_runtest_logreport(self, report):
        if report.when == "call" and PROPERTY in dict(report.user_properties):
            self.reports.append(report)

    @pytest.hookimpl(tryfirst=True)  # before the recorder writes and the terminal summary prints the messages
    def pytest_sessionfinish(self, session):
        data = {r.nodeid: dict(r.user_properties)[PROPERTY] for r in self.reports}
        failures = [Failed(n, (d["exercise"], d["learner"]), d["call"], tuple(d["named"]), frozenset(d["alike"]),
                           d["weighs"], frozenset(d["unable"]), _UNSTEADY.get(d["token"])) for n, d in data.items()]
        verdicts = settle(failures, lambda exercise, key: tuple(self._mistake(exercise, key).overrides))
        for report in self.reports:
            d = data[report.nodeid]
            verdict = verdicts.get(report.nodeid)
            body = d["body"]
            if verdict is not None:
                mistake = self._mistake(d["exercise"], verdict.key)
                body += "\n" + "\n".join(diagnosis_lines(mistake, d["lang"], headline(mistake, verdict, d["lang"])))
            context = Context(**{**d["context"], "rerun": tuple(d["context"]["rerun"])})
            report.longrepr = render(body, context, d["lang"])
        _UNSTEADY.clear()

    def _mistake(self, exercise: str, key: str):
        return next(m for m in self.catalogue(exercise) if m.key == key)
