"""The `nnlings` command end to end, in a private copy of the kit."""

import json
import shutil

import pytest

from grader.core import manifest
from grader.core.report import SCHEMA

# Several tests grade the whole curriculum: far past the 60 s that one exercise check may take.
pytestmark = pytest.mark.timeout(600)


def test_grade_solutions_full_marks(nnlings, kit):
    """Does grading the reference solutions give full marks in an nnlings-report/1 JSON report?"""
    done = nnlings(kit, "grade", "solutions", "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["schema"] == SCHEMA and report["error"] is None
    assert report["score"] == report["possible"] == sum(e.points for e in manifest.load(kit).exercises)
    assert all(ex["status"] == "passed" for ex in report["exercises"])
    assert {"kit_version", "seed", "torch", "numpy", "modules"} <= set(report)


def test_grade_stubs_all_todo(nnlings, kit):
    """Does grading the untouched stubs give 0 with every exercise 'todo'?"""
    done = nnlings(kit, "grade", "exercises", "--seed", "1")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["score"] == 0 and report["seed"] == 1
    assert {ex["status"] for ex in report["exercises"]} == {"todo"}


def test_grade_gradescope_to_file(nnlings, kit, tmp_path):
    """Does --format gradescope write results.json with Gradescope's fields?"""
    out = tmp_path / "results" / "results.json"
    done = nnlings(kit, "grade", str(kit), "--format", "gradescope", "--out", str(out))
    assert done.returncode == 1, done.stderr
    results = json.loads(out.read_text())
    assert results["score"] == 0 and results["tests"]
    assert set(results["tests"][0]) >= {"name", "score", "max_score", "status", "output", "visibility"}


def test_grade_a_repository_holding_exercises(nnlings, kit, tmp_path):
    """Is a repository that contains exercises/ graded like the folder itself?"""
    repo = tmp_path / "student"
    shutil.copytree(kit / "solutions", repo / "exercises")
    done = nnlings(kit, "grade", str(repo), "--seed", "3")
    assert done.returncode == 0, done.stdout[-2000:]
    assert json.loads(done.stdout)["score"] > 0


def test_grade_nothing_there(nnlings, kit, tmp_path):
    """Is a path with no exercises a usage error (exit 2) with a sentence, not a score of zero?"""
    done = nnlings(kit, "grade", str(tmp_path))
    assert done.returncode == 2 and "neither" in done.stderr and "Traceback" not in done.stderr


def test_progress_starts_at_zero(nnlings, fresh_kit):
    """Does `progress` on a fresh kit show every module's bar and 0 of N, and name the next exercise?"""
    done = nnlings(fresh_kit, "progress")
    n = len(manifest.load(fresh_kit).exercises)
    assert done.returncode == 0, done.stderr
    assert f"Total: 0 of {n} exercises" in done.stdout and "Next:" in done.stdout


def test_check_names_a_mistake(nnlings, fresh_kit):
    """Does `check` on a softmax without max-subtraction name that mistake and give a rerun command?"""
    stub = fresh_kit / "exercises" / "activations" / "softmax.py"
    text = stub.read_text().replace(
        'raise NotImplementedError("activations.softmax: softmax")',
        "e = np.exp(x)\n    return e / e.sum(axis=axis, keepdims=True)")
    stub.write_text(text)
    done = nnlings(fresh_kit, "check", "activations.softmax")
    assert done.returncode == 1
    assert "softmax without subtracting the maximum" in done.stdout
    assert "nnlings check activations.softmax" in done.stdout and "Traceback" not in done.stdout


def test_check_in_chinese(nnlings, fresh_kit):
    """Does --lang zh give the verdict in Chinese?"""
    done = nnlings(fresh_kit, "--lang", "zh", "check", "activations.softmax")
    assert "还没有开始" in done.stdout


def test_hint_ladder(nnlings, fresh_kit):
    """Does each `hint` show the next hint, and --all show them all?"""
    first = nnlings(fresh_kit, "hint", "activations.softmax").stdout
    second = nnlings(fresh_kit, "hint", "activations.softmax").stdout
    assert "Hint 1 of" in first and "Hint 2 of" in second
    assert nnlings(fresh_kit, "hint", "activations.softmax", "--all").stdout.count("Hint ") == 3


def test_unknown_exercise(nnlings, kit):
    """Is an unknown exercise id a one-sentence usage error with exit 2?"""
    done = nnlings(kit, "check", "nope.nothing")
    assert done.returncode == 2 and "nnlings list" in done.stderr


def test_dev_check_of_one_exercise(nnlings, kit):
    """Does `nnlings dev check ID` run that exercise's checks alone, and refuse an unknown id?"""
    done = nnlings(kit, "dev", "check", "activations.relu")
    assert done.returncode == 0 and "dev check passed: 1 exercise" in done.stdout
    unknown = nnlings(kit, "dev", "check", "nope.nothing")
    assert unknown.returncode == 2 and "nope.nothing" in unknown.stdout


def test_python_m_grader_help(nnlings, kit):
    """Does `python -m grader --help` list the commands?"""
    done = nnlings(kit, "--help")
    assert done.returncode == 0 and "progress" in done.stdout


def test_reset_keeps_a_backup(nnlings, fresh_kit):
    """Does reset put the stub back and keep the learner's file, and refuse to act unasked without a terminal?"""
    stub = fresh_kit / "exercises" / "losses" / "mse.py"
    original = stub.read_text()
    stub.write_text(original + "\n# my work\n")
    unasked = nnlings(fresh_kit, "reset", "losses.mse")
    assert unasked.returncode == 2 and "--yes" in unasked.stderr
    done = nnlings(fresh_kit, "reset", "losses.mse", "--yes")
    assert done.returncode == 0 and stub.read_text() == original
    [backup] = (fresh_kit / ".nnlings" / "backups" / "losses").glob("mse.*.py")
    assert backup.read_text().endswith("# my work\n")


def test_solution_opens_after_passing(nnlings, fresh_kit):
    """Is the reference solution withheld until the exercise passes, then shown without its markers?"""
    locked = nnlings(fresh_kit, "solution", "losses.mse")
    assert locked.returncode == 1 and "Pass losses.mse first" in locked.stdout
    shutil.copy(fresh_kit / "solutions" / "losses" / "mse.py", fresh_kit / "exercises" / "losses" / "mse.py")
    opened = nnlings(fresh_kit, "solution", "losses.mse")
    assert opened.returncode == 0 and "def mse_loss" in opened.stdout and "BEGIN SOLUTION" not in opened.stdout


def test_solutions_switched_off(nnlings, fresh_kit):
    """Does [learner] show_solutions = false keep solutions hidden even after passing?"""
    manifest_file = fresh_kit / "curriculum.toml"
    manifest_file.write_text(manifest_file.read_text().replace("schema = 1", "schema = 1\n\n[learner]\nshow_solutions = false", 1))
    shutil.copy(fresh_kit / "solutions" / "losses" / "mse.py", fresh_kit / "exercises" / "losses" / "mse.py")
    done = nnlings(fresh_kit, "solution", "losses.mse")
    assert done.returncode == 2 and "not available" in done.stderr


def test_endless_loop_is_a_timeout(nnlings, fresh_kit):
    """Does an endless loop give 'timeout' for that exercise quickly, with a sentence instead of a stack dump?"""
    stub = fresh_kit / "exercises" / "losses" / "mse.py"
    stub.write_text(stub.read_text().replace('    raise NotImplementedError("losses.mse: mse_loss")', "    while True:\n        pass", 1))
    done = nnlings(fresh_kit, "grade", "exercises", env={"NNLINGS_CALL_LIMIT": "2"})
    report = json.loads(done.stdout)
    [mse] = [ex for ex in report["exercises"] if ex["id"] == "losses.mse"]
    assert mse["status"] == "timeout" and mse["score"] == 0
    message = next(t["message"] for t in mse["tests"] if t["status"] == "timeout")
    assert "did not finish within 2" in message and "while True" in message and "Traceback" not in message, message


def test_grade_says_which_protections_were_missing(nnlings, kit, tmp_path):
    """Graded where the runner cannot take a user of its own, does the report record it and the teacher read why?"""
    (tmp_path / "losses").mkdir()
    shutil.copy(kit / "solutions" / "losses" / "mse.py", tmp_path / "losses" / "mse.py")
    done = nnlings(kit, "grade", str(tmp_path), env={"NNLINGS_RUNNER_AS_ROOT": "1"})
    report = json.loads(done.stdout)
    [mse] = [ex for ex in report["exercises"] if ex["id"] == "losses.mse"]
    assert mse["status"] == "passed" and report["protections"]["own_process"] and not report["protections"]["own_user"]
    assert "could read whatever the grader's user can read" in done.stderr and "Traceback" not in done.stderr
