"""The teacher's note on which of the runner's protections did not hold (grader/runner/protections.py finds them)."""

from __future__ import annotations

from grader.core.i18n import t

LEAVE_FILES_READABLE = {"own_user", "private_files"}


def missing(protections: dict[str, bool] | None) -> list[str]:
    """The protections that did not hold, in the order found (none when grading did not isolate at all)."""
    return [name for name, held in (protections or {}).items() if not held]


def warning(protections: dict[str, bool] | None, lang: str) -> str | None:
    """One note for the teacher, or None when everything held."""
    absent = missing(protections)
    if not absent:
        return None
    if "own_process" in absent:
        return t("protections.unknown", lang)
    text = t("protections.missing", lang, names=_listed([t(f"protections.{name}", lang) for name in absent], lang))
    if LEAVE_FILES_READABLE & set(absent):
        text += ("" if lang == "zh" else " ") + t("protections.readable", lang)
    return text


def _listed(names: list[str], lang: str) -> str:
    if lang == "zh":
        return "、".join(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
