"""`nnlings grade exercises --ci --format markdown`: the advisory step summary of a student's CI run."""

from __future__ import annotations

from pathlib import Path

from grader.core.i18n import t
from grader.core.report import Report
from grader.grading.release.integrity import check_release
from grader.grading.render import markdown_report


def step_summary(report: Report, root: Path, lang: str = "en", *, ci: bool = False) -> str:
    """The Markdown report; with `ci`, the advisory note on top and the protected files that were changed."""
    if not ci:
        return markdown_report.render(report, lang)
    return markdown_report.render(report, lang, t("ci.advisory", lang), check_release(root))
