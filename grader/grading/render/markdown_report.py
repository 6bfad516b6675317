"""GitHub step-summary Markdown: an advisory note, a tampering warning, the total, a row per exercise, details.

Written for a student's CI, where the learner controls the tests: the note says so, and any protected file
that differs from the release record is named at the top.
"""

from __future__ import annotations

import re

from grader.core.i18n import t
from grader.core.report import ExerciseResult, Report

ICONS = {"passed": "✅", "partial": "🟡", "todo": "⬜"}
"""Every other status is a failure of some kind: ❌."""
MAX_MESSAGE_LINES = 40


def render(report: Report, lang: str = "en", advisory_note: str | None = None,
           tampered: list[str] | None = None) -> str:
    """The whole summary as Markdown text."""
    lines: list[str] = []
    if advisory_note:
        lines += [f"> ℹ️ {advisory_note}", ""]
    if tampered:
        lines += [f"> ⚠️ **{t('ci.tampered', lang, count=len(tampered))}**", ">"]
        lines += [f"> - `{_code(path)}`" for path in tampered]
        lines += [">", f"> {t('ci.tampered_why', lang)}", ""]
    if report.error:
        # A run that broke has no score; showing 0 would blame the learner for the grader's fault.
        lines += [f"## {t('ci.heading_broke', lang)}", "", t("cli.grade_broke", lang, detail=_cell(report.error)), ""]
        return "\n".join(lines)
    lines += [f"## {t('ci.heading', lang, score=_num(report.score), possible=_num(report.possible))}", ""]
    lines += [f"| {t('ci.col_exercise', lang)} | {t('ci.col_status', lang)} | {t('ci.col_score', lang)} |",
              "| --- | --- | ---: |"]
    for ex in report.exercises:
        lines.append(f"| `{ex.id}` {_cell(ex.title)} | {_icon(ex.status)} {_status(ex.status, lang)} | "
                     f"{_num(ex.score)} / {_num(ex.possible)} |")
    lines.append("")
    for ex in report.exercises:
        if ex.status not in ("passed", "todo"):
            lines += _details(ex, lang)
    return "\n".join(lines)


def _details(ex: ExerciseResult, lang: str) -> list[str]:
    """A collapsed section per exercise that did not pass: each test, and the first message that explains."""
    passed = sum(test.status == "passed" for test in ex.tests)
    summary = t("ci.tests_passed", lang, passed=passed, total=len(ex.tests))
    lines = ["<details>", f"<summary>{_html(ex.id)}: {_html(summary)}</summary>", "",
             f"| {t('ci.col_test', lang)} | {t('ci.col_status', lang)} | {t('ci.col_score', lang)} |",
             "| --- | --- | ---: |"]
    for test in ex.tests:
        lines.append(f"| `{_code(test.name)}` | {_icon(test.status)} {_status(test.status, lang)} | "
                     f"{_num(test.score)} / {_num(test.possible)} |")
    message = next((test.message for test in ex.tests if test.message), "")
    if message:
        text = "\n".join(message.splitlines()[:MAX_MESSAGE_LINES])
        fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", text)), default=0))
        lines += ["", f"{fence}text", text, fence]
    return lines + ["", "</details>", ""]


def _status(status: str, lang: str) -> str:
    for key in (f"status.{status}", f"ci.status_{status}"):
        try:
            return t(key, lang)
        except KeyError:
            continue
    return status


def _icon(status: str) -> str:
    return ICONS.get(status, "❌")


def _num(value: float) -> str:
    return f"{round(value, 2):g}" if isinstance(value, float) else str(value)


def _cell(text: str) -> str:
    """Text safe inside a table cell: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _code(text: str) -> str:
    return _cell(text).replace("`", "'")


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
