"""Fixtures for the grader's own tests: a private copy of the kit to run commands in."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def copy_kit(dest: Path) -> Path:
    """curriculum.toml, exercises/, solutions/ and the exercise tests, without the kit's own tests."""
    shutil.copy(ROOT / "curriculum.toml", dest / "curriculum.toml")
    for folder in ("exercises", "solutions"):
        shutil.copytree(ROOT / folder, dest / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "tests", dest / "tests", ignore=shutil.ignore_patterns("__pycache__", "kit"))
    return dest


@pytest.fixture(scope="session")
def kit(tmp_path_factory) -> Path:
    """A copy of the kit shared by tests that only read it."""
    return copy_kit(tmp_path_factory.mktemp("kit"))


@pytest.fixture
def fresh_kit(tmp_path) -> Path:
    """A copy of the kit a test may change."""
    return copy_kit(tmp_path)


@pytest.fixture(scope="session")
def nnlings():
    """A function running `python -m grader ARGS` in a kit copy, as a user would run `nnlings`."""
    return run_nnlings


def run_nnlings(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m grader ARGS` in `root`."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("NNLINGS_")}
    full_env.update({"NNLINGS_ROOT": str(root), "NO_COLOR": "1", **(env or {})})
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=root, env=full_env, capture_output=True,
                          text=True, timeout=600, stdin=subprocess.DEVNULL)
