"""Where things live: every path is derived from an exercise id and the kit root."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

MANIFEST = "curriculum.toml"


class KitNotFound(Exception):
    """No curriculum.toml in the current directory, its parents, or beside the package."""


def kit_root(start: Path | None = None) -> Path:
    """The directory holding curriculum.toml: NNLINGS_ROOT, then upward from `start`, then the package's parent."""
    env = os.environ.get("NNLINGS_ROOT")
    if env:
        root = Path(env).resolve()
        if (root / MANIFEST).is_file():
            return root
        raise KitNotFound(f"NNLINGS_ROOT={env}: no {MANIFEST} there")
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MANIFEST).is_file():
            return folder
    beside = Path(__file__).resolve().parents[2]  # grader/core/paths.py -> the folder holding grader/
    if (beside / MANIFEST).is_file():
        return beside
    raise KitNotFound(f"no {MANIFEST} in {here} or its parents")


def split_id(exercise_id: str) -> tuple[str, str]:
    """'activations.softmax' -> ('activations', 'softmax')."""
    module, _, name = exercise_id.partition(".")
    if not module or not name or "." in name:
        raise ValueError(f"exercise id {exercise_id!r} is not of the form module.exercise")
    return module, name


def exercise_file(tree: Path, exercise_id: str) -> Path:
    """The learner-facing file of an exercise inside a tree laid out like exercises/."""
    module, name = split_id(exercise_id)
    return tree / module / f"{name}.py"


def test_file(root: Path, exercise_id: str) -> Path:
    module, name = split_id(exercise_id)
    return root / "tests" / module / f"test_{name}.py"


def mistakes_file(root: Path, exercise_id: str) -> Path:
    module, name = split_id(exercise_id)
    return root / "tests" / module / f"mistakes_{name}.py"


@lru_cache(maxsize=4096)  # asked for every test of a run: the path is resolved once
def id_from_test_file(root: Path, path: Path) -> str | None:
    """tests/<module>/test_<name>.py -> '<module>.<name>'; None for files that are not exercise tests."""
    try:
        rel = path.resolve().relative_to((root / "tests").resolve())
    except ValueError:
        return None
    if len(rel.parts) != 2 or not rel.name.startswith("test_") or rel.suffix != ".py":
        return None
    return f"{rel.parts[0]}.{rel.stem[len('test_'):]}"
