"""Turn a notebook back into a tree laid out like exercises/, so that the same tests grade it."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import nbformat

from grader.core.i18n import t
from grader.core.manifest import Manifest
from grader.core.paths import exercise_file
from grader.learner.notebook.tags import body, cell_exercise, source_text


def exercise_cells(nb, manifest: Manifest) -> dict[str, str]:
    """Exercise id -> code, for every cell naming a known exercise. A later cell for the same id wins, as in a kernel."""
    found: dict[str, str] = {}
    for cell in nb.cells:
        exercise_id = cell_exercise(cell)
        if exercise_id and manifest.find(exercise_id) is not None:
            found[exercise_id] = body(source_text(cell))
    return found


def extract_tree(ipynb_path, manifest: Manifest, dest, *, lang: str = "en") -> Path:
    """Write `<dest>/<module>/<name>.py` for each exercise cell of the notebook; returns `dest`.

    Raises ValueError (with a sentence) when the file is not a notebook or holds no exercise cell.
    """
    path, dest = Path(ipynb_path), Path(dest)
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as err:  # not JSON, not a notebook, a version nbformat cannot convert: all one sentence
        raise ValueError(t("notebook.unreadable", lang, path=path, detail=err)) from None
    found = exercise_cells(nb, manifest)
    if not found:
        raise ValueError(t("notebook.no_exercise_cells", lang, path=path))
    for exercise_id, code in found.items():
        target = exercise_file(dest, exercise_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(code, encoding="utf-8")
    return dest


def temporary_tree(ipynb_path, manifest: Manifest, *, lang: str = "en") -> Path:
    """extract_tree into a fresh temporary folder that lives until the process exits (a whole grading run)."""
    dest = Path(tempfile.mkdtemp(prefix="nnlings-notebook-"))
    atexit.register(shutil.rmtree, dest, ignore_errors=True)
    return extract_tree(ipynb_path, manifest, dest, lang=lang)
