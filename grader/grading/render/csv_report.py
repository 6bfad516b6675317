"""The class gradebook as CSV: one row per student, for a spreadsheet or a learning platform's import.

Columns, in order:

- `student`: the name the submission is filed under;
- `score`, `possible`: the student's total and the points the graded exercises were worth;
- one column per exercise id (`activations.softmax`, ...) with the points earned on it;
- one column per exercise, `<id> status`, with its status (passed, partial, failed, todo, error, ...);
- `error`: empty, or why grading broke for this student. Then every score and status is left empty,
  never 0: a run that broke says nothing about the work.

An exercise a submission did not include (a notebook holds one module) is left empty too. Numbers are
written with at most four decimals and no trailing zeros (`7.5`, `10`). A text cell that a spreadsheet
would read as a formula (starting with = + - @) is prefixed with a single quote.
"""

from __future__ import annotations

import csv
import io

from grader.core.report import Report


def points(value: float) -> str:
    """7.5 -> '7.5', 10.0 -> '10', 3.33333 -> '3.3333'."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def exercise_columns(rows: list[tuple[str, Report]]) -> list[str]:
    """Every exercise id found in the reports, in order of first appearance."""
    ids: dict[str, None] = {}
    for _, report in rows:
        for ex in report.exercises:
            ids.setdefault(ex.id)
    return list(ids)


def _text(value: str) -> str:
    """A text cell that no spreadsheet turns into a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def render(rows: list[tuple[str, Report]], exercise_ids: list[str] | None = None) -> str:
    """The gradebook for (student, report) pairs, one row each in the order given.

    `exercise_ids` fixes the exercise columns (the manifest's order); by default, those the reports hold.
    """
    ids = exercise_ids if exercise_ids is not None else exercise_columns(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "score", "possible", *ids, *(f"{i} status" for i in ids), "error"])
    for student, report in rows:
        if report.error:
            writer.writerow([_text(student), "", "", *([""] * (2 * len(ids))), _text(report.error)])
            continue
        by_id = {ex.id: ex for ex in report.exercises}
        scores = [points(by_id[i].score) if i in by_id else "" for i in ids]
        statuses = [by_id[i].status if i in by_id else "" for i in ids]
        writer.writerow([_text(student), points(report.score), points(report.possible), *scores, *statuses, ""])
    return buffer.getvalue()
