"""Each setting resolved once: command-line option, then environment, then pytest config, then default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from grader.core.i18n import resolve_lang, t


class SettingError(Exception):
    """A setting has a bad value; the message names where it came from."""


@dataclass(frozen=True)
class Settings:
    impl: str
    """What the user asked for: 'exercises', 'solutions' or a path."""
    impl_source: str
    """Where the choice came from: '--impl', 'NNLINGS_IMPL', 'nnlings_impl in pytest config' or 'default'."""
    tree: Path
    """The directory laid out like exercises/ that the impl fixture loads from."""
    seed: int
    """Base seed of the rng fixture."""
    lang: str
    """Language of messages."""

    @property
    def is_solutions(self) -> bool:
        return self.impl == "solutions"


def pick(option, flag: str, env: str, ini, default) -> tuple[object, str]:
    """(value, where it came from), by the first source that is set."""
    if option not in (None, ""):
        return option, flag
    if os.environ.get(env):
        return os.environ[env], env
    if ini not in (None, ""):
        return ini, f"{env.lower()} in pytest config"
    return default, "default"


def tree_for(impl: str, root: Path, source: str, lang: str = "en") -> Path:
    """The exercises-like directory an --impl value names; a repository holding exercises/ is accepted too."""
    if impl in ("exercises", "solutions"):
        return root / impl
    path = Path(impl).expanduser().resolve()
    if (path / "exercises").is_dir() and not (path / "curriculum.toml").is_file():
        return path / "exercises"
    if path.is_dir():
        return path
    raise SettingError(t("plugin.bad_impl", lang, source=source, value=impl))


def resolve(root: Path, impl_option=None, impl_ini=None, seed_option=None, lang_option=None) -> Settings:
    lang = resolve_lang(lang_option)
    impl, impl_source = pick(impl_option, "--impl", "NNLINGS_IMPL", impl_ini, "exercises")
    raw_seed, seed_source = pick(seed_option, "--nnlings-seed", "NNLINGS_SEED", None, 0)
    try:
        seed = int(raw_seed)
    except (TypeError, ValueError):
        raise SettingError(t("plugin.bad_seed", lang, source=seed_source, value=raw_seed)) from None
    return Settings(str(impl), impl_source, tree_for(str(impl), root, impl_source, lang), seed, lang)
