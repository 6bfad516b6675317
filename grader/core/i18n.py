"""Message catalogues: every learner-facing sentence is a key with parameters, one catalogue per language."""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "zh")
_DIR = Path(__file__).parent / "locales"


def resolve_lang(explicit: str | None = None) -> str:
    """--lang, then NNLINGS_LANG, then the system locale, then English."""
    for value in (explicit, os.environ.get("NNLINGS_LANG")):
        if value:
            return normalise(value)
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value.lower().startswith("zh"):
            return "zh"
        if value:
            break
    return "en"


def normalise(value: str) -> str:
    code = value.strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else "en"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """locales/<lang>.toml merged with any locales/<lang>.<feature>.toml (one file per feature keeps edits apart)."""
    merged: dict[str, str] = {}
    for path in sorted(_DIR.glob(f"{lang}.toml")) + sorted(_DIR.glob(f"{lang}.*.toml")):
        merged.update(_flatten(tomllib.loads(path.read_text(encoding="utf-8"))))
    return merged


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def t(key: str, lang: str = "en", /, **params) -> str:
    """The message `key` in `lang` (English where that language lacks it), formatted with `params`."""
    template = catalogue(lang).get(key) or catalogue("en").get(key)
    if template is None:
        raise KeyError(f"no message {key!r} in the {lang} catalogue")
    return template.format(**params) if params else template
