"""Load curriculum.toml into typed records: modules and exercises in learning order."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from grader.core.paths import MANIFEST, split_id

Text = dict[str, str]  # language code -> text


class ManifestError(Exception):
    """curriculum.toml is missing, is not TOML, or an entry is malformed."""


@dataclass(frozen=True)
class Module:
    id: str
    """Short name, also the folder under exercises/, solutions/ and tests/."""
    title: Text
    """Human title per language."""


@dataclass(frozen=True)
class Exercise:
    id: str
    """'<module>.<name>'; every path is derived from it."""
    title: Text
    """One line per language."""
    points: float
    """What the whole exercise is worth; its tests share these points by weight."""
    functions: tuple[str, ...]
    """The public names the learner writes (functions or classes)."""
    requires: tuple[str, ...] = ()
    """Ids of exercises to finish first."""
    hints: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Language -> hints, from the idea to near-pseudocode."""
    tests: dict[str, float] = field(default_factory=dict)
    """Test function name -> weight. A listed test that does not run earns nothing."""
    forbid: tuple[str, ...] = ()
    """Dotted names the learner may not use here, such as 'numpy.broadcast_to'."""
    core: bool = False
    """One of the ten exercises whose API is fixed by the curriculum."""
    intro: Text = field(default_factory=dict)
    """A paragraph per language: the idea, what to write, what usually goes wrong (watch mode, notebooks)."""
    equivalent_defaults: dict[str, str] = field(default_factory=dict)
    """'function.param' -> why no test can tell that default from another: the self-check's default mutants
    that may survive (grader/testing/default_mutants.py)."""
    equivalent_mutants: dict[str, str] = field(default_factory=dict)
    """'function:operator:n' -> why no test can tell that mutant of the solution from it: the survivors of
    `nnlings dev mutate` (grader/authoring/mutate.py) that are reported as equivalent."""

    @property
    def module(self) -> str:
        return split_id(self.id)[0]

    @property
    def name(self) -> str:
        return split_id(self.id)[1]

    def hint_list(self, lang: str) -> tuple[str, ...]:
        return self.hints.get(lang) or self.hints.get("en", ())


@dataclass(frozen=True)
class LearnerSettings:
    show_solutions: bool = True
    """Whether `nnlings solution` may ever show a reference solution (teachers can switch it off)."""
    solution_after_attempts: int = 0
    """Failed checks after which a solution may be shown before passing; 0 means only after passing."""


@dataclass(frozen=True)
class Manifest:
    modules: tuple[Module, ...]
    exercises: tuple[Exercise, ...]
    learner: LearnerSettings = field(default_factory=LearnerSettings)

    def exercise(self, exercise_id: str) -> Exercise:
        for ex in self.exercises:
            if ex.id == exercise_id:
                return ex
        raise KeyError(exercise_id)

    def find(self, exercise_id: str) -> Exercise | None:
        return next((ex for ex in self.exercises if ex.id == exercise_id), None)

    def in_module(self, module_id: str) -> tuple[Exercise, ...]:
        return tuple(ex for ex in self.exercises if ex.module == module_id)


def text(value: Text, lang: str) -> str:
    """The text in `lang`, falling back to English."""
    return value.get(lang) or value.get("en", "")


def load(root: Path) -> Manifest:
    path = root / MANIFEST
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{path}: not found") from None
    except tomllib.TOMLDecodeError as err:
        raise ManifestError(f"{path}: not valid TOML ({err})") from None
    modules = tuple(_module(m, i) for i, m in enumerate(data.get("module", [])))
    exercises = tuple(_exercise(e, i) for i, e in enumerate(data.get("exercise", [])))
    known = {m.id for m in modules}
    for ex in exercises:
        if ex.module not in known:
            raise ManifestError(f"{path}: exercise {ex.id} names module {ex.module!r}, which is not declared")
    ordered = tuple(sorted(exercises, key=lambda e: [m.id for m in modules].index(e.module)))
    return Manifest(modules, ordered, _learner(data.get("learner", {})))


def _learner(entry: dict) -> LearnerSettings:
    attempts = entry.get("solution_after_attempts", 0)
    if not isinstance(attempts, int) or attempts < 0:
        raise ManifestError(f"{MANIFEST}: [learner] solution_after_attempts must be a whole number >= 0")
    return LearnerSettings(bool(entry.get("show_solutions", True)), attempts)


def _require(entry: dict, key: str, where: str):
    if key not in entry:
        raise ManifestError(f"{MANIFEST}: {where} has no {key!r}")
    return entry[key]


def _text(value, where: str) -> Text:
    if isinstance(value, str):
        return {"en": value}
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return dict(value)
    raise ManifestError(f"{MANIFEST}: {where} must be a string or a table of language = text")


def _module(entry: dict, index: int) -> Module:
    where = f"module #{index + 1}"
    return Module(id=_require(entry, "id", where), title=_text(_require(entry, "title", where), where + " title"))


def _exercise(entry: dict, index: int) -> Exercise:
    where = f"exercise #{index + 1}"
    exercise_id = _require(entry, "id", where)
    where = f"exercise {exercise_id}"
    try:
        split_id(exercise_id)
    except ValueError as err:
        raise ManifestError(f"{MANIFEST}: {err}") from None
    hints = entry.get("hints", {})
    if not isinstance(hints, dict):
        raise ManifestError(f"{MANIFEST}: {where} hints must be a table of language = [hints]")
    tests = entry.get("tests", {})
    if not all(isinstance(w, (int, float)) and w > 0 for w in tests.values()):
        raise ManifestError(f"{MANIFEST}: {where} test weights must be positive numbers")
    return Exercise(
        id=exercise_id,
        title=_text(_require(entry, "title", where), where + " title"),
        points=float(_require(entry, "points", where)),
        functions=tuple(_require(entry, "functions", where)),
        requires=tuple(entry.get("requires", ())),
        hints={lang: tuple(items) for lang, items in hints.items()},
        tests={name: float(w) for name, w in tests.items()},
        forbid=tuple(entry.get("forbid", ())),
        core=bool(entry.get("core", False)),
        intro=_text(entry.get("intro", {}), where + " intro"),
        equivalent_defaults=_reasons(entry, "equivalent_defaults", "'function.param'", where),
        equivalent_mutants=_reasons(entry, "equivalent_mutants", "'function:operator:n'", where),
    )


def _reasons(entry: dict, name: str, key_form: str, where: str) -> dict[str, str]:
    """An optional table of key = the reason a mutant of that key survives every test."""
    value = entry.get(name, {})
    if not isinstance(value, dict) or not all(isinstance(v, str) and v.strip() for v in value.values()):
        raise ManifestError(f"{MANIFEST}: {where} {name} must be a table of {key_form} = reason")
    return dict(value)
