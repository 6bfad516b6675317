"""What one kernel remembers: the latest code of each `%%nnlings` cell, and the notebook's language."""

from __future__ import annotations

from grader.core.i18n import normalise, resolve_lang

CODE: dict[str, str] = {}
"""Exercise id -> the body of the `%%nnlings` cell last run for it."""
_LANG: list[str] = []


def set_lang(value: str) -> None:
    _LANG[:] = [normalise(value)]


def lang() -> str:
    """The language the notebook asked for (`%nnlings_lang`), else --lang's usual fallbacks."""
    return _LANG[0] if _LANG else resolve_lang()
