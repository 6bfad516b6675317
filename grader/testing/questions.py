"""Each test's question in the learner's language: the docstring in English, tests/locales/<lang>.toml otherwise."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path


@cache
def questions(root: Path, lang: str) -> dict[str, str]:
    """'<exercise id>.<test name>' -> the question, for a language other than English ({} when none)."""
    path = root / "tests" / "locales" / f"{lang}.toml"
    if lang == "en" or not path.is_file():
        return {}
    flat: dict[str, str] = {}
    for module, exercises in tomllib.loads(path.read_text(encoding="utf-8")).items():
        for name, tests in exercises.items():
            for test, question in tests.items():
                flat[f"{module}.{name}.{test}"] = question
    return flat
