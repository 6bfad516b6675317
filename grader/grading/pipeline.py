"""load manifest -> select exercises -> run tests -> score -> report."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from grader import __version__
from grader.core.manifest import Manifest
from grader.core.report import Report
from grader.core.run import RunBroke, run_tests
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
             lang: str = "en", submission: str | None = None, isolate: bool = False, zygote=None) -> Report:
    """A report for `exercise_ids` graded against tree `impl`; a broken run gives a report with `error` set.

    With `isolate` (grading), learner code runs only in runner processes, never in the judge's.
    """
    torch_version, numpy_version = versions()
    report = Report(__version__, seed, torch_version, numpy_version, submission or impl)
    if isolate:
        report.protections = protections.in_force()
    try:
        run = run_tests(root, exercise_ids, impl, seed=seed, lang=lang,
                        extra=("--nnlings-isolate",) if isolate else (), zygote=zygote)
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
