"""The two scripts Gradescope runs: setup.sh once per image, run_autograder once per submission."""

from __future__ import annotations

import shlex

from grader.grading.release.gather import NOTHING_FOUND

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image:
# a virtual environment with Python 3.11 or newer, torch, and the kit bundled beside this script.
# TORCH_SPEC may be overridden; pip's own settings (PIP_INDEX_URL, ...) choose where wheels come from.
set -euo pipefail
HERE="$(cd "$(dirname "${{BASH_SOURCE[0]}}")" && pwd)"
TORCH_SPEC="${{TORCH_SPEC:-{torch_spec}}}"

find_python() {{
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}}

apt_install() {{
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}}

if ! PY="$(find_python)"; then
  apt_install python3.11 python3.11-venv
  PY=python3.11
fi
if ! "$PY" -m venv "$HERE/.venv"; then
  apt_install "$(basename "$PY")-venv"
  "$PY" -m venv "$HERE/.venv"
fi
"$HERE/.venv/bin/python" -m pip install --quiet --upgrade pip
# torch first, so that installing the kit finds it already satisfied.
"$HERE/.venv/bin/python" -m pip install --quiet "$TORCH_SPEC"
"$HERE/.venv/bin/python" -m pip install --quiet -e "$HERE"
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission. AUTOGRADER_ROOT moves the whole tree (default /autograder).
# The submission (a folder like exercises/, a repository holding it, single files, or notebooks) is copied
# to a scratch folder, graded against the kit's tests in source/, and written to results/results.json.
set -uo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
SOURCE="$ROOT/source"
RESULTS="$ROOT/results/results.json"
VISIBILITY={visibility}
GRADE_LANG={lang}

PY="$SOURCE/.venv/bin/python"
[ -x "$PY" ] || PY="$(command -v python3)"
export NNLINGS_ROOT="$SOURCE"
unset NNLINGS_IMPL NNLINGS_SEED
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$ROOT/results"
rm -f "$RESULTS"
cd "$SOURCE" || exit 2

TREE="$("$PY" -m grader.grading.release.gather "$ROOT/submission" "$WORK")"
FOUND=$?
if [ "$FOUND" -eq 0 ]; then
  "$PY" -m grader --lang "$GRADE_LANG" grade "$TREE" --format gradescope --out "$RESULTS"
fi
# Status {nothing_found}: no exercise in the submission (a zero, explained). Any other failure leaves no
# results.json, which finish reports as grading that broke, never as a zero.
if [ "$FOUND" -eq {nothing_found} ]; then
  "$PY" -m grader.grading.release.finish "$RESULTS" --visibility "$VISIBILITY" --lang "$GRADE_LANG" --nothing-found
else
  "$PY" -m grader.grading.release.finish "$RESULTS" --visibility "$VISIBILITY" --lang "$GRADE_LANG"
fi
"""


def setup_sh(torch_spec: str) -> str:
    return SETUP_SH.format(torch_spec=torch_spec)


def run_autograder(visibility: str, lang: str) -> str:
    return RUN_AUTOGRADER.format(visibility=shlex.quote(visibility), lang=shlex.quote(lang),
                                 nothing_found=NOTHING_FOUND)
