"""Terminal renderings: the progress table, the exercise list, a check's verdict. Colour only where it helps."""

from __future__ import annotations

import os
import sys
import unicodedata

from grader.core.i18n import t
from grader.core.manifest import Manifest, text

SYMBOLS = {"passed": "✓", "partial": "~", "failed": "✗", "todo": "·", "error": "!", "forbidden": "!",
           "timeout": "⏱", "crashed": "!", "blocked": "-", None: "?"}
COLOURS = {"passed": "32", "partial": "33", "failed": "31", "error": "31", "forbidden": "31", "timeout": "31",
           "crashed": "31"}
BAR = 20


def points(x: float) -> str:
    """Points as a learner reads them: one decimal at most (2.6923 -> 2.7, 10.0 -> 10)."""
    return f"{round(x, 1):g}"


def use_colour(stream=sys.stdout) -> bool:
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def paint(s: str, code: str | None, colour: bool) -> str:
    return f"\033[{code}m{s}\033[0m" if colour and code else s


def bar(done: float, total: float, colour: bool = False) -> str:
    """A progress bar: the earned part green, the rest dim."""
    filled = round(BAR * done / total) if total else 0
    return paint("█" * filled, "32", colour) + paint("░" * (BAR - filled), "2", colour)


def width(s: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def pad(s: str, columns: int) -> str:
    return s + " " * max(0, columns - width(s))


def progress_table(manifest: Manifest, statuses: dict, scores: dict, lang: str, colour: bool) -> list[str]:
    """statuses: id -> status (or None, unknown); scores: id -> points earned."""
    modules = [(m, manifest.in_module(m.id)) for m in manifest.modules if manifest.in_module(m.id)]
    name_width = max(width(text(m.title, lang)) for m, _ in modules) + 2
    lines = [t("cli.progress_header", lang), ""]
    for module, exercises in modules:
        done = sum(statuses.get(e.id) == "passed" for e in exercises)
        earned = sum(scores.get(e.id, 0.0) for e in exercises)
        possible = sum(e.points for e in exercises)
        shown = bar(earned, possible, colour)
        lines.append(f"{pad(text(module.title, lang), name_width)}{shown}  {done}/{len(exercises)}"
                     f"  {points(earned)}/{points(possible)}")
        for ex in exercises:
            lines.append("  " + exercise_line(ex, statuses.get(ex.id), lang, colour))
    done = sum(s == "passed" for s in statuses.values())
    lines += ["", t("cli.progress_total", lang, done=done, total=len(manifest.exercises),
                    score=points(sum(scores.values())), possible=points(sum(e.points for e in manifest.exercises)))]
    return lines


def exercise_line(ex, status: str | None, lang: str, colour: bool) -> str:
    symbol = paint(SYMBOLS.get(status, "?"), COLOURS.get(status), colour)
    label = t(f"status.{status}", lang) if status else ""
    return f"{symbol} {ex.id:<32} {text(ex.title, lang)}" + (f"  ({label})" if status not in (None, "passed", "todo") else "")


def _prefix(key: str, lang: str) -> str:
    """The fixed start of a catalogue message, before its first parameter."""
    return t(key, lang, **{k: "\0" for k in ("title", "hint")}).split("\0")[0]


def highlight(message: str, lang: str, colour: bool) -> str:
    """A failure message with its parts coloured: heading bold, diagnosis yellow, hint cyan, rerun dim."""
    if not colour:
        return message
    marks = {_prefix("failure.diagnosis", lang): "1;33", _prefix("failure.hint", lang): "36",
             _prefix("failure.rerun", lang): "2"}
    lines = message.splitlines()
    out, dim = [paint(lines[0], "1", colour)] if lines else [], False
    for line in lines[1:]:
        code = next((c for p, c in marks.items() if p and line.startswith(p)), None)
        dim = code == "2" or (dim and line.startswith("  "))
        out.append(paint(line, "2" if dim else code, colour))
    return "\n".join(out)
