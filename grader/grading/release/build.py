"""Write a student repository for an assignment: stubs, tests, grader, CI workflow and the release record.

Nothing from solutions/ or tests/kit/ is copied; stubs are generated from the solutions exactly as
`nnlings dev sync` writes them, so they are the kit's stubs.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from grader.core.i18n import t
from grader.core.manifest import Manifest
from grader.core.paths import exercise_file
from grader.core.sync import SyncError, make_stub
from grader.grading.assignment import Assignment
from grader.grading.release import student_files
from grader.grading.release.curriculum import reduced_text
from grader.grading.release.files import copy_files, exercise_test_files, package_files
from grader.grading.release.integrity import write_record


class ReleaseError(Exception):
    """The release cannot be written; the message is one sentence."""


def stubs(root: Path, assignment: Assignment, lang: str = "en") -> dict[str, str]:
    """Release-relative stub path -> stub text, generated from each assigned exercise's solution."""
    out = {}
    for exercise_id in assignment.exercise_ids:
        solution = exercise_file(root / "solutions", exercise_id)
        if not solution.is_file():
            raise ReleaseError(t("release.no_solution", lang, id=exercise_id, path=solution))
        try:
            stub = make_stub(solution.read_text(encoding="utf-8"), exercise_id, str(solution.relative_to(root)))
        except SyncError as err:
            raise ReleaseError(str(err)) from None
        out[exercise_file(Path("exercises"), exercise_id).as_posix()] = stub
    return out


def write_release(root: Path, manifest: Manifest, assignment: Assignment, out: Path, *,
                  with_mistakes: bool = False, lang: str = "en") -> Path:
    """Write the student repository to `out` (which must not exist or be empty); returns `out`.

    The tree is built in a scratch folder beside `out` and moved into place at the end, so a failure
    never leaves half a release behind.
    """
    out = Path(out).resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ReleaseError(t("release.out_not_empty", lang, path=out))
    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        _fill(root, manifest, assignment, scratch, with_mistakes, lang)
        scratch.chmod(0o755)  # mkdtemp makes it private; a repository is not
        if out.exists():
            out.rmdir()
        scratch.rename(out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return out


def _fill(root: Path, manifest: Manifest, assignment: Assignment, dest: Path, with_mistakes: bool, lang: str) -> None:
    for rel, stub in stubs(root, assignment, lang).items():
        _write(dest / rel, stub)
    copy_files(exercise_test_files(root, assignment.exercise_ids, mistakes=with_mistakes), dest)
    copy_files(package_files(root), dest)
    shutil.copyfile(root / "pyproject.toml", dest / "pyproject.toml")
    _write(dest / "curriculum.toml", reduced_text(root, assignment))
    _write(dest / "Makefile", student_files.makefile(root))
    _write(dest / ".gitignore", student_files.GITIGNORE)
    _write(dest / student_files.WORKFLOW, student_files.WORKFLOW_TEXT)
    _write(dest / "README.md", student_files.readme(assignment, manifest, lang))
    write_record(dest, title=assignment.title, exercise_ids=assignment.exercise_ids,
                 extra={"due": assignment.due, "mistakes_included": with_mistakes})


def _write(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
