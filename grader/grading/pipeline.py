"""load manifest -> select exercises -> run tests -> score -> report."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

from grader import __version__
from grader.core.manifest import Manifest
from grader.core.paths import test_file
from grader.core.report import Report
from grader.core.run import RunBroke, RunResult, run_tests
from grader.core.score import module_totals, score_all
from grader.runner import protections


def versions() -> tuple[str, str]:
    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    return version("torch"), version("numpy")


def evaluate(root: Path, manifest: Manifest, exercise_ids: list[str], impl: str, *, seed: int = 0,
             lang: str = "en", submission: str | None = None, isolate: bool = False, zygote=None,
             jobs: int = 1) -> Report:
    """A report for `exercise_ids` graded against tree `impl`; a broken run gives a report with `error` set.

    With `isolate` (grading), learner code runs only in runner processes, never in the judge's. With `jobs` > 1
    (one submission on a machine of several cores), the exercises are shared out among that many test runs side
    by side; each exercise stays whole in one run, so its diagnoses see all of its checks.
    """
    torch_version, numpy_version = versions()
    report = Report(__version__, seed, torch_version, numpy_version, submission or impl)
    if isolate:
        report.protections = protections.in_force()
    extra = ("--nnlings-isolate",) if isolate else ()
    try:
        if jobs > 1 and zygote is None and len(exercise_ids) > 1:
            run = run_shared(root, exercise_ids, impl, jobs, seed=seed, lang=lang, extra=extra)
        else:
            run = run_tests(root, exercise_ids, impl, seed=seed, lang=lang, extra=extra, zygote=zygote)
    except RunBroke as err:
        report.error = str(err)
        return report
    if run.collect_errors:
        report.error = "the kit's tests did not load: " + "; ".join(e["nodeid"] for e in run.collect_errors)
        return report
    report.exercises = score_all(manifest, exercise_ids, run.cases, lang)
    report.modules = module_totals(manifest, report.exercises)
    report.score = round(sum(r.score for r in report.exercises), 4)
    report.possible = sum(r.possible for r in report.exercises)
    return report


def run_shared(root: Path, exercise_ids: list[str], impl: str, jobs: int, **options) -> RunResult:
    """The tests of `exercise_ids` as `jobs` runs side by side, merged into one result."""
    groups = shares(root, exercise_ids, jobs)
    with ThreadPoolExecutor(max_workers=len(groups)) as pool:
        runs = list(pool.map(lambda ids: run_tests(root, ids, impl, **options), groups))
    return RunResult([c for r in runs for c in r.cases], [e for r in runs for e in r.collect_errors],
                     max(r.exitstatus for r in runs))


def shares(root: Path, exercise_ids: list[str], jobs: int) -> list[list[str]]:
    """`exercise_ids` in at most `jobs` groups of about equal work, the size of each one's test file standing
    for its work: the largest first, each to the group with the least so far."""
    size = {i: test_file(root, i).stat().st_size if test_file(root, i).is_file() else 0 for i in exercise_ids}
    groups: list[list[str]] = [[] for _ in range(min(jobs, len(exercise_ids)))]
    for exercise_id in sorted(exercise_ids, key=size.get, reverse=True):
        min(groups, key=lambda g: sum(size[i] for i in g)).append(exercise_id)
    return [g for g in groups if g]
