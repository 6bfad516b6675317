"""What a submission may be, and how each kind becomes a folder laid out like exercises/.

A folder laid out like exercises/, a repository folder that contains exercises/, a notebook (`.ipynb`), a zip
file, or a local git repository at a ref (`PATH@REF`). Archives and refs are unpacked into a scratch folder
that is removed when grading is done.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from grader.core.i18n import t
from grader.core.manifest import Manifest
from grader.core.paths import exercise_file
from grader.grading.submission_archive import ArchiveRefused, extract_zip
from grader.grading.submission_git import GitRefused, export_ref, split_spec


class SubmissionError(ValueError):
    """The submission cannot be read as exercises; the message is a sentence for the teacher."""


@dataclass
class Tree:
    path: Path
    """A folder laid out like exercises/."""
    exercise_ids: list[str]
    """The exercises to grade: all of them, or those a notebook holds (a notebook is one module)."""


def holds_exercises(folder: Path, manifest: Manifest) -> bool:
    return folder.is_dir() and any(exercise_file(folder, e.id).is_file() for e in manifest.exercises)


def find_tree(folder: Path, manifest: Manifest, *, unwrap: bool = False) -> Path | None:
    """`folder/exercises` or `folder` itself, whichever holds exercises. With `unwrap`, an archive's single
    top-level folder (`carol/exercises/...`, as most zip tools write it) is looked into as well."""
    for candidate in (folder / "exercises", folder):
        if holds_exercises(candidate, manifest):
            return candidate
    if unwrap:
        children = [c for c in folder.iterdir() if c.is_dir() and c.name != "__MACOSX"]
        if len(children) == 1:
            return find_tree(children[0], manifest)
    return None


@contextmanager
def opened(given: str, manifest: Manifest, *, lang: str = "en") -> Iterator[Tree]:
    """The submission `given` as a Tree, for the duration of the `with` block; SubmissionError when it cannot be."""
    all_ids = [e.id for e in manifest.exercises]
    git = split_spec(given)
    path = Path(given).expanduser().resolve()
    if path.suffix == ".ipynb" and path.is_file():
        from grader.learner.notebook.extract import temporary_tree  # nbformat costs 0.15 s; only notebooks need it

        try:
            tree = temporary_tree(path, manifest, lang=lang)
        except ValueError as err:
            raise SubmissionError(str(err)) from None
        yield Tree(tree, [i for i in all_ids if exercise_file(tree, i).is_file()])
        return
    if git is None and not (path.suffix == ".zip" and path.is_file()):
        found = find_tree(path, manifest)
        if found is None:
            raise SubmissionError(t("cli.grade_missing", lang, path=given))
        yield Tree(found, all_ids)
        return
    scratch = Path(tempfile.mkdtemp(prefix="nnlings-submission-"))
    try:
        try:
            unpacked = export_ref(*git, scratch, lang=lang) if git else extract_zip(path, scratch, lang=lang)
        except (ArchiveRefused, GitRefused) as err:
            raise SubmissionError(str(err)) from None
        found = find_tree(unpacked, manifest, unwrap=True)
        if found is None:
            raise SubmissionError(t("batch.archive_empty", lang, path=given))
        yield Tree(found, all_ids)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def student_name(given: str) -> str:
    """The name a submission is filed under: its file name without extension, its folder's name, or for
    `PATH@REF` the repository folder's name; reduced to letters, digits, `-`, `_` and `.`."""
    git = split_spec(given)
    path = git[0] if git else Path(given).expanduser().resolve()
    raw = path.stem if path.is_file() else path.name
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in raw).lstrip(".-")
    return safe or "submission"


def unique_names(submissions: list[str]) -> list[str]:
    """student_name of each submission, with -2, -3, ... added to repeats (compared ignoring case)."""
    names, taken = [], set()
    for given in submissions:
        base = name = student_name(given)
        n = 1
        while name.lower() in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name.lower())
        names.append(name)
    return names
