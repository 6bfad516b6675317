"""Which of the kit's files go out with an assignment, as release-relative path -> source path.

Never the solutions, never the kit's own tests (tests/kit/), and the mistake catalogues only when asked:
they hold near-complete correct implementations.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from grader.core.paths import mistakes_file, test_file

PACKAGE = "grader"
SHARED_TEST_FILES = ("tests/conftest.py", "tests/locales")
"""Files every exercise test relies on: the pytest entry and the translated test questions."""


def exercise_test_files(root: Path, exercise_ids, *, mistakes: bool) -> dict[str, Path]:
    """The tests of `exercise_ids` (and their mistake catalogues if `mistakes`), plus the shared test files."""
    files: dict[str, Path] = {}
    for shared in SHARED_TEST_FILES:
        source = root / shared
        if source.is_dir():
            files.update({p.relative_to(root).as_posix(): p for p in sorted(source.rglob("*")) if p.is_file()})
        elif source.is_file():
            files[shared] = source
    for exercise_id in exercise_ids:
        wanted = [test_file(root, exercise_id)] + ([mistakes_file(root, exercise_id)] if mistakes else [])
        for source in wanted:
            if source.is_file():
                files[source.relative_to(root).as_posix()] = source
    return files


def copy_files(files: dict[str, Path], out: Path) -> None:
    """Copy each source to `out/<relative path>`."""
    for rel, source in files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def package_files(root: Path) -> dict[str, Path]:
    """The grader package's files, without caches, as release-relative path -> source."""
    found = {}
    for path in sorted((root / PACKAGE).rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and "__pycache__" not in rel.parts and path.suffix not in (".pyc", ".pyo"):
            found[rel.as_posix()] = path
    return found
