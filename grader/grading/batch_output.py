"""Where a batch writes: DIR/reports/<student>.json (or .xml), DIR/gradebook.csv and DIR/report.html, each atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from grader.grading.batch import Graded
from grader.grading.render import csv_report, gradescope, html_report, json_report, junit


def write_atomic(target: Path, text: str) -> None:
    """Write `text` to a temporary file beside `target`, then rename it over `target`: never a half-written file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def report_path(out_dir: Path, student: str, fmt: str = "json") -> Path:
    return out_dir / "reports" / f"{student}.{'xml' if fmt == 'junit' else 'json'}"


def write_report(out_dir: Path, graded: Graded, fmt: str = "json", lang: str = "en") -> Path:
    """One student's report, as nnlings-report/1 JSON, as Gradescope's results.json or as JUnit XML."""
    if fmt == "gradescope":
        text = gradescope.render(graded.report, lang)
    elif fmt == "junit":
        text = junit.render(graded.report, lang)
    else:
        text = json_report.render(graded.report)
    target = report_path(out_dir, graded.student, fmt)
    write_atomic(target, text)
    return target


def write_class(out_dir: Path, batch: list[Graded], *, seed: int, exercise_ids: list[str], lang: str = "en") -> None:
    """The gradebook and the HTML class report, rows in the order the submissions were given."""
    rows = [(g.student, g.report) for g in batch]
    write_atomic(out_dir / "gradebook.csv", csv_report.render(rows, exercise_ids))
    write_atomic(out_dir / "report.html", html_report.render(rows, seed=seed, lang=lang, exercise_ids=exercise_ids))
