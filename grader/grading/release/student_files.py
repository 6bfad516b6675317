"""The files a student repository has that the kit does not: Makefile, .gitignore, CI workflow, README."""

from __future__ import annotations

import re
from pathlib import Path

from grader.core.i18n import t
from grader.core.manifest import Manifest, text
from grader.core.paths import exercise_file
from grader.grading.assignment import Assignment
from grader.grading.release.integrity import RECORD

DEFAULT_TORCH_SPEC = "torch==2.13.0"
WORKFLOW = ".github/workflows/grade.yml"

MAKEFILE = """\
# `make run` sets everything up on a fresh machine, then shows your progress.
PYTHON ?= python3
VENV ?= .venv
# Installed first so that pip finds torch already satisfied.
TORCH_SPEC ?= {torch_spec}
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run watch check install clean

run: $(STAMP)
\t$(VENV)/bin/nnlings progress

watch: $(STAMP)
\t$(VENV)/bin/nnlings watch

check: $(STAMP)
\t$(VENV)/bin/nnlings check

install: $(STAMP)

$(STAMP): pyproject.toml
\ttest -x $(PY) || $(PYTHON) -m venv $(VENV)
\t$(PY) -m pip install --quiet --upgrade pip
\t$(PY) -m pip install --quiet "$(TORCH_SPEC)"
\t$(PY) -m pip install --quiet -e .
\ttouch $(STAMP)

clean:
\trm -rf $(VENV) build *.egg-info
"""

GITIGNORE = f"""\
.venv/
__pycache__/
*.egg-info/
build/
.pytest_cache/
notebooks/.ipynb_checkpoints/
# Your progress and backups live in .nnlings/; only the release record belongs in the repository.
.nnlings/*
!{RECORD}
"""

WORKFLOW_TEXT = """\
# Written by `nnlings release`. Every push runs this assignment's tests; the results are advisory:
# the grade that counts is your teacher's run against the original tests.
name: nnlings
on:
  push:
  workflow_dispatch:
permissions:
  contents: read
jobs:
  grade:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
          cache: pip
          cache-dependency-path: pyproject.toml
      - name: Install
        run: make install
      - name: Put nnlings on the PATH
        run: echo "$PWD/.venv/bin" >> "$GITHUB_PATH"
      - name: Grade (advisory)
        run: nnlings grade exercises --ci --format markdown >> "$GITHUB_STEP_SUMMARY"
"""


def torch_spec(root: Path) -> str:
    """The kit Makefile's TORCH_SPEC, so that a release installs the torch the kit was tested with."""
    try:
        found = re.search(r"^TORCH_SPEC\s*\?=\s*(\S+)\s*$", (root / "Makefile").read_text(encoding="utf-8"), re.M)
    except OSError:
        found = None
    return found.group(1) if found else DEFAULT_TORCH_SPEC


def makefile(root: Path) -> str:
    """The student's Makefile: run, watch, check, install, clean (no solutions, so no self-check)."""
    return MAKEFILE.format(torch_spec=torch_spec(root))


def readme(assignment: Assignment, manifest: Manifest, lang: str) -> str:
    """A short README: what is assigned, by when, how to work, what may be changed."""
    total = sum(assignment.points.values())
    due = t("release.readme_due", lang, due=assignment.due) if assignment.due else t("release.readme_no_due", lang)
    rows = []
    for exercise_id in assignment.exercise_ids:
        ex = manifest.exercise(exercise_id)
        path = exercise_file(Path("exercises"), exercise_id).as_posix()
        rows.append(t("release.readme_row", lang, id=exercise_id, title=text(ex.title, lang), path=path,
                      points=_number(assignment.points[exercise_id])))
    return "\n".join([
        f"# {assignment.title}", "",
        t("release.readme_intro", lang), "",
        due, "",
        f"## {t('release.readme_exercises', lang, points=_number(total))}", "",
        *rows, "",
        f"## {t('release.readme_start', lang)}", "",
        t("release.readme_commands", lang), "",
        f"## {t('release.readme_rules', lang)}", "",
        t("release.readme_rules_text", lang, record=RECORD, workflow=WORKFLOW), "",
    ])


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
