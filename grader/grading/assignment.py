"""Load an assignment file: which exercises a class gets, for how many points, by when, and what it may see.

An assignment is a small TOML file kept by the teacher, next to (not inside) the kit:

    title = "Week 3: activations and losses"
    modules = ["activations"]          # every exercise of these modules ...
    exercises = ["losses.mse"]         # ... and these single exercises
    due = "2026-10-01T23:59:00+08:00"  # ISO 8601 date or date-time (a TOML date works too)
    hidden_tests = "after_due_date"    # Gradescope visibility of each test: visible | after_due_date | hidden

    [points]                           # optional: exercise id -> points, overriding curriculum.toml
    "losses.mse" = 20

    [learner]                          # optional: as [learner] in curriculum.toml
    show_solutions = false
    solution_after_attempts = 0

Every problem is reported as one sentence naming the file and the field.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from grader.core.i18n import t
from grader.core.manifest import LearnerSettings, Manifest

VISIBILITIES = ("visible", "after_due_date", "hidden")
FIELDS = ("title", "modules", "exercises", "points", "due", "hidden_tests", "learner")
LEARNER_FIELDS = ("show_solutions", "solution_after_attempts")


class AssignmentError(Exception):
    """The assignment file is missing, is not TOML, or a field is wrong; the message is one sentence."""


@dataclass(frozen=True)
class Assignment:
    path: Path
    """The file it was read from."""
    title: str
    """Shown in the student README, the release record and the Gradescope bundle."""
    exercise_ids: tuple[str, ...]
    """The assigned exercises, in the manifest's learning order, each once."""
    points: dict[str, float] = field(default_factory=dict)
    """Exercise id -> points for every assigned exercise (the override where given, else the manifest's)."""
    due: str | None = None
    """The due date or date-time in ISO 8601, as validated; None when the assignment sets none."""
    visibility: str = "visible"
    """Gradescope visibility of each test's output: visible, after_due_date or hidden."""
    learner: LearnerSettings = field(default_factory=LearnerSettings)
    """The [learner] settings the released curriculum carries."""

    @property
    def module_ids(self) -> tuple[str, ...]:
        """The modules the assigned exercises belong to, in learning order."""
        return tuple(dict.fromkeys(i.partition(".")[0] for i in self.exercise_ids))


def load_assignment(path: Path, manifest: Manifest, lang: str = "en") -> Assignment:
    """Read and validate `path` against `manifest`; raises AssignmentError with one sentence."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AssignmentError(t("assignment.not_found", lang, file=path)) from None
    except (OSError, UnicodeDecodeError) as err:
        raise AssignmentError(t("assignment.unreadable", lang, file=path, detail=err)) from None
    except tomllib.TOMLDecodeError as err:
        raise AssignmentError(t("assignment.bad_toml", lang, file=path, detail=err)) from None
    check = _Checker(path, lang)
    for key in data:
        if key not in FIELDS:
            check.fail("assignment.unknown_field", key, known=", ".join(FIELDS))
    ids = _resolve(check, data, manifest)
    return Assignment(
        path=path,
        title=_title(check, data.get("title")),
        exercise_ids=ids,
        points=_points(check, data.get("points", {}), ids, manifest),
        due=_due(check, data.get("due")),
        visibility=_visibility(check, data.get("hidden_tests", "visible")),
        learner=_learner(check, data.get("learner", {}), manifest.learner),
    )


class _Checker:
    """Raises AssignmentError with the file and field named."""

    def __init__(self, path: Path, lang: str):
        self.path, self.lang = path, lang

    def fail(self, key: str, field_name: str, **params) -> NoReturn:
        raise AssignmentError(t(key, self.lang, file=self.path, field=field_name, **params))


def _title(check: _Checker, value) -> str:
    if not isinstance(value, str) or not value.strip():
        check.fail("assignment.bad_title", "title")
    return value.strip()


def _strings(check: _Checker, data: dict, key: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        check.fail("assignment.not_strings", key)
    return value


def _resolve(check: _Checker, data: dict, manifest: Manifest) -> tuple[str, ...]:
    """Every exercise of the named modules plus the named exercises, in manifest order, without repeats."""
    wanted: set[str] = set()
    modules = {m.id for m in manifest.modules}
    for module_id in _strings(check, data, "modules"):
        if module_id not in modules:
            check.fail("assignment.unknown_module", "modules", value=module_id, known=", ".join(sorted(modules)))
        found = manifest.in_module(module_id)
        if not found:
            check.fail("assignment.empty_module", "modules", value=module_id)
        wanted.update(e.id for e in found)
    for exercise_id in _strings(check, data, "exercises"):
        if manifest.find(exercise_id) is None:
            check.fail("assignment.unknown_exercise", "exercises", value=exercise_id)
        wanted.add(exercise_id)
    if not wanted:
        check.fail("assignment.nothing_assigned", "modules")
    return tuple(e.id for e in manifest.exercises if e.id in wanted)


def _points(check: _Checker, value, ids: tuple[str, ...], manifest: Manifest) -> dict[str, float]:
    if not isinstance(value, dict):
        check.fail("assignment.points_not_table", "points")
    value = _dotted(value)
    for exercise_id, points in value.items():
        if exercise_id not in ids:
            check.fail("assignment.points_not_assigned", f"points.{exercise_id}", value=exercise_id)
        if isinstance(points, bool) or not isinstance(points, (int, float)) or not points > 0:
            check.fail("assignment.points_not_positive", f"points.{exercise_id}", value=points)
    return {i: float(value.get(i, manifest.exercise(i).points)) for i in ids}


def _dotted(table: dict, prefix: str = "") -> dict:
    """{"losses": {"mse": 20}} -> {"losses.mse": 20}: an unquoted key `losses.mse = 20` is a nested table in TOML."""
    flat = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_dotted(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _due(check: _Checker, value) -> str | None:
    """An ISO 8601 date or date-time string (or a TOML date), returned as ISO text."""
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):  # a TOML date or date-time, already checked by the parser
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        for parse in (dt.date.fromisoformat, dt.datetime.fromisoformat):
            try:
                parse(text)
                return text
            except ValueError:
                pass
    check.fail("assignment.bad_due", "due", value=value)


def _visibility(check: _Checker, value) -> str:
    if value not in VISIBILITIES:
        check.fail("assignment.bad_visibility", "hidden_tests", value=value, known=", ".join(VISIBILITIES))
    return value


def _learner(check: _Checker, value, base: LearnerSettings) -> LearnerSettings:
    """The kit's [learner] settings with the assignment's values on top."""
    if not isinstance(value, dict):
        check.fail("assignment.learner_not_table", "learner")
    for key in value:
        if key not in LEARNER_FIELDS:
            check.fail("assignment.unknown_field", f"learner.{key}", known=", ".join(LEARNER_FIELDS))
    show = value.get("show_solutions", base.show_solutions)
    if not isinstance(show, bool):
        check.fail("assignment.not_bool", "learner.show_solutions", value=show)
    attempts = value.get("solution_after_attempts", base.solution_after_attempts)
    if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 0:
        check.fail("assignment.bad_attempts", "learner.solution_after_attempts", value=attempts)
    return LearnerSettings(show, attempts)
