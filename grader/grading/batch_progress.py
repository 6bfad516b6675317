"""Progress of a batch on stderr: a bar redrawn in place on a terminal, one line per submission otherwise."""

from __future__ import annotations

import sys
from typing import TextIO

from grader.core.i18n import t
from grader.grading.batch import Graded
from grader.grading.render.csv_report import points

WIDTH = 20


def bar(done: int, total: int, width: int = WIDTH) -> str:
    """`[#####...............]` for 5 of 20."""
    filled = round(width * done / total) if total else width
    return "[" + "#" * filled + "." * (width - filled) + "]"


class Progress:
    """Call `finished` as each submission is graded and `close` at the end."""

    def __init__(self, total: int, lang: str = "en", stream: TextIO | None = None) -> None:
        self.total, self.done, self.lang = total, 0, lang
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        if self.live:
            self._draw()

    def _draw(self) -> None:
        line = t("batch.progress", self.lang, bar=bar(self.done, self.total), done=self.done, total=self.total)
        self.stream.write("\r" + line)
        self.stream.flush()

    def finished(self, graded: Graded) -> None:
        self.done += 1
        if self.live:
            self._draw()
            return
        report = graded.report
        if report.error:
            first = report.error.strip().splitlines()[0] if report.error.strip() else ""
            line = t("batch.progress_broke", self.lang, done=self.done, total=self.total, student=graded.student,
                     detail=first)
        else:
            passed = sum(ex.status == "passed" for ex in report.exercises)
            line = t("batch.progress_line", self.lang, done=self.done, total=self.total, student=graded.student,
                     score=points(report.score), possible=points(report.possible), passed=passed,
                     count=len(report.exercises))
        print(line, file=self.stream, flush=True)

    def close(self) -> None:
        if self.live:
            self.stream.write("\n")
            self.stream.flush()
