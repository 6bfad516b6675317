"""Score recorded test cases against the manifest: only what is listed, and only what positively passed."""

from __future__ import annotations

from collections import defaultdict

from grader.core.manifest import Exercise, Manifest, text
from grader.core.report import ExerciseResult, ModuleResult, TestResult


SEVERITY = ("forbidden", "error", "crashed", "invalid_output", "timeout", "failed", "todo", "skipped")
"""Which status a test (or exercise) shows when its cases ended differently: the first that applies."""


def score_test(name: str, weight: float, share: float, cases: list[dict]) -> TestResult:
    """`share` is the points this test can earn; it earns them in proportion to its passing cases."""
    passed = sum(c["status"] == "passed" for c in cases)
    earned = share * passed / len(cases) if cases else 0.0
    statuses = {c["status"] for c in cases}
    if not cases:
        status = "missing"
    elif statuses == {"passed"}:
        status = "passed"
    else:
        status = next((s for s in SEVERITY if s in statuses), "failed")
    # The message of a case that ended as the test is reported: a failed test never shows a todo's message.
    bad = [c for c in cases if c["status"] != "passed"]
    first_bad = next((c for c in bad if c["status"] == status), bad[0] if bad else None)
    return TestResult(name, status, weight, round(earned, 4), round(share, 4), passed, len(cases),
                      first_bad["message"] if first_bad else "")


FORFEIT = ("forbidden", "invalid_output")
"""Statuses that cost the whole exercise: what passed alongside them cannot be trusted to be the learner's own."""


def exercise_status(tests: list[TestResult]) -> str:
    statuses = {t.status for t in tests}
    for severe in (*FORFEIT, "error"):
        if severe in statuses:
            return severe
    if statuses == {"passed"}:
        return "passed"
    if any(t.passed for t in tests):
        return "partial"
    if statuses == {"todo"}:
        return "todo"
    return next((s for s in ("crashed", "timeout") if s in statuses), "failed")


def score_exercise(ex: Exercise, cases: list[dict], lang: str = "en") -> ExerciseResult:
    by_test: dict[str, list[dict]] = defaultdict(list)
    for case in cases:
        by_test[case["test"]].append(case)
    total_weight = sum(ex.tests.values()) or 1.0
    shares = {name: ex.points * w / total_weight for name, w in ex.tests.items()}
    tests = [score_test(name, w, shares[name], by_test.get(name, [])) for name, w in ex.tests.items()]
    # Summed from the unrounded shares, so that everything passing is exactly the exercise's points.
    score = round(sum(shares[t.name] * t.passed / t.total for t in tests if t.total), 4)
    _balance(tests, "possible", ex.points)
    _balance(tests, "score", score)
    status = exercise_status(tests) if tests else "error"
    if status in FORFEIT:
        score = 0.0
        for test in tests:
            test.score = 0.0
    return ExerciseResult(ex.id, ex.module, text(ex.title, lang), status, score, ex.points, tests)


def _balance(tests: list[TestResult], field: str, total: float) -> None:
    """Give the rounding that the 4-decimal values left over to the last test that has any of `field`, so
    that they add up to the exercise's own number (Gradescope shows the sum of max_score as what an
    assignment is out of). A test that earned nothing keeps its 0: no value ever goes below zero."""
    holders = [t for t in tests if getattr(t, field) > 0]
    if not holders:
        return
    last = holders[-1]
    rest = round(total - sum(getattr(t, field) for t in tests if t is not last), 4)
    if abs(rest - getattr(last, field)) < 1e-3 and rest >= 0:  # a rounding leftover, never a real difference
        setattr(last, field, rest)


def score_all(manifest: Manifest, exercise_ids, cases: list[dict], lang: str = "en") -> list[ExerciseResult]:
    by_exercise: dict[str, list[dict]] = defaultdict(list)
    for case in cases:
        by_exercise[case["exercise"]].append(case)
    return [score_exercise(manifest.exercise(e), by_exercise.get(e, []), lang) for e in exercise_ids]


def module_totals(manifest: Manifest, results: list[ExerciseResult]) -> list[ModuleResult]:
    totals = []
    for module in manifest.modules:
        mine = [r for r in results if r.module == module.id]
        if mine:
            totals.append(ModuleResult(module.id, round(sum(r.score for r in mine), 4), sum(r.possible for r in mine)))
    return totals
