"""Gradescope's results.json: a top-level score and one entry per test, with output a learner can read."""

import json

from grader.core.i18n import t
from grader.core.report import Report


def results(report: Report, lang: str = "en", visibility: str = "visible") -> dict:
    """Gradescope's results as a dict; `visibility` goes into every test entry (visible, after_due_date, hidden)."""
    if report.error:
        # Gradescope shows `output` to the student; no score is claimed for a run that broke.
        return {"output": t("cli.grade_broke", lang, detail=report.error), "tests": [],
                "extra_data": {"error": report.error}}
    tests = []
    for ex in report.exercises:
        for test in ex.tests:
            tests.append({
                "name": f"{ex.id} · {test.name}",
                "score": test.score,
                "max_score": test.possible,
                "status": "passed" if test.status == "passed" else "failed",
                "output": test.message or t(f"status.{ex.status}", lang),
                "visibility": visibility,
            })
    return {"score": report.score, "tests": tests,
            "extra_data": {"schema": report.schema, "seed": report.seed, "kit_version": report.kit_version}}


def render(report: Report, lang: str = "en", visibility: str = "visible") -> str:
    return json.dumps(results(report, lang, visibility), indent=2, ensure_ascii=False) + "\n"
