"""Lay out a Gradescope submission as a tree like exercises/, copying only the exercise files.

A submission may be a folder laid out like exercises/, a repository holding exercises/, the exercise files
uploaded one by one (softmax.py), notebooks with tagged exercise cells, or any of these inside one wrapping
folder (a zip of `repo-main/`). Python files win; notebooks fill in exercises no file provides.

    python -m grader.grading.release.gather SUBMISSION SCRATCH

prints the tree to grade and exits 0, or exits 3 (NOTHING_FOUND) when no exercise was found; any other
status means the step itself broke.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from grader.core import manifest as manifest_mod
from grader.core.manifest import Manifest
from grader.core.paths import exercise_file, kit_root

NOTHING_FOUND = 3
"""Exit status of `python -m grader.grading.release.gather` for a submission without any exercise file."""
IGNORED = ("__MACOSX", ".ipynb_checkpoints", "__pycache__", ".git")


def unwrap(folder: Path) -> Path:
    """Go down through folders that hold nothing but one folder (ignoring hidden entries and archive debris)."""
    while True:
        entries = [p for p in folder.iterdir() if not p.name.startswith(".") and p.name not in IGNORED]
        if len(entries) != 1 or not entries[0].is_dir() or entries[0].is_symlink():
            return folder
        folder = entries[0]


def _regular(path: Path) -> bool:
    """A real file: not a link that could point at the grader's own files or at a device."""
    return path.is_file() and not path.is_symlink()


def gather(submission: Path, manifest: Manifest, dest: Path) -> tuple[Path, list[str]]:
    """Copy each exercise file found in `submission` to `dest/exercises/...`; returns the tree and the ids found."""
    base = unwrap(Path(submission))
    source = base / "exercises" if (base / "exercises").is_dir() else base
    tree = Path(dest) / "exercises"
    found: list[str] = []
    for ex in manifest.exercises:
        for candidate in (exercise_file(source, ex.id), source / f"{ex.name}.py"):
            if _regular(candidate):
                _copy(candidate, exercise_file(tree, ex.id))
                found.append(ex.id)
                break
    missing = [ex.id for ex in manifest.exercises if ex.id not in found]
    if missing:
        found += _from_notebooks(base, manifest, tree, missing)
    return tree, [ex.id for ex in manifest.exercises if ex.id in found]


def _from_notebooks(base: Path, manifest: Manifest, tree: Path, missing: list[str]) -> list[str]:
    notebooks = _notebooks(base)
    if not notebooks:
        return []
    from grader.learner.notebook.extract import extract_tree  # nbformat costs 0.15 s; only notebooks need it

    added: list[str] = []
    for notebook in notebooks:
        with tempfile.TemporaryDirectory(prefix="nnlings-cells-") as tmp:
            try:
                extract_tree(notebook, manifest, tmp)
            except ValueError:
                continue  # not a notebook, or one without exercise cells: nothing to take from it
            for exercise_id in missing:
                cell = exercise_file(Path(tmp), exercise_id)
                if exercise_id not in added and cell.is_file():
                    _copy(cell, exercise_file(tree, exercise_id))
                    added.append(exercise_id)
    return added


def _notebooks(base: Path) -> list[Path]:
    """Notebooks below `base`, not looking into hidden folders (.venv, .git) or archive debris."""
    found = []
    for folder, dirs, names in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in IGNORED)
        found += [Path(folder) / n for n in sorted(names) if n.endswith(".ipynb") and _regular(Path(folder) / n)]
    return found


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def main(argv: list[str] | None = None) -> int:
    submission, dest = (argv if argv is not None else sys.argv[1:])[:2]
    if not Path(submission).is_dir():
        return NOTHING_FOUND
    root = kit_root()
    tree, found = gather(Path(submission), manifest_mod.load(root), Path(dest))
    if not found:
        return NOTHING_FOUND
    print(tree)
    return 0


if __name__ == "__main__":
    sys.exit(main())
