"""A wrong answer as data (ExerciseFailure) and its rendering as the message a learner reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from grader.core.i18n import t
from grader.core.manifest import text
from grader.testing.compare import Problem, describe
from grader.testing.explain import Evidence

MAX_LINES = 40
# The first few wrong parts say enough; the diagnosis after them must never be cut off.
MAX_PROBLEMS = 3
NO_EVIDENCE = Evidence()


class ExerciseFailure(AssertionError):
    """A learner's answer was checked and found wrong. Carries everything the message needs."""

    def __init__(self, kind: str, call: str, inputs: Mapping[str, object] | None, problems: list[Problem],
                 evidence: Evidence = NO_EVIDENCE, extra: dict | None = None):
        self.kind, self.call, self.problems, self.evidence = kind, call, problems, evidence
        # What this check alone suggests; the plugin settles the diagnosis over the whole run (grader/testing/diagnosis.py).
        self.mistake = evidence.named[0] if evidence.named else None
        self.inputs = {k: _shown(v) for k, v in (inputs or {}).items()}
        self.extra = extra or {}
        super().__init__(render_body(self, "en"))


def _shown(value) -> str:
    """An input as the message names it: an array by shape and dtype, a dict of arrays key by key."""
    if isinstance(value, np.ndarray):
        return describe(value)
    if isinstance(value, Mapping) and any(isinstance(v, np.ndarray) for v in value.values()):
        return "{" + ", ".join(f"{k!r}: {_shown(v)}" for k, v in value.items()) + "}"
    return repr(value)


@dataclass(frozen=True)
class Context:
    """What the plugin knows about the failing test."""

    exercise_id: str
    title: str
    question: str
    hint: str
    rerun: tuple[str, ...]


def render_body(failure: ExerciseFailure, lang: str, *, diagnosis: bool = True) -> str:
    """The message body; with `diagnosis=False`, without the diagnosis this check alone suggests."""
    lines = [t("failure.call", lang, call=failure.call)]
    if failure.inputs:
        lines.append(t("failure.inputs", lang, inputs=", ".join(f"{k}: {v}" for k, v in failure.inputs.items())))
    if failure.kind in ("no_error", "wrong_error", "loops"):
        extra = {k: text(v, lang) if isinstance(v, dict) else v for k, v in failure.extra.items()}
        lines.append(t(f"failure.{failure.kind}", lang, **extra))
    if failure.kind == "raised":
        lines.append(t("failure.raised", lang, **failure.extra))
    for problem in failure.problems[:MAX_PROBLEMS]:
        lines.append(t(f"problem.{problem.kind}", lang, leaf=_leaf(problem.leaf, lang), **_fmt_params(problem.params)))
    if len(failure.problems) > MAX_PROBLEMS:
        rest = failure.problems[MAX_PROBLEMS:]
        lines.append(t("failure.more_problems", lang, count=len(rest), leaves=", ".join(p.leaf for p in rest[:6])))
    if diagnosis and failure.mistake is not None:
        lines += diagnosis_lines(failure.mistake, lang)
    return "\n".join(lines)


def diagnosis_lines(mistake, lang: str, headline: str | None = None) -> list[str]:
    """A blank line, the headline (by default: the learner's answer is exactly this mistake's), and why."""
    headline = headline or t("failure.diagnosis", lang, title=text(mistake.title, lang))
    return ["", headline, "  " + text(mistake.why, lang)]


def _leaf(label: str, lang: str) -> str:
    """compare() calls an unnamed result 'result' (or 'result[0]', ...): say that in the learner's language."""
    return t("failure.result", lang) + label[len("result"):] if label.startswith("result") else label


def _fmt_params(params: dict) -> dict:
    return {k: (f"{v:g}" if isinstance(v, float) else v) for k, v in params.items()}


def render(body: str, context: Context, lang: str) -> str:
    """Question, then the body, then a hint, then how to rerun just this test; cut to MAX_LINES."""
    head = [t("failure.header", lang, id=context.exercise_id, title=context.title)]
    if context.question:
        head.append(context.question)
    tail = []
    if context.hint:
        tail += ["", t("failure.hint", lang, hint=context.hint)]
    tail += ["", t("failure.rerun", lang)] + [f"  {cmd}" for cmd in context.rerun]
    body_lines = body.splitlines()
    room = MAX_LINES - len(head) - len(tail) - 1
    if len(body_lines) > room:
        body_lines = body_lines[: room - 1] + [t("failure.cut", lang, count=len(body_lines) - room + 1)]
    return "\n".join(head + [""] + body_lines + tail)
