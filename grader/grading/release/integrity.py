"""The release record (.nnlings/release.json) and the check of a student's repository against it.

Every file of a release except the learner's own (exercises/) is protected: the record holds its sha256.
A student's CI compares the working tree with the record and names what changed, went missing, or was added
where pytest or Python would pick it up (a new test file, a conftest.py, a module beside the grader's).
The record lives in the student's repository too, so this can only ever make CI results advisory:
the grade that counts is the teacher's run against pristine tests.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from grader import __version__

RECORD = ".nnlings/release.json"
SCHEMA = "nnlings-release/1"
HASH = "sha256 of the file's bytes, with CRLF line endings read as LF"
LEARNER_DIRS = ("exercises",)
"""Top-level folders the learner owns: never protected, never checked."""
WATCHED_DIRS = ("tests", "grader", ".github")
"""Folders where a file the release did not write is reported as added."""
WATCHED_ROOT_FILES = ("conftest.py", "pytest.ini", "tox.ini", "setup.cfg", "sitecustomize.py", "usercustomize.py")
"""Top-level files pytest or Python would load on their own if a student added them."""
IGNORED_PARTS = ("__pycache__",)
IGNORED_SUFFIXES = (".pyc", ".pyo")


def digest(path: Path) -> str:
    """The sha256 of `path`, reading CRLF as LF so that a checkout on Windows matches."""
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def is_protected(rel: str) -> bool:
    """Whether a release-relative path (posix) is one of the kit's files rather than the learner's."""
    return rel.split("/", 1)[0] not in LEARNER_DIRS and rel != RECORD


def write_record(root: Path, *, title: str, exercise_ids, extra: dict | None = None) -> Path:
    """Hash every protected file under `root` and write the record; returns its path."""
    files = {rel: digest(root / rel) for rel in _files(root) if is_protected(rel)}
    record = {"schema": SCHEMA, "kit_version": __version__, "assignment": title,
              "exercises": list(exercise_ids), **(extra or {}), "hash": HASH, "files": dict(sorted(files.items()))}
    path = root / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def read_record(root: Path) -> dict | None:
    """The release record of `root`, or None when it is missing or unreadable."""
    try:
        record = json.loads((root / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("files"), dict):
        return None
    return record


def check_release(root: Path) -> list[str]:
    """Protected files that differ from the record or are missing, and files added where they would run.

    Paths are relative to `root`, posix style, sorted. A missing or unreadable record is itself reported.
    """
    root = Path(root)
    record = read_record(root)
    if record is None:
        return [RECORD]
    expected: dict = record["files"]
    bad = {rel for rel, sha in expected.items() if not (root / rel).is_file() or digest(root / rel) != sha}
    watched = [rel for top in WATCHED_DIRS for rel in _files(root, top)]
    watched += [name for name in WATCHED_ROOT_FILES if (root / name).is_file()]
    bad.update(rel for rel in watched if rel not in expected)
    return sorted(bad)


def _files(root: Path, under: str = "") -> list[str]:
    """Every regular file below `root/under` as a posix path relative to `root`, skipping caches."""
    found = []
    for folder, dirs, names in os.walk(root / under):
        dirs[:] = sorted(d for d in dirs if d not in IGNORED_PARTS)
        for name in sorted(names):
            path = Path(folder) / name
            if path.suffix not in IGNORED_SUFFIXES and path.is_file():
                found.append(path.relative_to(root).as_posix())
    return found
