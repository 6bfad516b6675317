"""The kit's own packaging builds without a deprecation warning, so `make run` on a fresh clone starts clean."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(300)
def test_wheel_builds_without_deprecation_warnings(tmp_path):
    """Does setuptools build nnlings' wheel from pyproject.toml with no deprecation warning?"""
    source = tmp_path / "source"  # a copy, so the build leaves nothing in the checkout
    shutil.copytree(ROOT / "grader", source / "grader", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--verbose",
         "--wheel-dir", str(tmp_path / "wheels"), str(source)],
        capture_output=True, text=True, check=False, cwd=tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    warned = [line for line in output.splitlines() if "deprecat" in line.lower()]
    assert not warned, "\n".join(warned)
