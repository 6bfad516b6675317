"""What `nnlings dev mutate` prints: a table of kill rates, then each survivor as a diff of its solution file."""

from __future__ import annotations

import difflib
import unicodedata
from pathlib import Path

from grader.authoring.mutate_run import TARGET, ExerciseResult
from grader.core.i18n import t

COLUMNS = ("exercise", "mutants", "killed", "equivalent", "survived", "rate")
DIFF_CONTEXT = 2


def report(results: list[ExerciseResult], root: Path, lang: str) -> list[str]:
    lines = table(results, lang)
    for r in results:
        if r.reference_fails:
            lines.append(t("mutate.reference_fails", lang, id=r.exercise.id))
        for key, why in r.stale:
            lines.append(t(f"mutate.stale_{why}", lang, id=r.exercise.id, key=key))
        for m in r.equivalent:
            lines.append(t("mutate.equivalent", lang, id=r.exercise.id, key=m.key,
                           reason=r.exercise.equivalent_mutants[m.key]))
    for r in results:
        for m in r.survived:
            lines += ["", t("mutate.survivor", lang, id=r.exercise.id, key=m.key), *diff(r, m.source, m.key, root)]
    below = [r.exercise.id for r in results if not r.ok]
    target = f"{TARGET:.0%}"
    lines += ["", t("mutate.below", lang, count=len(below), target=target, ids=", ".join(below)) if below
              else t("mutate.ok", lang, count=len(results), target=target)]
    return lines


def table(results: list[ExerciseResult], lang: str) -> list[str]:
    rows = [[t(f"mutate.col_{c}", lang) for c in COLUMNS]]
    for r in results:
        counts = (r.tried, len(r.killed), len(r.equivalent), len(r.survived))
        rows.append([r.exercise.id, *map(str, counts), "-" if r.reference_fails else f"{r.rate:.1%}"])
    totals = [sum(int(row[i]) for row in rows[1:]) for i in range(1, 5)]
    judged = totals[1] + totals[3]
    rows.append([t("mutate.total", lang), *map(str, totals), f"{totals[1] / judged:.1%}" if judged else "-"])
    widths = [max(width(row[i]) for row in rows) for i in range(len(COLUMNS))]
    return ["  ".join(pad(cell, w, left=(i == 0)) for i, (cell, w) in enumerate(zip(row, widths))).rstrip()
            for row in rows]


def diff(result: ExerciseResult, mutated: str, key: str, root: Path) -> list[str]:
    name = str(result.path.relative_to(root)) if result.path.is_relative_to(root) else str(result.path)
    return list(difflib.unified_diff(result.original.splitlines(), mutated.splitlines(), fromfile=name,
                                     tofile=f"{name} ({key})", n=DIFF_CONTEXT, lineterm=""))


def width(text: str) -> int:
    """Columns a terminal gives `text`: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int, left: bool) -> str:
    fill = " " * (columns - width(text))
    return text + fill if left else fill + text


def progress(lang: str, stream):
    """A `progress(id, done, total)` for mutate_exercise: on a terminal one line, rewritten; elsewhere a line each."""
    live = stream.isatty()

    def show(exercise_id: str, done: int, total: int) -> None:
        line = t("mutate.progress", lang, id=exercise_id, done=done, total=total)
        stream.write(f"\r\x1b[K{line}" + ("\n" if done == total else "") if live else line + "\n")
        stream.flush()
    return show
