"""Build a Gradescope autograder zip for an assignment: the scripts, the grader, and the assigned tests.

The grading side may hold the mistake catalogues (they only run where the references live), never the
solutions. The zip is reproducible: fixed timestamps, sorted entries, executable bits on the two scripts.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from grader.core.i18n import t
from grader.grading.assignment import Assignment
from grader.grading.release.autograder_scripts import run_autograder, setup_sh
from grader.grading.release.curriculum import reduced_text
from grader.grading.release.files import exercise_test_files, package_files
from grader.grading.release.student_files import torch_spec

EXECUTABLE = ("setup.sh", "run_autograder")
STAMP = (2020, 1, 1, 0, 0, 0)


def contents(root: Path, assignment: Assignment, lang: str = "en") -> dict[str, bytes]:
    """Zip path -> bytes for everything the autograder needs."""
    files: dict[str, bytes] = {
        "setup.sh": setup_sh(torch_spec(root)).encode(),
        "run_autograder": run_autograder(assignment.visibility, lang).encode(),
        "curriculum.toml": reduced_text(root, assignment).encode(),
        "pyproject.toml": (root / "pyproject.toml").read_bytes(),
        "README.md": _readme(assignment, lang).encode(),
    }
    kit_files = {**package_files(root), **exercise_test_files(root, assignment.exercise_ids, mistakes=True)}
    files.update({rel: source.read_bytes() for rel, source in kit_files.items()})
    return files


def write_bundle(root: Path, assignment: Assignment, out: Path, lang: str = "en") -> Path:
    """Write the zip to `out` (replacing it, never half-written); returns `out`."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in sorted(contents(root, assignment, lang).items()):
            info = zipfile.ZipInfo(name, date_time=STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o100755 if name in EXECUTABLE else 0o100644) << 16
            zf.writestr(info, data)
    os.replace(tmp, out)
    return out


def _readme(assignment: Assignment, lang: str) -> str:
    ids = "\n".join(f"- {i}" for i in assignment.exercise_ids)
    return t("bundle.readme", lang, title=assignment.title, exercises=ids, visibility=assignment.visibility) + "\n"
