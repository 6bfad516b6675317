"""What watch mode prints: the exercise header and the key line; clearing the screen on a terminal."""

from __future__ import annotations

import shutil
import textwrap

from grader.core.i18n import t
from grader.core.manifest import Exercise, text
from grader.core.paths import exercise_file
from grader.learner.terminal import paint, width


def clear(tty: bool) -> str:
    """The escape that clears a terminal, or a rule between verdicts when the output is not one."""
    return "\033[2J\033[H" if tty else "\n" + "-" * 72


def header(ctx, ex: Exercise, colour: bool, intro: bool = True) -> list[str]:
    """Position, title, the intro (until the learner has started), and the file to edit."""
    position = [e.id for e in ctx.manifest.exercises].index(ex.id) + 1
    path = ctx.rel(exercise_file(ctx.root / "exercises", ex.id))
    lines = [paint(t("watch.header", ctx.lang, n=position, total=len(ctx.manifest.exercises), id=ex.id), "1", colour),
             paint(text(ex.title, ctx.lang), "1", colour), ""]
    if intro and text(ex.intro, ctx.lang):
        lines += wrap(text(ex.intro, ctx.lang)) + [""]
    lines.append(t("watch.edit", ctx.lang, path=path))
    return lines


def wrap(paragraph: str) -> list[str]:
    """The paragraph wrapped to the terminal (East Asian text wraps at any character)."""
    columns = max(40, min(shutil.get_terminal_size((100, 24)).columns, 100) - 1)
    if any(width(ch) == 2 for ch in paragraph):
        lines, line = [], ""
        for ch in paragraph:
            if width(line + ch) > columns:
                lines.append(line)
                line = ""
            line += ch
        return lines + [line]
    return textwrap.wrap(paragraph, columns)


def keys_line(lang: str, single_keys: bool) -> str:
    return t("watch.keys" if single_keys else "watch.keys_lines", lang)
