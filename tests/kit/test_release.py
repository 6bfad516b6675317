"""Assignments and `nnlings release`: validation, what a student repository holds, and that it leaks no solution."""

import argparse
import dataclasses
import io
import json
import re
import tomllib
from pathlib import Path

import pytest

from grader.commands import release
from grader.core import manifest
from grader.core.context import Context, UsageError
from grader.core.report import ExerciseResult, Report
from grader.core.report import TestResult as CaseResult  # not collected as a test class
from grader.core.sync import BEGIN, END, make_stub
from grader.grading.assignment import AssignmentError, load_assignment
from grader.grading.release import ci
from grader.grading.release.integrity import RECORD, check_release, digest
from grader.grading.release.toml_write import dumps
from grader.grading.render import gradescope, markdown_report

ROOT = Path(__file__).resolve().parents[2]
ASSIGNED = ["activations.softmax", "losses.mse"]
ASSIGNMENT = """\
title = "Week 2: softmax and MSE"
exercises = ["activations.softmax", "losses.mse"]
due = "2026-10-01T23:59:00+08:00"
hidden_tests = "after_due_date"

[points]
"losses.mse" = 20

[learner]
show_solutions = false
"""


def kit_manifest():
    return manifest.load(ROOT)


def with_empty_module(found: manifest.Manifest) -> manifest.Manifest:
    """The kit's manifest plus a module "drafts" that holds no exercise yet (every real module has some)."""
    drafts = manifest.Module("drafts", {"en": "Drafts", "zh": "草稿"})
    return dataclasses.replace(found, modules=found.modules + (drafts,))


def write_assignment(folder: Path, text: str = ASSIGNMENT, name: str = "hw.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run_release(assignment: Path, out: Path, with_mistakes: bool = False, lang: str = "en") -> tuple[int, str]:
    """Call the command's run() as the CLI would, in the kit itself (release only reads it)."""
    ctx = Context(ROOT, kit_manifest(), lang, out=io.StringIO())
    code = release.run(argparse.Namespace(assignment=str(assignment), out=str(out), with_mistakes=with_mistakes), ctx)
    return code, ctx.out.getvalue()


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    """One release of ASSIGNMENT, shared by the tests that only read it."""
    folder = tmp_path_factory.mktemp("release")
    code, _ = run_release(write_assignment(folder), folder / "student")
    assert code == 0
    return folder / "student"


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


# ---------------------------------------------------------------- the assignment file

BAD = {
    "unknown exercise": ('title = "x"\nexercises = ["losses.msee"]', "exercises", "losses.msee"),
    "unknown module": ('title = "x"\nmodules = ["activation"]', "modules", "activation"),
    "module without exercises": ('title = "x"\nmodules = ["drafts"]', "modules", "drafts"),
    "nothing assigned": ('title = "x"', "modules", "no exercise"),
    "bad date": ('title = "x"\nexercises = ["losses.mse"]\ndue = "2026-13-45"', "due", "2026-13-45"),
    "date not a string": ('title = "x"\nexercises = ["losses.mse"]\ndue = 20261001', "due", "20261001"),
    "bad visibility": ('title = "x"\nexercises = ["losses.mse"]\nhidden_tests = "secret"', "hidden_tests", "secret"),
    "unknown field": ('title = "x"\nexercises = ["losses.mse"]\ndeadline = "2026-10-01"', "deadline", "known"),
    "points for another exercise": ('title = "x"\nexercises = ["losses.mse"]\n[points]\n"optim.adam" = 5',
                                    "points.optim.adam", "optim.adam"),
    "negative points": ('title = "x"\nexercises = ["losses.mse"]\n[points]\n"losses.mse" = -1',
                        "points.losses.mse", "-1"),
    "attempts below zero": ('title = "x"\nexercises = ["losses.mse"]\n[learner]\nsolution_after_attempts = -1',
                            "learner.solution_after_attempts", "-1"),
    "show_solutions not a bool": ('title = "x"\nexercises = ["losses.mse"]\n[learner]\nshow_solutions = "no"',
                                  "learner.show_solutions", "no"),
    "unknown learner field": ('title = "x"\nexercises = ["losses.mse"]\n[learner]\nhints = 2',
                              "learner.hints", "known"),
    "exercises not a list": ('title = "x"\nexercises = "losses.mse"', "exercises", "list"),
    "no title": ('exercises = ["losses.mse"]', "title", "title"),
    "not TOML": ('title = "x\nexercises = [', "TOML", "TOML"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_assignment_errors_name_file_and_field(tmp_path, case):
    """Is each mistake in an assignment file one sentence naming the file and the field?"""
    text, field, detail = BAD[case]
    path = write_assignment(tmp_path, text)
    with pytest.raises(AssignmentError) as err:
        load_assignment(path, with_empty_module(kit_manifest()))
    message = str(err.value)
    assert str(path) in message and field in message and detail in message, message
    assert "\n" not in message and "Traceback" not in message


def test_assignment_missing_file(tmp_path):
    """Is a missing assignment file one sentence naming it?"""
    with pytest.raises(AssignmentError, match="does not exist"):
        load_assignment(tmp_path / "nope.toml", kit_manifest())


def test_assignment_errors_in_chinese(tmp_path):
    """Are assignment errors translated?"""
    path = write_assignment(tmp_path, 'title = "x"\nexercises = ["losses.msee"]')
    with pytest.raises(AssignmentError, match="不是本题库的练习"):
        load_assignment(path, kit_manifest(), "zh")


def test_assignment_resolves_in_manifest_order(tmp_path):
    """Do modules and exercises resolve to unique ids in learning order, with points, date and settings?"""
    path = write_assignment(tmp_path, """\
title = "  Mixed  "
exercises = ["optim.adam", "activations.softmax", "attention.causal_mask"]
modules = ["attention"]
due = 2026-10-01
[points]
"optim.adam" = 2.5
attention.causal_mask = 4
[learner]
solution_after_attempts = 3
""")
    found = load_assignment(path, kit_manifest())
    assert found.title == "Mixed"
    attention = tuple(e.id for e in kit_manifest().exercises if e.id.startswith("attention."))
    assert attention[:2] == ("attention.positional_encoding", "attention.causal_mask")
    assert found.exercise_ids == ("activations.softmax", *attention, "optim.adam")
    assert found.module_ids == ("activations", "attention", "optim")
    assert found.points["optim.adam"] == 2.5 and found.points["attention.causal_mask"] == 4
    assert found.points["activations.softmax"] == 10
    assert found.due == "2026-10-01" and found.visibility == "visible"
    assert found.learner.solution_after_attempts == 3 and found.learner.show_solutions is True


# ---------------------------------------------------------------- the student repository

def test_release_holds_exactly_the_assignment(released):
    """Does the release hold the stubs, tests and kit files of the assignment, and nothing else?"""
    outside_package = {f for f in files_under(released) if not f.startswith("grader/")}
    assert outside_package == {
        ".github/workflows/grade.yml", ".gitignore", RECORD, "Makefile", "README.md", "curriculum.toml",
        "pyproject.toml", "exercises/activations/softmax.py", "exercises/losses/mse.py",
        "tests/conftest.py", "tests/locales/zh.toml", "tests/activations/test_softmax.py", "tests/losses/test_mse.py",
    }
    kit_package = {p.relative_to(ROOT).as_posix() for p in (ROOT / "grader").rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    assert {f for f in files_under(released) if f.startswith("grader/")} == kit_package


def test_release_stubs_are_the_kits(released):
    """Is every released stub exactly the kit's stub (as sync writes it)?"""
    for exercise_id in ASSIGNED:
        module, name = exercise_id.split(".")
        rel = f"exercises/{module}/{name}.py"
        assert (released / rel).read_text(encoding="utf-8") == (ROOT / rel).read_text(encoding="utf-8"), rel


def test_release_has_no_solutions_kit_tests_or_mistakes(released):
    """Are solutions/, tests/kit/ and the mistake catalogues left out?"""
    assert not (released / "solutions").exists()
    assert not (released / "tests" / "kit").exists()
    assert not list(released.rglob("mistakes_*.py"))
    assert not list(released.rglob("__pycache__"))


def test_release_curriculum_is_reduced(released):
    """Does the released manifest hold only the assignment, with its points and [learner] settings?"""
    reduced = manifest.load(released)
    assert [e.id for e in reduced.exercises] == ASSIGNED
    assert [m.id for m in reduced.modules] == ["activations", "losses"]
    assert reduced.exercise("losses.mse").points == 20 and reduced.exercise("activations.softmax").points == 10
    assert reduced.learner.show_solutions is False
    kit, ours = kit_manifest().exercise("activations.softmax"), reduced.exercise("activations.softmax")
    assert ours.tests == kit.tests and ours.hints == kit.hints and ours.intro == kit.intro


def test_toml_writer_round_trips_the_whole_curriculum():
    """Does writing curriculum.toml's data back as TOML give exactly the same data?"""
    data = tomllib.loads((ROOT / "curriculum.toml").read_text(encoding="utf-8"))
    assert tomllib.loads(dumps(data, header="a\nheader")) == data
    odd = {"s": 'quote " backslash \\ tab \t del \x7f newline \n é', "f": 0.1, "b": True, "t": {"a key": [1, 2]}}
    assert tomllib.loads(dumps(odd)) == odd


def test_release_files_for_the_student(released):
    """Do the workflow, Makefile, README and .gitignore say what a student needs, and name no download host?"""
    workflow = (released / ".github/workflows/grade.yml").read_text(encoding="utf-8")
    assert "on:" in workflow and "push" in workflow and "make install" in workflow
    assert 'nnlings grade exercises --ci --format markdown >> "$GITHUB_STEP_SUMMARY"' in workflow
    makefile = (released / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^install: ", makefile, re.M) and "torch==" in makefile and "solutions" not in makefile
    readme = (released / "README.md").read_text(encoding="utf-8")
    assert "2026-10-01T23:59:00+08:00" in readme and "make run" in readme and "nnlings watch" in readme
    assert "nnlings check" in readme and "exercises/losses/mse.py" in readme
    assert "!.nnlings/release.json" in (released / ".gitignore").read_text(encoding="utf-8")
    for name in (".github/workflows/grade.yml", "Makefile", "README.md", ".gitignore"):
        assert "://" not in (released / name).read_text(encoding="utf-8"), name


def test_release_record_hashes_match(released):
    """Does release.json hold the title, the exercises and a matching sha256 of every protected file?"""
    record = json.loads((released / RECORD).read_text(encoding="utf-8"))
    assert record["assignment"] == "Week 2: softmax and MSE" and record["exercises"] == ASSIGNED
    assert record["kit_version"] and record["due"] == "2026-10-01T23:59:00+08:00"
    protected = {f for f in files_under(released) if not f.startswith("exercises/") and f != RECORD}
    assert set(record["files"]) == protected
    assert all(digest(released / rel) == sha for rel, sha in record["files"].items())
    assert check_release(released) == []


def test_release_refuses_a_folder_in_use(tmp_path):
    """Is an existing, non-empty --out a usage error rather than a mixed tree?"""
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    with pytest.raises(UsageError, match="not an empty folder"):
        run_release(write_assignment(tmp_path), tmp_path / "out")
    assert files_under(tmp_path / "out") == {"keep.txt"}


def test_release_with_mistakes_warns(tmp_path, capsys):
    """Does --with-mistakes ship the catalogues, record them, and warn that they reveal the solutions?"""
    code, _ = run_release(write_assignment(tmp_path), tmp_path / "student", with_mistakes=True)
    assert code == 0
    assert "reveal much of the solutions" in capsys.readouterr().err
    shipped = {p.name for p in (tmp_path / "student").rglob("mistakes_*.py")}
    assert shipped == {"mistakes_softmax.py", "mistakes_mse.py"}
    record = json.loads((tmp_path / "student" / RECORD).read_text(encoding="utf-8"))
    assert record["mistakes_included"] is True and "tests/losses/mistakes_mse.py" in record["files"]
    # The leak detector below is not vacuous: the catalogues do hold solution lines.
    assert leaks(tmp_path / "student")


def test_release_in_chinese(tmp_path):
    """Is the student README written in the language of the command?"""
    code, said = run_release(write_assignment(tmp_path), tmp_path / "student", lang="zh")
    assert code == 0 and "学生仓库" in said
    assert "截止时间" in (tmp_path / "student" / "README.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------- the proof: no solution code leaves the kit

def secret_lines(exercise_ids) -> set[str]:
    """Every non-trivial line between the solution markers that the stub does not show anyway.

    Trivial: shorter than 25 characters (`return out`, `if x is None:`) or a comment. Public: found in the stub
    anyway (a call of a helper the stub defines). A line is taken whole and without its trailing comment,
    so a copy with another comment is still found.
    """
    secrets = set()
    for exercise_id in exercise_ids:
        module, name = exercise_id.split(".")
        source = (ROOT / "solutions" / module / f"{name}.py").read_text(encoding="utf-8")
        stub = make_stub(source, exercise_id)
        inside = False
        for line in source.splitlines():
            if BEGIN.match(line) or END.match(line):
                inside = BEGIN.match(line) is not None
                continue
            whole = line.strip()
            for candidate in {whole, whole.split("  #")[0].strip()}:
                if inside and len(candidate) >= 25 and not candidate.startswith("#") and candidate not in stub:
                    secrets.add(candidate)
    return secrets


def searchable(root: Path, rel: str) -> str:
    """The text a student can read in a release file. The last hints of an exercise are near-pseudocode by
    design (the hint ladder never leaves a learner stuck), so curriculum.toml is searched without them."""
    path = root / rel
    if rel != "curriculum.toml":
        return path.read_text(encoding="utf-8")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for entry in data.get("exercise", []):
        entry.pop("hints", None)
    return dumps(data)


def leaks(root: Path) -> list[tuple[str, str]]:
    secrets = secret_lines(ASSIGNED)
    return [(rel, line) for rel in sorted(files_under(root)) for line in secrets if line in searchable(root, rel)]


def test_no_solution_code_in_the_release(released):
    """Does no file of the release contain any non-trivial line of an assigned exercise's solution?"""
    assert len(secret_lines(ASSIGNED)) >= 8  # the proof is not vacuous
    assert leaks(released) == []


# ---------------------------------------------------------------- integrity in a student's CI

def test_check_release_names_tampering(tmp_path):
    """Does check_release name a changed test, a missing file and an added conftest, and nothing the learner owns?"""
    code, _ = run_release(write_assignment(tmp_path), tmp_path / "s")
    root = tmp_path / "s"
    assert code == 0 and check_release(root) == []
    (root / "exercises/losses/mse.py").write_text("def mse_loss(a, b, reduction='mean'):\n    return 0\n")
    (root / ".nnlings" / "state.json").write_text("{}")
    (root / "tests/losses/__pycache__").mkdir()
    (root / "tests/losses/__pycache__/test_mse.cpython-311.pyc").write_bytes(b"\0")
    assert check_release(root) == []
    test = root / "tests/losses/test_mse.py"
    test.write_text(test.read_text(encoding="utf-8") + "\n\ndef test_nothing():\n    pass\n", encoding="utf-8")
    (root / "Makefile").unlink()
    (root / "tests/losses/conftest.py").write_text("")
    (root / "conftest.py").write_text("")
    assert check_release(root) == ["Makefile", "conftest.py", "tests/losses/conftest.py", "tests/losses/test_mse.py"]


def test_check_release_reads_crlf_as_lf(tmp_path):
    """Does a checkout with Windows line endings still match the record?"""
    run_release(write_assignment(tmp_path), tmp_path / "s")
    test = tmp_path / "s" / "tests/losses/test_mse.py"
    test.write_bytes(test.read_bytes().replace(b"\n", b"\r\n"))
    assert check_release(tmp_path / "s") == []
    (tmp_path / "s" / RECORD).unlink()
    assert check_release(tmp_path / "s") == [RECORD]


def test_release_grades_with_its_own_tests(nnlings, released):
    """Does the release, on its own, grade the kit's solutions at full marks with the assignment's points?"""
    done = nnlings(released, "grade", str(ROOT / "solutions"), "--format", "json", "--seed", "5")
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert [e["id"] for e in report["exercises"]] == ASSIGNED
    assert report["score"] == report["possible"] == 30


# ---------------------------------------------------------------- the step summary

def sample_report(error: str | None = None) -> Report:
    report = Report("0.1.0", 7, "2.13.0", "2.0", "exercises", score=12.5, possible=30, error=error)
    report.exercises = [
        ExerciseResult("activations.softmax", "activations", "Softmax | log-softmax", "passed", 10, 10,
                       [CaseResult("test_softmax_forward", "passed", 3, 10, 10, 10, 10)]),
        ExerciseResult("losses.mse", "losses", "MSE", "partial", 2.5, 20,
                       [CaseResult("test_mse_loss", "passed", 1, 2.5, 2.5, 3, 3),
                        CaseResult("test_mse_loss_backward", "failed", 7, 0, 17.5, 0, 3, "shape ```(3,)``` differs")]),
    ]
    return report


def test_markdown_summary_advisory_and_tampered():
    """Does the summary open with the advisory note, warn about tampered files, and show a row per exercise?"""
    text = markdown_report.render(sample_report(), "en", "ADVISORY NOTE", ["tests/losses/test_mse.py"])
    assert text.startswith("> ℹ️ ADVISORY NOTE")
    assert text.index("tests/losses/test_mse.py") < text.index("## nnlings: 12.5 / 30 points")
    assert "| `activations.softmax` Softmax \\| log-softmax | ✅ passed | 10 / 10 |" in text
    assert "| `losses.mse` MSE | 🟡 partly passed | 2.5 / 20 |" in text
    assert "<details>" in text and "````text\nshape ```(3,)``` differs\n````" in text


def test_markdown_summary_of_a_broken_run_has_no_score():
    """Is a run that broke shown as broken, never as a score?"""
    text = markdown_report.render(sample_report(error="pytest crashed"), "zh")
    assert "评分出错" in text and "pytest crashed" in text and "12.5" not in text


def test_step_summary_in_ci_checks_the_release(released, tmp_path):
    """Does the CI summary carry the advisory note and name nothing in a pristine release?"""
    text = ci.step_summary(sample_report(), released, "en", ci=True)
    assert "advisory" in text and "teacher's run" in text and "⚠️" not in text
    assert "advisory" not in ci.step_summary(sample_report(), released, "en")


def test_gradescope_visibility_is_optional():
    """Does the Gradescope renderer keep 'visible' by default and take another visibility when given?"""
    assert {t["visibility"] for t in gradescope.results(sample_report())["tests"]} == {"visible"}
    assert {t["visibility"] for t in gradescope.results(sample_report(), "en", "hidden")["tests"]} == {"hidden"}


def test_student_ci_command_is_advisory_and_names_tampering(nnlings, released):
    """Does the workflow's own command exit 0 on unfinished stubs, and name a test file the student edited?"""
    done = nnlings(released, "grade", "exercises", "--ci", "--format", "markdown", "--seed", "3")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "advisory" in done.stdout and "⚠️" not in done.stdout and "0 / 30" in done.stdout
    test = next((released / "tests").rglob("test_*.py"))
    original = test.read_text(encoding="utf-8")
    try:
        test.write_text(original + "\n# changed\n", encoding="utf-8")
        done = nnlings(released, "grade", "exercises", "--ci", "--format", "markdown", "--seed", "3")
        assert test.relative_to(released).as_posix() in done.stdout
    finally:
        test.write_text(original, encoding="utf-8")


def test_markdown_is_for_one_submission(nnlings, released, tmp_path):
    """Is a Markdown class report refused with a sentence, not a stack trace?"""
    done = nnlings(released, "grade", "exercises", "--format", "markdown", "--out-dir", str(tmp_path / "out"))
    assert done.returncode == 2 and "--out-dir" in done.stderr and "Traceback" not in done.stderr
