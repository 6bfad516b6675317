"""`nnlings gradescope`: the autograder zip, and run_autograder on a fake Gradescope tree."""

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from grader.commands import gradescope_bundle
from grader.core import manifest
from grader.core.context import Context, UsageError
from grader.grading.release import finish, gather

ROOT = Path(__file__).resolve().parents[2]
ASSIGNED = ["activations.softmax", "losses.mse"]
ASSIGNMENT = """\
title = "Week 2: softmax and MSE"
exercises = ["activations.softmax", "losses.mse"]
hidden_tests = "after_due_date"

[points]
"losses.mse" = 20
"""


def build(folder: Path, text: str = ASSIGNMENT) -> Path:
    (folder / "hw.toml").write_text(text, encoding="utf-8")
    ctx = Context(ROOT, manifest.load(ROOT), "en", out=io.StringIO())
    args = argparse.Namespace(assignment=str(folder / "hw.toml"), out=str(folder / "ag.zip"))
    code = gradescope_bundle.run(args, ctx)
    assert code == 0 and "after_due_date" in ctx.out.getvalue()
    return folder / "ag.zip"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("bundle"))


@pytest.fixture
def autograder(bundle, tmp_path) -> Path:
    """A fake Gradescope tree: the zip unpacked in source/ (setup.sh not run), an empty submission/."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(root / "source")
    (root / "submission").mkdir()
    return root


def run_autograder(root: Path) -> dict:
    """run_autograder with AUTOGRADER_ROOT pointing at the fake tree and this venv's python first on PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NNLINGS_")}
    env.update(AUTOGRADER_ROOT=str(root), PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}")
    done = subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True,
                          timeout=600, stdin=subprocess.DEVNULL, cwd=root)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


def place(tree: Path, source_tree: Path, ids=ASSIGNED) -> None:
    for exercise_id in ids:
        module, name = exercise_id.split(".")
        (tree / module).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source_tree / module / f"{name}.py", tree / module / f"{name}.py")


def test_bundle_contents(bundle):
    """Does the zip hold the scripts (executable), the grader, the assigned tests with catalogues, and no solution?"""
    with zipfile.ZipFile(bundle) as zf:
        names = set(zf.namelist())
        modes = {info.filename: info.external_attr >> 16 for info in zf.infolist()}
        setup = zf.read("setup.sh").decode()
        runner = zf.read("run_autograder").decode()
        curriculum = zf.read("curriculum.toml").decode()
    outside = {n for n in names if not n.startswith("grader/")}
    assert outside == {"setup.sh", "run_autograder", "curriculum.toml", "pyproject.toml", "README.md",
                       "tests/conftest.py", "tests/locales/zh.toml",
                       "tests/activations/test_softmax.py", "tests/activations/mistakes_softmax.py",
                       "tests/losses/test_mse.py", "tests/losses/mistakes_mse.py"}
    assert "grader/cli.py" in names and not any("__pycache__" in n for n in names)
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111 and not modes["curriculum.toml"] & 0o111
    assert "torch==" in setup and 'pip install --quiet -e "$HERE"' in setup
    assert "AUTOGRADER_ROOT" in runner and "--format gradescope" in runner and "VISIBILITY=after_due_date" in runner
    assert 'id = "optim.adam"' not in curriculum and "points = 20" in curriculum
    assert "://" not in setup + runner


def test_bundle_is_reproducible(bundle, tmp_path):
    """Does building twice give the same bytes (fixed timestamps, sorted entries)?"""
    assert build(tmp_path).read_bytes() == bundle.read_bytes()


def test_bundle_rejects_a_bad_assignment(tmp_path):
    """Is a broken assignment a usage error with one sentence, and no zip?"""
    (tmp_path / "hw.toml").write_text('title = "x"\nexercises = ["losses.mse"]\nhidden_tests = "never"')
    ctx = Context(ROOT, manifest.load(ROOT), "en", out=io.StringIO())
    with pytest.raises(UsageError, match="hidden_tests"):
        gradescope_bundle.run(argparse.Namespace(assignment=str(tmp_path / "hw.toml"), out=str(tmp_path / "ag.zip")),
                              ctx)
    assert not (tmp_path / "ag.zip").exists()


def test_autograder_full_marks_for_the_solutions(autograder):
    """Do the kit's solutions, submitted as a folder like exercises/, get full marks, with the assignment's
    visibility on every test?"""
    place(autograder / "submission", ROOT / "solutions")
    results = run_autograder(autograder)
    assert results["score"] == 30
    assert sum(t["max_score"] for t in results["tests"]) == pytest.approx(30, abs=1e-9)  # float addition only
    assert {t["status"] for t in results["tests"]} == {"passed"}
    assert {t["visibility"] for t in results["tests"]} == {"after_due_date"}
    assert {t["name"].split(" · ")[0] for t in results["tests"]} == set(ASSIGNED)


def test_autograder_zero_for_the_stubs(autograder):
    """Do the untouched stubs, in a repository holding exercises/, score 0 with every test entry present?"""
    place(autograder / "submission" / "student-repo" / "exercises", ROOT / "exercises")
    results = run_autograder(autograder)
    assert results["score"] == 0 and results["tests"]
    assert sum(t["max_score"] for t in results["tests"]) == pytest.approx(30, abs=1e-9)  # float addition only


def test_autograder_nothing_submitted(autograder):
    """Does a submission without any exercise score 0 with a sentence naming the expected files?"""
    (autograder / "submission" / "notes.txt").write_text("hello")
    results = run_autograder(autograder)
    assert results["score"] == 0 and results["tests"] == []
    assert "exercises/losses/mse.py" in results["output"]


def test_gather_single_files_in_a_wrapping_folder(tmp_path):
    """Are exercise files uploaded one by one (inside one wrapping folder) laid out like exercises/?"""
    sub = tmp_path / "submission" / "upload"
    sub.mkdir(parents=True)
    shutil.copyfile(ROOT / "solutions/losses/mse.py", sub / "mse.py")
    (sub / "softmax.py").symlink_to(ROOT / "solutions/activations/softmax.py")  # a link is never followed
    tree, found = gather.gather(tmp_path / "submission", manifest.load(ROOT), tmp_path / "scratch")
    assert found == ["losses.mse"]
    assert (tree / "losses" / "mse.py").read_bytes() == (ROOT / "solutions/losses/mse.py").read_bytes()
    assert not (tree / "activations").exists()


def test_gather_notebook_fills_in(tmp_path):
    """Does an exercise cell of a notebook count when no Python file provides that exercise?"""
    sub = tmp_path / "submission"
    place(sub, ROOT / "solutions", ["losses.mse"])
    code = (ROOT / "solutions/activations/softmax.py").read_text(encoding="utf-8")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("%%nnlings activations.softmax\n" + code)])
    nbformat.write(nb, sub / "activations.ipynb")
    tree, found = gather.gather(sub, manifest.load(ROOT), tmp_path / "scratch")
    assert found == ["activations.softmax", "losses.mse"]
    assert (tree / "activations" / "softmax.py").read_text(encoding="utf-8").strip() == code.strip()


def test_finish_without_results_claims_no_score(tmp_path):
    """When grading wrote nothing, is there a sentence and no score (grading broke, not a zero)?"""
    data = finish.finish(tmp_path / "results.json", "hidden", "en")
    assert "score" not in data and "grader's fault" in data["output"]
    assert json.loads((tmp_path / "results.json").read_text()) == data
