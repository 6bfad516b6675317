"""`nnlings dev new MODULE NAME`: a new exercise's files and manifest entry, and a self-check that then lists
exactly what is still missing."""

import shutil
from pathlib import Path

import pytest

from grader.core import manifest
from grader.core.sync import make_stub

ROOT = Path(__file__).resolve().parents[2]
WRITTEN = ["solutions/activations/swish.py", "tests/activations/test_swish.py", "tests/activations/mistakes_swish.py",
           "exercises/activations/swish.py", "curriculum.toml"]
pytestmark = pytest.mark.timeout(600)


def test_new_exercise_and_what_is_missing(nnlings, fresh_kit):
    """Does `dev new activations swish` write the five files, and does `dev check` then name each missing piece
    (hints, intro, weights, the zh question and title, mistakes, second opinion, the solution itself)?"""
    shutil.copytree(ROOT / "tests" / "kit" / "second_opinion", fresh_kit / "tests" / "kit" / "second_opinion")
    done = nnlings(fresh_kit, "dev", "new", "activations", "swish")
    assert done.returncode == 0, done.stderr
    assert [line.removeprefix("wrote ") for line in done.stdout.splitlines()[:5]] == WRITTEN
    m = manifest.load(fresh_kit)
    ids = [e.id for e in m.in_module("activations")]
    assert ids[-1] == "activations.swish" and m.exercise("activations.swish").functions == ("swish",)
    solution = (fresh_kit / WRITTEN[0]).read_text()
    assert "# BEGIN SOLUTION" in solution and all(h in solution for h in ("Args:", "Returns:", "Shapes:", "PyTorch:"))
    assert (fresh_kit / WRITTEN[3]).read_text() == make_stub(solution, "activations.swish")
    checked = nnlings(fresh_kit, "dev", "check", "activations.swish")
    assert checked.returncode == 1
    problems = sorted(line[2:] for line in checked.stdout.splitlines() if line.startswith("- "))
    assert problems == sorted([
        "activations.swish: needs at least 3 non-empty hints in en",
        "activations.swish: needs at least 3 non-empty hints in zh",
        "activations.swish: has no intro in en",
        "activations.swish: has no intro in zh",
        "activations.swish: lists no tests",
        "activations.swish: test test_swish_forward in test_swish.py has no weight in the manifest",
        "activations.swish: test test_swish_forward has no zh question in tests/locales/zh.toml",
        "activations.swish: has no title in zh",
        "activations.swish: needs at least 3 catalogued mistakes in tests/activations/mistakes_swish.py (has 0)",
        "activations.swish: has no second opinion, an independent correct version, at "
        "tests/kit/second_opinion/activations/swish.py",
        "activations.swish: the solution is not written yet: 6 check(s) raise NotImplementedError",
    ]), checked.stdout


def test_new_module(nnlings, fresh_kit):
    """Is an exercise in a module the manifest does not know declared with its module, last in learning order?"""
    done = nnlings(fresh_kit, "dev", "new", "metrics", "accuracy")
    assert done.returncode == 0, done.stderr
    m = manifest.load(fresh_kit)
    assert m.modules[-1].id == "metrics" and m.exercises[-1].id == "metrics.accuracy"


@pytest.mark.parametrize("args, reason", [
    (("activations", "softmax"), "already in curriculum.toml"),
    (("activations", "Swish"), "lowercase Python identifier"),
    (("act-ivations", "swish"), "lowercase Python identifier"),
    (("activations", "lambda"), "lowercase Python identifier"),
    (("activations", "kept"), "already there, and kept: tests/activations/test_kept.py"),
], ids=["existing_id", "capital", "dash", "keyword", "file_there"])
def test_refusals_write_nothing(nnlings, fresh_kit, args, reason):
    """Is an existing id, a name that is no identifier, or a file already there refused with a sentence, exit 2,
    and nothing written or overwritten?"""
    (fresh_kit / "tests" / "activations" / "test_kept.py").write_text("# an author's work in progress\n")
    before = {p: p.read_bytes() for p in fresh_kit.rglob("*") if p.is_file()}
    done = nnlings(fresh_kit, "dev", "new", *args)
    assert done.returncode == 2 and reason in done.stderr and "Nothing was written" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert {p: p.read_bytes() for p in fresh_kit.rglob("*") if p.is_file()} == before
